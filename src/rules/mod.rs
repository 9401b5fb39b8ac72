//! The rule families, one file each (spec rules.md sections 2-8), and the one list that registers
//! them. Rules are pure: no I/O, no threads, no random draws of their own (draws come from `rng`
//! keyed by entity, year and purpose, so scenarios share them).
//!
//! A family's file declares everything about it (its [`ProgramDef`]): parameters, the typed
//! parameter struct built from them, its steps and their slots in the year, the outcome columns it
//! writes, its fiscal lines and funds. [`programs!`] below registers it in one line; the year
//! ([`year`]) runs the registered steps in the order of rules.md 8:
//! 1. (after the dynamics) scheme membership, retirement and pensions in payment;
//! 2. contributions; 3. pensions; 4. long-term care; 6. collective subsidy targets;
//! 7. categorical transfers and the elderly allowance; then, once every household of the chunk is
//!    through those: 6. collective subsidy amounts; 8. te-kun, then dibao, the margin and the
//!    one-time subsidy; 11. income concepts ([`crate::income`]), and the state carried to next year.

pub mod categorical;
pub mod collective_subsidy;
pub mod critical_illness;
pub mod dibao;
pub mod elderly_allowance;
pub mod employee_pension;
pub mod fiscal;
pub mod household;
pub mod huiminbao;
pub mod hukou;
pub mod layout;
pub mod ltc;
pub mod medical_assistance;
pub mod medical_insurance;
pub mod medical_need;
pub mod one_time_subsidy;
pub mod program;
pub mod resident_pension;
pub mod tekun;
pub mod temporary_assistance;
pub mod year;

pub use fiscal::{FiscalAccounts, FiscalLine, FundFlows, Payer, Program, ProgramAccount};
pub use household::{Household, Outcomes};
pub use program::{ProgramDef, Slot, Step};
pub use year::{YearRules, apply_year};

use crate::params::{ParamError, ResolvedParams};

/// Registers rule families: each line is a family's module and its typed parameters. Generates
/// [`PROGRAMS`] and [`RuleParams`].
macro_rules! programs {
    ($($family:ident: $params:ty),* $(,)?) => {
        /// Every registered program, in registration order: the order of the fiscal lines and
        /// funds in outputs, of the parameters in the docs, and of steps that share a slot.
        pub const PROGRAMS: &[&ProgramDef] = &[$(&$family::PROGRAM),*];

        /// Every family's typed parameters for one year, region and residence.
        #[derive(Debug, Clone, PartialEq)]
        pub struct RuleParams {
            $(
                #[doc = concat!("Parameters of `", stringify!($family), "`.")]
                pub $family: $params,
            )*
        }

        impl RuleParams {
            /// Builds every family's parameters; the error names the key that breaks a rule.
            pub fn from_resolved(p: &ResolvedParams) -> Result<Self, ParamError> {
                Ok(RuleParams {
                    $($family: <$params>::from_resolved(p)?,)*
                })
            }

            /// Checks every family's tables against the keys a run will ask for.
            pub fn check(&self, demand: &Demand) -> Result<(), ParamError> {
                $(self.$family.check(demand)?;)*
                Ok(())
            }
        }
    };
}

/// What the persons of a run may be, for the tables that must give every key they are asked for
/// (rules.md preamble): which disability grades occur (now, or later through the dynamics).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Demand {
    /// `disability_grades[g]`: some person may have grade g.
    pub disability_grades: [bool; 4],
}

impl Demand {
    /// Every grade may occur.
    pub const ANY: Demand = Demand {
        disability_grades: [true; 4],
    };

    /// The grades from 1 that may occur.
    pub fn grades_from(&self, lowest: u8) -> impl Iterator<Item = u8> + '_ {
        (lowest.max(1)..=3).filter(|&g| self.disability_grades[usize::from(g)])
    }
}

/// A family's check of its typed parameters against what a run will ask of them; most families
/// have no table that depends on the population.
pub trait CheckDemand {
    /// An error naming the key when a table lacks a key the run will ask for.
    fn check(&self, _demand: &Demand) -> Result<(), ParamError> {
        Ok(())
    }
}

programs! {
    resident_pension: resident_pension::ResidentPensionParams,
    employee_pension: employee_pension::EmployeePensionParams,
    dibao: dibao::DibaoParams,
    tekun: tekun::TekunParams,
    one_time_subsidy: one_time_subsidy::OneTimeSubsidyParams,
    elderly_allowance: elderly_allowance::ElderlyAllowanceParams,
    ltc: ltc::LtcParams,
    collective_subsidy: collective_subsidy::CollectiveSubsidyParams,
    categorical: categorical::CategoricalParams,
    medical_need: medical_need::MedicalNeedParams,
    medical_insurance: medical_insurance::MedicalInsuranceParams,
    critical_illness: critical_illness::CriticalIllnessParams,
    huiminbao: huiminbao::HuiminbaoParams,
    medical_assistance: medical_assistance::MedicalAssistanceParams,
    temporary_assistance: temporary_assistance::TemporaryAssistanceParams,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::income::Concept;
    use crate::rules::program::Role;

    /// Every registered default builds valid typed parameters.
    #[test]
    fn defaults_build() {
        RuleParams::from_resolved(&ResolvedParams::defaults()).unwrap();
    }

    /// A program that writes an outcome someone pays (everything but a cost the household faces)
    /// must book a fiscal line; a program without steps is dead; every cash concept but M is fed.
    /// (That every outcome is a microdata column of the spec is checked beside the microdata writer.)
    #[test]
    fn every_paid_outcome_reaches_a_fiscal_line_and_an_income_role() {
        for p in PROGRAMS {
            assert!(!p.steps.is_empty(), "`{}` has no steps", p.name);
            for o in p.outcomes.iter().filter(|o| o.role.is_paid()) {
                assert!(
                    !p.lines.is_empty() || p.scenario_lines,
                    "`{}` writes `{}` but books no fiscal line",
                    p.name,
                    o.column
                );
            }
        }
        for concept in [
            Concept::Contributions,
            Concept::Pensions,
            Concept::Assistance,
            Concept::OtherTransfers,
        ] {
            assert!(
                PROGRAMS
                    .iter()
                    .flat_map(|p| p.outcomes.iter())
                    .any(|o| o.role == Role::Income(concept)),
                "no outcome feeds {concept:?}"
            );
        }
        assert!(
            layout::layout().lines.len() <= 64,
            "line flags hold 64 lines"
        );
    }
}
