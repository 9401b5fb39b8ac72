//! `gongfu inspect FILE [--spec SPEC]`: load a population and print its weighted marginals; a
//! malformed file exits non-zero with the file, row and column named.

use std::path::PathBuf;

use crate::population;

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
    let pop = population::io::read(&args.file)?;
    println!("{}", args.file.display());
    println!("{}", population::marginals::marginals(&pop));
    if let Some(spec_path) = &args.spec {
        let spec = crate::synth::load_spec(spec_path)?;
        let table = crate::synth::validate_population(&pop, &spec)?;
        println!("\nvalidation against {}:\n{table}", spec_path.display());
        // Inspection reports misses without failing: the file is valid, it just differs.
        if table.failed() > 0 {
            println!("{} target(s) outside tolerance", table.failed());
        }
    }
    Ok(())
}
