//! Writers for one batch run (spec indicators.md, "Outputs of one batch"): the results model the
//! engine fills, long-format tables (CSV and Parquet), the manifest, then charts and the report.
//! Every file is written complete-or-absent through [`atomic_write`]. Writers never compute
//! policy: they take indicator values as given.

mod results;
pub mod view;

pub use crate::fsutil::atomic_write;
pub use results::{
    DecileRow, FiscalRow, HashedFile, IndicatorRow, LorenzRow, Manifest, ParameterDifference,
    PopulationManifest, RunResults, ScenarioInfo, ScenarioManifest, ScenarioStatus, Timing, names,
};

use crate::table::csv::{Cell, write_csv};
use crate::{Error, Result};
use polars::prelude::Column;
use std::path::Path;

/// Column order of `indicators.csv` and `indicators.parquet`.
pub const INDICATOR_COLUMNS: [&str; 9] = [
    "scenario",
    "replication",
    "year",
    "region",
    "residence",
    "indicator",
    "value",
    "ci_low",
    "ci_high",
];

/// Columns of `fiscal.csv`, in order (also read back by `run::store`).
pub const FISCAL_COLUMNS: [&str; 9] = [
    "scenario",
    "replication",
    "year",
    "program",
    "payer",
    "amount_yuan",
    "beneficiaries_persons",
    "beneficiaries_households",
    "mean_benefit_yuan",
];

/// Columns of `lorenz.csv`, in order (also read back by `run::store`).
pub const LORENZ_COLUMNS: [&str; 5] = [
    "scenario",
    "year",
    "concept",
    "population_share",
    "income_share",
];

/// Columns of `deciles.csv`, in order (also read back by `run::store`).
pub const DECILE_COLUMNS: [&str; 13] = [
    "scenario",
    "year",
    "decile",
    "mean_market",
    "mean_pensions",
    "mean_assistance",
    "mean_transfers",
    "mean_contributions",
    "mean_disposable",
    "gain_yuan",
    "gain_pct",
    "share_better_off",
    "share_worse_off",
];

/// The `replication` cell of a row: its number, or `"mean"` for the mean over replications.
pub fn replication_label(replication: Option<u32>) -> String {
    replication.map_or_else(|| "mean".to_owned(), |r| r.to_string())
}

/// Writes a run into `dir` (created if absent): `indicators.csv`, `indicators.parquet`,
/// `deciles.csv`, `fiscal.csv`, `lorenz.csv`, `manifest.json`, `charts/<chart>.{png,svg,csv}` and,
/// last, `report.html`. Each file is complete or absent.
pub fn write_run(dir: &Path, results: &RunResults) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    write_indicators_csv(&dir.join("indicators.csv"), &results.indicators)?;
    write_indicators_parquet(&dir.join("indicators.parquet"), &results.indicators)?;
    write_deciles_csv(&dir.join("deciles.csv"), &results.deciles)?;
    write_fiscal_csv(&dir.join("fiscal.csv"), &results.fiscal)?;
    write_lorenz_csv(&dir.join("lorenz.csv"), &results.lorenz)?;
    let manifest = dir.join("manifest.json");
    atomic_write(&manifest, |w| {
        serde_json::to_writer_pretty(&mut *w, &results.manifest)?;
        std::io::Write::write_all(w, b"\n")
    })?;
    let view = view::View::new(results);
    let charts = crate::charts::write_charts(&dir.join("charts"), &view)?;
    crate::report::write_report(&dir.join("report.html"), &view, &charts)
}

/// Writes indicator rows as CSV, long format, columns [`INDICATOR_COLUMNS`].
pub fn write_indicators_csv(path: &Path, rows: &[IndicatorRow]) -> Result<()> {
    write_csv(path, &INDICATOR_COLUMNS, |w| {
        for r in rows {
            w.row(&[
                Cell::Text(&r.scenario),
                Cell::Text(&replication_label(r.replication)),
                Cell::Int(r.year.into()),
                Cell::Text(&r.region),
                Cell::Text(&r.residence),
                Cell::Text(&r.indicator),
                Cell::Num(r.value),
                Cell::Num(r.ci_low),
                Cell::Num(r.ci_high),
            ])?;
        }
        Ok(())
    })
}

/// Writes indicator rows as Parquet, the same columns as the CSV: strings, `year` Int32, values
/// Float64 with NaN as null, `replication` a string like the CSV's.
pub fn write_indicators_parquet(path: &Path, rows: &[IndicatorRow]) -> Result<()> {
    let text = |f: fn(&IndicatorRow) -> &str| rows.iter().map(f).collect::<Vec<&str>>();
    let number = |f: fn(&IndicatorRow) -> f64| {
        rows.iter()
            .map(|r| Some(f(r)).filter(|v| !v.is_nan()))
            .collect::<Vec<Option<f64>>>()
    };
    let replication: Vec<String> = rows
        .iter()
        .map(|r| replication_label(r.replication))
        .collect();
    let year: Vec<i32> = rows.iter().map(|r| r.year).collect();
    let [c0, c1, c2, c3, c4, c5, c6, c7, c8] = INDICATOR_COLUMNS;
    let columns = vec![
        Column::new(c0.into(), text(|r| &r.scenario)),
        Column::new(c1.into(), replication),
        Column::new(c2.into(), year),
        Column::new(c3.into(), text(|r| &r.region)),
        Column::new(c4.into(), text(|r| &r.residence)),
        Column::new(c5.into(), text(|r| &r.indicator)),
        Column::new(c6.into(), number(|r| r.value)),
        Column::new(c7.into(), number(|r| r.ci_low)),
        Column::new(c8.into(), number(|r| r.ci_high)),
    ];
    let mut frame = crate::table::frame(&path.display().to_string(), columns)?;
    crate::table::write_frame(&mut frame, path)
}

/// Writes decile rows as CSV, columns named as the [`DecileRow`] fields.
pub fn write_deciles_csv(path: &Path, rows: &[DecileRow]) -> Result<()> {
    write_csv(path, &DECILE_COLUMNS, |w| {
        for r in rows {
            w.row(&[
                Cell::Text(&r.scenario),
                Cell::Int(r.year.into()),
                Cell::Int(r.decile.into()),
                Cell::Num(r.mean_market),
                Cell::Num(r.mean_pensions),
                Cell::Num(r.mean_assistance),
                Cell::Num(r.mean_transfers),
                Cell::Num(r.mean_contributions),
                Cell::Num(r.mean_disposable),
                Cell::Num(r.gain_yuan),
                Cell::Num(r.gain_pct),
                Cell::Num(r.share_better_off),
                Cell::Num(r.share_worse_off),
            ])?;
        }
        Ok(())
    })
}

/// Writes fiscal rows as CSV, columns named as the [`FiscalRow`] fields (`replication` as in
/// the indicators).
pub fn write_fiscal_csv(path: &Path, rows: &[FiscalRow]) -> Result<()> {
    write_csv(path, &FISCAL_COLUMNS, |w| {
        for r in rows {
            w.row(&[
                Cell::Text(&r.scenario),
                Cell::Text(&replication_label(r.replication)),
                Cell::Int(r.year.into()),
                Cell::Text(&r.program),
                Cell::Text(&r.payer),
                Cell::Num(r.amount_yuan),
                Cell::Num(r.beneficiaries_persons),
                Cell::Num(r.beneficiaries_households),
                Cell::Num(r.mean_benefit_yuan),
            ])?;
        }
        Ok(())
    })
}

/// Writes Lorenz points as CSV: scenario, year, concept, population_share, income_share.
pub fn write_lorenz_csv(path: &Path, rows: &[LorenzRow]) -> Result<()> {
    write_csv(path, &LORENZ_COLUMNS, |w| {
        for r in rows {
            w.row(&[
                Cell::Text(&r.scenario),
                Cell::Int(r.year.into()),
                Cell::Text(&r.concept),
                Cell::Num(r.population_share),
                Cell::Num(r.income_share),
            ])?;
        }
        Ok(())
    })
}
