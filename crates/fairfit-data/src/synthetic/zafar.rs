//! The two-Gaussian data of Zafar et al. (2017).

use ndarray::{Array1, Array2};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::standard_normal;
use crate::dataset::FairDataset;
use crate::error::{DataError, Result};
use crate::groups::SensitiveAttribute;

/// The two-Gaussian data of Zafar et al. (2017), "Fairness Constraints: Mechanisms for Fair
/// Classification", as their `generate_synthetic_data.py` draws it: `n_per_class` points of
/// class 1 from N((2, 2), [[5, 1], [1, 5]]) and of class 0 (their −1) from
/// N((−2, −2), [[10, 1], [1, 3]]); the sensitive attribute `s` of a point x is 1 with
/// probability p₁(x′)/(p₁(x′) + p₀(x′)), where x′ is x rotated by `phi` (π/4 in their code)
/// and p₁, p₀ the two class densities. Levels of `s`: `["1", "0"]` (s = 1 is favoured).
///
/// ```
/// let data = fairfit::data::synthetic::zafar(500, std::f64::consts::FRAC_PI_4, 3)?;
/// assert_eq!(data.nrows(), 1_000);
/// assert_eq!(data.feature_names(), ["x1", "x2"]);
/// # Ok::<(), fairfit::data::DataError>(())
/// ```
pub fn zafar(n_per_class: usize, phi: f64, seed: u64) -> Result<FairDataset> {
    if n_per_class == 0 || !phi.is_finite() {
        return Err(DataError::InvalidParameter {
            name: "n_per_class, phi",
            reason: format!("need n_per_class >= 1 and finite phi, got {n_per_class}, {phi}"),
        });
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let n = 2 * n_per_class;
    let mut x = Array2::zeros((n, 2));
    let mut y = Array1::zeros(n);
    let mut codes = Vec::with_capacity(n);
    for row in 0..n {
        let class = row < n_per_class; // first the positive class, as in their code
        let g = if class { &ZAFAR_POS } else { &ZAFAR_NEG };
        let point = g.sample(&mut rng);
        x[[row, 0]] = point[0];
        x[[row, 1]] = point[1];
        y[row] = f64::from(u8::from(class));
        let s = rng.gen::<f64>() < zafar_sensitive_probability(point, phi);
        codes.push(usize::from(!s)); // level 0 is "1"
    }
    let attribute = SensitiveAttribute::new("s", vec!["1".into(), "0".into()], codes)?;
    FairDataset::new(x, y, vec![attribute])?.with_feature_names(vec!["x1".into(), "x2".into()])
}

/// P(s = 1 | x) in Zafar et al.'s generator: the positive class's share of the two class
/// densities at x rotated by `phi` (their `np.dot(X, rotation_mult)`, a row vector times
/// [[cos, −sin], [sin, cos]]).
pub(super) fn zafar_sensitive_probability(x: [f64; 2], phi: f64) -> f64 {
    let (c, s) = (phi.cos(), phi.sin());
    let rotated = [x[0] * c + x[1] * s, -x[0] * s + x[1] * c];
    let p1 = ZAFAR_POS.pdf(rotated);
    let p0 = ZAFAR_NEG.pdf(rotated);
    p1 / (p1 + p0)
}

/// A bivariate Gaussian by mean and covariance.
struct Gaussian2 {
    mean: [f64; 2],
    cov: [[f64; 2]; 2],
}

const ZAFAR_POS: Gaussian2 = Gaussian2 {
    mean: [2.0, 2.0],
    cov: [[5.0, 1.0], [1.0, 5.0]],
};
const ZAFAR_NEG: Gaussian2 = Gaussian2 {
    mean: [-2.0, -2.0],
    cov: [[10.0, 1.0], [1.0, 3.0]],
};

impl Gaussian2 {
    fn det(&self) -> f64 {
        self.cov[0][0] * self.cov[1][1] - self.cov[0][1] * self.cov[1][0]
    }

    fn pdf(&self, x: [f64; 2]) -> f64 {
        let d = [x[0] - self.mean[0], x[1] - self.mean[1]];
        let det = self.det();
        // inverse of [[a, b], [b, c]] is [[c, -b], [-b, a]] / det
        let q = (self.cov[1][1] * d[0] * d[0] - 2.0 * self.cov[0][1] * d[0] * d[1]
            + self.cov[0][0] * d[1] * d[1])
            / det;
        (-0.5 * q).exp() / (2.0 * std::f64::consts::PI * det.sqrt())
    }

    fn sample(&self, rng: &mut impl Rng) -> [f64; 2] {
        // Cholesky factor of the 2x2 covariance.
        let l00 = self.cov[0][0].sqrt();
        let l10 = self.cov[1][0] / l00;
        let l11 = (self.cov[1][1] - l10 * l10).sqrt();
        let (z0, z1) = (standard_normal(rng), standard_normal(rng));
        [self.mean[0] + l00 * z0, self.mean[1] + l10 * z0 + l11 * z1]
    }
}
