//! The batch overview (issue 18, "provinces side by side"): a batch of two groups, the national
//! and the Xinjiang baseline, each with a reform of the same name, gets an `index.html` whose
//! headline table, same-reform table and charts hold the groups' own `indicators.csv` figures;
//! and one reform run on several baselines with `--on`.

use std::collections::HashMap;
use std::path::Path;

use crate::common::{Scratch, gongfu_in, stderr};

/// National means of a group's `indicators.csv`: (scenario, year, indicator) -> value.
fn national(dir: &Path) -> HashMap<(String, String, String), f64> {
    let text = std::fs::read_to_string(dir.join("indicators.csv")).unwrap();
    text.lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|r| r[1] == "mean" && r[3] == "all" && r[4] == "all")
        .map(|r| {
            let key = (r[0].to_owned(), r[2].to_owned(), r[5].to_owned());
            (key, r[6].parse().unwrap())
        })
        .collect()
}

/// `value` with comma thousands separators and no decimals, as the page shows persons and yuan
/// (computed here independently of the report's formatter).
fn whole(value: f64) -> String {
    let digits = format!("{:.0}", value);
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// Runs `gongfu run` with `args` in `dir` on 2,000 persons over `years` into `out`.
fn small_run(dir: &Scratch, args: &[&str], years: &str, out: &str) -> std::process::Output {
    let mut all = vec!["run"];
    all.extend_from_slice(args);
    all.extend_from_slice(&[
        "--persons",
        "2000",
        "--years",
        years,
        "--out",
        out,
        "--quiet",
    ]);
    gongfu_in(&dir.0, &all, &[])
}

#[test]
fn overview_compares_the_groups_and_the_same_reform_across_them() {
    let dir = Scratch::new("overview");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files = Vec::new();
    for (file, base) in [
        ("national.toml", "baseline.toml"),
        ("xinjiang.toml", "xinjiang/baseline.toml"),
    ] {
        files.push(dir.write(
            file,
            format!(
                "extends = {:?}\nname = \"pension_up\"\n[params]\nresident_basic_pension_monthly = 400\n",
                root.join(base).display().to_string()
            ),
        ));
    }
    let (national_base, xinjiang_base) = (
        root.join("baseline.toml").display().to_string(),
        root.join("xinjiang/baseline.toml").display().to_string(),
    );
    let files: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let o = small_run(
        &dir,
        &[&national_base, &xinjiang_base, &files[0], &files[1]],
        "2022..2023",
        "out",
    );
    assert!(o.status.success(), "run failed: {}", stderr(&o));
    let out = dir.path("out");
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();

    for (group, reference) in [
        ("baseline", "baseline"),
        ("xinjiang_baseline", "xinjiang_baseline"),
    ] {
        let v = national(&out.join(group));
        let at = |s: &str, y: &str, i: &str| v[&(s.to_owned(), y.to_owned(), i.to_owned())];
        for year in ["2022", "2023"] {
            let per_person =
                at(reference, year, "fiscal_cost_total") / at(reference, year, "population");
            let row = format!(
                "<tr><td><a href=\"{group}/report.html\">{group}</a></td><td>{reference}</td>\
                 <td class=\"num\">{year}</td><td class=\"num\">{:.3}</td><td class=\"num\">{:.2}</td>\
                 <td class=\"num\">{:.1}%</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td></tr>",
                at(reference, year, "gini_disposable"),
                at(reference, year, "urban_rural_ratio"),
                at(reference, year, "poverty_rate_50") * 100.0,
                whole(at(reference, year, "beneficiaries_dibao")),
                whole(at(reference, year, "beneficiaries_tekun")),
                whole(per_person),
            );
            assert!(index.contains(&row), "missing {row}\nin\n{index}");
        }
        // The same reform, final year: change in Gini against this group's reference, points.
        let points = (at("pension_up", "2023", "gini_disposable")
            - at(reference, "2023", "gini_disposable"))
            * 100.0;
        let row = format!(
            "<tr><td>pension_up</td><td>{group}</td><td class=\"num\">2023</td><td class=\"num\">{}{points:.2}</td>",
            if points > 0.0 { "+" } else { "" }
        );
        assert!(index.contains(&row), "missing {row}\nin\n{index}");
        assert!(points.abs() > 1e-6, "the reform moves the Gini in {group}");

        // The Gini chart's data has this group's line, from its reference.
        let chart = std::fs::read_to_string(out.join("charts/overview_gini.csv")).unwrap();
        let line = format!("{group},2023,{}", at(reference, "2023", "gini_disposable"));
        assert!(chart.contains(&line), "{line} not in {chart}");
    }
    for stem in [
        "overview_gini",
        "overview_urban_rural_ratio",
        "overview_poverty_rate_50",
    ] {
        assert!(
            out.join(format!("charts/{stem}.png")).is_file(),
            "{stem}.png"
        );
        assert!(
            index.contains(&format!("charts/{stem}.png")),
            "{stem} not in the page"
        );
    }
}

/// `run REFORM --on A B` runs the reform's own overrides on each baseline, each baseline the
/// reference of its group: the Xinjiang group's reform differs from its reference in the reform's
/// parameter only and runs on the Xinjiang population; an override that refers to what the new
/// baseline lacks (a program to remove) is an error naming it, while the other baseline runs.
#[test]
fn on_runs_one_reform_on_each_baseline() {
    let dir = Scratch::new("rebase");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let reform = dir.write(
        "reform.toml",
        format!(
            "extends = {:?}\nname = \"pension_up\"\n[params]\nresident_basic_pension_monthly = 400\n",
            root.join("baseline.toml").display().to_string()
        ),
    );
    let national_file = root.join("baseline.toml").display().to_string();
    let xinjiang = root.join("xinjiang/baseline.toml").display().to_string();
    let reform = reform.display().to_string();
    let o = small_run(
        &dir,
        &[&reform, "--on", &national_file, &xinjiang],
        "2022..2023",
        "out",
    );
    assert!(o.status.success(), "run failed: {}", stderr(&o));
    let out = dir.path("out");
    let summary = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    for row in [
        "baseline,baseline,done",
        "baseline,pension_up,done",
        "xinjiang_baseline,xinjiang_baseline,done",
        "xinjiang_baseline,pension_up,done",
    ] {
        assert!(summary.contains(row), "{row} not in {summary}");
    }
    let report = std::fs::read_to_string(out.join("xinjiang_baseline/report.html")).unwrap();
    let params =
        &report[report.find("id=\"parameters\"").unwrap()..report.find("id=\"manifest\"").unwrap()];
    assert_eq!(
        params.matches("<tr><td>pension_up</td>").count(),
        params.matches("<tr>").count() - 1,
        "{params}"
    );
    assert!(
        params.contains("<code>resident_basic_pension ("),
        "{params}"
    );
    let n = national(&out.join("baseline"));
    let x = national(&out.join("xinjiang_baseline"));
    let key = |s: &str| (s.to_owned(), "2023".to_owned(), "population".to_owned());
    assert_eq!(
        x[&key("pension_up")],
        x[&key("xinjiang_baseline")],
        "same population as its reference"
    );
    assert_ne!(
        x[&key("pension_up")],
        n[&key("pension_up")],
        "not the national population"
    );

    // A baseline that sets the reform's parameter for one region would win there: an error
    // naming both places, not a silent no-op.
    let regional = dir.write(
        "regional.toml",
        format!(
            "extends = {:?}\nname = \"regional\"\n[params.region.zhejiang]\nresident_basic_pension_monthly = 300\n",
            root.join("baseline.toml").display().to_string()
        ),
    );
    let regional = regional.display().to_string();
    let o = small_run(&dir, &[&reform, "--on", &regional], "2022..2022", "out3");
    assert!(!o.status.success());
    let summary = std::fs::read_to_string(dir.path("out3/summary.csv")).unwrap();
    assert!(
        summary.contains(
            "reform.toml:4: `resident_basic_pension_monthly` set here does not reach the baseline"
        ) && summary.contains("regional.toml: its [params.region.zhejiang] at line 4"),
        "{summary}"
    );

    // Removing a program only the Inner Mongolia baseline has: an error on the national one.
    let remover = dir.write(
        "remover.toml",
        "name = \"no_grassland\"\nremove_programs = [\"grassland_ecology_subsidy\"]\n",
    );
    let remover = remover.display().to_string();
    let mongolia = root
        .join("inner_mongolia/baseline.toml")
        .display()
        .to_string();
    let o = small_run(
        &dir,
        &[&remover, "--on", &national_file, &mongolia],
        "2022..2022",
        "out2",
    );
    assert!(!o.status.success());
    let summary = std::fs::read_to_string(dir.path("out2/summary.csv")).unwrap();
    assert!(
        summary.contains("inner_mongolia_baseline,no_grassland,done"),
        "{summary}"
    );
    assert!(
        summary.contains("remover.toml")
            && summary.contains("no program `grassland_ecology_subsidy`"),
        "{summary}"
    );
}

/// A `rebase` list in the reform file does what `--on` does: the same groups with the same
/// figures; `gongfu validate` checks the reform on each listed baseline; a listed baseline that
/// does not exist is an error naming the file and line.
#[test]
fn a_rebase_list_runs_the_reform_on_each_baseline_as_on_does() {
    let dir = Scratch::new("rebase-list");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let national_file = root.join("baseline.toml").display().to_string();
    let xinjiang = root.join("xinjiang/baseline.toml").display().to_string();
    let reform = "name = \"pension_up\"\n[params]\nresident_basic_pension_monthly = 400\n";
    let on = dir.write("on.toml", reform).display().to_string();
    dir.write(
        "listed.toml",
        format!("rebase = [{national_file:?}, {xinjiang:?}]\n{reform}"),
    );
    let o = small_run(
        &dir,
        &[&on, "--on", &national_file, &xinjiang],
        "2022..2023",
        "on",
    );
    assert!(o.status.success(), "--on run failed: {}", stderr(&o));
    // The baseline named on the command line too runs once.
    let o = small_run(
        &dir,
        &["listed.toml", &national_file],
        "2022..2023",
        "listed",
    );
    assert!(o.status.success(), "rebase run failed: {}", stderr(&o));
    let read = |p: &str| std::fs::read_to_string(dir.path(p)).unwrap();
    assert_eq!(read("listed/summary.csv"), read("on/summary.csv"));
    for group in ["baseline", "xinjiang_baseline"] {
        for table in ["indicators.csv", "fiscal.csv"] {
            let file = format!("{group}/{table}");
            assert!(
                read(&format!("listed/{file}")) == read(&format!("on/{file}")),
                "{file} differs"
            );
        }
    }

    let o = gongfu_in(&dir.0, &["validate", "listed.toml"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    dir.write(
        "missing.toml",
        format!("name = \"x\"\nrebase = [{national_file:?}, \"nowhere/baseline.toml\"]\n"),
    );
    let o = gongfu_in(&dir.0, &["validate", "missing.toml"], &[]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("missing.toml:2:")
            && err.contains("`rebase` baseline `")
            && err.contains("nowhere/baseline.toml` does not exist"),
        "{err}"
    );
}
