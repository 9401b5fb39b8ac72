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
        for b in 0..AGE_BANDS {
            male_share[b] = p.male_share_by_band[b] * target_male / shape_male;
            if male_share[b] >= 1.0 {
                return Err(config(
                    spec,
                    format!(
                        "`population.male_share_by_band`: band {b} rescales to {:.3} >= 1",
                        male_share[b]
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
