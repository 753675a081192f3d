//! Strategies of one's own, linear models, and what the sweep records of each point.
//! Compiled only under `#[cfg(test)]` (see the parent module).

use std::time::Duration;

use fairfit_data::FairDataset;
use fairfit_train::postprocess::Constraint;
use fairfit_train::{FairLinearRegression, Linear, ParamGuard, Penalty, PenaltyPath};
use ndarray::{s, Array1};

use super::*;

/// Selects everybody on every split, and fails at a second, made-up parameter.
struct SelectAll;

impl Strategy for SelectAll {
    fn name(&self) -> &str {
        "select-all"
    }

    fn grid_size(&self) -> usize {
        2
    }

    fn run(&self, context: &Context<'_>, points: &mut Points<'_>) {
        let ones = context.splits_each(|d| Array1::ones(d.nrows()));
        points.push(&[("k", 1.0)], Ok(Fitted::rule(ones, false, Duration::ZERO)));
        let failure = EvalError::InvalidParameter {
            name: "k",
            reason: "made up".into(),
        };
        points.push(&[("k", 2.0)], Err(failure));
    }
}

#[test]
fn a_strategy_of_ones_own_joins_a_sweep_and_its_cross_validation() {
    let data = biased();
    let outcome = quiet(vec![Box::new(Unmitigated::new())])
        .with(SelectAll)
        .with(Thresholded::randomised(
            Constraint::EqualizedOdds,
            vec![0.0],
        ))
        .run(&data)
        .unwrap();
    assert_eq!(
        outcome.curve.methods(),
        ["unmitigated", "select-all", "thresholds-eodds (randomised)"]
    );
    assert_eq!(outcome.failures.len(), 1);
    assert_eq!(
        (
            outcome.failures[0].method.as_str(),
            outcome.failures[0].params.as_str()
        ),
        ("select-all", "k=2")
    );
    let all = 1;
    assert_eq!(outcome.curve.points()[all].param("k"), Some(1.0));
    for (split, d) in Split::ALL
        .into_iter()
        .zip([&data.train, &data.validation, &data.test])
    {
        let value = |m| outcome.curve.estimate(all, split, m).unwrap().value;
        assert_eq!(value(names::DP_DIFFERENCE), 0.0, "{split}");
        let positives = d.targets().sum() / d.nrows() as f64;
        assert!(
            (value(names::ACCURACY) - positives).abs() < 1e-12,
            "{split}"
        );
    }
    // What the sweep knows of each point: the constant rule and the randomised one.
    let info = |i: &PointInfo| (i.rule, i.constant, i.is_degenerate());
    assert_eq!(
        outcome.info.iter().map(info).collect::<Vec<_>>(),
        [
            (Rule::Deterministic, false, false),
            (Rule::Deterministic, true, true),
            (Rule::Randomised, false, false)
        ]
    );
    // Every classifier's decisions are profiled on every split; selecting everybody is named.
    let all_test = outcome.info[all].profile(Split::Test).unwrap();
    assert_eq!(all_test.constant(), Some(true));
    assert_eq!(
        all_test.to_string(),
        "constant rule: decides 1 for everyone"
    );
    assert!(outcome.info[0]
        .profile(Split::Train)
        .unwrap()
        .beats_majority());
    let methods = |c: TradeoffCurve| -> Vec<String> {
        c.points().iter().map(|p| p.method().to_string()).collect()
    };
    let curve = &outcome.curve;
    assert_eq!(
        methods(outcome.deterministic(curve).unwrap()),
        ["unmitigated", "select-all"]
    );
    assert_eq!(
        methods(outcome.without_constant_rules(curve).unwrap()),
        ["unmitigated", "thresholds-eodds (randomised)"]
    );
    assert_eq!(
        methods(outcome.without_degenerate(curve).unwrap()),
        ["unmitigated", "thresholds-eodds (randomised)"]
    );
    let dir = std::env::temp_dir().join(format!("fairfit-decisions-{}", std::process::id()));
    let path = dir.join("decisions.csv");
    outcome.write_decisions_csv(&path).unwrap();
    let written = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(written.lines().count(), 1 + 3 * 3);
    assert!(written.contains("select-all,k=1,test,1.0,"), "{written}");
    assert!(written.contains(",true,constant rule: decides 1 for everyone"));

    let cv = quiet(vec![Box::new(SelectAll)])
        .resamples(0)
        .cross_validate(&data.train, &split::KFold::new(3, 1).unwrap())
        .unwrap();
    assert_eq!(cv.curve.len(), 1);
    assert_eq!(cv.failures.len(), 3, "one failure per fold");
    let dp = cv
        .curve
        .estimate(0, Split::Validation, names::DP_DIFFERENCE)
        .unwrap();
    assert_eq!(dp.value, 0.0);
}

/// The sweep's penalty path is fairfit-train's warm-started path: the same models.
#[test]
fn the_penalty_strategy_fits_the_models_of_the_library_path() {
    let data = biased();
    let outcome = quiet(vec![Box::new(Penalised::demographic_parity(
        LAMBDAS.to_vec(),
    ))])
    .resamples(0)
    .run(&data)
    .unwrap();
    let params = fairfit_train::FairLogisticRegression::params()
        .check()
        .unwrap();
    let baseline = params.fit(&data.train).unwrap();
    let path = PenaltyPath::new(params, Penalty::demographic_parity(), LAMBDAS.to_vec())
        .unwrap()
        .warm_start(baseline);
    for (i, point) in path.fit(&data.train).unwrap().iter().enumerate() {
        let p = point.model.predict_proba(data.test.records()).unwrap();
        let want = classification_metrics(p.view(), &data.test).unwrap();
        let got = outcome.curve.points()[i].metrics(Split::Test);
        for ((name, value), m) in want.iter().zip(got) {
            assert_eq!((*name, *value), (m.name.as_str(), m.estimate.value));
        }
    }
}

/// The biased data with a real target: its first feature, plus one in group `b`.
fn regression(data: &FairDataset) -> FairDataset {
    let x = data.records();
    let shift = data.groups().of_row().iter().map(|&g| g as f64);
    let target: Array1<f64> = x.column(0).iter().zip(shift).map(|(v, g)| v + g).collect();
    FairDataset::new(
        x.slice(s![.., 1..]).to_owned(),
        target,
        data.attributes().to_vec(),
    )
    .unwrap()
}

#[test]
fn a_linear_model_sweeps_with_regression_metrics() {
    let data = biased();
    let data = TrainValTest {
        train: regression(&data.train),
        validation: regression(&data.validation),
        test: regression(&data.test),
    };
    let parity = Penalised::new(
        "parity",
        Penalty::mean_prediction_parity(),
        vec![1.0, 100.0],
    );
    let sweep = Sweep::<Linear>::of_model(
        FairLinearRegression::params(),
        vec![Box::new(Unmitigated::new()), Box::new(parity)],
    )
    .progress(Progress::Hidden);
    let outcome = sweep.run(&data).unwrap();
    assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
    let n = regression_names::MEAN_PREDICTION_GAP;
    let gap = |i| outcome.curve.estimate(i, Split::Test, n).unwrap();
    assert!(
        gap(0).value > 0.1,
        "the target differs by group: {}",
        gap(0).value
    );
    assert!(
        gap(2).value < 0.5 * gap(0).value,
        "{} → {}",
        gap(0).value,
        gap(2).value
    );
    assert!(
        gap(0).interval.is_none(),
        "regression metrics carry no intervals"
    );
    let names: Vec<&str> = outcome.curve.points()[0]
        .metrics(Split::Validation)
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    use regression_names as r;
    assert_eq!(
        names,
        [r::MSE, r::R2, r::MEAN_PREDICTION_GAP, r::MAX_GROUP_MSE]
    );
    let cv = sweep
        .cross_validate(&data.train, &split::KFold::new(3, 2).unwrap())
        .unwrap();
    assert_eq!(cv.curve.len(), 3);
    let pooled = cv.curve.estimate(2, Split::Validation, n).unwrap().value;
    assert!(pooled < 0.5 * gap(0).value, "{pooled}");

    // Thresholds need probabilities: a linear sweep refuses them before fitting.
    let thresholded =
        Targeted::demographic_parity(vec![0.1]).then_thresholds(Constraint::DemographicParity);
    let err =
        Sweep::<Linear>::of_model(FairLinearRegression::params(), vec![Box::new(thresholded)])
            .run(&data)
            .unwrap_err();
    assert!(
        matches!(
            err,
            EvalError::InvalidMethodParameter {
                name: "thresholds",
                ..
            }
        ),
        "{err}"
    );
}
