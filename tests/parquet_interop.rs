//! Parquet files as analysts' tools write them (issue 16, item 3): `tests/data/analyst_parquet.py`
//! writes one population in every integer width, 32-bit floats, dictionary-encoded, large and
//! view strings and nullable optional columns, with pinned pandas and pyarrow installed into a
//! virtual environment under the target directory; each file must give a static run the same
//! microdata as the same population in CSV. Skipped, saying so, only where `python3 -m venv` is
//! not available.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{Scratch, gongfu_in, stderr};

/// The Python packages the script runs on, pinned.
const PINNED: [&str; 3] = ["pandas==2.3.3", "pyarrow==21.0.0", "numpy==2.4.6"];

/// The population of the script, as a CSV file (an empty cell: the optional grade's default).
const POPULATION_CSV: &str = "person_id,household_id,weight,region,residence,age,sex,employment,earnings,disability_grade\n\
    1,1,1,national,rural,40,m,farmer,18000,\n\
    2,1,1,national,rural,38,f,not_working,0,1\n\
    3,2,2,national,urban,35,m,flexible,30000,\n\
    4,2,2,national,urban,5,f,student,0,\n";

/// The virtual environment's Python with the pinned packages, made on first use; `None` (with a
/// message) when `python3 -m venv` is not available here.
fn pinned_python() -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("analyst-python");
    let python = venv.join("bin/python");
    let marker = venv.join(format!("installed {}", PINNED.join(" ")));
    if marker.exists() {
        return Some(python);
    }
    let venv_works = Command::new("python3")
        .args(["-m", "venv", "--help"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !venv_works {
        eprintln!(
            "skipped: `python3 -m venv` is not available, so pandas/pyarrow cannot be installed"
        );
        return None;
    }
    let _ = std::fs::remove_dir_all(&venv);
    let made = Command::new("python3")
        .arg("-m")
        .arg("venv")
        .arg(&venv)
        .status();
    assert!(
        made.is_ok_and(|s| s.success()),
        "python3 -m venv {}",
        venv.display()
    );
    let pip = Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(PINNED)
        .output()
        .expect("run pip");
    assert!(
        pip.status.success(),
        "pip install {}: {}",
        PINNED.join(" "),
        String::from_utf8_lossy(&pip.stderr)
    );
    std::fs::write(&marker, "").expect("write the venv marker");
    Some(python)
}

/// The static run's microdata of `population` (a file in `dir`), as text.
fn microdata(dir: &Scratch, population: &str) -> String {
    let out_dir = format!("run-{population}");
    let out = gongfu_in(
        &dir.0,
        &[
            "run",
            "s.toml",
            "--population",
            population,
            "--years",
            "2022",
            "--static",
            "--microdata-csv",
            "--out",
            &out_dir,
            "--quiet",
        ],
        &[],
    );
    assert!(out.status.success(), "{population}: {}", stderr(&out));
    std::fs::read_to_string(dir.path(&format!("{out_dir}/microdata/case_2022.csv"))).unwrap()
}

#[test]
fn parquet_from_pandas_and_pyarrow_reads_like_the_csv() {
    let Some(python) = pinned_python() else {
        return;
    };
    let dir = Scratch::new("parquet-interop");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/analyst_parquet.py");
    let wrote = Command::new(&python)
        .arg(&script)
        .arg(&dir.0)
        .output()
        .unwrap();
    assert!(
        wrote.status.success(),
        "{}",
        String::from_utf8_lossy(&wrote.stderr)
    );
    // Blank lines at the end, as an editor or a spreadsheet leaves them, are no rows.
    dir.write("pop.csv", format!("{POPULATION_CSV}\r\n\n"));
    dir.write(
        "s.toml",
        "name = \"case\"\n[params]\ndibao_standard_yearly = 11000\n",
    );
    let expected = microdata(&dir, "pop.csv");
    assert_eq!(expected.lines().count(), 5, "{expected}");
    for file in [
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "float32",
        "dictionary",
        "large_string",
        "string_view",
        "pandas",
        "time_of_day",
    ] {
        let got = microdata(&dir, &format!("{file}.parquet"));
        assert_eq!(
            got, expected,
            "{file}.parquet reads differently from the CSV"
        );
    }
    // polars panics on a decimal column: refused, named with its type, before reading.
    let out = gongfu_in(&dir.0, &["inspect", "bad_decimal.parquet"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains("bad_decimal.parquet: column `savings` has type Decimal(5, 2)")
            && err.contains("readable: integers of any width (signed or unsigned)"),
        "{err}"
    );
}
