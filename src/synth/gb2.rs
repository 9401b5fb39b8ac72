//! The GB2 income distribution (generalised beta of the second kind, McDonald 1984): the target
//! shape the generator aligns household per-capita income to (income.rs).
//!
//! Y = b * (X / (1 - X))^(1/a) with X ~ Beta(p, q). `a` sets how tight the middle is, `p` the lower
//! tail (density ~ y^(a p - 1) near zero) and `q` the upper tail (Pareto index a q). Lognormal,
//! Singh-Maddala, Dagum and Fisk are limits or special cases. The quantile function needs the
//! inverse of the regularised incomplete beta function, computed in log-odds t = ln(X / (1 - X))
//! (`crate::special`), where Y = b exp(t / a) and the density of t is log-concave.

/// A GB2 distribution; money parameters in yuan/year.
use crate::special::{beta_log_odds_quantile, ln_beta};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gb2 {
    /// Shape of the middle (> 0).
    pub a: f64,
    /// Scale, yuan/year (> 0).
    pub b: f64,
    /// Lower-tail shape (> 0).
    pub p: f64,
    /// Upper-tail shape (> 0; the mean exists when a q > 1).
    pub q: f64,
}

impl Gb2 {
    /// The u-quantile, 0 < u < 1.
    pub fn quantile(&self, u: f64) -> f64 {
        self.b * (beta_log_odds_quantile(u, self.p, self.q) / self.a).exp()
    }

    /// The mean, b B(p + 1/a, q - 1/a) / B(p, q); infinite when a q <= 1.
    pub fn mean(&self) -> f64 {
        if self.a * self.q <= 1.0 {
            return f64::INFINITY;
        }
        self.b
            * (ln_beta(self.p + 1.0 / self.a, self.q - 1.0 / self.a) - ln_beta(self.p, self.q))
                .exp()
    }

    /// The GB2 with shapes `a` and `p`, the given median and mean: `q` is solved so that
    /// median / mean is met (it rises with q), then `b` sets the median. `Err` carries the highest
    /// median / mean these `a` and `p` can reach when the target is out of range.
    pub fn with_median_and_mean(a: f64, p: f64, median: f64, mean: f64) -> Result<Gb2, f64> {
        let ratio = |q: f64| {
            let unit = Gb2 { a, b: 1.0, p, q };
            unit.quantile(0.5) / unit.mean()
        };
        let target = median / mean;
        // Search ln(q - 1/a): the mean blows up as q falls to 1/a, and the ratio levels off
        // (the generalised-gamma limit) as q grows.
        let q_of = |s: f64| 1.0 / a + s.exp();
        let (mut lo, mut hi) = (-20.0f64, 12.0f64);
        let highest = ratio(q_of(hi));
        if !(ratio(q_of(lo)) < target && target < highest) {
            return Err(highest);
        }
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if ratio(q_of(mid)) < target {
                lo = mid;
            } else {
                hi = mid;
            }
            if hi - lo < 1e-13 {
                break;
            }
        }
        let q = q_of(0.5 * (lo + hi));
        let b = median / Gb2 { a, b: 1.0, p, q }.quantile(0.5);
        Ok(Gb2 { a, b, p, q })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs() + 1e-15
    }

    /// Fisk (log-logistic) special case p = q = 1: Q(u) = b (u / (1 - u))^(1/a); mean
    /// b (pi / a) / sin(pi / a).
    #[test]
    fn fisk_special_case() {
        let d = Gb2 {
            a: 3.0,
            b: 20_000.0,
            p: 1.0,
            q: 1.0,
        };
        for &u in &[0.01, 0.5, 0.9] {
            assert!(close(
                d.quantile(u),
                20_000.0 * (u / (1.0 - u)).powf(1.0 / 3.0),
                1e-10
            ));
        }
        let pi_a = std::f64::consts::PI / 3.0;
        assert!(close(d.mean(), 20_000.0 * pi_a / pi_a.sin(), 1e-12));
    }

    /// The mean of the closed form against a midpoint integral of the quantile function in
    /// log-odds of u (dense in both tails), and the solved GB2 meets its median and mean.
    #[test]
    fn solved_gb2_meets_median_and_mean() {
        let d = Gb2::with_median_and_mean(4.0, 0.4, 17_734.0, 20_133.0).expect("in range");
        assert!(close(d.quantile(0.5), 17_734.0, 1e-10));
        assert!(close(d.mean(), 20_133.0, 1e-9));
        // E[Y] = integral of Q(u) du, u = 1 / (1 + e^-s): du = u (1 - u) ds.
        let n = 200_000;
        let (lo, hi) = (-30.0, 30.0);
        let ds = (hi - lo) / f64::from(n);
        let integral: f64 = (0..n)
            .map(|i| {
                let s = lo + (f64::from(i) + 0.5) * ds;
                let u = 1.0 / (1.0 + (-s).exp());
                d.quantile(u) * u * (1.0 - u) * ds
            })
            .sum();
        assert!(close(integral, 20_133.0, 1e-6), "{integral}");
    }

    /// A median / mean no GB2 with these a and p reaches is an error carrying the highest one.
    #[test]
    fn unreachable_ratio_is_an_error() {
        let highest = Gb2::with_median_and_mean(12.0, 0.06, 45_000.0, 45_500.0).unwrap_err();
        assert!(highest > 0.85 && highest < 45_000.0 / 45_500.0, "{highest}");
    }
}
