//! Reform grids (issue 18, item 3): a scenario file's `[grid]` over two parameters runs as one
//! scenario per point beside its baseline, and the run's frontier (`frontier.csv`, the frontier
//! charts, the report's table, the workbook's sheet) holds the differences that the run's own `indicators.csv` and
//! `fiscal.csv` give, recomputed here from the levels.

use std::collections::HashMap;
use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::common::{Scratch, gongfu_in, stderr, stdout};

/// The fields of one CSV line (quoted fields, as scenario names with a comma are written).
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().unwrap().push('"');
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(String::new()),
            c => out.last_mut().unwrap().push(c),
        }
    }
    out
}

/// A CSV file as rows of named fields.
fn table(path: &Path) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let head = fields(lines.next().unwrap());
    lines
        .map(|l| head.iter().cloned().zip(fields(l)).collect())
        .collect()
}

const GRID: &str = "pension_dibao";
const POINTS: [&str; 4] = [
    "pension_dibao[dibao_standard_scale=1.2,resident_basic_pension_monthly=200]",
    "pension_dibao[dibao_standard_scale=1.2,resident_basic_pension_monthly=300]",
    "pension_dibao[dibao_standard_scale=1.5,resident_basic_pension_monthly=200]",
    "pension_dibao[dibao_standard_scale=1.5,resident_basic_pension_monthly=300]",
];

#[test]
fn a_grid_runs_its_points_and_its_frontier_holds_the_runs_own_differences() {
    let dir = Scratch::new("grids");
    let baseline = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml");
    let baseline = baseline.display().to_string();
    dir.write(
        "grid.toml",
        format!(
            "extends = {baseline:?}\nname = \"{GRID}\"\ndescription = \"test grid\"\n[grid]\n\
             dibao_standard_scale = {{ from = 1.2, to = 1.5, step = 0.3 }}\n\
             resident_basic_pension_monthly = [200, 300]\n"
        ),
    );
    let o = gongfu_in(&dir.0, &["validate", "grid.toml"], &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("grid.toml (grid of 4 scenarios)"),
        "{}",
        stdout(&o)
    );
    let args = [
        "run",
        &baseline,
        "grid.toml",
        "--persons",
        "2000",
        "--years",
        "2022..2023",
        "--replications",
        "2",
        "--out",
        "out",
        "--quiet",
    ];
    let o = gongfu_in(&dir.0, &args, &[]);
    assert!(o.status.success(), "run failed: {}", stderr(&o));
    let out = dir.path("out");

    // One group: the baseline and the four points, in grid order, all done.
    let summary = table(&out.join("summary.csv"));
    let ran: Vec<(&str, &str)> = summary
        .iter()
        .map(|r| (r["scenario"].as_str(), r["status"].as_str()))
        .collect();
    let mut expected = vec![("baseline", "done")];
    expected.extend(POINTS.iter().map(|p| (*p, "done")));
    assert_eq!(ran, expected);

    // Levels of the final year, means over replications, national.
    let indicators = table(&out.join("indicators.csv"));
    let level = |scenario: &str, indicator: &str| -> f64 {
        let row = indicators
            .iter()
            .find(|r| {
                r["scenario"] == scenario
                    && r["replication"] == "mean"
                    && r["year"] == "2023"
                    && r["region"] == "all"
                    && r["residence"] == "all"
                    && r["indicator"] == indicator
            })
            .unwrap_or_else(|| panic!("no {indicator} of {scenario}"));
        row["value"].parse().unwrap()
    };
    let fiscal = table(&out.join("fiscal.csv"));
    let government_cost = |scenario: &str| -> f64 {
        fiscal
            .iter()
            .filter(|r| {
                r["scenario"] == scenario
                    && r["replication"] == "mean"
                    && r["year"] == "2023"
                    && r["payer"] == "government"
            })
            .map(|r| r["amount_yuan"].parse::<f64>().unwrap())
            .sum()
    };

    let frontier = table(&out.join("frontier.csv"));
    assert_eq!(frontier.len(), 4);
    for (row, point) in frontier.iter().zip(POINTS) {
        assert_eq!(row["grid"], GRID);
        assert_eq!(row["scenario"], point);
        assert_eq!(
            (row["year"].as_str(), row["reference"].as_str()),
            ("2023", "baseline")
        );
        assert_eq!(row["parameter_1"], "dibao_standard_scale");
        assert_eq!(row["parameter_2"], "resident_basic_pension_monthly");
        let num = |k: &str| -> f64 { row[k].parse().unwrap_or_else(|_| panic!("{k}: {}", row[k])) };
        let close = |got: f64, want: f64, what: &str| {
            assert!(
                (got - want).abs() <= 1e-9 * want.abs().max(1e-3),
                "{point} {what}: frontier {got}, runs' own difference {want}"
            );
        };
        close(
            num("extra_cost_yuan"),
            government_cost(point) - government_cost("baseline"),
            "cost",
        );
        close(
            num("gini_disposable_change"),
            level(point, "gini_disposable") - level("baseline", "gini_disposable"),
            "gini",
        );
        close(
            num("poverty_rate_50_change"),
            level(point, "poverty_rate_50") - level("baseline", "poverty_rate_50"),
            "poverty",
        );
        // A higher dibao and pension cost more.
        assert!(num("extra_cost_yuan") > 0.0, "{point}");
    }

    // The charts, with their data, and the report's table.
    for stem in ["frontier_gini", "frontier_poverty"] {
        for ext in ["png", "svg", "csv"] {
            assert!(
                out.join(format!("charts/{stem}.{ext}")).is_file(),
                "{stem}.{ext}"
            );
        }
    }
    let chart = table(&out.join("charts/frontier_gini.csv"));
    let lines: Vec<&str> = chart.iter().map(|r| r["grid"].as_str()).collect();
    assert_eq!(
        lines,
        [
            "pension_dibao[dibao_standard_scale=1.2]",
            "pension_dibao[dibao_standard_scale=1.2]",
            "pension_dibao[dibao_standard_scale=1.5]",
            "pension_dibao[dibao_standard_scale=1.5]",
        ],
        "one line per value of the first parameter, along the second"
    );
    for (c, f) in chart.iter().zip(&frontier) {
        let x: f64 = c["extra_cost_100m_yuan"].parse().unwrap();
        let cost: f64 = f["extra_cost_yuan"].parse().unwrap();
        assert!((x - cost / 1e8).abs() < 1e-9 * x.abs(), "{x} {cost}");
    }
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("<h2 id=\"grids\">Reform grids</h2>"));
    for point in POINTS {
        assert!(report.contains(&format!("<tr><td>{point}</td>")), "{point}");
    }
    assert!(report.contains("charts/frontier_poverty.png"));

    // The workbook's frontier sheet holds the same numbers, in its units (亿元, points).
    let mut book: Xlsx<_> = open_workbook(out.join("summary.xlsx")).unwrap();
    let sheet = book.worksheet_range("Reform grid frontier").unwrap();
    let rows: Vec<_> = sheet.rows().skip(1).collect();
    assert_eq!(rows.len(), 4);
    for (cells, f) in rows.iter().zip(&frontier) {
        assert_eq!(cells[1].to_string(), f["scenario"]);
        let number = |i: usize| match cells[i] {
            Data::Float(v) => v,
            ref other => panic!("column {i}: {other:?}"),
        };
        let csv = |k: &str| f[k].parse::<f64>().unwrap();
        assert_eq!(number(4), csv("value_1"));
        assert_eq!(number(6), csv("value_2"));
        assert!((number(7) - csv("extra_cost_yuan") / 1e8).abs() < 1e-6);
        assert!((number(8) - csv("gini_disposable_change") * 100.0).abs() < 1e-12);
        assert!((number(9) - csv("poverty_rate_50_change") * 100.0).abs() < 1e-12);
    }

    // In Chinese, the section and the chart titles use the terms table.
    let args = [
        "run",
        &baseline,
        "grid.toml",
        "--persons",
        "2000",
        "--years",
        "2022",
        "--lang",
        "zh",
        "--out",
        "zh",
        "--quiet",
    ];
    let o = gongfu_in(&dir.0, &args, &[]);
    assert!(o.status.success(), "zh run failed: {}", stderr(&o));
    let report = std::fs::read_to_string(dir.path("zh/report.html")).unwrap();
    assert!(report.contains("改革方案网格"), "zh section");
    let svg = std::fs::read_to_string(dir.path("zh/charts/frontier_gini.svg")).unwrap();
    assert!(svg.contains("基尼系数变化与新增财政支出"), "zh chart title");
}

#[test]
fn a_bad_grid_fails_validation_naming_the_file_line_and_key() {
    let dir = Scratch::new("grid-errors");
    let baseline = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml");
    dir.write(
        "bad.toml",
        format!(
            "extends = {:?}\n[grid]\ndibao_take_up_rate = [0.5, 1.5]\n",
            baseline.display().to_string()
        ),
    );
    // The baseline sets the rural take-up in [params.rural]: a value set in [params] would not
    // reach rural households.
    dir.write(
        "shadowed.toml",
        format!(
            "extends = {:?}\n[grid]\ndibao_take_up_rate = [0.5, 0.6]\n",
            baseline.display().to_string()
        ),
    );
    let o = gongfu_in(&dir.0, &["validate", "bad.toml", "shadowed.toml"], &[]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("bad.toml:3:28: `dibao_take_up_rate` = 1.5 is outside 0..=1"),
        "{err}"
    );
    assert!(
        err.contains("shadowed.toml:3: `dibao_take_up_rate` in [grid] sets `dibao_take_up_rate` in [params], but [params.rural]"),
        "{err}"
    );
    assert!(err.contains("write `dibao_take_up_rate_scale`"), "{err}");
}
