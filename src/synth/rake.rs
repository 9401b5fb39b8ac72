//! Calibration of household weights by raking (population.md: "ends with calibration (raking
//! weights to the marginal targets)"). Raking is solved in its dual form: w_h = d exp(n_h . lambda),
//! where n_h counts the household's persons in each age cell x residence, its males, and its size
//! class; Newton steps on lambda make the weighted counts meet every target at once. This is the
//! limit iterative proportional fitting converges to, reached in a few passes, and it keeps one
//! weight per household (so weights are equal within a household by construction).
//!
//! Age cells are single years wherever the sample has enough persons in every year of a band, the
//! band otherwise: a band-wide multiplier would scale the drawn ages of a band by one factor and
//! leave a step at each band edge (the factors of neighbouring bands differ), which cohorts then
//! carry through every age threshold of the rules, one step every 5 simulated years. The
//! single-year targets split each band total smoothly (`targets::single_year_shares`), so band
//! totals are met either way.

use rayon::prelude::*;

use super::spec::{AGE_BANDS, SIZE_CLASSES};
use super::targets::{AGES, Targets, band_of};
use crate::population::{Population, Sex};

/// Sample persons each year of a band needs (in one residence) for the band to be raked year by
/// year: below it a single-year multiplier would rest on a handful of households.
const MIN_PERSONS_PER_YEAR: usize = 30;
/// Largest number of distinct cells a household touches (9 ages, males, size).
const MAX_ENTRIES: usize = 12;
/// Households per partial sum: fixed so that sums do not depend on the thread count.
const CHUNK: usize = 16_384;
/// Newton iterations at most (convergence is quadratic: 6 to 10 are typical).
const MAX_ITERATIONS: usize = 60;
/// Largest change of one multiplier in one step (guards the first steps and empty cells).
const MAX_STEP: f64 = 2.0;

/// The raking cells of one sample: persons by residence x age cell (a single year or a band),
/// males by residence, households by residence x size class.
pub struct Cells {
    /// Cell of each residence and age.
    age_cell: [[usize; AGES]; 2],
    /// First male cell (one per residence; the size cells follow).
    male_cell: usize,
    /// Target of each cell: persons or households represented.
    targets: Vec<f64>,
}

impl Cells {
    /// The cells of `pop` and their targets: single-year age cells for every band whose years
    /// all hold [`MIN_PERSONS_PER_YEAR`] sample persons of the residence, band cells otherwise.
    pub fn new(pop: &Population, t: &Targets) -> Self {
        let mut sample = [[0usize; AGES]; 2];
        for h in 0..pop.households.len() {
            let r = pop.households.residence[h].index();
            for i in pop.households.members(h) {
                sample[r][usize::from(pop.persons.age[i])] += 1;
            }
        }
        let mut age_cell = [[0; AGES]; 2];
        let mut targets = Vec::new();
        for r in 0..2 {
            for b in 0..AGE_BANDS {
                let years = (0..AGES).filter(|&a| band_of(a as u8) == b);
                if years.clone().all(|a| sample[r][a] >= MIN_PERSONS_PER_YEAR) {
                    for a in years {
                        age_cell[r][a] = targets.len();
                        targets.push(t.persons[r] * t.single_year_share[r][a]);
                    }
                } else {
                    for a in years {
                        age_cell[r][a] = targets.len();
                    }
                    targets.push(t.band_persons(r, b));
                }
            }
        }
        let male_cell = targets.len();
        targets.extend((0..2).map(|r| t.males(r)));
        for r in 0..2 {
            targets.extend_from_slice(&t.households[r]);
        }
        Cells {
            age_cell,
            male_cell,
            targets,
        }
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        self.targets.len()
    }
}

/// The cells household `h` counts in, as (cell, count) pairs in `buf`; returns how many.
pub fn household_cells(
    pop: &Population,
    cells: &Cells,
    h: usize,
    buf: &mut [(usize, f64); MAX_ENTRIES],
) -> usize {
    let r = pop.households.residence[h].index();
    let members = pop.households.members(h);
    let size = members.len();
    let mut n = 0;
    let mut add = |cell: usize, buf: &mut [(usize, f64); MAX_ENTRIES]| {
        if let Some(e) = buf[..n].iter_mut().find(|e| e.0 == cell) {
            e.1 += 1.0;
        } else {
            buf[n] = (cell, 1.0);
            n += 1;
        }
    };
    for i in members {
        add(cells.age_cell[r][usize::from(pop.persons.age[i])], buf);
        if pop.persons.sex[i] == Sex::Male {
            add(cells.male_cell + r, buf);
        }
    }
    add(
        cells.male_cell + 2 + r * SIZE_CLASSES + size.min(SIZE_CLASSES) - 1,
        buf,
    );
    n
}

/// Weight of household `h` at multipliers `lambda`: base x exp(sum of its cells' multipliers);
/// its cells are left in `buf[..n]`. Returns (n, weight).
fn weight(
    pop: &Population,
    cells: &Cells,
    h: usize,
    lambda: &[f64],
    base: f64,
    buf: &mut [(usize, f64); MAX_ENTRIES],
) -> (usize, f64) {
    let n = household_cells(pop, cells, h, buf);
    let exponent: f64 = buf[..n].iter().map(|&(j, x)| x * lambda[j]).sum();
    (n, base * exponent.exp())
}

/// Raked household weights meeting the targets of `cells` (as closely as Newton reaches in its
/// iterations; the validation table reports what was met). `base` is the starting weight of every
/// household.
pub fn rake(pop: &Population, cells: &Cells, base: f64) -> Vec<f64> {
    let households = pop.households.len();
    let chunks = households.div_ceil(CHUNK);
    let targets = &cells.targets;
    let n_cells = cells.len();
    let mut lambda = vec![0.0f64; n_cells];
    for _ in 0..MAX_ITERATIONS {
        let partials: Vec<(Vec<f64>, Vec<f64>)> = (0..chunks)
            .into_par_iter()
            .map(|c| {
                let mut sums = vec![0.0; n_cells];
                let mut hess = vec![0.0; n_cells * n_cells];
                let mut buf = [(0, 0.0); MAX_ENTRIES];
                for h in c * CHUNK..((c + 1) * CHUNK).min(households) {
                    let (n, w) = weight(pop, cells, h, &lambda, base, &mut buf);
                    for &(j, x) in &buf[..n] {
                        sums[j] += w * x;
                        for &(k, y) in &buf[..n] {
                            hess[j * n_cells + k] += w * x * y;
                        }
                    }
                }
                (sums, hess)
            })
            .collect();
        let mut sums = vec![0.0; n_cells];
        let mut hess = vec![0.0; n_cells * n_cells];
        for (s, h) in &partials {
            sums.iter_mut().zip(s).for_each(|(a, b)| *a += b);
            hess.iter_mut().zip(h).for_each(|(a, b)| *a += b);
        }
        let mut resid: Vec<f64> = (0..n_cells).map(|j| targets[j] - sums[j]).collect();
        let worst = (0..n_cells)
            .map(|j| resid[j].abs() / targets[j].max(1.0))
            .fold(0.0, f64::max);
        if worst < 1e-12 {
            break;
        }
        // A tiny ridge keeps an empty cell (no sample household) from making the system singular.
        let ridge = 1e-12
            * (0..n_cells)
                .map(|j| hess[j * n_cells + j])
                .fold(0.0, f64::max);
        for j in 0..n_cells {
            hess[j * n_cells + j] += ridge;
        }
        solve(&mut hess, &mut resid);
        for j in 0..n_cells {
            lambda[j] += resid[j].clamp(-MAX_STEP, MAX_STEP);
        }
    }
    let mut buf = [(0, 0.0); MAX_ENTRIES];
    (0..households)
        .map(|h| weight(pop, cells, h, &lambda, base, &mut buf).1)
        .collect()
}

/// Solves `a x = b` in place (Gaussian elimination with partial pivoting; `b` becomes x).
pub(crate) fn solve(a: &mut [f64], b: &mut [f64]) {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&i, &j| a[i * n + col].abs().total_cmp(&a[j * n + col].abs()))
            .unwrap_or(col);
        if a[pivot * n + col] == 0.0 {
            b[col] = 0.0;
            continue;
        }
        if pivot != col {
            for k in 0..n {
                a.swap(col * n + k, pivot * n + k);
            }
            b.swap(col, pivot);
        }
        for i in col + 1..n {
            let f = a[i * n + col] / a[col * n + col];
            if f != 0.0 {
                for k in col..n {
                    a[i * n + k] -= f * a[col * n + k];
                }
                b[i] -= f * b[col];
            }
        }
    }
    for col in (0..n).rev() {
        let d = a[col * n + col];
        let s: f64 = (col + 1..n).map(|k| a[col * n + k] * b[k]).sum();
        b[col] = if d == 0.0 { 0.0 } else { (b[col] - s) / d };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2x + y = 5, x + 3y = 10 has x = 1, y = 3 (by substitution: y = 5 - 2x, x + 15 - 6x = 10).
    #[test]
    fn solve_small_system() {
        let mut a = [2.0, 1.0, 1.0, 3.0];
        let mut b = [5.0, 10.0];
        solve(&mut a, &mut b);
        assert!((b[0] - 1.0).abs() < 1e-12 && (b[1] - 3.0).abs() < 1e-12);
    }
}
