//! [`every_strategy`]: the standard list of strategies of a comparison, with its grids
//! ([`Grids`]), so that an example, a bench and a user's own study run the same thing.

use fairfit_data::mitigation::{
    CorrelationRemover, Counterfactual, DisparateImpactRemover, FairOversampling, Massaging,
    PreferentialSampling, Reweighing, UniformSampling,
};
use fairfit_train::postprocess::Constraint;
use fairfit_train::{FairLogisticRegression, FairParams, Logistic};

use super::{
    Decoupled, ExpGradient, GridSearched, Penalised, Preprocessed, Repaired, Strategy, Targeted,
    Thresholded, Unmitigated,
};

/// The parameter grids of [`every_strategy`].
#[derive(Debug, Clone, PartialEq)]
pub struct Grids {
    /// Penalty weights λ of the penalty paths (λ = 0 is the unmitigated model, listed apart).
    pub lambdas: Vec<f64>,
    /// Bounds ε of the target paths, loose to tight.
    pub epsilons: Vec<f64>,
    /// Tolerances of the threshold methods.
    pub tolerances: Vec<f64>,
    /// Multiplier vectors of each grid search.
    pub multipliers: usize,
    /// Seed of the random pre-processing methods.
    pub seed: u64,
}

impl Grids {
    /// The full grids: 12 log-spaced λ in \[0.01, 100\], 11 ε from 0.15 to 0.005, 11 tolerances
    /// from 0 to 0.08 (dense around the bounds 0.01–0.03 that comparisons report), grid searches
    /// of 21 multipliers (Fairlearn's default grid size for two groups).
    pub fn full() -> Self {
        Self {
            lambdas: log_spaced(1e-2, 1e2, 12),
            epsilons: vec![
                0.15, 0.1, 0.07, 0.05, 0.03, 0.02, 0.015, 0.0125, 0.01, 0.0075, 0.005,
            ],
            tolerances: vec![
                0.0, 0.005, 0.01, 0.0125, 0.015, 0.0175, 0.02, 0.025, 0.03, 0.05, 0.08,
            ],
            multipliers: 21,
            seed: 0,
        }
    }

    /// Short grids for quick runs (CI): 5 λ, 4 ε, 4 tolerances, grid searches of 5 multipliers.
    pub fn fast() -> Self {
        Self {
            lambdas: log_spaced(1e-2, 1e2, 5),
            epsilons: vec![0.1, 0.05, 0.02, 0.01],
            tolerances: vec![0.0, 0.01, 0.02, 0.05],
            multipliers: 5,
            seed: 0,
        }
    }

    /// The same grids with another seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
}

/// The ranker of preferential sampling and massaging: fairfit's logistic regression (Newton),
/// which ranks as linfa-logistic does in a fraction of its time.
fn ranker() -> FairParams<Logistic> {
    FairLogisticRegression::params()
}

/// `count` values evenly spaced in log scale from `low` to `high`.
fn log_spaced(low: f64, high: f64, count: usize) -> Vec<f64> {
    let (a, b) = (low.ln(), high.ln());
    (0..count)
        .map(|i| (a + (b - a) * i as f64 / (count.max(2) - 1) as f64).exp())
        .collect()
}

/// Every strategy of fairfit on one list: the unmitigated model; penalty paths and ε-target
/// paths for demographic parity and equalized odds; all eight pre-processing methods of
/// fairfit-data (reweighing, uniform and preferential sampling, massaging, both ranking rows by
/// fairfit's logistic regression, fair oversampling,
/// counterfactual augmentation; the disparate-impact remover at level 1 and the correlation
/// remover at α = 1 as feature repairs); single group-specific thresholds for demographic
/// parity, equal opportunity and equalized odds, and randomised thresholds for equalized odds
/// (named `thresholds-eodds (randomised)`); decoupled classifiers (one model per group) with
/// single thresholds for the same three notions; the equalized-odds target path with single
/// equalized-odds thresholds at tolerance ε on each of its models (`eo-target+thresholds`); and
/// the reductions of Agarwal et al. with Fairlearn's constraints for demographic parity and
/// equalized odds: exponentiated gradient at each ε as its randomised model (`expgrad-dp`,
/// `expgrad-eo`; its support is often too small for a single predictor to meet ε, see
/// [`Choice`](super::Choice)), and grid search over the multipliers, whose every point is a deterministic
/// model (`gridsearch-dp`, `gridsearch-eo`).
///
/// ```
/// use fairfit::eval::sweep::{every_strategy, Grids};
/// let grids = Grids::fast();
/// let strategies = every_strategy(&grids);
/// assert_eq!(strategies.len(), 25);
/// let points: usize = strategies.iter().map(|s| s.grid_size()).sum();
/// assert_eq!(points, 1 + 2 * 5 + 3 * 4 + 8 + 7 * 4 + 2 * 4 + 2 * 5);
/// ```
pub fn every_strategy(grids: &Grids) -> Vec<Box<dyn Strategy>> {
    let Grids {
        lambdas,
        epsilons,
        tolerances,
        multipliers,
        seed,
    } = grids.clone();
    let t = || tolerances.clone();
    vec![
        Box::new(Unmitigated::new()),
        Box::new(Penalised::demographic_parity(lambdas.clone())),
        Box::new(Penalised::equalized_odds(lambdas)),
        Box::new(Targeted::demographic_parity(epsilons.clone())),
        Box::new(Targeted::equalized_odds(epsilons.clone())),
        Box::new(Preprocessed::new(Reweighing::params())),
        Box::new(Preprocessed::new(UniformSampling::params().seed(seed))),
        Box::new(Preprocessed::new(
            PreferentialSampling::params().ranker(ranker()),
        )),
        Box::new(Preprocessed::new(Massaging::params().ranker(ranker()))),
        Box::new(Preprocessed::new(FairOversampling::params().seed(seed))),
        Box::new(Preprocessed::new(Counterfactual::params())),
        Box::new(Repaired::new(DisparateImpactRemover::params().level(1.0))),
        Box::new(Repaired::new(CorrelationRemover::params().alpha(1.0))),
        Box::new(Thresholded::new(Constraint::DemographicParity, t())),
        Box::new(Thresholded::new(Constraint::EqualOpportunity, t())),
        Box::new(Thresholded::new(Constraint::EqualizedOdds, t())),
        Box::new(Thresholded::randomised(Constraint::EqualizedOdds, t())),
        Box::new(Decoupled::new(Constraint::DemographicParity, t())),
        Box::new(Decoupled::new(Constraint::EqualOpportunity, t())),
        Box::new(Decoupled::new(Constraint::EqualizedOdds, t())),
        Box::new(Targeted::equalized_odds_with_thresholds(epsilons.clone())),
        Box::new(ExpGradient::demographic_parity(epsilons.clone())),
        Box::new(ExpGradient::equalized_odds(epsilons)),
        Box::new(GridSearched::demographic_parity(multipliers)),
        Box::new(GridSearched::equalized_odds(multipliers)),
    ]
}
