//! Which population a group of scenarios runs on: a file, or a spec generated with a number of
//! persons and a seed; how the manifest names it and its income basis.

use std::path::{Path, PathBuf};

use super::{RunOptions, scenario_file};
use crate::error::{Error, Result};
use crate::population::{self, Population};
use crate::results::IncomeBasis;
use crate::scenario::{PopulationSource, Scenario};

/// Where a start population comes from once the command-line overrides are applied. Scenarios
/// with equal keys share one population (and form one group of a batch).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum PopulationKey {
    /// A population file (.parquet or .csv): `--population` or the scenario's `file`.
    File(PathBuf),
    /// Generated from a synthetic-population spec.
    Generated {
        /// The spec file.
        spec: PathBuf,
        /// Sample persons (`--persons`, else the scenario's `persons`).
        persons: usize,
        /// Generation seed (`[population] seed`, else the scenario's `seed`).
        seed: u64,
    },
}

impl PopulationKey {
    /// The population `scenario` runs on: `--population`, else its `[population]` section (with
    /// `--persons`). Errors name the scenario file when it has no population.
    pub fn of(opts: &RunOptions, scenario: &Scenario) -> Result<PopulationKey> {
        if let Some(path) = &opts.population {
            return Ok(PopulationKey::File(path.clone()));
        }
        match &scenario.population {
            Some(PopulationSource::File(path)) => Ok(PopulationKey::File(path.clone())),
            Some(PopulationSource::Generated {
                spec,
                persons,
                seed,
            }) => Ok(PopulationKey::Generated {
                spec: spec.clone(),
                persons: opts.persons.unwrap_or(*persons as usize),
                seed: seed.unwrap_or(scenario.seed),
            }),
            None => Err(Error::Config {
                file: scenario_file(scenario),
                line: None,
                column: None,
                message: "no population: the scenario has no [population] section".into(),
                hint: Some(
                    "give `--population FILE`, or a [population] section with `spec` and `persons`, or `file`"
                        .into(),
                ),
            }),
        }
    }

    /// Reads or generates the population.
    pub fn load(&self) -> Result<Population> {
        match self {
            PopulationKey::File(path) => population::io::read(path),
            PopulationKey::Generated {
                spec,
                persons,
                seed,
            } => {
                let spec_data = crate::synth::load_spec(spec)?;
                Ok(crate::synth::generate(&spec_data, *persons, *seed)?.0)
            }
        }
    }

    /// Whether the population has the top-incomes tail (its spec read again; a file: unknown).
    pub fn income_basis(&self) -> Result<IncomeBasis> {
        match self {
            PopulationKey::File(_) => Ok(IncomeBasis::File),
            PopulationKey::Generated { spec, .. } => {
                let spec = crate::synth::load_spec(spec)?;
                Ok(match spec.income.top_incomes {
                    Some(t) => IncomeBasis::TopIncomes {
                        quantile: t.quantile,
                        gini: t.gini,
                    },
                    None => IncomeBasis::Survey,
                })
            }
        }
    }

    /// The source as the manifest states it.
    pub fn describe(&self) -> String {
        match self {
            PopulationKey::File(path) => path.display().to_string(),
            PopulationKey::Generated {
                spec,
                persons,
                seed,
            } => format!(
                "{} (generated, {persons} persons, seed {seed})",
                spec.display()
            ),
        }
    }

    /// The file the population is read or generated from.
    pub fn file(&self) -> &Path {
        match self {
            PopulationKey::File(path) | PopulationKey::Generated { spec: path, .. } => path,
        }
    }
}
