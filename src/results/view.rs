//! Read-only lookups over [`RunResults`] for the charts and the report: national mean values by
//! scenario, indicator and year, and government cost by program line. Only selection and sums of
//! given figures, no indicator formula.

use super::{Indicator, RunResults};
use crate::rules::{FiscalLine, Payer};
use std::collections::HashMap;

/// Indexes the rows charts and the report use: the mean over replications (`replication` `None`)
/// of the whole population.
pub struct View<'a> {
    /// The results indexed.
    pub results: &'a RunResults,
    national: HashMap<(&'a str, &'a Indicator, i32), f64>,
    government_cost: HashMap<(&'a str, &'a FiscalLine, i32), f64>,
    programs: Vec<&'a FiscalLine>,
    years: Vec<i32>,
}

impl<'a> View<'a> {
    /// Builds the index in one pass over the rows.
    pub fn new(results: &'a RunResults) -> Self {
        let national = results
            .indicators
            .iter()
            .filter(|r| r.replication.is_none() && r.slice.is_national())
            .map(|r| ((r.scenario.as_str(), &r.indicator, r.year), r.value))
            .collect();
        let mut government_cost = HashMap::new();
        let mut programs = Vec::new();
        for r in &results.fiscal {
            if r.replication.is_some() || r.payer != Payer::Government {
                continue;
            }
            if !programs.contains(&&r.program) {
                programs.push(&r.program);
            }
            *government_cost
                .entry((r.scenario.as_str(), &r.program, r.year))
                .or_insert(0.0) += r.amount_yuan;
        }
        let mut years: Vec<i32> = results
            .indicators
            .iter()
            .map(|r| r.year)
            .chain(results.fiscal.iter().map(|r| r.year))
            .collect();
        years.sort_unstable();
        years.dedup();
        View {
            results,
            national,
            government_cost,
            programs,
            years,
        }
    }

    /// Years present in the indicators or fiscal rows, ascending.
    pub fn years(&self) -> &[i32] {
        &self.years
    }

    /// Program lines with government cost rows, in order of first appearance.
    pub fn programs(&self) -> &[&'a FiscalLine] {
        &self.programs
    }

    /// The national mean of `indicator` for a scenario and year, if present.
    pub fn national(&self, scenario: &str, indicator: &Indicator, year: i32) -> Option<f64> {
        self.national.get(&(scenario, indicator, year)).copied()
    }

    /// Government cost of one program line, yuan/year, if present.
    pub fn government_cost_of(
        &self,
        scenario: &str,
        program: &FiscalLine,
        year: i32,
    ) -> Option<f64> {
        self.government_cost
            .get(&(scenario, program, year))
            .copied()
    }

    /// Government cost summed over programs, yuan/year; `None` when the scenario has no
    /// government rows that year.
    pub fn government_cost(&self, scenario: &str, year: i32) -> Option<f64> {
        self.programs
            .iter()
            .filter_map(|p| self.government_cost_of(scenario, p, year))
            .fold(None, |acc, v| Some(acc.unwrap_or(0.0) + v))
    }

    /// Scenario names in run order, except the reference.
    pub fn reforms(&self) -> impl Iterator<Item = &'a str> {
        let reference = self.results.reference_scenario.as_str();
        self.results
            .scenarios
            .iter()
            .map(|s| s.name.as_str())
            .filter(move |s| *s != reference)
    }

    /// Years the summary shows (report and workbook): the first, the highlighted one (if given
    /// and simulated), the final.
    pub fn summary_years(&self) -> Vec<i32> {
        let years = self.years();
        let mut shown: Vec<i32> = years.first().into_iter().copied().collect();
        if let Some(y) = self.results.highlight_year.filter(|y| years.contains(y)) {
            shown.push(y);
        }
        shown.extend(years.last());
        shown.sort_unstable();
        shown.dedup();
        shown
    }
}
