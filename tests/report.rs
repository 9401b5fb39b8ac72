//! Writing a whole run: tables, Parquet, manifest, charts and the HTML report from a small
//! hand-made `RunResults` (two scenarios, one with a Chinese name, three years).

use crate::common::Scratch;
use gongfu::indicators::DecileRow;
use gongfu::output::write_run;
use gongfu::report::terms::Lang;
use gongfu::results::{
    FiscalRow, HashedFile, Income, IncomeBasis, Indicator, IndicatorRow, LorenzRow, Manifest,
    ParameterDifference, PopulationManifest, RunResults, ScenarioDecile, ScenarioInfo,
    ScenarioManifest, ScenarioStatus, Slice, Timing,
};
use gongfu::rules::{FiscalLine, Payer, Program};
use std::path::Path;

const REFERENCE: &str = "baseline";
/// Needs HTML escaping (`<`, `>`) and exercises CJK glyphs in charts.
const REFORM: &str = "浙江统一低保 <试点>";
const REFORM_ESCAPED: &str = "浙江统一低保 &lt;试点&gt;";
const YEARS: [i32; 3] = [2025, 2026, 2027];
const GINI: Indicator = Indicator::Gini(Income::Disposable);

/// Gini of D by scenario and year: the reform lowers it by one point (0.01) per year after 2025.
fn gini(scenario: &str, year: i32) -> f64 {
    let base = [0.465, 0.466, 0.467][(year - 2025) as usize];
    if scenario == REFERENCE {
        base
    } else {
        base - 0.01 * f64::from(year - 2025)
    }
}

/// Government cost of a program, yuan: dibao 1500 亿元 and resident pension 2500 亿元 in the
/// reference; the reform adds 150 亿元 of dibao per year after 2025.
fn cost(scenario: &str, program: &str, year: i32) -> f64 {
    let base = if program == "dibao" { 1.5e11 } else { 2.5e11 };
    if scenario == REFERENCE || program != "dibao" {
        base
    } else {
        base + 1.5e10 * f64::from(year - 2025)
    }
}

/// A registered program's fiscal line.
fn line(name: &str) -> FiscalLine {
    FiscalLine::Program(Program::named(name).expect("registered program line"))
}

fn indicator(
    scenario: &str,
    replication: Option<u32>,
    year: i32,
    indicator: Indicator,
    value: f64,
) -> IndicatorRow {
    let (ci_low, ci_high) = match replication {
        None => (value - 0.005, value + 0.005),
        Some(_) => (f64::NAN, f64::NAN),
    };
    IndicatorRow {
        scenario: scenario.to_owned(),
        replication,
        year,
        slice: Slice::NATIONAL,
        indicator,
        value,
        ci_low,
        ci_high,
        reason: None,
    }
}

fn results() -> RunResults {
    let scenarios = [REFERENCE, REFORM];
    let mut indicators = Vec::new();
    let mut fiscal = Vec::new();
    for s in scenarios {
        for y in YEARS {
            indicators.push(indicator(s, None, y, GINI, gini(s, y)));
            indicators.push(indicator(s, Some(0), y, GINI, gini(s, y) + 0.001));
            indicators.push(indicator(
                s,
                None,
                y,
                Indicator::UrbanRuralRatio(Income::Disposable),
                2.34 - 0.01 * f64::from(y - 2025),
            ));
            indicators.push(indicator(s, None, y, Indicator::PovertyRate(50), 0.123));
            indicators.push(indicator(s, None, y, Indicator::SurveyBasisMean, 36_883.4));
            for program in ["dibao", "resident_pension"] {
                fiscal.push(FiscalRow {
                    scenario: s.to_owned(),
                    replication: None,
                    year: y,
                    program: line(program),
                    payer: Payer::Government,
                    amount_yuan: cost(s, program, y),
                    beneficiaries_persons: 4.0e7,
                    beneficiaries_households: 2.0e7,
                    mean_benefit_yuan: cost(s, program, y) / 4.0e7,
                });
            }
            // Collective money is not government cost: it must not enter the totals.
            fiscal.push(FiscalRow {
                scenario: s.to_owned(),
                replication: None,
                year: y,
                program: line("collective_subsidy"),
                payer: Payer::Collective,
                amount_yuan: 9.9e12,
                beneficiaries_persons: 1.0e6,
                beneficiaries_households: 5.0e5,
                mean_benefit_yuan: 9.9e6,
            });
        }
    }
    let deciles = scenarios
        .iter()
        .flat_map(|&s| {
            (1..=10u8).map(move |d| {
                let market = 3_000.0 * f64::from(d);
                let gain = if s == REFERENCE {
                    0.0
                } else {
                    600.0 / f64::from(d)
                };
                ScenarioDecile {
                    scenario: s.to_owned(),
                    year: 2027,
                    row: DecileRow {
                        decile: d,
                        market,
                        pensions: 1_000.0,
                        assistance: 500.0 / f64::from(d),
                        transfers: 1_500.0,
                        contributions: 300.0,
                        disposable: market + 1_200.0 + gain,
                        gain_yuan: gain,
                        gain_percent: Some(100.0 * gain / (market + 1_200.0)),
                        better_off_share: if s == REFERENCE { 0.0 } else { 0.3 },
                        worse_off_share: 0.0,
                        medical_out_of_pocket: 800.0,
                    },
                }
            })
        })
        .collect();
    // Lorenz curves L(p) = p^2 (Gini 1/3) and p^1.8, at 11 points.
    let lorenz = scenarios
        .iter()
        .flat_map(|&s| {
            let power = if s == REFERENCE { 2.0 } else { 1.8 };
            (0..=10).map(move |i| {
                let p = f64::from(i) / 10.0;
                LorenzRow {
                    scenario: s.to_owned(),
                    year: 2027,
                    concept: Income::Disposable,
                    population_share: p,
                    income_share: p.powf(power),
                }
            })
        })
        .collect();
    RunResults {
        run_name: "Zhejiang dibao test & check".to_owned(),
        reference_scenario: REFERENCE.to_owned(),
        scenarios: vec![
            ScenarioInfo {
                name: REFERENCE.to_owned(),
                description: "Current rules".to_owned(),
            },
            ScenarioInfo {
                name: REFORM.to_owned(),
                description: "Unified urban-rural dibao standard <b>& margin</b>".to_owned(),
            },
        ],
        highlight_year: Some(2026),
        indicators,
        deciles,
        fiscal,
        lorenz,
        parameter_differences: vec![ParameterDifference {
            scenario: REFORM.to_owned(),
            key: "dibao_standard_monthly".to_owned(),
            reference_value: "{ rural = 800, urban = 1100 }".to_owned(),
            scenario_value: "1100 <unified>".to_owned(),
        }],
        frontiers: Vec::new(),
        manifest: Manifest {
            gongfu_version: "0.1.0".to_owned(),
            command_line: "gongfu run scenarios/ --out out".to_owned(),
            scenarios: scenarios
                .iter()
                .map(|&s| ScenarioManifest {
                    name: s.to_owned(),
                    files: vec![HashedFile {
                        path: format!("scenarios/{s}.toml"),
                        sha256: "ab".repeat(32),
                    }],
                    resolved_parameters: serde_json::json!({ "dibao_standard_monthly": 1100 }),
                    seed: 42,
                    replications: 1,
                    reference: s == REFERENCE,
                    status: ScenarioStatus::Done,
                    error: None,
                })
                .collect(),
            population: PopulationManifest {
                source: "synthetic_pop/china.toml".to_owned(),
                persons: 1000,
                households: 400,
                represented: 1.4e9,
                income_basis: IncomeBasis::TopIncomes {
                    quantile: 0.99,
                    gini: 0.4567,
                },
            },
            timings: vec![Timing {
                step: "run".to_owned(),
                seconds: 1.5,
            }],
            started_at: "2026-01-02T03:04:05Z".to_owned(),
            finished_at: "2026-01-02T03:05:00Z".to_owned(),
        },
        lang: Lang::En,
    }
}

fn all_files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(all_files(&p));
        } else {
            out.push(p.display().to_string());
        }
    }
    out
}

#[test]
fn write_run_produces_every_file_and_no_temporary() {
    let scratch = Scratch::new("report-files");
    let dir = scratch.path("run");
    write_run(&dir, &results()).unwrap();
    let charts = [
        "gini",
        "urban_rural_ratio",
        "fiscal_cost",
        "decile_gains",
        "lorenz",
        "cost_effectiveness",
    ];
    let mut expected: Vec<String> = [
        "indicators.csv",
        "indicators.parquet",
        "deciles.csv",
        "fiscal.csv",
        "lorenz.csv",
        "manifest.json",
        "report.html",
        "summary.xlsx",
    ]
    .iter()
    .map(|f| f.to_string())
    .collect();
    for c in charts {
        for ext in ["png", "svg", "csv"] {
            expected.push(format!("charts/{c}.{ext}"));
        }
    }
    let mut found: Vec<String> = all_files(&dir)
        .iter()
        .map(|p| {
            Path::new(p)
                .strip_prefix(&dir)
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    found.sort();
    expected.sort();
    assert_eq!(found, expected);

    for c in charts {
        let png = std::fs::read(dir.join(format!("charts/{c}.png"))).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{c}.png signature");
        assert!(png.len() > 10_000, "{c}.png is only {} bytes", png.len());
    }
}

#[test]
fn indicators_csv_and_parquet_hold_the_rows() {
    let scratch = Scratch::new("report-tables");
    let dir = scratch.path("run");
    let r = results();
    write_run(&dir, &r).unwrap();

    let csv = std::fs::read_to_string(dir.join("indicators.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "scenario,replication,year,region,residence,indicator,value,ci_low,ci_high,reason"
    );
    assert_eq!(lines.len(), 1 + r.indicators.len());
    // Reform, mean, 2027: Gini 0.467 - 2 x 0.01 = 0.447, interval +-0.005.
    let expected_mean = format!(
        "{REFORM},mean,2027,all,all,gini_disposable,{},{},{},",
        0.467 - 0.02,
        0.467 - 0.02 - 0.005,
        0.467 - 0.02 + 0.005
    );
    assert!(
        lines.contains(&expected_mean.as_str()),
        "missing {expected_mean}\n{csv}"
    );
    // One replication: no interval, empty cells.
    let expected_rep = format!(
        "baseline,0,2026,all,all,gini_disposable,{},,,",
        0.466 + 0.001
    );
    assert!(
        lines.contains(&expected_rep.as_str()),
        "missing {expected_rep}\n{csv}"
    );

    use polars::prelude::{ParquetReader, SerReader};
    let file = std::fs::File::open(dir.join("indicators.parquet")).unwrap();
    let frame = ParquetReader::new(file).finish().unwrap();
    assert_eq!(frame.height(), r.indicators.len());
    let names: Vec<String> = frame
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    assert_eq!(
        names,
        [
            "scenario",
            "replication",
            "year",
            "region",
            "residence",
            "indicator",
            "value",
            "ci_low",
            "ci_high",
            "reason"
        ]
    );
    let scenario = frame.column("scenario").unwrap().str().unwrap().clone();
    let replication = frame.column("replication").unwrap().str().unwrap().clone();
    let year = frame.column("year").unwrap().i32().unwrap().clone();
    let indicator = frame.column("indicator").unwrap().str().unwrap().clone();
    let value = frame.column("value").unwrap().f64().unwrap().clone();
    let ci_low = frame.column("ci_low").unwrap().f64().unwrap().clone();
    for (i, row) in r.indicators.iter().enumerate() {
        assert_eq!(scenario.get(i), Some(row.scenario.as_str()));
        let rep = row.replication.map_or("mean".to_owned(), |n| n.to_string());
        assert_eq!(replication.get(i), Some(rep.as_str()));
        assert_eq!(year.get(i), Some(row.year));
        assert_eq!(indicator.get(i), Some(row.indicator.to_string().as_str()));
        assert_eq!(value.get(i), Some(row.value));
        let low = Some(row.ci_low).filter(|v| !v.is_nan());
        assert_eq!(ci_low.get(i), low, "row {i}");
    }

    let fiscal = std::fs::read_to_string(dir.join("fiscal.csv")).unwrap();
    assert!(fiscal.starts_with("scenario,replication,year,program,payer,amount_yuan,"));
    assert!(
        fiscal.contains(&format!(
            "{REFORM},mean,2027,dibao,government,180000000000,40000000,20000000,4500\n"
        )),
        "{fiscal}"
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["scenarios"][1]["name"], REFORM);
    assert_eq!(manifest["scenarios"][1]["status"], "done");
    assert_eq!(manifest["population"]["persons"], 1000);
}

#[test]
fn report_is_self_contained_escaped_and_shows_the_summary() {
    let scratch = Scratch::new("report-html");
    let dir = scratch.path("run");
    write_run(&dir, &results()).unwrap();
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    // `GONGFU_REPORT_SAMPLE=<dir>` keeps a copy of this run for a look (scripts/check_report.sh).
    if let Some(keep) = std::env::var_os("GONGFU_REPORT_SAMPLE") {
        write_run(Path::new(&keep), &results()).unwrap();
    }

    assert!(html.contains(REFORM_ESCAPED));
    assert!(
        !html.contains(REFORM),
        "unescaped scenario name in the report"
    );
    assert!(html.contains("Unified urban-rural dibao standard &lt;b&gt;&amp; margin&lt;/b&gt;"));
    assert!(html.contains("1100 &lt;unified&gt;"));
    assert!(html.contains("Zhejiang dibao test &amp; check"));
    assert!(!html.contains("http"), "the report refers to a URL");
    assert!(!html.contains("<script"));
    assert_eq!(html.matches("<svg").count(), 6, "one inline SVG per chart");
    assert!(html.contains("<details>"));

    // Summary, 2027: reference Gini 0.467; reform 0.447, i.e. -2.00 points; ratio 2.34 - 0.02;
    // poverty 12.3%; cost 1500 + 2500 = 4,000.0 亿元 and 1800 + 2500 = 4,300.0 (+300.0).
    let summary_2027 = section(&html, "<h3>2027</h3>");
    let reform_row = row_of(summary_2027, REFORM_ESCAPED);
    assert_eq!(
        cells(reform_row),
        ["0.447", "-2.00", "2.32", "12.3%", "4,300.0", "+300.0"]
    );
    let reference_row = row_of(summary_2027, "<td>baseline</td>");
    assert_eq!(
        cells(reference_row),
        [
            "0.467",
            "reference",
            "2.32",
            "12.3%",
            "4,000.0",
            "reference"
        ]
    );
    // The highlighted year 2026 has its own table: reform -1.00 point, +150.0 亿元.
    let reform_2026 = row_of(section(&html, "<h3>2026</h3>"), REFORM_ESCAPED);
    assert_eq!(
        cells(reform_2026),
        ["0.456", "-1.00", "2.33", "12.3%", "4,150.0", "+150.0"]
    );
    // Income basis, 2027: the survey-basis mean as the run wrote it, whole yuan, and the Gini
    // (0.447, as in the summary); the other columns have no rows in this run; no official row
    // outside 2022.
    let basis = &html[html.find("id=\"basis\"").expect("income basis section")..];
    let basis_2027 = section(basis, "<h3>2027</h3>");
    assert_eq!(
        cells(row_of(basis_2027, REFORM_ESCAPED)),
        ["n/a", "36,883", "n/a", "n/a", "0.447", "n/a"]
    );
    assert!(!basis_2027.contains("Official"));
    // Decile 1 of the reform: market 3,000, gain 600 yuan = 600 / 4200 = 14.3%.
    assert!(html.contains("<tr><td class=\"num\">1</td><td class=\"num\">3,000</td>"));
    assert!(html.contains(
        "<td class=\"num\">+600</td><td class=\"num\">+14.3</td><td class=\"num\">30.0%</td>"
    ));
}

/// The text from `heading` to the end of its table.
fn section<'a>(html: &'a str, heading: &str) -> &'a str {
    let start = html.find(heading).unwrap_or_else(|| panic!("no {heading}"));
    let end = html[start..].find("</table>").unwrap() + start;
    &html[start..end]
}

fn row_of<'a>(table: &'a str, key: &str) -> &'a str {
    table
        .lines()
        .find(|l| l.starts_with("<tr>") && l.contains(key))
        .unwrap_or_else(|| panic!("no row with {key} in\n{table}"))
}

fn cells(row: &str) -> Vec<&str> {
    row.split("<td class=\"num\">")
        .skip(1)
        .map(|c| c.split("</td>").next().unwrap())
        .collect()
}

/// Issue 12 item 3: the "Income basis" section says whether the population has the top-incomes
/// tail, with its quantile and Gini, in both languages; a survey-basis population and a file say
/// so too.
#[test]
fn income_basis_names_the_top_incomes_tail_in_both_languages() {
    let scratch = Scratch::new("report-basis");
    let html = |r: &RunResults, name: &str| {
        let dir = scratch.path(name);
        write_run(&dir, r).unwrap();
        std::fs::read_to_string(dir.join("report.html")).unwrap()
    };
    let mut r = results();
    let en = html(&r, "en");
    assert!(en.contains("Pareto tail above each residence's 0.99 person quantile"));
    assert!(en.contains("solved for a Gini of 0.4567"));
    r.lang = Lang::Zh;
    let zh = html(&r, "zh");
    assert!(zh.contains("第 0.99 人口分位以上为帕累托尾部"), "{zh}");
    assert!(zh.contains("基尼系数 0.4567"));
    // The whole section is in the report's language (the fixture has no 2022: no bounds).
    assert!(
        zh.contains("<h2 id=\"basis\">收入口径</h2>") && zh.contains("<th>D 均值（人口口径）</th>")
    );
    assert!(!zh.contains("Mean D, census basis"));
    assert!(
        en.contains("<h2 id=\"basis\">Income basis</h2>")
            && en.contains("<th>Mean D, census basis</th>")
    );
    r.lang = Lang::En;
    r.manifest.population.income_basis = IncomeBasis::Survey;
    let survey = html(&r, "survey");
    assert!(survey.contains("the spec adds no top-incomes tail"));
    assert!(!survey.contains("Pareto"));
    r.manifest.population.income_basis = IncomeBasis::File;
    assert!(html(&r, "file").contains("read from a file"));
}

#[test]
fn empty_run_writes_headers_and_a_report_without_charts() {
    let scratch = Scratch::new("report-empty");
    let dir = scratch.path("run");
    let mut r = results();
    r.indicators.clear();
    r.deciles.clear();
    r.fiscal.clear();
    r.lorenz.clear();
    r.parameter_differences.clear();
    r.manifest.scenarios[1].status = ScenarioStatus::Failed;
    r.manifest.scenarios[1].error = Some("scenarios/x.toml:3: unknown key `a<b`".to_owned());
    write_run(&dir, &r).unwrap();

    let csv = std::fs::read_to_string(dir.join("indicators.csv")).unwrap();
    assert_eq!(
        csv,
        "scenario,replication,year,region,residence,indicator,value,ci_low,ci_high,reason\n"
    );
    assert_eq!(std::fs::read_dir(dir.join("charts")).unwrap().count(), 0);
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(!html.contains("<svg"));
    assert!(html.contains("failed: scenarios/x.toml:3: unknown key `a&lt;b`"));
    assert!(html.contains("No parameter differs from the reference scenario."));
}
