//! The one registry of scenario parameters, above the rules and the dynamics: statutory
//! retirement (used by both), hukou-linked eligibility (used by several assistance families),
//! every registered rule family's ([`crate::rules::PROGRAMS`]) and the dynamics', in display order. Scenario loading, `gongfu explain`, the docs table and the
//! deprecated names all read it; nothing below it imports it.

use std::sync::LazyLock;

use crate::params::{ParamDef, ResolvedParams};

/// Every parameter, in display order: retirement, then each registered rule family, then the
/// dynamics.
pub fn all() -> &'static [&'static ParamDef] {
    static ALL: LazyLock<Vec<&'static ParamDef>> = LazyLock::new(|| {
        crate::retirement::PARAMS
            .iter()
            .chain(crate::rules::hukou::PARAMS.iter())
            .chain(crate::rules::PROGRAMS.iter().flat_map(|p| p.params.iter()))
            .chain(crate::dynamics::PARAMS.iter())
            .collect()
    });
    &ALL
}

/// The definition of a stem, if registered.
pub fn find(name: &str) -> Option<&'static ParamDef> {
    all().iter().copied().find(|d| d.name == name)
}

/// The definition an earlier (deprecated) name stands for.
pub fn renamed(old: &str) -> Option<&'static ParamDef> {
    all()
        .iter()
        .copied()
        .find(|d| d.deprecated_names.contains(&old))
}

/// Every registered parameter at its default.
pub fn defaults() -> ResolvedParams {
    ResolvedParams::from_defaults(all().iter().copied())
}

impl ResolvedParams {
    /// Every registered parameter at its default ([`defaults`]).
    pub fn defaults() -> Self {
        defaults()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::{DefaultValue, ParamKind, ParamValue};

    /// Every stem and every deprecated name is unique across the registry, and a deprecated name
    /// is never a current stem.
    #[test]
    fn names_are_unique() {
        let mut names: Vec<&str> = all()
            .iter()
            .flat_map(|d| std::iter::once(d.name).chain(d.deprecated_names.iter().copied()))
            .collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "a name is registered twice");
        for d in all() {
            assert!(
                !d.spec.is_empty() && !d.doc.is_empty(),
                "`{}` undocumented",
                d.name
            );
        }
        assert_eq!(renamed("take_up_rate").unwrap().name, "dibao_take_up_rate");
        assert!(find("take_up_rate").is_none());
    }

    fn kind_text(k: ParamKind) -> String {
        match k {
            ParamKind::Money => "money".into(),
            ParamKind::MoneyList { increasing: true } => "list of money, increasing".into(),
            ParamKind::MoneyList { increasing: false } => "list of money".into(),
            ParamKind::MoneyByAge => "money by age band".into(),
            ParamKind::MoneyByGrade => "money by grade 0..=3".into(),
            ParamKind::Number { min, max } => format!("number in [{min}, {max}]"),
            ParamKind::NumberByAge { min, max } => format!("numbers in [{min}, {max}] by age"),
            ParamKind::NumberByGrade { min, max } => {
                format!("numbers in [{min}, {max}] by grade 0..=3")
            }
            ParamKind::ShareList => "list of shares".into(),
            ParamKind::Bands => "bands".into(),
            ParamKind::Flag => "flag".into(),
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
            "| parameter | kind | unit | default | what it is | spec | earlier name |\n| --- | --- | --- | --- | --- | --- | --- |\n",
        );
        for d in all() {
            let old = d
                .deprecated_names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} | {} | {} |\n",
                d.name,
                kind_text(d.kind),
                d.unit.replace('|', "/"),
                default_text(d.default),
                d.doc.replace('|', "/"),
                d.spec,
                old
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
