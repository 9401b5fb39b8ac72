//! Medical hardship (spec indicators.md, "Poverty", v1.3): impoverishment by medical spending
//! (因病致贫) and catastrophic health spending (SDG 3.8.2), on per-capita household values. The
//! headcounts of D_health below D's lines are [`Distribution::headcount_rate`] and
//! [`super::poverty_below_own_lines`] on D_health; only the two measures that compare two incomes of
//! the same person live here, with two person counts of medical use and assistance the calibration
//! compares with official figures: inpatient admissions per 100 persons and the persons whose
//! resident premium the government pays (资助参保).
//!
//! [`Distribution::headcount_rate`]: super::Distribution::headcount_rate

use super::{Neumaier, check_finite, check_weighted};
use crate::{Error, Result};

/// A poverty line, yuan per person per year.
#[derive(Debug, Clone, Copy)]
pub enum Line<'a> {
    /// One line for everyone (a share of the median D).
    Common(f64),
    /// Each person's own line, in person order (the dibao standard of the person's region and
    /// residence). A line of zero or less means "no standard": never counted, as in
    /// [`super::poverty_below_own_lines`].
    PerPerson(&'a [f64]),
}

impl Line<'_> {
    fn check(&self, persons: usize) -> Result<()> {
        match self {
            Line::Common(line) => check_finite(&[*line], "poverty line"),
            Line::PerPerson(lines) if lines.len() != persons => Err(Error::Undefined(format!(
                "{} poverty lines for {persons} persons: every person needs one",
                lines.len()
            ))),
            Line::PerPerson(lines) => check_finite(lines, "poverty line"),
        }
    }

    fn at(&self, person: usize) -> f64 {
        match self {
            Line::Common(line) => *line,
            Line::PerPerson(lines) => lines[person],
        }
    }
}

/// Impoverishment rate (因病致贫): weight share of persons whose per-capita D is at or above the
/// line while their per-capita D_health (D less medical out-of-pocket and the huiminbao premium)
/// is strictly below it. A line of zero or less counts nobody. Errors when the inputs are
/// malformed (lengths, values or lines not finite, weights not finite and positive).
pub fn impoverishment_rate(
    disposable: &[f64],
    disposable_health: &[f64],
    weights: &[f64],
    line: Line<'_>,
) -> Result<f64> {
    check_weighted(disposable, weights)?;
    check_weighted(disposable_health, weights)?;
    line.check(disposable.len())?;
    let (mut total, mut impoverished) = (Neumaier::default(), Neumaier::default());
    for (i, ((&d, &h), &w)) in disposable
        .iter()
        .zip(disposable_health)
        .zip(weights)
        .enumerate()
    {
        total.add(w);
        let l = line.at(i);
        if l > 0.0 && d >= l && h < l {
            impoverished.add(w);
        }
    }
    Ok(impoverished.value() / total.value())
}

/// Catastrophic health spending: weight share of persons in households whose medical
/// out-of-pocket exceeds `share` (0.10, 0.25) of the household's D; a household with D <= 0
/// counts when it has any out-of-pocket. Values are per capita of the household (the ratio is the
/// household's). Errors on malformed inputs or a share outside (0, 1].
pub fn catastrophic_health_spending_rate(
    medical_out_of_pocket: &[f64],
    disposable: &[f64],
    weights: &[f64],
    share: f64,
) -> Result<f64> {
    check_weighted(medical_out_of_pocket, weights)?;
    check_weighted(disposable, weights)?;
    if !(share > 0.0 && share <= 1.0) {
        return Err(Error::Undefined(format!(
            "catastrophic health spending: the threshold share is {share} (it must be in (0, 1])"
        )));
    }
    let (mut total, mut catastrophic) = (Neumaier::default(), Neumaier::default());
    for ((&oop, &d), &w) in medical_out_of_pocket.iter().zip(disposable).zip(weights) {
        total.add(w);
        let over = if d > 0.0 { oop > share * d } else { oop > 0.0 };
        if over {
            catastrophic.add(w);
        }
    }
    Ok(catastrophic.value() / total.value())
}

/// Weight of the persons whose `values` entry is strictly positive, and the weight of all.
/// Errors on malformed inputs (as [`check_weighted`]).
fn weight_with_positive(values: &[f64], weights: &[f64]) -> Result<(f64, f64)> {
    check_weighted(values, weights)?;
    let (mut total, mut with) = (Neumaier::default(), Neumaier::default());
    for (&v, &w) in values.iter().zip(weights) {
        total.add(w);
        if v > 0.0 {
            with.add(w);
        }
    }
    Ok((with.value(), total.value()))
}

/// Inpatient admissions per 100 persons (每百人住院人次): 100 x the weight share of persons with
/// an inpatient stay in the year, `inpatient_cost` > 0 yuan (rules.md 11 draws at most one stay a
/// person and year, so a person with a stay is one admission). Errors on malformed inputs.
pub fn inpatient_admissions_per_100(inpatient_cost: &[f64], weights: &[f64]) -> Result<f64> {
    let (admitted, total) = weight_with_positive(inpatient_cost, weights)?;
    Ok(100.0 * admitted / total)
}

/// Persons whose resident medical premium the government pays in full or in part (资助参保),
/// weighted persons: those with a government-paid part `medical_premium_paid` > 0 yuan. Errors on
/// malformed inputs.
pub fn medical_premium_paid_persons(medical_premium_paid: &[f64], weights: &[f64]) -> Result<f64> {
    Ok(weight_with_positive(medical_premium_paid, weights)?.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Four persons, weights 1, 2, 1, 1 (W = 5), line 100. Person 0: D 150, D_health 90 -> pushed
    /// below (weight 1). Person 1: D 120, D_health 100 -> exactly at the line, not below. Person 2:
    /// D 80 -> poor before, not counted. Person 3: D 100 (at the line), D_health 99.99 -> counted.
    /// Rate = (1 + 1) / 5 = 0.4.
    #[test]
    fn impoverishment_by_hand() {
        let d = [150.0, 120.0, 80.0, 100.0];
        let h = [90.0, 100.0, 10.0, 99.99];
        let w = [1.0, 2.0, 1.0, 1.0];
        assert_eq!(
            impoverishment_rate(&d, &h, &w, Line::Common(100.0)).unwrap(),
            0.4
        );
        // Own lines: person 1's line 110 (120 >= 110 > 100: counted, weight 2); person 3 has no
        // standard. Rate = (1 + 2) / 5.
        let own = [100.0, 110.0, 100.0, 0.0];
        assert_eq!(
            impoverishment_rate(&d, &h, &w, Line::PerPerson(&own)).unwrap(),
            0.6
        );
        assert_eq!(
            impoverishment_rate(&d, &d, &w, Line::Common(100.0)).unwrap(),
            0.0
        );
        assert!(impoverishment_rate(&d, &h, &w, Line::PerPerson(&own[..3])).is_err());
        assert!(impoverishment_rate(&d, &h, &w, Line::Common(f64::NAN)).is_err());
    }

    /// Per-capita out-of-pocket 10, 11, 30, 5, 0 against D 100, 100, 100, 0, -50 (weights 1):
    /// at 10%: 11 > 10 and 30 > 10 count, 10 does not (not strictly more); D = 0 with 5 counts;
    /// D < 0 with nothing paid does not -> 3/5. At 25%: 30 and the D = 0 household -> 2/5.
    #[test]
    fn catastrophic_spending_by_hand() {
        let oop = [10.0, 11.0, 30.0, 5.0, 0.0];
        let d = [100.0, 100.0, 100.0, 0.0, -50.0];
        let w = [1.0; 5];
        assert_eq!(
            catastrophic_health_spending_rate(&oop, &d, &w, 0.10).unwrap(),
            0.6
        );
        assert_eq!(
            catastrophic_health_spending_rate(&oop, &d, &w, 0.25).unwrap(),
            0.4
        );
        assert!(catastrophic_health_spending_rate(&oop, &d, &w, 0.0).is_err());
        assert!(catastrophic_health_spending_rate(&oop[..4], &d, &w, 0.1).is_err());
    }

    /// Stays of 8000, 0, 120 and 0 yuan with weights 1, 2, 3, 4 (W = 10): persons with a stay
    /// weigh 1 + 3 = 4, so 40 admissions per 100 persons. Paid premiums 350 (full), 0, 175 (half),
    /// 0: 4 weighted persons, full and partial alike.
    #[test]
    fn admissions_and_paid_premiums_by_hand() {
        let w = [1.0, 2.0, 3.0, 4.0];
        let stays = [8_000.0, 0.0, 120.0, 0.0];
        assert_eq!(inpatient_admissions_per_100(&stays, &w).unwrap(), 40.0);
        assert_eq!(inpatient_admissions_per_100(&[0.0; 4], &w).unwrap(), 0.0);
        let paid = [350.0, 0.0, 175.0, 0.0];
        assert_eq!(medical_premium_paid_persons(&paid, &w).unwrap(), 4.0);
        assert!(inpatient_admissions_per_100(&stays[..3], &w).is_err());
        assert!(medical_premium_paid_persons(&[f64::NAN, 0.0, 0.0, 0.0], &w).is_err());
        assert!(inpatient_admissions_per_100(&[], &[]).is_err());
    }
}
