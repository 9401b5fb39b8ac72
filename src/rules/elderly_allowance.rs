//! Elderly allowance (高龄补贴): a cash allowance by age band, in T, to resident-pension
//! beneficiaries only when `elderly_allowance_resident_only` (as in Zhejiang): spec 3.1. Its own
//! fiscal line. Pure: no I/O, no draws.

use super::household::Household;
use super::program::{LineDef, OutcomeDef, ProgramDef, Role, Slot, Step, StepResult};
use crate::income::Concept;
use crate::params::{
    DefaultValue, ParamDef, ParamError, ParamKind, ResolvedParams, YUAN_PER_YEAR, band_lookup,
};
use crate::rules::fiscal::Payer;

const SPEC: &str = "rules.md 3.1";

/// Parameters of the elderly allowance.
pub const PARAMS: &[ParamDef] = &[
    ParamDef::new(
        "elderly_allowance",
        ParamKind::MoneyByAge,
        YUAN_PER_YEAR,
        DefaultValue::Table(&[]),
        SPEC,
        "Elderly allowance (高龄补贴) by age band, cash in T",
    ),
    ParamDef::flag(
        "elderly_allowance_resident_only",
        true,
        SPEC,
        "Elderly allowance only to resident-pension beneficiaries (as in Zhejiang)",
    ),
];

/// The elderly allowance as the year runs it.
pub const PROGRAM: ProgramDef = ProgramDef {
    name: "elderly_allowance",
    chinese: "高龄补贴",
    spec: SPEC,
    params: PARAMS,
    steps: &[Step {
        slot: Slot::Transfers,
        name: "elderly allowance",
        run: pay,
    }],
    outcomes: &[OutcomeDef {
        column: "elderly_allowance",
        role: Role::Income(Concept::OtherTransfers),
        doc: "Elderly allowance (高龄补贴), cash",
    }],
    lines: &[LineDef {
        name: "elderly_allowance",
        chinese: "高龄补贴",
    }],
    funds: &[],
    scenario_lines: false,
};

const ALLOWANCE: usize = 0;
const LINE: usize = 0;

/// Elderly-allowance parameters for one year, region and residence.
#[derive(Debug, Clone, PartialEq)]
pub struct ElderlyAllowanceParams {
    /// Allowance by age band, yuan/year.
    pub allowance_yearly: Vec<(u32, f64)>,
    /// Only resident-pension beneficiaries get it.
    pub resident_only: bool,
}

impl super::CheckDemand for ElderlyAllowanceParams {}

impl ElderlyAllowanceParams {
    /// Reads the parameters.
    pub fn from_resolved(p: &ResolvedParams) -> Result<Self, ParamError> {
        Ok(ElderlyAllowanceParams {
            allowance_yearly: p.table("elderly_allowance").to_vec(),
            resident_only: p.flag("elderly_allowance_resident_only"),
        })
    }
}

/// Elderly allowance, yuan/year: by age band, to resident-pension beneficiaries only when
/// `elderly_allowance_resident_only`.
pub fn allowance_yearly(p: &ElderlyAllowanceParams, age: u8, pension_beneficiary: bool) -> f64 {
    if p.resident_only && !pension_beneficiary {
        return 0.0;
    }
    band_lookup(&p.allowance_yearly, u32::from(age)).unwrap_or(0.0)
}

/// Step 7 (spec 3.1): pays every member the allowance of their age band.
fn pay(hh: &mut Household<'_>) -> StepResult {
    let w = hh.weight;
    for i in hh.members.clone() {
        let allowance = allowance_yearly(
            &hh.params.elderly_allowance,
            hh.persons.age[i],
            hh.out.work.resident_pensioner[i],
        );
        hh.pay(i, ALLOWANCE, allowance);
        if allowance > 0.0 {
            let line = hh.line(LINE);
            line.pay(Payer::Government, w * allowance);
            line.benefits += w * allowance;
            line.beneficiaries_persons += w;
            hh.count_household(LINE);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ParamValue as V;
    use crate::rules::year::testkit::*;

    /// Conformance "elderly-allowance-80-plus": 100 a month at 80..89 is 1200 a year, 200 at 90+.
    #[test]
    fn allowance_by_band_resident_only() {
        let mut p = ElderlyAllowanceParams {
            allowance_yearly: vec![(80, 1_200.0), (90, 2_400.0)],
            resident_only: true,
        };
        assert_eq!(allowance_yearly(&p, 82, true), 1_200.0);
        assert_eq!(allowance_yearly(&p, 79, true), 0.0);
        assert_eq!(allowance_yearly(&p, 82, false), 0.0);
        p.resident_only = false;
        assert_eq!(allowance_yearly(&p, 95, false), 2_400.0);
    }

    /// Through the step: 1200 a year at 82 for a resident pensioner (in T, fiscal); nothing for
    /// the 85-year-old without the resident pension while `elderly_allowance_resident_only`.
    #[test]
    fn pay_to_resident_pensioners() {
        let p = rule_params(&[("elderly_allowance", V::Table(vec![(80, 1_200.0)]))]);
        let rules = rules_for(&p, 2024, true);
        let old = |age| PersonRow {
            age,
            ..Default::default()
        };
        let mut pop = household(Residence::Urban, vec![old(82), old(85)]);
        let ((), out, acc) = with_household(&mut pop, &rules, "elderly_allowance", |hh| {
            hh.out.work.resident_pensioner[0] = true;
            pay(hh).unwrap();
        });
        assert_eq!(out.column("elderly_allowance").unwrap(), [1_200.0, 0.0]);
        assert_eq!(out.work.parts[0].other_transfers, 1_200.0);
        assert_eq!(
            acc.line("elderly_allowance")
                .unwrap()
                .paid(Payer::Government),
            1_200.0
        );
    }
}
