//! `gongfu._gongfu`: the native half of the Python package (docs/python.md). Every function here
//! calls the library: scenarios load and validate through `gongfu::scenario`, runs go through
//! `gongfu::run::memory`, tables leave as polars frames built by `gongfu::output::frames` and
//! cross to Python through the Arrow C data interface (pyo3-polars), sharing their buffers.
//! Nothing here computes policy or an indicator.

mod convert;
mod error;
mod run;

use std::path::PathBuf;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3_polars::PyDataFrame;

use error::to_py;

/// A loaded, checked scenario: a file, or a file with parameters given in code on top.
#[pyclass(module = "gongfu._gongfu", name = "Scenario", frozen, from_py_object)]
#[derive(Clone)]
pub struct PyScenario {
    /// The scenario file it starts from.
    base: PathBuf,
    /// Parameters given in code, as a `[params]` table; empty for the file alone.
    params: toml::Table,
    /// The loaded scenario.
    scenario: gongfu::scenario::Scenario,
}

#[pymethods]
impl PyScenario {
    /// Scenario name.
    #[getter]
    fn name(&self) -> String {
        self.scenario.name.clone()
    }

    /// One-line description.
    #[getter]
    fn description(&self) -> String {
        self.scenario.description.clone()
    }

    /// The scenario file it starts from.
    #[getter]
    fn path(&self) -> PathBuf {
        self.base.clone()
    }

    /// This scenario with `params` (a dict as the TOML `[params]` table) on top of the ones
    /// already given in code, named `name`.
    #[pyo3(signature = (params, name=None))]
    fn with_params(&self, params: &Bound<'_, PyAny>, name: Option<String>) -> PyResult<PyScenario> {
        if self.scenario.grid_point.is_some() {
            return Err(PyValueError::new_err(format!(
                "{}: `{}` is a point of the file's [grid]; with_params starts from a file, so set \
                 the parameter in the grid's file or load a file without a grid",
                self.base.display(),
                self.scenario.name
            )));
        }
        let mut merged = self.params.clone();
        convert::merge(&mut merged, convert::table(params)?);
        let name = name.unwrap_or_else(|| {
            if self.params.is_empty() {
                format!("{}+params", self.scenario.name)
            } else {
                self.scenario.name.clone()
            }
        });
        let scenario =
            gongfu::scenario::Scenario::load_with_params(&self.base, Some(&name), &merged)
                .map_err(to_py)?;
        Ok(PyScenario {
            base: self.base.clone(),
            params: merged,
            scenario,
        })
    }

    /// The parameters given in code, as TOML text (empty for a file alone).
    fn params_toml(&self) -> String {
        toml::to_string(&self.params).unwrap_or_default()
    }

    fn __repr__(&self) -> String {
        format!(
            "Scenario({:?}, {})",
            self.scenario.name,
            self.base.display()
        )
    }
}

/// Loads a scenario file (and what it `extends`), checked against the parameter registry. A file
/// with a `[grid]` stands for several scenarios: an error that points to `load_scenarios`.
#[pyfunction]
fn load_scenario(path: PathBuf) -> PyResult<PyScenario> {
    let mut points = load_scenarios(path.clone())?;
    if points.len() != 1 {
        return Err(PyValueError::new_err(format!(
            "{}: the file declares a [grid] of {} scenarios; gongfu.load_grid loads them all",
            path.display(),
            points.len()
        )));
    }
    Ok(points.remove(0))
}

/// Loads a scenario file and expands its `[grid]`: one scenario per point in grid order, named
/// as `gongfu run` names them; the file's own scenario when it declares no grid.
#[pyfunction]
fn load_scenarios(path: PathBuf) -> PyResult<Vec<PyScenario>> {
    let scenario = gongfu::scenario::Scenario::load(&path).map_err(to_py)?;
    let points = scenario.expand_grid().map_err(to_py)?;
    Ok(points
        .into_iter()
        .map(|scenario| PyScenario {
            base: path.clone(),
            params: toml::Table::new(),
            scenario,
        })
        .collect())
}

/// Scenario files named by paths as `gongfu run` expands them: a folder gives every `*.toml`
/// below it, a `*` in a file name the matching files, anything else itself.
#[pyfunction]
fn expand(paths: Vec<PathBuf>) -> PyResult<Vec<PathBuf>> {
    gongfu::run::batch::expand(&paths).map_err(to_py)
}

/// Generates a synthetic population from a spec file: the person table, with its
/// households and regions as columns. A missed calibration target is an error with the table.
#[pyfunction]
fn synth(py: Python<'_>, spec: PathBuf, persons: usize, seed: u64) -> PyResult<PyDataFrame> {
    py.detach(|| {
        let spec = gongfu::synth::load_spec(&spec)?;
        let (pop, _) = gongfu::synth::generate(&spec, persons, seed)?;
        gongfu::population::io::person_frame(&pop, 0..pop.persons.len())
    })
    .map(PyDataFrame)
    .map_err(to_py)
}

/// Summary indicators of column `income` of a frame, as `gongfu stats --json` gives them: a
/// JSON object, or a list of objects with `by`.
#[pyfunction]
#[pyo3(signature = (df, income, weight=None, by=None, name="the frame"))]
fn stats_json(
    py: Python<'_>,
    df: PyDataFrame,
    income: &str,
    weight: Option<&str>,
    by: Option<&str>,
    name: &str,
) -> PyResult<String> {
    py.detach(|| {
        let file = std::path::Path::new(name);
        let summaries = gongfu::cli::stats::summaries(&df.0, file, income, weight, by)?;
        gongfu::cli::stats::to_json(by, &summaries)
    })
    .map_err(|e| error::from_message(format!("{e:#}")))
}

/// The native module.
#[pymodule]
fn _gongfu(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", gongfu::VERSION)?;
    m.add("GongfuError", m.py().get_type::<error::GongfuError>())?;
    m.add_class::<PyScenario>()?;
    m.add_class::<run::PyRun>()?;
    m.add_function(wrap_pyfunction!(load_scenario, m)?)?;
    m.add_function(wrap_pyfunction!(load_scenarios, m)?)?;
    m.add_function(wrap_pyfunction!(expand, m)?)?;
    m.add_function(wrap_pyfunction!(synth, m)?)?;
    m.add_function(wrap_pyfunction!(stats_json, m)?)?;
    m.add_function(wrap_pyfunction!(run::run, m)?)?;
    Ok(())
}
