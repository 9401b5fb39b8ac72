//! `gongfu stats FILE --income COL [--weight COL] [--by COL] [--json]`: summary indicators
//! (Gini, Theil, MLD, Palma, P90/P10, quintile shares, relative poverty; spec indicators.md) of
//! one income column of a CSV or Parquet file, overall or by group.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow, bail};
use polars::prelude::*;

use crate::error::nearest;
use crate::indicators::{Distribution, Summary, summarise};
use crate::table::{CsvColumns, Format, ReadError, read_frame};

/// Arguments of `gongfu stats`.
#[derive(Debug, clap::Args)]
pub struct StatsArgs {
    /// Table of persons (.csv with a header row, or .parquet).
    pub file: PathBuf,
    /// Column holding the income (yuan per year; zero and negative allowed).
    #[arg(long)]
    pub income: String,
    /// Column holding each row's weight (persons it stands for, > 0); default 1 per row.
    #[arg(long)]
    pub weight: Option<String>,
    /// Column to group by: one summary per distinct value.
    #[arg(long)]
    pub by: Option<String>,
    /// Print JSON on stdout: one object, or a list of objects with `--by`.
    #[arg(long)]
    pub json: bool,
}

/// Value of the `--by` column for one group: integers keep their numeric order and JSON type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum GroupKey {
    /// An integer column's value.
    Integer(i64),
    /// Any other column's value, as text.
    Text(String),
}

impl std::fmt::Display for GroupKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GroupKey::Integer(i) => write!(f, "{i}"),
            GroupKey::Text(s) => f.write_str(s),
        }
    }
}

/// Incomes and weights of one group.
#[derive(Debug, Default)]
struct Group {
    incomes: Vec<f64>,
    weights: Vec<f64>,
}

/// Runs `gongfu stats`.
pub fn run(args: StatsArgs) -> anyhow::Result<()> {
    let file = args.file.as_path();
    let df = read_table(file)?;
    let summaries = summaries(
        &df,
        file,
        &args.income,
        args.weight.as_deref(),
        args.by.as_deref(),
    )?;
    if args.json {
        println!("{}", to_json(args.by.as_deref(), &summaries)?);
    } else {
        print_table(&args, &summaries);
    }
    Ok(())
}

/// The summary of column `income` of `df` (weighted by column `weight`, else 1 per row), one per
/// value of column `by` in key order, else one for all rows (key `None`). `file` names the table
/// in errors, which name the row and column of the first bad value (the Python package's
/// `gongfu.stats` passes a frame under a name of its own).
pub fn summaries(
    df: &DataFrame,
    file: &Path,
    income: &str,
    weight: Option<&str>,
    by: Option<&str>,
) -> anyhow::Result<Vec<(Option<GroupKey>, Summary)>> {
    if df.height() == 0 {
        bail!(
            "{}: the table has no rows; at least one is needed",
            file.display()
        );
    }
    let incomes = numeric_column(df, file, income)?;
    let weights = match weight {
        Some(name) => {
            let weights = numeric_column(df, file, name)?;
            if let Some(row) = weights.iter().position(|w| *w <= 0.0) {
                bail!(
                    "{}: row {}, column `{name}`: weight {} is not allowed; weights must be positive",
                    file.display(),
                    row + 1,
                    weights[row]
                );
            }
            weights
        }
        None => vec![1.0; incomes.len()],
    };
    let groups = match by {
        Some(by) => group_by(df, file, by, &incomes, &weights)?,
        None => vec![(None, Group { incomes, weights })],
    };
    let mut summaries = Vec::with_capacity(groups.len());
    for (key, group) in &groups {
        let place = match (by, key) {
            (Some(by), Some(key)) => format!(", group {by} = {key}"),
            _ => String::new(),
        };
        let summary = Distribution::new(&group.incomes, &group.weights)
            .and_then(|d| summarise(&d))
            .with_context(|| format!("{}: income `{income}`{place}", file.display()))?;
        summaries.push((key.clone(), summary));
    }
    Ok(summaries)
}

/// Reads a CSV (header row, types inferred from all rows) or Parquet file.
fn read_table(file: &Path) -> anyhow::Result<DataFrame> {
    let Some(format) = Format::of(file) else {
        bail!(
            "{}: unknown file type; expected a .csv or .parquet file",
            file.display()
        );
    };
    // Formatted here rather than through `Error::Io`/`Error::Table`: those also expose their
    // cause as the error source, so the CLI's chain printing would repeat it.
    read_frame(file, format, CsvColumns::Inferred).map_err(|e| match e {
        ReadError::Io(e) => anyhow!("{}: {e}", file.display()),
        ReadError::NotUtf8 { .. } => {
            anyhow!(
                "{}: reading the table: invalid utf-8 sequence",
                file.display()
            )
        }
        ReadError::Unreadable(e) => anyhow!("{}: reading the table: {e}", file.display()),
        e @ ReadError::ColumnType { .. } => anyhow!("{}: {e}", file.display()),
    })
}

/// A column by name, or an error listing the available columns with a "did you mean" hint.
fn column<'a>(df: &'a DataFrame, file: &Path, name: &str) -> anyhow::Result<&'a Column> {
    df.column(name).map_err(|_| {
        let names: Vec<&str> = df.get_column_names().iter().map(|n| n.as_str()).collect();
        let hint = nearest(name, names.iter().copied())
            .map(|n| format!("\n\n  did you mean `{n}`?"))
            .unwrap_or_default();
        anyhow!(
            "{}: no column `{name}`; available columns: {}{hint}",
            file.display(),
            names.join(", ")
        )
    })
}

/// A numeric column as f64, one per row; errors name the row (1-based, header = row 0) of the
/// first empty, non-numeric, NaN or infinite value.
fn numeric_column(df: &DataFrame, file: &Path, name: &str) -> anyhow::Result<Vec<f64>> {
    let col = column(df, file, name)?;
    let at = |row: usize, what: String| {
        anyhow!(
            "{}: row {}, column `{name}`: {what}; a finite number is required",
            file.display(),
            row + 1
        )
    };
    let values: Vec<Option<f64>> = match col.dtype() {
        DataType::String => {
            let strings = col.str()?;
            let mut values = Vec::with_capacity(strings.len());
            for (row, s) in strings.iter().enumerate() {
                values.push(match s {
                    None => None,
                    Some(s) => Some(
                        s.trim()
                            .parse::<f64>()
                            .map_err(|_| at(row, format!("`{s}` is not a number")))?,
                    ),
                });
            }
            values
        }
        dtype if dtype.is_primitive_numeric() => {
            col.cast(&DataType::Float64)?.f64()?.iter().collect()
        }
        dtype => bail!(
            "{}: column `{name}` has type {dtype}; it must be numeric",
            file.display()
        ),
    };
    values
        .into_iter()
        .enumerate()
        .map(|(row, v)| match v {
            None => Err(at(row, "the value is empty".into())),
            Some(v) if !v.is_finite() => Err(at(row, format!("{v} is not allowed"))),
            Some(v) => Ok(v),
        })
        .collect()
}

/// Splits incomes and weights by the value of the `by` column, groups in key order.
fn group_by(
    df: &DataFrame,
    file: &Path,
    by: &str,
    incomes: &[f64],
    weights: &[f64],
) -> anyhow::Result<Vec<(Option<GroupKey>, Group)>> {
    let col = column(df, file, by)?;
    let keys: Vec<Option<GroupKey>> = if col.dtype().is_integer() {
        let ints = col.cast(&DataType::Int64)?;
        ints.i64()?
            .iter()
            .map(|k| k.map(GroupKey::Integer))
            .collect()
    } else {
        let text = col.cast(&DataType::String)?;
        text.str()?
            .iter()
            .map(|k| k.map(|k| GroupKey::Text(k.to_string())))
            .collect()
    };
    let mut groups: BTreeMap<GroupKey, Group> = BTreeMap::new();
    for (row, key) in keys.into_iter().enumerate() {
        let key = key.ok_or_else(|| {
            anyhow!(
                "{}: row {}, column `{by}`: the group is empty; every row needs one",
                file.display(),
                row + 1
            )
        })?;
        let group = groups.entry(key).or_default();
        group.incomes.push(incomes[row]);
        group.weights.push(weights[row]);
    }
    Ok(groups.into_iter().map(|(k, g)| (Some(k), g)).collect())
}

/// One group's JSON object: the `--by` column's name and value, then the summary's keys.
#[derive(serde::Serialize)]
struct GroupRow<'a> {
    #[serde(flatten)]
    key: BTreeMap<&'a str, serde_json::Value>,
    #[serde(flatten)]
    summary: &'a Summary,
}

/// One JSON object (no `--by`) or a list of objects with the group key under the `--by` name.
pub fn to_json(
    by: Option<&str>,
    summaries: &[(Option<GroupKey>, Summary)],
) -> anyhow::Result<String> {
    let Some(by) = by else {
        return Ok(serde_json::to_string(&summaries[0].1)?);
    };
    if serde_json::to_value(&summaries[0].1)?.get(by).is_some() {
        bail!("--by column `{by}` has the name of an output key; rename the column");
    }
    let list: Vec<GroupRow<'_>> = summaries
        .iter()
        .map(|(key, summary)| GroupRow {
            key: BTreeMap::from([(
                by,
                match key {
                    Some(GroupKey::Integer(i)) => serde_json::Value::from(*i),
                    Some(GroupKey::Text(s)) => serde_json::Value::from(s.as_str()),
                    None => serde_json::Value::Null,
                },
            )]),
            summary,
        })
        .collect();
    Ok(serde_json::to_string(&list)?)
}

/// Prints one row per group, money to the yuan fen, ratios to 4 decimals; `-` is undefined.
fn print_table(args: &StatsArgs, summaries: &[(Option<GroupKey>, Summary)]) {
    let ratio = |x: f64| format!("{x:.4}");
    let optional = |x: Option<f64>| x.map_or("-".to_string(), ratio);
    let mut rows: Vec<Vec<String>> = vec![
        [
            args.by.as_deref().unwrap_or("group"),
            "n",
            "weight",
            "mean",
            "median",
            "gini",
            "theil",
            "mld",
            "palma",
            "p90/p10",
            "q1",
            "q2",
            "q3",
            "q4",
            "q5",
            "pov40",
            "pov50",
            "pov60",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for (key, s) in summaries {
        let mut row = vec![
            key.as_ref().map_or("all".to_string(), ToString::to_string),
            s.n.to_string(),
            format!("{:.2}", s.total_weight),
            format!("{:.2}", s.mean),
            format!("{:.2}", s.median),
            ratio(s.gini),
            ratio(s.theil),
            ratio(s.mld),
            optional(s.palma),
            optional(s.p90_p10),
        ];
        row.extend(s.quintile_shares.map(ratio));
        row.extend([s.poverty_rate_40, s.poverty_rate_50, s.poverty_rate_60].map(ratio));
        rows.push(row);
    }
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    println!(
        "{}: income `{}`, weight {}",
        args.file.display(),
        args.income,
        args.weight
            .as_ref()
            .map_or("1 per row".to_string(), |w| format!("`{w}`"))
    );
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(c, (cell, &w))| {
                if c == 0 {
                    format!("{cell:<w$}")
                } else {
                    format!("{cell:>w$}")
                }
            })
            .collect();
        println!("{}", cells.join("  "));
    }
    let skipped: usize = summaries.iter().map(|(_, s)| s.log_measures_skipped).sum();
    if skipped > 0 {
        println!("theil and mld leave out {skipped} row(s) with zero or negative income");
    }
    if summaries
        .iter()
        .any(|(_, s)| s.palma.is_none() || s.p90_p10.is_none())
    {
        println!("'-': undefined (the poorest 40% share or P10 is not positive)");
    }
    println!(
        "q1..q5: income shares of the weighted quintiles; pov40/50/60: share strictly below \
         40/50/60% of the median"
    );
}
