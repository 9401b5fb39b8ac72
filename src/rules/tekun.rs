//! Te-kun support (特困人员救助供养) for people unable to work, without income and without a
//! legal supporter: spec 4.3 and 10. Pure: no I/O, no draws.

use std::ops::RangeInclusive;

use super::dibao::household_income_pc;
use super::household::Household;
use super::program::{LineDef, OutcomeDef, ProgramDef, Role, Slot, Step, StepResult};
use crate::income::Concept;
use crate::params::{ParamDef, ParamError, ResolvedParams};
use crate::population::SEVERE_DISABILITY;
use crate::rules::fiscal::Payer;

const SPEC: &str = "rules.md 4.3";

/// Ages at which a household member's earnings make the household's te-kun members supported
/// (spec 4.3: "no member of the household aged 16..59 has earnings").
pub const WORKING_AGE: RangeInclusive<u8> = 16..=59;

/// Age from which a person counts as unable to work (spec 4.3: "aged 60+").
pub const OLD_AGE: u8 = 60;

/// Age below which a person counts as unable to work (spec 4.3: "under 16").
pub const CHILD_AGE: u8 = 16;

/// Parameters of te-kun support.
pub const PARAMS: &[ParamDef] = &[
    ParamDef::money("tekun_standard", SPEC, "Te-kun support standard per person"),
    ParamDef::number(
        "tekun_min_multiple_of_dibao",
        (0.0, 10.0),
        "multiple of the dibao standard",
        1.3,
        SPEC,
        "Te-kun support is at least this multiple of the dibao standard",
    ),
    ParamDef::flag(
        "tekun_counts_pension",
        false,
        SPEC,
        "Deduct the person's own pensions from te-kun support",
    ),
];

/// Te-kun support as the year runs it.
pub const PROGRAM: ProgramDef = ProgramDef {
    name: "tekun",
    chinese: "特困人员救助供养",
    spec: "rules.md 4.3, 10",
    params: PARAMS,
    steps: &[
        Step {
            slot: Slot::Tekun,
            name: "te-kun support",
            run: support,
        },
        Step {
            slot: Slot::YearEnd,
            name: "te-kun status",
            run: carry_status,
        },
    ],
    outcomes: &[OutcomeDef {
        column: "tekun_support",
        role: Role::Income(Concept::Assistance),
        doc: "Te-kun support (特困供养金)",
    }],
    lines: &[LineDef {
        name: "tekun",
        chinese: "特困人员救助供养",
    }],
    funds: &[],
    scenario_lines: false,
};

const SUPPORT: usize = 0;
const LINE: usize = 0;

/// Te-kun parameters for one year, region and residence.
#[derive(Debug, Clone, PartialEq)]
pub struct TekunParams {
    /// Support standard, yuan/year.
    pub standard_yearly: f64,
    /// Minimum multiple of the dibao standard.
    pub min_multiple_of_dibao: f64,
    /// Own pensions reduce support.
    pub counts_pension: bool,
    /// Only members with local hukou can be te-kun, when asked (rules.md 13).
    pub hukou: super::hukou::HukouRule,
}

impl super::CheckDemand for TekunParams {}

impl TekunParams {
    /// Reads the parameters.
    pub fn from_resolved(p: &ResolvedParams) -> Result<Self, ParamError> {
        Ok(TekunParams {
            standard_yearly: p.number("tekun_standard"),
            min_multiple_of_dibao: p.number("tekun_min_multiple_of_dibao"),
            counts_pension: p.flag("tekun_counts_pension"),
            hukou: super::hukou::HukouRule::from_resolved(p)?,
        })
    }
}

/// What the te-kun test looks at for one person.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TekunTest {
    /// Age, years.
    pub age: u8,
    /// Disability grade 0..=3.
    pub disability_grade: u8,
    /// Own earnings, yuan/year (only earnings count, spec 10).
    pub earnings_yearly: f64,
    /// No legal supporter anywhere.
    pub no_supporter: bool,
    /// Some household member aged 16..=59 has earnings.
    pub working_age_earner_in_household: bool,
    /// Household means-tested income per capita I, yuan/year.
    pub household_income_pc: f64,
    /// Dibao standard, yuan/year (0 = dibao off: nobody is te-kun, spec 10).
    pub dibao_standard_yearly: f64,
}

/// Te-kun status (spec 4.3): unable to work (60+, grade 3 or under 16), no earnings, no
/// supporter, no working-age earner at home, and household I below the dibao standard.
pub fn is_tekun(t: &TekunTest) -> bool {
    let unable_to_work =
        t.age >= OLD_AGE || t.disability_grade == SEVERE_DISABILITY || t.age < CHILD_AGE;
    t.dibao_standard_yearly > 0.0
        && unable_to_work
        && t.earnings_yearly == 0.0
        && t.no_supporter
        && !t.working_age_earner_in_household
        && t.household_income_pc < t.dibao_standard_yearly
}

/// Support, yuan/year: max(0, max(standard, multiple x dibao standard) - own pensions when
/// `counts_pension`).
pub fn support_yearly(
    p: &TekunParams,
    dibao_standard_yearly: f64,
    own_pensions_yearly: f64,
) -> f64 {
    let level = p
        .standard_yearly
        .max(p.min_multiple_of_dibao * dibao_standard_yearly);
    let deducted = if p.counts_pension {
        own_pensions_yearly
    } else {
        0.0
    };
    (level - deducted).max(0.0)
}

/// Step 8 (spec 4.3): who in the household is te-kun this year, and their support (fiscal).
fn support(hh: &mut Household<'_>) -> StepResult {
    let income_pc = household_income_pc(hh);
    let w = hh.weight;
    let dibao_standard = hh.params.dibao.standard_yearly;
    let p = &*hh.persons;
    let working_age_earner = hh
        .members
        .clone()
        .any(|i| WORKING_AGE.contains(&p.age[i]) && p.earnings_yearly[i] > 0.0);
    let (mut total, mut persons) = (0.0, 0usize);
    for i in hh.members.clone() {
        let p = &*hh.persons;
        let is_tekun = hh.params.tekun.hukou.eligible(p.local_hukou[i])
            && is_tekun(&TekunTest {
                age: p.age[i],
                disability_grade: p.disability_grade[i],
                earnings_yearly: p.earnings_yearly[i],
                no_supporter: p.no_supporter[i],
                working_age_earner_in_household: working_age_earner,
                household_income_pc: income_pc,
                dibao_standard_yearly: dibao_standard,
            });
        hh.out.work.tekun[i] = is_tekun;
        if is_tekun {
            let own_pensions = hh.out.work.parts[i].pensions;
            let amount = support_yearly(&hh.params.tekun, dibao_standard, own_pensions);
            hh.pay(i, SUPPORT, amount);
            total += amount;
            persons += usize::from(amount > 0.0);
        }
    }
    hh.book_household(Concept::Assistance, total);
    let line = hh.line(LINE);
    line.pay(Payer::Government, w * total);
    line.benefits += w * total;
    if total > 0.0 {
        line.beneficiaries_persons += w * persons as f64;
        hh.count_household(LINE);
    }
    Ok(())
}

/// Year end (spec 10): this year's te-kun status for next year's rules.
fn carry_status(hh: &mut Household<'_>) -> StepResult {
    for i in hh.members.clone() {
        hh.persons.tekun_last_year[i] = hh.out.work.tekun[i];
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ParamValue as V;
    use crate::population::Employment;
    use crate::rules::year::testkit::*;

    fn alone_elderly() -> TekunTest {
        TekunTest {
            age: 75,
            disability_grade: 0,
            earnings_yearly: 0.0,
            no_supporter: true,
            working_age_earner_in_household: false,
            household_income_pc: 2_280.0,
            dibao_standard_yearly: 11_000.0,
        }
    }

    /// Conformance "tekun-alone-elderly": max(1756 x 12 = 21072, 1.3 x 11000 = 14300) - 2280
    /// = 18792.
    #[test]
    fn support_counts_pension() {
        assert!(is_tekun(&alone_elderly()));
        let mut p = TekunParams::from_resolved(&ResolvedParams::defaults()).unwrap();
        p.standard_yearly = 1_756.0 * 12.0;
        p.counts_pension = true;
        assert_eq!(support_yearly(&p, 11_000.0, 2_280.0), 18_792.0);
        p.counts_pension = false;
        assert_eq!(support_yearly(&p, 11_000.0, 2_280.0), 21_072.0);
        // Standard below 1.3 x dibao: 1.3 x 20000 = 26000 applies; a pension above it gives 0.
        p.standard_yearly = 0.0;
        assert_eq!(support_yearly(&p, 20_000.0, 0.0), 26_000.0);
        p.counts_pension = true;
        assert_eq!(support_yearly(&p, 20_000.0, 30_000.0), 0.0);
    }

    #[test]
    fn each_condition_is_needed() {
        let base = alone_elderly();
        assert!(!is_tekun(&TekunTest { age: 40, ..base }));
        assert!(is_tekun(&TekunTest {
            age: 40,
            disability_grade: 3,
            ..base
        }));
        assert!(is_tekun(&TekunTest { age: 10, ..base }));
        assert!(!is_tekun(&TekunTest {
            earnings_yearly: 1.0,
            ..base
        }));
        assert!(!is_tekun(&TekunTest {
            no_supporter: false,
            ..base
        }));
        assert!(!is_tekun(&TekunTest {
            working_age_earner_in_household: true,
            ..base
        }));
        assert!(!is_tekun(&TekunTest {
            household_income_pc: 11_000.0,
            ..base
        }));
        assert!(!is_tekun(&TekunTest {
            dibao_standard_yearly: 0.0,
            ..base
        }));
    }

    /// Conformance "tekun-alone-elderly" through the step: alone at 75, no supporter, pension
    /// 2280 (booked before): max(21072, 14300) - 2280 = 18792, fiscal, one person; with a
    /// working-age earner at home, nobody is te-kun.
    #[test]
    fn support_counts_pension_and_needs_no_earner_at_home() {
        let p = rule_params(&[
            ("dibao_standard", V::Number(11_000.0)),
            ("tekun_standard", V::Number(21_072.0)),
            ("tekun_counts_pension", V::Flag(true)),
        ]);
        let rules = rules_for(&p, 2024, true);
        let alone = PersonRow {
            age: 75,
            no_supporter: true,
            employment: Employment::Retired,
            ..Default::default()
        };
        let mut pop = household(Residence::Rural, vec![alone.clone()]);
        let (totals, out, acc) = with_household(&mut pop, &rules, "tekun", |hh| {
            hh.out.work.parts[0].pensions = 2_280.0;
            hh.totals.pensions = 2_280.0;
            support(hh).unwrap();
            carry_status(hh).unwrap();
            hh.totals
        });
        assert_eq!(out.column("tekun_support").unwrap(), [18_792.0]);
        assert_eq!(totals.assistance, 18_792.0);
        assert_eq!(
            acc.line("tekun").unwrap().beneficiaries_persons.value(),
            1.0
        );
        assert!(pop.persons.tekun_last_year[0]);
        let earner = PersonRow {
            age: 30,
            employment: Employment::Farmer,
            earnings: 2_000.0,
            ..Default::default()
        };
        let mut pop = household(Residence::Rural, vec![alone, earner]);
        let ((), out, _) = with_household(&mut pop, &rules, "tekun", |hh| support(hh).unwrap());
        assert_eq!(out.work.tekun, [false, false]);
    }
}
