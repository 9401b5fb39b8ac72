//! Statutory retirement age (法定退休年龄), including the 2025 gradual reform by birth cohort and sex
//! (全国人大常委会关于实施渐进式延迟法定退休年龄的决定, 2024; calibration_targets.toml
//! `retirement_reform_2025`): from 2025-01-01 over 15 years, men 60 -> 63 and women cadres
//! 55 -> 58 (+1 month per 4 months of birth cohort), women workers 50 -> 55 (+1 month per 2 months).
//!
//! Ages in the population are whole years (year minus birth year), so each person gets a birth
//! month, one draw per person (`Purpose::BirthMonth`, the same in every scenario and year), and
//! retires in the calendar year in which birth month + statutory age falls.

//!
//! The one home of retirement: the dynamics retire employees in the year this module says
//! (rules.md 9) and the employee pension (rules.md 3.2) retires them the same way in a static
//! year; both read [`RetirementParams`]. Spec: rules.md 3.2 and 10.

use crate::params::{DefaultValue, ParamDef, ParamError, ParamKind, ResolvedParams, YEARS_OF_AGE};
use crate::population::Sex;
use crate::rng::{Purpose, StreamKey};

const RETIREMENT_AGE: (f64, f64) = (40.0, 75.0);

/// Parameters of statutory retirement.
pub const PARAMS: &[ParamDef] = &[
    ParamDef::number(
        "retirement_age_male",
        RETIREMENT_AGE,
        YEARS_OF_AGE,
        60.0,
        "rules.md 3.2",
        "Statutory retirement age of men before the 2025 reform",
    ),
    ParamDef::number(
        "retirement_age_female",
        RETIREMENT_AGE,
        YEARS_OF_AGE,
        50.0,
        "rules.md 3.2",
        "Statutory retirement age of women workers before the 2025 reform",
    ),
    ParamDef::number(
        "retirement_age_female_cadre",
        RETIREMENT_AGE,
        YEARS_OF_AGE,
        55.0,
        "rules.md 3.2",
        "Statutory retirement age of women cadres before the 2025 reform",
    ),
    ParamDef::new(
        "retirement_reform_2025",
        ParamKind::Flag,
        "true/false",
        DefaultValue::Flag(false),
        "rules.md 3.2",
        "Apply the 2025 gradual retirement-age reform by birth cohort",
    ),
];

/// Retirement parameters for one year, region and residence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetirementParams {
    /// Pre-reform ages of men, women workers and women cadres, whole years.
    pub base_ages: [u32; 3],
    /// Whether the 2025 gradual reform applies.
    pub reform_2025: bool,
}

impl RetirementParams {
    /// Reads the parameters (ages are whole years: a fraction is dropped).
    pub fn from_resolved(p: &ResolvedParams) -> Result<Self, ParamError> {
        Ok(RetirementParams {
            base_ages: [
                p.number("retirement_age_male") as u32,
                p.number("retirement_age_female") as u32,
                p.number("retirement_age_female_cadre") as u32,
            ],
            reform_2025: p.flag("retirement_reform_2025"),
        })
    }

    /// Whole-year age (year minus birth year) at which a person born in month `birth_month`
    /// (0 = January) of `birth_year` retires: see [`person_retirement_age_years`].
    pub fn retirement_age_years(
        &self,
        birth_year: i32,
        birth_month: u32,
        sex: Sex,
        cadre: bool,
    ) -> u8 {
        person_retirement_age_years(
            birth_year,
            birth_month,
            sex,
            cadre,
            self.base_ages,
            self.reform_2025,
        )
    }
}

/// Pre-reform ages and the reform's parameters for one group.
struct Schedule {
    /// Age before the reform, years.
    base_age: u32,
    /// First birth year affected (the cohort reaching `base_age` in January 2025).
    first_cohort: i32,
    /// Months of birth cohort per month of delay.
    cohort_months_per_month: u32,
    /// Largest delay, months.
    max_delay_months: u32,
}

const MEN: Schedule = Schedule {
    base_age: 60,
    first_cohort: 1965,
    cohort_months_per_month: 4,
    max_delay_months: 36,
};
const WOMEN_CADRE: Schedule = Schedule {
    base_age: 55,
    first_cohort: 1970,
    cohort_months_per_month: 4,
    max_delay_months: 36,
};
const WOMEN_WORKER: Schedule = Schedule {
    base_age: 50,
    first_cohort: 1975,
    cohort_months_per_month: 2,
    max_delay_months: 60,
};

/// Statutory retirement age in months of a person born in month `birth_month` (0 = January ..
/// 11 = December) of `birth_year`. Without the reform, the pre-2025 ages given by the scenario
/// parameters (`base_ages`: men, women workers, women cadres, years) apply; with it, the delay of
/// the person's birth month is added to the schedule's age (born January-April 1965: 1 month, May-
/// August 1965: 2 months, ...).
pub fn statutory_age_months(
    birth_year: i32,
    birth_month: u32,
    sex: Sex,
    cadre: bool,
    base_ages: [u32; 3],
    reform: bool,
) -> u32 {
    let (schedule, base) = match (sex, cadre) {
        (Sex::Male, _) => (&MEN, base_ages[0]),
        (Sex::Female, false) => (&WOMEN_WORKER, base_ages[1]),
        (Sex::Female, true) => (&WOMEN_CADRE, base_ages[2]),
    };
    if !reform {
        return base * 12;
    }
    // Months from January of the first affected cohort to the birth month.
    let months_after = i64::from(birth_year - schedule.first_cohort) * 12 + i64::from(birth_month);
    let delay = if months_after < 0 {
        0
    } else {
        (months_after as u64 / u64::from(schedule.cohort_months_per_month) + 1)
            .min(u64::from(schedule.max_delay_months)) as u32
    };
    schedule.base_age * 12 + delay
}

/// Whether a member of the employee scheme without a pension in payment starts one this year at
/// age `age` (whole years) with retirement age `retirement_age` (rules.md 10): an employee at or
/// past it retires (in a static year, or in the first year of a run, before any dynamics);
/// someone already retired reaches it this year in a dynamic run (the dynamics retired them, or
/// they left work before the statutory age).
pub fn starts_pension(
    employment: crate::population::Employment,
    age: u8,
    retirement_age: u8,
    static_year: bool,
) -> bool {
    use crate::population::Employment;
    match employment {
        Employment::Employee => age >= retirement_age,
        Employment::Retired => !static_year && age == retirement_age,
        _ => false,
    }
}

/// Whole-year age (calendar year minus birth year) in the year a person born in month
/// `birth_month` (0 = January) reaches a statutory age of `statutory_months`: a statutory age of
/// A years and m months is reached in the year the person turns A when born in the first 12 - m
/// months, the next year otherwise.
fn retirement_age_years(statutory_months: u32, birth_month: u32) -> u8 {
    ((statutory_months + birth_month) / 12).min(u32::from(u8::MAX)) as u8
}

/// Birth month of a person, 0 = January .. 11 = December, uniform over the year: one draw per
/// person (`Purpose::BirthMonth`, year 0), so every scenario and year sees the same month.
pub fn birth_month(seed: u64, replication: u32, person_id: u64) -> u32 {
    let u = StreamKey {
        seed,
        replication,
        entity: person_id,
        year: 0,
        purpose: Purpose::BirthMonth,
    }
    .stream()
    .uniform();
    ((u * 12.0) as u32).min(11)
}

/// Whole-year age (calendar year minus birth year) at which a person retires in a year-by-year
/// simulation: the age in the calendar year the person reaches the statutory age of
/// [`statutory_age_months`]. `base_ages` are the pre-reform ages of men, women workers and women
/// cadres, years; without the reform the result is the base age whatever the birth month.
pub fn person_retirement_age_years(
    birth_year: i32,
    birth_month: u32,
    sex: Sex,
    cadre: bool,
    base_ages: [u32; 3],
    reform: bool,
) -> u8 {
    let months = statutory_age_months(birth_year, birth_month, sex, cadre, base_ages, reform);
    retirement_age_years(months, birth_month)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: [u32; 3] = [60, 50, 55];
    const GROUPS: [(Sex, bool); 3] = [
        (Sex::Male, false),
        (Sex::Female, false),
        (Sex::Female, true),
    ];

    #[test]
    fn before_the_reform_cohorts_keep_old_ages() {
        // Men born December 1964, women workers December 1974, women cadres December 1969: the
        // last cohorts before each schedule starts.
        assert_eq!(
            statutory_age_months(1964, 11, Sex::Male, false, BASE, true),
            720
        );
        assert_eq!(
            statutory_age_months(1974, 11, Sex::Female, false, BASE, true),
            600
        );
        assert_eq!(
            statutory_age_months(1969, 11, Sex::Female, true, BASE, true),
            660
        );
    }

    /// Without the reform every cohort, birth month and group retires at the scenario's base age,
    /// exactly as before birth months existed (also with non-default base ages).
    #[test]
    fn without_the_reform_the_base_ages_apply_whatever_the_birth_month() {
        for base in [BASE, [62, 52, 57]] {
            for (g, &(sex, cadre)) in GROUPS.iter().enumerate() {
                for birth_year in 1930..2020 {
                    for month in 0..12 {
                        assert_eq!(
                            u32::from(person_retirement_age_years(
                                birth_year, month, sex, cadre, base, false
                            )),
                            base[g],
                            "{sex:?} cadre {cadre} born {birth_year}-{month}"
                        );
                    }
                }
            }
        }
    }

    /// The decision's annex tables: men born January-April 1965 retire at 60 years 1 month, May
    /// 1965 at 60 years 2 months, June 1970 at 61 years 5 months (65 months / 4 + 1 = 17), from
    /// September 1976 at 63; women workers January-February 1975 at 50 years 1 month, from
    /// November 1984 at 55 (118 / 2 + 1 = 60); women cadres from September 1981 at 58.
    #[test]
    fn reform_schedule_by_birth_month() {
        let male = |y, m| statutory_age_months(y, m, Sex::Male, false, BASE, true);
        let worker = |y, m| statutory_age_months(y, m, Sex::Female, false, BASE, true);
        let cadre = |y, m| statutory_age_months(y, m, Sex::Female, true, BASE, true);
        assert_eq!(
            [male(1965, 0), male(1965, 3), male(1965, 4)],
            [721, 721, 722]
        );
        assert_eq!(male(1970, 5), 737);
        assert_eq!(
            [male(1976, 7), male(1976, 8), male(1990, 0)],
            [755, 756, 756]
        );
        assert_eq!(
            [worker(1975, 0), worker(1975, 1), worker(1975, 2)],
            [601, 601, 602]
        );
        assert_eq!(
            [worker(1984, 9), worker(1984, 10), worker(1995, 3)],
            [659, 660, 660]
        );
        assert_eq!(
            [cadre(1970, 0), cadre(1981, 7), cadre(1981, 8)],
            [661, 695, 696]
        );
    }

    /// A statutory age of 61 years 3 months (735 months) is reached at 61 by people born January
    /// to September (0 + 735 .. 8 + 735 < 744) and at 62 by those born October to December.
    #[test]
    fn months_past_the_year_move_the_retirement_to_the_next_year() {
        let ages: Vec<u8> = (0..12).map(|m| retirement_age_years(735, m)).collect();
        assert_eq!(ages, [61, 61, 61, 61, 61, 61, 61, 61, 61, 62, 62, 62]);
        assert!((0..12).all(|m| retirement_age_years(720, m) == 60));
    }

    /// Over 100 000 drawn birth months, the share retiring at 62 with a statutory age of 61 years 3
    /// months is 3/12 = 0.25 within 4 standard errors (sqrt(0.25 x 0.75 / 100 000) = 0.00137), and
    /// every month holds 1/12 within 4 standard errors (sqrt(1/12 x 11/12 / 100 000) = 0.00087).
    #[test]
    fn drawn_birth_months_are_uniform() {
        let n = 100_000u64;
        let mut per_month = [0u32; 12];
        let mut at_62 = 0u32;
        for id in 0..n {
            let m = birth_month(7, 0, id);
            per_month[m as usize] += 1;
            at_62 += u32::from(retirement_age_years(735, m) == 62);
        }
        let share = f64::from(at_62) / n as f64;
        assert!(
            (share - 0.25).abs() < 4.0 * (0.25 * 0.75 / n as f64).sqrt(),
            "{share}"
        );
        let se_month = (1.0 / 12.0 * 11.0 / 12.0 / n as f64).sqrt();
        for (m, &c) in per_month.iter().enumerate() {
            let s = f64::from(c) / n as f64;
            assert!((s - 1.0 / 12.0).abs() < 4.0 * se_month, "month {m}: {s}");
        }
    }

    /// One person per birth month of every cohort 1950..1995 (a uniform age distribution): while
    /// men's schedule runs, 12 calendar months of retirements take 12 / (1 + 1/4) = 9.6 months of
    /// births, so every calendar year 2026..2038 sees 9 or 10 of a cohort's 12 persons retire; 2025
    /// sees 9 (born 1965 in month b = 0..8, reaching 721 to 723 months at b + 721..723 < 732) and
    /// 2040, after the schedule, all 12.
    /// Women workers (+1 month per 2) retire 12 / 1.5 = 8 per year, 2026..2038.
    #[test]
    fn every_year_of_the_transition_has_retirements() {
        let per_year = |sex, cadre| {
            let mut count = std::collections::BTreeMap::<i32, u32>::new();
            for birth_year in 1930..2000 {
                for month in 0..12 {
                    let age =
                        person_retirement_age_years(birth_year, month, sex, cadre, BASE, true);
                    *count.entry(birth_year + i32::from(age)).or_default() += 1;
                }
            }
            count
        };
        let men = per_year(Sex::Male, false);
        for year in 2026..=2038 {
            assert!((9..=10).contains(&men[&year]), "men {year}: {}", men[&year]);
        }
        assert_eq!((men[&2024], men[&2025], men[&2040]), (12, 9, 12));
        let women_workers = per_year(Sex::Female, false);
        for year in 2026..=2038 {
            assert_eq!(women_workers[&year], 8, "women workers {year}");
        }
        let women_cadres = per_year(Sex::Female, true);
        for year in 2026..=2038 {
            assert!((9..=10).contains(&women_cadres[&year]), "cadres {year}");
        }
    }
}
