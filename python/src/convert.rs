//! Python values as TOML values: a dict of parameters becomes the `[params]` table a scenario
//! file would write (bool, int, float, str, list, dict; dict keys are names or years).

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

/// A dict as a TOML table.
pub fn table(value: &Bound<'_, PyAny>) -> PyResult<toml::Table> {
    match to_toml(value)? {
        toml::Value::Table(t) => Ok(t),
        _ => Err(PyTypeError::new_err(
            "parameters must be a dict of parameter names to values",
        )),
    }
}

/// One Python value as TOML.
fn to_toml(value: &Bound<'_, PyAny>) -> PyResult<toml::Value> {
    if value.is_instance_of::<PyBool>() {
        return Ok(toml::Value::Boolean(value.extract()?));
    }
    if value.is_instance_of::<PyInt>() {
        return Ok(toml::Value::Integer(value.extract()?));
    }
    if value.is_instance_of::<PyFloat>() {
        return Ok(toml::Value::Float(value.extract()?));
    }
    if value.is_instance_of::<PyString>() {
        return Ok(toml::Value::String(value.extract()?));
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut t = toml::Table::new();
        for (k, v) in dict.iter() {
            let key = if k.is_instance_of::<PyString>() || k.is_instance_of::<PyInt>() {
                k.str()?.to_string()
            } else {
                return Err(PyTypeError::new_err(format!(
                    "parameter keys are names or years, not {}",
                    k.repr()?
                )));
            };
            t.insert(key, to_toml(&v)?);
        }
        return Ok(toml::Value::Table(t));
    }
    if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        let items = value
            .try_iter()?
            .map(|v| to_toml(&v?))
            .collect::<PyResult<Vec<_>>>()?;
        return Ok(toml::Value::Array(items));
    }
    // numpy scalars and other numbers
    if let Ok(x) = value.extract::<f64>() {
        return Ok(toml::Value::Float(x));
    }
    Err(PyTypeError::new_err(format!(
        "a parameter value is a bool, number, string, list or dict, not {}",
        value.repr()?
    )))
}

/// `add` into the `[params]` table `into`, as a file extending another restates keys: a
/// parameter given again replaces its whole value (series and all); the level tables (`urban`,
/// `rural`, `region` and each region under it) merge key by key.
pub fn merge(into: &mut toml::Table, add: toml::Table) {
    for (k, v) in add {
        match (k.as_str(), into.get_mut(&k), v) {
            ("urban" | "rural", Some(toml::Value::Table(a)), toml::Value::Table(b)) => merge(a, b),
            ("region", Some(toml::Value::Table(a)), toml::Value::Table(b)) => {
                for (region, v) in b {
                    match (a.get_mut(&region), v) {
                        (Some(toml::Value::Table(x)), toml::Value::Table(y)) => merge(x, y),
                        (_, v) => {
                            a.insert(region, v);
                        }
                    }
                }
            }
            (_, _, v) => {
                into.insert(k, v);
            }
        }
    }
}
