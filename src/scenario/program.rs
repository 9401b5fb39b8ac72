//! `[[program]]` entries: categorical cash transfers (rules 7), their amount and conditions.

use super::Origin;
use super::series::{Series, parse_series};
use super::source::{Item, Source, in_file_order};
use crate::error::Result;
use crate::params::{Indexation, ParamKind, ProgramConditions};
use crate::population::{AssistanceStatus, Employment, MAX_AGE, Residence};

/// Keys a `[[program]]` may hold.
pub(crate) const PROGRAM_KEYS: [&str; 12] = [
    "name",
    "amount_monthly",
    "amount_yearly",
    "region",
    "residence",
    "hukou",
    "age_min",
    "age_max",
    "employment",
    "disability_grade_min",
    "disability_grade_max",
    "status_last_year",
];

/// Statuses `status_last_year` may name.
const STATUSES: [AssistanceStatus; 4] = [
    AssistanceStatus::Dibao,
    AssistanceStatus::Tekun,
    AssistanceStatus::Margin,
    AssistanceStatus::None,
];

/// Residences `residence` and `hukou` may name.
const RESIDENCES: [Residence; 2] = [Residence::Urban, Residence::Rural];

/// Highest disability grade (rules 1).
const MAX_GRADE: i64 = 3;

/// A categorical program as written (amount still a series, possibly monthly).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Program {
    /// Name; its fiscal line is `categorical_<name>`.
    pub name: String,
    /// Amount per eligible person, by year.
    pub amount: Series,
    /// Whether the amount was written monthly (x 12 at resolution).
    pub monthly: bool,
    /// Who is eligible.
    pub conditions: ProgramConditions,
    /// Where the program was written.
    pub origin: Origin,
}

/// Parses one `[[program]]` table.
pub(crate) fn parse_program(src: &Source, item: &Item) -> Result<Program> {
    let table = src.table("program", item)?;
    let mut name = None;
    let mut amount: Option<(Series, bool, &str)> = None;
    let mut c = ProgramConditions::default();
    for (k, v) in in_file_order(table) {
        let key = k.get_ref().as_ref();
        match key {
            "name" => {
                let n = src.string(key, v)?;
                if n.is_empty()
                    || !n
                        .chars()
                        .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
                {
                    return Err(src.error(
                        v.span(),
                        format!("program name \"{n}\" must be non-empty lowercase letters, digits and `_` (its fiscal line is `categorical_<name>`)"),
                        None,
                    ));
                }
                name = Some(n.to_string());
            }
            "amount_monthly" | "amount_yearly" => {
                if let Some((_, _, other)) = amount {
                    return Err(src.error(
                        k.span(),
                        format!("program sets both `{other}` and `{key}`; write one of them"),
                        None,
                    ));
                }
                let series = parse_series(src, key, ParamKind::Money, Indexation::None, false, v)?;
                amount = Some((series, key == "amount_monthly", key));
            }
            "region" => {
                let codes = src.array(key, v)?;
                let codes: Result<Vec<String>> = codes
                    .iter()
                    .map(|c| src.string(key, c).map(str::to_string))
                    .collect();
                c.region = Some(codes?);
            }
            "residence" => c.residence = Some(pick(src, key, v, &RESIDENCES, Residence::as_str)?),
            "hukou" => c.hukou = Some(pick(src, key, v, &RESIDENCES, Residence::as_str)?),
            "age_min" => c.age_min = Some(src.integer(key, v, 0, i64::from(MAX_AGE))? as u8),
            "age_max" => c.age_max = Some(src.integer(key, v, 0, i64::from(MAX_AGE))? as u8),
            "disability_grade_min" => {
                c.disability_grade_min = Some(src.integer(key, v, 0, MAX_GRADE)? as u8)
            }
            "disability_grade_max" => {
                c.disability_grade_max = Some(src.integer(key, v, 0, MAX_GRADE)? as u8)
            }
            "employment" => {
                c.employment = Some(pick_list(
                    src,
                    key,
                    v,
                    &Employment::ALL,
                    Employment::as_str,
                )?)
            }
            "status_last_year" => {
                c.status_last_year =
                    Some(pick_list(src, key, v, &STATUSES, AssistanceStatus::as_str)?);
            }
            _ => return Err(src.unknown_key(k, "[[program]]", PROGRAM_KEYS)),
        }
    }
    let Some(name) = name else {
        return Err(src.error(item.span(), "a [[program]] needs a `name`", None));
    };
    let Some((amount, monthly, _)) = amount else {
        return Err(src.error(
            item.span(),
            format!("program `{name}` needs an amount: `amount_monthly` or `amount_yearly` (yuan per person)"),
            None,
        ));
    };
    for (lo, hi, what) in [
        (c.age_min, c.age_max, "age_min > age_max"),
        (
            c.disability_grade_min,
            c.disability_grade_max,
            "disability_grade_min > disability_grade_max",
        ),
    ] {
        if let (Some(lo), Some(hi)) = (lo, hi)
            && lo > hi
        {
            return Err(src.error(
                item.span(),
                format!("program `{name}`: {what} ({lo} > {hi}), nobody qualifies"),
                None,
            ));
        }
    }
    Ok(Program {
        name,
        amount,
        monthly,
        conditions: c,
        origin: Origin {
            file: src.path.clone(),
            line: src.line(&item.span()),
        },
    })
}

/// One of `options`, named by its spelling.
fn pick<T: Copy>(
    src: &Source,
    key: &str,
    item: &Item,
    options: &[T],
    name: fn(T) -> &'static str,
) -> Result<T> {
    let words: Vec<&str> = options.iter().map(|o| name(*o)).collect();
    let word = src.word(key, item, &words)?;
    let pos = words.iter().position(|w| *w == word).unwrap_or(0);
    Ok(options[pos])
}

/// An array of `options`, each named by its spelling.
fn pick_list<T: Copy>(
    src: &Source,
    key: &str,
    item: &Item,
    options: &[T],
    name: fn(T) -> &'static str,
) -> Result<Vec<T>> {
    src.array(key, item)?
        .iter()
        .map(|w| pick(src, key, w, options, name))
        .collect()
}

#[cfg(test)]
mod tests {

    use crate::population::{AssistanceStatus, Employment, Residence};
    use crate::scenario::Scenario;
    use crate::scenario::testkit::*;

    #[test]
    fn programs_merge_by_name_and_resolve_yearly() {
        let d = Dir::new();
        d.write(
            "base.toml",
            "[[program]]\nname = \"herder_subsidy\"\namount_monthly = 100\nregion = [\"inner_mongolia\"]\n\
             employment = [\"farmer\"]\n\n[[program]]\nname = \"child_allowance\"\namount_yearly = 1200\nage_max = 2\n",
        );
        let reform = d.write(
            "reform.toml",
            "extends = \"base.toml\"\nremove_programs = [\"herder_subsidy\"]\n\
             [[program]]\nname = \"child_allowance\"\namount_yearly = { 2022 = 1200, 2025 = 3600 }\nage_max = 5\n\
             [[program]]\nname = \"basic_income\"\namount_monthly = 500\nstatus_last_year = [\"dibao\", \"margin\"]\n\
             residence = \"rural\"\ndisability_grade_min = 2\n",
        );
        let s = Scenario::load_with(&reform, &registry()).unwrap();
        let p = s.programs(2025);
        assert_eq!(p.len(), 2);
        assert_eq!(
            (p[0].name.as_str(), p[0].amount_yearly),
            ("child_allowance", 3600.0)
        );
        assert_eq!(p[0].conditions.age_max, Some(5));
        assert_eq!(
            (p[1].name.as_str(), p[1].amount_yearly),
            ("basic_income", 6000.0)
        );
        assert_eq!(
            p[1].conditions.status_last_year,
            Some(vec![AssistanceStatus::Dibao, AssistanceStatus::Margin])
        );
        assert_eq!(p[1].conditions.residence, Some(Residence::Rural));
        assert_eq!(p[1].conditions.disability_grade_min, Some(2));
        assert_eq!(p[1].conditions.employment, None);
        assert_eq!(s.programs(2022)[0].amount_yearly, 1200.0);
        let base = Scenario::load_with(&d.0.join("base.toml"), &registry()).unwrap();
        let herder = &base.programs(2022)[0];
        assert_eq!(herder.amount_yearly, 1200.0);
        assert_eq!(herder.conditions.employment, Some(vec![Employment::Farmer]));
        assert_eq!(
            herder.conditions.region,
            Some(vec!["inner_mongolia".to_string()])
        );
    }
}
