//! Writing a generated population in the population-file form (population.md), as Parquet or CSV
//! by the file's extension, in batches of rows so memory stays near the population's own; the
//! collectives table goes beside it as `<stem>.collectives.<ext>`.
//! Stand-in until `population::io::write` (the general writer) lands; the columns are the same.

use std::fs::File;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::error::{Error, Result};
use crate::population::{NO_COLLECTIVE, Population};

/// Rows per written batch (about 100 MB of columns).
const BATCH_ROWS: usize = 1 << 20;

/// Output format, from the file extension.
#[derive(Clone, Copy)]
enum Format {
    Parquet,
    Csv,
}

fn format_of(path: &Path) -> Result<Format> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("parquet") => Ok(Format::Parquet),
        Some("csv") => Ok(Format::Csv),
        _ => Err(Error::Population {
            file: path.to_path_buf(),
            message: "unknown extension: use .parquet or .csv".into(),
        }),
    }
}

/// Path of the collectives table written beside a population file.
pub fn collectives_path(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("population");
    let ext = path.extension().and_then(|s| s.to_str()).unwrap_or("csv");
    path.with_file_name(format!("{stem}.collectives.{ext}"))
}

/// Writes the population to `path` (.parquet or .csv) and its collectives table beside it.
pub fn write_population(pop: &Population, path: &Path) -> Result<()> {
    let format = format_of(path)?;
    let table_err = |source| Error::Table {
        context: format!("writing {}", path.display()),
        source,
    };
    let n = pop.persons.len();
    let mut batches = (0..n.max(1)).step_by(BATCH_ROWS).map(|lo| {
        let hi = (lo + BATCH_ROWS).min(n);
        person_batch(pop, lo..hi)
    });
    let first = batches.next().unwrap_or_else(|| person_batch(pop, 0..0))?;
    write_batches(path, format, first, batches).map_err(table_err)?;
    if !pop.collectives.is_empty() {
        let side = collectives_path(path);
        let df = collectives_frame(pop)?;
        write_batches(&side, format, df, std::iter::empty()).map_err(|source| Error::Table {
            context: format!("writing {}", side.display()),
            source,
        })?;
    }
    Ok(())
}

fn write_batches(
    path: &Path,
    format: Format,
    first: DataFrame,
    rest: impl Iterator<Item = Result<DataFrame>>,
) -> PolarsResult<()> {
    let file = File::create(path).map_err(|e| PolarsError::IO {
        error: e.into(),
        msg: None,
    })?;
    let schema = first.schema().clone();
    let mut failure = None;
    let mut frames = std::iter::once(first).chain(rest.map_while(|r| match r {
        Ok(df) => Some(df),
        Err(e) => {
            failure = Some(e.to_string());
            None
        }
    }));
    match format {
        Format::Parquet => {
            let mut w = ParquetWriter::new(file).batched(&schema)?;
            frames.try_for_each(|df| w.write_batch(&df))?;
            w.finish()?;
        }
        Format::Csv => {
            let mut w = CsvWriter::new(file).batched(&schema)?;
            frames.try_for_each(|df| w.write_batch(&df))?;
            w.finish()?;
        }
    }
    match failure {
        Some(msg) => Err(PolarsError::ComputeError(msg.into())),
        None => Ok(()),
    }
}

fn person_batch(pop: &Population, rows: std::ops::Range<usize>) -> Result<DataFrame> {
    let p = &pop.persons;
    let hh = &pop.households;
    let household = &p.household[rows.clone()];
    let r = rows;
    let columns = vec![
        Column::new("person_id".into(), &p.person_id[r.clone()]),
        Column::new(
            "household_id".into(),
            household
                .iter()
                .map(|&h| hh.household_id[h as usize])
                .collect::<Vec<u64>>(),
        ),
        Column::new(
            "weight".into(),
            household
                .iter()
                .map(|&h| hh.weight[h as usize])
                .collect::<Vec<f64>>(),
        ),
        Column::new(
            "region".into(),
            household
                .iter()
                .map(|&h| pop.regions[usize::from(hh.region[h as usize])].as_str())
                .collect::<Vec<&str>>(),
        ),
        Column::new(
            "residence".into(),
            household
                .iter()
                .map(|&h| hh.residence[h as usize].as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new("age".into(), &p.age[r.clone()]),
        Column::new(
            "sex".into(),
            p.sex[r.clone()]
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "employment".into(),
            p.employment[r.clone()]
                .iter()
                .map(|e| e.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new("earnings".into(), &p.earnings_yearly[r.clone()]),
        Column::new(
            "hukou".into(),
            p.hukou[r.clone()]
                .iter()
                .map(|h| h.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new("other_income".into(), &p.other_income_yearly[r.clone()]),
        Column::new(
            "pension_scheme".into(),
            p.pension_scheme[r.clone()]
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "contribution_years".into(),
            &p.contribution_years[r.clone()],
        ),
        Column::new("account_balance".into(), &p.account_balance[r.clone()]),
        Column::new("resident_tier".into(), &p.resident_tier_yearly[r.clone()]),
        Column::new(
            "current_pension".into(),
            &p.current_pension_yearly[r.clone()],
        ),
        Column::new("disability_grade".into(), &p.disability_grade[r.clone()]),
        Column::new("cadre".into(), &p.cadre[r.clone()]),
        Column::new("no_supporter".into(), &p.no_supporter[r.clone()]),
        Column::new(
            "collective_id".into(),
            household
                .iter()
                .map(|&h| {
                    let c = hh.collective[h as usize];
                    (c != NO_COLLECTIVE).then(|| pop.collectives.collective_id[c as usize])
                })
                .collect::<Vec<Option<u64>>>(),
        ),
        Column::new("dibao_last_year".into(), &p.dibao_last_year[r.clone()]),
        Column::new("tekun_last_year".into(), &p.tekun_last_year[r.clone()]),
        Column::new("margin_last_year".into(), &p.margin_last_year[r.clone()]),
    ];
    DataFrame::new(household.len(), columns).map_err(|source| Error::Table {
        context: "building the population table".into(),
        source,
    })
}

fn collectives_frame(pop: &Population) -> Result<DataFrame> {
    let c = &pop.collectives;
    let region: Vec<&str> = c
        .region
        .iter()
        .map(|&r| pop.regions[usize::from(r)].as_str())
        .collect();
    let mut columns = vec![
        Column::new("collective_id".into(), &c.collective_id),
        Column::new("region".into(), region),
    ];
    if let Some(t) = &c.table {
        columns.push(Column::new("capacity_yearly".into(), &t.capacity_yearly));
        columns.push(Column::new("participating".into(), &t.participating));
    }
    DataFrame::new(c.len(), columns).map_err(|source| Error::Table {
        context: "building the collectives table".into(),
        source,
    })
}
