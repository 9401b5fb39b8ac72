//! The national baseline's medical security against the official 2022 figures of
//! ../shared/data/calibration_targets.toml (`[national.medical]`, `[national.assistance]`) within
//! the tolerances of issue 14, on the 200,000-person run of `shipped_scenarios` (2022 and 2023).
//! Medical assistance and government-paid premiums need last year's assistance status, which a
//! generated population does not carry in its first year (rules.md 8), so they are compared in
//! 2023, the first year with statuses (docs/rules.md, Interpretations 21); temporary assistance
//! too, since without medical assistance 2022's bills leave more households below the line.
//! Temporary assistance has only 2021 figures in ../shared/data: they are scaled to 2022 by the
//! change in dibao recipients (docs/validation.md, "Medical security").

use std::path::Path;

use crate::common::mean_indicator;

/// (year, indicator, official value, relative tolerance), with the target's key.
const TARGETS: [(&str, &str, f64, f64); 4] = [
    ("2022", "beneficiaries_medical_insurance", 1_345.9e6, 0.05), // national.medical.bmi_insured_2022
    ("2022", "inpatient_admissions_per_100", 17.5, 0.15), // national.medical.inpatient_admissions_2022 (per_100_persons)
    ("2023", "fiscal_cost_medical_assistance", 62.6e9, 0.25), // national.medical.medical_assistance_2022 (spending)
    ("2023", "medical_premium_paid_persons", 81.86e6, 0.25), // national.medical.medical_assistance_2022 (premium_subsidised_persons)
];

/// Temporary assistance of 2021, (indicator, official value), within 30% once scaled to 2022:
/// national.assistance.temporary_assistance_person_times_2021 and _spending_2021 (LW2023).
const TEMPORARY_ASSISTANCE_2021: [(&str, f64); 2] = [
    ("beneficiaries_temporary_assistance", 11.986e6),
    ("fiscal_cost_temporary_assistance", 13.84e9),
];

/// Dibao recipients 2021 and 2022, the scaling basis of temporary assistance (assumption: its
/// person-times and spending move with the population on dibao, the one assistance series of
/// ../shared/data with both years; amounts per case held at 2021's): national.assistance.
/// dibao_recipients_2021 (LW2023) and dibao_recipients_2022 (MCA 2022 bulletin).
const DIBAO_RECIPIENTS_2021_2022: [f64; 2] = [42.123e6, 40.32e6];

/// Outpatient and inpatient medical-assistance person-times of 2022 (门诊和住院救助人次):
/// national.medical.medical_assistance_2022 (assisted_person_times). The model has no visit
/// counts, so only a bound is checked: every person whose bill medical assistance paid is at least
/// one person-time.
const ASSISTED_PERSON_TIMES_2022: f64 = 118e6;

/// Spending of both medical-insurance funds, 2022: national.medical.bmi_fund_spending_2022.
const FUND_SPENDING_2022: f64 = 2.46e12;

/// Household health spending per person, the out-of-pocket proxy (urban, rural):
/// national.medical.health_spending_per_capita_2022.
const OUT_OF_POCKET_2022: [f64; 2] = [2_481.0, 1_632.0];

/// Checks the run folder `out` of the baseline (2022..2023, with microdata).
pub fn check(out: &Path) {
    let csv = std::fs::read_to_string(out.join("indicators.csv")).expect("indicators");
    let value = |year: &str, indicator: &str| mean_indicator(&csv, year, "all", indicator);
    let close = |what: &str, sim: f64, target: f64, tolerance: f64| {
        let error = sim / target - 1.0;
        assert!(
            error.abs() <= tolerance,
            "{what}: simulated {sim}, official {target}, error {error:+.3} beyond {tolerance}"
        );
    };
    for (year, indicator, target, tolerance) in TARGETS {
        close(
            &format!("{indicator} {year}"),
            value(year, indicator),
            target,
            tolerance,
        );
    }
    let [dibao_2021, dibao_2022] = DIBAO_RECIPIENTS_2021_2022;
    for (indicator, official_2021) in TEMPORARY_ASSISTANCE_2021 {
        close(
            &format!("{indicator} 2023 against 2021 scaled to 2022"),
            value("2023", indicator),
            official_2021 * dibao_2022 / dibao_2021,
            0.3,
        );
    }
    let assisted = bills_assisted(&out.join("microdata").join("baseline_2023.csv"));
    assert!(
        assisted > 0.0 && assisted <= ASSISTED_PERSON_TIMES_2022,
        "persons whose bill medical assistance paid, 2023: {assisted}, against \
         {ASSISTED_PERSON_TIMES_2022} official person-times (each person is at least one)"
    );
    let spending = value("2022", "employee_medical_fund_benefits")
        + value("2022", "resident_medical_fund_benefits");
    close(
        "medical-insurance fund spending 2022",
        spending,
        FUND_SPENDING_2022,
        0.15,
    );
    for (residence, (oop, target)) in ["urban", "rural"].into_iter().zip(
        out_of_pocket(&out.join("microdata").join("baseline_2022.csv"))
            .into_iter()
            .zip(OUT_OF_POCKET_2022),
    ) {
        close(
            &format!("out-of-pocket per person, {residence}"),
            oop,
            target,
            0.15,
        );
    }
}

/// The named columns of a microdata file, one vector of cells per column, in row order.
fn columns<const N: usize>(path: &Path, names: [&str; N]) -> [Vec<String>; N] {
    let text = std::fs::read_to_string(path).expect("microdata");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let at = names.map(|name| header.iter().position(|&h| h == name).expect(name));
    let mut cells = names.map(|_| Vec::new());
    for l in lines {
        let f: Vec<&str> = l.split(',').collect();
        for (column, &k) in cells.iter_mut().zip(&at) {
            column.push(f[k].to_owned());
        }
    }
    cells
}

fn number(cell: &str) -> f64 {
    cell.parse().expect("number")
}

/// Person-weighted mean medical out-of-pocket (urban, rural) from the microdata, yuan/year.
fn out_of_pocket(path: &Path) -> [f64; 2] {
    let [weight, residence, oop] = columns(path, ["weight", "residence", "medical_out_of_pocket"]);
    let (mut sum, mut persons) = ([0.0; 2], [0.0; 2]);
    for ((w, r), o) in weight.iter().zip(&residence).zip(&oop) {
        let r = usize::from(r != "urban");
        sum[r] += number(w) * number(o);
        persons[r] += number(w);
    }
    [sum[0] / persons[0], sum[1] / persons[1]]
}

/// Weighted persons with medical assistance toward their bill (> 0 yuan) in the microdata.
fn bills_assisted(path: &Path) -> f64 {
    let [weight, assistance] = columns(path, ["weight", "medical_assistance"]);
    weight
        .iter()
        .zip(&assistance)
        .filter(|(_, a)| number(a) > 0.0)
        .map(|(w, _)| number(w))
        .sum()
}
