//! One-time living subsidy (一次性生活补贴) per member of a dibao household and per te-kun person:
//! spec 4.1 and 10 (one per person at most). Its own fiscal line. Pure: no I/O, no draws.

use super::household::Household;
use super::program::{LineDef, OutcomeDef, ProgramDef, Role, Slot, Step, StepResult};
use crate::income::Concept;
use crate::params::{ParamDef, ParamError, ResolvedParams};
use crate::population::AssistanceStatus;
use crate::rules::fiscal::Payer;

/// Parameters of the one-time living subsidy.
pub const PARAMS: &[ParamDef] = &[ParamDef::money(
    "one_time_subsidy",
    "rules.md 4.1",
    "One-time living subsidy per dibao-household member and te-kun person",
)];

/// The one-time living subsidy as the year runs it.
pub const PROGRAM: ProgramDef = ProgramDef {
    name: "one_time_subsidy",
    chinese: "一次性生活补贴",
    spec: "rules.md 4.1, 10",
    params: PARAMS,
    steps: &[Step {
        slot: Slot::Dibao,
        name: "one-time living subsidy",
        run: pay,
    }],
    outcomes: &[OutcomeDef {
        column: "one_time_subsidy",
        role: Role::Income(Concept::Assistance),
        doc: "One-time living subsidy",
    }],
    lines: &[LineDef {
        name: "one_time_subsidy",
        chinese: "一次性生活补贴",
    }],
    funds: &[],
    scenario_lines: false,
};

const SUBSIDY: usize = 0;
const LINE: usize = 0;

/// One-time-subsidy parameters for one year, region and residence.
#[derive(Debug, Clone, PartialEq)]
pub struct OneTimeSubsidyParams {
    /// Subsidy per person, yuan/year.
    pub amount_yearly: f64,
}

impl super::CheckDemand for OneTimeSubsidyParams {}

impl OneTimeSubsidyParams {
    /// Reads the parameters.
    pub fn from_resolved(p: &ResolvedParams) -> Result<Self, ParamError> {
        Ok(OneTimeSubsidyParams {
            amount_yearly: p.number("one_time_subsidy"),
        })
    }
}

/// Whether a person gets the subsidy: a member of a household on dibao this year, or te-kun.
pub fn is_eligible(household_status: AssistanceStatus, tekun: bool) -> bool {
    household_status == AssistanceStatus::Dibao || tekun
}

/// Step 8, after dibao (spec 4.1): the subsidy to every eligible member.
fn pay(hh: &mut Household<'_>) -> StepResult {
    let amount = hh.params.one_time_subsidy.amount_yearly;
    let (w, status) = (hh.weight, hh.out.work.household_status[hh.h]);
    let (mut total, mut persons) = (0.0, 0usize);
    for i in hh.members.clone() {
        if is_eligible(status, hh.out.work.tekun[i]) {
            hh.pay(i, SUBSIDY, amount);
            total += amount;
            persons += 1;
        }
    }
    hh.book_household(Concept::Assistance, total);
    let line = hh.line(LINE);
    line.pay(Payer::Government, w * total);
    line.benefits += w * total;
    if total > 0.0 {
        line.beneficiaries_persons += w * persons as f64;
        hh.count_household(LINE);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ParamValue as V;
    use crate::rules::year::testkit::*;

    /// Spec 4.1 and 10: members of dibao households and te-kun persons, once each; a margin
    /// household's members are not eligible.
    #[test]
    fn dibao_households_and_tekun_persons() {
        assert!(is_eligible(AssistanceStatus::Dibao, false));
        assert!(is_eligible(AssistanceStatus::None, true));
        assert!(is_eligible(AssistanceStatus::Dibao, true));
        assert!(!is_eligible(AssistanceStatus::Margin, false));
        assert!(!is_eligible(AssistanceStatus::None, false));
    }

    /// A dibao household of two gets 2 x 500 = 1000 (fiscal, 2 persons); in a margin household
    /// only the te-kun member gets it.
    #[test]
    fn pay_follows_this_years_status() {
        let p = rule_params(&[("one_time_subsidy", V::Number(500.0))]);
        let rules = rules_for(&p, 2024, true);
        let rows = vec![PersonRow::default(), PersonRow::default()];
        let mut pop = household(Residence::Rural, rows.clone());
        let (totals, out, acc) = with_household(&mut pop, &rules, "one_time_subsidy", |hh| {
            hh.out.work.household_status[0] = AssistanceStatus::Dibao;
            pay(hh).unwrap();
            hh.totals
        });
        assert_eq!(out.column("one_time_subsidy").unwrap(), [500.0, 500.0]);
        assert_eq!(totals.assistance, 1_000.0);
        assert_eq!(
            acc.line("one_time_subsidy")
                .unwrap()
                .paid(Payer::Government),
            1_000.0
        );
        let mut pop = household(Residence::Rural, rows);
        let ((), out, _) = with_household(&mut pop, &rules, "one_time_subsidy", |hh| {
            hh.out.work.household_status[0] = AssistanceStatus::Margin;
            hh.out.work.tekun[1] = true;
            pay(hh).unwrap();
        });
        assert_eq!(out.column("one_time_subsidy").unwrap(), [0.0, 500.0]);
    }
}
