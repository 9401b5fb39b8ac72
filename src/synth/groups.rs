//! Quintile-group shaping of a residence's target incomes (docs/validation.md, "Income
//! distribution"): the GB2 quantiles of the households, in rank order, are multiplied by a
//! correction c(v) that is piecewise linear in the household-weighted rank v, with knots at the
//! quintile groups' centres v = 0.1, 0.3, ..., 0.9 and flat beyond them. Its five knot values are
//! solved (one linear system) so that the five household quintile groups have the given
//! person-weighted means: the GB2 (with the residence's median and mean) keeps the shape inside
//! each group, the published groups set the levels. (Knots at the group boundaries instead, with
//! the median as a sixth condition, give an oscillating, ill-conditioned correction.) Pure
//! arithmetic over the ordered households; income.rs applies the result.

use super::rake::solve;

/// Knots of the correction: one at the centre of each quintile group.
const KNOTS: usize = 5;

/// One household in rank order: its household weight, persons it stands for (weight x size)
/// and its GB2 target per-capita income, yuan/year.
#[derive(Debug, Clone, Copy)]
pub struct Ranked {
    /// Household weight.
    pub households: f64,
    /// Persons represented (weight x size).
    pub persons: f64,
    /// Target per-capita income before the correction, yuan/year.
    pub base: f64,
}

/// Hat-function weights of the correction's knots at household rank v (at most two non-zero;
/// below the first centre and above the last the correction is flat).
fn hats(v: f64) -> [f64; KNOTS] {
    let x = (v * 5.0 - 0.5).clamp(0.0, 4.0 - 1e-12);
    let j = x.floor() as usize;
    let f = x - j as f64;
    let mut w = [0.0; KNOTS];
    w[j] = 1.0 - f;
    w[j + 1] = f;
    w
}

/// What a residence's shaped incomes should meet, yuan/year per person.
#[derive(Debug, Clone, Copy)]
pub struct GroupTargets {
    /// Person means of the five household quintile groups.
    pub group_means: [f64; 5],
    /// Person mean of the residence.
    pub mean: f64,
    /// Person median of the residence.
    pub median: f64,
}

/// Weight of the mean's relative error against a group's in the least squares: the generator
/// then meets the mean exactly anyway (`income::calibrate_scale`), so it should move little.
const MEAN_WEIGHT: f64 = 4.0;
/// Weight of the median's relative error against a group's: the medians' tolerance (3%) is
/// tighter than the groups' (8%), and the published groups, means and medians do not quite agree
/// (docs/validation.md, "Shape inside each residence").
const MEDIAN_WEIGHT: f64 = 3.0;

/// The corrected target per-capita incomes of `ranked` (ascending order): the correction's knots
/// minimise the weighted squared relative errors of the five group means, the mean and the
/// median against `t` (seven conditions, five knots; exact when they agree); the result is kept
/// non-decreasing in rank. Households fall in groups by household-weighted mid-rank, as
/// `income::distribution` counts them; the median is the base of the household holding the
/// middle person.
pub fn shape_to_groups(ranked: &[Ranked], t: &GroupTargets) -> Vec<f64> {
    let households: f64 = ranked.iter().map(|r| r.households).sum();
    let persons: f64 = ranked.iter().map(|r| r.persons).sum();
    let mut rows = [[0.0; KNOTS]; 7];
    let mut group_persons = [0.0; 5];
    let (mut cum_h, mut cum_p) = (0.0, 0.0);
    let mut median_found = false;
    let ranks: Vec<f64> = ranked
        .iter()
        .map(|r| {
            let v = (cum_h + r.households / 2.0) / households;
            cum_h += r.households;
            v
        })
        .collect();
    for (r, &v) in ranked.iter().zip(&ranks) {
        let g = ((v * 5.0) as usize).min(4);
        let w = hats(v);
        for j in 0..KNOTS {
            rows[g][j] += r.persons * r.base * w[j];
            rows[5][j] += r.persons * r.base * w[j];
        }
        group_persons[g] += r.persons;
        cum_p += r.persons;
        if !median_found && cum_p >= persons / 2.0 {
            median_found = true;
            rows[6] = w.map(|x| x * r.base);
        }
    }
    // Each row as a relative error: row . c / target - 1, weighted.
    let mut scale = [1.0; 7];
    for g in 0..5 {
        scale[g] = 1.0 / (t.group_means[g] * group_persons[g]);
    }
    scale[5] = MEAN_WEIGHT / (t.mean * persons);
    scale[6] = MEDIAN_WEIGHT / t.median;
    let weight = [1.0, 1.0, 1.0, 1.0, 1.0, MEAN_WEIGHT, MEDIAN_WEIGHT];
    // Normal equations of the least squares: (A'A) c = A'y.
    let mut a = [0.0; KNOTS * KNOTS];
    let mut c = [0.0; KNOTS];
    for (k, row) in rows.iter().enumerate() {
        let row = row.map(|x| x * scale[k]);
        for i in 0..KNOTS {
            for j in 0..KNOTS {
                a[i * KNOTS + j] += row[i] * row[j];
            }
            c[i] += row[i] * weight[k];
        }
    }
    solve(&mut a, &mut c);
    let mut floor = 0.0f64;
    ranked
        .iter()
        .zip(&ranks)
        .map(|(r, &v)| {
            let k: f64 = hats(v).iter().zip(&c).map(|(w, c)| w * c).sum();
            floor = floor.max(r.base * k);
            floor
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 1,000 households of weight 1, sizes 3, 2, 1 in turn, base incomes 1..1000, and targets
    /// computed here from a known correction (knots 1.5, 1.2, 1.1, 1.3, 2.0 at ranks 0.1 ... 0.9,
    /// linear between, flat outside): the solve recovers base x correction. The base's own targets
    /// (correction 1) leave it unchanged. Targets that disagree (the median 10% off) are met in
    /// between, the median, weighted, closer than the groups move.
    #[test]
    fn recovers_a_known_correction() {
        let ranked: Vec<Ranked> = (1..=1000)
            .map(|i| Ranked {
                households: 1.0,
                persons: f64::from(3 - (i % 3)),
                base: f64::from(i),
            })
            .collect();
        let knots = [1.5, 1.2, 1.1, 1.3, 2.0];
        let correction = |i: usize| {
            let v = (i as f64 + 0.5) / 1000.0;
            let x = (v * 5.0 - 0.5).clamp(0.0, 4.0);
            let j = (x.floor() as usize).min(3);
            knots[j] + (knots[j + 1] - knots[j]) * (x - j as f64)
        };
        let targets_of = |y: &[f64]| {
            let mut groups = [(0.0, 0.0); 5];
            for (i, r) in ranked.iter().enumerate() {
                let g = &mut groups[i / 200];
                g.0 += r.persons * y[i];
                g.1 += r.persons;
            }
            let persons: f64 = ranked.iter().map(|r| r.persons).sum();
            let mut below = 0.0;
            let middle = ranked
                .iter()
                .position(|r| {
                    below += r.persons;
                    below >= persons / 2.0
                })
                .unwrap_or(0);
            GroupTargets {
                group_means: groups.map(|(y, n)| y / n),
                mean: groups.iter().map(|g| g.0).sum::<f64>() / persons,
                median: y[middle],
            }
        };
        let wanted: Vec<f64> = (0..1000).map(|i| ranked[i].base * correction(i)).collect();
        let t = targets_of(&wanted);
        let y = shape_to_groups(&ranked, &t);
        for (got, want) in y.iter().zip(&wanted) {
            assert!((got - want).abs() < 1e-6 * want, "{got} vs {want}");
        }
        let base: Vec<f64> = ranked.iter().map(|r| r.base).collect();
        let y = shape_to_groups(&ranked, &targets_of(&base));
        for (got, want) in y.iter().zip(&base) {
            assert!((got - want).abs() < 1e-6 * want, "{got} vs {want}");
        }
        let off = GroupTargets {
            median: t.median * 1.1,
            ..t
        };
        let got = targets_of(&shape_to_groups(&ranked, &off));
        let median_error = (got.median / off.median - 1.0).abs();
        let group_error = (got.group_means[2] / t.group_means[2] - 1.0).abs();
        assert!(
            median_error < 0.1 && median_error < group_error,
            "{median_error} {group_error}"
        );
    }
}
