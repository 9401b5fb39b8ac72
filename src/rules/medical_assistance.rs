//! Medical assistance (医疗救助) for people whose household had te-kun, dibao or margin status last
//! year (te-kun taking precedence, then dibao): a share of what every insurance left above a
//! deductible, up to a cap a person and year; with the government-paid resident premiums (资助参保)
//! its own fiscal line: rules.md 11 and 13. Pure: no I/O, no draws.

use super::household::Household;
use super::hukou::HukouRule;
use super::program::{LineDef, OutcomeDef, ProgramDef, Role, Slot, Step, StepResult};
use crate::params::{DefaultValue, ParamDef, ParamError, ResolvedParams};
use crate::rules::fiscal::Payer;
use crate::rules::household::StatusLastYear;

const SPEC: &str = "rules.md 11";

/// Parameters of medical assistance.
pub const PARAMS: &[ParamDef] = &[
    ParamDef::share(
        "medical_assistance_rate_tekun",
        0.0,
        SPEC,
        "Share of the remaining out-of-pocket paid for te-kun households of last year (policy: 1.0)",
    ),
    ParamDef::share(
        "medical_assistance_rate_dibao",
        0.0,
        SPEC,
        "Same for dibao households of last year (policy: at least 0.7)",
    ),
    ParamDef::share(
        "medical_assistance_rate_margin",
        0.0,
        SPEC,
        "Same for margin households of last year (policy: somewhat below dibao)",
    ),
    ParamDef::money(
        "medical_assistance_deductible",
        SPEC,
        "Out-of-pocket below which nothing is paid",
    ),
    ParamDef {
        default: DefaultValue::Number(f64::INFINITY),
        ..ParamDef::money(
            "medical_assistance_cap",
            SPEC,
            "Cap a person and year (救助限额); none by default",
        )
    },
];

/// Medical assistance as the year runs it.
pub const PROGRAM: ProgramDef = ProgramDef {
    name: "medical_assistance",
    chinese: "医疗救助",
    spec: "rules.md 11, 13",
    params: PARAMS,
    steps: &[Step {
        slot: Slot::MedicalAssistance,
        name: "medical assistance",
        run: assist,
    }],
    outcomes: &[OutcomeDef {
        column: "medical_assistance",
        role: Role::MedicalCover,
        doc: "Medical assistance toward the bill (in kind)",
    }],
    lines: &[LineDef {
        name: "medical_assistance",
        chinese: "医疗救助",
    }],
    funds: &[],
    scenario_lines: false,
};

const ASSISTANCE: usize = 0;
const LINE: usize = 0;

/// Medical-assistance parameters for one year, region and residence.
#[derive(Debug, Clone, PartialEq)]
pub struct MedicalAssistanceParams {
    /// Rates for te-kun, dibao and margin households of last year.
    pub rate: [f64; 3],
    /// Deductible, yuan.
    pub deductible: f64,
    /// Cap per person and year, yuan.
    pub cap_yearly: f64,
    /// Local hukou only when asked (rules.md 13).
    pub hukou: HukouRule,
}

impl super::CheckDemand for MedicalAssistanceParams {}

impl MedicalAssistanceParams {
    /// Reads the parameters.
    pub fn from_resolved(p: &ResolvedParams) -> Result<Self, ParamError> {
        Ok(MedicalAssistanceParams {
            rate: [
                p.number("medical_assistance_rate_tekun"),
                p.number("medical_assistance_rate_dibao"),
                p.number("medical_assistance_rate_margin"),
            ],
            deductible: p.number("medical_assistance_deductible"),
            cap_yearly: p.number("medical_assistance_cap"),
            hukou: HukouRule::from_resolved(p)?,
        })
    }

    /// The rate for a household's status last year: te-kun first, then dibao, then margin; 0 for
    /// none.
    pub fn rate_for(&self, status: StatusLastYear) -> f64 {
        if status.tekun {
            self.rate[0]
        } else if status.dibao {
            self.rate[1]
        } else if status.margin {
            self.rate[2]
        } else {
            0.0
        }
    }
}

/// Assistance on a remaining out-of-pocket at `rate`, yuan: min(cap, rate x max(0, out-of-pocket -
/// deductible)).
pub fn assistance_yearly(p: &MedicalAssistanceParams, rate: f64, out_of_pocket: f64) -> f64 {
    (rate * (out_of_pocket - p.deductible).max(0.0)).min(p.cap_yearly)
}

/// Step 9 (spec 11): assistance toward what every insurance left, for members of last year's poor
/// households; the government also pays the resident premiums basic insurance billed to
/// assistance (资助参保).
fn assist(hh: &mut Household<'_>) -> StepResult {
    let p = &hh.params.medical_assistance;
    let rate = p.rate_for(hh.status_last_year);
    let w = hh.weight;
    let mut total = 0.0;
    for i in hh.members.clone() {
        let premium = hh.out.work.premium_paid_by_assistance[i];
        let amount = if rate > 0.0 && p.hukou.eligible(hh.persons.local_hukou[i]) {
            assistance_yearly(p, rate, hh.out.work.parts[i].medical_out_of_pocket)
        } else {
            0.0
        };
        if amount + premium <= 0.0 {
            continue;
        }
        hh.pay(i, ASSISTANCE, amount);
        total += amount;
        let line = hh.line(LINE);
        line.pay(Payer::Government, w * (amount + premium));
        line.benefits += w * (amount + premium);
        line.beneficiaries_persons += w;
        hh.count_household(LINE);
    }
    // The household's out-of-pocket of D_health, after the first pass's totals.
    hh.totals.medical_out_of_pocket -= total;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ParamValue as V;
    use crate::rules::year::testkit::*;

    /// Conformance "medical-dibao-household-critical-illness-and-assistance": 0.7 x 20668 =
    /// 14467.6, capped at 10000 (out-of-pocket 10668); fiscal 10000 + 2 x 175 paid premiums =
    /// 10350. "medical-tekun-full-assistance": at rate 1.0 the whole 10868 (out-of-pocket 0).
    #[test]
    fn assists_last_years_poor_up_to_the_cap() {
        let p = rule_params(&[
            ("medical_assistance_rate_tekun", V::Number(1.0)),
            ("medical_assistance_rate_dibao", V::Number(0.7)),
            ("medical_assistance_cap", V::Number(10_000.0)),
        ]);
        let rules = rules_for(&p, 2024, true);
        let poor = PersonRow {
            dibao_last_year: true,
            ..Default::default()
        };
        let mut pop = household(Residence::Rural, vec![poor.clone(), poor]);
        let (totals, out, acc) = with_household(&mut pop, &rules, "medical_assistance", |hh| {
            hh.out.work.parts[0].medical_out_of_pocket = 20_668.0;
            hh.totals.medical_out_of_pocket = 20_668.0;
            hh.out.work.premium_paid_by_assistance[0] = 175.0;
            hh.out.work.premium_paid_by_assistance[1] = 175.0;
            assist(hh).unwrap();
            hh.totals
        });
        assert_eq!(out.column("medical_assistance").unwrap(), [10_000.0, 0.0]);
        assert_eq!(out.work.parts[0].medical_out_of_pocket, 10_668.0);
        assert_eq!(totals.medical_out_of_pocket, 10_668.0);
        let line = acc.line("medical_assistance").unwrap();
        assert_eq!(line.paid(Payer::Government), 10_350.0);
        assert_eq!(line.beneficiaries_persons.value(), 2.0);
        let tekun = p.medical_assistance.rate_for(StatusLastYear {
            tekun: true,
            dibao: true,
            margin: false,
        });
        assert_eq!(tekun, 1.0, "te-kun takes precedence");
        assert!(
            (assistance_yearly(&p.medical_assistance, tekun, 10_868.0) - 10_000.0).abs() < 1e-9
        );
    }
}
