//! `gongfu.run` natively: scenarios run in memory by `gongfu::run::memory` with the GIL
//! released; after each simulated year the GIL is taken back briefly to report progress and to
//! let Ctrl-C (Python's pending signals) stop the run at that year boundary.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use polars::prelude::{DataFrame, DataType};
use pyo3::exceptions::PyKeyError;
use pyo3::prelude::*;
use pyo3_polars::PyDataFrame;

use gongfu::output::frames;
use gongfu::population::Residence;
use gongfu::run::RunOptions;
use gongfu::run::memory::{MemoryRun, run_in_memory};
use gongfu::run::microdata::MicrodataOut;

use crate::PyScenario;
use crate::error::to_py;

/// A finished run: its tables as frames (built once; every access shares their buffers).
#[pyclass(module = "gongfu._gongfu", name = "Run", frozen)]
pub struct PyRun {
    run: MemoryRun,
    indicators: DataFrame,
    deciles: DataFrame,
    fiscal: DataFrame,
    lorenz: DataFrame,
}

impl PyRun {
    fn table(&self, name: &str) -> PyResult<&DataFrame> {
        match name {
            "indicators" => Ok(&self.indicators),
            "deciles" => Ok(&self.deciles),
            "fiscal" => Ok(&self.fiscal),
            "lorenz" => Ok(&self.lorenz),
            _ => Err(PyKeyError::new_err(format!(
                "no table `{name}`; the tables are indicators, deciles, fiscal, lorenz"
            ))),
        }
    }
}

#[pymethods]
impl PyRun {
    /// One of the tables `indicators`, `deciles`, `fiscal`, `lorenz` as a polars frame.
    fn frame(&self, name: &str) -> PyResult<PyDataFrame> {
        Ok(PyDataFrame(self.table(name)?.clone()))
    }

    /// The address of the values buffer of a Float64 column of a table (its first chunk), to
    /// check that the Python frame shares the memory rather than a copy.
    fn buffer_address(&self, table: &str, column: &str) -> PyResult<usize> {
        let col = self
            .table(table)?
            .column(column)
            .map_err(|e| PyKeyError::new_err(e.to_string()))?;
        if col.dtype() != &DataType::Float64 {
            return Err(PyKeyError::new_err(format!(
                "`{column}` is not a Float64 column"
            )));
        }
        let ca = col
            .as_materialized_series()
            .f64()
            .map_err(|e| PyKeyError::new_err(e.to_string()))?;
        Ok(ca
            .downcast_iter()
            .next()
            .map_or(0, |a| a.values().as_ptr() as usize))
    }

    /// Resolved parameters of every scenario, year, region and residence: columns scenario,
    /// year, region, residence, parameter, value (as the manifest spells values; money in yuan
    /// per year).
    fn parameters(&self, py: Python<'_>) -> PyResult<PyDataFrame> {
        py.detach(|| {
            let mut cols: [Vec<String>; 5] = Default::default();
            let mut year_col: Vec<i32> = Vec::new();
            let years = self.run.settings.years;
            for s in &self.run.scenarios {
                for year in years.start..=years.end {
                    for region in &self.run.regions {
                        for res in Residence::ALL {
                            for (key, value) in s.resolve(year, region, res).iter() {
                                cols[0].push(s.name.clone());
                                year_col.push(year);
                                cols[1].push(region.clone());
                                cols[2].push(res.as_str().to_owned());
                                cols[3].push(key.to_string());
                                cols[4].push(gongfu::run::value_text(value));
                            }
                        }
                    }
                }
            }
            let [scenario, region, residence, parameter, value] = cols;
            use polars::prelude::Column;
            gongfu::table::frame(
                "the parameters table",
                vec![
                    Column::new("scenario".into(), scenario),
                    Column::new("year".into(), year_col),
                    Column::new("region".into(), region),
                    Column::new("residence".into(), residence),
                    Column::new("parameter".into(), parameter),
                    Column::new("value".into(), value),
                ],
            )
        })
        .map(PyDataFrame)
        .map_err(to_py)
    }

    /// Writes the run folder the command line writes for these scenarios (tables, manifest,
    /// charts, report, summary.csv) into `dir`.
    fn write(&self, py: Python<'_>, dir: PathBuf) -> PyResult<()> {
        py.detach(|| self.run.write(&dir)).map_err(to_py)
    }

    /// Scenario names, reference first.
    #[getter]
    fn scenario_names(&self) -> Vec<String> {
        self.run.scenarios.iter().map(|s| s.name.clone()).collect()
    }

    /// The reference scenario's name.
    #[getter]
    fn reference(&self) -> String {
        self.run.results.reference_scenario.clone()
    }

    /// Simulated years, first and last.
    #[getter]
    fn years(&self) -> (i32, i32) {
        (self.run.settings.years.start, self.run.settings.years.end)
    }

    /// Replications.
    #[getter]
    fn replications(&self) -> u32 {
        self.run.settings.replications
    }

    /// Master seed.
    #[getter]
    fn seed(&self) -> u64 {
        self.run.settings.seed
    }

    /// The start population, as the manifest states it.
    #[getter]
    fn population(&self) -> String {
        self.run.population.clone()
    }
}

/// Runs scenarios in memory (see `gongfu.run`). `progress(scenario, replication, year, done,
/// total)` is called after each simulated year; an exception it raises, or Ctrl-C, stops the run
/// at that year boundary and is raised here.
#[pyfunction]
#[pyo3(signature = (scenarios, *, persons=None, population=None, years=None, seed=None,
    replications=None, static_year=false, microdata=None, chunk_households=None, progress=None,
    command_line=String::new()))]
#[allow(clippy::too_many_arguments)]
pub fn run(
    py: Python<'_>,
    scenarios: Vec<PyScenario>,
    persons: Option<usize>,
    population: Option<PathBuf>,
    years: Option<(i32, i32)>,
    seed: Option<u64>,
    replications: Option<u32>,
    static_year: bool,
    microdata: Option<PathBuf>,
    chunk_households: Option<usize>,
    progress: Option<Py<PyAny>>,
    command_line: String,
) -> PyResult<PyRun> {
    let opts = RunOptions {
        persons,
        population,
        seed,
        years: years.map(|(start, end)| gongfu::scenario::YearRange { start, end }),
        replications,
        static_year,
        microdata: microdata.is_some(),
        // The Python package reads the Parquet files; CSV would only cost time.
        microdata_csv: false,
        chunk_households,
        command_line,
        // The reference scenario's `lang`, else English (the Python API has no `--lang`).
        lang: None,
    };
    let scenarios: Vec<_> = scenarios.into_iter().map(|s| s.scenario).collect();
    let cancel = AtomicBool::new(false);
    let mut failure: Option<PyErr> = None;
    let result = py.detach(|| {
        let microdata = microdata
            .as_deref()
            .map(|dir| MicrodataOut { dir, csv: false });
        let run = run_in_memory(scenarios, &opts, microdata, &cancel, |step| {
            Python::attach(|py| {
                if failure.is_some() {
                    return;
                }
                let reported = py.check_signals().and_then(|()| match &progress {
                    Some(cb) => cb
                        .call1(
                            py,
                            (
                                step.scenario,
                                step.replication,
                                step.year,
                                step.done,
                                step.total,
                            ),
                        )
                        .map(|_| ()),
                    None => Ok(()),
                });
                if let Err(e) = reported {
                    failure = Some(e);
                    cancel.store(true, Ordering::Relaxed);
                }
            });
        })?;
        let r = &run.results;
        Ok::<_, gongfu::Error>(PyRun {
            indicators: frames::indicators_frame(&r.indicators)?,
            deciles: frames::deciles_frame(&r.deciles)?,
            fiscal: frames::fiscal_frame(&r.fiscal)?,
            lorenz: frames::lorenz_frame(&r.lorenz)?,
            run,
        })
    });
    if let Some(e) = failure {
        return Err(e);
    }
    result.map_err(to_py)
}
