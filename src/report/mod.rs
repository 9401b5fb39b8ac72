//! The self-contained HTML report of a run (spec indicators.md, "Outputs of one batch"): inline CSS
//! and inline SVG charts, no script, no network. Every string from input is HTML-escaped.
//!
//! Number formats in the summary: Gini with 3 decimals (`0.465`); its change against the reference
//! in points with sign and 2 decimals (`-1.00`, one point = 0.01); the urban-rural ratio with 2
//! decimals (`2.34`); poverty rates as percent with 1 decimal (`12.3%`); government cost in 亿元
//! (100 million yuan) with 1 decimal and thousands separators (`4,300.0`), its change signed
//! (`+300.0`). Decile tables: yuan/year per person rounded to whole yuan (`12,345`), gains in % with
//! sign and 1 decimal, shares of persons as percent with 1 decimal. A missing value shows as `n/a`.

use crate::Result;
use crate::charts::{IMPOVERISHMENT_CHART, RenderedChart};
use crate::fsutil::atomic_write;
use crate::results::view::View;
use crate::results::{Income, Indicator, ScenarioDecile, ScenarioStatus};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use terms::{Lang, Term};

mod basis;
mod grids;
mod medical;
pub mod terms;

/// Yuan in one 亿元 (100 million yuan).
const YUAN_PER_YI: f64 = 1e8;

/// Writes `report.html` (complete or absent).
pub fn write_report(path: &Path, view: &View<'_>, charts: &[RenderedChart]) -> Result<()> {
    let html = render(view, charts);
    atomic_write(path, |w| w.write_all(html.as_bytes()))
}

/// The report as one HTML document.
pub fn render(view: &View<'_>, charts: &[RenderedChart]) -> String {
    let r = view.results;
    let l = r.lang;
    let m = &r.manifest;
    let mut h = String::with_capacity(64 * 1024);
    let name = escape(&r.run_name);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"zh-Hans\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>gongfu: {name}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>{title}</h1>\n<p class=\"meta\">{meta}</p>\n<nav>{nav}</nav>\n",
        title = l.fill(Term::ReportTitle, &[&name]),
        meta = l.fill(
            Term::ReportMeta,
            &[
                &escape(&m.finished_at),
                &escape(&m.started_at),
                &escape(&m.gongfu_version),
                &escape(&r.reference_scenario),
            ]
        ),
        nav = l.t(Term::ReportNav),
    );

    scenario_table(&mut h, view);
    summary_tables(&mut h, view);
    basis::income_basis(&mut h, view);

    let _ = writeln!(h, "<h2 id=\"charts\">{}</h2>", l.t(Term::Charts));
    for c in charts
        .iter()
        .filter(|c| c.stem != IMPOVERISHMENT_CHART && !grids::is_frontier_chart(c))
    {
        chart_figure(&mut h, l, c);
    }
    grids::reform_grids(&mut h, view, charts);

    medical::medical_hardship(&mut h, view, charts);
    decile_tables(&mut h, view);
    parameter_table(&mut h, view);

    let manifest = serde_json::to_string_pretty(m).unwrap_or_else(|e| e.to_string());
    let _ = write!(
        h,
        "<h2 id=\"manifest\">{}</h2>\n<p>{}</p>\n<details>\n<summary>{}</summary>\n\
         <pre>{}</pre>\n</details>\n</body>\n</html>\n",
        l.t(Term::RunManifest),
        l.fill(Term::Command, &[&escape(&m.command_line)]),
        l.t(Term::ManifestDetails),
        escape(&manifest)
    );
    h
}

/// One chart as a figure with its caption.
fn chart_figure(h: &mut String, l: Lang, c: &RenderedChart) {
    let caption = l.fill(
        Term::FigureCaption,
        &[&escape(&c.title), &escape(&c.note), c.stem],
    );
    let _ = write!(
        h,
        "<figure>\n{}\n<figcaption>{caption}</figcaption>\n</figure>\n",
        inline_svg(&c.svg),
    );
}

const STYLE: &str = "body{font-family:\"Noto Sans CJK SC\",\"WenQuanYi Micro Hei\",\"Microsoft YaHei\",\
\"PingFang SC\",system-ui,sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222;\
line-height:1.4}h1{font-size:1.7em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:2px solid #ccc}\
.meta{color:#555}table{border-collapse:collapse;margin:.8em 0 1.5em;font-size:.92em}\
th,td{border:1px solid #ccc;padding:.3em .6em;vertical-align:top}th{background:#f0f3f7;text-align:left}\
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\
tr:nth-child(even) td{background:#fafafa}figure{margin:1.5em 0}figure svg{max-width:100%;height:auto;\
border:1px solid #eee}figcaption{color:#555;font-size:.9em}pre{background:#f6f6f6;padding:1em;\
overflow:auto;font-size:.85em}.failed{color:#b00}table.summary td:first-child{white-space:nowrap}\
nav{margin:.5em 0 1em}.unit{white-space:nowrap}nav a{color:#036}";

/// Escapes `& < > " '` for HTML text and attribute values: the one HTML escape of the crate (the
/// report and the batch's `index.html`).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The SVG document for inline use: the namespace declaration is dropped (HTML parsers place
/// `<svg>` in the SVG namespace), so the report holds no URL at all.
fn inline_svg(svg: &str) -> String {
    svg.replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
}

/// `value` with `decimals` decimals and comma thousands separators; `n/a` when not finite.
pub fn grouped(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "n/a".to_owned();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('-');
    }
    for (i, d) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// Like [`grouped`] with an explicit `+` on positive values.
pub fn signed(value: f64, decimals: usize) -> String {
    let text = grouped(value, decimals);
    if value.is_finite() && !text.starts_with('-') && text.chars().any(|c| ('1'..='9').contains(&c))
    {
        format!("+{text}")
    } else {
        text
    }
}

fn percent(share: f64, decimals: usize) -> String {
    if share.is_finite() {
        format!("{}%", grouped(share * 100.0, decimals))
    } else {
        "n/a".to_owned()
    }
}

fn cell(text: &str) -> String {
    format!("<td class=\"num\">{text}</td>")
}

fn opt<T>(value: Option<T>, f: impl FnOnce(T) -> String) -> String {
    value.map_or_else(|| "n/a".to_owned(), f)
}

/// An indicator's figure: `n/a` when absent, `undefined` when the indicator is (NaN; its reason
/// is in `indicators.csv`).
fn figure(value: Option<f64>, f: impl FnOnce(f64) -> String) -> String {
    match value {
        Some(v) if v.is_nan() => "undefined".to_owned(),
        v => opt(v, f),
    }
}

/// Header cells `<th>…</th>` of a table, one per term, in the report's language.
pub fn head_cells(l: Lang, terms: &[Term]) -> String {
    terms
        .iter()
        .map(|&t| format!("<th>{}</th>", l.t(t)))
        .collect()
}

fn scenario_table(h: &mut String, view: &View<'_>) {
    let r = view.results;
    let l = r.lang;
    let _ = writeln!(
        h,
        "<h2 id=\"scenarios\">{}</h2>\n<table>\n<tr>{}</tr>",
        l.t(Term::Scenarios),
        head_cells(l, &[Term::Scenario, Term::Description, Term::Status])
    );
    for s in &r.scenarios {
        let entry = r.manifest.scenarios.iter().find(|m| m.name == s.name);
        let status = match entry {
            Some(m) => {
                let word = l
                    .t(match m.status {
                        ScenarioStatus::Done => Term::StatusDone,
                        ScenarioStatus::Failed => Term::StatusFailed,
                        ScenarioStatus::Interrupted => Term::StatusInterrupted,
                        ScenarioStatus::Skipped => Term::StatusSkipped,
                    })
                    .to_owned();
                match &m.error {
                    Some(e) => format!("<span class=\"failed\">{word}: {}</span>", escape(e)),
                    None => word,
                }
            }
            None => "n/a".to_owned(),
        };
        let reference = if s.name == r.reference_scenario {
            l.t(Term::ReferenceMark)
        } else {
            ""
        };
        let _ = writeln!(
            h,
            "<tr><td>{}{reference}</td><td>{}</td><td>{status}</td></tr>",
            escape(&s.name),
            escape(&s.description)
        );
    }
    h.push_str("</table>\n");
}

fn summary_tables(h: &mut String, view: &View<'_>) {
    let r = view.results;
    let l = r.lang;
    let reference = r.reference_scenario.as_str();
    let _ = writeln!(h, "<h2 id=\"summary\">{}</h2>", l.t(Term::SheetSummary));
    let heads: String = [
        Term::Scenario,
        Term::GiniD,
        Term::GiniChangePoints,
        Term::UrbanRuralRatioD,
        Term::PovertyRate50,
        Term::CostHeadHtml,
        Term::CostChangeHeadHtml,
    ]
    .iter()
    .map(|&t| format!("<th>{}</th>", l.t(t)))
    .collect();
    for year in view.summary_years() {
        let _ = writeln!(
            h,
            "<h3>{year}</h3>\n<table class=\"summary\">\n<tr>{heads}</tr>"
        );
        let gini = |s: &str| view.national(s, &Indicator::Gini(Income::Disposable), year);
        let cost = |s: &str| view.government_cost(s, year);
        for s in &r.scenarios {
            let name = s.name.as_str();
            let (gini_change, cost_change) = if name == reference {
                let word = l.t(Term::Reference).to_owned();
                (word.clone(), word)
            } else {
                (
                    figure(gini(name).zip(gini(reference)).map(|(a, b)| a - b), |d| {
                        signed(d * 100.0, 2)
                    }),
                    opt(cost(name).zip(cost(reference)), |(a, b)| {
                        signed((a - b) / YUAN_PER_YI, 1)
                    }),
                )
            };
            let _ = writeln!(
                h,
                "<tr><td>{}</td>{}{}{}{}{}{}</tr>",
                escape(name),
                cell(&figure(gini(name), |v| format!("{v:.3}"))),
                cell(&gini_change),
                cell(&figure(
                    view.national(name, &Indicator::UrbanRuralRatio(Income::Disposable), year),
                    |v| format!("{v:.2}")
                )),
                cell(&figure(
                    view.national(name, &Indicator::PovertyRate(50), year),
                    |v| { percent(v, 1) }
                )),
                cell(&opt(cost(name), |v| grouped(v / YUAN_PER_YI, 1))),
                cell(&cost_change),
            );
        }
        h.push_str("</table>\n");
    }
}

/// Decile tables for the final decile year and the highlighted year, one per scenario.
fn decile_tables(h: &mut String, view: &View<'_>) {
    let r = view.results;
    let Some(last) = r.deciles.iter().map(|d| d.year).max() else {
        return;
    };
    let mut years = vec![last];
    if let Some(y) = r
        .highlight_year
        .filter(|y| *y != last && r.deciles.iter().any(|d| d.year == *y))
    {
        years.insert(0, y);
    }
    let l = r.lang;
    let _ = writeln!(
        h,
        "<h2 id=\"deciles\">{}</h2>\n<p>{}</p>",
        l.t(Term::DecileHeading),
        l.fill(Term::DecileIntro, &[&escape(&r.reference_scenario)])
    );
    let heads: String = [
        Term::DecileShort,
        Term::MarketShort,
        Term::PensionsShort,
        Term::AssistanceShort,
        Term::TransfersShort,
        Term::ContributionsShort,
        Term::DisposableShort,
        Term::GainYuanShort,
        Term::GainPercentShort,
        Term::BetterOffShort,
        Term::WorseOffShort,
        Term::MedicalShort,
    ]
    .iter()
    .map(|&t| format!("<th>{}</th>", l.t(t)))
    .collect();
    for year in years {
        for s in &r.scenarios {
            let mut rows: Vec<&ScenarioDecile> = r
                .deciles
                .iter()
                .filter(|d| d.year == year && d.scenario == s.name)
                .collect();
            if rows.is_empty() {
                continue;
            }
            rows.sort_by_key(|d| d.row.decile);
            let _ = writeln!(
                h,
                "<h3>{}</h3>\n<table>\n<tr>{heads}</tr>",
                l.fill(Term::ScenarioYear, &[&escape(&s.name), &year.to_string()])
            );
            for ScenarioDecile { row: d, .. } in rows {
                let _ = writeln!(
                    h,
                    "<tr>{}{}{}{}{}{}{}{}{}{}{}{}</tr>",
                    cell(&d.decile.to_string()),
                    cell(&grouped(d.market, 0)),
                    cell(&grouped(d.pensions, 0)),
                    cell(&grouped(d.assistance, 0)),
                    cell(&grouped(d.transfers, 0)),
                    cell(&grouped(d.contributions, 0)),
                    cell(&grouped(d.disposable, 0)),
                    cell(&signed(d.gain_yuan, 0)),
                    cell(&opt(d.gain_percent, |g| signed(g, 1))),
                    cell(&percent(d.better_off_share, 1)),
                    cell(&percent(d.worse_off_share, 1)),
                    cell(&grouped(d.medical_out_of_pocket, 0)),
                );
            }
            h.push_str("</table>\n");
        }
    }
}

fn parameter_table(h: &mut String, view: &View<'_>) {
    let r = view.results;
    let l = r.lang;
    let _ = writeln!(
        h,
        "<h2 id=\"parameters\">{}</h2>",
        l.fill(Term::ParametersHeading, &[&escape(&r.reference_scenario)])
    );
    if r.parameter_differences.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", l.t(Term::NoParameterDiffers));
        return;
    }
    let heads = [
        Term::Scenario,
        Term::Parameter,
        Term::ReferenceValue,
        Term::ScenarioValue,
    ];
    let _ = writeln!(h, "<table>\n<tr>{}</tr>", head_cells(l, &heads));
    for p in &r.parameter_differences {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            escape(&p.scenario),
            escape(&p.key),
            escape(&p.reference_value),
            escape(&p.scenario_value)
        );
    }
    h.push_str("</table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape(r#"<b>浙江 & "试点"</b> 'x'"#),
            "&lt;b&gt;浙江 &amp; &quot;试点&quot;&lt;/b&gt; &#39;x&#39;"
        );
        assert_eq!(escape("plain 统一低保"), "plain 统一低保");
    }

    #[test]
    fn grouped_numbers_have_separators_and_rounding() {
        assert_eq!(grouped(4_300.0, 1), "4,300.0");
        assert_eq!(grouped(1_234_567.891, 0), "1,234,568");
        assert_eq!(grouped(-12_345.0, 0), "-12,345");
        assert_eq!(grouped(999.96, 1), "1,000.0");
        assert_eq!(grouped(-0.04, 1), "0.0");
        assert_eq!(grouped(f64::NAN, 1), "n/a");
    }

    #[test]
    fn signed_numbers_show_plus_only_when_nonzero() {
        assert_eq!(signed(300.0, 1), "+300.0");
        assert_eq!(signed(-1.0, 2), "-1.00");
        assert_eq!(signed(0.0, 1), "0.0");
        assert_eq!(percent(0.123, 1), "12.3%");
    }

    #[test]
    fn inline_svg_drops_the_namespace_url() {
        let svg = r#"<svg width="10" height="10" viewBox="0 0 10 10" xmlns="http://www.w3.org/2000/svg"></svg>"#;
        assert_eq!(
            inline_svg(svg),
            r#"<svg width="10" height="10" viewBox="0 0 10 10"></svg>"#
        );
    }
}
