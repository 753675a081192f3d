//! [`Statistic`]: the weighted mean of a per-row [`Quantity`] over the rows of each group that
//! fall in a [`Condition`]: the one building block of every group-fairness notion.
//!
//! Demographic parity compares the mean prediction, equal opportunity the mean prediction over
//! positives, error-rate parity the mean error, predictive parity the mean label over predicted
//! positives, bounded group loss the mean loss. Evaluated on hard decisions a statistic is the
//! metric of that name; evaluated on decision probabilities or smooth scores it is what a
//! penalty differentiates. Training, evaluation, post-processing, monitoring and audits all
//! read statistics through [`super::GroupCells`], so they cannot drift apart.

use serde::{Deserialize, Serialize};

use super::undefined::{ratio, Value};

/// The per-row quantity a statistic averages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Quantity {
    /// The model's prediction: the decision ŷ ∈ {0, 1} (or the probability of deciding 1, on
    /// soft outputs) for a classifier, the predicted value for a regression.
    Prediction,
    /// The label `y` itself (base rates; predictive parity over predicted positives).
    Label,
    /// The error `[ŷ ≠ y]` (on soft outputs `|p − y|`, the probability of a wrong decision).
    /// Classification only.
    Error,
    /// The raw decision value `s = x·w + b` (the quantity of Zafar et al.'s disparate-impact
    /// covariance). Needs the model's scores.
    Score,
    /// Zafar et al.'s misclassification distance `min(0, ỹ·s)` with `ỹ = 2y − 1` (smoothed on
    /// soft outputs). Needs the model's scores; classification only.
    Margin,
    /// The model's per-row training loss (log loss, or squared error for a linear model).
    /// Needs the model's scores.
    Loss,
}

/// Which rows of a group a statistic averages over. Label conditions select rows; prediction
/// conditions weight each row by its (probability of) decision, so that on hard decisions they
/// select rows and on decision probabilities they are their expectation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Condition {
    /// Every row of the group.
    All,
    /// Rows with label 1 (true-positive rates). Classification only.
    Positives,
    /// Rows with label 0 (false-positive rates). Classification only.
    Negatives,
    /// Rows decided 1 (predictive values). Classification only.
    PredictedPositives,
    /// Rows decided 0 (false-omission rates). Classification only.
    PredictedNegatives,
}

impl Quantity {
    /// The quantity of one row from its label and its prediction (a decision in {0, 1}, a
    /// probability of deciding 1, or a regression value). `None` for the quantities that need
    /// the model's score ([`Quantity::needs_score`]).
    #[inline]
    pub fn of_prediction(self, label: f64, prediction: f64) -> Option<f64> {
        match self {
            Quantity::Prediction => Some(prediction),
            Quantity::Label => Some(label),
            Quantity::Error => Some((prediction - label).abs()),
            Quantity::Score | Quantity::Margin | Quantity::Loss => None,
        }
    }

    /// Whether the quantity is a function of the model's score rather than of its prediction.
    pub fn needs_score(self) -> bool {
        matches!(self, Quantity::Score | Quantity::Margin | Quantity::Loss)
    }
}

impl Condition {
    /// How much of a row with this label and prediction (decision or probability of deciding
    /// 1) falls in the condition: 0 or 1 for label conditions and hard decisions.
    #[inline]
    pub fn membership(self, label: f64, prediction: f64) -> f64 {
        match self {
            Condition::All => 1.0,
            Condition::Positives => f64::from(u8::from(label == 1.0)),
            Condition::Negatives => f64::from(u8::from(label == 0.0)),
            Condition::PredictedPositives => prediction,
            Condition::PredictedNegatives => 1.0 - prediction,
        }
    }

    /// Whether the condition reads the label (so it needs binary labels).
    pub fn reads_label(self) -> bool {
        matches!(self, Condition::Positives | Condition::Negatives)
    }

    /// Whether the condition reads the prediction (so it needs decisions or probabilities).
    pub fn reads_prediction(self) -> bool {
        matches!(
            self,
            Condition::PredictedPositives | Condition::PredictedNegatives
        )
    }

    /// What a group lacks when the condition holds for none of its rows.
    pub fn lacks(self) -> &'static str {
        match self {
            Condition::All => "no rows (or zero total weight)",
            Condition::Positives => "no rows with y = 1 (or all have weight 0)",
            Condition::Negatives => "no rows with y = 0 (or all have weight 0)",
            Condition::PredictedPositives => "no rows with prediction 1",
            Condition::PredictedNegatives => "no rows with prediction 0",
        }
    }
}

/// A group statistic: the weighted mean of a [`Quantity`] over the rows of each group that
/// satisfy a [`Condition`].
///
/// ```
/// use fairfit::data::fairness::{Condition, Quantity, Statistic};
/// let tpr = Statistic::true_positive_rate();
/// assert_eq!(tpr, Statistic::new(Quantity::Prediction, Condition::Positives));
/// assert_eq!(tpr.name(), "true-positive rate");
/// assert_eq!(tpr.column(), "true_positive_rate");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Statistic {
    /// The per-row quantity.
    pub quantity: Quantity,
    /// The rows of each group it averages over.
    pub condition: Condition,
}

impl Statistic {
    /// A statistic from its parts.
    pub const fn new(quantity: Quantity, condition: Condition) -> Self {
        Self {
            quantity,
            condition,
        }
    }

    /// P(ŷ = 1): the statistic of demographic parity (Fairlearn's `selection_rate`).
    pub const fn positive_rate() -> Self {
        Self::new(Quantity::Prediction, Condition::All)
    }

    /// P(ŷ = 1 | y = 1): the statistic of equal opportunity.
    pub const fn true_positive_rate() -> Self {
        Self::new(Quantity::Prediction, Condition::Positives)
    }

    /// P(ŷ = 1 | y = 0): the statistic of false-positive-rate parity.
    pub const fn false_positive_rate() -> Self {
        Self::new(Quantity::Prediction, Condition::Negatives)
    }

    /// P(ŷ ≠ y): the statistic of error-rate parity (disparate mistreatment).
    pub const fn error_rate() -> Self {
        Self::new(Quantity::Error, Condition::All)
    }

    /// P(y = 1 | ŷ = 1): the positive predictive value, the statistic of predictive parity.
    pub const fn positive_predictive_value() -> Self {
        Self::new(Quantity::Label, Condition::PredictedPositives)
    }

    /// P(y = 1 | ŷ = 0): the false-omission rate.
    pub const fn false_omission_rate() -> Self {
        Self::new(Quantity::Label, Condition::PredictedNegatives)
    }

    /// P(y = 1): the base rate of a group's labels (no model involved).
    pub const fn base_rate() -> Self {
        Self::new(Quantity::Label, Condition::All)
    }

    /// `E[ŷ]`: for a regression, the mean prediction (for a classifier, same as
    /// [`Statistic::positive_rate`]).
    pub const fn mean_prediction() -> Self {
        Self::new(Quantity::Prediction, Condition::All)
    }

    /// `E[s]`: the mean decision value (Zafar et al.'s disparate-impact covariance).
    pub const fn mean_score() -> Self {
        Self::new(Quantity::Score, Condition::All)
    }

    /// `E[min(0, ỹ·s)]`: Zafar et al.'s disparate-mistreatment covariance.
    pub const fn mean_margin() -> Self {
        Self::new(Quantity::Margin, Condition::All)
    }

    /// `E[loss]`: the group's mean training loss (MSE for a linear model); bounded group loss.
    pub const fn mean_loss() -> Self {
        Self::new(Quantity::Loss, Condition::All)
    }

    /// A readable name, e.g. `true-positive rate` (for a classifier: a regression's mean
    /// prediction is named by [`Statistic::name_for_regression`]).
    pub fn name(&self) -> String {
        use Condition as C;
        use Quantity as Q;
        let base = match (self.quantity, self.condition) {
            (Q::Prediction, C::All) => return "positive rate".into(),
            (Q::Prediction, C::Positives) => return "true-positive rate".into(),
            (Q::Prediction, C::Negatives) => return "false-positive rate".into(),
            (Q::Error, C::All) => return "error rate".into(),
            (Q::Label, C::All) => return "base rate".into(),
            (Q::Label, C::PredictedPositives) => return "positive predictive value".into(),
            (Q::Label, C::PredictedNegatives) => return "false-omission rate".into(),
            (Q::Prediction, _) => "positive rate",
            (Q::Label, _) => "label rate",
            (Q::Score, _) => "mean score",
            (Q::Error, _) => "error rate",
            (Q::Margin, _) => "mean margin",
            (Q::Loss, _) => "mean loss",
        };
        match self.condition {
            C::All => base.into(),
            C::Positives => format!("{base} | y = 1"),
            C::Negatives => format!("{base} | y = 0"),
            C::PredictedPositives => format!("{base} | ŷ = 1"),
            C::PredictedNegatives => format!("{base} | ŷ = 0"),
        }
    }

    /// The readable name for a regression model, whose predictions are values, not decisions:
    /// its mean prediction is a `mean prediction`, not a rate.
    pub fn name_for_regression(&self) -> String {
        match (self.quantity, self.condition) {
            (Quantity::Prediction, Condition::All) => "mean prediction".into(),
            _ => self.name(),
        }
    }

    /// The metric column name of the statistic (Fairlearn's and scikit-learn's names where they
    /// have one, e.g. `selection_rate`, `true_positive_rate`), as metric frames, curves and
    /// reports spell it.
    pub fn column(&self) -> String {
        use Condition as C;
        use Quantity as Q;
        match (self.quantity, self.condition) {
            (Q::Prediction, C::All) => "selection_rate".into(),
            (Q::Prediction, C::Positives) => "true_positive_rate".into(),
            (Q::Prediction, C::Negatives) => "false_positive_rate".into(),
            (Q::Error, C::All) => "error_rate".into(),
            (Q::Label, C::All) => "base_rate".into(),
            (Q::Label, C::PredictedPositives) => "positive_predictive_value".into(),
            (Q::Label, C::PredictedNegatives) => "false_omission_rate".into(),
            (Q::Loss, C::All) => "mean_loss".into(),
            _ => self
                .name()
                .replace(" | y = 1", "_given_positive")
                .replace(" | y = 0", "_given_negative")
                .replace(" | ŷ = 1", "_given_predicted_positive")
                .replace(" | ŷ = 0", "_given_predicted_negative")
                .replace(['-', ' '], "_"),
        }
    }

    /// One row's membership in the statistic's condition and its quantity, from its label and
    /// prediction (a decision, a probability of deciding 1, or a regression value): the kernel
    /// every evaluation of the statistic sums. `None` when the quantity needs the model's score.
    #[inline]
    pub fn row(&self, label: f64, prediction: f64) -> Option<(f64, f64)> {
        let q = self.quantity.of_prediction(label, prediction)?;
        Some((self.condition.membership(label, prediction), q))
    }

    /// The statistic over one set of weighted rows given as `(weight, label, prediction)`:
    /// `Σ w m q / Σ w m`, undefined with the condition's reason when no row falls in the
    /// condition. `None` when the quantity needs the model's score.
    pub fn over_rows(&self, rows: impl IntoIterator<Item = (f64, f64, f64)>) -> Option<Value> {
        let (num, den) = self.sums_over_rows(rows)?;
        Some(ratio(num, den, self.condition.lacks()))
    }

    /// One minus the statistic over the same rows, `Σ w m (1 − q) / Σ w m`, undefined where the
    /// statistic is: accuracy is the complement of the error rate, the true-negative rate of
    /// the false-positive rate, the negative predictive value of the false-omission rate. It is
    /// read off the statistic's own sums as `(Σ w m − Σ w m q) / Σ w m`, so the complement of
    /// exact counts stays exact. `None` when the quantity needs the model's score.
    ///
    /// ```
    /// use fairfit::data::fairness::Statistic;
    /// // (weight, label, decision): one error among three rows.
    /// let rows = [(1.0, 1.0, 1.0), (1.0, 0.0, 1.0), (1.0, 0.0, 0.0)];
    /// let accuracy = Statistic::error_rate().complement_over_rows(rows);
    /// assert_eq!(accuracy, Some(Ok(2.0 / 3.0)));
    /// let tnr = Statistic::false_positive_rate().complement_over_rows(rows);
    /// assert_eq!(tnr, Some(Ok(0.5)));
    /// ```
    pub fn complement_over_rows(
        &self,
        rows: impl IntoIterator<Item = (f64, f64, f64)>,
    ) -> Option<Value> {
        let (num, den) = self.sums_over_rows(rows)?;
        Some(ratio(den - num, den, self.condition.lacks()))
    }

    /// `(Σ w m q, Σ w m)` over weighted rows `(weight, label, prediction)`: the sums both the
    /// statistic and its complement are ratios of.
    fn sums_over_rows(
        &self,
        rows: impl IntoIterator<Item = (f64, f64, f64)>,
    ) -> Option<(f64, f64)> {
        if self.quantity.needs_score() {
            return None;
        }
        let (mut num, mut den) = (0.0, 0.0);
        for (w, label, prediction) in rows {
            let (m, q) = self.row(label, prediction)?;
            if m != 0.0 {
                num += w * m * q;
                den += w * m;
            }
        }
        Some((num, den))
    }

    /// The statistic of hard decisions over rows summarised by label: `cells[y] = (t, s)` for
    /// `y = 0, 1`, the weight of the rows with label `y` and of those among them decided 1.
    /// Each row's kernel ([`Statistic::row`]) on a hard decision `d` is
    /// `row(y, 0) + d·(row(y, 1) − row(y, 0))`, so a cell sums to
    /// `t·row(y, 0) + s·(row(y, 1) − row(y, 0))`: a walk down a group's sorted scores (the points
    /// of its ROC curve, the thresholds of post-processing) reads every rate at every threshold
    /// from two running sums, with no second pass over rows. `None` when the quantity needs the
    /// model's score.
    ///
    /// ```
    /// use fairfit::data::fairness::Statistic;
    /// // 4 negatives of which 1 decided 1; 2 positives of which 1 decided 1.
    /// let cells = [(4.0, 1.0), (2.0, 1.0)];
    /// assert_eq!(Statistic::true_positive_rate().over_label_cells(cells), Some(Ok(0.5)));
    /// assert_eq!(Statistic::false_positive_rate().over_label_cells(cells), Some(Ok(0.25)));
    /// assert_eq!(Statistic::positive_rate().over_label_cells(cells), Some(Ok(2.0 / 6.0)));
    /// assert!(Statistic::true_positive_rate().over_label_cells([(4.0, 1.0), (0.0, 0.0)]).unwrap().is_err());
    /// ```
    pub fn over_label_cells(&self, cells: [(f64, f64); 2]) -> Option<Value> {
        Some(self.label_cell_kernel()?.value(cells))
    }

    /// The statistic's kernel on the label cells of [`Statistic::over_label_cells`], evaluated
    /// once, so that reading it at many thresholds costs a few flops each. `None` when the
    /// quantity needs the model's score.
    pub fn label_cell_kernel(&self) -> Option<LabelCellKernel> {
        let mut terms = [[0.0; 4]; 2];
        for (label, term) in [0.0, 1.0].into_iter().zip(&mut terms) {
            let (m0, q0) = self.row(label, 0.0)?;
            let (m1, q1) = self.row(label, 1.0)?;
            *term = [m0 * q0, m1 * q1 - m0 * q0, m0, m1 - m0];
        }
        Some(LabelCellKernel {
            terms,
            lacks: self.condition.lacks(),
        })
    }
    /// Whether evaluating the statistic reads the labels: a label condition, or the label or
    /// the error as its quantity.
    pub fn reads_label(&self) -> bool {
        self.condition.reads_label() || matches!(self.quantity, Quantity::Label | Quantity::Error)
    }

    /// Whether evaluating the statistic reads the model's decisions: a prediction condition,
    /// or the prediction or the error as its quantity.
    pub fn reads_decision(&self) -> bool {
        self.condition.reads_prediction()
            || matches!(self.quantity, Quantity::Prediction | Quantity::Error)
    }

    /// Whether the statistic is a smooth function of the model's scores on soft outputs, so that
    /// a penalty or a target can drive an optimiser with it (a prediction condition weights rows
    /// by their own decision; the label alone does not depend on the model).
    pub fn is_smooth(&self) -> bool {
        !self.condition.reads_prediction() && self.quantity != Quantity::Label
    }

    /// Whether the statistic needs binary labels and decisions (so it has no meaning for a
    /// regression).
    pub fn needs_classification(&self) -> bool {
        matches!(self.quantity, Quantity::Error | Quantity::Margin)
            || self.condition.reads_label()
            || self.condition.reads_prediction()
    }
}

/// A statistic's kernel on label cells ([`Statistic::label_cell_kernel`]): per label, the
/// numerator's and the denominator's value for a row decided 0 and their change when it is
/// decided 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelCellKernel {
    /// Per label `y`: `[m₀q₀, m₁q₁ − m₀q₀, m₀, m₁ − m₀]` of `Statistic::row(y, d)` at `d = 0, 1`.
    terms: [[f64; 4]; 2],
    /// What a group lacks when the statistic's condition holds for none of its rows.
    lacks: &'static str,
}

impl LabelCellKernel {
    /// The statistic on label cells `cells[y] = (t, s)` (see [`Statistic::over_label_cells`]):
    /// `Σ_y t·m₀q₀ + s·(m₁q₁ − m₀q₀)` over `Σ_y t·m₀ + s·(m₁ − m₀)`, undefined with the
    /// condition's reason when no weight falls in it.
    #[inline]
    pub fn value(&self, cells: [(f64, f64); 2]) -> Value {
        let (mut num, mut den) = (0.0, 0.0);
        for (&[base_num, step_num, base_den, step_den], (total, decided)) in
            self.terms.iter().zip(cells)
        {
            num += total * base_num + decided * step_num;
            den += total * base_den + decided * step_den;
        }
        ratio(num, den, self.lacks)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_and_memberships_of_one_row() {
        assert_eq!(Quantity::Error.of_prediction(1.0, 0.0), Some(1.0));
        assert_eq!(Quantity::Error.of_prediction(0.0, 0.25), Some(0.25));
        assert_eq!(Quantity::Label.of_prediction(1.0, 0.0), Some(1.0));
        assert_eq!(Quantity::Loss.of_prediction(1.0, 0.0), None);
        assert_eq!(Condition::Positives.membership(0.0, 1.0), 0.0);
        assert_eq!(Condition::Negatives.membership(0.0, 1.0), 1.0);
        assert_eq!(Condition::PredictedNegatives.membership(1.0, 0.25), 0.75);
    }

    /// Every statistic of decisions and labels read from label cells equals the statistic over
    /// the rows they summarise, and its complement is one minus it.
    #[test]
    fn label_cells_and_complements_agree_with_rows() {
        // (weight, label, decision)
        let rows = [
            (0.5, 1.0, 1.0),
            (1.25, 1.0, 0.0),
            (2.0, 0.0, 1.0),
            (0.75, 0.0, 0.0),
            (1.5, 0.0, 0.0),
            (0.1, 1.0, 1.0),
        ];
        let mut cells = [(0.0, 0.0); 2];
        for &(w, y, d) in &rows {
            let cell = &mut cells[usize::from(y == 1.0)];
            cell.0 += w;
            cell.1 += w * d;
        }
        let conditions = [
            Condition::All,
            Condition::Positives,
            Condition::Negatives,
            Condition::PredictedPositives,
            Condition::PredictedNegatives,
        ];
        for condition in conditions {
            for quantity in [Quantity::Prediction, Quantity::Label, Quantity::Error] {
                let s = Statistic::new(quantity, condition);
                let by_rows = s.over_rows(rows).unwrap().unwrap();
                let by_cells = s.over_label_cells(cells).unwrap().unwrap();
                assert!((by_rows - by_cells).abs() < 1e-15, "{s:?}");
                let complement = s.complement_over_rows(rows).unwrap().unwrap();
                assert!((complement - (1.0 - by_rows)).abs() < 1e-15, "{s:?}");
            }
        }
        assert_eq!(Statistic::mean_loss().over_label_cells(cells), None);
        assert_eq!(Statistic::mean_loss().complement_over_rows(rows), None);
        // A condition no row meets is undefined in all three readings, with its reason.
        let negatives_only = [(1.0, 0.0, 1.0)];
        let reason = Condition::Positives.lacks();
        let tpr = Statistic::true_positive_rate();
        assert_eq!(
            tpr.complement_over_rows(negatives_only),
            Some(Err(crate::fairness::Undefined { reason }))
        );
        assert_eq!(
            tpr.over_label_cells([(1.0, 1.0), (0.0, 0.0)]),
            Some(Err(crate::fairness::Undefined { reason }))
        );
    }

    #[test]
    fn names_and_columns() {
        assert_eq!(Statistic::positive_rate().column(), "selection_rate");
        assert_eq!(
            Statistic::positive_predictive_value().name(),
            "positive predictive value"
        );
        assert_eq!(
            Statistic::new(Quantity::Score, Condition::Positives).column(),
            "mean_score_given_positive"
        );
        assert_eq!(
            Statistic::mean_prediction().name_for_regression(),
            "mean prediction"
        );
        assert!(Statistic::false_omission_rate().needs_classification());
        assert!(!Statistic::mean_loss().needs_classification());
    }
}
