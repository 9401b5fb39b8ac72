//! The run folder, `--out` (issue 16, item 4): one run at a time, never a foreign folder, never
//! an old run's groups beside a new run's, saved results checked by `--resume`, and temporary
//! files of a killed run removed.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{Scratch, gongfu_in, stderr, stdout};

/// A one-year static scenario on a two-household population file.
fn setup(name: &str) -> Scratch {
    let s = Scratch::new(name);
    s.write(
        "pop.csv",
        "person_id,household_id,weight,region,residence,age,sex,employment,earnings\n\
         1,1,1,national,rural,40,m,farmer,18000\n\
         2,2,1,national,urban,35,m,flexible,30000\n",
    );
    s.write("s.toml", "name = \"case\"\n");
    s
}

fn run(s: &Scratch, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "run",
        "s.toml",
        "--population",
        "pop.csv",
        "--years",
        "2022",
        "--static",
        "--out",
        "out",
    ];
    args.extend_from_slice(extra);
    gongfu_in(&s.0, &args, &[])
}

/// Regression (issue 16): a run into a folder of someone else's files wrote beside them, and a
/// second run into an earlier run's folder kept the old groups beside the new.
#[test]
fn a_foreign_folder_and_an_earlier_run_are_refused_without_resume() {
    let s = setup("folder-refuse");
    s.write("out/thesis.docx", "mine");
    let o = run(&s, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("out: not empty and not a gongfu run folder"),
        "{}",
        stderr(&o)
    );
    let left: Vec<_> = std::fs::read_dir(s.path("out")).unwrap().collect();
    assert_eq!(left.len(), 1, "nothing written beside the user's file");

    std::fs::remove_file(s.path("out/thesis.docx")).unwrap();
    let o = run(&s, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&s, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("holds an earlier run; continue it with --resume"),
        "{}",
        stderr(&o)
    );
    let o = run(&s, &["--resume"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Regression (issue 16): `--resume` trusted saved results edited by hand, and temporary files
/// of a killed run stayed. An edited saved table reruns its scenario, saying why; leftovers go.
#[test]
fn resume_reruns_an_edited_scenario_and_removes_leftover_temporaries() {
    let s = setup("folder-resume");
    let o = run(&s, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let saved = s.path("out/scenarios/case/indicators.csv");
    let text = std::fs::read_to_string(&saved).unwrap();
    std::fs::write(&saved, text.replacen(",2022,", ",2023,", 1)).unwrap();
    let leftover = s.write("out/scenarios/case/.fiscal.csv.tmp-4242", "half a file");
    let o = run(&s, &["--resume"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("done        case"), "{}", stdout(&o));
    let log = std::fs::read_to_string(s.path("out/run.log")).unwrap();
    assert!(
        log.contains("removed 1 temporary file(s) a stopped run left"),
        "{log}"
    );
    assert!(
        log.contains("case: saved results cannot be used, it reruns:")
            && log.contains("indicators.csv: changed since it was saved"),
        "{log}"
    );
    assert!(!leftover.exists());
    assert_eq!(
        std::fs::read_to_string(&saved).unwrap(),
        text,
        "rerun, saved anew"
    );
}

/// Regression (issue 16): two runs into one `--out` interleaved their files and both exited 0.
/// The second is refused, naming the first (its process and command line).
#[test]
fn a_second_run_into_a_held_folder_names_the_holder() {
    let s = setup("folder-lock");
    s.write("long.toml", "name = \"long\"\n");
    let child = Command::new(env!("CARGO_BIN_EXE_gongfu"))
        .args([
            "run",
            "long.toml",
            "--population",
            "pop.csv",
            "--years",
            "2022..2100",
        ])
        .args(["--replications", "500", "--out", "out"])
        .current_dir(&s.0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lock = s.path("out/.gongfu.lock");
    let start = Instant::now();
    while !std::fs::read_to_string(&lock).is_ok_and(|t| t.contains("long.toml")) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the first run never locked"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let o = run(&s, &["--resume"]);
    let _ = Command::new("kill")
        .args(["-9", &child.id().to_string()])
        .status();
    let mut child = child;
    let _ = child.wait();
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "out: in use by another gongfu run (pid {}",
            child.id()
        )) && err.contains("long.toml"),
        "{err}"
    );
}
