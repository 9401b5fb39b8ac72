//! Per-person microdata (indicators.md, "Per-person microdata"): one row per living person with
//! exactly the spec's columns in its order, written as Parquet and CSV so any tool can join them
//! to the input population by person_id.

use std::path::Path;

use polars::prelude::*;

use crate::engine::YearView;
use crate::error::Result;

/// The microdata columns, in the spec's order.
pub const COLUMNS: [&str; 27] = [
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
];

/// The programs' outcome columns among [`COLUMNS`], in the spec's order.
const PROGRAM_COLUMNS: [&str; 12] = [
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
];

/// Builds the microdata table of one scenario and year.
pub fn frame(scenario: &str, view: &YearView<'_>) -> Result<DataFrame> {
    let n: usize = view.chunks.iter().map(|c| c.persons.len()).sum();
    let mut person_id = Vec::with_capacity(n);
    let mut household_id = Vec::with_capacity(n);
    let mut weight = Vec::with_capacity(n);
    let mut region = Vec::with_capacity(n);
    let mut residence = Vec::with_capacity(n);
    let mut age = Vec::with_capacity(n);
    let mut grade = Vec::with_capacity(n);
    let mut status = Vec::with_capacity(n);
    for c in view.chunks {
        for (i, &h) in c.persons.household.iter().enumerate() {
            let h = h as usize;
            person_id.push(c.persons.person_id[i]);
            household_id.push(c.households.household_id[h]);
            weight.push(c.households.weight[h]);
            region.push(view.regions[c.households.region[h] as usize].as_str());
            residence.push(c.households.residence[h].as_str());
            age.push(c.persons.age[i]);
            grade.push(c.persons.disability_grade[i]);
            status.push(c.outcomes.dibao_status[i].as_str());
        }
    }
    let money = |name: &str, pick: &dyn Fn(&crate::rules::Outcomes) -> &[f64]| -> Column {
        let values: Vec<f64> = view
            .chunks
            .iter()
            .flat_map(|c| pick(&c.outcomes).iter().copied())
            .collect();
        Column::new(name.into(), values)
    };
    // A program's column, by the spec's name (every spec column has one writer: a rules test).
    let program = |name: &'static str| -> Column {
        money(name, &|o| {
            o.column(name).expect("registered microdata column")
        })
    };
    let mut columns = vec![
        Column::new("person_id".into(), person_id),
        Column::new("household_id".into(), household_id),
        Column::new("year".into(), vec![view.year; n]),
        Column::new("scenario".into(), vec![scenario; n]),
        Column::new("weight".into(), weight),
        Column::new("region".into(), region),
        Column::new("residence".into(), residence),
        Column::new("age".into(), age),
        Column::new("disability_grade".into(), grade),
        money("market_income", &|o| &o.market_income),
        money("own_contributions", &|o| &o.own_contributions),
    ];
    columns.extend(PROGRAM_COLUMNS.iter().map(|&c| program(c)));
    columns.extend([
        money("disposable_income", &|o| &o.disposable_income),
        money("disposable_income_care", &|o| &o.disposable_income_care),
        money("household_per_capita_disposable", &|o| {
            &o.household_per_capita_disposable
        }),
        Column::new("dibao_status".into(), status),
    ]);
    crate::table::frame("microdata", columns)
}

/// Writes `<dir>/<scenario>_<year>.parquet` and `.csv`.
pub fn write(dir: &Path, scenario: &str, view: &YearView<'_>) -> Result<()> {
    let mut df = frame(scenario, view)?;
    let stem = format!("{}_{}", sanitize(scenario), view.year);
    crate::table::write_frame(&mut df, &dir.join(format!("{stem}.parquet")))?;
    crate::table::write_frame(&mut df, &dir.join(format!("{stem}.csv")))
}

/// A scenario name as a file-name part: letters, digits (any script), `-` and `_`.
pub fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
