//! A population table read from disk (through the table layer), with accessors that turn cells
//! into typed values or errors naming the file, the row and the column.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::format_of;
use crate::error::{Error, Result};
use crate::table::{CsvColumns, Format, ReadError, read_frame};

/// A table read from disk, with accessors that turn cells into typed values or precise errors.
pub(super) struct Table {
    /// The file read.
    pub(super) file: PathBuf,
    df: DataFrame,
}

/// A cell error before the row and column are attached.
pub(super) type CellResult<T> = std::result::Result<T, String>;

impl Table {
    pub(super) fn read(path: &Path) -> Result<Table> {
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
            e @ ReadError::ColumnType { .. } => Error::Population {
                file: file.clone(),
                message: e.to_string(),
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

    pub(super) fn rows(&self) -> usize {
        self.df.height()
    }

    pub(super) fn has(&self, name: &str) -> bool {
        self.df
            .get_column_names()
            .iter()
            .any(|c| c.as_str() == name)
    }

    /// Refuses a column that is none of `known` but nearly the name of one the file lacks (a
    /// misspelt optional column would otherwise be ignored and its default taken silently).
    /// Columns far from every known name (a survey's own) are left alone.
    /// Linear in the number of columns: the known names the file lacks are found once.
    pub(super) fn refuse_misspelt(&self, known: &[&str]) -> Result<()> {
        let columns = self.df.get_column_names();
        let present: std::collections::HashSet<&str> = columns.iter().map(|c| c.as_str()).collect();
        let absent: Vec<&str> = known
            .iter()
            .copied()
            .filter(|k| !present.contains(k))
            .collect();
        for column in columns {
            let column = column.as_str();
            if known.contains(&column) {
                continue;
            }
            if let Some(meant) = crate::error::nearest(column, absent.iter().copied()) {
                return Err(Error::Population {
                    file: self.file.clone(),
                    message: format!(
                        "column `{column}` is not a population column; is it `{meant}` \
                         misspelt? (unknown columns are ignored, so `{meant}` would take its \
                         default: rename the column, or drop it)"
                    ),
                });
            }
        }
        Ok(())
    }

    pub(super) fn require(&self, names: &[&str]) -> Result<()> {
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

    pub(super) fn cell_error(&self, row0: usize, column: &str, message: String) -> Error {
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
    pub(super) fn cells<T>(
        &self,
        name: &str,
        kind: CellKind,
        mut parse: impl FnMut(Option<Cell<'_>>) -> CellResult<T>,
    ) -> Result<Vec<T>> {
        let s = self.series(name).expect("column checked by caller");
        let wrong_type = |dtype: &DataType| Error::Population {
            file: self.file.clone(),
            message: format!(
                "column `{name}`: its type is {dtype}, which cannot hold {}; allowed: {}",
                kind.describe(),
                kind.allowed_types()
            ),
        };
        // Dictionary-encoded text (pandas `category`, R factors) is read as its words.
        let words;
        let s = if s.dtype().is_categorical() || s.dtype().is_enum() {
            words = s
                .cast(&DataType::String)
                .map_err(|_| wrong_type(s.dtype()))?;
            &words
        } else {
            s
        };
        let mut out = Vec::with_capacity(s.len());
        let mut push = |i: usize, cell: Option<Cell<'_>>| -> Result<()> {
            out.push(parse(cell).map_err(|m| self.cell_error(i, name, m))?);
            Ok(())
        };
        match s.dtype() {
            // The columns' chunks are walked as Arrow arrays (a `ChunkedArray`'s own iterator
            // is a boxed one, a virtual call a cell).
            DataType::String => {
                let cells = s.str().expect("string dtype").downcast_iter();
                for (i, v) in cells.flat_map(|a| a.iter()).enumerate() {
                    push(
                        i,
                        v.map(str::trim).filter(|t| !t.is_empty()).map(Cell::Text),
                    )?;
                }
            }
            DataType::Boolean => {
                if kind != CellKind::Flag {
                    return Err(wrong_type(s.dtype()));
                }
                let cells = s.bool().expect("bool dtype").downcast_iter();
                for (i, v) in cells.flat_map(|a| a.iter()).enumerate() {
                    push(i, v.map(Cell::Flag))?;
                }
            }
            dt if dt.is_primitive_numeric() => {
                if kind == CellKind::Word {
                    return Err(wrong_type(dt));
                }
                // Each width read as it is stored: an integer >= 0 is exact, a negative one a
                // number (as a cast to u64 and f64 would give), a float a number.
                let as_is = "dtype matched";
                match dt {
                    DataType::Int8 => each(s.i8().expect(as_is), |v| signed(v.into()), push)?,
                    DataType::Int16 => each(s.i16().expect(as_is), |v| signed(v.into()), push)?,
                    DataType::Int32 => each(s.i32().expect(as_is), |v| signed(v.into()), push)?,
                    DataType::Int64 => each(s.i64().expect(as_is), signed, push)?,
                    DataType::UInt8 => {
                        each(s.u8().expect(as_is), |v| Cell::Integer(v.into()), push)?
                    }
                    DataType::UInt16 => {
                        each(s.u16().expect(as_is), |v| Cell::Integer(v.into()), push)?
                    }
                    DataType::UInt32 => {
                        each(s.u32().expect(as_is), |v| Cell::Integer(v.into()), push)?
                    }
                    DataType::UInt64 => each(s.u64().expect(as_is), Cell::Integer, push)?,
                    DataType::Float32 => {
                        each(s.f32().expect(as_is), |v| Cell::Number(v.into()), push)?
                    }
                    DataType::Float64 => each(s.f64().expect(as_is), Cell::Number, push)?,
                    _ => self.cast_cells(s, dt, wrong_type, push)?,
                }
            }
            other => return Err(wrong_type(other)),
        }
        Ok(out)
    }

    /// The numeric types without a typed path: cast to f64 (and integers to u64, exact when
    /// they fit) and read as that.
    fn cast_cells(
        &self,
        s: &Series,
        dt: &DataType,
        wrong_type: impl Fn(&DataType) -> Error,
        mut push: impl FnMut(usize, Option<Cell<'_>>) -> Result<()>,
    ) -> Result<()> {
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
            push(i, cell)?;
        }
        Ok(())
    }
}

/// Passes every cell of a numeric column, as `to` makes it a [`Cell`], to `push` with its row.
fn each<N: PolarsNumericType>(
    ca: &ChunkedArray<N>,
    to: impl Fn(N::Native) -> Cell<'static>,
    mut push: impl FnMut(usize, Option<Cell<'_>>) -> Result<()>,
) -> Result<()> {
    let mut i = 0;
    for a in ca.downcast_iter() {
        if a.validity().is_none() {
            for &v in a.values().iter() {
                push(i, Some(to(v)))?;
                i += 1;
            }
        } else {
            for v in a.iter() {
                push(i, v.map(|&v| to(v)))?;
                i += 1;
            }
        }
    }
    Ok(())
}

/// A signed integer cell: exact when >= 0, else the number it is.
fn signed(v: i64) -> Cell<'static> {
    match u64::try_from(v) {
        Ok(u) => Cell::Integer(u),
        Err(_) => Cell::Number(v as f64),
    }
}

/// What a column should hold (for "wrong type" messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CellKind {
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

    /// The Parquet column types that can hold this kind of value.
    fn allowed_types(self) -> &'static str {
        match self {
            CellKind::Number => {
                "integers of any width, signed or unsigned, 32- or 64-bit floats, or text holding numbers"
            }
            CellKind::Word => "text (plain, large or dictionary-encoded, e.g. a pandas category)",
            CellKind::Flag => "booleans, integers 0 and 1, or text true, false, 1, 0",
        }
    }
}

/// One non-empty cell.
#[derive(Debug, Clone, Copy)]
pub(super) enum Cell<'a> {
    Text(&'a str),
    Number(f64),
    Integer(u64),
    Flag(bool),
}

pub(super) fn number(cell: Cell<'_>) -> CellResult<f64> {
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

pub(super) fn whole(cell: Cell<'_>) -> CellResult<u64> {
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

pub(super) fn word<'a>(cell: Cell<'a>) -> CellResult<&'a str> {
    match cell {
        Cell::Text(t) => Ok(t),
        _ => Err("expected text".into()),
    }
}

pub(super) fn flag(cell: Cell<'_>) -> CellResult<bool> {
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

pub(super) fn required<T>(
    mut f: impl FnMut(Cell<'_>) -> CellResult<T>,
) -> impl FnMut(Option<Cell<'_>>) -> CellResult<T> {
    move |c| match c {
        Some(c) => f(c),
        None => Err("empty; a value is required".into()),
    }
}

pub(super) fn in_range(x: f64, lo: f64, what: &str) -> CellResult<f64> {
    if x < lo {
        Err(format!("{x} is negative; {what} must be >= {lo}"))
    } else {
        Ok(x)
    }
}

pub(super) fn one_of<T: Copy>(
    t: &str,
    parse: impl Fn(&str) -> Option<T>,
    allowed: &str,
) -> CellResult<T> {
    parse(t).ok_or_else(|| format!("`{t}` is not allowed; allowed: {allowed}"))
}

/// Reads an optional column with a per-cell parser, or `None` when the file lacks the column.
pub(super) fn optional<T>(
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

#[cfg(test)]
mod tests {
    use super::super::read;
    use super::super::testkit::{Dir, HEADER, err_of};
    use polars::prelude::*;
    use std::fs::File;

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
            e.contains(
                "column `residence`: its type is i64, which cannot hold text; allowed: text"
            ),
            "{e}"
        );
    }

    /// Regression (issue 16): int8, int16, uint16 and float32 columns and dictionary-encoded
    /// text (what pandas downcasting and categories write) were refused; they read as the
    /// values they hold.
    #[test]
    fn narrow_integers_floats_and_categories_read_as_their_values() {
        let d = Dir::new("narrow");
        let p = d.0.join("pop.parquet");
        let write = |age: [i16; 2]| {
            let mut df = df!(
                "person_id" => [1u16, 2], "household_id" => [7i8, 7], "weight" => [1.5f32, 1.5],
                "region" => ["national", "national"], "residence" => ["rural", "rural"],
                "age" => age, "sex" => ["m", "f"], "employment" => ["farmer", "farmer"],
                "earnings" => [100i8, 0]
            )
            .unwrap();
            let category = DataType::from_categories(Categories::global());
            df.apply("residence", |c| c.cast(&category).unwrap())
                .unwrap();
            ParquetWriter::new(File::create(&p).unwrap())
                .finish(&mut df)
                .unwrap();
        };
        write([40, 38]);
        let pop = read(&p).unwrap();
        assert_eq!(pop.persons.age, [40, 38]);
        assert_eq!(pop.households.household_id, [7]);
        assert_eq!(pop.households.weight, [1.5]);
        // Age -1 (an int16 cell): refused by its value, with its row.
        write([40, -1]);
        let e = read(&p).unwrap_err().to_string();
        assert!(e.contains("row 2, column `age`: -1"), "{e}");
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
}
