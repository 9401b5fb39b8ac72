//! The long-format result tables (spec indicators.md, "Outputs of one batch"): `indicators.csv`
//! and `.parquet`, `deciles.csv`, `fiscal.csv`, `lorenz.csv`, their columns, and reading them back
//! (a resumed batch reloads the rows it saved, `run::store`). Each table's columns are written and
//! read in one place, here; every name comes from [`names`].

use std::path::Path;

use crate::Result;
use crate::results::frontier::{FRONTIER_GINI, FRONTIER_POVERTY, Frontier};
use crate::results::names::{self, region_name, replication_name, residence_name};
use crate::results::{FiscalRow, Indicator, IndicatorRow, LorenzRow, ScenarioDecile};
use crate::table::csv::{Cell, write_csv};
use crate::table::text::{Record, read_csv};

/// Column order of `indicators.csv` and `indicators.parquet`.
pub const INDICATOR_COLUMNS: [&str; 10] = [
    "scenario",
    "replication",
    "year",
    "region",
    "residence",
    "indicator",
    "value",
    "ci_low",
    "ci_high",
    "reason",
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
pub const DECILE_COLUMNS: [&str; 14] = [
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
    "mean_medical_out_of_pocket",
];

/// Writes indicator rows as CSV, long format, columns [`INDICATOR_COLUMNS`]: an undefined value
/// is an empty cell with its reason in `reason` (empty for a defined value).
pub fn write_indicators_csv(path: &Path, rows: &[IndicatorRow]) -> Result<()> {
    write_csv(path, &INDICATOR_COLUMNS, |w| {
        for r in rows {
            w.row(&[
                Cell::Text(&r.scenario),
                Cell::Text(&replication_name(r.replication)),
                Cell::Int(r.year.into()),
                Cell::Text(region_name(&r.slice)),
                Cell::Text(residence_name(&r.slice)),
                Cell::Text(&r.indicator.to_string()),
                Cell::Num(r.value),
                Cell::Num(r.ci_low),
                Cell::Num(r.ci_high),
                Cell::Text(r.reason.as_deref().unwrap_or_default()),
            ])?;
        }
        Ok(())
    })
}

/// Writes indicator rows as Parquet, the same columns as the CSV: strings, `year` Int32, values
/// Float64 with NaN as null, `replication` a string like the CSV's, `reason` null for a defined
/// value ([`super::frames`]).
pub fn write_indicators_parquet(path: &Path, rows: &[IndicatorRow]) -> Result<()> {
    let mut frame = super::frames::indicators_frame(rows)?;
    crate::table::write_frame(&mut frame, path)
}

/// Writes decile rows as CSV, columns [`DECILE_COLUMNS`]; a gain in percent that is undefined
/// (reference mean not positive) is an empty cell.
pub fn write_deciles_csv(path: &Path, rows: &[ScenarioDecile]) -> Result<()> {
    write_csv(path, &DECILE_COLUMNS, |w| {
        for ScenarioDecile {
            scenario,
            year,
            row,
        } in rows
        {
            w.row(&[
                Cell::Text(scenario),
                Cell::Int((*year).into()),
                Cell::Int(row.decile.into()),
                Cell::Num(row.market),
                Cell::Num(row.pensions),
                Cell::Num(row.assistance),
                Cell::Num(row.transfers),
                Cell::Num(row.contributions),
                Cell::Num(row.disposable),
                Cell::Num(row.gain_yuan),
                Cell::Num(row.gain_percent.unwrap_or(f64::NAN)),
                Cell::Num(row.better_off_share),
                Cell::Num(row.worse_off_share),
                Cell::Num(row.medical_out_of_pocket),
            ])?;
        }
        Ok(())
    })
}

/// Writes fiscal rows as CSV, columns [`FISCAL_COLUMNS`] (`replication` as in the indicators).
pub fn write_fiscal_csv(path: &Path, rows: &[FiscalRow]) -> Result<()> {
    write_csv(path, &FISCAL_COLUMNS, |w| {
        for r in rows {
            w.row(&[
                Cell::Text(&r.scenario),
                Cell::Text(&replication_name(r.replication)),
                Cell::Int(r.year.into()),
                Cell::Text(&names::line_name(&r.program)),
                Cell::Text(r.payer.as_str()),
                Cell::Num(r.amount_yuan),
                Cell::Num(r.beneficiaries_persons),
                Cell::Num(r.beneficiaries_households),
                Cell::Num(r.mean_benefit_yuan),
            ])?;
        }
        Ok(())
    })
}

/// Writes Lorenz points as CSV, columns [`LORENZ_COLUMNS`].
pub fn write_lorenz_csv(path: &Path, rows: &[LorenzRow]) -> Result<()> {
    write_csv(path, &LORENZ_COLUMNS, |w| {
        for r in rows {
            w.row(&[
                Cell::Text(&r.scenario),
                Cell::Int(r.year.into()),
                Cell::Text(&r.concept.to_string()),
                Cell::Num(r.population_share),
                Cell::Num(r.income_share),
            ])?;
        }
        Ok(())
    })
}

/// Writes `frontier.csv`: one row per point of every reform grid, in grid order: the grid, the
/// point's scenario, the year compared, the reference, up to two grid keys with the point's
/// values (empty for a grid over one parameter), and its extra government cost (yuan/year) and
/// changes of the Gini of D and the poverty rate at 50% of the median against the reference.
pub fn write_frontier_csv(path: &Path, frontiers: &[Frontier]) -> Result<()> {
    let change = |of: Indicator| Indicator::Change(Box::new(of)).to_string();
    let (gini, poverty) = (change(FRONTIER_GINI), change(FRONTIER_POVERTY));
    let header = [
        "grid",
        "scenario",
        "year",
        "reference",
        "parameter_1",
        "value_1",
        "parameter_2",
        "value_2",
        "extra_cost_yuan",
        &gini,
        &poverty,
    ];
    write_csv(path, &header, |w| {
        for f in frontiers {
            let key = |i: usize| f.parameters.get(i).map_or("", String::as_str);
            for p in &f.points {
                let value = |i: usize| Cell::Num(p.values.get(i).copied().unwrap_or(f64::NAN));
                w.row(&[
                    Cell::Text(&f.grid),
                    Cell::Text(&p.scenario),
                    Cell::Int(f.year.into()),
                    Cell::Text(&f.reference),
                    Cell::Text(key(0)),
                    value(0),
                    Cell::Text(key(1)),
                    value(1),
                    Cell::Num(p.extra_cost_yuan),
                    Cell::Num(p.gini_change),
                    Cell::Num(p.poverty_change),
                ])?;
            }
        }
        Ok(())
    })
}

/// Reads `indicators.csv` rows back.
pub fn read_indicators_csv(path: &Path) -> Result<Vec<IndicatorRow>> {
    read_rows(path, &INDICATOR_COLUMNS, |r| {
        let residence = r.text(4);
        Ok(IndicatorRow {
            scenario: r.text(0).to_owned(),
            replication: replication(&r, 1)?,
            year: r.int(2)?,
            slice: r.parse(4, "`all`, `urban` or `rural`", |_| {
                names::slice(r.text(3), residence)
            })?,
            indicator: r.parse(5, "an indicator gongfu writes", names::indicator)?,
            value: r.num(6)?,
            ci_low: r.num(7)?,
            ci_high: r.num(8)?,
            reason: Some(r.text(9)).filter(|t| !t.is_empty()).map(str::to_owned),
        })
    })
}

/// Reads `fiscal.csv` rows back.
pub fn read_fiscal_csv(path: &Path) -> Result<Vec<FiscalRow>> {
    read_rows(path, &FISCAL_COLUMNS, |r| {
        Ok(FiscalRow {
            scenario: r.text(0).to_owned(),
            replication: replication(&r, 1)?,
            year: r.int(2)?,
            program: r.parse(3, "a program line", names::line)?,
            payer: r.parse(4, "a payer", names::payer)?,
            amount_yuan: r.num(5)?,
            beneficiaries_persons: r.num(6)?,
            beneficiaries_households: r.num(7)?,
            mean_benefit_yuan: r.num(8)?,
        })
    })
}

/// Reads `lorenz.csv` rows back.
pub fn read_lorenz_csv(path: &Path) -> Result<Vec<LorenzRow>> {
    read_rows(path, &LORENZ_COLUMNS, |r| {
        Ok(LorenzRow {
            scenario: r.text(0).to_owned(),
            year: r.int(1)?,
            concept: r.parse(2, "an income concept", names::income)?,
            population_share: r.num(3)?,
            income_share: r.num(4)?,
        })
    })
}

/// Reads `deciles.csv` rows back.
pub fn read_deciles_csv(path: &Path) -> Result<Vec<ScenarioDecile>> {
    read_rows(path, &DECILE_COLUMNS, |r| {
        Ok(ScenarioDecile {
            scenario: r.text(0).to_owned(),
            year: r.int(1)?,
            row: crate::results::DecileRow {
                decile: r.int(2)?,
                market: r.num(3)?,
                pensions: r.num(4)?,
                assistance: r.num(5)?,
                transfers: r.num(6)?,
                contributions: r.num(7)?,
                disposable: r.num(8)?,
                gain_yuan: r.num(9)?,
                gain_percent: Some(r.num(10)?).filter(|v| !v.is_nan()),
                better_off_share: r.num(11)?,
                worse_off_share: r.num(12)?,
                medical_out_of_pocket: r.num(13)?,
            },
        })
    })
}

/// Reads a table whose header must be `columns`, turning each record into a row.
fn read_rows<T>(
    path: &Path,
    columns: &[&str],
    row: impl FnMut(Record<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    read_csv(path, columns)?.records().map(row).collect()
}

/// The `replication` cell: a replication number, or `mean`.
fn replication(r: &Record<'_>, col: usize) -> Result<Option<u32>> {
    r.parse(col, "a replication number or `mean`", names::replication)
}
