//! Keyword arguments → the library's settings structs.
//!
//! The given JSON object is laid over the struct's defaults (nested
//! objects key by key, so `candidates={"fps": 1}` keeps the other
//! candidate settings; a tagged object such as `buffer` whose `type`
//! changes is replaced whole), then deserialised. A key the struct does
//! not know, a value of the wrong type and a value `validate` refuses are
//! all `ValueError`s that name the key, as the command line's exit 2.

use pyo3::exceptions::PyValueError;
use pyo3::PyResult;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

/// `json` (an object) over `T::default()`; `prefix` is prepended to key
/// names in errors (e.g. `scene.`).
pub fn parse<T: Serialize + DeserializeOwned + Default>(json: &str, prefix: &str) -> PyResult<T> {
    let given: Value = serde_json::from_str(if json.is_empty() { "{}" } else { json })
        .map_err(|e| PyValueError::new_err(format!("invalid settings: {e}")))?;
    let mut base = serde_json::to_value(T::default())
        .map_err(|e| PyValueError::new_err(format!("invalid settings: {e}")))?;
    if !given.is_object() {
        return Err(PyValueError::new_err(
            "invalid settings: expected keyword arguments",
        ));
    }
    overlay(&mut base, given);
    let mut unknown: Vec<String> = Vec::new();
    let mut note = |path: serde_ignored::Path<'_>| unknown.push(path.to_string());
    let de = serde_ignored::Deserializer::new(base, &mut note);
    let parsed: T = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." || path.is_empty() {
            PyValueError::new_err(format!("invalid settings: {inner}"))
        } else {
            PyValueError::new_err(format!("invalid value for {prefix}{path}: {inner}"))
        }
    })?;
    if let Some(key) = unknown.first() {
        return Err(PyValueError::new_err(format!(
            "unknown setting {prefix}{key} (see help() for the settings)"
        )));
    }
    Ok(parsed)
}

/// Lays `over` onto `base`: objects merge key by key, anything else
/// replaces. An object whose `type` differs from the base's replaces it
/// whole (another variant of a tagged enum has other fields).
fn overlay(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) if same_variant(b, &o) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(slot) => overlay(slot, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (slot, v) => *slot = v,
    }
}

fn same_variant(base: &Map<String, Value>, over: &Map<String, Value>) -> bool {
    match (base.get("type"), over.get("type")) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}
