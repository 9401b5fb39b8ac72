//! Long-term-care insurance (长期护理保险) and the care subsidy (护理补贴): coverage, premiums,
//! care cost by disability grade, reimbursement, and the LTC fund: spec 5. Pure: no I/O; the
//! coverage draw comes from the year's keyed streams.

use super::household::Household;
use super::program::{FundDef, LineDef, OutcomeDef, ProgramDef, Role, Slot, Step, StepResult};
use crate::income::Concept;
use crate::params::{
    ByGrade, DefaultValue, ParamDef, ParamError, ParamKind, ResolvedParams, YUAN_PER_YEAR,
};
use crate::rng::Purpose;
use crate::rules::fiscal::Payer;

const SPEC: &str = "rules.md 5";

/// Age from which the insured pay premiums (spec 5: "insured adults (18+)").
pub const PREMIUM_AGE: u8 = 18;

const BY_GRADE: ParamKind = ParamKind::MoneyByGrade;

/// Parameters of long-term-care insurance and the care subsidy.
pub const PARAMS: &[ParamDef] = &[
    ParamDef::flag(
        "ltc_enabled",
        false,
        SPEC,
        "Long-term-care insurance runs here",
    ),
    ParamDef::share(
        "ltc_coverage",
        1.0,
        SPEC,
        "Probability that a person is insured, drawn once per person",
    ),
    ParamDef::money(
        "ltc_premium_individual",
        SPEC,
        "Individual premium per insured adult (18+), in C",
    ),
    ParamDef::money(
        "ltc_premium_employer",
        SPEC,
        "Employer premium per insured adult, fund income",
    ),
    ParamDef::money(
        "ltc_premium_government",
        SPEC,
        "Government premium per insured adult, fiscal",
    ),
    ParamDef::new(
        "ltc_care_cost",
        BY_GRADE,
        YUAN_PER_YEAR,
        DefaultValue::Table(&[]),
        SPEC,
        "Care cost by disability grade; empty = not modelled",
    )
    .renamed_from(&["care_cost"]),
    ParamDef::number(
        "ltc_min_grade",
        (1.0, 3.0),
        "disability grade",
        1.0,
        SPEC,
        "Lowest disability grade with an LTC benefit",
    ),
    ParamDef::share(
        "ltc_reimbursement_rate",
        0.0,
        SPEC,
        "Share of the care cost LTC reimburses, before the cap",
    ),
    ParamDef::new(
        "ltc_cap",
        BY_GRADE,
        YUAN_PER_YEAR,
        DefaultValue::Table(&[]),
        SPEC,
        "Cap on the reimbursement by grade",
    ),
    ParamDef::flag(
        "ltc_cash_benefit",
        false,
        SPEC,
        "Pay the reimbursement as cash in T instead of in kind",
    ),
    ParamDef::new(
        "care_subsidy",
        BY_GRADE,
        YUAN_PER_YEAR,
        DefaultValue::Table(&[]),
        SPEC,
        "Care subsidy (护理补贴) by grade for the uninsured disabled of dibao, te-kun or margin households",
    ),
    ParamDef::share(
        "ltc_deficit_fiscal_share",
        1.0,
        SPEC,
        "Share of an LTC-fund deficit (benefits over all premiums) the government covers",
    ),
];

/// Long-term-care insurance and the care subsidy as the year runs them.
pub const PROGRAM: ProgramDef = ProgramDef {
    name: "ltc",
    chinese: "长期护理保险",
    spec: SPEC,
    params: PARAMS,
    steps: &[Step {
        slot: Slot::LongTermCare,
        name: "long-term care",
        run: care,
    }],
    outcomes: &[
        OutcomeDef {
            column: "care_subsidy",
            role: Role::Income(Concept::OtherTransfers),
            doc: "Care subsidy (护理补贴), cash",
        },
        OutcomeDef {
            column: "ltc_reimbursement",
            role: Role::InKind,
            doc: "LTC reimbursement of care cost (in kind; cash in T under `ltc_cash_benefit`)",
        },
        OutcomeDef {
            column: "care_cost",
            role: Role::Cost,
            doc: "Care cost of the person's disability grade",
        },
    ],
    lines: &[LineDef {
        name: "ltc",
        chinese: "长期护理保险",
    }],
    funds: &[FundDef {
        name: "ltc_fund",
        deficit_line: LINE,
        deficit_share_key: "ltc_deficit_fiscal_share",
        deficit_share: |p| p.ltc.deficit_fiscal_share,
    }],
    scenario_lines: false,
};

const CARE_SUBSIDY: usize = 0;
const REIMBURSEMENT: usize = 1;
const CARE_COST: usize = 2;
const LINE: usize = 0;
const FUND: usize = 0;

/// LTC parameters for one year, region and residence.
#[derive(Debug, Clone, PartialEq)]
pub struct LtcParams {
    /// Insurance runs here.
    pub enabled: bool,
    /// Coverage probability.
    pub coverage: f64,
    /// Individual premium, yuan/year.
    pub premium_individual_yearly: f64,
    /// Employer premium, yuan/year.
    pub premium_employer_yearly: f64,
    /// Government premium, yuan/year.
    pub premium_government_yearly: f64,
    /// Care cost by grade, yuan/year.
    pub care_cost_yearly: ByGrade,
    /// Lowest grade with a benefit.
    pub min_grade: u8,
    /// Reimbursement rate.
    pub reimbursement_rate: f64,
    /// Reimbursement cap by grade, yuan/year.
    pub cap_yearly: ByGrade,
    /// Reimbursement paid in cash.
    pub cash_benefit: bool,
    /// Care subsidy by grade, yuan/year.
    pub care_subsidy_yearly: ByGrade,
    /// Government share of a fund deficit.
    pub deficit_fiscal_share: f64,
    /// The care subsidy only for members with local hukou, when asked (rules.md 13).
    pub hukou: super::hukou::HukouRule,
}

impl super::CheckDemand for LtcParams {
    /// Care cost (when given, or when LTC runs) and the care subsidy (when given) for every grade
    /// that occurs; the cap for every grade from `ltc_min_grade` that occurs, when LTC runs.
    fn check(&self, demand: &super::Demand) -> Result<(), ParamError> {
        let tables = [
            (&self.care_cost_yearly, 1, true),
            (
                &self.care_subsidy_yearly,
                1,
                !self.care_subsidy_yearly.is_empty(),
            ),
            (&self.cap_yearly, self.min_grade, self.enabled),
        ];
        for (table, lowest, asked) in tables {
            let asked = asked && (self.enabled || !table.is_empty());
            if !asked {
                continue;
            }
            if let Some(g) = demand.grades_from(lowest).find(|&g| table.get(g).is_err()) {
                return Err(ParamError::new(
                    table.key,
                    format!(
                        "`{}` gives no value for disability grade {g}, which persons of the run may have; give every grade from {} to 3",
                        table.key,
                        lowest.max(1)
                    ),
                ));
            }
        }
        Ok(())
    }
}

impl LtcParams {
    /// Reads the parameters; when insurance runs, `care_cost` and `ltc_cap` must be given.
    pub fn from_resolved(p: &ResolvedParams) -> Result<Self, ParamError> {
        let params = LtcParams {
            enabled: p.flag("ltc_enabled"),
            coverage: p.number("ltc_coverage"),
            premium_individual_yearly: p.number("ltc_premium_individual"),
            premium_employer_yearly: p.number("ltc_premium_employer"),
            premium_government_yearly: p.number("ltc_premium_government"),
            care_cost_yearly: ByGrade::from_resolved(p, "ltc_care_cost")?,
            min_grade: p.number("ltc_min_grade").ceil() as u8,
            reimbursement_rate: p.number("ltc_reimbursement_rate"),
            cap_yearly: ByGrade::from_resolved(p, "ltc_cap")?,
            cash_benefit: p.flag("ltc_cash_benefit"),
            care_subsidy_yearly: ByGrade::from_resolved(p, "care_subsidy")?,
            deficit_fiscal_share: p.number("ltc_deficit_fiscal_share"),
            hukou: super::hukou::HukouRule::from_resolved(p)?,
        };
        if params.enabled {
            for table in [&params.care_cost_yearly, &params.cap_yearly] {
                if table.is_empty() {
                    return Err(ParamError::new(
                        table.key,
                        format!(
                            "`{}` is empty while `ltc_enabled` is true; give a value for every grade from `ltc_min_grade` to 3",
                            table.key
                        ),
                    ));
                }
            }
        }
        Ok(params)
    }
}

/// LTC premiums of one insured adult, yuan/year.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Premiums {
    /// Individual part the person pays (in C).
    pub individual_own: f64,
    /// Individual part the government pays for last year's dibao or te-kun people (fiscal).
    pub individual_government: f64,
    /// Employer part (fund income).
    pub employer: f64,
    /// Government part (fiscal).
    pub government: f64,
}

impl Premiums {
    /// All premiums into the fund.
    pub fn total(&self) -> f64 {
        self.individual_own + self.individual_government + self.employer + self.government
    }
}

/// Premiums of a person: none unless insured and 18+; the individual part is paid by government
/// for people with dibao or te-kun status last year.
pub fn premiums(p: &LtcParams, insured: bool, age: u8, dibao_or_tekun_last_year: bool) -> Premiums {
    if !insured || age < PREMIUM_AGE {
        return Premiums::default();
    }
    let (own, paid) = if dibao_or_tekun_last_year {
        (0.0, p.premium_individual_yearly)
    } else {
        (p.premium_individual_yearly, 0.0)
    };
    Premiums {
        individual_own: own,
        individual_government: paid,
        employer: p.premium_employer_yearly,
        government: p.premium_government_yearly,
    }
}

/// Care cost of a grade, yuan/year (0 for grade 0).
pub fn care_cost_yearly(p: &LtcParams, grade: u8) -> Result<f64, String> {
    if grade == 0 {
        return Ok(0.0);
    }
    p.care_cost_yearly.get(grade)
}

/// Reimbursement, yuan/year: min(rate x care cost, cap[grade]) for the insured at or above the
/// minimum grade, else 0.
pub fn reimbursement_yearly(
    p: &LtcParams,
    insured: bool,
    grade: u8,
    care_cost: f64,
) -> Result<f64, String> {
    if !insured || grade == 0 || grade < p.min_grade {
        return Ok(0.0);
    }
    Ok((p.reimbursement_rate * care_cost).min(p.cap_yearly.get(grade)?))
}

/// Care subsidy, yuan/year: uninsured people with grade >= 1 in households with dibao, te-kun or
/// margin status last year.
pub fn care_subsidy_yearly(
    p: &LtcParams,
    insured: bool,
    grade: u8,
    household_poor_last_year: bool,
) -> Result<f64, String> {
    if insured || grade == 0 || !household_poor_last_year {
        return Ok(0.0);
    }
    p.care_subsidy_yearly.get(grade)
}

/// Step 4 (spec 5): coverage, premiums (the individual part of last year's dibao and te-kun
/// people paid by government), care cost, reimbursement of the insured (in kind, or cash in T),
/// the care subsidy of the uninsured poor, and the fund's flows.
fn care(hh: &mut Household<'_>) -> StepResult {
    let lp = &hh.params.ltc;
    let w = hh.weight;
    let low_income_last_year = hh.status_last_year.low_income();
    for i in hh.members.clone() {
        let p = &*hh.persons;
        let (pid, grade) = (p.person_id[i], p.disability_grade[i]);
        let err = |m: String| format!("person {pid}: {m}");
        let insured = lp.enabled && hh.uniform(pid, 0, Purpose::LtcCoverage) < lp.coverage;
        let premiums = premiums(
            lp,
            insured,
            p.age[i],
            p.dibao_last_year[i] || p.tekun_last_year[i],
        );
        let care_cost = care_cost_yearly(lp, grade).map_err(err)?;
        let reimbursement = reimbursement_yearly(lp, insured, grade, care_cost).map_err(err)?;
        let care_subsidy = if lp.hukou.eligible(p.local_hukou[i]) {
            care_subsidy_yearly(lp, insured, grade, low_income_last_year).map_err(err)?
        } else {
            0.0
        };
        hh.book_income(i, Concept::Contributions, premiums.individual_own);
        hh.pay(i, CARE_SUBSIDY, care_subsidy);
        hh.pay(i, REIMBURSEMENT, reimbursement);
        hh.pay(i, CARE_COST, care_cost);
        hh.out.work.parts[i].out_of_pocket_care = if lp.cash_benefit {
            hh.book_income(i, Concept::OtherTransfers, reimbursement);
            care_cost
        } else {
            care_cost - reimbursement
        };
        let line = hh.line(LINE);
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
            hh.count_household(LINE);
        }
        let fund = hh.fund(FUND);
        fund.contributions += w * premiums.total();
        fund.benefits += w * reimbursement;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ParamValue as V;
    use crate::rules::Outcomes;
    use crate::rules::year::testkit::*;

    fn params() -> LtcParams {
        let mut p = LtcParams::from_resolved(&ResolvedParams::defaults()).unwrap();
        p.enabled = true;
        p.premium_individual_yearly = 30.0;
        p.premium_government_yearly = 60.0;
        p.care_cost_yearly.values[3] = Some(36_000.0);
        p.reimbursement_rate = 0.7;
        p.cap_yearly.values[3] = Some(24_000.0);
        p.min_grade = 2;
        p
    }

    /// Conformance "ltc-severe-capped": 70% of 36000 = 25200 is over the cap 24000.
    #[test]
    fn reimbursement_is_capped() {
        let p = params();
        let cost = care_cost_yearly(&p, 3).unwrap();
        assert_eq!(cost, 36_000.0);
        assert_eq!(reimbursement_yearly(&p, true, 3, cost), Ok(24_000.0));
        assert_eq!(reimbursement_yearly(&p, false, 3, cost), Ok(0.0));
        // Below the minimum grade: no benefit, and the missing grade-1 cap is never asked.
        assert_eq!(reimbursement_yearly(&p, true, 1, 5_000.0), Ok(0.0));
        // Grade 2 is benefit-eligible but the tables lack it: an error naming the key.
        assert!(
            care_cost_yearly(&p, 2)
                .unwrap_err()
                .contains("ltc_care_cost")
        );
    }

    #[test]
    fn premiums_by_payer() {
        let p = params();
        let own = premiums(&p, true, 40, false);
        assert_eq!(
            (own.individual_own, own.government, own.total()),
            (30.0, 60.0, 90.0)
        );
        let poor = premiums(&p, true, 40, true);
        assert_eq!(
            (poor.individual_own, poor.individual_government),
            (0.0, 30.0)
        );
        assert_eq!(premiums(&p, true, 17, false), Premiums::default());
        assert_eq!(premiums(&p, false, 40, false), Premiums::default());
    }

    #[test]
    fn care_subsidy_for_uninsured_poor() {
        let mut p = params();
        p.care_subsidy_yearly.values = [None, Some(600.0), Some(1_200.0), Some(2_400.0)];
        assert_eq!(care_subsidy_yearly(&p, false, 2, true), Ok(1_200.0));
        assert_eq!(care_subsidy_yearly(&p, true, 2, true), Ok(0.0));
        assert_eq!(care_subsidy_yearly(&p, false, 2, false), Ok(0.0));
        assert_eq!(care_subsidy_yearly(&p, false, 0, true), Ok(0.0));
    }

    #[test]
    fn enabled_without_tables_names_the_key() {
        let mut r = ResolvedParams::defaults();
        r.set("ltc_enabled", crate::params::ParamValue::Flag(true));
        let err = LtcParams::from_resolved(&r).unwrap_err();
        assert_eq!(err.key, "ltc_care_cost");
    }

    fn severe(cash: bool) -> (Outcomes, crate::rules::FiscalAccounts) {
        let p = rule_params(&[
            ("ltc_enabled", V::Flag(true)),
            ("ltc_coverage", V::Number(1.0)),
            ("ltc_premium_individual", V::Number(30.0)),
            ("ltc_premium_government", V::Number(60.0)),
            ("ltc_care_cost", V::Table(vec![(3, 36_000.0)])),
            ("ltc_reimbursement_rate", V::Number(0.7)),
            ("ltc_cap", V::Table(vec![(3, 24_000.0)])),
            ("ltc_min_grade", V::Number(2.0)),
            ("ltc_cash_benefit", V::Flag(cash)),
        ]);
        let rules = rules_for(&p, 2024, true);
        let mut pop = household(
            Residence::Urban,
            vec![PersonRow {
                disability_grade: 3,
                earnings: 40_000.0,
                ..Default::default()
            }],
        );
        let ((), out, acc) = with_household(&mut pop, &rules, "ltc", |hh| care(hh).unwrap());
        (out, acc)
    }

    /// Conformance "ltc-severe-capped" through the step: in kind, 24000 reimbursed, 12000 left to
    /// pay, premium 30 in C; fiscal 60, fund 90 in and 24000 out. In cash, the 24000 is T and the
    /// whole 36000 is the household's to pay.
    #[test]
    fn care_in_kind_or_in_cash() {
        let (out, acc) = severe(false);
        assert_eq!(out.column("ltc_reimbursement").unwrap(), [24_000.0]);
        assert_eq!(out.column("care_cost").unwrap(), [36_000.0]);
        let parts = out.work.parts[0];
        assert_eq!(
            (parts.contributions, parts.out_of_pocket_care),
            (30.0, 12_000.0)
        );
        assert_eq!(parts.other_transfers, 0.0);
        assert_eq!(acc.line("ltc").unwrap().paid(Payer::Government), 60.0);
        let fund = acc.fund("ltc_fund").unwrap();
        assert_eq!(
            (fund.contributions.value(), fund.benefits.value()),
            (90.0, 24_000.0)
        );
        let (out, _) = severe(true);
        let parts = out.work.parts[0];
        assert_eq!(
            (parts.other_transfers, parts.out_of_pocket_care),
            (24_000.0, 36_000.0)
        );
    }
}
