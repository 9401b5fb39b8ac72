//! Sampling errors of the validation table's drawn and aligned rows: Kish's effective size,
//! linearised standard errors of weighted means with their skewness, and the tolerance of a
//! share drawn at random.

use super::table::Tolerance;

/// Weights of the persons of a group: their sum and sum of squares (for Kish's effective size).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Group {
    pub(super) w: f64,
    w2: f64,
}

impl Group {
    pub(super) fn add(&mut self, w: f64) {
        self.w += w;
        self.w2 += w * w;
    }
    /// Effective sample size (sum w)^2 / sum w^2.
    pub(super) fn effective_size(&self) -> f64 {
        if self.w2 > 0.0 {
            self.w * self.w / self.w2
        } else {
            0.0
        }
    }
}

/// Weighted values of a group, for the standard error of their weighted mean (linearised:
/// sqrt(sum w^2 (x - mean)^2) / sum w) and its skewness.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Moments {
    w: f64,
    wx: f64,
    w2: f64,
    w2x: f64,
    w2x2: f64,
    /// Sums of w^3 x^k, k = 0..=3.
    w3: [f64; 4],
}

impl Moments {
    pub(super) fn add(&mut self, w: f64, x: f64) {
        self.w += w;
        self.wx += w * x;
        self.w2 += w * w;
        self.w2x += w * w * x;
        self.w2x2 += w * w * x * x;
        let w3 = w * w * w;
        for (k, s) in self.w3.iter_mut().enumerate() {
            *s += w3 * x.powi(k as i32);
        }
    }
    /// Skewness of the weighted mean (linearised): sum w^3 (x - m)^3 / (sum w^2 (x - m)^2)^1.5.
    fn mean_skewness(&self) -> f64 {
        let m = self.mean();
        let [s0, s1, s2, s3] = self.w3;
        let third = s3 - 3.0 * m * s2 + 3.0 * m * m * s1 - m * m * m * s0;
        let second = (self.w2x2 - 2.0 * m * self.w2x + m * m * self.w2).max(0.0);
        if second > 0.0 {
            third / second.powf(1.5)
        } else {
            0.0
        }
    }
    /// Relative tolerance of `z` standard errors of the weighted mean, with the Cornish-Fisher
    /// term (z^2 - 1) |skewness| / 6 standard errors for a skewed variable.
    pub(super) fn relative_tolerance(&self, z: f64) -> f64 {
        let se = self.relative_standard_error();
        se * (z + (z * z - 1.0) * self.mean_skewness().abs() / 6.0)
    }
    pub(super) fn mean(&self) -> f64 {
        self.wx / self.w
    }
    /// Standard error of the weighted mean relative to the mean.
    pub(super) fn relative_standard_error(&self) -> f64 {
        let m = self.mean();
        (self.w2x2 - 2.0 * m * self.w2x + m * m * self.w2)
            .max(0.0)
            .sqrt()
            / self.w
            / m
    }
}

/// Tolerance of a share drawn at random with probability `p` in a group: `z` standard errors of
/// a proportion at the group's effective sample size n, plus the Cornish-Fisher term of a
/// binomial's skewness, (z^2 - 1) |1 - 2p| / (6 n) (a rare share's count is skewed: at 10
/// expected cases its 4-sigma upper quantile is about 25, not 22.6). The draws follow the spec's
/// table exactly in expectation; this says how far chance alone takes them.
pub(super) fn drawn_tolerance(p: f64, group: Group, z: f64) -> Tolerance {
    let n = group.effective_size();
    let skew = if n > 0.0 {
        (z * z - 1.0) * (1.0 - 2.0 * p).abs() / (6.0 * n)
    } else {
        0.0
    };
    Tolerance::Absolute(z * standard_error(p, group) + skew + 1e-12)
}

/// Relative standard error of a weighted count of persons drawn independently whose expected
/// total is `target` persons: 1 / sqrt(expected sample persons), at the mean weight of a sample of
/// `persons` standing for `total_weight`; 0 for a target of none.
pub(super) fn relative_count_error(target: f64, total_weight: f64, persons: usize) -> f64 {
    let expected = target / (total_weight / persons as f64);
    if expected > 0.0 {
        1.0 / expected.sqrt()
    } else {
        0.0
    }
}

/// Standard error of a weighted share drawn with the same probability `p` for every member.
pub(super) fn standard_error(p: f64, group: Group) -> f64 {
    (p * (1.0 - p) / group.effective_size()).sqrt()
}
