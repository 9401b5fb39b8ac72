//! Calibrated synthetic populations from `synthetic_pop/*.toml` specs (population.md "Synthetic
//! population specs"; rules.md sections 1 and 3 for the person attributes).
//!
//! Flow: [`load_spec`] -> [`generate`]: household sizes are planned (urban households first, then
//! rural, so that rural households and their collectives are contiguous), members are drawn in
//! parallel over fixed chunks of households from counter-based streams (byte-identical at any
//! thread count), weights are raked to the marginal targets (one weight per household), the
//! earnings scale is solved against the income means, household incomes are aligned rank for rank
//! to each residence's target distribution (a GB2 with the spec's medians and means, then the
//! means are met again), employees' account balances are imputed,
//! rural households are grouped into collectives, migrant households without local hukou are
//! chosen (`hukou`), and the validation table checks every target.
//! Nothing here applies a rule: dibao, te-kun and margin status of last year are left false (the
//! engine derives them in its first year).

mod check;
mod coarsen;
mod draw;
mod extends;
mod gb2;
mod groups;
mod hukou;
mod income;
mod rake;
mod sampling;
mod spec;
mod table;
mod targets;
mod top;
mod validate;

pub use hukou::HukouSpec;
pub use spec::{
    AgeSteps, ByResidence, CollectiveSpec, DisabilitySpec, EarningsShape, EarningsSpec,
    EmploymentSpec, HouseholdSpec, IncomeShape, IncomeTargets, NoSupporterSpec, PensionSpec,
    PopulationSpec, Spec, Tolerances, load_spec, parse_spec,
};
pub use validate::{Row, Tolerance, ValidationTable};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::population::{
    CollectiveTable, Collectives, Employment, Households, NO_COLLECTIVE, PensionScheme, Persons,
    Population, Residence,
};
use crate::rng::{Purpose, StreamKey};
use draw::{Member, Plan};
use targets::Targets;

/// Fewest rows the generator accepts: below this some age x residence cells stay empty.
pub const MIN_PERSONS: usize = 2_000;

/// Generates `persons` rows from a spec with a seed, calibrated, and checks every target: a target
/// missed beyond its tolerance is [`Error::Calibration`] with the validation table.
pub fn generate(spec: &Spec, persons: usize, seed: u64) -> Result<(Population, ValidationTable)> {
    let (pop, table) = generate_unchecked(spec, persons, seed)?;
    table.check()?;
    Ok((pop, table))
}

/// As [`generate`], but returns the population and its table even when targets are missed (the
/// CLI writes the table before failing).
pub fn generate_unchecked(
    spec: &Spec,
    persons: usize,
    seed: u64,
) -> Result<(Population, ValidationTable)> {
    if persons < MIN_PERSONS {
        return Err(Error::Config {
            file: "--persons".into(),
            line: None,
            column: None,
            message: format!("{persons} persons is too few: at least {MIN_PERSONS} are needed"),
            hint: None,
        });
    }
    // A spec built in code rather than loaded is checked here too.
    let origin = format!("spec for region `{}`", spec.region);
    spec.check(std::path::Path::new(&origin))?;
    let income_targets = spec.target_distributions(std::path::Path::new(&origin))?;
    let targets = Targets::new(spec)?;
    let plan = Plan::new(spec, &targets, seed);
    let urban_rows = (persons as f64 * spec.population.urban_share).round() as usize;
    let sizes = draw::plan_sizes(&plan, [urban_rows, persons - urban_rows]);
    let mut start = Vec::with_capacity(sizes.len() + 1);
    start.push(0u32);
    for &(_, size) in &sizes {
        start.push(start.last().copied().unwrap_or(0) + u32::from(size));
    }
    let members = draw::draw_members(&plan, &sizes, &start);
    let mut pop = assemble(spec, &sizes, start, &members);
    drop(members);

    let base = spec.population.total_persons / persons as f64;
    let (weights, partition) = coarsen::calibrate(&pop, &targets, base);
    pop.households.weight = weights;
    income::calibrate_scale(&mut pop, spec, [1.0; 2]);
    let tail = income::align_to_shape(&mut pop, spec, &income_targets, seed);
    income::calibrate_scale(&mut pop, spec, tail.factor);
    impute_employee_balances(&mut pop, spec);
    assign_collectives(&mut pop, spec, &targets, seed);
    if let Some(h) = &spec.hukou {
        hukou::assign_local_hukou(&mut pop, h, seed);
    }

    let mut table = validate_population(&pop, spec)?;
    coarsen::note_merges(&mut table, &partition, spec);
    if let Some(reached) = tail.out_of_reach {
        table.note_tail_out_of_reach(reached);
    }
    Ok((pop, table))
}

/// The validation table of any population (generated, or an analyst's file read by
/// `population::io::read`) against a spec's targets: what `gongfu inspect --spec` prints.
pub fn validate_population(pop: &Population, spec: &Spec) -> Result<ValidationTable> {
    let targets = Targets::new(spec)?;
    let proxy = income::per_capita_proxy(pop, spec);
    let sizes_f: Vec<f64> = (0..pop.households.len())
        .map(|h| pop.households.size(h) as f64)
        .collect();
    let dist = income::distribution(&proxy, &pop.households.weight, &sizes_f);
    let mut table = validate::validate(pop, spec, &targets, &proxy, &dist);
    if let Some(h) = &spec.hukou {
        table.rows.extend(hukou::rows(pop, h));
    }
    Ok(table)
}

/// The key of a generator draw about one household, person or collective (`entity`) of the
/// sample.
fn generator_key(seed: u64, entity: u64, purpose: Purpose) -> StreamKey {
    StreamKey {
        seed,
        replication: 0,
        entity,
        year: 0,
        purpose,
    }
}

/// Lays the drawn members out as population columns.
fn assemble(spec: &Spec, sizes: &[(Residence, u8)], start: Vec<u32>, m: &[Member]) -> Population {
    let n = m.len();
    let mut household = Vec::with_capacity(n);
    for (h, &(_, size)) in sizes.iter().enumerate() {
        household.extend(std::iter::repeat_n(h as u32, usize::from(size)));
    }
    let residence: Vec<Residence> = sizes.iter().map(|&(r, _)| r).collect();
    let hukou = household
        .par_iter()
        .map(|&h| residence[h as usize])
        .collect();
    fn column<T: Send>(m: &[Member], f: impl Fn(&Member) -> T + Sync + Send) -> Vec<T> {
        m.par_iter().map(f).collect()
    }
    let persons = Persons {
        person_id: (1..=n as u64).collect(),
        household,
        age: column(m, |x| x.age),
        sex: column(m, |x| x.sex),
        hukou,
        employment: column(m, |x| x.employment),
        earnings_yearly: column(m, |x| x.earnings),
        other_income_yearly: column(m, |x| x.other_income),
        pension_scheme: column(m, |x| {
            PensionScheme::default_for(x.employment, x.age, x.current_pension_yearly)
        }),
        contribution_years: column(m, |x| x.contribution_years),
        account_balance: column(m, |x| x.account_balance),
        indexed_wage_ratio: vec![f64::NAN; n],
        resident_tier_yearly: column(m, |x| x.resident_tier_yearly),
        current_pension_yearly: column(m, |x| x.current_pension_yearly),
        disability_grade: column(m, |x| x.disability_grade),
        cadre: column(m, |x| x.cadre),
        no_supporter: column(m, |x| x.no_supporter),
        dibao_last_year: vec![false; n],
        tekun_last_year: vec![false; n],
        margin_last_year: vec![false; n],
        local_hukou: vec![true; n],
        outpatient_cost_given: vec![f64::NAN; n],
        inpatient_cost_given: vec![f64::NAN; n],
        life_events: vec![Default::default(); n],
    };
    let count = sizes.len();
    Population {
        persons,
        households: Households {
            household_id: (1..=count as u64).collect(),
            start,
            weight: vec![0.0; count],
            region: vec![0; count],
            residence,
            collective: vec![NO_COLLECTIVE; count],
        },
        collectives: Collectives::default(),
        regions: vec![spec.region.clone()],
    }
}

/// Employees' individual-account balances: the employee rate on the clamped base times the
/// imputed contribution years (interest and wage growth assumed to cancel); current retirees'
/// balances frozen at retirement on the average wage.
fn impute_employee_balances(pop: &mut Population, spec: &Spec) {
    let pen = &spec.pensions;
    let wage = spec.earnings.average_wage_yearly;
    let [lo, hi] = pen.contribution_base_bounds;
    let p = &mut pop.persons;
    p.account_balance
        .par_iter_mut()
        .zip(&p.employment)
        .zip(&p.earnings_yearly)
        .zip(&p.contribution_years)
        .for_each(|(((balance, &employment), &earnings), &years)| {
            let base = match employment {
                Employment::Employee => earnings.clamp(lo * wage, hi * wage),
                Employment::Retired => wage,
                _ => return,
            };
            *balance = pen.employee_rate * base * years;
        });
}

/// Groups the (contiguous) rural households into collectives of about the spec's members per
/// collective (weighted) and draws each one's capacity per member and pilot flag. The capacity
/// is per member times the members the sample collective represents, so that the rules' pro-rata
/// cut (capacity / weighted members asking) sees per-member capacity at any sample size.
fn assign_collectives(pop: &mut Population, spec: &Spec, targets: &Targets, seed: u64) {
    let cs = &spec.collectives;
    let members_per_collective = targets.persons[1] / cs.count;
    let hh = &mut pop.households;
    let mut weighted_members: Vec<f64> = Vec::new();
    for h in 0..hh.len() {
        if hh.residence[h] != Residence::Rural {
            continue;
        }
        if weighted_members
            .last()
            .is_none_or(|&m| m >= members_per_collective)
        {
            weighted_members.push(0.0);
        }
        let c = weighted_members.len() - 1;
        weighted_members[c] += hh.weight[h] * hh.size(h) as f64;
        hh.collective[h] = c as u32;
    }
    let count = weighted_members.len();
    let mut table = CollectiveTable {
        capacity_yearly: Vec::with_capacity(count),
        participating: Vec::with_capacity(count),
    };
    for (c, &members) in weighted_members.iter().enumerate() {
        let mut s = generator_key(seed, c as u64 + 1, Purpose::SynthCollective).stream();
        let per_member =
            cs.capacity_per_member_median_yearly * (cs.capacity_sigma * s.standard_normal()).exp();
        let pilot = s.bernoulli(cs.pilot_share);
        table.capacity_yearly.push(per_member * members);
        table.participating.push(pilot);
    }
    pop.collectives = Collectives {
        collective_id: (1..=count as u64).collect(),
        region: vec![0; count],
        table: Some(table),
    };
}
