//! Runs kept in memory (docs/python.md): scenarios on one shared start population, simulated as
//! one group of a batch is (reference first, common random numbers, the same rows, differences
//! and means through [`assemble_group`]), and returned as typed [`RunResults`] instead of being
//! written. The Python package's `gongfu.run` calls this. Unlike a batch, the first failure is the
//! error: there is no run folder to record it in. Glue only: no policy here.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use super::batch::{Outcome, SUMMARY_FILE, write_summary};
use super::microdata::MicrodataOut;
use super::{
    Group, GroupEntry, PopulationKey, Ranking, RunOptions, Settings, assemble_group,
    simulate_scenario, timestamp,
};
use crate::error::{Error, Result};
use crate::population::Population;
use crate::results::{RunResults, ScenarioStatus, Timing};
use crate::rules::Demand;
use crate::scenario::Scenario;

/// One simulated year of a run in memory, for progress reports.
#[derive(Debug, Clone, Copy)]
pub struct Step<'a> {
    /// The scenario simulated.
    pub scenario: &'a str,
    /// Its replication (0-based).
    pub replication: u32,
    /// The year just simulated.
    pub year: i32,
    /// Simulated years done so far, over every scenario and replication.
    pub done: u64,
    /// Simulated years the run plans.
    pub total: u64,
}

/// A finished run in memory: its results and what they were computed from.
#[derive(Debug, Clone)]
pub struct MemoryRun {
    /// The results, as a batch would write them (run name empty).
    pub results: RunResults,
    /// The scenarios, reference first (the order of the results).
    pub scenarios: Vec<Scenario>,
    /// The shared settings.
    pub settings: Settings,
    /// Region codes of the start population, in its order.
    pub regions: Vec<String>,
    /// Where the start population came from, as the manifest states it.
    pub population: String,
}

/// Runs `scenarios` (at least one) with the overrides of `opts` on their shared start population
/// and returns the results. The reference is the scenario with `reference = true`, else the
/// first. Errors: scenarios on different populations or with equal names, a scenario that does
/// not compile or fails to run, [`Error::Interrupted`] once `cancel` is set (at the next year
/// boundary). Microdata (replication 0) go to `microdata` when given. `progress` is called after
/// every simulated year.
pub fn run_in_memory(
    mut scenarios: Vec<Scenario>,
    opts: &RunOptions,
    microdata: Option<MicrodataOut<'_>>,
    cancel: &AtomicBool,
    mut progress: impl FnMut(&Step<'_>),
) -> Result<MemoryRun> {
    let started_at = timestamp().1;
    let Some(first) = scenarios.first() else {
        return Err(Error::Undefined("no scenario to run".into()));
    };
    let key = PopulationKey::of(opts, first)?;
    for (i, s) in scenarios.iter().enumerate() {
        let other = PopulationKey::of(opts, s)?;
        if other != key {
            return Err(config_error(
                s,
                format!(
                    "scenario `{}` runs on {}, scenario `{}` on {}; one run shares one start population",
                    s.name,
                    other.describe(),
                    first.name,
                    key.describe()
                ),
            ));
        }
        if scenarios[..i].iter().any(|t| t.name == s.name) {
            return Err(config_error(
                s,
                format!(
                    "another scenario is also named `{}`; names must differ",
                    s.name
                ),
            ));
        }
    }
    let r = scenarios.iter().position(|s| s.reference).unwrap_or(0);
    let reference = scenarios.remove(r);
    scenarios.insert(0, reference);
    let settings = Settings::resolve(opts, &scenarios[0])?;
    let clock = Instant::now();
    let population: Population = key.load()?;
    let timings = vec![Timing {
        step: format!("load population {}", key.describe()),
        seconds: clock.elapsed().as_secs_f64(),
    }];
    let demand = Demand {
        disability_grades: population.persons.disability_grades_present(),
    };
    let compiled = scenarios
        .iter()
        .map(|s| s.compile(&population.regions, settings.years, demand))
        .collect::<Result<Vec<_>>>()?;
    let total = settings.steps() * scenarios.len() as u64;
    let mut done = 0;
    let mut snapshot = None;
    let mut ran = Vec::with_capacity(scenarios.len());
    for (i, c) in compiled.iter().enumerate() {
        let ranking = match (i, &snapshot) {
            (0, _) => Ranking::Own,
            (_, Some(s)) => Ranking::Reference(s),
            (_, None) => Ranking::Unavailable,
        };
        let clock = Instant::now();
        let name = &scenarios[i].name;
        let (rows, own) = simulate_scenario(
            c,
            &population,
            &settings,
            ranking,
            microdata,
            cancel,
            |rep, year| {
                done += 1;
                progress(&Step {
                    scenario: name,
                    replication: rep,
                    year,
                    done,
                    total,
                });
            },
        )?;
        if own.is_some() {
            snapshot = own;
        }
        ran.push((rows, clock.elapsed().as_secs_f64()));
    }
    let entries = scenarios
        .iter()
        .zip(&ran)
        .map(|(scenario, (rows, seconds))| GroupEntry {
            scenario,
            status: ScenarioStatus::Done,
            reason: None,
            rows: Some(rows),
            seconds: Some(*seconds),
        })
        .collect();
    let results = assemble_group(
        String::new(),
        &Group {
            entries,
            load_failures: Vec::new(),
            settings,
            population: &population,
            population_key: &key,
            timings,
            started_at,
            command_line: &opts.command_line,
        },
    )?;
    Ok(MemoryRun {
        results,
        scenarios,
        settings,
        regions: population.regions.clone(),
        population: key.describe(),
    })
}

/// A run-level error about `scenario`, naming its file.
fn config_error(scenario: &Scenario, message: String) -> Error {
    Error::Config {
        file: super::scenario_file(scenario),
        line: None,
        column: None,
        message,
        hint: None,
    }
}

impl MemoryRun {
    /// Writes the run folder a batch of these scenarios writes ([`crate::output::write_run`]:
    /// tables, manifest, charts, report; then `summary.csv`), named after `dir`. Not written:
    /// `run.log` and the saved rows `--resume` reads, which belong to a batch's progress.
    pub fn write(&self, dir: &Path) -> Result<()> {
        let mut results = self.results.clone();
        results.run_name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        crate::output::write_run(dir, &results)?;
        let group = super::microdata::sanitize(&self.scenarios[0].name);
        let outcomes: Vec<Outcome> = self
            .scenarios
            .iter()
            .map(|s| Outcome {
                group: group.clone(),
                scenario: s.name.clone(),
                status: ScenarioStatus::Done,
                reason: None,
            })
            .collect();
        write_summary(&dir.join(SUMMARY_FILE), &outcomes)
    }
}
