//! A reform written in code (docs/python.md): parameter values given as a TOML table, with the
//! names, series and indexation of a scenario file's `[params]`, on top of a scenario file. The
//! table becomes the text of a small scenario that `extends` the file, so it is checked by the
//! same parser with the same errors; they name the file `<base stem>.with_params.toml` beside
//! the base (it is never written) and the line of the generated text.

use std::path::Path;

use super::Scenario;
use crate::error::{Error, Result};

impl Scenario {
    /// The scenario of `base` (a scenario file) with `params` on top, named `name` (else the
    /// base's name with `+params`). Errors as for a scenario file that writes `params` under
    /// `[params]` and extends `base`.
    pub fn load_with_params(
        base: &Path,
        name: Option<&str>,
        params: &toml::Table,
    ) -> Result<Scenario> {
        let base = std::path::absolute(base).map_err(|e| Error::io(base, e))?;
        let stem = base
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let file_name = base
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = match name {
            Some(n) => n.to_owned(),
            None => format!("{}+params", Scenario::load(&base)?.name),
        };
        let mut root = toml::Table::new();
        root.insert("extends".into(), toml::Value::String(file_name));
        root.insert("name".into(), toml::Value::String(name));
        root.insert("params".into(), toml::Value::Table(params.clone()));
        let text = toml::to_string(&root).map_err(|e| Error::Config {
            file: base.clone(),
            line: None,
            column: None,
            message: format!("the parameters cannot be written as TOML: {e}"),
            hint: None,
        })?;
        let path = base.with_file_name(format!("{stem}.with_params.toml"));
        Self::parse_with(&path, text, crate::registry::all())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::population::Residence;

    fn baseline() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml")
    }

    /// A rural override in code resolves as the shipped reform file that writes it.
    #[test]
    fn table_equals_the_same_reform_as_a_file() {
        let params: toml::Table = toml::from_str(
            "[rural]\ndibao_standard_yearly = { 2022 = 9027.6, index = \"wages\" }\n",
        )
        .unwrap();
        let code =
            Scenario::load_with_params(&baseline(), Some("dibao_unified_urban"), &params).unwrap();
        let file = Scenario::load(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/dibao_unified_urban.toml"),
        )
        .unwrap();
        assert_eq!(code.name, file.name);
        for year in [2022, 2030] {
            for res in Residence::ALL {
                assert_eq!(
                    code.resolve(year, "national", res),
                    file.resolve(year, "national", res)
                );
            }
        }
    }

    /// A misspelt key is the parser's error, naming the key, the generated file and a hint.
    #[test]
    fn unknown_key_names_it() {
        let params: toml::Table = toml::from_str("dibao_standrd_monthly = 1000\n").unwrap();
        let e = Scenario::load_with_params(&baseline(), None, &params)
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown key `dibao_standrd_monthly`"), "{e}");
        assert!(e.contains("baseline.with_params.toml"), "{e}");
        assert!(e.contains("dibao_standard_monthly"), "{e}");
    }
}
