//! The person columns of a population, gathered from the validated file columns in household
//! order, with the documented defaults and imputations of absent optional columns
//! (population.md).

use super::columns::Columns;
use super::{IMPUTATION_AVERAGE_WAGE_YEARLY, IMPUTATION_YEAR};
use crate::population::{LifeEvents, PensionScheme, Persons, impute};

/// The persons of rows `order` (household order), their `household` column left empty (the
/// grouping fills it). Columns are gathered in parallel.
pub(super) fn persons(c: &Columns, order: &[u32]) -> Persons {
    let n = order.len();
    let mut p = Persons::default();
    rayon::scope(|s| {
        s.spawn(|_| {
            (p.pension_scheme, p.contribution_years, p.account_balance) = pensions(c, order);
        });
        s.spawn(|_| p.person_id = gather(&c.person_id, order));
        s.spawn(|_| p.age = gather(&c.age, order));
        s.spawn(|_| p.sex = gather(&c.sex, order));
        s.spawn(|_| {
            p.hukou = match &c.hukou {
                None => gather(&c.residence, order),
                Some(h) => order
                    .iter()
                    .map(|&r| h[r as usize].unwrap_or(c.residence[r as usize]))
                    .collect(),
            };
        });
        s.spawn(|_| p.employment = gather(&c.employment, order));
        s.spawn(|_| p.earnings_yearly = gather(&c.earnings, order));
        s.spawn(|_| p.other_income_yearly = gather_or(&c.other_income, order, 0.0));
        s.spawn(|_| p.indexed_wage_ratio = gather_or(&c.indexed_wage_ratio, order, f64::NAN));
        s.spawn(|_| p.resident_tier_yearly = gather_or(&c.resident_tier, order, 0.0));
        s.spawn(|_| p.current_pension_yearly = gather_or(&c.current_pension, order, 0.0));
        s.spawn(|_| p.disability_grade = gather_present(&c.disability_grade, order, 0));
        s.spawn(|_| p.cadre = gather_present(&c.cadre, order, false));
        s.spawn(|_| p.no_supporter = gather_present(&c.no_supporter, order, false));
        s.spawn(|_| p.dibao_last_year = gather_present(&c.dibao_last_year, order, false));
        s.spawn(|_| p.tekun_last_year = gather_present(&c.tekun_last_year, order, false));
        s.spawn(|_| p.margin_last_year = gather_present(&c.margin_last_year, order, false));
        s.spawn(|_| p.local_hukou = gather_present(&c.local_hukou, order, true));
        s.spawn(|_| p.outpatient_cost_given = gather_or(&c.outpatient_cost, order, f64::NAN));
        s.spawn(|_| p.inpatient_cost_given = gather_or(&c.inpatient_cost, order, f64::NAN));
        s.spawn(|_| p.life_events = vec![LifeEvents::NONE; n]);
    });
    p
}

/// Pension scheme, contribution years and account balance of rows `order`, given or imputed
/// (each default depends on the one before).
fn pensions(c: &Columns, order: &[u32]) -> (Vec<PensionScheme>, Vec<f64>, Vec<f64>) {
    let n = order.len();
    let cell = |col: &Option<Vec<Option<f64>>>, i: usize| col.as_ref().and_then(|c| c[i]);
    let mut pension_scheme = Vec::with_capacity(n);
    let mut contribution_years = Vec::with_capacity(n);
    let mut account_balance = Vec::with_capacity(n);
    for i in order.iter().map(|&r| r as usize) {
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
    (pension_scheme, contribution_years, account_balance)
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
