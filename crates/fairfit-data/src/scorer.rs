//! [`Scorer`]: anything that ranks rows by how likely they are to be favourable.
//!
//! Rankers inside pre-processing (preferential sampling, massaging) and post-processing
//! (group thresholds) only need scores, so any model, linfa's, fairfit's or the user's,
//! plugs in through this one trait.

use ndarray::{Array1, ArrayView2};

/// A real-valued score per row; higher means more likely to receive the favourable outcome.
pub trait Scorer {
    /// Scores every row of `records` (probabilities or decision values).
    fn score(&self, records: ArrayView2<'_, f64>) -> Array1<f64>;
}

impl<F> Scorer for F
where
    F: Fn(ArrayView2<'_, f64>) -> Array1<f64>,
{
    fn score(&self, records: ArrayView2<'_, f64>) -> Array1<f64> {
        self(records)
    }
}
