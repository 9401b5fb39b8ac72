//! Rural-urban migration (rules.md 9): a rural household with a working-age member moves to urban
//! residence with `urbanisation_rate_annual`, keeping hukou and leaving its collective.

use std::ops::RangeInclusive;

use super::{DrawContext, DynamicsParams};
use crate::population::{Households, NO_COLLECTIVE, Persons, Residence};
use crate::rng::Purpose;

/// Ages that make a rural household able to move for work (rules.md 9: "a working-age member").
pub const WORKING_AGE: RangeInclusive<u8> = 16..=59;

/// Moves household row `hh` (members `members` of `persons`) to urban residence when it is rural,
/// has a working-age member and its draw says so; `household_id` keys the draw. The members keep
/// their hukou where it was registered, so it is no longer local (rules.md 13). Returns whether it
/// moved.
pub(super) fn migrate(
    households: &mut Households,
    hh: usize,
    persons: &mut Persons,
    members: std::ops::Range<usize>,
    household_id: u64,
    p: &DynamicsParams,
    draws: &DrawContext,
) -> bool {
    let moves = households.residence[hh] == Residence::Rural
        && members
            .clone()
            .any(|j| WORKING_AGE.contains(&persons.age[j]))
        && draws
            .key(household_id, Purpose::Migration)
            .stream()
            .uniform()
            < p.urbanisation_rate_annual;
    if moves {
        households.residence[hh] = Residence::Urban;
        households.collective[hh] = NO_COLLECTIVE;
        for j in members {
            persons.local_hukou[j] = false;
        }
    }
    moves
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamics::testkit::*;

    /// Rural households with a working-age member move with the given probability; they keep hukou
    /// and leave their collective. A household of two 70-year-olds never moves.
    #[test]
    fn migration_moves_working_age_rural_households_only() {
        let n = 20_000;
        let young: Vec<HouseholdRow> = (0..n)
            .map(|_| HouseholdRow {
                collective: 0,
                ..HouseholdRow::new(
                    Residence::Rural,
                    1.0,
                    vec![PersonRow {
                        age: 30,
                        ..Default::default()
                    }],
                )
            })
            .collect();
        let pop = build(&["national"], 1, &young);
        let p = DynamicsParams {
            urbanisation_rate_annual: 0.1,
            ..params()
        };
        let (np, nh, _) = run(&pop, &p, 2023);
        let moved = nh
            .residence
            .iter()
            .filter(|&&r| r == Residence::Urban)
            .count() as f64
            / nh.len() as f64;
        assert!(
            (moved - 0.1).abs() < 4.0 * (0.09f64 / n as f64).sqrt(),
            "moved {moved}"
        );
        for h in 0..nh.len() {
            if nh.residence[h] == Residence::Urban {
                assert_eq!(nh.collective[h], NO_COLLECTIVE);
                assert_eq!(np.hukou[nh.members(h).start], Residence::Rural);
            }
        }
        let old = many(
            2_000,
            PersonRow {
                age: 70,
                ..Default::default()
            },
            Residence::Rural,
        );
        let (_, nh, _) = run(&old, &p, 2023);
        assert!(nh.residence.iter().all(|&r| r == Residence::Rural));
    }
}
