//! `extends` in a synthetic-population spec: a spec may name another (a path relative to its own
//! folder) and give only what differs. Tables merge key by key, recursively; any other value
//! replaces the one it extends. A variant of a shipped spec thus holds no copy of it.

use std::path::Path;

use toml::{Table, Value};

use crate::{Error, Result};

/// Merges `over` into `base`: tables key by key, other values replaced.
fn merge(base: &mut Table, over: Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(Value::Table(b)), Value::Table(o)) => merge(b, o),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// The spec text at `path` with what it extends merged in, as one table; `None` when the text
/// has no `extends` (the caller then parses the text itself, keeping line numbers in errors).
pub fn resolve(text: &str, path: &Path) -> Result<Option<Table>> {
    let bad = |message: String| Error::Config {
        file: path.to_path_buf(),
        line: None,
        column: None,
        message,
        hint: None,
    };
    let mut table: Table = text
        .parse()
        .map_err(|e: toml::de::Error| bad(e.message().to_string()))?;
    let Some(extends) = table.remove("extends") else {
        return Ok(None);
    };
    let Value::String(base_name) = extends else {
        return Err(bad("`extends` must be the path of a spec file".into()));
    };
    let base_path = path.parent().unwrap_or(Path::new(".")).join(&base_name);
    let base_text = std::fs::read_to_string(&base_path).map_err(|e| Error::io(&base_path, e))?;
    let mut base = match resolve(&base_text, &base_path)? {
        Some(t) => t,
        None => base_text
            .parse()
            .map_err(|e: toml::de::Error| bad(format!("{base_name}: {}", e.message())))?,
    };
    merge(&mut base, table);
    Ok(Some(base))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A child's `[income] gini` replaces the base's, its new key joins the base's table, and the
    /// base's other keys and tables stay.
    #[test]
    fn child_tables_merge_into_the_base() {
        let mut base: Table =
            "region = \"national\"\n[income]\nmean = 1\ngini = 0.4\n[other]\nx = 1\n"
                .parse()
                .unwrap();
        let child: Table =
            "[income]\ngini = 0.467\ntop_incomes = { quantile = 0.99, gini = 0.46 }\n"
                .parse()
                .unwrap();
        merge(&mut base, child);
        assert_eq!(base["income"]["mean"].as_integer(), Some(1));
        assert_eq!(base["income"]["gini"].as_float(), Some(0.467));
        assert_eq!(
            base["income"]["top_incomes"]["quantile"].as_float(),
            Some(0.99)
        );
        assert_eq!(base["other"]["x"].as_integer(), Some(1));
        assert_eq!(base["region"].as_str(), Some("national"));
    }
}
