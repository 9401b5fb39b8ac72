//! Local hukou of generated households (population.md "Synthetic population specs", hukou; rules.md
//! 13): the share of persons whose hukou is not registered where they live, by residence, met by
//! choosing whole households (a migrant family moves together).
//!
//! Households are chosen by weighted sampling without replacement (Efraimidis-Spirakis: each
//! household's key is u^(1 / relative), u drawn from its own stream, relative the spec's chance by
//! the age of its oldest member), taken in key order until the residence's weighted share of
//! persons without local hukou reaches the target: the target is met to within one household, and
//! which households move depends on their age structure as the spec says. Without a `[hukou]`
//! section every person has local hukou.

use serde::Deserialize;

use super::spec::{AgeSteps, ByResidence};
use super::validate::{Row, Tolerance};
use crate::error::{Error, Result};
use crate::population::{Population, Residence};
use crate::rng::Purpose;

/// The `[hukou]` section of a spec.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HukouSpec {
    /// Share of persons without local hukou (the floating population, 流动人口), by residence.
    pub non_local_share: ByResidence<f64>,
    /// Relative chance that a household is a migrant household, by the age of its oldest member
    /// (steps keyed by lower age; 0 below the lowest key: never).
    pub non_local_relative_by_oldest_age: AgeSteps,
    /// Absolute tolerance of the achieved shares in the validation table (the table adds half the
    /// weighted persons of the residence's largest household: whole households move).
    pub tolerance: f64,
}

impl HukouSpec {
    /// Checks shares and relatives; errors name `path` and the key.
    pub(super) fn check(&self, path: &std::path::Path) -> Result<()> {
        let bad = |key: &str, message: String| Error::Config {
            file: path.to_path_buf(),
            line: None,
            column: None,
            message: format!("`hukou.{key}`: {message}"),
            hint: None,
        };
        for (key, v) in [
            ("non_local_share.urban", self.non_local_share.urban),
            ("non_local_share.rural", self.non_local_share.rural),
        ] {
            if !(0.0..1.0).contains(&v) {
                return Err(bad(key, format!("{v} is not a share in 0..1")));
            }
        }
        let steps = self.non_local_relative_by_oldest_age.steps();
        if steps.is_empty() || steps.iter().any(|(_, r)| !(r.is_finite() && *r >= 0.0)) {
            return Err(bad(
                "non_local_relative_by_oldest_age",
                "needs at least one age with a finite relative chance >= 0".into(),
            ));
        }
        if !(self.tolerance.is_finite() && self.tolerance > 0.0) {
            return Err(bad(
                "tolerance",
                format!("{} must be positive", self.tolerance),
            ));
        }
        Ok(())
    }
}

/// Sets `local_hukou` of every person: false for the members of the chosen households, true
/// for the others. Needs the calibrated weights.
pub(super) fn assign_local_hukou(pop: &mut Population, spec: &HukouSpec, seed: u64) {
    let hh = &pop.households;
    let mut local = vec![true; pop.persons.len()];
    for residence in Residence::ALL {
        let target = spec.non_local_share.get(residence.index());
        let mut keyed: Vec<(f64, usize)> = Vec::new();
        let mut persons = 0.0;
        for h in (0..hh.len()).filter(|&h| hh.residence[h] == residence) {
            persons += hh.weight[h] * hh.size(h) as f64;
            let oldest = hh.members(h).map(|i| pop.persons.age[i]).max().unwrap_or(0);
            let relative = spec.non_local_relative_by_oldest_age.at(oldest);
            if relative <= 0.0 {
                continue;
            }
            let u = super::generator_key(seed, hh.household_id[h], Purpose::SynthHukou)
                .stream()
                .uniform();
            keyed.push((u.powf(1.0 / relative), h));
        }
        // Largest key first; ties (measure zero) by household order.
        keyed.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let wanted = target * persons;
        let mut moved = 0.0;
        for (_, h) in keyed {
            let size = hh.weight[h] * hh.size(h) as f64;
            // Take the household while that brings the share nearer the target.
            if moved + size / 2.0 > wanted {
                break;
            }
            moved += size;
            for i in hh.members(h) {
                local[i] = false;
            }
        }
    }
    pop.persons.local_hukou = local;
}

/// Validation rows: the weighted share of persons without local hukou by residence.
pub(super) fn rows(pop: &Population, spec: &HukouSpec) -> Vec<Row> {
    let hh = &pop.households;
    let mut non_local = [0.0; 2];
    let mut persons = [0.0; 2];
    let mut largest = [0.0f64; 2];
    for h in 0..hh.len() {
        let r = hh.residence[h].index();
        largest[r] = largest[r].max(hh.weight[h] * hh.size(h) as f64);
        for i in hh.members(h) {
            persons[r] += hh.weight[h];
            if !pop.persons.local_hukou[i] {
                non_local[r] += hh.weight[h];
            }
        }
    }
    Residence::ALL
        .into_iter()
        .map(|residence| {
            let r = residence.index();
            Row {
                target_name: format!("non_local_hukou_share_{}", residence.as_str()),
                target: spec.non_local_share.get(r),
                achieved: if persons[r] > 0.0 {
                    non_local[r] / persons[r]
                } else {
                    0.0
                },
                // Whole households move: the share is met to within half the weighted persons
                // of one household (a small sample's households weigh more).
                tolerance: Tolerance::Absolute(
                    spec.tolerance + largest[r] / (2.0 * persons[r].max(f64::MIN_POSITIVE)),
                ),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On the shipped national spec: every household moves as a whole, the shares by residence
    /// meet their targets within one household, and households of older persons are migrants less
    /// often than young ones (the spec's relative chances 1.2 at 30-44 against 0.25 at 60+).
    #[test]
    fn migrant_households_move_together_and_meet_the_shares() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("synthetic_pop")
            .join("china_2022.toml");
        let spec = super::super::load_spec(&path).unwrap();
        let h = spec
            .hukou
            .clone()
            .expect("the national spec has a [hukou] section");
        let (pop, _) = super::super::generate(&spec, 4_000, 11).unwrap();
        let hh = &pop.households;
        let (mut young, mut old) = ([0.0; 2], [0.0; 2]);
        for k in 0..hh.len() {
            let members: Vec<usize> = hh.members(k).collect();
            let local = pop.persons.local_hukou[members[0]];
            assert!(members.iter().all(|&i| pop.persons.local_hukou[i] == local));
            let oldest = members.iter().map(|&i| pop.persons.age[i]).max().unwrap();
            let group = if (30..45).contains(&oldest) {
                &mut young
            } else if oldest >= 60 {
                &mut old
            } else {
                continue;
            };
            group[0] += hh.weight[k];
            if !local {
                group[1] += hh.weight[k];
            }
        }
        for row in rows(&pop, &h) {
            assert!(row.error().abs() < 0.005, "{row:?}");
        }
        assert!(
            young[1] / young[0] > 2.0 * old[1] / old[0],
            "{young:?} {old:?}"
        );
    }
}
