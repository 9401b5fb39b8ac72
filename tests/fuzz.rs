//! Fuzzers (issue 16, item 8), proptest-based: the scenario parser (with compilation), the
//! population reader and `gongfu stats`' input, each fed its corpus (`tests/fuzz/corpus/<target>/`,
//! in the repository) and then random mutations of it, for a bounded time. The property: an input
//! loads or gives an error, never a panic. A failure prints the shrunk input; save it in the
//! corpus and add a regression test named after what it broke.
//!
//! `GONGFU_FUZZ_SECONDS` (default 2) bounds each target's time; `GONGFU_FUZZ_SEED` (default 0)
//! seeds the mutations, so a run is reproducible. CI runs each target for 20 seconds (`.ci/run`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gongfu::scenario::{Scenario, YearRange};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestError, TestRng, TestRunner};

use crate::common::Scratch;

/// Tokens a mutation inserts: syntax, edge numbers, odd text.
const TOKENS: &[&str] = &[
    "\n",
    ",",
    "=",
    "\"",
    "[",
    "]",
    "{",
    "}",
    ".",
    "..",
    "-",
    "-1",
    "0",
    "1e308",
    "-1e308",
    "NaN",
    "inf",
    "9999999999999999999999",
    "0.0000001",
    "true",
    "\r\n",
    "\t",
    " ",
    "\u{0}",
    "é",
    "浙江",
    "[params]",
    "[population]",
    "[[program]]",
    "extends = \"x.toml\"",
    "years = \"2022..2023\"",
    "national",
    "urban",
    "rural",
    "person_id",
    "weight",
    "region",
];

/// One mutation: at a position (a fraction of the length), delete up to `len` bytes, insert a
/// token, or repeat a stretch.
#[derive(Debug, Clone)]
enum Mutation {
    Delete(f64, usize),
    Insert(f64, usize),
    Repeat(f64, usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (0.0..1.0, 1usize..16).prop_map(|(at, n)| Mutation::Delete(at, n)),
        (0.0..1.0, 0..TOKENS.len()).prop_map(|(at, t)| Mutation::Insert(at, t)),
        (0.0..1.0, 1usize..64, 1usize..8).prop_map(|(at, n, k)| Mutation::Repeat(at, n, k)),
    ]
}

fn apply(seed: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    let at = |f: f64, len: usize| ((f * len as f64) as usize).min(len);
    for m in mutations {
        let len = bytes.len();
        match *m {
            Mutation::Delete(f, n) => {
                let i = at(f, len);
                bytes.drain(i..(i + n).min(len));
            }
            Mutation::Insert(f, t) => {
                let i = at(f, len);
                bytes.splice(i..i, TOKENS[t].bytes());
            }
            Mutation::Repeat(f, n, k) => {
                let i = at(f, len);
                let stretch = bytes[i..(i + n).min(len)].to_vec();
                for _ in 0..k {
                    bytes.splice(i..i, stretch.iter().copied());
                }
            }
        }
    }
    bytes
}

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{}: no corpus", dir.display());
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect()
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Feeds `target`'s corpus, then mutations of it until the time budget is spent, to `check`
/// (which must not panic; its result is ignored: an error is a fine answer).
fn fuzz(target: &str, check: impl Fn(&[u8])) {
    let seeds = corpus(target);
    for (path, bytes) in &seeds {
        check(bytes);
        eprintln!("fuzz {target}: corpus {} ok", path.display());
    }
    let budget = Duration::from_secs(env_number("GONGFU_FUZZ_SECONDS", 2));
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&env_number("GONGFU_FUZZ_SEED", 0).to_le_bytes());
    let config = Config {
        cases: 16,
        failure_persistence: None,
        ..Config::default()
    };
    // A runner runs its `cases` once; each round gets a fresh one, its stream forked from this.
    let mut master = TestRunner::new_with_rng(
        config.clone(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &key),
    );
    let input = (0..seeds.len(), prop::collection::vec(mutation(), 1..8));
    let start = Instant::now();
    let cases = std::cell::Cell::new(0u64);
    while start.elapsed() < budget {
        let mut round = TestRunner::new_with_rng(config.clone(), master.new_rng());
        let outcome = round.run(&input, |(seed, mutations)| {
            check(&apply(&seeds[seed].1, &mutations));
            cases.set(cases.get() + 1);
            Ok(())
        });
        if let Err(e) = outcome {
            let shown = match &e {
                TestError::Fail(_, (seed, mutations)) => {
                    let bytes = apply(&seeds[*seed].1, mutations);
                    format!("{:?}", String::from_utf8_lossy(&bytes))
                }
                TestError::Abort(why) => why.to_string(),
            };
            panic!("fuzz {target}: {e}\ninput: {shown}\nsave it in tests/fuzz/corpus/{target}/");
        }
    }
    let cases = cases.get();
    eprintln!(
        "fuzz {target}: {cases} mutated inputs in {:.1} s",
        start.elapsed().as_secs_f64()
    );
}

#[test]
fn fuzz_scenario_parser() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/corpus/scenario/fuzzed.toml");
    fuzz("scenario", |bytes| {
        let text = String::from_utf8_lossy(bytes).into_owned();
        if let Ok(s) = Scenario::parse_with(&path, text, gongfu::registry::all()) {
            let years = s.years.unwrap_or(YearRange {
                start: 2022,
                end: 2023,
            });
            let years = YearRange {
                start: years.start,
                end: years.end.min(years.start + 3),
            };
            let _ = s.compile(&["national".to_string()], years, gongfu::rules::Demand::ANY);
        }
    });
}

#[test]
fn fuzz_population_reader() {
    let dir = Scratch::new("fuzz-population");
    let path = dir.path("pop.csv");
    fuzz("population", |bytes| {
        std::fs::write(&path, bytes).unwrap();
        let _ = gongfu::population::io::read(&path);
    });
}

#[test]
fn fuzz_stats_input() {
    let dir = Scratch::new("fuzz-stats");
    let path = dir.path("input.csv");
    fuzz("stats", |bytes| {
        std::fs::write(&path, bytes).unwrap();
        let _ = gongfu::cli::stats::run(gongfu::cli::stats::StatsArgs {
            file: path.clone(),
            income: "income".into(),
            weight: Some("w".into()),
            by: Some("g".into()),
            json: true,
        });
    });
}
