//! The training losses and the two model kinds they define: logistic (binary labels) and
//! linear (real targets). Everything here is per row and numerically stable.

use std::fmt::Debug;

/// The per-row loss a model is trained on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loss {
    /// Log loss of a logistic model, `softplus(s) − y·s` for a score `s` and label `y ∈ {0, 1}`.
    Logistic,
    /// Squared error `(s − y)²` of a linear model (so a group's mean loss is its MSE).
    Squared,
}

impl Loss {
    /// Loss, its first and its second derivative with respect to the score.
    #[inline]
    pub(crate) fn eval(self, s: f64, y: f64) -> (f64, f64, f64) {
        match self {
            Loss::Logistic => {
                // One exponential for the loss, the probability and its derivative.
                let e = (-s.abs()).exp();
                let p = if s >= 0.0 {
                    1.0 / (1.0 + e)
                } else {
                    e / (1.0 + e)
                };
                (s.max(0.0) + e.ln_1p() - y * s, p - y, p * (1.0 - p))
            }
            Loss::Squared => {
                let r = s - y;
                (r * r, 2.0 * r, 2.0)
            }
        }
    }

    /// The first and second derivatives of [`Loss::eval`] without the loss itself (which costs
    /// a logarithm the Hessian pass does not need).
    #[inline]
    pub(crate) fn derivatives(self, s: f64, y: f64) -> (f64, f64) {
        match self {
            Loss::Logistic => {
                let p = sigmoid(s);
                (p - y, p * (1.0 - p))
            }
            Loss::Squared => (2.0 * (s - y), 2.0),
        }
    }

    /// The model's prediction for a score: a probability for [`Loss::Logistic`], the score itself
    /// for [`Loss::Squared`].
    #[inline]
    pub fn predict(self, s: f64) -> f64 {
        match self {
            Loss::Logistic => sigmoid(s),
            Loss::Squared => s,
        }
    }

    /// Whether the targets must be binary labels.
    pub fn is_classification(self) -> bool {
        matches!(self, Loss::Logistic)
    }
}

/// A kind of model: fixes the loss and the name used in messages. Implemented by [`Logistic`]
/// and [`Linear`]; sealed.
pub trait ModelKind:
    Debug + Clone + Copy + Default + Send + Sync + 'static + sealed::Sealed
{
    /// The training loss.
    const LOSS: Loss;
    /// A readable name.
    const NAME: &'static str;
}

/// Binary logistic regression: probabilities through the sigmoid, log loss.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Logistic;

/// Linear regression: least squares on real targets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Linear;

impl ModelKind for Logistic {
    const LOSS: Loss = Loss::Logistic;
    const NAME: &'static str = "logistic";
}

impl ModelKind for Linear {
    const LOSS: Loss = Loss::Squared;
    const NAME: &'static str = "linear";
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Logistic {}
    impl Sealed for super::Linear {}
}

/// `1 / (1 + e^{−s})` without overflow.
#[inline]
pub(crate) fn sigmoid(s: f64) -> f64 {
    if s >= 0.0 {
        1.0 / (1.0 + (-s).exp())
    } else {
        let e = s.exp();
        e / (1.0 + e)
    }
}

/// `ln(1 + e^{s})` without overflow.
#[inline]
pub(crate) fn softplus(s: f64) -> f64 {
    if s > 0.0 {
        s + (-s).exp().ln_1p()
    } else {
        s.exp().ln_1p()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logistic_loss_and_derivatives_match_closed_forms() {
        for &(s, y) in &[
            (0.0, 1.0),
            (2.0, 0.0),
            (-3.0, 1.0),
            (40.0, 1.0),
            (-800.0, 0.0),
        ] {
            let (l, d1, d2) = Loss::Logistic.eval(s, y);
            let p: f64 = 1.0 / (1.0 + (-s).exp());
            let expected = if y == 1.0 {
                -(p.ln())
            } else {
                -((1.0 - p).ln())
            };
            if expected.is_finite() {
                assert!((l - expected).abs() < 1e-12 * (1.0 + expected), "{s} {y}");
            }
            assert!((d1 - (p - y)).abs() < 1e-15);
            assert!((d2 - p * (1.0 - p)).abs() < 1e-15);
            assert!(l.is_finite() && l >= 0.0);
        }
        assert_eq!(Loss::Squared.eval(3.0, 1.0), (4.0, 4.0, 2.0));
    }
}
