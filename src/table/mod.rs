//! The table layer: every CSV and Parquet file gongfu reads or writes goes through here, on polars.
//!
//! - Reading ([`read_frame`]): a whole file into a polars `DataFrame`, CSV (UTF-8 checked first,
//!   so a GBK export gets an error naming the line) or Parquet, chosen by [`Format`]. Callers turn
//!   cells into typed values and name their own errors (population files, `gongfu stats`); files
//!   gongfu wrote itself are read back as text cells with [`text::read_csv`].
//! - Writing frames ([`write_frame`], [`write_frames`]): Parquet and CSV through polars' writers,
//!   for the population and the microdata.
//! - Writing result tables ([`csv::write_csv`]): indicators, deciles, fiscal, Lorenz, chart data
//!   and the batch summary are written cell by cell. polars' CSV writer (floats in positional
//!   form) would give the same numbers, Rust's shortest round-trip form, but it quotes a text cell
//!   only for a comma, a quote or a line break, not for leading or trailing spaces, and writes an
//!   empty text as `""`; writing the cells here keeps those files byte for byte as they were.
//!
//! Every write goes to a temporary file renamed into place ([`crate::fsutil`]): complete or absent.
//! **Invariant:** nothing here knows a column of a population or of a result.

pub mod csv;
pub mod text;

use std::fs::File;
use std::path::Path;

use polars::prelude::*;

use crate::error::{Error, Result};

/// A table file format, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Apache Parquet (`.parquet`).
    Parquet,
    /// Comma-separated values with a header row (`.csv`).
    Csv,
}

impl Format {
    /// The format of `path` by its extension (case-insensitive), `None` for any other.
    pub fn of(path: &Path) -> Option<Format> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("parquet") => Some(Format::Parquet),
            Some("csv") => Some(Format::Csv),
            _ => None,
        }
    }
}

/// How the columns of a CSV file are typed when read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvColumns {
    /// Every column as text: the caller parses each cell and names the one that is wrong.
    Text,
    /// Types inferred from every row (integers, floats, text).
    Inferred,
}

/// Why a table could not be read. Callers word it for their file (population, stats input).
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be opened or read.
    Io(std::io::Error),
    /// A CSV file is not UTF-8: 1-based `line` of the first bad byte, at byte offset `byte`.
    NotUtf8 {
        /// 1-based line of the first invalid byte.
        line: usize,
        /// Byte offset of the first invalid byte.
        byte: usize,
    },
    /// polars could not parse the file.
    Unreadable(PolarsError),
    /// A Parquet column has a type polars cannot hold (a time of day, a decimal).
    ColumnType {
        /// The column's name.
        column: String,
        /// Its Parquet (Arrow) type, as the file declares it.
        dtype: String,
    },
}

/// The Parquet column types gongfu reads, for errors about a column of another type.
pub const READABLE_TYPES: &str = "integers of any width (signed or unsigned), 32- or 64-bit \
    floats, booleans, text (plain, large or dictionary-encoded), dates, times; convert or drop \
    the column";

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::NotUtf8 { line, byte } => {
                write!(f, "line {line}: not valid UTF-8 (byte {byte})")
            }
            ReadError::Unreadable(e) => write!(f, "{e}"),
            ReadError::ColumnType { column, dtype } => {
                write!(
                    f,
                    "column `{column}` has type {dtype}; readable: {READABLE_TYPES}"
                )
            }
        }
    }
}

impl ReadError {
    /// The error for a table gongfu wrote itself (a damaged or foreign file), naming `path`.
    pub fn at(self, path: &Path) -> Error {
        match self {
            ReadError::Io(cause) => Error::io(path, cause),
            ReadError::NotUtf8 { line, byte } => Error::io(
                path,
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("line {line}: not valid UTF-8 (byte {byte})"),
                ),
            ),
            ReadError::Unreadable(cause) => Error::Table {
                context: format!("reading {}", path.display()),
                cause,
            },
            e @ ReadError::ColumnType { .. } => Error::io(
                path,
                std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()),
            ),
        }
    }
}

/// Most columns a table file may have: the widest sheet a spreadsheet writes (Excel's 16,384). A
/// wider file is refused before it is parsed, so a stray file (a matrix, a transposed export)
/// gets a clear error at once rather than a long parse.
pub const MAX_COLUMNS: usize = 16_384;

/// The error for a header of `columns` columns, more than [`MAX_COLUMNS`].
fn too_many_columns(columns: usize) -> ReadError {
    ReadError::Unreadable(PolarsError::ComputeError(
        format!(
            "its header has {columns} columns; at most {MAX_COLUMNS} are read (the widest sheet a \
             spreadsheet writes)"
        )
        .into(),
    ))
}

/// Reads a whole table file in `format`; CSV has a header row, typed as `columns` says.
pub fn read_frame(
    path: &Path,
    format: Format,
    columns: CsvColumns,
) -> Result<DataFrame, ReadError> {
    match format {
        Format::Csv => {
            let mut bytes = crate::fsutil::read_regular(path).map_err(ReadError::Io)?;
            if let Err(e) = std::str::from_utf8(&bytes) {
                let byte = e.valid_up_to();
                let line = bytes[..byte].iter().filter(|&&b| b == b'\n').count() + 1;
                return Err(ReadError::NotUtf8 { line, byte });
            }
            trim_trailing_blank_lines(&mut bytes);
            let header = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
            // Commas outside quotes would be exact; a comma inside a quoted name only makes the
            // bound stricter by one.
            let width = 1 + header.iter().filter(|&&b| b == b',').count();
            if width > MAX_COLUMNS {
                return Err(too_many_columns(width));
            }
            let infer = match columns {
                CsvColumns::Text => Some(0),
                CsvColumns::Inferred => None,
            };
            CsvReadOptions::default()
                .with_has_header(true)
                .with_infer_schema_length(infer)
                .into_reader_with_file_handle(std::io::Cursor::new(bytes))
                .finish()
                .map_err(ReadError::Unreadable)
        }
        Format::Parquet => {
            crate::fsutil::check_regular(path).map_err(ReadError::Io)?;
            let open = || File::open(path).map_err(ReadError::Io);
            let schema = ParquetReader::new(open()?)
                .schema()
                .map_err(ReadError::Unreadable)?;
            if schema.len() > MAX_COLUMNS {
                return Err(too_many_columns(schema.len()));
            }
            // Checked before reading: polars panics on some types (decimals, 16-bit floats).
            if let Some((name, field)) = schema.iter().find(|(_, f)| !readable(f.dtype())) {
                return Err(ReadError::ColumnType {
                    column: name.to_string(),
                    dtype: format!("{:?}", field.dtype()),
                });
            }
            ParquetReader::new(open()?)
                .finish()
                .map_err(ReadError::Unreadable)
        }
    }
}

/// Whether polars reads a Parquet column of Arrow type `dtype` into a column gongfu can turn
/// into values or name in a "wrong type" error ([`READABLE_TYPES`]).
fn readable(dtype: &ArrowDataType) -> bool {
    use ArrowDataType as A;
    match dtype {
        A::Null
        | A::Boolean
        | A::Int8
        | A::Int16
        | A::Int32
        | A::Int64
        | A::UInt8
        | A::UInt16
        | A::UInt32
        | A::UInt64
        | A::Float32
        | A::Float64
        | A::Date32
        | A::Timestamp(..)
        | A::Time64(_)
        | A::Utf8
        | A::LargeUtf8
        | A::Utf8View
        | A::Binary
        | A::LargeBinary
        | A::BinaryView => true,
        A::List(item) | A::LargeList(item) => readable(item.dtype()),
        A::Dictionary(_, values, _) => matches!(**values, A::Utf8 | A::LargeUtf8 | A::Utf8View),
        _ => false,
    }
}

/// Drops blank lines (only spaces, tabs or `\r`) at the end of a CSV file, keeping one final line
/// break: an editor's or a spreadsheet's trailing empty lines are no rows. Linear in the length.
fn trim_trailing_blank_lines(bytes: &mut Vec<u8>) {
    let content = bytes
        .iter()
        .rposition(|b| !matches!(b, b'\n' | b'\r' | b' ' | b'\t'))
        .map_or(0, |last| last + 1);
    if let Some(end) = bytes[content..].iter().position(|&b| b == b'\n') {
        bytes.truncate(content + end + 1);
    }
}

/// Builds a frame from equal-length columns; `what` names it in the error ("the population
/// table", a file path).
pub fn frame(what: &str, columns: Vec<Column>) -> Result<DataFrame> {
    DataFrame::new_infer_height(columns).map_err(|cause| Error::Table {
        context: format!("building {what}"),
        cause,
    })
}

/// Writes one frame as Parquet or CSV by the extension of `path` (polars' writers), atomically.
pub fn write_frame(df: &mut DataFrame, path: &Path) -> Result<()> {
    let format = Format::of(path).ok_or_else(|| unknown_format(path))?;
    crate::fsutil::atomic_write_with(path, |file| {
        match format {
            Format::Parquet => ParquetWriter::new(file).finish(df).map(|_| ()),
            Format::Csv => CsvWriter::new(file).include_header(true).finish(df),
        }
        .map_err(|cause| writing(path, cause))
    })
}

/// Writes frames of one schema one after another into one file in `format`, atomically, so a
/// large table is written without being held whole. `frames` yields at least one frame.
pub fn write_frames(
    path: &Path,
    format: Format,
    mut frames: impl Iterator<Item = Result<DataFrame>>,
) -> Result<()> {
    let first = frames.next().ok_or_else(|| {
        Error::io(
            path,
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "no rows to write"),
        )
    })??;
    let schema = first.schema().clone();
    let err = |cause| writing(path, cause);
    crate::fsutil::atomic_write_with(path, |file| {
        match format {
            Format::Parquet => {
                let mut w = ParquetWriter::new(file).batched(&schema).map_err(err)?;
                w.write_batch(&first).map_err(err)?;
                for df in frames {
                    w.write_batch(&df?).map_err(err)?;
                }
                w.finish().map_err(err)?;
            }
            Format::Csv => {
                let mut w = CsvWriter::new(file).batched(&schema).map_err(err)?;
                w.write_batch(&first).map_err(err)?;
                for df in frames {
                    w.write_batch(&df?).map_err(err)?;
                }
                w.finish().map_err(err)?;
            }
        }
        Ok(())
    })
}

fn writing(path: &Path, cause: PolarsError) -> Error {
    Error::Table {
        context: format!("writing {}", path.display()),
        cause,
    }
}

fn unknown_format(path: &Path) -> Error {
    Error::io(
        path,
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "unknown table file type; a table file ends in .parquet or .csv",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Scratch(std::path::PathBuf);
    impl Scratch {
        fn new(name: &str) -> Scratch {
            let d =
                std::env::temp_dir().join(format!("gongfu-table-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&d);
            std::fs::create_dir_all(&d).unwrap();
            Scratch(d)
        }
    }
    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn format_follows_the_extension() {
        assert_eq!(Format::of(Path::new("a/b.CSV")), Some(Format::Csv));
        assert_eq!(Format::of(Path::new("b.parquet")), Some(Format::Parquet));
        assert_eq!(Format::of(Path::new("b.xlsx")), None);
        assert_eq!(Format::of(Path::new("csv")), None);
    }

    /// A frame written in either format reads back with the same values; one written in batches
    /// holds every batch in order.
    #[test]
    fn frames_round_trip_in_both_formats() {
        let d = Scratch::new("rt");
        let make = |ids: &[u64], x: &[f64]| {
            frame(
                "test",
                vec![Column::new("id".into(), ids), Column::new("x".into(), x)],
            )
        };
        for name in ["one.csv", "one.parquet"] {
            let path = d.0.join(name);
            write_frame(&mut make(&[1, 2], &[0.5, -3.0]).unwrap(), &path).unwrap();
            let back = read_frame(&path, Format::of(&path).unwrap(), CsvColumns::Inferred).unwrap();
            assert_eq!(back.height(), 2);
            let x: Vec<Option<f64>> = back.column("x").unwrap().f64().unwrap().iter().collect();
            assert_eq!(x, [Some(0.5), Some(-3.0)]);
        }
        for format in [Format::Csv, Format::Parquet] {
            let path = d.0.join(format!("batched-{format:?}"));
            let batches = [make(&[1], &[1.0]), make(&[2, 3], &[2.0, 3.0])];
            write_frames(&path, format, batches.into_iter()).unwrap();
            let back = read_frame(&path, format, CsvColumns::Inferred).unwrap();
            let ids = back.column("id").unwrap().cast(&DataType::UInt64).unwrap();
            let ids: Vec<Option<u64>> = ids.u64().unwrap().iter().collect();
            assert_eq!(ids, [Some(1), Some(2), Some(3)]);
        }
        let e = write_frame(&mut make(&[1], &[1.0]).unwrap(), &d.0.join("x.txt")).unwrap_err();
        assert!(e.to_string().contains("x.txt") && e.to_string().contains(".parquet or .csv"));
    }

    /// Regression (issue 16): a CSV ending in empty lines (an editor's, a spreadsheet's
    /// `\r\n\r\n`) was rejected; they are no rows now, and the last row keeps its cells.
    #[test]
    fn csv_trailing_blank_lines_are_no_rows() {
        let d = Scratch::new("blank");
        for (i, tail) in ["\n", "\n\n", "\r\n\r\n", "\n  \n\t\n", ""]
            .iter()
            .enumerate()
        {
            let path = d.0.join(format!("t{i}.csv"));
            std::fs::write(&path, format!("a,b\n1,x\n2, y {tail}")).unwrap();
            let back = read_frame(&path, Format::Csv, CsvColumns::Text).unwrap();
            assert_eq!(back.height(), 2, "tail {tail:?}");
            let b: Vec<Option<&str>> = back.column("b").unwrap().str().unwrap().iter().collect();
            assert_eq!(b, [Some("x"), Some(" y ")], "tail {tail:?}");
        }
        let mut bytes = b"a\n\n\n".to_vec();
        trim_trailing_blank_lines(&mut bytes);
        assert_eq!(bytes, b"a\n");
    }

    /// Regression (issue 16): a FIFO given as a table blocked for ever; a directory or a FIFO is
    /// refused before it is opened.
    #[cfg(unix)]
    #[test]
    fn a_fifo_or_a_directory_is_not_a_table() {
        let d = Scratch::new("fifo");
        let fifo = d.0.join("pipe.csv");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        for (path, kind) in [(&fifo, "a FIFO"), (&d.0, "a directory")] {
            match read_frame(path, Format::Csv, CsvColumns::Text) {
                Err(ReadError::Io(e)) => {
                    assert!(e.to_string().contains(kind), "{e}");
                    assert!(e.to_string().contains("not a regular file"), "{e}");
                }
                other => panic!("expected an I/O error, got {other:?}"),
            }
        }
    }

    /// "浙江" in GBK (D5 E3 BD AD) on the second line: the error gives line 2 and the byte.
    #[test]
    fn csv_that_is_not_utf8_names_the_line() {
        let d = Scratch::new("utf8");
        let path = d.0.join("gbk.csv");
        let mut bytes = b"region,x\n".to_vec();
        bytes.extend_from_slice(&[0xD5, 0xE3, 0xBD, 0xAD]);
        bytes.extend_from_slice(b",1\n");
        std::fs::write(&path, bytes).unwrap();
        for columns in [CsvColumns::Text, CsvColumns::Inferred] {
            match read_frame(&path, Format::Csv, columns) {
                Err(ReadError::NotUtf8 { line, byte }) => assert_eq!((line, byte), (2, 9)),
                other => panic!("expected a UTF-8 error, got {other:?}"),
            }
        }
        match read_frame(&d.0.join("absent.csv"), Format::Csv, CsvColumns::Text) {
            Err(ReadError::Io(e)) => assert_eq!(e.kind(), std::io::ErrorKind::NotFound),
            other => panic!("expected an I/O error, got {other:?}"),
        }
    }
}
