//! Bootstrap confidence intervals for every entry of a [`MetricFrame`] — overall values, group
//! values, differences and ratios — and for any statistic computed from the frame's columns.
//!
//! **Method.** Percentile bootstrap (Efron & Tibshirani 1993, ch. 13). Each replicate resamples
//! rows with replacement *stratified by group*: group `g` with `n_g` rows gets exactly `n_g`
//! draws from its own rows, so no group vanishes from a replicate and group sizes stay as
//! observed (the usual design for by-group metrics). A replicate is the original rows with
//! weights `wᵢ·cᵢ`, `cᵢ` the number of times row `i` was drawn; since every metric treats a
//! weight as repetitions, this equals evaluating the resampled rows. The interval at level
//! `1 − α` is the `α/2` and `1 − α/2` quantiles of the replicate values (linear interpolation
//! between order statistics, numpy's default). A replicate in which an entry is undefined (e.g.
//! a group drew no positives) is left out of that entry's interval and counted in
//! [`Replicates::undefined`].
//!
//! **Reproducible and parallel.** A seeded `StdRng` (rand 0.8) draws one seed per replicate
//! up front; replicates then run in parallel on rayon's pool (all cores) and give the same
//! result whatever the number of threads.

use fairfit_data::fairness::Notion;
use fairfit_data::Groups;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rayon::prelude::*;

use crate::error::{EvalError, Result};
use crate::estimate::{Interval, Replicates};
use crate::frame::{self, entry_value, FrameNotions, MetricFrame};
use crate::metrics::group::Grouped;
use crate::metrics::{ByGroup, Metric, Outcomes, Value};

/// Bootstrap settings before validation (linfa's params style): number of resamples,
/// confidence level and seed. Defaults: 1000 resamples, level 0.95, seed 0.
///
/// ```
/// use fairfit::eval::bootstrap::BootstrapParams;
/// let boot = BootstrapParams::default().resamples(500).level(0.9).seed(7).check()?;
/// assert_eq!(boot.resamples(), 500);
/// assert!(BootstrapParams::default().level(1.0).check().is_err());
/// assert!(BootstrapParams::default().resamples(0).check().is_err());
/// assert!(BootstrapParams::default().resamples(usize::MAX).check().is_err());
/// # Ok::<(), fairfit::eval::EvalError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BootstrapParams {
    resamples: usize,
    level: f64,
    seed: u64,
}

impl Default for BootstrapParams {
    fn default() -> Self {
        Self {
            resamples: 1000,
            level: 0.95,
            seed: 0,
        }
    }
}

impl BootstrapParams {
    /// Number of bootstrap replicates (at least 1; a few hundred to a few thousand is usual).
    pub fn resamples(mut self, resamples: usize) -> Self {
        self.resamples = resamples;
        self
    }

    /// Confidence level `1 − α`, strictly between 0 and 1.
    pub fn level(mut self, level: f64) -> Self {
        self.level = level;
        self
    }

    /// Seed of the random generator.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Validates: the level must be in (0, 1) and the number of resamples in
    /// 1..=[`MAX_RESAMPLES`] (refused before anything is allocated).
    pub fn check(self) -> Result<Bootstrap> {
        if !(self.level > 0.0 && self.level < 1.0) {
            return Err(EvalError::InvalidParameter {
                name: "level",
                reason: format!("the interval level must be in (0, 1), got {}", self.level),
            });
        }
        if self.resamples == 0 {
            return Err(EvalError::InvalidParameter {
                name: "resamples",
                reason: "the bootstrap needs at least one resample".into(),
            });
        }
        if self.resamples > MAX_RESAMPLES {
            return Err(EvalError::InvalidParameter {
                name: "resamples",
                reason: format!(
                    "at most {MAX_RESAMPLES} resamples (got {}): every replicate keeps its values, \
                     and percentile intervals are stable long before",
                    self.resamples
                ),
            });
        }
        Ok(Bootstrap { params: self })
    }
}

/// The most resamples a bootstrap accepts: a million replicates already keep every percentile
/// to well under 0.1 % of its width, and more would only exhaust memory (10¹⁰ replicates of one
/// value are 80 GB).
pub const MAX_RESAMPLES: usize = 1_000_000;

/// Validated bootstrap settings; runs the stratified percentile bootstrap (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bootstrap {
    params: BootstrapParams,
}

impl Bootstrap {
    /// Number of replicates.
    pub fn resamples(&self) -> usize {
        self.params.resamples
    }

    /// Confidence level.
    pub fn level(&self) -> f64 {
        self.params.level
    }

    /// Seed.
    pub fn seed(&self) -> u64 {
        self.params.seed
    }

    /// A [`MetricFrame`] with an interval for every entry (overall, groups, min, max,
    /// differences, ratios) of every metric.
    ///
    /// ```
    /// use fairfit::data::Groups;
    /// use fairfit::eval::bootstrap::BootstrapParams;
    /// use fairfit::eval::frame::Entry;
    /// use fairfit::eval::metrics::{Aggregate, Measure, Outcomes};
    /// let groups = Groups::new(vec!["a".into(), "b".into()], (0..40).map(|i| i % 2).collect())?;
    /// let y_pred: Vec<bool> = (0..40).map(|i| i % 2 == 0 && i % 3 != 0 || i % 7 == 0).collect();
    /// let out = Outcomes::predictions_only(&y_pred)?;
    /// let boot = BootstrapParams::default().resamples(200).level(0.9).seed(1).check()?;
    /// let frame = boot.frame(&out, &groups, &[&Measure::SelectionRate])?;
    /// let dp = frame.estimate("selection_rate", Entry::Summary(Aggregate::Difference))?;
    /// let ci = dp.interval.unwrap();
    /// assert!(ci.lower <= dp.value? && dp.value? <= ci.upper);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn frame(
        &self,
        outcomes: &Outcomes,
        groups: &Groups,
        metrics: &[&dyn Metric],
    ) -> Result<MetricFrame> {
        self.frame_with_notions(outcomes, groups, metrics, &[])
    }

    /// [`MetricFrame::with_notions`] with an interval for every entry of every metric and for
    /// every notion: each replicate recomputes the notion's value from its statistics' group
    /// values (a replicate where a group the value compares is undefined is counted as
    /// undefined, not taken over fewer groups).
    ///
    /// ```
    /// use fairfit::data::fairness::Notion;
    /// use fairfit::data::Groups;
    /// use fairfit::eval::bootstrap::BootstrapParams;
    /// use fairfit::eval::metrics::Outcomes;
    /// let n = 80;
    /// let groups = Groups::new(vec!["a".into(), "b".into()], (0..n).map(|i| i % 2).collect())?;
    /// let y: Vec<bool> = (0..n).map(|i| i % 3 != 0).collect();
    /// let p: Vec<bool> = (0..n).map(|i| i % 4 != 1 && i % 5 != 0).collect();
    /// let out = Outcomes::classification(&y, &p)?;
    /// let boot = BootstrapParams::default().resamples(200).seed(2).check()?;
    /// let frame = boot.frame_with_notions(&out, &groups, &[], &[Notion::predictive_parity()])?;
    /// let pp = frame.notion(&Notion::predictive_parity())?;
    /// assert_eq!(pp.column(), "ppv_difference");
    /// assert!(pp.interval.unwrap().contains(pp.value?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn frame_with_notions(
        &self,
        outcomes: &Outcomes,
        groups: &Groups,
        metrics: &[&dyn Metric],
        notions: &[Notion],
    ) -> Result<MetricFrame> {
        let grouped = frame::prepare(outcomes, groups, metrics, notions)?;
        let columns = frame::columns(&grouped, metrics, grouped.outcomes.weights());
        let asked = FrameNotions::new(notions, &grouped)?;
        let mut point = asked.estimates(grouped.outcomes.weights())?;
        let entries = frame::entries(grouped.names.len());
        let per_column = entries.len();
        let mut flat = self.replicate(&grouped, metrics, |cols, weights| {
            cols.iter()
                .flat_map(|c| entries.iter().map(|&e| entry_value(c, e)))
                .chain(asked.replicate(weights, &point))
                .collect()
        });
        for (estimate, interval) in point
            .iter_mut()
            .zip(flat.split_off(flat.len() - asked.len()))
        {
            estimate.interval = interval;
        }
        let intervals = flat
            .chunks(per_column)
            .map(<[Option<Interval>]>::to_vec)
            .collect();
        Ok(MetricFrame::from_parts(
            grouped.names,
            columns,
            intervals,
            point,
        ))
    }

    /// Intervals for any statistics of the metric columns (e.g. an equalized-odds difference,
    /// the larger of the TPR and FPR differences): `statistic` maps the columns of one replicate
    /// (in the order of `metrics`) to values; returns the point values on the data and one
    /// interval per value.
    ///
    /// ```
    /// use fairfit::data::Groups;
    /// use fairfit::eval::bootstrap::BootstrapParams;
    /// use fairfit::eval::metrics::{Aggregate, Measure, Outcomes, Value};
    /// let n = 60;
    /// let groups = Groups::new(vec!["a".into(), "b".into()], (0..n).map(|i| i % 2).collect())?;
    /// let y: Vec<bool> = (0..n).map(|i| i % 3 != 0).collect();
    /// let p: Vec<bool> = (0..n).map(|i| i % 4 != 1).collect();
    /// let out = Outcomes::classification(&y, &p)?;
    /// let boot = BootstrapParams::default().resamples(100).check()?;
    /// let eo = |cols: &[fairfit::eval::metrics::ByGroup]| -> Vec<Value> {
    ///     let tpr = cols[0].disparity(Aggregate::Difference).map(|d| d.value);
    ///     let fpr = cols[1].disparity(Aggregate::Difference).map(|d| d.value);
    ///     vec![match (tpr, fpr) {
    ///         (Ok(a), Ok(b)) => Ok(a.max(b)),
    ///         _ => Err(fairfit::eval::metrics::Undefined { reason: "a rate is undefined" }),
    ///     }]
    /// };
    /// let (values, intervals) = boot.statistics(&out, &groups, &[&Measure::Tpr, &Measure::Fpr], eo)?;
    /// assert!(intervals[0].unwrap().contains(values[0]?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn statistics<F>(
        &self,
        outcomes: &Outcomes,
        groups: &Groups,
        metrics: &[&dyn Metric],
        statistic: F,
    ) -> Result<(Vec<Value>, Vec<Option<Interval>>)>
    where
        F: Fn(&[ByGroup]) -> Vec<Value> + Sync,
    {
        let grouped = frame::prepare(outcomes, groups, metrics, &[])?;
        let point = statistic(&frame::columns(
            &grouped,
            metrics,
            grouped.outcomes.weights(),
        ));
        let intervals = self.replicate(&grouped, metrics, |cols, _| {
            let values = statistic(cols);
            // A statistic must return as many values on every replicate; pad or cut to match.
            (0..point.len())
                .map(|i| {
                    values
                        .get(i)
                        .copied()
                        .unwrap_or(Err(crate::metrics::Undefined {
                            reason: "the statistic returned fewer values on this replicate",
                        }))
                })
                .collect()
        });
        Ok((point, intervals))
    }

    /// Runs the replicates and returns one interval per value of `summarise`, which reads a
    /// replicate's metric columns and its weights of the grouped rows.
    fn replicate<F>(
        &self,
        grouped: &Grouped,
        metrics: &[&dyn Metric],
        summarise: F,
    ) -> Vec<Option<Interval>>
    where
        F: Fn(&[ByGroup], &[f64]) -> Vec<Value> + Sync,
    {
        let base = grouped.outcomes.weights();
        let replicates: Vec<Vec<Value>> = self
            .replicate_seeds()
            .par_iter()
            .map(|&seed| {
                let mut counts = vec![0u32; base.len()];
                draw_counts(seed, &grouped.ranges, &mut counts);
                let weights: Vec<f64> = base
                    .iter()
                    .zip(&counts)
                    .map(|(w, &c)| w * f64::from(c))
                    .collect();
                summarise(&frame::columns(grouped, metrics, &weights), &weights)
            })
            .collect();
        self.intervals(&replicates)
    }

    /// The seed of each replicate, drawn from the master seed: replicate `r` resamples the same
    /// positions whatever is computed on it.
    pub(crate) fn replicate_seeds(&self) -> Vec<u64> {
        let mut master = StdRng::seed_from_u64(self.params.seed);
        (0..self.params.resamples).map(|_| master.gen()).collect()
    }

    /// One percentile interval per value, from each replicate's values (undefined ones are
    /// counted, not used).
    pub(crate) fn intervals(&self, replicates: &[Vec<Value>]) -> Vec<Option<Interval>> {
        let n_values = replicates.first().map_or(0, Vec::len);
        (0..n_values)
            .map(|k| {
                let mut values: Vec<f64> = replicates
                    .iter()
                    .filter_map(|r| r.get(k).and_then(|v| v.ok()))
                    .collect();
                percentile_interval(&mut values, self.params.level, self.params.resamples)
            })
            .collect()
    }
}

/// How many times one replicate, seeded `seed`, draws each position: as many draws with
/// replacement within each of `ranges` (the strata, e.g. groups) as it has positions.
pub(crate) fn draw_counts(seed: u64, ranges: &[std::ops::Range<usize>], counts: &mut [u32]) {
    let mut rng = StdRng::seed_from_u64(seed);
    counts.fill(0);
    for range in ranges {
        for _ in range.clone() {
            counts[rng.gen_range(range.clone())] += 1;
        }
    }
}

/// The percentile interval of `values` (sorted in place); `None` with fewer than two values.
fn percentile_interval(values: &mut [f64], level: f64, resamples: usize) -> Option<Interval> {
    if values.len() < 2 {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let alpha = 1.0 - level;
    Some(Interval {
        lower: quantile(values, alpha / 2.0),
        upper: quantile(values, 1.0 - alpha / 2.0),
        level,
        replicates: Some(Replicates {
            defined: values.len(),
            undefined: resamples - values.len(),
        }),
    })
}

/// Quantile `q` of sorted values by linear interpolation between order statistics
/// (Hyndman & Fan type 7, numpy's default): position `h = (m − 1)·q`.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::Entry;
    use crate::metrics::{Aggregate, Measure};

    /// Issue 13: `usize::MAX` resamples panicked on a capacity overflow and 10¹⁰ aborted the
    /// process; both are refused by `check`, before anything is allocated.
    #[test]
    fn absurd_resample_counts_are_refused_before_allocating() {
        for n in [usize::MAX, 10_000_000_000, MAX_RESAMPLES + 1] {
            let err = BootstrapParams::default().resamples(n).check().unwrap_err();
            assert!(
                matches!(
                    err,
                    EvalError::InvalidParameter {
                        name: "resamples",
                        ..
                    }
                ),
                "{err}"
            );
        }
        assert!(BootstrapParams::default()
            .resamples(MAX_RESAMPLES)
            .check()
            .is_ok());
    }

    #[test]
    fn quantiles_interpolate_like_numpy() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&v, 0.0), 1.0);
        assert_eq!(quantile(&v, 1.0), 5.0);
        assert_eq!(quantile(&v, 0.5), 3.0);
        // numpy.quantile([1, 2, 3, 4, 5], 0.1) = 1.4
        assert!((quantile(&v, 0.1) - 1.4).abs() < 1e-12);
        assert!(percentile_interval(&mut [1.0], 0.9, 10).is_none());
    }

    #[test]
    fn rejects_invalid_settings() {
        for level in [0.0, 1.0, -0.5, 1.5, f64::NAN] {
            assert!(matches!(
                BootstrapParams::default().level(level).check(),
                Err(EvalError::InvalidParameter { name: "level", .. })
            ));
        }
        assert!(matches!(
            BootstrapParams::default().resamples(0).check(),
            Err(EvalError::InvalidParameter {
                name: "resamples",
                ..
            })
        ));
    }

    /// Draws `n_a` and `n_b` Bernoulli predictions with rates `p_a` and `p_b`.
    fn population(
        rng: &mut StdRng,
        n_a: usize,
        n_b: usize,
        p_a: f64,
        p_b: f64,
    ) -> (Outcomes, Groups) {
        let mut pred = Vec::with_capacity(n_a + n_b);
        let mut of_row = Vec::with_capacity(n_a + n_b);
        for i in 0..n_a + n_b {
            let (g, p) = if i < n_a { (0, p_a) } else { (1, p_b) };
            pred.push(rng.gen_bool(p));
            of_row.push(g);
        }
        let groups = Groups::new(vec!["a".into(), "b".into()], of_row).expect("both groups drawn");
        (
            Outcomes::predictions_only(&pred).expect("non-empty"),
            groups,
        )
    }

    #[test]
    fn ninety_percent_intervals_cover_the_truth_about_ninety_percent_of_the_time() {
        // Known truth: selection rates 0.3 (a, 80 rows) and 0.55 (b, 60 rows), DP difference 0.25.
        let (p_a, p_b) = (0.3, 0.55);
        let repetitions = 200;
        let boot = BootstrapParams::default().resamples(200).level(0.9);
        let mut rng = StdRng::seed_from_u64(2024);
        let (mut cover_a, mut cover_b, mut cover_dp, mut cover_ratio) = (0, 0, 0, 0);
        for rep in 0..repetitions {
            let (out, groups) = population(&mut rng, 80, 60, p_a, p_b);
            let frame = boot
                .seed(rep)
                .check()
                .unwrap()
                .frame(&out, &groups, &[&Measure::SelectionRate])
                .unwrap();
            let ci = |e| {
                frame
                    .estimate("selection_rate", e)
                    .unwrap()
                    .interval
                    .unwrap()
            };
            cover_a += usize::from(ci(Entry::Group(0)).contains(p_a));
            cover_b += usize::from(ci(Entry::Group(1)).contains(p_b));
            cover_dp += usize::from(ci(Entry::Summary(Aggregate::Difference)).contains(p_b - p_a));
            cover_ratio += usize::from(ci(Entry::Summary(Aggregate::Ratio)).contains(p_a / p_b));
        }
        for (what, hits) in [
            ("a", cover_a),
            ("b", cover_b),
            ("dp", cover_dp),
            ("ratio", cover_ratio),
        ] {
            let rate = hits as f64 / repetitions as f64;
            eprintln!("90% interval coverage of {what}: {rate}");
            assert!((0.82..=0.97).contains(&rate), "coverage of {what}: {rate}");
        }
    }

    #[test]
    fn replicates_are_seeded_stratified_and_thread_independent() {
        let mut rng = StdRng::seed_from_u64(5);
        let (out, groups) = population(&mut rng, 30, 5, 0.5, 0.5);
        let boot = BootstrapParams::default()
            .resamples(300)
            .level(0.8)
            .seed(9)
            .check()
            .unwrap();
        let a = boot
            .frame(&out, &groups, &[&Measure::SelectionRate, &Measure::Count])
            .unwrap();
        let one_thread = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let b = one_thread
            .install(|| boot.frame(&out, &groups, &[&Measure::SelectionRate, &Measure::Count]))
            .unwrap();
        assert_eq!(a, b);
        // Stratified: every replicate keeps each group's size, so the count interval is a point,
        // and no replicate loses the 5-row group (its value is always defined).
        let count_b = a
            .estimate("count", Entry::Group(1))
            .unwrap()
            .interval
            .unwrap();
        assert_eq!((count_b.lower, count_b.upper), (5.0, 5.0));
        let sr_b = a
            .estimate("selection_rate", Entry::Group(1))
            .unwrap()
            .interval
            .unwrap();
        assert_eq!(
            sr_b.replicates,
            Some(Replicates {
                defined: 300,
                undefined: 0
            })
        );
        assert!(sr_b.lower < sr_b.upper);
        // Another seed gives other intervals.
        let c = BootstrapParams::default()
            .resamples(300)
            .level(0.8)
            .seed(10)
            .check()
            .unwrap();
        assert_ne!(
            a,
            c.frame(&out, &groups, &[&Measure::SelectionRate, &Measure::Count])
                .unwrap()
        );
    }

    #[test]
    fn undefined_replicates_are_counted_not_zeroed() {
        // Group b has one positive among 10 rows: some replicates draw none, its TPR is then
        // undefined there and must be left out, not counted as 0.
        let y: Vec<bool> = (0..20).map(|i| i < 10 && i % 2 == 0 || i == 10).collect();
        let p: Vec<bool> = (0..20).map(|i| i % 3 == 0 || i == 10).collect();
        let groups = Groups::new(
            vec!["a".into(), "b".into()],
            (0..20).map(|i| usize::from(i >= 10)).collect(),
        )
        .unwrap();
        let out = Outcomes::classification(&y, &p).unwrap();
        let boot = BootstrapParams::default()
            .resamples(400)
            .seed(3)
            .check()
            .unwrap();
        let frame = boot.frame(&out, &groups, &[&Measure::Tpr]).unwrap();
        let ci = frame
            .estimate("true_positive_rate", Entry::Group(1))
            .unwrap()
            .interval
            .unwrap();
        // P(no draw of the positive in 10 draws) = 0.9^10 ≈ 0.35.
        let r = ci.replicates.unwrap();
        assert!(r.undefined > 80 && r.undefined < 200, "{ci:?}");
        assert_eq!(r.total(), 400);
        // Whenever defined, the positive is predicted 1: TPR = 1, so the interval is exactly 1.
        assert_eq!((ci.lower, ci.upper), (1.0, 1.0));
    }
}
