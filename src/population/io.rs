//! Reading and writing population files (Parquet and CSV) with validation (population.md).
//!
//! A file is read whole and checked before anything is built: every error names the file, the row
//! (1-based data row; the header is row 0, so CSV row r is on line r + 1) and the column, and says
//! what is allowed. Nothing is simulated on a partly read file. An optional collectives table sits
//! beside the population file as `<stem>.collectives.<ext>`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::{
    CollectiveTable, Collectives, Employment, Households, MAX_AGE, NO_COLLECTIVE, PensionScheme,
    Persons, Population, Residence, Sex, impute,
};
use crate::error::{Error, Result};
use crate::table::{self, CsvColumns, Format, ReadError, read_frame};

/// Columns every population file must have.
pub const REQUIRED_COLUMNS: [&str; 9] = [
    "person_id",
    "household_id",
    "weight",
    "region",
    "residence",
    "age",
    "sex",
    "employment",
    "earnings",
];

/// Optional columns, with their defaults documented in population.md.
pub const OPTIONAL_COLUMNS: [&str; 15] = [
    "hukou",
    "other_income",
    "pension_scheme",
    "contribution_years",
    "account_balance",
    "indexed_wage_ratio",
    "resident_tier",
    "current_pension",
    "disability_grade",
    "cadre",
    "no_supporter",
    "collective_id",
    "dibao_last_year",
    "tekun_last_year",
    "margin_last_year",
];

/// Year used to impute contribution years of a file that has none (the base year of the data).
pub const IMPUTATION_YEAR: i32 = 2022;

/// Average wage used to impute employee account balances of people without earnings: urban
/// non-private units 2022, 114,029 yuan (NBS communique on 2022 average wages).
pub const IMPUTATION_AVERAGE_WAGE_YEARLY: f64 = 114_029.0;

fn format_of(path: &Path) -> Result<Format> {
    Format::of(path).ok_or_else(|| Error::Population {
        file: path.to_path_buf(),
        message: "unknown file type; a population file ends in .parquet or .csv".into(),
    })
}

/// Path of the collectives table that may sit beside a population file.
pub fn collectives_path(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("population");
    let ext = path
        .extension()
        .and_then(|s| s.to_str())
        .unwrap_or("parquet");
    path.with_file_name(format!("{stem}.collectives.{ext}"))
}

/// A table read from disk, with accessors that turn cells into typed values or precise errors.
struct Table {
    file: PathBuf,
    df: DataFrame,
}

/// A cell error before the row and column are attached.
type CellResult<T> = std::result::Result<T, String>;

impl Table {
    fn read(path: &Path) -> Result<Table> {
        let format = format_of(path)?;
        let file = path.to_path_buf();
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if meta.len() == 0 {
            return Err(Error::Population {
                file,
                message: "the file is empty; a header row and at least one person are required"
                    .into(),
            });
        }
        let df = read_frame(path, format, CsvColumns::Text).map_err(|e| match e {
            ReadError::Io(cause) => Error::io(path, cause),
            ReadError::NotUtf8 { line, byte } => Error::Population {
                file: file.clone(),
                message: format!(
                    "line {line}: not valid UTF-8 (byte {byte}); save the file as UTF-8 (a GBK export needs converting, e.g. `iconv -f GBK -t UTF-8`)"
                ),
            },
            ReadError::Unreadable(e) => Error::Population {
                file: file.clone(),
                message: match format {
                    Format::Csv => format!("not a readable CSV file: {e}"),
                    Format::Parquet => format!("not a readable Parquet file: {e}"),
                },
            },
        })?;
        if df.height() == 0 {
            return Err(Error::Population {
                file,
                message: "the file has no rows; at least one person is required".into(),
            });
        }
        Ok(Table { file, df })
    }

    fn rows(&self) -> usize {
        self.df.height()
    }

    fn has(&self, name: &str) -> bool {
        self.df
            .get_column_names()
            .iter()
            .any(|c| c.as_str() == name)
    }

    fn require(&self, names: &[&str]) -> Result<()> {
        let missing: Vec<&str> = names.iter().copied().filter(|n| !self.has(n)).collect();
        if missing.is_empty() {
            return Ok(());
        }
        let present: Vec<String> = self
            .df
            .get_column_names()
            .iter()
            .map(|c| c.to_string())
            .collect();
        let hint = missing
            .iter()
            .filter_map(|m| {
                crate::error::nearest(m, present.iter().map(String::as_str))
                    .map(|p| format!(" (is `{p}` meant to be `{m}`?)"))
            })
            .collect::<String>();
        Err(Error::Population {
            file: self.file.clone(),
            message: format!(
                "missing required column{} {}{hint}; required columns are {}",
                if missing.len() > 1 { "s" } else { "" },
                missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                names.join(", ")
            ),
        })
    }

    fn cell_error(&self, row0: usize, column: &str, message: String) -> Error {
        Error::PopulationValue {
            file: self.file.clone(),
            row: row0 + 1,
            column: column.to_string(),
            message,
        }
    }

    fn series(&self, name: &str) -> Option<&Series> {
        self.df
            .column(name)
            .ok()
            .map(|c| c.as_materialized_series())
    }

    /// Applies `parse` to every cell of a column; `None` cells are passed as `None`.
    /// Text columns (all of CSV) are parsed from their words; typed Parquet columns are cast.
    fn cells<T>(
        &self,
        name: &str,
        kind: CellKind,
        mut parse: impl FnMut(Option<Cell<'_>>) -> CellResult<T>,
    ) -> Result<Vec<T>> {
        let s = self.series(name).expect("column checked by caller");
        let mut out = Vec::with_capacity(s.len());
        let wrong_type = |dtype: &DataType| {
            self.cell_error(
                0,
                name,
                format!(
                    "wrong type: the column holds {dtype}, expected {}",
                    kind.describe()
                ),
            )
        };
        match s.dtype() {
            DataType::String => {
                for (i, v) in s.str().expect("string dtype").iter().enumerate() {
                    let cell = v.map(str::trim).filter(|t| !t.is_empty()).map(Cell::Text);
                    out.push(parse(cell).map_err(|m| self.cell_error(i, name, m))?);
                }
            }
            DataType::Boolean => {
                if kind != CellKind::Flag {
                    return Err(wrong_type(s.dtype()));
                }
                for (i, v) in s.bool().expect("bool dtype").iter().enumerate() {
                    out.push(parse(v.map(Cell::Flag)).map_err(|m| self.cell_error(i, name, m))?);
                }
            }
            dt if dt.is_primitive_numeric() => {
                if kind == CellKind::Word {
                    return Err(wrong_type(dt));
                }
                let as_f64 = s.cast(&DataType::Float64).map_err(|_| wrong_type(dt))?;
                let exact_u64 = if dt.is_integer() {
                    s.cast(&DataType::UInt64).ok()
                } else {
                    None
                };
                let exact = exact_u64
                    .as_ref()
                    .map(|c| c.u64().expect("u64 after cast").clone());
                for (i, v) in as_f64.f64().expect("f64 after cast").iter().enumerate() {
                    let cell = v.map(|x| match exact.as_ref().and_then(|e| e.get(i)) {
                        Some(u) => Cell::Integer(u),
                        None => Cell::Number(x),
                    });
                    out.push(parse(cell).map_err(|m| self.cell_error(i, name, m))?);
                }
            }
            other => return Err(wrong_type(other)),
        }
        Ok(out)
    }
}

/// What a column should hold (for "wrong type" messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CellKind {
    Number,
    Word,
    Flag,
}

impl CellKind {
    fn describe(self) -> &'static str {
        match self {
            CellKind::Number => "numbers",
            CellKind::Word => "text",
            CellKind::Flag => "true/false",
        }
    }
}

/// One non-empty cell.
#[derive(Debug, Clone, Copy)]
enum Cell<'a> {
    Text(&'a str),
    Number(f64),
    Integer(u64),
    Flag(bool),
}

fn number(cell: Cell<'_>) -> CellResult<f64> {
    let x = match cell {
        Cell::Text(t) => t
            .parse::<f64>()
            .map_err(|_| format!("`{t}` is not a number"))?,
        Cell::Number(x) => x,
        Cell::Integer(u) => u as f64,
        Cell::Flag(_) => return Err("true/false is not a number".into()),
    };
    if x.is_nan() {
        return Err("NaN is not allowed; give a number".into());
    }
    if x.is_infinite() {
        return Err(format!("{x} is not allowed; give a finite number"));
    }
    Ok(x)
}

fn whole(cell: Cell<'_>) -> CellResult<u64> {
    match cell {
        Cell::Integer(u) => Ok(u),
        Cell::Text(t) if t.parse::<u64>().is_ok() => Ok(t.parse::<u64>().expect("checked")),
        other => {
            let x = number(other)?;
            if x < 0.0 || x.fract() != 0.0 || x > 9.0e15 {
                Err(format!("{x} is not a whole number >= 0"))
            } else {
                Ok(x as u64)
            }
        }
    }
}

fn word<'a>(cell: Cell<'a>) -> CellResult<&'a str> {
    match cell {
        Cell::Text(t) => Ok(t),
        _ => Err("expected text".into()),
    }
}

fn flag(cell: Cell<'_>) -> CellResult<bool> {
    match cell {
        Cell::Flag(b) => Ok(b),
        Cell::Integer(0) => Ok(false),
        Cell::Integer(1) => Ok(true),
        Cell::Text(t) => match t.to_ascii_lowercase().as_str() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(format!("`{t}` is not a flag; allowed: true, false, 1, 0")),
        },
        other => Err(format!(
            "{other:?} is not a flag; allowed: true, false, 1, 0"
        )),
    }
}

fn required<T>(
    f: impl Fn(Cell<'_>) -> CellResult<T>,
) -> impl FnMut(Option<Cell<'_>>) -> CellResult<T> {
    move |c| match c {
        Some(c) => f(c),
        None => Err("empty; a value is required".into()),
    }
}

fn in_range(x: f64, lo: f64, what: &str) -> CellResult<f64> {
    if x < lo {
        Err(format!("{x} is negative; {what} must be >= {lo}"))
    } else {
        Ok(x)
    }
}

fn one_of<T: Copy>(t: &str, parse: impl Fn(&str) -> Option<T>, allowed: &str) -> CellResult<T> {
    parse(t).ok_or_else(|| format!("`{t}` is not allowed; allowed: {allowed}"))
}

/// Reads an optional column with a per-cell parser, or `None` when the file lacks the column.
fn optional<T>(
    t: &Table,
    name: &str,
    kind: CellKind,
    parse: impl FnMut(Option<Cell<'_>>) -> CellResult<T>,
) -> Result<Option<Vec<T>>> {
    if t.has(name) {
        t.cells(name, kind, parse).map(Some)
    } else {
        Ok(None)
    }
}

/// Reads and validates a population file (and its collectives table when present beside it).
pub fn read(path: &Path) -> Result<Population> {
    let t = Table::read(path)?;
    t.require(&REQUIRED_COLUMNS)?;
    let n = t.rows();

    let person_id = t.cells("person_id", CellKind::Number, required(whole))?;
    let household_id = t.cells("household_id", CellKind::Number, required(whole))?;
    let weight = t.cells(
        "weight",
        CellKind::Number,
        required(|c| {
            let w = number(c)?;
            if w > 0.0 {
                Ok(w)
            } else {
                Err(format!("{w} is not allowed; a weight must be > 0"))
            }
        }),
    )?;
    let mut region_codes: Vec<String> = Vec::new();
    let region = t.cells(
        "region",
        CellKind::Word,
        required(|c| word(c).map(str::to_string)),
    )?;
    let residence = t.cells(
        "residence",
        CellKind::Word,
        required(|c| one_of(word(c)?, Residence::parse, "urban, rural")),
    )?;
    let age = t.cells(
        "age",
        CellKind::Number,
        required(|c| {
            let a = number(c)?;
            if a.fract() != 0.0 || !(0.0..=f64::from(MAX_AGE)).contains(&a) {
                Err(format!("{a} is outside 0..={MAX_AGE} (whole years)"))
            } else {
                Ok(a as u8)
            }
        }),
    )?;
    let sex = t.cells(
        "sex",
        CellKind::Word,
        required(|c| one_of(word(c)?, Sex::parse, "m, f")),
    )?;
    let employment = t.cells(
        "employment",
        CellKind::Word,
        required(|c| {
            one_of(
                word(c)?,
                Employment::parse,
                "employee, flexible, farmer, not_working, student, retired",
            )
        }),
    )?;
    let earnings = t.cells(
        "earnings",
        CellKind::Number,
        required(|c| in_range(number(c)?, 0.0, "earnings")),
    )?;

    let opt_num = |name: &str, min: Option<f64>| -> Result<Option<Vec<Option<f64>>>> {
        optional(&t, name, CellKind::Number, |c| match c {
            None => Ok(None),
            Some(c) => {
                let x = number(c)?;
                match min {
                    Some(lo) => in_range(x, lo, name).map(Some),
                    None => Ok(Some(x)),
                }
            }
        })
    };
    let opt_flag = |name: &str| -> Result<Option<Vec<bool>>> {
        optional(&t, name, CellKind::Flag, |c| {
            c.map(flag).transpose().map(|b| b.unwrap_or(false))
        })
    };
    let hukou = optional(&t, "hukou", CellKind::Word, |c| {
        c.map(|c| one_of(word(c)?, Residence::parse, "urban, rural"))
            .transpose()
    })?;
    let other_income = opt_num("other_income", None)?;
    let pension_scheme = optional(&t, "pension_scheme", CellKind::Word, |c| {
        c.map(|c| one_of(word(c)?, PensionScheme::parse, "employee, resident, none"))
            .transpose()
    })?;
    let contribution_years = opt_num("contribution_years", Some(0.0))?;
    let account_balance = opt_num("account_balance", Some(0.0))?;
    let indexed_wage_ratio = opt_num("indexed_wage_ratio", Some(0.0))?;
    let resident_tier = opt_num("resident_tier", Some(0.0))?;
    let current_pension = opt_num("current_pension", Some(0.0))?;
    let disability_grade = optional(&t, "disability_grade", CellKind::Number, |c| match c {
        None => Ok(0),
        Some(c) => {
            let g = number(c)?;
            if g.fract() != 0.0 || !(0.0..=3.0).contains(&g) {
                Err(format!(
                    "{g} is not a grade; allowed: 0 (none), 1 (mild), 2 (moderate), 3 (severe)"
                ))
            } else {
                Ok(g as u8)
            }
        }
    })?;
    let cadre = opt_flag("cadre")?;
    let no_supporter = opt_flag("no_supporter")?;
    let dibao_last_year = opt_flag("dibao_last_year")?;
    let tekun_last_year = opt_flag("tekun_last_year")?;
    let margin_last_year = opt_flag("margin_last_year")?;
    let collective_id = optional(&t, "collective_id", CellKind::Number, |c| {
        c.map(whole).transpose()
    })?;

    // Unique person ids.
    let mut by_id: Vec<u32> = (0..n as u32).collect();
    by_id.sort_unstable_by_key(|&i| person_id[i as usize]);
    if let Some(w) = by_id
        .windows(2)
        .find(|w| person_id[w[0] as usize] == person_id[w[1] as usize])
    {
        let (first, second) = (w[0].min(w[1]) as usize, w[0].max(w[1]) as usize);
        return Err(t.cell_error(
            second,
            "person_id",
            format!(
                "duplicate id {} (also on row {})",
                person_id[second],
                first + 1
            ),
        ));
    }

    // Group rows by household: households ordered by (collective, household id) so that the
    // households of a collective are contiguous (the engine never splits a collective); persons
    // keep their file order within the household.
    let coll_of = |i: usize| {
        collective_id
            .as_ref()
            .and_then(|c| c[i])
            .unwrap_or(u64::MAX)
    };
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_by_key(|&i| (coll_of(i as usize), household_id[i as usize], i));

    let mut pop = Population::default();
    let mut households = Households {
        start: vec![0],
        ..Default::default()
    };
    let mut collective_rows: HashMap<u64, u32> = HashMap::new();
    let mut collectives = Collectives::default();
    let mut persons = Persons::default();
    let mut seen_household: HashMap<u64, usize> = HashMap::new();
    for (k, &row) in order.iter().enumerate() {
        let i = row as usize;
        let hid = household_id[i];
        let new_household = k == 0 || household_id[order[k - 1] as usize] != hid;
        if new_household {
            if let Some(&first) = seen_household.get(&hid) {
                return Err(t.cell_error(i, "collective_id", format!(
                    "household {hid} has members in different collectives (see row {}); a household belongs to one collective",
                    first + 1
                )));
            }
            seen_household.insert(hid, i);
            if k > 0 {
                households.start.push(persons.len() as u32);
            }
            let region_index = match region_codes.iter().position(|r| *r == region[i]) {
                Some(r) => r as u16,
                None => {
                    region_codes.push(region[i].clone());
                    (region_codes.len() - 1) as u16
                }
            };
            let coll = match collective_id.as_ref().and_then(|c| c[i]) {
                None => NO_COLLECTIVE,
                Some(cid) => {
                    let next = collective_rows.len() as u32;
                    let row = *collective_rows.entry(cid).or_insert(next);
                    if row == next {
                        collectives.collective_id.push(cid);
                        collectives.region.push(region_index);
                    }
                    row
                }
            };
            households.household_id.push(hid);
            households.weight.push(weight[i]);
            households.region.push(region_index);
            households.residence.push(residence[i]);
            households.collective.push(coll);
        } else {
            let h = households.len() - 1;
            let first = seen_household[&hid];
            let differs = |what: &str, a: String, b: String| -> Result<()> {
                if a == b {
                    Ok(())
                } else {
                    Err(t.cell_error(i, what, format!(
                        "{b} differs from {a} on row {} of the same household {hid}; {what} must be equal within a household",
                        first + 1
                    )))
                }
            };
            differs(
                "weight",
                households.weight[h].to_string(),
                weight[i].to_string(),
            )?;
            differs(
                "residence",
                households.residence[h].as_str().into(),
                residence[i].as_str().into(),
            )?;
            differs(
                "region",
                region_codes[households.region[h] as usize].clone(),
                region[i].clone(),
            )?;
        }
        let h = households.len() - 1;
        let scheme = pension_scheme
            .as_ref()
            .and_then(|s| s[i])
            .unwrap_or_else(|| {
                PensionScheme::default_for(
                    employment[i],
                    age[i],
                    current_pension.as_ref().and_then(|c| c[i]).unwrap_or(0.0),
                )
            });
        let years = contribution_years
            .as_ref()
            .and_then(|c| c[i])
            .unwrap_or_else(|| impute::contribution_years(age[i], scheme, IMPUTATION_YEAR));
        persons.person_id.push(person_id[i]);
        persons.household.push(h as u32);
        persons.age.push(age[i]);
        persons.sex.push(sex[i]);
        persons
            .hukou
            .push(hukou.as_ref().and_then(|c| c[i]).unwrap_or(residence[i]));
        persons.employment.push(employment[i]);
        persons.earnings_yearly.push(earnings[i]);
        persons
            .other_income_yearly
            .push(other_income.as_ref().and_then(|c| c[i]).unwrap_or(0.0));
        persons.pension_scheme.push(scheme);
        persons.contribution_years.push(years);
        persons
            .account_balance
            .push(
                account_balance
                    .as_ref()
                    .and_then(|c| c[i])
                    .unwrap_or_else(|| {
                        impute::account_balance(
                            scheme,
                            employment[i],
                            years,
                            earnings[i],
                            IMPUTATION_AVERAGE_WAGE_YEARLY,
                        )
                    }),
            );
        persons.indexed_wage_ratio.push(
            indexed_wage_ratio
                .as_ref()
                .and_then(|c| c[i])
                .unwrap_or(f64::NAN),
        );
        persons
            .resident_tier_yearly
            .push(resident_tier.as_ref().and_then(|c| c[i]).unwrap_or(0.0));
        persons
            .current_pension_yearly
            .push(current_pension.as_ref().and_then(|c| c[i]).unwrap_or(0.0));
        persons
            .disability_grade
            .push(disability_grade.as_ref().map_or(0, |c| c[i]));
        persons.cadre.push(cadre.as_ref().is_some_and(|c| c[i]));
        persons
            .no_supporter
            .push(no_supporter.as_ref().is_some_and(|c| c[i]));
        persons
            .dibao_last_year
            .push(dibao_last_year.as_ref().is_some_and(|c| c[i]));
        persons
            .tekun_last_year
            .push(tekun_last_year.as_ref().is_some_and(|c| c[i]));
        persons
            .margin_last_year
            .push(margin_last_year.as_ref().is_some_and(|c| c[i]));
        persons.life_events.push(Default::default());
    }
    households.start.push(persons.len() as u32);
    check_collectives_homogeneous(&t, &households, &collectives, &region_codes)?;

    let table_path = collectives_path(path);
    if table_path.exists() {
        collectives.table = Some(read_collectives_table(
            &table_path,
            &collectives,
            &region_codes,
        )?);
    }
    pop.persons = persons;
    pop.households = households;
    pop.collectives = collectives;
    pop.regions = region_codes;
    Ok(pop)
}

/// Rejects a collective whose households lie in two regions or residences (rules 10).
fn check_collectives_homogeneous(
    t: &Table,
    hh: &Households,
    coll: &Collectives,
    regions: &[String],
) -> Result<()> {
    let mut residence_of: Vec<Option<Residence>> = vec![None; coll.len()];
    for h in 0..hh.len() {
        let c = hh.collective[h];
        if c == NO_COLLECTIVE {
            continue;
        }
        let c = c as usize;
        let problem = if hh.region[h] != coll.region[c] {
            Some(format!(
                "collective {} has households in regions `{}` and `{}`; a collective lies in one region",
                coll.collective_id[c],
                regions[coll.region[c] as usize],
                regions[hh.region[h] as usize]
            ))
        } else if residence_of[c].is_some_and(|r| r != hh.residence[h]) {
            Some(format!(
                "collective {} has both urban and rural households; a collective lies in one residence",
                coll.collective_id[c]
            ))
        } else {
            None
        };
        if let Some(message) = problem {
            return Err(Error::Population {
                file: t.file.clone(),
                message: format!(
                    "column `collective_id`: {message} (household {})",
                    hh.household_id[h]
                ),
            });
        }
        residence_of[c] = Some(hh.residence[h]);
    }
    Ok(())
}

/// Reads the collectives table beside a population file, aligned to the collectives the
/// population references.
fn read_collectives_table(
    path: &Path,
    coll: &Collectives,
    regions: &[String],
) -> Result<CollectiveTable> {
    let t = Table::read(path)?;
    t.require(&[
        "collective_id",
        "region",
        "capacity_yearly",
        "participating",
    ])?;
    let ids = t.cells("collective_id", CellKind::Number, required(whole))?;
    let region = t.cells(
        "region",
        CellKind::Word,
        required(|c| word(c).map(str::to_string)),
    )?;
    let capacity = t.cells(
        "capacity_yearly",
        CellKind::Number,
        required(|c| in_range(number(c)?, 0.0, "capacity_yearly")),
    )?;
    let participating = t.cells("participating", CellKind::Flag, required(flag))?;
    let mut row_of: HashMap<u64, usize> = HashMap::with_capacity(ids.len());
    for (i, &id) in ids.iter().enumerate() {
        if let Some(prev) = row_of.insert(id, i) {
            return Err(t.cell_error(
                i,
                "collective_id",
                format!("duplicate id {id} (also on row {})", prev + 1),
            ));
        }
    }
    let mut table = CollectiveTable {
        capacity_yearly: Vec::with_capacity(coll.len()),
        participating: Vec::with_capacity(coll.len()),
    };
    for c in 0..coll.len() {
        let id = coll.collective_id[c];
        let Some(&i) = row_of.get(&id) else {
            return Err(Error::Population {
                file: path.to_path_buf(),
                message: format!(
                    "collective {id} is used by the population file but has no row in this table"
                ),
            });
        };
        let expected = &regions[coll.region[c] as usize];
        if &region[i] != expected {
            return Err(t.cell_error(
                i,
                "region",
                format!(
                    "`{}` differs from the region `{expected}` of the collective's households",
                    region[i]
                ),
            ));
        }
        table.capacity_yearly.push(capacity[i]);
        table.participating.push(participating[i]);
    }
    Ok(table)
}

/// Rows per batch when writing: bounds the memory a write adds to the population's own.
const BATCH_ROWS: usize = 1 << 20;

/// Builds the person-level DataFrame of persons `rows` of a population, with every optional
/// column, in row order.
pub fn person_frame(pop: &Population, rows: std::ops::Range<usize>) -> Result<DataFrame> {
    let p = &pop.persons;
    let hh = &pop.households;
    let households = &p.household[rows.clone()];
    let per_household = |f: &dyn Fn(usize) -> f64| -> Vec<f64> {
        households.iter().map(|&h| f(h as usize)).collect()
    };
    let words =
        |f: &dyn Fn(usize) -> &'static str| -> Vec<&'static str> { rows.clone().map(f).collect() };
    let region: Vec<&str> = households
        .iter()
        .map(|&h| pop.regions[hh.region[h as usize] as usize].as_str())
        .collect();
    let collective: Vec<Option<u64>> = households
        .iter()
        .map(|&h| {
            let c = hh.collective[h as usize];
            (c != NO_COLLECTIVE).then(|| pop.collectives.collective_id[c as usize])
        })
        .collect();
    let ratio: Vec<Option<f64>> = p.indexed_wage_ratio[rows.clone()]
        .iter()
        .map(|&r| (!r.is_nan()).then_some(r))
        .collect();
    let r = rows.clone();
    table::frame(
        "the population table",
        vec![
            Column::new("person_id".into(), &p.person_id[r.clone()]),
            Column::new(
                "household_id".into(),
                households
                    .iter()
                    .map(|&h| hh.household_id[h as usize])
                    .collect::<Vec<u64>>(),
            ),
            Column::new("weight".into(), per_household(&|h| hh.weight[h])),
            Column::new("region".into(), region),
            Column::new(
                "residence".into(),
                words(&|i| hh.residence[p.household[i] as usize].as_str()),
            ),
            Column::new("age".into(), &p.age[r.clone()]),
            Column::new("sex".into(), words(&|i| p.sex[i].as_str())),
            Column::new("employment".into(), words(&|i| p.employment[i].as_str())),
            Column::new("earnings".into(), &p.earnings_yearly[r.clone()]),
            Column::new("hukou".into(), words(&|i| p.hukou[i].as_str())),
            Column::new("other_income".into(), &p.other_income_yearly[r.clone()]),
            Column::new(
                "pension_scheme".into(),
                words(&|i| p.pension_scheme[i].as_str()),
            ),
            Column::new(
                "contribution_years".into(),
                &p.contribution_years[r.clone()],
            ),
            Column::new("account_balance".into(), &p.account_balance[r.clone()]),
            Column::new("indexed_wage_ratio".into(), ratio),
            Column::new("resident_tier".into(), &p.resident_tier_yearly[r.clone()]),
            Column::new(
                "current_pension".into(),
                &p.current_pension_yearly[r.clone()],
            ),
            Column::new("disability_grade".into(), &p.disability_grade[r.clone()]),
            Column::new("cadre".into(), &p.cadre[r.clone()]),
            Column::new("no_supporter".into(), &p.no_supporter[r.clone()]),
            Column::new("collective_id".into(), collective),
            Column::new("dibao_last_year".into(), &p.dibao_last_year[r.clone()]),
            Column::new("tekun_last_year".into(), &p.tekun_last_year[r.clone()]),
            Column::new("margin_last_year".into(), &p.margin_last_year[r]),
        ],
    )
}

/// Writes a population (and its collectives table, when it has one) as Parquet or CSV by the
/// file's extension, in batches of rows so that memory stays near the population's own. Each
/// file is written to a temporary name and renamed, so it is complete or absent.
pub fn write(pop: &Population, path: &Path) -> Result<()> {
    let format = format_of(path)?;
    let n = pop.persons.len();
    let batches = (0..n.max(1))
        .step_by(BATCH_ROWS)
        .map(|lo| person_frame(pop, lo..(lo + BATCH_ROWS).min(n)));
    table::write_frames(path, format, batches)?;
    if let Some(table) = &pop.collectives.table {
        let c = &pop.collectives;
        let mut cdf = table::frame(
            "the collectives table",
            vec![
                Column::new("collective_id".into(), &c.collective_id),
                Column::new(
                    "region".into(),
                    c.region
                        .iter()
                        .map(|&r| pop.regions[r as usize].as_str())
                        .collect::<Vec<_>>(),
                ),
                Column::new("capacity_yearly".into(), &table.capacity_yearly),
                Column::new("participating".into(), &table.participating),
            ],
        )?;
        table::write_frame(&mut cdf, &collectives_path(path))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::File;

    const HEADER: &str =
        "person_id,household_id,weight,region,residence,age,sex,employment,earnings";

    struct Dir(PathBuf);
    impl Dir {
        fn new(name: &str) -> Dir {
            static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let d =
                std::env::temp_dir().join(format!("gongfu-io-{name}-{}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&d);
            std::fs::create_dir_all(&d).unwrap();
            Dir(d)
        }
        fn csv(&self, name: &str, body: &str) -> PathBuf {
            let p = self.0.join(name);
            std::fs::write(&p, body).unwrap();
            p
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn err_of(body: &str) -> String {
        let d = Dir::new("err");
        let p = d.csv("pop.csv", body);
        let e = read(&p)
            .expect_err("malformed file must be rejected")
            .to_string();
        assert!(e.contains("pop.csv"), "error names the file: {e}");
        e
    }

    fn two_households() -> String {
        format!(
            "{HEADER}\n1,10,500.5,zhejiang,rural,40,m,farmer,18000\n2,10,500.5,zhejiang,rural,12,f,student,0\n3,11,800,zhejiang,urban,110,f,retired,0\n"
        )
    }

    #[test]
    fn reads_valid_file_with_defaults_and_groups_households() {
        let d = Dir::new("ok");
        let pop = read(&d.csv("pop.csv", &two_households())).unwrap();
        assert_eq!(pop.persons.len(), 3);
        assert_eq!(pop.households.len(), 2);
        assert_eq!(pop.households.size(0), 2);
        assert_eq!(pop.households.size(1), 1, "a household of one loads");
        assert_eq!(pop.persons.age[2], 110, "a person aged 110 loads");
        assert_eq!(pop.total_weight(), 2.0 * 500.5 + 800.0);
        // Defaults of population.md: hukou = residence, scheme from employment and age.
        assert_eq!(pop.persons.hukou[0], Residence::Rural);
        assert_eq!(pop.persons.pension_scheme[0], PensionScheme::Resident);
        assert_eq!(pop.persons.pension_scheme[1], PensionScheme::None);
        assert!(pop.persons.indexed_wage_ratio[0].is_nan());
        // Imputed: a 40-year-old resident member in 2022 has 13 years (since 2009) and 13 x 130.
        assert_eq!(pop.persons.contribution_years[0], 13.0);
        assert_eq!(pop.persons.account_balance[0], 1690.0);
    }

    #[test]
    fn round_trips_through_csv_and_parquet() {
        let d = Dir::new("rt");
        let mut pop = read(&d.csv("pop.csv", &two_households())).unwrap();
        pop.persons.indexed_wage_ratio[0] = 1.25;
        pop.persons.no_supporter[2] = true;
        pop.persons.disability_grade[2] = 3;
        for name in ["out.csv", "out.parquet"] {
            let p = d.0.join(name);
            write(&pop, &p).unwrap();
            let back = read(&p).unwrap();
            assert_eq!(back.persons.person_id, pop.persons.person_id);
            assert_eq!(back.persons.earnings_yearly, pop.persons.earnings_yearly);
            assert_eq!(back.persons.disability_grade, pop.persons.disability_grade);
            assert_eq!(back.persons.no_supporter, pop.persons.no_supporter);
            assert_eq!(back.persons.indexed_wage_ratio[0], 1.25);
            assert!(back.persons.indexed_wage_ratio[1].is_nan());
            assert_eq!(back.households, pop.households);
            assert_eq!(back.regions, pop.regions);
        }
    }

    #[test]
    fn missing_required_column() {
        let e = err_of(
            "person_id,household_id,weight,region,residence,sex,employment,earnings\n1,1,1,national,urban,m,employee,1\n",
        );
        assert!(e.contains("missing required column `age`"), "{e}");
    }

    #[test]
    fn wrong_type_in_parquet_and_text_in_number_column() {
        let e = err_of(&format!(
            "{HEADER}\n1,1,1,national,urban,forty,m,employee,1\n"
        ));
        assert!(
            e.contains("row 1, column `age`: `forty` is not a number"),
            "{e}"
        );
        // Parquet with a numeric residence column: wrong type.
        let d = Dir::new("type");
        let p = d.0.join("pop.parquet");
        let mut df = df!(
            "person_id" => [1u64], "household_id" => [1u64], "weight" => [1.0], "region" => ["national"],
            "residence" => [1i64], "age" => [30i64], "sex" => ["m"], "employment" => ["employee"], "earnings" => [1.0]
        )
        .unwrap();
        ParquetWriter::new(File::create(&p).unwrap())
            .finish(&mut df)
            .unwrap();
        let e = read(&p).unwrap_err().to_string();
        assert!(
            e.contains("column `residence`: wrong type") && e.contains("expected text"),
            "{e}"
        );
    }

    #[test]
    fn nan_is_rejected_with_row() {
        let e = err_of(&format!(
            "{HEADER}\n1,1,1,national,urban,30,m,employee,1\n2,2,1,national,urban,30,m,employee,NaN\n"
        ));
        assert!(
            e.contains("row 2, column `earnings`: NaN is not allowed"),
            "{e}"
        );
    }

    #[test]
    fn negative_earnings_age_111_and_unknown_residence() {
        let e = err_of(&format!(
            "{HEADER}\n1,1,1,national,urban,30,m,employee,-5\n"
        ));
        assert!(e.contains("column `earnings`: -5 is negative"), "{e}");
        let e = err_of(&format!(
            "{HEADER}\n1,1,1,national,urban,111,m,employee,5\n"
        ));
        assert!(
            e.contains("row 1, column `age`: 111 is outside 0..=110"),
            "{e}"
        );
        let e = err_of(&format!(
            "{HEADER}\n1,1,1,national,suburban,30,m,employee,5\n"
        ));
        assert!(
            e.contains("column `residence`: `suburban` is not allowed; allowed: urban, rural"),
            "{e}"
        );
        let e = err_of(&format!("{HEADER}\n1,1,1,national,urban,-3,m,employee,5\n"));
        assert!(e.contains("column `age`: -3 is outside"), "{e}");
    }

    #[test]
    fn weights_differing_inside_household() {
        let e = err_of(&format!(
            "{HEADER}\n1,7,1,national,urban,30,m,employee,5\n2,7,2,national,urban,28,f,employee,5\n"
        ));
        assert!(
            e.contains("row 2, column `weight`") && e.contains("equal within a household"),
            "{e}"
        );
    }

    #[test]
    fn duplicate_person_id() {
        let e = err_of(&format!(
            "{HEADER}\n5,1,1,national,urban,30,m,employee,5\n5,2,1,national,urban,28,f,employee,5\n"
        ));
        assert!(
            e.contains("row 2, column `person_id`: duplicate id 5 (also on row 1)"),
            "{e}"
        );
    }

    #[test]
    fn empty_file_and_header_only() {
        assert!(err_of("").contains("the file is empty"));
        assert!(err_of(&format!("{HEADER}\n")).contains("no rows"));
    }

    #[test]
    fn bad_encoding_names_the_line() {
        let d = Dir::new("enc");
        let p = d.0.join("pop.csv");
        // "浙江" in GBK is D5 E3 BD AD: not UTF-8.
        let mut bytes = format!("{HEADER}\n1,1,1,").into_bytes();
        bytes.extend_from_slice(&[0xD5, 0xE3, 0xBD, 0xAD]);
        bytes.extend_from_slice(b",urban,30,m,employee,5\n");
        std::fs::write(&p, bytes).unwrap();
        let e = read(&p).unwrap_err().to_string();
        assert!(e.contains("line 2: not valid UTF-8"), "{e}");
    }

    #[test]
    fn empty_required_cell_and_bad_flag() {
        let e = err_of(&format!("{HEADER}\n1,1,1,national,urban,,m,employee,5\n"));
        assert!(
            e.contains("column `age`: empty; a value is required"),
            "{e}"
        );
        let e = err_of(&format!(
            "{HEADER},cadre\n1,1,1,national,urban,30,f,employee,5,maybe\n"
        ));
        assert!(e.contains("column `cadre`: `maybe` is not a flag"), "{e}");
    }

    #[test]
    fn collective_spanning_two_residences_is_rejected() {
        let e = err_of(&format!(
            "{HEADER},collective_id\n1,1,1,national,rural,30,m,farmer,5,9\n2,2,1,national,urban,30,m,farmer,5,9\n"
        ));
        assert!(
            e.contains("collective 9 has both urban and rural households"),
            "{e}"
        );
    }

    #[test]
    fn households_of_a_collective_are_contiguous() {
        let d = Dir::new("coll");
        let body = format!(
            "{HEADER},collective_id\n1,1,1,national,rural,30,m,farmer,5,9\n2,2,1,national,rural,30,m,farmer,5,\n3,3,1,national,rural,30,m,farmer,5,9\n"
        );
        let pop = read(&d.csv("pop.csv", &body)).unwrap();
        assert_eq!(pop.households.collective, vec![0, 0, NO_COLLECTIVE]);
        assert_eq!(pop.households.household_id, vec![1, 3, 2]);
    }
}
