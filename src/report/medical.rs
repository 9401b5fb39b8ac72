//! The report's "Medical hardship" section (spec indicators.md, "Poverty", v1.3): for each summary
//! year, per scenario, the impoverishment rates by medical spending (因病致贫), catastrophic health
//! spending, poverty on D against D_health, the Gini of D_health, and the two medical-insurance
//! funds' flows; then the chart of the impoverishment rate by scenario and year. Values are read
//! as the run computed them; only percent and 亿元 formatting happens here.

use std::fmt::Write as _;

use super::{
    YUAN_PER_YI, cell, chart_figure, escape, figure, grouped, percent, signed, summary_years,
};
use crate::charts::{IMPOVERISHMENT_CHART, RenderedChart};
use crate::results::view::View;
use crate::results::{Fund, Income, Indicator};

/// Shares shown as percent, with their column heads.
const HARDSHIP: [(Indicator, &str); 6] = [
    (
        Indicator::ImpoverishmentRate(50),
        "Impoverished by medical spending, 50% of median",
    ),
    (
        Indicator::ImpoverishmentBelowDibao,
        "Impoverished by medical spending, dibao line",
    ),
    (
        Indicator::CatastrophicHealthSpending(10),
        "Catastrophic spending, over 10% of D",
    ),
    (
        Indicator::CatastrophicHealthSpending(25),
        "Catastrophic spending, over 25% of D",
    ),
    (Indicator::PovertyRate(50), "Poverty, 50% of median (D)"),
    (
        Indicator::HealthPovertyRate(50),
        "Poverty, 50% of median (D_health)",
    ),
];

/// The medical-insurance funds whose flows the section shows.
const MEDICAL_FUNDS: [&str; 2] = ["employee_medical_fund", "resident_medical_fund"];

/// Writes the section: tables by summary year, then the impoverishment chart when it was drawn.
pub(super) fn medical_hardship(h: &mut String, view: &View<'_>, charts: &[RenderedChart]) {
    let r = view.results;
    h.push_str(
        "<h2 id=\"medical\">Medical hardship</h2>\n<p>Medical out-of-pocket is what remains of \
         medical need after basic medical insurance, critical-illness insurance, huiminbao and \
         medical assistance. D_health = D less medical out-of-pocket and the huiminbao premium; the \
         poverty lines are D's. Shares of persons, national.</p>\n",
    );
    for year in summary_years(view) {
        let _ = write!(
            h,
            "<h3>{year}</h3>\n<table class=\"summary\">\n<tr><th>Scenario</th>"
        );
        for (_, head) in &HARDSHIP {
            let _ = write!(h, "<th>{}</th>", escape(head));
        }
        h.push_str("<th>Gini (D_health)</th><th>Change in Gini (D_health) vs reference, points</th></tr>\n");
        let gini = |s: &str| view.national(s, &Indicator::Gini(Income::DisposableHealth), year);
        for s in &r.scenarios {
            let name = s.name.as_str();
            let _ = write!(h, "<tr><td>{}</td>", escape(name));
            for (indicator, _) in &HARDSHIP {
                h.push_str(&cell(&figure(view.national(name, indicator, year), |v| {
                    percent(v, 2)
                })));
            }
            h.push_str(&cell(&figure(gini(name), |v| format!("{v:.3}"))));
            let change = if name == r.reference_scenario {
                "reference".to_owned()
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
        chart_figure(h, c);
    }
}

/// Contributions, benefits and balance of the medical-insurance funds, 亿元, per scenario.
fn fund_table(h: &mut String, view: &View<'_>, year: i32) {
    let funds: Vec<(&str, Fund)> = MEDICAL_FUNDS
        .iter()
        .filter_map(|name| Some((*name, Fund::named(name)?)))
        .collect();
    let _ = write!(
        h,
        "<table>\n<tr><th>Scenario, {year}</th>{}</tr>\n",
        funds
            .iter()
            .map(|(name, _)| format!(
                "<th>{name}: contributions, benefits, balance, <span class=\"unit\">亿元</span></th>"
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
