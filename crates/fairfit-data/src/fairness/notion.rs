//! [`Notion`]: a group-fairness notion as one definition — the statistics it compares across
//! groups and how it compares them — from which penalties, targets, post-processing constraints,
//! metric columns and monitoring bounds are all derived.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::aggregate::{Aggregate, Aggregated};
use super::cells::GroupMeans;
use super::statistic::{Condition, Quantity, Statistic};
use super::undefined::Undefined;

/// A group-fairness notion: statistics compared across groups by an [`Aggregate`]; with more
/// than one statistic (equalized odds: TPR and FPR) the notion's value is the worst of their
/// aggregates.
///
/// Adding a notion is one definition (see [`Notion::new`]); every part of fairfit that can
/// use it — metric columns, penalties and targets where the statistics are smooth,
/// post-processing where thresholds can equalise them, monitoring bounds — then does.
///
/// ```
/// use fairfit::data::fairness::{Aggregate, Notion, Statistic};
/// let eo = Notion::equalized_odds();
/// assert_eq!(eo.statistics(), [Statistic::true_positive_rate(), Statistic::false_positive_rate()]);
/// assert_eq!(eo.column(), "eo_difference");
/// assert_eq!(Notion::demographic_parity().ratio().column(), "dp_ratio");
/// let pp = Notion::new("pp", vec![Statistic::positive_predictive_value()], Aggregate::Difference);
/// assert_eq!(pp.column(), "pp_difference");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Notion {
    short: Cow<'static, str>,
    statistics: Vec<Statistic>,
    aggregate: Aggregate,
}

/// A notion's value on some outcomes: the combined number and each statistic's aggregate.
#[derive(Debug, Clone, PartialEq)]
pub struct NotionValue {
    /// The notion's value: the worst of `parts` (the only one for a single statistic).
    pub value: f64,
    /// Each statistic's aggregate, in the notion's order.
    pub parts: Vec<Aggregated>,
}

impl Notion {
    /// A notion from a short name (the prefix of its column, e.g. `dp`), its statistics and
    /// how groups are compared.
    pub fn new(
        short: impl Into<Cow<'static, str>>,
        statistics: Vec<Statistic>,
        aggregate: Aggregate,
    ) -> Self {
        Self {
            short: short.into(),
            statistics,
            aggregate,
        }
    }

    fn fixed(short: &'static str, statistics: Vec<Statistic>, aggregate: Aggregate) -> Self {
        Self {
            short: Cow::Borrowed(short),
            statistics,
            aggregate,
        }
    }

    /// Demographic parity: equal positive rates P(ŷ = 1 | g).
    pub fn demographic_parity() -> Self {
        Self::fixed(
            "dp",
            vec![Statistic::positive_rate()],
            Aggregate::Difference,
        )
    }

    /// Equal opportunity: equal true-positive rates P(ŷ = 1 | y = 1, g).
    pub fn equal_opportunity() -> Self {
        Self::fixed(
            "tpr",
            vec![Statistic::true_positive_rate()],
            Aggregate::Difference,
        )
    }

    /// False-positive-rate parity: equal P(ŷ = 1 | y = 0, g).
    pub fn false_positive_parity() -> Self {
        Self::fixed(
            "fpr",
            vec![Statistic::false_positive_rate()],
            Aggregate::Difference,
        )
    }

    /// Equalized odds: equal true- and false-positive rates (the worse of the two gaps).
    pub fn equalized_odds() -> Self {
        Self::fixed(
            "eo",
            vec![
                Statistic::true_positive_rate(),
                Statistic::false_positive_rate(),
            ],
            Aggregate::Difference,
        )
    }

    /// Error-rate parity (overall disparate mistreatment): equal P(ŷ ≠ y | g).
    pub fn error_rate_parity() -> Self {
        Self::fixed(
            "error_rate",
            vec![Statistic::error_rate()],
            Aggregate::Difference,
        )
    }

    /// Predictive parity: equal positive predictive values P(y = 1 | ŷ = 1, g).
    pub fn predictive_parity() -> Self {
        Self::fixed(
            "ppv",
            vec![Statistic::positive_predictive_value()],
            Aggregate::Difference,
        )
    }

    /// False-omission-rate parity: equal P(y = 1 | ŷ = 0, g).
    pub fn false_omission_rate_parity() -> Self {
        Self::fixed(
            "for",
            vec![Statistic::false_omission_rate()],
            Aggregate::Difference,
        )
    }

    /// Regression: equal mean predictions.
    pub fn mean_prediction_parity() -> Self {
        Self::fixed(
            "mean_prediction",
            vec![Statistic::mean_prediction()],
            Aggregate::Difference,
        )
    }

    /// Bounded group loss: the largest mean loss of any group.
    pub fn bounded_group_loss() -> Self {
        Self::fixed("group_loss", vec![Statistic::mean_loss()], Aggregate::Max)
    }

    /// Base-rate parity of the labels themselves (an audit of the data, no model involved).
    pub fn base_rate_parity() -> Self {
        Self::fixed(
            "base_rate",
            vec![Statistic::base_rate()],
            Aggregate::Difference,
        )
    }

    /// Every named notion of the vocabulary, as differences (group maximum for bounded group
    /// loss); each also has a [`Notion::ratio`] form.
    pub fn vocabulary() -> Vec<Notion> {
        vec![
            Self::demographic_parity(),
            Self::equal_opportunity(),
            Self::false_positive_parity(),
            Self::equalized_odds(),
            Self::error_rate_parity(),
            Self::predictive_parity(),
            Self::false_omission_rate_parity(),
            Self::mean_prediction_parity(),
            Self::bounded_group_loss(),
            Self::base_rate_parity(),
        ]
    }

    /// The notion of the vocabulary (as a difference, ratio or group maximum) whose column is
    /// `column`, e.g. `dp_ratio` → demographic parity as a ratio.
    pub fn from_column(column: &str) -> Option<Notion> {
        Self::vocabulary()
            .into_iter()
            .flat_map(|n| [n.clone(), n.ratio()])
            .find(|n| n.column() == column)
    }

    /// The same statistics compared by their min / max ratio (1 at parity), e.g. the
    /// demographic-parity ratio of the "80 % rule".
    pub fn ratio(self) -> Self {
        self.with_aggregate(Aggregate::Ratio)
    }

    /// The same statistics compared another way.
    pub fn with_aggregate(mut self, aggregate: Aggregate) -> Self {
        self.aggregate = aggregate;
        self
    }

    /// The statistics compared across groups.
    pub fn statistics(&self) -> &[Statistic] {
        &self.statistics
    }

    /// How groups are compared.
    pub fn aggregate(&self) -> Aggregate {
        self.aggregate
    }

    /// The short name, the prefix of the column (e.g. `dp`, `eo`).
    pub fn short(&self) -> &str {
        &self.short
    }

    /// The metric column of the notion's value in frames, curves, reports and monitoring
    /// (e.g. `dp_difference`, `eo_difference`, `dp_ratio`, `group_loss_group_max`).
    pub fn column(&self) -> String {
        format!("{}_{}", self.short, self.aggregate)
    }

    /// The notion's name in snake case, e.g. `demographic_parity`, `equalized_odds` (the short
    /// name for notions defined outside the vocabulary).
    pub fn name(&self) -> String {
        match self.short.as_ref() {
            "dp" => "demographic_parity",
            "tpr" => "equal_opportunity",
            "fpr" => "false_positive_parity",
            "eo" => "equalized_odds",
            "error_rate" => "error_rate_parity",
            "ppv" => "predictive_parity",
            "for" => "false_omission_rate_parity",
            "mean_prediction" => "mean_prediction_parity",
            "group_loss" => "bounded_group_loss",
            "base_rate" => "base_rate_parity",
            other => other,
        }
        .to_string()
    }

    /// A readable name, e.g. `equalized-odds difference`.
    pub fn label(&self) -> String {
        let what = match self.short.as_ref() {
            "dp" => "demographic-parity".to_string(),
            "tpr" => "equal-opportunity".into(),
            "fpr" => "false-positive-rate".into(),
            "eo" => "equalized-odds".into(),
            "error_rate" => "error-rate".into(),
            "ppv" => "predictive-parity".into(),
            "for" => "false-omission-rate".into(),
            "mean_prediction" => "mean-prediction".into(),
            "group_loss" => "group-loss".into(),
            "base_rate" => "base-rate".into(),
            other => other.replace('_', " "),
        };
        let how = match self.aggregate {
            Aggregate::Difference => "difference",
            Aggregate::Ratio => "ratio",
            Aggregate::Min => "group minimum",
            Aggregate::Max => "group maximum",
            Aggregate::DifferenceToOverall => "difference to overall",
            Aggregate::RatioToOverall => "ratio to overall",
        };
        format!("{what} {how}")
    }

    /// Whether any statistic needs binary labels and decisions.
    pub fn needs_classification(&self) -> bool {
        self.statistics.iter().any(Statistic::needs_classification)
    }

    /// Whether every statistic is a smooth function of the model's scores on soft outputs, so
    /// that a penalty or a target can drive an optimiser with it (prediction conditions are
    /// not: they weight rows by their own decision).
    pub fn is_smooth(&self) -> bool {
        self.statistics.iter().all(Statistic::is_smooth)
    }

    /// Whether the notion's statistics are all rates of decisions over label conditions (what
    /// group-specific thresholds can equalise).
    pub fn is_decision_rate(&self) -> bool {
        self.statistics.iter().all(|s| {
            s.quantity == Quantity::Prediction
                && matches!(
                    s.condition,
                    Condition::All | Condition::Positives | Condition::Negatives
                )
        })
    }

    /// The notion's value from the group means of its statistics (one [`GroupMeans`] per
    /// statistic, in order): each aggregated, undefined groups skipped and listed, and the
    /// worst part taken.
    ///
    /// Undefined when a statistic's aggregate is (too few defined groups, zero denominators)
    /// or the means do not match the statistics.
    pub fn value(&self, means: &[GroupMeans]) -> Result<NotionValue, Undefined> {
        if means.len() != self.statistics.len()
            || means
                .iter()
                .zip(&self.statistics)
                .any(|(m, s)| m.statistic != *s)
        {
            return Err(Undefined {
                reason: "the group means do not belong to the notion's statistics",
            });
        }
        let parts = means
            .iter()
            .map(|m| m.aggregate(self.aggregate))
            .collect::<Result<Vec<_>, _>>()?;
        let values: Vec<f64> = parts.iter().map(|p| p.value).collect();
        Ok(NotionValue {
            value: self.aggregate.worst(&values),
            parts,
        })
    }

    /// Whether `value` of this notion is within `bound` (at most a difference or maximum of
    /// `bound`, at least a ratio of `bound`).
    pub fn within(&self, value: f64, bound: f64) -> bool {
        if self.aggregate.larger_is_worse() {
            value <= bound
        } else {
            value >= bound
        }
    }
}

impl std::fmt::Display for Notion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fairness::GroupCells;
    use crate::Groups;

    #[test]
    fn equalized_odds_is_the_worse_of_its_two_gaps() {
        let groups = Groups::new(vec!["a".into(), "b".into()], vec![0, 0, 0, 0, 1, 1, 1, 1])
            .expect("valid groups");
        let y = [1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0];
        let d = [1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0];
        let cells = GroupCells::new(&groups, None).expect("no weights");
        let eo = Notion::equalized_odds();
        let means: Vec<GroupMeans> = eo
            .statistics()
            .iter()
            .map(|s| cells.evaluate(*s, |i| (y[i], d[i])).expect("rates"))
            .collect();
        let v = eo.value(&means).expect("defined");
        // TPR 1 vs 0.5, FPR 0.5 vs 0: both gaps 0.5.
        assert_eq!(v.value, 0.5);
        assert_eq!(v.parts.len(), 2);
        // As ratios: TPR 0.5 / 1, FPR 0 / 0.5; the worse (smaller) is 0.
        let ratio = Notion::equalized_odds().ratio();
        assert_eq!(ratio.value(&means).expect("defined").value, 0.0);
        assert!(eo.value(&means[..1]).is_err());
    }

    #[test]
    fn columns_labels_and_properties() {
        assert_eq!(
            Notion::bounded_group_loss().column(),
            "group_loss_group_max"
        );
        assert_eq!(
            Notion::equalized_odds().label(),
            "equalized-odds difference"
        );
        assert_eq!(Notion::equalized_odds().name(), "equalized_odds");
        assert_eq!(
            Notion::from_column("dp_ratio"),
            Some(Notion::demographic_parity().ratio())
        );
        assert_eq!(Notion::from_column("accuracy"), None);
        assert!(Notion::demographic_parity().is_smooth());
        assert!(!Notion::predictive_parity().is_smooth());
        assert!(Notion::equalized_odds().is_decision_rate());
        assert!(!Notion::error_rate_parity().is_decision_rate());
        assert!(Notion::demographic_parity().ratio().within(0.85, 0.8));
        assert!(!Notion::demographic_parity().within(0.03, 0.02));
    }
}
