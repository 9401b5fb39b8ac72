//! The library's errors as Python exceptions: `GongfuError` carries the file, line, column, row
//! and key the library names; an interrupted run is `KeyboardInterrupt`.

use pyo3::exceptions::{PyException, PyKeyboardInterrupt};
use pyo3::prelude::*;

pyo3::create_exception!(
    _gongfu,
    GongfuError,
    PyException,
    "Bad input or a failed run; `file`, `line`, `column`, `row` and `key` say where (None where unknown)."
);

/// The first name in backticks of a message: the key or column the error is about.
fn first_quoted(message: &str) -> Option<String> {
    let (_, rest) = message.split_once('`')?;
    let (key, _) = rest.split_once('`')?;
    Some(key.to_owned())
}

/// The Python exception of a library error.
pub fn to_py(e: gongfu::Error) -> PyErr {
    use gongfu::Error as E;
    if matches!(e, E::Interrupted) {
        return PyKeyboardInterrupt::new_err("the run was interrupted at a year boundary");
    }
    let (file, line, column, row, key) = match &e {
        E::Config {
            file,
            line,
            column,
            message,
            ..
        } => (
            Some(file.clone()),
            *line,
            *column,
            None,
            first_quoted(message),
        ),
        E::PopulationValue {
            file, row, column, ..
        } => (
            Some(file.clone()),
            None,
            None,
            Some(*row),
            Some(column.clone()),
        ),
        E::Population { file, message } => {
            (Some(file.clone()), None, None, None, first_quoted(message))
        }
        E::Io { path, .. } => (Some(path.clone()), None, None, None, None),
        _ => (None, None, None, None, None),
    };
    let file = file.map(|f| f.display().to_string());
    new_error(
        e.to_string(),
        Where {
            file,
            line,
            column,
            row,
            key,
        },
    )
}

/// Where an error is: each part `None` where unknown.
#[derive(Default)]
pub struct Where {
    /// The file.
    pub file: Option<String>,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column.
    pub column: Option<usize>,
    /// 1-based data row.
    pub row: Option<usize>,
    /// The key or column named.
    pub key: Option<String>,
}

/// A `GongfuError` with `message` and the attributes of `at`.
pub fn new_error(message: String, at: Where) -> PyErr {
    let err = GongfuError::new_err(message);
    Python::attach(|py| {
        let value = err.value(py);
        // Setting attributes on a fresh exception object cannot fail.
        let _ = value.setattr("file", at.file);
        let _ = value.setattr("line", at.line);
        let _ = value.setattr("column", at.column);
        let _ = value.setattr("row", at.row);
        let _ = value.setattr("key", at.key);
    });
    err
}

/// A `GongfuError` from a message alone (the command line's `stats` errors): the key is the
/// first name in backticks.
pub fn from_message(message: String) -> PyErr {
    let key = first_quoted(&message);
    new_error(
        message,
        Where {
            key,
            ..Where::default()
        },
    )
}
