//! The objective's derivatives with sharpened target terms (rates on `σ(c·s)`), against finite
//! differences. Compiled only under `#[cfg(test)]`.

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
