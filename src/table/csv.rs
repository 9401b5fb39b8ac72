//! Result tables written cell by cell (RFC 4180): comma-separated, `\n` line ends, a field quoted
//! when it holds a comma, a quote, a line break or leading/trailing spaces (quotes doubled).
//! Numbers use Rust's shortest round-trip form; NaN is an empty cell (missing), infinities `inf` /
//! `-inf`. Why not polars' writer: see the [table layer](super).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use crate::error::Result;

/// Writes the CSV file `path` atomically: the `header` row, then the rows `body` writes with
/// [`Rows::row`].
pub fn write_csv(
    path: &Path,
    header: &[&str],
    body: impl FnOnce(&mut Rows<'_>) -> io::Result<()>,
) -> Result<()> {
    crate::fsutil::atomic_write(path, |w| {
        write_header(w, header)?;
        body(&mut Rows(w))
    })
}

/// The rows of a CSV file being written by [`write_csv`].
pub struct Rows<'a>(&'a mut BufWriter<File>);

impl Rows<'_> {
    /// Writes one row of cells.
    pub fn row(&mut self, cells: &[Cell<'_>]) -> io::Result<()> {
        write_row(self.0, cells)
    }
}

/// One CSV cell.
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    /// Text, quoted when needed.
    Text(&'a str),
    /// A float; NaN becomes an empty cell.
    Num(f64),
    /// An integer.
    Int(i64),
}

/// Writes one row of cells and a line end.
fn write_row(w: &mut impl Write, cells: &[Cell<'_>]) -> io::Result<()> {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        match *cell {
            Cell::Text(s) => write_text(w, s)?,
            Cell::Num(v) if v.is_nan() => {}
            Cell::Num(v) => write!(w, "{v}")?,
            Cell::Int(v) => write!(w, "{v}")?,
        }
    }
    w.write_all(b"\n")
}

/// Writes a header row of column names.
fn write_header(w: &mut impl Write, names: &[&str]) -> io::Result<()> {
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        write_text(w, name)?;
    }
    w.write_all(b"\n")
}

fn write_text(w: &mut impl Write, s: &str) -> io::Result<()> {
    let needs_quotes = s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ');
    if !needs_quotes {
        return w.write_all(s.as_bytes());
    }
    w.write_all(b"\"")?;
    w.write_all(s.replace('"', "\"\"").as_bytes())?;
    w.write_all(b"\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[Cell<'_>]) -> String {
        let mut out = Vec::new();
        write_row(&mut out, cells).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn plain_fields_are_bare_and_special_ones_quoted() {
        assert_eq!(
            row(&[
                Cell::Text("浙江统一低保"),
                Cell::Int(2025),
                Cell::Num(0.465)
            ]),
            "浙江统一低保,2025,0.465\n"
        );
        assert_eq!(row(&[Cell::Text("a,b")]), "\"a,b\"\n");
        assert_eq!(row(&[Cell::Text("say \"hi\"")]), "\"say \"\"hi\"\"\"\n");
        assert_eq!(row(&[Cell::Text("two\nlines")]), "\"two\nlines\"\n");
        assert_eq!(row(&[Cell::Text(" padded")]), "\" padded\"\n");
    }

    #[test]
    fn numbers_round_trip_and_nan_is_empty() {
        assert_eq!(
            row(&[Cell::Num(f64::NAN), Cell::Num(0.1 + 0.2), Cell::Num(-3.0)]),
            ",0.30000000000000004,-3\n"
        );
        assert_eq!(row(&[Cell::Num(f64::INFINITY)]), "inf\n");
        let printed = row(&[Cell::Num(1.0 / 3.0)]);
        assert_eq!(printed.trim_end().parse::<f64>().unwrap(), 1.0 / 3.0);
    }
}
