//! `gongfu inspect` on good and malformed population files: exit codes and messages naming the
//! file, row and column (issue 2, item 2).

use crate::common::{Scratch, gongfu, stderr, stdout};

const HEADER: &str = "person_id,household_id,weight,region,residence,age,sex,employment,earnings";

#[test]
fn inspect_prints_weighted_marginals() {
    let dir = Scratch::new("inspect-ok");
    let file = dir.write("pop.csv", format!("{HEADER}\n1,1,3,national,urban,40,m,employee,60000\n2,2,1,national,rural,70,f,retired,0\n"));
    let out = gongfu(&["inspect", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    // 3 urban persons of 4 represented.
    assert!(text.contains("persons represented 4"), "{text}");
    assert!(text.contains("urban share 0.7500"), "{text}");
}

#[test]
fn inspect_rejects_malformed_file_with_row_and_column() {
    let dir = Scratch::new("inspect-bad");
    let file = dir.write(
        "survey.csv",
        format!("{HEADER}\n1,1,3,national,urban,134,m,employee,60000\n"),
    );
    let out = gongfu(&["inspect", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("survey.csv: row 1, column `age`: 134 is outside 0..=110"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn inspect_missing_file_names_it() {
    let out = gongfu(&["inspect", "no/such/pop.parquet"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no/such/pop.parquet"),
        "{}",
        stderr(&out)
    );
}

/// `inspect --spec` prints the validation table of a population file against a spec: a generated
/// population passes its own spec's total-persons target.
#[test]
fn inspect_with_spec_prints_the_validation_table() {
    let dir = Scratch::new("inspect-spec");
    let pop = dir.path("china.parquet");
    let spec = concat!(env!("CARGO_MANIFEST_DIR"), "/synthetic_pop/china_2022.toml");
    let out = gongfu(&[
        "synth",
        spec,
        "--persons",
        "10000",
        "--seed",
        "3",
        "--out",
        pop.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = gongfu(&["inspect", pop.to_str().unwrap(), "--spec", spec]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("validation against"), "{text}");
    let row = text
        .lines()
        .find(|l| l.starts_with("total_persons"))
        .expect("total_persons row");
    assert!(row.trim_end().ends_with("yes"), "{row}");
}

/// Regression (issue 16, item 7): reading grew with the square of the header's width (the check
/// for misspelt columns scanned the header once a column: 4,096 columns took 6.4 s). A header
/// wider than a spreadsheet's 16,384 columns is refused at once, naming the file, the width and
/// the bound; 16,384 columns are read (in under a second since the fix).
#[test]
fn a_header_wider_than_a_spreadsheet_is_refused_before_it_is_parsed() {
    let dir = Scratch::new("inspect-wide");
    let extra = |n: usize| (0..n).map(|i| format!(",x{i}")).collect::<String>();
    let row = "1,1,3,national,urban,40,m,employee,60000";
    let wide = dir.write(
        "wide.csv",
        format!("{HEADER}{}\n{row}{}\n", extra(20_000), ",0".repeat(20_000)),
    );
    let out = gongfu(&["inspect", wide.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("wide.csv") && err.contains("20009 columns") && err.contains("at most 16384"),
        "{err}"
    );
    let fits = 16_384 - 9;
    let ok = dir.write(
        "fits.csv",
        format!("{HEADER}{}\n{row}{}\n", extra(fits), ",0".repeat(fits)),
    );
    let out = gongfu(&["inspect", ok.to_str().unwrap()]);
    assert!(!stderr(&out).contains("at most 16384"), "{}", stderr(&out));
}
