//! Synthetic data with known bias, so every method can be tested where the truth is known.
//!
//! [`BiasedParams`] generates class-conditional Gaussian features whose true labels do not
//! depend on the group, then injects the three classic biases on purpose: label bias (favourable
//! labels flipped in one group), representation bias (one group under-sampled) and a proxy
//! feature correlated with group membership at a stated strength. [`zafar`] reproduces the
//! two-Gaussian data of Zafar et al. (2017).

use ndarray::{Array1, Array2};
use rand::distributions::{Distribution, WeightedIndex};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::dataset::FairDataset;
use crate::error::{DataError, Result};
use crate::groups::SensitiveAttribute;

/// A generated data set and the labels before label bias was injected.
#[derive(Debug, Clone, PartialEq)]
pub struct Synthetic {
    /// The observed (possibly biased) data.
    pub data: FairDataset,
    /// The true labels: what the labels were before favourable ones were flipped.
    pub true_targets: Array1<f64>,
}

/// Parameters of the biased-data generator (builder; [`BiasedParams::generate`] validates).
///
/// Each row gets a group by `groups` shares, a true label `y ~ Bernoulli(base_rate)` independent
/// of the group, and `dim` features `x = y · separation · 1/√dim + N(0, I)`. Then, if set:
/// - **label bias** `(group, rate)`: each favourable label in `group` becomes 0 with
///   probability `rate`, so the observed base rate there is `base_rate · (1 − rate)`;
/// - **representation bias** `(group, keep)`: rows of `group` are kept with probability `keep`
///   (rows are drawn until `n` are kept), so its share becomes `s·keep / (s·keep + 1 − s)`;
/// - **proxy** `(group, rho)`: an extra last feature `proxy = rho · z + √(1 − rho²) · N(0, 1)`
///   with `z` the standardised indicator of `group` (using its share after representation
///   bias), so the population correlation of `proxy` with membership in `group` is `rho`.
///
/// ```
/// use fairfit_data::synthetic::BiasedParams;
/// let s = BiasedParams::new(2_000, 3)
///     .groups(&[("a", 0.5), ("b", 0.5)])
///     .base_rate(0.5)
///     .label_bias("b", 1.0) // every favourable label in b flipped
///     .proxy("b", 0.9)
///     .seed(1)
///     .generate()?;
/// assert_eq!(s.data.nfeatures(), 4);
/// let b = s.data.groups().index_of("b").unwrap();
/// let b_positives = s.data.groups().of_row().iter().zip(s.data.targets())
///     .filter(|(&g, &y)| g == b && y == 1.0).count();
/// assert_eq!(b_positives, 0);
/// # Ok::<(), fairfit_data::DataError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct BiasedParams {
    n: usize,
    dim: usize,
    groups: Vec<(String, f64)>,
    base_rate: f64,
    separation: f64,
    label_bias: Option<(String, f64)>,
    representation_bias: Option<(String, f64)>,
    proxy: Option<(String, f64)>,
    seed: u64,
}

impl BiasedParams {
    /// `n` rows with `dim` informative features; two equal groups `a` and `b`, base rate 0.5,
    /// separation 2, no bias, seed 0.
    pub fn new(n: usize, dim: usize) -> Self {
        Self {
            n,
            dim,
            groups: vec![("a".into(), 0.5), ("b".into(), 0.5)],
            base_rate: 0.5,
            separation: 2.0,
            label_bias: None,
            representation_bias: None,
            proxy: None,
            seed: 0,
        }
    }

    /// Group names and shares (positive, summing to 1).
    pub fn groups(mut self, groups: &[(&str, f64)]) -> Self {
        self.groups = groups.iter().map(|(g, s)| (g.to_string(), *s)).collect();
        self
    }

    /// P(y = 1) of the true labels, the same in every group.
    pub fn base_rate(mut self, rate: f64) -> Self {
        self.base_rate = rate;
        self
    }

    /// Distance between the two class means (features are informative when it is > 0).
    pub fn separation(mut self, separation: f64) -> Self {
        self.separation = separation;
        self
    }

    /// Flip each favourable label of `group` to 0 with probability `rate`.
    pub fn label_bias(mut self, group: &str, rate: f64) -> Self {
        self.label_bias = Some((group.into(), rate));
        self
    }

    /// Keep each row of `group` with probability `keep` (under-sampling it).
    pub fn representation_bias(mut self, group: &str, keep: f64) -> Self {
        self.representation_bias = Some((group.into(), keep));
        self
    }

    /// Add a last feature `proxy` whose correlation with membership in `group` is `rho`.
    pub fn proxy(mut self, group: &str, rho: f64) -> Self {
        self.proxy = Some((group.into(), rho));
        self
    }

    /// The random seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The expected share of each group after representation bias.
    pub fn expected_shares(&self) -> Result<Vec<f64>> {
        self.check()?;
        let keep = self.keep_rates()?;
        let total: f64 = self.groups.iter().zip(&keep).map(|((_, s), k)| s * k).sum();
        Ok(self
            .groups
            .iter()
            .zip(&keep)
            .map(|((_, s), k)| s * k / total)
            .collect())
    }

    /// Validates the parameters and draws the data set.
    pub fn generate(&self) -> Result<Synthetic> {
        let shares = self.expected_shares()?;
        let keep = self.keep_rates()?;
        let flip = self.named_index(&self.label_bias)?;
        let proxy = self.named_index(&self.proxy)?;
        let mut rng = StdRng::seed_from_u64(self.seed);
        let pick = WeightedIndex::new(self.groups.iter().map(|(_, s)| *s)).map_err(|e| {
            DataError::InvalidParameter {
                name: "groups",
                reason: e.to_string(),
            }
        })?;
        let width = self.dim + usize::from(proxy.is_some());
        let mut x = Array2::zeros((self.n, width));
        let mut y = Array1::zeros(self.n);
        let mut y_true = Array1::zeros(self.n);
        let mut codes = Vec::with_capacity(self.n);
        let step = self.separation / (self.dim as f64).sqrt();
        let mut row = 0;
        while row < self.n {
            let g = pick.sample(&mut rng);
            if rng.gen::<f64>() >= keep[g] {
                continue;
            }
            let label = rng.gen::<f64>() < self.base_rate;
            for j in 0..self.dim {
                x[[row, j]] = f64::from(u8::from(label)) * step + standard_normal(&mut rng);
            }
            if let Some((pg, rho)) = proxy {
                let p = shares[pg];
                let z = (f64::from(u8::from(g == pg)) - p) / (p * (1.0 - p)).sqrt();
                x[[row, self.dim]] = rho * z + (1.0 - rho * rho).sqrt() * standard_normal(&mut rng);
            }
            y_true[row] = f64::from(u8::from(label));
            let flipped =
                matches!(flip, Some((fg, rate)) if fg == g && label && rng.gen::<f64>() < rate);
            y[row] = f64::from(u8::from(label && !flipped));
            codes.push(g);
            row += 1;
        }
        let levels = self.groups.iter().map(|(g, _)| g.clone()).collect();
        let attribute = SensitiveAttribute::new("group", levels, codes)?;
        let mut names: Vec<String> = (0..self.dim).map(|j| format!("x{j}")).collect();
        if proxy.is_some() {
            names.push("proxy".into());
        }
        let data = FairDataset::new(x, y, vec![attribute])?.with_feature_names(names)?;
        Ok(Synthetic {
            data,
            true_targets: y_true,
        })
    }

    fn check(&self) -> Result<()> {
        let invalid = |name, reason: String| Err(DataError::InvalidParameter { name, reason });
        if self.n == 0 || self.dim == 0 {
            return invalid(
                "n, dim",
                format!("need n >= 1 and dim >= 1, got {} and {}", self.n, self.dim),
            );
        }
        if self.groups.len() < 2 {
            return invalid("groups", "need at least two groups".into());
        }
        if let Some((g, s)) = self.groups.iter().find(|(_, s)| !(*s > 0.0 && *s <= 1.0)) {
            return invalid("groups", format!("share of `{g}` is {s}, not in (0, 1]"));
        }
        let total: f64 = self.groups.iter().map(|(_, s)| s).sum();
        if (total - 1.0).abs() > 1e-9 {
            return invalid("groups", format!("shares sum to {total}, not 1"));
        }
        if !(self.base_rate > 0.0 && self.base_rate < 1.0) {
            return invalid("base_rate", format!("{} is not in (0, 1)", self.base_rate));
        }
        if !(self.separation.is_finite() && self.separation >= 0.0) {
            return invalid(
                "separation",
                format!("{} is not finite and >= 0", self.separation),
            );
        }
        for (name, setting, lo) in [
            ("label_bias", &self.label_bias, 0.0),
            (
                "representation_bias",
                &self.representation_bias,
                f64::MIN_POSITIVE,
            ),
            ("proxy", &self.proxy, -1.0),
        ] {
            if let Some((_, v)) = setting {
                if !(*v >= lo && *v <= 1.0) {
                    return invalid(name, format!("{v} is not in [{lo}, 1]"));
                }
            }
        }
        Ok(())
    }

    fn keep_rates(&self) -> Result<Vec<f64>> {
        let mut keep = vec![1.0; self.groups.len()];
        if let Some((g, k)) = self.named_index(&self.representation_bias)? {
            keep[g] = k;
        }
        Ok(keep)
    }

    fn named_index(&self, setting: &Option<(String, f64)>) -> Result<Option<(usize, f64)>> {
        setting
            .as_ref()
            .map(|(name, v)| {
                self.groups
                    .iter()
                    .position(|(g, _)| g == name)
                    .map(|g| (g, *v))
                    .ok_or_else(|| DataError::UnknownColumn {
                        name: name.clone(),
                        context: "synthetic groups".into(),
                    })
            })
            .transpose()
    }
}

/// The two-Gaussian data of Zafar et al. (2017), "Fairness Constraints: Mechanisms for Fair
/// Classification", as their `generate_synthetic_data.py` draws it: `n_per_class` points of
/// class 1 from N((2, 2), [[5, 1], [1, 5]]) and of class 0 (their −1) from
/// N((−2, −2), [[10, 1], [1, 3]]); the sensitive attribute `s` of a point x is 1 with
/// probability p₁(x′)/(p₁(x′) + p₀(x′)), where x′ is x rotated by `phi` (π/4 in their code)
/// and p₁, p₀ the two class densities. Levels of `s`: `["1", "0"]` (s = 1 is favoured).
///
/// ```
/// let data = fairfit_data::synthetic::zafar(500, std::f64::consts::FRAC_PI_4, 3)?;
/// assert_eq!(data.nrows(), 1_000);
/// assert_eq!(data.feature_names(), ["x1", "x2"]);
/// # Ok::<(), fairfit_data::DataError>(())
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
pub fn zafar_sensitive_probability(x: [f64; 2], phi: f64) -> f64 {
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

/// One draw from N(0, 1) by the Box–Muller transform.
fn standard_normal(rng: &mut impl Rng) -> f64 {
    let u1: f64 = 1.0 - rng.gen::<f64>(); // in (0, 1], so ln is finite
    let u2: f64 = rng.gen();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate_in(data: &FairDataset, targets: &Array1<f64>, group: usize) -> f64 {
        let rows: Vec<usize> = (0..data.nrows())
            .filter(|&r| data.groups().of_row()[r] == group)
            .collect();
        rows.iter().map(|&r| targets[r]).sum::<f64>() / rows.len() as f64
    }

    fn corr(a: &[f64], b: &[f64]) -> f64 {
        let n = a.len() as f64;
        let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
        let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
        let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
        let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
        cov / (va * vb).sqrt()
    }

    #[test]
    fn label_bias_lowers_the_base_rate_of_one_group_only() {
        let s = BiasedParams::new(40_000, 2)
            .base_rate(0.4)
            .label_bias("b", 0.5)
            .seed(3)
            .generate()
            .unwrap();
        let (a, b) = (0, 1);
        // true labels: 0.4 in both groups; observed: 0.4 in a, 0.4 * 0.5 = 0.2 in b
        // (standard error about 0.0035 at n = 20,000 per group)
        assert!((rate_in(&s.data, &s.true_targets, a) - 0.4).abs() < 0.015);
        assert!((rate_in(&s.data, &s.true_targets, b) - 0.4).abs() < 0.015);
        let observed = s.data.targets().to_owned();
        assert!((rate_in(&s.data, &observed, a) - 0.4).abs() < 0.015);
        assert!((rate_in(&s.data, &observed, b) - 0.2).abs() < 0.015);
        // flips only turn 1 into 0, only in b
        for r in 0..s.data.nrows() {
            if observed[r] != s.true_targets[r] {
                assert_eq!((observed[r], s.data.groups().of_row()[r]), (0.0, b));
            }
        }
    }

    #[test]
    fn representation_bias_gives_the_stated_share() {
        let p = BiasedParams::new(30_000, 1)
            .groups(&[("maj", 0.5), ("min", 0.5)])
            .representation_bias("min", 0.25)
            .seed(5);
        // 0.5 * 0.25 / (0.5 * 0.25 + 0.5) = 0.2
        assert!((p.expected_shares().unwrap()[1] - 0.2).abs() < 1e-12);
        let s = p.generate().unwrap();
        assert_eq!(s.data.nrows(), 30_000);
        let share = s.data.groups().counts()[1] as f64 / 30_000.0;
        assert!((share - 0.2).abs() < 0.01, "share {share}");
    }

    #[test]
    fn proxy_has_the_stated_correlation_and_features_separate_classes() {
        for rho in [0.0, 0.5, 0.9] {
            let s = BiasedParams::new(20_000, 2)
                .groups(&[("a", 0.7), ("b", 0.3)])
                .proxy("b", rho)
                .separation(3.0)
                .seed(11)
                .generate()
                .unwrap();
            let member: Vec<f64> = s.data.groups().of_row().iter().map(|&g| g as f64).collect();
            let proxy = s.data.records().column(2).to_vec();
            let r = corr(&proxy, &member);
            assert!((r - rho).abs() < 0.02, "rho {rho}: measured {r}");
            // class means of x0 differ by separation / sqrt(dim)
            let y = s.data.targets();
            let mean = |c: f64| {
                let v: Vec<f64> = (0..20_000)
                    .filter(|&i| y[i] == c)
                    .map(|i| s.data.records()[[i, 0]])
                    .collect();
                v.iter().sum::<f64>() / v.len() as f64
            };
            assert!((mean(1.0) - mean(0.0) - 3.0 / 2f64.sqrt()).abs() < 0.05);
        }
    }

    #[test]
    fn generator_is_seeded_and_validates() {
        let p = BiasedParams::new(100, 2).label_bias("b", 0.2).seed(9);
        assert_eq!(p.generate().unwrap(), p.generate().unwrap());
        assert_ne!(
            p.generate().unwrap(),
            p.clone().seed(10).generate().unwrap()
        );
        assert!(BiasedParams::new(10, 2)
            .groups(&[("a", 0.5), ("b", 0.4)])
            .generate()
            .is_err());
        assert!(BiasedParams::new(10, 2)
            .label_bias("c", 0.2)
            .generate()
            .is_err());
        assert!(BiasedParams::new(10, 2)
            .label_bias("a", 1.5)
            .generate()
            .is_err());
        assert!(BiasedParams::new(10, 2)
            .representation_bias("a", 0.0)
            .generate()
            .is_err());
        assert!(BiasedParams::new(10, 2)
            .proxy("a", -1.1)
            .generate()
            .is_err());
        assert!(BiasedParams::new(10, 2).base_rate(1.0).generate().is_err());
        assert!(BiasedParams::new(0, 2).generate().is_err());
    }

    #[test]
    fn zafar_matches_the_published_generator() {
        // Hand-computed: at the origin (rotation-invariant), d'S^-1 d = (5*4 - 2*4 + 5*4)/24 for
        // class 1 and (3*4 - 2*4 + 10*4)/29 for class 0, so p1 = exp(-0.5 * 32/24) / (2 pi sqrt 24)
        // and p0 = exp(-0.5 * 44/29) / (2 pi sqrt 29).
        let p1 = (-0.5f64 * 32.0 / 24.0).exp() / 24f64.sqrt();
        let p0 = (-0.5f64 * 44.0 / 29.0).exp() / 29f64.sqrt();
        let expected = p1 / (p1 + p0);
        assert!((zafar_sensitive_probability([0.0, 0.0], 0.3) - expected).abs() < 1e-12);
        // Rotation: the probability at x with angle phi is the unrotated one at x rotated.
        let phi = std::f64::consts::FRAC_PI_4;
        let x = [1.0, 0.0];
        let r = [phi.cos(), -phi.sin()]; // [1, 0] . [[c, -s], [s, c]] = [c, -s]
        assert!(
            (zafar_sensitive_probability(x, phi) - zafar_sensitive_probability(r, 0.0)).abs()
                < 1e-12
        );

        let data = zafar(4_000, phi, 1).unwrap();
        let y = data.targets();
        assert_eq!(y.sum(), 4_000.0);
        // class means and a covariance entry, within about 4 standard errors
        let pos: Vec<usize> = (0..8_000).filter(|&i| y[i] == 1.0).collect();
        let neg: Vec<usize> = (0..8_000).filter(|&i| y[i] == 0.0).collect();
        let mean = |rows: &[usize], j: usize| {
            rows.iter().map(|&i| data.records()[[i, j]]).sum::<f64>() / rows.len() as f64
        };
        assert!((mean(&pos, 0) - 2.0).abs() < 0.15 && (mean(&pos, 1) - 2.0).abs() < 0.15);
        assert!((mean(&neg, 0) + 2.0).abs() < 0.2 && (mean(&neg, 1) + 2.0).abs() < 0.15);
        let var = |rows: &[usize], j: usize| {
            let m = mean(rows, j);
            rows.iter()
                .map(|&i| (data.records()[[i, j]] - m).powi(2))
                .sum::<f64>()
                / rows.len() as f64
        };
        assert!((var(&neg, 0) - 10.0).abs() < 0.9 && (var(&neg, 1) - 3.0).abs() < 0.3);
        // s follows the rule: the share with s = 1 matches the mean rule probability
        let s1 = data
            .attribute("s")
            .unwrap()
            .codes()
            .iter()
            .filter(|&&c| c == 0)
            .count() as f64;
        let expected_s1: f64 = (0..8_000)
            .map(|i| {
                zafar_sensitive_probability([data.records()[[i, 0]], data.records()[[i, 1]]], phi)
            })
            .sum();
        assert!((s1 - expected_s1).abs() < 4.0 * (8_000f64 * 0.25).sqrt());
        // and s = 1 is more frequent among positives
        let codes = data.attribute("s").unwrap().codes();
        let share = |rows: &[usize]| {
            rows.iter().filter(|&&i| codes[i] == 0).count() as f64 / rows.len() as f64
        };
        assert!(share(&pos) > share(&neg) + 0.2);
    }
}
