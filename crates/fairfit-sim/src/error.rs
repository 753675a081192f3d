//! [`SimError`]: the one error type of the simulation crate. Each variant says what was wrong and
//! where: which parameter and which entry, which run, which file.

use std::path::PathBuf;

use fairfit_data::DataError;
use fairfit_train::postprocess::PostprocessError;
use fairfit_train::TrainError;

/// Everything that can go wrong while building environments and agents, running them and
/// writing what they recorded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// A parameter outside its domain.
    #[error("invalid parameter `{name}`: {reason}")]
    InvalidParameter {
        /// The parameter, e.g. `interest_rate` or `cluster_probabilities[1]`.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Probabilities that should form a distribution do not sum to 1.
    #[error("`{name}` must sum to 1 (within 1e-9), its entries sum to {sum}")]
    NotADistribution {
        /// The parameter, e.g. `cluster_probabilities[0]`.
        name: String,
        /// What its entries sum to.
        sum: f64,
    },
    /// A probability that is negative, above 1 or not finite.
    #[error("`{name}[{index}]` is {value}: a probability must be finite and in [0, 1]")]
    InvalidProbability {
        /// The parameter.
        name: String,
        /// 0-based index of the entry.
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// Two parameters that must have one entry per group (or per cluster, per site) do not.
    #[error("`{name}` has {found} entries, expected {expected} ({per})")]
    LengthMismatch {
        /// The parameter with the wrong length.
        name: String,
        /// The length required.
        expected: usize,
        /// The length found.
        found: usize,
        /// What each entry stands for, e.g. `one per group`.
        per: &'static str,
    },
    /// A run of zero steps.
    #[error("a run needs at least one step")]
    NoSteps,
    /// A run over zero seeds.
    #[error("a run needs at least one seed")]
    NoSeeds,
    /// An agent chose an action the environment cannot take.
    #[error("invalid action at step {step}: {reason}")]
    InvalidAction {
        /// The 0-based step.
        step: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// A run failed: the seed it ran under and the error.
    #[error("run with seed {seed} failed at step {step}: {source}")]
    Run {
        /// The run's seed.
        seed: u64,
        /// The 0-based step.
        step: usize,
        /// What failed.
        #[source]
        source: Box<SimError>,
    },
    /// Recorded runs that cannot be combined or drawn (different metrics, no such metric).
    #[error("recorded runs: {0}")]
    Record(String),
    /// Building a data set for an agent's model failed.
    #[error(transparent)]
    Data(#[from] DataError),
    /// Training an agent's model failed.
    #[error(transparent)]
    Train(#[from] TrainError),
    /// Fitting an agent's thresholds failed.
    #[error(transparent)]
    Postprocess(#[from] PostprocessError),
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Writing a CSV table failed.
    #[error("writing CSV: {0}")]
    Csv(#[from] csv::Error),
    /// Writing JSON failed.
    #[error("writing JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Drawing a plot failed.
    #[error("plot `{what}`: {message}")]
    Plot {
        /// Which plot.
        what: String,
        /// The drawing backend's message.
        message: String,
    },
}

/// The result type of the simulation crate.
pub type Result<T> = std::result::Result<T, SimError>;
