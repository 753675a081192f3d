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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Standardiser {
    column: String,
    mean: f64,
    sd: f64,
}

impl Standardiser {
    /// Fits mean and population standard deviation; fails on no values or a non-finite one.
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
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
        let sd = if var > 0.0 { var.sqrt() } else { 1.0 };
        Ok(Self { column, mean, sd })
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
}
