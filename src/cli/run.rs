//! `gongfu run SCENARIO...`: simulate scenarios on one shared start population with common random
//! numbers and write the run folder (tables, charts, report).

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use anyhow::Context;

use crate::output::ScenarioStatus;
use crate::run::{self, RunOptions};
use crate::scenario::{Scenario, YearRange};

/// Arguments of `gongfu run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario files or folders (every *.toml below a folder, in path order). The first scenario,
    /// or the one with `reference = true`, is the reference for differences.
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Sample size (persons) of a generated start population.
    #[arg(long)]
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
    /// Independent replications (each indicator gets a mean and a 95% interval).
    #[arg(long)]
    pub replications: Option<u32>,
    /// Run folder (default outputs/<reference>-<timestamp>/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print only the summary.
    #[arg(long)]
    pub quiet: bool,
    /// Static evaluation of one year: the rules on the population exactly as given, no dynamics.
    #[arg(long = "static")]
    pub static_year: bool,
    /// Write per-person microdata (replication 0) under <run>/microdata/.
    #[arg(long)]
    pub microdata: bool,
    /// Households per parallel chunk (results do not depend on it).
    #[arg(long)]
    pub chunk_households: Option<usize>,
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

/// Scenario files named by the arguments: files as given, folders expanded to their *.toml files
/// (recursively, sorted by path).
pub fn expand(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            collect_toml(p, &mut found)
                .with_context(|| format!("reading folder {}", p.display()))?;
            found.sort();
            if found.is_empty() {
                anyhow::bail!("{}: no *.toml scenario files in this folder", p.display());
            }
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn collect_toml(dir: &std::path::Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_toml(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

/// Runs `gongfu run`.
pub fn run(args: RunArgs) -> anyhow::Result<()> {
    let files = expand(&args.scenarios)?;
    let mut loaded = Vec::new();
    let mut failed_to_load = Vec::new();
    for f in &files {
        match Scenario::load(f) {
            Ok(s) => loaded.push(s),
            Err(e) => failed_to_load.push((f.clone(), e.to_string())),
        }
    }
    for (f, e) in &failed_to_load {
        eprintln!("failed {}: {e}", f.display());
    }
    if loaded.is_empty() {
        anyhow::bail!("no scenario could be loaded");
    }
    let opts = RunOptions {
        scenarios: files.clone(),
        persons: args.persons,
        population: args.population.clone(),
        seed: args.seed,
        years: args.years,
        replications: args.replications,
        out: args.out.clone(),
        static_year: args.static_year,
        microdata: args.microdata,
        chunk_households: args.chunk_households,
        command_line: std::env::args().collect::<Vec<_>>().join(" "),
    };
    let reference = loaded.iter().find(|s| s.reference).unwrap_or(&loaded[0]);
    let (population, source) = run::load_population(&opts, reference)?;
    let dir = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("outputs").join(format!(
            "{}-{}",
            crate::run::microdata::sanitize(&reference.name),
            run::timestamp().0
        ))
    });
    let cancel = AtomicBool::new(false);
    let quiet = args.quiet;
    let summary = run::run_loaded(
        &opts,
        &loaded,
        &population,
        &source,
        &dir,
        &cancel,
        |line| {
            if !quiet {
                eprintln!("{line}");
            }
        },
    )?;
    println!("run folder: {}", summary.dir.display());
    for s in &summary.scenarios {
        match s.status {
            ScenarioStatus::Done => println!("  done    {}", s.name),
            _ => println!("  failed  {}: {}", s.name, s.error.as_deref().unwrap_or("")),
        }
    }
    for (f, e) in &failed_to_load {
        println!("  failed  {}: {e}", f.display());
    }
    let failures = failed_to_load.len()
        + summary
            .scenarios
            .iter()
            .filter(|s| s.status != ScenarioStatus::Done)
            .count();
    if failures > 0 {
        anyhow::bail!("{failures} scenario(s) failed");
    }
    Ok(())
}
