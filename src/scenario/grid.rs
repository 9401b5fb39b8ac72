//! Reform grids (issue 18, docs/scenarios.md "`[grid]`"): a scenario file's `[grid]` over one or
//! two parameters, each a list of values or a range with a step, expands into one named scenario
//! per point (the cartesian product for two), which share the population and draws of their
//! group. A grid key is a `[params]` key (`dibao_take_up_rate`, `dibao_standard_monthly`): the
//! value replaces the parameter as `key = value` in the file's `[params]` would, in every year;
//! or `<stem>_scale`: the factor multiplies the parameter wherever and whenever it is set (every
//! section, year and indexed value), the registry default where it is not.

mod parse;

use super::file::Setting;
use super::series::{Series, scaled};
use super::{Level, Origin, Scenario};
use crate::error::{Error, Result};
use crate::params::{Indexation, ParamDef, ParamKind, ParamValue};
pub(crate) use parse::parse_grid;

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
