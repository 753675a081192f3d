//! The penalised logistic regression: gradient, agreement with linfa-logistic, warm starts,
//! typed errors.

use approx::assert_relative_eq;
use fairfit_train::EvaluateOnScores;
use fairfit_train::{
    FairLogisticRegression, FittedLogistic, Layout, Objective, Penalty, Solver, Statistic,
    Termination, TrainError,
};
use linfa::prelude::*;
use linfa::ParamGuard;
use linfa_logistic::LogisticRegression;
use ndarray::{array, Array1};

use crate::common::{random_theta, synthetic};

/// Central finite differences of the cost, compared with the analytic gradient.
fn check_gradient(objective: &Objective<'_>, theta: &Array1<f64>) {
    let (_, grad) = objective.value_and_gradient(theta).unwrap();
    let mut fd = Array1::zeros(theta.len());
    for j in 0..theta.len() {
        let h = 1e-5;
        let mut up = theta.clone();
        up[j] += h;
        let mut down = theta.clone();
        down[j] -= h;
        let (cu, _) = objective.value_and_gradient(&up).unwrap();
        let (cd, _) = objective.value_and_gradient(&down).unwrap();
        fd[j] = (cu - cd) / (2.0 * h);
    }
    let err = (&fd - &grad).mapv(|v| v * v).sum().sqrt() / grad.mapv(|v| v * v).sum().sqrt();
    assert!(
        err < 1e-6,
        "relative gradient error {err}: fd {fd} vs {grad}"
    );
}

#[test]
fn dp_gradient_matches_finite_differences_for_two_and_four_groups() {
    for (groups, layout) in [(2, Layout::Dense), (4, Layout::Sparse), (3, Layout::Dense)] {
        let data = synthetic(300, 5, groups, true, groups as u64);
        let params = FairLogisticRegression::params()
            .l2(0.01)
            .penalty(Penalty::demographic_parity(), 3.0)
            .layout(layout)
            .check()
            .unwrap();
        let objective = Objective::new(&data, &params).unwrap();
        for seed in 0..3 {
            check_gradient(&objective, &random_theta(6, seed));
        }
    }
}

/// With λ = 0 the fit is linfa-logistic's problem: same optimum. linfa minimises
/// `Σ log-loss + (alpha/2)‖w‖²`, i.e. n times our mean objective with `l2 = alpha / n`.
#[test]
fn unpenalised_fit_matches_linfa_logistic() {
    let data = synthetic(2000, 5, 2, false, 7);
    let n = data.nrows() as f64;
    let l2 = 1e-3;
    let ours = FairLogisticRegression::params()
        .l2(l2)
        .gradient_tolerance(1e-8)
        .fit(&data)
        .unwrap();
    let linfa = LogisticRegression::default()
        .alpha(n * l2)
        .gradient_tolerance(1e-7)
        .max_iterations(10_000)
        .fit(&data.to_linfa_classification().unwrap())
        .unwrap();
    // linfa's "positive" class is the majority class: flip the sign when that is label 0.
    let sign = if linfa.labels().pos.class == 1 {
        1.0
    } else {
        -1.0
    };
    let theirs_w = linfa.params() * sign;
    let theirs_b = linfa.intercept() * sign;
    // Tolerance: 1e-5 absolute on coefficients (both solvers stop at a gradient norm far below
    // that on this well-conditioned problem), 1e-10 relative on the objective.
    for (a, b) in ours.coefficients().iter().zip(theirs_w.iter()) {
        assert!(
            (a - b).abs() < 1e-5,
            "{} vs {}",
            ours.coefficients(),
            theirs_w
        );
    }
    assert!((ours.intercept() - theirs_b).abs() < 1e-5);
    let theirs = FittedLogistic::new(theirs_w, theirs_b).unwrap();
    let params = FairLogisticRegression::params().l2(l2).check().unwrap();
    let objective = Objective::new(&data, &params).unwrap();
    let theta = |m: &FittedLogistic| {
        let mut t = m.coefficients().to_vec();
        t.push(m.intercept());
        Array1::from(t)
    };
    let (j_ours, _) = objective.value_and_gradient(&theta(&ours)).unwrap();
    let (j_theirs, _) = objective.value_and_gradient(&theta(&theirs)).unwrap();
    assert_relative_eq!(j_ours, j_theirs, max_relative = 1e-10);
    assert!(j_ours <= j_theirs + 1e-12);
    let p_ours = ours.predict_proba(data.records()).unwrap();
    let p_theirs = theirs.predict_proba(data.records()).unwrap();
    let max_diff = (&p_ours - &p_theirs)
        .mapv(f64::abs)
        .fold(0.0f64, |a, &b| a.max(b));
    assert!(max_diff < 1e-6, "probabilities differ by {max_diff}");
}

#[test]
fn lbfgs_and_newton_reach_the_same_penalised_optimum() {
    let data = synthetic(1500, 6, 3, true, 3);
    let fit = |solver| {
        FairLogisticRegression::params()
            .l2(1e-3)
            .penalty(Penalty::demographic_parity(), 2.0)
            .solver(solver)
            .gradient_tolerance(1e-8)
            .fit(&data)
            .unwrap()
    };
    let a = fit(Solver::Lbfgs { memory: 10 });
    let b = fit(Solver::Newton);
    for (x, y) in a.coefficients().iter().zip(b.coefficients().iter()) {
        assert!(
            (x - y).abs() < 1e-5,
            "{} vs {}",
            a.coefficients(),
            b.coefficients()
        );
    }
    let (ra, rb) = (a.report().unwrap(), b.report().unwrap());
    assert!(ra.converged() && rb.converged());
    assert!(
        rb.iterations < ra.iterations,
        "Newton {} vs L-BFGS {}",
        rb.iterations,
        ra.iterations
    );
}

#[test]
fn the_penalty_shrinks_the_gap_and_warm_starts_save_iterations() {
    let data = synthetic(1500, 4, 2, false, 11);
    let gap = |m: &FittedLogistic| {
        let s = m.decision_function(data.records()).unwrap();
        Statistic::positive_rate()
            .evaluate(m.loss(), &data, s.view())
            .unwrap()
    };
    let base = FairLogisticRegression::params().fit(&data).unwrap();
    let params = FairLogisticRegression::params()
        .penalty(Penalty::demographic_parity(), 30.0)
        .solver(Solver::Lbfgs { memory: 10 })
        .check()
        .unwrap();
    let cold = params.fit(&data).unwrap();
    let (g0, g1) = (gap(&base), gap(&cold));
    assert!(
        g0.soft_gap() > 0.1,
        "synthetic groups differ: {}",
        g0.soft_gap()
    );
    assert!(
        g1.soft_gap() < 0.5 * g0.soft_gap(),
        "{} vs {}",
        g1.soft_gap(),
        g0.soft_gap()
    );
    assert!(g1.hard_gap() < g0.hard_gap());
    // Starting at the optimum needs (almost) no work.
    let again = params.fit_warm(&data, &cold).unwrap();
    assert!(again.report().unwrap().iterations <= 1);
    // A nearby λ from the previous optimum is cheaper than from zero.
    let near = FairLogisticRegression::params()
        .penalty(Penalty::demographic_parity(), 36.0)
        .solver(Solver::Lbfgs { memory: 10 })
        .check()
        .unwrap();
    let warm = near.fit_warm(&data, &cold).unwrap();
    let cold2 = near.fit(&data).unwrap();
    assert!(warm.report().unwrap().iterations < cold2.report().unwrap().iterations);
    // Probabilities and labels agree with each other and with linfa's Predict.
    let p = cold.predict_proba(data.records()).unwrap();
    let labels: Array1<bool> = cold.predict(&data.records().to_owned());
    assert!(p.iter().zip(labels.iter()).all(|(&p, &l)| (p >= 0.5) == l));
    assert!(p.iter().all(|&p| p > 0.0 && p < 1.0));
}

#[test]
fn non_convergence_is_an_error_that_carries_the_iterate() {
    let data = synthetic(500, 4, 2, false, 5);
    let err = FairLogisticRegression::params()
        .max_iterations(2)
        .gradient_tolerance(1e-12)
        .solver(Solver::Lbfgs { memory: 5 })
        .fit(&data)
        .unwrap_err();
    match err {
        TrainError::NotConverged {
            report,
            coefficients,
            ..
        } => {
            assert_eq!(report.termination, Termination::MaxIterations);
            assert_eq!(report.iterations, 2);
            assert!(report.gradient_norm > 1e-12);
            assert_eq!(coefficients.len(), 4);
        }
        other => panic!("expected NotConverged, got {other}"),
    }
}

#[test]
fn bad_input_gives_typed_errors() {
    let data = synthetic(200, 3, 2, false, 1);
    // λ negative or non-finite, bad tolerance.
    for lambda in [-1.0, f64::NAN, f64::INFINITY] {
        let err = FairLogisticRegression::params()
            .penalty(Penalty::demographic_parity(), lambda)
            .fit(&data)
            .unwrap_err();
        assert!(
            matches!(err, TrainError::InvalidParameter { name: "lambda", .. }),
            "{err}"
        );
    }
    assert!(matches!(
        FairLogisticRegression::params().l2(-1.0).check(),
        Err(TrainError::InvalidParameter { name: "l2", .. })
    ));
    assert!(FairLogisticRegression::params()
        .gradient_tolerance(0.0)
        .check()
        .is_err());
    // One class only.
    let zeros = data.clone().with_targets(Array1::zeros(200)).unwrap();
    assert!(matches!(
        FairLogisticRegression::params().fit(&zeros),
        Err(TrainError::SingleClass { class }) if class == 0.0
    ));
    // Non-binary labels.
    let mut t = data.targets().to_owned();
    t[7] = 0.5;
    let real = data.clone().with_targets(t).unwrap();
    assert!(matches!(
        FairLogisticRegression::params().fit(&real),
        Err(TrainError::NotBinary { row: 7, .. })
    ));
    // A group with no members (after selecting rows of one group only).
    let only_first: Vec<usize> = (0..200).step_by(2).collect();
    let one_group = data.select(&only_first).unwrap();
    let err = FairLogisticRegression::params()
        .penalty(Penalty::demographic_parity(), 1.0)
        .fit(&one_group)
        .unwrap_err();
    assert!(
        matches!(&err, TrainError::EmptyCell { group, reason: "no rows (or zero total weight)", .. } if group == "g1"),
        "{err}"
    );
    // A warm start of the wrong dimension.
    let wrong = FittedLogistic::new(array![1.0, 2.0], 0.0).unwrap();
    let params = FairLogisticRegression::params().check().unwrap();
    assert!(matches!(
        params.fit_warm(&data, &wrong),
        Err(TrainError::LengthMismatch {
            expected: 3,
            found: 2,
            ..
        })
    ));
    assert!(wrong.check_features(data.records()).is_err());
}

#[test]
fn hessian_matches_finite_differences_of_the_gradient() {
    let data = synthetic(400, 4, 3, true, 21);
    let params = FairLogisticRegression::params()
        .l2(0.01)
        .penalty(Penalty::demographic_parity(), 3.0)
        .check()
        .unwrap();
    let objective = Objective::new(&data, &params).unwrap();
    let theta = random_theta(5, 4);
    let h = objective.hessian_at(&theta).unwrap();
    for j in 0..5 {
        let step = 1e-5;
        let mut up = theta.clone();
        up[j] += step;
        let mut down = theta.clone();
        down[j] -= step;
        let gu = objective.value_and_gradient(&up).unwrap().1;
        let gd = objective.value_and_gradient(&down).unwrap().1;
        let fd = (gu - gd) / (2.0 * step);
        for k in 0..5 {
            assert!(
                (fd[k] - h[[k, j]]).abs() < 1e-6 * (1.0 + fd[k].abs()),
                "H[{k},{j}] {} vs {}",
                h[[k, j]],
                fd[k]
            );
        }
    }
}

#[test]
fn smooth_l1_has_exact_derivatives_and_zeroes_unsupported_coefficients() {
    // Derivatives, with a wide smoothing zone so that finite differences resolve it.
    let data = synthetic(300, 4, 2, true, 5);
    let params = FairLogisticRegression::params()
        .l2(0.01)
        .l1(0.05)
        .l1_smoothing(0.05)
        .penalty(Penalty::demographic_parity(), 2.0)
        .check()
        .unwrap();
    let objective = Objective::new(&data, &params).unwrap();
    let theta = random_theta(5, 9);
    check_gradient(&objective, &theta);
    let h = objective.hessian_at(&theta).unwrap();
    for j in 0..5 {
        let step = 1e-6;
        let (mut up, mut down) = (theta.clone(), theta.clone());
        up[j] += step;
        down[j] -= step;
        let fd = (objective.value_and_gradient(&up).unwrap().1
            - objective.value_and_gradient(&down).unwrap().1)
            / (2.0 * step);
        for k in 0..5 {
            assert!(
                (fd[k] - h[[k, j]]).abs() < 1e-5 * (1.0 + fd[k].abs()),
                "H[{k},{j}] {} vs {}",
                h[[k, j]],
                fd[k]
            );
        }
    }

    // Sparsity: four informative columns and four of pure noise.
    let informative = synthetic(3000, 4, 2, false, 11);
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(3);
    let noise =
        ndarray::Array2::from_shape_fn((3000, 4), |_| rand::Rng::gen_range(&mut rng, -1.0..1.0));
    let x = ndarray::concatenate(ndarray::Axis(1), &[informative.records(), noise.view()]).unwrap();
    let data = fairfit_data::FairDataset::new(
        x,
        informative.targets().to_owned(),
        informative.attributes().to_vec(),
    )
    .unwrap();
    let fit = |l1: f64| {
        FairLogisticRegression::params()
            .l2(0.0)
            .l1(l1)
            .fit(&data)
            .unwrap()
            .coefficients()
            .to_owned()
    };
    let plain = fit(0.0);
    let lasso = fit(0.02);
    let noise_plain = plain.slice(ndarray::s![4..]).mapv(f64::abs).sum();
    let noise_lasso = lasso.slice(ndarray::s![4..]).mapv(f64::abs).sum();
    assert!(noise_plain > 0.02, "noise weights without L1: {plain}");
    assert!(
        lasso.slice(ndarray::s![4..]).iter().all(|w| w.abs() < 1e-3),
        "noise weights with L1: {lasso}"
    );
    assert!(noise_lasso < 0.05 * noise_plain);
    assert!(
        lasso.slice(ndarray::s![..4]).iter().all(|w| w.abs() > 0.1),
        "{lasso}"
    );

    for bad in [
        FairLogisticRegression::params().l1(-1.0),
        FairLogisticRegression::params().l1(f64::NAN),
        FairLogisticRegression::params().l1(0.1).l1_smoothing(0.0),
    ] {
        assert!(matches!(
            bad.check(),
            Err(TrainError::InvalidParameter { .. })
        ));
    }
}
