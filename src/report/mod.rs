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
use crate::results::{Income, Indicator, ScenarioDecile};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

mod basis;
mod medical;

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
    let m = &r.manifest;
    let mut h = String::with_capacity(64 * 1024);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"zh-Hans\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>gongfu: {name}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <h1>gongfu run: {name}</h1>\n<p class=\"meta\">Finished {finished} (started {started}), \
         gongfu {version}. Reference scenario: <b>{reference}</b>.</p>\n<nav>{NAV}</nav>\n",
        name = escape(&r.run_name),
        finished = escape(&m.finished_at),
        started = escape(&m.started_at),
        version = escape(&m.gongfu_version),
        reference = escape(&r.reference_scenario),
    );

    scenario_table(&mut h, view);
    summary_tables(&mut h, view);
    basis::income_basis(&mut h, view);

    h.push_str("<h2 id=\"charts\">Charts</h2>\n");
    for c in charts.iter().filter(|c| c.stem != IMPOVERISHMENT_CHART) {
        chart_figure(&mut h, c);
    }

    medical::medical_hardship(&mut h, view, charts);
    decile_tables(&mut h, view);
    parameter_table(&mut h, view);

    let manifest = serde_json::to_string_pretty(m).unwrap_or_else(|e| e.to_string());
    let _ = write!(
        h,
        "<h2 id=\"manifest\">Run manifest</h2>\n<p>Command: <code>{}</code></p>\n<details>\n<summary>manifest.json \
         (scenario files and hashes, resolved parameters, seeds, population, timings)</summary>\n\
         <pre>{}</pre>\n</details>\n</body>\n</html>\n",
        escape(&m.command_line),
        escape(&manifest)
    );
    h
}

/// One chart as a figure with its caption.
fn chart_figure(h: &mut String, c: &RenderedChart) {
    let _ = write!(
        h,
        "<figure>\n{}\n<figcaption><b>{}.</b> {} PNG: charts/{}.png.</figcaption>\n</figure>\n",
        inline_svg(&c.svg),
        escape(&c.title),
        escape(&c.note),
        c.stem
    );
}

const NAV: &str = "<a href=\"#scenarios\">Scenarios</a> · <a href=\"#summary\">Summary</a> · \
<a href=\"#basis\">Income basis</a> · <a href=\"#charts\">Charts</a> · <a href=\"#medical\">Medical hardship</a> · <a href=\"#deciles\">Deciles</a> · <a href=\"#parameters\">Parameters</a> · \
<a href=\"#manifest\">Manifest</a>";

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

fn scenario_table(h: &mut String, view: &View<'_>) {
    let r = view.results;
    h.push_str(
        "<h2 id=\"scenarios\">Scenarios</h2>\n<table>\n<tr><th>Scenario</th><th>Description</th><th>Status</th></tr>\n",
    );
    for s in &r.scenarios {
        let entry = r.manifest.scenarios.iter().find(|m| m.name == s.name);
        let status = match entry {
            Some(m) => {
                let word = serde_json::to_value(m.status)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                match &m.error {
                    Some(e) => format!("<span class=\"failed\">{word}: {}</span>", escape(e)),
                    None => word,
                }
            }
            None => "n/a".to_owned(),
        };
        let reference = if s.name == r.reference_scenario {
            " (reference)"
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

/// Years the summary shows: the first, the highlighted one (if given and simulated), the final.
fn summary_years(view: &View<'_>) -> Vec<i32> {
    let years = view.years();
    let mut shown: Vec<i32> = years.first().into_iter().copied().collect();
    if let Some(y) = view.results.highlight_year.filter(|y| years.contains(y)) {
        shown.push(y);
    }
    shown.extend(years.last());
    shown.sort_unstable();
    shown.dedup();
    shown
}

fn summary_tables(h: &mut String, view: &View<'_>) {
    let r = view.results;
    let reference = r.reference_scenario.as_str();
    h.push_str("<h2 id=\"summary\">Summary</h2>\n");
    for year in summary_years(view) {
        let _ = write!(
            h,
            "<h3>{year}</h3>\n<table class=\"summary\">\n<tr><th>Scenario</th><th>Gini (D)</th>\
             <th>Change in Gini vs reference, points</th><th>Urban-rural ratio (D)</th>\
             <th>Poverty rate, 50% of median</th><th>Government cost, <span class=\"unit\">亿元</span></th>\
             <th>Change in cost vs reference, <span class=\"unit\">亿元</span></th></tr>\n"
        );
        let gini = |s: &str| view.national(s, &Indicator::Gini(Income::Disposable), year);
        let cost = |s: &str| view.government_cost(s, year);
        for s in &r.scenarios {
            let name = s.name.as_str();
            let (gini_change, cost_change) = if name == reference {
                ("reference".to_owned(), "reference".to_owned())
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
    let _ = write!(
        h,
        "<h2 id=\"deciles\">Distribution by decile</h2>\n<p>Deciles of per-capita disposable income under the \
         reference scenario ({}), fixed across scenarios. Means in yuan per person per year.</p>\n",
        escape(&r.reference_scenario)
    );
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
            let _ = write!(
                h,
                "<h3>{}, {year}</h3>\n<table>\n<tr><th>Decile</th><th>Market income</th>\
                 <th>Pensions</th><th>Assistance</th><th>Transfers</th><th>Contributions</th>\
                 <th>Disposable income</th><th>Gain, yuan</th><th>Gain, %</th>\
                 <th>Better off</th><th>Worse off</th><th>Medical out-of-pocket</th></tr>\n",
                escape(&s.name)
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
    let _ = writeln!(
        h,
        "<h2 id=\"parameters\">Parameters that differ from the reference ({})</h2>",
        escape(&r.reference_scenario)
    );
    if r.parameter_differences.is_empty() {
        h.push_str("<p>No parameter differs from the reference scenario.</p>\n");
        return;
    }
    h.push_str(
        "<table>\n<tr><th>Scenario</th><th>Parameter</th><th>Reference value</th>\
         <th>Scenario value</th></tr>\n",
    );
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
