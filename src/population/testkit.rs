//! Building small populations by hand for tests: a person row with defaults, households of rows.

use super::*;

/// One person for a hand-built population; `..PersonRow::default()` fills the rest.
#[derive(Debug, Clone)]
pub struct PersonRow {
    /// Age.
    pub age: u8,
    /// Sex.
    pub sex: Sex,
    /// Employment.
    pub employment: Employment,
    /// Earnings, yuan/year.
    pub earnings: f64,
    /// Other income, yuan/year.
    pub other_income: f64,
    /// Pension scheme; `None` derives it from employment and age.
    pub pension_scheme: Option<PensionScheme>,
    /// Contribution years.
    pub contribution_years: f64,
    /// Account balance, yuan.
    pub account_balance: f64,
    /// Indexed wage ratio (NaN: derive).
    pub indexed_wage_ratio: f64,
    /// Resident tier, yuan/year (0: draw).
    pub resident_tier: f64,
    /// Current pension, yuan/year.
    pub current_pension: f64,
    /// Disability grade.
    pub disability_grade: u8,
    /// Cadre flag.
    pub cadre: bool,
    /// No-supporter flag.
    pub no_supporter: bool,
    /// Statuses last year.
    pub dibao_last_year: bool,
    /// Te-kun last year.
    pub tekun_last_year: bool,
    /// Margin last year.
    pub margin_last_year: bool,
    /// Hukou; `None` = residence.
    pub hukou: Option<Residence>,
    /// Hukou registered where the household lives.
    pub local_hukou: bool,
    /// Outpatient cost of the first year (NaN: drawn).
    pub outpatient_cost: f64,
    /// Inpatient cost of the first year (NaN: drawn).
    pub inpatient_cost: f64,
}

impl Default for PersonRow {
    fn default() -> Self {
        PersonRow {
            age: 40,
            sex: Sex::Male,
            employment: Employment::NotWorking,
            earnings: 0.0,
            other_income: 0.0,
            pension_scheme: None,
            contribution_years: 0.0,
            account_balance: 0.0,
            indexed_wage_ratio: f64::NAN,
            resident_tier: 0.0,
            current_pension: 0.0,
            disability_grade: 0,
            cadre: false,
            no_supporter: false,
            dibao_last_year: false,
            tekun_last_year: false,
            margin_last_year: false,
            hukou: None,
            local_hukou: true,
            outpatient_cost: f64::NAN,
            inpatient_cost: f64::NAN,
        }
    }
}

/// One household for [`build`].
#[derive(Debug, Clone)]
pub struct HouseholdRow {
    /// Residence.
    pub residence: Residence,
    /// Weight.
    pub weight: f64,
    /// Region index into the regions given to [`build`].
    pub region: u16,
    /// Collective row, or [`NO_COLLECTIVE`].
    pub collective: u32,
    /// Members.
    pub members: Vec<PersonRow>,
}

impl HouseholdRow {
    /// A household of `members` in region 0, no collective.
    pub fn new(residence: Residence, weight: f64, members: Vec<PersonRow>) -> Self {
        HouseholdRow {
            residence,
            weight,
            region: 0,
            collective: NO_COLLECTIVE,
            members,
        }
    }
}

/// Builds a population: person ids 1.., household ids 1.., the given regions and collectives
/// (ids 1.., no table).
pub fn build(regions: &[&str], collectives: usize, households: &[HouseholdRow]) -> Population {
    let mut pop = Population {
        regions: regions.iter().map(|r| r.to_string()).collect(),
        ..Default::default()
    };
    pop.households.start.push(0);
    pop.collectives.collective_id = (1..=collectives as u64).collect();
    pop.collectives.region = vec![0; collectives];
    for (h, row) in households.iter().enumerate() {
        pop.households.household_id.push(h as u64 + 1);
        pop.households.weight.push(row.weight);
        pop.households.region.push(row.region);
        pop.households.residence.push(row.residence);
        pop.households.collective.push(row.collective);
        for m in &row.members {
            let p = &mut pop.persons;
            p.person_id.push(p.person_id.len() as u64 + 1);
            p.household.push(h as u32);
            p.age.push(m.age);
            p.sex.push(m.sex);
            p.hukou.push(m.hukou.unwrap_or(row.residence));
            p.employment.push(m.employment);
            p.earnings_yearly.push(m.earnings);
            p.other_income_yearly.push(m.other_income);
            p.pension_scheme.push(m.pension_scheme.unwrap_or_else(|| {
                PensionScheme::default_for(m.employment, m.age, m.current_pension)
            }));
            p.contribution_years.push(m.contribution_years);
            p.account_balance.push(m.account_balance);
            p.indexed_wage_ratio.push(m.indexed_wage_ratio);
            p.resident_tier_yearly.push(m.resident_tier);
            p.current_pension_yearly.push(m.current_pension);
            p.disability_grade.push(m.disability_grade);
            p.cadre.push(m.cadre);
            p.no_supporter.push(m.no_supporter);
            p.dibao_last_year.push(m.dibao_last_year);
            p.tekun_last_year.push(m.tekun_last_year);
            p.margin_last_year.push(m.margin_last_year);
            p.local_hukou.push(m.local_hukou);
            p.outpatient_cost_given.push(m.outpatient_cost);
            p.inpatient_cost_given.push(m.inpatient_cost);
            p.life_events.push(Default::default());
        }
        pop.households.start.push(pop.persons.len() as u32);
    }
    pop
}
