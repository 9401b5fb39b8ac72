//! Parameter definitions and resolved values: the contract between scenario files, the rule
//! families and the engine (spec rules.md, preamble).
//!
//! Each rule family declares its parameters as a `&[ParamDef]` beside its code; the registry
//! ([`crate::registry`], above the rules and the dynamics) lists them all; scenario loading checks
//! files against it and resolves, for one year, region and residence, a [`ResolvedParams`]; each
//! family then builds its typed parameter struct from that and checks its cross-parameter rules,
//! failing with a [`ParamError`] that names the key. This module imports nothing of the crate's
//! policy: it is the leaf every family and the loader share. Money is always yuan per year once resolved: a file may write `<stem>_monthly` (x 12),
//! `<stem>_yearly` or the bare stem, and [`ResolvedParams`] is queried by stem.

use std::collections::BTreeMap;

/// What kind of value a parameter takes, and what is allowed. Units are part of the kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamKind {
    /// Yuan per year, >= 0. File keys: `<stem>_monthly`, `<stem>_yearly` or `<stem>`.
    Money,
    /// A list of yuan-per-year amounts, each >= 0 (tiers, tier subsidies), strictly increasing when
    /// `increasing`.
    MoneyList {
        /// Values must strictly increase (a tier ladder).
        increasing: bool,
    },
    /// Yuan per year by age band: `{ 65 = 5 }` (step function: the largest key at or below the
    /// age applies, none below the lowest key). File keys as for `Money`.
    MoneyByAge,
    /// Yuan per year by disability grade 0..=3 (`{ 2 = 24000, 3 = 36000 }`). File keys as for
    /// `Money`. A grade a rule asks for must be present (validation error, not a zero).
    MoneyByGrade,
    /// A number in `[min, max]` with its unit in the name (`_rate`, `_share`, `_years`, `_age`,
    /// a multiple, a divisor).
    Number {
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
    },
    /// Numbers by disability grade 0..=3 (a factor by grade), each in `[min, max]`.
    NumberByGrade {
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
    },
    /// Numbers by whole-year key (account divisor by retirement age), each in `[min, max]`.
    NumberByAge {
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
    },
    /// A list of shares in [0, 1] (tier choice shares).
    ShareList,
    /// Bands `[[upper, share], ...]` with increasing upper bounds and shares in [0, 1] (graded
    /// dibao).
    Bands,
    /// true or false.
    Flag,
    /// One of a fixed set of words.
    Choice(&'static [&'static str]),
}

/// A resolved value of one parameter for one year, region and residence.
#[derive(Debug, Clone, PartialEq)]
pub enum ParamValue {
    /// A number (money in yuan per year).
    Number(f64),
    /// A flag.
    Flag(bool),
    /// A list of numbers.
    List(Vec<f64>),
    /// Numbers keyed by age or grade, sorted by key.
    Table(Vec<(u32, f64)>),
    /// `[upper, share]` bands.
    Pairs(Vec<(f64, f64)>),
    /// A word of a `Choice`.
    Text(String),
}

/// Which index a time series grows by after its last given year (rules preamble).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indexation {
    /// Stays at the last value.
    None,
    /// Grows with `wage_growth_rate`.
    Wages,
    /// Grows with `price_growth_rate`.
    Prices,
}

/// Definition of one scenario parameter: everything the loader, `gongfu explain`, the docs table
/// and the typed parameter structs need to know about it.
#[derive(Debug, Clone, Copy)]
pub struct ParamDef {
    /// Stem, as queried from [`ResolvedParams`] (money: the name without `_monthly`/`_yearly`).
    /// It names the parameter's family (`dibao_take_up_rate`, not `take_up_rate`).
    pub name: &'static str,
    /// Kind and allowed values.
    pub kind: ParamKind,
    /// Unit of a value, as the docs print it (money: yuan per year).
    pub unit: &'static str,
    /// Value when no scenario sets it: "off" for programs (zero, disabled), the spec's defaults for
    /// ages, divisors and multiples (conformance preamble).
    pub default: DefaultValue,
    /// Index applied after the last given year when the file names none.
    pub default_index: Indexation,
    /// One line: what it is.
    pub doc: &'static str,
    /// Where the spec defines it (`rules.md 4.1`).
    pub spec: &'static str,
    /// Earlier names still accepted in scenario files, with a deprecation warning naming this one.
    pub deprecated_names: &'static [&'static str],
}

/// Unit of money parameters once resolved.
pub const YUAN_PER_YEAR: &str = "yuan/year";
/// Unit of a probability or a share of something, 0..1.
pub const SHARE: &str = "share";
/// Unit of a rate per year (growth, interest, indexation).
pub const PER_YEAR: &str = "per year";
/// Unit of ages.
pub const YEARS_OF_AGE: &str = "years of age";

impl ParamDef {
    /// A parameter of any kind, not renamed, not indexed by default.
    pub const fn new(
        name: &'static str,
        kind: ParamKind,
        unit: &'static str,
        default: DefaultValue,
        spec: &'static str,
        doc: &'static str,
    ) -> ParamDef {
        ParamDef {
            name,
            kind,
            unit,
            default,
            default_index: Indexation::None,
            doc,
            spec,
            deprecated_names: &[],
        }
    }

    /// Money in yuan per year, 0 (off) by default.
    pub const fn money(name: &'static str, spec: &'static str, doc: &'static str) -> ParamDef {
        ParamDef::new(
            name,
            ParamKind::Money,
            YUAN_PER_YEAR,
            DefaultValue::Number(0.0),
            spec,
            doc,
        )
    }

    /// A share or probability in [0, 1].
    pub const fn share(
        name: &'static str,
        default: f64,
        spec: &'static str,
        doc: &'static str,
    ) -> ParamDef {
        ParamDef::new(
            name,
            ParamKind::Number { min: 0.0, max: 1.0 },
            SHARE,
            DefaultValue::Number(default),
            spec,
            doc,
        )
    }

    /// A number in `[min, max]` with its unit.
    pub const fn number(
        name: &'static str,
        (min, max): (f64, f64),
        unit: &'static str,
        default: f64,
        spec: &'static str,
        doc: &'static str,
    ) -> ParamDef {
        ParamDef::new(
            name,
            ParamKind::Number { min, max },
            unit,
            DefaultValue::Number(default),
            spec,
            doc,
        )
    }

    /// A flag.
    pub const fn flag(
        name: &'static str,
        default: bool,
        spec: &'static str,
        doc: &'static str,
    ) -> ParamDef {
        ParamDef::new(
            name,
            ParamKind::Flag,
            "true/false",
            DefaultValue::Flag(default),
            spec,
            doc,
        )
    }

    /// The same definition, also accepted under earlier names (deprecated).
    pub const fn renamed_from(self, old: &'static [&'static str]) -> ParamDef {
        ParamDef {
            deprecated_names: old,
            ..self
        }
    }
}

/// A default value that can live in a `const` table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DefaultValue {
    /// A number.
    Number(f64),
    /// A flag.
    Flag(bool),
    /// A list.
    List(&'static [f64]),
    /// A table by age or grade.
    Table(&'static [(u32, f64)]),
    /// Bands.
    Pairs(&'static [(f64, f64)]),
    /// A word.
    Text(&'static str),
}

impl DefaultValue {
    /// The owned value.
    pub fn to_value(self) -> ParamValue {
        match self {
            DefaultValue::Number(x) => ParamValue::Number(x),
            DefaultValue::Flag(b) => ParamValue::Flag(b),
            DefaultValue::List(l) => ParamValue::List(l.to_vec()),
            DefaultValue::Table(t) => ParamValue::Table(t.to_vec()),
            DefaultValue::Pairs(p) => ParamValue::Pairs(p.to_vec()),
            DefaultValue::Text(s) => ParamValue::Text(s.to_string()),
        }
    }
}

/// All parameters resolved for one year, region and residence. Queries name a stem; asking for an
/// unknown stem or the wrong kind is a programming error (a rule and the registry disagree) and
/// panics with the name, which the registry tests catch (every family builds from the defaults).
/// [`crate::registry::defaults`] gives every registered parameter at its default.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResolvedParams {
    values: BTreeMap<&'static str, ParamValue>,
}

impl ResolvedParams {
    /// The given definitions at their defaults.
    pub fn from_defaults<'a>(defs: impl IntoIterator<Item = &'a ParamDef>) -> Self {
        let values = defs
            .into_iter()
            .map(|d| (d.name, d.default.to_value()))
            .collect();
        ResolvedParams { values }
    }

    /// Values from (stem, value) pairs (scenario resolution).
    pub fn from_values(values: impl IntoIterator<Item = (&'static str, ParamValue)>) -> Self {
        ResolvedParams {
            values: values.into_iter().collect(),
        }
    }

    /// Sets one value of a parameter these values hold (scenario resolution and tests).
    ///
    /// Panics on a stem they do not hold: resolution only sets registered stems.
    pub fn set(&mut self, name: &str, value: ParamValue) {
        let slot = self
            .values
            .get_mut(name)
            .unwrap_or_else(|| panic!("parameter `{name}` is not registered"));
        *slot = value;
    }

    /// Iterates over (stem, value) in name order (for `gongfu explain` and the manifest).
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &ParamValue)> {
        self.values.iter().map(|(k, v)| (*k, v))
    }

    fn get(&self, name: &str) -> &ParamValue {
        self.values
            .get(name)
            .unwrap_or_else(|| panic!("parameter `{name}` is not registered"))
    }

    /// A number (money: yuan per year).
    pub fn number(&self, name: &str) -> f64 {
        match self.get(name) {
            ParamValue::Number(x) => *x,
            other => panic!("parameter `{name}` is not a number: {other:?}"),
        }
    }

    /// A flag.
    pub fn flag(&self, name: &str) -> bool {
        match self.get(name) {
            ParamValue::Flag(b) => *b,
            other => panic!("parameter `{name}` is not a flag: {other:?}"),
        }
    }

    /// A list of numbers.
    pub fn list(&self, name: &str) -> &[f64] {
        match self.get(name) {
            ParamValue::List(l) => l,
            other => panic!("parameter `{name}` is not a list: {other:?}"),
        }
    }

    /// A table keyed by age or grade, sorted by key.
    pub fn table(&self, name: &str) -> &[(u32, f64)] {
        match self.get(name) {
            ParamValue::Table(t) => t,
            other => panic!("parameter `{name}` is not a table: {other:?}"),
        }
    }

    /// Bands `(upper, share)`.
    pub fn pairs(&self, name: &str) -> &[(f64, f64)] {
        match self.get(name) {
            ParamValue::Pairs(p) => p,
            other => panic!("parameter `{name}` is not a list of bands: {other:?}"),
        }
    }

    /// A word.
    pub fn text(&self, name: &str) -> &str {
        match self.get(name) {
            ParamValue::Text(s) => s,
            other => panic!("parameter `{name}` is not a word: {other:?}"),
        }
    }
}

/// A parameter value that breaks a rule of its family (floor above cap, bands not increasing, a
/// table without a key the rules will ask for): the key to blame and what is wrong. Scenario
/// loading turns it into an error with the file, line and year of that key's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    /// The parameter (stem) whose value breaks the rule.
    pub key: &'static str,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl ParamError {
    /// An error blaming `key`.
    pub fn new(key: &'static str, message: impl Into<String>) -> Self {
        ParamError {
            key,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Conditions of a categorical cash program (rules 7); `None` means any.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProgramConditions {
    /// Region codes the program pays in.
    pub region: Option<Vec<String>>,
    /// Household residence.
    pub residence: Option<crate::population::Residence>,
    /// Person's hukou.
    pub hukou: Option<crate::population::Residence>,
    /// Lowest age, inclusive.
    pub age_min: Option<u8>,
    /// Highest age, inclusive.
    pub age_max: Option<u8>,
    /// Employment statuses (any of).
    pub employment: Option<Vec<crate::population::Employment>>,
    /// Lowest disability grade, inclusive.
    pub disability_grade_min: Option<u8>,
    /// Highest disability grade, inclusive.
    pub disability_grade_max: Option<u8>,
    /// Household assistance status last year (any of: dibao, tekun, margin, none).
    pub status_last_year: Option<Vec<crate::population::AssistanceStatus>>,
}

/// A categorical cash program resolved for one year (rules 7).
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedProgram {
    /// Program name: its fiscal line is `categorical_<name>`.
    pub name: String,
    /// Amount per eligible person, yuan/year.
    pub amount_yearly: f64,
    /// Who is eligible.
    pub conditions: ProgramConditions,
}

/// A yuan-per-year table by disability grade 1..=3 (grade 0 is never asked).
///
/// An empty table is the parameter's default ("not in use") and gives 0 for every grade; a table
/// that names some grades must name every grade it is asked for (spec preamble): asking for a
/// missing one is an error naming the key and the grade.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ByGrade {
    /// Scenario key (stem), for error messages.
    pub key: &'static str,
    /// Values for grades 0..=3; `None` where the scenario gives none.
    pub values: [Option<f64>; 4],
}

impl ByGrade {
    /// Reads the table `key` (kind `MoneyByGrade`); keys above 3 are an error.
    pub fn from_resolved(p: &ResolvedParams, key: &'static str) -> Result<Self, ParamError> {
        let mut values = [None; 4];
        for &(grade, v) in p.table(key) {
            let slot = values.get_mut(grade as usize).ok_or_else(|| {
                ParamError::new(
                    key,
                    format!("`{key}`: grade {grade} does not exist; grades are 0..=3"),
                )
            })?;
            *slot = Some(v);
        }
        Ok(ByGrade { key, values })
    }

    /// True when the scenario gives no grade at all.
    pub fn is_empty(&self) -> bool {
        self.values.iter().all(Option::is_none)
    }

    /// Value for `grade` (yuan/year): 0 for an empty table, an error for a grade the table lacks.
    pub fn get(&self, grade: u8) -> Result<f64, String> {
        if self.is_empty() {
            return Ok(0.0);
        }
        self.values
            .get(grade as usize)
            .copied()
            .flatten()
            .ok_or_else(|| {
                format!(
                    "`{}` gives no value for disability grade {grade}; give every grade that occurs (1, 2, 3)",
                    self.key
                )
            })
    }
}

/// Value of an age-band (or grade) step function at `key`: the entry with the largest key at or
/// below `key`, `None` below the lowest key (rules preamble). `table` is sorted by key.
#[inline]
pub fn band_lookup(table: &[(u32, f64)], key: u32) -> Option<f64> {
    table
        .iter()
        .take_while(|(k, _)| *k <= key)
        .last()
        .map(|&(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grade_table_empty_is_zero_and_missing_grade_is_an_error() {
        let empty = ByGrade {
            key: "care_cost",
            values: [None; 4],
        };
        assert_eq!(empty.get(3), Ok(0.0));
        let partial = ByGrade {
            key: "care_cost",
            values: [None, None, None, Some(36_000.0)],
        };
        assert_eq!(partial.get(3), Ok(36_000.0));
        let err = partial.get(2).unwrap_err();
        assert!(
            err.contains("care_cost") && err.contains("grade 2"),
            "{err}"
        );
    }

    #[test]
    fn band_lookup_is_a_step_function() {
        let t = [(65, 5.0), (80, 10.0)];
        assert_eq!(band_lookup(&t, 64), None);
        assert_eq!(band_lookup(&t, 65), Some(5.0));
        assert_eq!(band_lookup(&t, 79), Some(5.0));
        assert_eq!(band_lookup(&t, 80), Some(10.0));
        assert_eq!(band_lookup(&t, 110), Some(10.0));
        assert_eq!(band_lookup(&[], 50), None);
    }
}
