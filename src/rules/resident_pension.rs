//! Urban-rural resident basic pension (城乡居民基本养老保险): who belongs to the scheme,
//! contributions by tier with the government's subsidy and paid contributions, the pension, and
//! the individual account carried to next year: spec 3.1 and 10. Pure: no I/O; draws come from the
//! year's keyed streams.

use super::household::{Household, NOT_CONTRIBUTING};
use super::program::{LineDef, OutcomeDef, ProgramDef, Role, Slot, Step, StepResult};
use crate::income::Concept;
use crate::params::{
    DefaultValue, ParamDef, ParamError, ParamKind, ResolvedParams, SHARE, YEARS_OF_AGE,
    YUAN_PER_YEAR, band_lookup,
};
use crate::population::{Employment, LifeEvents, PensionScheme, SEVERE_DISABILITY};
use crate::rng::{Purpose, Stream};
use crate::rules::fiscal::Payer;

/// Months in a year: the account divisor (计发月数) counts months, so a balance divided by it is a
/// monthly amount (a formula constant, not a parameter).
pub const MONTHS_PER_YEAR: f64 = 12.0;

/// Age from which members not in school join a pension scheme (rules.md 3.1: "none under 16").
pub const SCHEME_ENTRY_AGE: u8 = 16;

const SPEC: &str = "rules.md 3.1";

/// Parameters of the resident pension.
pub const PARAMS: &[ParamDef] = &[
    ParamDef::number(
        "resident_pension_age",
        (40.0, 80.0),
        YEARS_OF_AGE,
        60.0,
        SPEC,
        "Age from which the resident pension is paid and contributions stop",
    ),
    ParamDef::share(
        "resident_enrolment_rate",
        1.0,
        SPEC,
        "Share of resident-scheme members aged 16 to the pension age who contribute, drawn once per person",
    ),
    ParamDef::new(
        "resident_contribution_tiers",
        ParamKind::MoneyList { increasing: true },
        YUAN_PER_YEAR,
        DefaultValue::List(&[]),
        SPEC,
        "Contribution tiers (缴费档次), increasing; empty = nobody contributes",
    )
    .renamed_from(&["contribution_tiers"]),
    ParamDef::new(
        "resident_tier_subsidy",
        ParamKind::MoneyList { increasing: false },
        YUAN_PER_YEAR,
        DefaultValue::List(&[]),
        SPEC,
        "Government contribution subsidy (缴费补贴) per tier, paid into the account; empty = none",
    )
    .renamed_from(&["tier_subsidy"]),
    ParamDef::new(
        "resident_tier_choice_shares",
        ParamKind::ShareList,
        SHARE,
        DefaultValue::List(&[]),
        "rules.md 3.1, 10",
        "Shares choosing each tier when a person's tier is drawn; empty = the lowest tier",
    )
    .renamed_from(&["tier_choice_shares"]),
    ParamDef::share(
        "resident_paid_share_dibao",
        0.0,
        SPEC,
        "Share of the lowest tier the government pays (代缴) for people with dibao status last year",
    )
    .renamed_from(&["paid_share_dibao"]),
    ParamDef::share(
        "resident_paid_share_tekun",
        0.0,
        SPEC,
        "Share of the lowest tier the government pays for te-kun people of last year",
    )
    .renamed_from(&["paid_share_tekun"]),
    ParamDef::share(
        "resident_paid_share_margin",
        0.0,
        SPEC,
        "Share of the lowest tier the government pays for people with margin status last year",
    )
    .renamed_from(&["paid_share_margin"]),
    ParamDef::share(
        "resident_paid_share_severe_disability",
        0.0,
        SPEC,
        "Share of the lowest tier the government pays for people with disability grade 3 this year",
    )
    .renamed_from(&["paid_share_severe_disability"]),
    ParamDef::number(
        "resident_account_interest_rate",
        (0.0, 0.5),
        crate::params::PER_YEAR,
        0.0,
        SPEC,
        "Interest credited to resident accounts (个人账户) below the pension age",
    )
    .renamed_from(&["account_interest_rate"]),
    ParamDef::money(
        "resident_basic_pension",
        SPEC,
        "Basic pension (基础养老金): the national minimum plus the local top-up",
    )
    .renamed_from(&["basic_pension"]),
    ParamDef::money(
        "resident_long_contribution_bonus",
        SPEC,
        "Basic-pension bonus per contribution year beyond the minimum",
    )
    .renamed_from(&["long_contribution_bonus"]),
    ParamDef::new(
        "resident_age_bonus",
        ParamKind::MoneyByAge,
        YUAN_PER_YEAR,
        DefaultValue::Table(&[]),
        SPEC,
        "Basic-pension bonus by age band (e.g. Yangzhou 5/month at 65+)",
    )
    .renamed_from(&["age_bonus"]),
    ParamDef::number(
        "resident_min_contribution_years",
        (0.0, 50.0),
        "years",
        15.0,
        SPEC,
        "Contribution years needed for the resident pension",
    )
    .renamed_from(&["min_contribution_years"]),
    ParamDef::number(
        "resident_account_divisor",
        (1.0, 400.0),
        "months",
        139.0,
        SPEC,
        "Months over which the resident account balance is paid (计发月数)",
    )
    .renamed_from(&["account_divisor"]),
];

/// The resident pension as the year runs it.
pub const PROGRAM: ProgramDef = ProgramDef {
    name: "resident_pension",
    chinese: "城乡居民基本养老保险",
    spec: "rules.md 3.1, 10",
    params: PARAMS,
    steps: &[
        Step {
            slot: Slot::Membership,
            name: "pension scheme membership",
            run: join_scheme,
        },
        Step {
            slot: Slot::Contributions,
            name: "resident contributions",
            run: contribute,
        },
        Step {
            slot: Slot::Pensions,
            name: "resident pension",
            run: pay_pension,
        },
        Step {
            slot: Slot::YearEnd,
            name: "resident accounts",
            run: carry_accounts,
        },
    ],
    outcomes: &[
        OutcomeDef {
            column: "resident_pension",
            role: Role::Income(Concept::Pensions),
            doc: "Resident pension: basic pension with its bonuses plus the account pension",
        },
        OutcomeDef {
            column: "government_paid_contribution",
            role: Role::Account,
            doc: "Resident contribution the government pays on the person's behalf (代缴)",
        },
    ],
    lines: &[LineDef {
        name: "resident_pension",
        chinese: "城乡居民基本养老保险",
    }],
    funds: &[],
    scenario_lines: false,
};

/// This family's outcome columns and line.
const PENSION: usize = 0;
const GOVERNMENT_PAID: usize = 1;
const LINE: usize = 0;

/// Resident-pension parameters for one year, region and residence.
#[derive(Debug, Clone, PartialEq)]
pub struct ResidentPensionParams {
    /// Pension age, years.
    pub pension_age: f64,
    /// Probability that a member of contributing age contributes.
    pub enrolment_rate: f64,
    /// Contribution tiers, yuan/year, strictly increasing.
    pub tiers_yearly: Vec<f64>,
    /// Government subsidy per tier, yuan/year (same length as the tiers).
    pub tier_subsidy_yearly: Vec<f64>,
    /// Cumulative tier-choice shares (same length as the tiers), or empty for "lowest tier".
    pub tier_choice_cumulative: Vec<f64>,
    /// Government-paid share of the lowest tier for last year's dibao people.
    pub paid_share_dibao: f64,
    /// Same for last year's te-kun people.
    pub paid_share_tekun: f64,
    /// Same for last year's margin people.
    pub paid_share_margin: f64,
    /// Same for people with disability grade 3 this year.
    pub paid_share_severe_disability: f64,
    /// Annual account interest rate.
    pub account_interest_rate: f64,
    /// Basic pension, yuan/year.
    pub basic_pension_yearly: f64,
    /// Bonus per contribution year beyond the minimum, yuan/year.
    pub long_contribution_bonus_yearly: f64,
    /// Age bonus by age band, yuan/year.
    pub age_bonus_yearly: Vec<(u32, f64)>,
    /// Minimum contribution years.
    pub min_contribution_years: f64,
    /// Account divisor, months.
    pub account_divisor_months: f64,
}

impl super::CheckDemand for ResidentPensionParams {}

impl ResidentPensionParams {
    /// Reads the parameters; tier subsidies and choice shares must match the tiers in length.
    pub fn from_resolved(p: &ResolvedParams) -> Result<Self, ParamError> {
        let tiers = p.list("resident_contribution_tiers").to_vec();
        let tier_subsidy = match p.list("resident_tier_subsidy") {
            [] => vec![0.0; tiers.len()],
            s if s.len() == tiers.len() => s.to_vec(),
            s => {
                return Err(ParamError::new(
                    "resident_tier_subsidy",
                    format!(
                        "`resident_tier_subsidy` has {} values but `resident_contribution_tiers` has {}; give one subsidy per tier",
                        s.len(),
                        tiers.len()
                    ),
                ));
            }
        };
        let shares = p.list("resident_tier_choice_shares");
        if !shares.is_empty() && shares.len() != tiers.len() {
            return Err(ParamError::new(
                "resident_tier_choice_shares",
                format!(
                    "`resident_tier_choice_shares` has {} values but `resident_contribution_tiers` has {}; give one share per tier",
                    shares.len(),
                    tiers.len()
                ),
            ));
        }
        if !shares.is_empty() && shares.iter().sum::<f64>() <= 0.0 {
            return Err(ParamError::new(
                "resident_tier_choice_shares",
                "`resident_tier_choice_shares` sum to 0; give at least one positive share",
            ));
        }
        let tier_choice_cumulative = shares
            .iter()
            .scan(0.0, |acc, s| {
                *acc += s;
                Some(*acc)
            })
            .collect();
        Ok(ResidentPensionParams {
            pension_age: p.number("resident_pension_age"),
            enrolment_rate: p.number("resident_enrolment_rate"),
            tiers_yearly: tiers,
            tier_subsidy_yearly: tier_subsidy,
            tier_choice_cumulative,
            paid_share_dibao: p.number("resident_paid_share_dibao"),
            paid_share_tekun: p.number("resident_paid_share_tekun"),
            paid_share_margin: p.number("resident_paid_share_margin"),
            paid_share_severe_disability: p.number("resident_paid_share_severe_disability"),
            account_interest_rate: p.number("resident_account_interest_rate"),
            basic_pension_yearly: p.number("resident_basic_pension"),
            long_contribution_bonus_yearly: p.number("resident_long_contribution_bonus"),
            age_bonus_yearly: p.table("resident_age_bonus").to_vec(),
            min_contribution_years: p.number("resident_min_contribution_years"),
            account_divisor_months: p.number("resident_account_divisor"),
        })
    }
}

/// True for ages at which a resident-scheme member may contribute: 16 <= age < pension age.
pub fn in_contributing_age(p: &ResidentPensionParams, age: u8) -> bool {
    age >= 16 && f64::from(age) < p.pension_age
}

/// Index of the tier a stored tier amount counts as: the largest tier at or below it (spec 3.1);
/// `None` for 0, an amount below the lowest tier, or no tiers (then one is drawn, spec 10).
pub fn tier_index(p: &ResidentPensionParams, tier_yearly: f64) -> Option<usize> {
    p.tiers_yearly
        .iter()
        .rposition(|&t| t <= tier_yearly && t > 0.0)
}

/// Tier index chosen from the tier-choice shares with the person's `TierChoice` stream, or the
/// lowest tier when the scenario gives no shares (spec 10). Requires at least one tier.
pub fn chosen_tier_index(p: &ResidentPensionParams, tier_choice: &mut Stream) -> usize {
    if p.tier_choice_cumulative.is_empty() {
        0
    } else {
        tier_choice.pick_cumulative(&p.tier_choice_cumulative)
    }
}

/// Tier index after moving up `steps` tiers (提档), capped at the highest tier.
pub fn upgraded_tier_index(p: &ResidentPensionParams, index: usize, steps: u32) -> usize {
    (index + steps as usize).min(p.tiers_yearly.len().saturating_sub(1))
}

/// Government-paid share (代缴) of the lowest tier: the largest share that applies, not the sum.
pub fn paid_share(
    p: &ResidentPensionParams,
    dibao_last_year: bool,
    tekun_last_year: bool,
    margin_last_year: bool,
    severe_disability: bool,
) -> f64 {
    [
        (dibao_last_year, p.paid_share_dibao),
        (tekun_last_year, p.paid_share_tekun),
        (margin_last_year, p.paid_share_margin),
        (severe_disability, p.paid_share_severe_disability),
    ]
    .iter()
    .filter(|(applies, _)| *applies)
    .map(|&(_, share)| share)
    .fold(0.0, f64::max)
}

/// One year's resident contribution of a contributor, yuan/year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ResidentContribution {
    /// The tier paid (own + government-paid).
    pub tier_yearly: f64,
    /// What the person pays (in C).
    pub own_yearly: f64,
    /// What the government pays on the person's behalf (代缴), fiscal.
    pub government_paid_yearly: f64,
    /// Government contribution subsidy (缴费补贴) on the full tier, fiscal.
    pub subsidy_yearly: f64,
}

impl ResidentContribution {
    /// Credit to the individual account before the collective subsidy and interest, yuan.
    pub fn account_credit_yearly(&self) -> f64 {
        self.tier_yearly + self.subsidy_yearly
    }
}

/// Contribution at tier `index` with government-paid `share` of the lowest tier, never more than
/// the tier (spec 3.1).
pub fn contribution(p: &ResidentPensionParams, index: usize, share: f64) -> ResidentContribution {
    let tier = p.tiers_yearly[index];
    let government_paid = (share * p.tiers_yearly[0]).min(tier);
    ResidentContribution {
        tier_yearly: tier,
        own_yearly: tier - government_paid,
        government_paid_yearly: government_paid,
        subsidy_yearly: p.tier_subsidy_yearly[index],
    }
}

/// Account balance after a year below the pension age: credits first, then interest (spec 3.1).
pub fn account_after_year(p: &ResidentPensionParams, balance: f64, credits_yearly: f64) -> f64 {
    (balance + credits_yearly) * (1.0 + p.account_interest_rate)
}

/// Whether a resident-scheme member receives the pension: from the pension age, with enough
/// contribution years or as one of the old cohort who had reached the pension age by the first
/// simulated year (`old_cohort`).
pub fn receives_pension(
    p: &ResidentPensionParams,
    age: u8,
    contribution_years: f64,
    old_cohort: bool,
) -> bool {
    f64::from(age) >= p.pension_age
        && (old_cohort || contribution_years >= p.min_contribution_years)
}

/// Basic pension with the long-contribution and age bonuses, yuan/year.
pub fn basic_pension_yearly(p: &ResidentPensionParams, age: u8, contribution_years: f64) -> f64 {
    p.basic_pension_yearly
        + p.long_contribution_bonus_yearly
            * (contribution_years - p.min_contribution_years).max(0.0)
        + band_lookup(&p.age_bonus_yearly, u32::from(age)).unwrap_or(0.0)
}

/// Account pension, yuan/year: the frozen balance over the divisor (months), for twelve months.
pub fn account_pension_yearly(p: &ResidentPensionParams, balance: f64) -> f64 {
    balance / p.account_divisor_months * MONTHS_PER_YEAR
}

/// Scheme membership after this year's dynamics (spec 3.1 "Scheme"): a labour-market entrant
/// joins the employee scheme as an employee, else the resident scheme; anyone without a scheme
/// joins the resident scheme at 16 unless in school. Nothing in a first or static year: the
/// population file says who is in which scheme.
fn join_scheme(hh: &mut Household<'_>) -> StepResult {
    if !hh.year.after_dynamics() {
        return Ok(());
    }
    let p = &mut *hh.persons;
    for i in hh.members.clone() {
        if p.life_events[i].contains(LifeEvents::ENTERED_LABOUR_MARKET) {
            p.pension_scheme[i] = if p.employment[i] == Employment::Employee {
                PensionScheme::Employee
            } else {
                PensionScheme::Resident
            };
        }
        if p.pension_scheme[i] == PensionScheme::None
            && p.age[i] >= SCHEME_ENTRY_AGE
            && p.employment[i] != Employment::Student
        {
            p.pension_scheme[i] = PensionScheme::Resident;
        }
    }
    Ok(())
}

/// Step 2 (spec 3.1, 10): every enrolled resident-scheme member of contributing age pays a tier
/// (drawn once when the population gives none), less what the government pays for last year's
/// poor; the government adds the tier subsidy. Both go to the account.
fn contribute(hh: &mut Household<'_>) -> StepResult {
    let rpp = &hh.params.resident_pension;
    let w = hh.weight;
    for i in hh.members.clone() {
        let pid = hh.persons.person_id[i];
        if hh.persons.pension_scheme[i] != PensionScheme::Resident
            || !in_contributing_age(rpp, hh.persons.age[i])
            || rpp.tiers_yearly.is_empty()
            || hh.uniform(pid, 0, Purpose::ResidentEnrolment) >= rpp.enrolment_rate
        {
            continue;
        }
        let k = match tier_index(rpp, hh.persons.resident_tier_yearly[i]) {
            Some(k) => k,
            None => {
                let k = chosen_tier_index(rpp, &mut hh.stream(pid, 0, Purpose::TierChoice));
                hh.persons.resident_tier_yearly[i] = rpp.tiers_yearly[k];
                k
            }
        };
        let share = paid_share(
            rpp,
            hh.persons.dibao_last_year[i],
            hh.persons.tekun_last_year[i],
            hh.persons.margin_last_year[i],
            hh.persons.disability_grade[i] == SEVERE_DISABILITY,
        );
        let c = contribution(rpp, k, share);
        hh.book_income(i, Concept::Contributions, c.own_yearly);
        hh.pay(i, GOVERNMENT_PAID, c.government_paid_yearly);
        let work = &mut hh.out.work;
        work.account_credit[i] = c.account_credit_yearly();
        work.contributor_tier[i] = k as u32;
        let line = hh.line(LINE);
        line.pay(
            Payer::Government,
            w * (c.government_paid_yearly + c.subsidy_yearly),
        );
        line.pay(Payer::Individual, w * c.own_yearly);
    }
    Ok(())
}

/// Step 3 (spec 3.1, 10): resident-scheme members from the pension age with enough contribution
/// years, or of the old cohort who had reached it by the first simulated year, get the basic
/// pension with its bonuses (fiscal) and the account pension (their own money).
fn pay_pension(hh: &mut Household<'_>) -> StepResult {
    let rpp = &hh.params.resident_pension;
    let (w, years_run) = (hh.weight, hh.year.year - hh.year.start_year);
    for i in hh.members.clone() {
        let age = hh.persons.age[i];
        let years = hh.persons.contribution_years[i];
        let age_at_start = i32::from(age) - years_run;
        if hh.persons.pension_scheme[i] != PensionScheme::Resident
            || !receives_pension(rpp, age, years, f64::from(age_at_start) >= rpp.pension_age)
        {
            continue;
        }
        hh.out.work.resident_pensioner[i] = true;
        let basic = basic_pension_yearly(rpp, age, years);
        let pension = basic + account_pension_yearly(rpp, hh.persons.account_balance[i]);
        hh.pay(i, PENSION, pension);
        let line = hh.line(LINE);
        line.pay(Payer::Government, w * basic);
        line.benefits += w * pension;
        if pension > 0.0 {
            line.beneficiaries_persons += w;
            hh.count_household(LINE);
        }
    }
    Ok(())
}

/// Year end (spec 3.1): accounts below the pension age take the year's credits and interest, and
/// contributors count one more contribution year.
fn carry_accounts(hh: &mut Household<'_>) -> StepResult {
    let rpp = &hh.params.resident_pension;
    for i in hh.members.clone() {
        let p = &mut *hh.persons;
        if p.pension_scheme[i] == PensionScheme::Resident && in_contributing_age(rpp, p.age[i]) {
            p.account_balance[i] =
                account_after_year(rpp, p.account_balance[i], hh.out.work.account_credit[i]);
        }
        if hh.out.work.contributor_tier[i] != NOT_CONTRIBUTING {
            p.contribution_years[i] += 1.0;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
