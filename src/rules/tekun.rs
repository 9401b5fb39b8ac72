//! Te-kun support (特困人员救助供养) for people unable to work, without income and without a
//! legal supporter: spec 4.3 and 10. Pure: no I/O, no draws.

use crate::params::{DefaultValue, Indexation, ParamDef, ParamKind, ResolvedParams};

/// Parameters of te-kun support.
pub const PARAMS: &[ParamDef] = &[
    ParamDef {
        name: "tekun_standard",
        kind: ParamKind::Money,
        default: DefaultValue::Number(0.0),
        default_index: Indexation::None,
        doc: "Te-kun support standard per person, yuan/year (spec 4.3)",
    },
    ParamDef {
        name: "tekun_min_multiple_of_dibao",
        kind: ParamKind::Number {
            min: 0.0,
            max: 10.0,
        },
        default: DefaultValue::Number(1.3),
        default_index: Indexation::None,
        doc: "Te-kun support is at least this multiple of the dibao standard (spec 4.3)",
    },
    ParamDef {
        name: "tekun_counts_pension",
        kind: ParamKind::Flag,
        default: DefaultValue::Flag(false),
        default_index: Indexation::None,
        doc: "Deduct the person's own pensions from te-kun support (spec 4.3)",
    },
];

/// Te-kun parameters for one year, region and residence.
#[derive(Debug, Clone, PartialEq)]
pub struct TekunParams {
    /// Support standard, yuan/year.
    pub standard_yearly: f64,
    /// Minimum multiple of the dibao standard.
    pub min_multiple_of_dibao: f64,
    /// Own pensions reduce support.
    pub counts_pension: bool,
}

impl TekunParams {
    /// Reads the parameters.
    pub fn from_resolved(p: &ResolvedParams) -> Result<Self, String> {
        Ok(TekunParams {
            standard_yearly: p.number("tekun_standard"),
            min_multiple_of_dibao: p.number("tekun_min_multiple_of_dibao"),
            counts_pension: p.flag("tekun_counts_pension"),
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
    let unable_to_work = t.age >= 60 || t.disability_grade == 3 || t.age < 16;
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
