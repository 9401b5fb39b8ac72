//! Statutory retirement age, including the 2025 gradual reform by birth cohort and sex
//! (全国人大常委会关于实施渐进式延迟法定退休年龄的决定, 2024; calibration_targets.toml
//! `retirement_reform_2025`): from 2025-01-01 over 15 years, men 60 -> 63 and women cadres
//! 55 -> 58 (+1 month per 4 months of birth cohort), women workers 50 -> 55 (+1 month per 2 months).

use crate::population::Sex;

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

/// Statutory retirement age in months for a person born in `birth_year` (birth month unknown:
/// mid-year, June, is assumed). Without the reform, the pre-2025 ages given by the scenario
/// parameters (`base_age_*`) apply; with it, the delay of the cohort is added to the schedule's age.
pub fn statutory_age_months(
    birth_year: i32,
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
    // Months from January of the first affected cohort to June of `birth_year`.
    let months_after = (birth_year - schedule.first_cohort) * 12 + 5;
    let delay = if months_after < 0 {
        0
    } else {
        (months_after as u32 / schedule.cohort_months_per_month + 1).min(schedule.max_delay_months)
    };
    schedule.base_age * 12 + delay
}

/// Whole-year age at which a person retires in an annual model: the statutory age rounded to the
/// nearest year (six months or more round up).
pub fn retirement_age_years(statutory_months: u32) -> u8 {
    ((statutory_months + 6) / 12) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: [u32; 3] = [60, 50, 55];

    #[test]
    fn before_the_reform_cohorts_keep_old_ages() {
        assert_eq!(
            statutory_age_months(1960, Sex::Male, false, BASE, true),
            720
        );
        assert_eq!(
            statutory_age_months(1970, Sex::Female, false, BASE, true),
            600
        );
        assert_eq!(
            statutory_age_months(1965, Sex::Female, true, BASE, true),
            660
        );
        assert_eq!(
            statutory_age_months(1990, Sex::Male, false, BASE, false),
            720
        );
    }

    #[test]
    fn reform_schedule_by_cohort() {
        // Men born June 1965: 5 months after January 1965 -> 5/4 + 1 = 2 months of delay.
        assert_eq!(
            statutory_age_months(1965, Sex::Male, false, BASE, true),
            722
        );
        // Men born June 1970: 65 months -> 16 + 1 = 17 months: 61 years 5 months -> retire at 61.
        assert_eq!(
            statutory_age_months(1970, Sex::Male, false, BASE, true),
            737
        );
        assert_eq!(retirement_age_years(737), 61);
        // Men born 1980: capped at 36 months: 63.
        assert_eq!(
            statutory_age_months(1980, Sex::Male, false, BASE, true),
            756
        );
        // Women workers born June 1980: 65 months / 2 + 1 = 33 months: 52 years 9 months -> 53.
        assert_eq!(
            statutory_age_months(1980, Sex::Female, false, BASE, true),
            633
        );
        assert_eq!(retirement_age_years(633), 53);
        // Women workers born 1990: capped at 60 months: 55.
        assert_eq!(
            statutory_age_months(1990, Sex::Female, false, BASE, true),
            660
        );
        // Women cadres born 1985: capped at 36 months: 58.
        assert_eq!(
            statutory_age_months(1985, Sex::Female, true, BASE, true),
            696
        );
    }
}
