//! Reform grids (issue 18, docs/scenarios.md "`[grid]`"): a scenario file's `[grid]` over one or
//! two parameters, each a list of values or a range with a step, expands into one named scenario
//! per point (the cartesian product for two), which share the population and draws of their
//! group. A grid key is a `[params]` key (`dibao_take_up_rate`, `dibao_standard_monthly`): the
//! value replaces the parameter as `key = value` in the file's `[params]` would, in every year;
//! or `<stem>_scale`: the factor multiplies the parameter wherever and whenever it is set (every
//! section, year and indexed value), the registry default where it is not.

use std::ops::Range;

use toml::de::DeValue;

use super::file::{PRICE_GROWTH, Setting, WAGE_GROWTH};
use super::series::{Series, is_money, parse_series, scaled};
use super::source::{Item, Key, Source, in_file_order};
use super::{Level, Origin, Scenario};
use crate::error::{Error, Result};
use crate::params::{Indexation, ParamDef, ParamKind, ParamValue};

/// Most parameters a grid may vary.
pub const MAX_GRID_PARAMETERS: usize = 2;
/// Most points (scenarios) a grid may expand into: each is a full run.
pub const MAX_GRID_POINTS: usize = 200;
/// Suffix of a grid key that scales a parameter instead of replacing it.
const SCALE_SUFFIX: &str = "_scale";
/// Decimal places grid values are rounded to, so that `from + i * step` has no float drift
/// (0.8 + 3 x 0.1 is 1.1, not 1.1000000000000001).
const DECIMALS: i32 = 9;

/// What a grid value does to its parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Change {
    /// Replaces it at `[params]` level for every year, as `key = value` there would; written
    /// `_monthly` when `monthly`.
    Set {
        /// The key was `<stem>_monthly` (x 12 at resolution).
        monthly: bool,
    },
    /// Multiplies every value of it (`<stem>_scale`).
    Scale,
}

/// One parameter of a grid and its values, in grid order.
#[derive(Debug, Clone)]
struct Axis {
    /// The key as written in `[grid]`.
    key: String,
    /// The parameter.
    def: &'static ParamDef,
    change: Change,
    values: Vec<f64>,
    /// Where the key is written.
    origin: Origin,
}

/// A scenario file's `[grid]`, parsed and checked.
#[derive(Debug, Clone)]
pub(crate) struct Grid {
    axes: Vec<Axis>,
}

/// Where a scenario expanded from a grid sits in it.
#[derive(Debug, Clone, PartialEq)]
pub struct GridPoint {
    /// Name of the scenario that declares the grid (the grid's name).
    pub grid: String,
    /// Position in grid order, 0-based: the first parameter's values in the outer loop.
    pub index: usize,
    /// Each grid key as written and this point's value of it, in file order.
    pub values: Vec<(String, f64)>,
}

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
                    "`[grid]` expands into {points} scenarios; at most {MAX_GRID_POINTS} are allowed (each is a full run)"
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

impl Grid {
    /// Every point's values, in grid order (the first axis in the outer loop).
    fn points(&self) -> Vec<Vec<f64>> {
        self.axes.iter().fold(vec![Vec::new()], |points, axis| {
            points
                .iter()
                .flat_map(|p| {
                    axis.values.iter().map(move |&v| {
                        let mut q = p.clone();
                        q.push(v);
                        q
                    })
                })
                .collect()
        })
    }
}

impl Axis {
    /// Sets or scales the parameter in `s` to the grid value `x`. A scaled value must still be
    /// one the parameter allows (a rate within its range, a tier ladder increasing): else an
    /// error at the grid's line naming the value and where it was set.
    fn apply(&self, s: &mut Scenario, x: f64) -> Result<()> {
        let stem = self.def.name;
        match self.change {
            Change::Set { monthly } => {
                s.settings.insert(
                    (Level::default(), stem),
                    Setting {
                        series: Series {
                            points: vec![(i32::MIN, ParamValue::Number(x))],
                            index: Indexation::None,
                        },
                        monthly,
                        origin: self.origin.clone(),
                    },
                );
            }
            Change::Scale => {
                // Where no section sets it, the default holds: scale that too.
                s.settings
                    .entry((Level::default(), stem))
                    .or_insert_with(|| Setting {
                        series: Series {
                            points: vec![(i32::MIN, self.def.default.to_value())],
                            index: Indexation::None,
                        },
                        monthly: false,
                        origin: self.origin.clone(),
                    });
                for ((_, set), setting) in s.settings.iter_mut() {
                    if *set != stem {
                        continue;
                    }
                    for (_, value) in &mut setting.series.points {
                        *value = scaled(value, x);
                        if let Some(problem) = not_allowed(self.def.kind, value) {
                            return Err(Error::Config {
                                file: self.origin.file.clone(),
                                line: Some(self.origin.line),
                                column: None,
                                message: format!(
                                    "`{}` = {x} makes `{stem}` {problem} (the value set at {}:{})",
                                    self.key,
                                    setting.origin.file.display(),
                                    setting.origin.line
                                ),
                                hint: Some("give factors that keep the parameter allowed".into()),
                            });
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// A value set at `[params]` is shadowed where a more specific section sets the parameter:
    /// there the grid would change nothing, so that is an error (as for `--on`).
    fn check_reaches(&self, s: &Scenario) -> Result<()> {
        if self.change == Change::Scale {
            return Ok(());
        }
        let shadowing = s
            .settings
            .iter()
            .find(|((level, stem), _)| *stem == self.def.name && *level != Level::default());
        match shadowing {
            None => Ok(()),
            Some(((level, _), setting)) => Err(Error::Config {
                file: self.origin.file.clone(),
                line: Some(self.origin.line),
                column: None,
                message: format!(
                    "`{}` in [grid] sets `{}` in [params], but {} at {}:{} sets it too and wins there",
                    self.key,
                    self.def.name,
                    level.section_brackets(),
                    setting.origin.file.display(),
                    setting.origin.line
                ),
                hint: Some(format!(
                    "write `{}{SCALE_SUFFIX}` to scale the parameter in every section",
                    self.def.name
                )),
            }),
        }
    }
}

/// Why a scaled value is not one its kind allows (out of a number's range, a tier ladder no
/// longer increasing), if it is not. Money stays >= 0 (factors are >= 0).
fn not_allowed(kind: ParamKind, value: &ParamValue) -> Option<String> {
    let outside = |x: f64, min: f64, max: f64| {
        (!(min..=max).contains(&x)).then(|| format!("{x}, outside {min}..={max}"))
    };
    match (kind, value) {
        (ParamKind::Number { min, max }, ParamValue::Number(x)) => outside(*x, min, max),
        (
            ParamKind::NumberByAge { min, max } | ParamKind::NumberByGrade { min, max },
            ParamValue::Table(t),
        ) => t.iter().find_map(|(_, x)| outside(*x, min, max)),
        (ParamKind::MoneyList { increasing: true }, ParamValue::List(l)) => l
            .windows(2)
            .any(|w| w[0] >= w[1])
            .then(|| format!("{l:?}, which no longer strictly increases (a tier ladder)")),
        _ => None,
    }
}

/// `dibao_grid[dibao_standard_scale=1.1]`, or `g[a=1,b=2]` for two parameters.
fn point_name(grid: &str, values: &[(String, f64)]) -> String {
    let inner: Vec<String> = values.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{grid}[{}]", inner.join(","))
}

impl Scenario {
    /// The scenarios a loaded scenario stands for: itself when it declares no `[grid]`, else one
    /// per grid point, in grid order, named `NAME[key=value]` (`NAME[a=1,b=2]`), each with its
    /// [`GridPoint`]. Errors when a value set at `[params]` level would not reach the households
    /// a more specific section covers.
    pub fn expand_grid(mut self) -> Result<Vec<Scenario>> {
        let Some(grid) = self.grid.take() else {
            return Ok(vec![self]);
        };
        for axis in &grid.axes {
            axis.check_reaches(&self)?;
        }
        let mut out = Vec::new();
        for (index, point) in grid.points().into_iter().enumerate() {
            let mut s = self.clone();
            let mut values: Vec<(String, f64)> = Vec::new();
            for (axis, &x) in grid.axes.iter().zip(&point) {
                axis.apply(&mut s, x)?;
                values.push((axis.key.clone(), x));
            }
            s.name = point_name(&self.name, &values);
            s.grid_point = Some(GridPoint {
                grid: self.name.clone(),
                index,
                values,
            });
            out.push(s);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
