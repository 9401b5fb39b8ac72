//! `gongfu synth` and the generator library: determinism across thread counts and seeds,
//! consistent households, equal weights within a household, contiguous collectives, every shipped
//! spec passing its validation, a single-year age distribution without steps at band edges, and
//! clear errors for a misspelt key or a missed target.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use gongfu::population::{NO_COLLECTIVE, Population, Residence};
use gongfu::synth;

use crate::common::{Scratch, gongfu_in, stderr};

const SPECS: [&str; 5] = [
    "china_2022",
    "zhejiang_2022",
    "jiangsu_2022",
    "xinjiang_2022",
    "inner_mongolia_2022",
];

fn spec_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("synthetic_pop")
        .join(format!("{name}.toml"))
}

fn national() -> synth::Spec {
    synth::load_spec(&spec_path("china_2022")).expect("national spec loads")
}

/// Runs `gongfu synth` on the national spec in `dir` with a thread count, writing `ext` (csv or
/// parquet); returns the bytes of the population, its collectives table and its validation table.
fn synth_files(dir: &Scratch, threads: &str, seed: &str, ext: &str) -> [Vec<u8>; 3] {
    let spec = spec_path("china_2022");
    let out = format!("pop_{threads}_{seed}.{ext}");
    let o = gongfu_in(
        &dir.0,
        &[
            "synth",
            spec.to_str().expect("utf-8 path"),
            "--persons",
            "40000",
            "--seed",
            seed,
            "--out",
            &out,
        ],
        &[("RAYON_NUM_THREADS", threads)],
    );
    assert!(o.status.success(), "synth failed: {}", stderr(&o));
    let read = |name: String| std::fs::read(dir.path(&name)).expect("output written");
    [
        read(out.clone()),
        read(format!("pop_{threads}_{seed}.collectives.{ext}")),
        read(format!("{out}.validation.csv")),
    ]
}

#[test]
fn output_is_byte_identical_with_one_and_two_threads() {
    let dir = Scratch::new("synth-threads");
    for ext in ["csv", "parquet"] {
        let one = synth_files(&dir, "1", "7", ext);
        let two = synth_files(&dir, "2", "7", ext);
        for (a, b) in one.iter().zip(&two) {
            assert!(!a.is_empty());
            assert!(a == b, "{ext} outputs differ between 1 and 2 threads");
        }
        if ext == "csv" {
            // 40 000 persons and a header row.
            assert_eq!(one[0].iter().filter(|&&c| c == b'\n').count(), 40_001);
        }
    }
}

/// Person columns that identify a draw (the NaN column `indexed_wage_ratio` is left out: NaN is
/// never equal to itself).
fn fingerprint(pop: &Population) -> (Vec<u8>, Vec<f64>, Vec<f64>, Vec<u32>) {
    (
        pop.persons.age.clone(),
        pop.persons.earnings_yearly.clone(),
        pop.households.weight.clone(),
        pop.households.start.clone(),
    )
}

#[test]
fn same_seed_same_population_different_seed_different() {
    let spec = national();
    // Unchecked: this is about determinism; a 20 000-person sample's drawn employee-pension
    // coverage can sit outside its 0.02 tolerance at some seeds (12: 0.5188 before the
    // single-year raking, 0.5210 after; mean over seeds 20-35 0.514 before, 0.511 after).
    let (a, _) = synth::generate_unchecked(&spec, 20_000, 11).expect("generates");
    let (b, _) = synth::generate_unchecked(&spec, 20_000, 11).expect("generates");
    let (c, _) = synth::generate_unchecked(&spec, 20_000, 12).expect("generates");
    assert_eq!(fingerprint(&a), fingerprint(&b));
    assert_eq!(a.persons.len(), 20_000);
    assert_eq!(c.persons.len(), 20_000);
    assert_ne!(a.persons.age, c.persons.age);
    assert_ne!(a.persons.earnings_yearly, c.persons.earnings_yearly);
}

#[test]
fn households_are_consistent() {
    let (pop, _) = synth::generate(&national(), 30_000, 3).expect("generates");
    let hh = &pop.households;
    let p = &pop.persons;
    assert_eq!(*hh.start.last().expect("offsets") as usize, p.len());
    for h in 0..hh.len() {
        let ages: Vec<u8> = hh.members(h).map(|i| p.age[i]).collect();
        assert!(!ages.is_empty());
        // Every child under 16 lives with an adult aged 20+ (so no child lives alone).
        if ages.iter().any(|&a| a < 16) {
            assert!(
                ages.iter().any(|&a| a >= 20),
                "household {h} has children without an adult: {ages:?}"
            );
        }
        for i in hh.members(h) {
            assert_eq!(p.household[i] as usize, h);
            assert_eq!(p.hukou[i], hh.residence[h]);
        }
        assert!(hh.weight[h] > 0.0 && hh.weight[h].is_finite());
        // The no-supporter flag goes only to people aged 60+ living alone, without earnings.
        for i in hh.members(h) {
            if p.no_supporter[i] {
                assert!(ages.len() == 1 && p.age[i] >= 60 && p.earnings_yearly[i] == 0.0);
            }
        }
    }
}

#[test]
fn collectives_are_contiguous_and_rural() {
    let (pop, _) = synth::generate(&national(), 30_000, 5).expect("generates");
    let hh = &pop.households;
    let mut last_seen: HashMap<u32, usize> = HashMap::new();
    for h in 0..hh.len() {
        let c = hh.collective[h];
        assert_eq!(c == NO_COLLECTIVE, hh.residence[h] == Residence::Urban);
        if c == NO_COLLECTIVE {
            continue;
        }
        if let Some(&prev) = last_seen.get(&c) {
            assert_eq!(prev + 1, h, "collective {c} is not contiguous");
        }
        last_seen.insert(c, h);
    }
    let table = pop
        .collectives
        .table
        .as_ref()
        .expect("generator writes a table");
    assert_eq!(last_seen.len(), pop.collectives.len());
    assert_eq!(table.capacity_yearly.len(), pop.collectives.len());
    assert!(table.capacity_yearly.iter().all(|&c| c > 0.0));
}

/// A second, independent count from the written CSV: weights equal within a household, the
/// weighted total is the spec's 1 411 750 000 persons and the urban share its 0.6522.
#[test]
fn written_weights_are_equal_within_households_and_meet_totals() {
    let dir = Scratch::new("synth-weights");
    let [csv, _, _] = synth_files(&dir, "2", "3", "csv");
    let text = String::from_utf8(csv).expect("utf-8");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let col = |name: &str| header.iter().position(|&h| h == name).expect("column");
    let (hid, weight, residence) = (col("household_id"), col("weight"), col("residence"));
    let mut weights: HashMap<String, f64> = HashMap::new();
    let (mut total, mut urban) = (0.0, 0.0);
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        let w: f64 = f[weight].parse().expect("weight");
        let prev = *weights.entry(f[hid].to_string()).or_insert(w);
        assert_eq!(prev, w, "weights differ within household {}", f[hid]);
        total += w;
        if f[residence] == "urban" {
            urban += w;
        }
    }
    assert!(
        (total / 1_411_750_000.0 - 1.0).abs() < 1e-6,
        "total {total}"
    );
    assert!(
        (urban / total - 0.6522).abs() < 1e-6,
        "urban share {}",
        urban / total
    );
}

/// Weighted persons of each single year of age 0..=110 in one residence (None: all).
fn weighted_by_age(pop: &Population, residence: Option<Residence>) -> Vec<f64> {
    let mut out = vec![0.0; 111];
    for h in 0..pop.households.len() {
        if residence.is_some_and(|r| r != pop.households.residence[h]) {
            continue;
        }
        for i in pop.households.members(h) {
            out[usize::from(pop.persons.age[i])] += pop.households.weight[h];
        }
    }
    out
}

/// The generated single-year ages of every shipped spec, weighted, in each residence: the change
/// from the last year of a 5-year band to the first of the next (and from age 0 to 1) is at most
/// twice the larger change just either side of it, plus 2% of the level, as for any smooth
/// profile, however steep (Zhejiang's rural persons fall by half from 15-19 to 20-24). Ages
/// drawn flat within bands and raked band by band changed only at band edges: at 30 by 5.8 per
/// thousand against 0.4 either side, and age 0 held 3.6 times age 1 (children of young parents
/// put at 0), so cohorts crossing 60, 65 or a retirement age stepped every 5 simulated years.
#[test]
fn single_year_ages_have_no_steps_at_band_edges() {
    for name in SPECS {
        let spec = synth::load_spec(&spec_path(name)).expect("spec loads");
        let (pop, _) = synth::generate(&spec, 200_000, 3).expect("generates");
        for residence in [Some(Residence::Urban), Some(Residence::Rural), None] {
            let by_age = weighted_by_age(&pop, residence);
            let change = |a: usize| (by_age[a] - by_age[a - 1]).abs();
            for edge in std::iter::once(1).chain((5..=80).step_by(5)) {
                let beside = change(edge + 1).max(if edge > 1 { change(edge - 1) } else { 0.0 });
                let bound = 2.0 * beside + 0.02 * by_age[edge];
                assert!(
                    change(edge) <= bound,
                    "{name} {residence:?} ages {}-{edge}: {} -> {} persons, changes beside {beside}",
                    edge - 1,
                    by_age[edge - 1],
                    by_age[edge]
                );
            }
        }
    }
}

#[test]
fn every_shipped_spec_passes_its_validation() {
    for name in SPECS {
        let spec = synth::load_spec(&spec_path(name)).expect("spec loads");
        match synth::generate(&spec, 200_000, 1) {
            Ok((pop, table)) => {
                assert_eq!(pop.persons.len(), 200_000);
                assert_eq!(pop.regions, vec![spec.region.clone()]);
                assert_eq!(table.failed(), 0);
            }
            Err(e) => panic!("{name}: {e}"),
        }
    }
}

#[test]
fn misspelt_key_names_file_line_and_key() {
    let dir = Scratch::new("synth-typo");
    let text = std::fs::read_to_string(spec_path("china_2022")).expect("spec");
    let bad = dir.write(
        "typo.toml",
        text.replacen("urban_share = 0.6522", "urban_shar = 0.6522", 1),
    );
    let line = text
        .lines()
        .position(|l| l.starts_with("urban_share = "))
        .expect("key present")
        + 1;
    let o = gongfu_in(
        &dir.0,
        &["synth", bad.to_str().expect("utf-8"), "--out", "x.csv"],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("typo.toml:{line}:")),
        "no file and line: {err}"
    );
    assert!(err.contains("unknown field `urban_shar`"), "{err}");
    assert!(err.contains("did you mean `urban_share`?"), "{err}");
    assert!(!dir.path("x.csv").exists());
}

#[test]
fn missed_target_fails_with_the_table_written() {
    let dir = Scratch::new("synth-miss");
    let text = std::fs::read_to_string(spec_path("china_2022")).expect("spec");
    // Ten times the te-kun count is far from what the no-supporter shares give (about 4.1
    // million).
    let bad = dir.write(
        "miss.toml",
        text.replacen(
            "target_persons = 4_701_000",
            "target_persons = 47_010_000",
            1,
        ),
    );
    let o = gongfu_in(
        &dir.0,
        &[
            "synth",
            bad.to_str().expect("utf-8"),
            "--persons",
            "20000",
            "--out",
            "miss.csv",
        ],
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("calibration failed: 1 target(s)"), "{err}");
    let table = std::fs::read_to_string(dir.path("miss.csv.validation.csv")).expect("table");
    let row = table
        .lines()
        .find(|l| l.starts_with("no_supporter_persons,"))
        .expect("no-supporter row");
    assert!(row.ends_with(",false"), "{row}");
    assert!(
        !dir.path("miss.csv").exists(),
        "no population on a failed run"
    );
}

#[test]
fn too_few_persons_is_an_error() {
    let err = synth::generate(&national(), 100, 1).expect_err("too small");
    assert!(err.to_string().contains("at least 2000"), "{err}");
}

/// The income alignment maps ranks to quantiles rather than drawing a heavy tail, so the
/// distribution of the income proxy does not depend on the sample size: at 5,000 and 100,000
/// persons the Gini agrees within 0.005 and the residence medians within 1% of each other (the
/// validation table holds them within 3% of their targets: the quintile-group shaping trades
/// the medians against the groups, groups.rs).
#[test]
fn income_distribution_does_not_depend_on_sample_size() {
    let spec = national();
    let achieved = |persons: usize, name: &str| -> (f64, f64) {
        let (_, table) = synth::generate_unchecked(&spec, persons, 4).expect("generates");
        let row = table
            .rows
            .iter()
            .find(|r| r.target_name == name)
            .unwrap_or_else(|| panic!("no row {name}"));
        (row.achieved, row.target)
    };
    let (small, _) = achieved(5_000, "income_proxy_gini");
    let (large, _) = achieved(100_000, "income_proxy_gini");
    assert!(
        (small - large).abs() < 0.005,
        "Gini {small} at 5k, {large} at 100k"
    );
    for name in ["income_proxy_median_urban", "income_proxy_median_rural"] {
        let (small, _) = achieved(5_000, name);
        let (large, target) = achieved(100_000, name);
        assert!(
            (small / large - 1.0).abs() < 0.01 && (large / target - 1.0).abs() < 0.03,
            "{name}: {small} at 5k, {large} at 100k, target {target}"
        );
    }
}

/// Regression (issue 16, item 2): at 5,000 persons a quarter to two fifths of seeds failed
/// calibration (`gongfu run scenarios/ --persons 5000` failed Zhejiang with the shipped seeds),
/// mostly the employee-pension coverage and the no-supporter count missing fixed tolerances by
/// chance. Every shipped spec now calibrates for every seed tried. (At 2,000 persons the raking
/// still diverges for some seeds: item 2 is not done.)
#[test]
fn every_shipped_spec_calibrates_at_5000_persons_for_every_seed() {
    for name in SPECS {
        let spec = synth::load_spec(&spec_path(name)).expect("spec loads");
        for seed in 1..=4 {
            if let Err(e) = synth::generate(&spec, 5_000, seed) {
                panic!("{name}, seed {seed}: {e}");
            }
        }
    }
}

/// Issue 16 item 2: every shipped spec calibrates at the smallest sample allowed for every seed
/// tried (20 seeds each; about 7 s in a debug build), a merge of raking cells or a tail Gini the
/// sample cannot meet being stated in the table, never silent.
#[test]
fn every_spec_calibrates_at_2000_persons_for_many_seeds() {
    let (mut merged, mut out_of_reach) = (0, 0);
    for name in SPECS.iter().chain(&["china_2022_official_gini"]) {
        let spec = synth::load_spec(&spec_path(name)).expect("spec loads");
        for seed in 1..=20 {
            let (pop, table) =
                synth::generate_unchecked(&spec, synth::MIN_PERSONS, seed).expect("generates");
            assert_eq!(pop.persons.len(), synth::MIN_PERSONS);
            assert!(table.check().is_ok(), "{name} seed {seed}:\n{table}");
            let notes = table
                .rows
                .iter()
                .filter(|r| r.target_name.ends_with("_merged_for_raking"))
                .count();
            if notes > 0 {
                // A merged range is a row of its own, met like any raked cell.
                assert!(table.rows.iter().any(|r| r.target_name.contains("_to_")));
                merged += 1;
            }
            // A tail Gini out of the sample's reach is stated, and what it reaches is checked.
            let named = |suffix: &str| {
                table
                    .rows
                    .iter()
                    .any(|r| r.target_name == format!("income_proxy_gini_with_top_incomes{suffix}"))
            };
            if named("_out_of_reach_of_the_sample") {
                assert!(named("_sample_maximum") && !named(""));
                out_of_reach += 1;
            }
        }
    }
    // Jiangsu's old rural population cannot be raked in full at 2,000 persons for several seeds.
    assert!(
        merged > 0,
        "no sample needed a merge: the test no longer covers merging"
    );
    // The official-Gini spec's tail is out of reach at 2,000 persons for most seeds.
    assert!(
        out_of_reach > 0,
        "every tail Gini was reached: the test no longer covers that case"
    );
}
