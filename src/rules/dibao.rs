//! Dibao (最低生活保障), the minimum livelihood guarantee, with the one-time living subsidy
//! (一次性生活补贴) and the low-income margin (低保边缘): spec 4.1, 4.2 and 10. Pure: no I/O; the
//! targeting draw is passed in.

use crate::params::{DefaultValue, Indexation, ParamDef, ParamKind, ResolvedParams};

const SHARE: ParamKind = ParamKind::Number { min: 0.0, max: 1.0 };

/// Parameters of dibao and the margin.
pub const PARAMS: &[ParamDef] = &[
    ParamDef {
        name: "dibao_standard",
        kind: ParamKind::Money,
        default: DefaultValue::Number(0.0),
        default_index: Indexation::None,
        doc: "Dibao standard per person, yuan/year; 0 switches dibao and te-kun off (spec 4.1)",
    },
    ParamDef {
        name: "dibao_min_benefit",
        kind: ParamKind::Money,
        default: DefaultValue::Number(0.0),
        default_index: Indexation::None,
        doc: "Floor on the gap benefit per member, yuan/year (spec 4.1)",
    },
    ParamDef {
        name: "dibao_grades",
        kind: ParamKind::Bands,
        default: DefaultValue::Pairs(&[]),
        default_index: Indexation::None,
        doc: "Graded dibao (分档): [[upper, share], ...] on I / standard; empty = gap benefit (spec 4.1)",
    },
    ParamDef {
        name: "expense_deduction",
        kind: ParamKind::Flag,
        default: DefaultValue::Flag(false),
        default_index: Indexation::None,
        doc: "Deduct out-of-pocket care cost per capita in the means test (支出型) (spec 4.1)",
    },
    ParamDef {
        name: "take_up_rate",
        kind: SHARE,
        default: DefaultValue::Number(1.0),
        default_index: Indexation::None,
        doc: "Probability that an eligible household receives dibao (1 - exclusion error, 漏保) (spec 4.1)",
    },
    ParamDef {
        name: "inclusion_margin",
        kind: ParamKind::Number {
            min: 1.0,
            max: 10.0,
        },
        default: DefaultValue::Number(1.0),
        default_index: Indexation::None,
        doc: "Ineligible households with I below this multiple of the standard may be included in error (spec 4.1)",
    },
    ParamDef {
        name: "inclusion_error_rate",
        kind: SHARE,
        default: DefaultValue::Number(0.0),
        default_index: Indexation::None,
        doc: "Probability that such a household receives dibao (错保) (spec 4.1)",
    },
    ParamDef {
        name: "inclusion_benefit_share",
        kind: SHARE,
        default: DefaultValue::Number(0.0),
        default_index: Indexation::None,
        doc: "Benefit per member of a household included in error, share of the standard (spec 4.1)",
    },
    ParamDef {
        name: "one_time_subsidy",
        kind: ParamKind::Money,
        default: DefaultValue::Number(0.0),
        default_index: Indexation::None,
        doc: "One-time living subsidy per dibao-household member and te-kun person, yuan/year (spec 4.1)",
    },
    ParamDef {
        name: "margin_multiple",
        kind: ParamKind::Number {
            min: 1.0,
            max: 10.0,
        },
        default: DefaultValue::Number(1.5),
        default_index: Indexation::None,
        doc: "Low-income margin (低保边缘) upper bound, multiple of the dibao standard (spec 4.2)",
    },
];

/// Dibao parameters for one year, region and residence.
#[derive(Debug, Clone, PartialEq)]
pub struct DibaoParams {
    /// Standard per person, yuan/year; 0 = off.
    pub standard_yearly: f64,
    /// Floor on the gap benefit per member, yuan/year.
    pub min_benefit_yearly: f64,
    /// Graded bands `(upper ratio, share of standard)`, increasing; empty = gap formula.
    pub grades: Vec<(f64, f64)>,
    /// Deduct out-of-pocket care cost in the means test.
    pub expense_deduction: bool,
    /// Take-up probability of eligible households.
    pub take_up_rate: f64,
    /// Inclusion-error band, multiple of the standard.
    pub inclusion_margin: f64,
    /// Inclusion-error probability.
    pub inclusion_error_rate: f64,
    /// Benefit per member of a household included in error, share of the standard.
    pub inclusion_benefit_share: f64,
    /// One-time living subsidy per person, yuan/year.
    pub one_time_subsidy_yearly: f64,
    /// Margin upper bound, multiple of the standard.
    pub margin_multiple: f64,
}

impl DibaoParams {
    /// Reads the parameters; grade bands must have increasing upper bounds.
    pub fn from_resolved(p: &ResolvedParams) -> Result<Self, String> {
        let grades = p.pairs("dibao_grades").to_vec();
        if grades.windows(2).any(|w| w[1].0 <= w[0].0) {
            return Err(
                "`dibao_grades`: upper bounds must increase from one band to the next".into(),
            );
        }
        Ok(DibaoParams {
            standard_yearly: p.number("dibao_standard"),
            min_benefit_yearly: p.number("dibao_min_benefit"),
            grades,
            expense_deduction: p.flag("expense_deduction"),
            take_up_rate: p.number("take_up_rate"),
            inclusion_margin: p.number("inclusion_margin"),
            inclusion_error_rate: p.number("inclusion_error_rate"),
            inclusion_benefit_share: p.number("inclusion_benefit_share"),
            one_time_subsidy_yearly: p.number("one_time_subsidy"),
            margin_multiple: p.number("margin_multiple"),
        })
    }

    /// True when the program runs (standard > 0).
    pub fn is_on(&self) -> bool {
        self.standard_yearly > 0.0
    }
}

/// Means-tested income per capita I, yuan/year: (M + P + T - C) / size, minus out-of-pocket care
/// cost per capita when `expense_deduction` is on. Arguments are household totals.
pub fn means_tested_income_pc(
    p: &DibaoParams,
    income_before_assistance: f64,
    out_of_pocket_care: f64,
    size: usize,
) -> f64 {
    let deduction = if p.expense_deduction {
        out_of_pocket_care
    } else {
        0.0
    };
    (income_before_assistance - deduction) / size as f64
}

/// Entitlement per member of an eligible household (I < standard), yuan/year: the graded share
/// when a band's upper exceeds I / standard, else the gap (补差) min(standard, max(standard - I,
/// min benefit)); 0 when not eligible or the program is off.
pub fn benefit_per_member_yearly(p: &DibaoParams, income_pc: f64) -> f64 {
    if !p.is_on() || income_pc >= p.standard_yearly {
        return 0.0;
    }
    let ratio = income_pc / p.standard_yearly;
    match p.grades.iter().find(|(upper, _)| *upper > ratio) {
        Some(&(_, share)) => share * p.standard_yearly,
        None => (p.standard_yearly - income_pc)
            .max(p.min_benefit_yearly)
            .min(p.standard_yearly),
    }
}

/// Targeting (spec 4.1): the per-member benefit a household receives given the household-year
/// draw `u` in [0, 1), or `None` when it is not on dibao. Eligible households take up with
/// `take_up_rate`; ineligible ones below `inclusion_margin` x standard are included with
/// `inclusion_error_rate` and get `inclusion_benefit_share` x standard.
pub fn receives(p: &DibaoParams, income_pc: f64, u: f64) -> Option<f64> {
    if !p.is_on() {
        None
    } else if income_pc < p.standard_yearly {
        (u < p.take_up_rate).then(|| benefit_per_member_yearly(p, income_pc))
    } else if income_pc < p.inclusion_margin * p.standard_yearly {
        (u < p.inclusion_error_rate).then_some(p.inclusion_benefit_share * p.standard_yearly)
    } else {
        None
    }
}

/// Low-income margin (spec 4.2): not on dibao and standard <= I < margin_multiple x standard.
pub fn is_margin(p: &DibaoParams, income_pc: f64, on_dibao: bool) -> bool {
    p.is_on()
        && !on_dibao
        && income_pc >= p.standard_yearly
        && income_pc < p.margin_multiple * p.standard_yearly
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(standard: f64) -> DibaoParams {
        let mut p = DibaoParams::from_resolved(&ResolvedParams::defaults()).unwrap();
        p.standard_yearly = standard;
        p
    }

    /// Conformance "dibao-gap-rural-family": I = 18000 / 3 = 6000 < 11000, 5000 per member.
    #[test]
    fn gap_is_standard_minus_income() {
        let p = params(11_000.0);
        let i = means_tested_income_pc(&p, 18_000.0, 0.0, 3);
        assert_eq!(i, 6_000.0);
        assert_eq!(benefit_per_member_yearly(&p, i), 5_000.0);
        // Conformance "dibao-not-eligible": I = 15000 >= 11000. Strict: I = standard is out.
        assert_eq!(benefit_per_member_yearly(&p, 15_000.0), 0.0);
        assert_eq!(benefit_per_member_yearly(&p, 11_000.0), 0.0);
    }

    /// Min benefit 1200: a gap of 500 pays 1200; never more than the standard (I negative).
    #[test]
    fn min_benefit_and_cap_at_standard() {
        let mut p = params(11_000.0);
        p.min_benefit_yearly = 1_200.0;
        assert_eq!(benefit_per_member_yearly(&p, 10_500.0), 1_200.0);
        assert_eq!(benefit_per_member_yearly(&p, -5_000.0), 11_000.0);
    }

    /// Kashgar-style bands [[0.5, 1.0], [0.8, 0.5]] on 10000: ratio 0.3 -> 10000, 0.6 -> 5000,
    /// 0.9 is above every band -> gap 1000.
    #[test]
    fn graded_dibao() {
        let mut p = params(10_000.0);
        p.grades = vec![(0.5, 1.0), (0.8, 0.5)];
        assert_eq!(benefit_per_member_yearly(&p, 3_000.0), 10_000.0);
        assert_eq!(benefit_per_member_yearly(&p, 6_000.0), 5_000.0);
        assert_eq!(benefit_per_member_yearly(&p, 9_000.0), 1_000.0);
    }

    /// Expense deduction: income 30000, care out of pocket 12000, 2 members: I = 9000, not 15000.
    #[test]
    fn expense_deduction_lowers_income() {
        let mut p = params(11_000.0);
        assert_eq!(means_tested_income_pc(&p, 30_000.0, 12_000.0, 2), 15_000.0);
        p.expense_deduction = true;
        assert_eq!(means_tested_income_pc(&p, 30_000.0, 12_000.0, 2), 9_000.0);
    }

    /// Take-up 0.8: u = 0.5 receives, 0.9 does not; inclusion error 0.1 within 1.2 x standard
    /// pays 0.3 x 10000 = 3000.
    #[test]
    fn targeting_errors() {
        let mut p = params(10_000.0);
        p.take_up_rate = 0.8;
        p.inclusion_margin = 1.2;
        p.inclusion_error_rate = 0.1;
        p.inclusion_benefit_share = 0.3;
        assert_eq!(receives(&p, 6_000.0, 0.5), Some(4_000.0));
        assert_eq!(receives(&p, 6_000.0, 0.9), None);
        assert_eq!(receives(&p, 11_000.0, 0.05), Some(3_000.0));
        assert_eq!(receives(&p, 11_000.0, 0.5), None);
        assert_eq!(receives(&p, 12_000.0, 0.0), None);
        assert_eq!(receives(&params(0.0), -1.0, 0.0), None);
    }

    /// Margin 1.5 x 10000: I in [10000, 15000) and not on dibao.
    #[test]
    fn margin_band() {
        let p = params(10_000.0);
        assert!(is_margin(&p, 10_000.0, false));
        assert!(is_margin(&p, 14_999.0, false));
        assert!(!is_margin(&p, 15_000.0, false));
        assert!(!is_margin(&p, 9_999.0, false));
        assert!(!is_margin(&p, 12_000.0, true));
    }
}
