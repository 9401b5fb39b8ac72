//! Synthetic-population specs (`synthetic_pop/*.toml`, population.md "Synthetic population
//! specs"): the serde model (unknown keys rejected) and loading with errors that name the file,
//! line and key; the checks of the values are in `check.rs`.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};

/// Number of 5-year age bands, 0-4 ... 80-84 and 85+.
pub const AGE_BANDS: usize = 18;
/// Household-size classes 1, 2, 3, 4, 5 and 6+.
pub const SIZE_CLASSES: usize = 6;
/// Employment statuses drawn from the age-band table, in the order of the table's columns.
pub const TABLE_STATUSES: usize = 5;

/// A whole spec: one region's targets and the assumptions that fill what no target fixes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Region code written to every household (population.md `region`).
    pub region: String,
    /// Persons, residence, age and sex.
    pub population: PopulationSpec,
    /// Household sizes and composition.
    pub households: HouseholdSpec,
    /// Employment by age band and residence.
    pub employment: EmploymentSpec,
    /// Earnings and farm-income shapes.
    pub earnings: EarningsSpec,
    /// Income targets (per-capita disposable income, yuan/year).
    pub income: IncomeTargets,
    /// Pensions of current retirees and contributors.
    pub pensions: PensionSpec,
    /// Disability prevalence by age.
    pub disability: DisabilitySpec,
    /// The no-supporter flag.
    pub no_supporter: NoSupporterSpec,
    /// Rural collectives.
    pub collectives: CollectiveSpec,
    /// Persons without local hukou (absent: everyone has local hukou).
    #[serde(default)]
    pub hukou: Option<super::hukou::HukouSpec>,
    /// Tolerances of the validation table.
    pub tolerances: Tolerances,
}

/// A value for urban and one for rural households.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ByResidence<T> {
    /// Urban (城镇) value.
    pub urban: T,
    /// Rural (乡村) value.
    pub rural: T,
}

impl<T: Copy> ByResidence<T> {
    /// The value for residence index `r` (0 urban, 1 rural).
    pub fn get(&self, r: usize) -> T {
        if r == 0 { self.urban } else { self.rural }
    }
}

/// Persons represented, residence, age and sex.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PopulationSpec {
    /// Persons the population represents (sum of weights).
    pub total_persons: f64,
    /// Share of persons living in urban households.
    pub urban_share: f64,
    /// Males per 100 females.
    pub sex_ratio: f64,
    /// Shape of the age distribution: persons by 5-year band 0-4 ... 85+ (any unit; rescaled).
    pub age_bands: Vec<f64>,
    /// Urban over rural relative frequency of each band (urban and rural distributions are this
    /// ratio apart before normalisation); 1 everywhere means both residences share the shape.
    pub urban_band_relative: Vec<f64>,
    /// Shape of the male share by band (rescaled so that the sex ratio is met).
    pub male_share_by_band: Vec<f64>,
    /// Share aged 0-14 (the bands 0-14 are rescaled to it).
    pub age_share_0_14: f64,
    /// Share aged 60 and over.
    pub age_share_60_plus: f64,
    /// Share aged 65 and over.
    pub age_share_65_plus: f64,
    /// Share aged 80 and over, validation only (not imposed).
    pub age_share_80_plus: Option<f64>,
}

/// Household sizes and composition.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HouseholdSpec {
    /// Shares of households of size 1, 2, 3, 4, 5, 6+ by residence.
    pub size_shares: ByResidence<[f64; SIZE_CLASSES]>,
    /// Shares of sizes 6, 7, 8, 9 within the 6+ class.
    pub six_plus_sizes: [f64; 4],
    /// Mean household size target (validation), when one is published.
    pub mean_size: Option<f64>,
    /// Size shares 1..6+ of all households (validation), when published.
    pub national_size_shares: Option<[f64; SIZE_CLASSES]>,
    /// Share of two-person households that are couples (else a parent and a grown child).
    pub couple_share_of_two_person: f64,
    /// Share of households of 3+ persons that span three generations, by residence.
    pub three_generation_share: ByResidence<f64>,
    /// Share of three-generation households whose middle generation lives elsewhere (grandparents
    /// with left-behind grandchildren, 留守儿童), by residence.
    pub skip_generation_share: ByResidence<f64>,
}

/// Employment by age band and residence.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmploymentSpec {
    /// Lower ages of the bands of the tables (first 16; a band runs to the next lower age).
    pub band_lower_age: Vec<u8>,
    /// Per band, shares of employee, flexible, farmer, not working, student.
    pub urban: Vec<[f64; TABLE_STATUSES]>,
    /// Same for rural residents.
    pub rural: Vec<[f64; TABLE_STATUSES]>,
    /// Employee-pension coverage of the urban population aged 16-59 (validation).
    pub employee_pension_coverage_urban_16_59: f64,
    /// Share of women in the employee track with the cadre flag (retire at 55 instead of 50).
    pub cadre_share_of_female_employees: f64,
}

/// Earnings shape of one residence: lognormal body with a Pareto tail above a quantile.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EarningsShape {
    /// Standard deviation of log earnings in the body.
    pub sigma: f64,
    /// Quantile where the Pareto tail starts (about 0.9).
    pub tail_quantile: f64,
    /// Pareto index of the tail (> 1).
    pub pareto_alpha: f64,
}

/// Earnings and farm income. Levels are relative: the generator solves the scale (spec.income).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EarningsSpec {
    /// Shape by residence.
    pub shape: ByResidence<EarningsShape>,
    /// Rural over urban median earnings before scaling.
    pub rural_relative: f64,
    /// Flexible workers' earnings relative to employees'.
    pub flexible_relative: f64,
    /// Age profile: multiplier by age band (keys are lower ages).
    pub age_profile: AgeSteps,
    /// Farm business income (other_income) of a farmer, median relative to urban employee median.
    pub farm_income_relative: f64,
    /// Log standard deviation of farm income.
    pub farm_income_sigma: f64,
    /// Average wage for the contribution base of the income proxy, yuan/year.
    pub average_wage_yearly: f64,
}

/// Income targets: per-capita disposable income, yuan/year (NBS household survey concepts).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncomeTargets {
    /// Mean over all persons.
    pub mean: f64,
    /// Mean over urban persons.
    pub urban_mean: f64,
    /// Mean over rural persons.
    pub rural_mean: f64,
    /// Median over persons, when published.
    pub median: Option<f64>,
    /// Median over urban persons.
    pub urban_median: f64,
    /// Median over rural persons.
    pub rural_median: f64,
    /// Shape of the distribution the per-capita income proxy is aligned to, by residence: the
    /// GB2's `a` and `p`; `q` and the scale follow from the residence's median and mean.
    pub shape: ByResidence<IncomeShape>,
    /// Gini of per-capita income over persons, when published.
    pub gini: Option<f64>,
    /// Means of the five household quintile groups, when published (reported, not imposed).
    pub quintile_group_means: Option<[f64; 5]>,
    /// Person means of the five household quintile groups inside each residence that the proxy
    /// is shaped to (groups.rs), yuan/year; absent: the GB2 alone sets the shape.
    pub residence_quintile_group_means: Option<ByResidence<[f64; 5]>>,
    /// Top incomes the survey misses, added as a Pareto tail (top.rs); absent: none.
    pub top_incomes: Option<super::top::TopIncomes>,
}

/// GB2 shapes of a residence's target income distribution (gb2.rs): `a` sets how tight the
/// middle is, `p` how heavy the lower tail.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncomeShape {
    /// Shape of the middle (> 0).
    pub a: f64,
    /// Lower-tail shape (> 0).
    pub p: f64,
}

/// Pensions of people already retired and of contributors.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PensionSpec {
    /// Statutory retirement age of men.
    pub retirement_age_male: u8,
    /// Statutory retirement age of women workers.
    pub retirement_age_female_worker: u8,
    /// Statutory retirement age of women cadres.
    pub retirement_age_female_cadre: u8,
    /// Share of people past their statutory age who draw an employee pension, by residence.
    pub retired_employee_share: ByResidence<f64>,
    /// Mean employee pension of current retirees, yuan/month.
    pub employee_avg_pension_monthly: f64,
    /// Log standard deviation of employee pensions.
    pub employee_pension_sigma: f64,
    /// Mean resident pension of current beneficiaries, yuan/month (income proxy).
    pub resident_avg_pension_monthly: f64,
    /// Part of it paid from the individual account, yuan/month (sets frozen balances).
    pub resident_account_pension_monthly: f64,
    /// Log standard deviation of resident pensioners' frozen account balances.
    pub resident_account_balance_sigma: f64,
    /// Account divisor of the resident scheme (months).
    pub resident_account_divisor: f64,
    /// Contribution tiers of the resident scheme, yuan/year.
    pub resident_tiers: Vec<f64>,
    /// Shares of contributors choosing each tier.
    pub resident_tier_shares: Vec<f64>,
    /// Share of resident-scheme members 16-59 who contribute.
    pub resident_enrolment_rate: f64,
    /// Years the resident scheme has existed by the base year (caps imputed years).
    pub resident_scheme_years: f64,
    /// Contribution years per year of working age of employees.
    pub employee_contribution_density: f64,
    /// Employee contribution rate on the clamped base.
    pub employee_rate: f64,
    /// Contribution-base bounds, multiples of the average wage.
    pub contribution_base_bounds: [f64; 2],
}

/// Disability prevalence by age (step functions keyed by lower age).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisabilitySpec {
    /// Share with any disability (grade >= 1).
    pub any_by_age: AgeSteps,
    /// Share with severe disability (grade 3).
    pub severe_by_age: AgeSteps,
    /// Share of grade 2 among grades 1 and 2.
    pub moderate_share_of_non_severe: f64,
    /// Disabled share of people aged 60+ (validation), when a figure for the region exists.
    pub disabled_elderly_share: Option<f64>,
}

/// The no-supporter flag.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoSupporterSpec {
    /// Share of people aged 60+ living alone (without an employee pension) who are flagged.
    pub share_of_older_alone: ByResidence<f64>,
    /// Flagged persons represented (validation; te-kun persons).
    pub target_persons: f64,
}

/// Rural collectives.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectiveSpec {
    /// Number of rural collectives represented.
    pub count: f64,
    /// Median capacity to pay subsidies per member, yuan/year.
    pub capacity_per_member_median_yearly: f64,
    /// Log standard deviation of capacity per member.
    pub capacity_sigma: f64,
    /// Share of collectives in the pilot (participating).
    pub pilot_share: f64,
}

/// Tolerances of the validation table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tolerances {
    /// Relative tolerance of raked totals (persons, cells).
    pub raking_relative: f64,
    /// Absolute tolerance of population shares (age, size, employment, urban).
    pub share: f64,
    /// Tolerance of shares drawn at random from a spec table (employment, disability, pilots), in
    /// standard errors of a proportion at the group's effective sample size.
    pub drawn_share_standard_errors: f64,
    /// Absolute tolerance of the employee-pension coverage of the urban population aged 16-59.
    pub coverage: f64,
    /// Absolute tolerance of the sex ratio (males per 100 females).
    pub sex_ratio: f64,
    /// Absolute tolerance of the mean household size.
    pub mean_household_size: f64,
    /// Absolute tolerance of the disabled share of people aged 60+ (the table adds the sampling
    /// error).
    pub disabled_elderly_share: f64,
    /// Relative tolerance of income means.
    pub income_mean_relative: f64,
    /// Relative tolerance of the median income (the table takes the larger of this and 4
    /// relative standard errors of the residence's mean income, validate.rs).
    pub median_relative: f64,
    /// Relative tolerance of the mean employee pension (the table adds the sampling error).
    pub pension_relative: f64,
    /// Relative tolerance of the no-supporter count (the table adds the sampling error).
    pub no_supporter_relative: f64,
}

/// Reads and checks a spec file, with what it `extends` (extends.rs) merged in.
pub fn load_spec(path: &Path) -> Result<Spec> {
    let text = crate::fsutil::read_regular_text(path).map_err(|e| Error::io(path, e))?;
    let Some(merged) = super::extends::resolve(&text, path)? else {
        return parse_spec(&text, path);
    };
    let spec: Spec = toml::Value::Table(merged)
        .try_into()
        .map_err(|e: toml::de::Error| {
            let message = e.message().trim().to_string();
            Error::Config {
                file: path.to_path_buf(),
                line: None,
                column: None,
                hint: unknown_key_hint(&message),
                message,
            }
        })?;
    spec.check(path)?;
    Ok(spec)
}

/// Parses and checks spec text; `path` names the file in errors.
pub fn parse_spec(text: &str, path: &Path) -> Result<Spec> {
    let spec: Spec = toml::from_str(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|s| line_column(text, s.start))
            .map_or((None, None), |(l, c)| (Some(l), Some(c)));
        let message = e.message().trim().to_string();
        Error::Config {
            file: path.to_path_buf(),
            line,
            column,
            hint: unknown_key_hint(&message),
            message,
        }
    })?;
    spec.check(path)?;
    Ok(spec)
}

/// 1-based line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// "did you mean" for serde's "unknown field `x`, expected one of `a`, `b`" messages.
fn unknown_key_hint(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (key, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    crate::error::nearest(key, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// A step function keyed by lower age, parsed from TOML tables such as `{ 60 = 0.05, 70 = 0.12 }`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "BTreeMap<String, f64>")]
pub struct AgeSteps(Vec<(u8, f64)>);

impl AgeSteps {
    /// Value of the largest key at or below `age`; 0 below the lowest key.
    pub fn at(&self, age: u8) -> f64 {
        self.step(age).map_or(0.0, |k| self.0[k].1)
    }
    /// Index of the step that applies at `age` (None below the lowest key).
    pub fn step(&self, age: u8) -> Option<usize> {
        self.0.iter().rposition(|(a, _)| *a <= age)
    }
    /// The steps: (lower age, value), by age.
    pub fn steps(&self) -> &[(u8, f64)] {
        &self.0
    }
}

impl TryFrom<BTreeMap<String, f64>> for AgeSteps {
    type Error = String;
    fn try_from(map: BTreeMap<String, f64>) -> std::result::Result<Self, String> {
        to_steps(&map)
    }
}

fn to_steps(map: &BTreeMap<String, f64>) -> std::result::Result<AgeSteps, String> {
    let mut steps = map
        .iter()
        .map(|(k, &v)| {
            let age: u8 = k
                .parse()
                .map_err(|_| format!("key `{k}` is not an age 0..=110"))?;
            if age > crate::population::MAX_AGE || !v.is_finite() || v < 0.0 {
                return Err(format!("`{k} = {v}`: need an age 0..=110 and a value >= 0"));
            }
            Ok((age, v))
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    steps.sort_by_key(|&(a, _)| a);
    Ok(AgeSteps(steps))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NATIONAL: &str = include_str!("../../synthetic_pop/china_2022.toml");

    fn parse(text: &str) -> Result<Spec> {
        parse_spec(text, Path::new("s.toml"))
    }

    #[test]
    fn national_spec_parses() {
        let spec = parse(NATIONAL).expect("parses");
        assert_eq!(spec.region, "national");
        assert_eq!(spec.population.age_bands.len(), AGE_BANDS);
    }

    #[test]
    fn unknown_key_names_line_and_suggests() {
        let text = NATIONAL.replacen("sex_ratio = ", "sex_ration = ", 1);
        let line = text
            .lines()
            .position(|l| l.starts_with("sex_ration"))
            .unwrap()
            + 1;
        let e = parse(&text).unwrap_err().to_string();
        assert!(
            e.starts_with(&format!("s.toml:{line}:1: unknown field `sex_ration`")),
            "{e}"
        );
        assert!(e.ends_with("did you mean `sex_ratio`?"), "{e}");
    }

    /// A median at or above the mean, or a shape that cannot reach the ratio, names the key and
    /// says what is allowed.
    #[test]
    fn unreachable_income_shape_names_its_key() {
        let e = parse(&NATIONAL.replacen("rural_median = 18_190", "rural_median = 25_000", 1));
        let e = e.unwrap_err().to_string();
        assert!(e.contains("`income.shape.rural`"), "{e}");
        assert!(e.contains("median is below the mean"), "{e}");
        let e = parse(&NATIONAL.replacen(
            "urban = { a = 2.0, p = 0.91 }",
            "urban = { a = 2.0, p = -1 }",
            1,
        ));
        assert!(
            e.unwrap_err()
                .to_string()
                .contains("must be positive numbers")
        );
        // The shipped urban shape sits near the edge: a slightly smaller a cannot reach the
        // urban mean / median ratio with any q.
        let e = parse(&NATIONAL.replacen(
            "urban = { a = 2.0, p = 0.91 }",
            "urban = { a = 1.8, p = 0.91 }",
            1,
        ));
        let e = e.unwrap_err().to_string();
        assert!(e.contains("`income.shape.urban`"), "{e}");
    }

    #[test]
    fn bad_values_name_their_key() {
        let e = parse(&NATIONAL.replacen("urban_share = 0.6522", "urban_share = 1.6522", 1));
        assert!(
            e.unwrap_err()
                .to_string()
                .contains("`population.urban_share`: 1.6522 is not a share")
        );
        let e = parse(&NATIONAL.replacen("[0.27, 0.31, 0.22,", "[0.37, 0.31, 0.22,", 1));
        let e = e.unwrap_err().to_string();
        assert!(
            e.contains("`households.size_shares.urban`: shares sum to 1.1000"),
            "{e}"
        );
        let e = parse(&NATIONAL.replacen("{ 0 = 0.01, 60 = 0.05,", "{ x = 0.01, 60 = 0.05,", 1));
        let e = e.unwrap_err().to_string();
        assert!(e.contains("key `x` is not an age"), "{e}");
    }

    /// Steps { 0 = 0.01, 60 = 0.05, 70 = 0.12, 80 = 0.33 }: 59 -> 0.01, 60 -> 0.05, 110 -> 0.33.
    #[test]
    fn age_steps_take_the_largest_key_at_or_below() {
        let spec = parse(NATIONAL).expect("parses");
        let any = &spec.disability.any_by_age;
        assert_eq!(any.at(59), 0.01);
        assert_eq!(any.at(60), 0.05);
        assert_eq!(any.at(110), 0.33);
        let profile = AgeSteps::try_from(BTreeMap::from([("16".to_string(), 0.5)])).unwrap();
        assert_eq!(profile.at(15), 0.0);
    }
}
