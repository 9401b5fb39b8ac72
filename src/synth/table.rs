//! The validation table's types (population.md: "every target, the achieved value, the error"):
//! each target with its tolerance, printed and written as CSV, and the notes the generator adds
//! when a small sample cannot meet a target (coarsen.rs, top.rs).

use std::fmt;

use crate::error::{Error, Result};

/// Row of the proxy's Gini with top incomes.
pub(super) const TAIL_GINI: &str = "income_proxy_gini_with_top_incomes";
/// Its tolerance: the tail index is solved for the targets' Gini; the households that keep
/// pensions above their target move it a little.
pub(super) const TAIL_GINI_TOLERANCE: f64 = 0.005;

/// How far an achieved value may be from its target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tolerance {
    /// |achieved - target| <= this.
    Absolute(f64),
    /// |achieved - target| <= this x |target|.
    Relative(f64),
    /// Shown for information, not imposed (the reason is in the target's name).
    Reported,
}

/// One target of the validation table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// What is measured (snake_case, with the residence or band).
    pub target_name: String,
    /// The target value.
    pub target: f64,
    /// The value the generated, calibrated population achieves.
    pub achieved: f64,
    /// Tolerance.
    pub tolerance: Tolerance,
}

impl Row {
    /// Error: achieved - target (absolute tolerance) or (achieved - target) / target (relative).
    pub fn error(&self) -> f64 {
        match self.tolerance {
            Tolerance::Relative(_) => (self.achieved - self.target) / self.target,
            _ => self.achieved - self.target,
        }
    }
    /// True when within tolerance (always for a reported row).
    pub fn pass(&self) -> bool {
        match self.tolerance {
            Tolerance::Absolute(t) | Tolerance::Relative(t) => self.error().abs() <= t,
            Tolerance::Reported => true,
        }
    }
    /// The tolerance as text, with `digits` significant digits when given (else in full).
    fn tolerance_text(&self, digits: Option<usize>) -> String {
        let number = |t: f64| match digits {
            Some(d) => format!("{t:.d$e}", d = d - 1),
            None => format!("{t}"),
        };
        match self.tolerance {
            Tolerance::Absolute(t) => number(t),
            Tolerance::Relative(t) => format!("{} rel", number(t)),
            Tolerance::Reported => "reported".into(),
        }
    }
}

/// Every target with what was achieved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValidationTable {
    /// Rows in a fixed order.
    pub rows: Vec<Row>,
}

impl ValidationTable {
    /// Number of targets outside tolerance.
    pub fn failed(&self) -> usize {
        self.rows.iter().filter(|r| !r.pass()).count()
    }
    /// Ok when every target passes, else [`Error::Calibration`] carrying the printed table.
    pub fn check(&self) -> Result<()> {
        match self.failed() {
            0 => Ok(()),
            failed => Err(Error::Calibration {
                failed,
                table: self.to_string(),
            }),
        }
    }
    /// The table as CSV: target,target_value,achieved,error,tolerance,pass.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("target,target_value,achieved,error,tolerance,pass\n");
        for r in &self.rows {
            out.push_str(&format!(
                "{},{},{},{},{},{}\n",
                r.target_name,
                r.target,
                r.achieved,
                r.error(),
                r.tolerance_text(None),
                r.pass()
            ));
        }
        out
    }
    /// Replaces the imposed rows `names` by one row `merged` (their summed target and achieved
    /// value, with `tolerance`, placed after the last of them) and marks each of them reported,
    /// `_merged_for_raking` appended to its name. Names not in the table are skipped.
    pub(super) fn merge_rows(&mut self, names: &[String], merged: String, tolerance: Tolerance) {
        let (mut target, mut achieved, mut last) = (0.0, 0.0, None);
        for (k, row) in self.rows.iter_mut().enumerate() {
            if names.contains(&row.target_name) {
                target += row.target;
                achieved += row.achieved;
                last = Some(k);
                row.target_name.push_str("_merged_for_raking");
                row.tolerance = Tolerance::Reported;
            }
        }
        if let Some(k) = last {
            let row = Row {
                target_name: merged,
                target,
                achieved,
                tolerance,
            };
            self.rows.insert(k + 1, row);
        }
    }

    /// States that the tail could not reach its Gini (top.rs, `TailFit::out_of_reach`): the
    /// Gini row is reported as `..._out_of_reach_of_the_sample`, and a row
    /// `..._sample_maximum` checks the proxy's Gini against `reached`, the Gini of the heaviest
    /// tail the sample's targets take, with the same tolerance.
    pub(super) fn note_tail_out_of_reach(&mut self, reached: f64) {
        if let Some(k) = self.rows.iter().position(|r| r.target_name == TAIL_GINI) {
            let achieved = self.rows[k].achieved;
            self.rows[k]
                .target_name
                .push_str("_out_of_reach_of_the_sample");
            self.rows[k].tolerance = Tolerance::Reported;
            let row = Row {
                target_name: format!("{TAIL_GINI}_sample_maximum"),
                target: reached,
                achieved,
                tolerance: Tolerance::Absolute(TAIL_GINI_TOLERANCE),
            };
            self.rows.insert(k + 1, row);
        }
    }

    /// Marks row `name` reported, `_rests_on_merged_cells` appended to its name.
    pub(super) fn report_row(&mut self, name: &str) {
        if let Some(row) = self.rows.iter_mut().find(|r| r.target_name == name) {
            row.target_name.push_str("_rests_on_merged_cells");
            row.tolerance = Tolerance::Reported;
        }
    }

    /// Adds a row.
    pub(super) fn push(
        &mut self,
        name: impl Into<String>,
        target: f64,
        achieved: f64,
        tolerance: Tolerance,
    ) {
        self.rows.push(Row {
            target_name: name.into(),
            target,
            achieved,
            tolerance,
        });
    }
}

impl fmt::Display for ValidationTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<44} {:>14} {:>14} {:>10} {:>12}  pass",
            "target", "target_value", "achieved", "error", "tolerance"
        )?;
        for r in &self.rows {
            writeln!(
                f,
                "{:<44} {:>14.6} {:>14.6} {:>10.5} {:>12}  {}",
                r.target_name,
                r.target,
                r.achieved,
                r.error(),
                r.tolerance_text(Some(3)),
                if r.pass() { "yes" } else { "NO" }
            )?;
        }
        Ok(())
    }
}
