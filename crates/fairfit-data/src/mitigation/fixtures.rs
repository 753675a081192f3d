//! Seeded data with known bias for the tests of the mitigation methods.

use ndarray::{Array1, Array2};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::{FairDataset, SensitiveAttribute};

/// A standard normal draw (Box-Muller), so the tests need no extra crate.
pub fn normal(rng: &mut StdRng) -> f64 {
    let u: f64 = rng.gen_range(f64::EPSILON..1.0);
    let v: f64 = rng.gen::<f64>();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// Biased data: `sizes[g]` rows in group `g` (named `g0`, `g1`, ...); features
/// `score` (N(0,1) shifted down by 0.4 per group index: a proxy), `noise` (U(-1, 1)) and a
/// one-hot block `colour=red`, `colour=green`, `colour=blue`; label 1 with probability
/// sigmoid(2 * score - 0.7 * g), so later groups are deprived. A second attribute `band`
/// (`lo`/`hi`, independent of the group) allows intersections.
pub fn biased(sizes: &[usize], seed: u64) -> FairDataset {
    let mut rng = StdRng::seed_from_u64(seed);
    let n: usize = sizes.iter().sum();
    let mut x = Array2::zeros((n, 5));
    let mut y = Array1::zeros(n);
    let mut group = Vec::with_capacity(n);
    let mut band = Vec::with_capacity(n);
    let mut row = 0;
    for (g, &size) in sizes.iter().enumerate() {
        for _ in 0..size {
            let score = normal(&mut rng) - 0.4 * g as f64;
            x[[row, 0]] = score;
            x[[row, 1]] = rng.gen_range(-1.0..1.0);
            x[[row, 2 + rng.gen_range(0..3)]] = 1.0;
            let p = 1.0 / (1.0 + (-(2.0 * score - 0.7 * g as f64)).exp());
            y[row] = f64::from(u8::from(rng.gen::<f64>() < p));
            group.push(format!("g{g}"));
            band.push(if rng.gen::<bool>() { "hi" } else { "lo" });
            row += 1;
        }
    }
    let group = SensitiveAttribute::from_values("group", &group, None).expect("valid levels");
    let band = SensitiveAttribute::from_values("band", &band, None).expect("valid levels");
    FairDataset::new(x, y, vec![group, band])
        .expect("finite data")
        .with_feature_names(
            [
                "score",
                "noise",
                "colour=red",
                "colour=green",
                "colour=blue",
            ]
            .map(String::from)
            .to_vec(),
        )
        .expect("five names")
}

/// Weighted positive rate P(y = 1 | g) of every active group.
pub fn weighted_rates(data: &FairDataset) -> Vec<f64> {
    let w = data.weights_or_ones();
    let k = data.groups().n_groups();
    let (mut pos, mut all) = (vec![0.0; k], vec![0.0; k]);
    for (i, &g) in data.groups().of_row().iter().enumerate() {
        all[g] += w[i];
        pos[g] += w[i] * data.targets()[i];
    }
    pos.iter().zip(&all).map(|(p, a)| p / a).collect()
}

/// Row counts of every (group, label) cell: `counts[g][y]`.
pub fn cell_counts(data: &FairDataset) -> Vec<[usize; 2]> {
    let mut counts = vec![[0; 2]; data.groups().n_groups()];
    for (i, &g) in data.groups().of_row().iter().enumerate() {
        counts[g][data.targets()[i] as usize] += 1;
    }
    counts
}

/// Probability that a random positive outscores a random negative (ties count half).
pub fn auc(scores: &[f64], labels: &[bool]) -> f64 {
    let pos: Vec<f64> = scores
        .iter()
        .zip(labels)
        .filter(|(_, &l)| l)
        .map(|(&s, _)| s)
        .collect();
    let neg: Vec<f64> = scores
        .iter()
        .zip(labels)
        .filter(|(_, &l)| !l)
        .map(|(&s, _)| s)
        .collect();
    let mut wins = 0.0;
    for p in &pos {
        for q in &neg {
            wins += if p > q {
                1.0
            } else if p == q {
                0.5
            } else {
                0.0
            };
        }
    }
    wins / (pos.len() * neg.len()) as f64
}

/// How often each row of `original` occurs in `derived` (rows identified by their features,
/// which are distinct in [`biased`] data).
pub fn occurrences(original: &FairDataset, derived: &FairDataset) -> Vec<usize> {
    let key = |r: ndarray::ArrayView1<'_, f64>| r.iter().map(|v| v.to_bits()).collect::<Vec<u64>>();
    let mut seen: std::collections::HashMap<Vec<u64>, usize> = std::collections::HashMap::new();
    for r in derived.records().rows() {
        *seen.entry(key(r)).or_default() += 1;
    }
    original
        .records()
        .rows()
        .into_iter()
        .map(|r| seen.get(&key(r)).copied().unwrap_or(0))
        .collect()
}
