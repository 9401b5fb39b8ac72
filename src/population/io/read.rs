//! Reading a population file: the validated columns grouped into households (persons sorted by
//! household, the households of a collective contiguous), regions and collectives, with the
//! documented defaults and imputations of absent optional columns.

use std::collections::HashMap;
use std::path::Path;

use super::cells::Table;
use super::collectives::read_collectives_table;
use super::columns::Columns;
use super::{
    IMPUTATION_AVERAGE_WAGE_YEARLY, IMPUTATION_YEAR, OPTIONAL_COLUMNS, REQUIRED_COLUMNS,
    collectives_path,
};
use crate::error::{Error, Result};
use crate::population::{
    Collectives, Households, NO_COLLECTIVE, PensionScheme, Persons, Population, Residence, impute,
};

/// Most regions a population may have: households index them with a `u16`.
pub const MAX_REGIONS: usize = 1 << 16;

/// Most persons (rows) a population may have: persons are indexed with a `u32`.
pub const MAX_PERSONS: usize = u32::MAX as usize;

/// Reads and validates a population file (and its collectives table when present beside it).
pub fn read(path: &Path) -> Result<Population> {
    let t = Table::read(path)?;
    t.require(&REQUIRED_COLUMNS)?;
    let known: Vec<&str> = REQUIRED_COLUMNS
        .iter()
        .chain(&OPTIONAL_COLUMNS)
        .copied()
        .collect();
    t.refuse_misspelt(&known)?;
    let n = t.rows();
    if n > MAX_PERSONS {
        return Err(Error::Population {
            file: path.to_path_buf(),
            message: format!("{n} rows; a population may have at most {MAX_PERSONS} persons"),
        });
    }

    let Columns {
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
    } = Columns::parse(&t)?;
    let mut region_codes: Vec<String> = Vec::new();

    // Unique person ids.
    let mut by_id: Vec<u32> = (0..n as u32).collect();
    by_id.sort_unstable_by_key(|&i| person_id[i as usize]);
    if let Some(w) = by_id
        .windows(2)
        .find(|w| person_id[w[0] as usize] == person_id[w[1] as usize])
    {
        let (first, second) = (w[0].min(w[1]) as usize, w[0].max(w[1]) as usize);
        return Err(t.cell_error(
            second,
            "person_id",
            format!(
                "duplicate id {} (also on row {})",
                person_id[second],
                first + 1
            ),
        ));
    }

    // Group rows by household: households ordered by (collective, household id) so that the
    // households of a collective are contiguous (the engine never splits a collective); persons
    // keep their file order within the household.
    let coll_of = |i: usize| {
        collective_id
            .as_ref()
            .and_then(|c| c[i])
            .unwrap_or(u64::MAX)
    };
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_by_key(|&i| (coll_of(i as usize), household_id[i as usize], i));

    let mut pop = Population::default();
    let mut households = Households {
        start: vec![0],
        ..Default::default()
    };
    let mut collective_rows: HashMap<u64, u32> = HashMap::new();
    let mut collectives = Collectives::default();
    let mut persons = Persons::default();
    let mut seen_household: HashMap<u64, usize> = HashMap::new();
    let mut region_index: HashMap<&str, u16> = HashMap::new();
    for (k, &row) in order.iter().enumerate() {
        let i = row as usize;
        let hid = household_id[i];
        let new_household = k == 0 || household_id[order[k - 1] as usize] != hid;
        if new_household {
            if let Some(&first) = seen_household.get(&hid) {
                return Err(t.cell_error(i, "collective_id", format!(
                    "household {hid} has members in different collectives (see row {}); a household belongs to one collective",
                    first + 1
                )));
            }
            seen_household.insert(hid, i);
            if k > 0 {
                households.start.push(persons.len() as u32);
            }
            let region_index = match region_index.get(region[i].as_str()) {
                Some(&r) => r,
                None => {
                    let Ok(r) = u16::try_from(region_codes.len()) else {
                        return Err(t.cell_error(
                            i,
                            "region",
                            format!(
                                "`{}` is region code number {}; a population may have at most \
                                 {MAX_REGIONS} regions",
                                region[i],
                                region_codes.len() + 1
                            ),
                        ));
                    };
                    region_codes.push(region[i].clone());
                    region_index.insert(region[i].as_str(), r);
                    r
                }
            };
            let coll = match collective_id.as_ref().and_then(|c| c[i]) {
                None => NO_COLLECTIVE,
                Some(cid) => {
                    let next = collective_rows.len() as u32;
                    let row = *collective_rows.entry(cid).or_insert(next);
                    if row == next {
                        collectives.collective_id.push(cid);
                        collectives.region.push(region_index);
                    }
                    row
                }
            };
            households.household_id.push(hid);
            households.weight.push(weight[i]);
            households.region.push(region_index);
            households.residence.push(residence[i]);
            households.collective.push(coll);
        } else {
            let h = households.len() - 1;
            let first = seen_household[&hid];
            let differs = |what: &str, a: String, b: String| -> Result<()> {
                if a == b {
                    Ok(())
                } else {
                    Err(t.cell_error(i, what, format!(
                        "{b} differs from {a} on row {} of the same household {hid}; {what} must be equal within a household",
                        first + 1
                    )))
                }
            };
            differs(
                "weight",
                households.weight[h].to_string(),
                weight[i].to_string(),
            )?;
            differs(
                "residence",
                households.residence[h].as_str().into(),
                residence[i].as_str().into(),
            )?;
            differs(
                "region",
                region_codes[households.region[h] as usize].clone(),
                region[i].clone(),
            )?;
        }
        let h = households.len() - 1;
        let scheme = pension_scheme
            .as_ref()
            .and_then(|s| s[i])
            .unwrap_or_else(|| {
                PensionScheme::default_for(
                    employment[i],
                    age[i],
                    current_pension.as_ref().and_then(|c| c[i]).unwrap_or(0.0),
                )
            });
        let years = contribution_years
            .as_ref()
            .and_then(|c| c[i])
            .unwrap_or_else(|| impute::contribution_years(age[i], scheme, IMPUTATION_YEAR));
        persons.person_id.push(person_id[i]);
        persons.household.push(h as u32);
        persons.age.push(age[i]);
        persons.sex.push(sex[i]);
        persons
            .hukou
            .push(hukou.as_ref().and_then(|c| c[i]).unwrap_or(residence[i]));
        persons.employment.push(employment[i]);
        persons.earnings_yearly.push(earnings[i]);
        persons
            .other_income_yearly
            .push(other_income.as_ref().and_then(|c| c[i]).unwrap_or(0.0));
        persons.pension_scheme.push(scheme);
        persons.contribution_years.push(years);
        persons
            .account_balance
            .push(
                account_balance
                    .as_ref()
                    .and_then(|c| c[i])
                    .unwrap_or_else(|| {
                        impute::account_balance(
                            scheme,
                            employment[i],
                            years,
                            earnings[i],
                            IMPUTATION_AVERAGE_WAGE_YEARLY,
                        )
                    }),
            );
        persons.indexed_wage_ratio.push(
            indexed_wage_ratio
                .as_ref()
                .and_then(|c| c[i])
                .unwrap_or(f64::NAN),
        );
        persons
            .resident_tier_yearly
            .push(resident_tier.as_ref().and_then(|c| c[i]).unwrap_or(0.0));
        persons
            .current_pension_yearly
            .push(current_pension.as_ref().and_then(|c| c[i]).unwrap_or(0.0));
        persons
            .disability_grade
            .push(disability_grade.as_ref().map_or(0, |c| c[i]));
        persons.cadre.push(cadre.as_ref().is_some_and(|c| c[i]));
        persons
            .no_supporter
            .push(no_supporter.as_ref().is_some_and(|c| c[i]));
        persons
            .dibao_last_year
            .push(dibao_last_year.as_ref().is_some_and(|c| c[i]));
        persons
            .tekun_last_year
            .push(tekun_last_year.as_ref().is_some_and(|c| c[i]));
        persons
            .margin_last_year
            .push(margin_last_year.as_ref().is_some_and(|c| c[i]));
        persons
            .local_hukou
            .push(local_hukou.as_ref().is_none_or(|c| c[i]));
        let given =
            |c: &Option<Vec<Option<f64>>>| c.as_ref().and_then(|c| c[i]).unwrap_or(f64::NAN);
        persons.outpatient_cost_given.push(given(&outpatient_cost));
        persons.inpatient_cost_given.push(given(&inpatient_cost));
        persons.life_events.push(Default::default());
    }
    households.start.push(persons.len() as u32);
    check_collectives_homogeneous(&t, &households, &collectives, &region_codes)?;

    let table_path = collectives_path(path);
    if table_path.exists() {
        collectives.table = Some(read_collectives_table(
            &table_path,
            &collectives,
            &region_codes,
        )?);
    }
    pop.persons = persons;
    pop.households = households;
    pop.collectives = collectives;
    pop.regions = region_codes;
    Ok(pop)
}

/// Rejects a collective whose households lie in two regions or residences (rules 10).
fn check_collectives_homogeneous(
    t: &Table,
    hh: &Households,
    coll: &Collectives,
    regions: &[String],
) -> Result<()> {
    let mut residence_of: Vec<Option<Residence>> = vec![None; coll.len()];
    for h in 0..hh.len() {
        let c = hh.collective[h];
        if c == NO_COLLECTIVE {
            continue;
        }
        let c = c as usize;
        let problem = if hh.region[h] != coll.region[c] {
            Some(format!(
                "collective {} has households in regions `{}` and `{}`; a collective lies in one region",
                coll.collective_id[c],
                regions[coll.region[c] as usize],
                regions[hh.region[h] as usize]
            ))
        } else if residence_of[c].is_some_and(|r| r != hh.residence[h]) {
            Some(format!(
                "collective {} has both urban and rural households; a collective lies in one residence",
                coll.collective_id[c]
            ))
        } else {
            None
        };
        if let Some(message) = problem {
            return Err(Error::Population {
                file: t.file.clone(),
                message: format!(
                    "column `collective_id`: {message} (household {})",
                    hh.household_id[h]
                ),
            });
        }
        residence_of[c] = Some(hh.residence[h]);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{Dir, HEADER, err_of, two_households};
    use super::*;

    /// One household a row, household `i` in region `r<i>`.
    fn regions_csv(rows: usize) -> String {
        let mut body = format!("{HEADER}\n");
        for i in 1..=rows {
            body.push_str(&format!("{i},{i},1,r{i},rural,40,m,farmer,1000\n"));
        }
        body
    }

    /// Regression (issue 16): region codes past 65,535 wrapped round to region 0 (and every new
    /// code was a linear search). 65,536 regions read, each its own index; one more is an error
    /// naming its row.
    #[test]
    fn at_most_65536_regions_each_its_own() {
        let d = Dir::new("regions");
        let pop = read(&d.csv("pop.csv", &regions_csv(MAX_REGIONS))).unwrap();
        assert_eq!(pop.regions.len(), MAX_REGIONS);
        assert_eq!(pop.households.region.last(), Some(&u16::MAX));
        assert_eq!(pop.regions[usize::from(u16::MAX)], "r65536");
        let e = err_of(&regions_csv(MAX_REGIONS + 1));
        assert!(
            e.contains(
                "row 65537, column `region`: `r65537` is region code number 65537; a \
                        population may have at most 65536 regions"
            ),
            "{e}"
        );
    }

    /// Regression (issue 16): a misspelt optional column was ignored without a word (its
    /// default taken); it is refused naming the column meant. A column far from every known
    /// name (a survey's own) is still ignored.
    #[test]
    fn a_misspelt_optional_column_is_refused() {
        let e = err_of(&format!(
            "{HEADER},disabilty_grade\n1,1,1,national,rural,40,m,farmer,1000,2\n"
        ));
        assert!(
            e.contains(
                "column `disabilty_grade` is not a population column; is it \
                        `disability_grade` misspelt?"
            ),
            "{e}"
        );
        let d = Dir::new("own-column");
        let own = format!("{HEADER},interviewer\n1,1,1,national,rural,40,m,farmer,1000,li\n");
        assert!(read(&d.csv("pop.csv", &own)).is_ok());
    }

    /// Regression (issue 16): weights outside roughly 1e-9..1e25 gave wrong fiscal totals. The
    /// range is stated and checked.
    #[test]
    fn weights_outside_the_stated_range_are_refused() {
        for (w, ok) in [
            ("0.001", true),
            ("1e10", true),
            ("0.0009", false),
            ("2e10", false),
        ] {
            let body = format!("{HEADER}\n1,1,{w},national,rural,40,m,farmer,1000\n");
            if ok {
                let d = Dir::new("weight-ok");
                assert!(read(&d.csv("pop.csv", &body)).is_ok(), "{w}");
            } else {
                let e = err_of(&body);
                assert!(
                    e.contains("column `weight`") && e.contains("must be within 0.001..=1e10"),
                    "{e}"
                );
            }
        }
    }

    #[test]
    fn reads_valid_file_with_defaults_and_groups_households() {
        let d = Dir::new("ok");
        let pop = read(&d.csv("pop.csv", &two_households())).unwrap();
        assert_eq!(pop.persons.len(), 3);
        assert_eq!(pop.households.len(), 2);
        assert_eq!(pop.households.size(0), 2);
        assert_eq!(pop.households.size(1), 1, "a household of one loads");
        assert_eq!(pop.persons.age[2], 110, "a person aged 110 loads");
        assert_eq!(pop.total_weight(), 2.0 * 500.5 + 800.0);
        // Defaults of population.md: hukou = residence, scheme from employment and age.
        assert_eq!(pop.persons.hukou[0], Residence::Rural);
        assert_eq!(pop.persons.pension_scheme[0], PensionScheme::Resident);
        assert_eq!(pop.persons.pension_scheme[1], PensionScheme::None);
        assert!(pop.persons.indexed_wage_ratio[0].is_nan());
        // Imputed: a 40-year-old resident member in 2022 has 13 years (since 2009) and 13 x 130.
        assert_eq!(pop.persons.contribution_years[0], 13.0);
        assert_eq!(pop.persons.account_balance[0], 1690.0);
    }

    #[test]
    fn weights_differing_inside_household() {
        let e = err_of(&format!(
            "{HEADER}\n1,7,1,national,urban,30,m,employee,5\n2,7,2,national,urban,28,f,employee,5\n"
        ));
        assert!(
            e.contains("row 2, column `weight`") && e.contains("equal within a household"),
            "{e}"
        );
    }

    #[test]
    fn duplicate_person_id() {
        let e = err_of(&format!(
            "{HEADER}\n5,1,1,national,urban,30,m,employee,5\n5,2,1,national,urban,28,f,employee,5\n"
        ));
        assert!(
            e.contains("row 2, column `person_id`: duplicate id 5 (also on row 1)"),
            "{e}"
        );
    }

    #[test]
    fn collective_spanning_two_residences_is_rejected() {
        let e = err_of(&format!(
            "{HEADER},collective_id\n1,1,1,national,rural,30,m,farmer,5,9\n2,2,1,national,urban,30,m,farmer,5,9\n"
        ));
        assert!(
            e.contains("collective 9 has both urban and rural households"),
            "{e}"
        );
    }

    #[test]
    fn households_of_a_collective_are_contiguous() {
        let d = Dir::new("coll");
        let body = format!(
            "{HEADER},collective_id\n1,1,1,national,rural,30,m,farmer,5,9\n2,2,1,national,rural,30,m,farmer,5,\n3,3,1,national,rural,30,m,farmer,5,9\n"
        );
        let pop = read(&d.csv("pop.csv", &body)).unwrap();
        assert_eq!(pop.households.collective, vec![0, 0, NO_COLLECTIVE]);
        assert_eq!(pop.households.household_id, vec![1, 3, 2]);
    }
}
