//! Marginal targets derived from a spec: age-band shares by residence (the spec's shape rescaled to
//! its 0-14 / 60+ / 65+ shares, split by the urban/rural relative), their single-year split (a
//! smooth profile that keeps every band total), male shares by band (rescaled to the sex ratio),
//! and the person and household counts the raking must hit.

use super::spec::{AGE_BANDS, SIZE_CLASSES, Spec};
use crate::error::{Error, Result};
use crate::population::MAX_AGE;

/// Single years of age 0..=MAX_AGE.
pub const AGES: usize = MAX_AGE as usize + 1;

/// Width of the closed age bands, years.
const BAND_YEARS: usize = 5;

/// Lower age of the open top band (85+).
const OPEN_BAND_AGE: usize = BAND_YEARS * (AGE_BANDS - 1);

/// Mean years lived past 85 within the open band (an exponential, cut at [`MAX_AGE`]); assumption:
/// close to the 2020 census ratio of persons 90+ to 85+ (about 0.37, e^(-5/5)).
const OPEN_BAND_MEAN_YEARS: f64 = 5.0;

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
    /// Share of each single year of age among persons of each residence: [`single_year_shares`]
    /// of `band_share`, so each band's years sum to its band share.
    pub single_year_share: [[f64; AGES]; 2],
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
            single_year_share: [single_year_shares(&urban), single_year_shares(&rural)],
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

/// Splits band shares (0-4 ... 80-84, 85+) into single years without steps at band edges.
///
/// The population.md targets are 5-year bands; a flat profile within each band would put a step at
/// every band edge, and cohorts crossing an age threshold (labour entry, retirement, 60, 65, 80)
/// would then jump every 5 simulated years. The cumulative share C(age) is therefore interpolated
/// through the band edges 0, 5, ..., 85 by a monotone cubic Hermite spline (Fritsch and Carlson,
/// 1980): its slope at an inner edge is the harmonic mean of the two bands' densities (at most
/// twice the smaller one, which keeps C monotone so no share is negative), at age 0 the one-sided
/// three-point slope, and at 85 the density the open band starts with. The share of age a is
/// C(a + 1) - C(a), so each band's years sum to the band share exactly. The open band 85+ is an
/// exponential of mean [`OPEN_BAND_MEAN_YEARS`] years, its mass past [`MAX_AGE`] put on MAX_AGE.
pub fn single_year_shares(band_share: &[f64; AGE_BANDS]) -> [f64; AGES] {
    let width = BAND_YEARS as f64;
    let density = |b: usize| band_share[b] / width;
    let open = band_share[AGE_BANDS - 1];
    // Slopes of C at the edges 0, 5, ..., 85.
    let mut slope = [0.0; AGE_BANDS];
    let (d0, d1) = (density(0), density(1));
    slope[0] = ((3.0 * d0 - d1) / 2.0).clamp(0.0, 3.0 * d0);
    for (e, s) in slope.iter_mut().enumerate().take(AGE_BANDS - 1).skip(1) {
        let (left, right) = (density(e - 1), density(e));
        *s = if left + right > 0.0 {
            2.0 * left * right / (left + right)
        } else {
            0.0
        };
    }
    slope[AGE_BANDS - 1] = (open / OPEN_BAND_MEAN_YEARS).min(3.0 * density(AGE_BANDS - 2));
    let mut out = [0.0; AGES];
    let mut below = 0.0;
    for b in 0..AGE_BANDS - 1 {
        let above = below + band_share[b];
        let cumulative = |t: f64| {
            let (t2, t3) = (t * t, t * t * t);
            below * (2.0 * t3 - 3.0 * t2 + 1.0)
                + width * slope[b] * (t3 - 2.0 * t2 + t)
                + above * (3.0 * t2 - 2.0 * t3)
                + width * slope[b + 1] * (t3 - t2)
        };
        for y in 0..BAND_YEARS {
            let (t0, t1) = (y as f64 / width, (y + 1) as f64 / width);
            // The last year takes what is left, so the band sums to its share to the last bit.
            out[b * BAND_YEARS + y] = if y + 1 == BAND_YEARS {
                above - cumulative(t0)
            } else {
                cumulative(t1) - cumulative(t0)
            }
            .max(0.0);
        }
        below = above;
    }
    let survival = |a: usize| (-((a - OPEN_BAND_AGE) as f64) / OPEN_BAND_MEAN_YEARS).exp();
    for (a, share) in out
        .iter_mut()
        .enumerate()
        .take(AGES - 1)
        .skip(OPEN_BAND_AGE)
    {
        *share = open * (survival(a) - survival(a + 1));
    }
    out[AGES - 1] = open * survival(AGES - 1);
    out
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

    /// Equal bands of share s: every band density is s / 5, so every edge slope is s / 5 (the
    /// harmonic mean of equal densities; (3 s/5 - s/5) / 2 at age 0; the open band's s / 5 at 85)
    /// and C is linear: each year 0..=84 gets s / 5. The open band: age 85 gets
    /// s (1 - e^(-1/5)) = 0.181269 s, age 110 the tail s e^(-25/5) = 0.006738 s.
    #[test]
    fn equal_bands_split_into_equal_years() {
        let s = 1.0 / AGE_BANDS as f64;
        let years = single_year_shares(&[s; AGE_BANDS]);
        for (a, &y) in years.iter().enumerate().take(85) {
            assert!((y - s / 5.0).abs() < 1e-15, "age {a}: {y}");
        }
        assert!((years[85] - 0.181_269_246_9 * s).abs() < 1e-10);
        assert!((years[110] - 0.006_737_947 * s).abs() < 1e-10);
        assert!((years.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    /// The national spec's years, against the mean of their neighbours: within 8% at every age
    /// 1..=83, band edges included (a smooth profile curves by a few percent a year where the
    /// bands change fast). A flat profile within bands fails at each edge whose bands differ: at
    /// 29, between 25-29 and 30-34 (91.9 and 124.2 million in the 2020 census shape), it is off by
    /// (124.2 - 91.9) / (2 x 91.9) = 17.6%.
    #[test]
    fn national_years_have_no_step_at_band_edges() {
        let spec = super::super::parse_spec(
            include_str!("../../synthetic_pop/china_2022.toml"),
            std::path::Path::new("china_2022.toml"),
        )
        .expect("parses");
        let t = Targets::new(&spec).expect("targets");
        for years in &t.single_year_share {
            for a in 1..=83 {
                let neighbours = (years[a - 1] + years[a + 1]) / 2.0;
                let off = (years[a] - neighbours).abs() / years[a];
                assert!(
                    off < 0.08,
                    "age {a}: {} vs neighbours {neighbours}",
                    years[a]
                );
            }
        }
    }

    proptest::proptest! {
        /// Any positive band shares: no year is negative and each band's years sum to its share.
        #[test]
        fn years_keep_band_totals(raw in proptest::collection::vec(0.01f64..1.0, AGE_BANDS)) {
            let total: f64 = raw.iter().sum();
            let bands: [f64; AGE_BANDS] = std::array::from_fn(|b| raw[b] / total);
            let years = single_year_shares(&bands);
            proptest::prop_assert!(years.iter().all(|&y| y >= 0.0));
            for (b, &share) in bands.iter().enumerate() {
                let sum: f64 = (0..AGES).filter(|&a| band_of(a as u8) == b).map(|a| years[a]).sum();
                proptest::prop_assert!((sum - share).abs() < 1e-12, "band {}: {} vs {}", b, sum, share);
            }
        }
    }

    /// Sizes 1..5 and 6+ with shares 0.27, 0.31, 0.22, 0.12, 0.05, 0.03 and a 6+ mean of 6.73:
    /// 0.27 + 0.62 + 0.66 + 0.48 + 0.25 + 0.2019 = 2.4819.
    #[test]
    fn mean_size_of_shares() {
        let m = mean_size(&[0.27, 0.31, 0.22, 0.12, 0.05, 0.03], 6.73);
        assert!((m - 2.4819).abs() < 1e-12);
    }
}
