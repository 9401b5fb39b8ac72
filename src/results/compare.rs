//! Comparisons of a group's rows (spec indicators.md, "Differences", "Fiscal", "Replications"):
//! differences against the reference scenario within each replication, cost-effectiveness, and
//! the mean and 95% interval over replications. Pure functions over typed rows: no file, no
//! scenario, no policy.
//!
//! Mean rows follow the per-replication rows, ordered by scenario, year, region, residence and
//! indicator (or program and payer) as their names sort, so the tables read as they always have.

use std::collections::{BTreeMap, HashMap};

use super::ids::{Effect, Income, Indicator, Slice};
use super::names::{line_name, region_name, residence_name};
use super::{FiscalRow, IndicatorRow};
use crate::error::Result;
use crate::indicators::{Interval, replication_interval};
use crate::rules::{FiscalLine, Payer};

/// Yuan in one 亿元 (100 million yuan), the unit of cost-effectiveness.
const YUAN_PER_YI: f64 = 1e8;

/// Indicators whose difference from the reference is reported (`<indicator>_change`).
pub static COMPARED: [Indicator; 5] = [
    Indicator::Gini(Income::Disposable),
    Indicator::UrbanRuralRatio(Income::Disposable),
    Indicator::PovertyRate(50),
    Indicator::FiscalCostTotal,
    Indicator::Mean(Income::Disposable),
];

/// The change rows of every [`COMPARED`] indicator: scenario minus reference within each
/// replication, year and slice, for the scenarios in `done` other than `reference`, in the order
/// of `rows`; then the cost-effectiveness rows computed from them.
pub fn differences(rows: &[IndicatorRow], reference: &str, done: &[&str]) -> Vec<IndicatorRow> {
    let key = |r: &IndicatorRow| (r.replication, r.year, r.slice.clone(), r.indicator.clone());
    let base: HashMap<_, &IndicatorRow> = rows
        .iter()
        .filter(|r| r.scenario == reference && r.replication.is_some())
        .filter(|r| COMPARED.contains(&r.indicator))
        .map(|r| (key(r), r))
        .collect();
    let changes: Vec<IndicatorRow> = rows
        .iter()
        .filter(|r| {
            r.scenario != reference
                && done.contains(&r.scenario.as_str())
                && COMPARED.contains(&r.indicator)
        })
        .filter_map(|r| {
            base.get(&key(r)).map(|b| IndicatorRow {
                indicator: Indicator::Change(Box::new(r.indicator.clone())),
                value: r.value - b.value,
                reason: r.reason.clone().or_else(|| {
                    b.reason
                        .as_ref()
                        .map(|why| format!("in the reference `{reference}`: {why}"))
                }),
                ..r.clone()
            })
        })
        .collect();
    let effectiveness = cost_effectiveness(&changes);
    let mut out = changes;
    out.extend(effectiveness);
    out
}

/// What a change row buys per 亿元, and the scale of the change: Gini in points (x 100), the
/// urban-rural ratio as it is.
fn effect_of(change: &Indicator) -> Option<(Effect, f64)> {
    match change {
        Indicator::Change(of) => match **of {
            Indicator::Gini(Income::Disposable) => Some((Effect::GiniPoints, 100.0)),
            Indicator::UrbanRuralRatio(Income::Disposable) => Some((Effect::UrbanRuralRatio, 1.0)),
            _ => None,
        },
        _ => None,
    }
}

/// Cost-effectiveness against the reference (indicators.md, Fiscal): the change in Gini points
/// and in the urban-rural ratio per 100 million yuan (亿元) of extra government cost, within each
/// scenario, replication, year and slice, from the change rows, in their order. No row when the
/// extra cost is zero or unknown; an undefined change gives an undefined row with its reason.
pub fn cost_effectiveness(changes: &[IndicatorRow]) -> Vec<IndicatorRow> {
    let key = |r: &IndicatorRow| (r.scenario.clone(), r.replication, r.year, r.slice.clone());
    let cost = Indicator::Change(Box::new(Indicator::FiscalCostTotal));
    let costs: HashMap<_, f64> = changes
        .iter()
        .filter(|r| r.indicator == cost)
        .map(|r| (key(r), r.value))
        .collect();
    changes
        .iter()
        .filter_map(|r| {
            let (effect, scale) = effect_of(&r.indicator)?;
            let extra_cost = *costs.get(&key(r))?;
            (extra_cost != 0.0).then(|| IndicatorRow {
                indicator: Indicator::PerHundredMillionYuan(effect),
                value: scale * r.value / (extra_cost / YUAN_PER_YI),
                ..r.clone()
            })
        })
        .collect()
}

/// `rows` followed by one mean row (replication `None`) per scenario, year, slice and indicator,
/// with the 95% interval over its replications ([`replication_interval`]); undefined (NaN, with
/// the first replication's reason) when the indicator is undefined in any replication.
pub fn with_replication_means(rows: Vec<IndicatorRow>) -> Result<Vec<IndicatorRow>> {
    // By names: (scenario, year, region, residence, indicator).
    type Order = (String, i32, String, String, String);
    type Group<'a> = (&'a str, i32, &'a Slice, &'a Indicator);
    type Value<'a> = (u32, std::result::Result<f64, &'a str>);
    let mut groups: BTreeMap<Order, (Group<'_>, Vec<Value<'_>>)> = BTreeMap::new();
    for r in &rows {
        let order = (
            r.scenario.clone(),
            r.year,
            region_name(&r.slice).to_owned(),
            residence_name(&r.slice).to_owned(),
            r.indicator.to_string(),
        );
        let group = (r.scenario.as_str(), r.year, &r.slice, &r.indicator);
        groups
            .entry(order)
            .or_insert_with(|| (group, Vec::new()))
            .1
            .push((
                r.replication.unwrap_or_default(),
                r.reason.as_deref().map_or(Ok(r.value), Err),
            ));
    }
    let mut means = Vec::with_capacity(groups.len());
    for ((scenario, year, slice, indicator), values) in groups.into_values() {
        let undefined = values.iter().find_map(|(replication, v)| match v {
            Err(why) => Some(format!("in replication {replication}: {why}")),
            Ok(_) => None,
        });
        let interval = match undefined {
            Some(_) => Interval {
                mean: f64::NAN,
                ci_low: f64::NAN,
                ci_high: f64::NAN,
            },
            None => {
                let values: Vec<f64> = values.iter().filter_map(|(_, v)| v.ok()).collect();
                replication_interval(&values)?
            }
        };
        means.push(IndicatorRow {
            scenario: scenario.to_owned(),
            replication: None,
            year,
            slice: slice.clone(),
            indicator: indicator.clone(),
            value: interval.mean,
            ci_low: interval.ci_low,
            ci_high: interval.ci_high,
            reason: undefined,
        });
    }
    let mut out = rows;
    out.extend(means);
    Ok(out)
}

/// `rows` followed by one mean row (replication `None`) per scenario, year, program line and
/// payer: amounts, beneficiaries and mean benefit summed over the rows and divided by
/// `replications` (a replication without the row counts as zero).
pub fn with_fiscal_means(rows: Vec<FiscalRow>, replications: u32) -> Vec<FiscalRow> {
    // By names: (scenario, year, program, payer).
    type Order = (String, i32, String, &'static str);
    type Group<'a> = (&'a str, i32, &'a FiscalLine, Payer);
    let mut groups: BTreeMap<Order, (Group<'_>, [f64; 4])> = BTreeMap::new();
    for r in &rows {
        let order = (
            r.scenario.clone(),
            r.year,
            line_name(&r.program),
            r.payer.as_str(),
        );
        let group = (r.scenario.as_str(), r.year, &r.program, r.payer);
        let sums = &mut groups.entry(order).or_insert_with(|| (group, [0.0; 4])).1;
        sums[0] += r.amount_yuan;
        sums[1] += r.beneficiaries_persons;
        sums[2] += r.beneficiaries_households;
        sums[3] += r.mean_benefit_yuan;
    }
    let n = f64::from(replications);
    let means: Vec<FiscalRow> = groups
        .into_values()
        .map(
            |((scenario, year, program, payer), [a, p, h, m])| FiscalRow {
                scenario: scenario.to_owned(),
                replication: None,
                year,
                program: program.clone(),
                payer,
                amount_yuan: a / n,
                beneficiaries_persons: p / n,
                beneficiaries_households: h / n,
                mean_benefit_yuan: m / n,
            },
        )
        .collect();
    let mut out = rows;
    out.extend(means);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::population::Residence;
    use crate::rules::Program;

    const GINI: Indicator = Indicator::Gini(Income::Disposable);
    const RATIO: Indicator = Indicator::UrbanRuralRatio(Income::Disposable);

    fn row(scenario: &str, replication: u32, indicator: Indicator, value: f64) -> IndicatorRow {
        IndicatorRow {
            scenario: scenario.into(),
            replication: Some(replication),
            year: 2030,
            slice: Slice::NATIONAL,
            indicator,
            value,
            ci_low: f64::NAN,
            ci_high: f64::NAN,
            reason: None,
        }
    }

    fn change(of: Indicator) -> Indicator {
        Indicator::Change(Box::new(of))
    }

    fn values(rows: &[IndicatorRow]) -> Vec<(&str, Option<u32>, String, f64)> {
        rows.iter()
            .map(|r| {
                (
                    r.scenario.as_str(),
                    r.replication,
                    r.indicator.to_string(),
                    r.value,
                )
            })
            .collect()
    }

    /// An indicator undefined in the reference's replication 1 (and defined elsewhere): the
    /// reform's change in that replication is undefined with the reference's reason, its
    /// cost-effectiveness too, and both means are undefined naming replication 1; replication 0
    /// keeps its numbers (0.38 - 0.40 = -0.02).
    #[test]
    fn an_undefined_value_stays_undefined_with_its_reason_through_changes_and_means() {
        let undefined = |scenario, rep| IndicatorRow {
            reason: Some("income `disposable`: Gini undefined".into()),
            ..row(scenario, rep, GINI, f64::NAN)
        };
        let mut rows = vec![
            row("base", 0, GINI, 0.40),
            undefined("base", 1),
            row("reform", 0, GINI, 0.38),
            row("reform", 1, GINI, 0.41),
        ];
        for (scenario, cost) in [("base", 1e9), ("reform", 2e9)] {
            for rep in [0, 1] {
                rows.push(row(scenario, rep, Indicator::FiscalCostTotal, cost));
            }
        }
        let changes = differences(&rows, "base", &["base", "reform"]);
        let gini_change = |rep| {
            changes
                .iter()
                .find(|r| r.indicator == change(GINI) && r.replication == Some(rep))
                .unwrap()
        };
        assert!((gini_change(0).value + 0.02).abs() < 1e-12);
        assert_eq!(gini_change(0).reason, None);
        assert!(gini_change(1).value.is_nan());
        assert_eq!(
            gini_change(1).reason.as_deref(),
            Some("in the reference `base`: income `disposable`: Gini undefined")
        );
        let per_yi = Indicator::PerHundredMillionYuan(Effect::GiniPoints);
        let effect_1 = changes
            .iter()
            .find(|r| r.indicator == per_yi && r.replication == Some(1))
            .unwrap();
        assert!(effect_1.value.is_nan() && effect_1.reason.is_some());
        rows.extend(changes);
        let with_means = with_replication_means(rows).unwrap();
        let mean = |scenario: &str, indicator: &Indicator| {
            with_means
                .iter()
                .find(|r| {
                    r.replication.is_none() && r.scenario == scenario && &r.indicator == indicator
                })
                .unwrap()
        };
        let base = mean("base", &GINI);
        assert!(base.value.is_nan() && base.ci_low.is_nan() && base.ci_high.is_nan());
        assert_eq!(
            base.reason.as_deref(),
            Some("in replication 1: income `disposable`: Gini undefined")
        );
        assert!((mean("reform", &GINI).value - 0.395).abs() < 1e-12);
        assert_eq!(mean("reform", &GINI).reason, None);
        assert!(mean("reform", &change(GINI)).value.is_nan());
    }

    /// Two replications. Reference: Gini 0.40 / 0.42, cost 1e9 / 1e9, Theil 0.3 (not compared).
    /// Reform: Gini 0.38 / 0.41, cost 1.2e9 / 1.1e9. Changes: Gini -0.02 / -0.01, cost 2e8 / 1e8,
    /// so Gini points per 亿元: 100 x -0.02 / 2 = -1 and 100 x -0.01 / 1 = -1. A scenario not done
    /// gets no change rows.
    #[test]
    fn differences_within_each_replication_then_cost_effectiveness() {
        let mut rows = Vec::new();
        for (rep, gini, cost) in [(0, 0.40, 1e9), (1, 0.42, 1e9)] {
            rows.push(row("base", rep, GINI, gini));
            rows.push(row("base", rep, Indicator::FiscalCostTotal, cost));
            rows.push(row("base", rep, Indicator::Theil, 0.3));
        }
        for (rep, gini, cost) in [(0, 0.38, 1.2e9), (1, 0.41, 1.1e9)] {
            rows.push(row("reform", rep, GINI, gini));
            rows.push(row("reform", rep, Indicator::FiscalCostTotal, cost));
            rows.push(row("reform", rep, Indicator::Theil, 0.2));
            rows.push(row("failed", rep, GINI, 0.1));
        }
        let out = differences(&rows, "base", &["base", "reform"]);
        let got = values(&out);
        let expected = [
            ("reform", Some(0), "gini_disposable_change", 0.38 - 0.40),
            ("reform", Some(0), "fiscal_cost_total_change", 1.2e9 - 1e9),
            ("reform", Some(1), "gini_disposable_change", 0.41 - 0.42),
            ("reform", Some(1), "fiscal_cost_total_change", 1.1e9 - 1e9),
            ("reform", Some(0), "gini_points_per_100m_yuan", -1.0),
            ("reform", Some(1), "gini_points_per_100m_yuan", -1.0),
        ];
        assert_eq!(got.len(), expected.len(), "{got:?}");
        for (g, e) in got.iter().zip(expected) {
            assert_eq!((g.0, g.1, g.2.as_str()), (e.0, e.1, e.2));
            assert!(
                (g.3 - e.3).abs() < 1e-12,
                "{} = {}, expected {}",
                g.2,
                g.3,
                e.3
            );
        }
    }

    /// Ratio change -0.05 for 5e8 more cost (5 亿元): -0.01 per 亿元. Zero extra cost, or no cost
    /// row for the slice, gives no row.
    #[test]
    fn cost_effectiveness_needs_a_nonzero_extra_cost() {
        let rural = Slice::residence(Residence::Rural);
        let in_slice = |r: IndicatorRow, slice: &Slice| IndicatorRow {
            slice: slice.clone(),
            ..r
        };
        let changes = vec![
            row("a", 0, change(RATIO), -0.05),
            row("a", 0, change(Indicator::FiscalCostTotal), 5e8),
            row("b", 0, change(GINI), -0.01),
            row("b", 0, change(Indicator::FiscalCostTotal), 0.0),
            in_slice(row("a", 0, change(GINI), -0.01), &rural),
        ];
        let got = cost_effectiveness(&changes);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(
            got[0].indicator,
            Indicator::PerHundredMillionYuan(Effect::UrbanRuralRatio)
        );
        assert_eq!(got[0].value, -0.05 / 5.0);
    }

    /// Values 1, 2, 3: mean 2, s = 1, half width t(0.975, 2) / sqrt(3) = 4.302653 / 1.732051 =
    /// 2.484138. Groups come out in name order (`reform` before `séance`, `gini_disposable` before
    /// `theil`), after the per-replication rows.
    #[test]
    fn replication_means_with_intervals_in_name_order() {
        let mut rows = Vec::new();
        for (rep, v) in [(0, 1.0), (1, 2.0), (2, 3.0)] {
            rows.push(row("séance", rep, Indicator::Theil, v));
            rows.push(row("reform", rep, Indicator::Theil, v));
            rows.push(row("reform", rep, GINI, 10.0 * v));
        }
        let out = with_replication_means(rows).unwrap();
        assert_eq!(out.len(), 9 + 3);
        let means = &out[9..];
        let got: Vec<(&str, String)> = means
            .iter()
            .map(|r| (r.scenario.as_str(), r.indicator.to_string()))
            .collect();
        assert_eq!(
            got,
            [
                ("reform", "gini_disposable".to_owned()),
                ("reform", "theil".to_owned()),
                ("séance", "theil".to_owned()),
            ]
        );
        let theil = &means[1];
        assert_eq!((theil.replication, theil.value), (None, 2.0));
        assert!(
            (theil.ci_low - (2.0 - 2.484_138)).abs() < 1e-6,
            "{}",
            theil.ci_low
        );
        assert!(
            (theil.ci_high - (2.0 + 2.484_138)).abs() < 1e-6,
            "{}",
            theil.ci_high
        );
        assert_eq!(means[0].value, 20.0);
    }

    fn fiscal(replication: u32, program: &str, payer: Payer, amount: f64) -> FiscalRow {
        let program = Program::named(program).expect("registered line");
        FiscalRow {
            scenario: "s".into(),
            replication: Some(replication),
            year: 2030,
            program: FiscalLine::Program(program),
            payer,
            amount_yuan: amount,
            beneficiaries_persons: 10.0 * amount,
            beneficiaries_households: 4.0,
            mean_benefit_yuan: 0.1,
        }
    }

    /// Two replications; dibao paid 3 and 5 by the government (mean 4), tekun 6 only in
    /// replication 1 (mean 3: the missing row counts as 0). Means in name order: dibao
    /// (collective, then government), then tekun.
    #[test]
    fn fiscal_means_divide_by_the_replications() {
        let rows = vec![
            fiscal(0, "dibao", Payer::Government, 3.0),
            fiscal(0, "dibao", Payer::Collective, 1.0),
            fiscal(1, "tekun", Payer::Government, 6.0),
            fiscal(1, "dibao", Payer::Government, 5.0),
        ];
        let out = with_fiscal_means(rows, 2);
        let means: Vec<(String, &str, f64, f64)> = out[4..]
            .iter()
            .map(|r| {
                (
                    line_name(&r.program),
                    r.payer.as_str(),
                    r.amount_yuan,
                    r.beneficiaries_persons,
                )
            })
            .collect();
        assert_eq!(
            means,
            [
                ("dibao".to_owned(), "collective", 0.5, 5.0),
                ("dibao".to_owned(), "government", 4.0, 40.0),
                ("tekun".to_owned(), "government", 3.0, 30.0),
            ]
        );
        assert!(out[4..].iter().all(|r| r.replication.is_none()));
        assert_eq!(out[5].mean_benefit_yuan, 0.1);
    }
}
