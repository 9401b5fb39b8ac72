//! `gongfu validate PATH...`: load scenario files (a folder means every `*.toml` directly inside
//! it, not recursing) and report each one, checking all of them before failing. Each file is
//! checked as a run would check it before simulating: its population spec or file is opened, and
//! the scenario is resolved into the typed parameters of every year it runs on that population's
//! regions ([`Scenario::compile`]), so a value that breaks a rule in 2040 fails now.

use std::path::{Path, PathBuf};

use crate::rules::Demand;
use crate::scenario::{PopulationSource, Scenario, YearRange};

/// The year a scenario without `years` is checked for (the shipped populations' year).
const CHECK_YEAR_WITHOUT_YEARS: i32 = 2022;

/// Arguments of `gongfu validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Scenario files, or folders whose `*.toml` files (not in subfolders) are scenarios.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

/// Runs `gongfu validate`: prints `ok FILE` per valid file on stdout and each error on stderr;
/// fails when any file failed.
pub fn run(args: ValidateArgs) -> anyhow::Result<()> {
    let mut checked = 0;
    let mut failed = 0;
    for path in &args.paths {
        let files = match scenario_files(path) {
            Ok(files) => files,
            Err(e) => {
                eprintln!("error: {e}");
                failed += 1;
                continue;
            }
        };
        for file in files {
            checked += 1;
            match check(&file) {
                Ok((warnings, points)) => {
                    for w in warnings {
                        eprintln!("warning: {w}");
                    }
                    match points {
                        Some(n) => println!("ok {} (grid of {n} scenarios)", file.display()),
                        None => println!("ok {}", file.display()),
                    }
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    failed += 1;
                }
            }
        }
    }
    if failed > 0 {
        anyhow::bail!("{failed} of {checked} scenario file(s) failed validation");
    }
    Ok(())
}

/// Loads and compiles one scenario file as a run would: on each baseline of its `rebase` list if
/// it has one, every point of its `[grid]` if it has one; returns its deprecation warnings and,
/// for a grid, its number of points.
fn check(file: &Path) -> crate::Result<(Vec<String>, Option<usize>)> {
    let alone = Scenario::load(file)?;
    let warnings = alone.warnings.clone();
    let loaded = if alone.rebase.is_empty() {
        vec![alone]
    } else {
        alone
            .rebase
            .iter()
            .map(|base| Scenario::load_on(file, base))
            .collect::<crate::Result<Vec<_>>>()?
    };
    let mut points = None;
    for scenario in loaded {
        let scenarios = scenario.expand_grid()?;
        let Some(first) = scenarios.first() else {
            continue;
        };
        // A grid's points share the file's population.
        let (regions, demand) = population_of(first)?;
        for s in &scenarios {
            let years = s.years.unwrap_or(YearRange {
                start: CHECK_YEAR_WITHOUT_YEARS,
                end: CHECK_YEAR_WITHOUT_YEARS,
            });
            s.compile(&regions, years, demand)?;
        }
        if first.grid_point.is_some() {
            points = Some(scenarios.len());
        }
    }
    Ok((warnings, points))
}

/// The regions and disability grades a scenario's population has. A generated population may
/// have every disability grade, as may the unknown population of a scenario that names none; a
/// file has the grades it holds.
fn population_of(scenario: &Scenario) -> crate::Result<(Vec<String>, Demand)> {
    Ok(match &scenario.population {
        Some(PopulationSource::Generated { spec, .. }) => {
            (vec![crate::synth::load_spec(spec)?.region], Demand::ANY)
        }
        Some(PopulationSource::File(path)) => {
            let pop = crate::population::io::read(path)?;
            let grades = pop.persons.disability_grades_present();
            (
                pop.regions,
                Demand {
                    disability_grades: grades,
                },
            )
        }
        None => (vec!["national".to_string()], Demand::ANY),
    })
}

/// The file itself, or the `*.toml` files directly in a folder, sorted by name.
fn scenario_files(path: &Path) -> anyhow::Result<Vec<PathBuf>> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).map_err(|e| crate::Error::io(path, e))? {
        let p = entry.map_err(|e| crate::Error::io(path, e))?.path();
        if p.is_file() && p.extension().is_some_and(|e| e == "toml") {
            files.push(p);
        }
    }
    if files.is_empty() {
        anyhow::bail!("{}: folder holds no *.toml scenario files", path.display());
    }
    files.sort();
    Ok(files)
}
