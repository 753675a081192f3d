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
        // One exponential for the loss, the probability and its derivative.
        let (linear, e, d1, d2) = self.eval_split(s, y);
        (linear + ln_1p(e), d1, d2)
    }

    /// [`Loss::eval`] with the loss split as `linear + ln(1 + e)`: `(linear, e, ℓ′, ℓ″)`, with
    /// `e ∈ [0, 1]` (`e = 0` for [`Loss::Squared`]). The objective's pass adds the logarithms of
    /// unweighted rows as the logarithm of a product of `1 + e` over many rows (one `ln` per
    /// many rows instead of one per row; the product's rounding is an absolute error of a few
    /// ulps of each partial sum, far below the ulp of the sum of losses it goes into).
    #[inline]
    pub(crate) fn eval_split(self, s: f64, y: f64) -> (f64, f64, f64, f64) {
        match self {
            Loss::Logistic => {
                let e = (-s.abs()).exp();
                let p = if s >= 0.0 {
                    1.0 / (1.0 + e)
                } else {
                    e / (1.0 + e)
                };
                (s.max(0.0) - y * s, e, p - y, p * (1.0 - p))
            }
            Loss::Squared => {
                let r = s - y;
                (r * r, 0.0, 2.0 * r, 2.0)
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
        s + ln_1p((-s).exp())
    } else {
        ln_1p(s.exp())
    }
}

/// `ln(1 + x)` for `x ≥ 0`, accurate to an ulp or two: `ln(u) − ((u − 1) − x) / u` with
/// `u = 1 + x` rounded (the correction restores what rounding `u` lost; Goldberg 1991, thm. 4).
///
/// Why not `f64::ln_1p`: glibc's `log1p` is an older, branchy routine that cost a third of the
/// objective's pass on Adult (one per row), while `ln` is table-driven and several times
/// faster; `loss::tests` pins this to `ln_1p` on a dense grid of arguments.
#[inline]
pub(crate) fn ln_1p(x: f64) -> f64 {
    let u = 1.0 + x;
    if u == 1.0 {
        // `x` is below half an ulp of 1: ln(1 + x) = x − x²/2 + …, and x²/2 is below x's ulp.
        x
    } else {
        u.ln() - ((u - 1.0) - x) / u
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

    #[test]
    fn the_split_loss_is_the_loss() {
        for &s in &[-800.0, -30.0, -2.5, -1e-9, 0.0, 1e-9, 0.7, 3.0, 40.0, 800.0] {
            for y in [0.0, 1.0] {
                for loss in [Loss::Logistic, Loss::Squared] {
                    let (l, d1, d2) = loss.eval(s, y);
                    let (linear, e, e1, e2) = loss.eval_split(s, y);
                    assert!((0.0..=1.0).contains(&e));
                    assert_eq!((linear + ln_1p(e), e1, e2), (l, d1, d2), "{loss:?} {s} {y}");
                }
            }
        }
    }

    #[test]
    fn ln_1p_agrees_with_the_library_log1p_to_rounding() {
        // Every argument the loss passes (e^{−|s|} ∈ (0, 1]) and beyond: a geometric grid from
        // 1e-300 to 1e3 and a fine linear grid over (0, 1], both against `f64::ln_1p`.
        let geometric = (0..=20_000).map(|k| 1e-300 * 10f64.powf(k as f64 * 303.0 / 20_000.0));
        let linear = (1..=200_000).map(|k| k as f64 / 200_000.0);
        let mut worst = 0.0f64;
        for x in geometric
            .chain(linear)
            .chain([0.0, f64::MIN_POSITIVE, 1e-17, 1.1e-16])
        {
            let (fast, exact) = (ln_1p(x), x.ln_1p());
            let error = if exact == 0.0 {
                fast.abs()
            } else {
                ((fast - exact) / exact).abs()
            };
            worst = worst.max(error);
        }
        // Two ulps relative (2^-52 ≈ 2.2e-16 each); the naive `(1 + x).ln()` is off by up to
        // 100 % near 1e-16 and fails this bound.
        assert!(worst <= 4.5e-16, "worst relative error {worst:e}");
        assert!((1e-16f64 + 1.0).ln() != 1e-16f64.ln_1p());
    }
}
