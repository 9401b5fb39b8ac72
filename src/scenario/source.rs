//! One scenario file's text, and readers that turn TOML items into checked values or into errors
//! naming the file, line, column, key and what is allowed.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use crate::error::{Error, Result};

/// A spanned TOML value of a scenario file.
pub(crate) type Item<'a> = Spanned<DeValue<'a>>;

/// A spanned TOML key.
pub(crate) type Key<'a> = Spanned<toml::de::DeString<'a>>;

/// The text of one scenario file, kept to turn byte spans into lines and columns.
pub(crate) struct Source {
    /// The file, as given or resolved from an `extends`.
    pub path: PathBuf,
    /// Its contents.
    pub text: String,
}

impl Source {
    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }

    /// 1-based line of a byte span.
    pub fn line(&self, span: &Range<usize>) -> usize {
        self.line_column(span.start).0
    }

    /// A configuration error at a span.
    pub fn error(
        &self,
        span: Range<usize>,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Error {
        let (line, column) = self.line_column(span.start);
        Error::Config {
            file: self.path.clone(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
            hint,
        }
    }

    /// Parses the whole document, turning a TOML syntax error into a located configuration error.
    pub fn parse(&self) -> Result<Spanned<DeTable<'_>>> {
        DeTable::parse(&self.text).map_err(|e| {
            let message = format!("invalid TOML: {}", e.message().trim_end());
            match e.span() {
                Some(span) => self.error(span, message, None),
                None => Error::Config {
                    file: self.path.clone(),
                    line: None,
                    column: None,
                    message,
                    hint: None,
                },
            }
        })
    }

    /// A number (integer or float), finite.
    pub fn number(&self, key: &str, item: &Item) -> Result<f64> {
        let x = match item.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                .ok()
                .map(|i| i as f64),
            DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
            other => return Err(self.wrong_type(key, item, "a number", other)),
        };
        match x {
            Some(x) if x.is_finite() => Ok(x),
            _ => Err(self.error(
                item.span(),
                format!(
                    "`{key}` must be a finite number, found `{}`",
                    self.snippet(item)
                ),
                None,
            )),
        }
    }

    /// A whole number in `[min, max]`.
    pub fn integer(&self, key: &str, item: &Item, min: i64, max: i64) -> Result<i64> {
        let DeValue::Integer(i) = item.get_ref() else {
            return Err(self.wrong_type(key, item, "a whole number", item.get_ref()));
        };
        match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(self.error(
                item.span(),
                format!("`{key}` = {} is outside {min}..={max}", self.snippet(item)),
                None,
            )),
        }
    }

    /// A string.
    pub fn string<'a>(&self, key: &str, item: &'a Item) -> Result<&'a str> {
        match item.get_ref() {
            DeValue::String(s) => Ok(s),
            other => Err(self.wrong_type(key, item, "a string", other)),
        }
    }

    /// true or false.
    pub fn boolean(&self, key: &str, item: &Item) -> Result<bool> {
        match item.get_ref() {
            DeValue::Boolean(b) => Ok(*b),
            other => Err(self.wrong_type(key, item, "true or false", other)),
        }
    }

    /// An array.
    pub fn array<'a, 'i>(&self, key: &str, item: &'a Item<'i>) -> Result<&'a DeArray<'i>> {
        match item.get_ref() {
            DeValue::Array(a) => Ok(a),
            other => Err(self.wrong_type(key, item, "an array `[...]`", other)),
        }
    }

    /// A table.
    pub fn table<'a, 'i>(&self, key: &str, item: &'a Item<'i>) -> Result<&'a DeTable<'i>> {
        match item.get_ref() {
            DeValue::Table(t) => Ok(t),
            other => Err(self.wrong_type(key, item, "a table", other)),
        }
    }

    /// One word out of `allowed`, with a did-you-mean hint.
    pub fn word<'w>(&self, key: &str, item: &Item, allowed: &[&'w str]) -> Result<&'w str> {
        let s = self.string(key, item)?;
        allowed.iter().find(|w| **w == s).copied().ok_or_else(|| {
            self.error(
                item.span(),
                format!(
                    "`{key}` = \"{s}\" is not allowed; allowed: {}",
                    quoted(allowed)
                ),
                crate::error::nearest(s, allowed.iter().copied())
                    .map(|n| format!("did you mean `{n}`?")),
            )
        })
    }

    /// An unknown key, with the allowed ones and the nearest as a hint.
    pub fn unknown_key<'c>(
        &self,
        key: &Key,
        section: &str,
        candidates: impl IntoIterator<Item = &'c str> + Clone,
    ) -> Error {
        let hint = crate::error::nearest(key.get_ref(), candidates.clone())
            .map(|n| format!("did you mean `{n}`?"));
        let mut allowed: Vec<&str> = candidates.into_iter().collect();
        allowed.sort_unstable();
        let listing = if allowed.len() <= 16 {
            format!("; allowed: {}", quoted(&allowed))
        } else {
            "; see docs/scenarios.md for every key".to_string()
        };
        self.error(
            key.span(),
            format!("unknown key `{}` in {section}{listing}", key.get_ref()),
            hint,
        )
    }

    fn wrong_type(&self, key: &str, item: &Item, expected: &str, found: &DeValue) -> Error {
        self.error(
            item.span(),
            format!("`{key}` must be {expected}, found {}", found.type_str()),
            None,
        )
    }

    /// The source text of an item, shortened for messages.
    pub fn snippet(&self, item: &Item) -> String {
        let text = self.text.get(item.span()).unwrap_or("");
        let short: String = text.chars().take(40).collect();
        if short.len() < text.len() {
            format!("{short}...")
        } else {
            short
        }
    }

    /// A path written in this file, resolved against the file's folder.
    pub fn resolve_path(&self, written: &str) -> PathBuf {
        let base = self.path.parent().unwrap_or(Path::new(""));
        std::path::absolute(base.join(written)).unwrap_or_else(|_| base.join(written))
    }
}

/// Entries of a table in file order (toml sorts them by name; order matters for time series).
pub(crate) fn in_file_order<'a, 'i>(table: &'a DeTable<'i>) -> Vec<(&'a Key<'i>, &'a Item<'i>)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    entries
}

/// `a`, `b`, `c` for messages.
pub(crate) fn quoted(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Source {
        Source {
            path: "s.toml".into(),
            text: text.into(),
        }
    }

    #[test]
    fn line_and_column_count_characters_after_the_last_newline() {
        // "a = 1\n" is 6 bytes; "年 = 2" starts line 2; `=` is the 3rd character, byte 6 + 3 + 1.
        let s = source("a = 1\n年 = 2\n");
        assert_eq!(s.line_column(0), (1, 1));
        assert_eq!(s.line_column(10), (2, 3));
        // A span inside a multi-byte character is moved back to its start, never panics.
        assert_eq!(s.line_column(7), (2, 1));
        assert_eq!(s.line_column(1000), (3, 1));
    }

    #[test]
    fn numbers_accept_integers_and_floats_and_reject_nan_and_strings() {
        let s = source("a = 12\nb = 0.5\nc = nan\nd = \"x\"\ne = 0x10\n");
        let doc = s.parse().unwrap();
        let get = |k: &str| doc.get_ref().get(k).unwrap().clone();
        assert_eq!(s.number("a", &get("a")).unwrap(), 12.0);
        assert_eq!(s.number("b", &get("b")).unwrap(), 0.5);
        assert_eq!(s.number("e", &get("e")).unwrap(), 16.0);
        let nan = s.number("c", &get("c")).unwrap_err().to_string();
        assert_eq!(nan, "s.toml:3:5: `c` must be a finite number, found `nan`");
        let text = s.number("d", &get("d")).unwrap_err().to_string();
        assert_eq!(text, "s.toml:4:5: `d` must be a number, found string");
    }
}
