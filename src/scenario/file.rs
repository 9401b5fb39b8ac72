//! One scenario file read into a [`Layer`]: its top-level keys, parameter settings by region and
//! residence ([`super::params_table`]), and programs, every key checked against what is allowed
//! (extends are followed in `mod.rs`).

use crate::report::terms::Lang;
use std::ops::Range;

use super::grid::{Grid, parse_grid};
use super::params_table::parse_params;
use super::program::{Program, parse_program};
use super::series::{FIRST_YEAR, LAST_YEAR, Series};
use super::source::{Item, Source, in_file_order};
use super::{Level, Origin, PopulationSource, YearRange};
use crate::error::Result;
use crate::params::ParamDef;

/// Stem of the growth rate behind `index = "wages"`.
pub(crate) const WAGE_GROWTH: &str = "wage_growth_rate";
/// Stem of the growth rate behind `index = "prices"`.
pub(crate) const PRICE_GROWTH: &str = "price_growth_rate";

/// Keys allowed at the top of a scenario file.
pub(crate) const TOP_KEYS: [&str; 16] = [
    "name",
    "description",
    "extends",
    "reference",
    "years",
    "start_year",
    "end_year",
    "seed",
    "replications",
    "lang",
    "population",
    "params",
    "program",
    "remove_programs",
    "grid",
    "rebase",
];

/// Keys of `[population]`.
const POPULATION_KEYS: [&str; 4] = ["spec", "persons", "seed", "file"];

/// Most replications a run may have (`replications`, `--replications`): each is a full run of
/// every year, so ten thousand is already days of work at the shipped sizes.
pub const MAX_REPLICATIONS: u32 = 10_000;

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
    /// `lang`: the language of the report, charts and workbook.
    pub lang: Option<Lang>,
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
    /// `[grid]`: the file expands into one scenario per point (not inherited).
    pub grid: Option<Grid>,
    /// `rebase`: baselines to run this file on instead of its `extends`, absolute (not inherited).
    pub rebase: Vec<std::path::PathBuf>,
}

/// Reads one file's document into a layer, checking every key against `registry`.
pub(crate) fn parse_layer(src: &Source, registry: &[&'static ParamDef]) -> Result<Layer> {
    let doc = src.parse()?;
    let mut layer = Layer::default();
    let mut start: Option<(i32, Range<usize>)> = None;
    let mut end: Option<(i32, Range<usize>)> = None;
    let mut reference_span = None;
    for (k, v) in in_file_order(doc.get_ref()) {
        let key = k.get_ref().as_ref();
        match key {
            "name" => layer.name = Some(src.string(key, v)?.to_string()),
            "description" => layer.description = Some(src.string(key, v)?.to_string()),
            "extends" => layer.extends = Some((src.string(key, v)?.to_string(), v.span())),
            "reference" => {
                layer.reference = Some(src.boolean(key, v)?);
                reference_span = Some(k.span());
            }
            "grid" => layer.grid = Some(parse_grid(src, registry, k, v)?),
            "rebase" => {
                for b in src.array(key, v)?.iter() {
                    let path = src.resolve_path(src.string(key, b)?);
                    if !path.is_file() {
                        return Err(src.error(
                            b.span(),
                            format!(
                                "`rebase` baseline `{}` does not exist (paths are relative to the scenario file's folder)",
                                path.display()
                            ),
                            None,
                        ));
                    }
                    layer.rebase.push(path);
                }
            }
            "years" => layer.years = Some(parse_years(src, v)?),
            "start_year" => start = Some((year(src, key, v)?, k.span())),
            "end_year" => end = Some((year(src, key, v)?, k.span())),
            "seed" => layer.seed = Some(src.integer(key, v, 0, i64::MAX)? as u64),
            "replications" => {
                let max = i64::from(MAX_REPLICATIONS);
                layer.replications = Some(src.integer(key, v, 1, max)? as u32);
            }
            "lang" => {
                let text = src.string(key, v)?;
                let lang = text.parse().map_err(|message: String| {
                    src.error(v.span(), format!("`lang`: {message}"), None)
                })?;
                layer.lang = Some(lang);
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
    if let (Some(span), Some(true), Some(_)) = (reference_span, layer.reference, &layer.grid) {
        return Err(src.error(
            span,
            "a file with a `[grid]` cannot be the reference: its points are compared with the \
             reference of their group",
            Some("leave `reference = true` to the baseline the grid extends".into()),
        ));
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
            "persons" => {
                let max = crate::population::io::MAX_PERSONS as i64;
                persons = Some((src.integer(key, v, 1, max)? as u64, k.span()));
            }
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

#[cfg(test)]
mod tests {

    use crate::scenario::testkit::*;
    use crate::scenario::{PopulationSource, Scenario};

    #[test]
    fn population_paths_are_resolved_against_the_scenario_folder() {
        let d = Dir::new();
        d.write("pop.parquet", "x");
        d.write("spec.toml", "");
        let a = d.write("a.toml", "[population]\nfile = \"pop.parquet\"\n");
        let b = d.write(
            "b.toml",
            "[population]\nspec = \"spec.toml\"\npersons = 1000\n",
        );
        let a = Scenario::load_with(&a, &registry()).unwrap();
        assert_eq!(
            a.population,
            Some(PopulationSource::File(d.0.join("pop.parquet")))
        );
        let b = Scenario::load_with(&b, &registry()).unwrap();
        assert_eq!(
            b.population,
            Some(PopulationSource::Generated {
                spec: d.0.join("spec.toml"),
                persons: 1000,
                seed: None
            })
        );
    }

    /// `rebase` paths are relative to the file, like `extends`; the list is the loaded file's own.
    #[test]
    fn rebase_paths_are_resolved_against_the_scenario_folder_and_not_inherited() {
        let d = Dir::new();
        d.write("base.toml", "");
        std::fs::create_dir_all(d.0.join("x")).unwrap();
        d.write("x/base.toml", "");
        let reform = d.write("reform.toml", "rebase = [\"base.toml\", \"x/base.toml\"]\n");
        let s = Scenario::load_with(&reform, &registry()).unwrap();
        assert_eq!(s.rebase, [d.0.join("base.toml"), d.0.join("x/base.toml")]);
        let child = d.write("child.toml", "extends = \"reform.toml\"\n");
        assert!(
            Scenario::load_with(&child, &registry())
                .unwrap()
                .rebase
                .is_empty()
        );
    }

    /// Each bad input, the message it must give, and its line:column.
    #[test]
    fn errors_name_line_column_key_and_what_is_allowed() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "[params]\ndibao_standrd_monthly = 1\n",
                "2:1: unknown key `dibao_standrd_monthly` in [params]",
                "did you mean `dibao_standard_monthly`?",
            ),
            (
                "[params.rural]\ntake_up_rat = 1\n",
                "2:1: unknown key `take_up_rat` in [params.rural]",
                "did you mean `take_up_rate`?",
            ),
            (
                "nmae = \"x\"\n",
                "1:1: unknown key `nmae` in the top level",
                "did you mean `name`?",
            ),
            (
                "[params]\ntake_up_rate = \"high\"\n",
                "2:16: `take_up_rate` must be a number, found string",
                "",
            ),
            (
                "[params]\ntake_up_rate = 1.5\n",
                "2:16: `take_up_rate` = 1.5 is outside 0..=1",
                "",
            ),
            (
                "[params]\ntier_choice_shares = [0.5, 1.5]\n",
                "`tier_choice_shares[1]` = 1.5 is outside 0..=1 (a share)",
                "",
            ),
            (
                "[params]\ndibao_standard = -5\n",
                "`dibao_standard` = -5 is negative; money is >= 0 yuan",
                "",
            ),
            (
                "[params]\ntake_up_rate_monthly = 0.5\n",
                "`take_up_rate_monthly`: `take_up_rate` is not money, so it has no `_monthly` form",
                "write `take_up_rate`",
            ),
            (
                "[params]\ndibao_standard_monthly = 1\ndibao_standard_yearly = 12\n",
                "3:1: `dibao_standard_yearly` sets `dibao_standard` again in params (already set on line 2)",
                "",
            ),
            (
                "[params]\ndibao_standard = { 2022 = 1, 20x4 = 2 }\n",
                "bad key `20x4` in time series `dibao_standard`: allowed are years 1900..=2200 and `index`",
                "",
            ),
            (
                "[params]\ndibao_standard = { 2025 = 1, 2022 = 2 }\n",
                "years in `dibao_standard` must increase: 2022 comes after 2025",
                "",
            ),
            (
                "[params]\ndibao_standard = {}\n",
                "time series `dibao_standard` is empty",
                "",
            ),
            (
                "[params]\ndibao_standard = { 2022 = 1, index = \"wage\" }\n",
                "`dibao_standard.index` = \"wage\" is not allowed; allowed: `wages`, `prices`, `none`",
                "did you mean `wages`?",
            ),
            (
                "[params]\nltc_enabled = { 2022 = true, index = \"wages\" }\n",
                "`ltc_enabled` cannot grow by an index (its values are not amounts)",
                "",
            ),
            (
                "[params]\nwage_growth_rate = { 2022 = 0.1, index = \"prices\" }\n",
                "`wage_growth_rate` cannot grow by an index (it is itself an index)",
                "",
            ),
            (
                "[params]\ncare_cost = { 2022 = 1, 3 = 5 }\n",
                "`care_cost` mixes year keys",
                "",
            ),
            (
                "[params]\ncare_cost = { 4 = 5 }\n",
                "bad key `4` in `care_cost`: keys are disability grades 0..=3",
                "",
            ),
            (
                "[params]\ncontribution_tiers = [100, 100]\n",
                "`contribution_tiers` must strictly increase (a tier ladder): 100 after 100",
                "",
            ),
            (
                "[params]\ncollective_target = \"low_incme\"\n",
                "not allowed; allowed: `low_income`, `all_contributors`",
                "did you mean `low_income`?",
            ),
            (
                "[params]\ndibao_grades = [[0.8, 1.0], [0.5, 0.5]]\n",
                "band uppers in `dibao_grades` must be >= 0 and strictly increase, found 0.5",
                "",
            ),
            (
                "years = \"2022-2050\"\n",
                "1:9: bad `years` \"2022-2050\": write \"START..END\"",
                "",
            ),
            (
                "years = \"2050..2022\"\n",
                "years run backwards: 2050 is after 2022",
                "",
            ),
            (
                "start_year = 2022\n",
                "`start_year` and `end_year` go together",
                "",
            ),
            (
                "replications = 0\n",
                "1:16: `replications` = 0 is outside 1..=10000",
                "",
            ),
            ("seed = -1\n", "`seed` = -1 is outside 0..=", ""),
            (
                "[population]\nfile = \"missing.parquet\"\n",
                "2:8: population file `/nowhere/missing.parquet` does not exist",
                "",
            ),
            (
                "[population]\nfile = \"a\"\nspec = \"b\"\n",
                "population file `/nowhere/a` does not exist",
                "",
            ),
            (
                "extends = \"base.toml\"\n",
                "1:11: `extends` target `/nowhere/base.toml` cannot be read",
                "",
            ),
            (
                "rebase = [\"base.toml\"]\n",
                "1:11: `rebase` baseline `/nowhere/base.toml` does not exist",
                "",
            ),
            ("rebase = \"base.toml\"\n", "`rebase` must be an array", ""),
            (
                "[[program]]\nname = \"x\"\namount_monthly = 1\nresidence = \"town\"\n",
                "4:13: `residence` = \"town\" is not allowed; allowed: `urban`, `rural`",
                "",
            ),
            (
                "[[program]]\nname = \"x\"\namount_monthly = 1\nemployment = [\"farmr\"]\n",
                "`employment` = \"farmr\" is not allowed",
                "did you mean `farmer`?",
            ),
            (
                "[[program]]\nname = \"x\"\namount_monthly = 1\nstatus_last_year = [\"dibo\"]\n",
                "allowed: `dibao`, `tekun`, `margin`, `none`",
                "did you mean `dibao`?",
            ),
            (
                "[[program]]\nname = \"x\"\namount_monthly = 1\nage_mni = 3\n",
                "4:1: unknown key `age_mni` in [[program]]",
                "did you mean `age_min`?",
            ),
            (
                "[[program]]\nname = \"x\"\n",
                "program `x` needs an amount",
                "",
            ),
            (
                "[[program]]\nname = \"x\"\namount_monthly = 1\namount_yearly = 12\n",
                "program sets both `amount_monthly` and `amount_yearly`",
                "",
            ),
            (
                "[[program]]\nname = \"x\"\namount_yearly = 1\nage_min = -3\n",
                "`age_min` = -3 is outside 0..=110",
                "",
            ),
            (
                "[[program]]\nname = \"x\"\namount_yearly = 1\nage_min = 70\nage_max = 60\n",
                "age_min > age_max (70 > 60)",
                "",
            ),
            (
                "remove_programs = [\"x\"]\n",
                "`remove_programs`: no program `x`",
                "",
            ),
            (
                "[params]\ndibao_standard = nan\n",
                "`dibao_standard` must be a finite number, found `nan`",
                "",
            ),
            ("a = \n", "1:5: invalid TOML", ""),
            (
                "[program]\nname = \"x\"\n",
                "1:2: `program` must be an array of tables",
                "`[[program]]`, with double brackets",
            ),
            (
                "[params]\nurban = 5\n",
                "2:9: `params.urban` must be a table, found integer",
                "",
            ),
            (
                "[params.urban]\nregion = {}\n",
                "2:1: unknown key `region` in [params.urban]",
                "",
            ),
        ];
        for (text, message, hint) in cases {
            let err = parse(text).expect_err(text).to_string();
            assert!(err.starts_with("/nowhere/s.toml:"), "{text}\n{err}");
            assert!(
                err.contains(message),
                "{text}\nexpected: {message}\ngot: {err}"
            );
            assert!(
                err.contains(hint),
                "{text}\nexpected hint: {hint}\ngot: {err}"
            );
        }
    }
}
