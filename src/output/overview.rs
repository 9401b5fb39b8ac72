//! The batch overview (issue 18, "provinces side by side"): with several groups, `index.html`
//! compares the groups' reference scenarios (a headline table for the first and the final year,
//! and charts of the headline indicators over the years, one line per group) and, for a reform
//! run in several groups, the same reform across them. Values are read back from each group's
//! `indicators.csv` (national, mean over replications); the only arithmetic is display: government
//! cost per person and differences against the group's reference.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use super::tables::read_indicators_csv;
use crate::Result;
use crate::charts::{Chart, Panel, Series, Style, write_chart};
use crate::report::terms::{Lang, Term};
use crate::report::{escape, head_cells};
use crate::results::{Income, Indicator, IndicatorRow};
use crate::rules::{FiscalLine, Program};

/// One group of the batch, as the overview sees it.
pub struct OverviewGroup<'a> {
    /// Group name (its folder under the run folder).
    pub name: &'a str,
    /// Its folder, holding `indicators.csv`.
    pub dir: &'a Path,
    /// Its reference scenario.
    pub reference: &'a str,
}

/// National means of one group: (scenario, indicator, year) -> value.
type Values = HashMap<(String, Indicator, i32), f64>;

/// The overview's sections as HTML, with the charts written into `charts_dir`
/// (`overview_<indicator>.{png,svg,csv}`). Groups without `indicators.csv` (every scenario
/// failed) are left out.
pub fn overview(charts_dir: &Path, groups: &[OverviewGroup<'_>], lang: Lang) -> Result<String> {
    let mut loaded: Vec<(&OverviewGroup<'_>, Values, Vec<i32>)> = Vec::new();
    for g in groups {
        let path = g.dir.join("indicators.csv");
        if !path.is_file() {
            continue;
        }
        let rows = read_indicators_csv(&path)?;
        let mut years: Vec<i32> = rows.iter().map(|r| r.year).collect();
        years.sort_unstable();
        years.dedup();
        loaded.push((g, national(rows), years));
    }
    let mut h = String::new();
    headline_table(&mut h, &loaded, lang);
    same_reform_table(&mut h, &loaded, lang);
    std::fs::create_dir_all(charts_dir).map_err(|e| crate::Error::io(charts_dir, e))?;
    for (stem, indicator, title) in [
        (
            "overview_gini",
            Indicator::Gini(Income::Disposable),
            Term::GiniTitle,
        ),
        (
            "overview_urban_rural_ratio",
            Indicator::UrbanRuralRatio(Income::Disposable),
            Term::UrbanRuralTitle,
        ),
        (
            "overview_poverty_rate_50",
            Indicator::PovertyRate(50),
            Term::PovertyRate50,
        ),
    ] {
        let chart = Chart {
            stem,
            lang,
            title: lang.t(title).to_owned(),
            note: String::new(),
            x_label: lang.t(Term::Year).to_owned(),
            y_label: lang.t(title).to_owned(),
            legend_title: lang.t(Term::Group).to_owned(),
            panel_column: None,
            columns: ["group".into(), "year".into(), indicator.to_string()],
            style: Style::Lines,
            mark: None,
            panels: vec![Panel {
                title: String::new(),
                series: loaded
                    .iter()
                    .map(|(g, values, years)| Series {
                        name: g.name.to_owned(),
                        labels: Vec::new(),
                        points: years
                            .iter()
                            .filter_map(|&y| {
                                let v = values.get(&(g.reference.to_owned(), indicator.clone(), y));
                                Some((f64::from(y), *v?)).filter(|p| p.1.is_finite())
                            })
                            .collect(),
                    })
                    .collect(),
            }],
        };
        if chart.panels[0].series.iter().all(|s| s.points.is_empty()) {
            continue;
        }
        let rendered = write_chart(charts_dir, &chart)?;
        let _ = writeln!(
            h,
            "<figure>{}<figcaption>{}. PNG: charts/{stem}.png.</figcaption></figure>",
            rendered
                .svg
                .replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1),
            escape(&rendered.title)
        );
    }
    Ok(h)
}

fn national(rows: Vec<IndicatorRow>) -> Values {
    rows.into_iter()
        .filter(|r| r.replication.is_none() && r.slice.is_national())
        .map(|r| ((r.scenario, r.indicator, r.year), r.value))
        .collect()
}

/// A headline cell as shown, from a group's values, a scenario and a year; `None` when absent.
type Cell = Box<dyn Fn(&Values, &str, i32) -> Option<String>>;

/// The columns of the headline table: head, value from the group's values.
fn columns() -> Vec<(Term, Cell)> {
    let get = |i: Indicator| {
        move |v: &Values, s: &str, y: i32| v.get(&(s.to_owned(), i.clone(), y)).copied()
    };
    let recipients = |name: &str| {
        let line = Program::named(name).map(|p| Indicator::Beneficiaries(FiscalLine::Program(p)));
        move |v: &Values, s: &str, y: i32| {
            line.as_ref()
                .and_then(|i| v.get(&(s.to_owned(), i.clone(), y)).copied())
                .map(|n| crate::report::grouped(n, 0))
        }
    };
    let gini = get(Indicator::Gini(Income::Disposable));
    let ratio = get(Indicator::UrbanRuralRatio(Income::Disposable));
    let poverty = get(Indicator::PovertyRate(50));
    let cost = get(Indicator::FiscalCostTotal);
    let population = get(Indicator::Population);
    vec![
        (
            Term::GiniD,
            Box::new(move |v, s, y| gini(v, s, y).map(|g| format!("{g:.3}"))),
        ),
        (
            Term::UrbanRuralRatioD,
            Box::new(move |v, s, y| ratio(v, s, y).map(|r| format!("{r:.2}"))),
        ),
        (
            Term::PovertyRate50,
            Box::new(move |v, s, y| {
                poverty(v, s, y).map(|p| format!("{}%", crate::report::grouped(p * 100.0, 1)))
            }),
        ),
        (Term::DibaoRecipients, Box::new(recipients("dibao"))),
        (Term::TekunRecipients, Box::new(recipients("tekun"))),
        (
            Term::CostPerPerson,
            Box::new(move |v, s, y| {
                let per = cost(v, s, y)? / population(v, s, y).filter(|p| *p > 0.0)?;
                Some(crate::report::grouped(per, 0))
            }),
        ),
    ]
}

/// Per group, the reference's headline figures in its first and final year.
fn headline_table(h: &mut String, loaded: &[(&OverviewGroup<'_>, Values, Vec<i32>)], lang: Lang) {
    let columns = columns();
    let heads = [Term::Group, Term::ReferenceScenario, Term::Year];
    let _ = write!(
        h,
        "<h2>{}</h2>\n<table>\n<tr>{}",
        lang.t(Term::GroupsSideBySide),
        head_cells(lang, &heads)
    );
    for (head, _) in &columns {
        let _ = write!(h, "<th>{}</th>", lang.t(*head));
    }
    h.push_str("</tr>\n");
    for (g, values, years) in loaded {
        let mut shown: Vec<i32> = years
            .first()
            .into_iter()
            .chain(years.last())
            .copied()
            .collect();
        shown.dedup();
        for y in shown {
            let _ = write!(
                h,
                "<tr><td><a href=\"{0}/report.html\">{0}</a></td><td>{1}</td><td class=\"num\">{y}</td>",
                escape(g.name),
                escape(g.reference)
            );
            for (_, value) in &columns {
                let text = value(values, g.reference, y).unwrap_or_else(|| "n/a".to_owned());
                let _ = write!(h, "<td class=\"num\">{text}</td>");
            }
            h.push_str("</tr>\n");
        }
    }
    h.push_str("</table>\n");
}

/// A reform (a scenario name other than the reference) present in several groups: its change in
/// the Gini of D (points) and in government cost per person against each group's reference, in
/// the group's final year.
fn same_reform_table(
    h: &mut String,
    loaded: &[(&OverviewGroup<'_>, Values, Vec<i32>)],
    lang: Lang,
) {
    let mut reforms: Vec<&str> = Vec::new();
    for (g, values, _) in loaded {
        for (s, _, _) in values.keys() {
            if s != g.reference && !reforms.contains(&s.as_str()) {
                reforms.push(s);
            }
        }
    }
    reforms.retain(|r| {
        loaded
            .iter()
            .filter(|(_, v, _)| v.keys().any(|(s, _, _)| s == r))
            .count()
            > 1
    });
    reforms.sort_unstable();
    if reforms.is_empty() {
        return;
    }
    let gini = Indicator::Gini(Income::Disposable);
    let heads = [
        Term::Scenario,
        Term::Group,
        Term::Year,
        Term::GiniChangePoints,
        Term::PovertyRate50,
    ];
    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<table>\n<tr>{}</tr>",
        lang.t(Term::SameReform),
        head_cells(lang, &heads)
    );
    for r in reforms {
        for (g, values, years) in loaded {
            let Some(&y) = years.last() else { continue };
            let at = |s: &str, i: &Indicator| values.get(&(s.to_owned(), i.clone(), y)).copied();
            let Some(g_reform) = at(r, &gini) else {
                continue;
            };
            let change = at(g.reference, &gini)
                .map(|b| crate::report::signed((g_reform - b) * 100.0, 2))
                .unwrap_or_else(|| "n/a".to_owned());
            let poverty = at(r, &Indicator::PovertyRate(50))
                .map(|p| format!("{}%", crate::report::grouped(p * 100.0, 1)))
                .unwrap_or_else(|| "n/a".to_owned());
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{y}</td><td class=\"num\">{change}</td><td class=\"num\">{poverty}</td></tr>",
                escape(r),
                escape(g.name)
            );
        }
    }
    h.push_str("</table>\n");
}
