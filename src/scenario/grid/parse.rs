//! Reading a scenario file's `[grid]` (docs/scenarios.md, "`[grid]`"): one or two keys, each a
//! `[params]` key or `<stem>_scale`, with a list of values or a `{ from, to, step }` range; every
//! value checked as an ordinary override (or as a factor), the grid bounded.

use std::ops::Range;

use toml::de::DeValue;

use super::{Axis, Change, DECIMALS, Grid, MAX_GRID_PARAMETERS, MAX_GRID_POINTS, SCALE_SUFFIX};
use crate::error::Result;
use crate::params::{ParamDef, ParamKind};
use crate::scenario::Origin;
use crate::scenario::file::{PRICE_GROWTH, WAGE_GROWTH};
use crate::scenario::series::{is_money, parse_series};
use crate::scenario::source::{Item, Key, Source, in_file_order};

/// `x` rounded to [`DECIMALS`] places.
fn round(x: f64) -> f64 {
    let scale = 10f64.powi(DECIMALS);
    let r = (x * scale).round() / scale;
    if r.is_finite() { r } else { x }
}

/// Reads `[grid]`: one or two keys, each a list or a `{ from, to, step }` range.
pub(crate) fn parse_grid(
    src: &Source,
    registry: &[&'static ParamDef],
    key: &Key,
    item: &Item,
) -> Result<Grid> {
    let table = src.table("grid", item)?;
    let entries = in_file_order(table);
    if entries.is_empty() {
        return Err(src.error(
            key.span(),
            "`[grid]` is empty: give one or two parameters, as `dibao_standard_scale = [0.9, 1.0, 1.1]`",
            None,
        ));
    }
    let mut axes: Vec<Axis> = Vec::new();
    for (k, v) in entries {
        if axes.len() == MAX_GRID_PARAMETERS {
            return Err(src.error(
                k.span(),
                format!(
                    "`[grid]` varies at most {MAX_GRID_PARAMETERS} parameters; `{}` is one more",
                    k.get_ref()
                ),
                None,
            ));
        }
        let (def, change) = axis_key(src, registry, k)?;
        if let Some(other) = axes.iter().find(|a| a.def.name == def.name) {
            return Err(src.error(
                k.span(),
                format!(
                    "`{}` varies `{}` again (already `{}` on line {}); a grid varies two different parameters",
                    k.get_ref(),
                    def.name,
                    other.key,
                    other.origin.line
                ),
                None,
            ));
        }
        let values = axis_values(src, k.get_ref(), def, change, v)?;
        let points: usize = axes.iter().map(|a| a.values.len()).product::<usize>() * values.len();
        if points > MAX_GRID_POINTS {
            return Err(src.error(
                v.span(),
                format!(
                    "`[grid]` expands into {points} scenarios ({} x `{}` {}); at most {MAX_GRID_POINTS} are allowed (each is a full run)",
                    axes.iter()
                        .map(|a| format!("`{}` {}", a.key, a.values.len()))
                        .collect::<Vec<_>>()
                        .join(" x "),
                    k.get_ref(),
                    values.len()
                ),
                Some("use a coarser step or fewer values".into()),
            ));
        }
        axes.push(Axis {
            key: k.get_ref().to_string(),
            def,
            change,
            values,
            origin: Origin {
                file: src.path.clone(),
                line: src.line(&k.span()),
            },
        });
    }
    Ok(Grid { axes })
}

/// Whether a kind's numbers may be scaled (the kinds that may grow by an index).
fn scalable(kind: ParamKind) -> bool {
    is_money(kind)
        || matches!(
            kind,
            ParamKind::Number { .. }
                | ParamKind::NumberByAge { .. }
                | ParamKind::NumberByGrade { .. }
        )
}

/// The parameter a grid key names and what its values do.
fn axis_key(
    src: &Source,
    registry: &[&'static ParamDef],
    k: &Key,
) -> Result<(&'static ParamDef, Change)> {
    let key: &str = k.get_ref();
    let find = |stem: &str| registry.iter().copied().find(|d| d.name == stem);
    let named = if let Some(def) = key.strip_suffix(SCALE_SUFFIX).and_then(find) {
        Some((def, Change::Scale))
    } else if let Some(def) = find(key) {
        Some((def, Change::Set { monthly: false }))
    } else {
        [("_monthly", true), ("_yearly", false)]
            .into_iter()
            .find_map(|(suffix, monthly)| {
                let def = key.strip_suffix(suffix).and_then(find)?;
                is_money(def.kind).then_some((def, Change::Set { monthly }))
            })
    };
    let Some((def, change)) = named else {
        let mut keys: Vec<String> = Vec::new();
        for d in registry {
            keys.push(d.name.to_string());
            if scalable(d.kind) {
                keys.push(format!("{}{SCALE_SUFFIX}", d.name));
            }
            if is_money(d.kind) {
                keys.push(format!("{}_monthly", d.name));
                keys.push(format!("{}_yearly", d.name));
            }
        }
        return Err(src.unknown_key(k, "[grid]", keys.iter().map(String::as_str)));
    };
    match change {
        Change::Scale if !scalable(def.kind) => Err(src.error(
            k.span(),
            format!(
                "`{key}`: `{}` holds no amounts to scale; a grid scales money and numbers",
                def.name
            ),
            None,
        )),
        Change::Set { .. } if !matches!(def.kind, ParamKind::Money | ParamKind::Number { .. }) => {
            let hint = scalable(def.kind)
                .then(|| format!("write `{}{SCALE_SUFFIX}` to scale it", def.name));
            Err(src.error(
                k.span(),
                format!(
                    "`{key}`: a grid value is one number, and `{}` is not one (a list, table, flag or word)",
                    def.name
                ),
                hint,
            ))
        }
        _ => Ok((def, change)),
    }
}

/// One value of an axis, checked as an ordinary override (or as a factor: a finite number >= 0).
fn axis_value(src: &Source, key: &str, def: &ParamDef, change: Change, item: &Item) -> Result<f64> {
    let x = src.number(key, item)?;
    match change {
        Change::Scale if x < 0.0 => Err(src.error(
            item.span(),
            format!(
                "`{key}` = {} is negative; a scale factor is >= 0",
                src.snippet(item)
            ),
            None,
        )),
        Change::Scale => Ok(x),
        Change::Set { .. } => {
            let fixed = def.name == WAGE_GROWTH || def.name == PRICE_GROWTH;
            parse_series(src, key, def.kind, def.default_index, fixed, item)?;
            Ok(x)
        }
    }
}

/// The values of an axis: a list `[a, b, c]`, or `{ from = a, to = b, step = s }` (both ends
/// included, `to` within a millionth of a step).
fn axis_values(
    src: &Source,
    key: &str,
    def: &ParamDef,
    change: Change,
    item: &Item,
) -> Result<Vec<f64>> {
    let values = match item.get_ref() {
        DeValue::Array(list) => {
            let mut values: Vec<f64> = Vec::new();
            for v in list.iter() {
                let x = axis_value(src, key, def, change, v)?;
                if values.contains(&x) {
                    return Err(src.error(
                        v.span(),
                        format!("`{key}` lists {x} twice; each grid value names one scenario"),
                        None,
                    ));
                }
                values.push(x);
            }
            values
        }
        DeValue::Table(table) => range(src, key, def, change, item.span(), table)?,
        other => {
            return Err(src.error(
                item.span(),
                format!(
                    "`{key}` in [grid] must be a list `[a, b, c]` or a range `{{ from = a, to = b, step = s }}`, found {}",
                    other.type_str()
                ),
                None,
            ));
        }
    };
    if values.is_empty() {
        return Err(src.error(
            item.span(),
            format!("`{key}` in [grid] has no values"),
            None,
        ));
    }
    if values.len() > MAX_GRID_POINTS {
        return Err(src.error(
            item.span(),
            format!(
                "`{key}` in [grid] has {} values; at most {MAX_GRID_POINTS} are allowed (each is a full run)",
                values.len()
            ),
            Some("use a coarser step or fewer values".into()),
        ));
    }
    Ok(values)
}

/// `{ from, to, step }`: from + i x step for i = 0, 1, ... while it does not pass `to`.
fn range(
    src: &Source,
    key: &str,
    def: &ParamDef,
    change: Change,
    span: Range<usize>,
    table: &toml::de::DeTable,
) -> Result<Vec<f64>> {
    const KEYS: [&str; 3] = ["from", "to", "step"];
    let (mut from, mut to, mut step) = (None, None, None);
    for (k, v) in in_file_order(table) {
        let part = format!("{key}.{}", k.get_ref());
        match k.get_ref().as_ref() {
            "from" => from = Some(axis_value(src, &part, def, change, v)?),
            "to" => to = Some(axis_value(src, &part, def, change, v)?),
            "step" => {
                let s = src.number(&part, v)?;
                if s <= 0.0 {
                    return Err(src.error(
                        v.span(),
                        format!("`{part}` = {} must be > 0", src.snippet(v)),
                        None,
                    ));
                }
                step = Some(s);
            }
            _ => return Err(src.unknown_key(k, &format!("the range `{key}`"), KEYS)),
        }
    }
    let (Some(from), Some(to), Some(step)) = (from, to, step) else {
        return Err(src.error(
            span,
            format!("the range `{key}` needs `from`, `to` and `step`, as `{{ from = 0.8, to = 1.2, step = 0.1 }}`"),
            None,
        ));
    };
    if to < from {
        return Err(src.error(
            span,
            format!("the range `{key}` runs backwards: `from` = {from} is above `to` = {to}"),
            None,
        ));
    }
    let steps = ((to - from) / step + 1e-6).floor();
    if steps >= MAX_GRID_POINTS as f64 {
        return Err(src.error(
            span,
            format!(
                "the range `{key}` has {} values; at most {MAX_GRID_POINTS} are allowed (each is a full run)",
                steps + 1.0
            ),
            Some("use a coarser step or a narrower range".into()),
        ));
    }
    Ok((0..=steps as usize)
        .map(|i| round(from + i as f64 * step).min(to))
        .collect())
}
