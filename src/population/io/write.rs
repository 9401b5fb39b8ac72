//! Writing a population as Parquet or CSV by the file's extension, in batches of rows, with its
//! collectives table beside it.

use std::path::Path;

use polars::prelude::*;

use super::collectives::write_collectives_table;
use super::{collectives_path, format_of};
use crate::error::Result;
use crate::population::{NO_COLLECTIVE, Population};
use crate::table;

/// Rows per batch when writing: bounds the memory a write adds to the population's own.
const BATCH_ROWS: usize = 1 << 20;

/// Builds the person-level DataFrame of persons `rows` of a population, with every optional
/// column, in row order.
pub fn person_frame(pop: &Population, rows: std::ops::Range<usize>) -> Result<DataFrame> {
    let p = &pop.persons;
    let hh = &pop.households;
    let households = &p.household[rows.clone()];
    let per_household = |f: &dyn Fn(usize) -> f64| -> Vec<f64> {
        households.iter().map(|&h| f(h as usize)).collect()
    };
    let words =
        |f: &dyn Fn(usize) -> &'static str| -> Vec<&'static str> { rows.clone().map(f).collect() };
    let region: Vec<&str> = households
        .iter()
        .map(|&h| pop.regions[hh.region[h as usize] as usize].as_str())
        .collect();
    let collective: Vec<Option<u64>> = households
        .iter()
        .map(|&h| {
            let c = hh.collective[h as usize];
            (c != NO_COLLECTIVE).then(|| pop.collectives.collective_id[c as usize])
        })
        .collect();
    let ratio: Vec<Option<f64>> = p.indexed_wage_ratio[rows.clone()]
        .iter()
        .map(|&r| (!r.is_nan()).then_some(r))
        .collect();
    let r = rows.clone();
    table::frame(
        "the population table",
        vec![
            Column::new("person_id".into(), &p.person_id[r.clone()]),
            Column::new(
                "household_id".into(),
                households
                    .iter()
                    .map(|&h| hh.household_id[h as usize])
                    .collect::<Vec<u64>>(),
            ),
            Column::new("weight".into(), per_household(&|h| hh.weight[h])),
            Column::new("region".into(), region),
            Column::new(
                "residence".into(),
                words(&|i| hh.residence[p.household[i] as usize].as_str()),
            ),
            Column::new("age".into(), &p.age[r.clone()]),
            Column::new("sex".into(), words(&|i| p.sex[i].as_str())),
            Column::new("employment".into(), words(&|i| p.employment[i].as_str())),
            Column::new("earnings".into(), &p.earnings_yearly[r.clone()]),
            Column::new("hukou".into(), words(&|i| p.hukou[i].as_str())),
            Column::new("other_income".into(), &p.other_income_yearly[r.clone()]),
            Column::new(
                "pension_scheme".into(),
                words(&|i| p.pension_scheme[i].as_str()),
            ),
            Column::new(
                "contribution_years".into(),
                &p.contribution_years[r.clone()],
            ),
            Column::new("account_balance".into(), &p.account_balance[r.clone()]),
            Column::new("indexed_wage_ratio".into(), ratio),
            Column::new("resident_tier".into(), &p.resident_tier_yearly[r.clone()]),
            Column::new(
                "current_pension".into(),
                &p.current_pension_yearly[r.clone()],
            ),
            Column::new("disability_grade".into(), &p.disability_grade[r.clone()]),
            Column::new("cadre".into(), &p.cadre[r.clone()]),
            Column::new("no_supporter".into(), &p.no_supporter[r.clone()]),
            Column::new("collective_id".into(), collective),
            Column::new("dibao_last_year".into(), &p.dibao_last_year[r.clone()]),
            Column::new("tekun_last_year".into(), &p.tekun_last_year[r.clone()]),
            Column::new("margin_last_year".into(), &p.margin_last_year[r.clone()]),
            Column::new("local_hukou".into(), &p.local_hukou[r]),
        ],
    )
}

/// Writes a population (and its collectives table, when it has one) as Parquet or CSV by the
/// file's extension, in batches of rows so that memory stays near the population's own. Each
/// file is written to a temporary name and renamed, so it is complete or absent.
pub fn write(pop: &Population, path: &Path) -> Result<()> {
    let format = format_of(path)?;
    let n = pop.persons.len();
    let batches = (0..n.max(1))
        .step_by(BATCH_ROWS)
        .map(|lo| person_frame(pop, lo..(lo + BATCH_ROWS).min(n)));
    table::write_frames(path, format, batches)?;
    if let Some(table) = &pop.collectives.table {
        write_collectives_table(pop, table, &collectives_path(path))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::read;
    use super::super::testkit::{Dir, two_households};
    use super::*;

    #[test]
    fn round_trips_through_csv_and_parquet() {
        let d = Dir::new("rt");
        let mut pop = read(&d.csv("pop.csv", &two_households())).unwrap();
        pop.persons.indexed_wage_ratio[0] = 1.25;
        pop.persons.no_supporter[2] = true;
        pop.persons.disability_grade[2] = 3;
        for name in ["out.csv", "out.parquet"] {
            let p = d.0.join(name);
            write(&pop, &p).unwrap();
            let back = read(&p).unwrap();
            assert_eq!(back.persons.person_id, pop.persons.person_id);
            assert_eq!(back.persons.earnings_yearly, pop.persons.earnings_yearly);
            assert_eq!(back.persons.disability_grade, pop.persons.disability_grade);
            assert_eq!(back.persons.no_supporter, pop.persons.no_supporter);
            assert_eq!(back.persons.indexed_wage_ratio[0], 1.25);
            assert!(back.persons.indexed_wage_ratio[1].is_nan());
            assert_eq!(back.households, pop.households);
            assert_eq!(back.regions, pop.regions);
        }
    }
}
