//! Special functions for the distributions gongfu uses: ln Γ, ln B, the regularised incomplete
//! beta function (Student's t intervals of replications, the GB2 income targets of the
//! generator) and its inverse in log-odds.

/// I_x(a, b) by its continued fraction (modified Lentz), using the symmetry
/// I_x(a, b) = 1 - I_{1-x}(b, a) where the fraction converges slowly.
pub fn regularised_incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front =
        (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_continued_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_continued_fraction(b, a, 1.0 - x) / b
    }
}

/// The continued fraction of I_x(a, b) (modified Lentz), for x below (a + 1) / (a + b + 2).
fn beta_continued_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=500 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let even = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + even * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + even / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        h *= d * c;
        let odd = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + odd * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + odd / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}

/// ln Gamma(x) for x > 0 (Lanczos, g = 7, 9 terms; about 1e-15 relative).
pub fn ln_gamma(x: f64) -> f64 {
    const COEFFICIENTS: [f64; 9] = [
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
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let t = x + 7.5;
    let series = COEFFICIENTS[1..]
        .iter()
        .enumerate()
        .fold(COEFFICIENTS[0], |acc, (i, c)| {
            acc + c / (x + (i + 1) as f64)
        });
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + series.ln()
}

/// ln B(p, q).
pub fn ln_beta(p: f64, q: f64) -> f64 {
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

/// ln I_x(p, q), the regularised incomplete beta function at x = 1 / (1 + e^-t), and
/// ln of its derivative in t, x^p (1 - x)^q / B(p, q).
pub fn ln_beta_cdf_log_odds(t: f64, p: f64, q: f64) -> (f64, f64) {
    let (ln_x, ln_1mx) = (-softplus(-t), -softplus(t));
    let ln_density = p * ln_x + q * ln_1mx - ln_beta(p, q);
    let x = ln_x.exp();
    let ln_cdf = if x < (p + 1.0) / (p + q + 2.0) {
        ln_density + (beta_continued_fraction(p, q, x) / p).ln()
    } else {
        let upper = (ln_density + (beta_continued_fraction(q, p, ln_1mx.exp()) / q).ln()).exp();
        (-upper).ln_1p()
    };
    (ln_cdf, ln_density)
}

/// The u-quantile of ln(X / (1 - X)) for X ~ Beta(p, q), 0 < u < 1. Upper half by symmetry
/// (1 - X ~ Beta(q, p)); lower half by Newton's method on ln I(t) - ln u, which is concave in t
/// (the density of t is log-concave), so the iterates close in from below without overshooting.
pub fn beta_log_odds_quantile(u: f64, p: f64, q: f64) -> f64 {
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
            // The direct form agrees with the log-odds form.
            assert!(close(
                regularised_incomplete_beta(0.06, 1.0, x),
                x.powf(0.06),
                1e-11
            ));
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
}
