//! Categorical cash transfers (spec 7): named programs paying an amount per person to everyone who
//! meets a conjunction of conditions (herder and grassland-ecology subsidies, child allowances, a
//! basic-income guarantee). Each program is its own fiscal line, named by the scenario. Pure: no
//! I/O, no draws.

use super::household::Household;
use super::program::{OutcomeDef, ProgramDef, Role, Slot, Step, StepResult};
use crate::income::Concept;
use crate::params::{ParamError, ProgramConditions, ResolvedParams, ResolvedProgram};
use crate::population::{AssistanceStatus, Employment, Residence};
use crate::rules::fiscal::Payer;

/// Categorical transfers as the year runs them; the programs themselves come from the scenario's
/// `[[programs]]`.
pub const PROGRAM: ProgramDef = ProgramDef {
    name: "categorical",
    chinese: "分类救助与专项补贴",
    spec: "rules.md 7",
    params: &[],
    steps: &[Step {
        slot: Slot::Transfers,
        name: "categorical transfers",
        run: pay,
    }],
    outcomes: &[OutcomeDef {
        column: "categorical_transfers",
        role: Role::Income(Concept::OtherTransfers),
        doc: "Categorical transfers, every program, cash",
    }],
    lines: &[],
    funds: &[],
    scenario_lines: true,
};

const TRANSFERS: usize = 0;

/// Categorical transfers have no parameters in the registry: their programs are the scenario's
/// `[[programs]]` ([`CategoricalProgram`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CategoricalParams;

impl super::CheckDemand for CategoricalParams {}

impl CategoricalParams {
    /// Nothing to read.
    pub fn from_resolved(_: &ResolvedParams) -> Result<Self, ParamError> {
        Ok(CategoricalParams)
    }
}

/// A categorical program ready for the yearly loop: its region codes turned into region indices
/// of the population.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoricalProgram {
    /// The resolved program (name, amount in yuan/year, conditions).
    pub program: ResolvedProgram,
    /// Region indices the program pays in (`None`: any region). A code the population does not
    /// hold matches nobody.
    pub region_indices: Option<Vec<u16>>,
}

impl CategoricalProgram {
    /// Prepares a program for a population whose region codes are `regions`.
    pub fn new(program: ResolvedProgram, regions: &[String]) -> Self {
        let region_indices = program.conditions.region.as_ref().map(|codes| {
            regions
                .iter()
                .enumerate()
                .filter(|(_, r)| codes.contains(r))
                .map(|(i, _)| i as u16)
                .collect()
        });
        CategoricalProgram {
            program,
            region_indices,
        }
    }
}

/// What the conditions look at for one person.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CategoricalPerson {
    /// Region index of the household.
    pub region: u16,
    /// Household residence.
    pub residence: Residence,
    /// Person's hukou.
    pub hukou: Residence,
    /// Age, years.
    pub age: u8,
    /// Employment status.
    pub employment: Employment,
    /// Disability grade 0..=3.
    pub disability_grade: u8,
    /// Household had dibao status last year (any member).
    pub dibao_last_year: bool,
    /// Household had te-kun status last year (any member).
    pub tekun_last_year: bool,
    /// Household had margin status last year (any member).
    pub margin_last_year: bool,
}

impl CategoricalPerson {
    /// True when the household carries `status` from last year (`None`: no status at all).
    fn had_status(&self, status: AssistanceStatus) -> bool {
        match status {
            AssistanceStatus::Dibao => self.dibao_last_year,
            AssistanceStatus::Tekun => self.tekun_last_year,
            AssistanceStatus::Margin => self.margin_last_year,
            AssistanceStatus::None => {
                !(self.dibao_last_year || self.tekun_last_year || self.margin_last_year)
            }
        }
    }
}

/// Whether a person meets every condition of a program (a missing condition means any).
pub fn is_eligible(program: &CategoricalProgram, person: &CategoricalPerson) -> bool {
    let c: &ProgramConditions = &program.program.conditions;
    program
        .region_indices
        .as_ref()
        .is_none_or(|r| r.contains(&person.region))
        && c.residence.is_none_or(|r| r == person.residence)
        && c.hukou.is_none_or(|h| h == person.hukou)
        && c.age_min.is_none_or(|a| person.age >= a)
        && c.age_max.is_none_or(|a| person.age <= a)
        && c.employment
            .as_ref()
            .is_none_or(|e| e.contains(&person.employment))
        && c.disability_grade_min
            .is_none_or(|g| person.disability_grade >= g)
        && c.disability_grade_max
            .is_none_or(|g| person.disability_grade <= g)
        && c.status_last_year
            .as_ref()
            .is_none_or(|s| s.iter().any(|&st| person.had_status(st)))
}

/// Step 7 (spec 7): every program pays every member who meets all its conditions; a household
/// counts once per program that paid a member.
fn pay(hh: &mut Household<'_>) -> StepResult {
    let programs = &hh.year.programs;
    if programs.is_empty() {
        return Ok(());
    }
    let w = hh.weight;
    let status = hh.status_last_year;
    hh.out.work.categorical_paid.fill(false);
    for i in hh.members.clone() {
        let p = &*hh.persons;
        let person = CategoricalPerson {
            region: hh.region,
            residence: hh.residence,
            hukou: p.hukou[i],
            age: p.age[i],
            employment: p.employment[i],
            disability_grade: p.disability_grade[i],
            dibao_last_year: status.dibao,
            tekun_last_year: status.tekun,
            margin_last_year: status.margin,
        };
        for (k, program) in programs.iter().enumerate() {
            let amount = program.program.amount_yearly;
            if amount > 0.0 && is_eligible(program, &person) {
                hh.pay(i, TRANSFERS, amount);
                let line = &mut hh.acc.categorical[k].1;
                line.pay(Payer::Government, w * amount);
                line.benefits += w * amount;
                line.beneficiaries_persons += w;
                hh.out.work.categorical_paid[k] = true;
            }
        }
    }
    for (k, paid) in hh.out.work.categorical_paid.iter().enumerate() {
        if *paid {
            hh.acc.categorical[k].1.beneficiaries_households += w;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn herder() -> CategoricalPerson {
        CategoricalPerson {
            region: 1,
            residence: Residence::Rural,
            hukou: Residence::Rural,
            age: 45,
            employment: Employment::Farmer,
            disability_grade: 0,
            dibao_last_year: false,
            tekun_last_year: false,
            margin_last_year: true,
        }
    }

    fn program(conditions: ProgramConditions) -> CategoricalProgram {
        let regions = ["ZJ".to_string(), "NM".to_string()];
        CategoricalProgram::new(
            ResolvedProgram {
                name: "grassland_ecology".into(),
                amount_yearly: 1_000.0,
                conditions,
            },
            &regions,
        )
    }

    #[test]
    fn no_condition_means_everyone() {
        assert!(is_eligible(
            &program(ProgramConditions::default()),
            &herder()
        ));
    }

    /// Inner Mongolia herders: region NM (index 1), rural hukou, farmer-herders aged 18..=59.
    #[test]
    fn conjunction_of_conditions() {
        let p = program(ProgramConditions {
            region: Some(vec!["NM".into()]),
            hukou: Some(Residence::Rural),
            age_min: Some(18),
            age_max: Some(59),
            employment: Some(vec![Employment::Farmer]),
            ..Default::default()
        });
        assert!(is_eligible(&p, &herder()));
        assert!(!is_eligible(
            &p,
            &CategoricalPerson {
                region: 0,
                ..herder()
            }
        ));
        assert!(!is_eligible(
            &p,
            &CategoricalPerson {
                age: 60,
                ..herder()
            }
        ));
        assert!(is_eligible(
            &p,
            &CategoricalPerson {
                age: 59,
                ..herder()
            }
        ));
        assert!(!is_eligible(
            &p,
            &CategoricalPerson {
                hukou: Residence::Urban,
                ..herder()
            }
        ));
        assert!(!is_eligible(
            &p,
            &CategoricalPerson {
                employment: Employment::Employee,
                ..herder()
            }
        ));
    }

    #[test]
    fn status_and_grade_conditions() {
        let p = program(ProgramConditions {
            status_last_year: Some(vec![AssistanceStatus::Dibao, AssistanceStatus::Margin]),
            disability_grade_min: Some(0),
            disability_grade_max: Some(1),
            ..Default::default()
        });
        assert!(is_eligible(&p, &herder()));
        assert!(!is_eligible(
            &p,
            &CategoricalPerson {
                margin_last_year: false,
                ..herder()
            }
        ));
        assert!(!is_eligible(
            &p,
            &CategoricalPerson {
                disability_grade: 2,
                ..herder()
            }
        ));
        let none = program(ProgramConditions {
            status_last_year: Some(vec![AssistanceStatus::None]),
            ..Default::default()
        });
        assert!(!is_eligible(&none, &herder()));
        assert!(is_eligible(
            &none,
            &CategoricalPerson {
                margin_last_year: false,
                ..herder()
            }
        ));
    }

    #[test]
    fn unknown_region_matches_nobody() {
        let p = program(ProgramConditions {
            region: Some(vec!["XJ".into()]),
            ..Default::default()
        });
        assert!(!is_eligible(&p, &herder()));
    }

    /// Through the step: a farmers' program of 1000 pays the farmer, not the student; its line
    /// books 1000 for one person and one household; the amount is T.
    #[test]
    fn pay_books_each_program_on_its_line() {
        use crate::rules::year::testkit::*;
        let p = rule_params(&[]);
        let mut rules = rules_for(&p, 2024, true);
        rules.programs = vec![CategoricalProgram::new(
            ResolvedProgram {
                name: "farmers".into(),
                amount_yearly: 1_000.0,
                conditions: ProgramConditions {
                    employment: Some(vec![Employment::Farmer]),
                    ..Default::default()
                },
            },
            &["R0".to_string()],
        )];
        let rows = vec![
            PersonRow {
                employment: Employment::Farmer,
                ..Default::default()
            },
            PersonRow {
                age: 10,
                employment: Employment::Student,
                ..Default::default()
            },
        ];
        let mut pop = household(Residence::Rural, rows);
        let ((), out, acc) = with_household(&mut pop, &rules, "categorical", |hh| pay(hh).unwrap());
        assert_eq!(out.column("categorical_transfers").unwrap(), [1_000.0, 0.0]);
        assert_eq!(out.work.parts[0].other_transfers, 1_000.0);
        let (name, line) = &acc.categorical[0];
        assert_eq!(name, "farmers");
        assert_eq!(line.paid(Payer::Government), 1_000.0);
        assert_eq!(
            (
                line.beneficiaries_persons.value(),
                line.beneficiaries_households.value()
            ),
            (1.0, 1.0)
        );
    }
}
