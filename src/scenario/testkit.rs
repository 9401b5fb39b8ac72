//! Scenario tests' shared pieces: a small registry shaped like the real one, a temporary folder,
//! and parsing and reading helpers.

use super::{Indexation, ParamDef, ParamValue, Path, PathBuf, Residence, Result, Scenario};
use crate::params::{DefaultValue, ParamKind};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A small registry shaped like the real one (rules.md stems and kinds).
pub(crate) static DEFS: [ParamDef; 14] = [
    def(
        "dibao_standard",
        ParamKind::Money,
        DefaultValue::Number(0.0),
        Indexation::None,
    ),
    def(
        "basic_pension",
        ParamKind::Money,
        DefaultValue::Number(0.0),
        Indexation::Wages,
    ),
    def(
        "take_up_rate",
        ParamKind::Number { min: 0.0, max: 1.0 },
        DefaultValue::Number(1.0),
        Indexation::None,
    ),
    def(
        "contribution_tiers",
        ParamKind::MoneyList { increasing: true },
        DefaultValue::List(&[]),
        Indexation::None,
    ),
    def(
        "tier_subsidy",
        ParamKind::MoneyList { increasing: false },
        DefaultValue::List(&[]),
        Indexation::None,
    ),
    def(
        "tier_choice_shares",
        ParamKind::ShareList,
        DefaultValue::List(&[]),
        Indexation::None,
    ),
    def(
        "age_bonus",
        ParamKind::MoneyByAge,
        DefaultValue::Table(&[]),
        Indexation::None,
    ),
    def(
        "care_cost",
        ParamKind::MoneyByGrade,
        DefaultValue::Table(&[]),
        Indexation::None,
    ),
    def(
        "account_divisor_by_age",
        ParamKind::NumberByAge {
            min: 1.0,
            max: 300.0,
        },
        DefaultValue::Table(&[(60, 139.0)]),
        Indexation::None,
    ),
    def(
        "dibao_grades",
        ParamKind::Bands,
        DefaultValue::Pairs(&[]),
        Indexation::None,
    ),
    def(
        "ltc_enabled",
        ParamKind::Flag,
        DefaultValue::Flag(false),
        Indexation::None,
    ),
    def(
        "collective_target",
        ParamKind::Choice(&["low_income", "all_contributors"]),
        DefaultValue::Text("low_income"),
        Indexation::None,
    ),
    def(
        "wage_growth_rate",
        ParamKind::Number {
            min: -0.5,
            max: 1.0,
        },
        DefaultValue::Number(0.0),
        Indexation::None,
    ),
    def(
        "price_growth_rate",
        ParamKind::Number {
            min: -0.5,
            max: 1.0,
        },
        DefaultValue::Number(0.0),
        Indexation::None,
    ),
];

const fn def(
    name: &'static str,
    kind: ParamKind,
    default: DefaultValue,
    default_index: Indexation,
) -> ParamDef {
    ParamDef {
        default_index,
        ..ParamDef::new(name, kind, "test unit", default, "test", "test parameter")
    }
}

pub(crate) fn registry() -> Vec<&'static ParamDef> {
    DEFS.iter().collect()
}

/// A temporary folder, removed when dropped.
pub(crate) struct Dir(pub(crate) PathBuf);
impl Dir {
    pub(crate) fn new() -> Dir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let d = std::env::temp_dir().join(format!(
            "gongfu-scenario-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&d).unwrap();
        Dir(d)
    }
    pub(crate) fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }
}
impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub(crate) fn parse(text: &str) -> Result<Scenario> {
    Scenario::parse_with(Path::new("/nowhere/s.toml"), text.to_string(), &registry())
}

pub(crate) fn value(
    s: &Scenario,
    stem: &str,
    year: i32,
    region: Option<&str>,
    residence: Option<Residence>,
) -> ParamValue {
    s.provenance(year, region, residence)
        .into_iter()
        .find(|p| p.stem == stem)
        .unwrap()
        .value
}

pub(crate) fn number(s: &Scenario, stem: &str, year: i32) -> f64 {
    match value(s, stem, year, None, None) {
        ParamValue::Number(x) => x,
        other => panic!("{stem}: {other:?}"),
    }
}
