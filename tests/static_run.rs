//! `gongfu run --static --microdata` on a population file (issue 3, item 3) and replications
//! (issue 4, item 4), end to end through the command line.

use std::path::Path;

use crate::common::{Scratch, gongfu_in, stderr};

const MICRODATA_COLUMNS: &str = "person_id,household_id,year,scenario,weight,region,residence,age,disability_grade,\
market_income,own_contributions,resident_pension,employee_pension,elderly_allowance,dibao,tekun_support,\
one_time_subsidy,care_subsidy,categorical_transfers,ltc_reimbursement,care_cost,collective_subsidy,\
government_paid_contribution,disposable_income,disposable_income_care,household_per_capita_disposable,dibao_status,\
local_hukou,medical_need,medical_insurance_reimbursement,critical_illness_benefit,huiminbao_benefit,\
medical_assistance,medical_out_of_pocket,medical_premium_own,temporary_assistance,disposable_income_health";

/// Runs scenario `case` (dibao standard 11,000) statically on `pop.csv` in `dir` for 2022 with
/// microdata into `run/`, and checks that it succeeded.
fn run_static_case(dir: &Scratch) {
    dir.write(
        "s.toml",
        "name = \"case\"\n[params]\ndibao_standard_yearly = 11000\n",
    );
    run_on_population(dir, "s.toml", &["--years", "2022", "--static"]);
}

/// Runs `scenario` on `pop.csv` in `dir` with microdata (Parquet and CSV) into `run/` and the
/// extra arguments, and checks that it succeeded.
fn run_on_population(dir: &Scratch, scenario: &str, extra: &[&str]) {
    run_into(dir, scenario, extra, "--microdata-csv", "run");
}

/// Runs `scenario` on `pop.csv` in `dir` with the extra arguments and `microdata` (the flag) into
/// `out`, and checks that it succeeded.
fn run_into(dir: &Scratch, scenario: &str, extra: &[&str], microdata: &str, out: &str) {
    let mut args = vec!["run", scenario, "--population", "pop.csv"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&[microdata, "--out", out, "--quiet"]);
    let output = gongfu_in(&dir.0, &args, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
}

/// Issue 15: `--microdata` writes Parquet only (the CSV of a million persons cost more than the
/// whole static year); `--microdata-csv` writes both, the same rows.
#[test]
fn microdata_are_parquet_only_unless_csv_is_asked_for() {
    let dir = Scratch::new("static-microdata-formats");
    dir.write(
        "pop.csv",
        "person_id,household_id,weight,region,residence,age,sex,employment,earnings\n\
         1,1,1,national,rural,40,m,farmer,18000\n",
    );
    dir.write("s.toml", "name = \"case\"\n");
    for (flag, csv) in [("--microdata", false), ("--microdata-csv", true)] {
        let out = flag.trim_start_matches('-');
        run_into(&dir, "s.toml", &["--years", "2022", "--static"], flag, out);
        let folder = dir.path(&format!("{out}/microdata"));
        assert!(folder.join("case_2022.parquet").exists(), "{flag}");
        assert_eq!(folder.join("case_2022.csv").exists(), csv, "{flag}");
    }
}

/// Conformance "dibao-gap-rural-family": I = 18000 / 3 = 6000 < 11000, benefit (11000 - 6000) x 3 =
/// 15000 for the household, disposable 33000; a second, richer household gets nothing.
#[test]
fn static_year_microdata_has_the_spec_columns_and_the_conformance_figures() {
    let dir = Scratch::new("static");
    dir.write(
        "pop.csv",
        "person_id,household_id,weight,region,residence,age,sex,employment,earnings\n\
         1,1,1,national,rural,40,m,farmer,18000\n\
         2,1,1,national,rural,38,f,not_working,0\n\
         3,1,1,national,rural,12,f,student,0\n\
         4,2,1,national,urban,35,m,flexible,30000\n\
         5,2,1,national,urban,5,f,student,0\n",
    );
    run_static_case(&dir);
    for ext in ["csv", "parquet"] {
        assert!(
            dir.path(&format!("run/microdata/case_2022.{ext}")).exists(),
            "microdata .{ext}"
        );
    }
    let text = std::fs::read_to_string(dir.path("run/microdata/case_2022.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next().unwrap(), MICRODATA_COLUMNS);
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 5, "one row per person");
    let col = |name: &str| {
        MICRODATA_COLUMNS
            .split(',')
            .position(|c| c == name)
            .unwrap()
    };
    let sum = |household: &str, name: &str| -> f64 {
        rows.iter()
            .filter(|r| r[col("household_id")] == household)
            .map(|r| r[col(name)].parse::<f64>().unwrap())
            .sum()
    };
    assert!(
        (sum("1", "dibao") - 15_000.0).abs() < 0.01,
        "household dibao"
    );
    assert!(
        (sum("1", "disposable_income") - 33_000.0).abs() < 0.01,
        "household disposable income"
    );
    assert_eq!(
        sum("2", "dibao"),
        0.0,
        "dibao-not-eligible: I = 15000 >= 11000"
    );
    for r in rows.iter().filter(|r| r[col("household_id")] == "1") {
        assert_eq!(r[col("dibao_status")], "dibao");
        assert!(
            (r[col("household_per_capita_disposable")]
                .parse::<f64>()
                .unwrap()
                - 11_000.0)
                .abs()
                < 0.01
        );
    }
}

/// Three replications: a row per replication, and a mean row whose value is the mean of the three
/// (computed here independently) with a 95% interval around it.
#[test]
fn replications_give_means_and_intervals() {
    let dir = Scratch::new("replications");
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("synthetic_pop/china_2022.toml");
    dir.write(
        "s.toml",
        format!(
            "name = \"r\"\nyears = \"2022..2024\"\n[population]\nspec = {:?}\npersons = 10000\nseed = 3\n[params]\ndibao_standard_monthly = 700\ntake_up_rate = 0.5\ntotal_fertility_rate = 1.1\nwage_growth_rate = 0.05\nearnings_shock_sd = 0.2\n",
            spec.display().to_string()
        ),
    );
    let out = gongfu_in(
        &dir.0,
        &[
            "run",
            "s.toml",
            "--replications",
            "3",
            "--out",
            "run",
            "--quiet",
        ],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.path("run/indicators.csv")).unwrap();
    let field = |line: &str, i: usize| line.split(',').nth(i).unwrap().to_string();
    let pick = |rep: &str| -> Vec<String> {
        let prefix = format!("r,{rep},2024,all,all,gini_disposable,");
        text.lines()
            .filter(|l| l.starts_with(&prefix))
            .map(str::to_string)
            .collect()
    };
    let values: Vec<f64> = ["0", "1", "2"]
        .iter()
        .map(|r| field(&pick(r)[0], 6).parse().unwrap())
        .collect();
    assert!(
        values[0] != values[1] && values[1] != values[2],
        "replications draw differently: {values:?}"
    );
    let mean_row = &pick("mean")[0];
    let (mean, low, high): (f64, f64, f64) = (
        field(mean_row, 6).parse().unwrap(),
        field(mean_row, 7).parse().unwrap(),
        field(mean_row, 8).parse().unwrap(),
    );
    let expected = values.iter().sum::<f64>() / 3.0;
    assert!((mean - expected).abs() < 1e-12, "mean {mean} vs {expected}");
    assert!(
        low < mean && mean < high,
        "interval [{low}, {high}] around {mean}"
    );
    // Student t with 2 degrees of freedom: half-width 4.303 x sd / sqrt(3).
    let sd = (values.iter().map(|v| (v - expected).powi(2)).sum::<f64>() / 2.0).sqrt();
    assert!(
        (high - mean - 4.302_652_7 * sd / 3f64.sqrt()).abs() < 1e-9,
        "t interval half-width"
    );
}

/// Medical hardship (indicators.md "Poverty", v1.3) end to end: five single-person households
/// with given outpatient costs and no medical insurance, so out-of-pocket is the whole cost. The
/// expected rates are worked out here from the microdata's D and out-of-pocket, independently of
/// the indicator code: the 50% line is half the median D (odd count: the middle value),
/// impoverished when D >= line > D - out-of-pocket, catastrophic when out-of-pocket > 10% / 25% of
/// D; the decile table carries the mean out-of-pocket.
#[test]
fn medical_hardship_indicators_match_a_hand_count_on_the_microdata() {
    let dir = Scratch::new("medical_hardship");
    dir.write(
        "pop.csv",
        "person_id,household_id,weight,region,residence,age,sex,employment,earnings,outpatient_cost\n\
         1,1,1,national,urban,40,m,flexible,20000,0\n\
         2,2,1,national,urban,41,f,flexible,30000,20000\n\
         3,3,1,national,urban,42,m,flexible,40000,5000\n\
         4,4,1,national,urban,43,f,flexible,50000,30000\n\
         5,5,1,national,urban,44,m,flexible,60000,1000\n",
    );
    run_static_case(&dir);
    let text = std::fs::read_to_string(dir.path("run/microdata/case_2022.csv")).unwrap();
    let header: Vec<&str> = MICRODATA_COLUMNS.split(',').collect();
    let col = |name: &str| header.iter().position(|c| *c == name).unwrap();
    let rows: Vec<Vec<f64>> = text
        .lines()
        .skip(1)
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            [
                "disposable_income",
                "medical_out_of_pocket",
                "disposable_income_health",
            ]
            .iter()
            .map(|c| cells[col(c)].parse().unwrap())
            .collect()
        })
        .collect();
    for r in &rows {
        assert_eq!(
            r[2],
            r[0] - r[1],
            "D_health = D - out-of-pocket (no huiminbao)"
        );
    }
    assert!(
        rows.iter().any(|r| r[1] > 0.0),
        "the given costs reach out-of-pocket"
    );
    let mut d: Vec<f64> = rows.iter().map(|r| r[0]).collect();
    d.sort_by(f64::total_cmp);
    let line = 0.5 * d[2];
    let share = |f: &dyn Fn(&Vec<f64>) -> bool| {
        rows.iter().filter(|r| f(r)).count() as f64 / rows.len() as f64
    };
    let expected = [
        (
            "impoverishment_rate_50",
            share(&|r| r[0] >= line && r[2] < line),
        ),
        ("health_poverty_rate_50", share(&|r| r[2] < line)),
        ("poverty_rate_50", share(&|r| r[0] < line)),
        (
            "catastrophic_health_spending_10",
            share(&|r| r[1] > 0.10 * r[0]),
        ),
        (
            "catastrophic_health_spending_25",
            share(&|r| r[1] > 0.25 * r[0]),
        ),
    ];
    assert!(
        expected[0].1 > 0.0 && expected[3].1 > expected[4].1,
        "{expected:?}"
    );
    let indicators = std::fs::read_to_string(dir.path("run/indicators.csv")).unwrap();
    for (name, want) in expected {
        let got: f64 = indicators
            .lines()
            .map(|l| l.split(',').collect::<Vec<_>>())
            .find(|c| c[5] == name && c[3] == "all" && c[4] == "all")
            .unwrap_or_else(|| panic!("{name} in indicators.csv"))[6]
            .parse()
            .unwrap();
        assert!((got - want).abs() < 1e-12, "{name}: {got} vs {want}");
    }
    let deciles = std::fs::read_to_string(dir.path("run/deciles.csv")).unwrap();
    let mut lines = deciles.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .ends_with(",mean_medical_out_of_pocket")
    );
    let total: f64 = lines
        .map(|l| l.rsplit(',').next().unwrap().parse::<f64>().unwrap())
        .sum();
    let expected_total: f64 = rows.iter().map(|r| r[1]).sum();
    // Each of the five persons is alone in a decile: the decile means add to the total.
    assert!(
        (total - expected_total).abs() < 1e-6,
        "{total} vs {expected_total}"
    );
}

/// Regression: an employee already past the statutory age in a run's first year gets the pension
/// then (rules.md 3.2: "a static evaluation retires everyone at or past the age that year"); the
/// next year the dynamics retire them, and they lost the pension (zeroed as if they were retiring
/// for the first time, then not recognised because their age was past the retirement age). Now the
/// pension is kept and indexed: 2023 = 2022 x (1 + 0.038), the baseline's 2023 indexation
/// (national.pensions.employee_pension_indexation), then x 1.03 in 2024.
#[test]
fn employees_past_retirement_age_keep_their_pension_after_the_first_year() {
    let dir = Scratch::new("past_retirement_age");
    let mut pop = String::from(
        "person_id,household_id,weight,region,residence,age,sex,employment,earnings,pension_scheme\n\
         1,1,1,national,urban,63,m,employee,60000,employee\n\
         2,2,1,national,urban,58,f,employee,50000,employee\n",
    );
    // Younger earners, so that every indicator of the small population is defined.
    for i in 3..=20 {
        pop.push_str(&format!(
            "{i},{i},1,national,urban,{},f,employee,{},employee\n",
            22 + i,
            30_000 + 3_000 * i
        ));
    }
    dir.write("pop.csv", &pop);
    let baseline = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml");
    run_on_population(&dir, baseline.to_str().unwrap(), &["--years", "2022..2024"]);
    let pension = |year: i32, person: &str| -> f64 {
        let text = std::fs::read_to_string(dir.path(&format!("run/microdata/baseline_{year}.csv")))
            .unwrap();
        let header: Vec<&str> = MICRODATA_COLUMNS.split(',').collect();
        let col = |name: &str| header.iter().position(|c| *c == name).unwrap();
        text.lines()
            .skip(1)
            .map(|l| l.split(',').collect::<Vec<_>>())
            .find(|c| c[col("person_id")] == person)
            .unwrap()[col("employee_pension")]
        .parse()
        .unwrap()
    };
    for person in ["1", "2"] {
        let first = pension(2022, person);
        assert!(first > 0.0, "person {person} retires in the first year");
        let second = pension(2023, person);
        assert!(
            (second - first * 1.038).abs() < 1e-6,
            "person {person}: {first} -> {second}"
        );
        let third = pension(2024, person);
        assert!(
            (third - second * 1.03).abs() < 1e-6,
            "person {person}: {second} -> {third}"
        );
    }
}
/// Regression (issue 16, README step 4): one rural household without income failed the whole
/// scenario ("Gini undefined") and wrote no microdata. Now it succeeds: the microdata is there,
/// an undefined indicator is an empty value with its reason naming the income concept (M = 0, so
/// its Gini is undefined; no urban persons, so the urban slice's mean is undefined), the mean
/// row names the replication, the run log counts them, and the report says "undefined".
#[test]
fn one_household_without_income_writes_every_output_with_undefined_indicators() {
    let dir = Scratch::new("static-undefined");
    dir.write(
        "pop.csv",
        "person_id,household_id,weight,region,residence,age,sex,employment,earnings\n\
         1,1,1,national,rural,40,m,farmer,0\n\
         2,1,1,national,rural,38,f,not_working,0\n",
    );
    run_static_case(&dir);
    assert!(dir.path("run/microdata/case_2022.csv").exists());
    let csv = std::fs::read_to_string(dir.path("run/indicators.csv")).unwrap();
    let has = |line: &str| csv.lines().any(|l| l == line);
    assert!(
        has(
            "case,0,2022,all,all,gini_market,,,,income `market`: Gini undefined: weighted mean \
             income is 0 (it must be positive)"
        ),
        "{csv}"
    );
    assert!(has(
        "case,0,2022,all,urban,mean_disposable,,,,no persons in this slice"
    ));
    assert!(has("case,0,2022,all,urban,population,0,,,"), "{csv}");
    assert!(has(
        "case,mean,2022,all,all,gini_market,,,,in replication 0: income `market`: Gini \
         undefined: weighted mean income is 0 (it must be positive)"
    ));
    // The dibao lifts D to 11,000 per person: its Gini is defined (0, equal incomes).
    assert!(has("case,0,2022,all,all,gini_disposable,0,,,"), "{csv}");
    let log = std::fs::read_to_string(dir.path("run/run.log")).unwrap();
    assert!(
        log.contains("note case: ") && log.contains("indicator value(s) undefined"),
        "{log}"
    );
    let html = std::fs::read_to_string(dir.path("run/report.html")).unwrap();
    assert!(
        html.contains("<td class=\"num\">0.000</td>"),
        "Gini of D shown"
    );
}
