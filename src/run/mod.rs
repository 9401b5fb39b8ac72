//! A run: one or more scenarios on one shared start population, with common random numbers, over
//! years and replications; indicators per year; replication means and intervals; differences
//! against the reference scenario taken within each replication; deciles; microdata on request;
//! everything written by `output`. This is glue between `scenario`, `engine`, `indicators` and
//! `output`: it computes no policy.

pub mod collect;
pub mod microdata;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use crate::engine::{self, EngineConfig, chunks::DEFAULT_CHUNK_HOUSEHOLDS};
use crate::error::{Error, Result};
use crate::indicators::{self as ind, Distribution};
use crate::output::{
    self, DecileRow, FiscalRow, HashedFile, IndicatorRow, Manifest, ParameterDifference,
    PopulationManifest, RunResults, ScenarioInfo, ScenarioManifest, ScenarioStatus, Timing,
};
use crate::params::ParamValue;
use crate::population::{self, Population, Residence};
use crate::scenario::{PopulationSource, Scenario, YearRange};
use collect::{Gathered, Labels, Workspace};

/// What the user asked for on the command line (overrides of the scenario files).
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Scenario files, in order; the first (or the one marked `reference = true`) is the reference.
    pub scenarios: Vec<PathBuf>,
    /// Sample size of a generated population.
    pub persons: Option<usize>,
    /// Population file instead of the scenario's source.
    pub population: Option<PathBuf>,
    /// Master seed of the simulation draws.
    pub seed: Option<u64>,
    /// Years to simulate.
    pub years: Option<YearRange>,
    /// Number of replications.
    pub replications: Option<u32>,
    /// Run folder.
    pub out: Option<PathBuf>,
    /// Static evaluation of one year (rules 10): no dynamics.
    pub static_year: bool,
    /// Write per-person microdata (replication 0).
    pub microdata: bool,
    /// Households per chunk (results do not depend on it).
    pub chunk_households: Option<usize>,
    /// The command line, for the manifest.
    pub command_line: String,
}

/// Outcome of one scenario in a run.
#[derive(Debug, Clone)]
pub struct ScenarioOutcome {
    /// Scenario name (or the file name when it failed to load).
    pub name: String,
    /// Done or failed.
    pub status: ScenarioStatus,
    /// Why it failed.
    pub error: Option<String>,
}

/// What a run did.
#[derive(Debug, Clone)]
pub struct RunSummary {
    /// The run folder.
    pub dir: PathBuf,
    /// Each scenario's outcome, in run order.
    pub scenarios: Vec<ScenarioOutcome>,
}

impl RunSummary {
    /// True when every scenario completed.
    pub fn all_done(&self) -> bool {
        self.scenarios
            .iter()
            .all(|s| s.status == ScenarioStatus::Done)
    }
}

/// Loads the start population a run shares: `--population`, else the reference scenario's source.
pub fn load_population(opts: &RunOptions, reference: &Scenario) -> Result<(Population, String)> {
    if let Some(path) = &opts.population {
        return Ok((population::io::read(path)?, path.display().to_string()));
    }
    let origin = reference
        .files
        .first()
        .map(|f| f.path.clone())
        .unwrap_or_default();
    match &reference.population {
        Some(PopulationSource::File(path)) => Ok((population::io::read(path)?, path.display().to_string())),
        Some(PopulationSource::Generated { spec, persons, seed }) => {
            let spec_data = crate::synth::load_spec(spec)?;
            let n = opts.persons.unwrap_or(*persons as usize);
            let seed = seed.unwrap_or(reference.seed);
            let (pop, _table) = crate::synth::generate(&spec_data, n, seed)?;
            Ok((pop, format!("{} (generated, {n} persons, seed {seed})", spec.display())))
        }
        None => Err(Error::Config {
            file: origin,
            line: None,
            column: None,
            message: "no population: the scenario has no [population] section".into(),
            hint: Some("give `--population FILE`, or a [population] section with `spec` and `persons`, or `file`".into()),
        }),
    }
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

/// Reference first: the scenario marked `reference = true`, else the first.
fn reference_index(scenarios: &[Scenario]) -> usize {
    scenarios.iter().position(|s| s.reference).unwrap_or(0)
}

/// Indicators whose difference from the reference is reported within each replication.
const DIFFERENCE_INDICATORS: [&str; 5] = [
    crate::indicators::ids::GINI_DISPOSABLE,
    crate::indicators::ids::URBAN_RURAL_RATIO,
    crate::indicators::ids::POVERTY_RATE_50,
    crate::indicators::ids::FISCAL_COST_TOTAL,
    crate::indicators::ids::MEAN_DISPOSABLE,
];

/// Per-person state of the reference scenario in a decile year (replication 0).
struct ReferenceSnapshot {
    person_id: Vec<u64>,
    distribution: Distribution,
}

/// Runs scenarios that are already loaded, on a shared population, and writes the run folder.
/// A scenario that fails is recorded and the others still run.
pub fn run_loaded(
    opts: &RunOptions,
    scenarios: &[Scenario],
    population: &Population,
    population_source: &str,
    dir: &Path,
    cancel: &AtomicBool,
    mut progress: impl FnMut(&str),
) -> Result<RunSummary> {
    let (_, started_at) = timestamp();
    let clock = Instant::now();
    let reference = &scenarios[reference_index(scenarios)];
    let mut order: Vec<&Scenario> = vec![reference];
    order.extend(scenarios.iter().filter(|s| !std::ptr::eq(*s, reference)));
    let years = opts
        .years
        .or(reference.years)
        .ok_or_else(|| Error::Config {
            file: reference
                .files
                .first()
                .map(|f| f.path.clone())
                .unwrap_or_default(),
            line: None,
            column: None,
            message: "no years: the scenario sets no `years`".into(),
            hint: Some(
                "give `--years 2022..2050` or `years = \"2022..2050\"` in the scenario".into(),
            ),
        })?;
    let replications = opts.replications.unwrap_or(reference.replications).max(1);
    let seed = opts.seed.unwrap_or(reference.seed);
    let chunk_households = opts.chunk_households.unwrap_or(DEFAULT_CHUNK_HOUSEHOLDS);
    let decile_years: Vec<i32> = vec![years.end];

    let mut rows: Vec<IndicatorRow> = Vec::new();
    let mut fiscal_rows: Vec<FiscalRow> = Vec::new();
    let mut lorenz = Vec::new();
    let mut deciles: Vec<DecileRow> = Vec::new();
    let mut outcomes: Vec<ScenarioOutcome> = Vec::new();
    let mut timings: Vec<Timing> = Vec::new();
    let mut reference_snapshots: BTreeMap<i32, ReferenceSnapshot> = BTreeMap::new();
    let mut gathered = Gathered::default();
    let mut ws = Workspace::default();
    for scenario in &order {
        let is_reference = std::ptr::eq(*scenario, reference);
        let started = Instant::now();
        let mut scenario_rows = Vec::new();
        let mut scenario_fiscal = Vec::new();
        let mut scenario_lorenz = Vec::new();
        let mut scenario_deciles = Vec::new();
        let result: Result<()> = (0..replications).try_for_each(|replication| {
            let cfg = EngineConfig {
                start_year: years.start,
                end_year: years.end,
                seed,
                replication,
                chunk_households,
                static_year: opts.static_year,
            };
            engine::simulate(scenario, population, &cfg, cancel, |view| {
                progress(&format!(
                    "{} replication {} year {}",
                    scenario.name, replication, view.year
                ));
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
                )?;
                scenario_rows.extend(year.indicators);
                scenario_fiscal.extend(year.fiscal);
                scenario_lorenz.extend(year.lorenz);
                if replication == 0 && decile_years.contains(&view.year) {
                    if is_reference {
                        let distribution =
                            Distribution::new(&gathered.disposable, &gathered.weight)?;
                        reference_snapshots.insert(
                            view.year,
                            ReferenceSnapshot {
                                person_id: gathered.person_id.clone(),
                                distribution,
                            },
                        );
                    }
                    if let Some(snap) = reference_snapshots
                        .get(&view.year)
                        .filter(|s| s.person_id == gathered.person_id)
                    {
                        for d in ind::decile_table(&snap.distribution, &gathered.components())? {
                            scenario_deciles.push(DecileRow {
                                scenario: scenario.name.clone(),
                                year: view.year,
                                decile: d.decile,
                                mean_market: d.market,
                                mean_pensions: d.pensions,
                                mean_assistance: d.assistance,
                                mean_transfers: d.transfers,
                                mean_contributions: d.contributions,
                                mean_disposable: d.disposable,
                                gain_yuan: d.gain_yuan,
                                gain_pct: d.gain_percent.unwrap_or(f64::NAN),
                                share_better_off: d.better_off_share,
                                share_worse_off: d.worse_off_share,
                            });
                        }
                    }
                }
                if opts.microdata && replication == 0 {
                    microdata::write(&dir.join("microdata"), &scenario.name, view)?;
                }
                Ok(())
            })
        });
        timings.push(Timing {
            step: format!("scenario {}", scenario.name),
            seconds: started.elapsed().as_secs_f64(),
        });
        match result {
            Ok(()) => {
                rows.extend(scenario_rows);
                fiscal_rows.extend(scenario_fiscal);
                lorenz.extend(scenario_lorenz);
                deciles.extend(scenario_deciles);
                outcomes.push(ScenarioOutcome {
                    name: scenario.name.clone(),
                    status: ScenarioStatus::Done,
                    error: None,
                });
            }
            Err(Error::Interrupted) => return Err(Error::Interrupted),
            Err(e) => outcomes.push(ScenarioOutcome {
                name: scenario.name.clone(),
                status: ScenarioStatus::Failed,
                error: Some(e.to_string()),
            }),
        }
    }
    let done: Vec<&str> = outcomes
        .iter()
        .filter(|o| o.status == ScenarioStatus::Done)
        .map(|o| o.name.as_str())
        .collect();
    add_differences(&mut rows, &reference.name, &done);
    let rows = with_replication_means(rows, replications)?;
    let fiscal_rows = with_fiscal_means(fiscal_rows, replications);
    let (_, finished_at) = timestamp();
    timings.push(Timing {
        step: "total".into(),
        seconds: clock.elapsed().as_secs_f64(),
    });
    let manifest = Manifest {
        gongfu_version: env!("CARGO_PKG_VERSION").to_string(),
        command_line: opts.command_line.clone(),
        scenarios: order
            .iter()
            .zip(&outcomes)
            .map(|(s, o)| ScenarioManifest {
                name: s.name.clone(),
                files: s
                    .files
                    .iter()
                    .map(|f| HashedFile {
                        path: f.path.display().to_string(),
                        sha256: f.sha256.clone(),
                    })
                    .collect(),
                resolved_parameters: resolved_json(s, &population.regions, years.start),
                seed,
                replications,
                reference: std::ptr::eq(*s, reference),
                status: o.status,
                error: o.error.clone(),
            })
            .collect(),
        population: PopulationManifest {
            source: population_source.to_string(),
            persons: population.persons.len() as u64,
            households: population.households.len() as u64,
            represented: population.total_weight(),
        },
        timings,
        started_at,
        finished_at,
    };
    let results = RunResults {
        run_name: dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        reference_scenario: reference.name.clone(),
        scenarios: order
            .iter()
            .map(|s| ScenarioInfo {
                name: s.name.clone(),
                description: s.description.clone(),
            })
            .collect(),
        highlight_year: None,
        indicators: rows,
        deciles,
        fiscal: fiscal_rows,
        lorenz,
        parameter_differences: parameter_differences(&order, &population.regions, years),
        manifest,
    };
    output::write_run(dir, &results)?;
    Ok(RunSummary {
        dir: dir.to_path_buf(),
        scenarios: outcomes,
    })
}

/// Adds `<indicator>_change` rows: scenario minus reference, within each replication and year.
fn add_differences(rows: &mut Vec<IndicatorRow>, reference: &str, done: &[&str]) {
    let mut base: BTreeMap<(u32, i32, String, String, String), f64> = BTreeMap::new();
    for r in rows
        .iter()
        .filter(|r| r.scenario == reference && r.replication.is_some())
    {
        if DIFFERENCE_INDICATORS.contains(&r.indicator.as_str()) {
            base.insert(
                (
                    r.replication.unwrap_or(0),
                    r.year,
                    r.region.clone(),
                    r.residence.clone(),
                    r.indicator.clone(),
                ),
                r.value,
            );
        }
    }
    let extra: Vec<IndicatorRow> = rows
        .iter()
        .filter(|r| {
            r.scenario != reference
                && done.contains(&r.scenario.as_str())
                && DIFFERENCE_INDICATORS.contains(&r.indicator.as_str())
        })
        .filter_map(|r| {
            let key = (
                r.replication.unwrap_or(0),
                r.year,
                r.region.clone(),
                r.residence.clone(),
                r.indicator.clone(),
            );
            base.get(&key).map(|b| IndicatorRow {
                indicator: format!("{}_change", r.indicator),
                value: r.value - b,
                ..r.clone()
            })
        })
        .collect();
    rows.extend(extra);
}

/// Appends a mean row (replication `None`) with a 95% interval for every indicator, from the
/// per-replication rows.
fn with_replication_means(rows: Vec<IndicatorRow>, replications: u32) -> Result<Vec<IndicatorRow>> {
    let mut groups: BTreeMap<(String, i32, String, String, String), Vec<f64>> = BTreeMap::new();
    for r in &rows {
        groups
            .entry((
                r.scenario.clone(),
                r.year,
                r.region.clone(),
                r.residence.clone(),
                r.indicator.clone(),
            ))
            .or_default()
            .push(r.value);
    }
    let mut out = rows;
    for ((scenario, year, region, residence, indicator), values) in groups {
        debug_assert!(values.len() <= replications as usize);
        let interval = ind::replication_interval(&values)?;
        out.push(IndicatorRow {
            scenario,
            replication: None,
            year,
            region,
            residence,
            indicator,
            value: interval.mean,
            ci_low: interval.ci_low,
            ci_high: interval.ci_high,
        });
    }
    Ok(out)
}

/// Appends mean fiscal rows (replication `None`) averaged over replications.
fn with_fiscal_means(rows: Vec<FiscalRow>, replications: u32) -> Vec<FiscalRow> {
    // (scenario, year, program, payer) -> sums of amount, persons, households, mean benefit.
    type Key = (String, i32, String, String);
    let mut groups: BTreeMap<Key, [f64; 4]> = BTreeMap::new();
    for r in &rows {
        let e = groups
            .entry((
                r.scenario.clone(),
                r.year,
                r.program.clone(),
                r.payer.clone(),
            ))
            .or_default();
        e[0] += r.amount_yuan;
        e[1] += r.beneficiaries_persons;
        e[2] += r.beneficiaries_households;
        e[3] += r.mean_benefit_yuan;
    }
    let n = f64::from(replications);
    let mut out = rows;
    for ((scenario, year, program, payer), [a, p, h, m]) in groups {
        out.push(FiscalRow {
            scenario,
            replication: None,
            year,
            program,
            payer,
            amount_yuan: a / n,
            beneficiaries_persons: p / n,
            beneficiaries_households: h / n,
            mean_benefit_yuan: m / n,
        });
    }
    out
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
