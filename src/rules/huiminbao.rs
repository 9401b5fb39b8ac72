//! Huiminbao (惠民保), city-sponsored commercial supplementary health insurance: a person joins
//! with `huiminbao_take_up` (one draw per person), pays a private premium (not in C; subtracted in
//! D_health) and gets a share of what basic and critical-illness insurance left above a deductible,
//! up to a cap, from the insurer (not fiscal): rules.md 11.

use super::household::Household;
use super::program::{LineDef, OutcomeDef, ProgramDef, Role, Slot, Step, StepResult};
use crate::params::{DefaultValue, ParamDef, ParamError, ResolvedParams};
use crate::rng::Purpose;
use crate::rules::fiscal::Payer;

const SPEC: &str = "rules.md 11";

/// Parameters of huiminbao.
pub const PARAMS: &[ParamDef] = &[
    ParamDef::share(
        "huiminbao_take_up",
        1.0,
        SPEC,
        "Probability that a person joins, drawn once per person",
    ),
    ParamDef::money(
        "huiminbao_premium",
        SPEC,
        "Premium per member (private: not in C, subtracted in D_health); 0 with no rate = off",
    ),
    ParamDef::money(
        "huiminbao_deductible",
        SPEC,
        "Out-of-pocket (after basic and critical-illness insurance) above which it pays",
    ),
    ParamDef::share(
        "huiminbao_rate",
        0.0,
        SPEC,
        "Share of the out-of-pocket above the deductible it pays",
    ),
    ParamDef {
        default: DefaultValue::Number(f64::INFINITY),
        ..ParamDef::money(
            "huiminbao_cap",
            SPEC,
            "Cap on the benefit per person and year; none by default",
        )
    },
];

/// Huiminbao as the year runs it.
pub const PROGRAM: ProgramDef = ProgramDef {
    name: "huiminbao",
    chinese: "惠民保",
    spec: SPEC,
    params: PARAMS,
    steps: &[Step {
        slot: Slot::MedicalSecurity,
        name: "huiminbao",
        run: pay,
    }],
    outcomes: &[OutcomeDef {
        column: "huiminbao_benefit",
        role: Role::MedicalCover,
        doc: "Huiminbao benefit (private, in kind)",
    }],
    lines: &[LineDef {
        name: "huiminbao",
        chinese: "惠民保",
    }],
    funds: &[],
    scenario_lines: false,
};

const BENEFIT: usize = 0;
const LINE: usize = 0;

/// Huiminbao parameters for one year, region and residence.
#[derive(Debug, Clone, PartialEq)]
pub struct HuiminbaoParams {
    /// Take-up probability.
    pub take_up: f64,
    /// Premium, yuan/year.
    pub premium_yearly: f64,
    /// Deductible, yuan.
    pub deductible: f64,
    /// Rate above the deductible.
    pub rate: f64,
    /// Cap per person and year, yuan.
    pub cap_yearly: f64,
}

impl super::CheckDemand for HuiminbaoParams {}

impl HuiminbaoParams {
    /// Reads the parameters.
    pub fn from_resolved(p: &ResolvedParams) -> Result<Self, ParamError> {
        Ok(HuiminbaoParams {
            take_up: p.number("huiminbao_take_up"),
            premium_yearly: p.number("huiminbao_premium"),
            deductible: p.number("huiminbao_deductible"),
            rate: p.number("huiminbao_rate"),
            cap_yearly: p.number("huiminbao_cap"),
        })
    }

    /// True when the product exists here (a premium or a rate).
    pub fn is_on(&self) -> bool {
        self.premium_yearly > 0.0 || self.rate > 0.0
    }
}

/// Benefit on the out-of-pocket after basic and critical-illness insurance, yuan.
pub fn benefit_yearly(p: &HuiminbaoParams, out_of_pocket: f64) -> f64 {
    (p.rate * (out_of_pocket - p.deductible).max(0.0)).min(p.cap_yearly)
}

/// Step 5 (spec 11): members who joined pay the premium and get the benefit from the insurer.
fn pay(hh: &mut Household<'_>) -> StepResult {
    let p = &hh.params.huiminbao;
    if !p.is_on() {
        return Ok(());
    }
    let w = hh.weight;
    for i in hh.members.clone() {
        let pid = hh.persons.person_id[i];
        if hh.uniform(pid, 0, Purpose::HuiminbaoTakeUp) >= p.take_up {
            continue;
        }
        let premium = p.premium_yearly;
        let benefit = benefit_yearly(p, hh.out.work.parts[i].medical_out_of_pocket);
        hh.out.work.parts[i].huiminbao_premium += premium;
        hh.pay(i, BENEFIT, benefit);
        let line = hh.line(LINE);
        line.pay(Payer::Individual, w * premium);
        line.pay(Payer::PrivateInsurer, w * benefit);
        line.benefits += w * benefit;
        if benefit > 0.0 {
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

    /// Conformance "medical-huiminbao-after-critical-illness" through the step: out-of-pocket 28192
    /// after critical illness, 0.5 x (28192 - 20000) = 4096 from the insurer; out-of-pocket 24096;
    /// the 100 premium is private.
    #[test]
    fn pays_half_above_the_deductible() {
        let p = rule_params(&[
            ("huiminbao_premium", V::Number(100.0)),
            ("huiminbao_deductible", V::Number(20_000.0)),
            ("huiminbao_rate", V::Number(0.5)),
            ("huiminbao_cap", V::Number(1_000_000.0)),
        ]);
        let rules = rules_for(&p, 2024, true);
        let mut pop = household(Residence::Rural, vec![PersonRow::default()]);
        let ((), out, acc) = with_household(&mut pop, &rules, "huiminbao", |hh| {
            hh.out.work.parts[0].medical_out_of_pocket = 28_192.0;
            pay(hh).unwrap();
        });
        assert_eq!(out.column("huiminbao_benefit").unwrap(), [4_096.0]);
        let parts = out.work.parts[0];
        assert_eq!(
            (parts.medical_out_of_pocket, parts.huiminbao_premium),
            (24_096.0, 100.0)
        );
        assert_eq!(parts.contributions, 0.0, "the premium is not in C");
        let line = acc.line("huiminbao").unwrap();
        assert_eq!(line.paid(Payer::PrivateInsurer), 4_096.0);
        assert_eq!(line.paid(Payer::Government), 0.0);
    }
}
