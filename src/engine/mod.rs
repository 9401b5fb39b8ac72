//! The yearly engine (rules 8 and 9): for each year, dynamics then rules on every chunk of
//! households in parallel, then the year's outcomes go to an observer (indicators, writers).
//!
//! Invariants: the engine holds no formula (dynamics and rules do); chunks are fixed by household
//! count, never by thread count, and never split a collective; totals are `ExactSum`s; every draw is
//! keyed by (seed, replication, entity, year, purpose). Outputs are therefore bit-identical with any
//! thread count or chunk size, and scenarios share every draw.

pub mod chunks;

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::dynamics::{self, DemographicCounts, DrawContext, EntryModel};
use crate::error::{Error, Result};
use crate::population::{Collectives, Households, Persons, Population};
use crate::rules::{self, FiscalAccounts, Outcomes, YearRules, categorical::CategoricalProgram};
use crate::scenario::CompiledScenario;

/// How to run one scenario and replication.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    /// First simulated year (the population's year).
    pub start_year: i32,
    /// Last simulated year, inclusive.
    pub end_year: i32,
    /// Master seed of the draws.
    pub seed: u64,
    /// Replication number (0-based); changes every draw of the simulation.
    pub replication: u32,
    /// Households per chunk (results do not depend on it).
    pub chunk_households: usize,
    /// Static evaluation: one year, no dynamics, statutory-age employees retire within the year
    /// (rules 10).
    pub static_year: bool,
}

/// One chunk of households and its buffers, owned by one task at a time.
#[derive(Debug, Default)]
pub struct Chunk {
    /// Persons of the chunk this year.
    pub persons: Persons,
    /// Households of the chunk this year (rows local to the chunk).
    pub households: Households,
    /// Per-person outcomes of this year's rules.
    pub outcomes: Outcomes,
}

/// The buffers the dynamics write next year's chunk into. A task takes one, fills it, keeps it as
/// its chunk and gives the chunk's old buffers back; so the pool holds about one pair per thread
/// rather than one per chunk (the buffers are storage only: results do not depend on which a
/// chunk gets).
#[derive(Debug, Default)]
struct SparePool(Mutex<Vec<(Persons, Households)>>);

impl SparePool {
    fn take(&self) -> (Persons, Households) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop()
            .unwrap_or_default()
    }

    fn give(&self, spare: (Persons, Households)) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(spare);
    }
}

/// What the engine hands to the observer after each year.
pub struct YearView<'a> {
    /// Calendar year.
    pub year: i32,
    /// The chunks, in household order.
    pub chunks: &'a [Chunk],
    /// Fiscal accounts of the year, merged over chunks and finalised (fund deficits applied).
    pub fiscal: &'a FiscalAccounts,
    /// What the dynamics did this year (zero in the start year).
    pub demography: DemographicCounts,
    /// Region codes; households hold indices into this list.
    pub regions: &'a [String],
    /// Rules of the year, for per-region standards and parameters the indicators need.
    pub rules: &'a YearRules,
}

/// Runs one scenario (compiled for the population's regions and the configured years) and
/// replication on a copy of `population`, calling `observe` after each year. Stops with
/// [`Error::Interrupted`] at the next year boundary once `cancel` is set.
pub fn simulate(
    scenario: &CompiledScenario,
    population: &Population,
    cfg: &EngineConfig,
    cancel: &AtomicBool,
    mut observe: impl FnMut(&YearView<'_>) -> Result<()>,
) -> Result<()> {
    if cfg.end_year < cfg.start_year || (cfg.static_year && cfg.end_year != cfg.start_year) {
        return Err(Error::Undefined(format!(
            "years {}..{}: a run needs start <= end, and a static run exactly one year",
            cfg.start_year, cfg.end_year
        )));
    }
    let mut chunks: Vec<Chunk> = chunks::boundaries(&population.households, cfg.chunk_households)
        .into_iter()
        .map(|range| {
            let (persons, households) = chunks::extract(population, range);
            Chunk {
                persons,
                households,
                ..Default::default()
            }
        })
        .collect();
    let regions = &population.regions;
    let collectives: &Collectives = &population.collectives;
    let mut entry =
        EntryModel::estimate(&population.persons, &population.households, regions.len());
    let spares = SparePool::default();
    for year in cfg.start_year..=cfg.end_year {
        if cancel.load(Ordering::Relaxed) {
            return Err(Error::Interrupted);
        }
        let params = scenario.year(year).ok_or_else(|| {
            Error::Undefined(format!(
                "year {year} is not among the years the scenario was compiled for"
            ))
        })?;
        let rules = YearRules {
            year,
            start_year: cfg.start_year,
            static_year: cfg.static_year,
            seed: cfg.seed,
            replication: cfg.replication,
            params: params.rules.clone(),
            programs: params
                .programs
                .iter()
                .map(|p| CategoricalProgram::new(p.clone(), regions))
                .collect(),
        };
        let draws = DrawContext {
            year,
            seed: cfg.seed,
            replication: cfg.replication,
        };
        let demography = if year > cfg.start_year {
            for (r, models) in entry.iter_mut().enumerate() {
                for (res, model) in models.iter_mut().enumerate() {
                    model.grow(&params.dynamics[r][res]);
                }
            }
            chunks
                .par_iter_mut()
                .map(|c| {
                    let (mut persons, mut households) = spares.take();
                    let counts = dynamics::step(
                        &c.persons,
                        &c.households,
                        &mut persons,
                        &mut households,
                        &params.dynamics,
                        &entry,
                        draws,
                    );
                    std::mem::swap(&mut c.persons, &mut persons);
                    std::mem::swap(&mut c.households, &mut households);
                    spares.give((persons, households));
                    counts
                })
                .collect::<Vec<_>>()
                .iter()
                .fold(DemographicCounts::default(), |mut total, part| {
                    total.merge(part);
                    total
                })
        } else {
            DemographicCounts::default()
        };
        let partials: Vec<FiscalAccounts> = chunks
            .par_iter_mut()
            .map(|c| {
                rules::apply_year(
                    &mut c.persons,
                    &c.households,
                    collectives,
                    &rules,
                    &mut c.outcomes,
                )
            })
            .collect::<Result<_>>()?;
        let mut fiscal =
            FiscalAccounts::new(rules.programs.iter().map(|p| p.program.name.as_str()));
        for part in &partials {
            fiscal.merge(part);
        }
        fiscal.finalize(&rules.deficit_shares());
        observe(&YearView {
            year,
            chunks: &chunks,
            fiscal: &fiscal,
            demography,
            regions,
            rules: &rules,
        })?;
    }
    Ok(())
}
