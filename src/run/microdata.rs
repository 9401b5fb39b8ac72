//! Per-person microdata (indicators.md, "Per-person microdata"): one row per living person with
//! exactly the spec's columns in its order, written as Parquet and CSV so any tool can join them
//! to the input population by person_id.

use std::path::Path;

use polars::prelude::*;
use sha2::Digest;

use crate::engine::{Chunk, YearView};
use crate::error::Result;
use crate::rules::Outcomes;
use crate::rules::layout::layout;

/// The microdata columns, in the spec's order (indicators.md v1.3). A program's outcome column is
/// written by the program that declares it (a test below checks that each has one writer).
pub const COLUMNS: [&str; 37] = [
    "person_id",
    "household_id",
    "year",
    "scenario",
    "weight",
    "region",
    "residence",
    "age",
    "disability_grade",
    "market_income",
    "own_contributions",
    "resident_pension",
    "employee_pension",
    "elderly_allowance",
    "dibao",
    "tekun_support",
    "one_time_subsidy",
    "care_subsidy",
    "categorical_transfers",
    "ltc_reimbursement",
    "care_cost",
    "collective_subsidy",
    "government_paid_contribution",
    "disposable_income",
    "disposable_income_care",
    "household_per_capita_disposable",
    "dibao_status",
    "local_hukou",
    "medical_need",
    "medical_insurance_reimbursement",
    "critical_illness_benefit",
    "huiminbao_benefit",
    "medical_assistance",
    "medical_out_of_pocket",
    "medical_premium_own",
    "temporary_assistance",
    "disposable_income_health",
];

/// Builds the microdata table of one scenario and year.
pub fn frame(scenario: &str, view: &YearView<'_>) -> Result<DataFrame> {
    let n: usize = view.chunks.iter().map(|c| c.persons.len()).sum();
    // Per-person values of every chunk in order, picked by `pick`.
    let gather = |pick: &dyn Fn(&Chunk, usize) -> f64| -> Vec<f64> {
        let mut v = Vec::with_capacity(n);
        for c in view.chunks {
            v.extend((0..c.persons.len()).map(|i| pick(c, i)));
        }
        v
    };
    let household = |c: &Chunk, i: usize| c.persons.household[i] as usize;
    let mut columns = Vec::with_capacity(COLUMNS.len());
    for &name in &COLUMNS {
        let money = |f: &dyn Fn(&Outcomes) -> &[f64]| gather(&|c, i| f(&c.outcomes)[i]);
        let column = match name {
            "person_id" => persons(view, n, |c, i| c.persons.person_id[i]),
            "household_id" => persons(view, n, |c, i| c.households.household_id[household(c, i)]),
            "year" => Column::new(name.into(), vec![view.year; n]),
            "scenario" => Column::new(name.into(), vec![scenario; n]),
            "weight" => Column::new(
                name.into(),
                gather(&|c, i| c.households.weight[household(c, i)]),
            ),
            "region" => words(view, n, |c, i| {
                view.regions[c.households.region[household(c, i)] as usize].as_str()
            }),
            "residence" => words(view, n, |c, i| {
                c.households.residence[household(c, i)].as_str()
            }),
            "age" => persons(view, n, |c, i| c.persons.age[i]),
            "disability_grade" => persons(view, n, |c, i| c.persons.disability_grade[i]),
            "dibao_status" => words(view, n, |c, i| c.outcomes.dibao_status[i].as_str()),
            "local_hukou" => persons(view, n, |c, i| c.persons.local_hukou[i]),
            "market_income" => Column::new(name.into(), money(&|o| &o.market_income)),
            "own_contributions" => Column::new(name.into(), money(&|o| &o.own_contributions)),
            "disposable_income" => Column::new(name.into(), money(&|o| &o.disposable_income)),
            "disposable_income_care" => {
                Column::new(name.into(), money(&|o| &o.disposable_income_care))
            }
            "household_per_capita_disposable" => {
                Column::new(name.into(), money(&|o| &o.household_per_capita_disposable))
            }
            "medical_out_of_pocket" => {
                Column::new(name.into(), money(&|o| &o.medical_out_of_pocket))
            }
            "disposable_income_health" => {
                Column::new(name.into(), money(&|o| &o.disposable_income_health))
            }
            program => {
                let k = layout()
                    .outcome_index(program)
                    .expect("a microdata column no program writes (see the tests)");
                Column::new(name.into(), money(&|o| o.column_at(k)))
            }
        };
        columns.push(column.with_name(name.into()));
    }
    crate::table::frame("microdata", columns)
}

/// A column of one value per person of type `T`.
fn persons<T>(view: &YearView<'_>, n: usize, pick: impl Fn(&Chunk, usize) -> T) -> Column
where
    Series: NamedFrom<Vec<T>, [T]>,
{
    let mut v = Vec::with_capacity(n);
    for c in view.chunks {
        v.extend((0..c.persons.len()).map(|i| pick(c, i)));
    }
    Series::new("".into(), v).into()
}

/// A text column, one word per person.
fn words<'a>(view: &YearView<'a>, n: usize, pick: impl Fn(&'a Chunk, usize) -> &'a str) -> Column {
    let mut v: Vec<&str> = Vec::with_capacity(n);
    for c in view.chunks {
        v.extend((0..c.persons.len()).map(|i| pick(c, i)));
    }
    Column::new("".into(), v)
}

/// Where microdata go, and whether as CSV as well as Parquet.
#[derive(Debug, Clone, Copy)]
pub struct MicrodataOut<'a> {
    /// The folder of the files.
    pub dir: &'a Path,
    /// Also write each file as CSV (`--microdata-csv`).
    pub csv: bool,
}

/// Writes `<dir>/<scenario>_<year>.parquet`, and `.csv` when asked.
pub fn write(out: MicrodataOut<'_>, scenario: &str, view: &YearView<'_>) -> Result<()> {
    let mut df = frame(scenario, view)?;
    let stem = format!("{}_{}", sanitize(scenario), view.year);
    crate::table::write_frame(&mut df, &out.dir.join(format!("{stem}.parquet")))?;
    if out.csv {
        crate::table::write_frame(&mut df, &out.dir.join(format!("{stem}.csv")))?;
    }
    Ok(())
}

/// Longest scenario name part of a file name, bytes: a file name may have 255, and a microdata
/// file or a temporary name adds its year, extension and process id.
const NAME_PART_MAX_BYTES: usize = 150;

/// A scenario name as a file-name part: letters, digits (any script), `-` and `_`. A name
/// longer than [`NAME_PART_MAX_BYTES`] is shortened deterministically: its first 133 bytes (at a
/// character boundary), `-` and the first 16 hex digits of the full name's SHA-256, so two long
/// names that share a beginning stay apart.
pub fn sanitize(name: &str) -> String {
    let part: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if part.len() <= NAME_PART_MAX_BYTES {
        return part;
    }
    let keep = NAME_PART_MAX_BYTES - 17;
    let cut = (0..=keep)
        .rev()
        .find(|&i| part.is_char_boundary(i))
        .unwrap_or(0);
    let digest = sha2::Sha256::digest(name.as_bytes());
    let hash: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{hash}", &part[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (issue 16): a scenario name too long for a file name stopped the batch. Long
    /// names are cut at a character boundary and end in a hash of the whole name.
    #[test]
    fn long_names_are_shortened_deterministically() {
        assert_eq!(sanitize("浙江 reform/2"), "浙江_reform_2");
        let long = "养老".repeat(100) + "a";
        let other = "养老".repeat(100) + "b";
        let short = sanitize(&long);
        assert!(short.len() <= NAME_PART_MAX_BYTES, "{}", short.len());
        assert_eq!(short, sanitize(&long), "deterministic");
        assert_ne!(short, sanitize(&other), "the hash keeps them apart");
        // 133 bytes hold 44 three-byte characters (132 bytes), then `-` and 16 hex digits.
        assert!(short.starts_with(&"养老".repeat(22)), "{short}");
        assert_eq!(short.len(), 132 + 1 + 16);
    }

    /// Every outcome a registered program writes is a microdata column of the spec, and every
    /// column that is no person, household or income-concept field has exactly one writer: a
    /// program cannot write an outcome the microdata lose, nor a spec column go unwritten.
    #[test]
    fn every_program_outcome_is_a_spec_column_with_one_writer() {
        let l = layout();
        for o in &l.outcomes {
            assert!(
                COLUMNS.contains(&o.column),
                "`{}` is no microdata column",
                o.column
            );
        }
        const OWN: [&str; 18] = [
            "person_id",
            "household_id",
            "year",
            "scenario",
            "weight",
            "region",
            "residence",
            "age",
            "disability_grade",
            "dibao_status",
            "local_hukou",
            "market_income",
            "own_contributions",
            "disposable_income",
            "disposable_income_care",
            "household_per_capita_disposable",
            "medical_out_of_pocket",
            "disposable_income_health",
        ];
        for column in COLUMNS.iter().filter(|c| !OWN.contains(c)) {
            let writers = l.outcomes.iter().filter(|o| o.column == *column).count();
            assert_eq!(writers, 1, "`{column}` has {writers} writers");
        }
    }
}
