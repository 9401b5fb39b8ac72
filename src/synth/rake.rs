//! Calibration of household weights by raking (population.md: "ends with calibration (raking
//! weights to the marginal targets)"). Raking is solved in its dual form: w_h = d exp(n_h . lambda),
//! where n_h counts the household's persons in each age band x residence cell, its males, and its
//! size class; Newton steps on lambda make the weighted counts meet every target at once. This is
//! the limit iterative proportional fitting converges to, reached in a few passes, and it keeps one
//! weight per household (so weights are equal within a household by construction).

use rayon::prelude::*;

use super::spec::{AGE_BANDS, SIZE_CLASSES};
use super::targets::{Targets, band_of};
use crate::population::{Population, Sex};

/// Cells: persons by residence x band, males by residence, households by residence x size class.
pub const CELLS: usize = 2 * AGE_BANDS + 2 + 2 * SIZE_CLASSES;
const MALE_CELL: usize = 2 * AGE_BANDS;
const SIZE_CELL: usize = MALE_CELL + 2;
/// Largest number of distinct cells a household touches (9 bands, males, size).
const MAX_ENTRIES: usize = 12;
/// Households per partial sum: fixed so that sums do not depend on the thread count.
const CHUNK: usize = 16_384;
/// Newton iterations at most (convergence is quadratic: 6 to 10 are typical).
const MAX_ITERATIONS: usize = 60;
/// Largest change of one multiplier in one step (guards the first steps and empty cells).
const MAX_STEP: f64 = 2.0;

/// Target of each cell, in the order of [`household_cells`].
pub fn cell_targets(t: &Targets) -> [f64; CELLS] {
    let mut out = [0.0; CELLS];
    for r in 0..2 {
        for b in 0..AGE_BANDS {
            out[r * AGE_BANDS + b] = t.band_persons(r, b);
        }
        out[MALE_CELL + r] = t.males(r);
        for s in 0..SIZE_CLASSES {
            out[SIZE_CELL + r * SIZE_CLASSES + s] = t.households[r][s];
        }
    }
    out
}

/// The cells household `h` counts in, as (cell, count) pairs in `buf`; returns how many.
pub fn household_cells(pop: &Population, h: usize, buf: &mut [(usize, f64); MAX_ENTRIES]) -> usize {
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
        add(r * AGE_BANDS + band_of(pop.persons.age[i]), buf);
        if pop.persons.sex[i] == Sex::Male {
            add(MALE_CELL + r, buf);
        }
    }
    add(
        SIZE_CELL + r * SIZE_CLASSES + size.min(SIZE_CLASSES) - 1,
        buf,
    );
    n
}

/// Raked household weights meeting `targets` (as closely as Newton reaches in its iterations;
/// the validation table reports what was met). `base` is the starting weight of every household.
pub fn rake(pop: &Population, targets: &[f64; CELLS], base: f64) -> Vec<f64> {
    let households = pop.households.len();
    let chunks = households.div_ceil(CHUNK);
    let mut lambda = [0.0f64; CELLS];
    for _ in 0..MAX_ITERATIONS {
        let partials: Vec<(Vec<f64>, Vec<f64>)> = (0..chunks)
            .into_par_iter()
            .map(|c| {
                let mut sums = vec![0.0; CELLS];
                let mut hess = vec![0.0; CELLS * CELLS];
                let mut buf = [(0, 0.0); MAX_ENTRIES];
                for h in c * CHUNK..((c + 1) * CHUNK).min(households) {
                    let n = household_cells(pop, h, &mut buf);
                    let w = base
                        * buf[..n]
                            .iter()
                            .map(|&(j, x)| x * lambda[j])
                            .sum::<f64>()
                            .exp();
                    for &(j, x) in &buf[..n] {
                        sums[j] += w * x;
                        for &(k, y) in &buf[..n] {
                            hess[j * CELLS + k] += w * x * y;
                        }
                    }
                }
                (sums, hess)
            })
            .collect();
        let mut sums = vec![0.0; CELLS];
        let mut hess = vec![0.0; CELLS * CELLS];
        for (s, h) in &partials {
            sums.iter_mut().zip(s).for_each(|(a, b)| *a += b);
            hess.iter_mut().zip(h).for_each(|(a, b)| *a += b);
        }
        let mut resid: Vec<f64> = (0..CELLS).map(|j| targets[j] - sums[j]).collect();
        let worst = (0..CELLS)
            .map(|j| resid[j].abs() / targets[j].max(1.0))
            .fold(0.0, f64::max);
        if worst < 1e-12 {
            break;
        }
        // A tiny ridge keeps an empty cell (no sample household) from making the system singular.
        let ridge = 1e-12 * (0..CELLS).map(|j| hess[j * CELLS + j]).fold(0.0, f64::max);
        for j in 0..CELLS {
            hess[j * CELLS + j] += ridge;
        }
        solve(&mut hess, &mut resid);
        for j in 0..CELLS {
            lambda[j] += resid[j].clamp(-MAX_STEP, MAX_STEP);
        }
    }
    let mut buf = [(0, 0.0); MAX_ENTRIES];
    (0..households)
        .map(|h| {
            let n = household_cells(pop, h, &mut buf);
            base * buf[..n]
                .iter()
                .map(|&(j, x)| x * lambda[j])
                .sum::<f64>()
                .exp()
        })
        .collect()
}

/// Solves `a x = b` in place (Gaussian elimination with partial pivoting; `b` becomes x).
fn solve(a: &mut [f64], b: &mut [f64]) {
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
