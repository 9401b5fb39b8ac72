//! Retirement (rules.md 9 and 3.2): an employee retires in the year the statutory age of
//! [`crate::retirement`] falls, with no earnings from then on. The dynamics only mark it; the
//! employee pension (rules) moves the person into the scheme's pensioners and computes the pension.

use super::{DrawContext, DynamicsParams};
use crate::population::{Employment, LifeEvents, Persons};
use crate::retirement;

/// Retires employee `j` when the statutory age is reached this year (in the calendar year where
/// the person's drawn birth month plus the statutory age falls): employment `Retired`, no
/// earnings, and the [`LifeEvents::RETIRED`] mark for the rules. Returns whether the person retired.
pub(super) fn retire_if_due(
    persons: &mut Persons,
    j: usize,
    p: &DynamicsParams,
    draws: &DrawContext,
) -> bool {
    if persons.employment[j] != Employment::Employee {
        return false;
    }
    let retirement_age = p.retirement.retirement_age_years(
        draws.year - i32::from(persons.age[j]),
        retirement::birth_month(draws.seed, draws.replication, persons.person_id[j]),
        persons.sex[j],
        persons.cadre[j],
    );
    if persons.age[j] < retirement_age {
        return false;
    }
    persons.employment[j] = Employment::Retired;
    persons.earnings_yearly[j] = 0.0;
    persons.life_events[j].insert(LifeEvents::RETIRED);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamics::testkit::*;
    use crate::dynamics::{DrawContext, step};
    use crate::population::Households;

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
        let reform = reformed();
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
        let reform = reformed();
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
            let p = if reform { reformed() } else { params() };
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
}
