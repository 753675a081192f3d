//! Fairness penalties: a [`Disparity`] of one or more soft [`Statistic`]s, added to the training
//! objective with a weight λ. The whole catalogue is built from these two parts.

use serde::{Deserialize, Serialize};

use crate::disparity::Disparity;
use crate::error::Result;
use crate::loss::Loss;
use crate::statistic::Statistic;

/// A fairness penalty: `Σ_k disparity(statistic_k per group)`.
///
/// The named constructors are the usual notions; [`Penalty::new`] builds any other combination,
/// and [`Penalty::with_disparity`] swaps the way groups are compared (e.g. a smooth max − min
/// instead of the squared gap, or for more than two groups a share-weighted deviation).
///
/// ```
/// use fairfit_train::{Disparity, Penalty, Statistic};
/// let eo = Penalty::equalized_odds();
/// assert_eq!(eo.statistics(), [Statistic::true_positive_rate(), Statistic::false_positive_rate()]);
/// let dp = Penalty::demographic_parity().with_disparity(Disparity::SquaredDeviation);
/// assert_eq!(dp.disparity(), Disparity::SquaredDeviation);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Penalty {
    statistics: Vec<Statistic>,
    disparity: Disparity,
}

impl Penalty {
    /// A penalty comparing each statistic across groups with the disparity.
    pub fn new(statistics: Vec<Statistic>, disparity: Disparity) -> Self {
        Self {
            statistics,
            disparity,
        }
    }

    /// Demographic parity: squared gap of the mean predicted probability.
    pub fn demographic_parity() -> Self {
        Self::new(vec![Statistic::positive_rate()], Disparity::SquaredGap)
    }

    /// Equal opportunity: squared gap of the soft true-positive rate.
    pub fn equal_opportunity() -> Self {
        Self::new(vec![Statistic::true_positive_rate()], Disparity::SquaredGap)
    }

    /// False-positive-rate parity: squared gap of the soft false-positive rate.
    pub fn false_positive_parity() -> Self {
        Self::new(
            vec![Statistic::false_positive_rate()],
            Disparity::SquaredGap,
        )
    }

    /// Equalized odds: squared gaps of both the true- and the false-positive rate.
    pub fn equalized_odds() -> Self {
        Self::new(
            vec![
                Statistic::true_positive_rate(),
                Statistic::false_positive_rate(),
            ],
            Disparity::SquaredGap,
        )
    }

    /// Error-rate parity (overall disparate mistreatment): squared gap of the soft error rate.
    pub fn error_rate_parity() -> Self {
        Self::new(vec![Statistic::error_rate()], Disparity::SquaredGap)
    }

    /// Zafar et al. (2017), disparate impact: squared covariance between group membership and
    /// the signed distance to the decision boundary.
    pub fn disparate_impact_covariance() -> Self {
        Self::new(vec![Statistic::mean_score()], Disparity::Covariance)
    }

    /// Zafar et al. (2017), disparate mistreatment: squared covariance between group membership
    /// and the (smoothed) misclassification distance `min(0, ỹ·s)`.
    pub fn mistreatment_covariance() -> Self {
        Self::new(vec![Statistic::mean_margin()], Disparity::Covariance)
    }

    /// Kamishima et al. (2012), prejudice remover: the mutual information between the soft
    /// decision and the group (their prejudice index, per row).
    pub fn prejudice_remover() -> Self {
        Self::new(
            vec![Statistic::positive_rate()],
            Disparity::MutualInformation,
        )
    }

    /// Regression: squared gap of the mean prediction.
    pub fn mean_prediction_parity() -> Self {
        Self::new(vec![Statistic::mean_prediction()], Disparity::SquaredGap)
    }

    /// Bounded group loss: a smooth maximum over groups of the group's mean loss (MSE for a
    /// linear model), so the worst-off group is pulled down. `temperature` β > 0 sets how
    /// closely the smooth maximum follows the true one (within `ln(G)/β`).
    pub fn bounded_group_loss(temperature: f64) -> Self {
        Self::new(
            vec![Statistic::mean_loss()],
            Disparity::SmoothMax { temperature },
        )
    }

    /// The same statistics compared with another disparity.
    pub fn with_disparity(mut self, disparity: Disparity) -> Self {
        self.disparity = disparity;
        self
    }

    /// The statistics compared across groups.
    pub fn statistics(&self) -> &[Statistic] {
        &self.statistics
    }

    /// How groups are compared.
    pub fn disparity(&self) -> Disparity {
        self.disparity
    }

    /// Checks the penalty against a model kind.
    pub(crate) fn validate(&self, loss: Loss, model: &'static str) -> Result<()> {
        self.disparity.validate()?;
        for s in &self.statistics {
            s.check_loss(loss, model)?;
        }
        Ok(())
    }
}
