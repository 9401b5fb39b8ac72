//! A scenario resolved, before anything is simulated, into the typed parameters of every year,
//! region and residence a run will use: every family's cross-parameter rules (floor below cap,
//! bands increasing, tables that lack a key), the funds' national shares and the region overrides
//! are checked here, and an error names the file and line of the value that breaks a rule and the
//! year, region and residence it applies to. `gongfu validate` and `gongfu run` both compile.

use super::{Level, Scenario, YearRange, scenario_file};
use crate::dynamics::DynamicsParams;
use crate::error::{Error, Result};
use crate::params::{DefaultValue, ParamError, ParamValue, ResolvedParams, ResolvedProgram};
use crate::population::Residence;
use crate::rules::layout::layout;
use crate::rules::{Demand, RuleParams};

/// The typed parameters of one year.
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledYear {
    /// Calendar year.
    pub year: i32,
    /// Rule parameters by region index, then residence index ([`Residence::index`]).
    pub rules: Vec<[RuleParams; 2]>,
    /// Dynamics parameters, indexed the same way.
    pub dynamics: Vec<[DynamicsParams; 2]>,
    /// Categorical programs in force (rules.md 7).
    pub programs: Vec<ResolvedProgram>,
}

/// A scenario's typed parameters for every year of a run, on a population's regions.
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledScenario {
    /// The scenario's name.
    pub name: String,
    /// The years, first to last.
    pub years: Vec<CompiledYear>,
}

impl CompiledScenario {
    /// The parameters of `year`, if the run simulates it.
    pub fn year(&self, year: i32) -> Option<&CompiledYear> {
        let first = self.years.first()?.year;
        usize::try_from(year - first)
            .ok()
            .and_then(|k| self.years.get(k))
    }
}

/// Every number of a year's resolved parameters is finite, except the +inf of an amount whose
/// registry default is unbounded (a cap not set): a value that overflows once annualised or
/// indexed (`1e308` a month) is an error, not an infinite benefit.
fn check_finite(values: &ResolvedParams) -> std::result::Result<(), ParamError> {
    let uncapped = |key: &str| {
        crate::registry::find(key)
            .is_some_and(|d| matches!(d.default, DefaultValue::Number(x) if x == f64::INFINITY))
    };
    for (key, value) in values.iter() {
        let numbers: Vec<f64> = match value {
            ParamValue::Number(x) if *x == f64::INFINITY && uncapped(key) => Vec::new(),
            ParamValue::Number(x) => vec![*x],
            ParamValue::List(xs) => xs.clone(),
            ParamValue::Table(t) => t.iter().map(|(_, x)| *x).collect(),
            ParamValue::Pairs(p) => p.iter().flat_map(|(a, b)| [*a, *b]).collect(),
            ParamValue::Flag(_) | ParamValue::Text(_) => Vec::new(),
        };
        if let Some(x) = numbers.iter().find(|x| !x.is_finite()) {
            return Err(ParamError {
                key,
                message: format!(
                    "resolves to {x} (after annualising and indexation); give a value whose \
                     yearly amount is a finite number"
                ),
            });
        }
    }
    Ok(())
}

impl Scenario {
    /// Resolves and checks every year of `years` for the regions `regions` (the population's region
    /// codes, in the order households index them); `present` says which disability grades the
    /// start population holds (the dynamics may add others).
    pub fn compile(
        &self,
        regions: &[String],
        years: YearRange,
        present: Demand,
    ) -> Result<CompiledScenario> {
        self.check_region_overrides(regions)?;
        let mut out = Vec::with_capacity((years.end - years.start + 1).max(0) as usize);
        for year in years.start..=years.end {
            let since_start = (year - years.start) as u32;
            let mut rules = Vec::with_capacity(regions.len());
            let mut dynamics = Vec::with_capacity(regions.len());
            for region in regions {
                let resolved = Residence::ALL.map(|res| self.resolve(year, region, res));
                let err =
                    |res: Residence| move |e: ParamError| self.param_error(e, year, region, res);
                for (res, values) in Residence::ALL.iter().zip(&resolved) {
                    check_finite(values).map_err(err(*res))?;
                }
                let [urban, rural] = &resolved;
                rules.push([
                    RuleParams::from_resolved(urban).map_err(err(Residence::Urban))?,
                    RuleParams::from_resolved(rural).map_err(err(Residence::Rural))?,
                ]);
                dynamics.push([
                    DynamicsParams::from_resolved(urban, since_start)
                        .map_err(err(Residence::Urban))?,
                    DynamicsParams::from_resolved(rural, since_start)
                        .map_err(err(Residence::Rural))?,
                ]);
            }
            self.check_national_shares(&rules, regions, year)?;
            out.push(CompiledYear {
                year,
                rules,
                dynamics,
                programs: self.programs(year),
            });
        }
        let demand = reachable(present, &out);
        for y in &out {
            for (r, pair) in y.rules.iter().enumerate() {
                for res in Residence::ALL {
                    pair[res.index()]
                        .check(&demand)
                        .map_err(|e| self.param_error(e, y.year, &regions[r], res))?;
                }
            }
        }
        Ok(CompiledScenario {
            name: self.name.clone(),
            years: out,
        })
    }

    /// An error at the file and line that set `e.key` for this year, region and residence (the
    /// scenario's own file when the value is the registry default).
    fn param_error(&self, e: ParamError, year: i32, region: &str, res: Residence) -> Error {
        let origin = self
            .setting(e.key, Some(region), Some(res))
            .map(|s| s.origin.clone());
        Error::Config {
            file: origin
                .as_ref()
                .map_or_else(|| scenario_file(self), |o| o.file.clone()),
            line: origin.map(|o| o.line),
            column: None,
            message: format!(
                "`{}` in {year}, region `{region}`, {}: {}",
                e.key,
                res.as_str(),
                e.message
            ),
            hint: None,
        }
    }

    /// Every insurance fund is national: its deficit share must be one value in every region and
    /// residence of a year.
    fn check_national_shares(
        &self,
        rules: &[[RuleParams; 2]],
        regions: &[String],
        year: i32,
    ) -> Result<()> {
        let Some(first) = rules.first().map(|r| &r[0]) else {
            return Ok(());
        };
        for (fund, _) in &layout().funds {
            let share = (fund.deficit_share)(first);
            for (r, pair) in rules.iter().enumerate() {
                for res in Residence::ALL {
                    if (fund.deficit_share)(&pair[res.index()]) != share {
                        let e = ParamError::new(
                            fund.deficit_share_key,
                            format!(
                                "differs from the value elsewhere ({share}); the {} is national, give one value",
                                fund.name.replace('_', " ")
                            ),
                        );
                        return Err(self.param_error(e, year, &regions[r], res));
                    }
                }
            }
        }
        Ok(())
    }

    /// A region override must name a region of the population.
    fn check_region_overrides(&self, regions: &[String]) -> Result<()> {
        for ((level, stem), setting) in &self.settings {
            let Level {
                region: Some(code), ..
            } = level
            else {
                continue;
            };
            if regions.iter().any(|r| r == code) {
                continue;
            }
            let hint = crate::error::nearest(code, regions.iter().map(String::as_str))
                .map(|n| format!("did you mean `{n}`?"))
                .or_else(|| Some(format!("the population's regions: {}", regions.join(", "))));
            return Err(Error::Config {
                file: setting.origin.file.clone(),
                line: Some(setting.origin.line),
                column: None,
                message: format!(
                    "`{stem}` is overridden for region `{code}`, which the population does not have"
                ),
                hint,
            });
        }
        Ok(())
    }
}

/// The grades persons may have in a run: those of the start population, and every grade once a
/// disability transition can happen in a year after the first (the dynamics run from then on).
fn reachable(present: Demand, years: &[CompiledYear]) -> Demand {
    let transitions = years
        .iter()
        .skip(1)
        .flat_map(|y| y.dynamics.iter().flatten())
        .any(|d| {
            d.disability_recovery_rate > 0.0
                || d.disability_onset_rate.iter().any(|(_, p)| *p > 0.0)
                || d.disability_progression_rate.iter().any(|(_, p)| *p > 0.0)
        });
    if transitions { Demand::ANY } else { present }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn scenario(text: &str) -> Scenario {
        Scenario::parse_with(
            Path::new("/nowhere/s.toml"),
            text.to_string(),
            crate::registry::all(),
        )
        .unwrap()
    }

    fn years(start: i32, end: i32) -> YearRange {
        YearRange { start, end }
    }

    fn regions(codes: &[&str]) -> Vec<String> {
        codes.iter().map(|c| c.to_string()).collect()
    }

    /// Every year of the run is compiled, with its own values (the step function of a series).
    #[test]
    fn every_year_has_its_typed_parameters() {
        let s = scenario("[params]\ndibao_standard_yearly = { 2022 = 10000, 2024 = 12000 }\n");
        let c = s
            .compile(&regions(&["national"]), years(2022, 2025), Demand::ANY)
            .unwrap();
        let standard = |y| c.year(y).unwrap().rules[0][0].dibao.standard_yearly;
        assert_eq!(
            [
                standard(2022),
                standard(2023),
                standard(2024),
                standard(2025)
            ],
            [10_000.0, 10_000.0, 12_000.0, 12_000.0]
        );
        assert!(c.year(2021).is_none() && c.year(2026).is_none());
    }

    /// An override for a region the population lacks is an error at its line, with the nearest
    /// region as a hint.
    #[test]
    fn override_of_a_missing_region_names_the_nearest() {
        let s = scenario("[params.region.zhejang]\ndibao_standard_yearly = 11000\n");
        let e = s
            .compile(&regions(&["zhejiang"]), years(2022, 2022), Demand::ANY)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("s.toml:2: `dibao_standard` is overridden for region `zhejang`")
                && e.contains("did you mean `zhejiang`?"),
            "{e}"
        );
    }

    /// A fund's deficit share is national: a region that differs is an error naming the key.
    #[test]
    fn fund_shares_are_national() {
        let s = scenario("[params.region.b]\nemployee_fund_deficit_fiscal_share = 0.5\n");
        let e = s
            .compile(&regions(&["a", "b"]), years(2022, 2022), Demand::ANY)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("s.toml:2: `employee_fund_deficit_fiscal_share` in 2022, region `b`")
                && e.contains("national"),
            "{e}"
        );
    }

    /// A care-cost table giving only grade 3 suits a population with no other disabled person, in
    /// a static year or without disability transitions; once onset can happen after the first
    /// year, every grade may occur and grade 1 is missing.
    #[test]
    fn grade_tables_are_checked_against_reachable_grades() {
        let table = "ltc_care_cost = { 3 = 36000 }\n";
        let only_severe = Demand {
            disability_grades: [true, false, false, true],
        };
        let r = regions(&["national"]);
        let ok = scenario(&format!("[params]\n{table}"));
        assert!(ok.compile(&r, years(2022, 2030), only_severe).is_ok());
        let onset = scenario(&format!(
            "[params]\n{table}disability_onset_rate = {{ 60 = 0.02 }}\n"
        ));
        assert!(onset.compile(&r, years(2022, 2022), only_severe).is_ok());
        let e = onset
            .compile(&r, years(2022, 2023), only_severe)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("s.toml:2: `ltc_care_cost`") && e.contains("grade 1"),
            "{e}"
        );
    }
}
