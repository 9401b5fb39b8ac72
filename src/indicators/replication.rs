//! Summaries across replications (spec indicators.md, "Replications"): the mean of an indicator
//! over R replications and a 95% interval from Student's t with R - 1 degrees of freedom.

use super::check_finite;
use crate::{Error, Result};

/// Mean of an indicator across replications and its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Interval {
    /// Mean across replications.
    pub mean: f64,
    /// Lower bound of the 95% interval.
    pub ci_low: f64,
    /// Upper bound of the 95% interval.
    pub ci_high: f64,
}

/// Mean and 95% interval of one indicator's values across R replications:
/// mean +- t(0.975, R - 1) s / sqrt(R), s the sample standard deviation (divisor R - 1).
/// With R = 1 there is no spread to estimate: the value is both bounds. Errors when there is no
/// value or a value is not finite.
pub fn replication_interval(values: &[f64]) -> Result<Interval> {
    if values.is_empty() {
        return Err(Error::Undefined(
            "replication interval: no replication values".into(),
        ));
    }
    check_finite(values, "replication value")?;
    let r = values.len() as f64;
    let mean = values.iter().sum::<f64>() / r;
    if values.len() == 1 {
        return Ok(Interval {
            mean,
            ci_low: mean,
            ci_high: mean,
        });
    }
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (r - 1.0);
    let half_width = student_t_quantile(0.975, r - 1.0) * (variance / r).sqrt();
    Ok(Interval {
        mean,
        ci_low: mean - half_width,
        ci_high: mean + half_width,
    })
}

/// Quantile of Student's t distribution with `degrees_of_freedom` (> 0) at `probability`
/// (0 < p < 1), by bisection on the distribution function (regularised incomplete beta);
/// accurate to about 1e-12 relative. Returns 0 at p = 1/2 and outside the domain (p not strictly
/// between 0 and 1, or df not positive).
pub fn student_t_quantile(probability: f64, degrees_of_freedom: f64) -> f64 {
    if probability < 0.5 {
        return -student_t_quantile(1.0 - probability, degrees_of_freedom);
    }
    if !(probability > 0.5 && probability < 1.0 && degrees_of_freedom > 0.0) {
        return 0.0;
    }
    let mut high = 1.0;
    while student_t_cdf(high, degrees_of_freedom) < probability && high < 1e300 {
        high *= 2.0;
    }
    let mut low = 0.0;
    for _ in 0..2000 {
        let mid = 0.5 * (low + high);
        if student_t_cdf(mid, degrees_of_freedom) < probability {
            low = mid;
        } else {
            high = mid;
        }
        if high - low <= 1e-14 * high {
            break;
        }
    }
    0.5 * (low + high)
}

/// Distribution function of Student's t at t >= 0: 1 - I_x(df / 2, 1 / 2) / 2, x = df / (df + t^2).
fn student_t_cdf(t: f64, df: f64) -> f64 {
    1.0 - 0.5 * crate::special::regularised_incomplete_beta(0.5 * df, 0.5, df / (df + t * t))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Closed forms: df = 1 (Cauchy) t = tan(pi (p - 1/2)); df = 2 t = (2p - 1) / sqrt(2 p (1 - p)).
    /// Tables (Abramowitz and Stegun 26.10): t(0.975; 4) = 2.776445, t(0.975; 9) = 2.262157,
    /// t(0.975; 29) = 2.045230; the normal limit 1.959964.
    #[test]
    fn student_t_quantiles_match_closed_forms_and_tables() {
        for p in [0.6, 0.9, 0.975, 0.995] {
            let cauchy = (std::f64::consts::PI * (p - 0.5)).tan();
            assert!(
                (student_t_quantile(p, 1.0) / cauchy - 1.0).abs() < 1e-10,
                "df 1, p {p}"
            );
            let two = (2.0 * p - 1.0) / (2.0 * p * (1.0 - p)).sqrt();
            assert!(
                (student_t_quantile(p, 2.0) / two - 1.0).abs() < 1e-10,
                "df 2, p {p}"
            );
        }
        for (df, t) in [
            (4.0, 2.776_445),
            (9.0, 2.262_157),
            (29.0, 2.045_230),
            (1e7, 1.959_964),
        ] {
            assert!((student_t_quantile(0.975, df) - t).abs() < 2e-6, "df {df}");
        }
        assert!((student_t_quantile(0.025, 4.0) + 2.776_445).abs() < 2e-6);
    }

    /// Values 1, 2, 3: mean 2, s^2 = (1 + 0 + 1) / 2 = 1, half-width t(0.975; 2) / sqrt 3 =
    /// 4.302653 / 1.732051 = 2.484138.
    #[test]
    fn interval_by_hand_and_single_replication() {
        let i = replication_interval(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!(i.mean, 2.0);
        assert!((i.ci_high - 2.0 - 2.484_138).abs() < 1e-6, "{i:?}");
        assert!((2.0 - i.ci_low - 2.484_138).abs() < 1e-6, "{i:?}");
        let one = replication_interval(&[0.42]).unwrap();
        assert_eq!((one.mean, one.ci_low, one.ci_high), (0.42, 0.42, 0.42));
        assert!(replication_interval(&[]).is_err());
        assert!(replication_interval(&[1.0, f64::NAN]).is_err());
    }
}
