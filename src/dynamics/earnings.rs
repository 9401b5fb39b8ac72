//! Earnings (rules.md 9): growth by residence and status, a Mincer age profile and a transitory
//! shock for earners; labour-market entry at 20 for those not yet working, with the status shares
//! and mean earnings of the start population's 20-29-year-olds.

use super::{DrawContext, DynamicsParams};
use crate::population::{Employment, Households, LifeEvents, Persons, Residence};
use crate::rng::Purpose;

/// Age at which young people not yet working enter the labour market (assumption, docs/rules.md).
pub const LABOUR_ENTRY_AGE: u8 = 20;

/// Log-earnings age profile f(a) = 0.06 a - 0.000667 a^2 (peak near 45; a standard Mincer shape,
/// assumption): the yearly change is f(a) - f(a - 1).
const AGE_PROFILE_LINEAR: f64 = 0.06;
const AGE_PROFILE_QUADRATIC: f64 = -0.000_667;

/// Dispersion (log sd) of a labour-market entrant's earnings around the mean of their status.
pub const ENTRANT_EARNINGS_SD: f64 = 0.6;

/// Who enters the labour market at [`LABOUR_ENTRY_AGE`], for one region and residence: status
/// shares and mean earnings by status, taken from people aged 20-29 of the start population and
/// grown each year with the residence's earnings growth.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryModel {
    /// Cumulative shares over employee, flexible, farmer, not working.
    pub cumulative_shares: [f64; 4],
    /// Mean earnings of positive earners by status (employee, flexible, farmer), yuan/year.
    pub mean_earnings_yearly: [f64; 3],
}

const ENTRY_STATUSES: [Employment; 4] = [
    Employment::Employee,
    Employment::Flexible,
    Employment::Farmer,
    Employment::NotWorking,
];

impl EntryModel {
    /// Estimates the models of every (region, residence) from a population (weighted, ages 20-29).
    /// A cell with no people aged 20-29 falls back to the national cell of its residence.
    pub fn estimate(
        persons: &Persons,
        households: &Households,
        regions: usize,
    ) -> Vec<[EntryModel; 2]> {
        let mut share_w = vec![[[0.0f64; 4]; 2]; regions + 1];
        let mut earn = vec![[[(0.0f64, 0.0f64); 3]; 2]; regions + 1];
        for h in 0..households.len() {
            let (w, r, res) = (
                households.weight[h],
                households.region[h] as usize,
                households.residence[h].index(),
            );
            for i in households.members(h) {
                if !(20..=29).contains(&persons.age[i]) {
                    continue;
                }
                let Some(s) = ENTRY_STATUSES
                    .iter()
                    .position(|&e| e == persons.employment[i])
                else {
                    continue;
                };
                for cell in [r, regions] {
                    share_w[cell][res][s] += w;
                    if s < 3 && persons.earnings_yearly[i] > 0.0 {
                        earn[cell][res][s].0 += w * persons.earnings_yearly[i];
                        earn[cell][res][s].1 += w;
                    }
                }
            }
        }
        let model = |cell: usize, res: usize| -> Option<EntryModel> {
            let total: f64 = share_w[cell][res].iter().sum();
            if total <= 0.0 {
                return None;
            }
            let mut cum = [0.0; 4];
            let mut acc = 0.0;
            for s in 0..4 {
                acc += share_w[cell][res][s] / total;
                cum[s] = acc;
            }
            let mean = std::array::from_fn(|s| {
                let (num, den) = earn[cell][res][s];
                if den > 0.0 { num / den } else { 0.0 }
            });
            Some(EntryModel {
                cumulative_shares: cum,
                mean_earnings_yearly: mean,
            })
        };
        let fallback = EntryModel {
            cumulative_shares: [0.0, 0.0, 0.0, 1.0],
            mean_earnings_yearly: [0.0; 3],
        };
        (0..regions)
            .map(|r| {
                std::array::from_fn(|res| {
                    model(r, res)
                        .or_else(|| model(regions, res))
                        .unwrap_or_else(|| fallback.clone())
                })
            })
            .collect()
    }

    /// Grows mean earnings by one year of the residence's growth.
    pub fn grow(&mut self, p: &DynamicsParams) {
        let g = [
            p.wage_growth_rate,
            p.wage_growth_rate,
            p.rural_income_growth_rate,
        ];
        for (m, g) in self.mean_earnings_yearly.iter_mut().zip(g) {
            *m *= 1.0 + g;
        }
    }
}

/// Earnings and other income of person `j` for the year: growth, the age profile and the
/// transitory shock for earners; labour-market entry at [`LABOUR_ENTRY_AGE`] (marked
/// [`LifeEvents::ENTERED_LABOUR_MARKET`] for the pension rules, which assign the scheme).
pub(super) fn update_earnings(
    persons: &mut Persons,
    j: usize,
    p: &DynamicsParams,
    residence: Residence,
    entry: &EntryModel,
    draws: DrawContext,
) {
    let id = persons.person_id[j];
    let age = persons.age[j];
    let growth_other = match residence {
        Residence::Urban => p.wage_growth_rate,
        Residence::Rural => p.rural_income_growth_rate,
    };
    persons.other_income_yearly[j] *= 1.0 + growth_other;
    let employment = persons.employment[j];
    let earner = matches!(
        employment,
        Employment::Employee | Employment::Flexible | Employment::Farmer
    );
    if earner && persons.earnings_yearly[j] > 0.0 {
        let growth = if employment == Employment::Farmer {
            p.rural_income_growth_rate
        } else {
            p.wage_growth_rate
        };
        let a = f64::from(age);
        let profile = AGE_PROFILE_LINEAR + AGE_PROFILE_QUADRATIC * (2.0 * a - 1.0);
        let shock = if p.earnings_shock_sd > 0.0 {
            let now = draws
                .key(id, Purpose::EarningsShock)
                .stream()
                .standard_normal();
            let before = DrawContext {
                year: draws.year - 1,
                ..draws
            }
            .key(id, Purpose::EarningsShock)
            .stream()
            .standard_normal();
            p.earnings_shock_sd * (now - before)
        } else {
            0.0
        };
        let old_age = if employment == Employment::Farmer && age > 60 {
            p.farmer_old_age_factor
        } else {
            1.0
        };
        persons.earnings_yearly[j] *= (1.0 + growth) * (profile + shock).exp() * old_age;
    } else if age == LABOUR_ENTRY_AGE
        && matches!(employment, Employment::Student | Employment::NotWorking)
        && persons.earnings_yearly[j] == 0.0
    {
        let mut s = draws.key(id, Purpose::LabourEntry).stream();
        let status = ENTRY_STATUSES[s.pick_cumulative(&entry.cumulative_shares)];
        persons.employment[j] = status;
        if status != Employment::NotWorking {
            // Employee, Flexible and Farmer are 0, 1, 2: the order of `mean_earnings_yearly`.
            let mean = entry.mean_earnings_yearly[status as usize];
            let z = s.standard_normal();
            persons.earnings_yearly[j] = mean
                * (ENTRANT_EARNINGS_SD * z - ENTRANT_EARNINGS_SD * ENTRANT_EARNINGS_SD / 2.0).exp();
        }
        persons.life_events[j].insert(LifeEvents::ENTERED_LABOUR_MARKET);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamics::testkit::*;

    /// Without shocks, earnings grow by (1 + g) x exp(f(a) - f(a - 1)): at 31 the profile step is
    /// 0.06 - 0.000667 x 61 = 0.019313.
    #[test]
    fn earnings_grow_with_wages_and_the_age_profile() {
        let pop = many(
            1,
            PersonRow {
                age: 30,
                employment: Employment::Flexible,
                earnings: 40_000.0,
                other_income: 1_000.0,
                ..Default::default()
            },
            Residence::Urban,
        );
        let p = DynamicsParams {
            wage_growth_rate: 0.05,
            ..params()
        };
        let (np, _, _) = run(&pop, &p, 2023);
        let expected = 40_000.0 * 1.05 * (0.06f64 - 0.000_667 * 61.0).exp();
        assert!(
            (np.earnings_yearly[0] - expected).abs() < 1e-9,
            "{} vs {expected}",
            np.earnings_yearly[0]
        );
        assert!((np.other_income_yearly[0] - 1_050.0).abs() < 1e-9);
    }

    #[test]
    fn labour_entry_at_twenty_is_marked_for_the_pension_rules() {
        let pop = build(
            &["national"],
            0,
            &[HouseholdRow::new(
                Residence::Urban,
                1.0,
                vec![
                    PersonRow {
                        age: 19,
                        employment: Employment::Student,
                        ..Default::default()
                    },
                    PersonRow {
                        age: 15,
                        employment: Employment::NotWorking,
                        ..Default::default()
                    },
                ],
            )],
        );
        assert_eq!(pop.persons.pension_scheme[1], PensionScheme::None);
        let (np, _, _) = run(&pop, &params(), 2023);
        // Entry shares: half employees at 50,000 mean, half not working.
        assert!(matches!(
            np.employment[0],
            Employment::Employee | Employment::NotWorking
        ));
        assert_eq!(
            np.employment[0] == Employment::Employee,
            np.earnings_yearly[0] > 0.0
        );
        assert!(np.life_events[0].contains(LifeEvents::ENTERED_LABOUR_MARKET));
        assert_eq!(np.life_events[1], LifeEvents::NONE, "not twenty yet");
        assert_eq!(
            np.pension_scheme[1],
            PensionScheme::None,
            "the dynamics assign no scheme: the pension rules do"
        );
    }
}
