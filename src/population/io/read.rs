//! Reading a population file: the validated columns grouped into households (persons sorted by
//! household, the households of a collective contiguous), regions and collectives, with the
//! documented defaults and imputations of absent optional columns.

use std::path::Path;

use super::cells::Table;
use super::collectives::read_collectives_table;
use super::columns::Columns;
use super::persons::persons;
use super::words::FastMap;
use super::{OPTIONAL_COLUMNS, REQUIRED_COLUMNS, collectives_path};
use crate::error::{Error, Result};
use crate::population::{Collectives, Households, NO_COLLECTIVE, Population, Residence};

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
    let columns = Columns::parse(&t)?;
    check_unique_ids(&t, &columns.person_id)?;
    let order = household_order(&columns.household_id, columns.collective_id.as_deref());
    // The person columns do not depend on the grouping (nor can fail): gathered meanwhile.
    let (grouped, mut persons) =
        rayon::join(|| group(&t, &columns, &order), || persons(&columns, &order));
    let Grouped {
        households,
        mut collectives,
        regions,
        household_of,
    } = grouped?;
    check_collectives_homogeneous(&t, &households, &collectives, &regions)?;
    persons.household = household_of;

    let table_path = collectives_path(path);
    if table_path.exists() {
        collectives.table = Some(read_collectives_table(&table_path, &collectives, &regions)?);
    }
    Ok(Population {
        persons,
        households,
        collectives,
        regions,
    })
}

/// Rejects a person id given twice, naming the later row and the earlier one.
fn check_unique_ids(t: &Table, person_id: &[u64]) -> Result<()> {
    // Ids increasing in file order (how files are usually written) are unique: no sort.
    if person_id.windows(2).all(|w| w[0] < w[1]) {
        return Ok(());
    }
    let mut by_id: Vec<u32> = (0..person_id.len() as u32).collect();
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
    Ok(())
}

/// The rows ordered by (collective, household id, row), a row without a collective keyed
/// `u64::MAX`: the households of a collective contiguous (the engine never splits a
/// collective), persons in file order within a household.
fn household_order(household_id: &[u64], collective_id: Option<&[Option<u64>]>) -> Vec<u32> {
    let n = household_id.len() as u32;
    let key = |i: u32| {
        collective_id
            .and_then(|c| c[i as usize])
            .unwrap_or(u64::MAX)
    };
    // Rows in a collective (usually few) sorted by their whole key; the others keep file order
    // when it is already by household id (so a sorted file needs no sort).
    let mut head: Vec<(u64, u64, u32)> = match collective_id {
        None => Vec::new(),
        Some(_) => (0..n)
            .filter(|&i| key(i) != u64::MAX)
            .map(|i| (key(i), household_id[i as usize], i))
            .collect(),
    };
    head.sort_unstable();
    let mut tail: Vec<u32> = if head.is_empty() {
        (0..n).collect()
    } else {
        (0..n).filter(|&i| key(i) == u64::MAX).collect()
    };
    if !tail.is_sorted_by_key(|&i| household_id[i as usize]) {
        tail.sort_unstable_by_key(|&i| (household_id[i as usize], i));
    }
    if head.is_empty() {
        return tail;
    }
    let mut order = Vec::with_capacity(n as usize);
    order.extend(head.iter().map(|&(_, _, i)| i));
    order.extend(tail);
    order
}

/// Households, collectives and regions built from the rows in household order.
struct Grouped {
    households: Households,
    collectives: Collectives,
    regions: Vec<String>,
    /// The household of each person (in household order).
    household_of: Vec<u32>,
}

/// Groups the rows (in `order`) into households, checking that the members of a household
/// agree on its weight, residence and region and lie in one collective.
fn group(t: &Table, c: &Columns, order: &[u32]) -> Result<Grouped> {
    let mut households = Households {
        start: vec![0],
        ..Default::default()
    };
    let mut collectives = Collectives::default();
    let mut regions: Vec<String> = Vec::new();
    // The population's region index of each word of the region column.
    let mut region_of_code: Vec<Option<u16>> = vec![None; c.region.words.len()];
    let mut collective_rows: FastMap<u64, u32> = FastMap::default();
    // The first row of each household of a collective: a household id comes round again only
    // after one of them (the other rows are in household-id order, after the collectives').
    let mut in_collective: FastMap<u64, usize> = FastMap::default();
    let mut household_of: Vec<u32> = Vec::with_capacity(order.len());
    let mut first = 0;
    for (k, &row) in order.iter().enumerate() {
        let i = row as usize;
        let hid = c.household_id[i];
        let new_household = k == 0 || c.household_id[order[k - 1] as usize] != hid;
        if new_household {
            if let Some(&first) = in_collective.get(&hid) {
                return Err(t.cell_error(i, "collective_id", format!(
                    "household {hid} has members in different collectives (see row {}); a household belongs to one collective",
                    first + 1
                )));
            }
            let collective_id = c.collective_id.as_ref().and_then(|col| col[i]);
            if collective_id.is_some_and(|id| id != u64::MAX) {
                in_collective.insert(hid, i);
            }
            first = i;
            if k > 0 {
                households.start.push(k as u32);
            }
            let code = c.region.codes[i] as usize;
            let region = match region_of_code[code] {
                Some(r) => r,
                None => {
                    let Ok(r) = u16::try_from(regions.len()) else {
                        return Err(t.cell_error(
                            i,
                            "region",
                            format!(
                                "`{}` is region code number {}; a population may have at most \
                                 {MAX_REGIONS} regions",
                                c.region.word(i),
                                regions.len() + 1
                            ),
                        ));
                    };
                    regions.push(c.region.words[code].clone());
                    region_of_code[code] = Some(r);
                    r
                }
            };
            let coll = match collective_id {
                None => NO_COLLECTIVE,
                Some(cid) => {
                    let next = collective_rows.len() as u32;
                    let row = *collective_rows.entry(cid).or_insert(next);
                    if row == next {
                        collectives.collective_id.push(cid);
                        collectives.region.push(region);
                    }
                    row
                }
            };
            households.household_id.push(hid);
            households.weight.push(c.weight[i]);
            households.region.push(region);
            households.residence.push(c.residence[i]);
            households.collective.push(coll);
        } else {
            let h = households.len() - 1;
            let differs = |what: &str, a: &dyn std::fmt::Display, b: &dyn std::fmt::Display| {
                t.cell_error(i, what, format!(
                    "{b} differs from {a} on row {} of the same household {hid}; {what} must be equal within a household",
                    first + 1
                ))
            };
            // Bit equality is the equality of the shortest decimal forms the check once compared.
            if c.weight[i].to_bits() != households.weight[h].to_bits() {
                return Err(differs("weight", &households.weight[h], &c.weight[i]));
            }
            if c.residence[i] != households.residence[h] {
                return Err(differs(
                    "residence",
                    &households.residence[h].as_str(),
                    &c.residence[i].as_str(),
                ));
            }
            if c.region.codes[i] != c.region.codes[first] {
                return Err(differs("region", &c.region.word(first), &c.region.word(i)));
            }
        }
        household_of.push((households.len() - 1) as u32);
    }
    households.start.push(order.len() as u32);
    Ok(Grouped {
        households,
        collectives,
        regions,
        household_of,
    })
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
    use crate::population::PensionScheme;

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
