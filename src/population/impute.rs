//! Imputation of optional population columns that a file may leave out (population.md:
//! contribution years and account balances "imputed"). Used by the file loader and the generator,
//! so both fill gaps the same way. Every rule here is a documented assumption (docs/rules.md,
//! Interpretations), not a policy parameter.

use super::{Employment, PensionScheme};

/// Year the new rural pension scheme began (国发〔2009〕32号): no resident-scheme contributions exist
/// before it.
pub const RESIDENT_SCHEME_START_YEAR: i32 = 2009;

/// Age at which employee-scheme careers are assumed to start.
pub const EMPLOYEE_CAREER_START_AGE: u8 = 22;

/// Age at which resident-scheme contributions may start (rules 3.1: 16 <= age).
pub const RESIDENT_CONTRIBUTION_START_AGE: u8 = 16;

/// Lowest 2014 tier plus its minimum subsidy (国发〔2014〕8号: 100 + 30 yuan/year), the assumed
/// yearly account credit of an imputed resident contributor.
pub const RESIDENT_IMPUTED_CREDIT_YEARLY: f64 = 130.0;

/// Imputed contribution years at `year`: employee-scheme members from age 22 up to 60 (or their
/// current age); resident-scheme members from age 16 up to 60, but not before 2009.
pub fn contribution_years(age: u8, scheme: PensionScheme, year: i32) -> f64 {
    let contributing_age = age.min(60);
    match scheme {
        PensionScheme::Employee => {
            f64::from(contributing_age.saturating_sub(EMPLOYEE_CAREER_START_AGE))
        }
        PensionScheme::Resident => {
            let by_age =
                i32::from(contributing_age.saturating_sub(RESIDENT_CONTRIBUTION_START_AGE));
            // A person aged `age` in `year` was 60 in `year - age + 60`; contributions stop then.
            let last_year = year.min(year - i32::from(age) + 60);
            let by_calendar = (last_year - RESIDENT_SCHEME_START_YEAR).max(0);
            f64::from(by_age.min(by_calendar))
        }
        PensionScheme::None => 0.0,
    }
}

/// Imputed account balance (yuan) from contribution years: employees 8% of their earnings (or, with
/// none, of `average_wage_yearly`) per year; resident members the lowest tier plus subsidy per year.
/// Interest is ignored (a conservative assumption).
pub fn account_balance(
    scheme: PensionScheme,
    employment: Employment,
    contribution_years: f64,
    earnings_yearly: f64,
    average_wage_yearly: f64,
) -> f64 {
    match scheme {
        PensionScheme::Employee => {
            let wage = if employment == Employment::Employee && earnings_yearly > 0.0 {
                earnings_yearly
            } else {
                average_wage_yearly
            };
            0.08 * wage * contribution_years
        }
        PensionScheme::Resident => RESIDENT_IMPUTED_CREDIT_YEARLY * contribution_years,
        PensionScheme::None => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resident_years_are_capped_by_the_scheme_start() {
        // 45 in 2022: 29 years since 16, but the scheme exists only since 2009: 13 years.
        assert_eq!(contribution_years(45, PensionScheme::Resident, 2022), 13.0);
        // 70 in 2022 was 60 in 2012: 3 years (2009..2012).
        assert_eq!(contribution_years(70, PensionScheme::Resident, 2022), 3.0);
        // 20 in 2022: 4 years since 16.
        assert_eq!(contribution_years(20, PensionScheme::Resident, 2022), 4.0);
        assert_eq!(contribution_years(90, PensionScheme::Resident, 2022), 0.0);
    }

    #[test]
    fn employee_years_run_from_22_to_60() {
        assert_eq!(contribution_years(40, PensionScheme::Employee, 2022), 18.0);
        assert_eq!(contribution_years(65, PensionScheme::Employee, 2022), 38.0);
        assert_eq!(contribution_years(20, PensionScheme::Employee, 2022), 0.0);
        assert_eq!(contribution_years(10, PensionScheme::None, 2022), 0.0);
    }

    #[test]
    fn balances_follow_years() {
        // 10 years at 8% of 50000 = 40000.
        assert_eq!(
            account_balance(
                PensionScheme::Employee,
                Employment::Employee,
                10.0,
                50_000.0,
                90_000.0
            ),
            40_000.0
        );
        // A retired employee pensioner: 8% of the average wage, 20 years = 144000.
        assert_eq!(
            account_balance(
                PensionScheme::Employee,
                Employment::Retired,
                20.0,
                0.0,
                90_000.0
            ),
            144_000.0
        );
        assert_eq!(
            account_balance(
                PensionScheme::Resident,
                Employment::Farmer,
                13.0,
                0.0,
                90_000.0
            ),
            1_690.0
        );
    }
}
