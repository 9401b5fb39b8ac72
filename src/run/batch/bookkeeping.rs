//! A batch's bookkeeping: `summary.csv` and the batch's `index.html` with the groups' overview.

use std::io::Write;
use std::path::Path;

use super::{INDEX_FILE, Outcome, PlannedGroup};
use crate::error::Result;
use crate::fsutil::atomic_write;
use crate::output::overview::{OverviewGroup, overview};
use crate::report::escape;
use crate::results::ScenarioStatus;
use crate::table::csv::{Cell, write_csv};

/// Writes `summary.csv`: group, scenario, status, reason.
pub(in crate::run) fn write_summary(path: &Path, outcomes: &[Outcome]) -> Result<()> {
    write_csv(path, &["group", "scenario", "status", "reason"], |w| {
        for o in outcomes {
            w.row(&[
                Cell::Text(&o.group),
                Cell::Text(&o.scenario),
                Cell::Text(status_word(o.status)),
                Cell::Text(o.reason.as_deref().unwrap_or("")),
            ])?;
        }
        Ok(())
    })
}

/// The status as `summary.csv` and the manifest write it.
pub fn status_word(status: ScenarioStatus) -> &'static str {
    match status {
        ScenarioStatus::Done => "done",
        ScenarioStatus::Failed => "failed",
        ScenarioStatus::Interrupted => "interrupted",
        ScenarioStatus::Skipped => "skipped",
    }
}

/// Writes `index.html`: a self-contained page linking each group's report, with every
/// scenario's status.
pub(super) fn write_index(
    out: &Path,
    groups: &[PlannedGroup],
    outcomes: &[Outcome],
    lang: crate::report::terms::Lang,
) -> Result<()> {
    let mut html = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>gongfu batch</title><style>body{font-family:sans-serif;margin:2em}\
         table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}\
         </style></head><body>\n<h1>gongfu batch</h1>\n<table><tr><th>group</th><th>report</th>\
         <th>scenario</th><th>status</th><th>reason</th></tr>\n",
    );
    for o in outcomes {
        let report = groups
            .iter()
            .find(|g| g.name == o.group)
            .filter(|g| g.dir.join("report.html").is_file())
            .map(|g| {
                format!(
                    "<a href=\"{0}/report.html\">{0}/report.html</a>",
                    escape(&g.name)
                )
            })
            .unwrap_or_default();
        html.push_str(&format!(
            "<tr><td>{}</td><td>{report}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(&o.group),
            escape(&o.scenario),
            status_word(o.status),
            escape(o.reason.as_deref().unwrap_or(""))
        ));
    }
    html.push_str("</table>\n");
    let compared: Vec<OverviewGroup<'_>> = groups
        .iter()
        .filter_map(|g| {
            Some(OverviewGroup {
                name: &g.name,
                dir: &g.dir,
                reference: &g.members.first()?.scenario.name,
            })
        })
        .collect();
    html.push_str(&overview(&out.join("charts"), &compared, lang)?);
    html.push_str("</body></html>\n");
    atomic_write(&out.join(INDEX_FILE), |w| w.write_all(html.as_bytes()))
}
