//! Python inputs as fairfit's types: numpy arrays as ndarray views (no copy), sensitive
//! features as [`SensitiveAttribute`]s, and the [`FairDataset`] a fit reads.

use fairfit_data::{FairDataset, Groups, SensitiveAttribute};
use ndarray::{ArrayView1, ArrayView2};
use numpy::{PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;

use crate::error::{Error, Result};

/// One sensitive column as the Python side encodes it: its name, its levels and each row's
/// level index (`numpy.unique(..., return_inverse=True)`).
#[derive(FromPyObject)]
pub struct Sensitive<'py>(pub String, pub Vec<String>, pub PyReadonlyArray1<'py, i64>);

/// The sensitive columns as fairfit's attributes.
pub fn attributes(columns: &[Sensitive<'_>]) -> Result<Vec<SensitiveAttribute>> {
    columns
        .iter()
        .map(|Sensitive(name, levels, codes)| {
            let codes = codes
                .as_array()
                .iter()
                .enumerate()
                .map(|(row, &c)| {
                    usize::try_from(c).map_err(|_| {
                        Error::input(format!(
                            "sensitive feature `{name}`: row {row} has level code {c}"
                        ))
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(SensitiveAttribute::new(
                name.clone(),
                levels.clone(),
                codes,
            )?)
        })
        .collect()
}

/// The active groups of the columns: one column's levels, or the intersections of several.
pub fn groups(columns: &[Sensitive<'_>]) -> Result<Groups> {
    let attributes = attributes(columns)?;
    match attributes.as_slice() {
        [] => Err(Error::input("sensitive_features has no column")),
        [one] => Ok(Groups::from_attribute(one)?),
        many => Ok(Groups::intersection(&many.iter().collect::<Vec<_>>())?),
    }
}

/// Rows as the Python side hands them to a fit: features, targets, sensitive columns, weights.
pub struct Rows<'py> {
    /// The feature matrix (float64; any strides).
    pub x: PyReadonlyArray2<'py, f64>,
    /// One target per row (0/1 labels, or real values for a regression).
    pub y: PyReadonlyArray1<'py, f64>,
    /// The sensitive columns.
    pub sensitive: Vec<Sensitive<'py>>,
    /// Optional sample weights.
    pub weights: Option<PyReadonlyArray1<'py, f64>>,
}

impl Rows<'_> {
    /// The rows as a validated [`FairDataset`] (fairfit owns its data, so the matrix is copied
    /// once here; predictions read numpy's memory directly).
    pub fn dataset(&self) -> Result<FairDataset> {
        dataset(
            self.x.as_array(),
            self.y.as_array(),
            &self.sensitive,
            self.weights.as_ref().map(|w| w.as_array()),
        )
    }
}

/// A [`FairDataset`] of features, targets, sensitive columns (the intersection of several is
/// the active partition) and optional weights.
pub fn dataset(
    x: ArrayView2<'_, f64>,
    y: ArrayView1<'_, f64>,
    sensitive: &[Sensitive<'_>],
    weights: Option<ArrayView1<'_, f64>>,
) -> Result<FairDataset> {
    let attributes = attributes(sensitive)?;
    let names: Vec<String> = attributes.iter().map(|a| a.name().to_string()).collect();
    let mut data = FairDataset::new(x.to_owned(), y.to_owned(), attributes)?;
    if names.len() > 1 {
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        data = data.with_groups_from(&names)?;
    }
    if let Some(w) = weights {
        data = data.with_weights(w.to_owned())?;
    }
    Ok(data)
}

/// Labels as booleans (`y ≥ 0.5`, after the Python side checked they are 0/1).
pub fn labels(y: ArrayView1<'_, f64>) -> Vec<bool> {
    y.iter().map(|&v| v >= 0.5).collect()
}
