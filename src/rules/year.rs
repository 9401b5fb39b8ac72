//! The chunk-level yearly step the engine calls after its dynamics: every rule family in the
//! order of spec 8, per-person outcomes, fiscal accounts, and the state carried to next year
//! (accounts, contribution years, tiers, current pensions, last year's assistance status).
//!
//! Invariant: a chunk holds whole households, and every household of a collective lies in the
//! same chunk, so a collective's pro-rata share is computed here. Draws come only from `rng`,
//! keyed by entity id, year (0 for once-per-entity draws) and purpose.

use std::collections::HashMap;

use super::categorical::{self, CategoricalPerson, CategoricalProgram};
use super::collective_subsidy as collective;
use super::fiscal::{FiscalAccounts, Payer, Program};
use super::{RuleParams, dibao, employee_pension, ltc, resident_pension, tekun};
use crate::dynamics::retirement;
use crate::income::IncomeParts;
use crate::population::{
    AssistanceStatus, Collectives, Employment, Households, NO_COLLECTIVE, PensionScheme, Persons,
    Residence,
};
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

    /// Parameters of a region and residence.
    pub fn params_for(&self, region: u16, residence: Residence) -> &RuleParams {
        &self.params[region as usize][residence.index()]
    }

    /// `fund_deficit_fiscal_share` and `ltc_deficit_fiscal_share` for
    /// [`FiscalAccounts::finalize`]: both funds are national, so every region and residence must
    /// give the same values (an error names the key otherwise).
    pub fn national_deficit_shares(&self) -> Result<(f64, f64), String> {
        let mut all = self.params.iter().flatten();
        let Some(first) = all.next() else {
            return Err("no region has rule parameters; the deficit shares are undefined".into());
        };
        let shares = (
            first.employee_pension.fund_deficit_fiscal_share,
            first.ltc.deficit_fiscal_share,
        );
        for p in all {
            if p.employee_pension.fund_deficit_fiscal_share != shares.0 {
                return Err("`fund_deficit_fiscal_share` differs between regions or residences; the employee fund is national, give one value".into());
            }
            if p.ltc.deficit_fiscal_share != shares.1 {
                return Err("`ltc_deficit_fiscal_share` differs between regions or residences; the LTC fund is one fund, give one value".into());
            }
        }
        Ok(shares)
    }

    fn key(&self, entity: u64, year: i32, purpose: Purpose) -> StreamKey {
        StreamKey {
            seed: self.seed,
            replication: self.replication,
            entity,
            year,
            purpose,
        }
    }

    fn uniform(&self, entity: u64, year: i32, purpose: Purpose) -> f64 {
        crate::rng::uniform(self.key(entity, year, purpose))
    }
}

/// Per-person outcomes of one year, yuan/year unless said otherwise: the microdata columns of
/// indicators.md plus the per-capita household values the indicators use. Resized to the chunk
/// and overwritten every year. Household-level amounts (dibao) are carried by every member as
/// household amount / size, so a column sums to the household amount.
#[derive(Debug, Clone, Default)]
pub struct Outcomes {
    /// M: earnings + business/farm/property income.
    pub market_income: Vec<f64>,
    /// C: employee contribution + own resident contribution + own LTC premium.
    pub own_contributions: Vec<f64>,
    /// Resident pension (basic with bonuses + account pension).
    pub resident_pension: Vec<f64>,
    /// Employee pension (at retirement, or the current pension).
    pub employee_pension: Vec<f64>,
    /// Elderly allowance (高龄补贴), in T.
    pub elderly_allowance: Vec<f64>,
    /// Dibao, the member's share of the household amount.
    pub dibao: Vec<f64>,
    /// Te-kun support.
    pub tekun_support: Vec<f64>,
    /// One-time living subsidy.
    pub one_time_subsidy: Vec<f64>,
    /// Care subsidy (护理补贴), in T.
    pub care_subsidy: Vec<f64>,
    /// Categorical transfers, all programs, in T.
    pub categorical_transfers: Vec<f64>,
    /// LTC reimbursement (in kind, or cash in T with `ltc_cash_benefit`).
    pub ltc_reimbursement: Vec<f64>,
    /// Care cost of the person's disability grade.
    pub care_cost: Vec<f64>,
    /// Collective subsidy into the resident account (not income).
    pub collective_subsidy: Vec<f64>,
    /// Resident contribution paid by government (代缴), not income.
    pub government_paid_contribution: Vec<f64>,
    /// Credit to the resident account this year before interest: tier + subsidy + collective.
    pub account_credit: Vec<f64>,
    /// D = M + P + A + T - C.
    pub disposable_income: Vec<f64>,
    /// D_care = D - out-of-pocket care.
    pub disposable_income_care: Vec<f64>,
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
    scratch: Scratch,
}

/// Buffers reused from year to year (no allocation per person).
#[derive(Debug, Clone, Default)]
struct Scratch {
    parts: Vec<IncomeParts>,
    /// Tier index of a resident contributor this year, `NOT_CONTRIBUTING` otherwise.
    contributor_tier: Vec<u32>,
    /// Contributor targeted by its collective's subsidy.
    collective_target: Vec<bool>,
    tekun: Vec<bool>,
    collectives: HashMap<u32, CollectiveYear>,
    categorical_households: Vec<bool>,
}

const NOT_CONTRIBUTING: u32 = u32::MAX;

/// A collective's situation this year.
#[derive(Debug, Clone, Copy)]
struct CollectiveYear {
    participating: bool,
    capacity_yearly: f64,
    weighted_targets: f64,
}

impl Outcomes {
    fn reset(&mut self, n: usize) {
        for col in [
            &mut self.market_income,
            &mut self.own_contributions,
            &mut self.resident_pension,
            &mut self.employee_pension,
            &mut self.elderly_allowance,
            &mut self.dibao,
            &mut self.tekun_support,
            &mut self.one_time_subsidy,
            &mut self.care_subsidy,
            &mut self.categorical_transfers,
            &mut self.ltc_reimbursement,
            &mut self.care_cost,
            &mut self.collective_subsidy,
            &mut self.government_paid_contribution,
            &mut self.account_credit,
            &mut self.disposable_income,
            &mut self.disposable_income_care,
            &mut self.household_per_capita_market,
            &mut self.household_per_capita_after_pensions,
            &mut self.household_per_capita_disposable,
            &mut self.household_per_capita_disposable_care,
            &mut self.dibao_standard_yearly,
        ] {
            col.clear();
            col.resize(n, 0.0);
        }
        self.dibao_status.clear();
        self.dibao_status.resize(n, AssistanceStatus::None);
        let s = &mut self.scratch;
        s.parts.clear();
        s.parts.resize(n, IncomeParts::default());
        s.contributor_tier.clear();
        s.contributor_tier.resize(n, NOT_CONTRIBUTING);
        s.collective_target.clear();
        s.collective_target.resize(n, false);
        s.tekun.clear();
        s.tekun.resize(n, false);
        s.collectives.clear();
    }

    /// Number of persons.
    pub fn len(&self) -> usize {
        self.market_income.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.market_income.is_empty()
    }
}

/// Applies every rule to a chunk of whole households for one year (spec 8 steps 2-8), fills
/// `out` and updates the persons' state for next year. Returns the chunk's fiscal accounts
/// (merge them over chunks, then [`FiscalAccounts::finalize`]).
///
/// `persons` and `households` are the chunk's own rows (household `h` is
/// `households.start[h]..start[h + 1]` of `persons`); `collectives` is the whole table. Fails only
/// when a grade or age table lacks a key a person needs, naming the key.
pub fn apply_year(
    persons: &mut Persons,
    households: &Households,
    collectives: &Collectives,
    rules: &YearRules,
    out: &mut Outcomes,
) -> crate::Result<FiscalAccounts> {
    let mut acc = FiscalAccounts::new(rules.programs.iter().map(|p| p.program.name.as_str()));
    out.reset(persons.len());
    let mut scratch = std::mem::take(&mut out.scratch);
    scratch.categorical_households.clear();
    scratch
        .categorical_households
        .resize(rules.programs.len(), false);
    // Steps 2-6 for every household first: a collective's pro rata needs all its targets.
    let mut result = Ok(());
    for h in 0..households.len() {
        result = before_assistance(
            persons,
            households,
            collectives,
            rules,
            h,
            out,
            &mut scratch,
            &mut acc,
        );
        if result.is_err() {
            break;
        }
    }
    if result.is_ok() {
        for h in 0..households.len() {
            assistance_and_income(persons, households, rules, h, out, &mut scratch, &mut acc);
        }
    }
    out.scratch = scratch;
    result.map(|()| acc)
}

/// A rule's error with where it happened: year, region index, residence and person id.
fn rule_error(
    rules: &YearRules,
    households: &Households,
    h: usize,
    person_id: u64,
    message: String,
) -> crate::Error {
    crate::Error::Undefined(format!(
        "year {}, region index {}, {}, person {person_id}: {message}",
        rules.year,
        households.region[h],
        households.residence[h].as_str(),
    ))
}

/// Spec 8 steps 2-6 for household `h`: contributions, pensions, LTC, collective targeting,
/// categorical transfers and the elderly allowance.
#[allow(clippy::too_many_arguments)]
fn before_assistance(
    persons: &mut Persons,
    households: &Households,
    collectives: &Collectives,
    rules: &YearRules,
    h: usize,
    out: &mut Outcomes,
    scratch: &mut Scratch,
    acc: &mut FiscalAccounts,
) -> crate::Result<()> {
    let w = households.weight[h];
    let region = households.region[h];
    let residence = households.residence[h];
    let rp = rules.params_for(region, residence);
    let members = households.members(h);
    let household_flags = household_status_last_year(persons, members.clone());
    let low_income_last_year = household_flags.0 || household_flags.1 || household_flags.2;
    let collective_row = households.collective[h];
    let mut beneficiary = [false; 8];
    scratch.categorical_households.fill(false);

    for i in members {
        let pid = persons.person_id[i];
        let age = persons.age[i];
        let grade = persons.disability_grade[i];
        let scheme = persons.pension_scheme[i];
        let err = |m: String| rule_error(rules, households, h, pid, m);
        let mut parts = IncomeParts {
            market: persons.earnings_yearly[i] + persons.other_income_yearly[i],
            ..Default::default()
        };

        // 2. Resident contributions (spec 3.1, 10).
        let rpp = &rp.resident_pension;
        if scheme == PensionScheme::Resident
            && resident_pension::in_contributing_age(rpp, age)
            && !rpp.tiers_yearly.is_empty()
            && rules.uniform(pid, 0, Purpose::ResidentEnrolment) < rpp.enrolment_rate
        {
            let k = match resident_pension::tier_index(rpp, persons.resident_tier_yearly[i]) {
                Some(k) => k,
                None => {
                    let mut stream = rules.key(pid, 0, Purpose::TierChoice).stream();
                    let k = resident_pension::chosen_tier_index(rpp, &mut stream);
                    persons.resident_tier_yearly[i] = rpp.tiers_yearly[k];
                    k
                }
            };
            let share = resident_pension::paid_share(
                rpp,
                persons.dibao_last_year[i],
                persons.tekun_last_year[i],
                persons.margin_last_year[i],
                grade == 3,
            );
            let c = resident_pension::contribution(rpp, k, share);
            parts.contributions += c.own_yearly;
            out.government_paid_contribution[i] = c.government_paid_yearly;
            out.account_credit[i] = c.account_credit_yearly();
            scratch.contributor_tier[i] = k as u32;
            let line = acc.program_mut(Program::ResidentPension);
            line.pay(
                Payer::Government,
                w * (c.government_paid_yearly + c.subsidy_yearly),
            );
            line.pay(Payer::Individual, w * c.own_yearly);
        }

        // 2-3. Employee contributions or pension (spec 3.2, 10).
        let epp = &rp.employee_pension;
        let employment = persons.employment[i];
        let mut employee_pension_yearly = persons.current_pension_yearly[i];
        let retiring = scheme == PensionScheme::Employee && employee_pension_yearly == 0.0 && {
            // The dynamics' retirement age, from the same birth-month draw.
            let retirement_age = employee_pension::retirement_age_years(
                epp,
                rules.year - i32::from(age),
                retirement::birth_month(rules.seed, rules.replication, pid),
                persons.sex[i],
                persons.cadre[i],
            );
            if employment == Employment::Employee {
                age >= retirement_age
            } else {
                // Dynamic year: the dynamics retired them this year, leaving no pension yet.
                !rules.static_year && employment == Employment::Retired && age == retirement_age
            }
        };
        if retiring {
            let r = employee_pension::indexed_wage_ratio(
                epp,
                persons.indexed_wage_ratio[i],
                persons.earnings_yearly[i],
            );
            employee_pension_yearly = employee_pension::pension_at_retirement_yearly(
                epp,
                age,
                persons.contribution_years[i],
                r,
                persons.account_balance[i],
            )
            .map_err(err)?;
            persons.current_pension_yearly[i] = employee_pension_yearly;
        } else if scheme == PensionScheme::Employee
            && employment == Employment::Employee
            && employee_pension_yearly == 0.0
        {
            let (employee, employer) =
                employee_pension::contributions_yearly(epp, persons.earnings_yearly[i]);
            parts.contributions += employee;
            // The employee part goes to the individual account; nothing later this year reads
            // a contributor's balance or years, so next year's state is written now.
            persons.account_balance[i] += employee;
            persons.contribution_years[i] += 1.0;
            let line = acc.program_mut(Program::EmployeePension);
            line.pay(Payer::Individual, w * employee);
            line.pay(Payer::Employer, w * employer);
            acc.employee_fund.contributions += w * (employee + employer);
        }
        if employee_pension_yearly > 0.0 {
            out.employee_pension[i] = employee_pension_yearly;
            parts.pensions += employee_pension_yearly;
            let line = acc.program_mut(Program::EmployeePension);
            line.pay(Payer::InsuranceFund, w * employee_pension_yearly);
            line.benefits += w * employee_pension_yearly;
            line.beneficiaries_persons += w;
            acc.employee_fund.benefits += w * employee_pension_yearly;
            beneficiary[Program::EmployeePension as usize] = true;
        }

        // 3. Resident pension (spec 3.1, 10).
        let age_at_start = i32::from(age) - (rules.year - rules.start_year);
        let pension_beneficiary = scheme == PensionScheme::Resident
            && resident_pension::receives_pension(
                rpp,
                age,
                persons.contribution_years[i],
                f64::from(age_at_start) >= rpp.pension_age,
            );
        if pension_beneficiary {
            let basic =
                resident_pension::basic_pension_yearly(rpp, age, persons.contribution_years[i]);
            let pension =
                basic + resident_pension::account_pension_yearly(rpp, persons.account_balance[i]);
            out.resident_pension[i] = pension;
            parts.pensions += pension;
            let line = acc.program_mut(Program::ResidentPension);
            line.pay(Payer::Government, w * basic);
            line.benefits += w * pension;
            if pension > 0.0 {
                line.beneficiaries_persons += w;
                beneficiary[Program::ResidentPension as usize] = true;
            }
        }

        // 4. Long-term care (spec 5).
        let lp = &rp.ltc;
        let insured = lp.enabled && rules.uniform(pid, 0, Purpose::LtcCoverage) < lp.coverage;
        let premiums = ltc::premiums(
            lp,
            insured,
            age,
            persons.dibao_last_year[i] || persons.tekun_last_year[i],
        );
        let care_cost = ltc::care_cost_yearly(lp, grade).map_err(err)?;
        let reimbursement =
            ltc::reimbursement_yearly(lp, insured, grade, care_cost).map_err(err)?;
        let care_subsidy =
            ltc::care_subsidy_yearly(lp, insured, grade, low_income_last_year).map_err(err)?;
        parts.contributions += premiums.individual_own;
        parts.other_transfers += care_subsidy;
        if lp.cash_benefit {
            parts.other_transfers += reimbursement;
            parts.out_of_pocket_care = care_cost;
        } else {
            parts.out_of_pocket_care = care_cost - reimbursement;
        }
        out.care_cost[i] = care_cost;
        out.ltc_reimbursement[i] = reimbursement;
        out.care_subsidy[i] = care_subsidy;
        let line = acc.program_mut(Program::Ltc);
        line.pay(Payer::Individual, w * premiums.individual_own);
        line.pay(
            Payer::Government,
            w * (premiums.government + premiums.individual_government + care_subsidy),
        );
        line.pay(Payer::Employer, w * premiums.employer);
        line.pay(Payer::InsuranceFund, w * reimbursement);
        line.benefits += w * (reimbursement + care_subsidy);
        if reimbursement + care_subsidy > 0.0 {
            line.beneficiaries_persons += w;
            beneficiary[Program::Ltc as usize] = true;
        }
        acc.ltc_fund.contributions += w * premiums.total();
        acc.ltc_fund.benefits += w * reimbursement;

        // 5. Collective subsidy targeting (amounts once the collective's demand is known).
        if collective_row != NO_COLLECTIVE
            && scratch.contributor_tier[i] != NOT_CONTRIBUTING
            && collective::is_target(&rp.collective_subsidy, low_income_last_year)
        {
            let state = scratch
                .collectives
                .entry(collective_row)
                .or_insert_with(|| collective_year(collectives, collective_row, rp, rules));
            if state.participating {
                state.weighted_targets += w;
                scratch.collective_target[i] = true;
            }
        }

        // 6. Elderly allowance and categorical transfers (spec 3.1, 7).
        let allowance = resident_pension::elderly_allowance_yearly(rpp, age, pension_beneficiary);
        out.elderly_allowance[i] = allowance;
        parts.other_transfers += allowance;
        if allowance > 0.0 {
            let line = acc.program_mut(Program::ElderlyAllowance);
            line.pay(Payer::Government, w * allowance);
            line.benefits += w * allowance;
            line.beneficiaries_persons += w;
            beneficiary[Program::ElderlyAllowance as usize] = true;
        }
        let person = CategoricalPerson {
            region,
            residence,
            hukou: persons.hukou[i],
            age,
            employment,
            disability_grade: grade,
            dibao_last_year: household_flags.0,
            tekun_last_year: household_flags.1,
            margin_last_year: household_flags.2,
        };
        for (k, program) in rules.programs.iter().enumerate() {
            let amount = program.program.amount_yearly;
            if amount > 0.0 && categorical::is_eligible(program, &person) {
                out.categorical_transfers[i] += amount;
                parts.other_transfers += amount;
                let line = &mut acc.categorical[k].1;
                line.pay(Payer::Government, w * amount);
                line.benefits += w * amount;
                line.beneficiaries_persons += w;
                scratch.categorical_households[k] = true;
            }
        }
        scratch.parts[i] = parts;
    }
    for p in Program::ALL {
        if beneficiary[p as usize] {
            acc.program_mut(p).beneficiaries_households += w;
        }
    }
    for (k, hit) in scratch.categorical_households.iter().enumerate() {
        if *hit {
            acc.categorical[k].1.beneficiaries_households += w;
        }
    }
    Ok(())
}

/// Participation and capacity of a collective: from the collectives table when the population
/// has one (under `collective_scale_up`, non-pilots join by the participation draw, keeping the
/// table's capacity), else the scenario's capacity and a once-per-collective participation draw.
fn collective_year(
    collectives: &Collectives,
    row: u32,
    rp: &RuleParams,
    rules: &YearRules,
) -> CollectiveYear {
    let c = row as usize;
    let p = &rp.collective_subsidy;
    let joins = || {
        rules.uniform(
            collectives.collective_id[c],
            0,
            Purpose::CollectiveParticipation,
        ) < p.participation
    };
    let (participating, capacity_yearly) = match &collectives.table {
        Some(t) if t.participating[c] || !p.scale_up => (t.participating[c], t.capacity_yearly[c]),
        Some(t) => (joins(), t.capacity_yearly[c]),
        None => (joins(), p.capacity_yearly),
    };
    CollectiveYear {
        participating,
        capacity_yearly,
        weighted_targets: 0.0,
    }
}

/// Whether any member carries last year's dibao, te-kun, margin flag (spec 10).
fn household_status_last_year(
    persons: &Persons,
    members: std::ops::Range<usize>,
) -> (bool, bool, bool) {
    members.fold((false, false, false), |(d, t, m), i| {
        (
            d || persons.dibao_last_year[i],
            t || persons.tekun_last_year[i],
            m || persons.margin_last_year[i],
        )
    })
}

/// Spec 8 steps 5 (amounts), 7 and 8 for household `h`: collective amounts and tier upgrades,
/// te-kun, dibao and margin, income concepts, fiscal lines and next year's state.
fn assistance_and_income(
    persons: &mut Persons,
    households: &Households,
    rules: &YearRules,
    h: usize,
    out: &mut Outcomes,
    scratch: &mut Scratch,
    acc: &mut FiscalAccounts,
) {
    let w = households.weight[h];
    let rp = rules.params_for(households.region[h], households.residence[h]);
    let (dp, rpp, csp) = (&rp.dibao, &rp.resident_pension, &rp.collective_subsidy);
    let members = households.members(h);
    let size = members.len();

    // 5. Collective subsidy into accounts, pro rata; upgrade response for next year.
    let collective_row = households.collective[h];
    let mut collective_household = false;
    for i in members.clone() {
        if !scratch.collective_target[i] {
            continue;
        }
        let state = scratch.collectives[&collective_row];
        let amount = collective::amount_per_member_yearly(
            csp,
            state.capacity_yearly,
            state.weighted_targets,
        );
        out.collective_subsidy[i] = amount;
        out.account_credit[i] += amount;
        if amount > 0.0 {
            let line = acc.program_mut(Program::CollectiveSubsidy);
            line.pay(Payer::Collective, w * amount);
            line.benefits += w * amount;
            line.beneficiaries_persons += w;
            collective_household = true;
            let u = rules.uniform(persons.person_id[i], rules.year, Purpose::TierUpgrade);
            if u < csp.tier_upgrade_probability {
                let k = resident_pension::upgraded_tier_index(
                    rpp,
                    scratch.contributor_tier[i] as usize,
                    csp.tier_upgrade_steps,
                );
                persons.resident_tier_yearly[i] = rpp.tiers_yearly[k];
            }
        }
    }
    if collective_household {
        acc.program_mut(Program::CollectiveSubsidy)
            .beneficiaries_households += w;
    }

    // 7. Te-kun, then dibao and margin, on income before assistance.
    let mut household = IncomeParts::default();
    for i in members.clone() {
        household.add(&scratch.parts[i]);
    }
    let income_pc = dibao::means_tested_income_pc(
        dp,
        household.before_assistance(),
        household.out_of_pocket_care,
        size,
    );
    let working_age_earner = members
        .clone()
        .any(|i| (16..=59).contains(&persons.age[i]) && persons.earnings_yearly[i] > 0.0);
    let mut non_tekun = 0usize;
    let mut tekun_total = 0.0;
    for i in members.clone() {
        let is_tekun = tekun::is_tekun(&tekun::TekunTest {
            age: persons.age[i],
            disability_grade: persons.disability_grade[i],
            earnings_yearly: persons.earnings_yearly[i],
            no_supporter: persons.no_supporter[i],
            working_age_earner_in_household: working_age_earner,
            household_income_pc: income_pc,
            dibao_standard_yearly: dp.standard_yearly,
        });
        scratch.tekun[i] = is_tekun;
        if is_tekun {
            let support = tekun::support_yearly(
                &rp.tekun,
                dp.standard_yearly,
                out.resident_pension[i] + out.employee_pension[i],
            );
            out.tekun_support[i] = support;
            tekun_total += support;
        } else {
            non_tekun += 1;
        }
    }
    // The targeting draw is taken only where it can matter; it is the same in every scenario.
    let per_member = if dp.is_on() && non_tekun > 0 {
        let u = rules.uniform(
            households.household_id[h],
            rules.year,
            Purpose::DibaoTargeting,
        );
        dibao::receives(dp, income_pc, u)
    } else {
        None
    };
    let on_dibao = per_member.is_some();
    let household_dibao = per_member.unwrap_or(0.0) * non_tekun as f64;
    let margin = dibao::is_margin(dp, income_pc, on_dibao);
    let household_status = if on_dibao {
        AssistanceStatus::Dibao
    } else if margin {
        AssistanceStatus::Margin
    } else {
        AssistanceStatus::None
    };

    // 8. Income concepts, fiscal lines, state for next year.
    let mut one_time_total = 0.0;
    let (mut tekun_persons, mut one_time_persons) = (0usize, 0usize);
    for i in members.clone() {
        let is_tekun = scratch.tekun[i];
        out.dibao[i] = household_dibao / size as f64;
        if on_dibao || is_tekun {
            out.one_time_subsidy[i] = dp.one_time_subsidy_yearly;
            one_time_total += dp.one_time_subsidy_yearly;
            one_time_persons += 1;
        }
        let parts = &mut scratch.parts[i];
        parts.assistance = out.dibao[i] + out.tekun_support[i] + out.one_time_subsidy[i];
        out.market_income[i] = parts.market;
        out.own_contributions[i] = parts.contributions;
        out.disposable_income[i] = parts.disposable();
        out.disposable_income_care[i] = parts.disposable_care();
        out.dibao_standard_yearly[i] = dp.standard_yearly;
        out.dibao_status[i] = if is_tekun {
            AssistanceStatus::Tekun
        } else {
            household_status
        };
        tekun_persons += usize::from(is_tekun && out.tekun_support[i] > 0.0);

        // State for next year: resident account and years, last year's status.
        if persons.pension_scheme[i] == PensionScheme::Resident
            && resident_pension::in_contributing_age(rpp, persons.age[i])
        {
            persons.account_balance[i] = resident_pension::account_after_year(
                rpp,
                persons.account_balance[i],
                out.account_credit[i],
            );
        }
        if scratch.contributor_tier[i] != NOT_CONTRIBUTING {
            persons.contribution_years[i] += 1.0;
        }
        persons.dibao_last_year[i] = on_dibao && !is_tekun;
        persons.tekun_last_year[i] = is_tekun;
        persons.margin_last_year[i] = margin;
    }
    household.assistance = household_dibao + tekun_total + one_time_total;
    let n = size as f64;
    for i in members {
        out.household_per_capita_market[i] = household.market / n;
        out.household_per_capita_after_pensions[i] = household.market_and_pensions() / n;
        out.household_per_capita_disposable[i] = household.disposable() / n;
        out.household_per_capita_disposable_care[i] = household.disposable_care() / n;
    }
    for (program, amount, persons_paid) in [
        (
            Program::Dibao,
            household_dibao,
            if on_dibao { non_tekun } else { 0 },
        ),
        (Program::Tekun, tekun_total, tekun_persons),
        (Program::OneTimeSubsidy, one_time_total, one_time_persons),
    ] {
        let line = acc.program_mut(program);
        line.pay(Payer::Government, w * amount);
        line.benefits += w * amount;
        if amount > 0.0 {
            line.beneficiaries_persons += w * persons_paid as f64;
            line.beneficiaries_households += w;
        }
    }
}
