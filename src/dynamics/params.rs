//! Parameters of the life-cycle dynamics (rules.md 9), and the typed values of one year, region
//! and residence.

use super::mortality::LifeTable;
use crate::params::{
    DefaultValue, PER_YEAR, ParamDef, ParamError, ParamKind, ResolvedParams, SHARE,
};
use crate::retirement::RetirementParams;

const SPEC: &str = "rules.md 9";
const GROWTH: (f64, f64) = (-0.5, 1.0);
const BY_AGE: ParamKind = ParamKind::NumberByAge { min: 0.0, max: 1.0 };

/// Parameters of the dynamics.
pub const PARAMS: &[ParamDef] = &[
    ParamDef::number(
        "wage_growth_rate",
        GROWTH,
        PER_YEAR,
        0.0,
        SPEC,
        "Nominal growth of earnings and of wage-indexed parameters",
    ),
    ParamDef::number(
        "price_growth_rate",
        GROWTH,
        PER_YEAR,
        0.0,
        SPEC,
        "Consumer price growth; indexes price-indexed parameters",
    ),
    ParamDef::number(
        "rural_income_growth_rate",
        GROWTH,
        PER_YEAR,
        0.0,
        SPEC,
        "Nominal growth of farmers' earnings and rural other income",
    ),
    ParamDef::number(
        "farmer_old_age_factor",
        (0.0, 1.0),
        "factor per year",
        1.0,
        SPEC,
        "Yearly factor on farmers' earnings after 60 (1 = no decline)",
    ),
    ParamDef::number(
        "earnings_shock_sd",
        (0.0, 2.0),
        "log points",
        0.0,
        SPEC,
        "Standard deviation of the transitory log-earnings shock",
    ),
    ParamDef::number(
        "mortality_improvement_rate",
        (0.0, 0.2),
        PER_YEAR,
        0.0,
        SPEC,
        "Proportional fall of death probabilities per year since the start year",
    ),
    ParamDef::number(
        "disability_mortality_ratio",
        (1.0, 20.0),
        "multiple",
        1.0,
        SPEC,
        "Death-probability multiple for disability grade 3",
    ),
    ParamDef::new(
        "life_table_q_male",
        BY_AGE,
        "probability by age band",
        DefaultValue::Table(&[]),
        SPEC,
        "Men's death probability by age band; empty = Gompertz-Makeham fit",
    ),
    ParamDef::new(
        "life_table_q_female",
        BY_AGE,
        "probability by age band",
        DefaultValue::Table(&[]),
        SPEC,
        "Women's death probability by age band; empty = Gompertz-Makeham fit",
    ),
    ParamDef::number(
        "total_fertility_rate",
        (0.0, 8.0),
        "births per woman",
        0.0,
        SPEC,
        "Births per woman over ages 15-49",
    ),
    ParamDef::number(
        "urbanisation_rate_annual",
        (0.0, 1.0),
        SHARE,
        0.0,
        SPEC,
        "Probability that a rural household with a member aged 16-59 moves to urban residence, per year",
    ),
    ParamDef::new(
        "disability_onset_rate",
        BY_AGE,
        "probability by age band",
        DefaultValue::Table(&[]),
        SPEC,
        "Probability of moving from no disability to grade 1, by age band, per year",
    ),
    ParamDef::new(
        "disability_progression_rate",
        BY_AGE,
        "probability by age band",
        DefaultValue::Table(&[]),
        SPEC,
        "Probability of moving up one grade (1->2, 2->3), by age band, per year",
    ),
    ParamDef::share(
        "disability_recovery_rate",
        0.0,
        SPEC,
        "Probability of moving down one grade, per year",
    ),
];

/// Dynamics parameters for one year, region and residence.
#[derive(Debug, Clone, PartialEq)]
pub struct DynamicsParams {
    /// Nominal earnings growth of employees and flexible workers, per year.
    pub wage_growth_rate: f64,
    /// Nominal growth of farmers' earnings and rural other income, per year.
    pub rural_income_growth_rate: f64,
    /// Yearly factor on farmers' earnings after 60.
    pub farmer_old_age_factor: f64,
    /// Standard deviation of the transitory log-earnings shock.
    pub earnings_shock_sd: f64,
    /// Death-probability multiple for grade 3.
    pub disability_mortality_ratio: f64,
    /// Life table of the year (improvement applied).
    pub life_table: LifeTable,
    /// Births per woman over 15-49.
    pub total_fertility_rate: f64,
    /// Yearly probability that an eligible rural household moves to urban residence.
    pub urbanisation_rate_annual: f64,
    /// Onset probability by age band.
    pub disability_onset_rate: Vec<(u32, f64)>,
    /// Progression probability by age band.
    pub disability_progression_rate: Vec<(u32, f64)>,
    /// Recovery probability.
    pub disability_recovery_rate: f64,
    /// Statutory retirement (the same module the employee pension uses).
    pub retirement: RetirementParams,
}

impl DynamicsParams {
    /// Builds the parameters of a year `years_since_start` after the start year.
    pub fn from_resolved(r: &ResolvedParams, years_since_start: u32) -> Result<Self, ParamError> {
        Ok(DynamicsParams {
            wage_growth_rate: r.number("wage_growth_rate"),
            rural_income_growth_rate: r.number("rural_income_growth_rate"),
            farmer_old_age_factor: r.number("farmer_old_age_factor"),
            earnings_shock_sd: r.number("earnings_shock_sd"),
            disability_mortality_ratio: r.number("disability_mortality_ratio"),
            life_table: LifeTable::new(
                r.table("life_table_q_male"),
                r.table("life_table_q_female"),
                r.number("mortality_improvement_rate"),
                years_since_start,
            ),
            total_fertility_rate: r.number("total_fertility_rate"),
            urbanisation_rate_annual: r.number("urbanisation_rate_annual"),
            disability_onset_rate: r.table("disability_onset_rate").to_vec(),
            disability_progression_rate: r.table("disability_progression_rate").to_vec(),
            disability_recovery_rate: r.number("disability_recovery_rate"),
            retirement: RetirementParams::from_resolved(r)?,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Parameters with every event switched off.
    pub(crate) fn quiet() -> DynamicsParams {
        DynamicsParams {
            wage_growth_rate: 0.0,
            rural_income_growth_rate: 0.0,
            farmer_old_age_factor: 1.0,
            earnings_shock_sd: 0.0,
            disability_mortality_ratio: 1.0,
            life_table: LifeTable::new(&[], &[], 0.0, 0),
            total_fertility_rate: 0.0,
            urbanisation_rate_annual: 0.0,
            disability_onset_rate: vec![],
            disability_progression_rate: vec![],
            disability_recovery_rate: 0.0,
            retirement: RetirementParams {
                base_ages: [60, 50, 55],
                reform_2025: false,
            },
        }
    }

    /// Every stem the dynamics read is registered: building from the registry's defaults works.
    #[test]
    fn dynamics_params_build_from_registry_defaults() {
        let p = DynamicsParams::from_resolved(&ResolvedParams::defaults(), 3).unwrap();
        assert_eq!(p.retirement.base_ages, [60, 50, 55]);
        assert_eq!(
            p,
            DynamicsParams {
                life_table: p.life_table.clone(),
                ..quiet()
            }
        );
    }
}
