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
pub(crate) mod tests;
