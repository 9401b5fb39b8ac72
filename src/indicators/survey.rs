//! The survey basis of national figures (indicators.md, "Survey basis"): the NBS averages its
//! urban and rural household-survey figures with the urban share of its own sample, not the
//! census share. The model's persons carry the census share (programs and costs must add up to
//! the country); the survey-basis indicators reweight urban and rural persons so that urban
//! persons hold the survey's share of the weight, and leave each residence's own distribution as
//! it is.

use crate::population::Residence;

/// Urban share of persons in the NBS survey's 2022 national figures: the one that makes the
/// official urban (49,283) and rural (20,133) means average to the national mean (36,883),
/// ../shared/data/calibration_targets.toml [national.income] mean_2022, urban_mean_2022,
/// rural_mean_2022: 0.5746.
pub const SURVEY_URBAN_SHARE_2022: f64 = (36_883.0 - 20_133.0) / (49_283.0 - 20_133.0);

/// Urban share of the population in 2022 ([national.population] urban_share_2022, NBS 2022
/// communique).
pub const POPULATION_URBAN_SHARE_2022: f64 = 0.6522;

/// The survey's urban share for a population whose urban share is `population_share`: the 2022
/// ratio of the two held (assumption: the survey under-represents urban persons by the same
/// factor as in 2022), so 0.5746 at the 2022 share.
pub fn survey_urban_share(population_share: f64) -> f64 {
    (population_share * SURVEY_URBAN_SHARE_2022 / POPULATION_URBAN_SHARE_2022).clamp(0.0, 1.0)
}

/// Person weights on the survey basis, into `out`: urban persons' weights scaled so that they
/// hold [`survey_urban_share`] of the total, rural persons' so that they hold the rest. With no
/// urban or no rural persons the weights are copied unchanged.
pub fn survey_basis_weights(weights: &[f64], residence: &[Residence], out: &mut Vec<f64>) {
    let total: f64 = weights.iter().sum();
    let urban: f64 = weights
        .iter()
        .zip(residence)
        .filter(|(_, r)| **r == Residence::Urban)
        .map(|(w, _)| w)
        .sum();
    out.clear();
    if urban <= 0.0 || urban >= total {
        out.extend_from_slice(weights);
        return;
    }
    let share = survey_urban_share(urban / total);
    let factor = [
        share * total / urban,
        (1.0 - share) * total / (total - urban),
    ];
    out.extend(
        weights
            .iter()
            .zip(residence)
            .map(|(w, r)| w * factor[r.index()]),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (36,883 - 20,133) / (49,283 - 20,133) = 16,750 / 29,150 = 0.574614.
    #[test]
    fn the_2022_survey_share() {
        assert!((SURVEY_URBAN_SHARE_2022 - 0.574614).abs() < 1e-6);
        assert!((survey_urban_share(0.6522) - SURVEY_URBAN_SHARE_2022).abs() < 1e-15);
    }

    /// Two urban persons of weight 3 and one rural of weight 4 (urban share 0.6 of 10): urban
    /// weights become 3 x s x 10 / 6, the rural 4 x (1 - s) x 10 / 4, with
    /// s = 0.6 x 0.574614 / 0.6522 = 0.528624; the total stays 10.
    #[test]
    fn reweights_to_the_survey_share() {
        use Residence::{Rural, Urban};
        let mut out = Vec::new();
        survey_basis_weights(&[3.0, 3.0, 4.0], &[Urban, Urban, Rural], &mut out);
        let s = 0.6 * SURVEY_URBAN_SHARE_2022 / 0.6522;
        assert!((s - 0.528624).abs() < 1e-6, "{s}");
        assert!((out[0] - 3.0 * s * 10.0 / 6.0).abs() < 1e-12);
        assert!((out[2] - (1.0 - s) * 10.0).abs() < 1e-12);
        assert!((out.iter().sum::<f64>() - 10.0).abs() < 1e-12);
        survey_basis_weights(&[1.0, 2.0], &[Rural, Rural], &mut out);
        assert_eq!(out, [1.0, 2.0]);
    }
}
