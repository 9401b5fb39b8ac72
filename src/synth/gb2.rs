//! The GB2 income distribution (generalised beta of the second kind, McDonald 1984): the target
//! shape the generator aligns household per-capita income to (income.rs).
//!
//! Y = b * (X / (1 - X))^(1/a) with X ~ Beta(p, q). `a` sets how tight the middle is, `p` the lower
//! tail (density ~ y^(a p - 1) near zero) and `q` the upper tail (Pareto index a q). Lognormal,
//! Singh-Maddala, Dagum and Fisk are limits or special cases. The quantile function needs the
//! inverse of the regularised incomplete beta function, computed here in log-odds
//! t = ln(X / (1 - X)), where Y = b exp(t / a) and the density of t is log-concave.

/// A GB2 distribution; money parameters in yuan/year.
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

/// ln Γ(x) for x > 0: Lanczos approximation (g = 7, nine terms), relative error about 1e-15,
/// with the reflection-free shift Γ(x) = Γ(x + 1) / x below 0.5.
fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        return ln_gamma(x + 1.0) - x.ln();
    }
    let x = x - 1.0;
    let mut sum = C[0];
    for (i, &c) in C.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// ln B(p, q).
fn ln_beta(p: f64, q: f64) -> f64 {
    ln_gamma(p) + ln_gamma(q) - ln_gamma(p + q)
}

/// ln(1 + e^t) without overflow.
fn softplus(t: f64) -> f64 {
    if t > 0.0 {
        t + (-t).exp().ln_1p()
    } else {
        t.exp().ln_1p()
    }
}

/// Continued fraction of the incomplete beta function (modified Lentz), for x below the mean.
fn beta_continued_fraction(x: f64, p: f64, q: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (pq, pp, pm) = (p + q, p + 1.0, p - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - pq * x / pp;
    d = 1.0 / if d.abs() < TINY { TINY } else { d };
    let mut h = d;
    for m in 1..500 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        for aa in [
            m * (q - m) * x / ((pm + m2) * (p + m2)),
            -(p + m) * (pq + m) * x / ((p + m2) * (pp + m2)),
        ] {
            d = 1.0 + aa * d;
            d = 1.0 / if d.abs() < TINY { TINY } else { d };
            c = 1.0 + aa / c;
            if c.abs() < TINY {
                c = TINY;
            }
            h *= d * c;
        }
        if (d * c - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// ln I_x(p, q), the regularised incomplete beta function at x = 1 / (1 + e^-t), and
/// ln of its derivative in t, x^p (1 - x)^q / B(p, q).
fn ln_beta_cdf_log_odds(t: f64, p: f64, q: f64) -> (f64, f64) {
    let (ln_x, ln_1mx) = (-softplus(-t), -softplus(t));
    let ln_density = p * ln_x + q * ln_1mx - ln_beta(p, q);
    let x = ln_x.exp();
    let ln_cdf = if x < (p + 1.0) / (p + q + 2.0) {
        ln_density + (beta_continued_fraction(x, p, q) / p).ln()
    } else {
        let upper = (ln_density + (beta_continued_fraction(ln_1mx.exp(), q, p) / q).ln()).exp();
        (-upper).ln_1p()
    };
    (ln_cdf, ln_density)
}

/// The u-quantile of ln(X / (1 - X)) for X ~ Beta(p, q), 0 < u < 1. Upper half by symmetry
/// (1 - X ~ Beta(q, p)); lower half by Newton's method on ln I(t) - ln u, which is concave in t
/// (the density of t is log-concave), so the iterates close in from below without overshooting.
fn beta_log_odds_quantile(u: f64, p: f64, q: f64) -> f64 {
    if u > 0.5 {
        return -beta_log_odds_quantile(1.0 - u, q, p);
    }
    let ln_u = u.ln();
    // Start from the small-u approximation I ~ x^p / (p B(p, q)), capped at the middle.
    let ln_x = ((ln_u + p.ln() + ln_beta(p, q)) / p).min(-std::f64::consts::LN_2);
    let mut t = ln_x - (-ln_x.exp()).ln_1p();
    for _ in 0..200 {
        let (ln_cdf, ln_density) = ln_beta_cdf_log_odds(t, p, q);
        // d ln I / dt = density / I.
        let step = (ln_cdf - ln_u) / (ln_density - ln_cdf).exp();
        t -= step;
        if step.abs() <= 1e-13 * t.abs().max(1.0) {
            break;
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs() + 1e-15
    }

    /// Γ(n) = (n - 1)!, Γ(1/2) = sqrt(pi), Γ(x + 1) = x Γ(x) at a small x.
    #[test]
    fn ln_gamma_against_factorials_and_half() {
        let mut factorial = 1.0f64;
        for n in 1..30 {
            assert!(
                close(ln_gamma(f64::from(n)), factorial.ln(), 1e-13),
                "n = {n}"
            );
            factorial *= f64::from(n);
        }
        assert!(close(
            ln_gamma(0.5),
            std::f64::consts::PI.sqrt().ln(),
            1e-13
        ));
        assert!(close(
            ln_gamma(0.013),
            ln_gamma(1.013) - 0.013_f64.ln(),
            1e-13
        ));
    }

    /// Closed forms: I_x(1, 1) = x, I_x(p, 1) = x^p, I_x(1, q) = 1 - (1 - x)^q.
    #[test]
    fn incomplete_beta_against_closed_forms() {
        for &x in &[1e-12_f64, 0.01, 0.3, 0.5, 0.77, 0.999] {
            let t = (x / (1.0 - x)).ln();
            let cdf = |p, q| ln_beta_cdf_log_odds(t, p, q).0.exp();
            assert!(close(cdf(1.0, 1.0), x, 1e-11), "x = {x}");
            for &p in &[0.06, 0.5, 3.7] {
                assert!(close(cdf(p, 1.0), x.powf(p), 1e-11), "x = {x}, p = {p}");
                let q = p;
                // 1 - (1 - x)^q without cancellation.
                let reference = -(q * (-x).ln_1p()).exp_m1();
                assert!(close(cdf(1.0, q), reference, 1e-10), "x = {x}, q = {q}");
            }
        }
    }

    /// Beta(p, 1) quantile is u^(1/p), Beta(1, q) is 1 - (1 - u)^(1/q): in log-odds, across both
    /// halves and far into the tails.
    #[test]
    fn quantile_inverts_closed_forms() {
        let logit = |x: f64| (x / (1.0 - x)).ln();
        // Log-odds near 0 at the median: an absolute floor of 1e-9.
        let near = |t: f64, r: f64| (t - r).abs() <= 1e-9 * r.abs().max(1.0);
        for &u in &[1e-9, 1e-4, 0.05, 0.37, 0.5, 0.63, 0.95, 1.0 - 1e-7] {
            for &s in &[0.06, 0.3, 1.0, 4.0] {
                let t = beta_log_odds_quantile(u, s, 1.0);
                assert!(near(t, logit(u.powf(1.0 / s))), "u {u}, p {s}: {t}");
                let t = beta_log_odds_quantile(u, 1.0, s);
                let x = -((-u).ln_1p() / s).exp_m1();
                assert!(near(t, logit(x)), "u {u}, q {s}: {t}");
            }
        }
    }

    /// A second implementation: values of scipy 1.14.1 `scipy.special.betainc` and
    /// `betaincinv` (Cephes) for the shapes the shipped specs use.
    #[test]
    fn incomplete_beta_against_scipy() {
        let logit = |x: f64| (x / (1.0 - x)).ln();
        for (p, q, x, reference) in [
            (0.06, 0.96, 0.3, 0.927_381_783_683_656_1),
            (3.6, 0.3, 0.9, 0.249_471_351_700_719_7),
            (8.0, 0.1, 0.5, 1.072_977_618_263_663_4e-4),
        ] {
            let cdf = ln_beta_cdf_log_odds(logit(x), p, q).0.exp();
            assert!(close(cdf, reference, 1e-10), "p {p} q {q} x {x}: {cdf}");
        }
        for (p, q, u, reference) in [
            (0.04, 0.38, 0.1, 7.527_746_138_051_359e-25),
            (0.1, 0.884, 0.999, 0.995_152_729_756_063_5),
        ] {
            let t = beta_log_odds_quantile(u, p, q);
            let x = 1.0 / (1.0 + (-t).exp());
            assert!(close(x, reference, 1e-9), "p {p} q {q} u {u}: {x}");
        }
    }

    /// Round trip for general shapes: I(quantile(u)) = u.
    #[test]
    fn quantile_round_trips() {
        for &(p, q) in &[(0.06, 0.96), (0.3, 1.7), (2.5, 0.4), (7.0, 9.0)] {
            for &u in &[1e-6, 0.01, 0.2, 0.5, 0.8, 0.99, 0.999_999] {
                let t = beta_log_odds_quantile(u, p, q);
                let back = ln_beta_cdf_log_odds(t, p, q).0.exp();
                assert!(close(back, u, 1e-10), "p {p} q {q} u {u}: {back}");
            }
        }
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
