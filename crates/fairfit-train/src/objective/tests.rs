//! The objective's derivatives with sharpened target terms (rates on `σ(c·s)`), against finite
//! differences; and the pass's and the Hessian's kernels (batched rows, one logarithm per many
//! rows, the reused per-row buffer, the Hessian's upper triangle) against plain loops. Compiled only
//! under `#[cfg(test)]`.

use fairfit_data::fairness::Statistic;
use fairfit_data::synthetic::BiasedParams;
use ndarray::Array1;

use super::{GroupFn, Objective, Term};
use crate::lagrangian::{LagrangianTerm, TargetBound};
use crate::params::FairLogisticRegression;
use crate::ParamGuard;

#[test]
fn sharpened_ratio_and_gap_terms_have_exact_gradients_and_hessians() {
    let data = BiasedParams::new(400, 3)
        .groups(&[("a", 0.5), ("b", 0.5)])
        .label_bias("b", 0.6)
        .seed(9)
        .generate()
        .expect("valid synthetic parameters")
        .data;
    let params = FairLogisticRegression::params().l2(0.01).check().unwrap();
    let mut objective = Objective::new(&data, &params).unwrap();
    let term = |statistic, bound, sharpness| Term {
        weight: 1.0,
        statistic,
        function: GroupFn::Lagrangian(LagrangianTerm {
            bound,
            multipliers: vec![0.4, 0.1],
            rho: 10.0,
            shifts: vec![0.03, -0.01],
        }),
        sharpness,
    };
    objective
        .set_terms(vec![
            term(Statistic::positive_rate(), TargetBound::Ratio(0.95), 4.0),
            term(Statistic::true_positive_rate(), TargetBound::Gap(0.0), 16.0),
            term(Statistic::error_rate(), TargetBound::Gap(0.0), 1.0),
        ])
        .unwrap();
    let dim = objective.dim();
    let theta = Array1::from_iter((0..dim).map(|j| 0.3 * ((j as f64) * 1.7).sin()));
    let (_, gradient) = objective.value_and_gradient(&theta).unwrap();
    let hessian = objective.hessian_at(&theta).unwrap();
    let step = 1e-6;
    for j in 0..dim {
        let (mut up, mut down) = (theta.clone(), theta.clone());
        up[j] += step;
        down[j] -= step;
        let (cu, gu) = objective.value_and_gradient(&up).unwrap();
        let (cd, gd) = objective.value_and_gradient(&down).unwrap();
        let fd = (cu - cd) / (2.0 * step);
        assert!(
            (fd - gradient[j]).abs() < 1e-6 * (1.0 + fd.abs()),
            "gradient {j}: {} vs {fd}",
            gradient[j]
        );
        for k in 0..dim {
            let fd = (gu[k] - gd[k]) / (2.0 * step);
            assert!(
                (fd - hessian[[k, j]]).abs() < 1e-5 * (1.0 + fd.abs()),
                "H[{k},{j}] {} vs {fd}",
                hessian[[k, j]]
            );
        }
    }
}

/// `n` rows of two numeric columns beside three one-hot blocks of eight levels (sparse: 5 of 26
/// entries per row), labels from a logistic model, two groups; with random weights (a tenth
/// zero) when `weighted`.
fn one_hot_rows(n: usize, weighted: bool) -> fairfit_data::FairDataset {
    use fairfit_data::{FairDataset, SensitiveAttribute};
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};
    let mut rng = StdRng::seed_from_u64(17);
    let d = 2 + 3 * 8;
    let mut x = ndarray::Array2::<f64>::zeros((n, d));
    let mut y = Array1::<f64>::zeros(n);
    for i in 0..n {
        x[[i, 0]] = rng.gen_range(-2.0..2.0);
        x[[i, 1]] = rng.gen_range(0.0..5.0);
        for block in 0..3 {
            x[[i, 2 + 8 * block + rng.gen_range(0..8)]] = 1.0;
        }
        let s = 0.8 * x[[i, 0]] - 0.3 * x[[i, 1]] + x[[i, 3]] - x[[i, 12]] + 0.5;
        y[i] = f64::from(rng.gen::<f64>() < 1.0 / (1.0 + (-s).exp()));
    }
    let groups = SensitiveAttribute::new(
        "g",
        vec!["a".into(), "b".into()],
        (0..n).map(|i| i % 2).collect(),
    )
    .unwrap();
    let data = FairDataset::new(x, y, vec![groups]).unwrap();
    if !weighted {
        return data;
    }
    let weights = (0..n)
        .map(|_| {
            if rng.gen_bool(0.1) {
                0.0
            } else {
                rng.gen_range(0.2..2.0)
            }
        })
        .collect();
    data.with_weights(weights).unwrap()
}

/// Cost, gradient and Hessian of the weighted mean log loss plus `(l2/2)‖w‖²`, by plain loops
/// over the dense rows with the library's `ln_1p` (one logarithm per row).
fn reference(
    data: &fairfit_data::FairDataset,
    l2: f64,
    theta: &Array1<f64>,
) -> (f64, Vec<f64>, Vec<f64>) {
    let x = data.records();
    let (n, d) = x.dim();
    let dim = d + 1;
    let weights = data.weights_or_ones();
    let total: f64 = weights.sum();
    let (mut cost, mut grad, mut hess) = (0.0, vec![0.0; dim], vec![0.0; dim * dim]);
    for i in 0..n {
        let mut row: Vec<f64> = x.row(i).to_vec();
        row.push(1.0);
        let s: f64 = row.iter().zip(theta).map(|(a, b)| a * b).sum();
        let y = data.targets()[i];
        let p = 1.0 / (1.0 + (-s).exp());
        cost += weights[i] * (s.max(0.0) + (-s.abs()).exp().ln_1p() - y * s);
        for j in 0..dim {
            grad[j] += weights[i] * (p - y) * row[j];
            for k in 0..dim {
                hess[j * dim + k] += weights[i] * p * (1.0 - p) * row[j] * row[k];
            }
        }
    }
    cost /= total;
    grad.iter_mut().for_each(|g| *g /= total);
    hess.iter_mut().for_each(|h| *h /= total);
    for j in 0..d {
        cost += 0.5 * l2 * theta[j] * theta[j];
        grad[j] += l2 * theta[j];
        hess[j * dim + j] += l2;
    }
    (cost, grad, hess)
}

#[test]
fn the_pass_and_the_hessian_match_plain_loops_on_many_sparse_rows() {
    // 20,000 rows: several parallel parts, products of `1 + e` over many rows before each
    // logarithm, and (through the Hessian) the per-row results the pass keeps in the buffer it
    // reuses from the point before.
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * (1.0 + b.abs());
    for weighted in [false, true] {
        let data = one_hot_rows(20_000, weighted);
        let params = FairLogisticRegression::params().l2(0.01).check().unwrap();
        let objective = Objective::new(&data, &params).unwrap();
        assert!(objective.is_sparse());
        let dim = objective.dim();
        let point = |scale: f64| Array1::from_iter((0..dim).map(|j| scale * (j as f64).cos()));
        let (a, b) = (point(0.4), point(-0.9));
        for theta in [&a, &b, &a] {
            let (cost, gradient) = objective.value_and_gradient(theta).unwrap();
            let (cost0, gradient0, _) = reference(&data, 0.01, theta);
            assert!(close(cost, cost0), "weighted {weighted}: {cost} vs {cost0}");
            for (g, g0) in gradient.iter().zip(&gradient0) {
                assert!(close(*g, *g0), "weighted {weighted}: gradient {g} vs {g0}");
            }
        }
        let hessian = objective.hessian_at(&a).unwrap();
        let (_, _, hessian0) = reference(&data, 0.01, &a);
        for (h, h0) in hessian.iter().zip(&hessian0) {
            assert!(close(*h, *h0), "weighted {weighted}: Hessian {h} vs {h0}");
        }
    }
}
