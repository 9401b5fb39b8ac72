//! The results of one batch run, as the engine fills them and the writers read them (spec
//! indicators.md, "Outputs of one batch", "Distribution tables", "Fiscal", "Replications"): rows
//! of indicators, deciles, fiscal lines and Lorenz points, the manifest, and read-only lookups
//! over them ([`view`]) for the charts and the report.
//!
//! Layering: `run` fills these ([`compare`] adds the differences and the means over
//! replications); `output` writes them as tables, then `charts` and `report` read them through
//! [`view::View`]. Values are typed ([`ids`]) until a writer spells them ([`names`]). Nothing here
//! writes a file or computes an indicator.

pub mod compare;
pub mod frontier;
pub mod ids;
mod manifest;
pub mod names;
pub mod view;

pub use crate::indicators::DecileRow;
use crate::rules::{FiscalLine, Payer};
pub use ids::{Demographic, Effect, Fund, Income, Indicator, Slice};
pub use manifest::{
    HashedFile, IncomeBasis, Manifest, PopulationManifest, ScenarioManifest, ScenarioStatus, Timing,
};

/// One indicator value for a scenario, replication, year and population slice (long format).
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorRow {
    /// Scenario name, as in [`ScenarioInfo::name`].
    pub scenario: String,
    /// Replication number (0-based); `None` is the mean over replications.
    pub replication: Option<u32>,
    /// Simulated calendar year.
    pub year: i32,
    /// The population slice (region, residence).
    pub slice: Slice,
    /// The indicator; the unit is the indicator's own (shares in [0, 1], ratios, yuan/year).
    pub indicator: Indicator,
    /// The value (the mean over replications when `replication` is `None`).
    pub value: f64,
    /// Lower bound of the 95% interval across replications, same unit; NaN when not applicable
    /// (a single replication's row), written as an empty cell / null.
    pub ci_low: f64,
    /// Upper bound of the 95% interval across replications, same unit; NaN when not applicable.
    pub ci_high: f64,
    /// Why the indicator has no value (`value` is then NaN, written as an empty cell / null):
    /// `Some("P90/P10 undefined: P10 is 0 (it must be positive)")`; `None` when it has one.
    pub reason: Option<String>,
}

/// One decile of the reference scenario's per-capita D ranking, for one scenario and year (spec
/// "Distribution tables").
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioDecile {
    /// Scenario name.
    pub scenario: String,
    /// Simulated calendar year.
    pub year: i32,
    /// The decile's means and gains (yuan/year per person, person-weighted).
    pub row: DecileRow,
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
    /// The program line.
    pub program: FiscalLine,
    /// Who pays.
    pub payer: Payer,
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
    /// The income concept ranked.
    pub concept: Income,
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
    /// Decile tables (replication 0).
    pub deciles: Vec<ScenarioDecile>,
    /// Fiscal rows per program and payer.
    pub fiscal: Vec<FiscalRow>,
    /// Lorenz curve points (mean over replications).
    pub lorenz: Vec<LorenzRow>,
    /// Parameters that differ from the reference scenario.
    pub parameter_differences: Vec<ParameterDifference>,
    /// The frontier of each reform grid of the group (none without a grid).
    pub frontiers: Vec<frontier::Frontier>,
    /// The run manifest.
    pub manifest: Manifest,
    /// Language of the report, charts and workbook (tables stay English).
    pub lang: crate::report::terms::Lang,
}
