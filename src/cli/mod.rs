//! Command-line interface: one clap subcommand per file. Commands parse arguments, call the
//! library and print; they hold no policy logic.

pub mod explain;
pub mod inspect;
pub mod run;
pub mod stats;
pub mod synth;
pub mod validate;

use clap::{Parser, Subcommand};

/// gongfu (共富): microsimulation of China's social-security rules.
///
/// Exit codes: 0 success; 1 bad input or a failed run (the message names the file, the key or
/// row, and what is allowed); 2 wrong command-line usage; 130 interrupted.
#[derive(Debug, Parser)]
#[command(name = "gongfu", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load a population file and print its weighted marginals (with --spec, the validation table).
    Inspect(inspect::InspectArgs),
    /// Simulate scenarios (files or folders) on one shared start population and write a run folder.
    Run(run::RunArgs),
    /// Check scenario files (or every *.toml in a folder): prints `ok FILE` or the error for each.
    Validate(validate::ValidateArgs),
    /// Print every parameter a scenario resolves to for a year, region and residence, and what set it.
    Explain(explain::ExplainArgs),
    /// Print inequality and poverty indicators of one income column of a CSV or Parquet file.
    Stats(stats::StatsArgs),
    /// Generate a calibrated synthetic population from a spec and print its validation table.
    Synth(synth::SynthArgs),
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Inspect(args) => inspect::run(args),
        Command::Run(args) => run::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Stats(args) => stats::run(args),
        Command::Synth(args) => synth::run(args),
    }
}
