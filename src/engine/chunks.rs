//! Splitting a population into chunks of whole households for parallel work.
//!
//! Chunks are fixed by household count, not by thread count, and a boundary never falls inside a
//! collective (households of a collective are contiguous, population::io orders them so), because
//! the collective subsidy shares a collective's capacity among its members within one call.

use std::ops::Range;

use crate::population::{Households, NO_COLLECTIVE, Persons, Population};

/// Default number of households per chunk: large enough to amortise scheduling, small enough that
/// two threads stay balanced on populations of 100k persons or more.
pub const DEFAULT_CHUNK_HOUSEHOLDS: usize = 4096;

/// Household ranges of the chunks: about `target` households each, extended past the end of a
/// collective that straddles a boundary.
pub fn boundaries(households: &Households, target: usize) -> Vec<Range<usize>> {
    let n = households.len();
    let target = target.max(1);
    let mut out = Vec::with_capacity(n / target + 1);
    let mut start = 0;
    while start < n {
        let mut end = (start + target).min(n);
        while end < n
            && households.collective[end] != NO_COLLECTIVE
            && households.collective[end] == households.collective[end - 1]
        {
            end += 1;
        }
        out.push(start..end);
        start = end;
    }
    out
}

/// Copies the households `range` of a population (and their members) into a chunk whose household
/// rows are local (0..range.len()).
pub fn extract(pop: &Population, range: Range<usize>) -> (Persons, Households) {
    let mut persons = Persons::default();
    let mut households = Households::default();
    households.clear();
    for h in range {
        let row = households.len() as u32;
        for i in pop.households.members(h) {
            persons.push_from(&pop.persons, i, row);
        }
        households.push_from(&pop.households, h);
        households.close(persons.len());
    }
    (persons, households)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::population::Residence;
    use crate::population::testkit::{HouseholdRow, PersonRow, build};

    fn pop_with_collectives(collectives: &[u32]) -> Population {
        let hh: Vec<HouseholdRow> = collectives
            .iter()
            .map(|&c| HouseholdRow {
                collective: c,
                ..HouseholdRow::new(Residence::Rural, 1.0, vec![PersonRow::default(); 2])
            })
            .collect();
        build(&["national"], 3, &hh)
    }

    #[test]
    fn chunks_cover_every_household_once_and_never_split_a_collective() {
        let pop = pop_with_collectives(&[NO_COLLECTIVE, 0, 0, 0, 1, 1, NO_COLLECTIVE, 2, 2, 2, 2]);
        // Target 2: 0..2 would end inside collective 0 (rows 1..=3), so it extends to 4; 4..6 ends
        // where collective 1 does; 6..8 would end inside collective 2 (rows 7..=10): 6..11.
        let b = boundaries(&pop.households, 2);
        assert_eq!(b, vec![0..4, 4..6, 6..11]);
        for r in &b {
            if r.end < pop.households.len() {
                let (last, next) = (
                    pop.households.collective[r.end - 1],
                    pop.households.collective[r.end],
                );
                assert!(
                    next == NO_COLLECTIVE || next != last,
                    "boundary {r:?} splits collective {next}"
                );
            }
        }
        assert_eq!(b.iter().map(|r| r.len()).sum::<usize>(), 11);
    }

    #[test]
    fn extract_keeps_members_and_local_rows() {
        let pop = pop_with_collectives(&[NO_COLLECTIVE, 0, 0]);
        let (p, h) = extract(&pop, 1..3);
        assert_eq!(h.len(), 2);
        assert_eq!(h.start, vec![0, 2, 4]);
        assert_eq!(p.person_id, vec![3, 4, 5, 6]);
        assert_eq!(p.household, vec![0, 0, 1, 1]);
        assert_eq!(h.household_id, vec![2, 3]);
    }
}
