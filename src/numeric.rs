//! Exact, order-independent sums for money totals.
//!
//! Floating-point addition is not associative, so a total summed chunk by chunk would change in its
//! last bits with the chunk size or thread count. [`ExactSum`] converts each term to fixed point
//! (2^-24 yuan, about 6e-8) and adds integers, which is associative: totals are bit-identical
//! however the work is split. The only rounding is per term (truncation), the same in every split.

/// Fixed-point scale: units per yuan.
const SCALE: f64 = (1u64 << 24) as f64;

/// An exact accumulator of f64 terms (yuan, persons, weights). Terms must be finite and below
/// about 1e20 in magnitude; a sum of 1.4 billion persons times a million yuan is far inside.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExactSum(i128);

impl ExactSum {
    /// Adds one term, truncated toward zero to a multiple of 2^-24 (the same in every split, which
    /// is all determinism needs; the error is below 6e-8 yuan a term).
    #[inline]
    pub fn add(&mut self, x: f64) {
        debug_assert!(x.is_finite(), "non-finite term {x}");
        // Most terms of a year are zero (a program that pays a person nothing); adding one changes
        // nothing, so it costs only this test.
        if x == 0.0 {
            return;
        }
        let y = x * SCALE;
        // Terms below 2^63 units (5e11 yuan) convert with one hardware instruction; larger ones
        // take the slower 128-bit conversion.
        self.0 += if y.abs() < 9.0e18 {
            i128::from(y as i64)
        } else {
            y as i128
        };
    }
    /// Adds another accumulator.
    #[inline]
    pub fn merge(&mut self, other: ExactSum) {
        self.0 += other.0;
    }
    /// The total as f64.
    pub fn value(&self) -> f64 {
        self.0 as f64 / SCALE
    }
}

impl std::ops::AddAssign<f64> for ExactSum {
    fn add_assign(&mut self, x: f64) {
        self.add(x);
    }
}

impl std::ops::AddAssign for ExactSum {
    fn add_assign(&mut self, other: ExactSum) {
        self.merge(other);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sum_is_independent_of_grouping() {
        let xs: Vec<f64> = (0..10_000)
            .map(|i| ((i * 7919) % 1000) as f64 * 1.37e3 + 0.1 * i as f64)
            .collect();
        let mut whole = ExactSum::default();
        xs.iter().for_each(|&x| whole += x);
        for chunk in [1, 3, 64, 1000] {
            let mut total = ExactSum::default();
            for c in xs.chunks(chunk).rev() {
                let mut part = ExactSum::default();
                c.iter().for_each(|&x| part += x);
                total += part;
            }
            assert_eq!(total, whole);
        }
        // Terms beyond the fast path (above 5e11 yuan) convert exactly too.
        let mut big = ExactSum::default();
        big += 2.0e13;
        big += -2.0e13;
        big += 0.5;
        big += -1.25;
        assert_eq!(big.value(), -0.75);
        let naive: f64 = xs.iter().sum();
        assert!((whole.value() - naive).abs() < 1e-6 * naive.abs());
    }
}
