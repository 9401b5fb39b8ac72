//! A batch always finishes its bookkeeping (issue 16, item 5): whatever fails (a write, a name,
//! a population too large for the machine), that scenario or group is failed, the others run,
//! and `summary.csv` and the final `run.log` line are written.

use std::path::Path;

use crate::common::{Scratch, gongfu_in, stderr};

const POPULATION: &str = "person_id,household_id,weight,region,residence,age,sex,employment,earnings\n\
    1,1,1,national,rural,40,m,farmer,18000\n\
    2,2,1,national,urban,35,m,flexible,30000\n";

fn setup(name: &str) -> Scratch {
    let s = Scratch::new(name);
    s.write("pop.csv", POPULATION);
    s.write(
        "sc/case.toml",
        "name = \"case\"\n[population]\nfile = \"../pop.csv\"\n",
    );
    s
}

fn run(s: &Scratch, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["run", "sc", "--years", "2022", "--static", "--out", "out"];
    args.extend_from_slice(extra);
    gongfu_in(&s.0, &args, &[])
}

fn summary(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("summary.csv")).expect("summary.csv written")
}

fn last_log_line(dir: &Path) -> String {
    let log = std::fs::read_to_string(dir.join("run.log")).unwrap();
    log.lines().last().unwrap().to_owned()
}

/// Regression (issue 16): a failed write of a group's outputs (a full disk) ended the batch
/// without `summary.csv`. Here `indicators.csv` cannot be replaced (a folder holds its name).
#[test]
fn a_group_whose_outputs_cannot_be_written_is_failed_and_the_summary_written() {
    let s = setup("bookkeeping-write");
    assert!(run(&s, &[]).status.success());
    std::fs::remove_file(s.path("out/indicators.csv")).unwrap();
    s.write("out/indicators.csv/blocker", "");
    let o = run(&s, &["--resume"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let table = summary(&s.path("out"));
    assert!(
        table.contains("case,case,failed,writing the group's outputs: out/indicators.csv:"),
        "{table}"
    );
    assert!(
        last_log_line(&s.path("out"))
            .ends_with("finished: 0 done, 1 failed, 0 interrupted, 0 skipped")
    );
}

/// Regression (issue 16): a scenario whose results could not be saved stopped the batch; it is
/// failed, and the rest of its group (the reference here) is written.
#[test]
fn a_scenario_whose_results_cannot_be_saved_is_failed_and_the_others_written() {
    let s = setup("bookkeeping-save");
    s.write(
        "sc/reform.toml",
        "extends = \"case.toml\"\nname = \"reform\"\nreference = false\n[params]\ndibao_standard_yearly = 20000\n",
    );
    s.write("out/run.log", "");
    s.write("out/scenarios/reform/fiscal.csv/blocker", "");
    let o = run(&s, &["--resume"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let table = summary(&s.path("out"));
    assert!(table.contains("case,case,done,"), "{table}");
    assert!(
        table.contains("case,reform,failed,its results could not be saved:"),
        "{table}"
    );
    assert!(
        s.path("out/indicators.csv").exists(),
        "the group is written"
    );
    assert!(last_log_line(&s.path("out")).contains("finished: 1 done, 1 failed"));
}

/// Regression (issue 16): a scenario name too long for a file name stopped the batch; its files
/// get a shortened name (the microdata here) and the run completes.
#[test]
fn a_scenario_name_too_long_for_a_file_name_is_shortened() {
    let s = setup("bookkeeping-name");
    let name = "城乡居民养老保险改革".repeat(12);
    s.write(
        "sc/case.toml",
        format!("name = \"{name}\"\n[population]\nfile = \"../pop.csv\"\n"),
    );
    let o = run(&s, &["--microdata"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files: Vec<String> = std::fs::read_dir(s.path("out/microdata"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files.len(), 1, "Parquet only: {files:?}");
    assert!(
        files
            .iter()
            .all(|f| f.len() < 255 && f.starts_with("城乡居民")),
        "{files:?}"
    );
}

/// Regression (issue 16): an absurd `persons` aborted on allocation and took the batch down. It
/// is refused with the figures before generating, and the other group runs.
#[test]
fn a_population_too_large_for_the_machine_is_refused_and_the_others_run() {
    let s = setup("bookkeeping-memory");
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("synthetic_pop/china_2022.toml");
    s.write(
        "sc/huge.toml",
        format!(
            "name = \"huge\"\n[population]\nspec = {:?}\npersons = 4000000000\n",
            spec.display().to_string()
        ),
    );
    let o = run(&s, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let table = summary(&s.path("out"));
    assert!(table.contains(",case,done,"), "{table}");
    assert!(
        table.contains(",huge,failed,")
            && table.contains("4000000000 persons need about")
            && table.contains("GiB available; run fewer persons"),
        "{table}"
    );
    assert!(last_log_line(&s.path("out")).contains("finished: 1 done, 1 failed"));
}
