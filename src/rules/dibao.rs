//! Dibao (最低生活保障), the minimum livelihood guarantee, and the low-income margin (低保边缘):
//! the means test, eligibility, targeting errors, the benefit and the statuses other rules look at
//! next year: spec 4.1, 4.2 and 10. Pure: no I/O; the targeting draw comes from the year's keyed
//! streams.

use super::household::Household;
use super::program::{LineDef, OutcomeDef, ProgramDef, Role, Slot, Step, StepResult};
use crate::income::Concept;
use crate::params::{DefaultValue, ParamDef, ParamError, ParamKind, ResolvedParams, SHARE};
use crate::population::AssistanceStatus;
use crate::rng::Purpose;
use crate::rules::fiscal::Payer;

const SPEC: &str = "rules.md 4.1";

/// Parameters of dibao and the margin.
pub const PARAMS: &[ParamDef] = &[
    ParamDef::money(
        "dibao_standard",
        SPEC,
        "Dibao standard per person; 0 switches dibao and te-kun off",
    ),
    ParamDef::money(
        "dibao_min_benefit",
        SPEC,
        "Floor on the gap benefit per member",
    ),
    ParamDef::new(
        "dibao_grades",
        ParamKind::Bands,
        "[[upper ratio to the standard, share of the standard], ...]",
        DefaultValue::Pairs(&[]),
        SPEC,
        "Graded dibao (分档) on I / standard; empty = gap benefit",
    ),
    ParamDef::flag(
        "dibao_expense_deduction",
        false,
        SPEC,
        "Deduct out-of-pocket care cost per capita in the means test (支出型)",
    )
    .renamed_from(&["expense_deduction"]),
    ParamDef::share(
        "dibao_take_up_rate",
        1.0,
        SPEC,
        "Probability that an eligible household receives dibao (1 - exclusion error, 漏保)",
    )
    .renamed_from(&["take_up_rate"]),
    ParamDef::number(
        "dibao_inclusion_margin",
        (1.0, 10.0),
        "multiple of the dibao standard",
        1.0,
        SPEC,
        "Ineligible households with I below this multiple of the standard may be included in error",
    )
    .renamed_from(&["inclusion_margin"]),
    ParamDef::share(
        "dibao_inclusion_error_rate",
        0.0,
        SPEC,
        "Probability that such a household receives dibao (错保)",
    )
    .renamed_from(&["inclusion_error_rate"]),
    ParamDef::new(
        "dibao_inclusion_benefit_share",
        ParamKind::Number { min: 0.0, max: 1.0 },
        SHARE,
        DefaultValue::Number(0.0),
        SPEC,
        "Benefit per member of a household included in error, share of the standard",
    )
    .renamed_from(&["inclusion_benefit_share"]),
    ParamDef::number(
        "low_income_margin_multiple",
        (1.0, 10.0),
        "multiple of the dibao standard",
        1.5,
        "rules.md 4.2",
        "Low-income margin (低保边缘) upper bound",
    )
    .renamed_from(&["margin_multiple"]),
];

/// Dibao and the margin as the year runs them.
pub const PROGRAM: ProgramDef = ProgramDef {
    name: "dibao",
    chinese: "最低生活保障",
    spec: "rules.md 4.1, 4.2, 10",
    params: PARAMS,
    steps: &[
        Step {
            slot: Slot::Dibao,
            name: "dibao and the low-income margin",
            run: assign,
        },
        Step {
            slot: Slot::YearEnd,
            name: "dibao and margin status",
            run: carry_status,
        },
    ],
    outcomes: &[OutcomeDef {
        column: "dibao",
        role: Role::Income(Concept::Assistance),
        doc: "Dibao, the member's share of the household amount",
    }],
    lines: &[LineDef {
        name: "dibao",
        chinese: "最低生活保障",
    }],
    funds: &[],
    scenario_lines: false,
};

const DIBAO: usize = 0;
const LINE: usize = 0;

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
    /// Margin upper bound, multiple of the standard.
    pub margin_multiple: f64,
    /// Paid only for members with local hukou when asked (rules.md 13).
    pub hukou: super::hukou::HukouRule,
}

impl super::CheckDemand for DibaoParams {}

impl DibaoParams {
    /// Reads the parameters; grade bands must have increasing upper bounds.
    pub fn from_resolved(p: &ResolvedParams) -> Result<Self, ParamError> {
        let grades = p.pairs("dibao_grades").to_vec();
        if grades.windows(2).any(|w| w[1].0 <= w[0].0) {
            return Err(ParamError::new(
                "dibao_grades",
                "`dibao_grades`: upper bounds must increase from one band to the next",
            ));
        }
        Ok(DibaoParams {
            standard_yearly: p.number("dibao_standard"),
            min_benefit_yearly: p.number("dibao_min_benefit"),
            grades,
            expense_deduction: p.flag("dibao_expense_deduction"),
            take_up_rate: p.number("dibao_take_up_rate"),
            inclusion_margin: p.number("dibao_inclusion_margin"),
            inclusion_error_rate: p.number("dibao_inclusion_error_rate"),
            inclusion_benefit_share: p.number("dibao_inclusion_benefit_share"),
            margin_multiple: p.number("low_income_margin_multiple"),
            hukou: super::hukou::HukouRule::from_resolved(p)?,
        })
    }

    /// True when the program runs (standard > 0).
    pub fn is_on(&self) -> bool {
        self.standard_yearly > 0.0
    }
}

/// Means-tested income per capita I, yuan/year: (M + P + T - C) / size, minus the out-of-pocket
/// care and medical costs (after insurance, before medical assistance) per capita when
/// `dibao_expense_deduction` is on (支出型). Arguments are household totals.
pub fn means_tested_income_pc(
    p: &DibaoParams,
    income_before_assistance: f64,
    out_of_pocket_expenses: f64,
    size: usize,
) -> f64 {
    let deduction = if p.expense_deduction {
        out_of_pocket_expenses
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

/// The household's means-tested income per capita I of this year (computed once, then shared by
/// te-kun and dibao): [`means_tested_income_pc`] on the household's income before assistance.
pub fn household_income_pc(hh: &mut Household<'_>) -> f64 {
    if let Some(i) = hh.means_tested_income_pc {
        return i;
    }
    // Dibao runs before medical assistance: the medical out-of-pocket is what insurance left.
    let income = means_tested_income_pc(
        &hh.params.dibao,
        hh.totals.before_assistance(),
        hh.totals.out_of_pocket_care + hh.totals.medical_out_of_pocket,
        hh.size(),
    );
    hh.means_tested_income_pc = Some(income);
    income
}

/// Step 8 (spec 4.1, 4.2, 13): the household's dibao, paid for every member who is not te-kun (and
/// has local hukou, when asked) and carried by every member as an equal share; the margin status;
/// each member's status this year.
fn assign(hh: &mut Household<'_>) -> StepResult {
    let income_pc = household_income_pc(hh);
    let dp = &hh.params.dibao;
    let (w, size) = (hh.weight, hh.size());
    let paid_for = |i: usize| !hh.out.work.tekun[i] && dp.hukou.eligible(hh.persons.local_hukou[i]);
    let non_tekun = hh.members.clone().filter(|&i| paid_for(i)).count();
    // The targeting draw is taken only where it can matter; it is the same in every scenario.
    let per_member = if dp.is_on() && non_tekun > 0 {
        let household_id = hh.households.household_id[hh.h];
        receives(
            dp,
            income_pc,
            hh.uniform(household_id, hh.year.year, Purpose::DibaoTargeting),
        )
    } else {
        None
    };
    let on_dibao = per_member.is_some();
    let household_dibao = per_member.unwrap_or(0.0) * non_tekun as f64;
    let status = if on_dibao {
        AssistanceStatus::Dibao
    } else if is_margin(dp, income_pc, on_dibao) {
        AssistanceStatus::Margin
    } else {
        AssistanceStatus::None
    };
    let standard = dp.standard_yearly;
    hh.out.work.household_status[hh.h] = status;
    for i in hh.members.clone() {
        hh.pay(i, DIBAO, household_dibao / size as f64);
        hh.out.dibao_standard_yearly[i] = standard;
        hh.out.dibao_status[i] = if hh.out.work.tekun[i] {
            AssistanceStatus::Tekun
        } else {
            status
        };
    }
    hh.book_household(Concept::Assistance, household_dibao);
    let line = hh.line(LINE);
    line.pay(Payer::Government, w * household_dibao);
    line.benefits += w * household_dibao;
    if household_dibao > 0.0 {
        let paid = if on_dibao { non_tekun } else { 0 };
        line.beneficiaries_persons += w * paid as f64;
        hh.count_household(LINE);
    }
    Ok(())
}

/// Year end (spec 10): last year's dibao and margin status of every member for next year's rules.
fn carry_status(hh: &mut Household<'_>) -> StepResult {
    let status = hh.out.work.household_status[hh.h];
    for i in hh.members.clone() {
        hh.persons.dibao_last_year[i] = status == AssistanceStatus::Dibao && !hh.out.work.tekun[i];
        hh.persons.margin_last_year[i] = status == AssistanceStatus::Margin;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ParamValue as V;
    use crate::population::Employment;
    use crate::rules::year::testkit::*;

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

    fn family(rows: usize) -> Population {
        let mut members = vec![PersonRow {
            age: 40,
            employment: Employment::Farmer,
            earnings: 18_000.0,
            ..Default::default()
        }];
        members.extend((1..rows).map(|_| PersonRow {
            age: 12,
            employment: Employment::Student,
            ..Default::default()
        }));
        household(Residence::Rural, members)
    }

    /// Conformance "dibao-gap-rural-family" through the step: I = 18000 / 3 = 6000, 5000 for each
    /// of 3 members, 15000 for the household (fiscal, 3 persons); with one member te-kun, 2 x 5000
    /// = 10000, carried as 10000 / 3 by every member. Each member's status: dibao, te-kun.
    #[test]
    fn assign_pays_the_gap_to_members_not_tekun() {
        let p = rule_params(&[("dibao_standard", V::Number(11_000.0))]);
        let rules = rules_for(&p, 2024, true);
        let mut pop = family(3);
        let (totals, out, acc) = with_household(&mut pop, &rules, "dibao", |hh| {
            assign(hh).unwrap();
            hh.totals
        });
        assert_eq!(out.column("dibao").unwrap(), [5_000.0; 3]);
        assert_eq!(totals.assistance, 15_000.0);
        let line = acc.line("dibao").unwrap();
        assert_eq!(line.paid(Payer::Government), 15_000.0);
        assert_eq!(line.beneficiaries_persons.value(), 3.0);
        assert_eq!(out.work.household_status, [AssistanceStatus::Dibao]);
        let mut pop = family(3);
        let (totals, out, _) = with_household(&mut pop, &rules, "dibao", |hh| {
            hh.out.work.tekun[2] = true;
            assign(hh).unwrap();
            hh.totals
        });
        assert_eq!(totals.assistance, 10_000.0);
        assert_eq!(out.column("dibao").unwrap(), [10_000.0 / 3.0; 3]);
        assert_eq!(out.dibao_status[2], AssistanceStatus::Tekun);
        assert_eq!(out.dibao_status[0], AssistanceStatus::Dibao);
    }

    /// Spec 4.2: I = 18000 with the standard 15000 is in the margin (15000 <= I < 22500); the year
    /// end carries margin status to every member and dibao status to none.
    #[test]
    fn margin_status_is_assigned_and_carried() {
        let p = rule_params(&[("dibao_standard", V::Number(15_000.0))]);
        let rules = rules_for(&p, 2024, true);
        let mut pop = family(1);
        with_household(&mut pop, &rules, "dibao", |hh| {
            assign(hh).unwrap();
            carry_status(hh).unwrap();
        });
        assert_eq!(
            (
                pop.persons.margin_last_year[0],
                pop.persons.dibao_last_year[0]
            ),
            (true, false)
        );
    }
}
