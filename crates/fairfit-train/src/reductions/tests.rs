//! Tests of the reductions: termination by the duality gap, the randomised model's training
//! gap, grid search's Lagrangian on a case solved by hand, the costs as the Lagrangian's exact
//! differences, typed errors. Compiled only under `#[cfg(test)]`.

use fairfit_data::fairness::{Aggregate, GroupCells, Notion};
use fairfit_data::synthetic::BiasedParams;
use fairfit_data::{FairDataset, SensitiveAttribute};
use ndarray::{array, Array1, Array2};

use super::*;
use crate::loss::{Linear, Logistic, Loss};
use crate::params::FairParams;
use crate::{FairLinearRegression, FairLogisticRegression, TrainError};
use linfa::ParamGuard;

fn biased(n: usize, seed: u64) -> FairDataset {
    BiasedParams::new(n, 4)
        .label_bias("b", 0.35)
        .proxy("b", 0.8)
        .seed(seed)
        .generate()
        .expect("valid synthetic parameters")
        .data
}

/// The notion's value on the randomised model's expected decisions, through the engine.
fn expected_value(notion: &Notion, model: &RandomizedModel<Logistic>, data: &FairDataset) -> f64 {
    let p = model.decision_probabilities(data.records()).unwrap();
    let y = data.targets();
    let cells = GroupCells::of(data);
    let means: Vec<_> = notion
        .statistics()
        .iter()
        .map(|s| cells.evaluate(*s, |i| (y[i], p[i])).unwrap())
        .collect();
    notion.value(&means).unwrap().value
}

#[test]
fn exponentiated_gradient_stops_with_a_gap_below_nu_and_meets_epsilon_up_to_nu() {
    let data = biased(1500, 3);
    let cases = [
        (Notion::demographic_parity(), 0.02),
        (Notion::equalized_odds(), 0.03),
        (
            Notion::demographic_parity().with_aggregate(Aggregate::DifferenceToOverall),
            0.01,
        ),
        (Notion::error_rate_parity(), 0.02),
    ];
    for (notion, epsilon) in cases {
        let fit = ExponentiatedGradient::params::<Logistic>(notion.clone(), epsilon)
            .fit(&data)
            .unwrap();
        let report = fit.report();
        assert!(report.converged, "{notion}: {report:?}");
        let last = report.iterations.last().unwrap();
        let last_gap = last.gap.min(last.lp_gap.unwrap_or(f64::INFINITY));
        assert!(
            last_gap <= report.nu,
            "{notion}: {last_gap} > ν = {}",
            report.nu
        );
        assert!(report.best_gap <= report.nu);
        // Every constraint of the randomised model is within ν of its bound on the training
        // data, and so is the notion's value read through the engine.
        let gamma = fit.model().training_gamma();
        for (g, c) in gamma.iter().zip(fit.constraints()) {
            assert!(g - c.bound <= report.nu + 1e-12, "{}: {g}", c.name);
        }
        let value = expected_value(&notion, fit.model(), &data);
        if notion.aggregate() == Aggregate::Difference {
            assert!(value <= epsilon + report.nu, "{notion}: {value} > ε + ν");
        }
        // The unmitigated model breaks the bound: the test is not vacuous.
        let plain = FairLogisticRegression::params().fit(&data).unwrap();
        let one = RandomizedModel::new(
            vec![Hypothesis {
                model: plain,
                constant: None,
                error: 0.0,
                gamma: vec![],
                lambda: vec![],
            }],
            vec![1.0],
            vec![],
            String::new(),
        );
        let plain_value = expected_value(&notion, &one, &data);
        if notion.aggregate() == Aggregate::Difference {
            assert!(plain_value > epsilon + report.nu, "{notion}: {plain_value}");
        }
        // The record has one entry per round, with one multiplier per constraint.
        assert!(report
            .iterations
            .iter()
            .all(|it| it.multipliers.len() == fit.constraints().len()));
    }
}

#[test]
fn randomised_decisions_are_seeded_and_deterministic_options_meet_their_definition() {
    let data = biased(1200, 8);
    let fit = ExponentiatedGradient::params::<Logistic>(Notion::demographic_parity(), 0.01)
        .fit(&data)
        .unwrap();
    let model = fit.model();
    let x = data.records();
    let a = model.predict(x, 7).unwrap();
    assert_eq!(a, model.predict(x, 7).unwrap());
    let p = model.decision_probabilities(x).unwrap();
    if p.iter().any(|v| *v > 0.0 && *v < 1.0) {
        assert_ne!(a, model.predict(x, 8).unwrap());
    }
    assert!(a.iter().zip(&p).all(|(d, p)| (*p == 1.0) <= (*d == 1.0)));
    let total: f64 = model.weights().iter().sum();
    assert!((total - 1.0).abs() < 1e-9);
    // The best feasible predictor of the support meets every constraint; none of the support
    // that meets them has a lower training error.
    let support = model.support();
    let meets = |h: &Hypothesis<Logistic>| h.gamma.iter().zip(model.bounds()).all(|(g, b)| g <= b);
    match model.best_feasible() {
        Ok(best) => {
            let chosen = support
                .iter()
                .map(|&h| &model.hypotheses()[h])
                .find(|h| &h.model == best)
                .unwrap();
            assert!(meets(chosen));
            for &h in &support {
                let other = &model.hypotheses()[h];
                assert!(!meets(other) || other.error >= chosen.error);
            }
        }
        Err(TrainError::NoFeasibleHypothesis { .. }) => {
            assert!(support.iter().all(|&h| !meets(&model.hypotheses()[h])));
        }
        Err(e) => panic!("{e}"),
    }
    let heaviest = model.highest_weight();
    let w_max = model.weights().iter().copied().fold(0.0, f64::max);
    let index = model
        .hypotheses()
        .iter()
        .position(|h| &h.model == heaviest)
        .unwrap();
    assert_eq!(model.weights()[index], w_max);
}

/// Four rows, one indicator feature each (any labelling is learnable), groups a, a, b, b,
/// labels 1, 0, 1, 0; demographic parity as a between-group difference with ε = 0. The two
/// constraints are `μ_a − μ_b ≤ 0` (multiplier λ₀) and `μ_b − μ_a ≤ 0` (λ₁); the grid's one
/// direction puts −c on λ₀ for c < 0 and c on λ₁ for c > 0. A row's cost of deciding 1 is
/// `(1 − 2y)/4 ± (λ₀ − λ₁)/2` (+ in group a), so by hand:
///
/// | c | λ | decisions | error | γ | L |
/// |---|---|---|---|---|---|
/// | −2 | (2, 0) | 0 0 1 1 | ½ | (−1, 1) | ½ − 2 = −1.5 |
/// | −1 | (1, 0) | 0 0 1 1 | ½ | (−1, 1) | −0.5 |
/// | 0 | (0, 0) | 1 0 1 0 | 0 | (0, 0) | 0 |
/// | 1 | (0, 1) | 1 1 0 0 | ½ | (1, −1) | −0.5 |
/// | 2 | (0, 2) | 1 1 0 0 | ½ | (1, −1) | −1.5 |
///
/// and the selection `½ error + ½ max excess` is 0 at c = 0, ¾ elsewhere.
#[test]
fn grid_search_lagrangian_grid_matches_the_definition_on_a_case_solved_by_hand() {
    let group = SensitiveAttribute::from_values("g", &["a", "a", "b", "b"], None).unwrap();
    let data = FairDataset::new(Array2::eye(4), array![1.0, 0.0, 1.0, 0.0], vec![group]).unwrap();
    let learner = FairLogisticRegression::params().l2(1e-3).check().unwrap();
    let fit = GridSearch::params::<Logistic>(Notion::demographic_parity())
        .grid_size(5)
        .learner(learner)
        .fit(&data)
        .unwrap();
    let expected = [
        (
            -2.0,
            [2.0, 0.0],
            [0.0, 0.0, 1.0, 1.0],
            0.5,
            [-1.0, 1.0],
            -1.5,
        ),
        (
            -1.0,
            [1.0, 0.0],
            [0.0, 0.0, 1.0, 1.0],
            0.5,
            [-1.0, 1.0],
            -0.5,
        ),
        (0.0, [0.0, 0.0], [1.0, 0.0, 1.0, 0.0], 0.0, [0.0, 0.0], 0.0),
        (
            1.0,
            [0.0, 1.0],
            [1.0, 1.0, 0.0, 0.0],
            0.5,
            [1.0, -1.0],
            -0.5,
        ),
        (
            2.0,
            [0.0, 2.0],
            [1.0, 1.0, 0.0, 0.0],
            0.5,
            [1.0, -1.0],
            -1.5,
        ),
    ];
    assert_eq!(fit.points().len(), 5);
    for (point, (c, lambda, decisions, error, gamma, l)) in fit.points().iter().zip(expected) {
        assert_eq!(point.coefficients, vec![c]);
        assert_eq!(point.lambda, lambda.to_vec());
        let scores = point
            .hypothesis
            .model
            .decision_function(data.records())
            .unwrap();
        let decided: Vec<f64> = scores
            .iter()
            .map(|s| f64::from(u8::from(*s >= 0.0)))
            .collect();
        assert_eq!(decided, decisions.to_vec(), "c = {c}");
        assert_eq!(point.hypothesis.error, error);
        assert_eq!(point.hypothesis.gamma, gamma.to_vec());
        assert!(
            (point.lagrangian - l).abs() < 1e-12,
            "c = {c}: {}",
            point.lagrangian
        );
    }
    assert_eq!(fit.best_index(), 2);
}

#[test]
fn costs_are_the_lagrangians_exact_change_when_one_decision_flips() {
    let data = biased(60, 4);
    for notion in [
        Notion::demographic_parity(),
        Notion::equalized_odds().with_aggregate(Aggregate::DifferenceToOverall),
        Notion::error_rate_parity().ratio(),
        Notion::equal_opportunity(),
    ] {
        let moments = Moments::new(&data, &notion, 0.05, Loss::Logistic).unwrap();
        let m = moments.constraints().len();
        let lambda: Vec<f64> = (0..m).map(|j| 0.3 + 0.7 * ((j * 7 % 5) as f64)).collect();
        let mut costs = Vec::new();
        moments.costs(&lambda, &mut costs);
        let lagrangian = |scores: &[f64]| {
            let (err, gamma) = moments.evaluate(scores);
            err + gamma.iter().zip(&lambda).map(|(g, l)| g * l).sum::<f64>()
        };
        let base: Vec<f64> = (0..data.nrows())
            .map(|i| if i % 3 == 0 { 1.0 } else { -1.0 })
            .collect();
        for i in [0, 1, 17, 59] {
            let (mut one, mut zero) = (base.clone(), base.clone());
            one[i] = 1.0;
            zero[i] = -1.0;
            let diff = lagrangian(&one) - lagrangian(&zero);
            assert!(
                (diff - costs[i]).abs() < 1e-12,
                "{notion} row {i}: {diff} vs {}",
                costs[i]
            );
        }
    }
}

#[test]
fn bounded_group_loss_caps_every_groups_mean_squared_error() {
    let data = BiasedParams::new(800, 3)
        .groups(&[("a", 0.8), ("b", 0.2)])
        .seed(5)
        .generate()
        .unwrap()
        .data;
    let x = data.records();
    let g = data.groups().of_row().to_vec();
    // Group b's targets have a slope of their own, so pooled least squares (mostly fitted to
    // group a) serves it worse; weighting b more trades a's loss for b's.
    let y = Array1::from_shape_fn(data.nrows(), |i| {
        let noise = ((i * 7919 % 1000) as f64 / 1000.0 - 0.5) * 0.5;
        let slope = if g[i] == 1 { 1.5 } else { 0.0 };
        x[[i, 0]] - 0.5 * x[[i, 1]] + slope * x[[i, 2]] + noise
    });
    let data = data.with_targets(y).unwrap();
    let moments = Moments::new(&data, &Notion::bounded_group_loss(), 10.0, Loss::Squared).unwrap();
    let group_losses = |weight_b: f64| {
        let w = Array1::from_shape_fn(data.nrows(), |i| {
            if g[i] == 1 {
                weight_b
            } else {
                1.0 - weight_b
            }
        });
        let model = FairLinearRegression::params()
            .fit(&data.clone().with_weights(w).unwrap())
            .unwrap();
        let scores = model.decision_function(data.records()).unwrap();
        moments.evaluate(scores.as_slice().unwrap()).1
    };
    let worst = |l: Vec<f64>| l.into_iter().fold(0.0, f64::max);
    let plain = worst(group_losses(0.5)); // equal row weights: the unweighted fit
    let minimax = (1..20)
        .map(|k| worst(group_losses(k as f64 / 20.0)))
        .fold(f64::INFINITY, f64::min);
    assert!(minimax < 0.8 * plain, "{minimax} vs {plain}");
    let epsilon = 0.5 * (minimax + plain);
    let fit = ExponentiatedGradient::params::<Linear>(Notion::bounded_group_loss(), epsilon)
        .learner(FairParams::default().check().unwrap())
        .fit(&data)
        .unwrap();
    let nu = fit.report().nu;
    for (loss, c) in fit.model().training_gamma().iter().zip(fit.constraints()) {
        assert!(
            *loss <= epsilon + nu,
            "{}: {loss} > {epsilon} + {nu}",
            c.name
        );
    }
    let seeded = fit.model().predict(data.records(), 3).unwrap();
    assert_eq!(seeded, fit.model().predict(data.records(), 3).unwrap());
}

#[test]
fn bad_parameters_and_impossible_notions_are_typed_errors() {
    let data = biased(200, 1);
    let eg = |notion: Notion, epsilon: f64| {
        ExponentiatedGradient::params::<Logistic>(notion, epsilon).fit(&data)
    };
    let name_of = |r: crate::Result<EgFit<Logistic>>| match r {
        Err(TrainError::InvalidParameter { name, .. }) => name,
        other => panic!("{:?}", other.map(|_| ())),
    };
    assert_eq!(name_of(eg(Notion::demographic_parity(), -0.01)), "epsilon");
    assert_eq!(
        name_of(eg(Notion::demographic_parity(), f64::NAN)),
        "epsilon"
    );
    assert_eq!(
        name_of(eg(Notion::demographic_parity(), f64::INFINITY)),
        "epsilon"
    );
    assert_eq!(
        name_of(eg(Notion::demographic_parity().ratio(), 1.5)),
        "epsilon"
    );
    // ε = 0 needs an explicit bound on the multipliers (B = 1/ε by default).
    assert_eq!(name_of(eg(Notion::demographic_parity(), 0.0)), "epsilon");
    let grid = GridSearch::params::<Logistic>(Notion::demographic_parity())
        .grid_size(0)
        .fit(&data);
    assert!(
        matches!(
            grid,
            Err(TrainError::InvalidParameter {
                name: "grid_size",
                ..
            })
        ),
        "{grid:?}"
    );
    let grid = GridSearch::params::<Logistic>(Notion::demographic_parity())
        .epsilon(-1.0)
        .fit(&data);
    assert!(matches!(
        grid,
        Err(TrainError::InvalidParameter {
            name: "epsilon",
            ..
        })
    ));
    // Group b without positives: equal opportunity and equalized odds cannot be measured.
    let labels = Array1::from_shape_fn(data.nrows(), |i| {
        if data.groups().of_row()[i] == 1 {
            0.0
        } else {
            data.targets()[i]
        }
    });
    let no_positives = data.clone().with_targets(labels).unwrap();
    for notion in [Notion::equal_opportunity(), Notion::equalized_odds()] {
        let err = ExponentiatedGradient::params::<Logistic>(notion, 0.05)
            .fit(&no_positives)
            .unwrap_err();
        match err {
            TrainError::EmptyCell { group, reason, .. } => {
                assert_eq!(group, data.groups().names()[1]);
                assert!(reason.contains("y = 1"), "{reason}");
            }
            other => panic!("{other}"),
        }
        let err = GridSearch::params::<Logistic>(Notion::equal_opportunity())
            .fit(&no_positives)
            .unwrap_err();
        assert!(matches!(err, TrainError::EmptyCell { .. }), "{err}");
    }
    // Notions the reduction cannot express.
    for notion in [Notion::predictive_parity(), Notion::bounded_group_loss()] {
        assert!(matches!(
            eg(notion, 0.1),
            Err(TrainError::Unsupported { .. })
        ));
    }
    let penalised = FairLogisticRegression::params()
        .penalty(crate::Penalty::demographic_parity(), 1.0)
        .check()
        .unwrap();
    let err = ExponentiatedGradient::params::<Logistic>(Notion::demographic_parity(), 0.1)
        .learner(penalised)
        .fit(&data)
        .unwrap_err();
    assert!(matches!(
        err,
        TrainError::InvalidParameter {
            name: "learner",
            ..
        }
    ));
}

#[test]
fn a_path_over_epsilon_meets_every_bound_as_separate_fits_do_with_fewer_newton_steps() {
    let data = biased(1500, 5);
    let epsilons = [0.01, 0.02, 0.05];
    for notion in [Notion::demographic_parity(), Notion::equalized_odds()] {
        let params = ExponentiatedGradient::params::<Logistic>(notion.clone(), 0.01)
            .check()
            .unwrap();
        let path = params.fit_path(&data, &epsilons).unwrap();
        assert_eq!(path.len(), epsilons.len());
        let (mut shared, mut separate) = (0, 0);
        for (fit, &epsilon) in path.iter().zip(&epsilons) {
            let alone = ExponentiatedGradient::params::<Logistic>(notion.clone(), epsilon)
                .fit(&data)
                .unwrap();
            let report = fit.report();
            assert!(
                report.converged && report.best_gap <= report.nu,
                "{report:?}"
            );
            for (g, c) in fit.model().training_gamma().iter().zip(fit.constraints()) {
                assert!((c.bound - epsilon).abs() < 1e-12, "{}", c.name);
                assert!(g - c.bound <= report.nu + 1e-12, "{}: {g}", c.name);
            }
            // Both are ν-approximate saddle points of the same game: their errors agree to
            // within the guarantee's 2ν, up to the learners' tolerance.
            let error = |f: &EgFit<Logistic>| {
                let m = f.model();
                m.hypotheses()
                    .iter()
                    .zip(m.weights())
                    .map(|(h, w)| w * h.error)
                    .sum::<f64>()
            };
            let (a, b) = (error(fit), error(&alone));
            assert!(
                (a - b).abs() <= 2.0 * report.nu + 1e-3,
                "{notion} ε = {epsilon}: {a} vs {b}"
            );
            shared += report.learner_iterations;
            separate += alone.report().learner_iterations;
        }
        // Later runs start next to the earlier runs' answers.
        assert!(shared < separate, "{notion}: {shared} ≥ {separate}");
    }
    let invalid = ExponentiatedGradient::params::<Logistic>(Notion::demographic_parity(), 0.01)
        .check()
        .unwrap()
        .fit_path(&data, &[0.02, -0.01]);
    assert!(matches!(
        invalid,
        Err(TrainError::InvalidParameter {
            name: "epsilon",
            ..
        })
    ));
}
