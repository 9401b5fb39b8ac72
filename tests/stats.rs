//! `gongfu stats`: JSON figures against hand-computed values, grouping, Parquet input, and the
//! error messages for bad files, columns and values.

use crate::common::{Scratch, gongfu, stderr, stdout};
use serde_json::Value;

/// Incomes 1 (w 3), 2 (w 1), 10 (w 1), 30 (w 1) in regions 1, 1, 2, 2.
const WEIGHTED: &str = "income,weight,region\n1,3,1\n2,1,1\n10,1,2\n30,1,2\n";

fn run_json(args: &[&str]) -> Value {
    let out = gongfu(args);
    assert!(out.status.success(), "stderr: {}", stderr(&out));
    let text = stdout(&out);
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("not one JSON value ({e}): {text}"))
}

fn assert_close(got: &Value, key: &str, expected: f64) {
    let v = got[key]
        .as_f64()
        .unwrap_or_else(|| panic!("`{key}` missing or not a number in {got}"));
    assert!(
        (v - expected).abs() <= 1e-9 * expected.abs().max(1.0),
        "`{key}`: expected {expected}, got {v}"
    );
}

/// W = 6, S = 3 + 2 + 10 + 30 = 45, mean 7.5.
/// Gini: unordered pairs w_i w_j |y_i - y_j| = 3*1 + 3*9 + 3*29 + 8 + 28 + 20 = 173, so
/// 2 * 173 / (2 * 36 * 7.5) = 346 / 540.
/// Median: cumulative weights 3, 4, 5, 6; the share 3 lands exactly on the 1 -> (1 + 2) / 2.
/// Lorenz at weight 1.2, 2.4, 3.6, 4.8: 1.2, 2.4, 3 + 0.6 * 2 = 4.2, 5 + 0.8 * 10 = 13 (of 45):
/// quintile shares 1.2, 1.2, 1.8, 8.8, 32 over 45. Palma: top 10% (weight 0.6 of the 30 = 18)
/// over bottom 40% (2.4) = 7.5. P10 = 1, P90 = 30 -> 30. Relative lines 0.6, 0.75, 0.9: nobody
/// strictly below.
#[test]
fn json_summary_matches_hand_computed_figures() {
    let dir = Scratch::new("stats-json");
    let file = dir.write("incomes.csv", WEIGHTED);
    let s = run_json(&[
        "stats",
        file.to_str().unwrap(),
        "--income",
        "income",
        "--weight",
        "weight",
        "--json",
    ]);
    assert_eq!(s["n"], 4);
    assert_close(&s, "total_weight", 6.0);
    assert_close(&s, "mean", 7.5);
    assert_close(&s, "median", 1.5);
    assert_close(&s, "gini", 346.0 / 540.0);
    let m: f64 = 7.5;
    let theil = (3.0 * (1.0 / m) * (1.0 / m).ln()
        + (2.0 / m) * (2.0 / m).ln()
        + (10.0 / m) * (10.0 / m).ln()
        + (30.0 / m) * (30.0 / m).ln())
        / 6.0;
    let mld = (3.0 * (m / 1.0).ln() + (m / 2.0).ln() + (m / 10.0).ln() + (m / 30.0).ln()) / 6.0;
    assert_close(&s, "theil", theil);
    assert_close(&s, "mld", mld);
    assert_close(&s, "palma", 7.5);
    assert_close(&s, "p90_p10", 30.0);
    let shares = s["quintile_shares"]
        .as_array()
        .expect("quintile_shares list");
    for (got, expected) in shares.iter().zip([1.2, 1.2, 1.8, 8.8, 32.0]) {
        let got = got.as_f64().unwrap();
        assert!(
            (got - expected / 45.0).abs() < 1e-12,
            "share {got} vs {expected}/45"
        );
    }
    for key in ["poverty_rate_40", "poverty_rate_50", "poverty_rate_60"] {
        assert_close(&s, key, 0.0);
    }
    assert_eq!(s["log_measures_skipped"], 0);
}

/// Region 1: conformance "gini-weighted" (1 w 3, 2 w 1 -> 0.15), mean 1.25, median 1 (share 2
/// inside the first person's weight 3). Region 2: 10 and 30: Gini 2 * 20 / (2 * 4 * 20) = 0.25,
/// median (10 + 30) / 2 = 20 (share 1 lands exactly on the 10).
#[test]
fn by_group_gives_one_object_per_group_keyed_by_the_column() {
    let dir = Scratch::new("stats-by");
    let file = dir.write("incomes.csv", WEIGHTED);
    let list = run_json(&[
        "stats",
        file.to_str().unwrap(),
        "--income",
        "income",
        "--weight",
        "weight",
        "--by",
        "region",
        "--json",
    ]);
    let groups = list.as_array().expect("a JSON list");
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0]["region"], 1);
    assert_close(&groups[0], "gini", 0.15);
    assert_close(&groups[0], "mean", 1.25);
    assert_close(&groups[0], "median", 1.0);
    assert_eq!(groups[1]["region"], 2);
    assert_close(&groups[1], "gini", 0.25);
    assert_close(&groups[1], "median", 20.0);
}

/// Incomes -1, 0, 5, 6 unweighted: mean 2.5 > 0, so the Gini is defined: ordered pairs sum
/// 2 * (1 + 6 + 7 + 5 + 6 + 1) = 52, 52 / (2 * 16 * 2.5) = 0.65. The log measures leave out
/// the two non-positive incomes. The plain output is a table naming the file.
#[test]
fn zero_and_negative_incomes_are_allowed_while_the_mean_is_positive() {
    let dir = Scratch::new("stats-negative");
    let file = dir.write("incomes.csv", "income\n-1\n0\n5\n6\n");
    let path = file.to_str().unwrap();
    let s = run_json(&["stats", path, "--income", "income", "--json"]);
    assert_close(&s, "gini", 0.65);
    assert_eq!(s["log_measures_skipped"], 2);
    // Theil over 5 and 6 only: m = 5.5.
    assert_close(
        &s,
        "theil",
        ((5.0 / 5.5) * (5.0f64 / 5.5).ln() + (6.0 / 5.5) * (6.0f64 / 5.5).ln()) / 2.0,
    );
    let out = gongfu(&["stats", path, "--income", "income"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("incomes.csv") && text.contains("gini") && text.contains("0.6500"),
        "{text}"
    );
}

#[test]
fn parquet_input_gives_the_same_figures() {
    use polars::prelude::*;
    let dir = Scratch::new("stats-parquet");
    let path = dir.path("incomes.parquet");
    let mut df = DataFrame::new_infer_height(vec![
        Column::new("income".into(), &[1.0, 2.0]),
        Column::new("weight".into(), &[3.0, 1.0]),
    ])
    .unwrap();
    ParquetWriter::new(std::fs::File::create(&path).unwrap())
        .finish(&mut df)
        .unwrap();
    let s = run_json(&[
        "stats",
        path.to_str().unwrap(),
        "--income",
        "income",
        "--weight",
        "weight",
        "--json",
    ]);
    // Conformance "gini-weighted".
    assert_close(&s, "gini", 0.15);
}

/// Runs a failing command and returns its stderr after checking the exit code and the file name.
fn failure(args: &[&str], file_name: &str) -> String {
    let out = gongfu(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "stderr: {err}");
    assert!(
        err.contains(file_name),
        "the message should name {file_name}: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn unknown_column_lists_columns_and_suggests_the_nearest() {
    let dir = Scratch::new("stats-unknown");
    let file = dir.write("incomes.csv", WEIGHTED);
    let err = failure(
        &["stats", file.to_str().unwrap(), "--income", "incme"],
        "incomes.csv",
    );
    assert!(err.contains("no column `incme`"), "{err}");
    assert!(err.contains("income, weight, region"), "{err}");
    assert!(err.contains("did you mean `income`?"), "{err}");
}

#[test]
fn non_positive_mean_is_an_error_naming_file_and_group() {
    let dir = Scratch::new("stats-mean");
    let file = dir.write("incomes.csv", "income,region\n-9,a\n1,a\n2,b\n");
    let path = file.to_str().unwrap();
    let err = failure(
        &["stats", path, "--income", "income", "--json"],
        "incomes.csv",
    );
    assert!(err.contains("mean income is -2"), "{err}");
    let err = failure(
        &["stats", path, "--income", "income", "--by", "region"],
        "incomes.csv",
    );
    // Region a: (-9 + 1) / 2 = -4.
    assert!(
        err.contains("group region = a") && err.contains("is -4"),
        "{err}"
    );
}

#[test]
fn bad_values_name_their_row() {
    let dir = Scratch::new("stats-values");
    let nan = dir.write("nan.csv", "income,weight\n1,1\nNaN,1\n");
    let err = failure(
        &["stats", nan.to_str().unwrap(), "--income", "income"],
        "nan.csv",
    );
    assert!(
        err.contains("row 2, column `income`") && err.contains("NaN"),
        "{err}"
    );
    let empty = dir.write("empty.csv", "income,weight\n1,1\n2,1\n,1\n");
    let err = failure(
        &["stats", empty.to_str().unwrap(), "--income", "income"],
        "empty.csv",
    );
    assert!(err.contains("row 3, column `income`"), "{err}");
    let text = dir.write("text.csv", "income,weight\n1,1\nmany,1\n");
    let err = failure(
        &["stats", text.to_str().unwrap(), "--income", "income"],
        "text.csv",
    );
    assert!(
        err.contains("row 2") && err.contains("`many` is not a number"),
        "{err}"
    );
    let weight = dir.write("weight.csv", "income,weight\n1,1\n2,-1\n");
    let args = [
        "stats",
        weight.to_str().unwrap(),
        "--income",
        "income",
        "--weight",
        "weight",
    ];
    let err = failure(&args, "weight.csv");
    assert!(
        err.contains("row 2, column `weight`") && err.contains("positive"),
        "{err}"
    );
}

#[test]
fn missing_or_unsupported_file_is_an_error() {
    let dir = Scratch::new("stats-missing");
    let missing = dir.path("absent.csv");
    let err = failure(
        &["stats", missing.to_str().unwrap(), "--income", "income"],
        "absent.csv",
    );
    assert_eq!(err.matches("No such file").count(), 1, "{err}");
    let other = dir.write("incomes.xlsx", "x");
    let err = failure(
        &["stats", other.to_str().unwrap(), "--income", "income"],
        "incomes.xlsx",
    );
    assert!(err.contains(".csv or .parquet"), "{err}");
}

/// Regression (issue 16, found by `fuzz_stats_input`): a table with a header and no rows (here
/// the header and blank lines) panicked with `--by` and `--json` (index out of bounds); it is an
/// error naming the file.
#[test]
fn a_table_without_rows_is_an_error_not_a_panic() {
    let dir = Scratch::new("stats-no-rows");
    let file = dir.write("t.csv", "income,w,g,1,a0,1.5,a\n\n");
    let out = gongfu(&[
        "stats",
        file.to_str().unwrap(),
        "--income",
        "income",
        "--weight",
        "w",
        "--by",
        "g",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains("t.csv: the table has no rows; at least one is needed"),
        "{err}"
    );
}
