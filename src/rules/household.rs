//! The household a step works on, and what the year writes: per-person outcome columns of every
//! registered program, the income concepts, and the work area the families share within a year.
//!
//! A step sees one household through [`Household`]: its members, weight, region and residence, the
//! parameters of its region and residence, last year's assistance status, and booking functions
//! that keep an outcome column, the income concept it belongs to and the fiscal accounts together.
//! Draws come from the year's keyed streams ([`Household::uniform`]), never from a rule of its own.

use std::collections::HashMap;
use std::ops::Range;

use super::RuleParams;
use super::fiscal::{FiscalAccounts, FundFlows, ProgramAccount};
use super::layout::{Placed, layout};
use super::medical_insurance::MedicalScheme;
use super::program::Role;
use super::year::YearRules;
use crate::income::{Concept, IncomeParts};
use crate::population::{AssistanceStatus, Collectives, Households, Persons, Residence};
use crate::rng::{Purpose, Stream, StreamKey};

/// Per-person results of one year, yuan/year unless said otherwise: every registered program's
/// outcome columns (the microdata columns of indicators.md, by [`Outcomes::column`]), the income
/// concepts, and the per-capita household values the indicators use. Resized to the chunk and
/// overwritten every year. Household-level amounts (dibao) are carried by every member as household
/// amount / size, so a column sums to the household amount.
#[derive(Debug, Clone, Default)]
pub struct Outcomes {
    /// Outcome columns by global index ([`super::layout::Layout::outcomes`]).
    columns: Vec<Vec<f64>>,
    /// M: earnings + business/farm/property income.
    pub market_income: Vec<f64>,
    /// C: every contribution and premium the person pays.
    pub own_contributions: Vec<f64>,
    /// D = M + P + A + T - C.
    pub disposable_income: Vec<f64>,
    /// D_care = D - out-of-pocket care.
    pub disposable_income_care: Vec<f64>,
    /// Medical out-of-pocket after every insurance and medical assistance (rules.md 11).
    pub medical_out_of_pocket: Vec<f64>,
    /// D_health = D - medical out-of-pocket - huiminbao premium.
    pub disposable_income_health: Vec<f64>,
    /// Household M per capita.
    pub household_per_capita_market: Vec<f64>,
    /// Household M + P per capita.
    pub household_per_capita_after_pensions: Vec<f64>,
    /// Household D per capita.
    pub household_per_capita_disposable: Vec<f64>,
    /// Household D_care per capita.
    pub household_per_capita_disposable_care: Vec<f64>,
    /// Dibao standard of the person's region and residence (for below-dibao rates).
    pub dibao_standard_yearly: Vec<f64>,
    /// Assistance status this year: te-kun for a te-kun person, else the household's.
    pub dibao_status: Vec<AssistanceStatus>,
    /// Each household's income components as its members' and its programs' bookings add up
    /// (rules.md 2), by household row of the chunk.
    pub household_totals: Vec<IncomeParts>,
    /// The families' shared work area of the year.
    pub(crate) work: Work,
}

impl Outcomes {
    /// Zeroes every column for `n` persons and `households` households, keeping capacity.
    pub(crate) fn reset(&mut self, n: usize, households: usize, categorical_programs: usize) {
        let outcomes = layout().outcomes.len();
        self.columns.resize_with(outcomes, Vec::new);
        for col in self.columns.iter_mut().chain([
            &mut self.market_income,
            &mut self.own_contributions,
            &mut self.disposable_income,
            &mut self.disposable_income_care,
            &mut self.medical_out_of_pocket,
            &mut self.disposable_income_health,
            &mut self.household_per_capita_market,
            &mut self.household_per_capita_after_pensions,
            &mut self.household_per_capita_disposable,
            &mut self.household_per_capita_disposable_care,
            &mut self.dibao_standard_yearly,
        ]) {
            refill(col, n, 0.0);
        }
        refill(&mut self.dibao_status, n, AssistanceStatus::None);
        refill(
            &mut self.household_totals,
            households,
            IncomeParts::default(),
        );
        self.work.reset(n, households, categorical_programs);
    }

    /// Number of persons.
    pub fn len(&self) -> usize {
        self.market_income.len()
    }

    /// Bytes of every column as filled this year (persons and households of the chunk), for the
    /// engine bench's memory-traffic figure.
    pub fn bytes(&self) -> usize {
        fn of<T>(v: &[T]) -> usize {
            std::mem::size_of_val(v)
        }
        let fixed: usize = self
            .columns
            .iter()
            .chain([
                &self.market_income,
                &self.own_contributions,
                &self.disposable_income,
                &self.disposable_income_care,
                &self.medical_out_of_pocket,
                &self.disposable_income_health,
                &self.household_per_capita_market,
                &self.household_per_capita_after_pensions,
                &self.household_per_capita_disposable,
                &self.household_per_capita_disposable_care,
                &self.dibao_standard_yearly,
            ])
            .map(|c| of(c))
            .sum();
        let w = &self.work;
        fixed
            + of(&self.dibao_status)
            + of(&self.household_totals)
            + of(&w.parts)
            + of(&w.contributor_tier)
            + of(&w.account_credit)
            + of(&w.outpatient_cost)
            + of(&w.inpatient_cost)
            + of(&w.premium_paid_by_assistance)
            + of(&w.medical_scheme)
            + of(&w.resident_pensioner)
            + of(&w.collective_target)
            + of(&w.tekun)
            + of(&w.employee_contributor)
            + of(&w.lines_paid)
            + of(&w.household_status)
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.market_income.is_empty()
    }

    /// The outcome column named `column` (a registered program's microdata column).
    pub fn column(&self, column: &str) -> Option<&[f64]> {
        layout()
            .outcome_index(column)
            .map(|k| self.columns[k].as_slice())
    }

    /// The outcome column at global index `k`.
    pub fn column_at(&self, k: usize) -> &[f64] {
        &self.columns[k]
    }

    /// Credit to each resident-pension account this year before interest: tier + subsidy +
    /// collective subsidy (rules.md 3.1, 6), yuan.
    pub fn account_credit(&self) -> &[f64] {
        &self.work.account_credit
    }

    /// Each person's inpatient cost of the year, yuan (0 without a stay; rules.md 11).
    pub fn inpatient_cost(&self) -> &[f64] {
        &self.work.inpatient_cost
    }

    /// The part of each person's resident medical premium the government pays this year
    /// (资助参保, booked by medical assistance; rules.md 11), yuan.
    pub fn medical_premium_paid(&self) -> &[f64] {
        &self.work.premium_paid_by_assistance
    }
}

/// Sets `v` to `n` copies of `value`, keeping its allocation: a fill of the kept rows (a memset for
/// the zeros of a year's columns) rather than clearing and pushing element by element.
#[inline]
fn refill<T: Copy>(v: &mut Vec<T>, n: usize, value: T) {
    v.truncate(n);
    v.fill(value);
    v.resize(n, value);
}

/// Marker of a person who does not contribute to the resident pension this year.
pub const NOT_CONTRIBUTING: u32 = u32::MAX;

/// What the families tell each other within a year, per person of the chunk unless said
/// otherwise. Each field names who writes it and who reads it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Work {
    /// Income components booked so far (every program; the year closes them into D).
    pub(crate) parts: Vec<IncomeParts>,
    /// Resident contribution tier index of a contributor this year, [`NOT_CONTRIBUTING`] otherwise
    /// (resident pension; read by the collective subsidy and the year-end account).
    pub(crate) contributor_tier: Vec<u32>,
    /// Credit to the resident account this year before interest (resident pension, collective
    /// subsidy; read by the year-end account).
    pub(crate) account_credit: Vec<f64>,
    /// Receives the resident pension this year (resident pension; read by the elderly allowance).
    pub(crate) resident_pensioner: Vec<bool>,
    /// Contributor targeted by a participating collective (collective subsidy).
    pub(crate) collective_target: Vec<bool>,
    /// Te-kun this year (te-kun; read by dibao and the one-time subsidy).
    pub(crate) tekun: Vec<bool>,
    /// Pays the employee-pension contribution this year (employee pension; read by medical
    /// insurance, whose employee premium is on the same base).
    pub(crate) employee_contributor: Vec<bool>,
    /// Outpatient and inpatient cost of the year (medical need; read by medical insurance).
    pub(crate) outpatient_cost: Vec<f64>,
    /// Inpatient cost of the year.
    pub(crate) inpatient_cost: Vec<f64>,
    /// Medical scheme insuring the person (medical insurance; read by critical illness).
    pub(crate) medical_scheme: Vec<MedicalScheme>,
    /// Resident premium the government pays (资助参保) (medical insurance; booked by medical
    /// assistance).
    pub(crate) premium_paid_by_assistance: Vec<f64>,
    /// Each collective's situation this year, by collective row (collective subsidy).
    pub(crate) collectives: HashMap<u32, CollectiveYear>,
    /// Per household of the chunk: bit k set when fixed line k paid a member (the household is
    /// counted once per line when the year closes it).
    pub(crate) lines_paid: Vec<u64>,
    /// Per household, this year's household status: dibao, margin or none (dibao; read by the
    /// one-time subsidy and the year end).
    pub(crate) household_status: Vec<AssistanceStatus>,
    /// Categorical programs that paid a member of the current household (categorical).
    pub(crate) categorical_paid: Vec<bool>,
}

impl Work {
    fn reset(&mut self, n: usize, households: usize, categorical_programs: usize) {
        refill(&mut self.parts, n, IncomeParts::default());
        refill(&mut self.contributor_tier, n, NOT_CONTRIBUTING);
        refill(&mut self.account_credit, n, 0.0);
        refill(&mut self.outpatient_cost, n, 0.0);
        refill(&mut self.inpatient_cost, n, 0.0);
        refill(&mut self.premium_paid_by_assistance, n, 0.0);
        refill(&mut self.medical_scheme, n, MedicalScheme::None);
        for col in [
            &mut self.resident_pensioner,
            &mut self.collective_target,
            &mut self.tekun,
            &mut self.employee_contributor,
        ] {
            refill(col, n, false);
        }
        self.collectives.clear();
        refill(&mut self.lines_paid, households, 0);
        refill(
            &mut self.household_status,
            households,
            AssistanceStatus::None,
        );
        refill(&mut self.categorical_paid, categorical_programs, false);
    }
}

/// A collective's situation this year (rules.md 6).
#[derive(Debug, Clone, Copy)]
pub(crate) struct CollectiveYear {
    /// It pays subsidies this year.
    pub(crate) participating: bool,
    /// What it can pay, yuan/year.
    pub(crate) capacity_yearly: f64,
    /// Weighted target members asking.
    pub(crate) weighted_targets: f64,
}

/// Last year's assistance status of a household: a status applies when any member carries it
/// (rules.md 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatusLastYear {
    /// Dibao.
    pub dibao: bool,
    /// Te-kun.
    pub tekun: bool,
    /// Low-income margin.
    pub margin: bool,
}

impl StatusLastYear {
    /// Any of dibao, te-kun or margin: the "low income" households many rules target.
    pub fn low_income(&self) -> bool {
        self.dibao || self.tekun || self.margin
    }
}

/// One household as a step sees it, with the running program's columns and lines.
pub struct Household<'a> {
    /// The year's rules (year, draws, categorical programs).
    pub year: &'a YearRules,
    /// Parameters of the household's region and residence.
    pub params: &'a RuleParams,
    /// Row of the household in the chunk.
    pub h: usize,
    /// Its persons' rows.
    pub members: Range<usize>,
    /// Persons each member stands for.
    pub weight: f64,
    /// Region index.
    pub region: u16,
    /// Residence.
    pub residence: Residence,
    /// Last year's status.
    pub status_last_year: StatusLastYear,
    /// The chunk's persons (state carried to next year is written here).
    pub persons: &'a mut Persons,
    /// The chunk's households.
    pub households: &'a Households,
    /// Every collective of the population.
    pub collectives: &'a Collectives,
    /// The chunk's outcomes.
    pub out: &'a mut Outcomes,
    /// The chunk's fiscal accounts.
    pub acc: &'a mut FiscalAccounts,
    /// Household totals of the income components: the sum of the members' after the first pass;
    /// programs after it book their household totals here themselves.
    pub totals: IncomeParts,
    /// The dibao means test's income per capita, once a step has computed it (rules.md 4.1).
    pub(crate) means_tested_income_pc: Option<f64>,
    /// The program whose step runs.
    pub(crate) program: Placed,
}

impl Household<'_> {
    /// Number of members.
    pub fn size(&self) -> usize {
        self.members.len()
    }

    /// Books `amount` of the running program's outcome `k` (its own index) for person `i`: adds it
    /// to the column and, by the outcome's role, to the person's income concept or medical
    /// out-of-pocket (a need adds to it, a cover pays part of it).
    #[inline]
    pub fn pay(&mut self, i: usize, k: usize, amount: f64) {
        let role = self.program.def.outcomes[k].role;
        let global = self.program.outcome_offset + k;
        debug_assert!(self.members.contains(&i) && global < self.out.columns.len());
        // SAFETY: `global` is the running program's own column (the layout places every outcome
        // a program declares, and `reset` sizes one column per placed outcome), and `i` is a
        // member of this household, a row of the chunk every column is sized to.
        unsafe {
            *self
                .out
                .columns
                .get_unchecked_mut(global)
                .get_unchecked_mut(i) += amount;
            let parts = self.out.work.parts.get_unchecked_mut(i);
            match role {
                Role::Income(concept) => parts.book(concept, amount),
                Role::MedicalNeed => parts.medical_out_of_pocket += amount,
                Role::MedicalCover => parts.medical_out_of_pocket -= amount,
                Role::InKind | Role::Cost | Role::Account => {}
            }
        }
    }

    /// The running program's outcome column `k`.
    pub fn column(&self, k: usize) -> &[f64] {
        &self.out.columns[self.program.outcome_offset + k]
    }

    /// Adds `amount` to a person's income concept without an outcome column of its own (the
    /// LTC benefit paid in cash, whose column is the reimbursement).
    #[inline]
    pub fn book_income(&mut self, i: usize, concept: Concept, amount: f64) {
        self.out.work.parts[i].book(concept, amount);
    }

    /// Adds a household total of a concept, once, after the first pass (a program paying a
    /// household amount books its total here, as well as its members' shares with [`Self::pay`]).
    #[inline]
    pub fn book_household(&mut self, concept: Concept, amount: f64) {
        self.totals.book(concept, amount);
    }

    /// The running program's fiscal line `k` (its own index).
    #[inline]
    pub fn line(&mut self, k: usize) -> &mut ProgramAccount {
        self.acc.line_mut(self.program.line_offset + k)
    }

    /// Counts this household once among the beneficiaries of the running program's line `k`.
    #[inline]
    pub fn count_household(&mut self, k: usize) {
        self.out.work.lines_paid[self.h] |= 1u64 << (self.program.line_offset + k);
    }

    /// The running program's fund `k`.
    #[inline]
    pub fn fund(&mut self, k: usize) -> &mut FundFlows {
        &mut self.acc.funds[self.program.fund_offset + k]
    }

    /// Fund `k` of another registered program (critical-illness benefits come out of the resident
    /// medical fund).
    pub fn fund_of(&mut self, program: &str, k: usize) -> &mut FundFlows {
        let offset = layout()
            .program(program)
            .expect("a registered program")
            .fund_offset;
        &mut self.acc.funds[offset + k]
    }

    /// The key of a draw: entity, year (0 for once-per-entity draws) and purpose, with the run's
    /// seed and replication.
    #[inline]
    pub fn key(&self, entity: u64, year: i32, purpose: Purpose) -> StreamKey {
        self.year.key(entity, year, purpose)
    }

    /// One uniform draw in [0, 1) of a key.
    #[inline]
    pub fn uniform(&self, entity: u64, year: i32, purpose: Purpose) -> f64 {
        crate::rng::uniform(self.key(entity, year, purpose))
    }

    /// The stream of a key (several draws).
    #[inline]
    pub fn stream(&self, entity: u64, year: i32, purpose: Purpose) -> Stream {
        self.key(entity, year, purpose).stream()
    }
}
