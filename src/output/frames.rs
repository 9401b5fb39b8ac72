//! The result tables as polars frames, with the columns and cell spellings of the files
//! ([`super::tables`]): what `indicators.parquet` holds (`reason` null for a defined value), and `deciles.csv`, `fiscal.csv` and
//! `lorenz.csv` typed (text as strings, `year` and `decile` Int32, numbers Float64 with an empty
//! cell, NaN, as null). The Python package hands these frames to its users without a file between.

use polars::prelude::{Column, DataFrame};

use crate::Result;
use crate::results::names::{self, region_name, replication_name, residence_name};
use crate::results::{FiscalRow, IndicatorRow, LorenzRow, ScenarioDecile};

use super::tables::{DECILE_COLUMNS, FISCAL_COLUMNS, INDICATOR_COLUMNS, LORENZ_COLUMNS};

/// A text column from each row.
fn text<R>(name: &str, rows: &[R], f: impl Fn(&R) -> String) -> Column {
    Column::new(name.into(), rows.iter().map(f).collect::<Vec<String>>())
}

/// A Float64 column from each row, NaN as null (the files' empty cell).
fn number<R>(name: &str, rows: &[R], f: impl Fn(&R) -> f64) -> Column {
    let values: Vec<Option<f64>> = rows
        .iter()
        .map(|r| Some(f(r)).filter(|v| !v.is_nan()))
        .collect();
    Column::new(name.into(), values)
}

/// An Int32 column from each row.
fn int<R>(name: &str, rows: &[R], f: impl Fn(&R) -> i32) -> Column {
    Column::new(name.into(), rows.iter().map(f).collect::<Vec<i32>>())
}

/// Indicator rows, columns [`INDICATOR_COLUMNS`]: the frame `indicators.parquet` is written from.
pub fn indicators_frame(rows: &[IndicatorRow]) -> Result<DataFrame> {
    let [c0, c1, c2, c3, c4, c5, c6, c7, c8, c9] = INDICATOR_COLUMNS;
    let reason: Vec<Option<&str>> = rows.iter().map(|r| r.reason.as_deref()).collect();
    let columns = vec![
        text(c0, rows, |r| r.scenario.clone()),
        text(c1, rows, |r| replication_name(r.replication)),
        int(c2, rows, |r| r.year),
        text(c3, rows, |r| region_name(&r.slice).to_owned()),
        text(c4, rows, |r| residence_name(&r.slice).to_owned()),
        text(c5, rows, |r| r.indicator.to_string()),
        number(c6, rows, |r| r.value),
        number(c7, rows, |r| r.ci_low),
        number(c8, rows, |r| r.ci_high),
        Column::new(c9.into(), reason),
    ];
    crate::table::frame("the indicators table", columns)
}

/// Decile rows, columns [`DECILE_COLUMNS`] (means and gains in yuan/year per person, shares in
/// [0, 1]; `gain_pct` null where `deciles.csv` has an empty cell).
pub fn deciles_frame(rows: &[ScenarioDecile]) -> Result<DataFrame> {
    let [c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13] = DECILE_COLUMNS;
    let columns = vec![
        text(c0, rows, |r| r.scenario.clone()),
        int(c1, rows, |r| r.year),
        int(c2, rows, |r| r.row.decile.into()),
        number(c3, rows, |r| r.row.market),
        number(c4, rows, |r| r.row.pensions),
        number(c5, rows, |r| r.row.assistance),
        number(c6, rows, |r| r.row.transfers),
        number(c7, rows, |r| r.row.contributions),
        number(c8, rows, |r| r.row.disposable),
        number(c9, rows, |r| r.row.gain_yuan),
        number(c10, rows, |r| r.row.gain_percent.unwrap_or(f64::NAN)),
        number(c11, rows, |r| r.row.better_off_share),
        number(c12, rows, |r| r.row.worse_off_share),
        number(c13, rows, |r| r.row.medical_out_of_pocket),
    ];
    crate::table::frame("the deciles table", columns)
}

/// Fiscal rows, columns [`FISCAL_COLUMNS`] (yuan/year, weighted persons and households).
pub fn fiscal_frame(rows: &[FiscalRow]) -> Result<DataFrame> {
    let [c0, c1, c2, c3, c4, c5, c6, c7, c8] = FISCAL_COLUMNS;
    let columns = vec![
        text(c0, rows, |r| r.scenario.clone()),
        text(c1, rows, |r| replication_name(r.replication)),
        int(c2, rows, |r| r.year),
        text(c3, rows, |r| names::line_name(&r.program)),
        text(c4, rows, |r| r.payer.as_str().to_owned()),
        number(c5, rows, |r| r.amount_yuan),
        number(c6, rows, |r| r.beneficiaries_persons),
        number(c7, rows, |r| r.beneficiaries_households),
        number(c8, rows, |r| r.mean_benefit_yuan),
    ];
    crate::table::frame("the fiscal table", columns)
}

/// Lorenz points, columns [`LORENZ_COLUMNS`] (cumulative shares in [0, 1]).
pub fn lorenz_frame(rows: &[LorenzRow]) -> Result<DataFrame> {
    let [c0, c1, c2, c3, c4] = LORENZ_COLUMNS;
    let columns = vec![
        text(c0, rows, |r| r.scenario.clone()),
        int(c1, rows, |r| r.year),
        text(c2, rows, |r| r.concept.to_string()),
        number(c3, rows, |r| r.population_share),
        number(c4, rows, |r| r.income_share),
    ];
    crate::table::frame("the Lorenz table", columns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{Indicator, Slice};

    /// A NaN interval (one replication) becomes null, a value stays the same bits, and the
    /// replication mean is spelt as in the files.
    #[test]
    fn indicator_frame_keeps_values_and_nulls_nan() {
        let row = IndicatorRow {
            scenario: "baseline".into(),
            replication: None,
            year: 2022,
            slice: Slice {
                region: None,
                residence: None,
            },
            indicator: Indicator::Gini(crate::results::Income::Disposable),
            value: 0.1 + 0.2,
            ci_low: f64::NAN,
            ci_high: 0.5,
            reason: None,
        };
        let df = indicators_frame(&[row]).unwrap();
        assert_eq!(df.width(), INDICATOR_COLUMNS.len());
        let value = df.column("value").unwrap().f64().unwrap().get(0).unwrap();
        assert_eq!(value.to_bits(), (0.1f64 + 0.2).to_bits());
        assert_eq!(df.column("ci_low").unwrap().null_count(), 1);
        assert_eq!(df.column("reason").unwrap().null_count(), 1);
        let rep = df.column("replication").unwrap().str().unwrap().get(0);
        assert_eq!(rep, Some(replication_name(None).as_str()));
    }
}
