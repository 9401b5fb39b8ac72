//! Safe file writing: every output is written to a temporary name in the same directory and then
//! renamed, so a reader (or an interrupted run) sees a file complete or not at all (indicators.md,
//! "A file is either complete or absent"); and safe reading: an input must be a regular file.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Writes `path` through `write` (which reports I/O errors), atomically; see [`atomic_write_with`].
pub fn atomic_write<F>(path: &Path, write: F) -> Result<()>
where
    F: FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
{
    atomic_write_with(path, |w| write(w).map_err(|e| Error::io(path, e)))
}

/// Writes `path` through `write`, atomically: `write` fills a buffered temporary file in the same
/// directory (`.<name>.tmp-<pid>`), which is flushed, synced and renamed to `path`. If `write`
/// fails (or panics), the temporary file is removed and `path` is left as it was (absent, or its
/// previous complete version). Missing parent directories are created. Errors name `path`.
pub fn atomic_write_with<F>(path: &Path, write: F) -> Result<()>
where
    F: FnOnce(&mut BufWriter<File>) -> Result<()>,
{
    let err = |e| Error::io(path, e);
    let name = path.file_name().ok_or_else(|| {
        err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a file path",
        ))
    })?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".tmp-{}", std::process::id()));
    let temp = TempFile(path.with_file_name(temp_name));

    let file = File::create(&temp.0).map_err(err)?;
    let mut writer = BufWriter::new(file);
    write(&mut writer)?;
    let file = writer.into_inner().map_err(|e| err(e.into_error()))?;
    file.sync_all().map_err(err)?;
    drop(file);
    std::fs::rename(&temp.0, path).map_err(err)?;
    std::mem::forget(temp);
    Ok(())
}

/// Checks, before opening it, that `path` is a regular file (or a link to one): opening a FIFO
/// waits for a writer for ever, and a directory or device is no input. The error is the I/O
/// error to name with the path.
pub fn check_regular(path: &Path) -> std::io::Result<()> {
    let meta = std::fs::metadata(path)?;
    if meta.is_file() {
        return Ok(());
    }
    let kind = if meta.is_dir() {
        "a directory"
    } else {
        "a FIFO, socket or device"
    };
    Err(std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        format!("{kind}, not a regular file; give a file"),
    ))
}

/// The bytes of the regular file `path` ([`check_regular`]).
pub fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    check_regular(path)?;
    std::fs::read(path)
}

/// The text of the regular file `path` ([`check_regular`]), which must be UTF-8.
pub fn read_regular_text(path: &Path) -> std::io::Result<String> {
    check_regular(path)?;
    std::fs::read_to_string(path)
}

/// A temporary file removed when dropped, unless forgotten after the rename.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("gongfu-atomic-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_the_file_and_leaves_no_temporary() {
        let dir = scratch("ok");
        let path = dir.join("a.csv");
        atomic_write(&path, |w| w.write_all(b"x,y\n1,2\n")).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"x,y\n1,2\n");
        assert_eq!(entries(&dir), ["a.csv"]);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn error_mid_write_leaves_no_target_and_no_temporary() {
        let dir = scratch("fail");
        let path = dir.join("a.csv");
        let e = atomic_write(&path, |w| {
            w.write_all(b"half a row")?;
            Err(std::io::Error::other("disk on fire"))
        })
        .unwrap_err();
        assert!(e.to_string().contains("a.csv"), "{e}");
        assert!(e.to_string().contains("disk on fire"), "{e}");
        assert!(entries(&dir).is_empty(), "{:?}", entries(&dir));
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn error_keeps_the_previous_complete_version() {
        let dir = scratch("keep");
        let path = dir.join("a.csv");
        atomic_write(&path, |w| w.write_all(b"old")).unwrap();
        let _ = atomic_write(&path, |w| {
            w.write_all(b"new but broken")?;
            Err(std::io::Error::other("stop"))
        });
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(entries(&dir), ["a.csv"]);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn missing_directories_are_created_and_a_blocked_path_is_an_error_naming_it() {
        let dir = scratch("nodir");
        let path = dir.join("absent").join("a.csv");
        atomic_write(&path, |w| w.write_all(b"x")).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"x");
        // A regular file where a directory should be: the write fails and names the path.
        let blocked = dir.join("absent").join("a.csv").join("b.csv");
        let e = atomic_write(&blocked, |w| w.write_all(b"x")).unwrap_err();
        assert!(e.to_string().contains("a.csv"), "{e}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
