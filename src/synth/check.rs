//! The checks of a synthetic-population spec (population.md "Synthetic population specs"): every
//! share is a share, every table has its length and order, and each residence's income shape can
//! reach its median and mean (the target GB2s). Errors name the file and the key.

use std::path::Path;

use super::gb2::Gb2;
use super::spec::{AGE_BANDS, Spec};
use crate::error::{Error, Result};

impl Spec {
    /// The target income distributions (urban, rural): GB2s with the spec's shapes, medians and
    /// means (gb2.rs). An error names the key when no GB2 of that shape has the median / mean.
    pub(crate) fn target_distributions(&self, path: &Path) -> Result<[Gb2; 2]> {
        let i = &self.income;
        let solve = |r: usize, name: &str| -> Result<Gb2> {
            let shape = i.shape.get(r);
            let (median, mean) = if r == 0 {
                (i.urban_median, i.urban_mean)
            } else {
                (i.rural_median, i.rural_mean)
            };
            let bad = |what: String| Error::Config {
                file: path.to_path_buf(),
                line: None,
                column: None,
                message: format!("`income.shape.{name}`: {what}"),
                hint: None,
            };
            if ![shape.a, shape.p, median]
                .iter()
                .all(|v| v.is_finite() && *v > 0.0)
            {
                return Err(bad(format!(
                    "a = {}, p = {} and {name}_median = {median} must be positive numbers",
                    shape.a, shape.p
                )));
            }
            Gb2::with_median_and_mean(shape.a, shape.p, median, mean).map_err(|highest| {
                bad(format!(
                    "no GB2 with a = {}, p = {} has median / mean {:.4} ({name}_median / \
                     {name}_mean); the highest these shapes reach is {highest:.4}: raise p, or \
                     check that the median is below the mean",
                    shape.a,
                    shape.p,
                    median / mean
                ))
            })
        };
        Ok([solve(0, "urban")?, solve(1, "rural")?])
    }

    /// Checks shares, lengths and orderings; errors name `path` and the key.
    pub(crate) fn check(&self, path: &Path) -> Result<()> {
        let bad = |key: &str, what: String| Error::Config {
            file: path.to_path_buf(),
            line: None,
            column: None,
            message: format!("`{key}`: {what}"),
            hint: None,
        };
        let share = |key: &str, v: f64| {
            if (0.0..=1.0).contains(&v) {
                Ok(())
            } else {
                Err(bad(key, format!("{v} is not a share in 0..=1")))
            }
        };
        let positive = |key: &str, v: f64| {
            if v.is_finite() && v > 0.0 {
                Ok(())
            } else {
                Err(bad(key, format!("{v} must be a positive number")))
            }
        };
        let shares_sum_to_one = |key: &str, v: &[f64]| {
            for &x in v {
                share(key, x)?;
            }
            let s: f64 = v.iter().sum();
            if (s - 1.0).abs() > 1e-3 {
                return Err(bad(key, format!("shares sum to {s:.4}, not 1")));
            }
            Ok(())
        };
        let bands = |key: &str, v: &[f64]| {
            if v.len() != AGE_BANDS {
                return Err(bad(
                    key,
                    format!(
                        "{} values given, {AGE_BANDS} expected (bands 0-4 ... 85+)",
                        v.len()
                    ),
                ));
            }
            v.iter().try_for_each(|&x| positive(key, x))
        };
        let p = &self.population;
        positive("population.total_persons", p.total_persons)?;
        share("population.urban_share", p.urban_share)?;
        positive("population.sex_ratio", p.sex_ratio)?;
        bands("population.age_bands", &p.age_bands)?;
        bands("population.urban_band_relative", &p.urban_band_relative)?;
        bands("population.male_share_by_band", &p.male_share_by_band)?;
        for (k, v) in [
            ("population.age_share_0_14", p.age_share_0_14),
            ("population.age_share_60_plus", p.age_share_60_plus),
            ("population.age_share_65_plus", p.age_share_65_plus),
        ] {
            share(k, v)?;
        }
        if p.age_share_65_plus > p.age_share_60_plus
            || p.age_share_0_14 + p.age_share_60_plus >= 1.0
        {
            return Err(bad(
                "population.age_share_*",
                "need 65+ <= 60+ and 0-14 + 60+ < 1".into(),
            ));
        }
        let h = &self.households;
        shares_sum_to_one("households.size_shares.urban", &h.size_shares.urban)?;
        shares_sum_to_one("households.size_shares.rural", &h.size_shares.rural)?;
        shares_sum_to_one("households.six_plus_sizes", &h.six_plus_sizes)?;
        share(
            "households.couple_share_of_two_person",
            h.couple_share_of_two_person,
        )?;
        share(
            "households.three_generation_share.urban",
            h.three_generation_share.urban,
        )?;
        share(
            "households.three_generation_share.rural",
            h.three_generation_share.rural,
        )?;
        share(
            "households.skip_generation_share.urban",
            h.skip_generation_share.urban,
        )?;
        share(
            "households.skip_generation_share.rural",
            h.skip_generation_share.rural,
        )?;
        let e = &self.employment;
        if e.band_lower_age.first() != Some(&16) || !e.band_lower_age.is_sorted() {
            return Err(bad(
                "employment.band_lower_age",
                "must start at 16 and increase".into(),
            ));
        }
        for (key, table) in [
            ("employment.urban", &e.urban),
            ("employment.rural", &e.rural),
        ] {
            if table.len() != e.band_lower_age.len() {
                return Err(bad(
                    key,
                    format!(
                        "{} rows given, one per band of `employment.band_lower_age` ({}) expected",
                        table.len(),
                        e.band_lower_age.len()
                    ),
                ));
            }
            table
                .iter()
                .try_for_each(|row| shares_sum_to_one(key, row))?;
        }
        share(
            "employment.employee_pension_coverage_urban_16_59",
            e.employee_pension_coverage_urban_16_59,
        )?;
        share(
            "employment.cadre_share_of_female_employees",
            e.cadre_share_of_female_employees,
        )?;
        let w = &self.earnings;
        for (key, s) in [
            ("earnings.shape.urban", w.shape.urban),
            ("earnings.shape.rural", w.shape.rural),
        ] {
            positive(key, s.sigma)?;
            if !(0.5..1.0).contains(&s.tail_quantile) || s.pareto_alpha <= 1.0 {
                return Err(bad(
                    key,
                    "tail_quantile must be in 0.5..1 and pareto_alpha > 1".into(),
                ));
            }
        }
        positive("earnings.rural_relative", w.rural_relative)?;
        positive("earnings.flexible_relative", w.flexible_relative)?;
        positive("earnings.farm_income_relative", w.farm_income_relative)?;
        positive("earnings.farm_income_sigma", w.farm_income_sigma)?;
        positive("earnings.average_wage_yearly", w.average_wage_yearly)?;
        let i = &self.income;
        positive("income.mean", i.mean)?;
        positive("income.urban_mean", i.urban_mean)?;
        positive("income.rural_mean", i.rural_mean)?;
        self.target_distributions(path)?;
        let n = &self.pensions;
        for (k, v) in [
            (
                "pensions.retired_employee_share.urban",
                n.retired_employee_share.urban,
            ),
            (
                "pensions.retired_employee_share.rural",
                n.retired_employee_share.rural,
            ),
            (
                "pensions.resident_enrolment_rate",
                n.resident_enrolment_rate,
            ),
            (
                "pensions.employee_contribution_density",
                n.employee_contribution_density,
            ),
            ("pensions.employee_rate", n.employee_rate),
        ] {
            share(k, v)?;
        }
        positive(
            "pensions.employee_avg_pension_monthly",
            n.employee_avg_pension_monthly,
        )?;
        positive(
            "pensions.resident_avg_pension_monthly",
            n.resident_avg_pension_monthly,
        )?;
        positive(
            "pensions.resident_account_divisor",
            n.resident_account_divisor,
        )?;
        if n.resident_tiers.len() != n.resident_tier_shares.len() || n.resident_tiers.is_empty() {
            return Err(bad(
                "pensions.resident_tier_shares",
                "one share per entry of `pensions.resident_tiers` expected".into(),
            ));
        }
        n.resident_tiers
            .iter()
            .try_for_each(|&t| positive("pensions.resident_tiers", t))?;
        shares_sum_to_one("pensions.resident_tier_shares", &n.resident_tier_shares)?;
        if n.contribution_base_bounds[0] > n.contribution_base_bounds[1] {
            return Err(bad(
                "pensions.contribution_base_bounds",
                "floor above cap".into(),
            ));
        }
        let d = &self.disability;
        let (any, severe) = (&d.any_by_age, &d.severe_by_age);
        for age in 0..=crate::population::MAX_AGE {
            let (a, s) = (any.at(age), severe.at(age));
            if !(0.0..=1.0).contains(&a) || s > a {
                return Err(bad(
                    "disability.severe_by_age",
                    format!("at age {age}: any {a}, severe {s}; need severe <= any <= 1"),
                ));
            }
        }
        share(
            "disability.moderate_share_of_non_severe",
            d.moderate_share_of_non_severe,
        )?;
        let s = &self.no_supporter;
        share(
            "no_supporter.share_of_older_alone.urban",
            s.share_of_older_alone.urban,
        )?;
        share(
            "no_supporter.share_of_older_alone.rural",
            s.share_of_older_alone.rural,
        )?;
        let c = &self.collectives;
        positive("collectives.count", c.count)?;
        positive(
            "collectives.capacity_per_member_median_yearly",
            c.capacity_per_member_median_yearly,
        )?;
        share("collectives.pilot_share", c.pilot_share)?;
        if let Some(h) = &self.hukou {
            h.check(path)?;
        }
        Ok(())
    }
}
