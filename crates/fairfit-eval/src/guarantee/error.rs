//! [`GuaranteeError`]: what can go wrong in a high-confidence fit, before or while candidates
//! are generated and tested. A safety test that fails is not an error but an outcome
//! ([`super::Outcome::NoSolution`]); [`GuaranteeError::NoSolutionFound`] is its form as an error,
//! for callers that want `?` ([`super::Outcome::into_result`]).

use fairfit_data::fairness::Condition;

use super::split::Part;

/// Everything that can go wrong in a high-confidence fit: invalid settings, a notion the safety
/// test cannot bound, a split that leaves a needed cell without rows, candidate generators that
/// produce nothing, and the errors of the trainers they run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GuaranteeError {
    /// δ must lie in (0, 1): the test holds with probability at least 1 − δ.
    #[error("delta must lie in (0, 1), got {0}")]
    InvalidDelta(f64),
    /// ε must be finite and ≥ 0 (a difference bound), or in \[0, 1\] for a ratio (the smallest
    /// acceptable min / max ratio).
    #[error("epsilon {value} is invalid for the {notion}: {reason}")]
    InvalidEpsilon {
        /// The value given.
        value: f64,
        /// The notion's readable name.
        notion: String,
        /// What it must be.
        reason: &'static str,
    },
    /// Another setting is out of range (safety fraction, inflation, a generator's grid, ...).
    #[error("invalid {name}: {reason}")]
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
        /// Why.
        reason: String,
    },
    /// The safety test bounds rates of hard decisions over label conditions (positive rate,
    /// TPR, FPR, error rate) compared by a difference or a ratio; this notion is not one.
    #[error("the {notion} cannot be bounded by the safety test: {reason}")]
    UnsupportedNotion {
        /// The notion's readable name.
        notion: String,
        /// Why.
        reason: &'static str,
    },
    /// The data have sample weights; the confidence bounds treat rows as independent draws of
    /// equal weight, so weighted rows would make the stated confidence false.
    #[error("the data have sample weights; the safety test needs unweighted rows (draws from the population)")]
    Weighted,
    /// The labels are not 0/1, so the label cells (y = 1, y = 0) do not exist.
    #[error("the labels must be 0/1 for a high-confidence classification fit: {0}")]
    Labels(String),
    /// After the candidate / safety split, a group has too few rows in a cell a statistic needs
    /// (none for Hoeffding's bound, fewer than two for Student's t).
    #[error("the {part} part has {rows} row(s) of group `{group}` with {condition}; at least {needed} are needed")]
    EmptyCell {
        /// The group.
        group: String,
        /// The cell's condition, e.g. rows with y = 1.
        condition: &'static str,
        /// Which part of the split.
        part: Part,
        /// Rows found.
        rows: usize,
        /// Rows needed.
        needed: usize,
    },
    /// Fewer than two groups: there is no gap to bound.
    #[error("a fairness guarantee needs at least two groups, found {0}")]
    SingleGroup(usize),
    /// No generator was given, or every candidate of every generator failed to fit.
    #[error("no candidate to select from: {0}")]
    NoCandidates(String),
    /// A candidate generator cannot produce candidates for this notion.
    #[error("the `{generator}` candidates cannot target the {notion}: {reason}")]
    UnsupportedGenerator {
        /// The generator's name.
        generator: String,
        /// The notion's readable name.
        notion: String,
        /// Why.
        reason: String,
    },
    /// The safety test failed (or no candidate was predicted to pass and the best one failed):
    /// no model is returned. The error form of [`super::Outcome::NoSolution`].
    #[error("no solution found: the {notion} bound at confidence 1 − {delta} is {bound:.4} against ε = {epsilon} (candidate `{candidate}`)")]
    NoSolutionFound {
        /// The notion's readable name.
        notion: String,
        /// The (1 − δ) bound the safety rows gave.
        bound: f64,
        /// The limit.
        epsilon: f64,
        /// δ.
        delta: f64,
        /// The candidate that was tested.
        candidate: String,
    },
    /// A trainer failed (outside one candidate's fit, which is recorded and skipped).
    #[error(transparent)]
    Train(#[from] fairfit_train::TrainError),
    /// Post-processing failed.
    #[error(transparent)]
    Postprocess(#[from] fairfit_train::postprocess::PostprocessError),
    /// The data layer failed (splitting, selecting rows, evaluating a statistic).
    #[error(transparent)]
    Data(#[from] fairfit_data::DataError),
    /// An error of linfa's own (through linfa's `Fit`).
    #[error("linfa: {0}")]
    Linfa(#[from] linfa::Error),
}

impl GuaranteeError {
    /// A cell of a group with too few rows.
    pub(crate) fn empty_cell(
        group: &str,
        condition: Condition,
        part: Part,
        rows: usize,
        needed: usize,
    ) -> Self {
        GuaranteeError::EmptyCell {
            group: group.to_string(),
            condition: describe(condition),
            part,
            rows,
            needed,
        }
    }
}

/// A condition's rows in words.
fn describe(condition: Condition) -> &'static str {
    match condition {
        Condition::All => "any label",
        Condition::Positives => "y = 1",
        Condition::Negatives => "y = 0",
        Condition::PredictedPositives => "ŷ = 1",
        Condition::PredictedNegatives => "ŷ = 0",
    }
}

/// The result of the high-confidence module.
pub type Result<T, E = GuaranteeError> = std::result::Result<T, E>;
