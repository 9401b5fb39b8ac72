//! Scenario files (docs/scenarios.md): a policy world in TOML, a reform as a few lines on top of a
//! baseline (`extends`). Loading checks every key and value against the parameter registry
//! ([`crate::registry`]) and fails with the file, line, column and what is allowed; resolution for
//! a year, region and residence cannot fail (rules preamble: step functions by year, indexation
//! after the last given year, region and residence overrides, money in yuan per year; monthly
//! amounts become yearly here and nowhere else); [`Scenario::compile`] turns a scenario into the
//! typed parameters of every year, region and residence of a run, checking every family's
//! cross-parameter rules before anything is simulated.

mod compile;
mod file;
mod grid;
mod overrides;
mod params_table;
mod program;
mod rebase;
mod series;
mod source;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::params::{Indexation, ParamDef, ParamValue, ResolvedParams, ResolvedProgram};
use crate::population::Residence;
pub use compile::{CompiledScenario, CompiledYear};
pub use file::MAX_REPLICATIONS;
use file::{PRICE_GROWTH, Setting, WAGE_GROWTH, parse_layer};
pub use grid::{GridPoint, MAX_GRID_PARAMETERS, MAX_GRID_POINTS};
use program::Program;
use series::{Series, scaled};
use source::Source;

/// A loaded, checked scenario. The top-level fields are public so the command line can override
/// them (`--seed`, `--years`, `--replications`, `--population`) after loading.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// `name`, else the loaded file's stem.
    pub name: String,
    /// `description` (the nearest file in the chain that gives one), else empty.
    pub description: String,
    /// The loaded file first, then the file it extends, and so on to the root.
    pub files: Vec<ScenarioFile>,
    /// Simulated years, both included; `None` when no file in the chain gives them.
    pub years: Option<YearRange>,
    /// Seed of every random stream (`seed`, default 0).
    pub seed: u64,
    /// Number of replications, >= 1 (`replications`, default 1).
    pub replications: u32,
    /// Language of the report, charts and workbook (`lang`); `None` when no file in the chain
    /// says (English unless `--lang` says otherwise).
    pub lang: Option<crate::report::terms::Lang>,
    /// Whether other scenarios are compared with this one (`reference`; not inherited, default false).
    pub reference: bool,
    /// Where the population comes from; `None` when no file in the chain says.
    pub population: Option<PopulationSource>,
    /// Deprecation warnings of the chain's files (earlier parameter names), with file and line.
    pub warnings: Vec<String>,
    /// Where this scenario sits in the grid it was expanded from ([`Scenario::expand_grid`]);
    /// `None` for an ordinary scenario.
    pub grid_point: Option<GridPoint>,
    /// The loaded file's `rebase` list (absolute paths): the baselines a run loads it on
    /// ([`Scenario::load_on`]) instead of its `extends`, as `run --on` does; empty for none.
    pub rebase: Vec<PathBuf>,
    /// The loaded file's `[grid]`, until [`Scenario::expand_grid`] expands it.
    grid: Option<grid::Grid>,
    registry: Vec<&'static ParamDef>,
    settings: BTreeMap<(Level, &'static str), Setting>,
    programs: Vec<Program>,
}

/// One file of a scenario's `extends` chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioFile {
    /// Absolute path.
    pub path: PathBuf,
    /// SHA-256 of the file's bytes, lowercase hex (for the run manifest).
    pub sha256: String,
}

/// Simulated years, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearRange {
    /// First simulated year.
    pub start: i32,
    /// Last simulated year.
    pub end: i32,
}

/// Where a scenario's population comes from (`[population]`); paths are absolute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PopulationSource {
    /// Generated from a synthetic-population spec.
    Generated {
        /// The spec file.
        spec: PathBuf,
        /// Number of persons to generate.
        persons: u64,
        /// Generation seed; `None` means the scenario's `seed`.
        seed: Option<u64>,
    },
    /// Read from a population file (.parquet or .csv).
    File(PathBuf),
}

/// A file and line that set a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The scenario file.
    pub file: PathBuf,
    /// 1-based line of the key.
    pub line: usize,
}

/// One resolved parameter and where its value came from (`gongfu explain`, the manifest).
#[derive(Debug, Clone, PartialEq)]
pub struct Provenance {
    /// Parameter stem.
    pub stem: &'static str,
    /// Resolved value (money in yuan per year).
    pub value: ParamValue,
    /// The key that set it; `None` for the registry default.
    pub set_by: Option<Origin>,
    /// Whether the key was written `_monthly` (the value is 12 x the monthly amount).
    pub monthly: bool,
}

impl Provenance {
    /// The value per month (yuan) when the key was written `_monthly`, for display.
    pub fn monthly_value(&self) -> Option<ParamValue> {
        self.monthly.then(|| scaled(&self.value, 1.0 / 12.0))
    }
}

/// Where in `[params]` a setting lives: `region` and `residence` narrow it; the most specific
/// level that sets a parameter wins (region + residence > region > residence > base).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Level {
    region: Option<String>,
    residence: Option<Residence>,
}

impl Scenario {
    /// Loads a scenario file and what it extends, checked against the full parameter registry.
    pub fn load(path: &Path) -> Result<Scenario> {
        Self::load_with(path, crate::registry::all())
    }

    /// Loads a scenario file checked against `registry` (tests use a small one).
    pub fn load_with(path: &Path, registry: &[&'static ParamDef]) -> Result<Scenario> {
        let path = std::path::absolute(path).map_err(|e| Error::io(path, e))?;
        let text = crate::fsutil::read_regular_text(&path).map_err(|e| Error::io(&path, e))?;
        Self::parse_with(&path, text, registry)
    }

    /// Loads a reform file on top of `base` instead of the file its `extends` names (`run --on`,
    /// issue 18): the reform's own settings over the base's whole chain, with the reform's name.
    /// What the reform refers to must exist in the new chain (`remove_programs` naming a program
    /// the base lacks is an error, as with `extends`) and what it sets must reach it (a base
    /// setting the same parameter at a more specific level is an error, `rebase`).
    pub fn load_on(path: &Path, base: &Path) -> Result<Scenario> {
        let read = |p: &Path| -> Result<Source> {
            let path = std::path::absolute(p).map_err(|e| Error::io(p, e))?;
            let text = crate::fsutil::read_regular_text(&path).map_err(|e| Error::io(&path, e))?;
            Ok(Source { path, text })
        };
        Self::parse_chain(read(path)?, Some(read(base)?), crate::registry::all())
    }

    /// Loads a scenario from text, as if read from `path` (which names it in errors and anchors
    /// its relative paths; files it extends are read from disk).
    pub fn parse_with(
        path: &Path,
        text: String,
        registry: &[&'static ParamDef],
    ) -> Result<Scenario> {
        let src = Source {
            path: path.to_path_buf(),
            text,
        };
        Self::parse_chain(src, None, registry)
    }

    /// Follows the `extends` chain from `src`; `rebase`, when given, replaces what the first file
    /// extends.
    fn parse_chain(
        mut src: Source,
        mut rebase: Option<Source>,
        registry: &[&'static ParamDef],
    ) -> Result<Scenario> {
        let rebased = rebase.is_some();
        let mut chain: Vec<(Source, file::Layer)> = Vec::new();
        // Canonical paths of the chain so far: the cycle check is one lookup a file.
        let mut seen = std::collections::HashSet::from([canonical(&src.path)]);
        loop {
            let layer = parse_layer(&src, registry)?;
            let next = match (rebase.take(), &layer.extends) {
                (Some(base), _) => Some(base),
                (None, Some((written, span))) => {
                    let next = read_extended(&src, written, span.clone(), &chain, &seen)?;
                    if chain.len() + 2 > MAX_EXTENDS_FILES {
                        return Err(src.error(
                            span.clone(),
                            format!(
                                "`extends` chain of more than {MAX_EXTENDS_FILES} files; at most \
                                 {MAX_EXTENDS_FILES} are allowed"
                            ),
                            None,
                        ));
                    }
                    Some(next)
                }
                (None, None) => None,
            };
            if let Some(next) = &next {
                seen.insert(canonical(&next.path));
            }
            chain.push((src, layer));
            match next {
                Some(s) => src = s,
                None => break,
            }
        }
        if rebased {
            rebase::check_reaches_base(&chain)?;
        }
        Self::merge(chain, registry)
    }

    /// Applies the chain root first: each file replaces what it restates.
    fn merge(
        chain: Vec<(Source, file::Layer)>,
        registry: &[&'static ParamDef],
    ) -> Result<Scenario> {
        let leaf_path = chain[0].0.path.clone();
        let mut s = Scenario {
            name: leaf_path
                .file_stem()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            description: String::new(),
            files: chain
                .iter()
                .map(|(src, _)| ScenarioFile {
                    path: src.path.clone(),
                    sha256: Sha256::digest(src.text.as_bytes())
                        .iter()
                        .map(|b| format!("{b:02x}"))
                        .collect(),
                })
                .collect(),
            years: None,
            seed: 0,
            replications: 1,
            lang: None,
            reference: false,
            population: None,
            warnings: Vec::new(),
            grid_point: None,
            rebase: Vec::new(),
            grid: None,
            registry: registry.to_vec(),
            settings: BTreeMap::new(),
            programs: Vec::new(),
        };
        let leaf = chain.len() - 1;
        for (i, (src, layer)) in chain.into_iter().rev().enumerate() {
            if i == leaf {
                s.name = layer.name.unwrap_or(s.name);
                s.reference = layer.reference.unwrap_or(false);
                s.grid = layer.grid;
                s.rebase = layer.rebase;
            }
            s.description = layer.description.unwrap_or(s.description);
            s.years = layer.years.or(s.years);
            s.seed = layer.seed.unwrap_or(s.seed);
            s.replications = layer.replications.unwrap_or(s.replications);
            s.lang = layer.lang.or(s.lang);
            s.population = layer.population.or(s.population);
            s.warnings.extend(layer.warnings);
            for (level, stem, setting) in layer.params {
                s.settings.insert((level, stem), setting);
            }
            for (name, span) in layer.remove_programs {
                let Some(pos) = s.programs.iter().position(|p| p.name == name) else {
                    let hint =
                        crate::error::nearest(&name, s.programs.iter().map(|p| p.name.as_str()))
                            .map(|n| format!("did you mean `{n}`?"));
                    return Err(src.error(
                        span,
                        format!(
                            "`remove_programs`: no program `{name}` in the files this one extends"
                        ),
                        hint,
                    ));
                };
                s.programs.remove(pos);
            }
            for p in layer.programs {
                match s.programs.iter_mut().find(|q| q.name == p.name) {
                    Some(q) => *q = p,
                    None => s.programs.push(p),
                }
            }
        }
        Ok(s)
    }

    /// Every registered parameter for one year, region and residence, money in yuan per year.
    ///
    /// The scenario must have been loaded against the full registry ([`Scenario::load`]):
    /// [`ResolvedParams`] only holds registered stems.
    pub fn resolve(&self, year: i32, region: &str, residence: Residence) -> ResolvedParams {
        ResolvedParams::from_values(
            self.provenance(year, Some(region), Some(residence))
                .into_iter()
                .map(|p| (p.stem, p.value)),
        )
    }

    /// Every parameter of the registry, in registry order, resolved for one year and, when given,
    /// region and residence (without them, only the levels that name none apply), with the file
    /// and line that set it.
    pub fn provenance(
        &self,
        year: i32,
        region: Option<&str>,
        residence: Option<Residence>,
    ) -> Vec<Provenance> {
        self.registry
            .iter()
            .map(|def| match self.setting(def.name, region, residence) {
                Some(s) => Provenance {
                    stem: def.name,
                    value: self.evaluate(&s.series, s.monthly, year, region, residence),
                    set_by: Some(s.origin.clone()),
                    monthly: s.monthly,
                },
                None => Provenance {
                    stem: def.name,
                    value: def.default.to_value(),
                    set_by: None,
                    monthly: false,
                },
            })
            .collect()
    }

    /// The categorical programs (rules 7) in force in `year`, amounts in yuan per person per year.
    /// Amounts that grow by an index use the national (base-level) growth rates.
    pub fn programs(&self, year: i32) -> Vec<ResolvedProgram> {
        self.programs
            .iter()
            .map(|p| ResolvedProgram {
                name: p.name.clone(),
                amount_yearly: match self.evaluate(&p.amount, p.monthly, year, None, None) {
                    ParamValue::Number(x) => x,
                    _ => 0.0,
                },
                conditions: p.conditions.clone(),
            })
            .collect()
    }

    /// The most specific setting of a stem.
    fn setting(
        &self,
        stem: &'static str,
        region: Option<&str>,
        residence: Option<Residence>,
    ) -> Option<&Setting> {
        let region = region.map(str::to_string);
        let levels = [
            (region.clone(), residence),
            (region, None),
            (None, residence),
            (None, None),
        ];
        levels
            .into_iter()
            .find_map(|(region, residence)| self.settings.get(&(Level { region, residence }, stem)))
    }

    /// A series' value in `year`: the step function, grown by its index after the last given
    /// year, x 12 when written monthly.
    fn evaluate(
        &self,
        series: &Series,
        monthly: bool,
        year: i32,
        region: Option<&str>,
        residence: Option<Residence>,
    ) -> ParamValue {
        let (value, grows_from) = series.at(year);
        let mut factor = if monthly { 12.0 } else { 1.0 };
        if let Some(last) = grows_from {
            factor *= self.growth(series.index, last, year, region, residence);
        }
        if factor == 1.0 {
            value.clone()
        } else {
            scaled(value, factor)
        }
    }

    /// Cumulated growth of an index from year `from` to year `to`: the product of (1 + rate of
    /// year t) for t in from+1..=to, rates resolved for the same region and residence.
    fn growth(
        &self,
        index: Indexation,
        from: i32,
        to: i32,
        region: Option<&str>,
        residence: Option<Residence>,
    ) -> f64 {
        let stem = match index {
            Indexation::Wages => WAGE_GROWTH,
            Indexation::Prices => PRICE_GROWTH,
            Indexation::None => return 1.0,
        };
        let Some(def) = self.registry.iter().find(|d| d.name == stem) else {
            return 1.0;
        };
        let setting = self.setting(def.name, region, residence);
        (from + 1..=to)
            .map(|t| {
                // Growth rates never grow by an index themselves (rejected at load), so no recursion.
                let rate = match setting {
                    Some(s) => s.series.at(t).0.clone(),
                    None => def.default.to_value(),
                };
                match rate {
                    ParamValue::Number(g) => 1.0 + g,
                    _ => 1.0,
                }
            })
            .product()
    }
}

/// The scenario's own file (first of its `extends` chain), for error messages.
pub(crate) fn scenario_file(scenario: &Scenario) -> PathBuf {
    scenario
        .files
        .first()
        .map(|f| f.path.clone())
        .unwrap_or_default()
}

/// Most files in one `extends` chain, the scenario's own included.
pub const MAX_EXTENDS_FILES: usize = 32;

/// `path` with links and `..` resolved, or as given when it cannot be (a missing file).
fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Reads the file an `extends` names, rejecting a missing file, a file that is not a regular file
/// and a cycle (a file among `seen`, the canonical paths of `chain`).
fn read_extended(
    src: &Source,
    written: &str,
    span: std::ops::Range<usize>,
    chain: &[(Source, file::Layer)],
    seen: &std::collections::HashSet<PathBuf>,
) -> Result<Source> {
    let path = src.resolve_path(written);
    let text = crate::fsutil::read_regular_text(&path).map_err(|e| {
        src.error(
            span.clone(),
            format!("`extends` target `{}` cannot be read: {e}", path.display()),
            None,
        )
    })?;
    if seen.contains(&canonical(&path)) {
        let mut names: Vec<String> = chain
            .iter()
            .map(|(s, _)| s.path.display().to_string())
            .collect();
        names.push(src.path.display().to_string());
        names.push(path.display().to_string());
        return Err(src.error(
            span,
            format!("`extends` cycle: {}", names.join(" -> ")),
            None,
        ));
    }
    Ok(Source { path, text })
}

#[cfg(test)]
mod testkit;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ParamValue;
    use crate::population::Residence;
    use crate::scenario::Scenario;
    use crate::scenario::testkit::*;
    use std::path::Path;

    #[test]
    fn growth_rates_are_resolved_for_the_same_region_and_residence() {
        // Base growth 0; Zhejiang rural 10%: 100 -> 110 there, 100 elsewhere.
        let s = parse(
            "[params]\nbasic_pension = { 2022 = 100 }\n[params.region.zhejiang.rural]\nwage_growth_rate = 0.1\n",
        )
        .unwrap();
        let at =
            |region, residence| value(&s, "basic_pension", 2023, Some(region), Some(residence));
        assert_eq!(at("zhejiang", Residence::Urban), ParamValue::Number(100.0));
        let ParamValue::Number(x) = at("zhejiang", Residence::Rural) else {
            panic!()
        };
        assert!((x - 110.0).abs() < 1e-9);
    }

    #[test]
    fn most_specific_override_wins() {
        let s = parse(
            "[params]\ndibao_standard = 100\n[params.rural]\ndibao_standard = 200\n\
             [params.region.zhejiang]\ndibao_standard = 300\n[params.region.zhejiang.rural]\ndibao_standard = 400\n",
        )
        .unwrap();
        let at = |region: &str, residence| {
            value(&s, "dibao_standard", 2022, Some(region), Some(residence))
        };
        assert_eq!(at("zhejiang", Residence::Rural), ParamValue::Number(400.0));
        assert_eq!(at("zhejiang", Residence::Urban), ParamValue::Number(300.0));
        assert_eq!(at("gansu", Residence::Rural), ParamValue::Number(200.0));
        assert_eq!(at("gansu", Residence::Urban), ParamValue::Number(100.0));
        assert_eq!(
            value(&s, "dibao_standard", 2022, None, None),
            ParamValue::Number(100.0)
        );
    }

    #[test]
    fn resolve_against_the_full_registry_holds_every_parameter_at_its_default() {
        let all = crate::registry::all();
        let s = Scenario::parse_with(Path::new("/nowhere/empty.toml"), String::new(), all).unwrap();
        let resolved = s.resolve(2022, "zhejiang", Residence::Rural);
        assert_eq!(resolved.iter().count(), all.len());
        for (stem, value) in resolved.iter() {
            let def = all.iter().find(|d| d.name == stem).unwrap();
            assert_eq!(*value, def.default.to_value(), "{stem}");
        }
    }

    #[test]
    fn extends_chain_replaces_whole_values_and_records_files() {
        let d = Dir::new();
        // An empty root: its SHA-256 is the well-known digest of zero bytes.
        d.write("root.toml", "");
        d.write(
            "baseline.toml",
            "extends = \"root.toml\"\nname = \"base\"\nreference = true\nyears = \"2022..2030\"\nseed = 7\n\
             replications = 3\n[params]\ndibao_standard_monthly = { 2022 = 1000, 2025 = 1100 }\ntake_up_rate = 0.8\n",
        );
        let reform = d.write(
            "reform.toml",
            "extends = \"baseline.toml\"\nseed = 9\n[params]\ndibao_standard_monthly = 1200\n",
        );
        let s = Scenario::load_with(&reform, &registry()).unwrap();
        assert_eq!(s.name, "reform");
        assert!(!s.reference, "reference is not inherited");
        assert_eq!(
            s.years,
            Some(YearRange {
                start: 2022,
                end: 2030
            })
        );
        assert_eq!((s.seed, s.replications), (9, 3));
        // The reform restates the series: 1200 x 12 in every year, the 2025 step is gone.
        assert_eq!(number(&s, "dibao_standard", 2022), 14_400.0);
        assert_eq!(number(&s, "dibao_standard", 2026), 14_400.0);
        let p = s.provenance(2022, None, None);
        let take_up = p.iter().find(|p| p.stem == "take_up_rate").unwrap();
        assert_eq!(take_up.value, ParamValue::Number(0.8));
        assert_eq!(
            take_up.set_by,
            Some(Origin {
                file: d.0.join("baseline.toml"),
                line: 9
            })
        );
        let dibao = p.iter().find(|p| p.stem == "dibao_standard").unwrap();
        assert_eq!(
            dibao.set_by,
            Some(Origin {
                file: d.0.join("reform.toml"),
                line: 4
            })
        );
        assert_eq!(
            p.iter().find(|p| p.stem == "ltc_enabled").unwrap().set_by,
            None
        );
        let names: Vec<_> = s
            .files
            .iter()
            .map(|f| f.path.file_name().unwrap().to_str().unwrap())
            .collect();
        assert_eq!(names, ["reform.toml", "baseline.toml", "root.toml"]);
        assert_eq!(
            s.files[2].sha256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn extends_cycle_names_the_chain() {
        let d = Dir::new();
        d.write("a.toml", "extends = \"b.toml\"\n");
        d.write("b.toml", "\nextends = \"a.toml\"\n");
        let err = Scenario::load_with(&d.0.join("a.toml"), &registry())
            .unwrap_err()
            .to_string();
        let (a, b) = (d.0.join("a.toml"), d.0.join("b.toml"));
        assert!(
            err.starts_with(&format!(
                "{}:2:11: `extends` cycle: {} -> {} -> {}",
                b.display(),
                a.display(),
                b.display(),
                a.display()
            )),
            "{err}"
        );
    }

    /// A chain of `n` files, `f1.toml` extending `f2.toml` and so on; returns the first.
    fn chain_of(d: &Dir, n: usize) -> PathBuf {
        for i in 1..n {
            d.write(
                &format!("f{i}.toml"),
                &format!("extends = \"f{}.toml\"\n", i + 1),
            );
        }
        d.write(&format!("f{n}.toml"), "name = \"root\"\n");
        d.0.join("f1.toml")
    }

    /// Regression (issue 16): a long `extends` chain took quadratic time (every file compared
    /// with every earlier one). The depth is bounded and stated; 32 files load, 33 do not.
    #[test]
    fn extends_chains_are_bounded() {
        let d = Dir::new();
        let s = Scenario::load_with(&chain_of(&d, MAX_EXTENDS_FILES), &registry()).unwrap();
        assert_eq!(s.files.len(), MAX_EXTENDS_FILES);
        let d = Dir::new();
        let err = Scenario::load_with(&chain_of(&d, MAX_EXTENDS_FILES + 1), &registry())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("f32.toml:1:11: `extends` chain of more than 32 files; at most 32"),
            "{err}"
        );
    }

    /// Regression (issue 16): `extends` naming a FIFO blocked for ever.
    #[cfg(unix)]
    #[test]
    fn extends_of_a_fifo_is_an_error() {
        let d = Dir::new();
        let fifo = d.0.join("pipe.toml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        d.write("a.toml", "extends = \"pipe.toml\"\n");
        let err = Scenario::load_with(&d.0.join("a.toml"), &registry())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("a FIFO, socket or device, not a regular file"),
            "{err}"
        );
    }

    proptest::proptest! {
        /// Random TOML-ish text never panics: it loads or gives an error.
        #[test]
        fn random_text_never_panics(text in "[a-z_\\[\\]{}=\"0-9.,\\- \n]{0,300}") {
            let _ = parse(&text);
        }

        /// A valid scenario with one byte replaced never panics.
        #[test]
        fn mutated_scenario_never_panics(pos in 0usize..400, byte in proptest::prelude::any::<u8>()) {
            let mut bytes = b"years = \"2022..2030\"\n[params]\ndibao_standard_monthly = { 2022 = 98, 2024 = 123 }\n\
                care_cost = { 2022 = { 3 = 36000 } }\ndibao_grades = [[0.5, 1.0]]\n[params.region.zj.rural]\n\
                take_up_rate = 0.8\n[[program]]\nname = \"x\"\namount_monthly = 5\nage_min = 60\n".to_vec();
            let i = pos % bytes.len();
            bytes[i] = byte;
            let _ = parse(&String::from_utf8_lossy(&bytes));
        }
    }
}
