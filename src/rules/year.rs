//! The year of rules over a chunk of whole households, as rules.md 8 orders it: the registered
//! programs' steps slot by slot ([`Slot`]), then the income concepts of the year, then the state
//! carried to next year. The year holds no formula: every amount is a program's; this file only
//! orders them and closes the income concepts (rules.md 2).
//!
//! Invariant: a chunk holds whole households, and every household of a collective lies in the same
//! chunk, so the slots before [`Slot::CollectiveSubsidy`] run over every household first (a
//! collective's pro rata share needs all its members' demand), then the rest. Draws come only from
//! `rng`, keyed by entity id, year (0 for once-per-entity draws) and purpose.

use super::RuleParams;
use super::categorical::CategoricalProgram;
use super::fiscal::FiscalAccounts;
use super::household::{Household, Outcomes, StatusLastYear};
use super::layout::{Placed, layout};
use super::program::Step;
use crate::income::IncomeParts;
use crate::population::{Collectives, Households, Persons, Residence};
use crate::rng::{Purpose, StreamKey};

/// Everything the rules need for one year besides the population.
#[derive(Debug, Clone)]
pub struct YearRules {
    /// Calendar year.
    pub year: i32,
    /// First simulated year of the run (the resident pension's old cohort had reached the pension
    /// age by then; spec 3.1 and 10).
    pub start_year: i32,
    /// A static evaluation (spec 10): employees at or past the statutory age retire within the
    /// year, keeping their earnings.
    pub static_year: bool,
    /// Master seed of the run.
    pub seed: u64,
    /// Replication number.
    pub replication: u32,
    /// Rule parameters by region index (population.regions), then residence index
    /// ([`Residence::index`]).
    pub params: Vec<[RuleParams; 2]>,
    /// Categorical programs of the year (spec 7), one fiscal line each.
    pub programs: Vec<CategoricalProgram>,
}

impl YearRules {
    /// True in the first simulated year.
    pub fn first_year(&self) -> bool {
        self.year == self.start_year
    }

    /// True in a year the dynamics ran before the rules (every year of a dynamic run but its
    /// first).
    pub fn after_dynamics(&self) -> bool {
        !self.static_year && self.year > self.start_year
    }

    /// Parameters of a region and residence.
    pub fn params_for(&self, region: u16, residence: Residence) -> &RuleParams {
        &self.params[region as usize][residence.index()]
    }

    /// The government's share of each registered fund's deficit (fund order of the layout). Funds
    /// are national: scenario loading checks that every region and residence gives one value.
    pub fn deficit_shares(&self) -> Vec<f64> {
        let first = self.params.first().map(|p| &p[0]);
        layout()
            .funds
            .iter()
            .map(|(f, _)| first.map_or(0.0, |p| (f.deficit_share)(p)))
            .collect()
    }

    /// The key of a draw of this run, replication and year.
    pub fn key(&self, entity: u64, year: i32, purpose: Purpose) -> StreamKey {
        StreamKey {
            seed: self.seed,
            replication: self.replication,
            entity,
            year,
            purpose,
        }
    }
}

/// Applies every rule to a chunk of whole households for one year (spec 8 steps 2-11), fills `out`
/// and updates the persons' state for next year. Returns the chunk's fiscal accounts (merge them
/// over chunks, then [`FiscalAccounts::finalize`]).
///
/// `persons` and `households` are the chunk's own rows (household `h` is
/// `households.start[h]..start[h + 1]` of `persons`); `collectives` is the whole table. Fails only
/// when a table lacks a key a person needs, naming the key, the year, the region and the person.
pub fn apply_year(
    persons: &mut Persons,
    households: &Households,
    collectives: &Collectives,
    rules: &YearRules,
    out: &mut Outcomes,
) -> crate::Result<FiscalAccounts> {
    let l = layout();
    let mut acc = FiscalAccounts::new(rules.programs.iter().map(|p| p.program.name.as_str()));
    out.reset(persons.len(), households.len(), rules.programs.len());
    let [first, second, year_end] = &l.passes;
    let mut cx = Chunk {
        first_program: l.programs[0],
        persons,
        households,
        collectives,
        rules,
        out,
        acc: &mut acc,
    };
    for h in 0..households.len() {
        let mut hh = cx.household(h);
        for i in hh.members.clone() {
            hh.out.work.parts[i] = IncomeParts {
                market: hh.persons.earnings_yearly[i] + hh.persons.other_income_yearly[i],
                ..Default::default()
            };
        }
        run_steps(&mut hh, first)?;
    }
    for h in 0..households.len() {
        let mut hh = cx.household(h);
        for i in hh.members.clone() {
            let member = hh.out.work.parts[i];
            hh.totals.add(&member);
        }
        run_steps(&mut hh, second)?;
        close_income(&mut hh);
        run_steps(&mut hh, year_end)?;
        count_households(&mut hh);
    }
    Ok(acc)
}

/// The chunk's buffers, lent to one household at a time.
struct Chunk<'a> {
    first_program: Placed,
    persons: &'a mut Persons,
    households: &'a Households,
    collectives: &'a Collectives,
    rules: &'a YearRules,
    out: &'a mut Outcomes,
    acc: &'a mut FiscalAccounts,
}

impl Chunk<'_> {
    fn household(&mut self, h: usize) -> Household<'_> {
        let hs = self.households;
        let members = hs.members(h);
        let p = &*self.persons;
        let status_last_year =
            members
                .clone()
                .fold(StatusLastYear::default(), |s, i| StatusLastYear {
                    dibao: s.dibao || p.dibao_last_year[i],
                    tekun: s.tekun || p.tekun_last_year[i],
                    margin: s.margin || p.margin_last_year[i],
                });
        Household {
            year: self.rules,
            params: self.rules.params_for(hs.region[h], hs.residence[h]),
            h,
            members,
            weight: hs.weight[h],
            region: hs.region[h],
            residence: hs.residence[h],
            status_last_year,
            persons: self.persons,
            households: hs,
            collectives: self.collectives,
            out: self.out,
            acc: self.acc,
            totals: IncomeParts::default(),
            means_tested_income_pc: None,
            program: self.first_program,
        }
    }
}

/// Runs `steps` on one household, each with its program's columns and lines.
fn run_steps(hh: &mut Household<'_>, steps: &[(Step, Placed)]) -> crate::Result<()> {
    for (step, program) in steps {
        hh.program = *program;
        (step.run)(hh).map_err(|message| {
            crate::Error::Undefined(format!(
                "year {}, region index {}, {}: {}: {message}",
                hh.year.year,
                hh.region,
                hh.residence.as_str(),
                step.name,
            ))
        })?;
    }
    Ok(())
}

/// Rules.md 2 for one household: each member's M, C, D, D_care, medical out-of-pocket and
/// D_health, and the household's per-capita M, M + P, D and D_care every member carries.
fn close_income(hh: &mut Household<'_>) {
    let out = &mut *hh.out;
    for i in hh.members.clone() {
        let parts = out.work.parts[i];
        out.market_income[i] = parts.market;
        out.own_contributions[i] = parts.contributions;
        out.disposable_income[i] = parts.disposable();
        out.disposable_income_care[i] = parts.disposable_care();
        out.medical_out_of_pocket[i] = parts.medical_out_of_pocket;
        out.disposable_income_health[i] = parts.disposable_health();
    }
    out.household_totals[hh.h] = hh.totals;
    let n = hh.members.len() as f64;
    let t = &hh.totals;
    for i in hh.members.clone() {
        out.household_per_capita_market[i] = t.market / n;
        out.household_per_capita_after_pensions[i] = t.market_and_pensions() / n;
        out.household_per_capita_disposable[i] = t.disposable() / n;
        out.household_per_capita_disposable_care[i] = t.disposable_care() / n;
    }
}

/// Counts the household once for every fixed line that paid a member this year.
fn count_households(hh: &mut Household<'_>) {
    let mut paid = hh.out.work.lines_paid[hh.h];
    while paid != 0 {
        let k = paid.trailing_zeros() as usize;
        hh.acc.line_mut(k).beneficiaries_households += hh.weight;
        paid &= paid - 1;
    }
}

#[cfg(test)]
pub(crate) mod testkit {
    //! Running one step of one family on a hand-built household, for the families' unit tests.
    use super::*;
    use crate::params::{ParamValue, ResolvedParams};
    use crate::population::testkit::build;
    pub(crate) use crate::population::testkit::{HouseholdRow, PersonRow};
    pub(crate) use crate::population::{Population, Residence};

    /// The registry's defaults with `changes` (stem, value).
    pub(crate) fn rule_params(changes: &[(&str, ParamValue)]) -> RuleParams {
        let mut p = ResolvedParams::defaults();
        for (stem, v) in changes {
            p.set(stem, v.clone());
        }
        RuleParams::from_resolved(&p).expect("valid test parameters")
    }

    /// A one-region population of one household.
    pub(crate) fn household(residence: Residence, rows: Vec<PersonRow>) -> Population {
        build(&["R0"], 0, &[HouseholdRow::new(residence, 1.0, rows)])
    }

    /// The rules of `year` in a run that started in 2024.
    pub(crate) fn rules_for(params: &RuleParams, year: i32, static_year: bool) -> YearRules {
        YearRules {
            year,
            start_year: 2024,
            static_year,
            seed: 7,
            replication: 0,
            params: vec![[params.clone(), params.clone()]],
            programs: vec![],
        }
    }

    /// Household 0 of `pop` as `program`'s steps see it (market income booked, household totals
    /// summed), handed to `f`; returns what `f` returns with the outcomes and accounts.
    pub(crate) fn with_household<R>(
        pop: &mut Population,
        rules: &YearRules,
        program: &str,
        f: impl FnOnce(&mut Household<'_>) -> R,
    ) -> (R, Outcomes, FiscalAccounts) {
        let mut out = Outcomes::default();
        out.reset(
            pop.persons.len(),
            pop.households.len(),
            rules.programs.len(),
        );
        let mut acc = FiscalAccounts::new(rules.programs.iter().map(|p| p.program.name.as_str()));
        let mut cx = Chunk {
            first_program: layout().programs[0],
            persons: &mut pop.persons,
            households: &pop.households,
            collectives: &pop.collectives,
            rules,
            out: &mut out,
            acc: &mut acc,
        };
        let mut hh = cx.household(0);
        for i in hh.members.clone() {
            let market = hh.persons.earnings_yearly[i] + hh.persons.other_income_yearly[i];
            hh.out.work.parts[i].market = market;
            hh.totals.market += market;
        }
        hh.program = *layout()
            .programs
            .iter()
            .find(|p| p.def.name == program)
            .expect("registered program");
        let r = f(&mut hh);
        (r, out, acc)
    }
}
