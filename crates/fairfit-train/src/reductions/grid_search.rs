//! Grid search (Agarwal et al. 2018, §3.4; Fairlearn's `GridSearch`): one best response per
//! multiplier vector of a fixed grid, each warm-started from the nearest answers (extrapolated
//! along the grid's lines), and a single
//! deterministic predictor chosen by `(1 − c)·error + c·(largest constraint excess)`.

use fairfit_data::fairness::Notion;
use fairfit_data::FairDataset;
use linfa::ParamGuard;

use super::best_response::BestResponse;
use super::exponentiated_gradient::learner;
use super::grid::multiplier_grid;
use super::lagrangian::{dot, Hypothesis, Lagrangian};
use super::moments::{check_epsilon, Constraint, Moments};
use crate::error::{Result, TrainError};
use crate::loss::ModelKind;
use crate::model::FittedModel;
use crate::params::{FairParams, ValidFairParams};

/// Grid search over Lagrange multipliers: the entry point to its parameters.
///
/// ```
/// use fairfit::data::synthetic::BiasedParams;
/// use fairfit::train::reductions::GridSearch;
/// use fairfit::train::{Logistic, Notion};
/// let data = BiasedParams::new(400, 3).label_bias("b", 0.4).seed(1).generate()?.data;
/// let fit = GridSearch::params::<Logistic>(Notion::demographic_parity())
///     .grid_size(7)
///     .fit(&data)?;
/// assert_eq!(fit.points().len(), 7);
/// let best = &fit.points()[fit.best_index()];
/// assert!(best.hypothesis.error <= 1.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct GridSearch;

impl GridSearch {
    /// Parameters for `notion` with Fairlearn's defaults: 10 points, multipliers up to 2 in L1
    /// norm, constraint weight ½, ε = 0 (the constraints' offset; for a ratio, the ratio bound
    /// `1 − ε`), the model kind's default learner.
    pub fn params<K: ModelKind>(notion: Notion) -> GridParams<K> {
        GridParams(ValidGridParams {
            notion,
            epsilon: 0.0,
            grid_size: 10,
            grid_limit: 2.0,
            constraint_weight: 0.5,
            learner: FairParams::default()
                .check()
                .expect("the default learner parameters are valid"),
        })
    }
}

/// Checked parameters of grid search; [`ValidGridParams::fit`] runs it.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidGridParams<K: ModelKind> {
    notion: Notion,
    epsilon: f64,
    grid_size: usize,
    grid_limit: f64,
    constraint_weight: f64,
    learner: ValidFairParams<K>,
}

/// Unchecked parameters of grid search (a builder).
#[derive(Debug, Clone, PartialEq)]
pub struct GridParams<K: ModelKind>(ValidGridParams<K>);

impl<K: ModelKind> GridParams<K> {
    /// The number of multiplier vectors (default 10).
    pub fn grid_size(mut self, size: usize) -> Self {
        self.0.grid_size = size;
        self
    }

    /// The L1 radius of the grid (default 2).
    pub fn grid_limit(mut self, limit: f64) -> Self {
        self.0.grid_limit = limit;
        self
    }

    /// The bound ε of the constraints (default 0).
    pub fn epsilon(mut self, epsilon: f64) -> Self {
        self.0.epsilon = epsilon;
        self
    }

    /// The weight `c ∈ [0, 1]` of the largest constraint excess in the selection (default ½).
    pub fn constraint_weight(mut self, weight: f64) -> Self {
        self.0.constraint_weight = weight;
        self
    }

    /// The learner's parameters (they must carry no penalty).
    pub fn learner(mut self, learner: ValidFairParams<K>) -> Self {
        self.0.learner = learner;
        self
    }

    /// Checks, then runs (see [`ValidGridParams::fit`]).
    pub fn fit(&self, data: &FairDataset) -> Result<GridFit<K>> {
        self.check_ref()?.fit(data)
    }
}

impl<K: ModelKind> ParamGuard for GridParams<K> {
    type Checked = ValidGridParams<K>;
    type Error = TrainError;

    fn check_ref(&self) -> Result<&ValidGridParams<K>> {
        let p = &self.0;
        check_epsilon(&p.notion, p.epsilon)?;
        let invalid =
            |name: &'static str, reason: String| Err(TrainError::InvalidParameter { name, reason });
        if p.grid_size == 0 {
            return invalid("grid_size", "the grid needs at least one point".into());
        }
        if !(p.grid_limit.is_finite() && p.grid_limit >= 0.0) {
            return invalid(
                "grid_limit",
                format!("must be finite and non-negative, got {}", p.grid_limit),
            );
        }
        if !(0.0..=1.0).contains(&p.constraint_weight) {
            return invalid(
                "constraint_weight",
                format!("must be in [0, 1], got {}", p.constraint_weight),
            );
        }
        if !p.learner.penalties().is_empty() {
            return invalid(
                "learner",
                "the learner must carry no penalty: the reduction supplies its costs".into(),
            );
        }
        Ok(p)
    }

    fn check(self) -> Result<ValidGridParams<K>> {
        self.check_ref()?;
        Ok(self.0)
    }
}

/// One point of the grid: its multipliers, the best response and the Lagrangian's value there.
#[derive(Debug, Clone)]
pub struct GridPoint<K: ModelKind> {
    /// The basis coefficients of the point (one per grid direction).
    pub coefficients: Vec<f64>,
    /// The multipliers λ (one per constraint).
    pub lambda: Vec<f64>,
    /// The best response, its training error and constraint values.
    pub hypothesis: Hypothesis<K>,
    /// `L(h, λ) = err(h) + Σ_j λ_j (γ_j(h) − β_j)`.
    pub lagrangian: f64,
}

/// What grid search returns: every grid point and the selected one.
#[derive(Debug, Clone)]
pub struct GridFit<K: ModelKind> {
    points: Vec<GridPoint<K>>,
    best: usize,
    constraints: Vec<Constraint>,
    oracle_calls: usize,
}

impl<K: ModelKind> GridFit<K> {
    /// Every grid point, in grid order.
    pub fn points(&self) -> &[GridPoint<K>] {
        &self.points
    }

    /// The index of the selected point.
    pub fn best_index(&self) -> usize {
        self.best
    }

    /// The selected model.
    pub fn best(&self) -> &FittedModel<K> {
        &self.points[self.best].hypothesis.model
    }

    /// The constraints, in the order of each point's `lambda` and `gamma`.
    pub fn constraints(&self) -> &[Constraint] {
        &self.constraints
    }

    /// Best responses computed (one per point).
    pub fn oracle_calls(&self) -> usize {
        self.oracle_calls
    }
}

impl<K: ModelKind> ValidGridParams<K> {
    /// Runs grid search on `data`.
    ///
    /// Errors: those of [`super::Moments::new`] and of a best response.
    pub fn fit(&self, data: &FairDataset) -> Result<GridFit<K>> {
        let moments = Moments::new(data, &self.notion, self.epsilon, K::LOSS)?;
        let constraints = moments.constraints().to_vec();
        let bounds = moments.bounds();
        let grid = multiplier_grid(
            self.grid_size,
            self.grid_limit,
            moments.basis(),
            constraints.len(),
        );
        let targets = data.targets().to_vec();
        let mut oracle =
            BestResponse::new(data.records(), &targets, K::LOSS, learner(&self.learner))?;
        let mut game: Lagrangian<'_, '_, K> =
            Lagrangian::new(moments, &mut oracle, self.grid_limit);
        let mut points = Vec::with_capacity(grid.len());
        for (coefficients, lambda) in grid {
            let hypothesis = game.respond(&lambda)?;
            let excess: Vec<f64> = hypothesis
                .gamma
                .iter()
                .zip(&bounds)
                .map(|(g, b)| g - b)
                .collect();
            let lagrangian = hypothesis.error + dot(&lambda, &excess);
            points.push(GridPoint {
                coefficients,
                lambda,
                hypothesis,
                lagrangian,
            });
        }
        let c = self.constraint_weight;
        let score = |p: &GridPoint<K>| {
            let worst = p
                .hypothesis
                .gamma
                .iter()
                .zip(&bounds)
                .map(|(g, b)| g - b)
                .fold(f64::NEG_INFINITY, f64::max);
            (1.0 - c) * p.hypothesis.error + c * worst
        };
        let best = (0..points.len())
            .min_by(|&a, &b| {
                score(&points[a])
                    .total_cmp(&score(&points[b]))
                    .then(a.cmp(&b))
            })
            .expect("the grid has at least one point");
        Ok(GridFit {
            points,
            best,
            constraints,
            oracle_calls: game.oracle_calls,
        })
    }
}
