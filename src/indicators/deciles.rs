//! Distribution tables (spec indicators.md, "Distribution tables"): a scenario's income
//! components by decile of the reference scenario's per-capita disposable income (a fixed
//! ranking, so every scenario is compared on the same persons), with gains and the shares of
//! persons better and worse off.

use super::distribution::Distribution;
use super::{Neumaier, check_finite};
use crate::{Error, Result};

/// A person whose disposable income moves by at most this much (yuan per year) against the
/// reference counts as unchanged, neither better nor worse off: it absorbs floating-point noise
/// in recomputed amounts (half a fen), far below any benefit.
pub const UNCHANGED_TOLERANCE_YUAN: f64 = 0.005;

/// Per-person income components of one scenario (spec rules.md section 2), yuan per year, per
/// capita of the household, in the same person order as the reference distribution's values.
#[derive(Debug, Clone, Copy)]
pub struct IncomeComponents<'a> {
    /// Market income M.
    pub market: &'a [f64],
    /// Pensions P.
    pub pensions: &'a [f64],
    /// Assistance A (dibao, te-kun support, one-time subsidies).
    pub assistance: &'a [f64],
    /// Other cash transfers T.
    pub transfers: &'a [f64],
    /// Individual contributions C.
    pub contributions: &'a [f64],
    /// Disposable income D = M + P + A + T - C.
    pub disposable: &'a [f64],
    /// Medical out-of-pocket after insurance and assistance (rules.md 11, v1.3).
    pub medical_out_of_pocket: &'a [f64],
}

/// One decile of the reference ranking: person-weighted means (yuan per year) of the scenario's
/// components, and its gain against the reference. The one decile row type: `deciles.csv` writes
/// it as it is, labelled with the scenario and year (`results::ScenarioDecile`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DecileRow {
    /// Decile of the reference's disposable income, 1 (poorest) to 10.
    pub decile: u8,
    /// Mean market income M.
    pub market: f64,
    /// Mean pensions P.
    pub pensions: f64,
    /// Mean assistance A.
    pub assistance: f64,
    /// Mean other transfers T.
    pub transfers: f64,
    /// Mean contributions C.
    pub contributions: f64,
    /// Mean disposable income D under the scenario.
    pub disposable: f64,
    /// Mean gain D - reference D, yuan per year.
    pub gain_yuan: f64,
    /// Gain in percent of the reference mean; `None` when that mean is not positive.
    pub gain_percent: Option<f64>,
    /// Weight share of persons whose D exceeds the reference by more than
    /// [`UNCHANGED_TOLERANCE_YUAN`].
    pub better_off_share: f64,
    /// Weight share of persons whose D falls below the reference by more than
    /// [`UNCHANGED_TOLERANCE_YUAN`].
    pub worse_off_share: f64,
    /// Mean medical out-of-pocket under the scenario (not part of D; D_health = D less it and
    /// the huiminbao premium).
    pub medical_out_of_pocket: f64,
}

/// Accumulators of one decile, in the order of [`DecileRow`]'s means.
#[derive(Debug, Clone, Copy, Default)]
struct DecileSums {
    weight: Neumaier,
    components: [Neumaier; 8],
    better_off: Neumaier,
    worse_off: Neumaier,
}

/// The decile table of a scenario against the reference. `reference` is the reference
/// scenario's per-capita disposable income with the person weights (it fixes both the ranking
/// and the reference D); `scenario` gives the components per person in the same order.
///
/// A person belongs to decile floor(10 F / W) + 1 (at most 10), F the midpoint cumulative
/// weight of the person's tie group, so persons with equal reference income share a decile.
/// A decile emptied by a large tie group is left out of the table. Errors when a component's
/// length differs from the reference or a value is not finite.
pub fn decile_table(
    reference: &Distribution,
    scenario: &IncomeComponents<'_>,
) -> Result<Vec<DecileRow>> {
    let components = [
        ("market", scenario.market),
        ("pensions", scenario.pensions),
        ("assistance", scenario.assistance),
        ("transfers", scenario.transfers),
        ("contributions", scenario.contributions),
        ("disposable", scenario.disposable),
        ("medical_out_of_pocket", scenario.medical_out_of_pocket),
    ];
    for (name, values) in components {
        if values.len() != reference.len() {
            return Err(Error::Undefined(format!(
                "decile table: {} `{name}` values for {} reference persons",
                values.len(),
                reference.len()
            )));
        }
        check_finite(values, name)?;
    }
    let total = reference.total_weight();
    let mut sums = [DecileSums::default(); 10];
    reference.for_each_tie_group(|positions, midpoint| {
        let decile = ((10.0 * midpoint / total) as usize).min(9);
        let s = &mut sums[decile];
        for pos in positions {
            let person = reference.original_index(pos);
            let w = reference.sorted_weight(pos);
            let reference_d = reference.sorted_value(pos);
            s.weight.add(w);
            for (acc, (_, values)) in s.components.iter_mut().zip(components) {
                acc.add(w * values[person]);
            }
            s.components[7].add(w * reference_d);
            let change = scenario.disposable[person] - reference_d;
            if change > UNCHANGED_TOLERANCE_YUAN {
                s.better_off.add(w);
            } else if change < -UNCHANGED_TOLERANCE_YUAN {
                s.worse_off.add(w);
            }
        }
    });
    Ok(sums
        .iter()
        .enumerate()
        .filter(|(_, s)| s.weight.value() > 0.0)
        .map(|(d, s)| {
            let w = s.weight.value();
            let [
                market,
                pensions,
                assistance,
                transfers,
                contributions,
                disposable,
                medical_out_of_pocket,
                reference_disposable,
            ] = s.components.map(|c| c.value() / w);
            let gain_yuan = disposable - reference_disposable;
            DecileRow {
                decile: d as u8 + 1,
                market,
                pensions,
                assistance,
                transfers,
                contributions,
                disposable,
                gain_yuan,
                gain_percent: (reference_disposable > 0.0)
                    .then(|| 100.0 * gain_yuan / reference_disposable),
                better_off_share: s.better_off.value() / w,
                worse_off_share: s.worse_off.value() / w,
                medical_out_of_pocket,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ten persons (weight 1) with reference D = 100, 200, ..., 1000 given in reverse order, so
    /// person i (0-based) has reference D = 1000 - 100 i and is alone in decile 10 - i.
    /// The scenario adds a pension of 50 to persons 0..5 (deciles 10..6) and takes a
    /// contribution of 20 from person 9 (decile 1); person 8 (decile 2) changes by 0.001 yuan,
    /// within the tolerance. Decile 1: D = 100 - 20 = 80, gain -20 yuan = -20%, worse off 1.
    /// Decile 10: D = 1050, gain 50 = 5%, better off 1. Decile 2: unchanged.
    #[test]
    fn decile_table_by_hand() {
        let reference_d: Vec<f64> = (0..10).map(|i| 1000.0 - 100.0 * f64::from(i)).collect();
        let reference = Distribution::new(&reference_d, &[1.0; 10]).unwrap();
        let pensions: Vec<f64> = (0..10).map(|i| if i < 5 { 50.0 } else { 0.0 }).collect();
        let mut contributions = vec![0.0; 10];
        contributions[9] = 20.0;
        let mut market = reference_d.clone();
        market[8] += 0.001;
        let disposable: Vec<f64> = (0..10)
            .map(|i| market[i] + pensions[i] - contributions[i])
            .collect();
        let zeros = vec![0.0; 10];
        // Medical out-of-pocket 30 for the poorest person only (decile 1).
        let mut medical = zeros.clone();
        medical[9] = 30.0;
        let scenario = IncomeComponents {
            market: &market,
            pensions: &pensions,
            assistance: &zeros,
            transfers: &zeros,
            contributions: &contributions,
            disposable: &disposable,
            medical_out_of_pocket: &medical,
        };
        let table = decile_table(&reference, &scenario).unwrap();
        assert_eq!(table.len(), 10);
        let first = &table[0];
        assert_eq!(first.decile, 1);
        assert_eq!(
            (first.market, first.contributions, first.disposable),
            (100.0, 20.0, 80.0)
        );
        assert_eq!((first.gain_yuan, first.gain_percent), (-20.0, Some(-20.0)));
        assert_eq!((first.better_off_share, first.worse_off_share), (0.0, 1.0));
        assert_eq!(first.medical_out_of_pocket, 30.0);
        assert_eq!(table[1].medical_out_of_pocket, 0.0);
        let second = &table[1];
        // Reference D 200; the market income 0.001 above it is all the change.
        assert_eq!(second.disposable, 200.0 + 0.001);
        assert_eq!(
            (second.better_off_share, second.worse_off_share),
            (0.0, 0.0)
        );
        let last = &table[9];
        assert_eq!(
            (last.decile, last.pensions, last.disposable),
            (10, 50.0, 1050.0)
        );
        assert_eq!((last.gain_yuan, last.gain_percent), (50.0, Some(5.0)));
        assert_eq!((last.better_off_share, last.worse_off_share), (1.0, 0.0));
    }

    /// All persons tied: one tie group with midpoint W/2, so everyone is in decile 6 and the
    /// other deciles are left out.
    #[test]
    fn tied_reference_incomes_share_a_decile() {
        let reference = Distribution::new(&[5.0; 4], &[1.0; 4]).unwrap();
        let v = [5.0; 4];
        let scenario = IncomeComponents {
            market: &v,
            pensions: &[0.0; 4],
            assistance: &[0.0; 4],
            transfers: &[0.0; 4],
            contributions: &[0.0; 4],
            disposable: &v,
            medical_out_of_pocket: &[0.0; 4],
        };
        let table = decile_table(&reference, &scenario).unwrap();
        assert_eq!(table.len(), 1);
        assert_eq!((table[0].decile, table[0].disposable), (6, 5.0));
        let short = IncomeComponents {
            market: &v[..3],
            ..scenario
        };
        assert!(decile_table(&reference, &short).is_err());
    }
}
