//! Basic medical insurance (基本医疗保险): employee medical insurance (职工医保) for members of the
//! employee pension scheme, resident medical insurance (城乡居民医保) for everyone else; premiums
//! (the government pays part of the poor's resident premium, 资助参保, booked by medical assistance),
//! the fiscal subsidy of resident premiums, reimbursement with deductible, rate and cap, and the two
//! funds: rules.md 11. Pure: the coverage draw comes from the year's keyed streams.

use super::employee_pension::contribution_base_yearly;
use super::household::Household;
use super::hukou::HukouRule;
use super::program::{FundDef, LineDef, OutcomeDef, ProgramDef, Role, Slot, Step, StepResult};
use crate::income::Concept;
use crate::params::{DefaultValue, ParamDef, ParamError, ParamKind, ResolvedParams};
use crate::population::PensionScheme;
use crate::rng::Purpose;
use crate::rules::fiscal::Payer;

const SPEC: &str = "rules.md 11";

/// A money amount with no bound by default (a cap the scenario may set).
const fn uncapped(name: &'static str, doc: &'static str) -> ParamDef {
    ParamDef {
        default: DefaultValue::Number(f64::INFINITY),
        ..ParamDef::money(name, SPEC, doc)
    }
}

/// Parameters of basic medical insurance.
pub const PARAMS: &[ParamDef] = &[
    ParamDef::share(
        "bmi_coverage",
        1.0,
        SPEC,
        "Probability that a person is insured, drawn once per person",
    ),
    ParamDef::share(
        "bmi_employee_rate",
        0.0,
        SPEC,
        "Employee medical premium: share of the employee-pension contribution base paid by working employees (in C)",
    ),
    ParamDef::share(
        "bmi_employer_rate",
        0.0,
        SPEC,
        "Employer medical premium: share of the same base, to the employee fund",
    ),
    ParamDef::money(
        "bmi_resident_premium",
        SPEC,
        "Resident medical premium per insured person (in C, less the part government pays)",
    ),
    ParamDef::share(
        "bmi_paid_share_tekun",
        0.0,
        SPEC,
        "Share of the resident premium government pays (资助参保) for te-kun people of last year",
    ),
    ParamDef::share(
        "bmi_paid_share_dibao",
        0.0,
        SPEC,
        "Same for people with dibao status last year",
    ),
    ParamDef::share(
        "bmi_paid_share_margin",
        0.0,
        SPEC,
        "Same for people with margin status last year",
    ),
    ParamDef::money(
        "bmi_resident_subsidy",
        SPEC,
        "Fiscal subsidy per insured resident, to the resident fund",
    ),
    uncapped(
        "bmi_inpatient_cap_employee",
        "Cap on the employee scheme's inpatient reimbursement; none by default",
    ),
    ParamDef::share(
        "bmi_inpatient_rate_employee",
        0.0,
        SPEC,
        "Employee scheme: effective inpatient reimbursement rate above the deductible",
    ),
    ParamDef::money(
        "bmi_inpatient_deductible_employee",
        SPEC,
        "Employee scheme: inpatient deductible (起付线)",
    ),
    ParamDef::share(
        "bmi_outpatient_rate_employee",
        0.0,
        SPEC,
        "Employee scheme: effective outpatient reimbursement rate",
    ),
    uncapped(
        "bmi_inpatient_cap_resident",
        "Cap on the resident scheme's inpatient reimbursement; none by default",
    ),
    ParamDef::share(
        "bmi_inpatient_rate_resident",
        0.0,
        SPEC,
        "Resident scheme: effective inpatient reimbursement rate above the deductible",
    ),
    ParamDef::money(
        "bmi_inpatient_deductible_resident",
        SPEC,
        "Resident scheme: inpatient deductible (起付线)",
    ),
    ParamDef::share(
        "bmi_outpatient_rate_resident",
        0.0,
        SPEC,
        "Resident scheme: effective outpatient reimbursement rate",
    ),
    ParamDef::new(
        "bmi_deficit_fiscal_share",
        ParamKind::Number { min: 0.0, max: 1.0 },
        crate::params::SHARE,
        DefaultValue::Number(1.0),
        SPEC,
        "Share of a medical-insurance fund's deficit the government covers",
    ),
];

/// Basic medical insurance as the year runs it.
pub const PROGRAM: ProgramDef = ProgramDef {
    name: "medical_insurance",
    chinese: "基本医疗保险",
    spec: SPEC,
    params: PARAMS,
    steps: &[
        Step {
            slot: Slot::Contributions,
            name: "medical insurance premiums",
            run: premiums,
        },
        Step {
            slot: Slot::MedicalSecurity,
            name: "medical insurance reimbursement",
            run: reimburse,
        },
    ],
    outcomes: &[
        OutcomeDef {
            column: "medical_premium_own",
            role: Role::Income(Concept::Contributions),
            doc: "Medical premium the person pays (in C)",
        },
        OutcomeDef {
            column: "medical_insurance_reimbursement",
            role: Role::MedicalCover,
            doc: "Basic medical insurance reimbursement, inpatient and outpatient (in kind)",
        },
    ],
    lines: &[LineDef {
        name: "medical_insurance",
        chinese: "基本医疗保险",
    }],
    funds: &[
        FundDef {
            name: "employee_medical_fund",
            deficit_line: LINE,
            deficit_share_key: "bmi_deficit_fiscal_share",
            deficit_share: |p| p.medical_insurance.deficit_fiscal_share,
        },
        FundDef {
            name: "resident_medical_fund",
            deficit_line: LINE,
            deficit_share_key: "bmi_deficit_fiscal_share",
            deficit_share: |p| p.medical_insurance.deficit_fiscal_share,
        },
    ],
    scenario_lines: false,
};

const PREMIUM_OWN: usize = 0;
const REIMBURSEMENT: usize = 1;
const LINE: usize = 0;
/// The employee and resident funds, in `PROGRAM.funds` order.
pub(crate) const EMPLOYEE_FUND: usize = 0;
/// The resident fund (which also pays critical-illness benefits).
pub(crate) const RESIDENT_FUND: usize = 1;

/// Which medical scheme insures a person this year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MedicalScheme {
    /// Not insured.
    #[default]
    None,
    /// Employee medical insurance.
    Employee,
    /// Resident medical insurance.
    Resident,
}

/// One scheme's reimbursement terms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Terms {
    /// Inpatient cap, yuan/year.
    pub inpatient_cap_yearly: f64,
    /// Inpatient rate above the deductible.
    pub inpatient_rate: f64,
    /// Inpatient deductible, yuan.
    pub inpatient_deductible: f64,
    /// Outpatient rate.
    pub outpatient_rate: f64,
}

/// Basic-medical-insurance parameters for one year, region and residence.
#[derive(Debug, Clone, PartialEq)]
pub struct MedicalInsuranceParams {
    /// Coverage probability.
    pub coverage: f64,
    /// Employee premium rate on the contribution base.
    pub employee_rate: f64,
    /// Employer premium rate on the base.
    pub employer_rate: f64,
    /// Resident premium, yuan/year.
    pub resident_premium_yearly: f64,
    /// Government-paid shares of the resident premium: te-kun, dibao, margin last year.
    pub paid_share: [f64; 3],
    /// Fiscal subsidy per insured resident, yuan/year.
    pub resident_subsidy_yearly: f64,
    /// Employee-scheme terms.
    pub employee: Terms,
    /// Resident-scheme terms.
    pub resident: Terms,
    /// Government share of a fund deficit.
    pub deficit_fiscal_share: f64,
    /// Government-paid premiums are medical assistance: local hukou only when asked (rules.md 13).
    pub hukou: HukouRule,
}

impl super::CheckDemand for MedicalInsuranceParams {}

impl MedicalInsuranceParams {
    /// Reads the parameters.
    pub fn from_resolved(p: &ResolvedParams) -> Result<Self, ParamError> {
        let terms = |scheme: &str| Terms {
            inpatient_cap_yearly: p.number(&format!("bmi_inpatient_cap_{scheme}")),
            inpatient_rate: p.number(&format!("bmi_inpatient_rate_{scheme}")),
            inpatient_deductible: p.number(&format!("bmi_inpatient_deductible_{scheme}")),
            outpatient_rate: p.number(&format!("bmi_outpatient_rate_{scheme}")),
        };
        Ok(MedicalInsuranceParams {
            coverage: p.number("bmi_coverage"),
            employee_rate: p.number("bmi_employee_rate"),
            employer_rate: p.number("bmi_employer_rate"),
            resident_premium_yearly: p.number("bmi_resident_premium"),
            paid_share: [
                p.number("bmi_paid_share_tekun"),
                p.number("bmi_paid_share_dibao"),
                p.number("bmi_paid_share_margin"),
            ],
            resident_subsidy_yearly: p.number("bmi_resident_subsidy"),
            employee: terms("employee"),
            resident: terms("resident"),
            deficit_fiscal_share: p.number("bmi_deficit_fiscal_share"),
            hukou: HukouRule::from_resolved(p)?,
        })
    }

    /// The terms of a scheme (`None` for the uninsured).
    pub fn terms(&self, scheme: MedicalScheme) -> Option<&Terms> {
        match scheme {
            MedicalScheme::Employee => Some(&self.employee),
            MedicalScheme::Resident => Some(&self.resident),
            MedicalScheme::None => None,
        }
    }
}

/// The share of the resident premium government pays: the largest that applies by last year's
/// status (te-kun, dibao, margin), not the sum.
pub fn paid_share(p: &MedicalInsuranceParams, tekun: bool, dibao: bool, margin: bool) -> f64 {
    [tekun, dibao, margin]
        .iter()
        .zip(p.paid_share)
        .filter(|(applies, _)| **applies)
        .map(|(_, share)| share)
        .fold(0.0, f64::max)
}

/// Reimbursement of a year's costs under `terms`, yuan: min(cap, rate x max(0, inpatient -
/// deductible)) + outpatient rate x outpatient.
pub fn reimbursement_yearly(terms: &Terms, inpatient: f64, outpatient: f64) -> f64 {
    let inpatient = (terms.inpatient_rate * (inpatient - terms.inpatient_deductible).max(0.0))
        .min(terms.inpatient_cap_yearly);
    inpatient + terms.outpatient_rate * outpatient
}

/// Step 2 (spec 11): who is insured in which scheme, and the premiums: working employees pay their
/// rate on the employee-pension base (the employer its rate, to the employee fund); residents pay
/// the premium less what government pays for last year's poor (booked by medical assistance), and
/// government adds its subsidy to the resident fund.
fn premiums(hh: &mut Household<'_>) -> StepResult {
    let p = &hh.params.medical_insurance;
    let w = hh.weight;
    for i in hh.members.clone() {
        let persons = &*hh.persons;
        let pid = persons.person_id[i];
        if hh.uniform(pid, 0, Purpose::MedicalInsuranceCoverage) >= p.coverage {
            continue;
        }
        if persons.pension_scheme[i] == PensionScheme::Employee {
            hh.out.work.medical_scheme[i] = MedicalScheme::Employee;
            if !hh.out.work.employee_contributor[i] {
                continue; // pensioners pay nothing
            }
            let base =
                contribution_base_yearly(&hh.params.employee_pension, persons.earnings_yearly[i]);
            let (own, employer) = (p.employee_rate * base, p.employer_rate * base);
            hh.pay(i, PREMIUM_OWN, own);
            let line = hh.line(LINE);
            line.pay(Payer::Individual, w * own);
            line.pay(Payer::Employer, w * employer);
            hh.fund(EMPLOYEE_FUND).contributions += w * (own + employer);
        } else {
            hh.out.work.medical_scheme[i] = MedicalScheme::Resident;
            let premium = p.resident_premium_yearly;
            let share = if p.hukou.eligible(persons.local_hukou[i]) {
                paid_share(
                    p,
                    persons.tekun_last_year[i],
                    persons.dibao_last_year[i],
                    persons.margin_last_year[i],
                )
            } else {
                0.0
            };
            let paid = share * premium;
            hh.pay(i, PREMIUM_OWN, premium - paid);
            hh.out.work.premium_paid_by_assistance[i] = paid;
            let subsidy = p.resident_subsidy_yearly;
            let line = hh.line(LINE);
            line.pay(Payer::Individual, w * (premium - paid));
            line.pay(Payer::Government, w * subsidy);
            hh.fund(RESIDENT_FUND).contributions += w * (premium + subsidy);
        }
    }
    Ok(())
}

/// Step 5 (spec 11): the insured's inpatient and outpatient costs reimbursed by their scheme's
/// terms, paid by its fund.
fn reimburse(hh: &mut Household<'_>) -> StepResult {
    let p = &hh.params.medical_insurance;
    let w = hh.weight;
    for i in hh.members.clone() {
        let scheme = hh.out.work.medical_scheme[i];
        let Some(terms) = p.terms(scheme) else {
            continue;
        };
        let work = &hh.out.work;
        let amount = reimbursement_yearly(terms, work.inpatient_cost[i], work.outpatient_cost[i]);
        if amount == 0.0 {
            continue;
        }
        hh.pay(i, REIMBURSEMENT, amount);
        let line = hh.line(LINE);
        line.pay(Payer::InsuranceFund, w * amount);
        line.benefits += w * amount;
        line.beneficiaries_persons += w;
        hh.count_household(LINE);
        let fund = if scheme == MedicalScheme::Employee {
            EMPLOYEE_FUND
        } else {
            RESIDENT_FUND
        };
        hh.fund(fund).benefits += w * amount;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ParamValue as V;
    use crate::population::Employment;
    use crate::rules::year::testkit::*;

    fn resident_terms() -> Vec<(&'static str, V)> {
        vec![
            ("bmi_resident_premium", V::Number(350.0)),
            ("bmi_inpatient_deductible_resident", V::Number(800.0)),
            ("bmi_inpatient_rate_resident", V::Number(0.6)),
            ("bmi_inpatient_cap_resident", V::Number(200_000.0)),
            ("bmi_outpatient_rate_resident", V::Number(0.5)),
        ]
    }

    /// Conformance "medical-resident-inpatient": 0.6 x (20000 - 800) + 0.5 x 1000 = 12020.
    #[test]
    fn reimbursement_with_deductible_rate_and_cap() {
        let p = rule_params(&resident_terms()).medical_insurance;
        assert_eq!(
            reimbursement_yearly(&p.resident, 20_000.0, 1_000.0),
            12_020.0
        );
        assert_eq!(reimbursement_yearly(&p.resident, 500.0, 0.0), 0.0);
        assert_eq!(reimbursement_yearly(&p.resident, 400_000.0, 0.0), 200_000.0);
    }

    /// Through both steps: the dibao member pays half the premium (175, government 175 for
    /// medical assistance), the other 350; the fund gets 700 plus the 610 subsidies; conformance
    /// "medical-employee-inpatient": the employee pays 0.02 x 60000 = 1200 and is reimbursed
    /// 0.85 x (10000 - 1500) = 7225 by the employee fund.
    #[test]
    fn premiums_then_reimbursement_by_scheme() {
        let mut changes = resident_terms();
        changes.extend([
            ("bmi_paid_share_dibao", V::Number(0.5)),
            ("bmi_resident_subsidy", V::Number(610.0)),
            ("bmi_employee_rate", V::Number(0.02)),
            ("average_wage", V::Number(100_000.0)),
            ("bmi_inpatient_deductible_employee", V::Number(1_500.0)),
            ("bmi_inpatient_rate_employee", V::Number(0.85)),
        ]);
        let p = rule_params(&changes);
        let rules = rules_for(&p, 2024, true);
        let mut pop = household(
            Residence::Urban,
            vec![
                PersonRow {
                    dibao_last_year: true,
                    ..Default::default()
                },
                PersonRow::default(),
                PersonRow {
                    employment: Employment::Employee,
                    earnings: 60_000.0,
                    ..Default::default()
                },
            ],
        );
        let ((), out, acc) = with_household(&mut pop, &rules, "medical_insurance", |hh| {
            hh.out.work.employee_contributor[2] = true;
            hh.out.work.inpatient_cost[2] = 10_000.0;
            premiums(hh).unwrap();
            reimburse(hh).unwrap();
        });
        assert_eq!(
            out.column("medical_premium_own").unwrap(),
            [175.0, 350.0, 1_200.0]
        );
        assert_eq!(out.work.premium_paid_by_assistance, [175.0, 0.0, 0.0]);
        assert_eq!(
            out.column("medical_insurance_reimbursement").unwrap()[2],
            7_225.0
        );
        let resident = acc.fund("resident_medical_fund").unwrap();
        assert_eq!(resident.contributions.value(), 700.0 + 1_220.0);
        let employee = acc.fund("employee_medical_fund").unwrap();
        assert_eq!(
            (employee.contributions.value(), employee.benefits.value()),
            (1_200.0, 7_225.0)
        );
        assert_eq!(
            acc.line("medical_insurance")
                .unwrap()
                .paid(Payer::Government),
            1_220.0
        );
    }
}
