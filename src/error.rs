//! The library's error type: every variant says where (file, row, column, key), what is wrong,
//! and what is allowed. The CLI prints the chain once and sets the exit code.

use std::path::PathBuf;

/// Everything that can go wrong in gongfu, by kind of input.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read, written or renamed.
    #[error("{}: {cause}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating-system error (part of the message, not a separate source, so the chain
        /// printed by the CLI says it once).
        cause: std::io::Error,
    },
    /// A population file is malformed at a given row and column.
    #[error("{}: row {row}, column `{column}`: {message}", file.display())]
    PopulationValue {
        /// The population file.
        file: PathBuf,
        /// 1-based data row (the header is row 0).
        row: usize,
        /// Column name.
        column: String,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// A population file is malformed as a whole (missing column, empty file, bad encoding).
    #[error("{}: {message}", file.display())]
    Population {
        /// The population file.
        file: PathBuf,
        /// What is wrong and what is allowed.
        message: String,
    },
    /// A scenario or specification file is invalid at a key.
    #[error("{}{}: {message}{}", file.display(), location(*line, *column), hint.as_ref().map(|h| format!("\n\n  {h}")).unwrap_or_default())]
    Config {
        /// The TOML file.
        file: PathBuf,
        /// 1-based line, when known.
        line: Option<usize>,
        /// 1-based column, when known.
        column: Option<usize>,
        /// What is wrong, naming the key and what is allowed.
        message: String,
        /// A suggestion such as "did you mean `dibao_standard_monthly`?".
        hint: Option<String>,
    },
    /// A computation got input it cannot give a number for (a non-positive mean for a Gini).
    #[error("{0}")]
    Undefined(String),
    /// Generated population misses calibration targets beyond tolerance; the table says which.
    #[error("calibration failed: {failed} target(s) outside tolerance\n{table}")]
    Calibration {
        /// Number of targets missed.
        failed: usize,
        /// The validation table, printed.
        table: String,
    },
    /// A run was interrupted (Ctrl-C or SIGTERM).
    #[error("interrupted")]
    Interrupted,
    /// Polars failed on a table we built or read (rare: most input errors are caught before).
    #[error("{context}: {cause}")]
    Table {
        /// What was being done.
        context: String,
        /// The polars error (part of the message, printed once).
        cause: polars::error::PolarsError,
    },
}

fn location(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        (Some(l), None) => format!(":{l}"),
        _ => String::new(),
    }
}

/// Result with gongfu's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An I/O error on a path.
    pub fn io(path: impl Into<PathBuf>, cause: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            cause,
        }
    }
}

/// The nearest candidate to a misspelt name (Levenshtein distance at most a third of its length,
/// and at least 1 edit allowed), for "did you mean" hints.
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (levenshtein(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, c.len()))
        .map(|(_, c)| c)
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_finds_misspelt_key_and_rejects_far_ones() {
        let keys = [
            "dibao_standard_monthly",
            "dibao_min_benefit",
            "take_up_rate",
        ];
        assert_eq!(
            nearest("dibao_standrd_monthly", keys),
            Some("dibao_standard_monthly")
        );
        assert_eq!(nearest("take_up_rat", keys), Some("take_up_rate"));
        assert_eq!(nearest("completely_else", keys), None);
    }

    #[test]
    fn config_error_names_file_line_and_hint() {
        let e = Error::Config {
            file: "s.toml".into(),
            line: Some(14),
            column: Some(1),
            message: "unknown key `x`".into(),
            hint: Some("did you mean `y`?".into()),
        };
        assert_eq!(
            e.to_string(),
            "s.toml:14:1: unknown key `x`\n\n  did you mean `y`?"
        );
    }
}
