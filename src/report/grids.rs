//! The report's "Reform grids" section (issue 18): for each grid of the run, its frontier table
//! (each point's grid values, extra government cost, change in the Gini of D and in the poverty
//! rate at 50% of the median against the reference, in the year the frontier compares), then the
//! frontier charts. The numbers are the run's frontier table ([`crate::results::frontier`]);
//! only formatting happens here.

use std::fmt::Write as _;

use super::terms::{Lang, Term};
use super::{YUAN_PER_YI, cell, chart_figure, escape, signed};
use crate::charts::{FRONTIER_GINI_CHART, FRONTIER_POVERTY_CHART, RenderedChart};
use crate::results::frontier::Frontier;
use crate::results::view::View;

/// Whether a chart belongs to this section rather than to the report's "Charts".
pub(super) fn is_frontier_chart(c: &RenderedChart) -> bool {
    c.stem == FRONTIER_GINI_CHART || c.stem == FRONTIER_POVERTY_CHART
}

/// Writes the section when the run has a grid.
pub(super) fn reform_grids(h: &mut String, view: &View<'_>, charts: &[RenderedChart]) {
    let r = view.results;
    let l = r.lang;
    if r.frontiers.is_empty() {
        return;
    }
    let _ = writeln!(h, "<h2 id=\"grids\">{}</h2>", l.t(Term::ReformGrids));
    for f in &r.frontiers {
        frontier_table(h, l, f);
    }
    for c in charts.iter().filter(|c| is_frontier_chart(c)) {
        chart_figure(h, l, c);
    }
}

/// `value` with `decimals` decimals and a sign; `undefined` when not finite (its reason is in
/// `indicators.csv`).
fn change(value: f64, decimals: usize) -> String {
    if value.is_finite() {
        signed(value, decimals)
    } else {
        "undefined".to_owned()
    }
}

fn frontier_table(h: &mut String, l: Lang, f: &Frontier) {
    let keys: Vec<String> = f
        .parameters
        .iter()
        .map(|k| format!("<code>{}</code>", escape(k)))
        .collect();
    let _ = writeln!(
        h,
        "<p>{}</p>\n<table class=\"summary\">\n<tr><th>{}</th>{}<th>{}</th><th>{}</th><th>{}</th></tr>",
        l.fill(
            Term::FrontierTableNote,
            &[
                &escape(&f.grid),
                &escape(&f.reference),
                &f.year.to_string(),
                &keys.join(", ")
            ]
        ),
        l.t(Term::Scenario),
        keys.iter()
            .map(|k| format!("<th>{k}</th>"))
            .collect::<String>(),
        l.t(Term::ExtraCostHead),
        l.t(Term::GiniChangePoints),
        l.t(Term::PovertyChangeHead),
    );
    for p in &f.points {
        let values: String = p.values.iter().map(|v| cell(&format!("{v}"))).collect();
        let _ = writeln!(
            h,
            "<tr><td>{}</td>{values}{}{}{}</tr>",
            escape(&p.scenario),
            cell(&change(p.extra_cost_yuan / YUAN_PER_YI, 1)),
            cell(&change(p.gini_change * 100.0, 2)),
            cell(&change(p.poverty_change * 100.0, 2)),
        );
    }
    h.push_str("</table>\n");
}
