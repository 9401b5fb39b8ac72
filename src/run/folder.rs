//! The run folder, `--out` (docs/batch.md, "The run folder"): one run at a time, never a folder
//! that is not gongfu's, never the old groups of an earlier run beside the new ones, and no
//! temporary file a killed run left behind.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::batch::LOG_FILE;
use crate::error::{Error, Result};

/// The lock file of a run folder: held (an advisory lock on the open file) while a run writes
/// into the folder; it names the holding run.
pub const LOCK_FILE: &str = ".gongfu.lock";

/// A run folder held by this run; the lock is released when this is dropped (or the process
/// ends, however it ends).
#[derive(Debug)]
pub struct RunFolder {
    _lock: File,
    /// Temporary files of an earlier, stopped run that opening the folder removed.
    pub removed_temporaries: usize,
}

fn refuse(path: &Path, message: String) -> Error {
    Error::io(path, std::io::Error::other(message))
}

/// Opens `out` for a run, creating it if needed. Refuses the filesystem root, a non-empty folder
/// that is not a gongfu run folder (it has no `run.log`), a folder another run holds (naming that
/// run), and, unless `resume`, a run folder of an earlier run (a new run never mixes with its
/// groups). Then removes the temporary files a killed run left (`.<name>.tmp-<pid>`). `holder`
/// (the command line and start time) is written into the lock file for a second run's error.
pub fn open(out: &Path, resume: bool, holder: &str) -> Result<RunFolder> {
    let absolute = std::path::absolute(out).map_err(|e| Error::io(out, e))?;
    let resolved = std::fs::canonicalize(&absolute).unwrap_or(absolute);
    if resolved.parent().is_none() {
        return Err(refuse(
            out,
            "the filesystem root cannot be a run folder; give a folder of its own".into(),
        ));
    }
    let has = |name: &str| out.join(name).exists();
    if out.is_dir() && !has(LOG_FILE) && !has(LOCK_FILE) && !is_empty(out)? {
        return Err(refuse(
            out,
            format!(
                "not empty and not a gongfu run folder (it has no {LOG_FILE}); give a new or \
                 empty folder as --out"
            ),
        ));
    }
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let lock_path = out.join(LOCK_FILE);
    let mut lock = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .map_err(|e| Error::io(&lock_path, e))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let mut other = String::new();
            let _ = lock.read_to_string(&mut other);
            return Err(refuse(
                out,
                format!(
                    "in use by another gongfu run ({}); wait for it to finish or give another --out",
                    other.trim()
                ),
            ));
        }
        Err(TryLockError::Error(e)) => return Err(Error::io(&lock_path, e)),
    }
    if !resume && has(LOG_FILE) {
        return Err(refuse(
            out,
            "holds an earlier run; continue it with --resume, or give a new --out (or remove \
             the folder first)"
                .into(),
        ));
    }
    let write_holder = |lock: &mut File| -> std::io::Result<()> {
        lock.set_len(0)?;
        lock.rewind()?;
        writeln!(lock, "pid {}, {holder}", std::process::id())
    };
    write_holder(&mut lock).map_err(|e| Error::io(&lock_path, e))?;
    let removed_temporaries = remove_temporaries(out)?;
    Ok(RunFolder {
        _lock: lock,
        removed_temporaries,
    })
}

fn is_empty(dir: &Path) -> Result<bool> {
    let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    Ok(entries.next().is_none())
}

/// Whether `name` is a temporary file of [`crate::fsutil::atomic_write_with`]: `.<name>.tmp-<pid>`.
fn is_temporary(name: &str) -> bool {
    name.starts_with('.')
        && name.rsplit_once(".tmp-").is_some_and(|(stem, pid)| {
            stem.len() > 1 && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
        })
}

/// Removes every temporary file under `dir` (no symbolic link is followed); returns how many.
fn remove_temporaries(dir: &Path) -> Result<usize> {
    let mut removed = 0;
    let mut pending: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).map_err(|e| Error::io(&d, e))? {
            let entry = entry.map_err(|e| Error::io(&d, e))?;
            let kind = entry.file_type().map_err(|e| Error::io(entry.path(), e))?;
            if kind.is_dir() {
                pending.push(entry.path());
            } else if kind.is_file() && entry.file_name().to_str().is_some_and(is_temporary) {
                std::fs::remove_file(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
                removed += 1;
            }
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("gongfu-folder-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn temporary_names_are_those_atomic_write_makes() {
        assert!(is_temporary(".indicators.csv.tmp-1234"));
        assert!(!is_temporary("indicators.csv.tmp-1234"));
        assert!(!is_temporary(".indicators.csv.tmp-"));
        assert!(!is_temporary(".indicators.csv.tmp-12a"));
        assert!(!is_temporary(".tmp-12"));
        assert!(!is_temporary(".gongfu.lock"));
    }

    /// A second open of a held folder names the holder; after the first is dropped it opens (as
    /// a resume: the folder has a run log by then).
    #[test]
    fn a_held_folder_is_refused_naming_its_holder() {
        let dir = scratch("held");
        let first = open(
            &dir,
            false,
            "started 2026-12-04T10:00:00Z: gongfu run a.toml",
        )
        .unwrap();
        std::fs::write(dir.join(LOG_FILE), "x\n").unwrap();
        let e = open(&dir, true, "second").unwrap_err().to_string();
        assert!(e.contains("in use by another gongfu run (pid "), "{e}");
        assert!(e.contains("gongfu run a.toml"), "{e}");
        drop(first);
        assert!(open(&dir, true, "second").is_ok());
        let e = open(&dir, false, "third").unwrap_err().to_string();
        assert!(
            e.contains("holds an earlier run; continue it with --resume"),
            "{e}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn root_and_foreign_folders_are_refused() {
        let e = open(Path::new("/"), false, "x").unwrap_err().to_string();
        assert!(
            e.contains("the filesystem root cannot be a run folder"),
            "{e}"
        );
        let dir = scratch("foreign");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("thesis.docx"), "mine").unwrap();
        let e = open(&dir, false, "x").unwrap_err().to_string();
        assert!(e.contains("not empty and not a gongfu run folder"), "{e}");
        assert!(
            !dir.join(LOCK_FILE).exists(),
            "nothing written into a foreign folder"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Temporary files of a killed run, at any depth, are removed; other files stay.
    #[test]
    fn leftover_temporaries_are_removed() {
        let dir = scratch("temps");
        let group = dir.join("baseline/scenarios/reform");
        std::fs::create_dir_all(&group).unwrap();
        std::fs::write(dir.join(LOG_FILE), "x\n").unwrap();
        std::fs::write(dir.join(".summary.csv.tmp-77"), "half").unwrap();
        std::fs::write(group.join(".indicators.csv.tmp-78"), "half").unwrap();
        std::fs::write(group.join("indicators.csv"), "whole").unwrap();
        let folder = open(&dir, true, "x").unwrap();
        assert_eq!(folder.removed_temporaries, 2);
        assert!(group.join("indicators.csv").exists());
        assert!(!group.join(".indicators.csv.tmp-78").exists());
        drop(folder);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
