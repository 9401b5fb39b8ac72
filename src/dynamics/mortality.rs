//! Death probabilities (rules 9): a Gompertz-Makeham life table fitted to 2020 life expectancy
//! (calibration_targets.toml `gompertz_male`/`gompertz_female`, confidence L) until an official
//! single-age table is supplied; a scenario may give its own table of q by age.

use crate::params::band_lookup;
use crate::population::{MAX_AGE, Sex};

/// Gompertz-Makeham hazard mu(x) = c + A exp(B x), and the infant death probability q0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GompertzMakeham {
    /// Scale A of the senescent hazard.
    pub a: f64,
    /// Rate B of the senescent hazard, per year of age.
    pub b: f64,
    /// Age-independent (Makeham) hazard c.
    pub c: f64,
    /// Probability of dying in the first year of life.
    pub infant_q0: f64,
}

/// Male fit to e0 = 75.37 (calibration_targets.toml `national.population.gompertz_male`).
pub const GOMPERTZ_MALE: GompertzMakeham = GompertzMakeham {
    a: 5.37e-5,
    b: 0.088,
    c: 6e-4,
    infant_q0: 0.0054,
};
/// Female fit to e0 = 80.88 (calibration_targets.toml `national.population.gompertz_female`).
pub const GOMPERTZ_FEMALE: GompertzMakeham = GompertzMakeham {
    a: 1.73e-5,
    b: 0.098,
    c: 3e-4,
    infant_q0: 0.0054,
};

impl GompertzMakeham {
    /// Probability of dying between exact ages x and x + 1: 1 - exp(-integral of mu over the year).
    pub fn q(&self, age: u8) -> f64 {
        if age == 0 {
            return self.infant_q0;
        }
        let x = f64::from(age);
        let cumulative_hazard =
            self.c + self.a / self.b * (self.b * x).exp() * (self.b.exp() - 1.0);
        1.0 - (-cumulative_hazard).exp()
    }
}

/// Life table of one year: q by single age for each sex, with improvement and the scenario's
/// own table applied. Built once per year and region/residence, looked up per person.
#[derive(Debug, Clone, PartialEq)]
pub struct LifeTable {
    /// q[sex][age], 0..=MAX_AGE; q at MAX_AGE is 1 (nobody passes 110, population.md).
    q: [[f64; MAX_AGE as usize + 1]; 2],
}

impl LifeTable {
    /// The table for a year `years_since_start` after the start year: the scenario's q by age band
    /// where given (else Gompertz-Makeham), times (1 - improvement)^years_since_start.
    pub fn new(
        custom_male: &[(u32, f64)],
        custom_female: &[(u32, f64)],
        improvement_rate: f64,
        years_since_start: u32,
    ) -> Self {
        let factor = (1.0 - improvement_rate).powi(years_since_start as i32);
        let mut q = [[0.0; MAX_AGE as usize + 1]; 2];
        for (s, (custom, fit)) in [
            (custom_male, GOMPERTZ_MALE),
            (custom_female, GOMPERTZ_FEMALE),
        ]
        .into_iter()
        .enumerate()
        {
            for age in 0..=MAX_AGE {
                let base = band_lookup(custom, u32::from(age)).unwrap_or_else(|| fit.q(age));
                q[s][age as usize] = if age == MAX_AGE {
                    1.0
                } else {
                    (base * factor).clamp(0.0, 1.0)
                };
            }
        }
        LifeTable { q }
    }

    /// Death probability at `age` for `sex`, times `ratio` (severe disability), capped at 1.
    #[inline]
    pub fn q(&self, sex: Sex, age: u8, ratio: f64) -> f64 {
        (self.q[sex as usize][age as usize] * ratio).min(1.0)
    }

    /// Period life expectancy at birth of this table (deaths at mid-year).
    pub fn life_expectancy(&self, sex: Sex) -> f64 {
        let mut alive = 1.0;
        let mut years = 0.0;
        for age in 0..=MAX_AGE {
            let q = self.q(sex, age, 1.0);
            years += alive * (1.0 - q / 2.0);
            alive *= 1.0 - q;
        }
        years
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fits reproduce the 2020 life expectancies they were fitted to (75.37 and 80.88 years,
    /// calibration_targets.toml `life_expectancy_2020`) within half a year.
    #[test]
    fn gompertz_fits_reproduce_2020_life_expectancy() {
        let t = LifeTable::new(&[], &[], 0.0, 0);
        assert!(
            (t.life_expectancy(Sex::Male) - 75.37).abs() < 0.5,
            "male e0 {}",
            t.life_expectancy(Sex::Male)
        );
        assert!(
            (t.life_expectancy(Sex::Female) - 80.88).abs() < 0.5,
            "female e0 {}",
            t.life_expectancy(Sex::Female)
        );
    }

    #[test]
    fn q_closed_form_and_improvement() {
        // mu = c + A e^{Bx}: integral over [70, 71] = c + A/B (e^{71B} - e^{70B}).
        let g = GOMPERTZ_MALE;
        let h = g.c + g.a / g.b * ((71.0 * g.b).exp() - (70.0 * g.b).exp());
        assert!((g.q(70) - (1.0 - (-h).exp())).abs() < 1e-15);
        let base = LifeTable::new(&[], &[], 0.0, 0);
        let later = LifeTable::new(&[], &[], 0.01, 10);
        assert!(
            (later.q(Sex::Male, 70, 1.0) - base.q(Sex::Male, 70, 1.0) * 0.99f64.powi(10)).abs()
                < 1e-15
        );
        assert_eq!(base.q(Sex::Female, MAX_AGE, 1.0), 1.0);
        assert_eq!(base.q(Sex::Male, 100, 50.0), 1.0, "capped at 1");
    }

    #[test]
    fn custom_table_overrides_by_band() {
        let t = LifeTable::new(&[(0, 0.001), (60, 0.02)], &[], 0.0, 0);
        assert_eq!(t.q(Sex::Male, 30, 1.0), 0.001);
        assert_eq!(t.q(Sex::Male, 75, 1.0), 0.02);
        assert_eq!(t.q(Sex::Female, 30, 1.0), GOMPERTZ_FEMALE.q(30));
    }
}
