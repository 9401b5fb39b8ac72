//! The seven charts of a run, built from the indexed results: Gini and urban-rural ratio over time,
//! government cost by program (small multiples, one panel per scenario), decile gains, Lorenz
//! curves, cost-effectiveness and the impoverishment rate by medical spending over time. Values are taken as given; only unit changes (yuan to 亿元,
//! Gini to points) and differences against the reference are derived, for display.

use super::{Chart, Panel, Series, Style};
use crate::report::terms::{self, Term};
use crate::results::view::View;
use crate::results::{Income, Indicator};

/// The Gini of D, charted over time and against cost.
const GINI: Indicator = Indicator::Gini(Income::Disposable);

/// Yuan in one 亿元 (100 million yuan).
pub const YUAN_PER_YI: f64 = 1e8;
/// Gini points per unit of Gini (a change of 0.01 is one point).
pub const POINTS_PER_GINI: f64 = 100.0;

/// Every chart of the run, in report order (some may have no points).
pub fn build_charts(view: &View<'_>) -> Vec<Chart> {
    let mut charts = vec![
        over_time(view, "gini", &GINI, Term::GiniTitle, Term::GiniAxis),
        over_time(
            view,
            "urban_rural_ratio",
            &Indicator::UrbanRuralRatio(Income::Disposable),
            Term::UrbanRuralTitle,
            Term::UrbanRuralAxis,
        ),
        fiscal_cost(view),
        decile_gains(view),
        lorenz(view),
        cost_effectiveness(view),
        over_time(
            view,
            IMPOVERISHMENT_CHART,
            &Indicator::ImpoverishmentRate(50),
            Term::ImpoverishmentTitle,
            Term::ImpoverishmentAxis,
        ),
    ];
    charts.extend(super::frontier::frontier_charts(view));
    charts
}

/// Stem of the impoverishment chart, which the report shows in its "Medical hardship" section.
pub const IMPOVERISHMENT_CHART: &str = "impoverishment";

fn scenario_names<'a>(view: &View<'a>) -> impl Iterator<Item = &'a str> {
    view.results.scenarios.iter().map(|s| s.name.as_str())
}

fn over_time(
    view: &View<'_>,
    stem: &'static str,
    indicator: &Indicator,
    title: Term,
    y_label: Term,
) -> Chart {
    let l = view.results.lang;
    let series = scenario_names(view)
        .map(|s| Series {
            name: s.to_owned(),
            labels: Vec::new(),
            points: view
                .years()
                .iter()
                .filter_map(|&y| Some((f64::from(y), view.national(s, indicator, y)?)))
                .filter(|p| p.1.is_finite())
                .collect(),
        })
        .collect();
    Chart {
        stem,
        lang: l,
        title: l.t(title).to_owned(),
        note: l.fill(Term::OverTimeNote, &[&indicator.to_string(), stem]),
        x_label: l.t(Term::Year).to_owned(),
        y_label: l.t(y_label).to_owned(),
        legend_title: l.t(Term::Scenario).to_owned(),
        panel_column: None,
        columns: ["scenario".into(), "year".into(), indicator.to_string()],
        style: Style::Lines,
        mark: None,
        panels: vec![Panel {
            title: String::new(),
            series,
        }],
    }
}

/// One panel per scenario so scenarios compare at a glance on a shared axis; a program without a
/// row in a year the scenario has government rows for is drawn as 0.
fn fiscal_cost(view: &View<'_>) -> Chart {
    let l = view.results.lang;
    let panels = scenario_names(view)
        .map(|scenario| {
            let years: Vec<i32> = view
                .years()
                .iter()
                .copied()
                .filter(|&y| view.government_cost(scenario, y).is_some())
                .collect();
            Panel {
                title: scenario.to_owned(),
                series: view
                    .programs()
                    .iter()
                    .map(|&program| Series {
                        name: terms::line(l, program),
                        labels: Vec::new(),
                        points: years
                            .iter()
                            .map(|&y| {
                                let yuan = view.government_cost_of(scenario, program, y);
                                (f64::from(y), yuan.unwrap_or(0.0) / YUAN_PER_YI)
                            })
                            .collect(),
                    })
                    .collect(),
            }
        })
        .collect();
    Chart {
        stem: "fiscal_cost",
        lang: l,
        title: l.t(Term::FiscalTitle).to_owned(),
        note: l.t(Term::FiscalNote).to_owned(),
        x_label: l.t(Term::Year).to_owned(),
        y_label: l.t(Term::FiscalAxis).to_owned(),
        legend_title: l.t(Term::Program).to_owned(),
        panel_column: Some("scenario"),
        columns: ["program".into(), "year".into(), "cost_100m_yuan".into()],
        style: Style::StackedArea,
        mark: None,
        panels,
    }
}

fn decile_gains(view: &View<'_>) -> Chart {
    let l = view.results.lang;
    let deciles = &view.results.deciles;
    let year = deciles.iter().map(|d| d.year).max();
    let series = view
        .reforms()
        .map(|s| Series {
            name: s.to_owned(),
            labels: Vec::new(),
            points: deciles
                .iter()
                .filter(|d| d.scenario == s && Some(d.year) == year)
                .filter_map(|d| {
                    let gain = d.row.gain_percent.filter(|g| g.is_finite())?;
                    Some((f64::from(d.row.decile), gain))
                })
                .collect(),
        })
        .collect();
    let reference = &view.results.reference_scenario;
    let year_text = year.map_or_else(String::new, |y| y.to_string());
    Chart {
        stem: "decile_gains",
        lang: l,
        title: l.fill(Term::DecileGainsTitle, &[reference, &year_text]),
        note: l.fill(Term::DecileGainsNote, &[&year_text]),
        x_label: l.t(Term::DecileAxis).to_owned(),
        y_label: l.t(Term::DecileGainAxis).to_owned(),
        legend_title: l.t(Term::Scenario).to_owned(),
        panel_column: None,
        columns: ["scenario".into(), "decile".into(), "gain_pct".into()],
        style: Style::GroupedBars,
        mark: None,
        panels: vec![Panel {
            title: String::new(),
            series,
        }],
    }
}

fn lorenz(view: &View<'_>) -> Chart {
    let l = view.results.lang;
    let rows = || {
        view.results
            .lorenz
            .iter()
            .filter(|r| r.concept == Income::Disposable)
    };
    let year = rows().map(|r| r.year).max();
    let series = scenario_names(view)
        .map(|s| Series {
            name: s.to_owned(),
            labels: Vec::new(),
            points: rows()
                .filter(|r| r.scenario == s && Some(r.year) == year)
                .map(|r| (r.population_share, r.income_share))
                .collect(),
        })
        .collect();
    let year_text = year.map_or_else(String::new, |y| y.to_string());
    Chart {
        stem: "lorenz",
        lang: l,
        title: l.fill(Term::LorenzTitle, &[&year_text]),
        note: l.fill(Term::LorenzNote, &[&year_text]),
        x_label: l.t(Term::LorenzX).to_owned(),
        y_label: l.t(Term::LorenzY).to_owned(),
        legend_title: l.t(Term::Scenario).to_owned(),
        panel_column: None,
        columns: [
            "scenario".into(),
            "population_share".into(),
            "income_share".into(),
        ],
        style: Style::Lorenz,
        mark: None,
        panels: vec![Panel {
            title: String::new(),
            series,
        }],
    }
}

/// One point per reform in the final year: x = its government cost minus the reference's, in 亿元;
/// y = its Gini minus the reference's, in points.
fn cost_effectiveness(view: &View<'_>) -> Chart {
    let l = view.results.lang;
    let reference = view.results.reference_scenario.as_str();
    let year = view.years().last().copied();
    let point = |s: &str| {
        let y = year?;
        let cost = view.government_cost(s, y)? - view.government_cost(reference, y)?;
        let gini = view.national(s, &GINI, y)? - view.national(reference, &GINI, y)?;
        Some((cost / YUAN_PER_YI, gini * POINTS_PER_GINI))
            .filter(|p| p.0.is_finite() && p.1.is_finite())
    };
    let series = view
        .reforms()
        .map(|s| Series {
            name: s.to_owned(),
            labels: Vec::new(),
            points: point(s).into_iter().collect(),
        })
        .collect();
    let year_text = year.map_or_else(String::new, |y| y.to_string());
    Chart {
        stem: "cost_effectiveness",
        lang: l,
        title: l.fill(Term::CostEffectivenessTitle, &[reference, &year_text]),
        note: l.fill(Term::CostEffectivenessNote, &[&year_text]),
        x_label: l.t(Term::ExtraCostAxis).to_owned(),
        y_label: l.t(Term::GiniChangeAxis).to_owned(),
        legend_title: l.t(Term::Scenario).to_owned(),
        panel_column: None,
        columns: [
            "scenario".into(),
            "extra_cost_100m_yuan".into(),
            "gini_change_points".into(),
        ],
        style: Style::LabelledPoints,
        mark: None,
        panels: vec![Panel {
            title: String::new(),
            series,
        }],
    }
}
