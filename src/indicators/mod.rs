//! Indicators (spec indicators.md): inequality, poverty, urban-rural and regional gaps, decile
//! tables and replication intervals, as pure functions over per-person values and weights.
//!
//! **Invariant:** nothing here sees a scenario, a file or a thread pool setting; callers pass
//! slices (one value and one weight per person, in any order) and get numbers or an
//! [`Error::Undefined`](crate::Error::Undefined) that says why there is no number. No indicator
//! ever returns NaN.
//!
//! Every sorting-based indicator (Gini, quantiles, Lorenz curve, shares, Palma, poverty) is a
//! method of [`Distribution`], which sorts one income concept once and keeps its cumulative sums;
//! build one per scenario, year and concept, and reuse its buffers with [`Distribution::rebuild`].

pub mod deciles;
pub mod distribution;
pub mod gaps;
pub mod medical;
pub mod poverty;
pub mod radix;
pub mod replication;
pub mod summary;
pub mod survey;

pub use deciles::{DecileRow, IncomeComponents, UNCHANGED_TOLERANCE_YUAN, decile_table};
pub use distribution::{
    Distribution, LogMeasure, LorenzPoint, redistributive_effect, reynolds_smolensky,
};
pub use gaps::{GroupMeans, RegionalGaps, urban_rural_ratio, weighted_mean};
pub use medical::{
    Line, catastrophic_health_spending_rate, impoverishment_rate, inpatient_admissions_per_100,
    medical_premium_paid_persons,
};
pub use poverty::{Fgt, poverty_below_own_lines};
pub use replication::{Interval, replication_interval, student_t_quantile};
pub use summary::{Summary, summarise};
pub use survey::survey_basis_weights;

use crate::{Error, Result};

/// Checks one person-level input: equal lengths, at least one person, finite values, finite
/// positive weights. The message names the first offending position (0-based).
pub(crate) fn check_weighted(values: &[f64], weights: &[f64]) -> Result<()> {
    if values.len() != weights.len() {
        return Err(Error::Undefined(format!(
            "{} values but {} weights: every person needs one of each",
            values.len(),
            weights.len()
        )));
    }
    if values.is_empty() {
        return Err(Error::Undefined(
            "no persons: an indicator needs at least one".into(),
        ));
    }
    check_finite(values, "value")?;
    // A branch-free pass first (it vectorises); the search for the culprit only on failure.
    let valid = |w: &f64| w.is_finite() & (*w > 0.0);
    if weights.iter().fold(true, |ok, w| ok & valid(w)) {
        return Ok(());
    }
    if let Some(i) = weights.iter().position(|w| !valid(w)) {
        return Err(Error::Undefined(format!(
            "weight at position {i} is {}; weights must be finite and positive",
            weights[i]
        )));
    }
    Ok(())
}

/// Checks that every entry is finite, naming the first that is not (`what` at position i).
pub(crate) fn check_finite(values: &[f64], what: &str) -> Result<()> {
    // A branch-free pass first (it vectorises); the search for the culprit only on failure.
    if values.iter().fold(true, |ok, v| ok & v.is_finite()) {
        return Ok(());
    }
    match values.iter().position(|v| !v.is_finite()) {
        Some(i) => Err(Error::Undefined(format!(
            "{what} at position {i} is {}; values must be finite",
            values[i]
        ))),
        None => Ok(()),
    }
}

/// Compensated (Neumaier) running sum: long sums of money over millions of persons keep about
/// full f64 precision, so Gini and shares meet the 1e-9 relative bound of the spec.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Neumaier {
    sum: f64,
    compensation: f64,
}

impl Neumaier {
    /// Adds one term.
    #[inline]
    pub(crate) fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.compensation += (self.sum - t) + x;
        } else {
            self.compensation += (x - t) + self.sum;
        }
        self.sum = t;
    }

    /// The sum so far.
    #[inline]
    pub(crate) fn value(&self) -> f64 {
        self.sum + self.compensation
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 1e16 + 1 - 1e16 loses the 1 in plain f64 addition; the compensated sum keeps it.
    #[test]
    fn neumaier_keeps_small_terms() {
        let mut s = Neumaier::default();
        for x in [1e16, 1.0, -1e16] {
            s.add(x);
        }
        assert_eq!(s.value(), 1.0);
    }

    #[test]
    fn check_weighted_names_the_bad_position() {
        let e = check_weighted(&[1.0, 2.0], &[1.0, 0.0]).unwrap_err();
        assert!(e.to_string().contains("position 1"), "{e}");
        let e = check_weighted(&[1.0, f64::NAN], &[1.0, 1.0]).unwrap_err();
        assert!(e.to_string().contains("value at position 1"), "{e}");
        assert!(check_weighted(&[], &[]).is_err());
        assert!(check_weighted(&[1.0], &[1.0, 2.0]).is_err());
    }
}
