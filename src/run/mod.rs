//! A run: scenarios on one shared start population, with common random numbers, over years and
//! replications; indicators per year; replication means and intervals; differences against the
//! reference scenario taken within each replication; deciles; microdata on request; everything
//! written by `output`. [`batch`] drives many scenarios (groups, progress, failures, resume). This
//! is glue between `scenario`, `engine`, `indicators` and `output`: it computes no policy.

pub mod batch;
pub mod collect;
pub mod folder;
pub mod memory;
pub mod memory_limit;
pub mod microdata;
mod population_key;
pub mod store;

pub use population_key::PopulationKey;

use crate::report::terms::Lang;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use crate::engine::{self, EngineConfig, chunks::DEFAULT_CHUNK_HOUSEHOLDS};
use crate::error::{Error, Result};
use crate::indicators::{self as ind, Distribution};
use crate::output;
use crate::params::ParamValue;
use crate::population::{Population, Residence};
use crate::results::{
    FiscalRow, HashedFile, IndicatorRow, LorenzRow, Manifest, ParameterDifference,
    PopulationManifest, RunResults, ScenarioDecile, ScenarioInfo, ScenarioManifest, ScenarioStatus,
    Timing, compare, frontier,
};
use crate::scenario::{CompiledScenario, GridPoint, Scenario, YearRange};
use collect::{Gathered, Labels, Workspace};

/// What the user asked for on the command line (overrides of the scenario files).
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Sample size (persons) of a generated population.
    pub persons: Option<usize>,
    /// Population file instead of the scenarios' sources.
    pub population: Option<PathBuf>,
    /// Master seed of the simulation draws.
    pub seed: Option<u64>,
    /// Years to simulate.
    pub years: Option<YearRange>,
    /// Number of replications.
    pub replications: Option<u32>,
    /// Language of the report, charts and workbook (`--lang`).
    pub lang: Option<Lang>,
    /// Static evaluation of one year (rules 10): no dynamics.
    pub static_year: bool,
    /// Write per-person microdata (replication 0), as Parquet.
    pub microdata: bool,
    /// Write the microdata as CSV as well (with `microdata`).
    pub microdata_csv: bool,
    /// Households per chunk (results do not depend on it).
    pub chunk_households: Option<usize>,
    /// The command line, for the manifest.
    pub command_line: String,
}

/// The scenario's own file (first of its `extends` chain), for error messages.
pub(super) fn scenario_file(scenario: &Scenario) -> PathBuf {
    scenario
        .files
        .first()
        .map(|f| f.path.clone())
        .unwrap_or_default()
}

/// UTC timestamp `YYYYMMDD-HHMMSS` (and an ISO form) from the system clock, without a date crate.
pub fn timestamp() -> (String, String) {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (h, m, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    (
        format!("{year:04}{month:02}{day:02}-{h:02}{m:02}{s:02}"),
        format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z"),
    )
}

/// Settings every scenario of a group shares: the reference scenario's, with the overrides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Simulated years.
    pub years: YearRange,
    /// Replications, >= 1.
    pub replications: u32,
    /// Master seed of the simulation draws.
    pub seed: u64,
    /// Households per chunk (results do not depend on it).
    pub chunk_households: usize,
    /// Static evaluation of one year (rules 10).
    pub static_year: bool,
    /// Language of the report, charts and workbook: `--lang`, else the reference scenario's
    /// `lang`, else English.
    pub lang: Lang,
}

impl Settings {
    /// The settings of a group whose reference scenario is `reference`; an error naming its file
    /// when no years are given.
    pub fn resolve(opts: &RunOptions, reference: &Scenario) -> Result<Settings> {
        let years = opts
            .years
            .or(reference.years)
            .ok_or_else(|| Error::Config {
                file: scenario_file(reference),
                line: None,
                column: None,
                message: "no years: the scenario sets no `years`".into(),
                hint: Some(
                    "give `--years 2022..2050` or `years = \"2022..2050\"` in the scenario".into(),
                ),
            })?;
        Ok(Settings {
            years,
            replications: opts.replications.unwrap_or(reference.replications).max(1),
            seed: opts.seed.unwrap_or(reference.seed),
            chunk_households: opts.chunk_households.unwrap_or(DEFAULT_CHUNK_HOUSEHOLDS),
            static_year: opts.static_year,
            lang: opts.lang.or(reference.lang).unwrap_or_default(),
        })
    }

    /// Simulated years times replications: the progress steps of one scenario.
    pub fn steps(&self) -> u64 {
        (self.years.end - self.years.start + 1) as u64 * u64::from(self.replications)
    }
}

/// Rows one scenario produced, per replication; means over replications and differences from the
/// reference are added when its group is assembled ([`write_group`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScenarioRows {
    /// Indicator rows, one per replication, year, slice and indicator.
    pub indicators: Vec<IndicatorRow>,
    /// Fiscal rows, one per replication, year, program and payer.
    pub fiscal: Vec<FiscalRow>,
    /// Lorenz points of D in the first and last year (replication 0).
    pub lorenz: Vec<LorenzRow>,
    /// Decile rows of the final year (replication 0), by the reference's ranking.
    pub deciles: Vec<ScenarioDecile>,
}

/// The reference scenario's per-person disposable income D in the final year, replication 0:
/// the ranking every scenario's decile table uses.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceSnapshot {
    /// Stable person ids, in person order.
    pub person_id: Vec<u64>,
    /// Per-capita household D of each person, yuan/year.
    pub disposable: Vec<f64>,
    /// Person weight.
    pub weight: Vec<f64>,
}

/// How a scenario gets its decile table.
#[derive(Debug, Clone, Copy)]
pub enum Ranking<'a> {
    /// The scenario is the reference: rank by its own D and take a [`ReferenceSnapshot`].
    Own,
    /// Rank by the reference's D.
    Reference(&'a ReferenceSnapshot),
    /// The reference has no results: no decile table.
    Unavailable,
}

/// Simulates one scenario (compiled for `population`'s regions and the settings' years) over
/// every replication and year on `population`, calling
/// `progress(replication, year)` after each simulated year. Returns its rows and, for
/// [`Ranking::Own`], the reference snapshot. Stops with [`Error::Interrupted`] at the next year
/// boundary once `cancel` is set. Microdata (replication 0) goes to `microdata` when given.
pub fn simulate_scenario(
    scenario: &CompiledScenario,
    population: &Population,
    settings: &Settings,
    ranking: Ranking<'_>,
    microdata: Option<microdata::MicrodataOut<'_>>,
    cancel: &AtomicBool,
    mut progress: impl FnMut(u32, i32),
) -> Result<(ScenarioRows, Option<ReferenceSnapshot>)> {
    let years = settings.years;
    let mut rows = ScenarioRows::default();
    let mut snapshot = None;
    let reference_distribution = match ranking {
        // A reference without persons ranks nobody: no decile table.
        Ranking::Reference(s) => Distribution::new(&s.disposable, &s.weight).ok(),
        Ranking::Own | Ranking::Unavailable => None,
    };
    let mut gathered = Gathered::default();
    let mut ws = Workspace::default();
    for replication in 0..settings.replications {
        let cfg = EngineConfig {
            start_year: years.start,
            end_year: years.end,
            seed: settings.seed,
            replication,
            chunk_households: settings.chunk_households,
            static_year: settings.static_year,
        };
        engine::simulate(scenario, population, &cfg, cancel, |view| {
            gathered.fill(view);
            let labels = Labels {
                scenario: &scenario.name,
                replication,
                year: view.year,
            };
            let with_lorenz =
                replication == 0 && (view.year == years.start || view.year == years.end);
            let year = collect::year_rows(
                &gathered,
                view.regions,
                view.fiscal,
                &view.demography,
                labels,
                &mut ws,
                with_lorenz,
            );
            rows.indicators.extend(year.indicators);
            rows.fiscal.extend(year.fiscal);
            rows.lorenz.extend(year.lorenz);
            if replication == 0 && view.year == years.end {
                let own;
                let by = match (&ranking, &reference_distribution) {
                    (Ranking::Own, _) => {
                        snapshot = Some(ReferenceSnapshot {
                            person_id: gathered.person_id.clone(),
                            disposable: gathered.disposable.clone(),
                            weight: gathered.weight.clone(),
                        });
                        // Nobody alive: no ranking, no decile table.
                        own = Distribution::new(&gathered.disposable, &gathered.weight).ok();
                        own.as_ref()
                    }
                    // Deciles compare the same persons; a scenario whose dynamics changed who
                    // is alive has no decile table.
                    (Ranking::Reference(s), Some(d)) if s.person_id == gathered.person_id => {
                        Some(d)
                    }
                    _ => None,
                };
                if let Some(by) = by {
                    for row in ind::decile_table(by, &gathered.components())? {
                        rows.deciles.push(ScenarioDecile {
                            scenario: scenario.name.clone(),
                            year: view.year,
                            row,
                        });
                    }
                }
            }
            if let Some(out) = microdata.filter(|_| replication == 0) {
                microdata::write(out, &scenario.name, view)?;
            }
            progress(replication, view.year);
            Ok(())
        })?;
    }
    Ok((rows, snapshot))
}

/// One scenario of a group as its outputs report it.
#[derive(Debug, Clone)]
pub struct GroupEntry<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// How it ended in this run (`skipped` with rows: unchanged since a resumed run).
    pub status: ScenarioStatus,
    /// Why it failed, was interrupted or skipped.
    pub reason: Option<String>,
    /// Its rows, when it completed (now or in the run being resumed).
    pub rows: Option<&'a ScenarioRows>,
    /// Wall-clock seconds it took in this run, when it ran.
    pub seconds: Option<f64>,
}

/// A group of scenarios ready to be written: the reference first, then the others in run order.
#[derive(Debug, Clone)]
pub struct Group<'a> {
    /// Scenarios, reference first.
    pub entries: Vec<GroupEntry<'a>>,
    /// Files that belong to the group's manifest but failed before they became scenarios.
    pub load_failures: Vec<ScenarioManifest>,
    /// Shared settings.
    pub settings: Settings,
    /// The shared start population.
    pub population: &'a Population,
    /// Where it came from.
    pub population_key: &'a PopulationKey,
    /// Extra timed steps (loading the population), before the scenarios'.
    pub timings: Vec<Timing>,
    /// Start time, RFC 3339 UTC.
    pub started_at: String,
    /// The command line.
    pub command_line: &'a str,
}

/// Assembles a group (differences from the reference, replication means) and writes its full
/// outputs into `dir` with [`output::write_run`]; the run is named after the folder.
pub fn write_group(dir: &Path, group: &Group<'_>) -> Result<()> {
    let run_name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    output::write_run(dir, &assemble_group(run_name, group)?)
}

/// The results of a group as they are written: every completed scenario's rows, the differences
/// from the reference, the means over replications, the parameter differences and the manifest
/// (finished now), under `run_name`.
pub fn assemble_group(run_name: String, group: &Group<'_>) -> Result<RunResults> {
    let reference = group.entries[0].scenario;
    let settings = &group.settings;
    let regions = &group.population.regions;
    let mut indicators = Vec::new();
    let mut fiscal = Vec::new();
    let mut lorenz = Vec::new();
    let mut deciles = Vec::new();
    let mut done = Vec::new();
    for e in &group.entries {
        if let Some(r) = e.rows {
            indicators.extend_from_slice(&r.indicators);
            fiscal.extend_from_slice(&r.fiscal);
            lorenz.extend_from_slice(&r.lorenz);
            deciles.extend_from_slice(&r.deciles);
            done.push(e.scenario.name.as_str());
        }
    }
    let changes = compare::differences(&indicators, &reference.name, &done);
    indicators.extend(changes);
    let indicators = compare::with_replication_means(indicators)?;
    let grid_points: Vec<(&str, &GridPoint)> = group
        .entries
        .iter()
        .filter(|e| e.rows.is_some())
        .filter_map(|e| Some((e.scenario.name.as_str(), e.scenario.grid_point.as_ref()?)))
        .collect();
    let frontiers = frontier::frontiers(
        &grid_points,
        &indicators,
        &reference.name,
        settings.years.end,
    );
    let fiscal = compare::with_fiscal_means(fiscal, settings.replications);
    let mut timings = group.timings.clone();
    timings.extend(group.entries.iter().filter_map(|e| {
        e.seconds.map(|seconds| Timing {
            step: format!("scenario {}", e.scenario.name),
            seconds,
        })
    }));
    let mut scenarios: Vec<ScenarioManifest> = group
        .entries
        .iter()
        .map(|e| ScenarioManifest {
            name: e.scenario.name.clone(),
            files: e
                .scenario
                .files
                .iter()
                .map(|f| HashedFile {
                    path: f.path.display().to_string(),
                    sha256: f.sha256.clone(),
                })
                .collect(),
            resolved_parameters: resolved_json(e.scenario, regions, settings.years.start),
            seed: settings.seed,
            replications: settings.replications,
            reference: std::ptr::eq(e.scenario, reference),
            status: e.status,
            error: e.reason.clone(),
        })
        .collect();
    scenarios.extend(group.load_failures.iter().cloned());
    let order: Vec<&Scenario> = group.entries.iter().map(|e| e.scenario).collect();
    let manifest = Manifest {
        gongfu_version: env!("CARGO_PKG_VERSION").to_string(),
        command_line: group.command_line.to_string(),
        scenarios,
        population: PopulationManifest {
            source: group.population_key.describe(),
            persons: group.population.persons.len() as u64,
            households: group.population.households.len() as u64,
            represented: group.population.total_weight(),
            income_basis: group.population_key.income_basis()?,
        },
        timings,
        started_at: group.started_at.clone(),
        finished_at: timestamp().1,
    };
    Ok(RunResults {
        run_name,
        reference_scenario: reference.name.clone(),
        scenarios: order
            .iter()
            .map(|s| ScenarioInfo {
                name: s.name.clone(),
                description: s.description.clone(),
            })
            .collect(),
        highlight_year: None,
        indicators,
        deciles,
        fiscal,
        lorenz,
        parameter_differences: parameter_differences(&order, regions, settings.years),
        frontiers,
        manifest,
        lang: settings.lang,
    })
}

/// A parameter value as text, for the manifest and the differences table.
pub fn value_text(v: &ParamValue) -> String {
    match v {
        ParamValue::Number(x) => format!("{x}"),
        ParamValue::Flag(b) => b.to_string(),
        ParamValue::List(l) => format!("{l:?}"),
        ParamValue::Table(t) => format!(
            "{{{}}}",
            t.iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        ParamValue::Pairs(p) => format!("{p:?}"),
        ParamValue::Text(s) => s.clone(),
    }
}

/// Resolved parameters of the start year by region and residence, as JSON text values.
fn resolved_json(s: &Scenario, regions: &[String], year: i32) -> serde_json::Value {
    let mut by_region = serde_json::Map::new();
    for region in regions {
        let mut by_res = serde_json::Map::new();
        for res in Residence::ALL {
            let p = s.resolve(year, region, res);
            let map: serde_json::Map<String, serde_json::Value> = p
                .iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::String(value_text(v))))
                .collect();
            by_res.insert(res.as_str().to_string(), serde_json::Value::Object(map));
        }
        by_region.insert(region.clone(), serde_json::Value::Object(by_res));
    }
    serde_json::json!({ "year": year, "regions": by_region })
}

/// Parameters that differ from the reference in the first or last year, any region or residence.
fn parameter_differences(
    order: &[&Scenario],
    regions: &[String],
    years: YearRange,
) -> Vec<ParameterDifference> {
    let reference = order[0];
    let mut out = Vec::new();
    for s in &order[1..] {
        let mut seen = std::collections::BTreeSet::new();
        for year in [years.start, years.end] {
            for region in regions {
                for res in Residence::ALL {
                    let (a, b) = (
                        reference.resolve(year, region, res),
                        s.resolve(year, region, res),
                    );
                    for ((key, va), (_, vb)) in a.iter().zip(b.iter()) {
                        if va != vb && seen.insert(key) {
                            out.push(ParameterDifference {
                                scenario: s.name.clone(),
                                key: format!("{key} ({year}, {region}, {})", res.as_str()),
                                reference_value: value_text(va),
                                scenario_value: value_text(vb),
                            });
                        }
                    }
                }
            }
        }
    }
    out
}
