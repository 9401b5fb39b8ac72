//! Batch runs (docs/batch.md): many scenario files, grouped by start population, run one after
//! another with progress lines and a `run.log`; a failed scenario is reported and the rest run;
//! Ctrl-C stops at the next year boundary leaving only complete files; `--resume` skips
//! scenarios whose saved results ([`super::store`]) still match. Glue only: no policy here.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use super::microdata::MicrodataOut;
use super::store::{self, Done, Fingerprint};
use super::{
    Group, GroupEntry, PopulationKey, Ranking, ReferenceSnapshot, RunOptions, ScenarioRows,
    Settings, simulate_scenario, timestamp, write_group,
};
use crate::error::{Error, Result};
use crate::results::{HashedFile, ScenarioManifest, ScenarioStatus, Timing};
use crate::rules::Demand;
use crate::scenario::{CompiledScenario, Scenario};

mod bookkeeping;
mod files;
mod log;
mod plan;

pub use bookkeeping::status_word;
use bookkeeping::write_index;
pub(super) use bookkeeping::write_summary;
pub use files::{expand, glob_match};
use log::Log;
pub use log::Tick;

/// What `gongfu run` asks of a batch.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    /// Overrides of the scenario files.
    pub run: RunOptions,
    /// The run folder.
    pub out: PathBuf,
    /// Skip scenarios whose saved results in `out` still match (docs/batch.md, "Resume").
    pub resume: bool,
    /// Stop at the first failure; the scenarios not yet run are `skipped`.
    pub fail_fast: bool,
    /// Baselines to run every scenario file on (`--on`, issue 18): each baseline runs as its
    /// group's reference and each file is loaded on top of it instead of its `extends`.
    pub on: Vec<PathBuf>,
}

/// How one scenario (or a file that never became one) ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Group name (its reference scenario's), empty for a file that did not load.
    pub group: String,
    /// Scenario name, or the file path when it did not load.
    pub scenario: String,
    /// Done, failed, interrupted or skipped.
    pub status: ScenarioStatus,
    /// Why it failed, was interrupted or skipped.
    pub reason: Option<String>,
}

/// What a batch did.
#[derive(Debug, Clone)]
pub struct BatchSummary {
    /// The run folder.
    pub dir: PathBuf,
    /// Every scenario and unloadable file, in run order.
    pub outcomes: Vec<Outcome>,
    /// Group folders written (the run folder itself when there is one group).
    pub group_dirs: Vec<PathBuf>,
}

impl BatchSummary {
    /// Scenarios (or files) that failed.
    pub fn failed(&self) -> usize {
        self.count(ScenarioStatus::Failed)
    }
    /// Whether Ctrl-C or SIGTERM stopped the batch.
    pub fn interrupted(&self) -> bool {
        self.count(ScenarioStatus::Interrupted) > 0
    }
    /// Scenarios with `status`.
    pub fn count(&self, status: ScenarioStatus) -> usize {
        self.outcomes.iter().filter(|o| o.status == status).count()
    }
}

/// The file every batch appends its progress lines to, in the run folder.
pub const LOG_FILE: &str = "run.log";
/// The table of every scenario's outcome, in the run folder.
pub const SUMMARY_FILE: &str = "summary.csv";
/// The page linking the group reports, in the run folder when there are several groups.
pub const INDEX_FILE: &str = "index.html";

/// Why the batch stopped early.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Stop {
    Interrupted,
    FailFast,
}

impl Stop {
    fn reason(self) -> &'static str {
        match self {
            Stop::Interrupted => "not run: the batch was interrupted",
            Stop::FailFast => "not run: --fail-fast stopped the batch at a failure",
        }
    }
}

/// A scenario of a group and what the plan knows about it.
struct Member {
    scenario: Scenario,
    /// What its results depend on.
    fingerprint: Fingerprint,
    /// Saved rows of an unchanged scenario (resume).
    resumed: Option<ScenarioRows>,
    /// Set when the scenario cannot run (a name already used in the group).
    failure: Option<String>,
}

/// Scenarios sharing one start population.
struct PlannedGroup {
    name: String,
    dir: PathBuf,
    key: PopulationKey,
    settings: Settings,
    /// Reference first.
    members: Vec<Member>,
    /// The reference snapshot of a resumed (unchanged) reference.
    snapshot: Option<ReferenceSnapshot>,
}

/// Runs every scenario file: loads and groups them, runs each group's scenarios one after another
/// (the reference first) on the group's shared population, saves each finished scenario, and
/// writes each group's outputs, `summary.csv`, `run.log` and, with several groups, `index.html`
/// into `opts.out`. A failed scenario is recorded and the others run (unless `fail_fast`); once
/// `cancel` is set the running scenario stops at the next year boundary, the rest are skipped
/// and completed scenarios keep complete outputs. Errors only on I/O failures of the run folder.
pub fn run_batch(
    files: &[PathBuf],
    opts: &BatchOptions,
    cancel: &AtomicBool,
    show: impl FnMut(&Tick<'_>),
) -> Result<BatchSummary> {
    let out = &opts.out;
    let holder = format!(
        "started {}: {}",
        super::timestamp().1,
        opts.run.command_line
    );
    let folder = super::folder::open(out, opts.resume, &holder)?;
    let mut log = Log::open(out.join(LOG_FILE), show)?;
    log.event(&format!(
        "gongfu {} batch: {} scenario file(s) into {}{}",
        env!("CARGO_PKG_VERSION"),
        files.len(),
        out.display(),
        if opts.resume { " (resume)" } else { "" }
    ));
    if folder.removed_temporaries > 0 {
        log.event(&format!(
            "removed {} temporary file(s) a stopped run left",
            folder.removed_temporaries
        ));
    }

    let mut outcomes = Vec::new();
    let mut load_failures = Vec::new();
    let mut loaded = Vec::new();
    for (f, base) in files::jobs(files, &opts.on) {
        let (f, base) = (&f, base.as_ref());
        let scenario = match base {
            Some(base) => Scenario::load_on(f, base),
            None => Scenario::load(f),
        };
        // A file with a `[grid]` stands for one scenario per grid point.
        match scenario.and_then(Scenario::expand_grid) {
            Ok(points) => {
                for w in points.first().map_or(&[][..], |s| &s.warnings) {
                    log.event(&format!("warning: {w}"));
                }
                loaded.extend(points);
            }
            Err(e) => {
                log.event(&format!("failed {}: {e}", f.display()));
                outcomes.push(Outcome {
                    group: String::new(),
                    scenario: f.display().to_string(),
                    status: ScenarioStatus::Failed,
                    reason: Some(e.to_string()),
                });
                load_failures.push(ScenarioManifest {
                    name: f.display().to_string(),
                    files: store::file_sha256(f)
                        .map(|sha256| HashedFile {
                            path: f.display().to_string(),
                            sha256,
                        })
                        .into_iter()
                        .collect(),
                    resolved_parameters: serde_json::Value::Null,
                    seed: 0,
                    replications: 0,
                    reference: false,
                    status: ScenarioStatus::Failed,
                    error: Some(e.to_string()),
                });
            }
        }
    }
    let mut stop = (opts.fail_fast && !outcomes.is_empty()).then_some(Stop::FailFast);
    let mut groups = plan::plan(loaded, opts, &mut outcomes, &mut log);
    if opts.fail_fast && outcomes.iter().any(|o| o.status == ScenarioStatus::Failed) {
        stop = Some(Stop::FailFast);
    }
    log.total_steps = groups
        .iter()
        .map(|g| {
            let to_run = g
                .members
                .iter()
                .filter(|m| m.resumed.is_none() && m.failure.is_none())
                .count();
            g.settings.steps() * to_run as u64
        })
        .sum();
    let single = groups.len() == 1;
    let mut group_dirs = Vec::new();
    for group in &mut groups {
        let failures = if single {
            std::mem::take(&mut load_failures)
        } else {
            Vec::new()
        };
        if run_group(
            group,
            opts,
            failures,
            cancel,
            &mut stop,
            &mut outcomes,
            &mut log,
        ) {
            group_dirs.push(group.dir.clone());
        }
    }
    // The bookkeeping is written whatever failed before; its own failure (a full disk) is
    // reported after the log's final line.
    let mut bookkeeping = write_summary(&out.join(SUMMARY_FILE), &outcomes);
    if groups.len() > 1 && bookkeeping.is_ok() {
        bookkeeping = write_index(out, &groups, &outcomes, opts.run.lang.unwrap_or_default());
    }
    let summary = BatchSummary {
        dir: out.clone(),
        outcomes,
        group_dirs,
    };
    log.event(&format!(
        "finished: {} done, {} failed, {} interrupted, {} skipped",
        summary.count(ScenarioStatus::Done),
        summary.failed(),
        summary.count(ScenarioStatus::Interrupted),
        summary.count(ScenarioStatus::Skipped)
    ));
    bookkeeping?;
    match log.error.take() {
        Some(e) => Err(e),
        None => Ok(summary),
    }
}

/// How a member of a group ended in this run.
struct Ran {
    status: ScenarioStatus,
    reason: Option<String>,
    /// Rows it produced now (resumed rows stay with the member).
    rows: Option<ScenarioRows>,
    /// Seconds it ran.
    seconds: Option<f64>,
}

/// Refuses a generated population that would not fit in memory, before it is generated.
fn memory_for(key: &PopulationKey) -> Result<()> {
    match key {
        PopulationKey::Generated { spec, persons, .. } => {
            super::memory_limit::check(*persons as u64, spec)
        }
        PopulationKey::File(_) => Ok(()),
    }
}

/// Runs one group and writes its outputs; returns whether it wrote them (it does not when the
/// batch stopped before it began, its population could not be loaded or its outputs could not be
/// written: then its scenarios are failed, and the batch goes on).
fn run_group<F: FnMut(&Tick<'_>)>(
    group: &mut PlannedGroup,
    opts: &BatchOptions,
    load_failures: Vec<ScenarioManifest>,
    cancel: &AtomicBool,
    stop: &mut Option<Stop>,
    outcomes: &mut Vec<Outcome>,
    log: &mut Log<F>,
) -> bool {
    let started_at = timestamp().1;
    let outcome = |m: &Member, status, reason: Option<String>| Outcome {
        group: group.name.clone(),
        scenario: m.scenario.name.clone(),
        status,
        reason,
    };
    if let Some(s) = *stop {
        for m in &group.members {
            outcomes.push(outcome(m, ScenarioStatus::Skipped, Some(s.reason().into())));
        }
        return false;
    }
    let settings = group.settings;
    log.event(&format!(
        "group {}: {} scenario(s), population {}",
        group.name,
        group.members.len(),
        group.key.describe()
    ));
    let clock = Instant::now();
    let population = match memory_for(&group.key).and_then(|()| group.key.load()) {
        Ok(p) => p,
        Err(e) => {
            let reason = format!("start population: {e}");
            for m in &group.members {
                log.event(&format!("failed {}: {reason}", m.scenario.name));
                outcomes.push(outcome(m, ScenarioStatus::Failed, Some(reason.clone())));
            }
            if opts.fail_fast {
                *stop = Some(Stop::FailFast);
            }
            return false;
        }
    };
    let timings = vec![Timing {
        step: format!("load population {}", group.key.describe()),
        seconds: clock.elapsed().as_secs_f64(),
    }];
    // Every scenario of the group resolves into typed parameters before any is simulated: a
    // broken reform fails here, not after the baseline has run.
    let demand = Demand {
        disability_grades: population.persons.disability_grades_present(),
    };
    let compiled: Vec<Option<CompiledScenario>> = group
        .members
        .iter_mut()
        .map(|m| {
            match m
                .scenario
                .compile(&population.regions, settings.years, demand)
            {
                Ok(c) => Some(c),
                Err(e) => {
                    m.failure.get_or_insert_with(|| e.to_string());
                    None
                }
            }
        })
        .collect();
    let microdata_dir = group.dir.join("microdata");
    let mut results: Vec<Ran> = Vec::new();
    for (i, m) in group.members.iter().enumerate() {
        let name = &m.scenario.name;
        if let Some(s) = *stop {
            results.push(Ran {
                status: ScenarioStatus::Skipped,
                reason: Some(s.reason().into()),
                rows: None,
                seconds: None,
            });
            continue;
        }
        if let Some(reason) = &m.failure {
            log.event(&format!("failed {name}: {reason}"));
            results.push(Ran {
                status: ScenarioStatus::Failed,
                reason: Some(reason.clone()),
                rows: None,
                seconds: None,
            });
            if opts.fail_fast {
                *stop = Some(Stop::FailFast);
            }
            continue;
        }
        if m.resumed.is_some() {
            log.event(&format!("skipped {name}: unchanged since the resumed run"));
            let reason = "unchanged since the resumed run; its saved results are used".into();
            results.push(Ran {
                status: ScenarioStatus::Skipped,
                reason: Some(reason),
                rows: None,
                seconds: None,
            });
            continue;
        }
        let ranking = match (i, &group.snapshot) {
            (0, _) => Ranking::Own,
            (_, Some(s)) => Ranking::Reference(s),
            (_, None) => Ranking::Unavailable,
        };
        let started = Instant::now();
        let Some(compiled) = &compiled[i] else {
            unreachable!("a scenario that did not compile has a failure");
        };
        let run = simulate_scenario(
            compiled,
            &population,
            &settings,
            ranking,
            opts.run.microdata.then_some(MicrodataOut {
                dir: &microdata_dir,
                csv: opts.run.microdata_csv,
            }),
            cancel,
            |replication, year| log.step(name, replication, year),
        );
        let seconds = started.elapsed().as_secs_f64();
        match run {
            Ok((rows, snapshot)) => {
                let reference = if i == 0 {
                    Some(m.fingerprint.clone())
                } else {
                    group
                        .snapshot
                        .as_ref()
                        .map(|_| group.members[0].fingerprint.clone())
                };
                let done = Done {
                    scenario: name.clone(),
                    fingerprint: m.fingerprint.clone(),
                    reference,
                    finished_at: timestamp().1,
                    checksums: Default::default(),
                };
                let dir = store::scenario_dir(&group.dir, name);
                if let Err(e) = store::save(&dir, &rows, snapshot.as_ref(), &done) {
                    // A full disk, a name the file system refuses: this scenario fails, the
                    // others run.
                    let reason = format!("its results could not be saved: {e}");
                    log.event(&format!("failed {name}: {reason}"));
                    results.push(Ran {
                        status: ScenarioStatus::Failed,
                        reason: Some(reason),
                        rows: None,
                        seconds: Some(seconds),
                    });
                    if opts.fail_fast {
                        *stop = Some(Stop::FailFast);
                    }
                    continue;
                }
                if snapshot.is_some() {
                    group.snapshot = snapshot;
                }
                log.event(&format!("done {name} ({seconds:.1} s)"));
                if let Some(note) = super::collect::undefined_note(&rows.indicators) {
                    log.event(&note);
                }
                results.push(Ran {
                    status: ScenarioStatus::Done,
                    reason: None,
                    rows: Some(rows),
                    seconds: Some(seconds),
                });
            }
            Err(Error::Interrupted) => {
                log.event(&format!("interrupted {name}: stopped at a year boundary"));
                let reason = "interrupted (Ctrl-C or SIGTERM); its results were discarded".into();
                results.push(Ran {
                    status: ScenarioStatus::Interrupted,
                    reason: Some(reason),
                    rows: None,
                    seconds: Some(seconds),
                });
                *stop = Some(Stop::Interrupted);
            }
            Err(e) => {
                log.event(&format!("failed {name}: {e}"));
                results.push(Ran {
                    status: ScenarioStatus::Failed,
                    reason: Some(e.to_string()),
                    rows: None,
                    seconds: Some(seconds),
                });
                if opts.fail_fast {
                    *stop = Some(Stop::FailFast);
                }
            }
        }
    }
    let entries: Vec<GroupEntry<'_>> = group
        .members
        .iter()
        .zip(&results)
        .map(|(m, ran)| GroupEntry {
            scenario: &m.scenario,
            status: ran.status,
            reason: ran.reason.clone(),
            rows: ran.rows.as_ref().or(m.resumed.as_ref()),
            seconds: ran.seconds,
        })
        .collect();
    let first_outcome = outcomes.len();
    for e in &entries {
        outcomes.push(Outcome {
            group: group.name.clone(),
            scenario: e.scenario.name.clone(),
            status: e.status,
            reason: e.reason.clone(),
        });
    }
    let written = write_group(
        &group.dir,
        &Group {
            entries,
            load_failures,
            settings,
            population: &population,
            population_key: &group.key,
            timings,
            started_at,
            command_line: &opts.run.command_line,
        },
    );
    if let Err(e) = written {
        // The group's outputs are incomplete: every scenario of it is failed, the next group runs.
        let reason = format!("writing the group's outputs: {e}");
        log.event(&format!("failed group {}: {reason}", group.name));
        for o in &mut outcomes[first_outcome..] {
            o.status = ScenarioStatus::Failed;
            o.reason = Some(reason.clone());
        }
        if opts.fail_fast {
            *stop = Some(Stop::FailFast);
        }
        return false;
    }
    log.event(&format!(
        "wrote group {} to {}",
        group.name,
        group.dir.display()
    ));
    true
}
