//! Poverty indicators (spec indicators.md, "Poverty"): Foster-Greer-Thorbecke headcount, gap and
//! severity at one line or at a line per person (the dibao standard of the person's region and
//! residence), and relative lines as a share of the weighted median. A person is poor when the
//! income is strictly below the line.

use super::distribution::Distribution;
use super::{Neumaier, check_finite, check_weighted};
use crate::{Error, Result};

/// Foster-Greer-Thorbecke measures, each a share of the total weight (0..=1).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Fgt {
    /// FGT0: weight share of persons strictly below the line.
    pub headcount_rate: f64,
    /// FGT1: mean over all persons of the normalised gap (line - y) / line of the poor.
    pub gap: f64,
    /// FGT2: mean over all persons of the squared normalised gap of the poor.
    pub severity: f64,
}

impl Distribution {
    /// Weight share of persons with income strictly below `line` (yuan per year; any finite
    /// line, zero or negative included). Errors when the line is not finite.
    pub fn headcount_rate(&self, line: f64) -> Result<f64> {
        check_finite(&[line], "poverty line")?;
        Ok(self.weight_of_first(self.count_below(line)) / self.total_weight())
    }

    /// FGT0, FGT1 and FGT2 at `line`, yuan per year. Errors when the line is not finite and
    /// positive (the gap is relative to the line).
    pub fn fgt(&self, line: f64) -> Result<Fgt> {
        if !(line.is_finite() && line > 0.0) {
            return Err(Error::Undefined(format!(
                "poverty gap undefined: the line is {line} (it must be finite and positive)"
            )));
        }
        let poor = self.count_below(line);
        let (mut gap, mut severity) = (Neumaier::default(), Neumaier::default());
        for pos in 0..poor {
            let g = (line - self.sorted_value(pos)) / line;
            gap.add(self.sorted_weight(pos) * g);
            severity.add(self.sorted_weight(pos) * g * g);
        }
        let total = self.total_weight();
        Ok(Fgt {
            headcount_rate: self.weight_of_first(poor) / total,
            gap: gap.value() / total,
            severity: severity.value() / total,
        })
    }

    /// Relative poverty line: `share_of_median` (0.4, 0.5, 0.6) times the weighted median,
    /// yuan per year.
    pub fn relative_poverty_line(&self, share_of_median: f64) -> f64 {
        share_of_median * self.median()
    }
}

/// FGT measures with a line per person (yuan per year, e.g. the dibao standard of the person's
/// region and residence). A line of zero or less means "no standard": that person is never
/// counted poor but stays in the denominator. Errors when inputs are malformed (lengths, non
/// finite values or lines, weights not finite and positive).
pub fn poverty_below_own_lines(values: &[f64], weights: &[f64], lines: &[f64]) -> Result<Fgt> {
    check_weighted(values, weights)?;
    if lines.len() != values.len() {
        return Err(Error::Undefined(format!(
            "{} poverty lines for {} persons: every person needs one",
            lines.len(),
            values.len()
        )));
    }
    check_finite(lines, "poverty line")?;
    let [mut total, mut poor, mut gap, mut severity] = [Neumaier::default(); 4];
    for ((&y, &w), &line) in values.iter().zip(weights).zip(lines) {
        total.add(w);
        if line > 0.0 && y < line {
            let g = (line - y) / line;
            poor.add(w);
            gap.add(w * g);
            severity.add(w * g * g);
        }
    }
    let total = total.value();
    Ok(Fgt {
        headcount_rate: poor.value() / total,
        gap: gap.value() / total,
        severity: severity.value() / total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    /// 2, 4, 6, 10 unweighted, line 5: poor are 2 and 4 -> FGT0 = 2/4 = 0.5;
    /// gaps 3/5 = 0.6 and 1/5 = 0.2 -> FGT1 = 0.8 / 4 = 0.2; FGT2 = (0.36 + 0.04) / 4 = 0.1.
    /// Weights 2, 1, 1, 1 (W = 5): FGT0 = 3/5; FGT1 = (2 * 0.6 + 0.2) / 5 = 0.28;
    /// FGT2 = (2 * 0.36 + 0.04) / 5 = 0.152.
    #[test]
    fn fgt_by_hand() {
        let values = [6.0, 2.0, 10.0, 4.0];
        let d = Distribution::new(&values, &[1.0; 4]).unwrap();
        let f = d.fgt(5.0).unwrap();
        assert!(
            close(f.headcount_rate, 0.5) && close(f.gap, 0.2) && close(f.severity, 0.1),
            "{f:?}"
        );
        let d = Distribution::new(&[2.0, 4.0, 6.0, 10.0], &[2.0, 1.0, 1.0, 1.0]).unwrap();
        let f = d.fgt(5.0).unwrap();
        assert!(
            close(f.headcount_rate, 0.6) && close(f.gap, 0.28) && close(f.severity, 0.152),
            "{f:?}"
        );
        assert!(d.fgt(0.0).is_err());
        assert!(d.fgt(f64::NAN).is_err());
    }

    /// Strictly below: at line 4 the person at exactly 4 is not poor (only the 2: 1/4).
    /// 1, 2, 3, 4: median 2.5; 40% line = 1.0 (nobody strictly below), 50% = 1.25 and
    /// 60% = 1.5 (only the 1: 1/4).
    #[test]
    fn poverty_counts_strictly_below_and_relative_lines() {
        let d = Distribution::new(&[2.0, 4.0, 6.0, 10.0], &[1.0; 4]).unwrap();
        assert_eq!(d.headcount_rate(4.0).unwrap(), 0.25);
        let d = Distribution::new(&[1.0, 2.0, 3.0, 4.0], &[1.0; 4]).unwrap();
        assert_eq!(d.relative_poverty_line(0.4), 1.0);
        assert_eq!(d.headcount_rate(d.relative_poverty_line(0.4)).unwrap(), 0.0);
        assert_eq!(
            d.headcount_rate(d.relative_poverty_line(0.5)).unwrap(),
            0.25
        );
        assert_eq!(
            d.headcount_rate(d.relative_poverty_line(0.6)).unwrap(),
            0.25
        );
        assert!(d.headcount_rate(f64::INFINITY).is_err());
    }

    /// Incomes 3, 3, 8, 1 with own lines 5, 2, 10, 0 and weights 1, 1, 2, 1 (W = 5):
    /// person 0 poor (gap 2/5 = 0.4), person 1 not (3 >= 2), person 2 poor (gap 0.2, weight 2),
    /// person 3 has no standard (line 0). FGT0 = 3/5; FGT1 = (0.4 + 2 * 0.2) / 5 = 0.16;
    /// FGT2 = (0.16 + 2 * 0.04) / 5 = 0.048.
    #[test]
    fn poverty_below_own_lines_by_hand() {
        let f = poverty_below_own_lines(
            &[3.0, 3.0, 8.0, 1.0],
            &[1.0, 1.0, 2.0, 1.0],
            &[5.0, 2.0, 10.0, 0.0],
        )
        .unwrap();
        assert!(
            close(f.headcount_rate, 0.6) && close(f.gap, 0.16) && close(f.severity, 0.048),
            "{f:?}"
        );
        assert!(poverty_below_own_lines(&[1.0], &[1.0], &[]).is_err());
        assert!(poverty_below_own_lines(&[1.0], &[1.0], &[f64::NAN]).is_err());
    }
}
