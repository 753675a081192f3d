//! The reference data sets of fairness research, loaded by the project's protocol
//! (`datasets/README.md`) so that a number here means the same as in other toolkits.
//!
//! Each loader reads the raw files as text, applies the protocol's filters and split, and
//! encodes with a [`Schema`] fitted on the training split: the same mechanism a user's own file
//! goes through. `*_raw` functions stop before encoding ([`RawSplit`]), for audits of the raw
//! data (e.g. missingness).
//!
//! ```no_run
//! use fairfit::data::reference;
//! let adult = reference::adult(reference::datasets_dir())?;
//! assert_eq!(adult.train.nrows(), 30_162);
//! # Ok::<(), fairfit::data::DataError>(())
//! ```

use std::path::PathBuf;

use crate::error::Result;
use crate::schema::{Encoder, RawTable, Schema};

mod adult;
mod compas;
mod german;

pub use crate::split::TrainTest;
pub use adult::{adult, adult_raw};
pub use compas::{compas, compas_filtered, compas_raw};
pub use german::{german, german_raw, GERMAN_AGE_LEVELS, GERMAN_SEX_LEVELS};

/// The folder with the raw reference files: `$FAIRFIT_DATASETS` if set, else the workspace's
/// `datasets/`.
pub fn datasets_dir() -> PathBuf {
    match std::env::var_os("FAIRFIT_DATASETS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../datasets"),
    }
}

/// A reference data set after the protocol's filtering and split, before encoding.
#[derive(Debug, Clone)]
pub struct RawSplit {
    /// Training rows, as text.
    pub train: RawTable,
    /// Test rows, as text.
    pub test: RawTable,
    /// The protocol's column roles.
    pub schema: Schema,
}

impl RawSplit {
    /// Fits the schema on the training rows and encodes both splits.
    pub fn encode(&self) -> Result<(Encoder, TrainTest)> {
        let encoder = Encoder::fit(&self.schema, &self.train)?;
        let train = encoder.transform(&self.train)?;
        let test = encoder.transform(&self.test)?;
        Ok((encoder, TrainTest { train, test }))
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::FairDataset;

    /// Positives and rows per active group, in group order.
    pub fn base_rates(data: &FairDataset) -> Vec<(usize, usize)> {
        let labels = data.labels().expect("reference labels are 0/1");
        let mut out = vec![(0, 0); data.groups().n_groups()];
        for (&g, &y) in data.groups().of_row().iter().zip(&labels) {
            out[g].0 += usize::from(y);
            out[g].1 += 1;
        }
        out
    }

    /// Column means and population sds of the named numeric features.
    pub fn assert_standardised(data: &FairDataset, names: &[&str]) {
        for name in names {
            let j = data
                .feature_names()
                .iter()
                .position(|f| f == name)
                .unwrap_or_else(|| panic!("no feature {name}"));
            let col = data.records().column(j).to_owned();
            let n = col.len() as f64;
            let mean = col.sum() / n;
            let sd = (col.mapv(|v| (v - mean).powi(2)).sum() / n).sqrt();
            assert!(mean.abs() < 1e-9, "{name}: mean {mean}");
            assert!((sd - 1.0).abs() < 1e-9, "{name}: sd {sd}");
        }
    }

    /// Loads a reference data set, or explains that the files are missing.
    pub fn dir() -> PathBuf {
        datasets_dir()
    }
}
