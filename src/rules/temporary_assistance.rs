//! Temporary assistance (临时救助): a household not on dibao whose per-capita D is at or above its
//! dibao standard but whose per-capita D_health falls below it (the bills pushed it under, 因病致贫)
//! receives, with the take-up probability (one draw per household and year), a share of the gap
//! times its size, up to a cap; cash in A, fiscal: rules.md 12 and 13. Pure: the take-up draw comes
//! from the year's keyed streams.

use super::household::Household;
use super::program::{LineDef, OutcomeDef, ProgramDef, Role, Slot, Step, StepResult};
use crate::income::Concept;
use crate::params::{ParamDef, ParamError, ResolvedParams};
use crate::population::AssistanceStatus;
use crate::rng::Purpose;
use crate::rules::fiscal::Payer;

const SPEC: &str = "rules.md 12";

/// Parameters of temporary assistance.
pub const PARAMS: &[ParamDef] = &[
    ParamDef::share(
        "temporary_assistance_take_up",
        1.0,
        SPEC,
        "Probability that an eligible household receives it, one draw per household and year",
    ),
    ParamDef::share(
        "temporary_assistance_share",
        0.0,
        SPEC,
        "Share of the gap (standard - per-capita D_health) times size it pays",
    ),
    ParamDef::money(
        "temporary_assistance_cap",
        SPEC,
        "Cap per household and year; 0 switches it off",
    ),
    ParamDef::flag(
        "temporary_assistance_local_hukou_only",
        false,
        "rules.md 13",
        "Temporary assistance only for members with local hukou",
    ),
];

/// Temporary assistance as the year runs it.
pub const PROGRAM: ProgramDef = ProgramDef {
    name: "temporary_assistance",
    chinese: "临时救助",
    spec: "rules.md 12, 13",
    params: PARAMS,
    steps: &[Step {
        slot: Slot::TemporaryAssistance,
        name: "temporary assistance",
        run: assist,
    }],
    outcomes: &[OutcomeDef {
        column: "temporary_assistance",
        role: Role::Income(Concept::Assistance),
        doc: "Temporary assistance, the member's share of the household amount",
    }],
    lines: &[LineDef {
        name: "temporary_assistance",
        chinese: "临时救助",
    }],
    funds: &[],
    scenario_lines: false,
};

const ASSISTANCE: usize = 0;
const LINE: usize = 0;

/// Temporary-assistance parameters for one year, region and residence.
#[derive(Debug, Clone, PartialEq)]
pub struct TemporaryAssistanceParams {
    /// Take-up probability.
    pub take_up: f64,
    /// Share of the gap paid.
    pub share: f64,
    /// Cap per household and year, yuan.
    pub cap_yearly: f64,
    /// Only members with local hukou count.
    pub local_hukou_only: bool,
}

impl super::CheckDemand for TemporaryAssistanceParams {}

impl TemporaryAssistanceParams {
    /// Reads the parameters.
    pub fn from_resolved(p: &ResolvedParams) -> Result<Self, ParamError> {
        Ok(TemporaryAssistanceParams {
            take_up: p.number("temporary_assistance_take_up"),
            share: p.number("temporary_assistance_share"),
            cap_yearly: p.number("temporary_assistance_cap"),
            local_hukou_only: p.flag("temporary_assistance_local_hukou_only"),
        })
    }
}

/// The household amount, yuan/year, for `eligible` members of a household of per-capita D `d_pc`
/// and D_health `health_pc` against the dibao `standard`; `None` when it is not eligible (D under
/// the standard already, or D_health not under it, or the program off).
pub fn amount_yearly(
    p: &TemporaryAssistanceParams,
    standard: f64,
    d_pc: f64,
    health_pc: f64,
    eligible: usize,
) -> Option<f64> {
    let on = standard > 0.0 && p.cap_yearly > 0.0 && eligible > 0;
    (on && d_pc >= standard && health_pc < standard)
        .then(|| (p.share * (standard - health_pc) * eligible as f64).min(p.cap_yearly))
}

/// Step 10 (spec 12): a household the year's bills pushed under its dibao standard, not on dibao,
/// gets the assistance with the take-up draw; every member carries an equal share.
fn assist(hh: &mut Household<'_>) -> StepResult {
    if hh.out.work.household_status[hh.h] == AssistanceStatus::Dibao {
        return Ok(());
    }
    let p = &hh.params.temporary_assistance;
    let n = hh.size();
    let eligible = if p.local_hukou_only {
        hh.members
            .clone()
            .filter(|&i| hh.persons.local_hukou[i])
            .count()
    } else {
        n
    };
    let (d_pc, health_pc) = (
        hh.totals.disposable() / n as f64,
        hh.totals.disposable_health() / n as f64,
    );
    let standard = hh.params.dibao.standard_yearly;
    let Some(amount) = amount_yearly(p, standard, d_pc, health_pc, eligible) else {
        return Ok(());
    };
    let household_id = hh.households.household_id[hh.h];
    let year = hh.year.year;
    if hh.uniform(household_id, year, Purpose::TemporaryAssistanceTakeUp) >= p.take_up {
        return Ok(());
    }
    for i in hh.members.clone() {
        hh.pay(i, ASSISTANCE, amount / n as f64);
    }
    hh.book_household(Concept::Assistance, amount);
    let w = hh.weight;
    let line = hh.line(LINE);
    line.pay(Payer::Government, w * amount);
    line.benefits += w * amount;
    line.beneficiaries_persons += w * eligible as f64;
    hh.count_household(LINE);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> TemporaryAssistanceParams {
        TemporaryAssistanceParams {
            take_up: 1.0,
            share: 0.5,
            cap_yearly: 5_000.0,
            local_hukou_only: false,
        }
    }

    /// Conformance "temporary-assistance-after-illness": D per capita 11650 >= 9000, D_health per
    /// capita 1554 < 9000: min(5000, 0.5 x (9000 - 1554) x 2 = 7446) = 5000; a household already
    /// under the standard, or not pushed under it, gets nothing; a cap of 0 is off.
    #[test]
    fn pays_when_the_bills_push_a_household_under_the_standard() {
        let p = params();
        assert_eq!(
            amount_yearly(&p, 9_000.0, 11_650.0, 1_554.0, 2),
            Some(5_000.0)
        );
        assert_eq!(amount_yearly(&p, 9_000.0, 8_000.0, 1_554.0, 2), None);
        assert_eq!(amount_yearly(&p, 9_000.0, 11_650.0, 9_500.0, 2), None);
        let small = amount_yearly(&p, 9_000.0, 11_650.0, 8_000.0, 2).unwrap();
        assert!((small - 1_000.0).abs() < 1e-9, "{small}");
        let off = TemporaryAssistanceParams {
            cap_yearly: 0.0,
            ..p
        };
        assert_eq!(amount_yearly(&off, 9_000.0, 11_650.0, 1_554.0, 2), None);
    }
}
