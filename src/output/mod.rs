//! The publish step of a batch run (spec indicators.md, "Outputs of one batch"): the long-format
//! tables ([`tables`]: CSV and Parquet), the manifest, then the charts, then the report, in that
//! order. Every file is written complete-or-absent. Writers never compute policy: they take
//! indicator values as given.
//!
//! Layering: `output` depends on `results` (what to write), `table` (how), `charts` and `report`;
//! nothing below depends on `output`.

pub mod frames;
pub mod overview;
pub mod tables;
pub mod workbook;

use crate::fsutil::atomic_write;
use crate::results::{RunResults, view::View};
use crate::{Error, Result};
use std::path::Path;
use tables::{
    write_deciles_csv, write_fiscal_csv, write_frontier_csv, write_indicators_csv,
    write_indicators_parquet, write_lorenz_csv,
};

/// Writes a run into `dir` (created if absent): `indicators.csv`, `indicators.parquet`,
/// `deciles.csv`, `fiscal.csv`, `lorenz.csv`, `frontier.csv` (when a reform grid ran),
/// `manifest.json`, `summary.xlsx`, `charts/<chart>.{png,svg,csv}` and, last, `report.html`. Each file is complete or absent.
pub fn write_run(dir: &Path, results: &RunResults) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    write_indicators_csv(&dir.join("indicators.csv"), &results.indicators)?;
    write_indicators_parquet(&dir.join("indicators.parquet"), &results.indicators)?;
    write_deciles_csv(&dir.join("deciles.csv"), &results.deciles)?;
    write_fiscal_csv(&dir.join("fiscal.csv"), &results.fiscal)?;
    write_lorenz_csv(&dir.join("lorenz.csv"), &results.lorenz)?;
    if !results.frontiers.is_empty() {
        write_frontier_csv(&dir.join("frontier.csv"), &results.frontiers)?;
    }
    let manifest = dir.join("manifest.json");
    atomic_write(&manifest, |w| {
        serde_json::to_writer_pretty(&mut *w, &results.manifest)?;
        std::io::Write::write_all(w, b"\n")
    })?;
    let view = View::new(results);
    workbook::write_workbook(&dir.join("summary.xlsx"), &view)?;
    let charts = crate::charts::write_charts(&dir.join("charts"), &view)?;
    crate::report::write_report(&dir.join("report.html"), &view, &charts)
}
