//! [`MetricFrame`]: several metrics × the groups of a partition, with overall values, group
//! extremes, differences and ratios, fairness notions of the shared vocabulary, and (from
//! [`crate::bootstrap::Bootstrap`]) a confidence interval for every entry. Fairlearn's
//! `MetricFrame`, typed.

mod compute;
mod display;
mod notion;
mod record;
#[cfg(test)]
mod tests;

use fairfit_data::fairness::Notion;
use fairfit_data::Groups;

use crate::error::{EvalError, Result};
use crate::estimate::{Estimate, Interval};
use crate::metrics::{Aggregate, ByGroup, Metric, Outcomes, Value};

pub(crate) use compute::{columns, entries, entry_value, prepare};
pub(crate) use notion::FrameNotions;
pub use notion::NotionEstimate;
pub use record::FrameRecord;

/// One entry of a frame column: the overall value, a group's value, or a summary across groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entry {
    /// The metric on all rows.
    Overall,
    /// The metric on the rows of group `g` (index into [`MetricFrame::groups`]).
    Group(usize),
    /// A summary across groups: minimum, maximum, difference, ratio, ... ([`Aggregate`]).
    Summary(Aggregate),
}

/// Metrics by group, like Fairlearn's `MetricFrame`: for every metric the overall value, each
/// group's value, and the summaries of [`Aggregate`] (group min/max, difference, ratio and their
/// `to_overall` forms). Groups may be one attribute's levels, several, or intersections: the frame
/// takes any [`Groups`]. Sample weights of the [`Outcomes`] are honoured everywhere.
///
/// ```
/// use fairfit::data::{Groups, SensitiveAttribute};
/// use fairfit::eval::frame::{Entry, MetricFrame};
/// use fairfit::eval::metrics::{Aggregate, Measure, Outcomes};
/// let sex = SensitiveAttribute::from_values("sex", &["M", "M", "F", "F", "F"], None)?;
/// let groups = Groups::from_attribute(&sex)?;
/// let out = Outcomes::classification(
///     &[true, false, true, true, false],
///     &[true, true, false, true, false],
/// )?;
/// let frame = MetricFrame::new(&out, &groups, &[&Measure::SelectionRate, &Measure::Tpr])?;
/// let sr = frame.column("selection_rate").unwrap();
/// assert_eq!(sr.get("M"), Some(Ok(1.0)));
/// assert_eq!(sr.get("F"), Some(Ok(1.0 / 3.0)));
/// let dp = frame.estimate("selection_rate", Entry::Summary(Aggregate::Difference))?;
/// assert!((dp.value? - 2.0 / 3.0).abs() < 1e-12); // 1 − 1/3
/// assert!(dp.interval.is_none()); // not bootstrapped
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct MetricFrame {
    groups: Vec<String>,
    columns: Vec<ByGroup>,
    /// Per column, one interval per entry of [`MetricFrame::entries`] (empty if not bootstrapped).
    intervals: Vec<Vec<Option<Interval>>>,
    /// The fairness notions asked for, with their values (and intervals when bootstrapped).
    notions: Vec<NotionEstimate>,
    /// Whether the entries and notions were bootstrapped (a frame of notions only has no
    /// metric intervals to tell).
    bootstrapped: bool,
}

impl MetricFrame {
    /// Evaluates every metric overall and per group.
    ///
    /// Errors: no metrics or two with the same name, `groups` of another length than
    /// `outcomes`, an empty group, an input a metric needs missing or out of its domain.
    pub fn new(outcomes: &Outcomes, groups: &Groups, metrics: &[&dyn Metric]) -> Result<Self> {
        Self::with_notions(outcomes, groups, metrics, &[])
    }

    /// Evaluates every metric overall and per group, and every fairness notion (equalized odds,
    /// predictive parity, a ratio form, ...) of the decisions, read with
    /// [`MetricFrame::notion`]. A notion's value is [`Notion::value`] of its statistics' group
    /// values through the engine, exactly as [`notion_disparity`] computes it; groups where a
    /// statistic is undefined are listed in [`NotionEstimate::skipped`].
    ///
    /// ```
    /// use fairfit::data::fairness::Notion;
    /// use fairfit::data::Groups;
    /// use fairfit::eval::frame::MetricFrame;
    /// use fairfit::eval::metrics::{Measure, Outcomes};
    /// let groups = Groups::new(vec!["a".into(), "b".into()], vec![0, 0, 0, 0, 1, 1, 1, 1])?;
    /// let out = Outcomes::classification(
    ///     &[true, true, false, false, true, true, false, false],
    ///     &[true, true, true, false, true, false, false, false],
    /// )?;
    /// let notions = [Notion::equalized_odds(), Notion::demographic_parity().ratio()];
    /// let frame = MetricFrame::with_notions(&out, &groups, &[&Measure::Accuracy], &notions)?;
    /// let eo = frame.notion(&Notion::equalized_odds())?;
    /// assert_eq!((eo.column().as_str(), eo.value), ("eo_difference", Ok(0.5)));
    /// assert!(eo.skipped.is_empty() && eo.interval.is_none()); // not bootstrapped
    /// assert_eq!(frame.notion(&Notion::demographic_parity().ratio())?.value, Ok(0.25 / 0.75));
    /// assert!(frame.notion(&Notion::predictive_parity()).is_err()); // not asked for
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// Errors: as [`MetricFrame::new`] (metrics may be empty when notions are given), a notion
    /// given twice, a notion whose statistics read an input the outcomes lack or the model's
    /// scores.
    ///
    /// [`notion_disparity`]: crate::metrics::notion_disparity
    pub fn with_notions(
        outcomes: &Outcomes,
        groups: &Groups,
        metrics: &[&dyn Metric],
        notions: &[Notion],
    ) -> Result<Self> {
        let grouped = prepare(outcomes, groups, metrics, notions)?;
        let columns = columns(&grouped, metrics, grouped.outcomes.weights());
        let notions =
            FrameNotions::new(notions, &grouped)?.estimates(grouped.outcomes.weights())?;
        Ok(Self {
            groups: grouped.names,
            columns,
            intervals: Vec::new(),
            notions,
            bootstrapped: false,
        })
    }

    /// Assembles a bootstrapped frame from point estimates and intervals.
    pub(crate) fn from_parts(
        groups: Vec<String>,
        columns: Vec<ByGroup>,
        intervals: Vec<Vec<Option<Interval>>>,
        notions: Vec<NotionEstimate>,
    ) -> Self {
        Self {
            groups,
            columns,
            intervals,
            notions,
            bootstrapped: true,
        }
    }

    /// The fairness notions the frame was asked for, in the order given.
    pub fn notions(&self) -> &[NotionEstimate] {
        &self.notions
    }

    /// The estimate of a notion the frame was asked for ([`MetricFrame::with_notions`]); a
    /// column name such as `eo_difference` gives its notion through [`Notion::from_column`].
    ///
    /// Errors: the frame was not asked for this notion (the error lists the notions' columns).
    pub fn notion(&self, notion: &Notion) -> Result<&NotionEstimate> {
        self.notions
            .iter()
            .find(|n| n.notion == *notion)
            .ok_or_else(|| EvalError::UnknownMetric {
                name: notion.column(),
                known: self.notions.iter().map(NotionEstimate::column).collect(),
            })
    }

    /// The group names, in the partition's order.
    pub fn groups(&self) -> &[String] {
        &self.groups
    }

    /// The metric names, in the order given.
    pub fn metrics(&self) -> Vec<&str> {
        self.columns.iter().map(ByGroup::metric).collect()
    }

    /// Every metric's column.
    pub fn columns(&self) -> &[ByGroup] {
        &self.columns
    }

    /// The column of the named metric.
    pub fn column(&self, metric: &str) -> Option<&ByGroup> {
        self.columns.iter().find(|c| c.metric() == metric)
    }

    /// Whether the frame carries bootstrap intervals.
    pub fn is_bootstrapped(&self) -> bool {
        self.bootstrapped
    }

    /// The entries of every column, in a fixed order: overall, each group, each [`Aggregate`].
    pub fn entries(&self) -> Vec<Entry> {
        entries(self.groups.len())
    }

    /// One entry of one metric, with its interval when bootstrapped (the value may be
    /// undefined; [`Estimate::defined`] turns it into a number or the reason).
    pub fn estimate(&self, metric: &str, entry: Entry) -> Result<Estimate<Value>> {
        let c = self
            .columns
            .iter()
            .position(|c| c.metric() == metric)
            .ok_or_else(|| EvalError::UnknownMetric {
                name: metric.to_string(),
                known: self.metrics().iter().map(|m| m.to_string()).collect(),
            })?;
        let e = self
            .entries()
            .iter()
            .position(|&x| x == entry)
            .ok_or_else(|| EvalError::InvalidParameter {
                name: "entry",
                reason: format!(
                    "{entry:?} is not an entry of a frame with {} groups",
                    self.groups.len()
                ),
            })?;
        Ok(Estimate {
            value: entry_value(&self.columns[c], entry),
            interval: self.intervals.get(c).and_then(|v| v[e]),
        })
    }
}
