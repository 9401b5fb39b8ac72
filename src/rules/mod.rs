//! The four rule families and categorical transfers, one module each (spec rules.md sections 2-8).
//! Rules are pure: no I/O, no threads, no random draws of their own (draws come from `rng` keyed by
//! entity, year and purpose, so scenarios share them).
//!
//! Order within a year (spec 8), as [`apply_year`] runs it after the engine's dynamics:
//! 2. contributions (resident tiers, government-paid contributions, employee contributions);
//! 3. pensions (resident basic + account pension, employee pension at retirement or current);
//! 4. long-term-care insurance (premiums, care cost, reimbursement, care subsidy);
//! 5. collective subsidy (pro rata within each collective) and tier upgrades for next year;
//! 6. categorical transfers and the elderly allowance;
//! 7. te-kun, then dibao and the low-income margin (they see every other income);
//! 8. income concepts ([`crate::income`]), fiscal accounts, and the state carried to next year.

pub mod categorical;
pub mod collective_subsidy;
pub mod dibao;
pub mod employee_pension;
pub mod fiscal;
pub mod ltc;
pub mod resident_pension;
pub mod tekun;
pub mod year;

pub use fiscal::{FiscalAccounts, FiscalLine, FundFlows, Payer, Program, ProgramAccount};
pub use year::{Outcomes, YearRules, apply_year};

use crate::params::{ParamDef, ResolvedParams};

/// Parameter definitions of every rule family and of the dynamics, in display order.
pub const PARAM_GROUPS: &[&[ParamDef]] = &[
    resident_pension::PARAMS,
    employee_pension::PARAMS,
    dibao::PARAMS,
    tekun::PARAMS,
    ltc::PARAMS,
    collective_subsidy::PARAMS,
    crate::dynamics::PARAMS,
];

/// Every rule family's typed parameters for one year, region and residence.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleParams {
    /// Resident pension and elderly allowance (spec 3.1).
    pub resident_pension: resident_pension::ResidentPensionParams,
    /// Employee pension (spec 3.2).
    pub employee_pension: employee_pension::EmployeePensionParams,
    /// Dibao and low-income margin (spec 4.1, 4.2).
    pub dibao: dibao::DibaoParams,
    /// Te-kun support (spec 4.3).
    pub tekun: tekun::TekunParams,
    /// Long-term-care insurance and care subsidy (spec 5).
    pub ltc: ltc::LtcParams,
    /// Collective subsidy and tier upgrades (spec 6).
    pub collective_subsidy: collective_subsidy::CollectiveSubsidyParams,
}

impl RuleParams {
    /// Builds every family's parameters; the error names the key that is inconsistent.
    pub fn from_resolved(p: &ResolvedParams) -> Result<Self, String> {
        Ok(RuleParams {
            resident_pension: resident_pension::ResidentPensionParams::from_resolved(p)?,
            employee_pension: employee_pension::EmployeePensionParams::from_resolved(p)?,
            dibao: dibao::DibaoParams::from_resolved(p)?,
            tekun: tekun::TekunParams::from_resolved(p)?,
            ltc: ltc::LtcParams::from_resolved(p)?,
            collective_subsidy: collective_subsidy::CollectiveSubsidyParams::from_resolved(p)?,
        })
    }
}

/// A yuan-per-year table by disability grade 1..=3 (grade 0 is never asked).
///
/// An empty table is the parameter's default ("not in use") and gives 0 for every grade; a table
/// that names some grades must name every grade it is asked for (spec preamble): asking for a
/// missing one is an error naming the key and the grade.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ByGrade {
    /// Scenario key (stem), for error messages.
    pub key: &'static str,
    /// Values for grades 0..=3; `None` where the scenario gives none.
    pub values: [Option<f64>; 4],
}

impl ByGrade {
    /// Reads the table `key` (kind `MoneyByGrade`); keys above 3 are an error.
    pub fn from_resolved(p: &ResolvedParams, key: &'static str) -> Result<Self, String> {
        let mut values = [None; 4];
        for &(grade, v) in p.table(key) {
            let slot = values.get_mut(grade as usize).ok_or_else(|| {
                format!("`{key}`: grade {grade} does not exist; grades are 0..=3")
            })?;
            *slot = Some(v);
        }
        Ok(ByGrade { key, values })
    }

    /// True when the scenario gives no grade at all.
    pub fn is_empty(&self) -> bool {
        self.values.iter().all(Option::is_none)
    }

    /// Value for `grade` (yuan/year): 0 for an empty table, an error for a grade the table lacks.
    pub fn get(&self, grade: u8) -> Result<f64, String> {
        if self.is_empty() {
            return Ok(0.0);
        }
        self.values
            .get(grade as usize)
            .copied()
            .flatten()
            .ok_or_else(|| {
                format!(
                    "`{}` gives no value for disability grade {grade}; give every grade that occurs (1, 2, 3)",
                    self.key
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grade_table_empty_is_zero_and_missing_grade_is_an_error() {
        let empty = ByGrade {
            key: "care_cost",
            values: [None; 4],
        };
        assert_eq!(empty.get(3), Ok(0.0));
        let partial = ByGrade {
            key: "care_cost",
            values: [None, None, None, Some(36_000.0)],
        };
        assert_eq!(partial.get(3), Ok(36_000.0));
        let err = partial.get(2).unwrap_err();
        assert!(
            err.contains("care_cost") && err.contains("grade 2"),
            "{err}"
        );
    }

    /// Every registered stem is unique and every default builds valid typed parameters.
    #[test]
    fn registry_is_consistent_and_defaults_build() {
        let defs = crate::params::all_param_defs();
        let mut names: Vec<&str> = defs.iter().map(|d| d.name).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "duplicate parameter stems");
        RuleParams::from_resolved(&ResolvedParams::defaults()).unwrap();
    }
}
