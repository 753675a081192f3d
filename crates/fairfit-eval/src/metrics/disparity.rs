//! Disparities: one number that says how far a per-group metric is from parity, and the named
//! disparities of Fairlearn and AIF360.
//!
//! Across any number of groups (Fairlearn's `MetricFrame.difference()` / `.ratio()`):
//! `difference = max_g m_g − min_g m_g`, `ratio = min_g m_g / max_g m_g`, and the `to_overall`
//! variants `max_g |m_g − m|` and `min_g min(m_g / m, m / m_g)`, `m` the overall value.
//! Between a stated privileged and unprivileged group (AIF360): `m_unpriv − m_priv` and
//! `m_unpriv / m_priv`, see [`Privileged`].
//!
//! **Undefined groups.** A group whose value is undefined (e.g. its TPR without positives) is
//! skipped, but never silently: the result lists the skipped groups in [`Disparity::skipped`],
//! and [`Disparity::strict`] turns any skip into an error. Fairlearn 0.15 instead computes such a
//! group's rate as 0 (scikit-learn's `zero_division`) and counts it. A difference or ratio also
//! needs at least two defined groups (Fairlearn would report 0 with one), and a ratio with a zero
//! denominator is undefined.

use fairfit_data::fairness::{GroupCells, GroupMeans, Notion};
use fairfit_data::Groups;

use crate::error::{EvalError, Result};
use crate::metrics::{by_group, ByGroup, Measure, Metric, Outcomes, Undefined, Value};

pub use fairfit_data::fairness::Aggregate;

/// A per-group metric summarised into one number, with the groups that had to be skipped.
#[derive(Debug, Clone, PartialEq)]
pub struct Disparity {
    /// The metric summarised (e.g. `selection_rate`, or `equalized_odds` for a combination).
    pub metric: String,
    /// How it was summarised.
    pub aggregate: Aggregate,
    /// The number.
    pub value: f64,
    /// Groups left out because their value is undefined, with the reason.
    pub skipped: Vec<(String, Undefined)>,
}

impl Disparity {
    /// The value if no group was skipped, otherwise an [`EvalError::Undefined`] naming the first
    /// skipped group and why it is undefined.
    pub fn strict(&self) -> Result<f64> {
        match self.skipped.first() {
            None => Ok(self.value),
            Some((group, u)) => Err(EvalError::Undefined {
                metric: self.metric.clone(),
                group: Some(group.clone()),
                reason: u.reason.to_string(),
            }),
        }
    }
}

/// Summarises per-group values; returns the number and the indices of the skipped groups
/// (the engine's [`Aggregate::apply`]).
pub(crate) fn aggregate(
    kind: Aggregate,
    overall: Value,
    values: &[Value],
) -> std::result::Result<(f64, Vec<usize>), Undefined> {
    kind.apply(overall, values).map(|a| (a.value, a.skipped))
}

/// `metric` by group, summarised by `kind`: the general form of every named disparity.
pub fn disparity(
    metric: &dyn Metric,
    outcomes: &Outcomes,
    groups: &Groups,
    kind: Aggregate,
) -> Result<Disparity> {
    by_group(metric, outcomes, groups)?.disparity(kind)
}

fn of_predictions(
    y_pred: &[bool],
    groups: &Groups,
    weights: Option<&[f64]>,
    kind: Aggregate,
) -> Result<Disparity> {
    let out = Outcomes::predictions_only(y_pred)?.with_optional_weights(weights)?;
    notion_disparity(
        &Notion::demographic_parity().with_aggregate(kind),
        &out,
        groups,
    )
}

fn of_labelled(
    notion: Notion,
    y_true: &[bool],
    y_pred: &[bool],
    groups: &Groups,
    weights: Option<&[f64]>,
    kind: Aggregate,
) -> Result<Disparity> {
    let out = Outcomes::classification(y_true, y_pred)?.with_optional_weights(weights)?;
    notion_disparity(&notion.with_aggregate(kind), &out, groups)
}

/// Demographic-parity difference `max_g P(ŷ=1 | g) − min_g P(ŷ=1 | g)` (Fairlearn's
/// `demographic_parity_difference`; AIF360's statistical parity difference up to sign for two
/// groups).
///
/// ```
/// use fairfit::data::Groups;
/// use fairfit::eval::metrics::{demographic_parity_difference, demographic_parity_ratio};
/// let groups = Groups::new(vec!["a".into(), "b".into()], vec![0, 0, 0, 0, 1, 1])?;
/// let y_pred = [true, true, true, false, true, false]; // rates 3/4 and 1/2
/// assert_eq!(demographic_parity_difference(&y_pred, &groups, None)?.value, 0.25);
/// assert_eq!(demographic_parity_ratio(&y_pred, &groups, None)?.value, 0.5 / 0.75);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn demographic_parity_difference(
    y_pred: &[bool],
    groups: &Groups,
    weights: Option<&[f64]>,
) -> Result<Disparity> {
    of_predictions(y_pred, groups, weights, Aggregate::Difference)
}

/// Demographic-parity ratio `min_g P(ŷ=1 | g) / max_g P(ŷ=1 | g)` (Fairlearn's
/// `demographic_parity_ratio`; the *disparate impact* ratio, which the "80 % rule" wants ≥ 0.8).
pub fn demographic_parity_ratio(
    y_pred: &[bool],
    groups: &Groups,
    weights: Option<&[f64]>,
) -> Result<Disparity> {
    of_predictions(y_pred, groups, weights, Aggregate::Ratio)
}

/// Equal-opportunity difference `max_g TPR_g − min_g TPR_g` (Fairlearn's
/// `equal_opportunity_difference`). Groups without positives are skipped and listed.
pub fn equal_opportunity_difference(
    y_true: &[bool],
    y_pred: &[bool],
    groups: &Groups,
    weights: Option<&[f64]>,
) -> Result<Disparity> {
    of_labelled(
        Notion::equal_opportunity(),
        y_true,
        y_pred,
        groups,
        weights,
        Aggregate::Difference,
    )
}

/// Equal-opportunity ratio `min_g TPR_g / max_g TPR_g` (Fairlearn's `equal_opportunity_ratio`).
pub fn equal_opportunity_ratio(
    y_true: &[bool],
    y_pred: &[bool],
    groups: &Groups,
    weights: Option<&[f64]>,
) -> Result<Disparity> {
    of_labelled(
        Notion::equal_opportunity(),
        y_true,
        y_pred,
        groups,
        weights,
        Aggregate::Ratio,
    )
}

/// Predictive-parity difference `max_g PPV_g − min_g PPV_g` (precision parity). Groups with
/// no predicted positives are skipped and listed.
pub fn predictive_parity_difference(
    y_true: &[bool],
    y_pred: &[bool],
    groups: &Groups,
    weights: Option<&[f64]>,
) -> Result<Disparity> {
    of_labelled(
        Notion::predictive_parity(),
        y_true,
        y_pred,
        groups,
        weights,
        Aggregate::Difference,
    )
}

/// Error-rate difference `max_g P(ŷ≠y | g) − min_g P(ŷ≠y | g)` (Fairlearn's
/// `MetricFrame(error_rate).difference()`).
pub fn error_rate_difference(
    y_true: &[bool],
    y_pred: &[bool],
    groups: &Groups,
    weights: Option<&[f64]>,
) -> Result<Disparity> {
    of_labelled(
        Notion::error_rate_parity(),
        y_true,
        y_pred,
        groups,
        weights,
        Aggregate::Difference,
    )
}

/// Equalized odds compared by `kind` (the larger difference or the smaller ratio of TPR and
/// FPR), skipping the union of their undefined groups.
fn equalized_odds(
    y_true: &[bool],
    y_pred: &[bool],
    groups: &Groups,
    weights: Option<&[f64]>,
    kind: Aggregate,
) -> Result<Disparity> {
    let out = Outcomes::classification(y_true, y_pred)?.with_optional_weights(weights)?;
    notion_disparity(&Notion::equalized_odds().with_aggregate(kind), &out, groups)
}

/// The value of a fairness [`Notion`] on hard decisions: each of its statistics by group
/// (through [`GroupCells`], the engine training and monitoring read), compared by the notion's
/// aggregate, and for several statistics the worst part (equalized odds: the larger of the TPR
/// and FPR differences). Undefined groups are skipped and listed, as for every disparity.
///
/// ```
/// use fairfit::data::fairness::Notion;
/// use fairfit::data::Groups;
/// use fairfit::eval::metrics::{notion_disparity, Outcomes};
/// let groups = Groups::new(vec!["a".into(), "b".into()], vec![0, 0, 0, 0, 1, 1, 1, 1])?;
/// let out = Outcomes::classification(
///     &[true, true, false, false, true, true, false, false],
///     &[true, true, true, false, true, false, false, false],
/// )?;
/// let eo = notion_disparity(&Notion::equalized_odds(), &out, &groups)?;
/// assert_eq!((eo.metric.as_str(), eo.value), ("equalized_odds", 0.5));
/// let pp = notion_disparity(&Notion::predictive_parity(), &out, &groups)?;
/// assert!((pp.value - (1.0 - 2.0 / 3.0)).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Errors: `groups` has another number of rows than `outcomes`; the outcomes lack an input a
/// statistic reads (labels, decisions); the notion's value is undefined (fewer than two defined
/// groups, a zero ratio denominator).
pub fn notion_disparity(
    notion: &Notion,
    outcomes: &Outcomes,
    groups: &Groups,
) -> Result<Disparity> {
    if groups.len() != outcomes.len() {
        return Err(EvalError::LengthMismatch {
            what: "groups".into(),
            expected: outcomes.len(),
            found: groups.len(),
        });
    }
    let cells = GroupCells::new(groups, Some(outcomes.weights()))?;
    let means = notion_means(notion, outcomes, &cells)?;
    let metric = match notion.statistics() {
        [one] => one.column(),
        _ => notion.name(),
    };
    let value = notion.value(&means).map_err(|u| {
        let undefined: Vec<String> = means
            .iter()
            .flat_map(|m| {
                m.values
                    .iter()
                    .zip(&m.groups)
                    .filter(|(v, _)| v.is_err())
                    .map(|(_, g)| g.clone())
            })
            .collect();
        EvalError::Undefined {
            metric: format!("{} of {metric}", notion.aggregate()),
            group: None,
            reason: if undefined.is_empty() {
                u.reason.to_string()
            } else {
                format!("{} (undefined in groups {undefined:?})", u.reason)
            },
        }
    })?;
    let mut skipped = Vec::new();
    for (part, m) in value.parts.iter().zip(&means) {
        for &g in &part.skipped {
            if let Err(u) = m.values[g] {
                skipped.push((m.groups[g].clone(), u));
            }
        }
    }
    Ok(Disparity {
        metric,
        aggregate: notion.aggregate(),
        value: value.value,
        skipped,
    })
}

/// Each of `notion`'s statistics by group on the decisions and labels of `outcomes`, through the
/// engine's `cells` (one per row of the outcomes, weighted as the caller chooses): what
/// [`notion_disparity`] and a metric frame's notions compare.
///
/// Errors: the outcomes lack an input a statistic reads; a statistic needs the model's scores.
pub(crate) fn notion_means(
    notion: &Notion,
    outcomes: &Outcomes,
    cells: &GroupCells<'_>,
) -> Result<Vec<GroupMeans>> {
    let labels = outcomes.labels();
    let decisions = outcomes.predictions();
    let as_f64 = |v: Option<&[bool]>, i: usize| v.map_or(0.0, |v| f64::from(u8::from(v[i])));
    notion
        .statistics()
        .iter()
        .map(|statistic| {
            outcomes.check(statistic)?;
            Ok(cells.evaluate(*statistic, |i| (as_f64(labels, i), as_f64(decisions, i)))?)
        })
        .collect()
}

/// Equalized-odds difference `max(max_g TPR_g − min_g TPR_g, max_g FPR_g − min_g FPR_g)`
/// (Fairlearn's `equalized_odds_difference`, `agg="worst_case"`).
///
/// ```
/// use fairfit::data::Groups;
/// use fairfit::eval::metrics::equalized_odds_difference;
/// let groups = Groups::new(vec!["a".into(), "b".into()], vec![0, 0, 0, 0, 1, 1, 1, 1])?;
/// let y_true = [true, true, false, false, true, true, false, false];
/// let y_pred = [true, true, true, false, true, false, false, false];
/// // TPR 1 vs 1/2 (gap 0.5), FPR 1/2 vs 0 (gap 0.5).
/// assert_eq!(equalized_odds_difference(&y_true, &y_pred, &groups, None)?.value, 0.5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn equalized_odds_difference(
    y_true: &[bool],
    y_pred: &[bool],
    groups: &Groups,
    weights: Option<&[f64]>,
) -> Result<Disparity> {
    equalized_odds(y_true, y_pred, groups, weights, Aggregate::Difference)
}

/// Equalized-odds ratio `min(min_g TPR_g / max_g TPR_g, min_g FPR_g / max_g FPR_g)`
/// (Fairlearn's `equalized_odds_ratio`, `agg="worst_case"`).
pub fn equalized_odds_ratio(
    y_true: &[bool],
    y_pred: &[bool],
    groups: &Groups,
    weights: Option<&[f64]>,
) -> Result<Disparity> {
    equalized_odds(y_true, y_pred, groups, weights, Aggregate::Ratio)
}

/// A stated privileged and unprivileged group, for AIF360's signed two-group disparities
/// (`ClassificationMetric` with one privileged and one unprivileged group):
/// `difference = m_unpriv − m_priv`, `ratio = m_unpriv / m_priv`.
///
/// ```
/// use fairfit::data::Groups;
/// use fairfit::eval::metrics::{Outcomes, Privileged};
/// let groups = Groups::new(vec!["male".into(), "female".into()], vec![0, 0, 1, 1])?;
/// let out = Outcomes::classification(&[true, false, true, false], &[true, true, true, false])?;
/// let pair = Privileged::new(&groups, "male", "female")?;
/// assert_eq!(pair.statistical_parity_difference(&out, &groups)?, 0.5 - 1.0);
/// assert_eq!(pair.disparate_impact(&out, &groups)?, 0.5);
/// // TPR 1 vs 1, FPR 0 (female) vs 1 (male): ½[(0 − 1) + (1 − 1)].
/// assert_eq!(pair.average_odds_difference(&out, &groups)?, -0.5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Privileged {
    privileged: String,
    unprivileged: String,
}

impl Privileged {
    /// Names the privileged and the unprivileged group; both must exist in `groups`.
    pub fn new(groups: &Groups, privileged: &str, unprivileged: &str) -> Result<Self> {
        for name in [privileged, unprivileged] {
            if groups.index_of(name).is_none() {
                return Err(EvalError::UnknownGroup {
                    name: name.to_string(),
                    known: groups.names().to_vec(),
                });
            }
        }
        if privileged == unprivileged {
            return Err(EvalError::InvalidParameter {
                name: "unprivileged",
                reason: format!("the privileged and unprivileged group are both `{privileged}`"),
            });
        }
        Ok(Self {
            privileged: privileged.to_string(),
            unprivileged: unprivileged.to_string(),
        })
    }

    /// The privileged group's name.
    pub fn privileged(&self) -> &str {
        &self.privileged
    }

    /// The unprivileged group's name.
    pub fn unprivileged(&self) -> &str {
        &self.unprivileged
    }

    fn pair(&self, column: &ByGroup) -> Result<(f64, f64)> {
        Ok((
            column.value(&self.unprivileged)?,
            column.value(&self.privileged)?,
        ))
    }

    /// `m_unpriv − m_priv` for a computed column (AIF360's `difference(metric)`).
    pub fn difference(&self, column: &ByGroup) -> Result<f64> {
        let (u, p) = self.pair(column)?;
        Ok(u - p)
    }

    /// `m_unpriv / m_priv` for a computed column (AIF360's `ratio(metric)`); an error when
    /// the privileged value is 0.
    pub fn ratio(&self, column: &ByGroup) -> Result<f64> {
        let (u, p) = self.pair(column)?;
        super::ratio(u, p, "the privileged group's value is 0").map_err(|e| EvalError::Undefined {
            metric: format!("ratio of {}", column.metric()),
            group: Some(self.privileged.clone()),
            reason: e.reason.to_string(),
        })
    }

    fn column(&self, metric: Measure, outcomes: &Outcomes, groups: &Groups) -> Result<ByGroup> {
        by_group(&metric, outcomes, groups)
    }

    /// `SR_unpriv − SR_priv` (AIF360's `statistical_parity_difference`).
    pub fn statistical_parity_difference(
        &self,
        outcomes: &Outcomes,
        groups: &Groups,
    ) -> Result<f64> {
        self.difference(&self.column(Measure::SelectionRate, outcomes, groups)?)
    }

    /// `SR_unpriv / SR_priv` (AIF360's `disparate_impact`; the 80 % rule asks for ≥ 0.8).
    pub fn disparate_impact(&self, outcomes: &Outcomes, groups: &Groups) -> Result<f64> {
        self.ratio(&self.column(Measure::SelectionRate, outcomes, groups)?)
    }

    /// `TPR_unpriv − TPR_priv` (AIF360's `equal_opportunity_difference`).
    pub fn equal_opportunity_difference(
        &self,
        outcomes: &Outcomes,
        groups: &Groups,
    ) -> Result<f64> {
        self.difference(&self.column(Measure::Tpr, outcomes, groups)?)
    }

    /// `½[(FPR_unpriv − FPR_priv) + (TPR_unpriv − TPR_priv)]` (AIF360's
    /// `average_odds_difference`).
    pub fn average_odds_difference(&self, outcomes: &Outcomes, groups: &Groups) -> Result<f64> {
        let fpr = self.difference(&self.column(Measure::Fpr, outcomes, groups)?)?;
        let tpr = self.difference(&self.column(Measure::Tpr, outcomes, groups)?)?;
        Ok(0.5 * (fpr + tpr))
    }

    /// `ERR_unpriv − ERR_priv` (AIF360's `error_rate_difference`).
    pub fn error_rate_difference(&self, outcomes: &Outcomes, groups: &Groups) -> Result<f64> {
        self.difference(&self.column(Measure::ErrorRate, outcomes, groups)?)
    }

    /// `PPV_unpriv − PPV_priv` (predictive parity, AIF360's `difference(positive_predictive_value)`).
    pub fn predictive_parity_difference(
        &self,
        outcomes: &Outcomes,
        groups: &Groups,
    ) -> Result<f64> {
        self.difference(&self.column(Measure::Ppv, outcomes, groups)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    /// A deterministic pseudo-random data set: 3 groups of unequal size, weights 0.5..3.
    fn data(n: usize) -> (Vec<bool>, Vec<bool>, Vec<f64>, Groups) {
        let mut state = 12345u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as f64 / (1u64 << 31) as f64
        };
        let mut y = Vec::new();
        let mut p = Vec::new();
        let mut w = Vec::new();
        let mut g = Vec::new();
        for i in 0..n {
            let group = [0, 0, 0, 1, 1, 2][i % 6];
            let yi = next() < [0.3, 0.5, 0.6][group];
            let pi = next() < if yi { 0.7 } else { [0.2, 0.3, 0.1][group] };
            y.push(yi);
            p.push(pi);
            w.push(0.5 + 2.5 * next());
            g.push(group);
        }
        let groups = Groups::new(vec!["a".into(), "b".into(), "c".into()], g).unwrap();
        (y, p, w, groups)
    }

    /// Brute force: per group, the rate `Σ w [num] / Σ w [den]` by a direct loop.
    fn rate(
        y: &[bool],
        p: &[bool],
        w: &[f64],
        groups: &Groups,
        num: impl Fn(bool, bool) -> bool,
        den: impl Fn(bool, bool) -> bool,
    ) -> Vec<f64> {
        (0..groups.n_groups())
            .map(|g| {
                let (mut a, mut b) = (0.0, 0.0);
                for i in 0..y.len() {
                    if groups.of_row()[i] == g && den(y[i], p[i]) {
                        b += w[i];
                        if num(y[i], p[i]) {
                            a += w[i];
                        }
                    }
                }
                a / b
            })
            .collect()
    }

    fn spread(v: &[f64]) -> (f64, f64) {
        let max = v.iter().copied().fold(f64::MIN, f64::max);
        let min = v.iter().copied().fold(f64::MAX, f64::min);
        (max - min, min / max)
    }

    #[test]
    fn named_disparities_agree_with_brute_force() {
        let (y, p, w, groups) = data(300);
        for weights in [None, Some(w.as_slice())] {
            let ww = weights.map(<[f64]>::to_vec).unwrap_or(vec![1.0; y.len()]);
            let sr = rate(&y, &p, &ww, &groups, |_, p| p, |_, _| true);
            let tpr = rate(&y, &p, &ww, &groups, |_, p| p, |y, _| y);
            let fpr = rate(&y, &p, &ww, &groups, |_, p| p, |y, _| !y);
            let ppv = rate(&y, &p, &ww, &groups, |y, _| y, |_, p| p);
            let err = rate(&y, &p, &ww, &groups, |y, p| y != p, |_, _| true);
            let eps = 1e-12;
            let dp = demographic_parity_difference(&p, &groups, weights).unwrap();
            assert_abs_diff_eq!(dp.value, spread(&sr).0, epsilon = eps);
            assert!(dp.skipped.is_empty());
            let dpr = demographic_parity_ratio(&p, &groups, weights).unwrap();
            assert_abs_diff_eq!(dpr.value, spread(&sr).1, epsilon = eps);
            let eo = equalized_odds_difference(&y, &p, &groups, weights).unwrap();
            assert_abs_diff_eq!(eo.value, spread(&tpr).0.max(spread(&fpr).0), epsilon = eps);
            let eor = equalized_odds_ratio(&y, &p, &groups, weights).unwrap();
            assert_abs_diff_eq!(eor.value, spread(&tpr).1.min(spread(&fpr).1), epsilon = eps);
            let eop = equal_opportunity_difference(&y, &p, &groups, weights).unwrap();
            assert_abs_diff_eq!(eop.value, spread(&tpr).0, epsilon = eps);
            let eopr = equal_opportunity_ratio(&y, &p, &groups, weights).unwrap();
            assert_abs_diff_eq!(eopr.value, spread(&tpr).1, epsilon = eps);
            let pp = predictive_parity_difference(&y, &p, &groups, weights).unwrap();
            assert_abs_diff_eq!(pp.value, spread(&ppv).0, epsilon = eps);
            let er = error_rate_difference(&y, &p, &groups, weights).unwrap();
            assert_abs_diff_eq!(er.value, spread(&err).0, epsilon = eps);

            // AIF360's signed two-group versions, unprivileged c against privileged a.
            let out = Outcomes::classification(&y, &p)
                .unwrap()
                .with_optional_weights(weights)
                .unwrap();
            let pair = Privileged::new(&groups, "a", "c").unwrap();
            let spd = pair.statistical_parity_difference(&out, &groups).unwrap();
            assert_abs_diff_eq!(spd, sr[2] - sr[0], epsilon = eps);
            let di = pair.disparate_impact(&out, &groups).unwrap();
            assert_abs_diff_eq!(di, sr[2] / sr[0], epsilon = eps);
            let eod = pair.equal_opportunity_difference(&out, &groups).unwrap();
            assert_abs_diff_eq!(eod, tpr[2] - tpr[0], epsilon = eps);
            let aod = pair.average_odds_difference(&out, &groups).unwrap();
            assert_abs_diff_eq!(
                aod,
                0.5 * (fpr[2] - fpr[0] + tpr[2] - tpr[0]),
                epsilon = eps
            );
            let erd = pair.error_rate_difference(&out, &groups).unwrap();
            assert_abs_diff_eq!(erd, err[2] - err[0], epsilon = eps);
            let ppd = pair.predictive_parity_difference(&out, &groups).unwrap();
            assert_abs_diff_eq!(ppd, ppv[2] - ppv[0], epsilon = eps);

            // To-overall aggregates against the overall rate.
            let overall = rate(
                &y,
                &p,
                &ww,
                &Groups::new(vec!["all".into()], vec![0; y.len()]).unwrap(),
                |_, p| p,
                |_, _| true,
            )[0];
            let to_overall = disparity(
                &Measure::SelectionRate,
                &out,
                &groups,
                Aggregate::DifferenceToOverall,
            )
            .unwrap();
            let expect = sr.iter().map(|s| (s - overall).abs()).fold(0.0, f64::max);
            assert_abs_diff_eq!(to_overall.value, expect, epsilon = eps);
            let ratio_overall = disparity(
                &Measure::SelectionRate,
                &out,
                &groups,
                Aggregate::RatioToOverall,
            )
            .unwrap();
            let expect = sr
                .iter()
                .map(|s| (s / overall).min(overall / s))
                .fold(1.0, f64::min);
            assert_abs_diff_eq!(ratio_overall.value, expect, epsilon = eps);
        }
    }

    #[test]
    fn undefined_groups_are_skipped_and_named() {
        // Group b has no positives: its TPR is undefined. Groups a and c: TPR 1/2 and 1.
        let groups = Groups::new(
            vec!["a".into(), "b".into(), "c".into()],
            vec![0, 0, 1, 1, 2, 2],
        )
        .unwrap();
        let y = [true, true, false, false, true, false];
        let p = [true, false, true, false, true, false];
        let eop = equal_opportunity_difference(&y, &p, &groups, None).unwrap();
        assert_eq!(eop.value, 0.5);
        assert_eq!(eop.skipped.len(), 1);
        assert_eq!(eop.skipped[0].0, "b");
        assert!(matches!(
            eop.strict(),
            Err(EvalError::Undefined { group: Some(ref g), .. }) if g == "b"
        ));
        // Equalized odds carries the skip of its TPR part.
        let eo = equalized_odds_difference(&y, &p, &groups, None).unwrap();
        assert_eq!(eo.skipped[0].0, "b");
        // With only one defined group no difference exists: an error naming the others.
        let two = Groups::new(vec!["a".into(), "b".into()], vec![0, 0, 1, 1, 0, 1]).unwrap();
        let err = equal_opportunity_difference(&y, &p, &two, None).unwrap_err();
        assert!(err.to_string().contains("\"b\""), "{err}");
        // A ratio over all-zero rates is undefined, not NaN.
        assert!(demographic_parity_ratio(&[false; 6], &groups, None).is_err());
        // Unknown and identical groups are rejected.
        assert!(matches!(
            Privileged::new(&groups, "a", "z"),
            Err(EvalError::UnknownGroup { .. })
        ));
        assert!(Privileged::new(&groups, "a", "a").is_err());
    }
}
