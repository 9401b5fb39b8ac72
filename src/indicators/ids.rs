//! Stable indicator identifiers (spec indicators.md): the `indicator` column of the long output
//! tables. Renaming one breaks users' scripts, so each is a constant here and nowhere else.

/// Gini of per-capita market income M.
pub const GINI_MARKET: &str = "gini_market";
/// Gini of per-capita market income plus pensions, M + P.
pub const GINI_MARKET_PENSIONS: &str = "gini_market_pensions";
/// Gini of per-capita disposable income D.
pub const GINI_DISPOSABLE: &str = "gini_disposable";
/// Gini of per-capita care-adjusted disposable income D_care.
pub const GINI_DISPOSABLE_CARE: &str = "gini_disposable_care";
/// Redistributive effect G(M) - G(D), Gini points (0..1 scale).
pub const REDISTRIBUTIVE_EFFECT: &str = "redistributive_effect";
/// Reynolds-Smolensky index G(M) - C(D ranked by M).
pub const REYNOLDS_SMOLENSKY: &str = "reynolds_smolensky";
/// Theil T of D (positive incomes).
pub const THEIL: &str = "theil";
/// Mean log deviation of D (positive incomes).
pub const MLD: &str = "mld";
/// Palma ratio of D.
pub const PALMA: &str = "palma";
/// P90/P10 of D.
pub const P90_P10: &str = "p90_p10";
/// Urban-rural ratio of mean per-capita D.
pub const URBAN_RURAL_RATIO: &str = "urban_rural_ratio";
/// Urban-rural ratio of mean per-capita M.
pub const URBAN_RURAL_RATIO_MARKET: &str = "urban_rural_ratio_market";
/// Highest regional mean of D over the lowest.
pub const REGIONAL_RATIO: &str = "regional_ratio";
/// Person-weighted mean per-capita D, yuan per year.
pub const MEAN_DISPOSABLE: &str = "mean_disposable";
/// Weighted median per-capita D, yuan per year.
pub const MEDIAN_DISPOSABLE: &str = "median_disposable";
/// Headcount rate below 40% of the median D.
pub const POVERTY_RATE_40: &str = "poverty_rate_40";
/// Headcount rate below 50% of the median D.
pub const POVERTY_RATE_50: &str = "poverty_rate_50";
/// Headcount rate below 60% of the median D.
pub const POVERTY_RATE_60: &str = "poverty_rate_60";
/// Poverty gap (FGT1) at 50% of the median D.
pub const POVERTY_GAP_50: &str = "poverty_gap_50";
/// Poverty severity (FGT2) at 50% of the median D.
pub const POVERTY_SEVERITY_50: &str = "poverty_severity_50";
/// Headcount rate below the dibao standard of the person's region and residence.
pub const BELOW_DIBAO_RATE: &str = "below_dibao_rate";
/// Government cost of all programs, yuan per year.
pub const FISCAL_COST_TOTAL: &str = "fiscal_cost_total";
/// Persons represented (sum of weights of living persons).
pub const POPULATION: &str = "population";

/// Identifier of one program's government cost, yuan per year: `fiscal_cost_<program>`.
pub fn fiscal_cost(program: &str) -> String {
    format!("fiscal_cost_{program}")
}

/// Identifier of one program's beneficiaries (persons): `beneficiaries_<program>`.
pub fn beneficiaries(program: &str) -> String {
    format!("beneficiaries_{program}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn program_identifiers_follow_the_pattern() {
        assert_eq!(fiscal_cost("dibao"), "fiscal_cost_dibao");
        assert_eq!(beneficiaries("tekun"), "beneficiaries_tekun");
    }
}
