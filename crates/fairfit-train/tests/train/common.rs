//! Synthetic data for the tests: Gaussian features, groups with shifted means and base rates.

use fairfit_data::{FairDataset, SensitiveAttribute};
use ndarray::{Array1, Array2};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// `n` rows, `d` features, `groups` groups; labels from a noisy logistic model whose base rate
/// differs by group; weights in [0.5, 1.5] when `weighted`.
pub fn synthetic(n: usize, d: usize, groups: usize, weighted: bool, seed: u64) -> FairDataset {
    let mut rng = StdRng::seed_from_u64(seed);
    let names: Vec<String> = (0..groups).map(|g| format!("g{g}")).collect();
    let mut x = Array2::zeros((n, d));
    let mut y = Array1::zeros(n);
    let mut values = Vec::with_capacity(n);
    let truth: Vec<f64> = (0..d)
        .map(|j| if j % 2 == 0 { 1.0 } else { -0.5 })
        .collect();
    for i in 0..n {
        let g = i % groups;
        values.push(names[g].clone());
        let mut s = 1.5 * g as f64 - 0.8;
        for j in 0..d {
            let v: f64 = rng.gen_range(-1.0..1.0) * 1.7 + if j == 0 { 0.6 * g as f64 } else { 0.0 };
            x[[i, j]] = v;
            s += truth[j] * v;
        }
        let p = 1.0 / (1.0 + (-s).exp());
        y[i] = if rng.gen::<f64>() < p { 1.0 } else { 0.0 };
    }
    let attribute = SensitiveAttribute::from_values("group", &values, None).expect("valid groups");
    let bands: Vec<&str> = (0..n)
        .map(|i| if (i / 7) % 2 == 0 { "x" } else { "y" })
        .collect();
    let band = SensitiveAttribute::from_values("band", &bands, None).expect("valid bands");
    let data = FairDataset::new(x, y, vec![attribute, band]).expect("valid data");
    if weighted {
        let w = Array1::from_iter((0..n).map(|_| rng.gen_range(0.5..1.5)));
        data.with_weights(w).expect("valid weights")
    } else {
        data
    }
}

/// A random parameter vector of length `dim`.
pub fn random_theta(dim: usize, seed: u64) -> Array1<f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    Array1::from_iter((0..dim).map(|_| rng.gen_range(-0.7..0.7)))
}

/// The same rows with real targets `x·β + group shift + noise` for regression.
pub fn regression(n: usize, d: usize, groups: usize, seed: u64) -> FairDataset {
    let data = synthetic(n, d, groups, true, seed);
    let mut rng = StdRng::seed_from_u64(seed + 100);
    let x = data.records();
    let targets = Array1::from_iter((0..n).map(|i| {
        let g = data.groups().of_row()[i] as f64;
        let s: f64 = x
            .row(i)
            .iter()
            .enumerate()
            .map(|(j, v)| v * (j as f64 - 1.0))
            .sum();
        s + 0.7 * g + rng.gen_range(-0.5..0.5) * (1.0 + g)
    }));
    data.with_targets(targets).expect("finite targets")
}
