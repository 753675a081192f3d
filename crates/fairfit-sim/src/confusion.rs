//! [`Confusion`]: a group's running counts of decisions against outcomes, read as rates through
//! fairfit's statistic engine (so the recall here is the true-positive rate everywhere else).

use fairfit_data::fairness::Statistic;

/// Counts of one group's decisions (approve or not) against outcomes (would repay or not),
/// including the outcomes the decision maker never sees.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Confusion {
    /// Approved, and the outcome is positive.
    pub true_positives: f64,
    /// Approved, and the outcome is negative.
    pub false_positives: f64,
    /// Rejected, and the outcome would have been positive.
    pub false_negatives: f64,
    /// Rejected, and the outcome would have been negative.
    pub true_negatives: f64,
}

impl Confusion {
    /// Counts one decision with weight `weight`.
    #[inline]
    pub fn add(&mut self, decision: bool, outcome: bool, weight: f64) {
        match (decision, outcome) {
            (true, true) => self.true_positives += weight,
            (true, false) => self.false_positives += weight,
            (false, true) => self.false_negatives += weight,
            (false, false) => self.true_negatives += weight,
        }
    }

    /// The statistic on these counts (NaN where undefined, e.g. a recall with no positives).
    ///
    /// ```
    /// use fairfit::data::fairness::Statistic;
    /// use fairfit::sim::Confusion;
    /// let mut c = Confusion::default();
    /// c.add(true, true, 3.0);
    /// c.add(false, true, 1.0);
    /// c.add(true, false, 1.0);
    /// assert_eq!(c.rate(Statistic::true_positive_rate()), 0.75); // recall
    /// assert_eq!(c.rate(Statistic::positive_predictive_value()), 0.75); // precision
    /// assert!(c.rate(Statistic::false_positive_rate()).is_finite());
    /// assert!(Confusion::default().rate(Statistic::true_positive_rate()).is_nan());
    /// ```
    pub fn rate(&self, statistic: Statistic) -> f64 {
        let cells = [
            (self.true_positives, 1.0, 1.0),
            (self.false_positives, 0.0, 1.0),
            (self.false_negatives, 1.0, 0.0),
            (self.true_negatives, 0.0, 0.0),
        ];
        match statistic.over_rows(cells) {
            Some(Ok(v)) => v,
            _ => f64::NAN,
        }
    }

    /// The number of decisions counted.
    pub fn total(&self) -> f64 {
        self.true_positives + self.false_positives + self.false_negatives + self.true_negatives
    }
}
