//! fairfit's Python bindings: the native module `fairfit._native` under the Python package
//! `fairfit` (its scikit-learn-style estimators live in `python/fairfit/`).
//!
//! The module is a set of functions over numpy arrays and JSON documents rather than stateful
//! classes: a fitted estimator's state is numpy arrays and fairfit's own serde documents, so
//! Python estimators clone, pickle and save without any state hidden in Rust. Every fairfit
//! error becomes `ValueError` (bad input) or `fairfit.FitError` (a fit that could not deliver),
//! with fairfit's message.

mod data;
mod error;
mod evaluation;
mod frame_notions;
mod guarantee;
mod linear;
mod names;
mod pipeline;
mod preprocess;
mod reductions;
mod thresholds;

pub use error::{Error, FitError};

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("FitError", m.py().get_type::<FitError>())?;
    m.add_function(wrap_pyfunction!(linear::fit_linear, m)?)?;
    m.add_function(wrap_pyfunction!(linear::decision_function, m)?)?;
    m.add_function(wrap_pyfunction!(linear::predict_proba, m)?)?;
    m.add_function(wrap_pyfunction!(linear::fit_decoupled, m)?)?;
    m.add_function(wrap_pyfunction!(linear::decoupled_proba, m)?)?;
    m.add_function(wrap_pyfunction!(thresholds::fit_thresholds, m)?)?;
    m.add_function(wrap_pyfunction!(thresholds::threshold_probability, m)?)?;
    m.add_function(wrap_pyfunction!(thresholds::threshold_predict, m)?)?;
    m.add_function(wrap_pyfunction!(reductions::fit_exponentiated_gradient, m)?)?;
    m.add_function(wrap_pyfunction!(reductions::randomized_probability, m)?)?;
    m.add_function(wrap_pyfunction!(reductions::randomized_predict, m)?)?;
    m.add_function(wrap_pyfunction!(reductions::fit_grid_search, m)?)?;
    m.add_function(wrap_pyfunction!(preprocess::preprocess, m)?)?;
    m.add_function(wrap_pyfunction!(preprocess::repair_fit, m)?)?;
    m.add_function(wrap_pyfunction!(preprocess::repair_transform, m)?)?;
    m.add_function(wrap_pyfunction!(guarantee::fit_high_confidence, m)?)?;
    m.add_function(wrap_pyfunction!(guarantee::certified_decide, m)?)?;
    m.add_function(wrap_pyfunction!(evaluation::metric_frame, m)?)?;
    m.add_function(wrap_pyfunction!(frame_notions::notion_column, m)?)?;
    m.add_function(wrap_pyfunction!(evaluation::sweep, m)?)?;
    m.add_function(wrap_pyfunction!(evaluation::fairness_report, m)?)?;
    m.add_function(wrap_pyfunction!(pipeline::pipeline_fit, m)?)?;
    m.add_function(wrap_pyfunction!(pipeline::pipeline_score, m)?)?;
    m.add_function(wrap_pyfunction!(
        pipeline::pipeline_decision_probability,
        m
    )?)?;
    m.add_function(wrap_pyfunction!(pipeline::pipeline_load, m)?)?;
    Ok(())
}
