//! Top incomes a household survey misses (docs/validation.md, "The official Gini"): an option of
//! the spec's `[income]` that replaces each residence's target incomes above a person quantile
//! u0 by a Pareto tail from the target at u0, Q(u) = Q(u0) ((1 - u0) / (1 - u))^(1 / alpha),
//! where that is above the survey-shaped target, with one index alpha for both residences solved
//! (bisection) so that the national person-weighted Gini of the targets meets the option's
//! `gini`. Below u0 nothing moves; the residence means rise by what the tail adds.

use serde::Deserialize;

/// The option as the spec gives it.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopIncomes {
    /// Person quantile u0 (within each residence) above which the tail replaces the targets, in
    /// (0, 1).
    pub quantile: f64,
    /// National person-weighted Gini of the per-capita targets that the tail index is solved for.
    pub gini: f64,
}

/// One household's target: residence index, person rank u within its residence, persons it
/// represents, per-capita target income (yuan/year).
#[derive(Debug, Clone, Copy)]
pub struct Target {
    /// Residence index (0 urban, 1 rural).
    pub residence: usize,
    /// Person-weighted mid-rank within the residence.
    pub rank: f64,
    /// Persons represented (weight x size).
    pub persons: f64,
    /// Per-capita target, yuan/year.
    pub income: f64,
}

/// Person-weighted Gini of `(income, persons)` pairs.
fn gini(points: &mut [(f64, f64)]) -> f64 {
    points.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let (mut cum_p, mut cum_y, mut area) = (0.0, 0.0, 0.0);
    for &(y, p) in points.iter() {
        area += p * (2.0 * cum_y + p * y);
        cum_y += p * y;
        cum_p += p;
    }
    1.0 - area / (cum_p * cum_y)
}

/// The targets with the tail of index `alpha` from each residence's threshold `from[r]`.
fn with_tail(targets: &[Target], t: &TopIncomes, from: [f64; 2], alpha: f64) -> Vec<f64> {
    targets
        .iter()
        .map(|x| {
            if x.rank <= t.quantile {
                x.income
            } else {
                let tail =
                    from[x.residence] * ((1.0 - t.quantile) / (1.0 - x.rank)).powf(1.0 / alpha);
                tail.max(x.income)
            }
        })
        .collect()
}

/// What the tail did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TailFit {
    /// Factor by which each residence's person mean rose.
    pub factor: [f64; 2],
    /// When the targets' Gini stays below the option's even at the heaviest tail searched
    /// (index 1 + e^-6: a small sample has too few persons above the quantile), the Gini that
    /// tail gives: the tail is applied and the validation table says so.
    pub out_of_reach: Option<f64>,
}

/// Applies the tail to `targets` (in place). With a `gini` the survey-shaped targets already
/// reach, nothing moves.
pub fn add_top_incomes(targets: &mut [Target], t: &TopIncomes) -> TailFit {
    let mut from = [0.0f64; 2];
    for x in targets.iter().filter(|x| x.rank <= t.quantile) {
        from[x.residence] = from[x.residence].max(x.income);
    }
    let gini_of = |alpha: f64| {
        let mut points: Vec<(f64, f64)> = with_tail(targets, t, from, alpha)
            .into_iter()
            .zip(targets.iter())
            .map(|(y, x)| (y, x.persons))
            .collect();
        gini(&mut points)
    };
    // The Gini falls as alpha rises; search ln(alpha - 1) so that the tail's mean stays finite.
    let alpha_of = |s: f64| 1.0 + s.exp();
    let (mut lo, mut hi) = (-6.0f64, 4.0f64);
    if gini_of(alpha_of(hi)) >= t.gini {
        return TailFit {
            factor: [1.0; 2],
            out_of_reach: None,
        };
    }
    let heaviest = gini_of(alpha_of(lo));
    let out_of_reach = (heaviest < t.gini).then_some(heaviest);
    if out_of_reach.is_some() {
        hi = lo;
    }
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if gini_of(alpha_of(mid)) > t.gini {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let moved = with_tail(targets, t, from, alpha_of(0.5 * (lo + hi)));
    let mut sums = [[0.0f64; 2]; 2];
    for (x, y) in targets.iter_mut().zip(moved) {
        sums[x.residence][0] += x.persons * x.income;
        sums[x.residence][1] += x.persons * y;
        x.income = y;
    }
    TailFit {
        factor: sums.map(|[before, after]| if before > 0.0 { after / before } else { 1.0 }),
        out_of_reach,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 1,000 one-person urban households with incomes 1..1000 at mid-ranks (i - 0.5) / 1000: the
    /// sorting form of the Gini agrees with the mean-difference formula (sum |yi - yj| / n^2 over
    /// twice the mean); a tail above u0 = 0.95 solved for 0.40 meets it, leaves the bottom 950 as
    /// they were, and raises the mean by the factor returned.
    #[test]
    fn tail_meets_the_gini_and_keeps_the_body() {
        let mut targets: Vec<Target> = (1..=1000)
            .map(|i| Target {
                residence: 0,
                rank: (f64::from(i) - 0.5) / 1000.0,
                persons: 1.0,
                income: f64::from(i),
            })
            .collect();
        let mean_difference: f64 = (1..=1000)
            .flat_map(|i| (1..=1000).map(move |j| f64::from(i - j).abs()))
            .sum::<f64>()
            / 1e6;
        let before = mean_difference / (2.0 * 500.5);
        let mut points: Vec<(f64, f64)> = targets.iter().map(|x| (x.income, 1.0)).collect();
        assert!((gini(&mut points) - before).abs() < 1e-9, "{before}");
        let t = TopIncomes {
            quantile: 0.95,
            gini: 0.40,
        };
        let fit = add_top_incomes(&mut targets, &t);
        assert_eq!(fit.out_of_reach, None);
        let factor = fit.factor;
        let mut points: Vec<(f64, f64)> = targets.iter().map(|x| (x.income, 1.0)).collect();
        assert!((gini(&mut points) - 0.40).abs() < 1e-6);
        assert!((0..950).all(|i| targets[i].income == (i + 1) as f64));
        let mean = targets.iter().map(|x| x.income).sum::<f64>() / 1000.0;
        assert!((mean / 500.5 - factor[0]).abs() < 1e-12 && factor[0] > 1.0);
        assert_eq!(factor[1], 1.0);
        // A Gini the targets already exceed moves nothing.
        let low = TopIncomes {
            quantile: 0.95,
            gini: 0.2,
        };
        assert_eq!(add_top_incomes(&mut targets, &low).factor, [1.0; 2]);
    }

    /// Ten one-person households of incomes 1..=10 at mid-ranks: above u0 = 0.9 only the top one
    /// (rank 0.95) gets the tail from the largest income at or below u0 (9, rank 0.85),
    /// Q = 9 x (0.1 / 0.05)^(1 / alpha), under 18 for any alpha > 1; the heaviest tail searched
    /// gives the Gini of 1..=9 and that Q by the mean-difference formula, below 0.6, so a target
    /// of 0.6 is out of reach, the heaviest tail is applied and its Gini returned.
    #[test]
    fn a_gini_beyond_the_heaviest_tail_is_out_of_reach() {
        let mut targets: Vec<Target> = (1..=10)
            .map(|i| Target {
                residence: 0,
                rank: (f64::from(i) - 0.5) / 10.0,
                persons: 1.0,
                income: f64::from(i),
            })
            .collect();
        let t = TopIncomes {
            quantile: 0.9,
            gini: 0.6,
        };
        let fit = add_top_incomes(&mut targets, &t);
        let top = 9.0 * 2f64.powf(1.0 / (1.0 + (-6f64).exp()));
        let y: Vec<f64> = (1..=9).map(f64::from).chain([top]).collect();
        let mean = y.iter().sum::<f64>() / 10.0;
        let diff: f64 = y
            .iter()
            .flat_map(|a| y.iter().map(move |b| (a - b).abs()))
            .sum();
        let expected = diff / 100.0 / (2.0 * mean);
        let reached = fit.out_of_reach.expect("out of reach");
        assert!((reached - expected).abs() < 1e-12, "{reached} {expected}");
        assert!((targets[9].income - top).abs() < 1e-9);
        assert!(reached < 0.6);
    }
}
