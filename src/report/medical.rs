//! The report's "Medical hardship" section (spec indicators.md, "Poverty", v1.3): for each summary
//! year, per scenario, the impoverishment rates by medical spending (因病致贫), catastrophic health
//! spending, poverty on D against D_health, the Gini of D_health, and the two medical-insurance
//! funds' flows, with the inpatient admissions per 100 persons and the persons whose resident
//! premium the government pays (资助参保); then the chart of the impoverishment rate by scenario
//! and year. Values are read as the run computed them; only percent, persons and 亿元 formatting
//! happens here.

use std::fmt::Write as _;

use super::terms::{self, Term};
use super::{YUAN_PER_YI, cell, chart_figure, escape, figure, grouped, percent, signed};
use crate::charts::{IMPOVERISHMENT_CHART, RenderedChart};
use crate::results::view::View;
use crate::results::{Fund, Income, Indicator};

/// How a column's value is written.
type Format = fn(f64) -> String;

/// A share as percent with two decimals.
fn share(v: f64) -> String {
    percent(v, 2)
}

/// A rate per 100 persons with one decimal.
fn per_100(v: f64) -> String {
    format!("{v:.1}")
}

/// Weighted persons, whole and grouped.
fn persons(v: f64) -> String {
    grouped(v, 0)
}

/// The columns: indicator, head and format.
const HARDSHIP: [(Indicator, Term, Format); 8] = [
    (
        Indicator::ImpoverishmentRate(50),
        Term::Impoverishment50,
        share,
    ),
    (
        Indicator::ImpoverishmentBelowDibao,
        Term::ImpoverishmentDibao,
        share,
    ),
    (
        Indicator::CatastrophicHealthSpending(10),
        Term::Catastrophic10,
        share,
    ),
    (
        Indicator::CatastrophicHealthSpending(25),
        Term::Catastrophic25,
        share,
    ),
    (Indicator::PovertyRate(50), Term::PovertyD, share),
    (
        Indicator::HealthPovertyRate(50),
        Term::PovertyDHealth,
        share,
    ),
    (
        Indicator::InpatientAdmissionsPer100,
        Term::InpatientAdmissions,
        per_100,
    ),
    (
        Indicator::MedicalPremiumPaidPersons,
        Term::MedicalPremiumPaid,
        persons,
    ),
];

/// The medical-insurance funds whose flows the section shows.
const MEDICAL_FUNDS: [&str; 2] = ["employee_medical_fund", "resident_medical_fund"];

/// Writes the section: tables by summary year, then the impoverishment chart when it was drawn.
pub(super) fn medical_hardship(h: &mut String, view: &View<'_>, charts: &[RenderedChart]) {
    let r = view.results;
    let l = r.lang;
    let _ = writeln!(
        h,
        "<h2 id=\"medical\">{}</h2>\n<p>{}</p>",
        l.t(Term::MedicalHeading),
        l.t(Term::MedicalIntro)
    );
    for year in view.summary_years() {
        let _ = write!(
            h,
            "<h3>{year}</h3>\n<table class=\"summary\">\n<tr><th>{}</th>",
            l.t(Term::Scenario)
        );
        for (_, head, _) in &HARDSHIP {
            let _ = write!(h, "<th>{}</th>", escape(l.t(*head)));
        }
        let _ = writeln!(
            h,
            "<th>{}</th><th>{}</th></tr>",
            l.t(Term::GiniDHealth),
            l.t(Term::GiniDHealthChange)
        );
        let gini = |s: &str| view.national(s, &Indicator::Gini(Income::DisposableHealth), year);
        for s in &r.scenarios {
            let name = s.name.as_str();
            let _ = write!(h, "<tr><td>{}</td>", escape(name));
            for (indicator, _, format) in &HARDSHIP {
                h.push_str(&cell(&figure(view.national(name, indicator, year), format)));
            }
            h.push_str(&cell(&figure(gini(name), |v| format!("{v:.3}"))));
            let change = if name == r.reference_scenario {
                l.t(Term::Reference).to_owned()
            } else {
                figure(
                    gini(name)
                        .zip(gini(&r.reference_scenario))
                        .map(|(a, b)| a - b),
                    |d| signed(d * 100.0, 2),
                )
            };
            h.push_str(&cell(&change));
            h.push_str("</tr>\n");
        }
        h.push_str("</table>\n");
        fund_table(h, view, year);
    }
    if let Some(c) = charts.iter().find(|c| c.stem == IMPOVERISHMENT_CHART) {
        chart_figure(h, l, c);
    }
}

/// Contributions, benefits and balance of the medical-insurance funds, 亿元, per scenario.
fn fund_table(h: &mut String, view: &View<'_>, year: i32) {
    let funds: Vec<(&str, Fund)> = MEDICAL_FUNDS
        .iter()
        .filter_map(|name| Some((*name, Fund::named(name)?)))
        .collect();
    let l = view.results.lang;
    let _ = write!(
        h,
        "<table>\n<tr><th>{}</th>{}</tr>\n",
        l.fill(Term::ScenarioInYear, &[&year.to_string()]),
        funds
            .iter()
            .map(|(name, _)| format!(
                "<th>{}</th>",
                l.fill(Term::FundFlows, &[terms::fund(l, name)])
            ))
            .collect::<String>()
    );
    for s in &view.results.scenarios {
        let _ = write!(h, "<tr><td>{}</td>", escape(&s.name));
        for (_, fund) in &funds {
            let flow = |i: Indicator| {
                figure(view.national(&s.name, &i, year), |v| {
                    grouped(v / YUAN_PER_YI, 1)
                })
            };
            let text = format!(
                "{} / {} / {}",
                flow(Indicator::FundContributions(*fund)),
                flow(Indicator::FundBenefits(*fund)),
                flow(Indicator::FundBalance(*fund)),
            );
            h.push_str(&cell(&text));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table>\n");
}
