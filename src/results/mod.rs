//! The results of one batch run, as the engine fills them and the writers read them (spec
//! indicators.md, "Outputs of one batch", "Distribution tables", "Fiscal", "Replications"): rows
//! of indicators, deciles, fiscal lines and Lorenz points, the manifest, and read-only lookups
//! over them ([`view`]) for the charts and the report.
//!
//! Layering: `run` fills these; `output` writes them as tables, then `charts` and `report` read
//! them through [`view::View`]. Nothing here writes a file or computes an indicator.

mod manifest;
pub mod view;

pub use manifest::{
    HashedFile, Manifest, PopulationManifest, ScenarioManifest, ScenarioStatus, Timing,
};

/// Indicator names the charts and the report look for in [`IndicatorRow::indicator`]. Income
/// concepts use the spec's letters (M market, P pensions, D disposable, D_care after care costs).
pub mod names {
    /// Gini of per-capita disposable income D, a share in [0, 1).
    pub const GINI_DISPOSABLE: &str = crate::indicators::ids::GINI_DISPOSABLE;
    /// Urban-rural ratio of mean per-capita D (urban / rural), a plain ratio.
    pub const URBAN_RURAL_RATIO_DISPOSABLE: &str = crate::indicators::ids::URBAN_RURAL_RATIO;
    /// Relative poverty headcount rate below 50% of the median per-capita D, a share in [0, 1].
    pub const POVERTY_RATE_50: &str = crate::indicators::ids::POVERTY_RATE_50;
    /// The income concept whose Lorenz curve is charted ([`super::LorenzRow::concept`]).
    pub const LORENZ_CONCEPT_DISPOSABLE: &str = "disposable";
    /// The payer whose amounts make up the fiscal cost ([`super::FiscalRow::payer`]).
    pub const PAYER_GOVERNMENT: &str = "government";
    /// Region and residence value meaning "every region" / "urban and rural together".
    pub const ALL: &str = "all";
}

/// One indicator value for a scenario, replication, year and population slice (long format).
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorRow {
    /// Scenario name, as in [`ScenarioInfo::name`].
    pub scenario: String,
    /// Replication number (0-based); `None` is the mean over replications.
    pub replication: Option<u32>,
    /// Simulated calendar year.
    pub year: i32,
    /// Region code, or `"all"`.
    pub region: String,
    /// `"all"`, `"urban"` or `"rural"`.
    pub residence: String,
    /// Indicator name, e.g. [`names::GINI_DISPOSABLE`]; the unit is the indicator's own (shares in
    /// [0, 1], ratios, yuan/year).
    pub indicator: String,
    /// The value (the mean over replications when `replication` is `None`).
    pub value: f64,
    /// Lower bound of the 95% interval across replications, same unit; NaN when not applicable
    /// (a single replication's row), written as an empty cell / null.
    pub ci_low: f64,
    /// Upper bound of the 95% interval across replications, same unit; NaN when not applicable.
    pub ci_high: f64,
}

/// One decile of the reference scenario's per-capita D ranking, for one scenario and year (spec
/// "Distribution tables"). Means are yuan/year per person, person-weighted.
#[derive(Debug, Clone, PartialEq)]
pub struct DecileRow {
    /// Scenario name.
    pub scenario: String,
    /// Simulated calendar year.
    pub year: i32,
    /// Decile 1..=10 of the reference scenario's ranking (fixed across scenarios).
    pub decile: u8,
    /// Mean market income M, yuan/year per person.
    pub mean_market: f64,
    /// Mean pensions P, yuan/year per person.
    pub mean_pensions: f64,
    /// Mean social assistance A, yuan/year per person.
    pub mean_assistance: f64,
    /// Mean transfers T (all benefits), yuan/year per person.
    pub mean_transfers: f64,
    /// Mean own contributions C, yuan/year per person.
    pub mean_contributions: f64,
    /// Mean disposable income D, yuan/year per person.
    pub mean_disposable: f64,
    /// Mean gain in D versus the reference scenario, yuan/year per person.
    pub gain_yuan: f64,
    /// Mean gain in D versus the reference, percent of the reference mean D (5.0 = 5%).
    pub gain_pct: f64,
    /// Share of persons whose D is higher than under the reference, in [0, 1].
    pub share_better_off: f64,
    /// Share of persons whose D is lower than under the reference, in [0, 1].
    pub share_worse_off: f64,
}

/// Cost and reach of one program, paid by one payer, in one scenario, replication and year, weighted
/// to the population the sample stands for (spec "Fiscal").
#[derive(Debug, Clone, PartialEq)]
pub struct FiscalRow {
    /// Scenario name.
    pub scenario: String,
    /// Replication number (0-based); `None` is the mean over replications.
    pub replication: Option<u32>,
    /// Simulated calendar year.
    pub year: i32,
    /// Program, e.g. `"dibao"`, `"resident_pension"`.
    pub program: String,
    /// Who pays: [`names::PAYER_GOVERNMENT`], `"collective"`, or a fund name.
    pub payer: String,
    /// Amount paid, yuan/year.
    pub amount_yuan: f64,
    /// Beneficiaries, persons (weighted).
    pub beneficiaries_persons: f64,
    /// Beneficiaries, households (weighted).
    pub beneficiaries_households: f64,
    /// Mean benefit per beneficiary person, yuan/year.
    pub mean_benefit_yuan: f64,
}

/// One point of a Lorenz curve.
#[derive(Debug, Clone, PartialEq)]
pub struct LorenzRow {
    /// Scenario name.
    pub scenario: String,
    /// Simulated calendar year.
    pub year: i32,
    /// Income concept letter, e.g. [`names::LORENZ_CONCEPT_DISPOSABLE`].
    pub concept: String,
    /// Cumulative population share, in [0, 1].
    pub population_share: f64,
    /// Cumulative income share, in [0, 1].
    pub income_share: f64,
}

/// A scenario's name and one-line description, in run order.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioInfo {
    /// Scenario name (may be Chinese, e.g. "浙江统一低保").
    pub name: String,
    /// What the scenario changes, in the author's words.
    pub description: String,
}

/// A parameter whose resolved value differs from the reference scenario's.
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterDifference {
    /// Scenario name.
    pub scenario: String,
    /// Parameter key as in scenario files, e.g. `dibao_standard_monthly`.
    pub key: String,
    /// The reference scenario's value, as displayed.
    pub reference_value: String,
    /// This scenario's value, as displayed.
    pub scenario_value: String,
}

/// Everything one batch run produced, ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct RunResults {
    /// Run name (title of the report).
    pub run_name: String,
    /// Name of the reference scenario (differences and deciles are against it).
    pub reference_scenario: String,
    /// Scenarios in run order, the reference included.
    pub scenarios: Vec<ScenarioInfo>,
    /// A year the report summarises besides the first and the final one, if any.
    pub highlight_year: Option<i32>,
    /// Indicator values, long format.
    pub indicators: Vec<IndicatorRow>,
    /// Decile tables (mean over replications).
    pub deciles: Vec<DecileRow>,
    /// Fiscal rows per program and payer.
    pub fiscal: Vec<FiscalRow>,
    /// Lorenz curve points (mean over replications).
    pub lorenz: Vec<LorenzRow>,
    /// Parameters that differ from the reference scenario.
    pub parameter_differences: Vec<ParameterDifference>,
    /// The run manifest.
    pub manifest: Manifest,
}
