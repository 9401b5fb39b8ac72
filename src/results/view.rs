//! Read-only lookups over [`RunResults`] for the charts and the report: national mean values by
//! scenario, indicator and year, and government cost by program. Only selection and sums of given
//! figures, no indicator formula.

use super::{RunResults, names};
use std::collections::HashMap;

/// Indexes the rows charts and the report use: the mean over replications (`replication` `None`),
/// region and residence `"all"`.
pub struct View<'a> {
    /// The results indexed.
    pub results: &'a RunResults,
    national: HashMap<(&'a str, &'a str, i32), f64>,
    government_cost: HashMap<(&'a str, &'a str, i32), f64>,
    programs: Vec<&'a str>,
    years: Vec<i32>,
}

impl<'a> View<'a> {
    /// Builds the index in one pass over the rows.
    pub fn new(results: &'a RunResults) -> Self {
        let national = results
            .indicators
            .iter()
            .filter(|r| {
                r.replication.is_none() && r.region == names::ALL && r.residence == names::ALL
            })
            .map(|r| ((r.scenario.as_str(), r.indicator.as_str(), r.year), r.value))
            .collect();
        let mut government_cost = HashMap::new();
        let mut programs = Vec::new();
        for r in &results.fiscal {
            if r.replication.is_some() || r.payer != names::PAYER_GOVERNMENT {
                continue;
            }
            if !programs.contains(&r.program.as_str()) {
                programs.push(r.program.as_str());
            }
            *government_cost
                .entry((r.scenario.as_str(), r.program.as_str(), r.year))
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

    /// Programs with government cost rows, in order of first appearance.
    pub fn programs(&self) -> &[&'a str] {
        &self.programs
    }

    /// The national mean of `indicator` for a scenario and year, if present.
    pub fn national(&self, scenario: &str, indicator: &str, year: i32) -> Option<f64> {
        self.national.get(&(scenario, indicator, year)).copied()
    }

    /// Government cost of one program, yuan/year, if present.
    pub fn government_cost_of(&self, scenario: &str, program: &str, year: i32) -> Option<f64> {
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
}
