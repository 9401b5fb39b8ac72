//! The frontier charts of reform grids (issue 18): for every grid of the run, x = its points'
//! extra government cost against the reference (亿元), y = their change in the Gini of D (points)
//! or in the poverty rate at 50% of the median (percentage points), points joined in grid order
//! and labelled with their grid value, the reference marked at the origin. The numbers are the
//! run's frontier table ([`crate::results::frontier`]); only units change here.

use super::build::{POINTS_PER_GINI, YUAN_PER_YI};
use super::{Chart, Panel, Series, Style};
use crate::report::terms::Term;
use crate::results::frontier::{Frontier, FrontierPoint};
use crate::results::view::View;

/// Stem of the frontier chart of the Gini.
pub const FRONTIER_GINI_CHART: &str = "frontier_gini";
/// Stem of the frontier chart of poverty.
pub const FRONTIER_POVERTY_CHART: &str = "frontier_poverty";
/// Percentage points per unit of a share.
const POINTS_PER_SHARE: f64 = 100.0;

/// The two frontier charts (no points without a grid).
pub fn frontier_charts(view: &View<'_>) -> Vec<Chart> {
    vec![
        frontier(
            view,
            FRONTIER_GINI_CHART,
            Term::FrontierGiniTitle,
            Term::GiniChangeAxis,
            "gini_change_points",
            |p| p.gini_change * POINTS_PER_GINI,
        ),
        frontier(
            view,
            FRONTIER_POVERTY_CHART,
            Term::FrontierPovertyTitle,
            Term::PovertyChangeAxis,
            "poverty_rate_50_change_points",
            |p| p.poverty_change * POINTS_PER_SHARE,
        ),
    ]
}

/// A value as the grid wrote it (`1.1`, `800`).
fn value_text(x: f64) -> String {
    format!("{x}")
}

/// The lines of one grid: one for a grid over one parameter; one per value of the first
/// parameter for a grid over two, along the second. Each with its points in grid order.
fn lines(f: &Frontier) -> Vec<(String, Vec<&FrontierPoint>)> {
    let mut out: Vec<(String, Vec<&FrontierPoint>)> = Vec::new();
    for p in &f.points {
        let name = match (f.parameters.as_slice(), p.values.as_slice()) {
            ([first, _], [x, _]) => format!("{}[{first}={}]", f.grid, value_text(*x)),
            _ => f.grid.clone(),
        };
        match out.last_mut() {
            Some((last, points)) if *last == name => points.push(p),
            _ => out.push((name, vec![p])),
        }
    }
    out
}

fn frontier(
    view: &View<'_>,
    stem: &'static str,
    title: Term,
    y_label: Term,
    y_column: &str,
    y: impl Fn(&FrontierPoint) -> f64,
) -> Chart {
    let r = view.results;
    let l = r.lang;
    let year = r
        .frontiers
        .first()
        .map(|f| f.year.to_string())
        .unwrap_or_default();
    let series = r
        .frontiers
        .iter()
        .flat_map(lines)
        .map(|(name, points)| {
            let shown: Vec<(&FrontierPoint, (f64, f64))> = points
                .into_iter()
                .map(|p| (p, (p.extra_cost_yuan / YUAN_PER_YI, y(p))))
                .filter(|(_, (x, y))| x.is_finite() && y.is_finite())
                .collect();
            Series {
                name,
                labels: shown
                    .iter()
                    .map(|(p, _)| p.values.last().map_or_else(String::new, |x| value_text(*x)))
                    .collect(),
                points: shown.into_iter().map(|(_, xy)| xy).collect(),
            }
        })
        .collect();
    Chart {
        stem,
        lang: l,
        title: l.fill(title, &[&year]),
        note: l.fill(Term::FrontierNote, &[&year, &r.reference_scenario, stem]),
        x_label: l.t(Term::ExtraCostAxis).to_owned(),
        y_label: l.t(y_label).to_owned(),
        legend_title: l.t(Term::GridLegend).to_owned(),
        panel_column: None,
        columns: [
            "grid".into(),
            "extra_cost_100m_yuan".into(),
            y_column.into(),
        ],
        style: Style::Frontier,
        mark: Some(r.reference_scenario.clone()),
        panels: if r.frontiers.is_empty() {
            Vec::new()
        } else {
            vec![Panel {
                title: String::new(),
                series,
            }]
        },
    }
}
