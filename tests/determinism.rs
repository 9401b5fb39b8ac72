//! Determinism and common random numbers (issue 4, item 3): the same seed gives bit-identical
//! outputs whatever the thread count and chunk size, and a reform that changes only a benefit
//! leaves every demographic path identical to the baseline's.

use std::path::Path;

use crate::common::{Scratch, gongfu_in, stderr};

/// A small scenario on the national synthetic population with every dynamic switched on.
fn baseline(dir: &Scratch) -> String {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("synthetic_pop/china_2022.toml");
    let text = format!(
        r#"name = "base"
reference = true
years = "2022..2026"
seed = 7
[population]
spec = "{}"
persons = 10000
seed = 11
[params]
basic_pension_monthly = 150
contribution_tiers = [100, 200, 500]
tier_subsidy = [30, 30, 60]
tier_choice_shares = [0.6, 0.3, 0.1]
resident_enrolment_rate = 0.9
average_wage = {{ 2022 = 114029, index = "wages" }}
average_wage_prev = {{ 2022 = 106837, index = "wages" }}
pension_indexation = 0.03
retirement_reform_2025 = true
dibao_standard_monthly = 700
take_up_rate = 0.6
inclusion_margin = 1.5
inclusion_error_rate = 0.05
inclusion_benefit_share = 0.3
ltc_enabled = true
ltc_coverage = 0.5
ltc_premium_individual = 30
ltc_premium_government = 60
ltc_min_grade = 2
ltc_reimbursement_rate = 0.7
care_cost = {{ 1 = 6000, 2 = 18000, 3 = 36000 }}
ltc_cap = {{ 2 = 12000, 3 = 24000 }}
collective_participation = 0.5
collective_subsidy_per_member = 80
collective_capacity = 2000
tier_upgrade_probability = 0.3
wage_growth_rate = 0.05
rural_income_growth_rate = 0.06
earnings_shock_sd = 0.1
mortality_improvement_rate = 0.01
disability_mortality_ratio = 2.5
total_fertility_rate = 1.05
urbanisation_rate_annual = 0.03
disability_onset_rate = {{ 50 = 0.01, 70 = 0.05 }}
disability_progression_rate = {{ 60 = 0.1 }}
disability_recovery_rate = 0.02
"#,
        spec.display()
    );
    dir.write("base.toml", text).display().to_string()
}

fn run(dir: &Scratch, out: &str, scenarios: &[&str], extra: &[&str], threads: &str) {
    let mut args = vec!["run"];
    args.extend_from_slice(scenarios);
    args.extend_from_slice(&["--out", out, "--quiet", "--microdata-csv"]);
    args.extend_from_slice(extra);
    let o = gongfu_in(&dir.0, &args, &[("RAYON_NUM_THREADS", threads)]);
    assert!(o.status.success(), "run failed: {}", stderr(&o));
}

fn read(path: impl AsRef<Path>) -> Vec<u8> {
    std::fs::read(path.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", path.as_ref().display()))
}

#[test]
fn outputs_are_bit_identical_across_threads_and_chunk_sizes() {
    let dir = Scratch::new("determinism");
    let base = baseline(&dir);
    run(&dir, "t1", &[&base], &[], "1");
    run(&dir, "t2", &[&base], &[], "2");
    run(&dir, "c7", &[&base], &["--chunk-households", "7"], "2");
    for file in [
        "indicators.csv",
        "fiscal.csv",
        "deciles.csv",
        "lorenz.csv",
        "summary.xlsx",
        "microdata/base_2026.csv",
    ] {
        let one = read(dir.path("t1").join(file));
        assert!(one.len() > 100, "{file} is not trivially empty");
        assert!(
            one == read(dir.path("t2").join(file)),
            "{file} differs between 1 and 2 threads"
        );
        assert!(
            one == read(dir.path("c7").join(file)),
            "{file} differs between chunk sizes"
        );
    }
}

#[test]
fn a_benefit_reform_leaves_every_demographic_path_unchanged() {
    let dir = Scratch::new("crn");
    let base = baseline(&dir);
    let reform = dir.write("reform.toml", "name = \"double_pension\"\nextends = \"base.toml\"\nreference = false\n[params]\nbasic_pension_monthly = 300\ndibao_standard_monthly = 900\n");
    run(&dir, "out", &[&base, reform.to_str().unwrap()], &[], "2");
    // Same persons, ages, disability grades and residences in every year's microdata.
    for year in 2022..=2026 {
        let b = microdata_columns(&dir.path(&format!("out/microdata/base_{year}.csv")));
        let r = microdata_columns(&dir.path(&format!("out/microdata/double_pension_{year}.csv")));
        assert!(!b.is_empty());
        assert!(b == r, "demography differs in {year}");
    }
    // And the reform changed incomes: its mean disposable income is higher in 2026.
    let csv = String::from_utf8(read(dir.path("out/indicators.csv"))).unwrap();
    // One value of indicators.csv: scenario, replication, 2026, national, the indicator.
    let value = |scenario: &str, replication: &str, indicator: &str| -> f64 {
        let prefix = format!("{scenario},{replication},2026,all,all,{indicator},");
        let line = csv
            .lines()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("{prefix} row"));
        line[prefix.len()..]
            .split(',')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(
        value("double_pension", "mean", "mean_disposable")
            > value("base", "mean", "mean_disposable")
    );
    // Cost-effectiveness, recomputed here from the change rows: Gini points per 100 million yuan.
    let value = |indicator: &str| value("double_pension", "0", indicator);
    let expected =
        100.0 * value("gini_disposable_change") / (value("fiscal_cost_total_change") / 1e8);
    assert!((value("gini_points_per_100m_yuan") - expected).abs() <= 1e-12 * expected.abs());
    assert!(value("fiscal_cost_total_change") > 0.0 && value("gini_disposable_change") < 0.0);
}

/// person_id, household_id, weight, region, residence, age, disability_grade of every row.
fn microdata_columns(path: &Path) -> Vec<String> {
    let text = String::from_utf8(read(path)).unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            l.split(',')
                .enumerate()
                .filter(|(i, _)| [0, 1, 4, 5, 6, 7, 8].contains(i))
                .map(|(_, c)| c)
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect()
}
