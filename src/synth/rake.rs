//! Calibration of household weights by raking (population.md: "ends with calibration (raking
//! weights to the marginal targets)"). Raking is solved in its dual form: w_h = d exp(n_h . lambda),
//! where n_h counts the household's persons in each age cell x residence, its males, and its size
//! class; damped Newton steps on lambda (a line search on the dual objective, [`rake`]) make the
//! weighted counts meet every target at once. This is the limit iterative proportional fitting
//! converges to, reached in a few passes, and it keeps one weight per household (so weights are
//! equal within a household by construction). Where a small sample cannot meet every cell, cells
//! are merged (coarsen.rs).
//!
//! Age cells are single years wherever the sample has enough persons in every year of a band, the
//! band otherwise: a band-wide multiplier would scale the drawn ages of a band by one factor and
//! leave a step at each band edge (the factors of neighbouring bands differ), which cohorts then
//! carry through every age threshold of the rules, one step every 5 simulated years. The
//! single-year targets split each band total smoothly (`targets::single_year_shares`), so band
//! totals are met either way.

use rayon::prelude::*;

use super::coarsen::Partition;
use super::spec::SIZE_CLASSES;
use super::targets::{AGES, Targets, band_of};
use crate::population::{Population, Sex};

/// Sample persons each year of a band needs (in one residence) for the band to be raked year by
/// year: below it a single-year multiplier would rest on a handful of households.
const MIN_PERSONS_PER_YEAR: usize = 30;
/// Largest number of distinct cells a household touches (9 ages, males, size).
const MAX_ENTRIES: usize = 12;
/// Households per partial sum: fixed so that sums do not depend on the thread count.
const CHUNK: usize = 16_384;
/// Newton iterations at most (convergence is quadratic once full steps are taken: 6 to 10 are
/// typical).
const MAX_ITERATIONS: usize = 100;
/// Largest change of one multiplier in one step: a longer Newton step is shortened as a whole.
const MAX_STEP: f64 = 2.0;

/// The raking cells of one sample: persons by residence x age cell (a single year, a band or a
/// run of merged bands), males by residence, households by residence x size cell (a size class
/// or a run of merged classes).
pub struct Cells {
    /// Cell of each residence and age.
    age_cell: [[usize; AGES]; 2],
    /// First male cell (one per residence; the size cells follow).
    male_cell: usize,
    /// Cell of each residence and size class, counted from the first size cell.
    size_cell: [[usize; SIZE_CLASSES]; 2],
    /// Target of each cell: persons or households represented.
    targets: Vec<f64>,
    /// What each cell is part of: the age or size range it rakes (None for a male cell).
    owner: Vec<Option<Owner>>,
}

/// The range of a [`Partition`] a cell rakes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Owner {
    /// True for an age range, false for a size range.
    pub age: bool,
    /// Residence index (0 urban, 1 rural).
    pub residence: usize,
    /// Index of the range in the partition's list for that residence.
    pub range: usize,
}

impl Cells {
    /// The cells of `pop` under `part` and their targets: single-year age cells for every
    /// unmerged band whose years all hold [`MIN_PERSONS_PER_YEAR`] sample persons of the
    /// residence, one cell per range of bands otherwise; one cell per range of size classes.
    pub fn new(pop: &Population, t: &Targets, part: &Partition) -> Self {
        let sample = sample_ages(pop);
        let mut age_cell = [[0; AGES]; 2];
        let mut targets = Vec::new();
        let mut owner = Vec::new();
        for r in 0..2 {
            for (k, range) in part.age[r].iter().enumerate() {
                let o = Some(Owner {
                    age: true,
                    residence: r,
                    range: k,
                });
                let years = |a: &usize| range.contains(&band_of(*a as u8));
                let single = range.len() == 1
                    && (0..AGES)
                        .filter(years)
                        .all(|a| sample[r][a] >= MIN_PERSONS_PER_YEAR);
                if single {
                    for a in (0..AGES).filter(years) {
                        age_cell[r][a] = targets.len();
                        targets.push(t.persons[r] * t.single_year_share[r][a]);
                        owner.push(o);
                    }
                } else {
                    for a in (0..AGES).filter(years) {
                        age_cell[r][a] = targets.len();
                    }
                    targets.push(range.clone().map(|b| t.band_persons(r, b)).sum());
                    owner.push(o);
                }
            }
        }
        let male_cell = targets.len();
        targets.extend((0..2).map(|r| t.males(r)));
        owner.extend([None, None]);
        let mut size_cell = [[0; SIZE_CLASSES]; 2];
        for (r, cell_of) in size_cell.iter_mut().enumerate() {
            for (k, range) in part.size[r].iter().enumerate() {
                for s in range.clone() {
                    cell_of[s] = targets.len() - male_cell - 2;
                }
                targets.push(t.households[r][range.clone()].iter().sum());
                owner.push(Some(Owner {
                    age: false,
                    residence: r,
                    range: k,
                }));
            }
        }
        Cells {
            age_cell,
            male_cell,
            size_cell,
            targets,
            owner,
        }
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// What cell `j` is part of (None for a male cell).
    pub fn owner(&self, j: usize) -> Option<Owner> {
        self.owner[j]
    }

    /// Target of cell `j`.
    pub fn target(&self, j: usize) -> f64 {
        self.targets[j]
    }
}

/// Sample persons by residence and single year of age.
pub fn sample_ages(pop: &Population) -> [[usize; AGES]; 2] {
    let mut sample = [[0usize; AGES]; 2];
    for h in 0..pop.households.len() {
        let r = pop.households.residence[h].index();
        for i in pop.households.members(h) {
            sample[r][usize::from(pop.persons.age[i])] += 1;
        }
    }
    sample
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
        cells.male_cell + 2 + cells.size_cell[r][size.min(SIZE_CLASSES) - 1],
        buf,
    );
    n
}

/// Weight of household `h` at multipliers `lambda`: base x exp(sum of its cells' multipliers);
/// its cells are left in `buf[..n]`. Returns (n, weight).
fn weight(
    design: &Design,
    h: usize,
    lambda: &[f64],
    base: f64,
    buf: &mut [(usize, f64); MAX_ENTRIES],
) -> (usize, f64) {
    let n = design(h, buf);
    let exponent: f64 = buf[..n].iter().map(|&(j, x)| x * lambda[j]).sum();
    (n, base * exponent.exp())
}

/// Raked household weights meeting the targets of `cells` (as closely as the iterations reach;
/// the validation table reports what was met). `base` is the starting weight of every household.
///
/// The weights minimise the raking distance sum_h (w_h log(w_h / base) - w_h + base) subject to
/// the cell totals; its dual is the convex function F(lambda) = sum_h w_h(lambda) - t . lambda,
/// whose gradient is the cell totals minus their targets and whose Hessian is
/// sum_h w_h n_h n_h^T. Each iteration takes the Newton direction on F (with a ridge that grows
/// by Levenberg's rule when the Hessian is singular to working precision), caps its largest
/// component at [`MAX_STEP`] by shortening the whole step (the direction is kept), and backtracks
/// until F falls by Armijo's sufficient decrease. F is convex with a unique minimiser when the
/// targets are feasible, so a full step near the solution is always accepted and the solution is
/// the one the undamped method reaches when that converges.
pub fn rake(pop: &Population, cells: &Cells, base: f64) -> Solution {
    let design =
        |h: usize, buf: &mut [(usize, f64); MAX_ENTRIES]| household_cells(pop, cells, h, buf);
    solve_dual(&design, pop.households.len(), &cells.targets, base)
}

/// The cells of household h as (cell, count) pairs in the buffer; returns how many.
type Design<'a> = dyn Fn(usize, &mut [(usize, f64); MAX_ENTRIES]) -> usize + Sync + 'a;

/// The damped Newton method of [`rake`] on any design: `households` households whose cells
/// `design` gives, cell `targets`, starting weight `base`.
fn solve_dual(design: &Design, households: usize, targets: &[f64], base: f64) -> Solution {
    let n_cells = targets.len();
    let mut lambda = vec![0.0f64; n_cells];
    let mut eval = evaluate(design, households, n_cells, &lambda, base, true);
    for _ in 0..MAX_ITERATIONS {
        let resid: Vec<f64> = (0..n_cells).map(|j| targets[j] - eval.sums[j]).collect();
        let worst = (0..n_cells)
            .filter(|&j| eval.members[j] > 0)
            .map(|j| resid[j].abs() / targets[j].max(1.0))
            .fold(0.0, f64::max);
        if worst < 1e-12 {
            break;
        }
        // A cell without sample households cannot move: it is left out of the step (its
        // multiplier would only run away and shorten every other component).
        let resid: Vec<f64> = (0..n_cells)
            .map(|j| if eval.members[j] == 0 { 0.0 } else { resid[j] })
            .collect();
        let Some(step) = newton_direction(&eval.hess, &resid) else {
            break;
        };
        let objective = eval.weight_sum - dot(targets, &lambda);
        // The directional derivative of F along the step: -resid . step (< 0 for a descent).
        let slope = -dot(&resid, &step);
        if slope >= 0.0 {
            break;
        }
        let largest = step.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        let mut alpha = (MAX_STEP / largest).min(1.0);
        // Differences of F below this are rounding (F adds terms of the size of the weights).
        let noise = 1e-13 * (eval.weight_sum + abs_dot(targets, &lambda));
        let mut accepted = false;
        for _ in 0..MAX_HALVINGS {
            let trial: Vec<f64> = lambda
                .iter()
                .zip(&step)
                .map(|(l, d)| l + alpha * d)
                .collect();
            let next = evaluate(design, households, n_cells, &trial, base, false);
            let f = next.weight_sum - dot(targets, &trial);
            if f.is_finite() && f <= objective + ARMIJO * alpha * slope + noise {
                lambda = trial;
                accepted = true;
                break;
            }
            alpha *= 0.5;
        }
        if !accepted {
            // No step lowers F beyond rounding: lambda is the minimiser to working precision.
            break;
        }
        eval = evaluate(design, households, n_cells, &lambda, base, true);
    }
    let mut buf = [(0, 0.0); MAX_ENTRIES];
    let weights = (0..households)
        .map(|h| weight(design, h, &lambda, base, &mut buf).1)
        .collect();
    let eval = evaluate(design, households, n_cells, &lambda, base, false);
    Solution {
        weights,
        relative_error: (0..n_cells)
            .map(|j| (eval.sums[j] - targets[j]) / targets[j].max(1.0))
            .collect(),
        members: eval.members,
    }
}

/// Raked weights with how far each cell is from its target.
pub struct Solution {
    /// Weight of each household.
    pub weights: Vec<f64>,
    /// (achieved - target) / target of each cell.
    pub relative_error: Vec<f64>,
    /// Sample households that count in each cell.
    pub members: Vec<usize>,
}

impl Solution {
    /// True when every cell meets its target to [`CONVERGED`].
    pub fn converged(&self) -> bool {
        self.relative_error.iter().all(|e| e.abs() <= CONVERGED)
    }
}

/// Largest relative error of a cell for the raking to count as converged (the validation
/// table's raking tolerance is far wider; this is what Newton reaches on a feasible problem).
const CONVERGED: f64 = 1e-9;

/// Sufficient-decrease constant of the Armijo test.
const ARMIJO: f64 = 1e-4;
/// Halvings of a step at most before the line search gives up.
const MAX_HALVINGS: usize = 60;

/// The weighted cell totals at some multipliers, their weight sum, and (when asked) the Hessian.
struct Evaluation {
    sums: Vec<f64>,
    hess: Vec<f64>,
    weight_sum: f64,
    /// Sample households in each cell.
    members: Vec<usize>,
}

/// Sums over households in fixed chunks of [`CHUNK`], added in chunk order (so the result does
/// not depend on the thread count).
fn evaluate(
    design: &Design,
    households: usize,
    n_cells: usize,
    lambda: &[f64],
    base: f64,
    with_hessian: bool,
) -> Evaluation {
    let hess_len = if with_hessian { n_cells * n_cells } else { 0 };
    let partials: Vec<Evaluation> = (0..households.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let mut e = Evaluation {
                sums: vec![0.0; n_cells],
                hess: vec![0.0; hess_len],
                weight_sum: 0.0,
                members: vec![0; n_cells],
            };
            let mut buf = [(0, 0.0); MAX_ENTRIES];
            for h in c * CHUNK..((c + 1) * CHUNK).min(households) {
                let (n, w) = weight(design, h, lambda, base, &mut buf);
                e.weight_sum += w;
                for &(j, x) in &buf[..n] {
                    e.sums[j] += w * x;
                    e.members[j] += 1;
                    if with_hessian {
                        for &(k, y) in &buf[..n] {
                            e.hess[j * n_cells + k] += w * x * y;
                        }
                    }
                }
            }
            e
        })
        .collect();
    let mut total = Evaluation {
        sums: vec![0.0; n_cells],
        hess: vec![0.0; hess_len],
        weight_sum: 0.0,
        members: vec![0; n_cells],
    };
    for p in &partials {
        total
            .members
            .iter_mut()
            .zip(&p.members)
            .for_each(|(a, b)| *a += b);
        total
            .sums
            .iter_mut()
            .zip(&p.sums)
            .for_each(|(a, b)| *a += b);
        total
            .hess
            .iter_mut()
            .zip(&p.hess)
            .for_each(|(a, b)| *a += b);
        total.weight_sum += p.weight_sum;
    }
    total
}

/// Solves (H + ridge I) d = resid. The ridge starts at 1e-12 of H's largest diagonal entry (it
/// keeps a cell without sample households from making H singular) and grows a thousandfold, up
/// to that entry itself, while the solution is not finite (Levenberg). None when H is empty or
/// not finite.
fn newton_direction(hess: &[f64], resid: &[f64]) -> Option<Vec<f64>> {
    let n = resid.len();
    let scale = (0..n).map(|j| hess[j * n + j]).fold(0.0, f64::max);
    if !(scale.is_finite() && scale > 0.0) {
        return None;
    }
    let mut ridge = 1e-12 * scale;
    while ridge <= scale {
        let mut a = hess.to_vec();
        for j in 0..n {
            a[j * n + j] += ridge;
        }
        let mut d = resid.to_vec();
        solve(&mut a, &mut d);
        if d.iter().all(|x| x.is_finite()) {
            return Some(d);
        }
        ridge *= 1e3;
    }
    None
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn abs_dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x * y).abs()).sum()
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

    /// Two households, A counting 2 in cell 0 and 4 in cell 1, B counting 1 and 1, raked from
    /// weight 1 to targets (510, 520). Two households and two independent cells leave one
    /// solution, w = (5, 500) (2 x 5 + 500 = 510, 4 x 5 + 500 = 520), so lambda solves
    /// 2 l0 + 4 l1 = ln 5, l0 + l1 = ln 500.
    const COUNTS: [[f64; 2]; 2] = [[2.0, 4.0], [1.0, 1.0]];
    const TARGETS: [f64; 2] = [510.0, 520.0];

    fn design(h: usize, buf: &mut [(usize, f64); MAX_ENTRIES]) -> usize {
        buf[0] = (0, COUNTS[h][0]);
        buf[1] = (1, COUNTS[h][1]);
        2
    }

    /// The method before the line search: undamped Newton, each multiplier's step clamped at
    /// +-2, 60 iterations. Returns the largest relative error of a cell at the end.
    fn clamped_newton() -> f64 {
        let mut lambda = [0.0f64; 2];
        let error = |lambda: &[f64; 2]| {
            let w: Vec<f64> = COUNTS
                .iter()
                .map(|n| (n[0] * lambda[0] + n[1] * lambda[1]).exp())
                .collect();
            let sums = [0, 1].map(|j| w[0] * COUNTS[0][j] + w[1] * COUNTS[1][j]);
            (w, [0, 1].map(|j| TARGETS[j] - sums[j]))
        };
        for _ in 0..60 {
            let (w, mut r) = error(&lambda);
            let mut hess = [0.0; 4];
            for (h, n) in COUNTS.iter().enumerate() {
                for j in 0..2 {
                    for k in 0..2 {
                        hess[j * 2 + k] += w[h] * n[j] * n[k];
                    }
                }
            }
            solve(&mut hess, &mut r);
            for j in 0..2 {
                lambda[j] += r[j].clamp(-2.0, 2.0);
            }
        }
        let (_, r) = error(&lambda);
        (0..2)
            .map(|j| (r[j] / TARGETS[j]).abs())
            .fold(0.0, f64::max)
    }

    #[test]
    fn damped_newton_converges_where_the_clamped_step_cycles() {
        let old = clamped_newton();
        assert!(
            old.is_nan() || old >= 1e-3,
            "the clamped method met the targets: {old}"
        );
        let solution = solve_dual(&design, 2, &TARGETS, 1.0);
        assert!(solution.converged(), "{:?}", solution.relative_error);
        let expected = [5.0, 500.0];
        for (w, e) in solution.weights.iter().zip(expected) {
            assert!((w - e).abs() < 1e-9 * e, "{:?}", solution.weights);
        }
    }

    /// A cell no household counts in is left out of the step: the other cell is still met.
    #[test]
    fn a_cell_without_members_does_not_stall_the_others() {
        let design = |_: usize, buf: &mut [(usize, f64); MAX_ENTRIES]| {
            buf[0] = (0, 1.0);
            1
        };
        let solution = solve_dual(&design, 3, &[30.0, 7.0], 1.0);
        assert!((solution.relative_error[0]).abs() < 1e-12);
        assert!(solution.weights.iter().all(|&w| (w - 10.0).abs() < 1e-9));
        assert_eq!(solution.members, vec![3, 0]);
    }
}
