//! [`Method`]: one mitigation strategy of a sweep and the grid of its parameter.

use std::fmt;

use fairfit_data::mitigation::Preprocessor;
use fairfit_data::{DataError, FairDataset};
use fairfit_train::postprocess::{Constraint, Randomization};
use fairfit_train::{Penalty, Statistic};
use linfa::traits::{Fit, Transformer};

/// A pre-processing method that changes the *features* (e.g. the disparate-impact remover or the
/// correlation remover): it is fitted on the training split, and the fitted repair is applied to
/// every split, since a model trained on repaired features must also be evaluated on repaired
/// features.
///
/// Implemented for every fairfit-data method that is both a [`Preprocessor`] and linfa's [`Fit`]
/// (whose fitted object is linfa's [`Transformer`] of a [`FairDataset`]).
pub trait FeatureRepair: Send + Sync {
    /// A short name with the parameters that matter.
    fn name(&self) -> String;

    /// Fits the repair on `train`.
    fn fit_repair(&self, train: &FairDataset) -> fairfit_data::Result<FittedRepair>;
}

/// A fitted feature repair: linfa's [`Transformer`] of a [`FairDataset`], shareable across threads.
pub type FittedRepair =
    Box<dyn for<'a> Transformer<&'a FairDataset, fairfit_data::Result<FairDataset>> + Send + Sync>;

impl<P, F> FeatureRepair for P
where
    P: Preprocessor + for<'a> Fit<&'a FairDataset, (), DataError, Object = F>,
    F: for<'a> Transformer<&'a FairDataset, fairfit_data::Result<FairDataset>>
        + Send
        + Sync
        + 'static,
{
    fn name(&self) -> String {
        Preprocessor::name(self)
    }

    fn fit_repair(&self, train: &FairDataset) -> fairfit_data::Result<FittedRepair> {
        Ok(Box::new(self.fit(&train.as_linfa())?))
    }
}

/// What a [`Method`] does; see the constructors of [`Method`].
pub enum MethodKind {
    /// The model without any mitigation (one point).
    Unmitigated,
    /// The model with a fairness penalty, one point per weight λ, fitted in the given order with
    /// warm starts (each fit starts from the previous one's coefficients).
    PenaltyPath {
        /// The penalty.
        penalty: Penalty,
        /// The weights λ ≥ 0.
        lambdas: Vec<f64>,
    },
    /// The model fitted under fairness targets `gap ≤ ε` on each statistic (augmented
    /// Lagrangian), one point per ε, fitted in the given order with warm starts (loose to tight
    /// is the natural order).
    TargetPath {
        /// The statistics whose across-group gap is bounded.
        statistics: Vec<Statistic>,
        /// The bounds ε > 0.
        epsilons: Vec<f64>,
        /// When set, each model of the path is followed by single group-specific thresholds
        /// (deterministic rules) for this constraint at tolerance ε, fitted on the training
        /// split: the targets bound the gap of the *soft* rates, the thresholds that of the
        /// hard decisions, at the same ε.
        thresholds: Option<Constraint>,
    },
    /// A method that changes the training sample (weights, rows or labels), followed by the
    /// model; validation and test are left as they are (one point).
    Preprocess(Box<dyn Preprocessor>),
    /// A method that changes the features, fitted on train and applied to every split, followed
    /// by the model (one point).
    Repair(Box<dyn FeatureRepair>),
    /// Group-specific thresholds (Hardt et al.) on a model's scores, fitted on the training
    /// split, one point per tolerance on the constrained rates.
    Thresholds {
        /// Which model's scores are thresholded.
        scores: ScoreSource,
        /// The rates equalised.
        constraint: Constraint,
        /// Whether rules may randomise (then metrics are expectations).
        randomization: Randomization,
        /// The tolerances ≥ 0.
        tolerances: Vec<f64>,
    },
}

/// The scores a threshold method post-processes.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum ScoreSource {
    /// The unmitigated (pooled) model's scores.
    #[default]
    Pooled,
    /// Decoupled classifiers (Dwork et al. 2018): one unmitigated model per group, fitted on
    /// that group's training rows, each row scored by its group's model.
    Decoupled,
}

/// One method of a sweep: what it does ([`MethodKind`]) and the name its points carry.
///
/// ```
/// use fairfit_data::mitigation::{CorrelationRemover, Reweighing};
/// use fairfit_eval::sweep::Method;
/// use fairfit_train::postprocess::Constraint;
/// let methods = vec![
///     Method::unmitigated(),
///     Method::demographic_parity_path(vec![0.1, 1.0, 10.0]),
///     Method::preprocess(Reweighing::params()),
///     Method::repair(CorrelationRemover::params().alpha(1.0)),
///     Method::thresholds(Constraint::EqualizedOdds, vec![0.0, 0.02]).named("eo-thresholds"),
/// ];
/// assert_eq!(methods.iter().map(Method::points).sum::<usize>(), 8);
/// assert_eq!(methods[4].name(), "eo-thresholds");
/// ```
pub struct Method {
    name: String,
    kind: MethodKind,
}

impl Method {
    /// A method of any kind, with a name.
    pub fn new(name: impl Into<String>, kind: MethodKind) -> Self {
        Self {
            name: name.into(),
            kind,
        }
    }

    /// The unmitigated model, named `unmitigated`.
    pub fn unmitigated() -> Self {
        Self::new("unmitigated", MethodKind::Unmitigated)
    }

    /// A warm-started path of `penalty` over `lambdas` (in the given order).
    pub fn penalty_path(name: impl Into<String>, penalty: Penalty, lambdas: Vec<f64>) -> Self {
        Self::new(name, MethodKind::PenaltyPath { penalty, lambdas })
    }

    /// The demographic-parity penalty path, named `dp-penalty`.
    pub fn demographic_parity_path(lambdas: Vec<f64>) -> Self {
        Self::penalty_path("dp-penalty", Penalty::demographic_parity(), lambdas)
    }

    /// The equalized-odds penalty path, named `eo-penalty`.
    pub fn equalized_odds_path(lambdas: Vec<f64>) -> Self {
        Self::penalty_path("eo-penalty", Penalty::equalized_odds(), lambdas)
    }

    /// A warm-started path of targets `gap ≤ ε` on `statistics` over `epsilons`.
    pub fn target_path(
        name: impl Into<String>,
        statistics: Vec<Statistic>,
        epsilons: Vec<f64>,
    ) -> Self {
        Self::targets(name, statistics, epsilons, None)
    }

    /// The statistics equalized odds bounds: the true- and false-positive rates.
    fn equalized_odds() -> Vec<Statistic> {
        vec![
            Statistic::true_positive_rate(),
            Statistic::false_positive_rate(),
        ]
    }

    /// Demographic-parity targets (gap of the soft positive rate ≤ ε), named `dp-target`.
    pub fn demographic_parity_targets(epsilons: Vec<f64>) -> Self {
        Self::target_path("dp-target", vec![Statistic::positive_rate()], epsilons)
    }

    /// Equalized-odds targets (gaps of the soft TPR and FPR ≤ ε), named `eo-target`.
    pub fn equalized_odds_targets(epsilons: Vec<f64>) -> Self {
        Self::target_path("eo-target", Self::equalized_odds(), epsilons)
    }

    /// A pre-processing method that changes the training sample, named by the method's own
    /// name up to its parameters (`preferential-sampling(ranker=logistic)` becomes
    /// `preferential-sampling`).
    pub fn preprocess(preprocessor: impl Preprocessor + 'static) -> Self {
        let name = short_name(&preprocessor.name());
        Self::new(name, MethodKind::Preprocess(Box::new(preprocessor)))
    }

    /// A pre-processing method that changes the features, applied to every split; named as in
    /// [`Method::preprocess`].
    pub fn repair(repair: impl FeatureRepair + 'static) -> Self {
        let name = short_name(&repair.name());
        Self::new(name, MethodKind::Repair(Box::new(repair)))
    }

    /// Single group-specific thresholds (deterministic rules) for `constraint` over
    /// `tolerances`, named `thresholds-dp`, `thresholds-eop` or `thresholds-eodds`.
    pub fn thresholds(constraint: Constraint, tolerances: Vec<f64>) -> Self {
        Self::new(
            threshold_name(constraint),
            MethodKind::Thresholds {
                scores: ScoreSource::Pooled,
                constraint,
                randomization: Randomization::Forbidden,
                tolerances,
            },
        )
    }

    /// Randomised group-specific thresholds (Hardt et al.'s derived predictor) for `constraint`
    /// over `tolerances`, named as [`Method::thresholds`] with ` (randomised)` appended; their
    /// metrics are expectations over the rules' coin flips.
    pub fn randomized_thresholds(constraint: Constraint, tolerances: Vec<f64>) -> Self {
        Self::new(
            format!("{} (randomised)", threshold_name(constraint)),
            MethodKind::Thresholds {
                scores: ScoreSource::Pooled,
                constraint,
                randomization: Randomization::Allowed,
                tolerances,
            },
        )
    }

    /// Decoupled classifiers (Dwork et al. 2018): one model per group, then single
    /// group-specific thresholds chosen jointly for `constraint` over `tolerances`; named
    /// `decoupled-dp`, `decoupled-eop` or `decoupled-eodds`.
    pub fn decoupled_thresholds(constraint: Constraint, tolerances: Vec<f64>) -> Self {
        let name = threshold_name(constraint).replace("thresholds", "decoupled");
        Self::new(
            name,
            MethodKind::Thresholds {
                scores: ScoreSource::Decoupled,
                constraint,
                randomization: Randomization::Forbidden,
                tolerances,
            },
        )
    }

    /// A warm-started path of targets `gap ≤ ε` on `statistics` over `epsilons`, each model
    /// followed by single group-specific thresholds for `constraint` at tolerance ε, fitted on
    /// the training split (see [`MethodKind::TargetPath`]).
    pub fn target_path_with_thresholds(
        name: impl Into<String>,
        statistics: Vec<Statistic>,
        epsilons: Vec<f64>,
        constraint: Constraint,
    ) -> Self {
        Self::targets(name, statistics, epsilons, Some(constraint))
    }

    /// A target path, optionally followed by thresholds (see [`MethodKind::TargetPath`]).
    fn targets(
        name: impl Into<String>,
        statistics: Vec<Statistic>,
        epsilons: Vec<f64>,
        thresholds: Option<Constraint>,
    ) -> Self {
        Self::new(
            name,
            MethodKind::TargetPath {
                statistics,
                epsilons,
                thresholds,
            },
        )
    }

    /// Equalized-odds targets (as [`Method::equalized_odds_targets`]), each model followed by
    /// single equalized-odds thresholds at tolerance ε; named `eo-target+thresholds`. The
    /// targets close most of the gap at little cost; the thresholds close what the soft-rate
    /// targets leave of it on hard decisions, without randomising.
    pub fn equalized_odds_targets_with_thresholds(epsilons: Vec<f64>) -> Self {
        Self::target_path_with_thresholds(
            "eo-target+thresholds",
            Self::equalized_odds(),
            epsilons,
            Constraint::EqualizedOdds,
        )
    }

    /// The same method under another name (the name its points and legend entry carry).
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// The name its points carry.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What it does.
    pub fn kind(&self) -> &MethodKind {
        &self.kind
    }

    /// How many points it contributes to the curve.
    pub fn points(&self) -> usize {
        match &self.kind {
            MethodKind::PenaltyPath { lambdas, .. } => lambdas.len(),
            MethodKind::TargetPath { epsilons, .. } => epsilons.len(),
            MethodKind::Thresholds { tolerances, .. } => tolerances.len(),
            _ => 1,
        }
    }
}

impl fmt::Debug for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.kind {
            MethodKind::Unmitigated => "unmitigated".to_string(),
            MethodKind::PenaltyPath { lambdas, .. } => format!("penalty path, λ = {lambdas:?}"),
            MethodKind::TargetPath {
                epsilons,
                thresholds,
                ..
            } => match thresholds {
                Some(c) => format!("target path, ε = {epsilons:?}, then {c:?} thresholds at ε"),
                None => format!("target path, ε = {epsilons:?}"),
            },
            MethodKind::Preprocess(p) => format!("pre-processing {}", p.name()),
            MethodKind::Repair(r) => format!("feature repair {}", r.name()),
            MethodKind::Thresholds {
                scores,
                constraint,
                tolerances,
                ..
            } => format!(
                "thresholds for {constraint:?} on {scores:?} scores, tolerances {tolerances:?}"
            ),
        };
        write!(f, "Method({}: {kind})", self.name)
    }
}

/// The name of a threshold method for `constraint`.
fn threshold_name(constraint: Constraint) -> &'static str {
    match constraint {
        Constraint::DemographicParity => "thresholds-dp",
        Constraint::EqualOpportunity => "thresholds-eop",
        Constraint::EqualizedOdds => "thresholds-eodds",
    }
}

/// A method's name without its parameter list: `di-remover(level=1)` → `di-remover`.
fn short_name(name: &str) -> String {
    name.split('(').next().unwrap_or(name).trim().to_string()
}
