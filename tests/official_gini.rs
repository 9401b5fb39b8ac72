//! `scenarios/baseline_official_gini.toml`: the national baseline on a population with the top
//! incomes a household survey misses (`income.top_incomes`) reaches the official Gini of 2022
//! (0.467, [national.income] gini_2022) on the survey basis within 0.005, while the bottom four
//! household quintile groups, the dibao and te-kun counts stay within the baseline's tolerances
//! (docs/validation.md, "The official Gini").

use crate::common::{Scratch, mean_indicator, run_200k};
use crate::shipped_scenarios::{
    PersonRow, QUINTILE_GROUP_MEANS, TARGETS, household_quintile_groups, microdata, reweighted,
    survey_urban_share,
};

#[test]
fn official_gini_baseline_reaches_0467() {
    let dir = Scratch::new("official-gini");
    let out = run_200k(&dir, "scenarios/baseline_official_gini.toml", "2022");
    let csv = std::fs::read_to_string(out.join("indicators.csv")).expect("indicators");
    let value = |indicator: &str| mean_indicator(&csv, "2022", "all", indicator);
    let gini = value("gini_disposable_survey_basis");
    assert!((gini - 0.467).abs() <= 0.005, "survey-basis Gini {gini}");
    for (indicator, _, target, tolerance, _) in
        TARGETS.iter().filter(|t| t.0.starts_with("beneficiaries_"))
    {
        let sim = value(indicator);
        assert!(
            (sim / target - 1.0).abs() <= *tolerance,
            "{indicator}: simulated {sim}, official {target}"
        );
    }
    let rows: Vec<PersonRow> = microdata(
        &out.join("microdata")
            .join("baseline_official_gini_2022.csv"),
    );
    let groups = household_quintile_groups(&reweighted(&rows, survey_urban_share()));
    for (k, (&(_, sim), official)) in groups.iter().zip(QUINTILE_GROUP_MEANS).enumerate() {
        let error = sim / official - 1.0;
        if k < 4 {
            assert!(
                error.abs() <= 0.08,
                "group {}: {sim:.0} vs {official}",
                k + 1
            );
        } else {
            // The top group carries the added incomes.
            assert!(error > 0.08, "top group {sim:.0} vs {official}");
        }
    }
}
