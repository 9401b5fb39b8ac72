//! Weighted marginals of a population: what `gongfu inspect` prints so an analyst can check a
//! survey file at a glance. Person-weighted unless a name says otherwise.

use super::{Employment, Population, Residence, Sex};

/// Age bands reported by `inspect` (inclusive lower bounds; the last is open).
pub const AGE_BANDS: [(u8, u8); 5] = [(0, 14), (15, 59), (60, 200), (65, 200), (80, 200)];

/// Weighted summary of a population.
#[derive(Debug, Clone, PartialEq)]
pub struct Marginals {
    /// Rows (sample persons).
    pub rows: usize,
    /// Households (sample).
    pub households: usize,
    /// Persons represented (sum of weights).
    pub represented: f64,
    /// Urban share of persons.
    pub urban_share: f64,
    /// Share of persons by region code, in population order.
    pub region_shares: Vec<(String, f64)>,
    /// Share of persons in each [`AGE_BANDS`] band, by residence (urban, rural) and overall.
    pub age_band_shares: [[f64; 5]; 3],
    /// Males per 100 females.
    pub sex_ratio: f64,
    /// Mean household size, household-weighted (persons / households represented).
    pub mean_household_size: f64,
    /// Share of persons aged 16+ in each employment status (file order).
    pub employment_shares_16_plus: [f64; 6],
    /// Share of persons aged 60+ with a disability grade >= 1, and with grade 3.
    pub disabled_share_60_plus: (f64, f64),
    /// Mean earnings per person aged 16+, yuan/year, by residence (urban, rural).
    pub mean_earnings_16_plus: [f64; 2],
    /// Share of persons without local hukou (rules.md 13) in each [`AGE_BANDS`] band and in all,
    /// by residence (urban, rural) and overall.
    pub non_local_hukou_shares: [[f64; 6]; 3],
}

/// Computes the marginals of a population.
pub fn marginals(pop: &Population) -> Marginals {
    let p = &pop.persons;
    let hh = &pop.households;
    let mut w_res = [0.0; 2];
    let mut w_region = vec![0.0; pop.regions.len()];
    let mut w_band = [[0.0; 5]; 3];
    let mut w_sex = [0.0; 2];
    let mut w_emp = [0.0; 6];
    let (mut w16, mut w60, mut w60_dis, mut w60_sev) = (0.0, 0.0, 0.0, 0.0);
    let mut earn = [0.0; 2];
    let mut w16_res = [0.0; 2];
    let mut w_non_local = [[0.0; 6]; 3];
    for i in 0..p.len() {
        let h = p.household[i] as usize;
        let w = hh.weight[h];
        let r = hh.residence[h].index();
        let age = p.age[i];
        w_res[r] += w;
        w_region[hh.region[h] as usize] += w;
        let non_local = !p.local_hukou[i];
        for (b, &(lo, hi)) in AGE_BANDS.iter().enumerate() {
            if (lo..=hi).contains(&age) {
                w_band[r][b] += w;
                w_band[2][b] += w;
                if non_local {
                    w_non_local[r][b] += w;
                    w_non_local[2][b] += w;
                }
            }
        }
        if non_local {
            w_non_local[r][5] += w;
            w_non_local[2][5] += w;
        }
        w_sex[usize::from(p.sex[i] == Sex::Female)] += w;
        if age >= 16 {
            w16 += w;
            w16_res[r] += w;
            w_emp[p.employment[i] as usize] += w;
            earn[r] += w * p.earnings_yearly[i];
        }
        if age >= 60 {
            w60 += w;
            if p.disability_grade[i] >= 1 {
                w60_dis += w;
            }
            if p.disability_grade[i] == super::SEVERE_DISABILITY {
                w60_sev += w;
            }
        }
    }
    let total = w_res[0] + w_res[1];
    let share = |x: f64, of: f64| if of > 0.0 { x / of } else { 0.0 };
    let households_represented: f64 = hh.weight.iter().sum();
    let totals_by = [w_res[0], w_res[1], total];
    Marginals {
        rows: p.len(),
        households: hh.len(),
        represented: total,
        urban_share: share(w_res[Residence::Urban.index()], total),
        region_shares: pop
            .regions
            .iter()
            .cloned()
            .zip(w_region.iter().map(|&w| share(w, total)))
            .collect(),
        age_band_shares: std::array::from_fn(|r| {
            std::array::from_fn(|b| share(w_band[r][b], totals_by[r]))
        }),
        sex_ratio: 100.0 * share(w_sex[0], w_sex[1]),
        mean_household_size: share(total, households_represented),
        employment_shares_16_plus: std::array::from_fn(|e| share(w_emp[e], w16)),
        disabled_share_60_plus: (share(w60_dis, w60), share(w60_sev, w60)),
        mean_earnings_16_plus: [share(earn[0], w16_res[0]), share(earn[1], w16_res[1])],
        non_local_hukou_shares: std::array::from_fn(|r| {
            std::array::from_fn(|b| {
                let of = if b == 5 { totals_by[r] } else { w_band[r][b] };
                share(w_non_local[r][b], of)
            })
        }),
    }
}

impl std::fmt::Display for Marginals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "rows {}  households {}  persons represented {:.0}",
            self.rows, self.households, self.represented
        )?;
        writeln!(f, "urban share {:.4}", self.urban_share)?;
        for (code, s) in &self.region_shares {
            writeln!(f, "region {code:<16} share {s:.4}")?;
        }
        writeln!(f, "age share          0-14    15-59   60+     65+     80+")?;
        residence_rows(f, &self.age_band_shares)?;
        writeln!(
            f,
            "without local hukou 0-14    15-59   60+     65+     80+     all"
        )?;
        residence_rows(f, &self.non_local_hukou_shares)?;
        writeln!(f, "sex ratio (males per 100 females) {:.2}", self.sex_ratio)?;
        writeln!(f, "mean household size {:.3}", self.mean_household_size)?;
        writeln!(f, "employment shares, age 16+:")?;
        for (e, s) in Employment::ALL.iter().zip(self.employment_shares_16_plus) {
            writeln!(f, "  {:<12} {s:.4}", e.as_str())?;
        }
        writeln!(
            f,
            "disabled share of 60+: any grade {:.4}, severe {:.4}",
            self.disabled_share_60_plus.0, self.disabled_share_60_plus.1
        )?;
        write!(
            f,
            "mean earnings, age 16+, yuan/year: urban {:.0}, rural {:.0}",
            self.mean_earnings_16_plus[0], self.mean_earnings_16_plus[1]
        )
    }
}

/// Rows of shares labelled urban, rural and all, as `inspect` prints them.
fn residence_rows<const N: usize>(
    f: &mut std::fmt::Formatter<'_>,
    rows: &[[f64; N]; 3],
) -> std::fmt::Result {
    for (label, row) in ["urban", "rural", "all"].iter().zip(rows) {
        let cells: Vec<String> = row.iter().map(|s| format!("{s:<7.4}")).collect();
        writeln!(f, "  {label:<15} {}", cells.join(" "))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::population::{Households, NO_COLLECTIVE, PensionScheme, Persons};

    /// Two households: urban (weight 2, migrants without local hukou) of a man 40 earning 60000
    /// and a girl 10; rural (weight 1) of a woman 70 with grade 3 disability. Represented: 4 + 1 =
    /// 5 persons.
    #[test]
    fn hand_computed_marginals() {
        let persons = Persons {
            person_id: vec![1, 2, 3],
            household: vec![0, 0, 1],
            age: vec![40, 10, 70],
            sex: vec![Sex::Male, Sex::Female, Sex::Female],
            hukou: vec![Residence::Urban, Residence::Urban, Residence::Rural],
            employment: vec![
                Employment::Employee,
                Employment::Student,
                Employment::Retired,
            ],
            earnings_yearly: vec![60_000.0, 0.0, 0.0],
            other_income_yearly: vec![0.0; 3],
            pension_scheme: vec![
                PensionScheme::Employee,
                PensionScheme::None,
                PensionScheme::Resident,
            ],
            contribution_years: vec![0.0; 3],
            account_balance: vec![0.0; 3],
            indexed_wage_ratio: vec![f64::NAN; 3],
            resident_tier_yearly: vec![0.0; 3],
            current_pension_yearly: vec![0.0; 3],
            disability_grade: vec![0, 0, 3],
            cadre: vec![false; 3],
            no_supporter: vec![false; 3],
            dibao_last_year: vec![false; 3],
            tekun_last_year: vec![false; 3],
            margin_last_year: vec![false; 3],
            local_hukou: vec![false, false, true],
            outpatient_cost_given: vec![f64::NAN; 3],
            inpatient_cost_given: vec![f64::NAN; 3],
            life_events: vec![Default::default(); 3],
        };
        let households = Households {
            household_id: vec![1, 2],
            start: vec![0, 2, 3],
            weight: vec![2.0, 1.0],
            region: vec![0, 0],
            residence: vec![Residence::Urban, Residence::Rural],
            collective: vec![NO_COLLECTIVE; 2],
        };
        let pop = Population {
            persons,
            households,
            regions: vec!["national".into()],
            ..Default::default()
        };
        let m = marginals(&pop);
        assert_eq!(m.represented, 5.0);
        assert_eq!(m.urban_share, 4.0 / 5.0);
        assert_eq!(
            m.age_band_shares[2],
            [2.0 / 5.0, 2.0 / 5.0, 1.0 / 5.0, 1.0 / 5.0, 0.0]
        );
        assert!((m.sex_ratio - 200.0 / 3.0).abs() < 1e-12);
        assert_eq!(m.mean_household_size, 5.0 / 3.0);
        assert_eq!(m.disabled_share_60_plus, (1.0, 1.0));
        assert_eq!(m.mean_earnings_16_plus, [60_000.0, 0.0]);
        assert_eq!(
            m.employment_shares_16_plus[Employment::Employee as usize],
            2.0 / 3.0
        );
        // Urban: everyone non-local (0-14, 15-59, all); rural: nobody; overall 4 of 5.
        assert_eq!(m.non_local_hukou_shares[0], [1.0, 1.0, 0.0, 0.0, 0.0, 1.0]);
        assert_eq!(m.non_local_hukou_shares[1], [0.0; 6]);
        assert_eq!(m.non_local_hukou_shares[2][5], 4.0 / 5.0);
        assert_eq!(m.non_local_hukou_shares[2][2], 0.0);
    }
}
