//! Parameter definitions and resolved values: the contract between scenario files, the rule
//! families and the engine (spec rules.md, preamble).
//!
//! Each rule family declares its parameters as a `&[ParamDef]` beside its code; scenario loading
//! checks files against the union of them ([`all_param_defs`]) and resolves, for one year, region
//! and residence, a [`ResolvedParams`]; each rule family then builds its typed parameter struct from
//! that. Money is always yuan per year once resolved: a file may write `<stem>_monthly` (x 12),
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

/// Definition of one scenario parameter.
#[derive(Debug, Clone, Copy)]
pub struct ParamDef {
    /// Stem, as queried from [`ResolvedParams`] (money: the name without `_monthly`/`_yearly`).
    pub name: &'static str,
    /// Kind and allowed values.
    pub kind: ParamKind,
    /// Value when no scenario sets it: "off" for programs (zero, disabled), the spec's defaults for
    /// ages, divisors and multiples (conformance preamble).
    pub default: DefaultValue,
    /// Index applied after the last given year when the file names none.
    pub default_index: Indexation,
    /// One line: what it is, with its unit, and the spec section.
    pub doc: &'static str,
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

/// Every parameter of every rule family and of the dynamics, in a stable order.
pub fn all_param_defs() -> Vec<&'static ParamDef> {
    crate::rules::PARAM_GROUPS
        .iter()
        .flat_map(|g| g.iter())
        .collect()
}

/// Looks a definition up by stem.
pub fn param_def(name: &str) -> Option<&'static ParamDef> {
    crate::rules::PARAM_GROUPS
        .iter()
        .flat_map(|g| g.iter())
        .find(|d| d.name == name)
}

/// All parameters resolved for one year, region and residence. Queries name a stem; asking for an
/// unknown stem or the wrong kind is a programming error (a rule and the registry disagree) and
/// panics with the name, which the dead-parameter and registry tests catch.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResolvedParams {
    values: BTreeMap<&'static str, ParamValue>,
}

impl ResolvedParams {
    /// Every registered parameter at its default.
    pub fn defaults() -> Self {
        let values = all_param_defs()
            .into_iter()
            .map(|d| (d.name, d.default.to_value()))
            .collect();
        ResolvedParams { values }
    }

    /// Sets one value (scenario resolution and tests).
    ///
    /// Panics on an unregistered stem: resolution only sets registered stems.
    pub fn set(&mut self, name: &str, value: ParamValue) {
        let def = param_def(name).unwrap_or_else(|| panic!("parameter `{name}` is not registered"));
        self.values.insert(def.name, value);
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

#[cfg(test)]
mod docs_tests {
    use super::*;

    fn kind_text(k: ParamKind) -> String {
        match k {
            ParamKind::Money => "yuan/year".into(),
            ParamKind::MoneyList { increasing: true } => "list of yuan/year, increasing".into(),
            ParamKind::MoneyList { increasing: false } => "list of yuan/year".into(),
            ParamKind::MoneyByAge => "yuan/year by age band".into(),
            ParamKind::MoneyByGrade => "yuan/year by grade 0..=3".into(),
            ParamKind::Number { min, max } => format!("number in [{min}, {max}]"),
            ParamKind::NumberByAge { min, max } => format!("numbers in [{min}, {max}] by age"),
            ParamKind::ShareList => "list of shares".into(),
            ParamKind::Bands => "bands [[upper, share], ...]".into(),
            ParamKind::Flag => "true/false".into(),
            ParamKind::Choice(words) => words
                .iter()
                .map(|w| format!("`{w}`"))
                .collect::<Vec<_>>()
                .join(" / "),
        }
    }

    fn default_text(d: DefaultValue) -> String {
        match d.to_value() {
            ParamValue::Number(x) => format!("{x}"),
            ParamValue::Flag(b) => b.to_string(),
            ParamValue::List(l) if l.is_empty() => "none".into(),
            ParamValue::List(l) => format!("{l:?}"),
            ParamValue::Table(t) if t.is_empty() => "none".into(),
            ParamValue::Table(t) if t.len() > 4 => format!(
                "{} entries ({} = {} .. {} = {})",
                t.len(),
                t[0].0,
                t[0].1,
                t[t.len() - 1].0,
                t[t.len() - 1].1
            ),
            ParamValue::Table(t) => t
                .iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect::<Vec<_>>()
                .join(", "),
            ParamValue::Pairs(p) if p.is_empty() => "none".into(),
            ParamValue::Pairs(p) => format!("{p:?}"),
            ParamValue::Text(s) => format!("`{s}`"),
        }
    }

    /// The registry rendered as a Markdown table.
    fn table() -> String {
        let mut out = String::from(
            "| parameter | kind and unit | default | what it is |\n| --- | --- | --- | --- |\n",
        );
        for d in all_param_defs() {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                d.name,
                kind_text(d.kind),
                default_text(d.default),
                d.doc.replace('|', "/")
            ));
        }
        out
    }

    /// docs/scenarios.md holds the current registry table between its markers.
    #[test]
    fn docs_list_every_parameter() {
        let docs = include_str!("../docs/scenarios.md");
        let (begin, end) = (
            "<!-- BEGIN PARAMETER TABLE -->\n",
            "<!-- END PARAMETER TABLE -->",
        );
        let start = docs.find(begin).expect("begin marker") + begin.len();
        let stop = docs.find(end).expect("end marker");
        let expected = table();
        assert!(
            docs[start..stop] == expected,
            "docs/scenarios.md parameter table is stale; replace it with:\n{expected}"
        );
    }
}
