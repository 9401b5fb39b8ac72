//! `gongfu run SCENARIO...`: run scenario files, folders or globs as a batch (docs/batch.md):
//! progress on stderr (a bar on a terminal, timestamped lines otherwise), the summary on stdout,
//! Ctrl-C / SIGTERM stop cleanly (exit 130).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use crate::results::ScenarioStatus;
use crate::run::RunOptions;
use crate::run::batch::{self, BatchOptions, BatchSummary, Tick};
use crate::scenario::{MAX_REPLICATIONS, YearRange};

/// Arguments of `gongfu run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario files, folders (every *.toml below, in path order) or patterns with `*` in the
    /// file name (`scenarios/zhejiang_*.toml`). Scenarios are grouped by start population; in each
    /// group the one with `reference = true`, else the first, is the reference for differences.
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Run every scenario file on each of these baselines (files, folders or patterns) instead
    /// of the one its `extends` names: each baseline is its group's reference.
    #[arg(long, num_args = 1..)]
    pub on: Vec<PathBuf>,
    /// Sample size (persons) of a generated start population, 2000..=4294967295.
    #[arg(long, value_parser = parse_persons)]
    pub persons: Option<usize>,
    /// Start population file (.parquet or .csv) instead of the scenario's.
    #[arg(long)]
    pub population: Option<PathBuf>,
    /// Master seed of the simulation draws.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Years to simulate, `A..B` (inclusive) or one year `A`.
    #[arg(long, value_parser = parse_years)]
    pub years: Option<YearRange>,
    /// Independent replications (each indicator gets a mean and a 95% interval), 1..=10000.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_REPLICATIONS)))]
    pub replications: Option<u32>,
    /// Language of report.html, the charts and summary.xlsx: `en` (default) or `zh` (also
    /// `lang = "zh"` in the reference scenario).
    #[arg(long)]
    pub lang: Option<crate::report::terms::Lang>,
    /// Run folder (default outputs/<reference>-<timestamp>/, or outputs/batch-<timestamp>/ with
    /// several groups).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Skip scenarios whose saved results in --out still match (same files, population, seed,
    /// years, replications, version) and rerun the rest; the reports are rebuilt from all.
    #[arg(long, requires = "out")]
    pub resume: bool,
    /// Stop at the first failed scenario; the ones not yet run are reported as skipped.
    #[arg(long)]
    pub fail_fast: bool,
    /// Print only the summary.
    #[arg(long)]
    pub quiet: bool,
    /// Static evaluation of one year: the rules on the population exactly as given, no dynamics.
    #[arg(long = "static")]
    pub static_year: bool,
    /// Write per-person microdata (replication 0) under <run>/microdata/, as Parquet.
    #[arg(long)]
    pub microdata: bool,
    /// Write the microdata as CSV too (implies --microdata).
    #[arg(long)]
    pub microdata_csv: bool,
    /// Households per parallel chunk (results do not depend on it).
    #[arg(long)]
    pub chunk_households: Option<usize>,
}

/// Parses a sample size within `MIN_PERSONS..=MAX_PERSONS`.
fn parse_persons(s: &str) -> Result<usize, String> {
    let (min, max) = (
        crate::synth::MIN_PERSONS,
        crate::population::io::MAX_PERSONS,
    );
    match s.parse::<usize>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(format!("`{s}` is not a sample size within {min}..={max}")),
    }
}

/// Parses `2022..2050` or `2022`.
pub fn parse_years(s: &str) -> Result<YearRange, String> {
    let bad = || format!("`{s}` is not a year range; write A..B (e.g. 2022..2050) or one year");
    let (a, b) = match s.split_once("..") {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (s.trim(), s.trim()),
    };
    let start: i32 = a.parse().map_err(|_| bad())?;
    let end: i32 = b.parse().map_err(|_| bad())?;
    if !(1900..=2200).contains(&start) || end < start || end > 2200 {
        return Err(bad());
    }
    Ok(YearRange { start, end })
}

/// Runs `gongfu run`.
pub fn run(args: RunArgs) -> anyhow::Result<()> {
    let files = batch::expand(&args.scenarios)?;
    let out = args.out.clone().unwrap_or_else(|| default_folder(&files));
    let opts = BatchOptions {
        run: RunOptions {
            persons: args.persons,
            population: args.population.clone(),
            seed: args.seed,
            years: args.years,
            replications: args.replications,
            lang: args.lang,
            static_year: args.static_year,
            microdata: args.microdata || args.microdata_csv,
            microdata_csv: args.microdata_csv,
            chunk_households: args.chunk_households,
            command_line: std::env::args().collect::<Vec<_>>().join(" "),
        },
        out,
        resume: args.resume,
        fail_fast: args.fail_fast,
        on: if args.on.is_empty() {
            Vec::new()
        } else {
            batch::expand(&args.on)?
        },
    };
    let cancel = Arc::new(AtomicBool::new(false));
    // The first Ctrl-C or SIGTERM sets the flag (a clean stop at the next year boundary); a
    // second one, with the flag already set, exits at once with 130.
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(&cancel))
            .and_then(|_| signal_hook::flag::register(signal, Arc::clone(&cancel)))
            .context("installing the Ctrl-C / SIGTERM handler")?;
    }
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} years, ETA {eta}  {msg}")
                .expect("a valid template"),
        );
        bar
    });
    let quiet = args.quiet;
    let summary = batch::run_batch(&files, &opts, &cancel, |tick: &Tick<'_>| match &bar {
        Some(bar) => {
            bar.set_length(tick.total_steps);
            bar.set_position(tick.done_steps);
            if tick.is_step {
                bar.set_message(tick.message.to_string());
            } else {
                bar.println(tick.line);
            }
        }
        None if !quiet => eprintln!("{}", tick.line),
        None => {}
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let summary = summary?;
    print_summary(&summary);
    if summary.interrupted() {
        return Err(crate::Error::Interrupted.into());
    }
    if summary.failed() > 0 {
        anyhow::bail!(
            "{} scenario(s) failed; see {}",
            summary.failed(),
            summary.dir.join(batch::SUMMARY_FILE).display()
        );
    }
    Ok(())
}

/// `outputs/<first file stem>-<timestamp>`, or `outputs/batch-<timestamp>` for several files.
fn default_folder(files: &[PathBuf]) -> PathBuf {
    let stem = match files {
        [one] => one
            .file_stem()
            .map(|s| crate::run::microdata::sanitize(&s.to_string_lossy())),
        _ => None,
    };
    PathBuf::from("outputs").join(format!(
        "{}-{}",
        stem.unwrap_or_else(|| "batch".into()),
        crate::run::timestamp().0
    ))
}

/// Prints the run folder and each scenario's outcome on stdout.
fn print_summary(summary: &BatchSummary) {
    println!("run folder: {}", summary.dir.display());
    for o in &summary.outcomes {
        let name = if o.group.is_empty() || summary.group_dirs.len() < 2 {
            o.scenario.clone()
        } else {
            format!("{}/{}", o.group, o.scenario)
        };
        match (o.status, &o.reason) {
            (ScenarioStatus::Done, _) | (_, None) => {
                println!("  {:<12}{name}", batch::status_word(o.status));
            }
            (_, Some(reason)) => {
                println!("  {:<12}{name}: {reason}", batch::status_word(o.status));
            }
        }
    }
}
