//! Per-scenario results of a batch, kept so that a resumed batch can skip what is done (docs/batch.md,
//! "Resume"): `<group>/scenarios/<name>/` holds the scenario's per-replication rows as CSV (the
//! same writers and columns as the group's tables), the reference's final-year ranking
//! (`reference.parquet`) and, written last, `done.json` with the fingerprint of what was run.

use std::path::{Path, PathBuf};

use polars::prelude::Column;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{PopulationKey, ReferenceSnapshot, ScenarioRows, Settings};
use crate::error::{Error, Result};
use crate::fsutil::atomic_write;
use crate::output::tables;
use crate::scenario::Scenario;
use crate::table::{self, CsvColumns, Format};

/// The marker a finished scenario writes last.
pub const DONE_FILE: &str = "done.json";
const INDICATORS: &str = "indicators.csv";
const FISCAL: &str = "fiscal.csv";
const LORENZ: &str = "lorenz.csv";
const DECILES: &str = "deciles.csv";
const REFERENCE: &str = "reference.parquet";

/// Everything a scenario's results depend on: equal fingerprints give identical rows (the engine
/// is deterministic whatever the thread count or chunk size).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// gongfu version that ran it.
    pub gongfu_version: String,
    /// SHA-256 over the SHA-256s of the scenario file and every file it extends, in chain order
    /// (contents only: moving the folder keeps the fingerprint).
    pub scenario_sha256: String,
    /// The start population as the manifest states it (file, or spec with persons and seed).
    pub population: String,
    /// SHA-256 of the population file, or of the synthetic-population spec.
    pub population_sha256: String,
    /// Master seed of the simulation draws.
    pub seed: u64,
    /// First simulated year.
    pub start_year: i32,
    /// Last simulated year.
    pub end_year: i32,
    /// Replications.
    pub replications: u32,
    /// Static evaluation of one year.
    pub static_year: bool,
    /// Whether microdata were written.
    pub microdata: bool,
    /// Whether the microdata were written as CSV too (absent in folders of earlier versions:
    /// no).
    #[serde(default)]
    pub microdata_csv: bool,
}

impl Fingerprint {
    /// The fingerprint of `scenario` run with `settings` on the population `key`, whose file has
    /// SHA-256 `population_sha256`.
    pub fn new(
        scenario: &Scenario,
        key: &PopulationKey,
        population_sha256: &str,
        settings: &Settings,
        microdata: bool,
        microdata_csv: bool,
    ) -> Fingerprint {
        let mut chain = Sha256::new();
        for f in &scenario.files {
            chain.update(f.sha256.as_bytes());
            chain.update(b"\n");
        }
        Fingerprint {
            gongfu_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario_sha256: hex(&chain.finalize()),
            population: key.describe(),
            population_sha256: population_sha256.to_string(),
            seed: settings.seed,
            start_year: settings.years.start,
            end_year: settings.years.end,
            replications: settings.replications,
            static_year: settings.static_year,
            microdata,
            microdata_csv: microdata && microdata_csv,
        }
    }
}

/// The `done.json` marker of a finished scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Done {
    /// Scenario name.
    pub scenario: String,
    /// What it was run with.
    pub fingerprint: Fingerprint,
    /// The fingerprint of the group's reference its differences and deciles were taken against;
    /// `None` when the reference had no results (then the scenario is never skipped on resume).
    pub reference: Option<Fingerprint>,
    /// When it finished, RFC 3339 UTC.
    pub finished_at: String,
    /// SHA-256 of each saved file, by file name, filled by [`save`]; a resumed batch uses the
    /// saved rows only when every file still has its checksum ([`verify`]). Empty in a marker
    /// of an earlier version (then the scenario reruns).
    #[serde(default)]
    pub checksums: std::collections::BTreeMap<String, String>,
}

/// Lower-case hex of a digest.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of a file's bytes, lower-case hex.
pub fn file_sha256(path: &Path) -> Result<String> {
    let bytes = crate::fsutil::read_regular(path).map_err(|e| Error::io(path, e))?;
    Ok(hex(&Sha256::digest(&bytes)))
}

/// The folder of scenario `name` in a group folder.
pub fn scenario_dir(group_dir: &Path, name: &str) -> PathBuf {
    group_dir
        .join("scenarios")
        .join(super::microdata::sanitize(name))
}

/// Saves a finished scenario into `dir`: its rows, the reference snapshot when given, then
/// `done.json` with the files' checksums. Any older `done.json` is removed first, so a save cut
/// short never pairs a marker with rows it does not describe.
pub fn save(
    dir: &Path,
    rows: &ScenarioRows,
    snapshot: Option<&ReferenceSnapshot>,
    done: &Done,
) -> Result<()> {
    let marker = dir.join(DONE_FILE);
    match std::fs::remove_file(&marker) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(Error::io(&marker, e)),
        _ => {}
    }
    tables::write_indicators_csv(&dir.join(INDICATORS), &rows.indicators)?;
    tables::write_fiscal_csv(&dir.join(FISCAL), &rows.fiscal)?;
    tables::write_lorenz_csv(&dir.join(LORENZ), &rows.lorenz)?;
    tables::write_deciles_csv(&dir.join(DECILES), &rows.deciles)?;
    let mut saved = vec![INDICATORS, FISCAL, LORENZ, DECILES];
    if let Some(s) = snapshot {
        write_snapshot(&dir.join(REFERENCE), s)?;
        saved.push(REFERENCE);
    }
    let checksums = saved
        .into_iter()
        .map(|name| Ok((name.to_owned(), file_sha256(&dir.join(name))?)))
        .collect::<Result<_>>()?;
    let done = Done {
        checksums,
        ..done.clone()
    };
    atomic_write(&marker, |w| {
        serde_json::to_writer_pretty(&mut *w, &done)?;
        std::io::Write::write_all(w, b"\n")
    })
}

/// The `done.json` in `dir`; `None` when absent or unreadable (the scenario then reruns).
pub fn load_done(dir: &Path) -> Option<Done> {
    let text = std::fs::read_to_string(dir.join(DONE_FILE)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Checks that every file `done` lists in `dir` still has its checksum (nobody edited a saved
/// result) and that the reference ranking, when `with_snapshot`, is among them.
pub fn verify(dir: &Path, done: &Done, with_snapshot: bool) -> Result<()> {
    let invalid = |path: &Path, message: &str| {
        Error::io(
            path,
            std::io::Error::new(std::io::ErrorKind::InvalidData, message.to_owned()),
        )
    };
    let mut needed = vec![INDICATORS, FISCAL, LORENZ, DECILES];
    if with_snapshot {
        needed.push(REFERENCE);
    }
    for name in needed {
        let path = dir.join(name);
        let Some(expected) = done.checksums.get(name) else {
            return Err(invalid(
                &path,
                "no checksum in done.json (saved by an earlier gongfu)",
            ));
        };
        if &file_sha256(&path)? != expected {
            return Err(invalid(
                &path,
                "changed since it was saved (its SHA-256 is not the one done.json records)",
            ));
        }
    }
    Ok(())
}

/// Reads the rows a finished scenario saved in `dir`.
pub fn load_rows(dir: &Path) -> Result<ScenarioRows> {
    Ok(ScenarioRows {
        indicators: tables::read_indicators_csv(&dir.join(INDICATORS))?,
        fiscal: tables::read_fiscal_csv(&dir.join(FISCAL))?,
        lorenz: tables::read_lorenz_csv(&dir.join(LORENZ))?,
        deciles: tables::read_deciles_csv(&dir.join(DECILES))?,
    })
}

/// Reads the reference snapshot saved in `dir`.
pub fn load_snapshot(dir: &Path) -> Result<ReferenceSnapshot> {
    let path = dir.join(REFERENCE);
    let unexpected = |cause| Error::Table {
        context: format!("reading {}", path.display()),
        cause,
    };
    let df =
        table::read_frame(&path, Format::Parquet, CsvColumns::Text).map_err(|e| e.at(&path))?;
    let floats = |name: &str| -> Result<Vec<f64>> {
        let col = df
            .column(name)
            .map_err(unexpected)?
            .f64()
            .map_err(unexpected)?;
        Ok(col.iter().map(|v| v.unwrap_or(f64::NAN)).collect())
    };
    let ids = df.column("person_id").map_err(unexpected)?;
    let person_id = ids
        .u64()
        .map_err(unexpected)?
        .iter()
        .map(|v| v.unwrap_or(u64::MAX))
        .collect();
    Ok(ReferenceSnapshot {
        person_id,
        disposable: floats("disposable")?,
        weight: floats("weight")?,
    })
}

fn write_snapshot(path: &Path, s: &ReferenceSnapshot) -> Result<()> {
    let mut frame = table::frame(
        &path.display().to_string(),
        vec![
            Column::new("person_id".into(), &s.person_id),
            Column::new("disposable".into(), &s.disposable),
            Column::new("weight".into(), &s.weight),
        ],
    )?;
    table::write_frame(&mut frame, path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::DecileRow;
    use crate::population::Residence;
    use crate::results::{
        FiscalRow, Income, Indicator, IndicatorRow, LorenzRow, ScenarioDecile, Slice,
    };
    use crate::rules::{FiscalLine, Payer};

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("gongfu-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    /// Saved rows read back equal to the originals: numbers bit for bit (NaN as NaN,
    /// infinities, -0, values with no short decimal form), a name with a comma, a quote and line
    /// breaks, and every kind of typed value (slices, parametrised indicators, a categorical
    /// line, payers, a missing gain).
    #[test]
    fn saved_rows_and_snapshot_read_back_identical() {
        let name = "reform, \"two\"\r\nlines";
        let indicator = |slice: Slice, indicator: Indicator, value: f64, ci: f64| IndicatorRow {
            scenario: name.into(),
            replication: Some(3),
            year: 2030,
            slice,
            indicator,
            value,
            ci_low: ci,
            ci_high: -ci,
            reason: None,
        };
        let categorical = FiscalLine::Categorical("残疾人, 两项补贴".into());
        let rows = ScenarioRows {
            indicators: vec![
                indicator(
                    Slice::residence(Residence::Rural),
                    Indicator::Gini(Income::Disposable),
                    1.0 / 3.0,
                    f64::NAN,
                ),
                indicator(
                    Slice::region("zhejiang"),
                    Indicator::Change(Box::new(Indicator::PovertyRate(50))),
                    -0.0,
                    f64::INFINITY,
                ),
                indicator(
                    Slice::NATIONAL,
                    Indicator::FiscalCost(categorical.clone()),
                    1e-300,
                    123_456_789.125,
                ),
                IndicatorRow {
                    reason: Some("income `market`: Gini undefined, \"quoted\"\n".into()),
                    ..indicator(Slice::NATIONAL, Indicator::Palma, f64::NAN, f64::NAN)
                },
            ],
            fiscal: vec![FiscalRow {
                scenario: name.into(),
                replication: None,
                year: 2022,
                program: categorical,
                payer: Payer::InsuranceFund,
                amount_yuan: 0.1 + 0.2,
                beneficiaries_persons: 7.0,
                beneficiaries_households: 3.5,
                mean_benefit_yuan: 2.0 / 7.0,
            }],
            lorenz: vec![LorenzRow {
                scenario: name.into(),
                year: 2024,
                concept: Income::Disposable,
                population_share: 0.5,
                income_share: 0.2,
            }],
            deciles: [None, Some(-12.5)]
                .into_iter()
                .map(|gain_percent| ScenarioDecile {
                    scenario: name.into(),
                    year: 2024,
                    row: DecileRow {
                        decile: 10,
                        market: 1.5,
                        pensions: 2.5,
                        assistance: 0.0,
                        transfers: 3.0,
                        contributions: 4.25,
                        disposable: 5.0,
                        gain_yuan: -1.0,
                        gain_percent,
                        better_off_share: 0.25,
                        worse_off_share: 0.75,
                        medical_out_of_pocket: 12.5,
                    },
                })
                .collect(),
        };
        let snapshot = ReferenceSnapshot {
            person_id: vec![1, u64::MAX - 1, 42],
            disposable: vec![0.1, 1e9 / 7.0, 0.0],
            weight: vec![700_000.5, 1.0, 2.0],
        };
        let done = Done {
            scenario: name.into(),
            fingerprint: Fingerprint {
                gongfu_version: "0".into(),
                scenario_sha256: "ab".into(),
                population: "p".into(),
                population_sha256: "cd".into(),
                seed: 1,
                start_year: 2022,
                end_year: 2024,
                replications: 4,
                static_year: false,
                microdata: false,
                microdata_csv: false,
            },
            reference: None,
            finished_at: "2026-01-01T00:00:00Z".into(),
            checksums: Default::default(),
        };
        let dir = scratch("roundtrip");
        save(&dir, &rows, Some(&snapshot), &done).unwrap();
        let back = load_rows(&dir).unwrap();
        // NaN != NaN, so compare the written bit patterns with NaN mapped to one value.
        let bits = |v: f64| if v.is_nan() { u64::MAX } else { v.to_bits() };
        assert_eq!(back.indicators.len(), 4);
        for (a, b) in rows.indicators.iter().zip(&back.indicators) {
            assert_eq!(
                (a.scenario.as_str(), a.replication, a.year),
                (b.scenario.as_str(), b.replication, b.year)
            );
            assert_eq!((&a.slice, &a.indicator), (&b.slice, &b.indicator));
            assert_eq!(a.reason, b.reason);
            for (x, y) in [
                (a.value, b.value),
                (a.ci_low, b.ci_low),
                (a.ci_high, b.ci_high),
            ] {
                assert_eq!(bits(x), bits(y), "{x} read back as {y}");
            }
        }
        assert_eq!(back.fiscal, rows.fiscal);
        assert_eq!(back.lorenz, rows.lorenz);
        assert_eq!(back.deciles, rows.deciles);
        assert_eq!(load_snapshot(&dir).unwrap(), snapshot);
        let saved = load_done(&dir).unwrap();
        assert_eq!(saved.checksums.len(), 5, "four tables and the ranking");
        assert_eq!(
            Done {
                checksums: Default::default(),
                ..saved.clone()
            },
            done
        );
        verify(&dir, &saved, true).unwrap();
        // Regression (issue 16): `--resume` trusted saved results edited by hand.
        let edited = dir.join(INDICATORS);
        let text = std::fs::read_to_string(&edited).unwrap();
        std::fs::write(&edited, text.replacen("2030", "2031", 1)).unwrap();
        let e = verify(&dir, &saved, true).unwrap_err().to_string();
        assert!(
            e.contains("indicators.csv: changed since it was saved"),
            "{e}"
        );
        let e = verify(&dir, &done, false).unwrap_err().to_string();
        assert!(e.contains("no checksum in done.json"), "{e}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// A damaged stored table is an error naming the file, the row and the column.
    #[test]
    fn a_damaged_table_names_file_row_and_column() {
        let dir = scratch("damaged");
        std::fs::create_dir_all(&dir).unwrap();
        for (file, header) in [
            (INDICATORS, tables::INDICATOR_COLUMNS.join(",")),
            (FISCAL, tables::FISCAL_COLUMNS.join(",")),
            (LORENZ, tables::LORENZ_COLUMNS.join(",")),
            (DECILES, tables::DECILE_COLUMNS.join(",")),
        ] {
            std::fs::write(dir.join(file), format!("{header}\n")).unwrap();
        }
        std::fs::write(
            dir.join(LORENZ),
            "scenario,year,concept,population_share,income_share\nb,2022,disposable,half,0.1\n",
        )
        .unwrap();
        let e = load_rows(&dir).unwrap_err().to_string();
        assert!(
            e.contains("lorenz.csv") && e.contains("row 1") && e.contains("`population_share`"),
            "{e}"
        );
        assert!(load_done(&dir).is_none());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
