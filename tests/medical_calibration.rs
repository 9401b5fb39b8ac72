//! The national baseline's medical security against the official 2022 figures of
//! ../shared/data/calibration_targets.toml (`[national.medical]`, `[national.assistance]`) within
//! the tolerances of issue 14, on the 200,000-person run of `shipped_scenarios` (2022 and 2023).
//! Medical assistance and government-paid premiums need last year's assistance status, which a
//! generated population does not carry in its first year (rules.md 8), so they are compared in
//! 2023, the first year with statuses (docs/rules.md, Interpretations 21).

use std::path::Path;

use crate::common::mean_indicator;

/// (year, indicator, official value, relative tolerance), with the target's key.
const TARGETS: [(&str, &str, f64, f64); 5] = [
    ("2022", "beneficiaries_medical_insurance", 1_345.9e6, 0.05), // national.medical.bmi_insured_2022
    ("2023", "fiscal_cost_medical_assistance", 62.6e9, 0.25), // national.medical.medical_assistance_2022 (spending)
    ("2023", "beneficiaries_medical_assistance", 118e6, 0.25), // national.medical.medical_assistance_2022 (assisted person-times)
    ("2023", "beneficiaries_temporary_assistance", 11.986e6, 0.3), // national.assistance.temporary_assistance_person_times_2021
    ("2023", "fiscal_cost_temporary_assistance", 13.84e9, 0.3), // national.assistance.temporary_assistance_spending_2021
];

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

/// Person-weighted mean medical out-of-pocket (urban, rural) from the microdata, yuan/year.
fn out_of_pocket(path: &Path) -> [f64; 2] {
    let text = std::fs::read_to_string(path).expect("microdata");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let col = |name: &str| header.iter().position(|&h| h == name).expect(name);
    let (weight, residence, oop) = (
        col("weight"),
        col("residence"),
        col("medical_out_of_pocket"),
    );
    let (mut sum, mut persons) = ([0.0; 2], [0.0; 2]);
    for l in lines {
        let f: Vec<&str> = l.split(',').collect();
        let r = usize::from(f[residence] != "urban");
        let w: f64 = f[weight].parse().expect("weight");
        sum[r] += w * f[oop].parse::<f64>().expect("out-of-pocket");
        persons[r] += w;
    }
    [sum[0] / persons[0], sum[1] / persons[1]]
}
