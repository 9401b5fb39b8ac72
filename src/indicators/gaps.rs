//! Urban-rural and regional income gaps (spec indicators.md, "Urban-rural and regional gaps"):
//! ratios of person-weighted mean per-capita incomes between residences and between regions.

use super::{Neumaier, check_weighted};
use crate::population::Residence;
use crate::{Error, Result};

/// Person-weighted mean of `values` (yuan per year). Errors on malformed input (see
/// [`GroupMeans::new`]).
pub fn weighted_mean(values: &[f64], weights: &[f64]) -> Result<f64> {
    check_weighted(values, weights)?;
    let (mut w, mut s) = (Neumaier::default(), Neumaier::default());
    for (&y, &wi) in values.iter().zip(weights) {
        w.add(wi);
        s.add(wi * y);
    }
    Ok(s.value() / w.value())
}

/// Urban-rural income ratio: person-weighted mean of urban-residence persons over that of
/// rural-residence persons (the statistics bureau's ratio). Errors when a group has no persons
/// or its mean is not positive.
pub fn urban_rural_ratio(values: &[f64], weights: &[f64], residence: &[Residence]) -> Result<f64> {
    GroupMeans::accumulate(values, weights, residence, 1, |_| 0)?.urban_rural_ratio(None)
}

/// Person-weighted totals of one income (yuan per year) by region and residence, from one pass
/// over persons: national, regional and residence means and the ratios between them.
#[derive(Debug, Clone)]
pub struct GroupMeans {
    /// Weight per (region, residence), at `region * 2 + residence`.
    weight: Vec<f64>,
    /// Weighted income per (region, residence), same layout.
    income: Vec<f64>,
}

/// Regional gaps of one income.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RegionalGaps {
    /// National person-weighted mean, yuan per year.
    pub national_mean: f64,
    /// Mean per region (by region index), yuan per year; `None` for a region without persons.
    pub region_means: Vec<Option<f64>>,
    /// Each region's mean over the national mean; `None` for a region without persons.
    pub relative_to_national: Vec<Option<f64>>,
    /// Highest regional mean over the lowest.
    pub highest_over_lowest: f64,
}

impl GroupMeans {
    /// Totals of `values` by `region` (an index below `n_regions`, as in
    /// `Population::regions`) and `residence`, one entry per person. Errors on different
    /// lengths, no persons, a non-finite value, a weight not finite and positive, or a region
    /// index out of range.
    pub fn new(
        values: &[f64],
        weights: &[f64],
        residence: &[Residence],
        region: &[u16],
        n_regions: usize,
    ) -> Result<Self> {
        if region.len() != values.len() {
            return Err(Error::Undefined(format!(
                "{} regions for {} persons: every person needs one",
                region.len(),
                values.len()
            )));
        }
        if let Some(i) = region.iter().position(|&r| usize::from(r) >= n_regions) {
            return Err(Error::Undefined(format!(
                "region index {} at position {i} is not below the number of regions {n_regions}",
                region[i]
            )));
        }
        Self::accumulate(values, weights, residence, n_regions, |i| region[i])
    }

    fn accumulate(
        values: &[f64],
        weights: &[f64],
        residence: &[Residence],
        n_regions: usize,
        region_of: impl Fn(usize) -> u16,
    ) -> Result<Self> {
        check_weighted(values, weights)?;
        if residence.len() != values.len() {
            return Err(Error::Undefined(format!(
                "{} residences for {} persons: every person needs one",
                residence.len(),
                values.len()
            )));
        }
        let mut weight = vec![Neumaier::default(); 2 * n_regions];
        let mut income = vec![Neumaier::default(); 2 * n_regions];
        for (i, ((&y, &w), &res)) in values.iter().zip(weights).zip(residence).enumerate() {
            let cell = usize::from(region_of(i)) * 2 + res as usize;
            weight[cell].add(w);
            income[cell].add(w * y);
        }
        Ok(Self {
            weight: weight.iter().map(Neumaier::value).collect(),
            income: income.iter().map(Neumaier::value).collect(),
        })
    }

    /// Number of regions.
    pub fn n_regions(&self) -> usize {
        self.weight.len() / 2
    }

    /// Person-weighted mean (yuan per year) of a region (`None`: all regions) and residence
    /// (`None`: both); `None` when the group has no persons.
    pub fn mean(&self, region: Option<usize>, residence: Option<Residence>) -> Option<f64> {
        let (mut w, mut s) = (Neumaier::default(), Neumaier::default());
        for cell in 0..self.weight.len() {
            let in_region = region.is_none_or(|r| cell / 2 == r);
            let in_residence = residence.is_none_or(|res| cell % 2 == res as usize);
            if in_region && in_residence {
                w.add(self.weight[cell]);
                s.add(self.income[cell]);
            }
        }
        (w.value() > 0.0).then(|| s.value() / w.value())
    }

    /// Urban-rural ratio of a region (`None`: nationally). Errors when either residence has no
    /// persons or a mean is not positive.
    pub fn urban_rural_ratio(&self, region: Option<usize>) -> Result<f64> {
        let place = region.map_or("nationally".to_string(), |r| format!("in region {r}"));
        let mean = |residence: Residence, name: &str| match self.mean(region, Some(residence)) {
            None => Err(Error::Undefined(format!(
                "urban-rural ratio undefined {place}: no {name} persons"
            ))),
            Some(m) if m <= 0.0 => Err(Error::Undefined(format!(
                "urban-rural ratio undefined {place}: the {name} mean is {m} (it must be positive)"
            ))),
            Some(m) => Ok(m),
        };
        Ok(mean(Residence::Urban, "urban")? / mean(Residence::Rural, "rural")?)
    }

    /// Regional gaps: each region's mean, relative to the national mean, and the highest over
    /// the lowest regional mean (regions without persons left out). Errors when the national or
    /// the lowest regional mean is not positive.
    pub fn regional_gaps(&self) -> Result<RegionalGaps> {
        let national_mean = self.mean(None, None).unwrap_or(0.0);
        if national_mean <= 0.0 {
            return Err(Error::Undefined(format!(
                "regional ratios undefined: the national mean is {national_mean} (it must be positive)"
            )));
        }
        let region_means: Vec<Option<f64>> = (0..self.n_regions())
            .map(|r| self.mean(Some(r), None))
            .collect();
        let present = region_means.iter().flatten();
        let lowest = present.clone().copied().fold(f64::INFINITY, f64::min);
        let highest = present.copied().fold(f64::NEG_INFINITY, f64::max);
        if lowest <= 0.0 {
            return Err(Error::Undefined(format!(
                "regional ratio undefined: the lowest regional mean is {lowest} (it must be positive)"
            )));
        }
        Ok(RegionalGaps {
            national_mean,
            relative_to_national: region_means
                .iter()
                .map(|m| m.map(|m| m / national_mean))
                .collect(),
            region_means,
            highest_over_lowest: highest / lowest,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Residence::{Rural, Urban};

    /// Conformance "urban-rural-ratio-person-weighted": an urban household of 2 at per-capita
    /// 60000 and a rural household of 4 at per-capita 20000, one row per person:
    /// 60000 / 20000 = 3.
    #[test]
    fn conformance_urban_rural_ratio_person_weighted() {
        let values = [60_000.0, 60_000.0, 20_000.0, 20_000.0, 20_000.0, 20_000.0];
        let residence = [Urban, Urban, Rural, Rural, Rural, Rural];
        assert_eq!(
            urban_rural_ratio(&values, &[1.0; 6], &residence).unwrap(),
            3.0
        );
    }

    /// Person weighting, not household weighting: urban households of 1 person at 10000 and of
    /// 3 persons at 50000 give an urban mean of (10000 + 3 * 50000) / 4 = 40000 (a household mean
    /// would be 30000); rural 20000 -> ratio 2.
    #[test]
    fn urban_mean_is_person_weighted() {
        let values = [10_000.0, 50_000.0, 50_000.0, 50_000.0, 20_000.0];
        let residence = [Urban, Urban, Urban, Urban, Rural];
        assert_eq!(
            urban_rural_ratio(&values, &[1.0; 5], &residence).unwrap(),
            2.0
        );
    }

    #[test]
    fn urban_rural_ratio_errors_on_empty_group_or_non_positive_mean() {
        let e = urban_rural_ratio(&[1.0, 2.0], &[1.0; 2], &[Urban, Urban]).unwrap_err();
        assert!(e.to_string().contains("no rural persons"), "{e}");
        let e = urban_rural_ratio(&[1.0, -2.0], &[1.0; 2], &[Urban, Rural]).unwrap_err();
        assert!(e.to_string().contains("rural mean is -2"), "{e}");
        assert!(urban_rural_ratio(&[1.0], &[1.0], &[]).is_err());
    }

    /// Region 0: urban 30 (w 1), rural 10 (w 1) -> mean 20, ratio 3. Region 1: rural 40 (w 2)
    /// -> mean 40, no urban persons. Region 2: nobody. National: (30 + 10 + 80) / 4 = 30.
    /// Highest over lowest = 40 / 20 = 2; relative to national 20/30 and 40/30.
    #[test]
    fn regional_gaps_by_hand() {
        let g = GroupMeans::new(
            &[30.0, 10.0, 40.0],
            &[1.0, 1.0, 2.0],
            &[Urban, Rural, Rural],
            &[0, 0, 1],
            3,
        )
        .unwrap();
        assert_eq!(g.urban_rural_ratio(Some(0)).unwrap(), 3.0);
        assert!(g.urban_rural_ratio(Some(1)).is_err());
        assert_eq!(g.mean(None, Some(Rural)), Some(30.0));
        let gaps = g.regional_gaps().unwrap();
        assert_eq!(gaps.national_mean, 30.0);
        assert_eq!(gaps.region_means, vec![Some(20.0), Some(40.0), None]);
        assert_eq!(gaps.highest_over_lowest, 2.0);
        assert_eq!(
            gaps.relative_to_national,
            vec![Some(20.0 / 30.0), Some(40.0 / 30.0), None]
        );
        assert!(GroupMeans::new(&[1.0], &[1.0], &[Urban], &[3], 3).is_err());
        assert_eq!(weighted_mean(&[1.0, 2.0], &[3.0, 1.0]).unwrap(), 1.25);
    }
}
