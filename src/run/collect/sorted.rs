//! The year's sorted distributions, one per income concept, built together before any indicator
//! reads them: each sorts households rather than persons (every member carries the household's
//! per-capita value), the concepts in parallel; the survey-basis distribution reuses the order
//! of D. Buffers are reused from year to year.

use rayon::prelude::*;

use super::Gathered;
use crate::error::Result;
use crate::indicators::{self as ind, Distribution};
use crate::results::Income;

/// The income concepts with a distribution of their own, in [`Workspace`] slot order.
const CONCEPTS: [Income; 6] = [
    Income::Market,
    Income::MarketPensions,
    Income::Disposable,
    Income::DisposableCare,
    Income::DisposableHealth,
    Income::DisposableCareHealth,
];

/// One concept's distribution and whether this year's build succeeded (why not, if not).
#[derive(Debug)]
struct Slot {
    distribution: Distribution,
    built: std::result::Result<(), String>,
}

impl Default for Slot {
    fn default() -> Self {
        Slot {
            distribution: Distribution::default(),
            built: Err("not sorted yet".into()),
        }
    }
}

/// Sorted distributions of one year, reused across years.
#[derive(Debug, Default)]
pub struct Workspace {
    concepts: [Slot; CONCEPTS.len()],
    survey: Slot,
    survey_weight: Vec<f64>,
    /// A residence's or region's distribution of D, filtered from the national one.
    pub(super) group: Distribution,
}

impl Gathered {
    /// The per-person values of an income concept with a distribution.
    fn concept(&self, income: Income) -> &[f64] {
        match income {
            Income::Market => &self.market,
            Income::MarketPensions => &self.after_pensions,
            Income::Disposable => &self.disposable,
            Income::DisposableCare => &self.disposable_care,
            Income::DisposableHealth => &self.disposable_health,
            Income::DisposableCareHealth => &self.disposable_care_health,
        }
    }
}

impl Workspace {
    /// Sorts every concept of `g` (in parallel) and the survey-basis distribution of D.
    pub(super) fn sort(&mut self, g: &Gathered) {
        self.concepts
            .par_iter_mut()
            .zip(CONCEPTS)
            .for_each(|(slot, income)| {
                slot.built = slot
                    .distribution
                    .rebuild_by_household(g.concept(income), &g.weight, &g.household_start)
                    .map_err(|e| e.to_string());
            });
        ind::survey_basis_weights(&g.weight, &g.residence, &mut self.survey_weight);
        let d = &self.concepts[slot_of(Income::Disposable)];
        self.survey.built = match &d.built {
            Ok(()) => d
                .distribution
                .reweighted_into(
                    &g.disposable,
                    &self.survey_weight,
                    &mut self.survey.distribution,
                )
                .map_err(|e| e.to_string()),
            Err(why) => Err(why.clone()),
        };
    }

    /// The sorted distribution of `income` (one of the concepts sorted by [`Workspace::sort`]).
    pub(super) fn sorted(&self, income: Income) -> Sorted<'_> {
        Sorted::of(income, &self.concepts[slot_of(income)])
    }

    /// The survey-basis distribution of D (indicators.md, "Survey basis").
    pub(super) fn survey(&self) -> Sorted<'_> {
        Sorted::of(Income::Disposable, &self.survey)
    }

    /// The sorted national distribution of D, when it could be built.
    pub(super) fn disposable(&self) -> Option<&Distribution> {
        let slot = &self.concepts[slot_of(Income::Disposable)];
        slot.built.as_ref().ok().map(|()| &slot.distribution)
    }
}

/// The slot of a concept in [`CONCEPTS`].
fn slot_of(income: Income) -> usize {
    match income {
        Income::Market => 0,
        Income::MarketPensions => 1,
        Income::Disposable => 2,
        Income::DisposableCare => 3,
        Income::DisposableHealth => 4,
        Income::DisposableCareHealth => 5,
    }
}

/// One income concept's sorted distribution of the year, or why there is none (no persons).
pub(super) struct Sorted<'a> {
    income: Income,
    pub(super) distribution: std::result::Result<&'a Distribution, String>,
}

impl<'a> Sorted<'a> {
    fn of(income: Income, slot: &'a Slot) -> Self {
        Sorted {
            income,
            distribution: slot
                .built
                .as_ref()
                .map(|()| &slot.distribution)
                .map_err(Clone::clone),
        }
    }

    /// `f` of the distribution; why it is undefined names the income concept.
    pub(super) fn get<T>(
        &self,
        f: impl FnOnce(&Distribution) -> Result<T>,
    ) -> std::result::Result<T, String> {
        let why = match &self.distribution {
            Ok(d) => match f(d) {
                Ok(v) => return Ok(v),
                Err(e) => e.to_string(),
            },
            Err(why) => why.clone(),
        };
        Err(format!("income `{}`: {why}", self.income))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_concept_has_its_own_slot() {
        for (i, income) in CONCEPTS.into_iter().enumerate() {
            assert_eq!(slot_of(income), i, "{income}");
        }
    }
}
