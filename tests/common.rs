//! Shared helpers for the integration tests: a scratch directory and running the binary.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh, empty scratch directory under the target dir, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    /// Creates `target/test-scratch/<name>-<pid>-<n>`.
    pub fn new(name: &str) -> Self {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        Scratch(dir)
    }
    /// A path inside the scratch directory.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }
    /// Writes a file inside the scratch directory and returns its path.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("create parent");
        }
        std::fs::write(&p, contents).expect("write scratch file");
        p
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs the gongfu binary with arguments, in `dir`, with extra environment variables.
pub fn gongfu_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gongfu"));
    cmd.args(args).current_dir(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run gongfu")
}

/// Runs the gongfu binary from the repository root.
pub fn gongfu(args: &[&str]) -> Output {
    gongfu_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, &[])
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The value of `indicator` for every region, residence `residence` (`all`, `urban`, `rural`) and
/// `year`, mean over replications, in the text of an `indicators.csv`; panics naming the row when
/// there is none.
pub fn mean_indicator(csv: &str, year: &str, residence: &str, indicator: &str) -> f64 {
    csv.lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|f| {
            f[1] == "mean"
                && f[2] == year
                && f[3] == "all"
                && f[4] == residence
                && f[5] == indicator
        })
        .unwrap_or_else(|| panic!("no row {indicator} {residence} {year}"))[6]
        .parse()
        .expect("number")
}

/// Runs a shipped scenario of the repository at 200,000 persons (the calibration tests' size)
/// for `years` with microdata into `dir/run`, checks that it succeeded, and returns that folder.
pub fn run_200k(dir: &Scratch, scenario: &str, years: &str) -> std::path::PathBuf {
    let out = dir.path("run");
    let o = gongfu(&[
        "run",
        scenario,
        "--persons",
        "200000",
        "--years",
        years,
        "--quiet",
        "--microdata-csv",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    out
}
