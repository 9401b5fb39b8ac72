//! Births (rules.md 9): age-specific fertility of women 15..49 from the total fertility rate;
//! newborns join their mother's household with her hukou.

use super::{DrawContext, DynamicsParams};
use crate::population::{Persons, Sex};
use crate::rng::{Purpose, StreamKey};

/// Share of a woman's total fertility falling in each 5-year age group 15-19 .. 45-49 (shape of
/// China's 2020 census age-specific fertility, assumption; sums to 1).
pub const FERTILITY_SHAPE: [f64; 7] = [0.02, 0.22, 0.38, 0.25, 0.10, 0.025, 0.005];

/// Probability that a newborn is a boy (sex ratio at birth about 1.11 in the 2020 census).
pub const MALE_BIRTH_PROBABILITY: f64 = 0.526;

/// Yearly birth probability of a woman aged `age`.
#[inline]
pub(super) fn birth_probability(p: &DynamicsParams, age: u8) -> f64 {
    if !(15..=49).contains(&age) {
        return 0.0;
    }
    p.total_fertility_rate * FERTILITY_SHAPE[usize::from((age - 15) / 5)] / 5.0
}

/// Id of a newborn: the top bit set (never an id of a population file, which are below 2^63 in
/// practice) and 63 bits of a hash of the mother's id and the year; a mother has at most one birth
/// a year, and a collision among 10 million births has a probability near 1e-5.
pub fn newborn_id(mother_id: u64, year: i32) -> u64 {
    let key = StreamKey {
        seed: mother_id,
        replication: 0,
        entity: mother_id,
        year,
        purpose: Purpose::NewbornTraits,
    };
    (1u64 << 63) | (key.hash() >> 1)
}

/// Births to the surviving women among `members` of household row `row`, appended after them.
/// Returns the number of births.
pub(super) fn give_birth(
    persons: &mut Persons,
    members: std::ops::Range<usize>,
    row: u32,
    p: &DynamicsParams,
    draws: &DrawContext,
) -> usize {
    let mut births = 0;
    for j in members {
        if persons.sex[j] != Sex::Female {
            continue;
        }
        let mother = persons.person_id[j];
        if draws.key(mother, Purpose::Fertility).stream().uniform()
            < birth_probability(p, persons.age[j])
        {
            let boy = draws
                .key(mother, Purpose::NewbornSex)
                .stream()
                .bernoulli(MALE_BIRTH_PROBABILITY);
            let (hukou, local) = (persons.hukou[j], persons.local_hukou[j]);
            persons.push_newborn(
                newborn_id(mother, draws.year),
                row,
                if boy { Sex::Male } else { Sex::Female },
                hukou,
                local,
            );
            births += 1;
        }
    }
    births
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamics::testkit::*;

    /// Women aged 26 with a total fertility rate of 1: birth probability 0.38 / 5 = 0.076 a year;
    /// newborns are age 0, in their mother's household, right after its members.
    #[test]
    fn births_follow_fertility_and_join_the_mother() {
        let n = 40_000;
        let pop = many(
            n,
            PersonRow {
                age: 26,
                sex: Sex::Female,
                ..Default::default()
            },
            Residence::Rural,
        );
        let p = DynamicsParams {
            total_fertility_rate: 1.0,
            ..params()
        };
        let (np, nh, c) = run(&pop, &p, 2023);
        let births = np.age.iter().filter(|&&a| a == 0).count();
        let rate = births as f64 / n as f64;
        assert!(
            (rate - 0.076).abs() < 4.0 * (0.076 * 0.924 / n as f64).sqrt(),
            "birth rate {rate}"
        );
        assert_eq!(c.births.value(), births as f64);
        for h in 0..nh.len() {
            let m = nh.members(h);
            if m.len() == 2 {
                assert_eq!((np.age[m.start], np.age[m.start + 1]), (27, 0));
                assert_eq!(
                    np.person_id[m.start + 1],
                    newborn_id(np.person_id[m.start], 2023)
                );
                assert_eq!(np.hukou[m.start + 1], Residence::Rural);
            }
        }
    }
}
