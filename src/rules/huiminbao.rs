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
    ParamDef::share(
        "huiminbao_paid_share_low_income",
        0.0,
        SPEC,
        "Share of the premium government pays for members of households with dibao, te-kun or margin status last year, who all join (a reform; 0 = none)",
    ),
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
    /// Share of the premium government pays for last year's low-income households.
    pub paid_share_low_income: f64,
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
            paid_share_low_income: p.number("huiminbao_paid_share_low_income"),
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
/// Where government pays part of the premium for last year's low-income households (a reform),
/// all their members join and pay only the rest.
fn pay(hh: &mut Household<'_>) -> StepResult {
    let p = &hh.params.huiminbao;
    if !p.is_on() {
        return Ok(());
    }
    let w = hh.weight;
    let paid_share = if hh.status_last_year.low_income() {
        p.paid_share_low_income
    } else {
        0.0
    };
    for i in hh.members.clone() {
        let pid = hh.persons.person_id[i];
        if paid_share == 0.0 && hh.uniform(pid, 0, Purpose::HuiminbaoTakeUp) >= p.take_up {
            continue;
        }
        let premium = p.premium_yearly;
        let own = premium * (1.0 - paid_share);
        let benefit = benefit_yearly(p, hh.out.work.parts[i].medical_out_of_pocket);
        hh.out.work.parts[i].huiminbao_premium += own;
        hh.pay(i, BENEFIT, benefit);
        let line = hh.line(LINE);
        line.pay(Payer::Individual, w * own);
        line.pay(Payer::Government, w * (premium - own));
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

    /// The reform's subsidy: with take-up 0 nobody joins by choice, but a member of last year's
    /// dibao household joins with 80% of the 100 premium paid by government (own part 20); a
    /// household without that status stays out.
    #[test]
    fn government_pays_part_of_the_premium_of_last_years_poor() {
        let p = rule_params(&[
            ("huiminbao_premium", V::Number(100.0)),
            ("huiminbao_rate", V::Number(0.5)),
            ("huiminbao_take_up", V::Number(0.0)),
            ("huiminbao_paid_share_low_income", V::Number(0.8)),
        ]);
        let rules = rules_for(&p, 2024, true);
        for (dibao_last_year, own, government) in [(true, 20.0, 80.0), (false, 0.0, 0.0)] {
            let mut pop = household(
                Residence::Rural,
                vec![PersonRow {
                    dibao_last_year,
                    ..PersonRow::default()
                }],
            );
            let ((), out, acc) = with_household(&mut pop, &rules, "huiminbao", |hh| {
                pay(hh).unwrap();
            });
            assert!((out.work.parts[0].huiminbao_premium - own).abs() < 1e-12);
            let line = acc.line("huiminbao").unwrap();
            assert!((line.paid(Payer::Government) - government).abs() < 1e-6);
            let individual = line.paid(Payer::Individual);
            assert!((individual - own).abs() < 1e-6, "{individual} vs {own}");
        }
    }
}
