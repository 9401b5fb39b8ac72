//! Long-term-care insurance (长期护理保险) and the care subsidy (护理补贴): spec 5. Pure: no I/O;
//! the coverage draw is passed in.

use super::ByGrade;
use crate::params::{DefaultValue, Indexation, ParamDef, ParamKind, ResolvedParams};

const SHARE: ParamKind = ParamKind::Number { min: 0.0, max: 1.0 };

/// Parameters of long-term-care insurance and the care subsidy.
pub const PARAMS: &[ParamDef] = &[
    ParamDef {
        name: "ltc_enabled",
        kind: ParamKind::Flag,
        default: DefaultValue::Flag(false),
        default_index: Indexation::None,
        doc: "Long-term-care insurance runs here (spec 5)",
    },
    ParamDef {
        name: "ltc_coverage",
        kind: SHARE,
        default: DefaultValue::Number(1.0),
        default_index: Indexation::None,
        doc: "Probability that a person is insured, drawn once per person (spec 5)",
    },
    ParamDef {
        name: "ltc_premium_individual",
        kind: ParamKind::Money,
        default: DefaultValue::Number(0.0),
        default_index: Indexation::None,
        doc: "Individual LTC premium of insured adults (18+), yuan/year, in C (spec 5)",
    },
    ParamDef {
        name: "ltc_premium_employer",
        kind: ParamKind::Money,
        default: DefaultValue::Number(0.0),
        default_index: Indexation::None,
        doc: "Employer LTC premium per insured adult, yuan/year, fund income (spec 5)",
    },
    ParamDef {
        name: "ltc_premium_government",
        kind: ParamKind::Money,
        default: DefaultValue::Number(0.0),
        default_index: Indexation::None,
        doc: "Government LTC premium per insured adult, yuan/year, fiscal (spec 5)",
    },
    ParamDef {
        name: "care_cost",
        kind: ParamKind::MoneyByGrade,
        default: DefaultValue::Table(&[]),
        default_index: Indexation::None,
        doc: "Care cost by disability grade, yuan/year; empty = not modelled (spec 5)",
    },
    ParamDef {
        name: "ltc_min_grade",
        kind: ParamKind::Number { min: 1.0, max: 3.0 },
        default: DefaultValue::Number(1.0),
        default_index: Indexation::None,
        doc: "Lowest disability grade with an LTC benefit (spec 5)",
    },
    ParamDef {
        name: "ltc_reimbursement_rate",
        kind: SHARE,
        default: DefaultValue::Number(0.0),
        default_index: Indexation::None,
        doc: "Share of the care cost LTC reimburses, before the cap (spec 5)",
    },
    ParamDef {
        name: "ltc_cap",
        kind: ParamKind::MoneyByGrade,
        default: DefaultValue::Table(&[]),
        default_index: Indexation::None,
        doc: "Cap on the LTC reimbursement by grade, yuan/year (spec 5)",
    },
    ParamDef {
        name: "ltc_cash_benefit",
        kind: ParamKind::Flag,
        default: DefaultValue::Flag(false),
        default_index: Indexation::None,
        doc: "Pay the reimbursement as cash in T instead of in kind (spec 5)",
    },
    ParamDef {
        name: "care_subsidy",
        kind: ParamKind::MoneyByGrade,
        default: DefaultValue::Table(&[]),
        default_index: Indexation::None,
        doc: "Care subsidy by grade for the uninsured in dibao, te-kun or margin households, yuan/year (spec 5)",
    },
    ParamDef {
        name: "ltc_deficit_fiscal_share",
        kind: SHARE,
        default: DefaultValue::Number(1.0),
        default_index: Indexation::None,
        doc: "Share of the LTC fund deficit (benefits over premiums) the government covers (spec 5)",
    },
];

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
}

impl LtcParams {
    /// Reads the parameters; when insurance runs, `care_cost` and `ltc_cap` must be given.
    pub fn from_resolved(p: &ResolvedParams) -> Result<Self, String> {
        let params = LtcParams {
            enabled: p.flag("ltc_enabled"),
            coverage: p.number("ltc_coverage"),
            premium_individual_yearly: p.number("ltc_premium_individual"),
            premium_employer_yearly: p.number("ltc_premium_employer"),
            premium_government_yearly: p.number("ltc_premium_government"),
            care_cost_yearly: ByGrade::from_resolved(p, "care_cost")?,
            min_grade: p.number("ltc_min_grade").ceil() as u8,
            reimbursement_rate: p.number("ltc_reimbursement_rate"),
            cap_yearly: ByGrade::from_resolved(p, "ltc_cap")?,
            cash_benefit: p.flag("ltc_cash_benefit"),
            care_subsidy_yearly: ByGrade::from_resolved(p, "care_subsidy")?,
            deficit_fiscal_share: p.number("ltc_deficit_fiscal_share"),
        };
        if params.enabled {
            for table in [&params.care_cost_yearly, &params.cap_yearly] {
                if table.is_empty() {
                    return Err(format!(
                        "`{}` is empty while `ltc_enabled` is true; give a value for every grade from `ltc_min_grade` to 3",
                        table.key
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
    if !insured || age < 18 {
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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(care_cost_yearly(&p, 2).unwrap_err().contains("care_cost"));
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
        assert!(err.contains("`care_cost`"), "{err}");
    }
}
