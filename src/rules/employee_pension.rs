//! Employee basic pension (城镇职工基本养老保险): contributions within the base bounds, the
//! pension at retirement and the national fund: spec 3.2 and 10. Pure: no I/O, no draws.

use super::resident_pension::MONTHS_PER_YEAR;
use crate::dynamics::retirement;
use crate::params::{DefaultValue, Indexation, ParamDef, ParamKind, ResolvedParams};
use crate::population::Sex;

/// Account divisor (计发月数) by retirement age, State Council 2005 No. 38 annex (国发〔2005〕38号),
/// ages 40..=70.
const NATIONAL_DIVISOR_BY_AGE: &[(u32, f64)] = &[
    (40, 233.0),
    (41, 230.0),
    (42, 226.0),
    (43, 223.0),
    (44, 220.0),
    (45, 216.0),
    (46, 212.0),
    (47, 207.0),
    (48, 204.0),
    (49, 199.0),
    (50, 195.0),
    (51, 190.0),
    (52, 185.0),
    (53, 180.0),
    (54, 175.0),
    (55, 170.0),
    (56, 164.0),
    (57, 158.0),
    (58, 152.0),
    (59, 145.0),
    (60, 139.0),
    (61, 132.0),
    (62, 125.0),
    (63, 117.0),
    (64, 109.0),
    (65, 101.0),
    (66, 93.0),
    (67, 84.0),
    (68, 75.0),
    (69, 65.0),
    (70, 56.0),
];

const RETIREMENT_AGE: ParamKind = ParamKind::Number {
    min: 40.0,
    max: 75.0,
};

/// Parameters of the employee pension.
pub const PARAMS: &[ParamDef] = &[
    ParamDef {
        name: "employee_rate",
        kind: ParamKind::Number { min: 0.0, max: 1.0 },
        default: DefaultValue::Number(0.08),
        default_index: Indexation::None,
        doc: "Employee contribution rate on the contribution base, in C (spec 3.2)",
    },
    ParamDef {
        name: "employer_rate",
        kind: ParamKind::Number { min: 0.0, max: 1.0 },
        default: DefaultValue::Number(0.16),
        default_index: Indexation::None,
        doc: "Employer contribution rate on the contribution base, fund income (spec 3.2)",
    },
    ParamDef {
        name: "base_floor",
        kind: ParamKind::Number {
            min: 0.0,
            max: 10.0,
        },
        default: DefaultValue::Number(0.6),
        default_index: Indexation::None,
        doc: "Contribution base floor, multiple of the average wage (spec 3.2)",
    },
    ParamDef {
        name: "base_cap",
        kind: ParamKind::Number {
            min: 0.0,
            max: 10.0,
        },
        default: DefaultValue::Number(3.0),
        default_index: Indexation::None,
        doc: "Contribution base cap, multiple of the average wage (spec 3.2)",
    },
    ParamDef {
        name: "average_wage",
        kind: ParamKind::Money,
        default: DefaultValue::Number(0.0),
        default_index: Indexation::Wages,
        doc: "Average wage this year, yuan/year; 0 = no employee contributions (spec 3.2)",
    },
    ParamDef {
        name: "average_wage_prev",
        kind: ParamKind::Money,
        default: DefaultValue::Number(0.0),
        default_index: Indexation::Wages,
        doc: "Average wage of the previous year, yuan/year, for the basic pension at retirement (spec 3.2)",
    },
    ParamDef {
        name: "account_divisor_by_age",
        kind: ParamKind::NumberByAge {
            min: 1.0,
            max: 400.0,
        },
        default: DefaultValue::Table(NATIONAL_DIVISOR_BY_AGE),
        default_index: Indexation::None,
        doc: "Employee account divisor, months, by retirement age (default: State Council 2005 No. 38) (spec 3.2)",
    },
    ParamDef {
        name: "retirement_age_male",
        kind: RETIREMENT_AGE,
        default: DefaultValue::Number(60.0),
        default_index: Indexation::None,
        doc: "Statutory retirement age of men, years (spec 3.2)",
    },
    ParamDef {
        name: "retirement_age_female",
        kind: RETIREMENT_AGE,
        default: DefaultValue::Number(50.0),
        default_index: Indexation::None,
        doc: "Statutory retirement age of women workers, years (spec 3.2)",
    },
    ParamDef {
        name: "retirement_age_female_cadre",
        kind: RETIREMENT_AGE,
        default: DefaultValue::Number(55.0),
        default_index: Indexation::None,
        doc: "Statutory retirement age of women cadres, years (spec 3.2)",
    },
    ParamDef {
        name: "fund_deficit_fiscal_share",
        kind: ParamKind::Number { min: 0.0, max: 1.0 },
        default: DefaultValue::Number(1.0),
        default_index: Indexation::None,
        doc: "Share of the national employee-fund deficit the government covers (spec 3.2)",
    },
];

/// Employee-pension parameters for one year, region and residence.
#[derive(Debug, Clone, PartialEq)]
pub struct EmployeePensionParams {
    /// Employee contribution rate.
    pub employee_rate: f64,
    /// Employer contribution rate.
    pub employer_rate: f64,
    /// Base floor, multiple of the average wage.
    pub base_floor: f64,
    /// Base cap, multiple of the average wage.
    pub base_cap: f64,
    /// Average wage, yuan/year.
    pub average_wage_yearly: f64,
    /// Previous year's average wage, yuan/year.
    pub average_wage_prev_yearly: f64,
    /// Account divisor (months) by retirement age, sorted by age.
    pub account_divisor_by_age: Vec<(u32, f64)>,
    /// Retirement age of men, years.
    pub retirement_age_male: f64,
    /// Retirement age of women workers, years.
    pub retirement_age_female: f64,
    /// Retirement age of women cadres, years.
    pub retirement_age_female_cadre: f64,
    /// Whether the 2025 gradual retirement reform applies (`retirement_reform_2025`).
    pub retirement_reform_2025: bool,
    /// Government share of a fund deficit.
    pub fund_deficit_fiscal_share: f64,
}

impl EmployeePensionParams {
    /// Reads the parameters; the base floor may not exceed the cap.
    pub fn from_resolved(p: &ResolvedParams) -> Result<Self, String> {
        let params = EmployeePensionParams {
            employee_rate: p.number("employee_rate"),
            employer_rate: p.number("employer_rate"),
            base_floor: p.number("base_floor"),
            base_cap: p.number("base_cap"),
            average_wage_yearly: p.number("average_wage"),
            average_wage_prev_yearly: p.number("average_wage_prev"),
            account_divisor_by_age: p.table("account_divisor_by_age").to_vec(),
            retirement_age_male: p.number("retirement_age_male"),
            retirement_age_female: p.number("retirement_age_female"),
            retirement_age_female_cadre: p.number("retirement_age_female_cadre"),
            retirement_reform_2025: p.flag("retirement_reform_2025"),
            fund_deficit_fiscal_share: p.number("fund_deficit_fiscal_share"),
        };
        if params.base_floor > params.base_cap {
            return Err(format!(
                "`base_floor` ({}) is above `base_cap` ({}); the floor must not exceed the cap",
                params.base_floor, params.base_cap
            ));
        }
        Ok(params)
    }
}

/// Contribution base, yuan/year: earnings clamped to [floor, cap] x average wage (a zero earner
/// pays on the floor, spec 10).
pub fn contribution_base_yearly(p: &EmployeePensionParams, earnings_yearly: f64) -> f64 {
    earnings_yearly.clamp(
        p.base_floor * p.average_wage_yearly,
        p.base_cap * p.average_wage_yearly,
    )
}

/// Employee and employer contributions, yuan/year.
pub fn contributions_yearly(p: &EmployeePensionParams, earnings_yearly: f64) -> (f64, f64) {
    let base = contribution_base_yearly(p, earnings_yearly);
    (p.employee_rate * base, p.employer_rate * base)
}

/// Whole-year age (year minus birth year) at which a person born in month `birth_month`
/// (0 = January) of `birth_year` reaches the statutory age: the base age of men, women cadres or
/// women workers, delayed by the 2025 reform when it applies; the same age the dynamics retire at.
pub fn retirement_age_years(
    p: &EmployeePensionParams,
    birth_year: i32,
    birth_month: u32,
    sex: Sex,
    cadre: bool,
) -> u8 {
    retirement::person_retirement_age_years(
        birth_year,
        birth_month,
        sex,
        cadre,
        [
            p.retirement_age_male as u32,
            p.retirement_age_female as u32,
            p.retirement_age_female_cadre as u32,
        ],
        p.retirement_reform_2025,
    )
}

/// Indexed wage ratio r: the population's value when given (not NaN), else earnings / average
/// wage clamped to the base bounds (the floor when the average wage is 0).
pub fn indexed_wage_ratio(p: &EmployeePensionParams, given: f64, earnings_yearly: f64) -> f64 {
    if !given.is_nan() {
        given
    } else if p.average_wage_yearly > 0.0 {
        (earnings_yearly / p.average_wage_yearly).clamp(p.base_floor, p.base_cap)
    } else {
        p.base_floor
    }
}

/// Account divisor (months) for retirement at `age`: the table's value at that age; beyond the
/// table's oldest age, the oldest age's value (the national table ends at 70). An age inside the
/// table's range without a key, or below it, is an error naming the key.
pub fn account_divisor(p: &EmployeePensionParams, age: u8) -> Result<f64, String> {
    let age = u32::from(age);
    let table = &p.account_divisor_by_age;
    match table.iter().find(|(a, _)| *a == age) {
        Some(&(_, d)) => Ok(d),
        None => match table.last() {
            Some(&(oldest, d)) if age > oldest => Ok(d),
            _ => Err(format!(
                "`account_divisor_by_age` gives no divisor for retirement age {age}; give every retirement age that occurs"
            )),
        },
    }
}

/// Annual pension at retirement (spec 3.2): basic = average_wage_prev x (1 + r) / 2 x years x 1%,
/// account = balance / divisor(age) x 12.
pub fn pension_at_retirement_yearly(
    p: &EmployeePensionParams,
    age: u8,
    contribution_years: f64,
    indexed_wage_ratio: f64,
    account_balance: f64,
) -> Result<f64, String> {
    let basic =
        p.average_wage_prev_yearly * (1.0 + indexed_wage_ratio) / 2.0 * contribution_years * 0.01;
    let account = account_balance / account_divisor(p, age)? * MONTHS_PER_YEAR;
    Ok(basic + account)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> EmployeePensionParams {
        EmployeePensionParams::from_resolved(&ResolvedParams::defaults()).unwrap()
    }

    /// Conformance "employee-contribution-base-bounds": average wage 100000; 300000 is at the cap
    /// (3.0 x 100000), 8% = 24000; 40000 is under the floor, base 60000, 8% = 4800, employer 16%
    /// of 60000 = 9600.
    #[test]
    fn contributions_within_base_bounds() {
        let mut p = params();
        p.average_wage_yearly = 100_000.0;
        assert_eq!(contributions_yearly(&p, 300_000.0).0, 24_000.0);
        assert_eq!(contributions_yearly(&p, 40_000.0), (4_800.0, 9_600.0));
        assert_eq!(contributions_yearly(&p, 0.0).0, 4_800.0);
        p.average_wage_yearly = 0.0;
        assert_eq!(contributions_yearly(&p, 50_000.0), (0.0, 0.0));
    }

    /// Conformance "employee-pension-at-retirement": 100000 x (1 + 1.0) / 2 x 35 x 1% = 35000;
    /// 278000 / 139 x 12 = 24000; total 59000.
    #[test]
    fn pension_at_retirement() {
        let mut p = params();
        p.average_wage_prev_yearly = 100_000.0;
        p.account_divisor_by_age = vec![(60, 139.0)];
        let got = pension_at_retirement_yearly(&p, 60, 35.0, 1.0, 278_000.0).unwrap();
        assert!((got - 59_000.0).abs() < 1e-6, "{got}");
        // Past the table's oldest age the oldest divisor applies; below it is an error.
        assert_eq!(account_divisor(&p, 66), Ok(139.0));
        assert!(account_divisor(&p, 55).unwrap_err().contains("55"));
    }

    #[test]
    fn national_divisor_table_and_retirement_ages() {
        let p = params();
        assert_eq!(account_divisor(&p, 50), Ok(195.0));
        assert_eq!(account_divisor(&p, 55), Ok(170.0));
        assert_eq!(account_divisor(&p, 60), Ok(139.0));
        assert_eq!(retirement_age_years(&p, 1970, 11, Sex::Male, true), 60);
        assert_eq!(retirement_age_years(&p, 1980, 11, Sex::Female, false), 50);
        assert_eq!(retirement_age_years(&p, 1975, 11, Sex::Female, true), 55);
        // With the reform, a woman worker born December 1980 waits 71 / 2 + 1 = 36 months: 53
        // years, reached in December of the year she turns 53.
        let reform = EmployeePensionParams {
            retirement_reform_2025: true,
            ..params()
        };
        assert_eq!(
            retirement_age_years(&reform, 1980, 11, Sex::Female, false),
            53
        );
    }

    /// r from earnings: 250000 / 100000 = 2.5; 500000 caps at 3.0; NaN and no wage gives the floor.
    #[test]
    fn indexed_wage_ratio_from_earnings() {
        let mut p = params();
        assert_eq!(indexed_wage_ratio(&p, f64::NAN, 1.0), 0.6);
        p.average_wage_yearly = 100_000.0;
        assert_eq!(indexed_wage_ratio(&p, 1.2, 0.0), 1.2);
        assert_eq!(indexed_wage_ratio(&p, f64::NAN, 250_000.0), 2.5);
        assert_eq!(indexed_wage_ratio(&p, f64::NAN, 500_000.0), 3.0);
    }
}
