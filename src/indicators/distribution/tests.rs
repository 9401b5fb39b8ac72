//! Unit tests of the sorted distribution (indicators.md, "Inequality"), beside `distribution.rs`.

use super::*;
use crate::rng::{Purpose, StreamKey};
use proptest::prelude::*;

/// The spec's definition, O(n^2): sum_i sum_j w_i w_j |y_i - y_j| / (2 W^2 mean).
pub(crate) fn gini_double_sum(values: &[f64], weights: &[f64]) -> f64 {
    let total_weight: f64 = weights.iter().sum();
    let mean = values.iter().zip(weights).map(|(y, w)| y * w).sum::<f64>() / total_weight;
    let mut pairs = 0.0;
    for (yi, wi) in values.iter().zip(weights) {
        for (yj, wj) in values.iter().zip(weights) {
            pairs += wi * wj * (yi - yj).abs();
        }
    }
    pairs / (2.0 * total_weight * total_weight * mean)
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(1.0)
}

fn unweighted(values: &[f64]) -> Distribution {
    Distribution::new(values, &vec![1.0; values.len()]).unwrap()
}

/// Conformance "gini-unweighted": 1,2,3,4: sum |yi - yj| over ordered pairs = 20;
/// 20 / (2 * 16 * 2.5) = 0.25.
#[test]
fn conformance_gini_unweighted() {
    let g = unweighted(&[1.0, 2.0, 3.0, 4.0]).gini().unwrap();
    assert!(close(g, 0.25, 1e-12), "got {g}");
}

/// Conformance "gini-weighted": 1 (w 3), 2 (w 1): W = 4, mean 1.25;
/// sum wi wj |yi - yj| = 2 * 3 * 1 * 1 = 6; 6 / (2 * 16 * 1.25) = 0.15.
#[test]
fn conformance_gini_weighted() {
    let g = Distribution::new(&[1.0, 2.0], &[3.0, 1.0])
        .unwrap()
        .gini()
        .unwrap();
    assert!(close(g, 0.15, 1e-12), "got {g}");
}

#[test]
fn gini_of_non_positive_mean_is_an_error_not_nan() {
    for values in [[0.0, 0.0], [-3.0, 1.0]] {
        let e = unweighted(&values).gini().unwrap_err();
        assert!(e.to_string().contains("mean income"), "{e}");
    }
    // Equal incomes: no inequality.
    assert_eq!(unweighted(&[5.0, 5.0, 5.0]).gini().unwrap(), 0.0);
}

/// Lognormal with sigma: G = 2 Phi(sigma / sqrt 2) - 1 = erf(sigma / 2); erf(0.4) =
/// 0.428392355. Pareto with alpha (scale 1): G = 1 / (2 alpha - 1) = 0.2 for alpha = 3.
/// Weights uniform on 0.5..1.5, independent of income, leave the population Gini unchanged.
/// With n = 200 000 the sampling standard error of both Ginis is about 0.001 (Pareto with
/// alpha = 3 has heavier tails, so a little more); the tolerance 0.005 is about 5 of them.
#[test]
fn gini_matches_closed_forms_on_large_samples() {
    let n = 200_000;
    let stream = |purpose_entity: u64| {
        StreamKey {
            seed: 2024,
            replication: 0,
            entity: purpose_entity,
            year: 0,
            purpose: Purpose::SynthPerson,
        }
        .stream()
    };
    let mut weights_stream = stream(0);
    let weights: Vec<f64> = (0..n).map(|_| 0.5 + weights_stream.uniform()).collect();

    let sigma = 0.8;
    let mut s = stream(1);
    let lognormal: Vec<f64> = (0..n)
        .map(|_| (sigma * s.standard_normal()).exp())
        .collect();
    let g = Distribution::new(&lognormal, &weights)
        .unwrap()
        .gini()
        .unwrap();
    assert!((g - 0.428_392_355).abs() < 0.005, "lognormal Gini {g}");

    let alpha = 3.0;
    let mut s = stream(2);
    let pareto: Vec<f64> = (0..n)
        .map(|_| (1.0 - s.uniform()).powf(-1.0 / alpha))
        .collect();
    let g = Distribution::new(&pareto, &weights)
        .unwrap()
        .gini()
        .unwrap();
    assert!(
        (g - 1.0 / (2.0 * alpha - 1.0)).abs() < 0.005,
        "Pareto Gini {g}"
    );
}

/// Small weighted samples with ties and zeros: incomes from a few integers (many ties, zeros)
/// or continuous, weights 1 or continuous.
fn weighted_sample() -> impl Strategy<Value = Vec<(f64, f64)>> {
    prop::collection::vec(
        (
            prop_oneof![(0u32..5).prop_map(f64::from), 0.0..1000.0f64],
            prop_oneof![Just(1.0), 0.01..100.0f64],
        ),
        1..40,
    )
}

fn split(sample: &[(f64, f64)]) -> (Vec<f64>, Vec<f64>) {
    sample.iter().copied().unzip()
}

proptest! {
    #[test]
    fn sorted_gini_equals_double_sum(sample in weighted_sample()) {
        let (values, weights) = split(&sample);
        prop_assume!(values.iter().any(|&v| v > 0.0));
        let d = Distribution::new(&values, &weights).unwrap();
        let g = d.gini().unwrap();
        let reference = gini_double_sum(&values, &weights);
        prop_assert!((g - reference).abs() <= 1e-9 * reference.max(1e-300) || (g - reference).abs() < 1e-15,
            "sorted {} vs double sum {}", g, reference);
        prop_assert!((0.0..1.0).contains(&g), "Gini {} outside [0, 1)", g);
        // A concentration coefficient of an income ranked by itself is its Gini.
        let c = d.concentration(&values).unwrap();
        prop_assert!((c - g).abs() < 1e-12, "C {} vs G {}", c, g);
    }

    /// Multiplying incomes by c > 0 (or weights by c > 0) leaves the Gini, shares and
    /// Palma unchanged. Powers of two scale exactly, so poverty rates must match exactly.
    #[test]
    fn indicators_are_scale_invariant(sample in weighted_sample(), c in 0.01..1000.0f64, k in -20i32..20) {
        let (values, weights) = split(&sample);
        prop_assume!(values.iter().any(|&v| v > 0.0));
        let base = Distribution::new(&values, &weights).unwrap();
        let scaled_values: Vec<f64> = values.iter().map(|v| v * c).collect();
        let scaled_weights: Vec<f64> = weights.iter().map(|w| w * c).collect();
        for d in [
            Distribution::new(&scaled_values, &weights).unwrap(),
            Distribution::new(&values, &scaled_weights).unwrap(),
        ] {
            prop_assert!(close(d.gini().unwrap(), base.gini().unwrap(), 1e-9));
            for (a, b) in d.quintile_shares().unwrap().iter().zip(base.quintile_shares().unwrap()) {
                prop_assert!(close(*a, b, 1e-9), "share {} vs {}", a, b);
            }
            if let (Ok(a), Ok(b)) = (d.palma(), base.palma()) {
                prop_assert!(close(a, b, 1e-9), "Palma {} vs {}", a, b);
            }
        }
        let two_k = 2f64.powi(k);
        let exact: Vec<f64> = values.iter().map(|v| v * two_k).collect();
        let d = Distribution::new(&exact, &weights).unwrap();
        for share in [0.4, 0.5, 0.6] {
            let a = d.headcount_rate(share * d.median()).unwrap();
            let b = base.headcount_rate(share * base.median()).unwrap();
            prop_assert_eq!(a, b);
        }
    }
}

proptest! {
    /// The packed sort key orders values as `f64::total_cmp` (then by position) and gives
    /// back the value and position bit for bit.
    #[test]
    fn packed_key_keeps_order_and_round_trips(
        a in prop_oneof![Just(0.0), Just(-0.0), -1e300..1e300f64, -1.0..1.0f64],
        b in prop_oneof![Just(0.0), Just(-0.0), -1e300..1e300f64, -1.0..1.0f64],
        i in any::<u32>(),
        j in any::<u32>(),
    ) {
        let new = |v: f64, i: u32| Ranked::from_key(Ranked::order_key(v), i);
        let (ra, rb) = (new(a, i), new(b, j));
        prop_assert_eq!(ra.cmp(&rb), a.total_cmp(&b).then(i.cmp(&j)));
        prop_assert_eq!(ra.value().to_bits(), a.to_bits());
        prop_assert_eq!(ra.index(), i as usize);
    }
}

proptest! {
    /// Sorting households gives the persons' order, weights and sums bit for bit, ties
    /// between households and a household whose members differ in value or weight (which
    /// falls back to sorting persons) included.
    #[test]
    fn sorting_households_equals_sorting_persons(
        households in proptest::collection::vec(
            (prop_oneof![Just(0.0), Just(-0.0), 0.0..4.0f64, (0u8..3).prop_map(f64::from)],
             1usize..5, 0.1..3.0f64), 1..60),
        split in any::<bool>(),
        split_value in any::<bool>(),
    ) {
        let (mut values, mut weights, mut start) = (Vec::new(), Vec::new(), vec![0u32]);
        for (k, &(value, size, weight)) in households.iter().enumerate() {
            for m in 0..size {
                let differs = split && k == households.len() / 2 && m == 1;
                values.push(if differs && split_value { value + 1.0 } else { value });
                weights.push(if differs && !split_value { weight * 1.5 } else { weight });
            }
            start.push(values.len() as u32);
        }
        let persons = Distribution::new(&values, &weights).unwrap();
        let mut by_household = Distribution::default();
        by_household.rebuild_by_household(&values, &weights, &start).unwrap();
        prop_assert_eq!(&persons.ranked, &by_household.ranked);
        prop_assert_eq!(&persons.weight, &by_household.weight);
        prop_assert_eq!(&persons.cum_income, &by_household.cum_income);
        prop_assert_eq!(persons.gini_numerator.to_bits(), by_household.gini_numerator.to_bits());
    }
}

/// 1,2,3,4 unweighted: cumulative weights 1,2,3,4. Median: 2 lands exactly on 4 * 0.5 ->
/// midpoint of 2 and 3 = 2.5. P10: 0.4 first reached at 1. P90: 3.6 first reached at 4.
/// 10 (w 2), 20, 30: median target 2 lands on the 10 -> (10 + 20) / 2 = 15; share 0.6
/// (target 2.4) -> 20; share 0.75 (target 3) lands on 20 -> 25.
#[test]
fn quantile_takes_midpoint_when_landing_exactly_on_the_share() {
    let d = unweighted(&[4.0, 2.0, 3.0, 1.0]);
    assert_eq!(d.median(), 2.5);
    assert_eq!(d.quantile(0.1).unwrap(), 1.0);
    assert_eq!(d.quantile(0.9).unwrap(), 4.0);
    assert_eq!(d.quantile(0.0).unwrap(), 1.0);
    assert_eq!(d.quantile(1.0).unwrap(), 4.0);
    let d = Distribution::new(&[20.0, 10.0, 30.0], &[1.0, 2.0, 1.0]).unwrap();
    assert_eq!(d.median(), 15.0);
    assert_eq!(d.quantile(0.6).unwrap(), 20.0);
    assert_eq!(d.quantile(0.75).unwrap(), 25.0);
    // Weights 0.1 x 10 do not sum exactly; the tie is still recognised: (5 + 6) / 2.
    let values: Vec<f64> = (1..=10).map(f64::from).collect();
    let d = Distribution::new(&values, &[0.1; 10]).unwrap();
    assert_eq!(d.median(), 5.5);
    assert!(d.quantile(1.5).is_err());
    assert!(d.quantile(f64::NAN).is_err());
}

/// 1 and 3, unweighted: W = 2, S = 4. L(0.25) splits the first person: 0.5 * 1 / 4 = 0.125;
/// L(0.75) = (1 + 0.5 * 3) / 4 = 0.625.
#[test]
fn lorenz_interpolates_within_a_person() {
    let d = unweighted(&[3.0, 1.0]);
    assert_eq!(d.income_share_below(0.25).unwrap(), 0.125);
    assert_eq!(d.income_share_below(0.75).unwrap(), 0.625);
    let curve = d.lorenz().unwrap();
    assert_eq!(curve.len(), 101);
    assert_eq!(
        curve[0],
        LorenzPoint {
            population_share: 0.0,
            income_share: 0.0
        }
    );
    assert_eq!(curve[100].income_share, 1.0);
    assert_eq!(curve[50].income_share, 0.25);
    assert!(
        curve
            .windows(2)
            .all(|w| w[0].income_share <= w[1].income_share)
    );
}

/// 1..=10 unweighted, total 55: quintiles (1+2), (3+4), (5+6), (7+8), (9+10) over 55;
/// Palma = top 10% (10) / bottom 40% (1+2+3+4 = 10) = 1. P10: 0.1 * 10 = 1 lands exactly on
/// the first person, so the midpoint of 1 and 2 = 1.5; P90: 9 lands on the 9th, (9 + 10) / 2
/// = 9.5; P90/P10 = 9.5 / 1.5.
#[test]
fn quintile_shares_palma_and_p90_p10_by_hand() {
    let values: Vec<f64> = (1..=10).map(f64::from).collect();
    let d = unweighted(&values);
    let expected = [3.0, 7.0, 11.0, 15.0, 19.0].map(|x| x / 55.0);
    for (a, b) in d.quintile_shares().unwrap().iter().zip(expected) {
        assert!(close(*a, b, 1e-12), "{a} vs {b}");
    }
    assert!(close(d.palma().unwrap(), 1.0, 1e-12));
    assert!(close(d.p90_p10().unwrap(), 9.5 / 1.5, 1e-12));
    // 1, 2, 3, 4 with weights 1, 1, 1, 2: W = 5, S = 14. Bottom 40% = weight 2 = 1 + 2 = 3;
    // top 10% = weight 0.5 of the 4 = 2. Palma = (2 / 14) / (3 / 14) = 2 / 3.
    let d = Distribution::new(&[1.0, 2.0, 3.0, 4.0], &[1.0, 1.0, 1.0, 2.0]).unwrap();
    assert!(close(d.palma().unwrap(), 2.0 / 3.0, 1e-12));
    // Zero bottom share or P10: errors, not infinities.
    let d = unweighted(&[0.0, 0.0, 0.0, 0.0, 10.0]);
    assert!(d.palma().is_err());
    assert!(d.p90_p10().is_err());
}

/// 1 and 3 unweighted, m = 2: T = (1/2)[(1/2) ln(1/2) + (3/2) ln(3/2)]
/// = -0.25 ln 2 + 0.75 ln 1.5 = 0.130812; MLD = (1/2)[ln 2 + ln(2/3)] = 0.5 ln(4/3) = 0.143841.
/// Adding incomes 0 and -5 skips two persons and leaves both unchanged.
/// 1 (w 3) and 2 (w 1), m = 1.25: T = [3 (0.8 ln 0.8) + 1.6 ln 1.6] / 4;
/// MLD = [3 ln 1.25 + ln 0.625] / 4.
#[test]
fn theil_and_mld_by_hand_skip_non_positive() {
    let d = unweighted(&[3.0, 0.0, 1.0, -5.0]);
    let t = d.theil().unwrap();
    let mld = d.mean_log_deviation().unwrap();
    assert!(close(
        t.value,
        -0.25 * 2f64.ln() + 0.75 * 1.5f64.ln(),
        1e-12
    ));
    assert!(close(t.value, 0.130_812, 1e-5));
    assert!(close(mld.value, 0.5 * (4.0f64 / 3.0).ln(), 1e-12));
    assert!(close(mld.value, 0.143_841, 1e-5));
    assert_eq!((t.skipped, mld.skipped), (2, 2));

    let d = Distribution::new(&[1.0, 2.0], &[3.0, 1.0]).unwrap();
    let t = d.theil().unwrap().value;
    let mld = d.mean_log_deviation().unwrap().value;
    assert!(close(
        t,
        (3.0 * 0.8 * 0.8f64.ln() + 1.6 * 1.6f64.ln()) / 4.0,
        1e-12
    ));
    assert!(close(
        mld,
        (3.0 * 1.25f64.ln() + 0.625f64.ln()) / 4.0,
        1e-12
    ));
    assert!(unweighted(&[0.0, -1.0]).theil().is_err());
}

/// Ranking M = 1, 2, 3 (unweighted), D = 3, 1, 2 per person. In M order D is 3, 1, 2 at
/// midpoint ranks 0.5, 1.5, 2.5: sum = 1.5 + 1.5 + 5 = 8; C = 2 * 8 / (3 * 6) - 1 = -1/9.
/// G(M) = 8 / (2 * 9 * 2) = 2/9, so Reynolds-Smolensky = 2/9 + 1/9 = 1/3.
/// Ties in the ranking share a rank: M = 1, 1 with D = 0, 2 or 2, 0 both give C = 0.
#[test]
fn concentration_coefficient_by_hand() {
    let m = unweighted(&[1.0, 2.0, 3.0]);
    assert!(close(
        m.concentration(&[3.0, 1.0, 2.0]).unwrap(),
        -1.0 / 9.0,
        1e-12
    ));
    assert!(close(m.gini().unwrap(), 2.0 / 9.0, 1e-12));
    let tied = unweighted(&[1.0, 1.0]);
    assert_eq!(tied.concentration(&[0.0, 2.0]).unwrap(), 0.0);
    assert_eq!(tied.concentration(&[2.0, 0.0]).unwrap(), 0.0);
    assert!(m.concentration(&[1.0]).is_err());
    assert!(m.concentration(&[-1.0, 0.0, 0.0]).is_err());
}

/// A subset taken from the sorted parent equals the distribution built from scratch.
#[test]
fn subset_matches_a_fresh_build() {
    let values = [5.0, 1.0, 7.0, 3.0, 3.0, 9.0];
    let weights = [1.0, 2.0, 1.0, 3.0, 1.0, 2.0];
    let parent = Distribution::new(&values, &weights).unwrap();
    let mut sub = Distribution::default();
    assert!(parent.subset_into(|i| i % 2 == 1, &mut sub));
    let fresh = Distribution::new(&[1.0, 3.0, 9.0], &[2.0, 3.0, 2.0]).unwrap();
    assert_eq!(sub.gini().unwrap(), fresh.gini().unwrap());
    assert_eq!(sub.median(), fresh.median());
    assert_eq!(sub.mean(), fresh.mean());
    assert_eq!(sub.total_weight(), 7.0);
    assert!(!parent.subset_into(|_| false, &mut sub));
}

#[test]
fn rebuild_reuses_buffers_and_matches_new() {
    let mut d = unweighted(&[5.0, 1.0, 7.0]);
    d.rebuild(&[1.0, 2.0], &[3.0, 1.0]).unwrap();
    assert_eq!(d.len(), 2);
    assert!(close(d.gini().unwrap(), 0.15, 1e-12));
    assert!(d.rebuild(&[1.0], &[-1.0]).is_err());
}
