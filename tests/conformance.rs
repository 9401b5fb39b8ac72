//! Conformance cases of shared/conformance/cases.toml (every case but the Gini and urban-rural
//! ones, which belong to the indicators) and property tests of the yearly rules step on random
//! small households. Each case runs one static year with every draw switched off (enrolment,
//! take-up and coverage 1, error rates 0: the parameter defaults) on `ResolvedParams::defaults()`
//! plus the case's parameters; expected figures are the case's, to 0.01 yuan.

use gongfu::params::{ParamValue, ResolvedParams};
use gongfu::population::testkit::{HouseholdRow, PersonRow, build};
use gongfu::population::{
    AssistanceStatus, CollectiveTable, Collectives, Employment, PensionScheme, Population,
    Residence, Sex,
};
use gongfu::rules::{FiscalAccounts, Outcomes, Payer, RuleParams, YearRules, apply_year};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Building exact households.

/// One person row: the population test kit's, with every absent column at its default.
type Row = PersonRow;
/// One household: residence, weight, collective row and members.
type House = HouseholdRow;

fn row(age: u8, employment: Employment, earnings: f64) -> Row {
    Row {
        age,
        employment,
        earnings,
        ..Row::default()
    }
}

fn house(residence: Residence, rows: Vec<Row>) -> House {
    House::new(residence, 1.0, rows)
}

/// A population of one region from households; the pension scheme follows spec 3.1's default.
fn population(houses: &[House], collectives: Collectives) -> Population {
    let mut pop = build(&["R0"], 0, houses);
    pop.collectives = collectives;
    pop
}

/// Runs one static year and closes the accounts with the national deficit shares.
fn run(pop: &mut Population, params: &ResolvedParams) -> (Outcomes, FiscalAccounts) {
    run_year(pop, params, 2024, true)
}

/// Rules of `year` in a run that started in 2024, the same parameters everywhere.
fn year_rules(params: &ResolvedParams, year: i32, static_year: bool) -> YearRules {
    let rp = RuleParams::from_resolved(params).expect("valid parameters");
    YearRules {
        year,
        start_year: 2024,
        static_year,
        seed: 1,
        replication: 0,
        params: vec![[rp.clone(), rp]],
        programs: vec![],
    }
}

/// Applies the rules to the whole population as one chunk, leaving the accounts open.
fn apply(pop: &mut Population, rules: &YearRules) -> gongfu::Result<(Outcomes, FiscalAccounts)> {
    let mut out = Outcomes::default();
    let acc = apply_year(
        &mut pop.persons,
        &pop.households,
        &pop.collectives,
        rules,
        &mut out,
    )?;
    Ok((out, acc))
}

/// One static year without closing the accounts (for merging chunks).
fn run_unfinalized(pop: &mut Population, params: &ResolvedParams) -> (Outcomes, FiscalAccounts) {
    apply(pop, &year_rules(params, 2024, true)).expect("rules apply")
}

/// Runs `year` and closes the accounts with the national deficit shares.
fn run_year(
    pop: &mut Population,
    params: &ResolvedParams,
    year: i32,
    static_year: bool,
) -> (Outcomes, FiscalAccounts) {
    let rules = year_rules(params, year, static_year);
    let (out, mut acc) = apply(pop, &rules).expect("rules apply");
    acc.finalize(&rules.deficit_shares());
    (out, acc)
}

/// The stem a case's parameter name stands for: the cases use the spec's names, some of which
/// gongfu renamed to say their family (docs/rules.md); both are accepted in scenario files.
fn stem(name: &str) -> &str {
    gongfu::registry::renamed(name).map_or(name, |d| d.name)
}

fn set(p: &mut ResolvedParams, name: &str, v: f64) {
    p.set(stem(name), ParamValue::Number(v));
}

fn set_list(p: &mut ResolvedParams, name: &str, v: &[f64]) {
    p.set(stem(name), ParamValue::List(v.to_vec()));
}

fn set_table(p: &mut ResolvedParams, name: &str, v: &[(u32, f64)]) {
    p.set(stem(name), ParamValue::Table(v.to_vec()));
}

#[track_caller]
fn close(got: f64, expected: f64) {
    assert!(
        (got - expected).abs() <= 0.01,
        "expected {expected}, got {got}"
    );
}

#[track_caller]
fn close_all(got: &[f64], expected: &[f64]) {
    assert_eq!(
        got.len(),
        expected.len(),
        "expected {expected:?}, got {got:?}"
    );
    for (g, e) in got.iter().zip(expected) {
        assert!((g - e).abs() <= 0.01, "expected {expected:?}, got {got:?}");
    }
}

fn government(acc: &FiscalAccounts, line: &str) -> f64 {
    acc.line(line)
        .expect("registered fiscal line")
        .paid(Payer::Government)
}

/// A program's outcome column by its microdata name.
#[track_caller]
fn col<'a>(out: &'a Outcomes, name: &str) -> &'a [f64] {
    out.column(name).expect("registered outcome column")
}

// ---------------------------------------------------------------------------------------------
// Conformance cases.

/// "dibao-gap-rural-family": I = 18000/3 = 6000 < 11000; benefit = (11000 - 6000) * 3.
#[test]
fn dibao_gap_rural_family() {
    let mut params = ResolvedParams::defaults();
    set(&mut params, "dibao_standard", 11_000.0);
    let mut pop = population(
        &[house(
            Residence::Rural,
            vec![
                row(40, Employment::Farmer, 18_000.0),
                row(38, Employment::NotWorking, 0.0),
                row(12, Employment::Student, 0.0),
            ],
        )],
        Collectives::default(),
    );
    let (out, _) = run(&mut pop, &params);
    close(col(&out, "dibao").iter().sum(), 15_000.0);
    close(out.disposable_income.iter().sum(), 33_000.0);
}

/// "dibao-counts-pension-and-contributions": pension 190*12 = 2280; own contribution 100
/// (lowest tier, subsidy 30 goes to the account); I = (12000 + 2280 - 100)/2 = 7090; benefit =
/// (11000 - 7090) * 2 = 7820.
#[test]
fn dibao_counts_pension_and_contributions() {
    let mut params = ResolvedParams::defaults();
    set(&mut params, "dibao_standard", 11_000.0);
    set(&mut params, "basic_pension", 190.0 * 12.0);
    set_list(&mut params, "contribution_tiers", &[100.0]);
    set_list(&mut params, "tier_subsidy", &[30.0]);
    let mut farmer = row(45, Employment::Farmer, 12_000.0);
    farmer.resident_tier = 100.0;
    let mut pop = population(
        &[house(
            Residence::Rural,
            vec![row(70, Employment::Retired, 0.0), farmer],
        )],
        Collectives::default(),
    );
    let (out, _) = run(&mut pop, &params);
    close(col(&out, "dibao").iter().sum(), 7_820.0);
    close_all(col(&out, "resident_pension"), &[2_280.0, 0.0]);
    close_all(&out.own_contributions, &[0.0, 100.0]);
    close_all(out.account_credit(), &[0.0, 130.0]);
    // The credit reached the account (interest 0); the pensioner's balance stays frozen.
    close_all(&pop.persons.account_balance, &[0.0, 130.0]);
}

/// "dibao-not-eligible": I = 30000/2 = 15000 >= 11000.
#[test]
fn dibao_not_eligible() {
    let mut params = ResolvedParams::defaults();
    set(&mut params, "dibao_standard", 11_000.0);
    let mut pop = population(
        &[house(
            Residence::Urban,
            vec![
                row(35, Employment::Flexible, 30_000.0),
                row(5, Employment::Student, 0.0),
            ],
        )],
        Collectives::default(),
    );
    let (out, _) = run(&mut pop, &params);
    close(col(&out, "dibao").iter().sum(), 0.0);
    // 15000 is within 1.5 x 11000 = 16500: a margin household.
    assert_eq!(out.dibao_status[0], AssistanceStatus::Margin);
}

fn retired_resident(age: u8, years: f64, balance: f64) -> Row {
    Row {
        contribution_years: years,
        account_balance: balance,
        ..row(age, Employment::Retired, 0.0)
    }
}

fn single(residence: Residence, r: Row) -> Population {
    population(&[house(residence, vec![r])], Collectives::default())
}

/// "resident-pension-basic-plus-account": account 20850/139 = 150.00 a month;
/// (190 + 150) * 12 = 4080.
#[test]
fn resident_pension_basic_plus_account() {
    let mut params = ResolvedParams::defaults();
    set(&mut params, "basic_pension", 190.0 * 12.0);
    set(&mut params, "account_divisor", 139.0);
    set(&mut params, "min_contribution_years", 15.0);
    let mut pop = single(Residence::Rural, retired_resident(65, 15.0, 20_850.0));
    let (out, _) = run(&mut pop, &params);
    close(col(&out, "resident_pension")[0], 4_080.0);
}

/// "resident-pension-age-bonus-yangzhou": as above plus 5 a month at 65+: 4080 + 60.
#[test]
fn resident_pension_age_bonus_yangzhou() {
    let mut params = ResolvedParams::defaults();
    set(&mut params, "basic_pension", 190.0 * 12.0);
    set(&mut params, "account_divisor", 139.0);
    set_table(&mut params, "age_bonus", &[(65, 5.0 * 12.0)]);
    let mut pop = single(Residence::Urban, retired_resident(65, 15.0, 20_850.0));
    let (out, _) = run(&mut pop, &params);
    close(col(&out, "resident_pension")[0], 4_140.0);
}

/// "resident-pension-long-contribution-bonus": 25 years: 10 years beyond 15 at 5 a month each =
/// 50 a month; (190 + 50 + 0) * 12 = 2880.
#[test]
fn resident_pension_long_contribution_bonus() {
    let mut params = ResolvedParams::defaults();
    set(&mut params, "basic_pension", 190.0 * 12.0);
    set(&mut params, "long_contribution_bonus", 5.0 * 12.0);
    set(&mut params, "min_contribution_years", 15.0);
    let mut pop = single(Residence::Rural, retired_resident(62, 25.0, 0.0));
    let (out, _) = run(&mut pop, &params);
    close(col(&out, "resident_pension")[0], 2_880.0);
}

/// "government-paid-contributions-xinjiang": lowest tier 100, subsidy 30. Dibao member:
/// government pays 50, own 50, account +130, fiscal 80. Te-kun member: government pays 100, own
/// 0, account +130, fiscal 130.
#[test]
fn government_paid_contributions_xinjiang() {
    let mut params = ResolvedParams::defaults();
    set_list(&mut params, "contribution_tiers", &[100.0, 200.0]);
    set_list(&mut params, "tier_subsidy", &[30.0, 30.0]);
    set(&mut params, "paid_share_dibao", 0.5);
    set(&mut params, "paid_share_tekun", 1.0);
    let dibao_member = Row {
        resident_tier: 100.0,
        dibao_last_year: true,
        ..row(40, Employment::Farmer, 3_000.0)
    };
    let tekun_member = Row {
        resident_tier: 100.0,
        tekun_last_year: true,
        ..row(50, Employment::NotWorking, 0.0)
    };
    let mut pop = population(
        &[house(Residence::Rural, vec![dibao_member, tekun_member])],
        Collectives::default(),
    );
    let (out, acc) = run(&mut pop, &params);
    close_all(&out.own_contributions, &[50.0, 0.0]);
    close_all(col(&out, "government_paid_contribution"), &[50.0, 100.0]);
    close_all(out.account_credit(), &[130.0, 130.0]);
    close(government(&acc, "resident_pension"), 210.0);
}

/// "elderly-allowance-80-plus": allowance 100 a month at 80..89 counts in T, not in the pension.
#[test]
fn elderly_allowance_80_plus() {
    let mut params = ResolvedParams::defaults();
    set(&mut params, "basic_pension", 190.0 * 12.0);
    set_table(
        &mut params,
        "elderly_allowance",
        &[(80, 100.0 * 12.0), (90, 200.0 * 12.0)],
    );
    let mut pop = single(Residence::Urban, retired_resident(82, 0.0, 0.0));
    let (out, _) = run(&mut pop, &params);
    close(col(&out, "resident_pension")[0], 2_280.0);
    close(col(&out, "elderly_allowance")[0], 1_200.0);
    close(out.disposable_income[0], 3_480.0);
}

/// "employee-pension-at-retirement": basic = 100000 * (1 + 1.0)/2 * 35 * 1% = 35000; account
/// 278000/139 = 2000 a month = 24000; total 59000.
#[test]
fn employee_pension_at_retirement() {
    let mut params = ResolvedParams::defaults();
    set(&mut params, "average_wage_prev", 100_000.0);
    set_table(&mut params, "account_divisor_by_age", &[(60, 139.0)]);
    let employee = Row {
        contribution_years: 35.0,
        indexed_wage_ratio: 1.0,
        account_balance: 278_000.0,
        ..row(60, Employment::Employee, 0.0)
    };
    let mut pop = single(Residence::Urban, employee);
    let (out, _) = run(&mut pop, &params);
    close(col(&out, "employee_pension")[0], 59_000.0);
    // No contribution in the retirement year; the pension is carried to next year.
    close(out.own_contributions[0], 0.0);
    close(pop.persons.current_pension_yearly[0], 59_000.0);
}

/// "employee-contribution-base-bounds": average wage 100000: wage 300000 is at the 3.0 cap, 8% =
/// 24000; wage 40000 is under the 0.6 floor, base 60000, 8% = 4800.
#[test]
fn employee_contribution_base_bounds() {
    let mut params = ResolvedParams::defaults();
    set(&mut params, "average_wage", 100_000.0);
    set(&mut params, "employee_rate", 0.08);
    set(&mut params, "base_floor", 0.6);
    set(&mut params, "base_cap", 3.0);
    let mut pop = population(
        &[house(
            Residence::Urban,
            vec![
                row(40, Employment::Employee, 300_000.0),
                row(30, Employment::Employee, 40_000.0),
            ],
        )],
        Collectives::default(),
    );
    let (out, _) = run(&mut pop, &params);
    close_all(&out.own_contributions, &[24_000.0, 4_800.0]);
}

/// "ltc-severe-capped": care cost 36000; 70% = 25200 over the cap 24000; out of pocket 12000;
/// premium: individual 30, government 60.
#[test]
fn ltc_severe_capped() {
    let mut params = ResolvedParams::defaults();
    params.set(stem("ltc_enabled"), ParamValue::Flag(true));
    set(&mut params, "ltc_coverage", 1.0);
    set(&mut params, "ltc_premium_individual", 30.0);
    set(&mut params, "ltc_premium_government", 60.0);
    set(&mut params, "ltc_deficit_fiscal_share", 0.0);
    set_table(&mut params, "care_cost", &[(3, 36_000.0)]);
    set(&mut params, "ltc_reimbursement_rate", 0.7);
    set_table(&mut params, "ltc_cap", &[(3, 24_000.0)]);
    set(&mut params, "ltc_min_grade", 2.0);
    let person = Row {
        disability_grade: 3,
        other_income: 40_000.0,
        ..row(78, Employment::Retired, 0.0)
    };
    let mut pop = single(Residence::Urban, person);
    let (out, acc) = run(&mut pop, &params);
    close(col(&out, "ltc_reimbursement")[0], 24_000.0);
    close(out.own_contributions[0], 30.0);
    close(out.disposable_income[0], 39_970.0);
    close(out.disposable_income_care[0], 27_970.0);
    close(government(&acc, "ltc"), 60.0);
}

/// "tekun-alone-elderly": 75, alone, no earnings, no supporter, pension 2280, I = 2280 < 11000:
/// te-kun. Support max(1756, 1.3*11000/12)*12 - 2280 = 18792 (counts pension); no dibao.
#[test]
fn tekun_alone_elderly() {
    let mut params = ResolvedParams::defaults();
    set(&mut params, "dibao_standard", 11_000.0);
    set(&mut params, "tekun_standard", 1_756.0 * 12.0);
    params.set(stem("tekun_counts_pension"), ParamValue::Flag(true));
    set(&mut params, "basic_pension", 190.0 * 12.0);
    let person = Row {
        no_supporter: true,
        ..row(75, Employment::Retired, 0.0)
    };
    let mut pop = single(Residence::Rural, person);
    let (out, _) = run(&mut pop, &params);
    close(col(&out, "tekun_support")[0], 18_792.0);
    close(col(&out, "dibao")[0], 0.0);
    close(out.disposable_income[0], 21_072.0);
    assert_eq!(out.dibao_status[0], AssistanceStatus::Tekun);
    assert!(pop.persons.tekun_last_year[0] && !pop.persons.dibao_last_year[0]);
}

/// "collective-subsidy-pro-rata": 20 target members x 80 = 1600 asked; capacity 1000, so each
/// gets 1000/20 = 50 into the account; collective cost 1000; not income. The 20 members
/// contribute at a lowest tier of 100 (the case leaves the tier open; any tier contributes).
#[test]
fn collective_subsidy_pro_rata() {
    let run_with = |per_member: f64| {
        let mut pop = twenty_farmers_in_one_collective(true);
        run(&mut pop, &collective_params(per_member, false))
    };
    let (out, acc) = run_with(80.0);
    close_all(col(&out, "collective_subsidy"), &[50.0; 20]);
    close_all(out.account_credit(), &[150.0; 20]);
    close(
        acc.line("collective_subsidy")
            .unwrap()
            .paid(Payer::Collective),
        1_000.0,
    );
    let (without, _) = run_with(0.0);
    close_all(&out.disposable_income, &without.disposable_income);
}

/// The collective cases' population: four rural households of five farmers (40, earning 20,000),
/// all contributing at the one tier, in one collective with capacity 1,000 whose table flag is
/// `participating`.
fn twenty_farmers_in_one_collective(participating: bool) -> Population {
    let houses: Vec<House> = (0..4)
        .map(|_| House {
            collective: 0,
            ..house(
                Residence::Rural,
                (0..5)
                    .map(|_| row(40, Employment::Farmer, 20_000.0))
                    .collect(),
            )
        })
        .collect();
    let collectives = Collectives {
        collective_id: vec![7],
        region: vec![0],
        table: Some(CollectiveTable {
            capacity_yearly: vec![1_000.0],
            participating: vec![participating],
        }),
    };
    population(&houses, collectives)
}

/// Parameters of the collective cases: one tier of 100, every contributor targeted.
fn collective_params(per_member: f64, scale_up: bool) -> ResolvedParams {
    let mut params = ResolvedParams::defaults();
    set_list(&mut params, "contribution_tiers", &[100.0]);
    set(&mut params, "collective_subsidy_per_member", per_member);
    params.set(stem("collective_scale_up"), ParamValue::Flag(scale_up));
    params.set(
        stem("collective_target"),
        ParamValue::Text("all_contributors".into()),
    );
    params
}

/// A collective the table marks as not participating pays nothing, unless `collective_scale_up`
/// brings it in with the table's capacity: 20 contributors x 80 = 1600 asked, capacity 1000, so
/// 50 each (as the pro-rata case).
#[test]
fn collective_scale_up_brings_non_pilots_in() {
    let run_with = |scale_up: bool| {
        let mut pop = twenty_farmers_in_one_collective(false);
        run(&mut pop, &collective_params(80.0, scale_up)).0
    };
    close_all(col(&run_with(false), "collective_subsidy"), &[0.0; 20]);
    close_all(col(&run_with(true), "collective_subsidy"), &[50.0; 20]);
}

// ---------------------------------------------------------------------------------------------
// Conformance cases of v1.3: medical security, medical and temporary assistance, hukou (rules.md
// 11-13). Need is given as the persons' outpatient_cost and inpatient_cost; coverage and take-up
// are 1 (the defaults).

/// A person with the year's medical costs given.
fn patient(age: u8, employment: Employment, earnings: f64, inpatient: f64, outpatient: f64) -> Row {
    Row {
        inpatient_cost: inpatient,
        outpatient_cost: outpatient,
        ..row(age, employment, earnings)
    }
}

/// The resident scheme's terms shared by the v1.3 cases.
fn resident_medical(p: &mut ResolvedParams) {
    set(p, "bmi_resident_premium", 350.0);
    set(p, "bmi_inpatient_deductible_resident", 800.0);
    set(p, "bmi_inpatient_rate_resident", 0.6);
    set(p, "bmi_inpatient_cap_resident", 200_000.0);
    set(p, "cii_threshold", 20_000.0);
    set(p, "cii_rate", 0.6);
}

fn sum(values: &[f64]) -> f64 {
    values.iter().sum()
}

/// "medical-resident-inpatient": inpatient 0.6 x (20000 - 800) = 11520, outpatient 0.5 x 1000 =
/// 500, reimbursed 12020; out-of-pocket 21000 - 12020 = 8980, under the critical-illness
/// threshold; premium 350 in C: D = 29650; D_health = 29650 - 8980 = 20670.
#[test]
fn medical_resident_inpatient() {
    let mut params = ResolvedParams::defaults();
    resident_medical(&mut params);
    set(&mut params, "bmi_outpatient_rate_resident", 0.5);
    let mut pop = single(
        Residence::Rural,
        patient(45, Employment::Farmer, 30_000.0, 20_000.0, 1_000.0),
    );
    let (out, _) = run(&mut pop, &params);
    close(out.own_contributions[0], 350.0);
    close(col(&out, "medical_insurance_reimbursement")[0], 12_020.0);
    close(col(&out, "critical_illness_benefit")[0], 0.0);
    close(out.medical_out_of_pocket[0], 8_980.0);
    close(out.disposable_income[0], 29_650.0);
    close(out.disposable_income_health[0], 20_670.0);
}

/// "medical-critical-illness-above-threshold": insurance 0.6 x (100000 - 800) = 59520, left
/// 40480; critical illness 0.6 x (40480 - 20000) = 12288; out-of-pocket 28192; D_health = 29650 -
/// 28192 = 1458.
#[test]
fn medical_critical_illness_above_threshold() {
    let mut params = ResolvedParams::defaults();
    resident_medical(&mut params);
    let mut pop = single(
        Residence::Rural,
        patient(45, Employment::Farmer, 30_000.0, 100_000.0, 0.0),
    );
    let (out, _) = run(&mut pop, &params);
    close(col(&out, "medical_insurance_reimbursement")[0], 59_520.0);
    close(col(&out, "critical_illness_benefit")[0], 12_288.0);
    close(out.medical_out_of_pocket[0], 28_192.0);
    close(out.disposable_income_health[0], 1_458.0);
}

/// "medical-huiminbao-after-critical-illness": as above, then huiminbao 0.5 x (28192 - 20000) =
/// 4096; out-of-pocket 24096; the 100 premium is private (not in C): D = 29650, D_health = 29650
/// - 24096 - 100 = 5454.
#[test]
fn medical_huiminbao_after_critical_illness() {
    let mut params = ResolvedParams::defaults();
    resident_medical(&mut params);
    set(&mut params, "huiminbao_take_up", 1.0);
    set(&mut params, "huiminbao_premium", 100.0);
    set(&mut params, "huiminbao_deductible", 20_000.0);
    set(&mut params, "huiminbao_rate", 0.5);
    set(&mut params, "huiminbao_cap", 1_000_000.0);
    let mut pop = single(
        Residence::Rural,
        patient(45, Employment::Farmer, 30_000.0, 100_000.0, 0.0),
    );
    let (out, acc) = run(&mut pop, &params);
    close(col(&out, "huiminbao_benefit")[0], 4_096.0);
    close(out.medical_out_of_pocket[0], 24_096.0);
    close(out.disposable_income[0], 29_650.0);
    close(out.disposable_income_health[0], 5_454.0);
    close(government(&acc, "huiminbao"), 0.0);
}

/// "medical-dibao-household-critical-illness-and-assistance": dibao last year: premium 350 half
/// paid by government, own 175 each. Insurance 59520, left 40480; the poor's critical illness
/// 0.65 x (40480 - 10000) = 19812, left 20668; medical assistance 0.7 x 20668 = 14467.6, capped at
/// 10000; out-of-pocket 10668. Dibao: I = (6000 - 350) / 2 = 2825, (8000 - 2825) x 2 = 10350. D =
/// 16000; D_health = 5332. Medical-assistance fiscal cost 10000 + 175 x 2 = 10350.
#[test]
fn medical_dibao_household_critical_illness_and_assistance() {
    let mut params = ResolvedParams::defaults();
    resident_medical(&mut params);
    set(&mut params, "dibao_standard", 8_000.0);
    set(&mut params, "bmi_paid_share_dibao", 0.5);
    set(&mut params, "cii_threshold_factor_poor", 0.5);
    set(&mut params, "cii_rate_bonus_poor", 0.05);
    set(&mut params, "medical_assistance_rate_dibao", 0.7);
    set(&mut params, "medical_assistance_deductible", 0.0);
    set(&mut params, "medical_assistance_cap", 10_000.0);
    let poor = |r: Row| Row {
        dibao_last_year: true,
        ..r
    };
    let mut pop = population(
        &[house(
            Residence::Rural,
            vec![
                poor(patient(50, Employment::NotWorking, 0.0, 100_000.0, 0.0)),
                poor(patient(48, Employment::Farmer, 6_000.0, 0.0, 0.0)),
            ],
        )],
        Collectives::default(),
    );
    let (out, acc) = run(&mut pop, &params);
    close_all(&out.own_contributions, &[175.0, 175.0]);
    close_all(col(&out, "critical_illness_benefit"), &[19_812.0, 0.0]);
    close_all(col(&out, "medical_assistance"), &[10_000.0, 0.0]);
    close_all(&out.medical_out_of_pocket, &[10_668.0, 0.0]);
    close(sum(col(&out, "dibao")), 10_350.0);
    close(sum(&out.disposable_income), 16_000.0);
    close(sum(&out.disposable_income_health), 5_332.0);
    close(government(&acc, "medical_assistance"), 10_350.0);
}

/// "medical-tekun-full-assistance": te-kun last year: premium fully paid by government (own 0).
/// Insurance 0.6 x (30000 - 800) = 17520, left 12480; the poor's critical illness 0.65 x (12480 -
/// 10000) = 1612, left 10868; medical assistance at rate 1.0: 10868, out-of-pocket 0. Te-kun this
/// year: support 1.3 x 8000 = 10400 = D = D_health.
#[test]
fn medical_tekun_full_assistance() {
    let mut params = ResolvedParams::defaults();
    resident_medical(&mut params);
    set(&mut params, "dibao_standard", 8_000.0);
    set(&mut params, "bmi_paid_share_tekun", 1.0);
    set(&mut params, "cii_threshold_factor_poor", 0.5);
    set(&mut params, "cii_rate_bonus_poor", 0.05);
    set(&mut params, "medical_assistance_rate_tekun", 1.0);
    set(&mut params, "medical_assistance_cap", 100_000.0);
    let mut pop = single(
        Residence::Rural,
        Row {
            tekun_last_year: true,
            no_supporter: true,
            ..patient(75, Employment::NotWorking, 0.0, 30_000.0, 0.0)
        },
    );
    let (out, _) = run(&mut pop, &params);
    close(out.own_contributions[0], 0.0);
    close(col(&out, "critical_illness_benefit")[0], 1_612.0);
    close(col(&out, "medical_assistance")[0], 10_868.0);
    close(out.medical_out_of_pocket[0], 0.0);
    close(col(&out, "tekun_support")[0], 10_400.0);
    close(out.disposable_income[0], 10_400.0);
    close(out.disposable_income_health[0], 10_400.0);
}

/// "medical-employee-inpatient": base 60000: pension 0.08 x 60000 = 4800 and medical 0.02 x 60000
/// = 1200 in C; insurance 0.85 x (10000 - 1500) = 7225, out-of-pocket 2775 (no critical illness:
/// employee scheme). D = 54000; D_health = 51225.
#[test]
fn medical_employee_inpatient() {
    let mut params = ResolvedParams::defaults();
    set(&mut params, "employee_rate", 0.08);
    set(&mut params, "employer_rate", 0.16);
    set(&mut params, "base_floor", 0.6);
    set(&mut params, "base_cap", 3.0);
    set(&mut params, "average_wage", 100_000.0);
    set(&mut params, "bmi_employee_rate", 0.02);
    set(&mut params, "bmi_inpatient_deductible_employee", 1_500.0);
    set(&mut params, "bmi_inpatient_rate_employee", 0.85);
    set(&mut params, "bmi_inpatient_cap_employee", 300_000.0);
    set(&mut params, "cii_threshold", 20_000.0);
    set(&mut params, "cii_rate", 0.6);
    let mut pop = single(
        Residence::Urban,
        patient(40, Employment::Employee, 60_000.0, 10_000.0, 0.0),
    );
    let (out, _) = run(&mut pop, &params);
    close(out.own_contributions[0], 6_000.0);
    close(col(&out, "medical_insurance_reimbursement")[0], 7_225.0);
    close(col(&out, "critical_illness_benefit")[0], 0.0);
    close(out.medical_out_of_pocket[0], 2_775.0);
    close(out.disposable_income[0], 54_000.0);
    close(out.disposable_income_health[0], 51_225.0);
}

/// "temporary-assistance-after-illness": premiums 350 x 2 in C: D = 23300, per capita 11650 >=
/// 9000, no dibao. Insurance 0.6 x (50000 - 800) = 29520, left 20480; critical illness 0.6 x 480 =
/// 288; out-of-pocket 20192; D_health = 3108, per capita 1554 < 9000: temporary assistance
/// min(5000, 0.5 x (9000 - 1554) x 2 = 7446) = 5000, in A: D = 28300, D_health = 8108.
#[test]
fn temporary_assistance_after_illness() {
    let mut params = ResolvedParams::defaults();
    resident_medical(&mut params);
    set(&mut params, "dibao_standard", 9_000.0);
    set(&mut params, "temporary_assistance_take_up", 1.0);
    set(&mut params, "temporary_assistance_share", 0.5);
    set(&mut params, "temporary_assistance_cap", 5_000.0);
    let mut pop = population(
        &[house(
            Residence::Urban,
            vec![
                patient(40, Employment::Flexible, 24_000.0, 0.0, 0.0),
                patient(38, Employment::NotWorking, 0.0, 50_000.0, 0.0),
            ],
        )],
        Collectives::default(),
    );
    let (out, acc) = run(&mut pop, &params);
    close(sum(col(&out, "dibao")), 0.0);
    close(sum(col(&out, "temporary_assistance")), 5_000.0);
    close(government(&acc, "temporary_assistance"), 5_000.0);
    close(sum(&out.disposable_income), 28_300.0);
    close(sum(&out.disposable_income_health), 8_108.0);
}

/// The household of "dibao-local-hukou-only" and "dibao-hukou-open-by-default".
fn hukou_household() -> Population {
    let local = |local_hukou, r: Row| Row { local_hukou, ..r };
    population(
        &[house(
            Residence::Urban,
            vec![
                local(true, row(35, Employment::Flexible, 20_000.0)),
                local(false, row(33, Employment::NotWorking, 0.0)),
                local(false, row(8, Employment::Student, 0.0)),
            ],
        )],
        Collectives::default(),
    )
}

/// "dibao-local-hukou-only": I = 20000 / 3 = 6666.67; gap 2333.33 a member, paid only for the one
/// member with local hukou (the means test still divides by 3).
#[test]
fn dibao_local_hukou_only() {
    let mut params = ResolvedParams::defaults();
    set(&mut params, "dibao_standard", 9_000.0);
    params.set(stem("assistance_local_hukou_only"), ParamValue::Flag(true));
    let (out, _) = run(&mut hukou_household(), &params);
    close(sum(col(&out, "dibao")), 2_333.33);
}

/// "dibao-hukou-open-by-default": the same household without the hukou condition (default false):
/// 2333.33 x 3 = 7000.
#[test]
fn dibao_hukou_open_by_default() {
    let mut params = ResolvedParams::defaults();
    set(&mut params, "dibao_standard", 9_000.0);
    let (out, _) = run(&mut hukou_household(), &params);
    close(sum(col(&out, "dibao")), 7_000.0);
}

// ---------------------------------------------------------------------------------------------
// Property tests on random small households.

/// Parameters every property starts from: every family on, draws off (the defaults).
fn property_params(dibao_standard: f64, basic_pension: f64) -> ResolvedParams {
    let mut p = ResolvedParams::defaults();
    set(&mut p, "dibao_standard", dibao_standard);
    set(&mut p, "basic_pension", basic_pension);
    set(&mut p, "tekun_standard", 9_000.0);
    set_list(&mut p, "contribution_tiers", &[100.0, 200.0, 500.0]);
    set_list(&mut p, "tier_subsidy", &[30.0, 40.0, 60.0]);
    set(&mut p, "paid_share_dibao", 0.5);
    set(&mut p, "paid_share_tekun", 1.0);
    set_table(&mut p, "elderly_allowance", &[(80, 1_200.0)]);
    set(&mut p, "average_wage", 80_000.0);
    set(&mut p, "average_wage_prev", 78_000.0);
    p.set(stem("ltc_enabled"), ParamValue::Flag(true));
    set(&mut p, "ltc_premium_individual", 30.0);
    set(&mut p, "ltc_premium_employer", 20.0);
    set(&mut p, "ltc_premium_government", 60.0);
    set(&mut p, "ltc_reimbursement_rate", 0.7);
    let grades = [(1, 6_000.0), (2, 18_000.0), (3, 36_000.0)];
    set_table(&mut p, "care_cost", &grades);
    set_table(
        &mut p,
        "ltc_cap",
        &[(1, 3_000.0), (2, 12_000.0), (3, 24_000.0)],
    );
    set_table(
        &mut p,
        "care_subsidy",
        &[(1, 600.0), (2, 1_200.0), (3, 2_400.0)],
    );
    p
}

fn row_strategy() -> impl Strategy<Value = Row> {
    (
        (
            0u8..=95,
            0usize..6,
            prop_oneof![Just(0.0), 1_000.0..60_000.0f64],
        ),
        (0.0..15_000.0f64, 0u8..=3, any::<bool>(), any::<bool>()),
        (0.0..40_000.0f64, 0.0..40.0f64, any::<(bool, bool, bool)>()),
        prop_oneof![Just(0.0), 10_000.0..50_000.0f64],
    )
        .prop_map(
            |(
                (age, e, earnings),
                (other, grade, no_supporter, female),
                (balance, years, flags),
                pension,
            )| {
                let employment = Employment::ALL[e];
                Row {
                    sex: if female { Sex::Female } else { Sex::Male },
                    other_income: other,
                    contribution_years: years.floor(),
                    account_balance: balance,
                    current_pension: if employment == Employment::Retired {
                        pension
                    } else {
                        0.0
                    },
                    disability_grade: grade,
                    no_supporter,
                    dibao_last_year: flags.0,
                    tekun_last_year: flags.1,
                    margin_last_year: flags.2,
                    ..row(age, employment, earnings)
                }
            },
        )
}

fn houses_strategy() -> impl Strategy<Value = Vec<House>> {
    prop::collection::vec(
        (
            prop::collection::vec(row_strategy(), 1..=5),
            any::<bool>(),
            0.5..3.0f64,
        )
            .prop_map(|(rows, rural, weight)| House {
                weight,
                ..house(
                    if rural {
                        Residence::Rural
                    } else {
                        Residence::Urban
                    },
                    rows,
                )
            }),
        1..=4,
    )
}

/// Household per-capita D of each household (first member's value).
fn household_pc_disposable(pop: &Population, out: &Outcomes) -> Vec<f64> {
    (0..pop.households.len())
        .map(|h| out.household_per_capita_disposable[pop.households.start[h] as usize])
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Spec 4.1: a household on dibao (gap formula) ends at or above the standard per capita,
    /// whenever its income before assistance I is not negative (the benefit is capped at the
    /// standard, so a negative I stays below). Te-kun support here does not count pensions, so a
    /// te-kun member's support (>= 1.3 x standard) also covers the gap.
    #[test]
    fn dibao_household_reaches_the_standard(houses in houses_strategy(), standard in 3_000.0..15_000.0f64) {
        let mut params = property_params(standard, 2_000.0);
        set(&mut params, "tekun_standard", 0.0);
        let mut pop = population(&houses, Collectives::default());
        let (out, _) = run(&mut pop, &params);
        for h in 0..pop.households.len() {
            let m = pop.households.members(h);
            let n = m.len() as f64;
            let assistance: f64 = m.clone()
                .map(|i| col(&out, "dibao")[i] + col(&out, "tekun_support")[i] + col(&out, "one_time_subsidy")[i])
                .sum();
            let d_pc = out.household_per_capita_disposable[m.start];
            let income_pc = d_pc - assistance / n;
            if m.clone().any(|i| out.dibao_status[i] == AssistanceStatus::Dibao) && income_pc >= 0.0 {
                prop_assert!(d_pc >= standard - 1e-6, "D per capita {d_pc} < standard {standard}");
            }
        }
    }

    /// Issue 13: every income component a household has is the sum of what its registered
    /// programs wrote to the outcome columns of that component (by each outcome's declared role;
    /// an LTC benefit in cash adds its reimbursement to T), and per-capita D is M + P + A + T - C
    /// of those sums: nothing is booked nowhere, nothing is derived by subtraction.
    #[test]
    fn income_components_are_the_sums_of_their_programs_outcomes(
        houses in houses_strategy(), standard in 3_000.0..15_000.0f64, cash in any::<bool>(),
    ) {
        use gongfu::income::Concept;
        use gongfu::rules::program::Role;
        let mut params = property_params(standard, 2_000.0);
        params.set(stem("ltc_cash_benefit"), ParamValue::Flag(cash));
        set(&mut params, "one_time_subsidy", 300.0);
        let mut pop = population(&houses, Collectives::default());
        let (out, _) = run(&mut pop, &params);
        let layout = gongfu::rules::layout::layout();
        let near = |a: f64, b: f64| (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()));
        for h in 0..pop.households.len() {
            let m = pop.households.members(h);
            let totals = out.household_totals[h];
            for (concept, booked) in [
                (Concept::Pensions, totals.pensions),
                (Concept::Assistance, totals.assistance),
                (Concept::OtherTransfers, totals.other_transfers),
            ] {
                let mut sum: f64 = layout
                    .outcomes
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| o.role == Role::Income(concept))
                    .map(|(k, _)| m.clone().map(|i| out.column_at(k)[i]).sum::<f64>())
                    .sum();
                if cash && concept == Concept::OtherTransfers {
                    sum += m.clone().map(|i| col(&out, "ltc_reimbursement")[i]).sum::<f64>();
                }
                prop_assert!(near(sum, booked), "household {h} {concept:?}: outcomes {sum}, booked {booked}");
            }
            let own: f64 = m.clone().map(|i| out.own_contributions[i]).sum();
            prop_assert!(near(own, totals.contributions), "household {h} C: {own} vs {}", totals.contributions);
            let n = m.len() as f64;
            let d = (totals.market + totals.pensions + totals.assistance + totals.other_transfers
                - totals.contributions) / n;
            prop_assert!(near(d, out.household_per_capita_disposable[m.start]), "household {h} D");
        }
    }

    /// Raising the dibao standard never lowers anyone's disposable income in a static year
    /// (gap formula, no targeting errors: the defaults).
    #[test]
    fn raising_the_dibao_standard_lowers_nobody(
        houses in houses_strategy(), standard in 3_000.0..15_000.0f64, rise in 0.0..5_000.0f64,
        one_time in prop_oneof![Just(0.0), 100.0..2_000.0f64],
        min_benefit in prop_oneof![Just(0.0), 100.0..3_000.0f64],
    ) {
        let outcomes = |s: f64| {
            let mut params = property_params(s, 2_000.0);
            set(&mut params, "one_time_subsidy", one_time);
            set(&mut params, "dibao_min_benefit", min_benefit);
            params.set(stem("tekun_counts_pension"), ParamValue::Flag(true));
            let mut pop = population(&houses, Collectives::default());
            run(&mut pop, &params).0
        };
        let (low, high) = (outcomes(standard), outcomes(standard + rise));
        for (i, (a, b)) in low.disposable_income.iter().zip(&high.disposable_income).enumerate() {
            prop_assert!(b >= &(a - 1e-6), "person {i}: D {a} -> {b}");
        }
    }

    /// Without the dibao minimum benefit and the one-time subsidy (and with the te-kun test off,
    /// see the next test), raising the basic pension never lowers a household's per-capita D.
    #[test]
    fn raising_a_pension_lowers_no_household_without_cliffs(
        houses in houses_strategy(), standard in 3_000.0..15_000.0f64,
        basic in 0.0..5_000.0f64, rise in 0.0..3_000.0f64,
    ) {
        let houses: Vec<House> = houses.into_iter().map(|mut h| {
            h.members.iter_mut().for_each(|r| r.no_supporter = false);
            h
        }).collect();
        let per_capita = |b: f64| {
            let params = property_params(standard, b);
            let mut pop = population(&houses, Collectives::default());
            let (out, _) = run(&mut pop, &params);
            household_pc_disposable(&pop, &out)
        };
        for (h, (a, b)) in per_capita(basic).iter().zip(per_capita(basic + rise)).enumerate() {
            prop_assert!(b >= a - 1e-6, "household {h}: D per capita {a} -> {b}");
        }
    }

    /// The government flows reported equal an independent sum from the per-person outcomes and
    /// the pre-year population: basic pensions, tier subsidies (everyone at the lowest tier, 30),
    /// government-paid contributions, assistance, allowances, care subsidies, government LTC
    /// premiums, and the two funds' deficits (share 1).
    #[test]
    fn government_flows_equal_fiscal_cost(houses in houses_strategy(), standard in 3_000.0..15_000.0f64) {
        let params = property_params(standard, 2_000.0);
        let mut pop = population(&houses, Collectives::default());
        let before = pop.persons.clone();
        let (out, acc) = run(&mut pop, &params);
        let (mut government, mut employee_in, mut ltc_in) = (0.0, 0.0, 0.0);
        let (mut employee_out, mut ltc_out) = (0.0, 0.0);
        for i in 0..before.len() {
            let w = pop.households.weight[before.household[i] as usize];
            let account_pension = if col(&out, "resident_pension")[i] > 0.0 {
                before.account_balance[i] / 139.0 * 12.0
            } else {
                0.0
            };
            let tier_subsidy = if out.account_credit()[i] > 0.0 { 30.0 } else { 0.0 };
            let adult_premiums = if before.age[i] >= 18 { 30.0 + 20.0 + 60.0 } else { 0.0 };
            let paid_premium = if before.age[i] >= 18 && (before.dibao_last_year[i] || before.tekun_last_year[i]) {
                30.0
            } else {
                0.0
            };
            government += w * (col(&out, "resident_pension")[i] - account_pension + tier_subsidy
                + col(&out, "government_paid_contribution")[i] + col(&out, "dibao")[i] + col(&out, "tekun_support")[i]
                + col(&out, "one_time_subsidy")[i] + col(&out, "elderly_allowance")[i] + col(&out, "categorical_transfers")[i]
                + col(&out, "care_subsidy")[i] + if before.age[i] >= 18 { 60.0 } else { 0.0 } + paid_premium);
            ltc_in += w * adult_premiums;
            ltc_out += w * col(&out, "ltc_reimbursement")[i];
            employee_out += w * col(&out, "employee_pension")[i];
            let contributes = before.pension_scheme[i] == PensionScheme::Employee
                && before.employment[i] == Employment::Employee
                && before.current_pension_yearly[i] == 0.0
                && f64::from(before.age[i]) < if before.sex[i] == Sex::Male { 60.0 } else { 50.0 };
            if contributes {
                let base = before.earnings_yearly[i].clamp(0.6 * 80_000.0, 3.0 * 80_000.0);
                employee_in += w * 0.24 * base;
            }
        }
        government += (employee_out - employee_in).max(0.0) + (ltc_out - ltc_in).max(0.0);
        let reported = acc.government_total();
        prop_assert!((reported - government).abs() < 1e-4 * (1.0 + government.abs()),
            "reported {reported}, independent {government}");
        let by_program: f64 = acc.lines().map(|(_, a)| a.paid(Payer::Government)).sum();
        prop_assert!((reported - by_program).abs() < 1e-6 * (1.0 + reported.abs()));
    }

    /// Fiscal accounts of two chunks, merged, are bit-identical to those of the whole population
    /// (exact sums), and per-person outcomes do not depend on the split.
    #[test]
    fn chunked_accounts_are_bit_identical(houses in houses_strategy(), standard in 3_000.0..15_000.0f64, cut in 0usize..4) {
        let params = property_params(standard, 2_000.0);
        let cut = cut.min(houses.len());
        let mut whole = population(&houses, Collectives::default());
        let (out, mut acc) = run_unfinalized(&mut whole, &params);
        let mut merged = FiscalAccounts::new([]);
        let mut disposable = Vec::new();
        for part in [&houses[..cut], &houses[cut..]] {
            let mut pop = population(part, Collectives::default());
            let (o, a) = run_unfinalized(&mut pop, &params);
            merged.merge(&a);
            disposable.extend(o.disposable_income);
        }
        merged.finalize(&[1.0, 1.0]);
        acc.finalize(&[1.0, 1.0]);
        prop_assert_eq!(merged, acc);
        prop_assert_eq!(disposable, out.disposable_income);
    }

    /// Doubling every weight doubles every total and leaves every per-person amount unchanged
    /// (no collectives here: a collective's capacity is an absolute amount, see docs/rules.md).
    #[test]
    fn doubling_weights_doubles_totals(houses in houses_strategy(), standard in 3_000.0..15_000.0f64) {
        let params = property_params(standard, 2_000.0);
        let mut pop = population(&houses, Collectives::default());
        let mut doubled = pop.clone();
        doubled.households.weight.iter_mut().for_each(|w| *w *= 2.0);
        let (a, acc_a) = run(&mut pop, &params);
        let (b, acc_b) = run(&mut doubled, &params);
        prop_assert_eq!(&a.disposable_income, &b.disposable_income);
        prop_assert_eq!(&a.disposable_income_care, &b.disposable_income_care);
        prop_assert_eq!(col(&a, "dibao"), col(&b, "dibao"));
        let (s, t) = (&pop.persons, &doubled.persons);
        prop_assert_eq!(&s.account_balance, &t.account_balance);
        prop_assert_eq!(&s.contribution_years, &t.contribution_years);
        prop_assert_eq!(&s.resident_tier_yearly, &t.resident_tier_yearly);
        prop_assert_eq!(&s.current_pension_yearly, &t.current_pension_yearly);
        prop_assert_eq!(&s.dibao_last_year, &t.dibao_last_year);
        prop_assert_eq!(&s.margin_last_year, &t.margin_last_year);
        let near = |x: f64, y: f64| (2.0 * x - y).abs() <= 1e-6 * (1.0 + y.abs());
        for ((_, la), (_, lb)) in acc_a.lines().zip(acc_b.lines()) {
            for payer in Payer::ALL {
                prop_assert!(near(la.paid(payer), lb.paid(payer)));
            }
            prop_assert!(near(la.benefits.value(), lb.benefits.value()));
            prop_assert!(near(la.beneficiaries_persons.value(), lb.beneficiaries_persons.value()));
            prop_assert!(near(la.beneficiaries_households.value(), lb.beneficiaries_households.value()));
        }
        prop_assert!(near(acc_a.fund("employee_fund").unwrap().balance(), acc_b.fund("employee_fund").unwrap().balance()));
        prop_assert!(near(acc_a.fund("ltc_fund").unwrap().balance(), acc_b.fund("ltc_fund").unwrap().balance()));
    }
}

/// The dibao minimum-benefit cliff (spec 4.1): standard 10000, minimum benefit 2000, a single
/// pensioner with no other income. Basic pension 9500: I = 9500, gap 500 raised to 2000, D =
/// 11500. Basic pension 10100: I = 10100 >= 10000, no dibao, D = 10100. Raising the pension by
/// 600 loses 1400.
#[test]
fn raising_a_pension_can_lower_income_through_the_min_benefit_cliff() {
    let d = |basic: f64| {
        let mut params = ResolvedParams::defaults();
        set(&mut params, "dibao_standard", 10_000.0);
        set(&mut params, "dibao_min_benefit", 2_000.0);
        set(&mut params, "basic_pension", basic);
        let mut pop = single(Residence::Rural, retired_resident(70, 0.0, 0.0));
        run(&mut pop, &params).0.disposable_income[0]
    };
    close(d(9_500.0), 11_500.0);
    close(d(10_100.0), 10_100.0);
    close(d(9_500.0) - d(10_100.0), 1_400.0);
}

/// The one-time subsidy cliff: standard 10000, one-time 1500: pension 9900 gives 100 dibao +
/// 1500 = 11500; pension 10000 gives no dibao, D = 10000: a loss of 1500.
#[test]
fn raising_a_pension_can_lower_income_through_the_one_time_subsidy() {
    let d = |basic: f64| {
        let mut params = ResolvedParams::defaults();
        set(&mut params, "dibao_standard", 10_000.0);
        set(&mut params, "one_time_subsidy", 1_500.0);
        set(&mut params, "basic_pension", basic);
        let mut pop = single(Residence::Rural, retired_resident(70, 0.0, 0.0));
        run(&mut pop, &params).0.disposable_income[0]
    };
    close(d(9_900.0), 11_500.0);
    close(d(10_000.0), 10_000.0);
}

/// A missing grade in a grade table is an error naming the key (spec preamble): LTC on, a
/// grade-2 person, care_cost gives only grade 3.
#[test]
fn missing_grade_is_an_error_naming_the_key() {
    let mut params = ResolvedParams::defaults();
    params.set(stem("ltc_enabled"), ParamValue::Flag(true));
    set_table(&mut params, "care_cost", &[(3, 36_000.0)]);
    set_table(&mut params, "ltc_cap", &[(3, 24_000.0)]);
    let mut pop = single(
        Residence::Urban,
        Row {
            disability_grade: 2,
            ..row(70, Employment::Retired, 0.0)
        },
    );
    let err = apply(&mut pop, &year_rules(&params, 2024, true))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("`ltc_care_cost`") && err.contains("grade 2"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// State carried to next year.

/// Dynamic year (spec 10): the dynamics retired a 60-year-old man this year (employment retired,
/// earnings 0, no pension yet): 50000 x (1 + 1.2) / 2 x 30 x 1% = 16500, plus 139000 / 139 x 12
/// = 12000: 28500, stored as his current pension and paid this year.
#[test]
fn dynamic_year_retiree_gets_and_keeps_his_pension() {
    let mut params = ResolvedParams::defaults();
    set(&mut params, "average_wage_prev", 50_000.0);
    let mut retiree = Row {
        contribution_years: 30.0,
        indexed_wage_ratio: 1.2,
        account_balance: 139_000.0,
        ..row(60, Employment::Retired, 0.0)
    };
    retiree.current_pension = 0.0;
    let mut pop = single(Residence::Urban, retiree);
    pop.persons.pension_scheme[0] = PensionScheme::Employee;
    let (out, acc) = run_year(&mut pop, &params, 2026, false);
    close(col(&out, "employee_pension")[0], 28_500.0);
    close(pop.persons.current_pension_yearly[0], 28_500.0);
    // The fund had no contributions: the whole pension is a deficit the government covers.
    close(government(&acc, "employee_pension"), 28_500.0);
}

/// Old cohort (spec 10): in 2030 of a run started in 2024, a 66-year-old was 60 in 2024 and gets
/// the basic pension without contributions (2400); a 65-year-old was 59 and, with 0 years, not.
#[test]
fn old_cohort_is_fixed_at_the_start_year() {
    let mut params = ResolvedParams::defaults();
    set(&mut params, "basic_pension", 2_400.0);
    let mut pop = population(
        &[house(
            Residence::Rural,
            vec![
                retired_resident(66, 0.0, 0.0),
                retired_resident(65, 0.0, 0.0),
            ],
        )],
        Collectives::default(),
    );
    let (out, _) = run_year(&mut pop, &params, 2030, false);
    close_all(col(&out, "resident_pension"), &[2_400.0, 0.0]);
}

/// Contributions add a year and the credit; a collective upgrade (probability 1, 2 steps) moves
/// the tier from 100 to 500 for next year; last year's flags are rewritten from this year.
#[test]
fn contributors_state_for_next_year() {
    let mut params = ResolvedParams::defaults();
    set_list(&mut params, "contribution_tiers", &[100.0, 200.0, 500.0]);
    set(&mut params, "account_interest_rate", 0.1);
    set(&mut params, "collective_subsidy_per_member", 50.0);
    set(&mut params, "collective_capacity", 1_000.0);
    params.set(
        stem("collective_target"),
        ParamValue::Text("all_contributors".into()),
    );
    set(&mut params, "tier_upgrade_probability", 1.0);
    set(&mut params, "tier_upgrade_steps", 2.0);
    let farmer = Row {
        contribution_years: 4.0,
        account_balance: 1_000.0,
        dibao_last_year: true,
        ..row(40, Employment::Farmer, 30_000.0)
    };
    let collectives = Collectives {
        collective_id: vec![3],
        region: vec![0],
        table: None,
    };
    let mut pop = population(
        &[House {
            collective: 0,
            ..house(Residence::Rural, vec![farmer])
        }],
        collectives,
    );
    let (out, _) = run(&mut pop, &params);
    // Tier drawn as the lowest (no shares): 100; credit 100 + 50 = 150; (1000 + 150) x 1.1 = 1265.
    close(out.account_credit()[0], 150.0);
    close(pop.persons.account_balance[0], 1_265.0);
    close(pop.persons.contribution_years[0], 5.0);
    close(pop.persons.resident_tier_yearly[0], 500.0);
    assert!(!pop.persons.dibao_last_year[0]);
}
