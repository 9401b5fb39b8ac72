//! Employee basic pension (城镇职工基本养老保险): retirement and pensions in payment, contributions
//! within the base bounds, the pension at retirement and the national fund: spec 3.2 and 10. When a
//! person retires is [`crate::retirement`]'s (the dynamics use the same module). Pure: no I/O; the
//! birth-month draw comes from the year's keyed streams.

use super::household::Household;
use super::program::{FundDef, LineDef, OutcomeDef, ProgramDef, Role, Slot, Step, StepResult};
use super::resident_pension::MONTHS_PER_YEAR;
use crate::income::Concept;
use crate::params::{
    DefaultValue, Indexation, PER_YEAR, ParamDef, ParamError, ParamKind, ResolvedParams, SHARE,
};
use crate::population::{Employment, LifeEvents, PensionScheme};
use crate::retirement::{self, RetirementParams};
use crate::rules::fiscal::Payer;

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

const SPEC: &str = "rules.md 3.2";

/// Parameters of the employee pension.
pub const PARAMS: &[ParamDef] = &[
    ParamDef::share(
        "employee_pension_employee_rate",
        0.08,
        SPEC,
        "Employee contribution rate on the contribution base, in C",
    )
    .renamed_from(&["employee_rate"]),
    ParamDef::share(
        "employee_pension_employer_rate",
        0.16,
        SPEC,
        "Employer contribution rate on the contribution base, fund income",
    )
    .renamed_from(&["employer_rate"]),
    ParamDef::number(
        "employee_pension_base_floor",
        (0.0, 10.0),
        "multiple of the average wage",
        0.6,
        SPEC,
        "Contribution base floor",
    )
    .renamed_from(&["base_floor"]),
    ParamDef::number(
        "employee_pension_base_cap",
        (0.0, 10.0),
        "multiple of the average wage",
        3.0,
        SPEC,
        "Contribution base cap",
    )
    .renamed_from(&["base_cap"]),
    ParamDef {
        default_index: Indexation::Wages,
        ..ParamDef::money(
            "average_wage",
            SPEC,
            "Average wage this year (社平工资); 0 = no employee contributions",
        )
    },
    ParamDef {
        default_index: Indexation::Wages,
        ..ParamDef::money(
            "average_wage_prev",
            SPEC,
            "Average wage of the previous year, for the basic pension at retirement",
        )
    },
    ParamDef::new(
        "employee_account_divisor_by_age",
        ParamKind::NumberByAge {
            min: 1.0,
            max: 400.0,
        },
        "months",
        DefaultValue::Table(NATIONAL_DIVISOR_BY_AGE),
        SPEC,
        "Employee account divisor (计发月数) by retirement age (default: State Council 2005 No. 38)",
    )
    .renamed_from(&["account_divisor_by_age"]),
    ParamDef::number(
        "employee_pension_indexation",
        (-0.5, 1.0),
        PER_YEAR,
        0.0,
        SPEC,
        "Indexation of employee pensions in payment, from the second simulated year",
    )
    .renamed_from(&["pension_indexation"]),
    ParamDef::new(
        "employee_fund_deficit_fiscal_share",
        ParamKind::Number { min: 0.0, max: 1.0 },
        SHARE,
        DefaultValue::Number(1.0),
        SPEC,
        "Share of the national employee-fund deficit the government covers",
    )
    .renamed_from(&["fund_deficit_fiscal_share"]),
];

/// The employee pension as the year runs it.
pub const PROGRAM: ProgramDef = ProgramDef {
    name: "employee_pension",
    chinese: "城镇职工基本养老保险",
    spec: "rules.md 3.2, 10",
    params: PARAMS,
    steps: &[
        Step {
            slot: Slot::Membership,
            name: "retirement and pensions in payment",
            run: retire_and_index,
        },
        Step {
            slot: Slot::Contributions,
            name: "employee contributions and pension",
            run: contribute_or_pay,
        },
    ],
    outcomes: &[OutcomeDef {
        column: "employee_pension",
        role: Role::Income(Concept::Pensions),
        doc: "Employee pension: at retirement, or the pension in payment",
    }],
    lines: &[LineDef {
        name: "employee_pension",
        chinese: "城镇职工基本养老保险",
    }],
    funds: &[FundDef {
        name: "employee_fund",
        deficit_line: LINE,
        deficit_share_key: "employee_fund_deficit_fiscal_share",
        deficit_share: |p| p.employee_pension.fund_deficit_fiscal_share,
    }],
    scenario_lines: false,
};

const PENSION: usize = 0;
const LINE: usize = 0;
const FUND: usize = 0;

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
    /// Statutory retirement ages and the 2025 reform.
    pub retirement: RetirementParams,
    /// Yearly indexation of pensions in payment.
    pub indexation_rate: f64,
    /// Government share of a fund deficit.
    pub fund_deficit_fiscal_share: f64,
}

impl super::CheckDemand for EmployeePensionParams {}

impl EmployeePensionParams {
    /// Reads the parameters; the base floor may not exceed the cap.
    pub fn from_resolved(p: &ResolvedParams) -> Result<Self, ParamError> {
        let params = EmployeePensionParams {
            employee_rate: p.number("employee_pension_employee_rate"),
            employer_rate: p.number("employee_pension_employer_rate"),
            base_floor: p.number("employee_pension_base_floor"),
            base_cap: p.number("employee_pension_base_cap"),
            average_wage_yearly: p.number("average_wage"),
            average_wage_prev_yearly: p.number("average_wage_prev"),
            account_divisor_by_age: p.table("employee_account_divisor_by_age").to_vec(),
            retirement: RetirementParams::from_resolved(p)?,
            indexation_rate: p.number("employee_pension_indexation"),
            fund_deficit_fiscal_share: p.number("employee_fund_deficit_fiscal_share"),
        };
        if params.base_floor > params.base_cap {
            return Err(ParamError::new(
                "employee_pension_base_floor",
                format!(
                    "`employee_pension_base_floor` ({}) is above `employee_pension_base_cap` ({}); the floor must not exceed the cap",
                    params.base_floor, params.base_cap
                ),
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

/// Membership, after this year's dynamics (spec 3.2, 10): who retired this year joins the employee
/// scheme (the contribution step computes the pension of one who has none yet); pensions in
/// payment are indexed from the second simulated year. An employee already past the statutory
/// age in the first year got the pension then (a static evaluation retires everyone at or past
/// the age) and keeps it when the dynamics retire them the next year.
fn retire_and_index(hh: &mut Household<'_>) -> StepResult {
    if !hh.year.after_dynamics() {
        return Ok(());
    }
    let rate = hh.params.employee_pension.indexation_rate;
    let p = &mut *hh.persons;
    for i in hh.members.clone() {
        if p.life_events[i].contains(LifeEvents::RETIRED) {
            p.pension_scheme[i] = PensionScheme::Employee;
        }
        if p.current_pension_yearly[i] > 0.0 {
            p.current_pension_yearly[i] *= 1.0 + rate;
        }
    }
    Ok(())
}

/// Steps 2-3 (spec 3.2, 10): employees of the scheme contribute on their base (the employee part
/// in C and into the account, the employer's to the fund); who retires this year gets the pension
/// at retirement, and pensions in payment are paid from the fund.
fn contribute_or_pay(hh: &mut Household<'_>) -> StepResult {
    let epp = &hh.params.employee_pension;
    let w = hh.weight;
    for i in hh.members.clone() {
        let p = &*hh.persons;
        let scheme = p.pension_scheme[i];
        let (pid, age, employment) = (p.person_id[i], p.age[i], p.employment[i]);
        // A pension in payment counts as employee pension whatever the scheme column says.
        let mut pension = p.current_pension_yearly[i];
        let retiring = scheme == PensionScheme::Employee && pension == 0.0 && {
            let retirement_age = epp.retirement.retirement_age_years(
                hh.year.year - i32::from(age),
                retirement::birth_month(hh.year.seed, hh.year.replication, pid),
                p.sex[i],
                p.cadre[i],
            );
            retirement::starts_pension(employment, age, retirement_age, hh.year.static_year)
        };
        if retiring {
            let r = indexed_wage_ratio(epp, p.indexed_wage_ratio[i], p.earnings_yearly[i]);
            pension = pension_at_retirement_yearly(
                epp,
                age,
                p.contribution_years[i],
                r,
                p.account_balance[i],
            )
            .map_err(|m| format!("person {pid}: {m}"))?;
            hh.persons.current_pension_yearly[i] = pension;
        } else if scheme == PensionScheme::Employee
            && employment == Employment::Employee
            && pension == 0.0
        {
            let (employee, employer) = contributions_yearly(epp, hh.persons.earnings_yearly[i]);
            hh.out.work.employee_contributor[i] = true;
            hh.book_income(i, Concept::Contributions, employee);
            // The employee part goes to the individual account; nothing later this year reads a
            // contributor's balance or years, so next year's state is written now.
            hh.persons.account_balance[i] += employee;
            hh.persons.contribution_years[i] += 1.0;
            let line = hh.line(LINE);
            line.pay(Payer::Individual, w * employee);
            line.pay(Payer::Employer, w * employer);
            hh.fund(FUND).contributions += w * (employee + employer);
        }
        if pension > 0.0 {
            hh.pay(i, PENSION, pension);
            let line = hh.line(LINE);
            line.pay(Payer::InsuranceFund, w * pension);
            line.benefits += w * pension;
            line.beneficiaries_persons += w;
            hh.fund(FUND).benefits += w * pension;
            hh.count_household(LINE);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ParamValue as V;
    use crate::population::Sex;
    use crate::population::{Employment, LifeEvents};
    use crate::rules::year::testkit::*;

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
        let r = p.retirement;
        assert_eq!(r.retirement_age_years(1970, 11, Sex::Male, true), 60);
        assert_eq!(r.retirement_age_years(1980, 11, Sex::Female, false), 50);
        assert_eq!(r.retirement_age_years(1975, 11, Sex::Female, true), 55);
        // With the reform, a woman worker born December 1980 waits 71 / 2 + 1 = 36 months: 53
        // years, reached in December of the year she turns 53.
        let reform = RetirementParams {
            reform_2025: true,
            ..r
        };
        assert_eq!(
            reform.retirement_age_years(1980, 11, Sex::Female, false),
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

    /// After the dynamics, who retired joins the employee scheme, and a pension in payment grows by
    /// the indexation (10000 x 1.04 = 10400), also one that the person retired this year already
    /// had (5000 x 1.04 = 5200: it is kept, not recomputed; regression test
    /// `employees_past_retirement_age_keep_their_pension_after_the_first_year`); nothing in a
    /// static year.
    #[test]
    fn retire_and_index_after_the_dynamics() {
        let p = rule_params(&[("employee_pension_indexation", V::Number(0.04))]);
        let rows = vec![
            PersonRow {
                age: 60,
                employment: Employment::Retired,
                current_pension: 5_000.0,
                pension_scheme: Some(PensionScheme::Resident),
                ..Default::default()
            },
            PersonRow {
                age: 70,
                employment: Employment::Retired,
                current_pension: 10_000.0,
                ..Default::default()
            },
        ];
        for (static_year, expected) in [(false, [5_200.0, 10_400.0]), (true, [5_000.0, 10_000.0])] {
            let mut pop = household(Residence::Urban, rows.clone());
            pop.persons.life_events[0].insert(LifeEvents::RETIRED);
            let rules = rules_for(&p, 2025, static_year);
            with_household(&mut pop, &rules, "employee_pension", |hh| {
                retire_and_index(hh).unwrap()
            });
            assert!((pop.persons.current_pension_yearly[1] - expected[1]).abs() < 1e-9);
            assert!((pop.persons.current_pension_yearly[0] - expected[0]).abs() < 1e-9);
            let scheme = if static_year {
                PensionScheme::Resident
            } else {
                PensionScheme::Employee
            };
            assert_eq!(pop.persons.pension_scheme[0], scheme);
        }
    }

    /// Conformance "employee-contribution-base-bounds" and "employee-pension-at-retirement" through
    /// the step, in a static year: the worker earning 40000 pays 8% of the floor 60000 = 4800 (in C
    /// and into the account), the employer 9600, the fund gets 14400; the man of 60 retires with
    /// 100000 x 2 / 2 x 35% + 278000 / 139 x 12 = 59000 from the fund; a resident-scheme person's
    /// pension in payment (24000) is paid as employee pension too.
    #[test]
    fn contribute_or_pay_books_contributions_and_pensions() {
        let p = rule_params(&[
            ("average_wage", V::Number(100_000.0)),
            ("average_wage_prev", V::Number(100_000.0)),
        ]);
        let mut pop = household(
            Residence::Urban,
            vec![
                PersonRow {
                    age: 35,
                    employment: Employment::Employee,
                    earnings: 40_000.0,
                    ..Default::default()
                },
                PersonRow {
                    age: 60,
                    employment: Employment::Employee,
                    earnings: 100_000.0,
                    contribution_years: 35.0,
                    account_balance: 278_000.0,
                    indexed_wage_ratio: 1.0,
                    ..Default::default()
                },
                PersonRow {
                    age: 75,
                    employment: Employment::Retired,
                    current_pension: 24_000.0,
                    pension_scheme: Some(PensionScheme::Resident),
                    ..Default::default()
                },
            ],
        );
        let rules = rules_for(&p, 2024, true);
        let ((), out, acc) = with_household(&mut pop, &rules, "employee_pension", |hh| {
            contribute_or_pay(hh).unwrap()
        });
        assert_eq!(out.work.parts[0].contributions, 4_800.0);
        assert_eq!(pop.persons.account_balance[0], 4_800.0);
        assert_eq!(pop.persons.contribution_years[0], 1.0);
        let pension = out.column("employee_pension").unwrap();
        assert!((pension[1] - 59_000.0).abs() < 1e-6, "{pension:?}");
        assert_eq!(pension[2], 24_000.0);
        assert_eq!(pop.persons.current_pension_yearly[1], pension[1]);
        let line = acc.line("employee_pension").unwrap();
        assert_eq!(line.paid(Payer::Employer), 9_600.0);
        let fund = acc.fund("employee_fund").unwrap();
        assert_eq!(fund.contributions.value(), 14_400.0);
        assert!((fund.benefits.value() - 83_000.0).abs() < 1e-6);
    }
}
