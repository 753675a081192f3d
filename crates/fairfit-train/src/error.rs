//! [`TrainError`]: everything that can stop a fit, each variant saying what and where.

use ndarray::Array1;

use crate::fit_report::FitReport;

/// Why a model could not be trained (or was trained but must not be trusted).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TrainError {
    /// A hyper-parameter is outside its domain (negative or non-finite λ, ε, l2, ...).
    #[error("invalid parameter `{name}`: {reason}")]
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
        /// Why it is rejected.
        reason: String,
    },
    /// A NaN or infinite feature value.
    #[error("non-finite value {value} in the features at row {row}, column {column}")]
    NonFinite {
        /// 0-based row.
        row: usize,
        /// 0-based column.
        column: usize,
        /// The offending value.
        value: f64,
    },
    /// A classifier was given labels other than 0 and 1.
    #[error("labels must be 0 or 1, found {value} at row {row}")]
    NotBinary {
        /// 0-based row.
        row: usize,
        /// The value found.
        value: f64,
    },
    /// Only one class carries weight: a classifier has nothing to separate.
    #[error("only one class ({class}) is present in the training labels")]
    SingleClass {
        /// The class present.
        class: f64,
    },
    /// Two things that must have matching sizes do not.
    #[error("length mismatch: {what} has {found} entries, expected {expected}")]
    LengthMismatch {
        /// What has the wrong size.
        what: String,
        /// The size required.
        expected: usize,
        /// The size found.
        found: usize,
    },
    /// A group (or group × label cell) that a penalty or target averages over has no weight.
    #[error("the {statistic} is undefined in group `{group}`: {reason}")]
    EmptyCell {
        /// The group's name.
        group: String,
        /// What it lacks, in the words every stage uses for an undefined cell
        /// ([`fairfit_data::fairness::Condition::lacks`]).
        reason: &'static str,
        /// The statistic that needs it.
        statistic: String,
    },
    /// A fairness penalty or target on data whose sensitive attribute has a single group: there is
    /// nothing to compare, so the term would do nothing and a target would be met trivially.
    #[error("the {statistic} cannot be compared across groups: every row is in group `{group}`")]
    SingleGroup {
        /// The only group.
        group: String,
        /// The statistic of the penalty or target.
        statistic: String,
    },
    /// A statistic does not apply to this kind of model (e.g. a true-positive rate for a
    /// regression).
    #[error("statistic `{statistic}` does not apply to a {model} model: {reason}")]
    Unsupported {
        /// The statistic.
        statistic: String,
        /// The model kind.
        model: &'static str,
        /// Why not.
        reason: &'static str,
    },
    /// The optimiser stopped before the gradient norm reached the tolerance. The last
    /// parameters are kept so that the caller can inspect, warm-start from, or accept them.
    #[error("not converged: {report}")]
    NotConverged {
        /// What the solver did.
        report: Box<FitReport>,
        /// The coefficients at the last iterate.
        coefficients: Array1<f64>,
        /// The intercept at the last iterate.
        intercept: f64,
    },
    /// A fairness target `gap ≤ ε` (or `ratio ≥ r`, or `value ≤ bound`) could not be met on
    /// the training data: on hard decisions by default, on the smooth statistic under
    /// `Binding::Scores`.
    #[error(
        "target infeasible: `{statistic}` reached {achieved:.6} at best but the target is \
         {target:.6} (after {outer_iterations} augmented-Lagrangian rounds)"
    )]
    Infeasible {
        /// The statistic whose target was missed.
        statistic: String,
        /// The target (ε, ratio or bound).
        target: f64,
        /// The closest value reached (the gap, ratio or maximum).
        achieved: f64,
        /// Outer iterations run.
        outer_iterations: usize,
    },
    /// Something failed for one group's own model (decoupled classifiers).
    #[error("the model of group `{group}`: {source}")]
    InGroup {
        /// The group.
        group: String,
        /// What failed.
        source: Box<TrainError>,
    },
    /// The argmin executor itself failed (a bug or a numerical breakdown).
    #[error("optimiser failure: {0}")]
    Solver(String),
    /// A data-set operation failed.
    #[error(transparent)]
    Data(#[from] fairfit_data::DataError),
    /// An error of linfa's own (its `Fit` trait requires that the error type can carry one).
    #[error("linfa: {0}")]
    Linfa(#[from] linfa::Error),
    /// The only models found that meet a fairness target decide everyone alike on the
    /// training data: a constant rule meets parity trivially and is useless, so it is not
    /// returned as a success.
    #[error(
        "only a constant rule (deciding {} for everyone) met the `{statistic}` target \
         {target:.6} on the training decisions",
        u8::from(*decision)
    )]
    ConstantRule {
        /// The statistic of the target.
        statistic: String,
        /// The target (ε, ratio or bound).
        target: f64,
        /// The decision the constant rule makes.
        decision: bool,
    },
    /// An unregularised (`l2 = 0`, `l1 = 0`) logistic regression on data that a linear model
    /// separates: the loss tends to 0 as the coefficients grow, so no finite minimiser exists and
    /// any coefficients returned would only reflect the tolerance. Set `l2 > 0`.
    #[error(
        "no finite optimum: the training data are linearly separable and the logistic loss is \
         unregularised (l2 = 0), so the coefficients grow without bound ({solver} found a \
         separating model after {iterations} iterations); set l2 > 0"
    )]
    Separable {
        /// The solver that ran.
        solver: String,
        /// Its iterations.
        iterations: u64,
    },
    /// A saved model of one kind read as another (a linear regression as a logistic one).
    #[error("a {expected} model cannot be read from a `{found}` one")]
    ModelKind {
        /// The kind asked for (`logistic` or `linear`).
        expected: &'static str,
        /// The kind the file records.
        found: String,
    },
    /// No hypothesis of a reduction's randomised model meets its constraints on the fitting
    /// data, so there is no deterministic feasible choice.
    #[error(
        "none of the {hypotheses} predictors of the {notion} reduction meets its constraints on \
         the training data (the smallest largest excess is {smallest_excess:.6})"
    )]
    NoFeasibleHypothesis {
        /// The notion's label.
        notion: String,
        /// How many hypotheses of the support were checked.
        hypotheses: usize,
        /// The smallest, over hypotheses, of the largest constraint excess `γ_j − β_j`.
        smallest_excess: f64,
    },
    /// An unregularised logistic regression on data with quasi-complete separation: a linear
    /// direction puts `rows` training rows strictly on their label's side and every other row on
    /// its boundary, so the loss keeps falling along it and no finite minimiser exists (the
    /// coefficients returned would only reflect the tolerance). Set `l2 > 0`, or drop what
    /// separates those rows (often a category whose rows all share one label).
    #[error(
        "no finite optimum: {rows} training rows are quasi-completely separated (a linear \
         direction puts them strictly on their label's side and every other row on its \
         boundary), so with l2 = 0 the coefficients grow without bound ({solver}, {iterations} \
         iterations); set l2 > 0 or drop the feature that separates them"
    )]
    QuasiSeparable {
        /// Rows strictly separated by the direction.
        rows: usize,
        /// The solver that ran.
        solver: String,
        /// Its iterations.
        iterations: u64,
    },
}

/// Result alias of the training crate.
pub type Result<T, E = TrainError> = std::result::Result<T, E>;
