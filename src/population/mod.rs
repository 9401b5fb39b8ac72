//! The population: persons, households and collectives as contiguous columns (struct of arrays),
//! persons sorted by household so that a household is a range of rows. Spec: population.md and
//! rules.md section 1. Nothing here knows about scenarios or rules.

pub mod impute;
pub mod io;
pub mod marginals;
pub mod testkit;

use serde::{Deserialize, Serialize};

/// Where a household lives (statistics-bureau residence), or a person's hukou.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum Residence {
    /// 城镇.
    Urban = 0,
    /// 乡村.
    Rural = 1,
}

impl Residence {
    /// Both residences, in index order.
    pub const ALL: [Residence; 2] = [Residence::Urban, Residence::Rural];
    /// The population-file spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Residence::Urban => "urban",
            Residence::Rural => "rural",
        }
    }
    /// Parse the population-file spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "urban" => Some(Residence::Urban),
            "rural" => Some(Residence::Rural),
            _ => None,
        }
    }
    /// Index 0 (urban) or 1 (rural), for per-residence tables.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Sex of a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[repr(u8)]
pub enum Sex {
    /// `m`.
    #[serde(rename = "m")]
    Male = 0,
    /// `f`.
    #[serde(rename = "f")]
    Female = 1,
}

impl Sex {
    /// The population-file spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "m",
            Sex::Female => "f",
        }
    }
    /// Parse the population-file spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "m" => Some(Sex::Male),
            "f" => Some(Sex::Female),
            _ => None,
        }
    }
}

/// Employment status (rules 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum Employment {
    /// Employee, in the employee pension scheme.
    Employee = 0,
    /// Flexible worker or self-employed (灵活就业).
    Flexible = 1,
    /// Farmer or herder.
    Farmer = 2,
    /// Not working.
    NotWorking = 3,
    /// Student.
    Student = 4,
    /// Retired.
    Retired = 5,
}

impl Employment {
    /// Every status, in file order.
    pub const ALL: [Employment; 6] = [
        Employment::Employee,
        Employment::Flexible,
        Employment::Farmer,
        Employment::NotWorking,
        Employment::Student,
        Employment::Retired,
    ];
    /// The population-file spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Employment::Employee => "employee",
            Employment::Flexible => "flexible",
            Employment::Farmer => "farmer",
            Employment::NotWorking => "not_working",
            Employment::Student => "student",
            Employment::Retired => "retired",
        }
    }
    /// Parse the population-file spelling.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

/// Pension scheme of a person (rules 3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum PensionScheme {
    /// 城镇职工基本养老保险.
    Employee = 0,
    /// 城乡居民基本养老保险.
    Resident = 1,
    /// Under 16 or student.
    None = 2,
}

impl PensionScheme {
    /// The population-file spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PensionScheme::Employee => "employee",
            PensionScheme::Resident => "resident",
            PensionScheme::None => "none",
        }
    }
    /// Parse the population-file spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "employee" => Some(PensionScheme::Employee),
            "resident" => Some(PensionScheme::Resident),
            "none" => Some(PensionScheme::None),
            _ => None,
        }
    }
    /// Default scheme from employment, age and whether the person draws an employee pension
    /// (rules 3.1): `employee` for employees and employee pensioners, `none` under 16 and for
    /// students, else `resident`.
    pub fn default_for(employment: Employment, age: u8, current_pension_yearly: f64) -> Self {
        if employment == Employment::Employee || current_pension_yearly > 0.0 {
            PensionScheme::Employee
        } else if age < 16 || employment == Employment::Student {
            PensionScheme::None
        } else {
            PensionScheme::Resident
        }
    }
}

/// Assistance status of a household in a year (rules 4; microdata `dibao_status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum AssistanceStatus {
    /// No assistance status.
    #[default]
    None = 0,
    /// Receives dibao (最低生活保障).
    Dibao = 1,
    /// Te-kun person (特困).
    Tekun = 2,
    /// Low-income margin household (低保边缘).
    Margin = 3,
}

impl AssistanceStatus {
    /// The microdata spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            AssistanceStatus::None => "none",
            AssistanceStatus::Dibao => "dibao",
            AssistanceStatus::Tekun => "tekun",
            AssistanceStatus::Margin => "margin",
        }
    }
}

/// What this year's dynamics did to a person that the rules act on (rules.md 8: dynamics first,
/// then the rules): set by the dynamics, cleared every year, never read from or written to files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LifeEvents(u8);

impl LifeEvents {
    /// Nothing happened.
    pub const NONE: LifeEvents = LifeEvents(0);
    /// Retired from employment at the statutory age this year (rules.md 3.2).
    pub const RETIRED: LifeEvents = LifeEvents(1);
    /// Entered the labour market this year (rules.md 9).
    pub const ENTERED_LABOUR_MARKET: LifeEvents = LifeEvents(2);

    /// True when every event of `other` happened.
    pub fn contains(self, other: LifeEvents) -> bool {
        self.0 & other.0 == other.0
    }

    /// Records `other` as well.
    pub fn insert(&mut self, other: LifeEvents) {
        self.0 |= other.0;
    }
}

/// Index of a household's collective; `NO_COLLECTIVE` when it has none.
pub const NO_COLLECTIVE: u32 = u32::MAX;

/// Disability grade of severe disability (rules.md 1: 0 none, 1 mild, 2 moderate, 3 severe); the
/// highest grade.
pub const SEVERE_DISABILITY: u8 = 3;

/// Oldest age a population may hold (population.md).
pub const MAX_AGE: u8 = 110;

/// Person columns. Row `i` of every column is the same person; rows are sorted by household.
///
/// Invariant: every column has the same length; persons of household `h` are the rows
/// `households.start[h]..households.start[h + 1]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Persons {
    /// Stable person id of the population file (also the key of every random stream).
    pub person_id: Vec<u64>,
    /// Row of this person's household in [`Households`].
    pub household: Vec<u32>,
    /// Age in completed years, 0..=110.
    pub age: Vec<u8>,
    /// Sex.
    pub sex: Vec<Sex>,
    /// Hukou (户口) registration, urban or rural; defaults to the household's residence.
    pub hukou: Vec<Residence>,
    /// Employment status.
    pub employment: Vec<Employment>,
    /// Annual market earnings, yuan/year, >= 0.
    pub earnings_yearly: Vec<f64>,
    /// Business, farm and property income, yuan/year (may be negative for a loss-making business).
    pub other_income_yearly: Vec<f64>,
    /// Pension scheme.
    pub pension_scheme: Vec<PensionScheme>,
    /// Years of pension contributions so far.
    pub contribution_years: Vec<f64>,
    /// Pension individual-account balance, yuan (frozen at the pension age for pensioners).
    pub account_balance: Vec<f64>,
    /// Employee-pension indexed wage ratio; NaN means "derive from earnings" (files never hold
    /// NaN: the loader rejects it, an absent column or empty cell becomes NaN).
    pub indexed_wage_ratio: Vec<f64>,
    /// Resident-pension contribution tier, yuan/year; 0 means "draw one" (rules 3.1 and 10).
    pub resident_tier_yearly: Vec<f64>,
    /// Employee or other pension of a person already retired, yuan/year.
    pub current_pension_yearly: Vec<f64>,
    /// Disability grade: 0 none, 1 mild, 2 moderate, 3 severe.
    pub disability_grade: Vec<u8>,
    /// Cadre flag (women cadres retire at 55 rather than 50).
    pub cadre: Vec<bool>,
    /// No legal supporter anywhere (childless and unmarried).
    pub no_supporter: Vec<bool>,
    /// Dibao status last year.
    pub dibao_last_year: Vec<bool>,
    /// Te-kun status last year.
    pub tekun_last_year: Vec<bool>,
    /// Low-income-margin status last year.
    pub margin_last_year: Vec<bool>,
    /// Hukou registered where the household lives (rules.md 13; default true).
    pub local_hukou: Vec<bool>,
    /// Outpatient cost of the first year as the population file gives it, yuan; NaN: drawn
    /// (rules.md 11).
    pub outpatient_cost_given: Vec<f64>,
    /// Inpatient cost of the first year as the population file gives it, yuan; NaN: drawn.
    pub inpatient_cost_given: Vec<f64>,
    /// What this year's dynamics did to the person (none in a first or static year).
    pub life_events: Vec<LifeEvents>,
}

impl Persons {
    /// Which disability grades 0..=3 occur.
    pub fn disability_grades_present(&self) -> [bool; 4] {
        let mut present = [false; 4];
        for &g in &self.disability_grade {
            present[usize::from(g.min(3))] = true;
        }
        present
    }

    /// Number of persons.
    pub fn len(&self) -> usize {
        self.person_id.len()
    }
    /// True when there are no persons.
    pub fn is_empty(&self) -> bool {
        self.person_id.is_empty()
    }

    /// Removes every person, keeping the columns' capacity (yearly double buffering).
    pub fn clear(&mut self) {
        self.for_each_column(|c| c.clear());
    }

    /// Bytes one person takes in these columns (one element of each), for the engine bench's
    /// memory-traffic figure.
    pub fn bytes_per_person() -> usize {
        let mut bytes = 0;
        Persons::default().for_each_column(|c| bytes += c.element_bytes());
        bytes
    }

    /// Appends person `i` of `src` as a member of household row `household`.
    #[inline]
    pub fn push_from(&mut self, src: &Persons, i: usize, household: u32) {
        self.person_id.push(src.person_id[i]);
        self.household.push(household);
        self.age.push(src.age[i]);
        self.sex.push(src.sex[i]);
        self.hukou.push(src.hukou[i]);
        self.employment.push(src.employment[i]);
        self.earnings_yearly.push(src.earnings_yearly[i]);
        self.other_income_yearly.push(src.other_income_yearly[i]);
        self.pension_scheme.push(src.pension_scheme[i]);
        self.contribution_years.push(src.contribution_years[i]);
        self.account_balance.push(src.account_balance[i]);
        self.indexed_wage_ratio.push(src.indexed_wage_ratio[i]);
        self.resident_tier_yearly.push(src.resident_tier_yearly[i]);
        self.current_pension_yearly
            .push(src.current_pension_yearly[i]);
        self.disability_grade.push(src.disability_grade[i]);
        self.cadre.push(src.cadre[i]);
        self.no_supporter.push(src.no_supporter[i]);
        self.dibao_last_year.push(src.dibao_last_year[i]);
        self.tekun_last_year.push(src.tekun_last_year[i]);
        self.margin_last_year.push(src.margin_last_year[i]);
        self.local_hukou.push(src.local_hukou[i]);
        // Kept with the person; the rules use given costs in a run's first year only and draw
        // later years (rules.md 11).
        self.outpatient_cost_given
            .push(src.outpatient_cost_given[i]);
        self.inpatient_cost_given.push(src.inpatient_cost_given[i]);
        self.life_events.push(LifeEvents::NONE);
    }

    /// Appends a newborn of household row `household` with every attribute at its birth value; the
    /// child's hukou is the mother's, registered where hers is (`local_hukou`).
    pub fn push_newborn(
        &mut self,
        person_id: u64,
        household: u32,
        sex: Sex,
        hukou: Residence,
        local_hukou: bool,
    ) {
        self.person_id.push(person_id);
        self.household.push(household);
        self.age.push(0);
        self.sex.push(sex);
        self.hukou.push(hukou);
        self.employment.push(Employment::NotWorking);
        self.earnings_yearly.push(0.0);
        self.other_income_yearly.push(0.0);
        self.pension_scheme.push(PensionScheme::None);
        self.contribution_years.push(0.0);
        self.account_balance.push(0.0);
        self.indexed_wage_ratio.push(f64::NAN);
        self.resident_tier_yearly.push(0.0);
        self.current_pension_yearly.push(0.0);
        self.disability_grade.push(0);
        self.cadre.push(false);
        self.no_supporter.push(false);
        self.dibao_last_year.push(false);
        self.tekun_last_year.push(false);
        self.margin_last_year.push(false);
        self.local_hukou.push(local_hukou);
        self.outpatient_cost_given.push(f64::NAN);
        self.inpatient_cost_given.push(f64::NAN);
        self.life_events.push(LifeEvents::NONE);
    }

    /// Calls `f` on every column as a type-erased clearable vector.
    fn for_each_column(&mut self, mut f: impl FnMut(&mut dyn Column)) {
        f(&mut self.person_id);
        f(&mut self.household);
        f(&mut self.age);
        f(&mut self.sex);
        f(&mut self.hukou);
        f(&mut self.employment);
        f(&mut self.earnings_yearly);
        f(&mut self.other_income_yearly);
        f(&mut self.pension_scheme);
        f(&mut self.contribution_years);
        f(&mut self.account_balance);
        f(&mut self.indexed_wage_ratio);
        f(&mut self.resident_tier_yearly);
        f(&mut self.current_pension_yearly);
        f(&mut self.disability_grade);
        f(&mut self.cadre);
        f(&mut self.no_supporter);
        f(&mut self.dibao_last_year);
        f(&mut self.tekun_last_year);
        f(&mut self.margin_last_year);
        f(&mut self.local_hukou);
        f(&mut self.outpatient_cost_given);
        f(&mut self.inpatient_cost_given);
        f(&mut self.life_events);
    }
}

/// A column that can be cleared, or its element measured, without knowing its element type.
trait Column {
    fn clear(&mut self);
    fn element_bytes(&self) -> usize;
}

impl<T> Column for Vec<T> {
    fn clear(&mut self) {
        Vec::clear(self);
    }
    fn element_bytes(&self) -> usize {
        std::mem::size_of::<T>()
    }
}

/// Household columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Households {
    /// Stable household id of the population file.
    pub household_id: Vec<u64>,
    /// Offsets into the person rows: household `h` is `start[h]..start[h + 1]`; one longer than
    /// the number of households.
    pub start: Vec<u32>,
    /// Persons each member stands for (equal within a household), > 0.
    pub weight: Vec<f64>,
    /// Index into [`Population::regions`].
    pub region: Vec<u16>,
    /// Where the household lives.
    pub residence: Vec<Residence>,
    /// Row in [`Collectives`], or [`NO_COLLECTIVE`].
    pub collective: Vec<u32>,
}

impl Households {
    /// Number of households.
    pub fn len(&self) -> usize {
        self.household_id.len()
    }
    /// True when there are no households.
    pub fn is_empty(&self) -> bool {
        self.household_id.is_empty()
    }
    /// Person rows of household `h`.
    #[inline]
    pub fn members(&self, h: usize) -> std::ops::Range<usize> {
        self.start[h] as usize..self.start[h + 1] as usize
    }
    /// Number of members of household `h`.
    #[inline]
    pub fn size(&self, h: usize) -> usize {
        (self.start[h + 1] - self.start[h]) as usize
    }

    /// Removes every household, keeping capacity; `start` is reset to `[0]`.
    pub fn clear(&mut self) {
        self.household_id.clear();
        self.start.clear();
        self.start.push(0);
        self.weight.clear();
        self.region.clear();
        self.residence.clear();
        self.collective.clear();
    }

    /// Appends the household-level fields of household `h` of `src`; its members are pushed next,
    /// then [`Households::close`] records where they end.
    pub fn push_from(&mut self, src: &Households, h: usize) {
        self.household_id.push(src.household_id[h]);
        self.weight.push(src.weight[h]);
        self.region.push(src.region[h]);
        self.residence.push(src.residence[h]);
        self.collective.push(src.collective[h]);
    }

    /// Closes the household last pushed: its members end at person row `end`.
    pub fn close(&mut self, end: usize) {
        self.start.push(end as u32);
    }

    /// Bytes one household takes in these columns, for the engine bench's memory-traffic figure.
    pub fn bytes_per_household() -> usize {
        let h = Households::default();
        [
            h.household_id.element_bytes(),
            h.start.element_bytes(),
            h.weight.element_bytes(),
            h.region.element_bytes(),
            h.residence.element_bytes(),
            h.collective.element_bytes(),
        ]
        .iter()
        .sum()
    }
}

/// Rural collectives (集体经济组织). Rows are referenced by [`Households::collective`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Collectives {
    /// Stable collective id of the population file.
    pub collective_id: Vec<u64>,
    /// Index into [`Population::regions`].
    pub region: Vec<u16>,
    /// Capacity and participation from a collectives table, when one was given; without it the
    /// scenario's `collective_capacity_yearly` and `collective_participation` apply (rules 6).
    pub table: Option<CollectiveTable>,
}

/// The optional collectives table (population.md).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CollectiveTable {
    /// Annual capacity to pay subsidies, yuan/year.
    pub capacity_yearly: Vec<f64>,
    /// Pilot (participating) flag.
    pub participating: Vec<bool>,
}

impl Collectives {
    /// Number of collectives.
    pub fn len(&self) -> usize {
        self.collective_id.len()
    }
    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.collective_id.is_empty()
    }
}

/// A whole population: the input of every run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Population {
    /// Person columns.
    pub persons: Persons,
    /// Household columns.
    pub households: Households,
    /// Collectives.
    pub collectives: Collectives,
    /// Region codes; households and collectives hold indices into this list.
    pub regions: Vec<String>,
}

impl Population {
    /// Weighted number of persons represented.
    pub fn total_weight(&self) -> f64 {
        (0..self.households.len())
            .map(|h| self.households.weight[h] * self.households.size(h) as f64)
            .sum()
    }

    /// Index of a region code, adding it when new.
    pub fn region_index(&mut self, code: &str) -> u16 {
        if let Some(i) = self.regions.iter().position(|r| r == code) {
            return i as u16;
        }
        self.regions.push(code.to_string());
        (self.regions.len() - 1) as u16
    }

    /// Weight of each person (the household's weight), as a column.
    pub fn person_weights(&self) -> Vec<f64> {
        self.persons
            .household
            .iter()
            .map(|&h| self.households.weight[h as usize])
            .collect()
    }
}
