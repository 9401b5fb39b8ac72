//! Marginal targets derived from a spec: age-band shares by residence (the spec's shape rescaled to
//! its 0-14 / 60+ / 65+ shares, split by the urban/rural relative), male shares by band (rescaled
//! to the sex ratio), and the person and household counts the raking must hit.

use super::spec::{AGE_BANDS, SIZE_CLASSES, Spec};
use crate::error::{Error, Result};

/// Band index of an age: 0 for 0-4 ... 17 for 85+.
#[inline]
pub fn band_of(age: u8) -> usize {
    (usize::from(age) / 5).min(AGE_BANDS - 1)
}

/// Targets and drawing distributions derived from a spec.
#[derive(Debug, Clone)]
pub struct Targets {
    /// Share of each band among persons of each residence (rows urban, rural; each sums to 1).
    pub band_share: [[f64; AGE_BANDS]; 2],
    /// Male share of each band (same in both residences).
    pub male_share: [f64; AGE_BANDS],
    /// Persons represented by residence.
    pub persons: [f64; 2],
    /// Households represented by residence and size class.
    pub households: [[f64; SIZE_CLASSES]; 2],
}

impl Targets {
    /// Derives the targets; a spec whose urban relative makes a rural share negative is an error.
    pub fn new(spec: &Spec) -> Result<Self> {
        let p = &spec.population;
        // Rescale the shape group by group: 0-14 (bands 0..3), 15-59 (3..12), 60-64 (12), 65+.
        let groups = [
            (0..3, p.age_share_0_14),
            (3..12, 1.0 - p.age_share_0_14 - p.age_share_60_plus),
            (12..13, p.age_share_60_plus - p.age_share_65_plus),
            (13..AGE_BANDS, p.age_share_65_plus),
        ];
        let mut total = [0.0; AGE_BANDS];
        for (range, share) in groups {
            let sum: f64 = p.age_bands[range.clone()].iter().sum();
            for b in range {
                total[b] = p.age_bands[b] / sum * share;
            }
        }
        // Urban shape = total x relative, normalised; rural is what remains of the total.
        let u = p.urban_share;
        let mut urban = [0.0; AGE_BANDS];
        let mut norm = 0.0;
        for b in 0..AGE_BANDS {
            urban[b] = total[b] * p.urban_band_relative[b];
            norm += urban[b];
        }
        let mut rural = [0.0; AGE_BANDS];
        for b in 0..AGE_BANDS {
            urban[b] /= norm;
            rural[b] = (total[b] - u * urban[b]) / (1.0 - u);
            if rural[b] <= 0.0 {
                return Err(config(
                    spec,
                    format!(
                        "`population.urban_band_relative`: band {} leaves no rural persons \
                         (rural share {:.4}); lower the relative",
                        b, rural[b]
                    ),
                ));
            }
        }
        let target_male = p.sex_ratio / (100.0 + p.sex_ratio);
        let shape_male: f64 = (0..AGE_BANDS)
            .map(|b| total[b] * p.male_share_by_band[b])
            .sum();
        let mut male_share = [0.0; AGE_BANDS];
        for (b, male) in male_share.iter_mut().enumerate() {
            *male = p.male_share_by_band[b] * target_male / shape_male;
            if *male >= 1.0 {
                return Err(config(
                    spec,
                    format!(
                        "`population.male_share_by_band`: band {b} rescales to {:.3} >= 1",
                        *male
                    ),
                ));
            }
        }
        let persons = [p.total_persons * u, p.total_persons * (1.0 - u)];
        let sp = &spec.households.six_plus_sizes;
        let six_plus_mean = (0..4).map(|i| (6 + i) as f64 * sp[i]).sum::<f64>();
        let mut households = [[0.0; SIZE_CLASSES]; 2];
        for r in 0..2 {
            let shares = spec.households.size_shares.get(r);
            let mean = mean_size(&shares, six_plus_mean);
            for s in 0..SIZE_CLASSES {
                households[r][s] = persons[r] / mean * shares[s];
            }
        }
        Ok(Targets {
            band_share: [urban, rural],
            male_share,
            persons,
            households,
        })
    }

    /// Persons represented in band `b` of residence `r`.
    pub fn band_persons(&self, r: usize, b: usize) -> f64 {
        self.persons[r] * self.band_share[r][b]
    }

    /// Males represented in residence `r`.
    pub fn males(&self, r: usize) -> f64 {
        (0..AGE_BANDS)
            .map(|b| self.band_persons(r, b) * self.male_share[b])
            .sum()
    }
}

/// Mean household size of size-class shares, the 6+ class counting `six_plus_mean` persons.
pub fn mean_size(shares: &[f64; SIZE_CLASSES], six_plus_mean: f64) -> f64 {
    (0..SIZE_CLASSES - 1)
        .map(|s| (s + 1) as f64 * shares[s])
        .sum::<f64>()
        + shares[SIZE_CLASSES - 1] * six_plus_mean
}

fn config(spec: &Spec, message: String) -> Error {
    Error::Config {
        file: format!("spec for region `{}`", spec.region).into(),
        line: None,
        column: None,
        message,
        hint: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat_spec() -> Spec {
        let mut spec = super::super::parse_spec(
            include_str!("../../synthetic_pop/china_2022.toml"),
            std::path::Path::new("china_2022.toml"),
        )
        .expect("parses");
        spec.population.age_bands = vec![1.0; AGE_BANDS];
        spec.population.urban_band_relative = vec![1.0; AGE_BANDS];
        spec
    }

    /// Flat shape: 0-14 is three bands of 0.1795 / 3 = 0.059833; 60-64 is 0.198 - 0.149 = 0.049;
    /// each of the five 65+ bands 0.149 / 5 = 0.0298; each of the nine 15-59 bands
    /// (1 - 0.1795 - 0.198) / 9 = 0.069167. With a relative of 1 both residences share it.
    #[test]
    fn bands_rescale_to_group_shares() {
        let t = Targets::new(&flat_spec()).expect("targets");
        for r in 0..2 {
            assert!((t.band_share[r][0] - 0.1795 / 3.0).abs() < 1e-12);
            assert!((t.band_share[r][5] - (1.0 - 0.1795 - 0.198) / 9.0).abs() < 1e-12);
            assert!((t.band_share[r][12] - 0.049).abs() < 1e-12);
            assert!((t.band_share[r][17] - 0.0298).abs() < 1e-12);
        }
        assert!((t.persons[0] - 1_411_750_000.0 * 0.6522).abs() < 1e-3);
    }

    /// Urban relative 2 on band 0 only: urban weights 2 x 0.059833 in band 0, normalised by
    /// 1 + 0.059833 = 1.059833, so urban band 0 = 0.119667 / 1.059833 = 0.112911; rural band 0 =
    /// (0.059833 - 0.6522 x 0.112911) / 0.3478 = -0.0396 < 0: an error naming the key.
    #[test]
    fn impossible_urban_relative_is_an_error() {
        let mut spec = flat_spec();
        spec.population.urban_band_relative[0] = 2.0;
        let e = Targets::new(&spec).unwrap_err().to_string();
        assert!(
            e.contains("`population.urban_band_relative`: band 0"),
            "{e}"
        );
        spec.population.urban_band_relative[0] = 1.2;
        // 0.0718 / 1.011967 = 0.070951 urban; (0.059833 - 0.6522 x 0.070951) / 0.3478 = 0.038985.
        let t = Targets::new(&spec).expect("targets");
        assert!((t.band_share[0][0] - 0.070951).abs() < 1e-5);
        assert!((t.band_share[1][0] - 0.038985).abs() < 1e-5);
    }

    /// Sizes 1..5 and 6+ with shares 0.27, 0.31, 0.22, 0.12, 0.05, 0.03 and a 6+ mean of 6.73:
    /// 0.27 + 0.62 + 0.66 + 0.48 + 0.25 + 0.2019 = 2.4819.
    #[test]
    fn mean_size_of_shares() {
        let m = mean_size(&[0.27, 0.31, 0.22, 0.12, 0.05, 0.03], 6.73);
        assert!((m - 2.4819).abs() < 1e-12);
    }
}
