//! [`Standardiser`]: centre and scale one numeric column with statistics fitted on training data.

use serde::{Deserialize, Serialize};

use crate::error::{DataError, Result};

/// Subtracts the training mean and divides by the training standard deviation.
///
/// The standard deviation is the **population** one (divide by n, as scikit-learn's
/// `StandardScaler`), so the standardised training column has mean 0 and population standard
/// deviation exactly 1. A constant training column keeps scale 1 (it is only centred), as in
/// scikit-learn. The mean is also the value a missing entry is imputed with.
///
/// ```
/// use fairfit::data::schema::Standardiser;
/// let s = Standardiser::fit("age", &[1.0, 2.0, 3.0, 4.0])?;
/// assert_eq!(s.mean(), 2.5);
/// assert!((s.sd() - 1.25f64.sqrt()).abs() < 1e-12);
/// assert_eq!(s.transform(2.5), 0.0);
/// # Ok::<(), fairfit::data::DataError>(())
/// ```
///
/// Loaded from JSON it is checked as [`Standardiser::new`] checks it (unknown fields are refused).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "StandardiserFile")]
pub struct Standardiser {
    column: String,
    mean: f64,
    sd: f64,
}

/// A [`Standardiser`] as saved, validated into one on load: an `sd` of 0 would divide by zero
/// and a negative one would flip the column's sign, so neither is trusted from a file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StandardiserFile {
    column: String,
    mean: f64,
    sd: f64,
}

impl TryFrom<StandardiserFile> for Standardiser {
    type Error = DataError;

    fn try_from(file: StandardiserFile) -> Result<Self> {
        Self::new(file.column, file.mean, file.sd)
    }
}

impl Standardiser {
    /// A standardiser from its statistics (e.g. fitted elsewhere): the mean must be finite and
    /// the standard deviation finite and positive.
    pub fn new(column: impl Into<String>, mean: f64, sd: f64) -> Result<Self> {
        let column = column.into();
        if !mean.is_finite() {
            return Err(DataError::InvalidParameter {
                name: "mean",
                reason: format!("numeric column `{column}`: the mean must be finite, got {mean}"),
            });
        }
        if !(sd.is_finite() && sd > 0.0) {
            return Err(DataError::InvalidParameter {
                name: "sd",
                reason: format!(
                    "numeric column `{column}`: the standard deviation must be finite and > 0, got {sd}"
                ),
            });
        }
        Ok(Self { column, mean, sd })
    }

    /// Fits mean and population standard deviation; fails on no values, a non-finite one, or
    /// values whose mean or spread overflows.
    pub fn fit(column: impl Into<String>, values: &[f64]) -> Result<Self> {
        let column = column.into();
        if values.is_empty() {
            return Err(DataError::Empty(format!(
                "numeric column `{column}` has no values to fit"
            )));
        }
        if let Some((row, &value)) = values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(DataError::NonFinite {
                what: "features",
                row,
                column: Some(column),
                value,
            });
        }
        let mean = values.iter().fold(0.0, |s, v| s + v) / values.len() as f64;
        let squares = values.iter().fold(0.0, |s, v| s + (v - mean).powi(2));
        Self::from_moments(column, values.len(), mean, squares)
    }

    /// From the count, the mean and the sum of squared deviations from it (both summed in row
    /// order, so that a fit over chunks of rows equals [`Standardiser::fit`] exactly).
    pub(crate) fn from_moments(
        column: String,
        count: usize,
        mean: f64,
        squared_deviations: f64,
    ) -> Result<Self> {
        if count == 0 {
            return Err(DataError::Empty(format!(
                "numeric column `{column}` has no values to fit"
            )));
        }
        let var = squared_deviations / count as f64;
        let sd = if var > 0.0 { var.sqrt() } else { 1.0 };
        // Finite values can still overflow the sums (two values of 1e308): refused, not inf.
        Self::new(column, mean, sd)
    }

    /// The column this standardiser belongs to.
    pub fn column(&self) -> &str {
        &self.column
    }

    /// The training mean (also the imputation value).
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// The training population standard deviation (1 for a constant column).
    pub fn sd(&self) -> f64 {
        self.sd
    }

    /// The standardised value `(value - mean) / sd`.
    pub fn transform(&self, value: f64) -> f64 {
        (value - self.mean) / self.sd
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn population_sd_and_constant_columns() {
        let s = Standardiser::fit("x", &[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]).unwrap();
        assert_eq!((s.mean(), s.sd()), (5.0, 2.0));
        assert_eq!(s.transform(9.0), 2.0);
        let c = Standardiser::fit("c", &[3.0, 3.0]).unwrap();
        assert_eq!((c.transform(3.0), c.transform(4.0)), (0.0, 1.0));
        assert!(Standardiser::fit("e", &[]).is_err());
        assert!(Standardiser::fit("n", &[1.0, f64::INFINITY]).is_err());
    }

    #[test]
    fn saved_statistics_are_checked_on_load() {
        let good = Standardiser::fit("age", &[1.0, 3.0]).unwrap();
        let json = serde_json::to_string(&good).unwrap();
        assert_eq!(serde_json::from_str::<Standardiser>(&json).unwrap(), good);
        for (json, what) in [
            (
                r#"{"column":"age","mean":2.0,"sd":0.0}"#,
                "standard deviation",
            ),
            (
                r#"{"column":"age","mean":2.0,"sd":-1.0}"#,
                "standard deviation",
            ),
            (
                r#"{"column":"age","mean":2.0,"sd":1.0,"scale":3}"#,
                "unknown field",
            ),
        ] {
            let err = serde_json::from_str::<Standardiser>(json)
                .unwrap_err()
                .to_string();
            assert!(
                err.contains(what) && (what == "unknown field" || err.contains("`age`")),
                "{json}: {err}"
            );
        }
        // JSON has no infinity or NaN, so a non-finite statistic comes from code, not a file.
        assert!(Standardiser::new("age", f64::NAN, 1.0).is_err());
        assert!(Standardiser::new("age", 0.0, f64::INFINITY).is_err());
        assert!(Standardiser::fit("age", &[1e308, 1e308]).is_err()); // the sum overflows
    }
}
