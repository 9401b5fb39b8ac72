//! Critical-illness insurance (大病保险) for the resident-scheme insured: a share of the
//! out-of-pocket left after basic insurance above a threshold, up to a cap, paid by the resident
//! fund; the poor (dibao, te-kun or margin status last year) get a halved threshold, a higher rate
//! and no cap (国办发〔2021〕42号): rules.md 11. Pure: no I/O, no draws.

use super::household::Household;
use super::medical_insurance::{MedicalScheme, RESIDENT_FUND};
use super::program::{LineDef, OutcomeDef, ProgramDef, Role, Slot, Step, StepResult};
use crate::params::{DefaultValue, ParamDef, ParamError, ResolvedParams};
use crate::rules::fiscal::Payer;

const SPEC: &str = "rules.md 11";

/// Parameters of critical-illness insurance.
pub const PARAMS: &[ParamDef] = &[
    ParamDef::money(
        "cii_threshold",
        SPEC,
        "Out-of-pocket (after basic insurance) above which critical-illness insurance pays (policy: about half of last year's per-capita D)",
    ),
    ParamDef::share(
        "cii_rate",
        0.0,
        SPEC,
        "Share of the out-of-pocket above the threshold it pays",
    ),
    ParamDef {
        default: DefaultValue::Number(f64::INFINITY),
        ..ParamDef::money(
            "cii_cap",
            SPEC,
            "Cap on the benefit a person and year; none by default",
        )
    },
    ParamDef::number(
        "cii_threshold_factor_poor",
        (0.0, 1.0),
        "multiple of the threshold",
        0.5,
        SPEC,
        "The poor's threshold as a multiple of `cii_threshold`",
    ),
    ParamDef::share(
        "cii_rate_bonus_poor",
        0.0,
        SPEC,
        "Addition to the rate for the poor (policy: 0.05)",
    ),
    ParamDef::number(
        "cii_poor_terms_income_multiple",
        (0.0, 10.0),
        "multiple of the dibao standard",
        0.0,
        SPEC,
        "The poor's terms also for households whose per-capita M + P - C is below this multiple of their dibao standard (a reform; 0 = last year's dibao, te-kun or margin status only)",
    ),
];

/// Critical-illness insurance as the year runs it.
pub const PROGRAM: ProgramDef = ProgramDef {
    name: "critical_illness",
    chinese: "城乡居民大病保险",
    spec: SPEC,
    params: PARAMS,
    steps: &[Step {
        slot: Slot::MedicalSecurity,
        name: "critical-illness insurance",
        run: pay,
    }],
    outcomes: &[OutcomeDef {
        column: "critical_illness_benefit",
        role: Role::MedicalCover,
        doc: "Critical-illness insurance benefit (in kind)",
    }],
    lines: &[LineDef {
        name: "critical_illness",
        chinese: "城乡居民大病保险",
    }],
    funds: &[],
    scenario_lines: false,
};

const BENEFIT: usize = 0;
const LINE: usize = 0;

/// Critical-illness parameters for one year, region and residence.
#[derive(Debug, Clone, PartialEq)]
pub struct CriticalIllnessParams {
    /// Threshold, yuan.
    pub threshold: f64,
    /// Rate above it.
    pub rate: f64,
    /// Cap per person and year, yuan.
    pub cap_yearly: f64,
    /// The poor's threshold multiple.
    pub threshold_factor_poor: f64,
    /// The poor's rate addition.
    pub rate_bonus_poor: f64,
    /// Households under this multiple of the dibao standard (per-capita M + P - C) get the poor's
    /// terms; 0 = none beyond last year's statuses.
    pub poor_terms_income_multiple: f64,
}

impl super::CheckDemand for CriticalIllnessParams {}

impl CriticalIllnessParams {
    /// Reads the parameters; the poor's rate may not exceed 1.
    pub fn from_resolved(p: &ResolvedParams) -> Result<Self, ParamError> {
        let params = CriticalIllnessParams {
            threshold: p.number("cii_threshold"),
            rate: p.number("cii_rate"),
            cap_yearly: p.number("cii_cap"),
            threshold_factor_poor: p.number("cii_threshold_factor_poor"),
            rate_bonus_poor: p.number("cii_rate_bonus_poor"),
            poor_terms_income_multiple: p.number("cii_poor_terms_income_multiple"),
        };
        if params.rate + params.rate_bonus_poor > 1.0 {
            return Err(ParamError::new(
                "cii_rate_bonus_poor",
                format!(
                    "`cii_rate` ({}) plus `cii_rate_bonus_poor` ({}) exceeds 1: the poor's rate cannot pay more than the bill",
                    params.rate, params.rate_bonus_poor
                ),
            ));
        }
        Ok(params)
    }
}

/// Benefit on an out-of-pocket (after basic insurance), yuan: min(cap, rate x max(0, out-of-pocket
/// - threshold)); for the poor the threshold times the factor, the rate plus the bonus, no cap.
pub fn benefit_yearly(p: &CriticalIllnessParams, out_of_pocket: f64, poor: bool) -> f64 {
    if poor {
        let threshold = p.threshold * p.threshold_factor_poor;
        (p.rate + p.rate_bonus_poor) * (out_of_pocket - threshold).max(0.0)
    } else {
        (p.rate * (out_of_pocket - p.threshold).max(0.0)).min(p.cap_yearly)
    }
}

/// Whether the household gets the poor's terms: last year's dibao, te-kun or margin status, or
/// (when the multiple is set) per-capita M + P - C so far below the multiple of its dibao standard.
fn poor_terms(hh: &Household<'_>) -> bool {
    let multiple = hh.params.critical_illness.poor_terms_income_multiple;
    if hh.status_last_year.low_income() {
        return true;
    }
    if multiple <= 0.0 {
        return false;
    }
    let members = hh.members.clone();
    let size = members.len() as f64;
    let income: f64 = members
        .map(|i| {
            let parts = &hh.out.work.parts[i];
            parts.market + parts.pensions - parts.contributions
        })
        .sum();
    income / size < multiple * hh.params.dibao.standard_yearly
}

/// Step 5 (spec 11): the resident-scheme insured's benefit on what basic insurance left, from the
/// resident fund.
fn pay(hh: &mut Household<'_>) -> StepResult {
    let p = &hh.params.critical_illness;
    let (w, poor) = (hh.weight, poor_terms(hh));
    for i in hh.members.clone() {
        if hh.out.work.medical_scheme[i] != MedicalScheme::Resident {
            continue;
        }
        let benefit = benefit_yearly(p, hh.out.work.parts[i].medical_out_of_pocket, poor);
        if benefit <= 0.0 {
            continue;
        }
        hh.pay(i, BENEFIT, benefit);
        let line = hh.line(LINE);
        line.pay(Payer::InsuranceFund, w * benefit);
        line.benefits += w * benefit;
        line.beneficiaries_persons += w;
        hh.count_household(LINE);
        hh.fund_of("medical_insurance", RESIDENT_FUND).benefits += w * benefit;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ParamValue as V;
    use crate::rules::year::testkit::*;

    fn params() -> CriticalIllnessParams {
        let mut p = CriticalIllnessParams::from_resolved(&ResolvedParams::defaults()).unwrap();
        p.threshold = 20_000.0;
        p.rate = 0.6;
        p.rate_bonus_poor = 0.05;
        p
    }

    /// Conformance "medical-critical-illness-above-threshold": 0.6 x (40480 - 20000) = 12288;
    /// "medical-dibao-household-critical-illness-and-assistance": the poor's 0.65 x (40480 -
    /// 10000) = 19812, no cap; "medical-resident-inpatient": 8980 is under the threshold.
    #[test]
    fn benefit_above_threshold_and_the_poors_terms() {
        let mut p = params();
        assert!((benefit_yearly(&p, 40_480.0, false) - 12_288.0).abs() < 1e-9);
        assert!((benefit_yearly(&p, 40_480.0, true) - 19_812.0).abs() < 1e-9);
        assert_eq!(benefit_yearly(&p, 8_980.0, false), 0.0);
        p.cap_yearly = 5_000.0;
        assert_eq!(benefit_yearly(&p, 40_480.0, false), 5_000.0);
        assert!(
            benefit_yearly(&p, 40_480.0, true) > 5_000.0,
            "no cap for the poor"
        );
    }

    /// The reform's terms through the step: a resident-scheme household of one with M + P - C =
    /// 10,000 under twice its dibao standard of 8,000 gets the poor's 0.65 x (40,480 - 10,000) =
    /// 19,812 though it had no status last year; with the multiple at 0 (the default) it gets
    /// 0.6 x (40,480 - 20,000) = 12,288, and at 1.0 (10,000 is not under 8,000) too.
    #[test]
    fn poor_terms_below_a_multiple_of_the_dibao_standard() {
        for (multiple, benefit) in [(2.0, 19_812.0), (0.0, 12_288.0), (1.0, 12_288.0)] {
            let p = rule_params(&[
                ("cii_threshold", V::Number(20_000.0)),
                ("cii_rate", V::Number(0.6)),
                ("cii_rate_bonus_poor", V::Number(0.05)),
                ("dibao_standard", V::Number(8_000.0)),
                ("cii_poor_terms_income_multiple", V::Number(multiple)),
            ]);
            let rules = rules_for(&p, 2024, true);
            let mut pop = household(Residence::Rural, vec![PersonRow::default()]);
            let ((), out, _) = with_household(&mut pop, &rules, "critical_illness", |hh| {
                hh.out.work.medical_scheme[0] = MedicalScheme::Resident;
                hh.out.work.parts[0].market = 10_000.0;
                hh.out.work.parts[0].medical_out_of_pocket = 40_480.0;
                pay(hh).unwrap();
            });
            let got = out.column("critical_illness_benefit").unwrap()[0];
            assert!((got - benefit).abs() < 1e-9, "multiple {multiple}: {got}");
        }
    }
}
