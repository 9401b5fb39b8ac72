//! The one-line summary of a weighted income distribution: what `gongfu stats` prints and a
//! quick check of any income concept (spec indicators.md, "Inequality" and "Poverty").

use super::distribution::Distribution;
use crate::Result;

/// Summary indicators of one income distribution (yuan per year where money).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Summary {
    /// Number of persons (rows).
    pub n: usize,
    /// Persons represented (sum of weights).
    pub total_weight: f64,
    /// Weighted mean income.
    pub mean: f64,
    /// Weighted median income.
    pub median: f64,
    /// Exact weighted Gini.
    pub gini: f64,
    /// Theil T over positive incomes.
    pub theil: f64,
    /// Mean log deviation over positive incomes.
    pub mld: f64,
    /// Palma ratio; `None` when the poorest 40% hold no positive share.
    pub palma: Option<f64>,
    /// P90/P10; `None` when P10 is not positive.
    pub p90_p10: Option<f64>,
    /// Income shares of the weighted quintiles, poorest first.
    pub quintile_shares: [f64; 5],
    /// Headcount rate strictly below 40% of the median.
    pub poverty_rate_40: f64,
    /// Headcount rate strictly below 50% of the median.
    pub poverty_rate_50: f64,
    /// Headcount rate strictly below 60% of the median.
    pub poverty_rate_60: f64,
    /// Persons left out of Theil T and the mean log deviation (income zero or negative).
    pub log_measures_skipped: usize,
}

/// Computes the [`Summary`] of a distribution. Errors when the mean income is not positive
/// (the Gini and income shares need a positive total).
pub fn summarise(d: &Distribution) -> Result<Summary> {
    let gini = d.gini()?;
    let theil = d.theil()?;
    let poverty_rate = |share: f64| d.headcount_rate(d.relative_poverty_line(share));
    Ok(Summary {
        n: d.len(),
        total_weight: d.total_weight(),
        mean: d.mean(),
        median: d.median(),
        gini,
        theil: theil.value,
        mld: d.mean_log_deviation()?.value,
        palma: d.palma().ok(),
        p90_p10: d.p90_p10().ok(),
        quintile_shares: d.quintile_shares()?,
        poverty_rate_40: poverty_rate(0.4)?,
        poverty_rate_50: poverty_rate(0.5)?,
        poverty_rate_60: poverty_rate(0.6)?,
        log_measures_skipped: theil.skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 0, 10, 20, 30, 40 unweighted: mean 20, median 20 (target 2.5 is inside the third person),
    /// Gini = sum |yi - yj| over ordered pairs / (2 n^2 mean) = 2 * 200 / (2 * 25 * 20) = 0.4
    /// (pairs: 10 differences of 10,20,30,40,10,20,30,10,20,10 = 200). Quintiles are the
    /// persons: 0, 10, 20, 30, 40 over 100. Palma: the top 10% is half of the 40 = 20, the bottom
    /// 40% is 0 + 10: 0.2 / 0.1 = 2. P10 = 0 -> None.
    /// Poverty lines 8, 10, 12: strictly below are 0 (one person) at 8 and 10, and 0 and 10
    /// (two) at 12. One income (0) is skipped by the log measures.
    #[test]
    fn summary_by_hand() {
        let d = Distribution::new(&[40.0, 0.0, 20.0, 10.0, 30.0], &[1.0; 5]).unwrap();
        let s = summarise(&d).unwrap();
        assert_eq!(
            (s.n, s.total_weight, s.mean, s.median),
            (5, 5.0, 20.0, 20.0)
        );
        assert!((s.gini - 0.4).abs() < 1e-12);
        for (a, b) in s.quintile_shares.iter().zip([0.0, 0.1, 0.2, 0.3, 0.4]) {
            assert!((a - b).abs() < 1e-12, "{a} vs {b}");
        }
        assert!((s.palma.unwrap() - 2.0).abs() < 1e-12);
        assert_eq!(s.p90_p10, None);
        assert_eq!(
            (s.poverty_rate_40, s.poverty_rate_50, s.poverty_rate_60),
            (0.2, 0.2, 0.4)
        );
        assert_eq!(s.log_measures_skipped, 1);
        assert!(summarise(&Distribution::new(&[-1.0, 0.5], &[1.0; 2]).unwrap()).is_err());
    }
}
