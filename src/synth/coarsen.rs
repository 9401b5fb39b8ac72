//! Raking cells a small sample cannot meet. The full set of cells (rake.rs) has a solution when
//! the targets lie inside the cone of the sample households' cell counts; a sample of a few
//! hundred households in a residence may hold too few households of some kind (a rural sample with
//! many young adults, all of them in large households, cannot be raked to an old rural population
//! in small households), and then no weights meet every cell. Cells are then merged, one pair at a
//! time, until the raking converges:
//!
//! 1. before the first raking, an age band without a sample person joins a neighbour (in its
//!    national age group if one has members, else across the group's edge);
//! 2. while the raking does not converge, the cell with the largest relative error that has a
//!    neighbour it may join is merged with it, household-size classes before age bands (the rules
//!    act on ages: pension ages, 60, 65, 80): size classes with either neighbour, age bands only
//!    within one national age group (0-14, 15-59, 60-64, 65-79, 80+), so the national group shares
//!    stay raked. The neighbour is the one whose error has the other sign (the pair's errors then
//!    offset), else the one with fewer sample members.
//!
//! A large sample's first raking converges, so its cells and weights are those of the full set.
//! The validation table states every merge ([`note_merges`]): the merged range is a target of its
//! own (met as any raked cell), and each band or class inside it is reported, not imposed, with
//! `_merged_for_raking` in its name.

use std::ops::Range;

use super::rake::{self, Cells, Solution};
use super::spec::{AGE_BANDS, SIZE_CLASSES, Spec};
use super::targets::{Targets, band_of};
use super::validate::{Tolerance, ValidationTable, band_name, size_name};
use crate::population::Population;

/// The national age groups of the validation table as band ranges (0-14, 15-59, 60-64, 65-79,
/// 80+): a merge inside one keeps every national group share raked.
const AGE_GROUPS: [Range<usize>; 5] = [0..3, 3..12, 12..13, 13..16, 16..AGE_BANDS];

/// Merges at most (every band and class in one cell per residence is fewer).
const MAX_MERGES: usize = 2 * (AGE_BANDS + SIZE_CLASSES);

/// How the age bands and size classes of each residence are grouped into raking cells: contiguous
/// ranges covering 0..AGE_BANDS and 0..SIZE_CLASSES.
#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    /// Band ranges of each residence.
    pub age: [Vec<Range<usize>>; 2],
    /// Size-class ranges of each residence.
    pub size: [Vec<Range<usize>>; 2],
}

impl Partition {
    /// Every band and every size class a cell of its own.
    pub fn fine() -> Self {
        let bands: Vec<Range<usize>> = (0..AGE_BANDS).map(|b| b..b + 1).collect();
        let sizes: Vec<Range<usize>> = (0..SIZE_CLASSES).map(|s| s..s + 1).collect();
        Partition {
            age: [bands.clone(), bands],
            size: [sizes.clone(), sizes],
        }
    }

    fn ranges(&mut self, age: bool, r: usize) -> &mut Vec<Range<usize>> {
        if age {
            &mut self.age[r]
        } else {
            &mut self.size[r]
        }
    }

    /// Merges range `k` with range `k + 1` of one residence and dimension.
    fn merge(&mut self, age: bool, r: usize, k: usize) {
        let ranges = self.ranges(age, r);
        let next = ranges.remove(k + 1);
        ranges[k].end = next.end;
    }
}

/// True when an age-band range lies inside one national age group.
fn inside_one_group(range: &Range<usize>) -> bool {
    AGE_GROUPS
        .iter()
        .any(|g| g.start <= range.start && range.end <= g.end)
}

/// Raked weights and the partition they were raked on (see the module documentation).
pub fn calibrate(pop: &Population, t: &Targets, base: f64) -> (Vec<f64>, Partition) {
    let mut part = Partition::fine();
    merge_empty_bands(pop, &mut part);
    let mut merges = 0;
    loop {
        let cells = Cells::new(pop, t, &part);
        let solution = rake::rake(pop, &cells, base);
        if solution.converged() || merges == MAX_MERGES {
            return (solution.weights, part);
        }
        match worst_merge(&cells, &solution, &part) {
            Some((age, r, k)) => part.merge(age, r, k),
            None => return (solution.weights, part),
        }
        merges += 1;
    }
}

/// Step 1 of the module documentation: bands without a sample person join a neighbour.
fn merge_empty_bands(pop: &Population, part: &mut Partition) {
    let sample = rake::sample_ages(pop);
    for (r, by_age) in sample.iter().enumerate() {
        let mut persons = [0usize; AGE_BANDS];
        for (a, &n) in by_age.iter().enumerate() {
            persons[band_of(a as u8)] += n;
        }
        loop {
            let ranges = &part.age[r];
            let count = |k: usize| ranges[k].clone().map(|b| persons[b]).sum::<usize>();
            let Some(k) = (0..ranges.len()).find(|&k| count(k) == 0) else {
                break;
            };
            if ranges.len() == 1 {
                break;
            }
            let joined =
                |j: usize| ranges[j].start.min(ranges[k].start)..ranges[j].end.max(ranges[k].end);
            let neighbours = [k.checked_sub(1), (k + 1 < ranges.len()).then_some(k + 1)];
            let usable = |j: &usize| count(*j) > 0 || ranges.len() == 2;
            let pick = neighbours
                .iter()
                .flatten()
                .copied()
                .filter(usable)
                .find(|&j| inside_one_group(&joined(j)))
                .or_else(|| neighbours.iter().flatten().copied().find(usable))
                .unwrap_or(if k > 0 { k - 1 } else { k + 1 });
            part.merge(true, r, pick.min(k));
        }
    }
}

/// Step 2 of the module documentation: the (dimension, residence, first range) of the pair to
/// merge, or None when no cell may be merged.
fn worst_merge(
    cells: &Cells,
    solution: &Solution,
    part: &Partition,
) -> Option<(bool, usize, usize)> {
    // Error and sample members of each range: (weighted sum of errors) / (sum of targets).
    let mut error = [[Vec::new(), Vec::new()], [Vec::new(), Vec::new()]];
    let mut members = error.clone();
    for (dim, age) in [(0, true), (1, false)] {
        for r in 0..2 {
            let n = if age {
                part.age[r].len()
            } else {
                part.size[r].len()
            };
            error[dim][r] = vec![(0.0, 0.0); n];
            members[dim][r] = vec![(0.0, 0.0); n];
        }
    }
    for j in 0..cells.len() {
        let Some(o) = cells.owner(j) else { continue };
        let dim = usize::from(!o.age);
        let e = &mut error[dim][o.residence][o.range];
        e.0 += solution.relative_error[j] * cells.target(j);
        e.1 += cells.target(j);
        members[dim][o.residence][o.range].0 += solution.members[j] as f64;
    }
    let mut candidates = Vec::new();
    for (dim, age) in [(0, true), (1, false)] {
        for r in 0..2 {
            let ranges = if age { &part.age[r] } else { &part.size[r] };
            let err = |k: usize| error[dim][r][k].0 / error[dim][r][k].1.max(1.0);
            for k in 0..ranges.len() {
                let may_join = |j: usize| {
                    !age || inside_one_group(&(ranges[k.min(j)].start..ranges[k.max(j)].end))
                };
                let neighbours: Vec<usize> = [k.checked_sub(1), Some(k + 1)]
                    .into_iter()
                    .flatten()
                    .filter(|&j| j < ranges.len() && may_join(j))
                    .collect();
                let opposite = neighbours.iter().copied().find(|&j| err(j) * err(k) < 0.0);
                let thinnest = neighbours
                    .iter()
                    .copied()
                    .min_by(|&a, &b| members[dim][r][a].0.total_cmp(&members[dim][r][b].0));
                if let Some(j) = opposite.or(thinnest) {
                    candidates.push((err(k).abs(), age, r, k.min(j)));
                }
            }
        }
    }
    candidates
        .into_iter()
        .filter(|c| c.0 > 0.0)
        // Size classes (age false) first, then the largest error.
        .max_by(|a, b| (!a.1).cmp(&!b.1).then(a.0.total_cmp(&b.0)))
        .map(|(_, age, r, k)| (age, r, k))
}

/// States the merges of `part` in the validation table: each band or class inside a merged range
/// becomes a reported row named `..._merged_for_raking`, and the range gets a row of its own
/// (placed after its last band or class) with the share tolerance of the spec; national rows that
/// rest on a merged class (size shares) or on a band range across a national group's edge (age
/// groups) are reported too.
pub fn note_merges(table: &mut ValidationTable, part: &Partition, spec: &Spec) {
    let share = Tolerance::Absolute(spec.tolerances.share);
    for (r, res) in ["urban", "rural"].iter().enumerate() {
        for range in part.age[r].iter().filter(|g| g.len() > 1) {
            let names: Vec<String> = range
                .clone()
                .map(|b| format!("age_share_{res}_{}", band_name(b)))
                .collect();
            let merged = format!(
                "age_share_{res}_{}_to_{}",
                band_name(range.start),
                band_name(range.end - 1)
            );
            table.merge_rows(&names, merged, share);
        }
        for range in part.size[r].iter().filter(|g| g.len() > 1) {
            let names: Vec<String> = range
                .clone()
                .map(|s| format!("household_size_share_{res}_{}", size_name(s)))
                .collect();
            let merged = format!(
                "household_size_share_{res}_{}_to_{}",
                size_name(range.start),
                size_name(range.end - 1)
            );
            table.merge_rows(&names, merged, share);
        }
    }
    for s in 0..SIZE_CLASSES {
        if part
            .size
            .iter()
            .any(|ranges| ranges.iter().any(|g| g.len() > 1 && g.contains(&s)))
        {
            table.report_row(&format!("household_size_share_{}", size_name(s)));
        }
    }
    // The validation table's national groups: 0-14, 15-59, 60+, 65+, 80+ as band ranges.
    let groups = [
        ("0_14", 0..3),
        ("15_59", 3..12),
        ("60_plus", 12..AGE_BANDS),
        ("65_plus", 13..AGE_BANDS),
        ("80_plus", 16..AGE_BANDS),
    ];
    for (name, g) in groups {
        let straddles = part.age.iter().flatten().any(|range| {
            range.start < g.start && range.end > g.start || range.start < g.end && range.end > g.end
        });
        if straddles {
            table.report_row(&format!("age_share_{name}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_joins_neighbouring_ranges() {
        let mut p = Partition::fine();
        p.merge(false, 1, 4);
        assert_eq!(p.size[1], vec![0..1, 1..2, 2..3, 3..4, 4..6]);
        assert_ne!(p, Partition::fine());
        assert!(inside_one_group(&(13..16)) && !inside_one_group(&(11..13)));
    }
}
