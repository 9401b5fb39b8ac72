//! Life-cycle dynamics of one year (rules 9), applied before the rules (rules 8): ageing, deaths,
//! disability transitions, births, rural-urban migration, retirement, earnings. Draws come from
//! `rng` keyed by (seed, replication, person or household id, year, purpose), so the demographic
//! path of a run is the same in every scenario (common random numbers) and on any thread count.
//!
//! A chunk of households is rebuilt each year into a second buffer (double buffering): survivors are
//! copied, newborns appended to their mother's household, empty households dropped. Buffers keep
//! their capacity, so a year allocates nothing per person once warm.

pub mod mortality;
pub mod retirement;

use crate::numeric::ExactSum;
use crate::params::{DefaultValue, Indexation, ParamDef, ParamKind, ResolvedParams, band_lookup};
use crate::population::{
    Employment, Households, MAX_AGE, NO_COLLECTIVE, PensionScheme, Persons, Residence, Sex,
};
use crate::rng::{Purpose, StreamKey};
pub use mortality::LifeTable;

/// Age at which young people not yet working enter the labour market (assumption, docs/rules.md).
pub const LABOUR_ENTRY_AGE: u8 = 20;

/// Log-earnings age profile f(a) = 0.06 a - 0.000667 a^2 (peak near 45; a standard Mincer shape,
/// assumption): the yearly change is f(a) - f(a - 1).
const AGE_PROFILE_LINEAR: f64 = 0.06;
const AGE_PROFILE_QUADRATIC: f64 = -0.000_667;

/// Dispersion (log sd) of a labour-market entrant's earnings around the mean of their status.
const ENTRANT_EARNINGS_SD: f64 = 0.6;

/// Share of a woman's total fertility falling in each 5-year age group 15-19 .. 45-49 (shape of
/// China's 2020 census age-specific fertility, assumption; sums to 1).
pub const FERTILITY_SHAPE: [f64; 7] = [0.02, 0.22, 0.38, 0.25, 0.10, 0.025, 0.005];

/// Probability that a newborn is a boy (sex ratio at birth about 1.11 in the 2020 census).
pub const MALE_BIRTH_PROBABILITY: f64 = 0.526;

/// Parameters of the dynamics group (registered in `rules::PARAM_GROUPS`).
pub const PARAMS: &[ParamDef] = &[
    ParamDef {
        name: "wage_growth_rate",
        kind: ParamKind::Number {
            min: -0.5,
            max: 1.0,
        },
        default: DefaultValue::Number(0.0),
        default_index: Indexation::None,
        doc: "nominal growth of earnings and of wage-indexed parameters, per year (rules 9)",
    },
    ParamDef {
        name: "price_growth_rate",
        kind: ParamKind::Number {
            min: -0.5,
            max: 1.0,
        },
        default: DefaultValue::Number(0.0),
        default_index: Indexation::None,
        doc: "consumer price growth, indexes price-indexed parameters, per year (rules 9)",
    },
    ParamDef {
        name: "rural_income_growth_rate",
        kind: ParamKind::Number {
            min: -0.5,
            max: 1.0,
        },
        default: DefaultValue::Number(0.0),
        default_index: Indexation::None,
        doc: "nominal growth of farmers' earnings and rural other income, per year (rules 9)",
    },
    ParamDef {
        name: "farmer_old_age_factor",
        kind: ParamKind::Number { min: 0.0, max: 1.0 },
        default: DefaultValue::Number(1.0),
        default_index: Indexation::None,
        doc: "yearly factor on farmers' earnings after 60 (1 = no decline) (rules 9)",
    },
    ParamDef {
        name: "earnings_shock_sd",
        kind: ParamKind::Number { min: 0.0, max: 2.0 },
        default: DefaultValue::Number(0.0),
        default_index: Indexation::None,
        doc: "standard deviation of the transitory log-earnings shock (rules 9)",
    },
    ParamDef {
        name: "mortality_improvement_rate",
        kind: ParamKind::Number { min: 0.0, max: 0.2 },
        default: DefaultValue::Number(0.0),
        default_index: Indexation::None,
        doc: "yearly proportional fall of death probabilities since the start year (rules 9)",
    },
    ParamDef {
        name: "disability_mortality_ratio",
        kind: ParamKind::Number {
            min: 1.0,
            max: 20.0,
        },
        default: DefaultValue::Number(1.0),
        default_index: Indexation::None,
        doc: "death-probability multiple for disability grade 3 (rules 9)",
    },
    ParamDef {
        name: "life_table_q_male",
        kind: ParamKind::NumberByAge { min: 0.0, max: 1.0 },
        default: DefaultValue::Table(&[]),
        default_index: Indexation::None,
        doc: "men's death probability by age band; empty = Gompertz-Makeham fit (rules 9)",
    },
    ParamDef {
        name: "life_table_q_female",
        kind: ParamKind::NumberByAge { min: 0.0, max: 1.0 },
        default: DefaultValue::Table(&[]),
        default_index: Indexation::None,
        doc: "women's death probability by age band; empty = Gompertz-Makeham fit (rules 9)",
    },
    ParamDef {
        name: "total_fertility_rate",
        kind: ParamKind::Number { min: 0.0, max: 8.0 },
        default: DefaultValue::Number(0.0),
        default_index: Indexation::None,
        doc: "births per woman over ages 15-49 (rules 9)",
    },
    ParamDef {
        name: "urbanisation_rate_annual",
        kind: ParamKind::Number { min: 0.0, max: 1.0 },
        default: DefaultValue::Number(0.0),
        default_index: Indexation::None,
        doc: "probability that a rural household with a member aged 16-59 moves to urban residence, per year (rules 9)",
    },
    ParamDef {
        name: "disability_onset_rate",
        kind: ParamKind::NumberByAge { min: 0.0, max: 1.0 },
        default: DefaultValue::Table(&[]),
        default_index: Indexation::None,
        doc: "probability of moving from no disability to grade 1, by age band, per year (rules 9)",
    },
    ParamDef {
        name: "disability_progression_rate",
        kind: ParamKind::NumberByAge { min: 0.0, max: 1.0 },
        default: DefaultValue::Table(&[]),
        default_index: Indexation::None,
        doc: "probability of moving up one grade (1->2, 2->3), by age band, per year (rules 9)",
    },
    ParamDef {
        name: "disability_recovery_rate",
        kind: ParamKind::Number { min: 0.0, max: 1.0 },
        default: DefaultValue::Number(0.0),
        default_index: Indexation::None,
        doc: "probability of moving down one grade, per year (rules 9)",
    },
    ParamDef {
        name: "pension_indexation",
        kind: ParamKind::Number {
            min: -0.5,
            max: 1.0,
        },
        default: DefaultValue::Number(0.0),
        default_index: Indexation::None,
        doc: "yearly indexation of employee pensions in payment, from the second simulated year (rules 3.2)",
    },
    ParamDef {
        name: "retirement_reform_2025",
        kind: ParamKind::Flag,
        default: DefaultValue::Flag(false),
        default_index: Indexation::None,
        doc: "apply the 2025 gradual retirement-age reform by birth cohort (rules 3.2)",
    },
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
    /// Whether the 2025 retirement reform applies.
    pub retirement_reform_2025: bool,
    /// Pre-reform retirement ages: men, women workers, women cadres (rules 3.2).
    pub retirement_ages: [u32; 3],
    /// Yearly indexation of pensions in payment (rules 3.2 `pension_indexation`).
    pub pension_indexation_rate: f64,
}

impl DynamicsParams {
    /// Builds the parameters of a year `years_since_start` after the start year.
    pub fn from_resolved(r: &ResolvedParams, years_since_start: u32) -> Self {
        DynamicsParams {
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
            retirement_reform_2025: r.flag("retirement_reform_2025"),
            retirement_ages: [
                r.number("retirement_age_male") as u32,
                r.number("retirement_age_female") as u32,
                r.number("retirement_age_female_cadre") as u32,
            ],
            pension_indexation_rate: r.number("pension_indexation"),
        }
    }

    /// Yearly birth probability of a woman aged `age`.
    #[inline]
    fn birth_probability(&self, age: u8) -> f64 {
        if !(15..=49).contains(&age) {
            return 0.0;
        }
        self.total_fertility_rate * FERTILITY_SHAPE[usize::from((age - 15) / 5)] / 5.0
    }
}

/// Who enters the labour market at [`LABOUR_ENTRY_AGE`], for one region and residence: status
/// shares and mean earnings by status, taken from people aged 20-29 of the start population and
/// grown each year with the residence's earnings growth.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryModel {
    /// Cumulative shares over employee, flexible, farmer, not working.
    pub cumulative_shares: [f64; 4],
    /// Mean earnings of positive earners by status (employee, flexible, farmer), yuan/year.
    pub mean_earnings_yearly: [f64; 3],
}

const ENTRY_STATUSES: [Employment; 4] = [
    Employment::Employee,
    Employment::Flexible,
    Employment::Farmer,
    Employment::NotWorking,
];

impl EntryModel {
    /// Estimates the models of every (region, residence) from a population (weighted, ages 20-29).
    /// A cell with no people aged 20-29 falls back to the national cell of its residence.
    pub fn estimate(
        persons: &Persons,
        households: &Households,
        regions: usize,
    ) -> Vec<[EntryModel; 2]> {
        let mut share_w = vec![[[0.0f64; 4]; 2]; regions + 1];
        let mut earn = vec![[[(0.0f64, 0.0f64); 3]; 2]; regions + 1];
        for h in 0..households.len() {
            let (w, r, res) = (
                households.weight[h],
                households.region[h] as usize,
                households.residence[h].index(),
            );
            for i in households.members(h) {
                if !(20..=29).contains(&persons.age[i]) {
                    continue;
                }
                let Some(s) = ENTRY_STATUSES
                    .iter()
                    .position(|&e| e == persons.employment[i])
                else {
                    continue;
                };
                for cell in [r, regions] {
                    share_w[cell][res][s] += w;
                    if s < 3 && persons.earnings_yearly[i] > 0.0 {
                        earn[cell][res][s].0 += w * persons.earnings_yearly[i];
                        earn[cell][res][s].1 += w;
                    }
                }
            }
        }
        let model = |cell: usize, res: usize| -> Option<EntryModel> {
            let total: f64 = share_w[cell][res].iter().sum();
            if total <= 0.0 {
                return None;
            }
            let mut cum = [0.0; 4];
            let mut acc = 0.0;
            for s in 0..4 {
                acc += share_w[cell][res][s] / total;
                cum[s] = acc;
            }
            let mean = std::array::from_fn(|s| {
                let (num, den) = earn[cell][res][s];
                if den > 0.0 { num / den } else { 0.0 }
            });
            Some(EntryModel {
                cumulative_shares: cum,
                mean_earnings_yearly: mean,
            })
        };
        let fallback = EntryModel {
            cumulative_shares: [0.0, 0.0, 0.0, 1.0],
            mean_earnings_yearly: [0.0; 3],
        };
        (0..regions)
            .map(|r| {
                std::array::from_fn(|res| {
                    model(r, res)
                        .or_else(|| model(regions, res))
                        .unwrap_or_else(|| fallback.clone())
                })
            })
            .collect()
    }

    /// Grows mean earnings by one year of the residence's growth.
    pub fn grow(&mut self, p: &DynamicsParams) {
        let g = [
            p.wage_growth_rate,
            p.wage_growth_rate,
            p.rural_income_growth_rate,
        ];
        for (m, g) in self.mean_earnings_yearly.iter_mut().zip(g) {
            *m *= 1.0 + g;
        }
    }
}

/// What a year's dynamics did in a chunk, weighted (persons represented), as exact sums so that
/// totals over chunks do not depend on the chunking.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemographicCounts {
    /// Deaths.
    pub deaths: ExactSum,
    /// Births.
    pub births: ExactSum,
    /// Persons in households that moved from rural to urban residence.
    pub migrants: ExactSum,
    /// Employees who retired.
    pub retirements: ExactSum,
}

impl DemographicCounts {
    /// Adds another chunk's counts.
    pub fn merge(&mut self, other: &DemographicCounts) {
        self.deaths += other.deaths;
        self.births += other.births;
        self.migrants += other.migrants;
        self.retirements += other.retirements;
    }
}

/// Identifies the year, run and replication of the draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DrawContext {
    /// Calendar year being simulated.
    pub year: i32,
    /// Master seed of the run.
    pub seed: u64,
    /// Replication number.
    pub replication: u32,
}

impl DrawContext {
    #[inline]
    fn key(&self, entity: u64, purpose: Purpose) -> StreamKey {
        StreamKey {
            seed: self.seed,
            replication: self.replication,
            entity,
            year: self.year,
            purpose,
        }
    }
}

/// Id of a newborn: the top bit set (never an id of a population file, which are below 2^63 in
/// practice) and 63 bits of a hash of the mother's id and the year; a mother has at most one birth
/// a year, and a collision among 10 million births has a probability near 1e-5.
pub fn newborn_id(mother_id: u64, year: i32) -> u64 {
    let key = StreamKey {
        seed: mother_id,
        replication: 0,
        entity: mother_id,
        year,
        purpose: Purpose::NewbornTraits,
    };
    (1u64 << 63) | (key.hash() >> 1)
}

/// One year of dynamics for a chunk: reads `prev`, writes the next year's chunk into `next`.
/// `params[region][residence]` and `entry[region][residence]` are indexed like the population's
/// regions. Returns what happened, weighted.
pub fn step(
    prev_persons: &Persons,
    prev_households: &Households,
    next_persons: &mut Persons,
    next_households: &mut Households,
    params: &[[DynamicsParams; 2]],
    entry: &[[EntryModel; 2]],
    draws: DrawContext,
) -> DemographicCounts {
    next_persons.clear();
    next_households.clear();
    let mut counts = DemographicCounts::default();
    for h in 0..prev_households.len() {
        let region = prev_households.region[h] as usize;
        let residence = prev_households.residence[h];
        let p = &params[region][residence.index()];
        let weight = prev_households.weight[h];
        let new_row = next_households.len() as u32;
        let first = next_persons.len();
        // Ageing, deaths and disability transitions of the members.
        for i in prev_households.members(h) {
            let id = prev_persons.person_id[i];
            let age = prev_persons.age[i];
            let sex = prev_persons.sex[i];
            let grade = prev_persons.disability_grade[i];
            if age >= MAX_AGE {
                counts.deaths += weight;
                continue;
            }
            let new_age = age + 1;
            let ratio = if grade == 3 {
                p.disability_mortality_ratio
            } else {
                1.0
            };
            if draws.key(id, Purpose::Mortality).stream().uniform()
                < p.life_table.q(sex, new_age, ratio)
            {
                counts.deaths += weight;
                continue;
            }
            next_persons.push_from(prev_persons, i, new_row);
            let j = next_persons.len() - 1;
            next_persons.age[j] = new_age;
            next_persons.disability_grade[j] = disability_transition(
                p,
                grade,
                new_age,
                draws.key(id, Purpose::Disability).stream().uniform(),
            );
        }
        // Births to surviving women; newborns join the household after its members.
        let survivors_end = next_persons.len();
        for j in first..survivors_end {
            if next_persons.sex[j] != Sex::Female {
                continue;
            }
            let mother = next_persons.person_id[j];
            if draws.key(mother, Purpose::Fertility).stream().uniform()
                < p.birth_probability(next_persons.age[j])
            {
                let boy = draws
                    .key(mother, Purpose::NewbornSex)
                    .stream()
                    .bernoulli(MALE_BIRTH_PROBABILITY);
                let hukou = next_persons.hukou[j];
                next_persons.push_newborn(
                    newborn_id(mother, draws.year),
                    new_row,
                    if boy { Sex::Male } else { Sex::Female },
                    hukou,
                );
                counts.births += weight;
            }
        }
        if next_persons.len() == first {
            continue; // every member died: the household leaves the population
        }
        next_households.push_from(prev_households, h);
        next_households.close(next_persons.len());
        // Migration of rural households with a working-age member (keeps hukou; leaves its collective).
        let members = first..next_persons.len();
        if residence == Residence::Rural
            && members
                .clone()
                .any(|j| (16..=59).contains(&next_persons.age[j]))
            && draws
                .key(prev_households.household_id[h], Purpose::Migration)
                .stream()
                .uniform()
                < p.urbanisation_rate_annual
        {
            let hh = next_households.len() - 1;
            next_households.residence[hh] = Residence::Urban;
            next_households.collective[hh] = NO_COLLECTIVE;
            counts.migrants += weight * members.len() as f64;
        }
        for j in members {
            counts.retirements +=
                weight * f64::from(u8::from(retire_if_due(next_persons, j, p, &draws)));
            update_earnings(
                next_persons,
                j,
                p,
                residence,
                &entry[region][residence.index()],
                draws,
            );
        }
    }
    counts
}

/// New disability grade from one uniform draw: onset (0 -> 1), progression (g -> g + 1) or
/// recovery (g -> g - 1), by age band.
#[inline]
fn disability_transition(p: &DynamicsParams, grade: u8, age: u8, u: f64) -> u8 {
    if grade == 0 {
        let onset = band_lookup(&p.disability_onset_rate, u32::from(age)).unwrap_or(0.0);
        return u8::from(u < onset);
    }
    let up = if grade < 3 {
        band_lookup(&p.disability_progression_rate, u32::from(age)).unwrap_or(0.0)
    } else {
        0.0
    };
    if u < up {
        grade + 1
    } else if u < up + p.disability_recovery_rate {
        grade - 1
    } else {
        grade
    }
}

/// Retires an employee who has reached the statutory age this year (in the calendar year where
/// the person's drawn birth month plus the statutory age falls): no earnings from now on and a
/// zero `current_pension_yearly`, which the employee-pension rule fills with the at-retirement
/// benefit (rules 10). Returns whether the person retired.
fn retire_if_due(persons: &mut Persons, j: usize, p: &DynamicsParams, draws: &DrawContext) -> bool {
    if persons.employment[j] != Employment::Employee {
        return false;
    }
    let retirement_age = retirement::person_retirement_age_years(
        draws.year - i32::from(persons.age[j]),
        retirement::birth_month(draws.seed, draws.replication, persons.person_id[j]),
        persons.sex[j],
        persons.cadre[j],
        p.retirement_ages,
        p.retirement_reform_2025,
    );
    if persons.age[j] < retirement_age {
        return false;
    }
    persons.employment[j] = Employment::Retired;
    persons.pension_scheme[j] = PensionScheme::Employee;
    persons.earnings_yearly[j] = 0.0;
    persons.current_pension_yearly[j] = 0.0;
    true
}

/// Earnings, other income, pension indexation, labour-market entry and scheme membership.
fn update_earnings(
    persons: &mut Persons,
    j: usize,
    p: &DynamicsParams,
    residence: Residence,
    entry: &EntryModel,
    draws: DrawContext,
) {
    let id = persons.person_id[j];
    let age = persons.age[j];
    let growth_other = match residence {
        Residence::Urban => p.wage_growth_rate,
        Residence::Rural => p.rural_income_growth_rate,
    };
    persons.other_income_yearly[j] *= 1.0 + growth_other;
    if persons.current_pension_yearly[j] > 0.0 {
        persons.current_pension_yearly[j] *= 1.0 + p.pension_indexation_rate;
    }
    let employment = persons.employment[j];
    let earner = matches!(
        employment,
        Employment::Employee | Employment::Flexible | Employment::Farmer
    );
    if earner && persons.earnings_yearly[j] > 0.0 {
        let growth = if employment == Employment::Farmer {
            p.rural_income_growth_rate
        } else {
            p.wage_growth_rate
        };
        let a = f64::from(age);
        let profile = AGE_PROFILE_LINEAR + AGE_PROFILE_QUADRATIC * (2.0 * a - 1.0);
        let shock = if p.earnings_shock_sd > 0.0 {
            let now = draws
                .key(id, Purpose::EarningsShock)
                .stream()
                .standard_normal();
            let before = DrawContext {
                year: draws.year - 1,
                ..draws
            }
            .key(id, Purpose::EarningsShock)
            .stream()
            .standard_normal();
            p.earnings_shock_sd * (now - before)
        } else {
            0.0
        };
        let old_age = if employment == Employment::Farmer && age > 60 {
            p.farmer_old_age_factor
        } else {
            1.0
        };
        persons.earnings_yearly[j] *= (1.0 + growth) * (profile + shock).exp() * old_age;
    } else if age == LABOUR_ENTRY_AGE
        && matches!(employment, Employment::Student | Employment::NotWorking)
        && persons.earnings_yearly[j] == 0.0
    {
        let mut s = draws.key(id, Purpose::LabourEntry).stream();
        let status = ENTRY_STATUSES[s.pick_cumulative(&entry.cumulative_shares)];
        persons.employment[j] = status;
        if status != Employment::NotWorking {
            // Employee, Flexible and Farmer are 0, 1, 2: the order of `mean_earnings_yearly`.
            let mean = entry.mean_earnings_yearly[status as usize];
            let z = s.standard_normal();
            persons.earnings_yearly[j] = mean
                * (ENTRANT_EARNINGS_SD * z - ENTRANT_EARNINGS_SD * ENTRANT_EARNINGS_SD / 2.0).exp();
        }
        persons.pension_scheme[j] = if status == Employment::Employee {
            PensionScheme::Employee
        } else {
            PensionScheme::Resident
        };
    }
    if persons.pension_scheme[j] == PensionScheme::None
        && age >= 16
        && persons.employment[j] != Employment::Student
    {
        persons.pension_scheme[j] = PensionScheme::Resident;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::population::testkit::{HouseholdRow, PersonRow, build};
    use crate::population::{Population, Residence};

    fn params() -> DynamicsParams {
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
            retirement_reform_2025: false,
            retirement_ages: [60, 50, 55],
            pension_indexation_rate: 0.0,
        }
    }

    fn entry() -> EntryModel {
        EntryModel {
            cumulative_shares: [0.5, 0.5, 0.5, 1.0],
            mean_earnings_yearly: [50_000.0, 0.0, 0.0],
        }
    }

    fn run(
        pop: &Population,
        p: &DynamicsParams,
        year: i32,
    ) -> (Persons, Households, DemographicCounts) {
        let (mut np, mut nh) = (Persons::default(), Households::default());
        let c = step(
            &pop.persons,
            &pop.households,
            &mut np,
            &mut nh,
            &[[p.clone(), p.clone()]],
            &[[entry(), entry()]],
            DrawContext {
                year,
                seed: 1,
                replication: 0,
            },
        );
        (np, nh, c)
    }

    fn many(n: usize, row: PersonRow, residence: Residence) -> Population {
        let hh: Vec<HouseholdRow> = (0..n)
            .map(|_| HouseholdRow::new(residence, 1.0, vec![row.clone()]))
            .collect();
        build(&["national"], 0, &hh)
    }

    /// 40,000 men aged 79 become 80: the share who die is q(80) of the male fit within 4 standard
    /// errors; the dead leave and their one-person households with them.
    #[test]
    fn deaths_follow_the_life_table_and_empty_households_leave() {
        let n = 40_000;
        let pop = many(
            n,
            PersonRow {
                age: 79,
                ..Default::default()
            },
            Residence::Urban,
        );
        let (np, nh, c) = run(&pop, &params(), 2023);
        let q = mortality::GOMPERTZ_MALE.q(80);
        let died = (n - np.len()) as f64 / n as f64;
        assert!(
            (died - q).abs() < 4.0 * (q * (1.0 - q) / n as f64).sqrt(),
            "died {died}, q {q}"
        );
        assert_eq!(nh.len(), np.len());
        assert_eq!(c.deaths.value(), (n - np.len()) as f64);
        assert!(np.age.iter().all(|&a| a == 80));
    }

    /// Women aged 26 with a total fertility rate of 1: birth probability 0.38 / 5 = 0.076 a year;
    /// newborns are age 0, in their mother's household, right after its members.
    #[test]
    fn births_follow_fertility_and_join_the_mother() {
        let n = 40_000;
        let pop = many(
            n,
            PersonRow {
                age: 26,
                sex: Sex::Female,
                ..Default::default()
            },
            Residence::Rural,
        );
        let p = DynamicsParams {
            total_fertility_rate: 1.0,
            ..params()
        };
        let (np, nh, c) = run(&pop, &p, 2023);
        let births = np.age.iter().filter(|&&a| a == 0).count();
        let rate = births as f64 / n as f64;
        assert!(
            (rate - 0.076).abs() < 4.0 * (0.076 * 0.924 / n as f64).sqrt(),
            "birth rate {rate}"
        );
        assert_eq!(c.births.value(), births as f64);
        for h in 0..nh.len() {
            let m = nh.members(h);
            if m.len() == 2 {
                assert_eq!((np.age[m.start], np.age[m.start + 1]), (27, 0));
                assert_eq!(
                    np.person_id[m.start + 1],
                    newborn_id(np.person_id[m.start], 2023)
                );
                assert_eq!(np.hukou[m.start + 1], Residence::Rural);
            }
        }
    }

    /// An employee man of 59 turns 60 and retires without the reform; with it (born 1963, before
    /// the first affected cohort of 1965) he retires too; a man born 1975 reaching 60 in 2035 with
    /// the reform does not (his age is 62 years 7 to 9 months).
    #[test]
    fn retirement_at_statutory_age_with_and_without_reform() {
        let worker = |age| PersonRow {
            age,
            employment: Employment::Employee,
            earnings: 80_000.0,
            ..Default::default()
        };
        let pop = many(1, worker(59), Residence::Urban);
        let (np, _, c) = run(&pop, &params(), 2023);
        assert_eq!(
            (
                np.employment[0],
                np.earnings_yearly[0],
                c.retirements.value()
            ),
            (Employment::Retired, 0.0, 1.0)
        );
        let reform = DynamicsParams {
            retirement_reform_2025: true,
            ..params()
        };
        let (np, _, _) = run(&pop, &reform, 2023);
        assert_eq!(np.employment[0], Employment::Retired);
        let (np, _, _) = run(&pop, &reform, 2035);
        assert_eq!(np.employment[0], Employment::Employee);
    }

    /// Men born 1970 turn 61 in 2031. With the reform, those born January-April wait 16 months
    /// (60 + b months after January 1965, / 4, + 1), May-August 17, September-December 18: the
    /// statutory age falls in 2031 for birth months b with b + 736 < 744 (b = 0..3), b + 737 < 744
    /// (b = 4..6) or b + 738 < 744 (none), so 7/12 of them retire at 61 and 5/12 at 62; within 4
    /// standard errors of sqrt(7/12 x 5/12 / 20 000) = 0.0035. Without it, all retire at 60.
    #[test]
    fn a_cohort_retires_over_two_years_as_its_birth_months_say() {
        let n = 20_000;
        let worker = |age| PersonRow {
            age,
            employment: Employment::Employee,
            earnings: 80_000.0,
            ..Default::default()
        };
        let reform = DynamicsParams {
            retirement_reform_2025: true,
            ..params()
        };
        let pop = many(n, worker(60), Residence::Urban);
        let (np, _, c) = run(&pop, &reform, 2031);
        let share = c.retirements.value() / np.len() as f64;
        let se = (7.0 / 12.0 * 5.0 / 12.0 / n as f64).sqrt();
        assert!((share - 7.0 / 12.0).abs() < 4.0 * se, "{share}");
        let (np, _, c) = run(&many(n, worker(59), Residence::Urban), &params(), 2031);
        assert_eq!(c.retirements.value(), np.len() as f64);
        assert!(np.employment.iter().all(|&e| e == Employment::Retired));
    }

    /// A male workforce with 400 employees at each age 40..59 in 2024 is followed to 2040 with
    /// the reform: men's schedule delays 1 month per 4 months of birth, so 12 calendar months of
    /// retirements take 9 or 10 months of births (12 / 1.25 = 9.6), 0.75 to 0.83 of a cohort less
    /// deaths (a few percent by 60), give or take 4 standard errors, 4 x sqrt(0.8 x 0.2 / 400) =
    /// 0.08; no year of the transition is without retirements (whole-year
    /// rounding left 2027, 2032 and 2037 empty). Without the reform, one whole cohort retires each
    /// year, less deaths.
    #[test]
    fn every_year_of_the_reform_has_retirements() {
        let per_age = 400;
        let rows: Vec<HouseholdRow> = (40..60)
            .flat_map(|age| (0..per_age).map(move |_| age))
            .map(|age| {
                let row = PersonRow {
                    age,
                    employment: Employment::Employee,
                    earnings: 80_000.0,
                    ..Default::default()
                };
                HouseholdRow::new(Residence::Urban, 1.0, vec![row])
            })
            .collect();
        let pop = build(&["national"], 0, &rows);
        for (reform, low, high) in [(true, 0.6, 0.92), (false, 0.9, 1.0)] {
            let p = DynamicsParams {
                retirement_reform_2025: reform,
                ..params()
            };
            let (mut persons, mut households) = (pop.persons.clone(), pop.households.clone());
            let (mut np, mut nh) = (Persons::default(), Households::default());
            for year in 2025..=2040 {
                let c = step(
                    &persons,
                    &households,
                    &mut np,
                    &mut nh,
                    &[[p.clone(), p.clone()]],
                    &[[entry(), entry()]],
                    DrawContext {
                        year,
                        seed: 3,
                        replication: 0,
                    },
                );
                let share = c.retirements.value() / f64::from(per_age);
                // 2025 and 2040 are the ends of the schedule, not wholly inside it.
                let (low, high) = if reform && (year == 2025 || year == 2040) {
                    (0.6, 1.0)
                } else {
                    (low, high)
                };
                assert!(
                    (low..=high).contains(&share),
                    "reform {reform} {year}: {share}"
                );
                std::mem::swap(&mut persons, &mut np);
                std::mem::swap(&mut households, &mut nh);
            }
        }
    }

    /// Without shocks, earnings grow by (1 + g) x exp(f(a) - f(a - 1)): at 31 the profile step is
    /// 0.06 - 0.000667 x 61 = 0.019313.
    #[test]
    fn earnings_grow_with_wages_and_the_age_profile() {
        let pop = many(
            1,
            PersonRow {
                age: 30,
                employment: Employment::Flexible,
                earnings: 40_000.0,
                other_income: 1_000.0,
                ..Default::default()
            },
            Residence::Urban,
        );
        let p = DynamicsParams {
            wage_growth_rate: 0.05,
            ..params()
        };
        let (np, _, _) = run(&pop, &p, 2023);
        let expected = 40_000.0 * 1.05 * (0.06f64 - 0.000_667 * 61.0).exp();
        assert!(
            (np.earnings_yearly[0] - expected).abs() < 1e-9,
            "{} vs {expected}",
            np.earnings_yearly[0]
        );
        assert!((np.other_income_yearly[0] - 1_050.0).abs() < 1e-9);
    }

    /// Rural households with a working-age member move with the given probability; they keep hukou
    /// and leave their collective. A household of two 70-year-olds never moves.
    #[test]
    fn migration_moves_working_age_rural_households_only() {
        let n = 20_000;
        let young: Vec<HouseholdRow> = (0..n)
            .map(|_| HouseholdRow {
                collective: 0,
                ..HouseholdRow::new(
                    Residence::Rural,
                    1.0,
                    vec![PersonRow {
                        age: 30,
                        ..Default::default()
                    }],
                )
            })
            .collect();
        let pop = build(&["national"], 1, &young);
        let p = DynamicsParams {
            urbanisation_rate_annual: 0.1,
            ..params()
        };
        let (np, nh, _) = run(&pop, &p, 2023);
        let moved = nh
            .residence
            .iter()
            .filter(|&&r| r == Residence::Urban)
            .count() as f64
            / nh.len() as f64;
        assert!(
            (moved - 0.1).abs() < 4.0 * (0.09f64 / n as f64).sqrt(),
            "moved {moved}"
        );
        for h in 0..nh.len() {
            if nh.residence[h] == Residence::Urban {
                assert_eq!(nh.collective[h], NO_COLLECTIVE);
                assert_eq!(np.hukou[nh.members(h).start], Residence::Rural);
            }
        }
        let old = many(
            2_000,
            PersonRow {
                age: 70,
                ..Default::default()
            },
            Residence::Rural,
        );
        let (_, nh, _) = run(&old, &p, 2023);
        assert!(nh.residence.iter().all(|&r| r == Residence::Rural));
    }

    #[test]
    fn labour_entry_at_twenty_and_scheme_at_sixteen() {
        let pop = build(
            &["national"],
            0,
            &[HouseholdRow::new(
                Residence::Urban,
                1.0,
                vec![
                    PersonRow {
                        age: 19,
                        employment: Employment::Student,
                        ..Default::default()
                    },
                    PersonRow {
                        age: 15,
                        employment: Employment::NotWorking,
                        ..Default::default()
                    },
                ],
            )],
        );
        assert_eq!(pop.persons.pension_scheme[1], PensionScheme::None);
        let (np, _, _) = run(&pop, &params(), 2023);
        // Entry shares: half employees at 50,000 mean, half not working.
        assert!(matches!(
            np.employment[0],
            Employment::Employee | Employment::NotWorking
        ));
        assert_eq!(
            np.employment[0] == Employment::Employee,
            np.earnings_yearly[0] > 0.0
        );
        assert_eq!(
            np.pension_scheme[1],
            PensionScheme::Resident,
            "16-year-old not in school joins the resident scheme"
        );
    }

    /// Every stem the dynamics read is registered: building from the registry's defaults works.
    #[test]
    fn dynamics_params_build_from_registry_defaults() {
        let p = DynamicsParams::from_resolved(&ResolvedParams::defaults(), 3);
        assert_eq!(p.retirement_ages, [60, 50, 55]);
        assert_eq!(p.pension_indexation_rate, 0.0);
    }

    #[test]
    fn disability_transitions_follow_rates() {
        let p = DynamicsParams {
            disability_onset_rate: vec![(60, 0.1)],
            disability_progression_rate: vec![(60, 0.2)],
            disability_recovery_rate: 0.05,
            ..params()
        };
        assert_eq!(
            disability_transition(&p, 0, 50, 0.0),
            0,
            "no onset below the lowest band"
        );
        assert_eq!(disability_transition(&p, 0, 70, 0.099), 1);
        assert_eq!(disability_transition(&p, 0, 70, 0.1), 0);
        assert_eq!(disability_transition(&p, 1, 70, 0.19), 2);
        assert_eq!(disability_transition(&p, 2, 70, 0.24), 1);
        assert_eq!(
            disability_transition(&p, 3, 70, 0.04),
            2,
            "grade 3 cannot progress, may recover"
        );
        assert_eq!(disability_transition(&p, 3, 70, 0.5), 3);
    }

    #[test]
    fn step_is_deterministic_and_reuses_buffers() {
        let pop = many(
            5_000,
            PersonRow {
                age: 70,
                sex: Sex::Female,
                ..Default::default()
            },
            Residence::Rural,
        );
        let p = DynamicsParams {
            disability_onset_rate: vec![(60, 0.1)],
            ..params()
        };
        let (a, _, _) = run(&pop, &p, 2030);
        let (b, _, _) = run(&pop, &p, 2030);
        assert!(
            a.person_id == b.person_id && a.disability_grade == b.disability_grade,
            "same draws, same year"
        );
        let (c, _, _) = run(&pop, &p, 2031);
        assert!(
            a.person_id != c.person_id || a.disability_grade != c.disability_grade,
            "another year draws differently"
        );
    }
}
