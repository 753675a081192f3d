//! Rankers: how preferential sampling and massaging decide which rows are near the decision
//! boundary. A [`Ranker`] is fitted on the training set and returns a [`Scorer`]; any model
//! plugs in through [`FixedRanker`], and [`LogisticRanker`] (linfa-logistic) is the default.

use std::fmt;
use std::sync::Arc;

use linfa::traits::Fit as LinfaFit;
use linfa_logistic::{FittedLogisticRegression, LogisticRegression};
use ndarray::{Array1, ArrayView2};

use crate::dataset::FairDataset;
use crate::error::{DataError, Result};
use crate::scorer::Scorer;

/// A scorer that can be shared between threads.
pub type SharedScorer = Arc<dyn Scorer + Send + Sync>;

/// Learns a [`Scorer`] from a training set: higher scores mean "more likely favourable".
pub trait Ranker: Send + Sync {
    /// A short name for reports, e.g. `logistic`.
    fn name(&self) -> String;

    /// Fits the ranker on `train` and returns the scorer.
    fn fit_scorer(&self, train: &FairDataset) -> Result<SharedScorer>;
}

impl fmt::Debug for dyn Ranker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ranker({})", self.name())
    }
}

/// A ranker that is already fitted (any model or closure): it ignores the training set.
///
/// ```
/// use fairfit::data::mitigation::{FixedRanker, Ranker};
/// use ndarray::{array, Array1, ArrayView2};
/// let by_first = FixedRanker::new("first-column", |x: ArrayView2<'_, f64>| -> Array1<f64> {
///     x.column(0).to_owned()
/// });
/// assert_eq!(by_first.name(), "first-column");
/// ```
#[derive(Clone)]
pub struct FixedRanker {
    name: String,
    scorer: SharedScorer,
}

impl FixedRanker {
    /// Wraps a fitted scorer under a name.
    pub fn new(name: impl Into<String>, scorer: impl Scorer + Send + Sync + 'static) -> Self {
        Self {
            name: name.into(),
            scorer: Arc::new(scorer),
        }
    }
}

impl fmt::Debug for FixedRanker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FixedRanker")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl Ranker for FixedRanker {
    fn name(&self) -> String {
        self.name.clone()
    }

    fn fit_scorer(&self, _train: &FairDataset) -> Result<SharedScorer> {
        Ok(Arc::clone(&self.scorer))
    }
}

/// The default ranker: L2-regularised logistic regression (linfa-logistic) on the features,
/// scoring P(y = 1). As Kamiran & Calders, it is fitted on the (biased) training data.
///
/// linfa-logistic ignores sample weights and may stop at its iteration cap without saying so;
/// for ranking rows that is harmless, and the cap can be raised with
/// [`LogisticRanker::max_iterations`].
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticRanker {
    alpha: f64,
    max_iterations: u64,
}

impl Default for LogisticRanker {
    fn default() -> Self {
        Self {
            alpha: 1.0,
            max_iterations: 100,
        }
    }
}

impl LogisticRanker {
    /// The L2 penalty weight (linfa-logistic's `alpha`, default 1).
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.alpha = alpha;
        self
    }

    /// The L-BFGS iteration cap (default 100, linfa's; a ranker needs an order, not a
    /// converged optimum).
    pub fn max_iterations(mut self, max_iterations: u64) -> Self {
        self.max_iterations = max_iterations;
        self
    }
}

/// A fitted logistic model scoring P(y = 1), whichever class linfa calls positive.
struct LogisticScorer {
    model: FittedLogisticRegression<f64, usize>,
}

impl Scorer for LogisticScorer {
    fn score(&self, records: ArrayView2<'_, f64>) -> Array1<f64> {
        let p = self.model.predict_probabilities(&records);
        // linfa's "positive" class is the larger one, which need not be label 1.
        if self.model.labels().pos.class == 1 {
            p
        } else {
            p.mapv(|q| 1.0 - q)
        }
    }
}

impl Ranker for LogisticRanker {
    fn name(&self) -> String {
        "logistic".into()
    }

    fn fit_scorer(&self, train: &FairDataset) -> Result<SharedScorer> {
        let dataset = train.to_linfa_classification()?;
        let model = LogisticRegression::default()
            .alpha(self.alpha)
            .max_iterations(self.max_iterations)
            .fit(&dataset)
            .map_err(|e| DataError::Ranker {
                ranker: self.name(),
                message: e.to_string(),
            })?;
        Ok(Arc::new(LogisticScorer { model }))
    }
}

/// Scores every row of `data`, checking the scorer returns one finite score per row.
pub(crate) fn score_rows(scorer: &dyn Scorer, data: &FairDataset) -> Result<Array1<f64>> {
    let scores = scorer.score(data.records());
    if scores.len() != data.nrows() {
        return Err(DataError::LengthMismatch {
            what: "ranker scores".into(),
            expected: data.nrows(),
            found: scores.len(),
        });
    }
    if let Some((row, &value)) = scores.iter().enumerate().find(|(_, s)| !s.is_finite()) {
        return Err(DataError::NonFinite {
            what: "ranker scores",
            row,
            column: None,
            value,
        });
    }
    Ok(scores)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{auc, biased};
    use super::*;

    #[test]
    fn logistic_ranker_scores_label_one_high_whatever_the_majority() {
        let data = biased(&[200, 200], 11);
        let labels = data.labels().unwrap();
        // Make label 1 the majority and then the minority: scores must stay oriented.
        for flip in [false, true] {
            let data = if flip {
                let t = data.targets().mapv(|y| 1.0 - y);
                data.clone().with_targets(t).unwrap()
            } else {
                data.clone()
            };
            let labels: Vec<bool> = labels.iter().map(|&l| l != flip).collect();
            let scorer = LogisticRanker::default().fit_scorer(&data).unwrap();
            let scores = score_rows(scorer.as_ref(), &data).unwrap();
            assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)));
            let auc = auc(scores.as_slice().unwrap(), &labels);
            assert!(auc > 0.75, "flip={flip}: AUC {auc}");
        }
    }

    #[test]
    fn one_class_and_bad_scores_are_typed_errors() {
        let data = biased(&[20, 20], 1);
        let ones = data.clone().with_targets(Array1::ones(40)).unwrap();
        let err = LogisticRanker::default()
            .fit_scorer(&ones)
            .err()
            .expect("one class must fail");
        assert!(matches!(err, DataError::Ranker { .. }), "{err}");
        let nan = FixedRanker::new("nan", |x: ArrayView2<'_, f64>| {
            Array1::from_elem(x.nrows(), f64::NAN)
        });
        let scorer = nan.fit_scorer(&data).unwrap();
        assert!(matches!(
            score_rows(scorer.as_ref(), &data),
            Err(DataError::NonFinite { row: 0, .. })
        ));
        let short = FixedRanker::new("short", |_: ArrayView2<'_, f64>| Array1::zeros(3));
        let scorer = short.fit_scorer(&data).unwrap();
        assert!(matches!(
            score_rows(scorer.as_ref(), &data),
            Err(DataError::LengthMismatch { .. })
        ));
    }
}
