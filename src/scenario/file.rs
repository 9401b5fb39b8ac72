//! One scenario file read into a [`Layer`]: its top-level keys, parameter settings by region and
//! residence, and programs, every key checked against what is allowed (extends are followed in
//! `mod.rs`).

use std::ops::Range;

use toml::de::DeTable;

use super::program::{Program, parse_program};
use super::series::{FIRST_YEAR, LAST_YEAR, Series, is_money, parse_series};
use super::source::{Item, Key, Source, in_file_order};
use super::{Level, Origin, PopulationSource, YearRange};
use crate::error::Result;
use crate::params::{Indexation, ParamDef};
use crate::population::Residence;

/// Stem of the growth rate behind `index = "wages"`.
pub(crate) const WAGE_GROWTH: &str = "wage_growth_rate";
/// Stem of the growth rate behind `index = "prices"`.
pub(crate) const PRICE_GROWTH: &str = "price_growth_rate";

/// Keys allowed at the top of a scenario file.
pub(crate) const TOP_KEYS: [&str; 13] = [
    "name",
    "description",
    "extends",
    "reference",
    "years",
    "start_year",
    "end_year",
    "seed",
    "replications",
    "population",
    "params",
    "program",
    "remove_programs",
];

/// Keys of `[population]`.
const POPULATION_KEYS: [&str; 4] = ["spec", "persons", "seed", "file"];

/// The value of one parameter at one level, and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Setting {
    /// Value by year.
    pub series: Series,
    /// Written as `<stem>_monthly` (x 12 at resolution).
    pub monthly: bool,
    /// The file and line of the key.
    pub origin: Origin,
}

/// Everything one file says, before merging with what it extends.
#[derive(Debug, Default)]
pub(crate) struct Layer {
    /// `extends` as written, and its span.
    pub extends: Option<(String, Range<usize>)>,
    /// `name`.
    pub name: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `reference`.
    pub reference: Option<bool>,
    /// `years` or `start_year`/`end_year`.
    pub years: Option<YearRange>,
    /// `seed`.
    pub seed: Option<u64>,
    /// `replications`.
    pub replications: Option<u32>,
    /// `[population]`.
    pub population: Option<PopulationSource>,
    /// Parameter settings by level and stem.
    pub params: Vec<(Level, &'static str, Setting)>,
    /// `[[program]]` entries.
    pub programs: Vec<Program>,
    /// `remove_programs` names with their spans.
    pub remove_programs: Vec<(String, Range<usize>)>,
    /// Deprecation warnings (a parameter written under an earlier name), with file and line.
    pub warnings: Vec<String>,
}

/// Reads one file's document into a layer, checking every key against `registry`.
pub(crate) fn parse_layer(src: &Source, registry: &[&'static ParamDef]) -> Result<Layer> {
    let doc = src.parse()?;
    let mut layer = Layer::default();
    let mut start: Option<(i32, Range<usize>)> = None;
    let mut end: Option<(i32, Range<usize>)> = None;
    for (k, v) in in_file_order(doc.get_ref()) {
        let key = k.get_ref().as_ref();
        match key {
            "name" => layer.name = Some(src.string(key, v)?.to_string()),
            "description" => layer.description = Some(src.string(key, v)?.to_string()),
            "extends" => layer.extends = Some((src.string(key, v)?.to_string(), v.span())),
            "reference" => layer.reference = Some(src.boolean(key, v)?),
            "years" => layer.years = Some(parse_years(src, v)?),
            "start_year" => start = Some((year(src, key, v)?, k.span())),
            "end_year" => end = Some((year(src, key, v)?, k.span())),
            "seed" => layer.seed = Some(src.integer(key, v, 0, i64::MAX)? as u64),
            "replications" => {
                layer.replications = Some(src.integer(key, v, 1, i64::from(u32::MAX))? as u32);
            }
            "population" => layer.population = Some(parse_population(src, v)?),
            "params" => {
                let table = src.table(key, v)?;
                parse_params(
                    src,
                    registry,
                    table,
                    &Level::default(),
                    &mut layer.params,
                    &mut layer.warnings,
                )?;
            }
            "program" => {
                if let toml::de::DeValue::Table(_) = v.get_ref() {
                    return Err(src.error(
                        k.span(),
                        "`program` must be an array of tables",
                        Some("write each program as `[[program]]`, with double brackets".into()),
                    ));
                }
                for p in src.array(key, v)?.iter() {
                    let program = parse_program(src, p)?;
                    if layer.programs.iter().any(|q| q.name == program.name) {
                        return Err(src.error(
                            p.span(),
                            format!("program `{}` is defined twice in this file", program.name),
                            None,
                        ));
                    }
                    layer.programs.push(program);
                }
            }
            "remove_programs" => {
                for n in src.array(key, v)?.iter() {
                    layer
                        .remove_programs
                        .push((src.string(key, n)?.to_string(), n.span()));
                }
            }
            _ => return Err(src.unknown_key(k, "the top level", TOP_KEYS)),
        }
    }
    match (start, end) {
        (None, None) => {}
        (Some((start, span)), Some((end, _))) => {
            if layer.years.is_some() {
                return Err(src.error(
                    span,
                    "write either `years` or `start_year`/`end_year`, not both",
                    None,
                ));
            }
            layer.years = Some(year_range(src, start, end, span)?);
        }
        (Some((_, span)), None) | (None, Some((_, span))) => {
            return Err(src.error(
                span,
                "`start_year` and `end_year` go together; or write `years = \"2022..2050\"`",
                None,
            ));
        }
    }
    Ok(layer)
}

fn year(src: &Source, key: &str, v: &Item) -> Result<i32> {
    Ok(src.integer(key, v, i64::from(FIRST_YEAR), i64::from(LAST_YEAR))? as i32)
}

fn year_range(src: &Source, start: i32, end: i32, span: Range<usize>) -> Result<YearRange> {
    if start > end {
        return Err(src.error(
            span,
            format!("years run backwards: {start} is after {end}"),
            None,
        ));
    }
    Ok(YearRange { start, end })
}

/// `years = "2022..2050"` (both ends included), `"2022"` or `2022`.
fn parse_years(src: &Source, v: &Item) -> Result<YearRange> {
    if matches!(v.get_ref(), toml::de::DeValue::Integer(_)) {
        let y = year(src, "years", v)?;
        return Ok(YearRange { start: y, end: y });
    }
    let text = src.string("years", v)?;
    let bad = || {
        src.error(
            v.span(),
            format!(
                "bad `years` \"{text}\": write \"START..END\" (both included, years {FIRST_YEAR}..={LAST_YEAR}), as \"2022..2050\", or one year"
            ),
            None,
        )
    };
    let (a, b) = match text.split_once("..") {
        Some((a, b)) => (a, b.strip_prefix('=').unwrap_or(b)),
        None => (text, text),
    };
    let parse = |s: &str| {
        s.trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (FIRST_YEAR..=LAST_YEAR).contains(y))
    };
    let (Some(start), Some(end)) = (parse(a), parse(b)) else {
        return Err(bad());
    };
    year_range(src, start, end, v.span())
}

fn parse_population(src: &Source, v: &Item) -> Result<PopulationSource> {
    let table = src.table("population", v)?;
    let mut spec = None;
    let mut file = None;
    let mut persons = None;
    let mut seed = None;
    for (k, v) in in_file_order(table) {
        let key = k.get_ref().as_ref();
        match key {
            "spec" | "file" => {
                let path = src.resolve_path(src.string(key, v)?);
                if !path.is_file() {
                    let what = if key == "spec" {
                        "population spec"
                    } else {
                        "population file"
                    };
                    return Err(src.error(
                        v.span(),
                        format!("{what} `{}` does not exist (paths are relative to the scenario file's folder)", path.display()),
                        None,
                    ));
                }
                if key == "spec" {
                    spec = Some(path)
                } else {
                    file = Some(path)
                }
            }
            "persons" => persons = Some((src.integer(key, v, 1, i64::MAX)? as u64, k.span())),
            "seed" => seed = Some((src.integer(key, v, 0, i64::MAX)? as u64, k.span())),
            _ => return Err(src.unknown_key(k, "[population]", POPULATION_KEYS)),
        }
    }
    match (spec, file) {
        (Some(spec), None) => {
            let Some((persons, _)) = persons else {
                return Err(src.error(v.span(), "[population] with `spec` needs `persons` (how many to generate)", None));
            };
            Ok(PopulationSource::Generated { spec, persons, seed: seed.map(|(s, _)| s) })
        }
        (None, Some(file)) => {
            if let Some((_, span)) = persons.or(seed) {
                return Err(src.error(span, "`persons` and `seed` go with `spec`, not with `file`", None));
            }
            Ok(PopulationSource::File(file))
        }
        _ => Err(src.error(
            v.span(),
            "[population] needs exactly one of `spec = \"spec.toml\"` (with `persons`) or `file = \"pop.parquet\"`",
            None,
        )),
    }
}

/// Reads a `[params]` table (or an override section under it) at `level`.
fn parse_params(
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

    fn section_brackets(&self) -> String {
        format!("[{}]", self.section())
    }
}
