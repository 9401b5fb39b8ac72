//! Reading and writing population files (Parquet and CSV) with validation (population.md).
//!
//! A file is read whole and checked before anything is built: every error names the file, the row
//! (1-based data row; the header is row 0, so CSV row r is on line r + 1) and the column, and says
//! what is allowed. Nothing is simulated on a partly read file. An optional collectives table sits
//! beside the population file as `<stem>.collectives.<ext>`.
//!
//! By concern: [`cells`] reads a table and turns cells into typed values or precise errors;
//! [`columns`] validates every column of a population file; [`words`] reads text columns as
//! codes; [`read`] groups the rows into households and collectives; [`persons`] gathers the
//! person columns; [`collectives`] reads and writes the collectives table; [`write`]
//! writes a population. Files go through the table layer (`crate::table`).

mod cells;
mod collectives;
mod columns;
mod persons;
mod read;
mod words;
mod write;

pub use read::{MAX_PERSONS, MAX_REGIONS, read};
pub use write::{person_frame, write};

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::table::Format;

/// Columns every population file must have.
pub const REQUIRED_COLUMNS: [&str; 9] = [
    "person_id",
    "household_id",
    "weight",
    "region",
    "residence",
    "age",
    "sex",
    "employment",
    "earnings",
];

/// Optional columns, with their defaults documented in population.md.
pub const OPTIONAL_COLUMNS: [&str; 18] = [
    "hukou",
    "other_income",
    "pension_scheme",
    "contribution_years",
    "account_balance",
    "indexed_wage_ratio",
    "resident_tier",
    "current_pension",
    "disability_grade",
    "cadre",
    "no_supporter",
    "collective_id",
    "dibao_last_year",
    "tekun_last_year",
    "margin_last_year",
    "local_hukou",
    "outpatient_cost",
    "inpatient_cost",
];

/// Year used to impute contribution years of a file that has none (the base year of the data).
pub const IMPUTATION_YEAR: i32 = 2022;

/// Average wage used to impute employee account balances of people without earnings: urban
/// non-private units 2022, 114,029 yuan (NBS communique on 2022 average wages).
pub const IMPUTATION_AVERAGE_WAGE_YEARLY: f64 = 114_029.0;

/// The format of a population file by its extension, or an error naming it.
fn format_of(path: &Path) -> Result<Format> {
    Format::of(path).ok_or_else(|| Error::Population {
        file: path.to_path_buf(),
        message: "unknown file type; a population file ends in .parquet or .csv".into(),
    })
}

/// Path of the collectives table that may sit beside a population file.
pub fn collectives_path(path: &Path) -> PathBuf {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("population");
    let ext = path
        .extension()
        .and_then(|s| s.to_str())
        .unwrap_or("parquet");
    path.with_file_name(format!("{stem}.collectives.{ext}"))
}

/// Scratch folders and sample files for the tests of this module's files.
#[cfg(test)]
mod testkit {
    use super::read;
    use std::path::PathBuf;

    pub(super) const HEADER: &str =
        "person_id,household_id,weight,region,residence,age,sex,employment,earnings";

    pub(super) struct Dir(pub(super) PathBuf);
    impl Dir {
        pub(super) fn new(name: &str) -> Dir {
            static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
            let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let d =
                std::env::temp_dir().join(format!("gongfu-io-{name}-{}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&d);
            std::fs::create_dir_all(&d).unwrap();
            Dir(d)
        }
        pub(super) fn csv(&self, name: &str, body: &str) -> PathBuf {
            let p = self.0.join(name);
            std::fs::write(&p, body).unwrap();
            p
        }
    }
    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    pub(super) fn err_of(body: &str) -> String {
        let d = Dir::new("err");
        let p = d.csv("pop.csv", body);
        let e = read(&p)
            .expect_err("malformed file must be rejected")
            .to_string();
        assert!(e.contains("pop.csv"), "error names the file: {e}");
        e
    }

    pub(super) fn two_households() -> String {
        format!(
            "{HEADER}\n1,10,500.5,zhejiang,rural,40,m,farmer,18000\n2,10,500.5,zhejiang,rural,12,f,student,0\n3,11,800,zhejiang,urban,110,f,retired,0\n"
        )
    }
}
