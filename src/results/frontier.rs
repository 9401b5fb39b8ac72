//! The frontier of a reform grid (issue 18): for each grid of a group, its points in grid order
//! with the extra government cost and the changes in the Gini of D and in the poverty rate at 50%
//! of the median against the group's reference, in one year (the run's final year, as the
//! cost-effectiveness chart). The numbers are the change rows of [`super::compare`] (scenario
//! minus reference within each replication, then the mean over replications), selected and put in
//! grid order: no formula here.

use std::collections::HashMap;

use super::IndicatorRow;
use super::ids::{Income, Indicator};
use crate::scenario::GridPoint;

/// The inequality indicator a frontier charts: the Gini of D.
pub const FRONTIER_GINI: Indicator = Indicator::Gini(Income::Disposable);
/// The poverty indicator a frontier charts: the headcount below 50% of the median D (the
/// report's headline poverty rate).
pub const FRONTIER_POVERTY: Indicator = Indicator::PovertyRate(50);

/// One grid's points against the reference.
#[derive(Debug, Clone, PartialEq)]
pub struct Frontier {
    /// The grid's name (the scenario that declares it).
    pub grid: String,
    /// The grid keys as written, in file order.
    pub parameters: Vec<String>,
    /// The year compared.
    pub year: i32,
    /// The reference scenario the changes are against.
    pub reference: String,
    /// Points in grid order (the first parameter in the outer loop).
    pub points: Vec<FrontierPoint>,
}

/// One point of a grid: its values and what it changes against the reference.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontierPoint {
    /// The point's scenario name.
    pub scenario: String,
    /// Its value of each grid parameter, in [`Frontier::parameters`] order.
    pub values: Vec<f64>,
    /// Government cost minus the reference's, yuan/year; NaN when undefined or missing.
    pub extra_cost_yuan: f64,
    /// Gini of D minus the reference's (a change of 0.01 is one point); NaN when undefined.
    pub gini_change: f64,
    /// Poverty rate at 50% of the median minus the reference's, a share; NaN when undefined.
    pub poverty_change: f64,
}

/// The frontier of every grid among `points` (scenario name and grid point of each completed
/// scenario, in run order), from the national mean change rows of `year` in `indicators`; grids
/// in order of their first point. A point that is the reference itself changes nothing.
pub fn frontiers(
    points: &[(&str, &GridPoint)],
    indicators: &[IndicatorRow],
    reference: &str,
    year: i32,
) -> Vec<Frontier> {
    if points.is_empty() {
        return Vec::new();
    }
    let change = |of: &Indicator| Indicator::Change(Box::new(of.clone()));
    let wanted = [
        change(&Indicator::FiscalCostTotal),
        change(&FRONTIER_GINI),
        change(&FRONTIER_POVERTY),
    ];
    let values: HashMap<(&str, &Indicator), f64> = indicators
        .iter()
        .filter(|r| r.replication.is_none() && r.year == year && r.slice.is_national())
        .filter(|r| wanted.contains(&r.indicator))
        .map(|r| ((r.scenario.as_str(), &r.indicator), r.value))
        .collect();
    let lookup = |scenario: &str, k: usize| {
        if scenario == reference {
            0.0
        } else {
            values
                .get(&(scenario, &wanted[k]))
                .copied()
                .unwrap_or(f64::NAN)
        }
    };
    let mut out: Vec<Frontier> = Vec::new();
    for &(scenario, point) in points {
        let at = match out.iter().position(|f| f.grid == point.grid) {
            Some(i) => i,
            None => {
                out.push(Frontier {
                    grid: point.grid.clone(),
                    parameters: point.values.iter().map(|(k, _)| k.clone()).collect(),
                    year,
                    reference: reference.to_owned(),
                    points: Vec::new(),
                });
                out.len() - 1
            }
        };
        out[at].points.push(FrontierPoint {
            scenario: scenario.to_owned(),
            values: point.values.iter().map(|(_, v)| *v).collect(),
            extra_cost_yuan: lookup(scenario, 0),
            gini_change: lookup(scenario, 1),
            poverty_change: lookup(scenario, 2),
        });
    }
    // Grid order, whatever order the points ran in.
    for f in &mut out {
        let index = |name: &str| {
            points
                .iter()
                .find(|(s, _)| *s == name)
                .map_or(usize::MAX, |(_, p)| p.index)
        };
        f.points.sort_by_key(|p| index(&p.scenario));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::Slice;

    fn row(scenario: &str, indicator: Indicator, year: i32, value: f64) -> IndicatorRow {
        IndicatorRow {
            scenario: scenario.to_owned(),
            replication: None,
            year,
            slice: Slice::NATIONAL,
            indicator: Indicator::Change(Box::new(indicator)),
            value,
            ci_low: f64::NAN,
            ci_high: f64::NAN,
            reason: None,
        }
    }

    fn point(index: usize, x: f64) -> GridPoint {
        GridPoint {
            grid: "g".into(),
            index,
            values: vec![("a_scale".into(), x)],
        }
    }

    #[test]
    fn points_take_their_change_rows_of_the_year_in_grid_order() {
        let mut rows = Vec::new();
        for (s, k) in [("g[a_scale=1]", 1.0), ("g[a_scale=2]", 2.0)] {
            for (year, scale) in [(2024, 1.0), (2023, 100.0)] {
                rows.push(row(s, Indicator::FiscalCostTotal, year, k * 1e9 * scale));
                rows.push(row(s, FRONTIER_GINI, year, -k * 0.001 * scale));
                rows.push(row(s, FRONTIER_POVERTY, year, -k * 0.01 * scale));
            }
        }
        let (p1, p2) = (point(0, 1.0), point(1, 2.0));
        // Run order reversed: the frontier is still in grid order.
        let points = [("g[a_scale=2]", &p2), ("g[a_scale=1]", &p1)];
        let f = frontiers(&points, &rows, "base", 2024);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].parameters, ["a_scale"]);
        assert_eq!((f[0].year, f[0].reference.as_str()), (2024, "base"));
        let got: Vec<_> = f[0]
            .points
            .iter()
            .map(|p| {
                (
                    p.scenario.as_str(),
                    p.values[0],
                    p.extra_cost_yuan,
                    p.gini_change,
                    p.poverty_change,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("g[a_scale=1]", 1.0, 1e9, -0.001, -0.01),
                ("g[a_scale=2]", 2.0, 2e9, -0.002, -0.02)
            ]
        );
    }

    #[test]
    fn the_reference_point_changes_nothing_and_a_missing_row_is_nan() {
        let p = point(0, 1.0);
        let f = frontiers(
            &[("base", &p), ("g[a_scale=3]", &point(1, 3.0))],
            &[],
            "base",
            2024,
        );
        assert_eq!(f[0].points[0].extra_cost_yuan, 0.0);
        assert_eq!(f[0].points[0].gini_change, 0.0);
        assert!(f[0].points[1].gini_change.is_nan());
        assert!(frontiers(&[], &[], "base", 2024).is_empty());
    }
}
