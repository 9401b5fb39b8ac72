//! `summary.xlsx` and `--lang` (issue 18): a real run's workbook read back with calamine holds, sheet by sheet,
//! the numbers of the run's CSV tables (as numbers, with units in the heads). That the same run
//! gives the same bytes is in `determinism`.

use std::collections::HashMap;
use std::path::Path;

use calamine::{Data, Range, Reader, Xlsx, open_workbook};

use crate::common::{Scratch, gongfu_in, stderr};

/// A CSV of the run as rows of cells (no cell of these tables holds a comma or a quote).
fn csv(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect()
}

fn sheet(book: &mut Xlsx<std::io::BufReader<std::fs::File>>, name: &str) -> Range<Data> {
    book.worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}; sheets {:?}", book.sheet_names()))
}

/// A numeric CSV cell; an empty cell is `None`.
fn num(cell: &str) -> Option<f64> {
    (!cell.is_empty()).then(|| {
        cell.parse()
            .unwrap_or_else(|_| panic!("not a number: {cell}"))
    })
}

/// A workbook cell as a number: `None` for an empty cell, a panic for text where a number belongs.
fn cell_num(d: &Data) -> Option<f64> {
    match d {
        Data::Float(v) => Some(*v),
        Data::Int(v) => Some(*v as f64),
        Data::Empty => None,
        other => panic!("expected a number, got {other:?}"),
    }
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        other => panic!("expected text, got {other:?}"),
    }
}

/// Equal up to the rounding of one division or product (the workbook shows 亿元 and points).
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn run_baseline_and_reform(dir: &Scratch, out: &str, extra: &[&str]) {
    let baseline = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml");
    let reform = dir.write(
        "reform.toml",
        format!(
            "extends = {:?}\nname = \"dibao_up\"\nreference = false\n[params]\ntake_up_rate = 0.9\n",
            baseline.display().to_string()
        ),
    );
    let base = baseline.display().to_string();
    let reform = reform.display().to_string();
    let mut args = vec![
        "run",
        &base,
        &reform,
        "--persons",
        "2000",
        "--years",
        "2022..2024",
        "--out",
        out,
        "--quiet",
    ];
    args.extend_from_slice(extra);
    let o = gongfu_in(&dir.0, &args, &[]);
    assert!(o.status.success(), "run failed: {}", stderr(&o));
}

/// Deciles and fiscal cost equal `deciles.csv` and the mean rows of `fiscal.csv` row for row;
/// the headline sheet equals `indicators.csv`'s national means; the summary's changes are the
/// differences of `indicators.csv` values against the reference, computed here.
#[test]
fn workbook_sheets_hold_the_csv_numbers() {
    let dir = Scratch::new("workbook");
    run_baseline_and_reform(&dir, "out", &[]);
    let run = dir.path("out");
    let mut book: Xlsx<_> = open_workbook(run.join("summary.xlsx")).expect("open summary.xlsx");
    assert_eq!(
        book.sheet_names(),
        ["Summary", "Deciles", "Fiscal cost", "Indicators by year"]
    );

    // Deciles: every column of deciles.csv in order; shares and gains as the CSV has them.
    let deciles = csv(&run.join("deciles.csv"));
    let ws = sheet(&mut book, "Deciles");
    let rows: Vec<&[Data]> = ws.rows().collect();
    assert_eq!(rows.len(), deciles.len(), "one sheet row per CSV row");
    assert_eq!(cell_text(&rows[0][3]), "Market income, yuan/person/year");
    assert!(deciles.len() > 20, "two scenarios' deciles");
    for (sheet_row, csv_row) in rows.iter().zip(&deciles).skip(1) {
        assert_eq!(cell_text(&sheet_row[0]), csv_row[0]);
        for col in 1..csv_row.len() {
            assert_eq!(
                cell_num(&sheet_row[col]),
                num(&csv_row[col]),
                "deciles column {col}: {csv_row:?}"
            );
        }
    }

    // Fiscal: the `mean` rows, amounts in 亿元.
    let fiscal: Vec<Vec<String>> = csv(&run.join("fiscal.csv"))
        .into_iter()
        .filter(|r| r[1] == "mean")
        .collect();
    let ws = sheet(&mut book, "Fiscal cost");
    let rows: Vec<&[Data]> = ws.rows().skip(1).collect();
    assert_eq!(rows.len(), fiscal.len());
    assert!(!rows.is_empty());
    for (s, c) in rows.iter().zip(&fiscal) {
        assert_eq!(cell_text(&s[0]), c[0]);
        assert_eq!(cell_num(&s[1]), num(&c[2]));
        assert_eq!(cell_text(&s[2]), c[3]);
        assert_eq!(cell_text(&s[3]), c[4]);
        let yi = cell_num(&s[4]).unwrap();
        assert!(close(yi * 1e8, num(&c[5]).unwrap()), "{c:?}: {yi} 亿元");
        for (sc, cc) in [(5, 6), (6, 7), (7, 8)] {
            assert_eq!(cell_num(&s[sc]), num(&c[cc]), "{c:?}");
        }
    }

    // National means of indicators.csv by (scenario, year, indicator).
    let national: HashMap<(String, String, String), f64> = csv(&run.join("indicators.csv"))
        .into_iter()
        .skip(1)
        .filter(|r| r[1] == "mean" && r[3] == "all" && r[4] == "all")
        .map(|r| {
            (
                (r[0].clone(), r[2].clone(), r[5].clone()),
                num(&r[6]).unwrap(),
            )
        })
        .collect();
    let value = |s: &str, y: f64, i: &str| national[&(s.to_owned(), format!("{y}"), i.to_owned())];

    let ws = sheet(&mut book, "Indicators by year");
    let rows: Vec<&[Data]> = ws.rows().collect();
    let heads: Vec<String> = rows[0].iter().map(cell_text).collect();
    let columns = [
        ("Gini (D)", "gini_disposable", 1.0),
        ("Urban-rural ratio (D)", "urban_rural_ratio", 1.0),
        ("Poverty rate, 50% of median", "poverty_rate_50", 1.0),
        ("Below the dibao standard", "below_dibao_rate", 1.0),
        ("Dibao recipients, persons", "beneficiaries_dibao", 1.0),
        ("Tekun recipients, persons", "beneficiaries_tekun", 1.0),
        ("Government cost, 亿元", "fiscal_cost_total", 1e8),
        (
            "Impoverished by medical spending, 50% of median",
            "impoverishment_rate_50",
            1.0,
        ),
        ("Population, persons", "population", 1.0),
    ];
    assert_eq!(heads[..2], ["Scenario", "Year"]);
    assert_eq!(
        heads[2..],
        columns.map(|c| c.0.to_owned()),
        "headline heads"
    );
    assert_eq!(rows.len(), 1 + 2 * 3, "two scenarios, three years");
    for row in &rows[1..] {
        let (s, y) = (cell_text(&row[0]), cell_num(&row[1]).unwrap());
        for (k, (_, indicator, unit)) in columns.iter().enumerate() {
            let got = cell_num(&row[2 + k]).unwrap() * unit;
            let want = value(&s, y, indicator);
            assert!(close(got, want), "{s} {y} {indicator}: {got} vs {want}");
        }
    }

    // Summary: first and final year; changes against the reference computed from the CSV.
    let ws = sheet(&mut book, "Summary");
    let rows: Vec<&[Data]> = ws.rows().skip(1).collect();
    assert_eq!(rows.len(), 2 * 2, "two scenarios in 2022 and 2024");
    for row in rows {
        let (s, y) = (cell_text(&row[0]), cell_num(&row[1]).unwrap());
        let gini = value(&s, y, "gini_disposable");
        assert_eq!(cell_num(&row[2]), Some(gini));
        assert_eq!(cell_num(&row[4]), Some(value(&s, y, "urban_rural_ratio")));
        assert_eq!(cell_num(&row[5]), Some(value(&s, y, "poverty_rate_50")));
        if s == "baseline" {
            assert_eq!(cell_text(&row[3]), "reference");
            assert_eq!(cell_text(&row[7]), "reference");
        } else {
            let points = (gini - value("baseline", y, "gini_disposable")) * 100.0;
            assert!(close(cell_num(&row[3]).unwrap(), points), "{s} {y}");
            assert_ne!(points, 0.0, "the reform moves the Gini");
        }
    }
}

/// `--lang zh` changes the words a reader sees and nothing else: the report, the charts and the
/// workbook speak the policy's Chinese terms, while every CSV table (but the fiscal chart's
/// program names) keeps its bytes. `lang = "zh"` in the reference scenario does the same.
#[test]
fn lang_zh_translates_report_charts_and_workbook_but_no_table() {
    let dir = Scratch::new("lang-zh");
    run_baseline_and_reform(&dir, "en", &[]);
    run_baseline_and_reform(&dir, "zh", &["--lang", "zh"]);
    let (en, zh) = (dir.path("en"), dir.path("zh"));
    for table in [
        "indicators.csv",
        "deciles.csv",
        "fiscal.csv",
        "lorenz.csv",
        "charts/gini.csv",
        "charts/decile_gains.csv",
    ] {
        let a = std::fs::read(en.join(table)).unwrap();
        assert!(
            a == std::fs::read(zh.join(table)).unwrap(),
            "{table} differs"
        );
    }

    let report = std::fs::read_to_string(zh.join("report.html")).unwrap();
    for term in [
        "基尼系数",
        "城乡收入比",
        "财政支出",
        "因病致贫",
        "灾难性卫生支出",
        "十等分组",
        "医疗负担",
        "城乡居民基本医疗保险基金",
        "居民人均可支配收入基尼系数",
        "分项目财政支出",
        "最低生活保障",
    ] {
        assert!(report.contains(term), "report lacks {term}");
    }
    for english in [
        "Distribution by decile",
        "Medical hardship",
        "Change in Gini",
        ">Year<",
        "line of equality",
        "(reference)",
    ] {
        assert!(!report.contains(english), "report still says {english}");
    }
    let fiscal_chart = std::fs::read_to_string(zh.join("charts/fiscal_cost.csv")).unwrap();
    assert!(fiscal_chart.contains("最低生活保障"), "{fiscal_chart}");

    let mut book: Xlsx<_> = open_workbook(zh.join("summary.xlsx")).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["汇总", "十等分组", "财政支出", "主要指标"]
    );
    let ws = sheet(&mut book, "主要指标");
    let heads: Vec<String> = ws.rows().next().unwrap().iter().map(cell_text).collect();
    assert!(heads.contains(&"低保对象（人）".to_owned()), "{heads:?}");
    assert!(heads.contains(&"特困人员（人）".to_owned()), "{heads:?}");
    let ws = sheet(&mut book, "财政支出");
    let payers: Vec<String> = ws.rows().skip(1).map(|r| cell_text(&r[3])).collect();
    assert!(payers.iter().any(|p| p == "政府"), "{payers:?}");

    // The scenario's own `lang` gives the same report words.
    let baseline = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.toml");
    let file = dir.write(
        "zh_base.toml",
        format!(
            "extends = {:?}\nlang = \"zh\"\n",
            baseline.display().to_string()
        ),
    );
    let file = file.display().to_string();
    let args = [
        "run",
        &file,
        "--persons",
        "2000",
        "--years",
        "2022..2022",
        "--out",
        "file",
        "--quiet",
    ];
    let o = gongfu_in(&dir.0, &args, &[]);
    assert!(o.status.success(), "run failed: {}", stderr(&o));
    let report = std::fs::read_to_string(dir.path("file/report.html")).unwrap();
    assert!(
        report.contains("<h2 id=\"summary\">汇总</h2>"),
        "not Chinese"
    );
}

/// A `lang` the outputs do not speak is an error naming the file, the line and the choices.
#[test]
fn unknown_lang_is_an_error_naming_the_choices() {
    let dir = Scratch::new("lang-bad");
    let file = dir.write(
        "bad.toml",
        "name = \"x\"\nyears = \"2022..2022\"\nlang = \"cn\"\n",
    );
    let file = file.display().to_string();
    let o = gongfu_in(&dir.0, &["validate", &file], &[]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("bad.toml:3") && err.contains("`cn`") && err.contains("`en` or `zh`"),
        "{err}"
    );
    let o = gongfu_in(&dir.0, &["run", &file, "--lang", "fr", "--out", "o"], &[]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("`en` or `zh`"), "{}", stderr(&o));
}
