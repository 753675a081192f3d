//! [`Split`]: the part of a split data set a metric was measured on (train, validation, test).
//!
//! A module of its own, below the errors that name a split, so that nothing depends on the
//! module of trade-off curves (which re-exports it as `curve::Split`) just to name one.

use serde::{Deserialize, Serialize};

/// The part of a split data set a metric was measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    /// The rows the model was fitted on.
    Train,
    /// Held-out rows used to choose among models (parameters, thresholds).
    Validation,
    /// Held-out rows used only to report.
    Test,
}

impl Split {
    /// All splits in their canonical order (train, validation, test).
    pub const ALL: [Split; 3] = [Split::Train, Split::Validation, Split::Test];

    /// The lower-case name used in CSV headers and JSON: `train`, `validation`, `test`.
    pub fn as_str(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::Validation => "validation",
            Split::Test => "test",
        }
    }
}

impl std::fmt::Display for Split {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Split {
    type Err = String;

    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Split::ALL
            .into_iter()
            .find(|split| split.as_str() == s)
            .ok_or_else(|| format!("`{s}` is not a split (train, validation, test)"))
    }
}
