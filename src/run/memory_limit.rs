//! The memory a run will need (`memory_limit`), estimated before anything is generated or simulated, against what
//! the machine has free (docs/batch.md, "Limits"): an absurd `persons` is a clear error, not an
//! aborted allocation that takes the batch down.

use std::path::Path;

use crate::error::{Error, Result};

/// Bytes one sample person needs while a group runs: the population's columns, the engine's two
/// buffers of them, the rule columns, the gathered per-person columns of a year and the sorted
/// distributions. Measured: the national baseline at 200,000 persons, 2022..2023, peaks at 287 MB
/// resident (`/usr/bin/time -v`), about 1,435 bytes a person with the program's fixed part.
pub const BYTES_PER_PERSON: u64 = 1_500;

/// Bytes of memory available now (`MemAvailable` of `/proc/meminfo`); `None` where the system
/// does not say.
fn available_bytes() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kib.checked_mul(1024)
}

/// Refuses a run of `persons` sample persons whose estimate exceeds `available` bytes, with both
/// figures; `file` names the population (its spec).
fn check_against(persons: u64, available: Option<u64>, file: &Path) -> Result<()> {
    let needed = persons.saturating_mul(BYTES_PER_PERSON);
    match available {
        Some(free) if needed > free => Err(Error::Population {
            file: file.to_path_buf(),
            message: format!(
                "{persons} persons need about {:.1} GiB of memory ({BYTES_PER_PERSON} bytes a \
                 person), more than the {:.1} GiB available; run fewer persons",
                gib(needed),
                gib(free)
            ),
        }),
        _ => Ok(()),
    }
}

fn gib(bytes: u64) -> f64 {
    bytes as f64 / f64::from(1u32 << 30)
}

/// Refuses a run of `persons` sample persons that would not fit in the memory available now.
pub fn check(persons: u64, file: &Path) -> Result<()> {
    check_against(persons, available_bytes(), file)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 10^9 persons need 1.5e12 bytes = 1397.0 GiB, more than 16 GiB; 10^6 (1.4 GiB) fit.
    #[test]
    fn the_estimate_is_refused_with_both_figures() {
        let free = Some(16 << 30);
        let e = check_against(1_000_000_000, free, Path::new("spec.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("spec.toml: 1000000000 persons need about 1397.0 GiB")
                && e.contains("more than the 16.0 GiB available"),
            "{e}"
        );
        assert!(check_against(1_000_000, free, Path::new("x")).is_ok());
        assert!(
            check_against(u64::MAX, None, Path::new("x")).is_ok(),
            "unknown memory: no check"
        );
        assert!(
            available_bytes().is_some_and(|b| b > 0),
            "Linux reports MemAvailable"
        );
    }
}
