//! Per-person microdata (indicators.md, "Per-person microdata"): one row per living person with
//! exactly the spec's columns in its order, written as Parquet and CSV so any tool can join them
//! to the input population by person_id.

use std::path::Path;

use polars::prelude::*;

use crate::engine::YearView;
use crate::error::{Error, Result};

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
    let money = |name: &str, pick: fn(&crate::rules::Outcomes) -> &Vec<f64>| -> Column {
        let values: Vec<f64> = view
            .chunks
            .iter()
            .flat_map(|c| pick(&c.outcomes).iter().copied())
            .collect();
        Column::new(name.into(), values)
    };
    let columns = vec![
        Column::new("person_id".into(), person_id),
        Column::new("household_id".into(), household_id),
        Column::new("year".into(), vec![view.year; n]),
        Column::new("scenario".into(), vec![scenario; n]),
        Column::new("weight".into(), weight),
        Column::new("region".into(), region),
        Column::new("residence".into(), residence),
        Column::new("age".into(), age),
        Column::new("disability_grade".into(), grade),
        money("market_income", |o| &o.market_income),
        money("own_contributions", |o| &o.own_contributions),
        money("resident_pension", |o| &o.resident_pension),
        money("employee_pension", |o| &o.employee_pension),
        money("elderly_allowance", |o| &o.elderly_allowance),
        money("dibao", |o| &o.dibao),
        money("tekun_support", |o| &o.tekun_support),
        money("one_time_subsidy", |o| &o.one_time_subsidy),
        money("care_subsidy", |o| &o.care_subsidy),
        money("categorical_transfers", |o| &o.categorical_transfers),
        money("ltc_reimbursement", |o| &o.ltc_reimbursement),
        money("care_cost", |o| &o.care_cost),
        money("collective_subsidy", |o| &o.collective_subsidy),
        money("government_paid_contribution", |o| {
            &o.government_paid_contribution
        }),
        money("disposable_income", |o| &o.disposable_income),
        money("disposable_income_care", |o| &o.disposable_income_care),
        money("household_per_capita_disposable", |o| {
            &o.household_per_capita_disposable
        }),
        Column::new("dibao_status".into(), status),
    ];
    DataFrame::new_infer_height(columns).map_err(|cause| Error::Table {
        context: "building microdata".into(),
        cause,
    })
}

/// Writes `<dir>/<scenario>_<year>.parquet` and `.csv`.
pub fn write(dir: &Path, scenario: &str, view: &YearView<'_>) -> Result<()> {
    let mut df = frame(scenario, view)?;
    let stem = format!("{}_{}", sanitize(scenario), view.year);
    crate::population::io::write_frame_to(&mut df, &dir.join(format!("{stem}.parquet")))?;
    crate::population::io::write_frame_to(&mut df, &dir.join(format!("{stem}.csv")))
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
