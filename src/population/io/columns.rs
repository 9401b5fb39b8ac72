//! The columns of a population file (population.md), each validated cell by cell: required
//! columns must be present and filled; an absent optional column is `None` (its documented
//! default is applied when households are built), an empty optional cell `None` in its column.

use super::cells::{
    CellKind, Table, flag, in_range, number, one_of, optional, required, whole, word,
};
use super::words::{Words, words};
use crate::error::Result;
use crate::population::{Employment, MAX_AGE, PensionScheme, Residence, Sex};

/// Every column of a population file, named as in the file (population.md), one entry per row
/// in file order.
pub(super) struct Columns {
    pub(super) person_id: Vec<u64>,
    pub(super) household_id: Vec<u64>,
    pub(super) weight: Vec<f64>,
    pub(super) region: Words,
    pub(super) residence: Vec<Residence>,
    pub(super) age: Vec<u8>,
    pub(super) sex: Vec<Sex>,
    pub(super) employment: Vec<Employment>,
    pub(super) earnings: Vec<f64>,
    pub(super) hukou: Option<Vec<Option<Residence>>>,
    pub(super) other_income: Option<Vec<Option<f64>>>,
    pub(super) pension_scheme: Option<Vec<Option<PensionScheme>>>,
    pub(super) contribution_years: Option<Vec<Option<f64>>>,
    pub(super) account_balance: Option<Vec<Option<f64>>>,
    pub(super) indexed_wage_ratio: Option<Vec<Option<f64>>>,
    pub(super) resident_tier: Option<Vec<Option<f64>>>,
    pub(super) current_pension: Option<Vec<Option<f64>>>,
    pub(super) disability_grade: Option<Vec<u8>>,
    pub(super) cadre: Option<Vec<bool>>,
    pub(super) no_supporter: Option<Vec<bool>>,
    pub(super) dibao_last_year: Option<Vec<bool>>,
    pub(super) tekun_last_year: Option<Vec<bool>>,
    pub(super) margin_last_year: Option<Vec<bool>>,
    pub(super) local_hukou: Option<Vec<bool>>,
    pub(super) outpatient_cost: Option<Vec<Option<f64>>>,
    pub(super) inpatient_cost: Option<Vec<Option<f64>>>,
    pub(super) collective_id: Option<Vec<Option<u64>>>,
}

/// Smallest weight a row may have (persons it stands for): with amounts of a fen and more, the
/// fixed-point money totals (`numeric::ExactSum`, 2^-24 yuan a term) stay exact to a millionth.
pub const MIN_WEIGHT: f64 = 1e-3;

/// Largest weight a row may have: ten billion persons; with a billion rows and a million yuan a
/// person the totals stay far inside `ExactSum`'s range (about 1e31 yuan).
pub const MAX_WEIGHT: f64 = 1e10;

impl Columns {
    /// Parses and validates every column of `t` (whose required columns are checked present).
    pub(super) fn parse(t: &Table) -> Result<Columns> {
        let opt_num = |name: &str, min: Option<f64>| -> Result<Option<Vec<Option<f64>>>> {
            optional(t, name, CellKind::Number, |c| match c {
                None => Ok(None),
                Some(c) => {
                    let x = number(c)?;
                    match min {
                        Some(lo) => in_range(x, lo, name).map(Some),
                        None => Ok(Some(x)),
                    }
                }
            })
        };
        let opt_flag = |name: &str| -> Result<Option<Vec<bool>>> {
            optional(t, name, CellKind::Flag, |c| {
                c.map(flag).transpose().map(|b| b.unwrap_or(false))
            })
        };
        // Every column parsed at once (each on its own); the first error in column order is
        // the one returned, as when they were parsed one after another.
        let mut person_id = None;
        let mut household_id = None;
        let mut weight = None;
        let mut region = None;
        let mut residence = None;
        let mut age = None;
        let mut sex = None;
        let mut employment = None;
        let mut earnings = None;
        let mut hukou = None;
        let mut other_income = None;
        let mut pension_scheme = None;
        let mut contribution_years = None;
        let mut account_balance = None;
        let mut indexed_wage_ratio = None;
        let mut resident_tier = None;
        let mut current_pension = None;
        let mut disability_grade = None;
        let mut cadre = None;
        let mut no_supporter = None;
        let mut dibao_last_year = None;
        let mut tekun_last_year = None;
        let mut margin_last_year = None;
        let mut local_hukou = None;
        let mut outpatient_cost = None;
        let mut inpatient_cost = None;
        let mut collective_id = None;
        rayon::scope(|s| {
            s.spawn(|_| person_id = Some(t.cells("person_id", CellKind::Number, required(whole))));
            s.spawn(|_| {
                household_id = Some(t.cells("household_id", CellKind::Number, required(whole)))
            });
            s.spawn(|_| weight = Some(t.cells(
                "weight",
                CellKind::Number,
                required(|c| {
                    let w = number(c)?;
                    if (MIN_WEIGHT..=MAX_WEIGHT).contains(&w) {
                        Ok(w)
                    } else {
                        Err(format!(
                            "{w} is not allowed; a weight (persons a row stands for) must be within \
                             {MIN_WEIGHT}..={MAX_WEIGHT:e}"
                        ))
                    }
                }),
            )));
            s.spawn(|_| region = Some(words(t, "region")));
            s.spawn(|_| {
                residence = Some(t.cells(
                    "residence",
                    CellKind::Word,
                    required(|c| one_of(word(c)?, Residence::parse, "urban, rural")),
                ))
            });
            s.spawn(|_| {
                age = Some(t.cells(
                    "age",
                    CellKind::Number,
                    required(|c| {
                        let a = number(c)?;
                        if a.fract() != 0.0 || !(0.0..=f64::from(MAX_AGE)).contains(&a) {
                            Err(format!("{a} is outside 0..={MAX_AGE} (whole years)"))
                        } else {
                            Ok(a as u8)
                        }
                    }),
                ))
            });
            s.spawn(|_| {
                sex = Some(t.cells(
                    "sex",
                    CellKind::Word,
                    required(|c| one_of(word(c)?, Sex::parse, "m, f")),
                ))
            });
            s.spawn(|_| {
                employment = Some(t.cells(
                    "employment",
                    CellKind::Word,
                    required(|c| {
                        one_of(
                            word(c)?,
                            Employment::parse,
                            "employee, flexible, farmer, not_working, student, retired",
                        )
                    }),
                ))
            });
            s.spawn(|_| {
                earnings = Some(t.cells(
                    "earnings",
                    CellKind::Number,
                    required(|c| in_range(number(c)?, 0.0, "earnings")),
                ))
            });
            s.spawn(|_| {
                hukou = Some(optional(t, "hukou", CellKind::Word, |c| {
                    c.map(|c| one_of(word(c)?, Residence::parse, "urban, rural"))
                        .transpose()
                }))
            });
            s.spawn(|_| other_income = Some(opt_num("other_income", None)));
            s.spawn(|_| {
                pension_scheme = Some(optional(t, "pension_scheme", CellKind::Word, |c| {
                    c.map(|c| one_of(word(c)?, PensionScheme::parse, "employee, resident, none"))
                        .transpose()
                }))
            });
            s.spawn(|_| contribution_years = Some(opt_num("contribution_years", Some(0.0))));
            s.spawn(|_| account_balance = Some(opt_num("account_balance", Some(0.0))));
            s.spawn(|_| indexed_wage_ratio = Some(opt_num("indexed_wage_ratio", Some(0.0))));
            s.spawn(|_| resident_tier = Some(opt_num("resident_tier", Some(0.0))));
            s.spawn(|_| current_pension = Some(opt_num("current_pension", Some(0.0))));
            s.spawn(|_| disability_grade = Some(optional(t, "disability_grade", CellKind::Number, |c| match c {
                None => Ok(0),
                Some(c) => {
                    let g = number(c)?;
                    if g.fract() != 0.0 || !(0.0..=3.0).contains(&g) {
                        Err(format!(
                            "{g} is not a grade; allowed: 0 (none), 1 (mild), 2 (moderate), 3 (severe)"
                        ))
                    } else {
                        Ok(g as u8)
                    }
                }
            })));
            s.spawn(|_| cadre = Some(opt_flag("cadre")));
            s.spawn(|_| no_supporter = Some(opt_flag("no_supporter")));
            s.spawn(|_| dibao_last_year = Some(opt_flag("dibao_last_year")));
            s.spawn(|_| tekun_last_year = Some(opt_flag("tekun_last_year")));
            s.spawn(|_| margin_last_year = Some(opt_flag("margin_last_year")));
            s.spawn(|_| {
                local_hukou = Some(optional(t, "local_hukou", CellKind::Flag, |c| {
                    c.map(flag).transpose().map(|b| b.unwrap_or(true))
                }))
            });
            s.spawn(|_| outpatient_cost = Some(opt_num("outpatient_cost", Some(0.0))));
            s.spawn(|_| inpatient_cost = Some(opt_num("inpatient_cost", Some(0.0))));
            s.spawn(|_| {
                collective_id = Some(optional(t, "collective_id", CellKind::Number, |c| {
                    c.map(whole).transpose()
                }))
            });
        });
        let spawned = "every column is parsed in the scope";
        let person_id = person_id.expect(spawned)?;
        let household_id = household_id.expect(spawned)?;
        let weight = weight.expect(spawned)?;
        let region = region.expect(spawned)?;
        let residence = residence.expect(spawned)?;
        let age = age.expect(spawned)?;
        let sex = sex.expect(spawned)?;
        let employment = employment.expect(spawned)?;
        let earnings = earnings.expect(spawned)?;
        let hukou = hukou.expect(spawned)?;
        let other_income = other_income.expect(spawned)?;
        let pension_scheme = pension_scheme.expect(spawned)?;
        let contribution_years = contribution_years.expect(spawned)?;
        let account_balance = account_balance.expect(spawned)?;
        let indexed_wage_ratio = indexed_wage_ratio.expect(spawned)?;
        let resident_tier = resident_tier.expect(spawned)?;
        let current_pension = current_pension.expect(spawned)?;
        let disability_grade = disability_grade.expect(spawned)?;
        let cadre = cadre.expect(spawned)?;
        let no_supporter = no_supporter.expect(spawned)?;
        let dibao_last_year = dibao_last_year.expect(spawned)?;
        let tekun_last_year = tekun_last_year.expect(spawned)?;
        let margin_last_year = margin_last_year.expect(spawned)?;
        let local_hukou = local_hukou.expect(spawned)?;
        let outpatient_cost = outpatient_cost.expect(spawned)?;
        let inpatient_cost = inpatient_cost.expect(spawned)?;
        let collective_id = collective_id.expect(spawned)?;
        Ok(Columns {
            person_id,
            household_id,
            weight,
            region,
            residence,
            age,
            sex,
            employment,
            earnings,
            hukou,
            other_income,
            pension_scheme,
            contribution_years,
            account_balance,
            indexed_wage_ratio,
            resident_tier,
            current_pension,
            disability_grade,
            cadre,
            no_supporter,
            dibao_last_year,
            tekun_last_year,
            margin_last_year,
            local_hukou,
            outpatient_cost,
            inpatient_cost,
            collective_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{HEADER, err_of};

    #[test]
    fn nan_is_rejected_with_row() {
        let e = err_of(&format!(
            "{HEADER}\n1,1,1,national,urban,30,m,employee,1\n2,2,1,national,urban,30,m,employee,NaN\n"
        ));
        assert!(
            e.contains("row 2, column `earnings`: NaN is not allowed"),
            "{e}"
        );
    }

    #[test]
    fn negative_earnings_age_111_and_unknown_residence() {
        let e = err_of(&format!(
            "{HEADER}\n1,1,1,national,urban,30,m,employee,-5\n"
        ));
        assert!(e.contains("column `earnings`: -5 is negative"), "{e}");
        let e = err_of(&format!(
            "{HEADER}\n1,1,1,national,urban,111,m,employee,5\n"
        ));
        assert!(
            e.contains("row 1, column `age`: 111 is outside 0..=110"),
            "{e}"
        );
        let e = err_of(&format!(
            "{HEADER}\n1,1,1,national,suburban,30,m,employee,5\n"
        ));
        assert!(
            e.contains("column `residence`: `suburban` is not allowed; allowed: urban, rural"),
            "{e}"
        );
        let e = err_of(&format!("{HEADER}\n1,1,1,national,urban,-3,m,employee,5\n"));
        assert!(e.contains("column `age`: -3 is outside"), "{e}");
    }
}
