//! The report's "Income basis" table (spec indicators.md, "Survey basis"): for each summary year
//! and scenario, the national mean and median of D on the census basis (the population's own
//! urban share) beside the survey basis (the statistics bureau's urban share), and the Gini of D
//! on both; in 2022 the bureau's published figures under them, with the reason its Gini is out of
//! reach on the survey basis. Values are read as the run computed them.

use std::fmt::Write as _;

use super::terms::Term;
use super::{cell, escape, grouped, opt};
use crate::results::view::View;
use crate::results::{Income, IncomeBasis, Indicator};

/// Columns: indicator, decimals (yuan whole, Gini 3) and head.
const COLUMNS: [(Indicator, usize, Term); 6] = [
    (
        Indicator::Mean(Income::Disposable),
        0,
        Term::BasisMeanCensus,
    ),
    (Indicator::SurveyBasisMean, 0, Term::BasisMeanSurvey),
    (
        Indicator::Median(Income::Disposable),
        0,
        Term::BasisMedianCensus,
    ),
    (Indicator::SurveyBasisMedian, 0, Term::BasisMedianSurvey),
    (
        Indicator::Gini(Income::Disposable),
        3,
        Term::BasisGiniCensus,
    ),
    (Indicator::SurveyBasisGini, 3, Term::BasisGiniSurvey),
];

/// The statistics bureau's national figures of 2022, survey basis: mean, median and Gini of
/// per-capita disposable income ([national.income] mean_2022, median_2022, gini_2022 of
/// ../shared/data/calibration_targets.toml), in the survey-basis columns.
const OFFICIAL_2022: [Option<f64>; 6] = [
    None,
    Some(36_883.0),
    None,
    Some(31_370.0),
    None,
    Some(0.467),
];

/// Writes the section.
pub(super) fn income_basis(h: &mut String, view: &View<'_>) {
    let l = view.results.lang;
    let population = &view.results.manifest.population;
    let source = escape(&population.source);
    let statement = match population.income_basis {
        IncomeBasis::File => l.fill(Term::BasisFile, &[&source]),
        IncomeBasis::Survey => l.fill(Term::BasisSurvey, &[&source]),
        IncomeBasis::TopIncomes { quantile, gini } => l.fill(
            Term::BasisTopIncomes,
            &[&source, &format!("{quantile}"), &format!("{gini}")],
        ),
    };
    let _ = write!(
        h,
        "<h2 id=\"basis\">{}</h2>\n<p>{}</p>\n<p>{statement}</p>\n",
        l.t(Term::BasisHeading),
        l.t(Term::BasisIntro)
    );
    for year in view.summary_years() {
        let _ = write!(
            h,
            "<h3>{year}</h3>\n<table class=\"summary\">\n<tr><th>{}</th>",
            l.t(Term::Scenario)
        );
        for (_, _, head) in &COLUMNS {
            let _ = write!(h, "<th>{}</th>", l.t(*head));
        }
        h.push_str("</tr>\n");
        for s in &view.results.scenarios {
            let _ = write!(h, "<tr><td>{}</td>", escape(&s.name));
            for (indicator, decimals, _) in &COLUMNS {
                let value = view.national(&s.name, indicator, year);
                h.push_str(&cell(&opt(value, |v| grouped(v, *decimals))));
            }
            h.push_str("</tr>\n");
        }
        if year == 2022 {
            let _ = write!(h, "<tr><td>{}</td>", l.t(Term::BasisOfficial));
            for ((_, decimals, _), official) in COLUMNS.iter().zip(OFFICIAL_2022) {
                h.push_str(&cell(
                    &official.map_or(String::new(), |v| grouped(v, *decimals)),
                ));
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</table>\n");
        if year == 2022 {
            let _ = writeln!(h, "<p>{}</p>", l.t(Term::BasisBounds));
        }
    }
}
