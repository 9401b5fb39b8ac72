//! The `[params]` table of a scenario file and its `[params.urban]`, `[params.region.<code>]` and
//! `[params.region.<code>.rural]` sections: every key is a registered parameter (money as
//! `_monthly`, `_yearly` or the bare stem; an earlier name with a deprecation warning), its value
//! checked against the parameter's kind.

use toml::de::DeTable;

use super::file::{PRICE_GROWTH, Setting, WAGE_GROWTH};
use super::series::{is_money, parse_series};
use super::source::{Key, Source, in_file_order};
use super::{Level, Origin};
use crate::error::Result;
use crate::params::{Indexation, ParamDef};
use crate::population::Residence;

/// Reads a `[params]` table (or an override section under it) at `level`.
pub(crate) fn parse_params(
    src: &Source,
    registry: &[&'static ParamDef],
    table: &DeTable,
    level: &Level,
    out: &mut Vec<(Level, &'static str, Setting)>,
    warnings: &mut Vec<String>,
) -> Result<()> {
    let section = level.section();
    let first_here = out.len();
    for (k, v) in in_file_order(table) {
        let key = k.get_ref().as_ref();
        let residence = Residence::parse(key);
        if let Some(residence) = residence.filter(|_| level.residence.is_none()) {
            let sub = Level {
                region: level.region.clone(),
                residence: Some(residence),
            };
            parse_params(
                src,
                registry,
                src.table(&format!("{section}.{key}"), v)?,
                &sub,
                out,
                warnings,
            )?;
            continue;
        }
        if key == "region" && *level == Level::default() {
            for (code, t) in in_file_order(src.table("params.region", v)?) {
                let sub = Level {
                    region: Some(code.get_ref().to_string()),
                    residence: None,
                };
                parse_params(
                    src,
                    registry,
                    src.table(&format!("params.region.{}", code.get_ref()), t)?,
                    &sub,
                    out,
                    warnings,
                )?;
            }
            continue;
        }
        let (def, monthly, old) = param_key(src, registry, k, level)?;
        if let Some(old) = old {
            let new = format!("{}{}", def.name, &key[old.len()..]);
            warnings.push(format!(
                "{}:{}: `{key}` is a deprecated name; write `{new}` (same meaning)",
                src.path.display(),
                src.line(&k.span()),
            ));
        }
        if let Some((_, _, earlier)) = out[first_here..]
            .iter()
            .find(|(l, stem, _)| l == level && *stem == def.name)
        {
            return Err(src.error(
                k.span(),
                format!(
                    "`{key}` sets `{}` again in {section} (already set on line {}); write one of `{0}_monthly`, `{0}_yearly` or `{0}`",
                    def.name, earlier.origin.line
                ),
                None,
            ));
        }
        let fixed = def.name == WAGE_GROWTH || def.name == PRICE_GROWTH;
        let series = parse_series(src, key, def.kind, def.default_index, fixed, v)?;
        let needs = match series.index {
            Indexation::Wages => Some(WAGE_GROWTH),
            Indexation::Prices => Some(PRICE_GROWTH),
            Indexation::None => None,
        };
        if let Some(stem) = needs.filter(|s| !registry.iter().any(|d| d.name == *s)) {
            return Err(src.error(v.span(), format!("`{key}` grows by an index that needs parameter `{stem}`, which is not registered"), None));
        }
        let origin = Origin {
            file: src.path.clone(),
            line: src.line(&k.span()),
        };
        out.push((
            level.clone(),
            def.name,
            Setting {
                series,
                monthly,
                origin,
            },
        ));
    }
    Ok(())
}

/// The definition a parameter key names, whether it is written monthly, and the deprecated name
/// it was written under, if any.
fn param_key(
    src: &Source,
    registry: &[&'static ParamDef],
    k: &Key,
    level: &Level,
) -> Result<(&'static ParamDef, bool, Option<&'static str>)> {
    let key = k.get_ref().as_ref();
    let find = |stem: &str| -> Option<(&'static ParamDef, Option<&'static str>)> {
        registry.iter().copied().find_map(|d| {
            if d.name == stem {
                Some((d, None))
            } else {
                let old = d.deprecated_names.iter().find(|n| **n == stem)?;
                Some((d, Some(*old)))
            }
        })
    };
    if let Some((def, old)) = find(key) {
        return Ok((def, false, old));
    }
    for (suffix, monthly) in [("_monthly", true), ("_yearly", false)] {
        if let Some((def, old)) = key.strip_suffix(suffix).and_then(find) {
            if is_money(def.kind) {
                return Ok((def, monthly, old));
            }
            return Err(src.error(
                k.span(),
                format!(
                    "`{key}`: `{}` is not money, so it has no `{suffix}` form",
                    def.name
                ),
                Some(format!("write `{}`", def.name)),
            ));
        }
    }
    let mut keys: Vec<String> = Vec::new();
    for d in registry {
        keys.push(d.name.to_string());
        if is_money(d.kind) {
            keys.push(format!("{}_monthly", d.name));
            keys.push(format!("{}_yearly", d.name));
        }
    }
    let sections: &[&str] = match (&level.region, level.residence) {
        (None, None) => &["urban", "rural", "region"],
        (Some(_), None) => &["urban", "rural"],
        _ => &[],
    };
    keys.extend(sections.iter().map(|s| s.to_string()));
    if crate::error::nearest(key, keys.iter().map(String::as_str)).is_none() {
        // A typo of an earlier name: point to the name it has now.
        let mut earlier: Vec<(String, String)> = Vec::new();
        for d in registry {
            for old in d.deprecated_names {
                earlier.push((old.to_string(), d.name.to_string()));
                if is_money(d.kind) {
                    for suffix in ["_monthly", "_yearly"] {
                        earlier.push((format!("{old}{suffix}"), format!("{}{suffix}", d.name)));
                    }
                }
            }
        }
        if let Some(near) = crate::error::nearest(key, earlier.iter().map(|(o, _)| o.as_str())) {
            let new = &earlier.iter().find(|(o, _)| o == near).expect("listed").1;
            return Err(src.error(
                k.span(),
                format!(
                    "unknown key `{key}` in {}; see docs/scenarios.md for every key",
                    level.section_brackets()
                ),
                Some(format!(
                    "did you mean `{new}`? (its earlier name is `{near}`)"
                )),
            ));
        }
    }
    Err(src.unknown_key(
        k,
        &level.section_brackets(),
        keys.iter().map(String::as_str),
    ))
}

impl Level {
    /// `params.region.zhejiang.rural`, for messages.
    fn section(&self) -> String {
        let mut s = String::from("params");
        if let Some(r) = &self.region {
            s += &format!(".region.{r}");
        }
        if let Some(r) = self.residence {
            s += &format!(".{}", r.as_str());
        }
        s
    }

    pub(super) fn section_brackets(&self) -> String {
        format!("[{}]", self.section())
    }
}

#[cfg(test)]
mod tests {
    use crate::params::ParamValue;
    use crate::scenario::testkit::*;

    #[test]
    fn monthly_becomes_yearly_and_yearly_and_bare_stay() {
        let s = parse(
            "[params]\ndibao_standard_monthly = 1000\nbasic_pension_yearly = 2280\n\
             care_cost_monthly = { 3 = 3000, 2 = 2000 }\ntier_subsidy = [30, 60]\n",
        )
        .unwrap();
        assert_eq!(number(&s, "dibao_standard", 2022), 12_000.0);
        assert_eq!(number(&s, "basic_pension", 2022), 2280.0);
        assert_eq!(
            value(&s, "care_cost", 2022, None, None),
            ParamValue::Table(vec![(2, 24_000.0), (3, 36_000.0)])
        );
        assert_eq!(
            value(&s, "tier_subsidy", 2022, None, None),
            ParamValue::List(vec![30.0, 60.0])
        );
        let p = s.provenance(2022, None, None);
        assert!(
            p.iter()
                .find(|p| p.stem == "dibao_standard")
                .unwrap()
                .monthly
        );
        assert!(
            !p.iter()
                .find(|p| p.stem == "basic_pension")
                .unwrap()
                .monthly
        );
    }
}
