//! `gongfu inspect FILE [--spec SPEC]`: load a population and print its weighted marginals.

use std::path::PathBuf;

/// Arguments of `gongfu inspect`.
#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    /// Population file (.parquet or .csv).
    pub file: PathBuf,
    /// Synthetic-population spec whose targets to validate against.
    #[arg(long)]
    pub spec: Option<PathBuf>,
}

/// Runs `gongfu inspect`.
pub fn run(args: InspectArgs) -> anyhow::Result<()> {
    let _ = args;
    Ok(())
}
