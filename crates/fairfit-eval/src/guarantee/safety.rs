//! [`NotionBound`]: a (1 − δ) confidence bound on a notion's hard-decision gap — the safety test
//! on the safety rows, and the bound candidate selection predicts it will give.
//!
//! Each group's rate of each statistic gets a lower and an upper one-sided bound; with `G`
//! groups and `S` statistics (equalized odds: 2) that is `2·G·S` bounds, each at `δ / (2·G·S)`,
//! so by the union bound all hold together with probability at least `1 − δ`. Then a
//! difference is at most `max_{g≠h} (upper_g − lower_h)`, and a ratio at least
//! `min_{g≠h} lower_g / upper_h`, the worst over the statistics. The group rates themselves
//! come from the shared engine ([`GroupCells`]), so they are the rates every metric reports.

use fairfit_data::fairness::{
    Aggregate, Condition, GroupCells, GroupMeans, Notion, Quantity, Statistic,
};
use fairfit_data::FairDataset;
use serde::{Deserialize, Serialize};

use super::bounds::{BoundMethod, RateInterval};
use super::error::{GuaranteeError, Result};
use super::split::Part;

/// One statistic's group intervals and its part of the bound.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatisticBound {
    /// The statistic (positive rate, TPR, FPR, error rate).
    pub statistic: Statistic,
    /// Each group's rate and bounds, in group order.
    pub groups: Vec<RateInterval>,
    /// The bound on this statistic's difference (upper) or ratio (lower).
    pub bound: f64,
}

/// A notion's confidence bound on some rows' hard decisions.
///
/// ```
/// use fairfit::data::{FairDataset, SensitiveAttribute};
/// use fairfit::eval::guarantee::{BoundMethod, NotionBound};
/// use fairfit::prelude::Notion;
/// let names: Vec<&str> = (0..400).map(|i| if i % 2 == 0 { "a" } else { "b" }).collect();
/// let g = SensitiveAttribute::from_values("g", &names, None)?;
/// let y = ndarray::Array1::from_iter((0..400).map(|i| f64::from(u8::from(i % 3 == 0))));
/// let data = FairDataset::new(ndarray::Array2::zeros((400, 1)), y, vec![g])?;
/// let decisions: Vec<bool> = (0..400).map(|i| i % 4 < 2).collect(); // 50 % in both groups
/// let dp = NotionBound::safety(&Notion::demographic_parity(), &data, &decisions, BoundMethod::Hoeffding, 0.1)?;
/// assert_eq!(dp.estimate, 0.0);
/// // Four one-sided bounds at δ/4 on 200 rows each: the gap is at most twice the radius.
/// let radius = BoundMethod::Hoeffding.radius(200.0, 0.0, 0.1 / 4.0)?;
/// assert!((dp.bound - 2.0 * radius).abs() < 1e-12);
/// assert!(dp.within(0.3) && !dp.within(0.15));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotionBound {
    /// The notion bounded.
    pub notion: Notion,
    /// How each group rate was bounded.
    pub method: BoundMethod,
    /// The total δ.
    pub delta: f64,
    /// Each one-sided bound's share of δ (`δ / (2·G·S)`).
    pub delta_each: f64,
    /// The radius multiplier (1 for a safety test, the inflation for a predicted bound).
    pub inflation: f64,
    /// Per statistic, the group intervals.
    pub statistics: Vec<StatisticBound>,
    /// The notion's value on these rows' decisions (the point estimate).
    pub estimate: f64,
    /// The (1 − δ) bound: an upper bound on a difference, a lower bound on a ratio.
    pub bound: f64,
}

impl NotionBound {
    /// The safety test's bound: the notion on `decisions` of `data`'s rows, each group rate
    /// bounded over its own rows.
    ///
    /// Errors: an unsupported notion, δ outside (0, 1), weighted data, labels that are not
    /// 0/1, a decision per row missing, fewer than two groups, or a group with too few rows in
    /// a needed cell.
    pub fn safety(
        notion: &Notion,
        data: &FairDataset,
        decisions: &[bool],
        method: BoundMethod,
        delta: f64,
    ) -> Result<Self> {
        let rates = Rates::of(notion, data, decisions, Part::Safety)?;
        let rows = rates.rows();
        Self::from_rates(notion, &rates, &rows, method, delta, 1.0, Part::Safety)
    }

    /// The bound candidate selection predicts the safety test will give (Thomas et al. 2019,
    /// seldonian-engine's `predict_HC_upperbound`): rates and spreads from the candidate rows'
    /// `decisions`, each radius computed for the number of rows the group's cell has in
    /// `safety` and multiplied by `inflation` (2 there), a hedge against the candidate rows'
    /// optimism.
    pub fn predicted(
        notion: &Notion,
        candidate: &FairDataset,
        decisions: &[bool],
        safety: &FairDataset,
        method: BoundMethod,
        delta: f64,
        inflation: f64,
    ) -> Result<Self> {
        let rates = Rates::of(notion, candidate, decisions, Part::Candidate)?;
        let no_decisions = vec![false; safety.nrows()];
        let safety_rows = Rates::of(notion, safety, &no_decisions, Part::Safety)?.rows();
        Self::from_rates(
            notion,
            &rates,
            &safety_rows,
            method,
            delta,
            inflation,
            Part::Safety,
        )
    }

    /// Whether the bound certifies `epsilon`: a difference at most ε, a ratio at least ε.
    pub fn within(&self, epsilon: f64) -> bool {
        self.notion.within(self.bound, epsilon)
    }

    fn from_rates(
        notion: &Notion,
        rates: &Rates,
        rows: &[Vec<usize>],
        method: BoundMethod,
        delta: f64,
        inflation: f64,
        part: Part,
    ) -> Result<Self> {
        if !(delta > 0.0 && delta < 1.0) {
            return Err(GuaranteeError::InvalidDelta(delta));
        }
        let n_groups = rates.means[0].groups.len();
        let delta_each = delta / (2 * n_groups * rates.means.len()) as f64;
        let mut statistics = Vec::with_capacity(rates.means.len());
        for (means, rows) in rates.means.iter().zip(rows) {
            let mut groups = Vec::with_capacity(n_groups);
            for (g, name) in means.groups.iter().enumerate() {
                let own_rows = means.weights[g] as usize;
                let needed = method.min_rows();
                for (count, at) in [(own_rows, rates.part), (rows[g], part)] {
                    if count < needed {
                        let condition = means.statistic.condition;
                        return Err(GuaranteeError::empty_cell(
                            name, condition, at, count, needed,
                        ));
                    }
                }
                let rate = means.values[g].expect("a cell with rows has a defined rate");
                groups.push(RateInterval::new(
                    name, rate, own_rows, rows[g], method, delta_each, inflation,
                )?);
            }
            let bound = combine(notion.aggregate(), &groups);
            statistics.push(StatisticBound {
                statistic: means.statistic,
                groups,
                bound,
            });
        }
        let parts: Vec<f64> = statistics.iter().map(|s| s.bound).collect();
        let estimate = notion.value(&rates.means).map(|v| v.value).map_err(|u| {
            GuaranteeError::InvalidParameter {
                name: "decisions",
                reason: format!("the {notion} is undefined on these rows: {u}"),
            }
        })?;
        Ok(Self {
            notion: notion.clone(),
            method,
            delta,
            delta_each,
            inflation,
            statistics,
            estimate,
            bound: notion.aggregate().worst(&parts),
        })
    }
}

/// Checks that the safety test can bound `notion`: rates of hard decisions (the decision or
/// the error) over all rows or a label cell, compared by a difference or a ratio.
pub fn check_notion(notion: &Notion) -> Result<()> {
    let unsupported = |reason| GuaranteeError::UnsupportedNotion {
        notion: notion.label(),
        reason,
    };
    if !matches!(notion.aggregate(), Aggregate::Difference | Aggregate::Ratio) {
        return Err(unsupported(
            "only differences and ratios between groups are bounded",
        ));
    }
    if notion.statistics().is_empty() {
        return Err(unsupported("it has no statistic"));
    }
    for s in notion.statistics() {
        if !matches!(s.quantity, Quantity::Prediction | Quantity::Error) {
            return Err(unsupported(
                "only rates of decisions or errors (0/1 per row) have these bounds",
            ));
        }
        if !matches!(
            s.condition,
            Condition::All | Condition::Positives | Condition::Negatives
        ) {
            return Err(unsupported(
                "a cell chosen by the model's own decisions (predictive parity) has no fixed size",
            ));
        }
    }
    Ok(())
}

/// The bound on one statistic from its group intervals.
fn combine(aggregate: Aggregate, groups: &[RateInterval]) -> f64 {
    let pairs = || {
        groups.iter().enumerate().flat_map(move |(g, a)| {
            groups
                .iter()
                .enumerate()
                .filter(move |(h, _)| *h != g)
                .map(move |(_, b)| (a, b))
        })
    };
    match aggregate {
        Aggregate::Ratio => pairs()
            .map(|(a, b)| {
                if b.upper > 0.0 {
                    (a.lower / b.upper).min(1.0)
                } else {
                    0.0
                }
            })
            .fold(1.0, f64::min),
        _ => pairs().map(|(a, b)| a.upper - b.lower).fold(0.0, f64::max),
    }
}

/// A notion's statistics evaluated by the shared engine on some rows' decisions.
struct Rates {
    means: Vec<GroupMeans>,
    part: Part,
}

impl Rates {
    fn of(notion: &Notion, data: &FairDataset, decisions: &[bool], part: Part) -> Result<Self> {
        check_notion(notion)?;
        if data.weights().is_some() {
            return Err(GuaranteeError::Weighted);
        }
        if decisions.len() != data.nrows() {
            return Err(GuaranteeError::InvalidParameter {
                name: "decisions",
                reason: format!("{} decisions for {} rows", decisions.len(), data.nrows()),
            });
        }
        let n_groups = data.groups().n_groups();
        if n_groups < 2 {
            return Err(GuaranteeError::SingleGroup(n_groups));
        }
        let labels = data
            .labels()
            .map_err(|e| GuaranteeError::Labels(e.to_string()))?;
        let cells = GroupCells::new(data.groups(), None)?;
        let row = |i: usize| {
            (
                f64::from(u8::from(labels[i])),
                f64::from(u8::from(decisions[i])),
            )
        };
        let means = notion
            .statistics()
            .iter()
            .map(|s| cells.evaluate(*s, row))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(Self { means, part })
    }

    /// Each statistic's rows per group (its cells' sizes: unweighted hard decisions).
    fn rows(&self) -> Vec<Vec<usize>> {
        self.means
            .iter()
            .map(|m| m.weights.iter().map(|w| *w as usize).collect())
            .collect()
    }
}
