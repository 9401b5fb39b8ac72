//! The shipped scenarios under `scenarios/`: every file loads, every reform extends a baseline,
//! every parameter line carries a comment (the citation rule), and the national baseline
//! reproduces the official 2022 figures (docs/validation.md) within the tolerances.

use std::path::{Path, PathBuf};

use gongfu::scenario::Scenario;

use crate::common::{Scratch, gongfu, mean_indicator, run_200k, stderr};

/// Every `*.toml` under `scenarios/`, sub-folders included, in path order.
fn shipped() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("scenarios folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "toml") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"),
        &mut out,
    );
    out.sort();
    out
}

fn is_baseline(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "baseline.toml")
}

#[test]
fn every_shipped_scenario_loads() {
    let files = shipped();
    // The national baseline, four provincial baselines and eight reforms.
    assert!(files.len() >= 13, "{files:?}");
    for path in &files {
        if let Err(e) = Scenario::load(path) {
            panic!("{}: {e}", path.display());
        }
    }
    let o = gongfu(&["validate", "scenarios"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn every_reform_extends_a_baseline_and_every_baseline_is_a_reference() {
    for path in shipped() {
        let s = Scenario::load(&path).expect("loads");
        let chain: Vec<&Path> = s.files.iter().map(|f| f.path.as_path()).collect();
        if is_baseline(&path) {
            assert!(s.reference, "{} is not a reference", path.display());
        } else {
            assert!(chain.len() >= 2, "{} extends nothing", path.display());
            assert!(
                is_baseline(chain[chain.len() - 1]),
                "{} does not extend a baseline: {chain:?}",
                path.display()
            );
            assert!(
                !s.reference,
                "a reform is not a reference: {}",
                path.display()
            );
            assert!(
                !s.description.is_empty(),
                "{} has no description",
                path.display()
            );
        }
        assert!(
            s.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
            "name `{}` is not ASCII snake_case",
            s.name
        );
    }
}

/// Lines of a scenario file that set a value inside `[params...]`, `[[program]]` or `[grid]` without a
/// comment on the line or on the line just above (a block comment), as `line: text`.
fn uncommented_parameters(text: &str) -> Vec<String> {
    let mut in_values = false;
    let mut previous_is_comment = false;
    let mut missing = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            in_values = t.starts_with("[params") || t == "[[program]]" || t == "[grid]";
        } else if in_values
            && t.contains(" = ")
            && !t.starts_with('#')
            && !t.starts_with("name = ")
            && !t.contains('#')
            && !previous_is_comment
        {
            missing.push(format!("{}: {t}", n + 1));
        }
        previous_is_comment = t.starts_with('#');
    }
    missing
}

#[test]
fn the_comment_check_catches_a_bare_parameter() {
    let text = "[params]\n# source\na = 1\nb = 2   # source\nc = 3\n[[program]]\nname = \"x\"\nage_min = 16\n[grid]\nd_scale = [1]\n";
    assert_eq!(
        uncommented_parameters(text),
        ["5: c = 3", "8: age_min = 16", "10: d_scale = [1]"]
    );
}

#[test]
fn every_parameter_line_cites_a_source() {
    for path in shipped() {
        let text = std::fs::read_to_string(&path).expect("readable");
        let missing = uncommented_parameters(&text);
        assert!(missing.is_empty(), "{}: {missing:?}", path.display());
    }
}

/// Official 2022 figures, transcribed from ../shared/data/calibration_targets.toml with their
/// keys, and the tolerances: (indicator, residence, target, tolerance, relative?). The
/// Gini (national.income.gini_2022, 0.467) is not here: no distribution with the published
/// household quintile-group means reaches it (see `quintile_groups_and_gini_on_the_survey_basis`).
pub(crate) const TARGETS: [(&str, &str, f64, f64, bool); 8] = [
    ("urban_rural_ratio", "all", 2.45, 0.05, false), // [national.income] urban_rural_ratio_2022
    ("mean_disposable", "urban", 49_283.0, 0.03, true), // [national.income] urban_mean_2022
    ("mean_disposable", "rural", 20_133.0, 0.03, true), // [national.income] rural_mean_2022
    ("median_disposable", "urban", 45_123.0, 0.03, true), // [national.income] urban_median_2022
    ("median_disposable", "rural", 17_734.0, 0.03, true), // [national.income] rural_median_2022
    ("beneficiaries_dibao", "all", 40.32e6, 0.2, true), // [national.assistance] dibao_recipients_2022
    ("beneficiaries_tekun", "all", 4.701e6, 0.2, true), // [national.assistance] tekun_persons_2021
    ("population", "all", 1_411.75e6, 1e-6, true),      // [national.population] total_2022
];

/// [national.income] quintile_group_means_2022: per-capita disposable income of five groups of
/// equal numbers of households, yuan/year.
pub(crate) const QUINTILE_GROUP_MEANS: [f64; 5] = [8_601.0, 19_303.0, 30_598.0, 47_397.0, 90_116.0];

/// [national.income] urban_quintile_group_means_2022 and rural_quintile_group_means_2022: the
/// same household groups within each residence (China Statistical Yearbook 2023, conf M).
const RESIDENCE_QUINTILE_GROUP_MEANS: [[f64; 5]; 2] = [
    [16_971.0, 31_180.0, 44_283.0, 61_724.0, 107_224.0],
    [5_025.0, 11_965.0, 17_451.0, 24_646.0, 46_075.0],
];

/// Share of urban persons in the NBS survey's national figures: the one that makes the urban
/// (49,283) and rural (20,133) means average to the national mean (36,883), all
/// [national.income] 2022.
pub(crate) fn survey_urban_share() -> f64 {
    (36_883.0 - 20_133.0) / (49_283.0 - 20_133.0)
}

/// One person row of the microdata: household id, weight, urban?, per-capita disposable income.
pub(crate) type PersonRow = (u64, f64, bool, f64);

pub(crate) fn microdata(path: &Path) -> Vec<PersonRow> {
    let text = std::fs::read_to_string(path).expect("microdata");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let col = |name: &str| header.iter().position(|&h| h == name).expect(name);
    let (hid, weight, residence, income) = (
        col("household_id"),
        col("weight"),
        col("residence"),
        col("household_per_capita_disposable"),
    );
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[hid].parse().expect("id"),
                f[weight].parse().expect("weight"),
                f[residence] == "urban",
                f[income].parse().expect("income"),
            )
        })
        .collect()
}

/// Persons reweighted so that urban persons hold `urban_share` of the weight.
pub(crate) fn reweighted(rows: &[PersonRow], urban_share: f64) -> Vec<PersonRow> {
    let total: f64 = rows.iter().map(|r| r.1).sum();
    let urban: f64 = rows.iter().filter(|r| r.2).map(|r| r.1).sum();
    let (fu, fr) = (
        urban_share * total / urban,
        (1.0 - urban_share) * total / (total - urban),
    );
    rows.iter()
        .map(|&(h, w, u, y)| (h, w * if u { fu } else { fr }, u, y))
        .collect()
}

/// Gini over persons, the population form of the indicators spec (a second implementation,
/// independent of src/indicators).
fn gini(rows: &[PersonRow]) -> f64 {
    let mut v: Vec<(f64, f64)> = rows.iter().map(|r| (r.3, r.1)).collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (w, s): (f64, f64) = v
        .iter()
        .fold((0.0, 0.0), |a, x| (a.0 + x.1, a.1 + x.0 * x.1));
    let (mut cum, mut area) = (0.0, 0.0);
    for &(y, wt) in &v {
        area += wt * (2.0 * cum + wt * y);
        cum += wt * y;
    }
    1.0 - area / (w * s)
}

/// Weighted median over persons: the income of the person at which half the weight is reached.
fn weighted_median(rows: &[PersonRow]) -> f64 {
    let mut v: Vec<(f64, f64)> = rows.iter().map(|r| (r.3, r.1)).collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let half = v.iter().map(|x| x.1).sum::<f64>() / 2.0;
    let mut below = 0.0;
    v.iter()
        .find(|x| {
            below += x.1;
            below >= half
        })
        .map_or(f64::NAN, |x| x.0)
}

/// Household quintile groups (equal household weight, ranked by per-capita income): each
/// group's share of persons and per-person mean income.
pub(crate) fn household_quintile_groups(rows: &[PersonRow]) -> [(f64, f64); 5] {
    let mut households: std::collections::BTreeMap<u64, (f64, f64, f64)> = Default::default();
    for &(h, w, _, y) in rows {
        let e = households.entry(h).or_insert((y, w, 0.0));
        e.2 += 1.0;
    }
    let mut hh: Vec<(f64, f64, f64)> = households.into_values().collect();
    hh.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = hh.iter().map(|x| x.1).sum();
    let persons: f64 = hh.iter().map(|x| x.1 * x.2).sum();
    let mut groups = [(0.0f64, 0.0f64); 5];
    let mut cum = 0.0;
    for &(y, w, size) in &hh {
        let g = (((cum + w / 2.0) / total * 5.0) as usize).min(4);
        cum += w;
        groups[g].0 += w * size;
        groups[g].1 += w * size * y;
    }
    groups.map(|(n, inc)| (n / persons, inc / n))
}

/// Bounds on the Gini of any distribution whose five non-overlapping groups hold person shares
/// `a` at means `m`: G = G_between + sum_k a_k s_k G_k (s_k the group's income share). Below,
/// the between-group Gini (every G_k = 0). Above, each group's Gini at its largest given its
/// mean and a support no wider than the neighbouring means: (m - L)(U - m) / (m (U - L)) for a
/// support [L, U] (two points at its ends), (m - L) / m for the open top group.
fn gini_bounds(a: [f64; 5], m: [f64; 5]) -> (f64, f64) {
    let mu: f64 = (0..5).map(|k| a[k] * m[k]).sum();
    let between = between_group_gini(&a, &m);
    let within: f64 = (0..5)
        .map(|k| {
            let lower = if k == 0 { 0.0 } else { m[k - 1] };
            let g = if k == 4 {
                (m[k] - lower) / m[k]
            } else if m[k + 1] <= lower {
                0.0 // a support of width zero
            } else {
                (m[k] - lower) * (m[k + 1] - m[k]) / (m[k] * (m[k + 1] - lower))
            };
            a[k] * (a[k] * m[k] / mu) * g
        })
        .sum();
    (between, between + within)
}

/// Gini of the persons of groups with person shares `a` (summing to 1) all at their group means
/// `m`: a lower bound on the Gini of any distribution with those groups, overlapping or not
/// (replacing each group by its mean is a chain of transfers from richer to poorer persons).
fn between_group_gini(a: &[f64], m: &[f64]) -> f64 {
    let mu: f64 = a.iter().zip(m).map(|(a, m)| a * m).sum();
    let mut sum = 0.0;
    for (ai, mi) in a.iter().zip(m) {
        for (aj, mj) in a.iter().zip(m) {
            sum += ai * aj * (mi - mj).abs();
        }
    }
    sum / (2.0 * mu)
}

#[test]
fn gini_bounds_match_hand_cases() {
    // Half the persons at 1, half at 3 (mean 2): between-group Gini
    // (0.25 * 2 + 0.25 * 2) / (2 * 2) = 0.25. Largest within-group spread: the bottom group as
    // a quarter at 0 and a quarter at 2; the top as a half at 2 and a vanishing mass far out
    // carrying 0.5 of income. Mean difference 2 * 0.25 * 0.75 * 2 (the finite points) + 2 * 0.5
    // (pairs with the far mass) = 1.75, Gini 1.75 / (2 * 2) = 0.4375.
    let (lo, hi) = gini_bounds([0.5, 0.0, 0.0, 0.0, 0.5], [1.0, 2.0, 2.0, 2.0, 3.0]);
    assert!((lo - 0.25).abs() < 1e-12, "{lo}");
    assert!((hi - 0.4375).abs() < 1e-12, "{hi}");
    // Equal means: no between-group inequality, and every bounded group has width zero.
    let (lo, hi) = gini_bounds([0.2; 5], [5.0; 5]);
    assert!(lo.abs() < 1e-12);
    // Every bounded group's support is a point (the middle ones) or puts no mass below the mean
    // (the bottom's [0, 5] at mean 5), and the top's (5 - 5) / 5 is 0.
    assert!(hi.abs() < 1e-12, "{hi}");
}

/// The national baseline at 200,000 persons (about 5 s in a debug build; sampling noise of the
/// Gini about 0.003, of the means under 1%: see docs/validation.md) meets the official 2022
/// figures.
#[test]
fn national_baseline_reproduces_2022() {
    let dir = Scratch::new("shipped-calibration");
    let out = run_200k(&dir, "scenarios/baseline.toml", "2022..2023");
    let csv = std::fs::read_to_string(out.join("indicators.csv")).expect("indicators");
    let value =
        |indicator: &str, residence: &str| mean_indicator(&csv, "2022", residence, indicator);
    for (indicator, residence, target, tolerance, relative) in TARGETS {
        let sim = value(indicator, residence);
        let error = if relative {
            sim / target - 1.0
        } else {
            sim - target
        };
        assert!(
            error.abs() <= tolerance,
            "{indicator} ({residence}): simulated {sim}, official {target}, error {error:+.4} beyond {tolerance}"
        );
    }
    // Resident pension: 205 yuan/month on average ([national.pensions]
    // resident_avg_pension_monthly_2022), within 10%.
    let fiscal = std::fs::read_to_string(out.join("fiscal.csv")).expect("fiscal");
    let mean_benefit: f64 = fiscal
        .lines()
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|f| f[1] == "mean" && f[3] == "resident_pension" && f[4] == "government")
        .expect("resident pension row")[8]
        .parse()
        .expect("number");
    let monthly = mean_benefit / 12.0;
    assert!(
        (monthly / 205.0 - 1.0).abs() <= 0.1,
        "resident pension {monthly}/month"
    );

    quintile_groups_and_gini_on_the_survey_basis(
        &microdata(&out.join("microdata").join("baseline_2022.csv")),
        value("gini_disposable", "all"),
        [
            "mean_disposable_survey_basis",
            "median_disposable_survey_basis",
            "gini_disposable_survey_basis",
        ]
        .map(|name| value(name, "all")),
    );
    crate::medical_calibration::check(&out);
}

/// The national figures on the NBS survey's basis (urban persons reweighted to the survey's
/// urban share): the household quintile-group means meet the official ones within 8% (the
/// residual of the calibration, docs/validation.md), and so do the urban and the rural groups
/// (within each residence, where the reweighting changes nothing), the national mean within 1%,
/// and the Gini lies within the bounds the official group means allow any distribution (below:
/// the between-group Gini of the five national or of the ten residence groups, whichever is
/// higher; above: the national groups' closed-form bound and the fifteen groups' joint bound,
/// scripts/gini_bound.py); those bounds
/// exclude the official Gini of 0.467. The model's own Gini (population basis) and its
/// survey-basis mean, median and Gini (`model_survey`) are checked by a second implementation
/// here.
fn quintile_groups_and_gini_on_the_survey_basis(
    rows: &[PersonRow],
    model_gini: f64,
    model_survey: [f64; 3],
) {
    let population_gini = gini(rows);
    assert!(
        (population_gini - model_gini).abs() < 1e-9,
        "gini {population_gini} against the model's {model_gini}"
    );
    let survey = reweighted(rows, survey_urban_share());
    let (w, wy) = survey
        .iter()
        .fold((0.0, 0.0), |a, r| (a.0 + r.1, a.1 + r.1 * r.3));
    let mean = wy / w;
    assert!(
        (mean / 36_883.0 - 1.0).abs() < 0.01,
        "survey-basis mean {mean}"
    );
    let groups = household_quintile_groups(&survey);
    for (k, (&(_, sim), official)) in groups.iter().zip(QUINTILE_GROUP_MEANS).enumerate() {
        assert!(
            (sim / official - 1.0).abs() <= 0.08,
            "household quintile group {}: simulated {sim:.0}, official {official}",
            k + 1
        );
    }
    // The ten residence groups' persons on the survey basis, for the lower bound below.
    let (mut shares, mut means) = (Vec::new(), Vec::new());
    for (urban, official) in [true, false]
        .into_iter()
        .zip(RESIDENCE_QUINTILE_GROUP_MEANS)
    {
        let part: Vec<PersonRow> = rows.iter().copied().filter(|r| r.2 == urban).collect();
        let residence_share = if urban {
            survey_urban_share()
        } else {
            1.0 - survey_urban_share()
        };
        let groups = household_quintile_groups(&part);
        shares.extend(groups.map(|g| g.0 * residence_share));
        means.extend(official);
        for (k, (&(_, sim), official)) in groups.iter().zip(official).enumerate() {
            assert!(
                (sim / official - 1.0).abs() <= 0.08,
                "{} household quintile group {}: simulated {sim:.0}, official {official}",
                if urban { "urban" } else { "rural" },
                k + 1
            );
        }
    }
    let (national_lower, upper) = gini_bounds(groups.map(|g| g.0), QUINTILE_GROUP_MEANS);
    let lower = national_lower.max(between_group_gini(&shares, &means));
    let g = gini(&survey);
    let median = weighted_median(&survey);
    for (name, ours, model) in [
        ("mean", mean, model_survey[0]),
        ("median", median, model_survey[1]),
        ("gini", g, model_survey[2]),
    ] {
        assert!(
            (ours / model - 1.0).abs() < 1e-6,
            "survey-basis {name}: {ours} here, {model} in indicators.csv"
        );
    }
    eprintln!(
        "survey-basis Gini {g:.4} in [{lower:.4}, {upper:.4}] (national lower {national_lower:.4})"
    );
    assert!(
        lower <= g && g <= upper,
        "survey-basis Gini {g:.4} outside [{lower:.4}, {upper:.4}]"
    );
    assert!(
        upper < 0.467 - 0.01,
        "bound {upper:.4}: the official Gini would be reachable"
    );
    // The joint bound over all fifteen groups (scripts/gini_bound.py, computed with the model's
    // person shares written there, national shares within 0.01 of them): a linear program per
    // set of group boundaries, too slow to repeat here, so its printed figure.
    assert!(
        g <= JOINT_UPPER_BOUND,
        "survey-basis Gini {g:.4} above the fifteen groups' bound {JOINT_UPPER_BOUND}"
    );
}

/// `scripts/gini_bound.py`, "all fifteen groups": the largest survey-basis Gini found for a
/// distribution with the published urban, rural and national quintile-group means.
const JOINT_UPPER_BOUND: f64 = 0.4141;
