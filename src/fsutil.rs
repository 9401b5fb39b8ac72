//! Safe file writing: every output is written to a temporary name in the same directory and then
//! renamed, so a reader (or an interrupted run) sees a file complete or not at all.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Temporary name beside `path`: `.<name>.tmp-<pid>` (hidden, same directory, so rename is atomic).
pub fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("output");
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Writes `path` through `write` into a temporary file, flushes and syncs it, then renames it into
/// place. On any error the temporary file is removed and `path` is left untouched.
pub fn atomic_write<F>(path: &Path, write: F) -> Result<()>
where
    F: FnOnce(&mut BufWriter<File>) -> Result<()>,
{
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let tmp = temp_path(path);
    let result = (|| {
        let file = File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        let mut w = BufWriter::new(file);
        write(&mut w)?;
        let file = w
            .into_inner()
            .map_err(|e| Error::io(&tmp, e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("gongfu-fsutil-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn writes_whole_file_and_leaves_no_temporary() {
        let d = scratch("ok");
        let p = d.join("a.csv");
        atomic_write(&p, |w| {
            w.write_all(b"x,y\n1,2\n")
                .map_err(|e| Error::io("a.csv", e))
        })
        .unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "x,y\n1,2\n");
        assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1);
        std::fs::remove_dir_all(d).unwrap();
    }

    #[test]
    fn failure_mid_write_leaves_neither_file() {
        let d = scratch("fail");
        let p = d.join("b.csv");
        let r = atomic_write(&p, |w| {
            w.write_all(b"partial").unwrap();
            Err(Error::Undefined("simulated failure".into()))
        });
        assert!(r.is_err());
        assert_eq!(
            std::fs::read_dir(&d).unwrap().count(),
            0,
            "no target and no temporary file"
        );
        std::fs::remove_dir_all(d).unwrap();
    }
}
