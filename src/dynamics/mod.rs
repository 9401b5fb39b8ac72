//! Life-cycle dynamics of one year (rules 9), applied before the rules (rules 8), one file per
//! event: ageing and deaths ([`mortality`]), disability transitions, births, rural-urban
//! migration, retirement, earnings. Draws come from `rng` keyed by (seed, replication, person or
//! household id, year, purpose), so the demographic path of a run is the same in every scenario
//! (common random numbers) and on any thread count.
//!
//! The dynamics never pay, index or assign anything of a program: they mark what happened to a
//! person ([`LifeEvents`]: retired, entered the labour market) and the pension rules act on it.
//!
//! A chunk of households is rebuilt each year into a second buffer (double buffering): survivors are
//! copied, newborns appended to their mother's household, empty households dropped. Buffers keep
//! their capacity, so a year allocates nothing per person once warm.

mod disability;
mod earnings;
mod fertility;
mod migration;
pub mod mortality;
pub mod params;
mod retirement;

use crate::numeric::ExactSum;
use crate::population::{Households, MAX_AGE, Persons, SEVERE_DISABILITY};
use crate::rng::{Purpose, StreamKey};
pub use earnings::{ENTRANT_EARNINGS_SD, EntryModel, LABOUR_ENTRY_AGE};
pub use fertility::{FERTILITY_SHAPE, MALE_BIRTH_PROBABILITY, newborn_id};
pub use mortality::LifeTable;
pub use params::{DynamicsParams, PARAMS};

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

/// One year of dynamics for a chunk: reads `prev`, writes the next year's chunk into `next`.
/// `params[region][residence]` and `entry[region][residence]` are indexed like the population's
/// regions. Returns what happened, weighted. The order is rules.md 9's: ageing, deaths and
/// disability, births, migration, retirement, earnings.
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
            let ratio = if grade == SEVERE_DISABILITY {
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
            next_persons.disability_grade[j] = disability::disability_transition(
                p,
                grade,
                new_age,
                draws.key(id, Purpose::Disability).stream().uniform(),
            );
        }
        // Births to surviving women; newborns join the household after its members.
        let survivors = first..next_persons.len();
        let births = fertility::give_birth(next_persons, survivors, new_row, p, &draws);
        for _ in 0..births {
            counts.births += weight;
        }
        if next_persons.len() == first {
            continue; // every member died: the household leaves the population
        }
        next_households.push_from(prev_households, h);
        next_households.close(next_persons.len());
        let members = first..next_persons.len();
        let hh = next_households.len() - 1;
        let household_id = prev_households.household_id[h];
        if migration::migrate(
            next_households,
            hh,
            next_persons,
            members.clone(),
            household_id,
            p,
            &draws,
        ) {
            counts.migrants += weight * members.len() as f64;
        }
        let entry = &entry[region][residence.index()];
        for j in members {
            counts.retirements += weight
                * f64::from(u8::from(retirement::retire_if_due(
                    next_persons,
                    j,
                    p,
                    &draws,
                )));
            earnings::update_earnings(next_persons, j, p, residence, entry, draws);
        }
    }
    counts
}

#[cfg(test)]
pub(crate) mod testkit {
    //! Small populations and one-year runs for the event files' tests.
    pub(crate) use super::params::tests::quiet as params;
    use super::*;
    pub(crate) use crate::population::testkit::{HouseholdRow, PersonRow, build};
    pub(crate) use crate::population::{PensionScheme, Population, Residence, Sex};

    /// The quiet parameters with the 2025 retirement reform.
    pub(crate) fn reformed() -> DynamicsParams {
        let mut p = params();
        p.retirement.reform_2025 = true;
        p
    }

    /// Entry shares: half employees at 50,000 mean, half not working.
    pub(crate) fn entry() -> EntryModel {
        EntryModel {
            cumulative_shares: [0.5, 0.5, 0.5, 1.0],
            mean_earnings_yearly: [50_000.0, 0.0, 0.0],
        }
    }

    /// One year of `pop` with `p` everywhere.
    pub(crate) fn run(
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

    /// `n` one-person households of `row`.
    pub(crate) fn many(n: usize, row: PersonRow, residence: Residence) -> Population {
        let hh: Vec<HouseholdRow> = (0..n)
            .map(|_| HouseholdRow::new(residence, 1.0, vec![row.clone()]))
            .collect();
        build(&["national"], 0, &hh)
    }
}

#[cfg(test)]
mod tests {
    use super::testkit::*;
    use super::*;

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
