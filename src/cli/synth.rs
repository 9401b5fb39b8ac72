//! `gongfu synth SPEC.toml --persons N --seed S --out FILE`: generate a calibrated synthetic
//! population, print its validation table, and write the population (Parquet or CSV by extension),
//! its collectives table and `<out>.validation.csv`. A missed target fails the command (exit 1)
//! after the table is written.

use std::path::PathBuf;

use anyhow::Context;

use crate::synth;

/// Arguments of `gongfu synth`.
#[derive(Debug, clap::Args)]
pub struct SynthArgs {
    /// Synthetic-population spec (synthetic_pop/*.toml).
    pub spec: PathBuf,
    /// Number of person rows to generate (weights scale them to the spec's total).
    #[arg(long, default_value_t = 100_000)]
    pub persons: usize,
    /// Master seed: the same spec, size and seed give the same population, byte for byte.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Population file to write (.parquet or .csv).
    #[arg(long)]
    pub out: PathBuf,
}

/// Runs `gongfu synth`.
pub fn run(args: SynthArgs) -> anyhow::Result<()> {
    let spec = synth::load_spec(&args.spec)?;
    crate::run::memory_limit::check(args.persons as u64, &args.spec)?;
    let (pop, table) = synth::generate_unchecked(&spec, args.persons, args.seed)
        .with_context(|| format!("generating from {}", args.spec.display()))?;
    let mut validation = args.out.clone().into_os_string();
    validation.push(".validation.csv");
    let validation = PathBuf::from(validation);
    std::fs::write(&validation, table.to_csv()).map_err(|e| crate::Error::io(&validation, e))?;
    table.check()?;
    print!("{table}");
    crate::population::io::write(&pop, &args.out)?;
    println!(
        "wrote {} persons in {} households to {}",
        pop.persons.len(),
        pop.households.len(),
        args.out.display()
    );
    Ok(())
}
