//! The sorted weighted distribution of one income concept and the indicators that need the sort:
//! Gini, concentration coefficients, weighted quantiles, Lorenz curve, quintile and Palma shares,
//! P90/P10, Theil T and mean log deviation (spec indicators.md, "Inequality").

use std::ops::Range;

use super::radix::{RadixKey, sort_by_key};
use super::{Neumaier, check_finite, check_weighted};
use crate::{Error, Result};

/// Tolerance, relative to the total weight, within which a cumulative weight "lands exactly" on
/// a quantile's share (spec: then the quantile is the midpoint of that value and the next).
/// Weights such as 0.1 do not add up exactly in floating point; 1e-12 of the total is far below
/// any person's weight in a real sample and far above rounding in a sum of 10^7 terms.
pub const QUANTILE_TIE_TOLERANCE: f64 = 1e-12;

/// Number of intervals of [`Distribution::lorenz`]: one point per percentile.
pub const LORENZ_PERCENTILES: usize = 100;

/// One person in sort order, packed for a fast integer sort: the high 64 bits are the value's
/// bits mapped to an unsigned key with the same total order (negative values have all bits
/// flipped, others the sign bit set), the low 32 bits the person's original position, which
/// breaks ties so the order is deterministic.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Ranked(u128);

impl RadixKey for Ranked {
    #[inline]
    fn radix_key(&self) -> u64 {
        (self.0 >> 64) as u64
    }
}

impl Ranked {
    const SIGN: u64 = 1 << 63;

    /// The unsigned key with the same total order as `value`'s.
    #[inline]
    fn order_key(value: f64) -> u64 {
        let bits = value.to_bits();
        if bits & Self::SIGN != 0 {
            !bits
        } else {
            bits | Self::SIGN
        }
    }

    #[inline]
    fn from_key(key: u64, index: u32) -> Self {
        Ranked((u128::from(key) << 64) | u128::from(index))
    }

    #[inline]
    fn value(self) -> f64 {
        let key = (self.0 >> 64) as u64;
        f64::from_bits(if key & Self::SIGN != 0 {
            key & !Self::SIGN
        } else {
            !key
        })
    }

    #[inline]
    fn index(self) -> usize {
        (self.0 as u32) as usize
    }
}

/// The weighted distribution of one income concept (yuan per year per person, any order in),
/// sorted once, with cumulative weights and incomes. All sorting-based indicators are methods.
///
/// Ties are ordered by original position, so the order (and every result) is deterministic
/// whatever the thread count. Memory: 40 bytes per person; rebuild with
/// [`Distribution::rebuild`] to reuse the buffers for the next year or concept.
#[derive(Debug, Clone, Default)]
pub struct Distribution {
    /// Persons in ascending order of value.
    ranked: Vec<Ranked>,
    /// Weight of the person at each sorted position.
    weight: Vec<f64>,
    /// Cumulative weight up to and including each sorted position (W_i).
    cum_weight: Vec<f64>,
    /// Cumulative weighted income up to and including each sorted position (S_i).
    cum_income: Vec<f64>,
    /// sum_i w_i (S_{i-1} + S_i), the Gini's sorted-form numerator.
    gini_numerator: f64,
    /// The runs (households) in sort order, each as its value's key and its run number; kept
    /// for the next rebuild.
    runs: Vec<Ranked>,
}

/// A point of the Lorenz curve: the poorest `population_share` of the weight holds
/// `income_share` of the total income (both 0..=1 for non-negative incomes).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct LorenzPoint {
    /// Cumulative population share, 0..=1.
    pub population_share: f64,
    /// Cumulative income share of that population.
    pub income_share: f64,
}

/// A log-based inequality measure computed over positive incomes only.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct LogMeasure {
    /// The measure over persons with a positive income.
    pub value: f64,
    /// Persons left out because their income is zero or negative.
    pub skipped: usize,
}

impl Distribution {
    /// Sorts `values` (yuan per year, one per person) with their `weights` (persons each stands
    /// for). Errors when lengths differ, there are no persons, a value is not finite or a weight
    /// is not finite and positive.
    pub fn new(values: &[f64], weights: &[f64]) -> Result<Self> {
        let mut d = Self::default();
        d.rebuild(values, weights)?;
        Ok(d)
    }

    /// Replaces the distribution by that of `values` and `weights`, reusing the buffers.
    pub fn rebuild(&mut self, values: &[f64], weights: &[f64]) -> Result<()> {
        check_weighted(values, weights)?;
        check_size(values.len())?;
        self.sort_runs(values, weights, (0..values.len() as u32).map(|i| (i, 1)));
        Ok(())
    }

    /// As [`Distribution::rebuild`] for persons listed household by household, where household
    /// `h` is the persons `household_start[h]..household_start[h + 1]` and every member usually
    /// carries the household's per-capita value and weight: it sorts households instead of
    /// persons, then lists each household's members in their order. The result is the same as
    /// `rebuild`'s (ties are ordered by person position either way); if some household's members
    /// differ in value or weight, it sorts the persons instead.
    pub fn rebuild_by_household(
        &mut self,
        values: &[f64],
        weights: &[f64],
        household_start: &[u32],
    ) -> Result<()> {
        check_weighted(values, weights)?;
        check_size(values.len())?;
        let starts_cover = household_start.first() == Some(&0)
            && household_start.last().map(|&e| e as usize) == Some(values.len());
        let same = |column: &[f64], w: &[u32]| {
            let members = &column[w[0] as usize..w[1] as usize];
            members.iter().all(|v| v.to_bits() == members[0].to_bits())
        };
        let shared = starts_cover
            && household_start
                .windows(2)
                .all(|w| same(values, w) && same(weights, w));
        if shared {
            let runs = household_start.windows(2).map(|w| (w[0], w[1] - w[0]));
            self.sort_runs(values, weights, runs);
        } else {
            self.sort_runs(values, weights, (0..values.len() as u32).map(|i| (i, 1)));
        }
        Ok(())
    }

    /// Sorts the runs `(start, len)` of persons (consecutive, covering every person in order,
    /// each run of one value and one weight) by value with a radix sort, lists the persons run by
    /// run, then accumulates. A run is packed like a person, its length in the bits a person's
    /// key leaves free; the persons' buffer is the sort's second buffer.
    fn sort_runs(
        &mut self,
        values: &[f64],
        weights: &[f64],
        runs: impl Iterator<Item = (u32, u32)>,
    ) {
        self.runs.clear();
        self.runs.extend(runs.map(|(start, len)| {
            let key = Ranked::order_key(values[start as usize]);
            Ranked(Ranked::from_key(key, start).0 | (u128::from(len) << 32))
        }));
        sort_by_key(&mut self.runs, &mut self.ranked);
        self.ranked.clear();
        self.weight.clear();
        for run in &self.runs {
            let (key, start) = (run.radix_key(), run.index());
            let len = (run.0 >> 32) as u32 as usize;
            let weight = weights[start];
            for i in start..start + len {
                self.ranked.push(Ranked::from_key(key, i as u32));
                self.weight.push(weight);
            }
        }
        self.accumulate();
    }

    /// Fills `out` with the distribution of the same persons and `values` (those this one was
    /// built from) under other `weights`: this one's order, no second sort. Errors as
    /// [`Distribution::rebuild`] does.
    pub fn reweighted_into(
        &self,
        values: &[f64],
        weights: &[f64],
        out: &mut Distribution,
    ) -> Result<()> {
        check_weighted(values, weights)?;
        if values.len() != self.len() {
            return Err(Error::Undefined(format!(
                "{} values to reweigh a distribution of {} persons",
                values.len(),
                self.len()
            )));
        }
        out.ranked.clear();
        out.ranked.extend_from_slice(&self.ranked);
        out.weight.clear();
        out.weight
            .extend(self.ranked.iter().map(|r| weights[r.index()]));
        out.accumulate();
        Ok(())
    }

    /// Fills `out` with the distribution of the persons whose original position `keep` selects,
    /// taken from this one's sorted order by a stable filter: no second sort. Returns false (and
    /// leaves `out` empty) when nobody is selected. Positions kept in `out` refer to this
    /// distribution's original order, so `out.concentration` is not meaningful; every other
    /// method is.
    pub fn subset_into(&self, keep: impl Fn(usize) -> bool, out: &mut Distribution) -> bool {
        out.ranked.clear();
        out.weight.clear();
        for (r, &w) in self.ranked.iter().zip(&self.weight) {
            if keep(r.index()) {
                out.ranked.push(*r);
                out.weight.push(w);
            }
        }
        out.accumulate();
        !out.ranked.is_empty()
    }

    /// Cumulative weights and incomes and the Gini numerator, from `ranked` and `weight`.
    fn accumulate(&mut self) {
        let n = self.ranked.len();
        self.cum_weight.clear();
        self.cum_income.clear();
        self.cum_weight.reserve(n);
        self.cum_income.reserve(n);
        let (mut w, mut s, mut g) = (
            Neumaier::default(),
            Neumaier::default(),
            Neumaier::default(),
        );
        for (r, &wi) in self.ranked.iter().zip(&self.weight) {
            let before = s.value();
            w.add(wi);
            s.add(wi * r.value());
            let after = s.value();
            g.add(wi * (before + after));
            self.cum_weight.push(w.value());
            self.cum_income.push(after);
        }
        self.gini_numerator = g.value();
    }

    /// Number of persons.
    pub fn len(&self) -> usize {
        self.ranked.len()
    }

    /// True before the first build (a built distribution has at least one person).
    pub fn is_empty(&self) -> bool {
        self.ranked.is_empty()
    }

    /// Total weight W (persons represented).
    pub fn total_weight(&self) -> f64 {
        self.cum_weight.last().copied().unwrap_or(0.0)
    }

    /// Total weighted income S_n, yuan per year.
    pub fn total_income(&self) -> f64 {
        self.cum_income.last().copied().unwrap_or(0.0)
    }

    /// Weighted mean income, yuan per year.
    pub fn mean(&self) -> f64 {
        match self.total_weight() {
            w if w > 0.0 => self.total_income() / w,
            _ => 0.0,
        }
    }

    /// The weighted mean, or why an indicator `what` needs it positive.
    fn positive_mean(&self, what: &str) -> Result<f64> {
        let mean = self.mean();
        if self.is_empty() || mean <= 0.0 {
            return Err(Error::Undefined(format!(
                "{what} undefined: weighted mean income is {mean} (it must be positive)"
            )));
        }
        Ok(mean)
    }

    /// Exact weighted Gini, population form, from the sorted data:
    /// G = 1 - sum_i w_i (S_{i-1} + S_i) / (W S_n); equal to
    /// sum_i sum_j w_i w_j |y_i - y_j| / (2 W^2 mean), ties included. Errors when the mean <= 0.
    pub fn gini(&self) -> Result<f64> {
        self.positive_mean("Gini")?;
        // The double sum is never negative; rounding in 1 - x could make equal incomes -1e-16.
        Ok((1.0 - self.gini_numerator / (self.total_weight() * self.total_income())).max(0.0))
    }

    /// Concentration coefficient of `other` (one value per person, in the original order given
    /// to [`Distribution::new`]) ranked by this distribution's income:
    /// C = 2 sum_i w_i x_i F_i / (W X) - 1, with F_i the midpoint cumulative weight of the
    /// person's tie group (persons with equal ranking income share a rank, so the result does
    /// not depend on their order). Equals the Gini when `other` is the ranking income.
    /// Errors when lengths differ, a value is not finite or `other`'s weighted mean <= 0.
    pub fn concentration(&self, other: &[f64]) -> Result<f64> {
        if other.len() != self.len() {
            return Err(Error::Undefined(format!(
                "concentration coefficient: {} values for {} ranked persons",
                other.len(),
                self.len()
            )));
        }
        check_finite(other, "value")?;
        let (mut total, mut ranked_sum) = (Neumaier::default(), Neumaier::default());
        self.for_each_tie_group(|positions, midpoint| {
            for pos in positions {
                let wx = self.weight[pos] * other[self.ranked[pos].index()];
                total.add(wx);
                ranked_sum.add(wx * midpoint);
            }
        });
        let total = total.value();
        if total <= 0.0 {
            return Err(Error::Undefined(format!(
                "concentration coefficient undefined: weighted mean of the ranked income is {} \
                 (it must be positive)",
                total / self.total_weight()
            )));
        }
        Ok(2.0 * ranked_sum.value() / (self.total_weight() * total) - 1.0)
    }

    /// Calls `f(positions, midpoint)` for each run of equal values in sort order, with the
    /// midpoint cumulative weight of the run, W_before + W_run / 2.
    pub(super) fn for_each_tie_group(&self, mut f: impl FnMut(Range<usize>, f64)) {
        let mut start = 0;
        while start < self.len() {
            let value = self.ranked[start].value();
            let end = start
                + self.ranked[start..]
                    .iter()
                    .position(|r| r.value() != value)
                    .unwrap_or(self.len() - start);
            let before = if start == 0 {
                0.0
            } else {
                self.cum_weight[start - 1]
            };
            f(start..end, 0.5 * (before + self.cum_weight[end - 1]));
            start = end;
        }
    }

    /// Original position (as given to [`Distribution::new`]) of the person at sorted position.
    pub(super) fn original_index(&self, sorted_position: usize) -> usize {
        self.ranked[sorted_position].index()
    }

    /// Value of the person at a sorted position.
    pub(super) fn sorted_value(&self, sorted_position: usize) -> f64 {
        self.ranked[sorted_position].value()
    }

    /// Weight of the person at a sorted position.
    pub(super) fn sorted_weight(&self, sorted_position: usize) -> f64 {
        self.weight[sorted_position]
    }

    /// Number of persons whose value is strictly below `line` (they come first in sort order).
    pub(super) fn count_below(&self, line: f64) -> usize {
        self.ranked.partition_point(|r| r.value() < line)
    }

    /// Cumulative weight of the first `k` persons in sort order.
    pub(super) fn weight_of_first(&self, k: usize) -> f64 {
        if k == 0 { 0.0 } else { self.cum_weight[k - 1] }
    }

    /// Weighted quantile at `share` (0..=1): the smallest value at which the cumulative weight
    /// reaches `share` of the total; when it lands exactly on it (within
    /// [`QUANTILE_TIE_TOLERANCE`] of the total), the midpoint of that value and the next.
    /// Errors when `share` is outside 0..=1.
    pub fn quantile(&self, share: f64) -> Result<f64> {
        if !(0.0..=1.0).contains(&share) || self.is_empty() {
            return Err(Error::Undefined(format!(
                "quantile share {share} is outside 0..=1"
            )));
        }
        let total = self.total_weight();
        let target = share * total;
        let tolerance = QUANTILE_TIE_TOLERANCE * total;
        let i = self.cum_weight.partition_point(|&c| c < target - tolerance);
        let i = i.min(self.len() - 1);
        let value = self.ranked[i].value();
        if (self.cum_weight[i] - target).abs() <= tolerance && i + 1 < self.len() {
            Ok(0.5 * (value + self.ranked[i + 1].value()))
        } else {
            Ok(value)
        }
    }

    /// Weighted median, yuan per year (the quantile at 1/2).
    pub fn median(&self) -> f64 {
        self.quantile(0.5).unwrap_or(0.0)
    }

    /// The Lorenz curve at `population_share`: the share of total income held by the poorest
    /// `population_share` of the weight, splitting the person at the boundary (linear between
    /// the cumulative points). Errors when the mean <= 0.
    pub fn income_share_below(&self, population_share: f64) -> Result<f64> {
        self.positive_mean("income share")?;
        if population_share <= 0.0 {
            return Ok(0.0);
        }
        if population_share >= 1.0 {
            return Ok(1.0);
        }
        let target = population_share * self.total_weight();
        let i = self
            .cum_weight
            .partition_point(|&c| c < target)
            .min(self.len() - 1);
        let (weight_before, income_before) = if i == 0 {
            (0.0, 0.0)
        } else {
            (self.cum_weight[i - 1], self.cum_income[i - 1])
        };
        let income = income_before + (target - weight_before) * self.ranked[i].value();
        Ok(income / self.total_income())
    }

    /// Lorenz curve points at each percentile, from (0, 0) to (1, 1) (101 points).
    /// Errors when the mean <= 0.
    pub fn lorenz(&self) -> Result<Vec<LorenzPoint>> {
        (0..=LORENZ_PERCENTILES)
            .map(|k| {
                let population_share = k as f64 / LORENZ_PERCENTILES as f64;
                Ok(LorenzPoint {
                    population_share,
                    income_share: self.income_share_below(population_share)?,
                })
            })
            .collect()
    }

    /// Income shares of the five weighted quintiles, poorest first (they sum to 1).
    /// Errors when the mean <= 0.
    pub fn quintile_shares(&self) -> Result<[f64; 5]> {
        let mut shares = [0.0; 5];
        let mut below = 0.0;
        for (k, share) in shares.iter_mut().enumerate() {
            let upto = self.income_share_below((k + 1) as f64 / 5.0)?;
            *share = upto - below;
            below = upto;
        }
        Ok(shares)
    }

    /// Palma ratio: income share of the richest 10% over that of the poorest 40%.
    /// Errors when the mean <= 0 or the poorest 40% hold no positive share.
    pub fn palma(&self) -> Result<f64> {
        let bottom = self.income_share_below(0.4)?;
        let top = 1.0 - self.income_share_below(0.9)?;
        if bottom <= 0.0 {
            return Err(Error::Undefined(format!(
                "Palma ratio undefined: the poorest 40% hold a share of {bottom} (it must be positive)"
            )));
        }
        Ok(top / bottom)
    }

    /// P90/P10: the 90th over the 10th weighted percentile. Errors when P10 <= 0.
    pub fn p90_p10(&self) -> Result<f64> {
        let p10 = self.quantile(0.1)?;
        if p10 <= 0.0 {
            return Err(Error::Undefined(format!(
                "P90/P10 undefined: P10 is {p10} (it must be positive)"
            )));
        }
        Ok(self.quantile(0.9)? / p10)
    }

    /// Theil T index over persons with a positive income, mean m of those persons:
    /// T = sum w_i (y_i / m) ln(y_i / m) / W+. Errors when no income is positive.
    pub fn theil(&self) -> Result<LogMeasure> {
        self.log_measure("Theil T", |ratio| ratio * ratio.ln())
    }

    /// Mean log deviation over persons with a positive income, mean m of those persons:
    /// MLD = sum w_i ln(m / y_i) / W+. Errors when no income is positive.
    pub fn mean_log_deviation(&self) -> Result<LogMeasure> {
        self.log_measure("mean log deviation", |ratio| -ratio.ln())
    }

    /// sum w_i f(y_i / m) / W+ over positive incomes (a suffix of the sorted persons).
    fn log_measure(&self, what: &str, f: impl Fn(f64) -> f64) -> Result<LogMeasure> {
        let skipped = self.ranked.partition_point(|r| r.value() <= 0.0);
        if skipped == self.len() {
            return Err(Error::Undefined(format!(
                "{what} undefined: no person has a positive income"
            )));
        }
        let positive = skipped..self.len();
        let (mut w, mut s) = (Neumaier::default(), Neumaier::default());
        for pos in positive.clone() {
            w.add(self.weight[pos]);
            s.add(self.weight[pos] * self.ranked[pos].value());
        }
        let mean = s.value() / w.value();
        let mut sum = Neumaier::default();
        for pos in positive {
            sum.add(self.weight[pos] * f(self.ranked[pos].value() / mean));
        }
        Ok(LogMeasure {
            value: sum.value() / w.value(),
            skipped,
        })
    }
}

/// A distribution indexes persons with 32 bits.
fn check_size(persons: usize) -> Result<()> {
    if u32::try_from(persons).is_err() {
        return Err(Error::Undefined(format!(
            "{persons} persons: a distribution holds at most {}",
            u32::MAX
        )));
    }
    Ok(())
}

/// Redistributive effect RE = G(M) - G(D) (Gini points on the 0..1 scale) from the market and
/// disposable income distributions of the same persons. Errors when either mean <= 0.
pub fn redistributive_effect(market: &Distribution, disposable: &Distribution) -> Result<f64> {
    Ok(market.gini()? - disposable.gini()?)
}

/// Reynolds-Smolensky index G(M) - C(D ranked by M): `disposable` holds one value per person in
/// the original order of `market`'s values. Errors when a mean <= 0 or lengths differ.
pub fn reynolds_smolensky(market: &Distribution, disposable: &[f64]) -> Result<f64> {
    Ok(market.gini()? - market.concentration(disposable)?)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::rng::{Purpose, StreamKey};
    use proptest::prelude::*;

    /// The spec's definition, O(n^2): sum_i sum_j w_i w_j |y_i - y_j| / (2 W^2 mean).
    pub(crate) fn gini_double_sum(values: &[f64], weights: &[f64]) -> f64 {
        let total_weight: f64 = weights.iter().sum();
        let mean = values.iter().zip(weights).map(|(y, w)| y * w).sum::<f64>() / total_weight;
        let mut pairs = 0.0;
        for (yi, wi) in values.iter().zip(weights) {
            for (yj, wj) in values.iter().zip(weights) {
                pairs += wi * wj * (yi - yj).abs();
            }
        }
        pairs / (2.0 * total_weight * total_weight * mean)
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    fn unweighted(values: &[f64]) -> Distribution {
        Distribution::new(values, &vec![1.0; values.len()]).unwrap()
    }

    /// Conformance "gini-unweighted": 1,2,3,4: sum |yi - yj| over ordered pairs = 20;
    /// 20 / (2 * 16 * 2.5) = 0.25.
    #[test]
    fn conformance_gini_unweighted() {
        let g = unweighted(&[1.0, 2.0, 3.0, 4.0]).gini().unwrap();
        assert!(close(g, 0.25, 1e-12), "got {g}");
    }

    /// Conformance "gini-weighted": 1 (w 3), 2 (w 1): W = 4, mean 1.25;
    /// sum wi wj |yi - yj| = 2 * 3 * 1 * 1 = 6; 6 / (2 * 16 * 1.25) = 0.15.
    #[test]
    fn conformance_gini_weighted() {
        let g = Distribution::new(&[1.0, 2.0], &[3.0, 1.0])
            .unwrap()
            .gini()
            .unwrap();
        assert!(close(g, 0.15, 1e-12), "got {g}");
    }

    #[test]
    fn gini_of_non_positive_mean_is_an_error_not_nan() {
        for values in [[0.0, 0.0], [-3.0, 1.0]] {
            let e = unweighted(&values).gini().unwrap_err();
            assert!(e.to_string().contains("mean income"), "{e}");
        }
        // Equal incomes: no inequality.
        assert_eq!(unweighted(&[5.0, 5.0, 5.0]).gini().unwrap(), 0.0);
    }

    /// Lognormal with sigma: G = 2 Phi(sigma / sqrt 2) - 1 = erf(sigma / 2); erf(0.4) =
    /// 0.428392355. Pareto with alpha (scale 1): G = 1 / (2 alpha - 1) = 0.2 for alpha = 3.
    /// Weights uniform on 0.5..1.5, independent of income, leave the population Gini unchanged.
    /// With n = 200 000 the sampling standard error of both Ginis is about 0.001 (Pareto with
    /// alpha = 3 has heavier tails, so a little more); the tolerance 0.005 is about 5 of them.
    #[test]
    fn gini_matches_closed_forms_on_large_samples() {
        let n = 200_000;
        let stream = |purpose_entity: u64| {
            StreamKey {
                seed: 2024,
                replication: 0,
                entity: purpose_entity,
                year: 0,
                purpose: Purpose::SynthPerson,
            }
            .stream()
        };
        let mut weights_stream = stream(0);
        let weights: Vec<f64> = (0..n).map(|_| 0.5 + weights_stream.uniform()).collect();

        let sigma = 0.8;
        let mut s = stream(1);
        let lognormal: Vec<f64> = (0..n)
            .map(|_| (sigma * s.standard_normal()).exp())
            .collect();
        let g = Distribution::new(&lognormal, &weights)
            .unwrap()
            .gini()
            .unwrap();
        assert!((g - 0.428_392_355).abs() < 0.005, "lognormal Gini {g}");

        let alpha = 3.0;
        let mut s = stream(2);
        let pareto: Vec<f64> = (0..n)
            .map(|_| (1.0 - s.uniform()).powf(-1.0 / alpha))
            .collect();
        let g = Distribution::new(&pareto, &weights)
            .unwrap()
            .gini()
            .unwrap();
        assert!(
            (g - 1.0 / (2.0 * alpha - 1.0)).abs() < 0.005,
            "Pareto Gini {g}"
        );
    }

    /// Small weighted samples with ties and zeros: incomes from a few integers (many ties, zeros)
    /// or continuous, weights 1 or continuous.
    fn weighted_sample() -> impl Strategy<Value = Vec<(f64, f64)>> {
        prop::collection::vec(
            (
                prop_oneof![(0u32..5).prop_map(f64::from), 0.0..1000.0f64],
                prop_oneof![Just(1.0), 0.01..100.0f64],
            ),
            1..40,
        )
    }

    fn split(sample: &[(f64, f64)]) -> (Vec<f64>, Vec<f64>) {
        sample.iter().copied().unzip()
    }

    proptest! {
        #[test]
        fn sorted_gini_equals_double_sum(sample in weighted_sample()) {
            let (values, weights) = split(&sample);
            prop_assume!(values.iter().any(|&v| v > 0.0));
            let d = Distribution::new(&values, &weights).unwrap();
            let g = d.gini().unwrap();
            let reference = gini_double_sum(&values, &weights);
            prop_assert!((g - reference).abs() <= 1e-9 * reference.max(1e-300) || (g - reference).abs() < 1e-15,
                "sorted {} vs double sum {}", g, reference);
            prop_assert!((0.0..1.0).contains(&g), "Gini {} outside [0, 1)", g);
            // A concentration coefficient of an income ranked by itself is its Gini.
            let c = d.concentration(&values).unwrap();
            prop_assert!((c - g).abs() < 1e-12, "C {} vs G {}", c, g);
        }

        /// Multiplying incomes by c > 0 (or weights by c > 0) leaves the Gini, shares and
        /// Palma unchanged. Powers of two scale exactly, so poverty rates must match exactly.
        #[test]
        fn indicators_are_scale_invariant(sample in weighted_sample(), c in 0.01..1000.0f64, k in -20i32..20) {
            let (values, weights) = split(&sample);
            prop_assume!(values.iter().any(|&v| v > 0.0));
            let base = Distribution::new(&values, &weights).unwrap();
            let scaled_values: Vec<f64> = values.iter().map(|v| v * c).collect();
            let scaled_weights: Vec<f64> = weights.iter().map(|w| w * c).collect();
            for d in [
                Distribution::new(&scaled_values, &weights).unwrap(),
                Distribution::new(&values, &scaled_weights).unwrap(),
            ] {
                prop_assert!(close(d.gini().unwrap(), base.gini().unwrap(), 1e-9));
                for (a, b) in d.quintile_shares().unwrap().iter().zip(base.quintile_shares().unwrap()) {
                    prop_assert!(close(*a, b, 1e-9), "share {} vs {}", a, b);
                }
                if let (Ok(a), Ok(b)) = (d.palma(), base.palma()) {
                    prop_assert!(close(a, b, 1e-9), "Palma {} vs {}", a, b);
                }
            }
            let two_k = 2f64.powi(k);
            let exact: Vec<f64> = values.iter().map(|v| v * two_k).collect();
            let d = Distribution::new(&exact, &weights).unwrap();
            for share in [0.4, 0.5, 0.6] {
                let a = d.headcount_rate(share * d.median()).unwrap();
                let b = base.headcount_rate(share * base.median()).unwrap();
                prop_assert_eq!(a, b);
            }
        }
    }

    proptest! {
        /// The packed sort key orders values as `f64::total_cmp` (then by position) and gives
        /// back the value and position bit for bit.
        #[test]
        fn packed_key_keeps_order_and_round_trips(
            a in prop_oneof![Just(0.0), Just(-0.0), -1e300..1e300f64, -1.0..1.0f64],
            b in prop_oneof![Just(0.0), Just(-0.0), -1e300..1e300f64, -1.0..1.0f64],
            i in any::<u32>(),
            j in any::<u32>(),
        ) {
            let new = |v: f64, i: u32| Ranked::from_key(Ranked::order_key(v), i);
            let (ra, rb) = (new(a, i), new(b, j));
            prop_assert_eq!(ra.cmp(&rb), a.total_cmp(&b).then(i.cmp(&j)));
            prop_assert_eq!(ra.value().to_bits(), a.to_bits());
            prop_assert_eq!(ra.index(), i as usize);
        }
    }

    proptest! {
        /// Sorting households gives the persons' order, weights and sums bit for bit, ties
        /// between households and a household whose members differ in value or weight (which
        /// falls back to sorting persons) included.
        #[test]
        fn sorting_households_equals_sorting_persons(
            households in proptest::collection::vec(
                (prop_oneof![Just(0.0), Just(-0.0), 0.0..4.0f64, (0u8..3).prop_map(f64::from)],
                 1usize..5, 0.1..3.0f64), 1..60),
            split in any::<bool>(),
            split_value in any::<bool>(),
        ) {
            let (mut values, mut weights, mut start) = (Vec::new(), Vec::new(), vec![0u32]);
            for (k, &(value, size, weight)) in households.iter().enumerate() {
                for m in 0..size {
                    let differs = split && k == households.len() / 2 && m == 1;
                    values.push(if differs && split_value { value + 1.0 } else { value });
                    weights.push(if differs && !split_value { weight * 1.5 } else { weight });
                }
                start.push(values.len() as u32);
            }
            let persons = Distribution::new(&values, &weights).unwrap();
            let mut by_household = Distribution::default();
            by_household.rebuild_by_household(&values, &weights, &start).unwrap();
            prop_assert_eq!(&persons.ranked, &by_household.ranked);
            prop_assert_eq!(&persons.weight, &by_household.weight);
            prop_assert_eq!(&persons.cum_income, &by_household.cum_income);
            prop_assert_eq!(persons.gini_numerator.to_bits(), by_household.gini_numerator.to_bits());
        }
    }

    /// 1,2,3,4 unweighted: cumulative weights 1,2,3,4. Median: 2 lands exactly on 4 * 0.5 ->
    /// midpoint of 2 and 3 = 2.5. P10: 0.4 first reached at 1. P90: 3.6 first reached at 4.
    /// 10 (w 2), 20, 30: median target 2 lands on the 10 -> (10 + 20) / 2 = 15; share 0.6
    /// (target 2.4) -> 20; share 0.75 (target 3) lands on 20 -> 25.
    #[test]
    fn quantile_takes_midpoint_when_landing_exactly_on_the_share() {
        let d = unweighted(&[4.0, 2.0, 3.0, 1.0]);
        assert_eq!(d.median(), 2.5);
        assert_eq!(d.quantile(0.1).unwrap(), 1.0);
        assert_eq!(d.quantile(0.9).unwrap(), 4.0);
        assert_eq!(d.quantile(0.0).unwrap(), 1.0);
        assert_eq!(d.quantile(1.0).unwrap(), 4.0);
        let d = Distribution::new(&[20.0, 10.0, 30.0], &[1.0, 2.0, 1.0]).unwrap();
        assert_eq!(d.median(), 15.0);
        assert_eq!(d.quantile(0.6).unwrap(), 20.0);
        assert_eq!(d.quantile(0.75).unwrap(), 25.0);
        // Weights 0.1 x 10 do not sum exactly; the tie is still recognised: (5 + 6) / 2.
        let values: Vec<f64> = (1..=10).map(f64::from).collect();
        let d = Distribution::new(&values, &[0.1; 10]).unwrap();
        assert_eq!(d.median(), 5.5);
        assert!(d.quantile(1.5).is_err());
        assert!(d.quantile(f64::NAN).is_err());
    }

    /// 1 and 3, unweighted: W = 2, S = 4. L(0.25) splits the first person: 0.5 * 1 / 4 = 0.125;
    /// L(0.75) = (1 + 0.5 * 3) / 4 = 0.625.
    #[test]
    fn lorenz_interpolates_within_a_person() {
        let d = unweighted(&[3.0, 1.0]);
        assert_eq!(d.income_share_below(0.25).unwrap(), 0.125);
        assert_eq!(d.income_share_below(0.75).unwrap(), 0.625);
        let curve = d.lorenz().unwrap();
        assert_eq!(curve.len(), 101);
        assert_eq!(
            curve[0],
            LorenzPoint {
                population_share: 0.0,
                income_share: 0.0
            }
        );
        assert_eq!(curve[100].income_share, 1.0);
        assert_eq!(curve[50].income_share, 0.25);
        assert!(
            curve
                .windows(2)
                .all(|w| w[0].income_share <= w[1].income_share)
        );
    }

    /// 1..=10 unweighted, total 55: quintiles (1+2), (3+4), (5+6), (7+8), (9+10) over 55;
    /// Palma = top 10% (10) / bottom 40% (1+2+3+4 = 10) = 1. P10: 0.1 * 10 = 1 lands exactly on
    /// the first person, so the midpoint of 1 and 2 = 1.5; P90: 9 lands on the 9th, (9 + 10) / 2
    /// = 9.5; P90/P10 = 9.5 / 1.5.
    #[test]
    fn quintile_shares_palma_and_p90_p10_by_hand() {
        let values: Vec<f64> = (1..=10).map(f64::from).collect();
        let d = unweighted(&values);
        let expected = [3.0, 7.0, 11.0, 15.0, 19.0].map(|x| x / 55.0);
        for (a, b) in d.quintile_shares().unwrap().iter().zip(expected) {
            assert!(close(*a, b, 1e-12), "{a} vs {b}");
        }
        assert!(close(d.palma().unwrap(), 1.0, 1e-12));
        assert!(close(d.p90_p10().unwrap(), 9.5 / 1.5, 1e-12));
        // 1, 2, 3, 4 with weights 1, 1, 1, 2: W = 5, S = 14. Bottom 40% = weight 2 = 1 + 2 = 3;
        // top 10% = weight 0.5 of the 4 = 2. Palma = (2 / 14) / (3 / 14) = 2 / 3.
        let d = Distribution::new(&[1.0, 2.0, 3.0, 4.0], &[1.0, 1.0, 1.0, 2.0]).unwrap();
        assert!(close(d.palma().unwrap(), 2.0 / 3.0, 1e-12));
        // Zero bottom share or P10: errors, not infinities.
        let d = unweighted(&[0.0, 0.0, 0.0, 0.0, 10.0]);
        assert!(d.palma().is_err());
        assert!(d.p90_p10().is_err());
    }

    /// 1 and 3 unweighted, m = 2: T = (1/2)[(1/2) ln(1/2) + (3/2) ln(3/2)]
    /// = -0.25 ln 2 + 0.75 ln 1.5 = 0.130812; MLD = (1/2)[ln 2 + ln(2/3)] = 0.5 ln(4/3) = 0.143841.
    /// Adding incomes 0 and -5 skips two persons and leaves both unchanged.
    /// 1 (w 3) and 2 (w 1), m = 1.25: T = [3 (0.8 ln 0.8) + 1.6 ln 1.6] / 4;
    /// MLD = [3 ln 1.25 + ln 0.625] / 4.
    #[test]
    fn theil_and_mld_by_hand_skip_non_positive() {
        let d = unweighted(&[3.0, 0.0, 1.0, -5.0]);
        let t = d.theil().unwrap();
        let mld = d.mean_log_deviation().unwrap();
        assert!(close(
            t.value,
            -0.25 * 2f64.ln() + 0.75 * 1.5f64.ln(),
            1e-12
        ));
        assert!(close(t.value, 0.130_812, 1e-5));
        assert!(close(mld.value, 0.5 * (4.0f64 / 3.0).ln(), 1e-12));
        assert!(close(mld.value, 0.143_841, 1e-5));
        assert_eq!((t.skipped, mld.skipped), (2, 2));

        let d = Distribution::new(&[1.0, 2.0], &[3.0, 1.0]).unwrap();
        let t = d.theil().unwrap().value;
        let mld = d.mean_log_deviation().unwrap().value;
        assert!(close(
            t,
            (3.0 * 0.8 * 0.8f64.ln() + 1.6 * 1.6f64.ln()) / 4.0,
            1e-12
        ));
        assert!(close(
            mld,
            (3.0 * 1.25f64.ln() + 0.625f64.ln()) / 4.0,
            1e-12
        ));
        assert!(unweighted(&[0.0, -1.0]).theil().is_err());
    }

    /// Ranking M = 1, 2, 3 (unweighted), D = 3, 1, 2 per person. In M order D is 3, 1, 2 at
    /// midpoint ranks 0.5, 1.5, 2.5: sum = 1.5 + 1.5 + 5 = 8; C = 2 * 8 / (3 * 6) - 1 = -1/9.
    /// G(M) = 8 / (2 * 9 * 2) = 2/9, so Reynolds-Smolensky = 2/9 + 1/9 = 1/3.
    /// Ties in the ranking share a rank: M = 1, 1 with D = 0, 2 or 2, 0 both give C = 0.
    #[test]
    fn concentration_coefficient_by_hand() {
        let m = unweighted(&[1.0, 2.0, 3.0]);
        assert!(close(
            m.concentration(&[3.0, 1.0, 2.0]).unwrap(),
            -1.0 / 9.0,
            1e-12
        ));
        assert!(close(m.gini().unwrap(), 2.0 / 9.0, 1e-12));
        let tied = unweighted(&[1.0, 1.0]);
        assert_eq!(tied.concentration(&[0.0, 2.0]).unwrap(), 0.0);
        assert_eq!(tied.concentration(&[2.0, 0.0]).unwrap(), 0.0);
        assert!(m.concentration(&[1.0]).is_err());
        assert!(m.concentration(&[-1.0, 0.0, 0.0]).is_err());
    }

    /// A subset taken from the sorted parent equals the distribution built from scratch.
    #[test]
    fn subset_matches_a_fresh_build() {
        let values = [5.0, 1.0, 7.0, 3.0, 3.0, 9.0];
        let weights = [1.0, 2.0, 1.0, 3.0, 1.0, 2.0];
        let parent = Distribution::new(&values, &weights).unwrap();
        let mut sub = Distribution::default();
        assert!(parent.subset_into(|i| i % 2 == 1, &mut sub));
        let fresh = Distribution::new(&[1.0, 3.0, 9.0], &[2.0, 3.0, 2.0]).unwrap();
        assert_eq!(sub.gini().unwrap(), fresh.gini().unwrap());
        assert_eq!(sub.median(), fresh.median());
        assert_eq!(sub.mean(), fresh.mean());
        assert_eq!(sub.total_weight(), 7.0);
        assert!(!parent.subset_into(|_| false, &mut sub));
    }

    #[test]
    fn rebuild_reuses_buffers_and_matches_new() {
        let mut d = unweighted(&[5.0, 1.0, 7.0]);
        d.rebuild(&[1.0, 2.0], &[3.0, 1.0]).unwrap();
        assert_eq!(d.len(), 2);
        assert!(close(d.gini().unwrap(), 0.15, 1e-12));
        assert!(d.rebuild(&[1.0], &[-1.0]).is_err());
    }
}
