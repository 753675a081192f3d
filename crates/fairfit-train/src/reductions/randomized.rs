//! [`RandomizedModel`]: what a reduction returns — a distribution `Q` over the best responses
//! it found. Its decisions are randomised (seeded, so reproducible); the deterministic options
//! are the best single predictor of the support that meets ε on the fitting data
//! ([`RandomizedModel::best_feasible`]) and the one with the most weight
//! ([`RandomizedModel::highest_weight`]).

use fairfit_data::fairness::decide;
use ndarray::{Array1, ArrayView2};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use super::lagrangian::Hypothesis;
use crate::error::{Result, TrainError};
use crate::loss::ModelKind;
use crate::model::FittedModel;

/// A randomised predictor: hypothesis `h` is used with probability `weights[h]`. It saves as
/// JSON (the Python package pickles it that way).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct RandomizedModel<K: ModelKind> {
    hypotheses: Vec<Hypothesis<K>>,
    weights: Vec<f64>,
    bounds: Vec<f64>,
    notion: String,
}

impl<K: ModelKind> RandomizedModel<K> {
    pub(crate) fn new(
        hypotheses: Vec<Hypothesis<K>>,
        mut weights: Vec<f64>,
        bounds: Vec<f64>,
        notion: String,
    ) -> Self {
        weights.resize(hypotheses.len(), 0.0);
        Self {
            hypotheses,
            weights,
            bounds,
            notion,
        }
    }

    /// Every best response found, including those with weight 0.
    pub fn hypotheses(&self) -> &[Hypothesis<K>] {
        &self.hypotheses
    }

    /// The probability of each hypothesis (summing to 1).
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// The constraints' bounds `β_j`, in the order of each hypothesis's `gamma`.
    pub fn bounds(&self) -> &[f64] {
        &self.bounds
    }

    /// Indices of the hypotheses with positive weight.
    pub fn support(&self) -> Vec<usize> {
        (0..self.weights.len())
            .filter(|&h| self.weights[h] > 0.0)
            .collect()
    }

    /// The expected training objective (error rate, or mean loss) of the randomised model.
    pub fn training_error(&self) -> f64 {
        self.support()
            .iter()
            .map(|&h| self.weights[h] * self.hypotheses[h].error)
            .sum()
    }

    /// The expected training constraint values `γ_j`.
    pub fn training_gamma(&self) -> Vec<f64> {
        let mut gamma = vec![0.0; self.bounds.len()];
        for h in self.support() {
            for (g, v) in gamma.iter_mut().zip(&self.hypotheses[h].gamma) {
                *g += self.weights[h] * v;
            }
        }
        gamma
    }

    /// The best single predictor of the support that meets every constraint on the fitting
    /// data (the lowest training error among them).
    ///
    /// Errors: [`TrainError::NoFeasibleHypothesis`] when no hypothesis of the support meets them, with
    /// the smallest largest violation.
    pub fn best_feasible(&self) -> Result<&FittedModel<K>> {
        let excess = |h: usize| {
            self.hypotheses[h]
                .gamma
                .iter()
                .zip(&self.bounds)
                .map(|(g, b)| g - b)
                .fold(f64::NEG_INFINITY, f64::max)
        };
        let support = self.support();
        support
            .iter()
            .filter(|&&h| excess(h) <= 0.0)
            .min_by(|&&a, &&b| {
                self.hypotheses[a]
                    .error
                    .total_cmp(&self.hypotheses[b].error)
            })
            .map(|&h| &self.hypotheses[h].model)
            .ok_or_else(|| TrainError::NoFeasibleHypothesis {
                notion: self.notion.clone(),
                hypotheses: support.len(),
                smallest_excess: support
                    .iter()
                    .map(|&h| excess(h))
                    .fold(f64::INFINITY, f64::min),
            })
    }

    /// The hypothesis with the largest weight (the first of equals).
    pub fn highest_weight(&self) -> &FittedModel<K> {
        let best = (0..self.weights.len())
            .max_by(|&a, &b| self.weights[a].total_cmp(&self.weights[b]).then(b.cmp(&a)))
            .expect("a reduction returns at least one hypothesis");
        &self.hypotheses[best].model
    }

    /// Each hypothesis's predictions on `records`, for those with positive weight.
    fn predictions(&self, records: ArrayView2<'_, f64>) -> Result<Vec<(f64, Array1<f64>)>> {
        self.support()
            .into_iter()
            .map(|h| {
                let scores = self.hypotheses[h].model.decision_function(records)?;
                Ok((self.weights[h], scores))
            })
            .collect()
    }
}

impl RandomizedModel<crate::loss::Logistic> {
    /// The probability that each row is decided 1: `Σ_h Q_h [s_h(x) ≥ 0]` (the expected
    /// decision; every hypothesis decides hard).
    pub fn decision_probabilities(&self, records: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        let mut p = Array1::zeros(records.nrows());
        for (w, scores) in self.predictions(records)? {
            p.zip_mut_with(&scores, |p, &s| *p += w * f64::from(u8::from(decide(s))));
        }
        Ok(p.mapv(|v: f64| v.clamp(0.0, 1.0)))
    }

    /// Seeded randomised decisions: row `i` is decided 1 when its probability is at least a
    /// uniform draw (the same seed gives the same decisions).
    pub fn predict(&self, records: ArrayView2<'_, f64>, seed: u64) -> Result<Array1<f64>> {
        let p = self.decision_probabilities(records)?;
        let mut rng = StdRng::seed_from_u64(seed);
        Ok(p.mapv(|p| f64::from(u8::from(p >= rng.gen::<f64>()))))
    }
}

impl RandomizedModel<crate::loss::Linear> {
    /// Seeded randomised predictions: each row's value comes from a hypothesis drawn with
    /// probability `Q_h` (the same seed gives the same predictions).
    pub fn predict(&self, records: ArrayView2<'_, f64>, seed: u64) -> Result<Array1<f64>> {
        let predictions = self.predictions(records)?;
        let mut rng = StdRng::seed_from_u64(seed);
        Ok(Array1::from_shape_fn(records.nrows(), |i| {
            let mut u: f64 = rng.gen();
            for (w, values) in &predictions {
                if u < *w {
                    return values[i];
                }
                u -= w;
            }
            predictions.last().map_or(f64::NAN, |(_, v)| v[i])
        }))
    }
}
