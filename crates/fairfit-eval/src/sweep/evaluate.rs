//! From a strategy's [`Fitted`] point to the metrics of a curve point: per split, with
//! bootstrap intervals on the held-out splits when the sweep asks for them.

use fairfit_data::fairness::{DecisionProfile, GroupCells};
use fairfit_data::split::TrainValTest;
use fairfit_data::FairDataset;
use fairfit_train::ModelKind;
use ndarray::{Array1, ArrayView1};

use super::intervals::SplitReplicates;
use super::metrics::{classification_metrics, decision_metrics, decisions, regression_metrics};
use super::strategy::{parts, Decisions, Fitted, Rule};
use crate::curve::Split;
use crate::error::{EvalError, Result};
use crate::estimate::Estimate;

/// The bootstrap replicates of each split, in [`Split::ALL`] order: drawn for the interval
/// splits when the sweep asks for intervals, `None` otherwise.
pub(crate) type Replicates<'a> = [Option<SplitReplicates<'a>>; 3];

/// The metrics of a point on one split.
type SplitMetrics = Vec<(&'static str, Estimate)>;

/// What the sweep knows of one point of its curve beyond the metrics: whether its decisions are
/// randomised, and whether they say anything about the people they reach.
#[derive(Debug, Clone, PartialEq)]
pub struct PointInfo {
    /// Whether its decisions are randomised.
    pub rule: Rule,
    /// Whether it decides every training row alike (selects nobody or everybody, or predicts
    /// one value): a constant rule, which meets any parity bound and which a trade-off plot
    /// usually leaves out. Read on the rows it was fitted on, so that leaving it out never
    /// depends on test data.
    pub constant: bool,
    /// How its decisions spread over groups on train, validation and test, in [`Split::ALL`]
    /// order (`None` for a regression model, whose predictions are not decisions).
    pub decisions: [Option<DecisionProfile>; 3],
}

impl PointInfo {
    /// Its decision profile on `split` (`None` for a regression model).
    pub fn profile(&self, split: Split) -> Option<&DecisionProfile> {
        self.decisions[split_index(split)].as_ref()
    }

    /// Whether no user would call it useful, judged on the splits a selection may read
    /// (train and validation): a constant rule, decisions constant within a group, or
    /// decisions no more accurate than the majority-class rule
    /// ([`DecisionProfile::is_degenerate`]).
    pub fn is_degenerate(&self) -> bool {
        self.constant
            || [Split::Train, Split::Validation]
                .into_iter()
                .any(|s| self.profile(s).is_some_and(DecisionProfile::is_degenerate))
    }
}

/// The position of `split` in [`Split::ALL`].
fn split_index(split: Split) -> usize {
    Split::ALL
        .iter()
        .position(|&s| s == split)
        .expect("Split::ALL lists every split")
}

/// One evaluated point.
#[derive(Debug, Clone)]
pub(crate) struct Evaluated {
    /// Its metrics on train, validation and test.
    pub(crate) metrics: [SplitMetrics; 3],
    /// Its decisions on the validation split, which cross-validation pools: the probability of
    /// the favourable decision of each row for a classifier or rule, the prediction for a
    /// regression model.
    pub(crate) held_out: Array1<f64>,
    /// What it is.
    pub(crate) info: PointInfo,
}

/// The metrics of `fitted` on every split of `data`, with intervals where `replicates` has
/// them: classification metrics for a logistic model's probabilities and for decision rules
/// (expectations over coin flips), regression metrics (no intervals) for a linear model.
pub(crate) fn evaluate<K: ModelKind>(
    fitted: &Fitted,
    data: &TrainValTest,
    replicates: &Replicates<'_>,
) -> Result<Evaluated> {
    let sets = parts(data);
    let profile = |k: usize, decided: &Array1<f64>| -> Option<DecisionProfile> {
        let labels = sets[k].targets();
        K::LOSS
            .is_classification()
            .then(|| DecisionProfile::new(&GroupCells::of(sets[k]), |i| (labels[i], decided[i])))
    };
    let one = |k: usize| -> Result<(SplitMetrics, Array1<f64>)> {
        let d = sets[k];
        Ok(match &fitted.decisions {
            Decisions::Model(p) if K::LOSS.is_classification() => {
                let point = classification_metrics(p[k].view(), d)?;
                let decided = decisions(p[k].view());
                let found = with_intervals(replicates[k].as_ref(), point, decided.view(), d)?;
                (found, decided)
            }
            Decisions::Model(p) => {
                let point = regression_metrics(p[k].view(), d)?;
                (with_intervals(None, point, p[k].view(), d)?, p[k].clone())
            }
            Decisions::Rule { probabilities, .. } => {
                let p = probabilities[k].view();
                let point = decision_metrics(p, p, d)?;
                (
                    with_intervals(replicates[k].as_ref(), point, p, d)?,
                    p.to_owned(),
                )
            }
        })
    };
    let ((train, on_train), (validation, held_out), (test, on_test)) = (one(0)?, one(1)?, one(2)?);
    let constant = on_train.iter().all(|v| Some(v) == on_train.first());
    let decisions = [
        profile(0, &on_train),
        profile(1, &held_out),
        profile(2, &on_test),
    ];
    Ok(Evaluated {
        metrics: [train, validation, test],
        held_out,
        info: PointInfo {
            rule: fitted.rule_kind(),
            constant,
            decisions,
        },
    })
}

/// The point metrics of `decision` on one split, with bootstrap intervals when the split's
/// `replicates` are given.
pub(crate) fn with_intervals(
    replicates: Option<&SplitReplicates<'_>>,
    point: Vec<(&'static str, f64)>,
    decision: ArrayView1<'_, f64>,
    data: &FairDataset,
) -> Result<SplitMetrics> {
    let found = match replicates {
        Some(r) => r.intervals(decision, data)?,
        None => Vec::new(),
    };
    Ok(point
        .into_iter()
        .map(|(name, value)| {
            let interval = found.iter().find(|(n, _)| *n == name).map(|(_, i)| *i);
            (name, Estimate { value, interval })
        })
        .collect())
}

/// Validation and test must have the training split's columns and groups.
pub(crate) fn check_splits(data: &TrainValTest) -> Result<()> {
    for (split, other) in [
        (Split::Validation, &data.validation),
        (Split::Test, &data.test),
    ] {
        let mismatch = |reason: String| EvalError::MismatchedSplits { split, reason };
        if other.nfeatures() != data.train.nfeatures() {
            return Err(mismatch(format!(
                "{} features, training has {}",
                other.nfeatures(),
                data.train.nfeatures()
            )));
        }
        if other.groups().names() != data.train.groups().names() {
            return Err(mismatch(format!(
                "groups {:?}, training has {:?}",
                other.groups().names(),
                data.train.groups().names()
            )));
        }
        if other.nrows() == 0 {
            return Err(mismatch("no rows".into()));
        }
    }
    Ok(())
}
