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
    dir.write(
        "s.toml",
        "name = \"case\"\n[params]\ndibao_standard_yearly = 11000\n",
    );
    let out = gongfu_in(
        &dir.0,
        &[
            "run",
            "s.toml",
            "--population",
            "pop.csv",
            "--years",
            "2022",
            "--static",
            "--microdata",
            "--out",
            "run",
            "--quiet",
        ],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
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
    dir.write(
        "s.toml",
        "name = \"case\"\n[params]\ndibao_standard_yearly = 11000\n",
    );
    let out = gongfu_in(
        &dir.0,
        &[
            "run",
            "s.toml",
            "--population",
            "pop.csv",
            "--years",
            "2022",
            "--static",
            "--microdata",
            "--out",
            "run",
            "--quiet",
        ],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
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
