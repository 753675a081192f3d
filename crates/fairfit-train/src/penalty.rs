//! Fairness penalties: a [`SmoothAggregate`] of one or more soft [`Statistic`]s, added to the training
//! objective with a weight λ. The whole catalogue is built from these two parts.

use serde::{Deserialize, Serialize};

use crate::error::{Result, TrainError};
use crate::loss::Loss;
use crate::smooth_aggregate::SmoothAggregate;
use crate::statistic::check_statistic;
use fairfit_data::fairness::{Aggregate, Notion, Statistic};

/// A fairness penalty: `Σ_k aggregate(statistic_k per group)`, the aggregate smooth.
///
/// [`Penalty::for_notion`] derives the penalty of any smooth notion of the shared vocabulary
/// ([`Notion`]); the named constructors are those of the usual notions (and of the covariance
/// and prejudice penalties, which compare groups in their own way); [`Penalty::new`] builds any
/// other combination,
/// and [`Penalty::with_aggregate`] swaps the way groups are compared (e.g. a smooth max − min
/// instead of the squared gap, or for more than two groups a share-weighted deviation).
///
/// ```
/// use fairfit::train::{SmoothAggregate, Penalty, Statistic};
/// let eo = Penalty::equalized_odds();
/// assert_eq!(eo.statistics(), [Statistic::true_positive_rate(), Statistic::false_positive_rate()]);
/// let dp = Penalty::demographic_parity().with_aggregate(SmoothAggregate::SquaredDeviation);
/// assert_eq!(dp.aggregate(), SmoothAggregate::SquaredDeviation);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Penalty {
    statistics: Vec<Statistic>,
    aggregate: SmoothAggregate,
}

impl Penalty {
    /// A penalty comparing each statistic across groups with the smooth aggregate.
    pub fn new(statistics: Vec<Statistic>, aggregate: SmoothAggregate) -> Self {
        Self {
            statistics,
            aggregate,
        }
    }

    /// The penalty of a notion: its statistics, each compared by the smooth disparity that
    /// stands for the notion's aggregate — the squared gap for a difference or a ratio (both are
    /// at parity when the gap is 0), a smooth maximum (temperature
    /// [`Penalty::DEFAULT_TEMPERATURE`]) for a group maximum.
    ///
    /// Errors: [`TrainError::Unsupported`] for a notion whose statistics are not smooth in the
    /// scores (e.g. predictive parity conditions on the model's own decisions) or whose
    /// aggregate has no smooth stand-in (group minimum, comparisons to the overall value).
    ///
    /// ```
    /// use fairfit::train::{Notion, Penalty};
    /// assert_eq!(Penalty::for_notion(&Notion::equalized_odds())?, Penalty::equalized_odds());
    /// assert!(Penalty::for_notion(&Notion::predictive_parity()).is_err());
    /// # Ok::<(), fairfit::train::TrainError>(())
    /// ```
    pub fn for_notion(notion: &Notion) -> Result<Self> {
        let unsupported = |reason| TrainError::Unsupported {
            statistic: notion.label(),
            model: "a fairness penalty",
            reason,
        };
        if !notion.is_smooth() {
            return Err(unsupported(
                "its statistics are not smooth in the model's scores (evaluate it, or use \
                 post-processing)",
            ));
        }
        let aggregate = match notion.aggregate() {
            Aggregate::Difference | Aggregate::Ratio => SmoothAggregate::SquaredGap,
            Aggregate::Max => SmoothAggregate::SmoothMax {
                temperature: Self::DEFAULT_TEMPERATURE,
            },
            Aggregate::Min | Aggregate::DifferenceToOverall | Aggregate::RatioToOverall => {
                return Err(unsupported(
                    "only differences, ratios and group maxima have a smooth penalty",
                ))
            }
        };
        Ok(Self::new(notion.statistics().to_vec(), aggregate))
    }

    /// The smooth maximum's temperature β of [`Penalty::for_notion`] for a group maximum
    /// (it overestimates the maximum by at most `ln(G)/β`).
    pub const DEFAULT_TEMPERATURE: f64 = 100.0;

    /// The penalty of a notion of the vocabulary that is smooth by construction.
    fn of(notion: Notion) -> Self {
        Self::for_notion(&notion).expect("the vocabulary's named notions are smooth")
    }

    /// Demographic parity: squared gap of the mean predicted probability.
    pub fn demographic_parity() -> Self {
        Self::of(Notion::demographic_parity())
    }

    /// Equal opportunity: squared gap of the soft true-positive rate.
    pub fn equal_opportunity() -> Self {
        Self::of(Notion::equal_opportunity())
    }

    /// False-positive-rate parity: squared gap of the soft false-positive rate.
    pub fn false_positive_parity() -> Self {
        Self::of(Notion::false_positive_parity())
    }

    /// Equalized odds: squared gaps of both the true- and the false-positive rate.
    pub fn equalized_odds() -> Self {
        Self::of(Notion::equalized_odds())
    }

    /// Error-rate parity (overall disparate mistreatment): squared gap of the soft error rate.
    pub fn error_rate_parity() -> Self {
        Self::of(Notion::error_rate_parity())
    }

    /// Zafar et al. (2017), disparate impact: squared covariance between group membership and
    /// the signed distance to the decision boundary.
    pub fn disparate_impact_covariance() -> Self {
        Self::new(vec![Statistic::mean_score()], SmoothAggregate::Covariance)
    }

    /// Zafar et al. (2017), disparate mistreatment: squared covariance between group membership
    /// and the (smoothed) misclassification distance `min(0, ỹ·s)`.
    pub fn mistreatment_covariance() -> Self {
        Self::new(vec![Statistic::mean_margin()], SmoothAggregate::Covariance)
    }

    /// Kamishima et al. (2012), prejudice remover: the mutual information between the soft
    /// decision and the group (their prejudice index, per row).
    pub fn prejudice_remover() -> Self {
        Self::new(
            vec![Statistic::positive_rate()],
            SmoothAggregate::MutualInformation,
        )
    }

    /// Regression: squared gap of the mean prediction.
    pub fn mean_prediction_parity() -> Self {
        Self::of(Notion::mean_prediction_parity())
    }

    /// Bounded group loss: a smooth maximum over groups of the group's mean loss (MSE for a
    /// linear model), so the worst-off group is pulled down. `temperature` β > 0 sets how
    /// closely the smooth maximum follows the true one (within `ln(G)/β`).
    pub fn bounded_group_loss(temperature: f64) -> Self {
        Self::of(Notion::bounded_group_loss())
            .with_aggregate(SmoothAggregate::SmoothMax { temperature })
    }

    /// The same statistics compared with another smooth aggregate.
    pub fn with_aggregate(mut self, aggregate: SmoothAggregate) -> Self {
        self.aggregate = aggregate;
        self
    }

    /// The statistics compared across groups.
    pub fn statistics(&self) -> &[Statistic] {
        &self.statistics
    }

    /// How groups are compared.
    pub fn aggregate(&self) -> SmoothAggregate {
        self.aggregate
    }

    /// Checks the penalty against a model kind.
    pub(crate) fn validate(&self, loss: Loss, model: &'static str) -> Result<()> {
        self.aggregate.validate()?;
        for s in &self.statistics {
            check_statistic(s, loss, model)?;
        }
        Ok(())
    }
}
