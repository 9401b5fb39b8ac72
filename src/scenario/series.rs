//! Parameter values in a scenario file: one value checked against its `ParamKind`, and time series
//! (step functions by year, indexed after the last given year) of such values (rules preamble).

use toml::de::{DeTable, DeValue};

use super::source::{Item, Source, in_file_order};
use crate::error::Result;
use crate::params::{Indexation, ParamKind, ParamValue};

/// Smallest year a time series may name.
pub const FIRST_YEAR: i32 = 1900;
/// Largest year a time series or `years` may name.
pub const LAST_YEAR: i32 = 2200;
/// Largest key of a table by age or grade; year keys start at [`FIRST_YEAR`], so the two never meet.
pub const MAX_TABLE_KEY: u32 = 150;

/// The words of the `index` key of a time series.
const INDEX_WORDS: [&str; 3] = ["wages", "prices", "none"];

/// A value as written: one value for all years, or values by year (a step function).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Series {
    /// `(year, value)` by increasing year; a plain value is one point at `i32::MIN`.
    pub points: Vec<(i32, ParamValue)>,
    /// Growth after the last given year.
    pub index: Indexation,
}

impl Series {
    /// The value that holds in `year` (before the first given year the first value holds), and
    /// the last given year when `year` lies after it and the value grows by an index.
    pub fn at(&self, year: i32) -> (&ParamValue, Option<i32>) {
        let pos = self.points.partition_point(|(y, _)| *y <= year);
        let (given, value) = &self.points[pos.saturating_sub(1)];
        let grows = pos == self.points.len() && *given < year && self.index != Indexation::None;
        (value, grows.then_some(*given))
    }
}

/// Every amount of a value multiplied by `factor` (indexation, monthly to yearly). Bands are
/// ratios and shares and are never scaled (an index on them is rejected at load).
pub(crate) fn scaled(value: &ParamValue, factor: f64) -> ParamValue {
    match value {
        ParamValue::Number(x) => ParamValue::Number(x * factor),
        ParamValue::List(l) => ParamValue::List(l.iter().map(|x| x * factor).collect()),
        ParamValue::Table(t) => {
            ParamValue::Table(t.iter().map(|(k, x)| (*k, x * factor)).collect())
        }
        other => other.clone(),
    }
}

/// Whether a kind is money (may be written `_monthly`).
pub(crate) fn is_money(kind: ParamKind) -> bool {
    matches!(
        kind,
        ParamKind::Money
            | ParamKind::MoneyList { .. }
            | ParamKind::MoneyByAge
            | ParamKind::MoneyByGrade
    )
}

/// Whether a kind's numbers may grow by an index.
fn indexable(kind: ParamKind) -> bool {
    is_money(kind)
        || matches!(
            kind,
            ParamKind::Number { .. }
                | ParamKind::NumberByAge { .. }
                | ParamKind::NumberByGrade { .. }
        )
}

/// Whether a kind is itself written as a table with integer keys.
fn is_table_kind(kind: ParamKind) -> bool {
    matches!(
        kind,
        ParamKind::MoneyByAge
            | ParamKind::MoneyByGrade
            | ParamKind::NumberByAge { .. }
            | ParamKind::NumberByGrade { .. }
    )
}

/// Parses what a file writes for a parameter: a plain value, or a time series table
/// `{ 2022 = v, 2024 = w, index = "wages" }`. `default_index` applies to a series without `index`;
/// `growth_stems` are the stems an index needs (`wage_growth_rate`, `price_growth_rate`) and whether
/// the registry has them; `fixed` forbids an index (the growth rates themselves).
pub(crate) fn parse_series(
    src: &Source,
    key: &str,
    kind: ParamKind,
    default_index: Indexation,
    fixed: bool,
    item: &Item,
) -> Result<Series> {
    let series_table = match item.get_ref() {
        DeValue::Table(t) if !is_table_kind(kind) || table_is_series(src, key, t)? => Some(t),
        _ => None,
    };
    let Some(table) = series_table else {
        return Ok(Series {
            points: vec![(i32::MIN, parse_value(src, key, kind, item)?)],
            index: Indexation::None,
        });
    };
    let mut points: Vec<(i32, ParamValue)> = Vec::new();
    let mut index = if fixed {
        Indexation::None
    } else {
        default_index
    };
    for (k, v) in in_file_order(table) {
        if k.get_ref() == "index" {
            let word = src.word(&format!("{key}.index"), v, &INDEX_WORDS)?;
            index = match word {
                "wages" => Indexation::Wages,
                "prices" => Indexation::Prices,
                _ => Indexation::None,
            };
            if index != Indexation::None && (fixed || !indexable(kind)) {
                let why = if fixed {
                    "it is itself an index"
                } else {
                    "its values are not amounts"
                };
                return Err(src.error(
                    v.span(),
                    format!("`{key}` cannot grow by an index ({why}); allowed: `index = \"none\"`"),
                    None,
                ));
            }
            continue;
        }
        let year = year_key(src, key, k)?;
        if let Some((last, _)) = points.last()
            && *last >= year
        {
            return Err(src.error(
                k.span(),
                format!("years in `{key}` must increase: {year} comes after {last}"),
                None,
            ));
        }
        points.push((year, parse_value(src, &format!("{key}.{year}"), kind, v)?));
    }
    if points.is_empty() {
        return Err(src.error(
            item.span(),
            format!("time series `{key}` is empty: give at least one year, as `{{ 2022 = ... }}`"),
            None,
        ));
    }
    Ok(Series { points, index })
}

/// For a kind written as a table: is this table a time series (year keys) or the value itself
/// (age or grade keys)? `index` marks a series; otherwise the keys decide, and must agree.
fn table_is_series(src: &Source, key: &str, table: &DeTable) -> Result<bool> {
    let mut years = 0;
    let mut small = 0;
    for (k, _) in table.iter() {
        match k.get_ref().parse::<u32>() {
            _ if k.get_ref() == "index" => years += 1,
            Ok(n) if n >= FIRST_YEAR as u32 => years += 1,
            Ok(n) if n <= MAX_TABLE_KEY => small += 1,
            _ => {}
        }
    }
    if years > 0 && small > 0 {
        return Err(src.error(
            table.iter().next().map_or(0..0, |(k, _)| k.span()),
            format!(
                "`{key}` mixes year keys (>= {FIRST_YEAR}, a time series) with age or grade keys \
                 (0..={MAX_TABLE_KEY}); write `{{ 2022 = {{ 80 = 100 }} }}` for a table by year"
            ),
            None,
        ));
    }
    Ok(years > 0)
}

fn year_key(src: &Source, key: &str, k: &super::source::Key) -> Result<i32> {
    match k.get_ref().parse::<i32>() {
        Ok(y) if (FIRST_YEAR..=LAST_YEAR).contains(&y) && !k.get_ref().starts_with('+') => Ok(y),
        _ => Err(src.error(
            k.span(),
            format!(
                "bad key `{}` in time series `{key}`: allowed are years {FIRST_YEAR}..={LAST_YEAR} and `index`",
                k.get_ref()
            ),
            None,
        )),
    }
}

/// Parses one value of a kind, checking what is allowed.
pub(crate) fn parse_value(
    src: &Source,
    key: &str,
    kind: ParamKind,
    item: &Item,
) -> Result<ParamValue> {
    let in_range = |x: f64, min: f64, max: f64, what: &str| {
        if (min..=max).contains(&x) {
            Ok(x)
        } else {
            Err(src.error(
                item.span(),
                format!(
                    "`{key}` = {} is outside {min}..={max} ({what})",
                    src.snippet(item)
                ),
                None,
            ))
        }
    };
    Ok(match kind {
        ParamKind::Money => ParamValue::Number(money(src, key, item)?),
        ParamKind::Number { min, max } => {
            ParamValue::Number(in_range(src.number(key, item)?, min, max, "allowed range")?)
        }
        ParamKind::Flag => ParamValue::Flag(src.boolean(key, item)?),
        ParamKind::Choice(words) => ParamValue::Text(src.word(key, item, words)?.to_string()),
        ParamKind::MoneyList { increasing } => {
            let mut list = Vec::new();
            for (i, v) in src.array(key, item)?.iter().enumerate() {
                let x = money(src, &format!("{key}[{i}]"), v)?;
                if increasing && list.last().is_some_and(|last| *last >= x) {
                    return Err(src.error(
                        v.span(),
                        format!(
                            "`{key}` must strictly increase (a tier ladder): {x} after {}",
                            list.last().copied().unwrap_or(0.0)
                        ),
                        None,
                    ));
                }
                list.push(x);
            }
            ParamValue::List(list)
        }
        ParamKind::ShareList => {
            let mut list = Vec::new();
            for (i, v) in src.array(key, item)?.iter().enumerate() {
                list.push(share(src, &format!("{key}[{i}]"), v)?);
            }
            ParamValue::List(list)
        }
        ParamKind::MoneyByAge => table(src, key, item, MAX_TABLE_KEY, "ages", |k, v| {
            money(src, k, v)
        })?,
        ParamKind::MoneyByGrade => table(src, key, item, 3, "disability grades", |k, v| {
            money(src, k, v)
        })?,
        ParamKind::NumberByAge { min, max } => {
            table(src, key, item, MAX_TABLE_KEY, "ages", |k, v| {
                bounded(src, k, v, min, max)
            })?
        }
        ParamKind::NumberByGrade { min, max } => {
            table(src, key, item, 3, "disability grades", |k, v| {
                bounded(src, k, v, min, max)
            })?
        }
        ParamKind::Bands => {
            let mut bands: Vec<(f64, f64)> = Vec::new();
            for (i, band) in src.array(key, item)?.iter().enumerate() {
                let name = format!("{key}[{i}]");
                let pair = src.array(&name, band)?;
                let [upper, band_share] = &pair[..] else {
                    return Err(src.error(
                        band.span(),
                        format!("`{name}` must be a pair `[upper, share]`"),
                        None,
                    ));
                };
                let upper_x = src.number(&format!("{name}[0]"), upper)?;
                if upper_x < 0.0 || bands.last().is_some_and(|(u, _)| *u >= upper_x) {
                    return Err(src.error(
                        upper.span(),
                        format!("band uppers in `{key}` must be >= 0 and strictly increase, found {upper_x}"),
                        None,
                    ));
                }
                bands.push((upper_x, share(src, &format!("{name}[1]"), band_share)?));
            }
            ParamValue::Pairs(bands)
        }
    })
}

fn bounded(src: &Source, key: &str, item: &Item, min: f64, max: f64) -> Result<f64> {
    let x = src.number(key, item)?;
    if (min..=max).contains(&x) {
        Ok(x)
    } else {
        Err(src.error(
            item.span(),
            format!("`{key}` = {x} is outside {min}..={max}"),
            None,
        ))
    }
}

fn money(src: &Source, key: &str, item: &Item) -> Result<f64> {
    let x = src.number(key, item)?;
    if x < 0.0 {
        return Err(src.error(
            item.span(),
            format!("`{key}` = {x} is negative; money is >= 0 yuan"),
            None,
        ));
    }
    Ok(x)
}

fn share(src: &Source, key: &str, item: &Item) -> Result<f64> {
    let x = src.number(key, item)?;
    if !(0.0..=1.0).contains(&x) {
        return Err(src.error(
            item.span(),
            format!("`{key}` = {x} is outside 0..=1 (a share)"),
            None,
        ));
    }
    Ok(x)
}

/// A table with integer keys `0..=max_key` (ages or grades), sorted by key.
fn table(
    src: &Source,
    key: &str,
    item: &Item,
    max_key: u32,
    what: &str,
    mut value: impl FnMut(&str, &Item) -> Result<f64>,
) -> Result<ParamValue> {
    let mut rows = Vec::new();
    for (k, v) in src.table(key, item)?.iter() {
        let n = match k.get_ref().parse::<u32>() {
            Ok(n) if n <= max_key && !k.get_ref().starts_with('+') => n,
            _ => {
                return Err(src.error(
                    k.span(),
                    format!(
                        "bad key `{}` in `{key}`: keys are {what} 0..={max_key}",
                        k.get_ref()
                    ),
                    None,
                ));
            }
        };
        rows.push((n, value(&format!("{key}.{n}"), v)?));
    }
    rows.sort_by_key(|(n, _)| *n);
    if let Some(w) = rows.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(src.error(
            item.span(),
            format!("`{key}` gives {what} {} twice", w[0].0),
            None,
        ));
    }
    Ok(ParamValue::Table(rows))
}

#[cfg(test)]
mod tests {

    use crate::params::ParamValue;

    use crate::scenario::testkit::*;

    #[test]
    fn step_function_holds_until_next_year_and_first_value_before() {
        // 98 and 123 a month: 1176 and 1476 a year; no index, so it stays after 2024.
        let s = parse("[params]\ndibao_standard_monthly = { 2022 = 98, 2024 = 123 }\n").unwrap();
        assert_eq!(number(&s, "dibao_standard", 2000), 1176.0);
        assert_eq!(number(&s, "dibao_standard", 2022), 1176.0);
        assert_eq!(number(&s, "dibao_standard", 2023), 1176.0);
        assert_eq!(number(&s, "dibao_standard", 2024), 1476.0);
        assert_eq!(number(&s, "dibao_standard", 2050), 1476.0);
    }

    #[test]
    fn indexation_compounds_growth_of_each_year_after_the_last_given() {
        // 100 in 2022; wage growth 5% from 2023: 2023 = 105, 2024 = 100 x 1.05 x 1.05 = 110.25.
        let s = parse(
            "[params]\nbasic_pension = { 2022 = 100, index = \"wages\" }\n\
             wage_growth_rate = { 2022 = 0.0, 2023 = 0.05 }\nprice_growth_rate = 0.5\n",
        )
        .unwrap();
        assert_eq!(number(&s, "basic_pension", 2022), 100.0);
        assert_eq!(number(&s, "basic_pension", 2023), 105.0);
        assert!((number(&s, "basic_pension", 2024) - 110.25).abs() < 1e-9);
        assert_eq!(number(&s, "basic_pension", 2021), 100.0);
    }

    #[test]
    fn default_index_applies_to_series_but_not_to_plain_values() {
        // `basic_pension` defaults to wages; 10% growth: 200 x 1.1 = 220 the year after 2022.
        let series =
            parse("[params]\nbasic_pension = { 2022 = 200 }\nwage_growth_rate = 0.1\n").unwrap();
        assert!((number(&series, "basic_pension", 2023) - 220.0).abs() < 1e-9);
        let plain = parse("[params]\nbasic_pension = 200\nwage_growth_rate = 0.1\n").unwrap();
        assert_eq!(number(&plain, "basic_pension", 2030), 200.0);
        let none = parse(
            "[params]\nbasic_pension = { 2022 = 200, index = \"none\" }\nwage_growth_rate = 0.1\n",
        )
        .unwrap();
        assert_eq!(number(&none, "basic_pension", 2030), 200.0);
    }

    #[test]
    fn indexation_scales_every_number_of_tables_and_lists_after_monthly() {
        // 5 a month at 65 = 60 a year; prices +2% in 2023: 61.2. Tiers 100, 200 x 1.02.
        let s = parse(
            "[params]\nage_bonus_monthly = { 2022 = { 65 = 5 }, index = \"prices\" }\n\
             contribution_tiers = { 2022 = [100, 200], index = \"prices\" }\nprice_growth_rate = 0.02\n",
        )
        .unwrap();
        let ParamValue::Table(t) = value(&s, "age_bonus", 2023, None, None) else {
            panic!()
        };
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].0, 65);
        assert!((t[0].1 - 61.2).abs() < 1e-9);
        let ParamValue::List(l) = value(&s, "contribution_tiers", 2023, None, None) else {
            panic!()
        };
        assert!((l[0] - 102.0).abs() < 1e-9 && (l[1] - 204.0).abs() < 1e-9);
    }

    #[test]
    fn other_kinds_parse_to_their_values_and_defaults_fill_the_rest() {
        let s = parse(
            "[params]\ndibao_grades = [[0.5, 1.0], [0.8, 0.6]]\nltc_enabled = true\n\
             collective_target = \"all_contributors\"\ntier_choice_shares = [0.7, 0.3]\n\
             account_divisor_by_age = { 60 = 139, 55 = 170 }\n",
        )
        .unwrap();
        let v = |stem| value(&s, stem, 2022, None, None);
        assert_eq!(
            v("dibao_grades"),
            ParamValue::Pairs(vec![(0.5, 1.0), (0.8, 0.6)])
        );
        assert_eq!(v("ltc_enabled"), ParamValue::Flag(true));
        assert_eq!(
            v("collective_target"),
            ParamValue::Text("all_contributors".into())
        );
        assert_eq!(v("tier_choice_shares"), ParamValue::List(vec![0.7, 0.3]));
        assert_eq!(
            v("account_divisor_by_age"),
            ParamValue::Table(vec![(55, 170.0), (60, 139.0)])
        );
        assert_eq!(v("take_up_rate"), ParamValue::Number(1.0));
        assert_eq!(s.provenance(2022, None, None).len(), DEFS.len());
    }
}
