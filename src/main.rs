//! The `gongfu` command line: parses arguments, calls the library, prints the error chain once and
//! sets the exit code (see `gongfu --help`).

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = gongfu::cli::Cli::parse();
    match gongfu::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let interrupted = matches!(
                err.downcast_ref::<gongfu::Error>(),
                Some(gongfu::Error::Interrupted)
            );
            eprintln!("error: {err:#}");
            ExitCode::from(if interrupted { 130 } else { 1 })
        }
    }
}
