//! Signed margins: how far each training row sits on its label's side of a linear rule, the
//! quantity both separation checks read.

use ndarray::Array1;

use crate::error::Result;

use super::{split, Objective};

impl Objective<'_> {
    /// `(2y − 1)(x·w + b)` of every training row of positive weight at `theta = [w, b]`, in row
    /// order: positive where the rule puts the row on its label's side, zero on the boundary.
    pub(crate) fn signed_margins(&self, theta: &Array1<f64>) -> Result<Vec<f64>> {
        self.check_dim(theta)?;
        let (w, b) = split(theta);
        let mut margins = Vec::new();
        self.for_each_block(&mut |block| {
            let scores = block.scores(w, b);
            for (i, (&s, &y)) in scores.iter().zip(&block.targets).enumerate() {
                if block.weight(i) > 0.0 {
                    margins.push(if y == 1.0 { s } else { -s });
                }
            }
            Ok(())
        })?;
        Ok(margins)
    }
}
