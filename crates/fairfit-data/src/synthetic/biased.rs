//! [`BiasedParams`]: Gaussian data with label bias, representation bias and a proxy injected at
//! stated strengths.

use ndarray::{Array1, Array2};
use rand::distributions::{Distribution, WeightedIndex};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::standard_normal;
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
/// use fairfit::data::synthetic::BiasedParams;
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
/// # Ok::<(), fairfit::data::DataError>(())
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
    pub(crate) fn expected_shares(&self) -> Result<Vec<f64>> {
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
