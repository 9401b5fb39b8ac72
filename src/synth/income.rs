//! Income calibration of the generator: the pre-rules income proxy (market income + current
//! pensions - own contributions, per capita of the household, person-weighted), its alignment to
//! each residence's target distribution ([`align_to_shape`]), the earnings scale that makes its
//! urban and rural means meet the spec's targets, and the distribution statistics of the
//! validation table (Gini, medians, quintile-group means).
//!
//! Method: earnings and farm income are drawn in relative units with the spec's shapes (lognormal
//! body and Pareto tail: they order the households; the target GB2 sets the shape); one scale
//! factor per residence multiplies them.
//! The proxy is s * market + pensions - contributions(s), where the employee contribution is 8% of
//! earnings clamped to the base bounds, so the scale is solved by a fixed point that converges in a
//! few passes (contributions are under a tenth of market income). The exact calibration of
//! disposable income under baseline rules is the engine's business, not the generator's.

use rayon::prelude::*;

use super::gb2::Gb2;
use super::groups::{GroupTargets, Ranked, shape_to_groups};
use super::spec::Spec;
use super::top::{TailFit, Target, add_top_incomes};
use crate::population::{Employment, PensionScheme, Population, Residence};
use crate::rng::Purpose;

/// Households per partial sum: fixed so that sums do not depend on the thread count.
const CHUNK: usize = 16_384;

/// Sum of `f(h)` over households, by residence, in fixed chunks combined in order.
fn sum_by_residence<F>(pop: &Population, f: F) -> [f64; 2]
where
    F: Fn(usize) -> f64 + Sync,
{
    let n = pop.households.len();
    let partials: Vec<[f64; 2]> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let mut acc = [0.0; 2];
            for h in c * CHUNK..((c + 1) * CHUNK).min(n) {
                acc[pop.households.residence[h].index()] += f(h);
            }
            acc
        })
        .collect();
    partials
        .iter()
        .fold([0.0; 2], |a, p| [a[0] + p[0], a[1] + p[1]])
}

/// Own contribution of person `i` with earnings scaled by `scale`, yuan/year: the employee
/// contribution on the clamped base, or the resident tier of a contributor.
fn own_contribution(pop: &Population, spec: &Spec, i: usize, scale: f64) -> f64 {
    let p = &pop.persons;
    let pen = &spec.pensions;
    if p.employment[i] == Employment::Employee {
        let wage = spec.earnings.average_wage_yearly;
        let [lo, hi] = pen.contribution_base_bounds;
        pen.employee_rate * (scale * p.earnings_yearly[i]).clamp(lo * wage, hi * wage)
    } else {
        p.resident_tier_yearly[i]
    }
}

/// Pension of person `i` in the proxy, yuan/year: the current employee pension, or the spec's
/// average resident pension for resident-scheme members aged 60+.
fn pension(pop: &Population, spec: &Spec, i: usize) -> f64 {
    let p = &pop.persons;
    if p.current_pension_yearly[i] > 0.0 {
        p.current_pension_yearly[i]
    } else if p.age[i] >= 60 && p.pension_scheme[i] == PensionScheme::Resident {
        spec.pensions.resident_avg_pension_monthly * 12.0
    } else {
        0.0
    }
}

/// Household income proxy with earnings scaled by `scale[residence]`, yuan/year.
fn household_proxy(pop: &Population, spec: &Spec, h: usize, scale: f64) -> f64 {
    let p = &pop.persons;
    pop.households
        .members(h)
        .map(|i| {
            scale * (p.earnings_yearly[i] + p.other_income_yearly[i]) + pension(pop, spec, i)
                - own_contribution(pop, spec, i, scale)
        })
        .sum()
}

/// Solves the earnings scale of each residence so that the person-weighted mean per-capita
/// proxy meets `income.urban_mean` and `income.rural_mean` times `factor` (what the top
/// incomes add, top.rs; 1 without them), and applies it to earnings and other income. Returns
/// the scales.
pub fn calibrate_scale(pop: &mut Population, spec: &Spec, factor: [f64; 2]) -> [f64; 2] {
    let w = &pop.households.weight;
    let persons = sum_by_residence(pop, |h| w[h] * pop.households.size(h) as f64);
    let market = sum_by_residence(pop, |h| w[h] * market_of(pop, h));
    let target = [
        spec.income.urban_mean * factor[0] * persons[0],
        spec.income.rural_mean * factor[1] * persons[1],
    ];
    let mut scale = [1.0f64; 2];
    for _ in 0..30 {
        let s = scale;
        let rest = sum_by_residence(pop, |h| {
            let r = pop.households.residence[h].index();
            w[h] * (household_proxy(pop, spec, h, s[r]) - s[r] * market_of(pop, h))
        });
        let next = [
            (target[0] - rest[0]) / market[0],
            (target[1] - rest[1]) / market[1],
        ];
        let done = (0..2).all(|r| (next[r] - scale[r]).abs() <= 1e-12 * scale[r].abs());
        scale = next;
        if done {
            break;
        }
    }
    let residence = &pop.households.residence;
    let household = &pop.persons.household;
    let s = scale;
    let apply = |v: &mut Vec<f64>| {
        v.par_iter_mut()
            .zip(household.par_iter())
            .for_each(|(x, &h)| *x *= s[residence[h as usize].index()]);
    };
    apply(&mut pop.persons.earnings_yearly);
    apply(&mut pop.persons.other_income_yearly);
    scale
}

/// Aligns the per-capita income proxy of each residence to its target distribution (a GB2 with
/// the spec's median and mean, `Spec::target_distributions`, reshaped to the spec's
/// `residence_quintile_group_means`, mean and median when it has them: groups.rs), keeping the
/// households' order.
///
/// Households are ranked by their drawn proxy (ties in a seeded pseudo-random order); a
/// household at person-weighted mid-rank u gets the target quantile Q(u). Its members' earnings
/// and other income are scaled by one factor k solved so that the proxy, employee contributions
/// included, meets Q(u). A household with no market income whose pensions fall short of Q(u)
/// gets the difference as other income of its first member (property income and private
/// transfers such as remittances, which the NBS counts in disposable income); one whose
/// pensions exceed Q(u) keeps them. A household whose members all have no supporter gets
/// nothing added: with no one liable to support them and no market income, its income is its
/// pensions (the te-kun definition, rules spec 4.3). Means are then met exactly by
/// [`calibrate_scale`].
/// With the spec's `top_incomes` the targets above its quantile get a Pareto tail (top.rs);
/// returns what the tail did (the factor by which each residence's target mean rose, 1 without
/// the option, for the final [`calibrate_scale`]).
pub fn align_to_shape(pop: &mut Population, spec: &Spec, target: &[Gb2; 2], seed: u64) -> TailFit {
    let proxy = per_capita_proxy(pop, spec);
    let hh = &pop.households;
    let mut wanted = vec![0.0; hh.len()];
    let mut targets: Vec<(u32, Target)> = Vec::with_capacity(hh.len());
    for residence in [Residence::Urban, Residence::Rural] {
        let mut order: Vec<(f64, u64, u32)> = (0..hh.len())
            .filter(|&h| hh.residence[h] == residence)
            .map(|h| {
                let tie =
                    super::generator_key(seed, hh.household_id[h], Purpose::SynthIncomeRank).hash();
                (proxy[h], tie, h as u32)
            })
            .collect();
        order.par_sort_unstable_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        let persons = |h: u32| hh.weight[h as usize] * hh.size(h as usize) as f64;
        let total: f64 = order.iter().map(|&(_, _, h)| persons(h)).sum();
        let mut below = 0.0;
        let ranks: Vec<f64> = order
            .iter()
            .map(|&(_, _, h)| {
                let v = persons(h);
                below += v;
                (below - v / 2.0) / total
            })
            .collect();
        let gb2 = target[residence.index()];
        let mut quantiles: Vec<f64> = ranks.par_iter().map(|&u| gb2.quantile(u)).collect();
        if let Some(groups) = &spec.income.residence_quintile_group_means {
            let ranked: Vec<Ranked> = order
                .iter()
                .zip(&quantiles)
                .map(|(&(_, _, h), &base)| Ranked {
                    households: hh.weight[h as usize],
                    persons: persons(h),
                    base,
                })
                .collect();
            let r = residence.index();
            let i = &spec.income;
            let t = GroupTargets {
                group_means: groups.get(r),
                mean: [i.urban_mean, i.rural_mean][r],
                median: [i.urban_median, i.rural_median][r],
            };
            quantiles = shape_to_groups(&ranked, &t);
        }
        for ((&(_, _, h), q), &rank) in order.iter().zip(quantiles).zip(&ranks) {
            wanted[h as usize] = q;
            targets.push((
                h,
                Target {
                    residence: residence.index(),
                    rank,
                    persons: persons(h),
                    income: q,
                },
            ));
        }
    }
    let mut fit = TailFit {
        factor: [1.0; 2],
        out_of_reach: None,
    };
    if let Some(top) = &spec.income.top_incomes {
        let mut only: Vec<Target> = targets.iter().map(|t| t.1).collect();
        fit = add_top_incomes(&mut only, top);
        for (&(h, _), t) in targets.iter().zip(&only) {
            wanted[h as usize] = t.income;
        }
    }
    for (h, w) in wanted.iter_mut().enumerate() {
        *w *= hh.size(h) as f64;
    }
    // Per household: the factor on market income, or the other income to add.
    let change: Vec<(f64, f64)> = (0..hh.len())
        .into_par_iter()
        .map(|h| {
            let market = market_of(pop, h);
            if market > 0.0 {
                // proxy(k) = k market + pensions - contributions(k), contributions rising by
                // at most the employee rate per yuan: a contraction, converging in a few passes.
                let mut k = 1.0f64;
                for _ in 0..60 {
                    let next =
                        (k + (wanted[h] - household_proxy(pop, spec, h, k)) / market).max(0.0);
                    let done = (next - k).abs() <= 1e-12 * k.max(1.0);
                    k = next;
                    if done {
                        break;
                    }
                }
                (k, 0.0)
            } else if pop
                .households
                .members(h)
                .all(|i| pop.persons.no_supporter[i])
            {
                (1.0, 0.0)
            } else {
                (
                    1.0,
                    (wanted[h] - household_proxy(pop, spec, h, 1.0)).max(0.0),
                )
            }
        })
        .collect();
    let p = &mut pop.persons;
    for (h, &(k, added)) in change.iter().enumerate() {
        let members = pop.households.members(h);
        let first = members.start;
        for i in members {
            p.earnings_yearly[i] *= k;
            p.other_income_yearly[i] *= k;
        }
        p.other_income_yearly[first] += added;
    }
    fit
}

fn market_of(pop: &Population, h: usize) -> f64 {
    let p = &pop.persons;
    pop.households
        .members(h)
        .map(|i| p.earnings_yearly[i] + p.other_income_yearly[i])
        .sum()
}

/// Per-capita proxy of every household, yuan/year (earnings already scaled).
pub fn per_capita_proxy(pop: &Population, spec: &Spec) -> Vec<f64> {
    (0..pop.households.len())
        .into_par_iter()
        .map(|h| household_proxy(pop, spec, h, 1.0) / pop.households.size(h) as f64)
        .collect()
}

/// Person-weighted medians (urban, rural) of a per-capita household income `y[h]`.
pub fn residence_medians(pop: &Population, y: &[f64]) -> [f64; 2] {
    let hh = &pop.households;
    [Residence::Urban, Residence::Rural].map(|residence| {
        let mut points: Vec<(f64, f64)> = (0..hh.len())
            .filter(|&h| hh.residence[h] == residence)
            .map(|h| (y[h], hh.weight[h] * hh.size(h) as f64))
            .collect();
        points.par_sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        let half = points.iter().map(|p| p.1).sum::<f64>() / 2.0;
        let mut below = 0.0;
        points
            .iter()
            .find(|p| {
                below += p.1;
                below >= half
            })
            .map_or(f64::NAN, |p| p.0)
    })
}

/// Distribution statistics of a per-capita income over persons.
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    /// Gini over persons.
    pub gini: f64,
    /// Median over persons.
    pub median: f64,
    /// Means (per person) of the five household quintile groups.
    pub quintile_group_means: [f64; 5],
}

/// Gini and median over persons, quintile groups over households, of per-capita income `y[h]`
/// with household weights `w[h]` and sizes `size[h]`.
pub fn distribution(y: &[f64], w: &[f64], size: &[f64]) -> Distribution {
    let mut order: Vec<u32> = (0..y.len() as u32).collect();
    order.par_sort_unstable_by(|&a, &b| y[a as usize].total_cmp(&y[b as usize]).then(a.cmp(&b)));
    let persons: f64 = order
        .iter()
        .map(|&h| w[h as usize] * size[h as usize])
        .sum();
    let households: f64 = w.iter().sum();
    let (mut cum_v, mut cum_y, mut area, mut cum_h) = (0.0, 0.0, 0.0, 0.0);
    let mut median = f64::NAN;
    let mut groups = [(0.0f64, 0.0f64); 5];
    for &h in &order {
        let h = h as usize;
        let v = w[h] * size[h];
        area += v * (2.0 * cum_y + v * y[h]);
        cum_y += v * y[h];
        cum_v += v;
        if median.is_nan() && cum_v >= persons / 2.0 {
            median = y[h];
        }
        let g = (((cum_h + w[h] / 2.0) / households * 5.0) as usize).min(4);
        cum_h += w[h];
        groups[g].0 += v * y[h];
        groups[g].1 += v;
    }
    Distribution {
        gini: 1.0 - area / (persons * cum_y),
        median,
        quintile_group_means: groups.map(|(inc, n)| inc / n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::population::testkit::{HouseholdRow, PersonRow, build};
    use crate::population::{Employment, Residence};

    /// Five urban one-person households of weight 1, aligned to the Fisk distribution
    /// (GB2 a = 2, p = q = 1, b = 20,000), whose quantile is 20,000 sqrt(u / (1 - u)):
    /// - the order by proxy is: the pensioner (resident pension 205 x 12 = 2,460, or an
    ///   employee pension of `pension`), the flexible workers earning 10,000, 20,000 and 30,000
    ///   (tier 100 each: proxies 9,900, 19,900, 29,900), the employee earning 50,000 (8% of the
    ///   floor base 0.6 x 95,000: proxy 45,440);
    /// - mid-ranks 0.1, 0.3, 0.5, 0.7, 0.9 give targets 6,666.67, 13,093.07, 20,000, 30,550.50,
    ///   60,000;
    /// - flexible earnings become target + 100; the employee's k solves 0.92 x 50,000 k = 60,000
    ///   (the base is then above the floor): earnings 65,217.39;
    /// - the resident pensioner gets 6,666.67 - 2,460 = 4,206.67 of other income; an employee
    ///   pensioner drawing 8,000 (above the target) gets none and keeps the pension, and so does
    ///   a resident pensioner with no supporter (`no_supporter`).
    fn aligned(pension: f64, no_supporter: bool) -> Population {
        let mut spec = crate::synth::parse_spec(
            include_str!("../../synthetic_pop/china_2022.toml"),
            std::path::Path::new("china_2022.toml"),
        )
        .expect("shipped spec");
        // The GB2 alone (the quintile-group shaping has its own test in groups.rs).
        spec.income.residence_quintile_group_means = None;
        let one = |person: PersonRow| HouseholdRow::new(Residence::Urban, 1.0, vec![person]);
        let flexible = |earnings: f64| PersonRow {
            employment: Employment::Flexible,
            earnings,
            resident_tier: 100.0,
            ..PersonRow::default()
        };
        let households = [
            one(flexible(30_000.0)),
            one(PersonRow {
                age: 70,
                employment: Employment::NotWorking,
                current_pension: pension,
                no_supporter,
                ..PersonRow::default()
            }),
            one(flexible(10_000.0)),
            one(PersonRow {
                employment: Employment::Employee,
                earnings: 50_000.0,
                ..PersonRow::default()
            }),
            one(flexible(20_000.0)),
        ];
        let mut pop = build(&["national"], 0, &households);
        let fisk = Gb2 {
            a: 2.0,
            b: 20_000.0,
            p: 1.0,
            q: 1.0,
        };
        align_to_shape(&mut pop, &spec, &[fisk, fisk], 7);
        pop
    }

    #[test]
    fn alignment_meets_hand_computed_targets() {
        let pop = aligned(0.0, false);
        let p = &pop.persons;
        let target = |u: f64| 20_000.0 * (u / (1.0 - u)).sqrt();
        for (got, expected) in [
            (p.earnings_yearly[0], target(0.7) + 100.0),
            (p.other_income_yearly[1], 4_206.67),
            (p.earnings_yearly[2], 13_193.07),
            (p.earnings_yearly[3], 65_217.39),
            (p.earnings_yearly[4], 20_100.0),
        ] {
            assert!((got - expected).abs() < 0.01, "{got} vs {expected}");
        }
        assert_eq!(p.other_income_yearly[0], 0.0);
        let pop = aligned(8_000.0, false);
        assert_eq!(pop.persons.other_income_yearly[1], 0.0);
        assert_eq!(pop.persons.current_pension_yearly[1], 8_000.0);
        // With no supporter the pensioner gets nothing added; the others' ranks and targets
        // do not move.
        let pop = aligned(0.0, true);
        assert_eq!(pop.persons.other_income_yearly[1], 0.0);
        assert!((pop.persons.earnings_yearly[2] - 13_193.07).abs() < 0.01);
    }

    /// Two persons with incomes 0 and 1: Gini = mean absolute difference / (2 mean)
    /// = (2 * 1 / 4) / (2 * 0.5) = 0.5. Equal incomes give 0.
    #[test]
    fn gini_of_hand_cases() {
        let d = distribution(&[1.0, 0.0], &[1.0, 1.0], &[1.0, 1.0]);
        assert!((d.gini - 0.5).abs() < 1e-12);
        let d = distribution(&[3.0, 3.0, 3.0], &[1.0, 2.0, 5.0], &[1.0, 2.0, 3.0]);
        assert!(d.gini.abs() < 1e-12);
    }

    /// Household weights count persons: a household of weight 3 and size 1 with income 10 and one
    /// of weight 1 and size 1 with income 0 are four persons 0, 10, 10, 10: mean 7.5, mean absolute
    /// difference over all ordered pairs = 2 * 3 * 10 / 16 = 3.75, Gini = 3.75 / 15 = 0.25;
    /// median 10.
    #[test]
    fn gini_and_median_use_person_weights() {
        let d = distribution(&[10.0, 0.0], &[3.0, 1.0], &[1.0, 1.0]);
        assert!((d.gini - 0.25).abs() < 1e-12, "{}", d.gini);
        assert_eq!(d.median, 10.0);
    }

    /// Five households of equal weight and size with incomes 1..5: each is its own quintile group.
    #[test]
    fn quintile_groups_of_five_households() {
        let d = distribution(&[5.0, 3.0, 1.0, 4.0, 2.0], &[1.0; 5], &[2.0; 5]);
        assert_eq!(d.quintile_group_means, [1.0, 2.0, 3.0, 4.0, 5.0]);
    }
}
