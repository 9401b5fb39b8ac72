//! Which scenario files a batch runs: folders, patterns and files named on the command line.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::scenario::Scenario;

/// What a batch loads, in order: a scenario file alone (`None`), or a file on a baseline instead
/// of its `extends`. With `on` (`--on`), each baseline alone (its group's reference), then every
/// file on each; without, a file whose `rebase` list names baselines runs on each of them the same
/// way (its list is read here; a file that does not load runs alone, to fail with its error). A
/// file is loaded alone once, however many `rebase` lists or arguments name it.
pub(super) fn jobs(files: &[PathBuf], on: &[PathBuf]) -> Vec<(PathBuf, Option<PathBuf>)> {
    let mut out: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
    let same = |a: &Path, b: &Path| {
        a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
    };
    let alone = |out: &mut Vec<(PathBuf, Option<PathBuf>)>, path: &Path| {
        if !out.iter().any(|(p, b)| b.is_none() && same(p, path)) {
            out.push((path.to_path_buf(), None));
        }
    };
    if !on.is_empty() {
        for b in on {
            alone(&mut out, b);
        }
        for f in files {
            out.extend(on.iter().map(|b| (f.clone(), Some(b.clone()))));
        }
        return out;
    }
    for f in files {
        let rebase = Scenario::load(f).map(|s| s.rebase).unwrap_or_default();
        if rebase.is_empty() {
            alone(&mut out, f);
        }
        for b in rebase {
            alone(&mut out, &b);
            out.push((f.clone(), Some(b)));
        }
    }
    out
}

/// Scenario files named by command-line arguments, in order: a folder gives every `*.toml` below
/// it (recursively, sorted by path); a path whose file name holds `*` gives the matching files
/// of its folder (sorted); anything else is taken as a file. A folder or pattern matching
/// nothing is an error naming it.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        let pattern = p
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| n.contains('*'));
        let found = if p.is_dir() {
            let mut found = Vec::new();
            collect_toml(p, &mut found).map_err(|e| Error::io(p, e))?;
            found
        } else if let Some(pattern) = pattern {
            let dir = p
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let mut found = Vec::new();
            for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
                let path = entry.map_err(|e| Error::io(dir, e))?.path();
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if path.is_file() && glob_match(pattern, name) {
                    found.push(path);
                }
            }
            found
        } else {
            out.push(p.clone());
            continue;
        };
        if found.is_empty() {
            return Err(Error::io(
                p,
                std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no scenario files here (a folder gives its *.toml files, a pattern its matches)",
                ),
            ));
        }
        let mut found = found;
        found.sort();
        out.extend(found);
    }
    Ok(out)
}

fn collect_toml(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_toml(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}

/// Whether `name` matches `pattern`, where `*` stands for any run of characters (possibly none)
/// and every other character for itself.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let mut parts: Vec<&str> = parts.collect();
    let Some(last) = parts.pop() else {
        return rest.is_empty(); // no `*`: the whole name matched the prefix
    };
    for part in parts {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `*` matches any run of characters, including none; other characters match themselves.
    #[test]
    fn glob_matches_stars_in_file_names() {
        assert!(glob_match("*.toml", "baseline.toml"));
        assert!(glob_match("*.toml", ".toml"));
        assert!(!glob_match("*.toml", "baseline.toml.bak"));
        assert!(glob_match("zhejiang_*.toml", "zhejiang_unified_dibao.toml"));
        assert!(!glob_match("zhejiang_*.toml", "jiangsu_unified_dibao.toml"));
        assert!(glob_match("a*b*c", "a-b-b-c"));
        assert!(!glob_match("a*b*c", "a-c-b"));
        assert!(glob_match("*", "anything"));
        assert!(glob_match("exact.toml", "exact.toml"));
        assert!(!glob_match("exact.toml", "exact.toml2"));
        // The prefix and the suffix may not overlap: "ab" does not match "ab*ab".
        assert!(!glob_match("ab*ab", "ab"));
    }

    /// A pattern expands to its folder's matching files, sorted; a folder to its *.toml files
    /// recursively; a pattern matching nothing is an error naming it.
    #[test]
    fn expand_handles_folders_patterns_and_files() {
        let dir = std::env::temp_dir().join(format!("gongfu-expand-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        for f in ["b.toml", "a.toml", "notes.txt", "sub/c.toml"] {
            std::fs::write(dir.join(f), "").unwrap();
        }
        let got = expand(&[dir.join("*.toml")]).unwrap();
        assert_eq!(got, [dir.join("a.toml"), dir.join("b.toml")]);
        let got = expand(std::slice::from_ref(&dir)).unwrap();
        assert_eq!(
            got,
            [
                dir.join("a.toml"),
                dir.join("b.toml"),
                dir.join("sub/c.toml")
            ]
        );
        let got = expand(&[dir.join("x.toml")]).unwrap();
        assert_eq!(got, [dir.join("x.toml")]);
        let e = expand(&[dir.join("z*.toml")]).unwrap_err().to_string();
        assert!(e.contains("z*.toml"), "{e}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
