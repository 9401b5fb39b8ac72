//! The run manifest (`manifest.json`, spec indicators.md "Outputs of one batch"): what was run,
//! on what, with which seeds, and how each scenario ended.

use serde::Serialize;

/// An input file and its SHA-256.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HashedFile {
    /// Path as given on the command line or found in the scenario folder.
    pub path: String,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
}

/// How a scenario's run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ScenarioStatus {
    /// Ran to the end; its outputs are complete.
    Done,
    /// Stopped on an error (see [`ScenarioManifest::error`]).
    Failed,
    /// Stopped by Ctrl-C or SIGTERM.
    Interrupted,
    /// Not run (e.g. already done in a resumed batch, or after an interruption).
    Skipped,
}

/// What was run for one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioManifest {
    /// Scenario name.
    pub name: String,
    /// Scenario file and the files it extends, with hashes.
    pub files: Vec<HashedFile>,
    /// Every parameter after resolution (extends, steps, indexation), as JSON.
    pub resolved_parameters: serde_json::Value,
    /// Base seed of the random streams.
    pub seed: u64,
    /// Number of replications run.
    pub replications: u32,
    /// Whether this is the reference scenario.
    pub reference: bool,
    /// How the run ended.
    pub status: ScenarioStatus,
    /// The error chain when `status` is failed.
    pub error: Option<String>,
}

/// The population a run used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PopulationManifest {
    /// Population file path, or the synthetic-population specification used.
    pub source: String,
    /// Sample persons (rows).
    pub persons: u64,
    /// Sample households.
    pub households: u64,
    /// Persons the weights stand for (sum of person weights).
    pub represented: f64,
    /// The population's income basis: whether it was generated, and with which top-incomes tail.
    pub income_basis: IncomeBasis,
}

/// Whether a population has the top incomes a household survey misses (`[income] top_incomes`
/// of its spec, `src/synth/top.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IncomeBasis {
    /// Read from a file: what its incomes include is not known to gongfu.
    File,
    /// Generated without the option: incomes on the household survey's basis.
    Survey,
    /// Generated with a Pareto tail above a person quantile, its index solved for a Gini.
    TopIncomes {
        /// Person quantile above which the tail replaces the targets.
        quantile: f64,
        /// National Gini of the targets the tail index was solved for.
        gini: f64,
    },
}

/// Time spent in one step of the run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timing {
    /// Step name, e.g. `"load population"`, `"scenario 浙江统一低保"`.
    pub step: String,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// The run manifest written as `manifest.json`: enough to reproduce and audit the run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Manifest {
    /// gongfu version (`CARGO_PKG_VERSION`).
    pub gongfu_version: String,
    /// The command line, arguments joined by spaces.
    pub command_line: String,
    /// One entry per scenario, in run order.
    pub scenarios: Vec<ScenarioManifest>,
    /// The population used.
    pub population: PopulationManifest,
    /// Step timings, in order.
    pub timings: Vec<Timing>,
    /// Start time, RFC 3339 in UTC (e.g. `2025-03-01T08:00:00Z`).
    pub started_at: String,
    /// End time, RFC 3339 in UTC.
    pub finished_at: String,
}
