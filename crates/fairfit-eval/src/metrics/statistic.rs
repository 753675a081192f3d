//! Every group statistic of the shared vocabulary ([`Statistic`]) as a [`Metric`]: the rate
//! metrics of the catalogue (selection rate, TPR, FPR, FNR, error rate, PPV) are computed by
//! this one definition, the same kernel training and monitoring use.

use fairfit_data::fairness::{Quantity, Statistic};

use crate::error::{EvalError, Result};
use crate::metrics::{Input, Metric, Value, View};

const PREDS: &[Input] = &[Input::Predictions];
const LABELS: &[Input] = &[Input::Labels];
const LABELS_PREDS: &[Input] = &[Input::Labels, Input::Predictions];
const SCORES: &[Input] = &[Input::Scores];
const LABELS_SCORES: &[Input] = &[Input::Labels, Input::Scores];

/// A statistic on hard decisions: `Σ w m q / Σ w m` over the rows of the view, `m` the row's
/// membership in the statistic's condition and `q` its quantity.
///
/// ```
/// use fairfit::data::fairness::Statistic;
/// use fairfit::eval::metrics::{evaluate, Outcomes};
/// let out = Outcomes::classification(&[true, true, false, false], &[true, false, true, true])?;
/// assert_eq!(evaluate(&Statistic::true_positive_rate(), &out)?, 0.5);
/// assert_eq!(evaluate(&Statistic::positive_predictive_value(), &out)?, 1.0 / 3.0);
/// # Ok::<(), fairfit::eval::EvalError>(())
/// ```
impl Metric for Statistic {
    fn name(&self) -> String {
        self.column()
    }

    fn requires(&self) -> &'static [Input] {
        match (self.quantity, self.reads_label(), self.reads_decision()) {
            (Quantity::Score, false, _) => SCORES,
            (Quantity::Score, true, _) => LABELS_SCORES,
            (_, true, true) => LABELS_PREDS,
            (_, true, false) => LABELS,
            _ => PREDS,
        }
    }

    fn check_params(&self) -> Result<()> {
        let score_condition = self.quantity == Quantity::Score && self.condition.reads_prediction();
        if matches!(self.quantity, Quantity::Margin | Quantity::Loss) || score_condition {
            return Err(EvalError::InvalidParameter {
                name: "statistic",
                reason: format!(
                    "the {} needs the model's scores and its loss: evaluate it with \
                     fairfit-train's `EvaluateOnScores`",
                    self.name()
                ),
            });
        }
        Ok(())
    }

    fn compute(&self, view: &View<'_>) -> Value {
        const CHECKED: &str = "inputs listed in `requires` are checked before `compute`";
        let w = view.weights();
        let label = |i: usize| view.labels().map_or(0.0, |y| f64::from(u8::from(y[i])));
        let value = if self.quantity == Quantity::Score {
            // The mean score over a label condition: the score stands in the prediction's place.
            let scores = view.scores().expect(CHECKED);
            Statistic::new(Quantity::Prediction, self.condition)
                .over_rows((0..view.len()).map(|i| (w[i], label(i), scores[i])))
        } else {
            let decided = |i: usize| {
                view.predictions()
                    .map_or(0.0, |p| f64::from(u8::from(p[i])))
            };
            self.over_rows((0..view.len()).map(|i| (w[i], label(i), decided(i))))
        };
        value.expect("statistics that need the model's loss are refused by `check_params`")
    }
}
