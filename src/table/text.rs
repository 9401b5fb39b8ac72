//! Reading back the CSV files gongfu wrote with [`super::csv`]: every cell as text (polars'
//! reader, so quoting follows RFC 4180), the header checked against the expected columns, and
//! typed access whose errors name the file, the row and the column.

use std::path::{Path, PathBuf};

use polars::prelude::{DataType, StringChunked};

use super::{CsvColumns, Format, read_frame};
use crate::error::{Error, Result};

/// A CSV file read as text cells.
pub struct TextTable {
    path: PathBuf,
    columns: Vec<String>,
    cells: Vec<StringChunked>,
    rows: usize,
}

/// Reads the CSV file `path`, whose header must be exactly `columns`.
pub fn read_csv(path: &Path, columns: &[&str]) -> Result<TextTable> {
    let df = read_frame(path, Format::Csv, CsvColumns::Text).map_err(|e| e.at(path))?;
    let header: Vec<&str> = df.get_column_names().iter().map(|c| c.as_str()).collect();
    if header != columns {
        return Err(invalid(
            path,
            format!(
                "header is `{}`, expected `{}`",
                header.join(","),
                columns.join(",")
            ),
        ));
    }
    let cells = df
        .columns()
        .iter()
        .map(|c| {
            let text = c.cast(&DataType::String).map_err(|cause| Error::Table {
                context: format!("reading {}", path.display()),
                cause,
            })?;
            Ok(text.str().expect("cast to text").rechunk().into_owned())
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(TextTable {
        path: path.to_path_buf(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        cells,
        rows: df.height(),
    })
}

fn invalid(path: &Path, message: String) -> Error {
    Error::io(
        path,
        std::io::Error::new(std::io::ErrorKind::InvalidData, message),
    )
}

impl TextTable {
    /// The data rows, in file order.
    pub fn records(&self) -> impl Iterator<Item = Record<'_>> {
        (0..self.rows).map(move |row| Record { table: self, row })
    }
}

/// One data row of a [`TextTable`].
#[derive(Clone, Copy)]
pub struct Record<'a> {
    table: &'a TextTable,
    row: usize,
}

impl Record<'_> {
    /// The cell of column `col` (by position in the header), empty when the cell is.
    pub fn text(&self, col: usize) -> &str {
        self.table.cells[col].get(self.row).unwrap_or("")
    }

    /// The cell parsed by `parse`; otherwise an error saying it is not `allowed`.
    pub fn parse<T>(
        &self,
        col: usize,
        allowed: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Result<T> {
        parse(self.text(col)).ok_or_else(|| self.bad(col, allowed))
    }

    /// A number as [`super::csv`] writes it: shortest round-trip form, empty for NaN.
    pub fn num(&self, col: usize) -> Result<f64> {
        self.parse(col, "a number", |s| match s {
            "" => Some(f64::NAN),
            s => s.parse().ok(),
        })
    }

    /// An integer of type `T`.
    pub fn int<T: std::str::FromStr>(&self, col: usize) -> Result<T> {
        self.parse(col, "an integer in range", |s| s.parse().ok())
    }

    fn bad(&self, col: usize, allowed: &str) -> Error {
        invalid(
            &self.table.path,
            format!(
                "row {}, column `{}`: `{}` is not {allowed}",
                self.row + 1,
                self.table.columns[col],
                self.text(col)
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::csv::{Cell, write_csv};

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("gongfu-text-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Fields with every kind of quoting the cell writer does come back as written; numbers come
    /// back bit for bit (NaN as NaN).
    #[test]
    fn cells_read_back_as_the_writer_wrote_them() {
        let dir = scratch("quoting");
        let path = dir.join("t.csv");
        let fields = [
            "浙江统一低保",
            "a,b",
            "say \"hi\"",
            " padded",
            "",
            "two\r\nlines",
        ];
        let header = ["f0", "f1", "f2", "f3", "f4", "f5"];
        write_csv(&path, &header, |rows| {
            let cells: Vec<Cell<'_>> = fields.iter().map(|f| Cell::Text(f)).collect();
            rows.row(&cells)?;
            rows.row(&[
                Cell::Num(f64::NAN),
                Cell::Int(7),
                Cell::Num(1.0 / 3.0),
                Cell::Num(-0.0),
                Cell::Num(f64::NEG_INFINITY),
                Cell::Num(1e-300),
            ])
        })
        .unwrap();
        let table = read_csv(&path, &header).unwrap();
        let records: Vec<Record<'_>> = table.records().collect();
        assert_eq!(records.len(), 2);
        let texts: Vec<&str> = (0..6).map(|c| records[0].text(c)).collect();
        assert_eq!(texts, fields);
        let second = records[1];
        assert!(second.num(0).unwrap().is_nan());
        assert_eq!(second.int::<u8>(1).unwrap(), 7);
        for (col, expected) in [
            (2, 1.0 / 3.0),
            (3, -0.0),
            (4, f64::NEG_INFINITY),
            (5, 1e-300),
        ] {
            assert_eq!(second.num(col).unwrap().to_bits(), f64::to_bits(expected));
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// A header-only file has no records; a wrong header and a bad cell are errors naming the
    /// file (and the row and column).
    #[test]
    fn header_and_cells_are_checked() {
        let dir = scratch("checked");
        let path = dir.join("t.csv");
        std::fs::write(&path, "a,b\n").unwrap();
        assert_eq!(read_csv(&path, &["a", "b"]).unwrap().records().count(), 0);
        let e = read_csv(&path, &["a", "c"]).err().unwrap().to_string();
        assert!(e.contains("t.csv") && e.contains("expected `a,c`"), "{e}");
        std::fs::write(&path, "a,b\n1,x\n").unwrap();
        let table = read_csv(&path, &["a", "b"]).unwrap();
        let record = table.records().next().unwrap();
        let e = record.num(1).unwrap_err().to_string();
        assert!(
            e.contains("t.csv: row 1, column `b`: `x` is not a number"),
            "{e}"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
