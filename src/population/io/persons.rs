//! The person columns of a population, gathered from the validated file columns in household
//! order, with the documented defaults and imputations of absent optional columns
//! (population.md).

use super::columns::Columns;
use super::{IMPUTATION_AVERAGE_WAGE_YEARLY, IMPUTATION_YEAR};
use crate::population::{LifeEvents, PensionScheme, Persons, impute};

/// The persons of rows `order` (household order), person `k` in household `household_of[k]`.
pub(super) fn persons(c: &Columns, order: &[u32], household_of: Vec<u32>) -> Persons {
    let n = order.len();
    let rows = || order.iter().map(|&r| r as usize);
    let cell = |col: &Option<Vec<Option<f64>>>, i: usize| col.as_ref().and_then(|c| c[i]);
    // Scheme, years and balance depend on one another: one pass.
    let mut pension_scheme = Vec::with_capacity(n);
    let mut contribution_years = Vec::with_capacity(n);
    let mut account_balance = Vec::with_capacity(n);
    for i in rows() {
        let scheme = c
            .pension_scheme
            .as_ref()
            .and_then(|s| s[i])
            .unwrap_or_else(|| {
                PensionScheme::default_for(
                    c.employment[i],
                    c.age[i],
                    cell(&c.current_pension, i).unwrap_or(0.0),
                )
            });
        let years = cell(&c.contribution_years, i)
            .unwrap_or_else(|| impute::contribution_years(c.age[i], scheme, IMPUTATION_YEAR));
        let balance = cell(&c.account_balance, i).unwrap_or_else(|| {
            impute::account_balance(
                scheme,
                c.employment[i],
                years,
                c.earnings[i],
                IMPUTATION_AVERAGE_WAGE_YEARLY,
            )
        });
        pension_scheme.push(scheme);
        contribution_years.push(years);
        account_balance.push(balance);
    }
    Persons {
        person_id: gather(&c.person_id, order),
        household: household_of,
        age: gather(&c.age, order),
        sex: gather(&c.sex, order),
        hukou: match &c.hukou {
            None => gather(&c.residence, order),
            Some(h) => rows().map(|i| h[i].unwrap_or(c.residence[i])).collect(),
        },
        employment: gather(&c.employment, order),
        earnings_yearly: gather(&c.earnings, order),
        other_income_yearly: gather_or(&c.other_income, order, 0.0),
        pension_scheme,
        contribution_years,
        account_balance,
        indexed_wage_ratio: gather_or(&c.indexed_wage_ratio, order, f64::NAN),
        resident_tier_yearly: gather_or(&c.resident_tier, order, 0.0),
        current_pension_yearly: gather_or(&c.current_pension, order, 0.0),
        disability_grade: gather_present(&c.disability_grade, order, 0),
        cadre: gather_present(&c.cadre, order, false),
        no_supporter: gather_present(&c.no_supporter, order, false),
        dibao_last_year: gather_present(&c.dibao_last_year, order, false),
        tekun_last_year: gather_present(&c.tekun_last_year, order, false),
        margin_last_year: gather_present(&c.margin_last_year, order, false),
        local_hukou: gather_present(&c.local_hukou, order, true),
        outpatient_cost_given: gather_or(&c.outpatient_cost, order, f64::NAN),
        inpatient_cost_given: gather_or(&c.inpatient_cost, order, f64::NAN),
        life_events: vec![LifeEvents::NONE; n],
    }
}

/// Rows `order` of `col`.
fn gather<T: Copy>(col: &[T], order: &[u32]) -> Vec<T> {
    order.iter().map(|&r| col[r as usize]).collect()
}

/// Rows `order` of an optional column, `default` where the column is absent.
fn gather_present<T: Copy>(col: &Option<Vec<T>>, order: &[u32], default: T) -> Vec<T> {
    match col {
        None => vec![default; order.len()],
        Some(col) => gather(col, order),
    }
}

/// Rows `order` of an optional column with empty cells, `default` where the column is absent or
/// the cell empty.
fn gather_or<T: Copy>(col: &Option<Vec<Option<T>>>, order: &[u32], default: T) -> Vec<T> {
    match col {
        None => vec![default; order.len()],
        Some(col) => order
            .iter()
            .map(|&r| col[r as usize].unwrap_or(default))
            .collect(),
    }
}
