//! Drawing households and their members (population.md "Synthetic population specs"): household
//! sizes, consistent compositions (children live with an adult aged 20+, couples of close ages,
//! older people alone or in couples), and each member's employment, earnings, farm income,
//! pensions, contributions, disability and flags. Every draw comes from a counter-based stream keyed
//! by (seed, household or person id, purpose), so a household's members do not depend on chunking.

use rayon::prelude::*;

use super::generator_key as key;
use super::spec::{AGE_BANDS, EarningsShape, SIZE_CLASSES, Spec, TABLE_STATUSES};
use super::targets::{AGES, Targets, band_of};
use crate::population::{Employment, Residence, Sex};
use crate::rng::{Purpose, Stream};

/// Households per parallel chunk: fixed, so the work split never depends on the thread count.
pub const HOUSEHOLD_CHUNK: usize = 16_384;

/// Largest household the generator draws (the top of `six_plus_sizes`).
const MAX_SIZE: usize = 9;

/// Age a head must have at least (so every child lives with an adult aged 20+).
const ADULT_AGE: u8 = 20;

/// One generated person, before the columns are laid out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Member {
    /// Age in years.
    pub age: u8,
    /// Sex.
    pub sex: Sex,
    /// Employment status.
    pub employment: Employment,
    /// Market earnings before the income scale is solved (relative units).
    pub earnings: f64,
    /// Farm business income before scaling (relative units).
    pub other_income: f64,
    /// Employee pension of a current retiree, yuan/year.
    pub current_pension_yearly: f64,
    /// Resident-pension tier of a contributor, yuan/year (0 when not contributing).
    pub resident_tier_yearly: f64,
    /// Contribution years so far.
    pub contribution_years: f64,
    /// Frozen account balance of a resident pensioner, yuan (employees' are set after scaling).
    pub account_balance: f64,
    /// Disability grade 0..=3.
    pub disability_grade: u8,
    /// Cadre flag.
    pub cadre: bool,
    /// No-supporter flag.
    pub no_supporter: bool,
}

impl Default for Member {
    fn default() -> Self {
        Member {
            age: 0,
            sex: Sex::Male,
            employment: Employment::NotWorking,
            earnings: 0.0,
            other_income: 0.0,
            current_pension_yearly: 0.0,
            resident_tier_yearly: 0.0,
            contribution_years: 0.0,
            account_balance: 0.0,
            disability_grade: 0,
            cadre: false,
            no_supporter: false,
        }
    }
}

/// Kinds of household the generator composes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Composition {
    /// One person.
    Single,
    /// Two adults of opposite sex and close ages.
    Couple,
    /// A parent aged 40+ with one child.
    ParentAndChild,
    /// A couple with children.
    Nuclear,
    /// Grandparents, the middle generation (or not: skipped generation), grandchildren.
    ThreeGenerations,
}

impl Composition {
    /// Bands (first..=last) the head comes from: 20+; 40+ for a parent with a grown child;
    /// 25-54 for a nuclear family; 55+ for the eldest of three generations.
    fn head_bands(self) -> (usize, usize) {
        match self {
            Composition::Single | Composition::Couple => (4, AGE_BANDS - 1),
            Composition::ParentAndChild => (8, AGE_BANDS - 1),
            Composition::Nuclear => (5, 10),
            Composition::ThreeGenerations => (11, AGE_BANDS - 1),
        }
    }
}

/// Cumulative distributions prepared once from a spec.
pub struct Plan<'a> {
    spec: &'a Spec,
    targets: &'a Targets,
    seed: u64,
    /// Cumulative household-size shares by residence (classes 1..5, 6+).
    size_cum: [[f64; SIZE_CLASSES]; 2],
    six_plus_cum: [f64; 4],
    /// Cumulative single-year age shares by residence (smooth within bands: `Targets`).
    age_cum: [[f64; AGES]; 2],
    employment_cum: [Vec<[f64; TABLE_STATUSES]>; 2],
    tier_cum: Vec<f64>,
    /// Standard-normal quantile where each residence's Pareto tail starts.
    tail_z: [f64; 2],
}

impl<'a> Plan<'a> {
    /// Prepares the drawing tables of a (checked) spec.
    pub fn new(spec: &'a Spec, targets: &'a Targets, seed: u64) -> Self {
        let h = &spec.households;
        let e = &spec.employment;
        let cum_rows = |t: &Vec<[f64; TABLE_STATUSES]>| t.iter().map(cumulative).collect();
        Plan {
            spec,
            targets,
            seed,
            size_cum: [
                cumulative(&h.size_shares.urban),
                cumulative(&h.size_shares.rural),
            ],
            six_plus_cum: cumulative(&h.six_plus_sizes),
            age_cum: [
                cumulative(&targets.single_year_share[0]),
                cumulative(&targets.single_year_share[1]),
            ],
            employment_cum: [cum_rows(&e.urban), cum_rows(&e.rural)],
            tier_cum: cumulative_vec(&spec.pensions.resident_tier_shares),
            tail_z: [
                inverse_normal_cdf(spec.earnings.shape.urban.tail_quantile),
                inverse_normal_cdf(spec.earnings.shape.rural.tail_quantile),
            ],
        }
    }

    fn household_stream(&self, h: usize) -> Stream {
        key(self.seed, h as u64 + 1, Purpose::SynthHousehold).stream()
    }

    /// Size of household `h` of residence `r` (the first draws of its household stream).
    pub fn size(&self, h: usize, r: usize) -> usize {
        self.draw_size(&mut self.household_stream(h), r)
    }

    fn draw_size(&self, s: &mut Stream, r: usize) -> usize {
        let class = s.pick_cumulative(&self.size_cum[r]);
        if class + 1 < SIZE_CLASSES {
            class + 1
        } else {
            SIZE_CLASSES + s.pick_cumulative(&self.six_plus_cum)
        }
    }

    /// Draws the members of household `h` (residence `r`, `out.len()` persons, the first of them
    /// person id `first_person_id`).
    pub fn household(&self, h: usize, r: usize, first_person_id: u64, out: &mut [Member]) {
        let mut s = self.household_stream(h);
        self.draw_size(&mut s, r); // keep the stream aligned with `size`
        self.compose(&mut s, r, out);
        let alone = out.len() == 1;
        for (i, m) in out.iter_mut().enumerate() {
            self.attributes(first_person_id + i as u64, r, alone, m);
        }
    }

    /// Ages and sexes: a head aged 20+, then a spouse, children, or a three-generation family.
    fn compose(&self, s: &mut Stream, r: usize, out: &mut [Member]) {
        let n = out.len();
        let hh = &self.spec.households;
        let kind = match n {
            1 => Composition::Single,
            2 if s.bernoulli(hh.couple_share_of_two_person) => Composition::Couple,
            2 => Composition::ParentAndChild,
            _ if s.bernoulli(hh.three_generation_share.get(r)) => Composition::ThreeGenerations,
            _ => Composition::Nuclear,
        };
        let (first, last) = kind.head_bands();
        let head = self.age_in_bands(s, r, first, last).max(ADULT_AGE);
        let with_spouse = match kind {
            Composition::Single | Composition::ParentAndChild => false,
            Composition::Couple | Composition::Nuclear => true,
            Composition::ThreeGenerations => n > 3,
        };
        let mut k = 0;
        out[k].age = head;
        out[k].sex = self.sex(s, head);
        k += 1;
        if with_spouse {
            out[k].age = spouse_age(head, (s.standard_normal() * 3.0 - 2.0).round() as i32);
            out[k].sex = opposite(out[0].sex);
            k += 1;
        }
        // Three generations: the middle generation is 22 to 32 years younger than the head; it
        // may live elsewhere and leave its children with the grandparents.
        let mut parent_age = head;
        if kind == Composition::ThreeGenerations {
            let middle = head
                .saturating_sub(22 + (s.uniform() * 11.0) as u8)
                .max(ADULT_AGE);
            if !s.bernoulli(hh.skip_generation_share.get(r)) {
                out[k].age = middle;
                out[k].sex = self.sex(s, middle);
                k += 1;
                if n - k >= 2 {
                    out[k].age = spouse_age(middle, (s.standard_normal() * 3.0) as i32);
                    out[k].sex = opposite(out[k - 1].sex);
                    k += 1;
                }
            }
            parent_age = middle;
        }
        // Children: born when the parent was 20 to 35 (a lone parent with a grown child: 20 to 45),
        // and at most as old as the parent is now: a parent aged 24 has children of 0 to 4, not
        // children of 0 whenever the drawn age at birth exceeds 24 (that piled 1 in 30 persons
        // on age 0).
        let span = if kind == Composition::ParentAndChild {
            25
        } else {
            15
        };
        let span = f64::from(span.min(parent_age.saturating_sub(ADULT_AGE) + 1));
        while k < n {
            let at_birth = ADULT_AGE + (s.uniform() * span) as u8;
            let age = parent_age.saturating_sub(at_birth);
            out[k].age = age;
            out[k].sex = self.sex(s, age);
            k += 1;
        }
    }

    /// An age drawn from the residence's single-year distribution restricted to bands
    /// first..=last (smooth within bands, so heads do not pile up on band edges).
    fn age_in_bands(&self, s: &mut Stream, r: usize, first: usize, last: usize) -> u8 {
        let cum = &self.age_cum[r];
        let (lo_age, hi_age) = (
            first * 5,
            if last + 1 == AGE_BANDS {
                AGES - 1
            } else {
                last * 5 + 4
            },
        );
        let lo = if lo_age == 0 { 0.0 } else { cum[lo_age - 1] };
        let u = lo + s.uniform() * (cum[hi_age] - lo);
        let age = lo_age + cum[lo_age..hi_age].partition_point(|&c| c <= u);
        age as u8
    }

    fn sex(&self, s: &mut Stream, age: u8) -> Sex {
        if s.bernoulli(self.targets.male_share[band_of(age)]) {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// Employment, income, pensions, disability and flags of one member.
    fn attributes(&self, person_id: u64, r: usize, alone: bool, m: &mut Member) {
        let spec = self.spec;
        let pen = &spec.pensions;
        let mut s = key(self.seed, person_id, Purpose::SynthPerson).stream();
        let age = m.age;
        m.disability_grade = self.disability(&mut s, age);
        if age < 16 {
            m.employment = if age >= 6 {
                Employment::Student
            } else {
                Employment::NotWorking
            };
            return;
        }
        let female = m.sex == Sex::Female;
        m.cadre = female && s.bernoulli(spec.employment.cadre_share_of_female_employees);
        let statutory_age = match (female, m.cadre) {
            (false, _) => pen.retirement_age_male,
            (true, true) => pen.retirement_age_female_cadre,
            (true, false) => pen.retirement_age_female_worker,
        };
        let past_age = age >= statutory_age;
        if past_age && s.bernoulli(pen.retired_employee_share.get(r)) {
            m.employment = Employment::Retired;
            let sigma = pen.employee_pension_sigma;
            let mean = pen.employee_avg_pension_monthly * 12.0;
            m.current_pension_yearly =
                mean * (sigma * s.standard_normal() - sigma * sigma / 2.0).exp();
            m.contribution_years =
                f64::from(statutory_age.saturating_sub(22)) * pen.employee_contribution_density;
            return;
        }
        if alone && age >= 60 && s.bernoulli(spec.no_supporter.share_of_older_alone.get(r)) {
            // Childless, unmarried and living alone: no earnings, as te-kun requires (rules 4.3).
            m.no_supporter = true;
            m.cadre = false;
            m.employment = Employment::NotWorking;
            self.resident_member(&mut s, m);
            return;
        }
        let e = &spec.employment;
        let band = e
            .band_lower_age
            .iter()
            .rposition(|&a| a <= age)
            .unwrap_or(0);
        m.employment = match s.pick_cumulative(&self.employment_cum[r][band]) {
            // An employee past the statutory age stays one: the rules retire them (rules 10).
            0 => Employment::Employee,
            1 => Employment::Flexible,
            2 => Employment::Farmer,
            3 => Employment::NotWorking,
            _ => Employment::Student,
        };
        if m.employment != Employment::Employee {
            m.cadre = false;
        }
        let level = spec.earnings.age_profile.at(age)
            * if r == 1 {
                spec.earnings.rural_relative
            } else {
                1.0
            };
        match m.employment {
            Employment::Employee => {
                m.earnings = level * self.earnings(&mut s, r);
                m.contribution_years =
                    f64::from(age.saturating_sub(22)) * pen.employee_contribution_density;
            }
            Employment::Flexible => {
                m.earnings = level * spec.earnings.flexible_relative * self.earnings(&mut s, r);
            }
            Employment::Farmer => {
                let w = &spec.earnings;
                m.other_income =
                    w.farm_income_relative * (w.farm_income_sigma * s.standard_normal()).exp();
            }
            _ => {}
        }
        if m.employment != Employment::Employee && m.employment != Employment::Student {
            self.resident_member(&mut s, m);
        }
    }

    /// A resident-scheme member: a contributor's tier and years, or a pensioner's frozen balance.
    fn resident_member(&self, s: &mut Stream, m: &mut Member) {
        let pen = &self.spec.pensions;
        if m.age >= 60 {
            let sigma = pen.resident_account_balance_sigma;
            let mean = pen.resident_account_pension_monthly * pen.resident_account_divisor;
            m.account_balance = mean * (sigma * s.standard_normal() - sigma * sigma / 2.0).exp();
        } else if s.bernoulli(pen.resident_enrolment_rate) {
            m.resident_tier_yearly = pen.resident_tiers[s.pick_cumulative(&self.tier_cum)];
            m.contribution_years = f64::from(m.age - 16).min(pen.resident_scheme_years);
            m.account_balance = m.resident_tier_yearly * m.contribution_years;
        }
    }

    /// Lognormal body (median 1) with a Pareto tail above the spec's quantile.
    fn earnings(&self, s: &mut Stream, r: usize) -> f64 {
        let EarningsShape {
            sigma,
            pareto_alpha,
            ..
        } = self.spec.earnings.shape.get(r);
        let z = s.standard_normal();
        let zq = self.tail_z[r];
        if z <= zq {
            (sigma * z).exp()
        } else {
            (sigma * zq).exp() * (1.0 - s.uniform()).powf(-1.0 / pareto_alpha)
        }
    }

    fn disability(&self, s: &mut Stream, age: u8) -> u8 {
        let d = &self.spec.disability;
        let (any, severe) = (d.any_by_age.at(age), d.severe_by_age.at(age));
        let u = s.uniform();
        if u < severe {
            3
        } else if u < severe + (any - severe) * d.moderate_share_of_non_severe {
            2
        } else if u < any {
            1
        } else {
            0
        }
    }
}

/// Sizes of all households: urban households first until `persons[0]` rows, then rural until
/// `persons[1]`; the last household of each residence is cut to fit. Returns (residence, size).
pub fn plan_sizes(plan: &Plan, persons: [usize; 2]) -> Vec<(Residence, u8)> {
    let mut out = Vec::new();
    for (r, residence) in Residence::ALL.into_iter().enumerate() {
        let mut left = persons[r];
        while left > 0 {
            let size = plan.size(out.len(), r).min(left).min(MAX_SIZE);
            out.push((residence, size as u8));
            left -= size;
        }
    }
    out
}

/// Draws every member of every household, in parallel over fixed chunks of households.
/// `start` are the household offsets (one longer than `sizes`).
pub fn draw_members(plan: &Plan, sizes: &[(Residence, u8)], start: &[u32]) -> Vec<Member> {
    let mut members = vec![Member::default(); *start.last().unwrap_or(&0) as usize];
    // Split the member rows at chunk boundaries (household chunks of fixed size).
    let mut slices = Vec::with_capacity(sizes.len() / HOUSEHOLD_CHUNK + 1);
    let mut rest: &mut [Member] = &mut members;
    for c in (0..sizes.len()).step_by(HOUSEHOLD_CHUNK) {
        let end = (c + HOUSEHOLD_CHUNK).min(sizes.len());
        let (head, tail) = rest.split_at_mut((start[end] - start[c]) as usize);
        slices.push((c, head));
        rest = tail;
    }
    slices.into_par_iter().for_each(|(c, rows)| {
        let end = (c + HOUSEHOLD_CHUNK).min(sizes.len());
        let base = start[c] as usize;
        for h in c..end {
            let (lo, hi) = (start[h] as usize - base, start[h + 1] as usize - base);
            plan.household(
                h,
                sizes[h].0.index(),
                start[h] as u64 + 1,
                &mut rows[lo..hi],
            );
        }
    });
    members
}

/// Age of a spouse `gap` years from `partner_age`; a gap that would make the spouse younger than
/// 20 is mirrored (20 + |gap| rather than 20: clamping piled the spouses of 20-year-olds on 20).
fn spouse_age(partner_age: u8, gap: i32) -> u8 {
    let partner = i32::from(partner_age);
    let age = if partner + gap < i32::from(ADULT_AGE) {
        partner + gap.abs()
    } else {
        partner + gap
    };
    age.clamp(i32::from(ADULT_AGE), i32::from(crate::population::MAX_AGE)) as u8
}

fn opposite(sex: Sex) -> Sex {
    match sex {
        Sex::Male => Sex::Female,
        Sex::Female => Sex::Male,
    }
}

fn cumulative<const N: usize>(shares: &[f64; N]) -> [f64; N] {
    let mut out = [0.0; N];
    let mut acc = 0.0;
    for (o, s) in out.iter_mut().zip(shares) {
        acc += s;
        *o = acc;
    }
    out
}

fn cumulative_vec(shares: &[f64]) -> Vec<f64> {
    let mut acc = 0.0;
    shares
        .iter()
        .map(|s| {
            acc += s;
            acc
        })
        .collect()
}

/// Standard-normal quantile (Acklam's rational approximation, relative error below 1.2e-9).
pub fn inverse_normal_cdf(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Textbook quantiles: Phi^-1(0.9) = 1.2815515655, Phi^-1(0.975) = 1.9599639845,
    /// Phi^-1(0.5) = 0, Phi^-1(0.01) = -2.3263478740.
    #[test]
    fn inverse_normal_matches_tables() {
        for (p, z) in [
            (0.9, 1.281_551_565_5),
            (0.975, 1.959_963_984_5),
            (0.5, 0.0),
            (0.01, -2.326_347_874_0),
        ] {
            assert!((inverse_normal_cdf(p) - z).abs() < 1e-8, "p {p}");
        }
    }
}

#[cfg(test)]
mod household_tests {
    use super::*;
    use proptest::prelude::*;

    fn spec() -> Spec {
        super::super::parse_spec(
            include_str!("../../synthetic_pop/china_2022.toml"),
            std::path::Path::new("china_2022.toml"),
        )
        .expect("parses")
    }

    proptest! {
        /// Any household of any size and residence has a head aged 20+, children under 16 only
        /// beside an adult aged 20+, and ages within 0..=110.
        #[test]
        fn households_have_an_adult(seed in 0u64..1000, h in 0usize..100_000, size in 1usize..=9, rural in any::<bool>()) {
            let spec = spec();
            let targets = Targets::new(&spec).unwrap();
            let plan = Plan::new(&spec, &targets, seed);
            let mut out = vec![Member::default(); size];
            plan.household(h, usize::from(rural), 1, &mut out);
            prop_assert!(out[0].age >= ADULT_AGE);
            prop_assert!(out.iter().all(|m| m.age <= crate::population::MAX_AGE));
            if size == 2 && out[1].age >= ADULT_AGE {
                prop_assert!(out[0].sex != out[1].sex || out[0].age.abs_diff(out[1].age) >= 20);
            }
        }
    }

    /// Spouses: head 40 and gap -3 gives 37; head 20 and gap -3 would be 17, mirrored to 23; head
    /// 21 and gap -1 gives 20; head 109 and gap +4 is cut at 110.
    #[test]
    fn spouses_are_adults_without_a_pile_at_twenty() {
        assert_eq!(spouse_age(40, -3), 37);
        assert_eq!(spouse_age(20, -3), 23);
        assert_eq!(spouse_age(21, -1), 20);
        assert_eq!(spouse_age(109, 4), 110);
    }

    /// The shares of sizes drawn over 200 000 households follow the spec (urban: 0.27 one-person,
    /// 0.03 six-plus) within 5 standard errors (sqrt(0.27 x 0.73 / 200 000) = 0.001).
    #[test]
    fn sizes_follow_the_spec() {
        let spec = spec();
        let targets = Targets::new(&spec).unwrap();
        let plan = Plan::new(&spec, &targets, 1);
        let n = 200_000;
        let sizes: Vec<usize> = (0..n).map(|h| plan.size(h, 0)).collect();
        let ones = sizes.iter().filter(|&&s| s == 1).count() as f64 / n as f64;
        let six_plus = sizes.iter().filter(|&&s| s >= 6).count() as f64 / n as f64;
        assert!((ones - 0.27).abs() < 0.005, "{ones}");
        assert!((six_plus - 0.03).abs() < 0.002, "{six_plus}");
        assert!(sizes.iter().all(|&s| (1..=MAX_SIZE).contains(&s)));
    }

    /// The tail starts at the 0.9 quantile: 10% of draws lie above exp(sigma x 1.28155), and the
    /// Pareto tail has P(X > 2 x_q | X > x_q) = 2^-alpha = 2^-2.3 = 0.2031.
    #[test]
    fn earnings_tail_starts_at_the_quantile() {
        let spec = spec();
        let targets = Targets::new(&spec).unwrap();
        let plan = Plan::new(&spec, &targets, 1);
        let xq = (0.62f64 * 1.281_551_565_5).exp();
        let n = 200_000;
        let (mut above, mut far) = (0usize, 0usize);
        for e in 0..n {
            let mut s = key(9, e, Purpose::SynthPerson).stream();
            let x = plan.earnings(&mut s, 0);
            above += usize::from(x > xq);
            far += usize::from(x > 2.0 * xq);
        }
        let share = above as f64 / n as f64;
        assert!((share - 0.1).abs() < 0.004, "{share}");
        let tail = far as f64 / above as f64;
        assert!((tail - 0.2031).abs() < 0.015, "{tail}");
    }
}
