//! Train/test splits: the [`TrainTest`] pair that loaders and splitters return.

use crate::dataset::FairDataset;

/// A training split and a test split of one data set, encoded alike.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainTest {
    /// The rows models are fitted on (and encoders fitted from).
    pub train: FairDataset,
    /// The held-out rows metrics are reported on.
    pub test: FairDataset,
}
