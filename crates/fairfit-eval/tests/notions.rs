//! One vocabulary, one engine: for every notion a penalty can train on, the penalty's value on
//! hard decisions (training's `EvaluateOnScores`) equals the metric of the same notion
//! (evaluation's `notion_disparity` and `by_group` on the model's `predict_labels`) to 1e-12,
//! on random data, random models and random groups (two, three, and intersections of two
//! attributes), with and without sample weights; and a group that lacks a cell is undefined in
//! both, never a number in one and an error in the other.

use fairfit_data::fairness::Notion;
use fairfit_data::{FairDataset, SensitiveAttribute};
use fairfit_eval::metrics::{by_group, notion_disparity, Outcomes};
use fairfit_train::{EvaluateOnScores, FittedLogistic, Penalty, TrainError};
use ndarray::{Array1, Array2};
use proptest::prelude::*;

/// How the rows are grouped.
#[derive(Debug, Clone, Copy)]
enum Grouping {
    Two,
    Three,
    Intersection,
}

#[derive(Debug, Clone)]
struct Case {
    features: Vec<[f64; 3]>,
    labels: Vec<bool>,
    first: Vec<usize>,
    second: Vec<usize>,
    weights: Option<Vec<f64>>,
    coefficients: [f64; 3],
    intercept: f64,
    grouping: Grouping,
}

fn case() -> impl Strategy<Value = Case> {
    (8usize..120).prop_flat_map(|n| {
        (
            prop::collection::vec(prop::array::uniform3(-3.0..3.0f64), n),
            prop::collection::vec(any::<bool>(), n),
            prop::collection::vec(0usize..3, n),
            prop::collection::vec(0usize..2, n),
            prop::option::of(prop::collection::vec(0.0..4.0f64, n)),
            prop::array::uniform3(-2.0..2.0f64),
            -1.0..1.0f64,
            prop_oneof![
                Just(Grouping::Two),
                Just(Grouping::Three),
                Just(Grouping::Intersection)
            ],
        )
            .prop_map(
                |(features, labels, first, second, weights, coefficients, intercept, grouping)| {
                    Case {
                        features,
                        labels,
                        first,
                        second,
                        weights,
                        coefficients,
                        intercept,
                        grouping,
                    }
                },
            )
    })
}

fn dataset(case: &Case) -> Option<FairDataset> {
    let n = case.labels.len();
    let x = Array2::from_shape_fn((n, 3), |(i, j)| case.features[i][j]);
    let y = Array1::from_iter(case.labels.iter().map(|&l| f64::from(u8::from(l))));
    let first: Vec<String> = match case.grouping {
        Grouping::Two => case.first.iter().map(|g| format!("a{}", g % 2)).collect(),
        _ => case.first.iter().map(|g| format!("a{g}")).collect(),
    };
    let second: Vec<String> = case.second.iter().map(|g| format!("b{g}")).collect();
    // Cases whose grouping leaves an attribute with one level are not what this test is about.
    let a = SensitiveAttribute::from_values("a", &first, None).ok()?;
    let b = SensitiveAttribute::from_values("b", &second, None).ok()?;
    let mut data = FairDataset::new(x, y, vec![a, b]).ok()?;
    if let Grouping::Intersection = case.grouping {
        data = data.with_groups_from(&["a", "b"]).ok()?;
    }
    if data.groups().n_groups() < 2 {
        return None;
    }
    match &case.weights {
        Some(w) => data.with_weights(Array1::from(w.clone())).ok(),
        None => Some(data),
    }
}

fn notions() -> Vec<Notion> {
    let base = [
        Notion::demographic_parity(),
        Notion::equal_opportunity(),
        Notion::false_positive_parity(),
        Notion::equalized_odds(),
        Notion::error_rate_parity(),
    ];
    base.iter()
        .cloned()
        .chain(base.iter().cloned().map(Notion::ratio))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn every_penalty_hard_value_is_the_metric_of_its_notion(case in case()) {
        let Some(data) = dataset(&case) else { return Ok(()); };
        let model = FittedLogistic::new(Array1::from(case.coefficients.to_vec()), case.intercept)
            .expect("finite coefficients");
        let scores = model.decision_function(data.records()).expect("finite features");
        let decisions = model.predict_labels(data.records()).expect("finite features");
        let outcomes = Outcomes::classification(&case.labels, decisions.as_slice().expect("contiguous"))
            .expect("equal lengths")
            .with_optional_weights(data.weights().and_then(|w| w.to_slice()))
            .expect("valid weights");
        for notion in notions() {
            let penalty = Penalty::for_notion(&notion).expect("smooth notions");
            let metric = notion_disparity(&notion, &outcomes, data.groups());
            let mut parts = Vec::new();
            let mut undefined = false;
            for statistic in penalty.statistics() {
                let by_metric = by_group(statistic, &outcomes, data.groups()).expect("inputs present");
                match statistic.evaluate(model.loss(), &data, scores.view()) {
                    Ok(values) => {
                        for (g, hard) in values.hard.iter().enumerate() {
                            let m = by_metric.values()[g].expect("train defines it, so must eval");
                            prop_assert!((hard - m).abs() <= 1e-12, "{} of group {g}: {hard} vs {m}", statistic.name());
                        }
                        let rates: Vec<_> = values.hard.iter().map(|&v| Ok(v)).collect();
                        parts.push(notion.aggregate().apply(by_metric.overall(), &rates));
                    }
                    Err(TrainError::EmptyCell { group, .. }) => {
                        undefined = true;
                        prop_assert!(by_metric.get(&group).expect("known group").is_err(),
                            "train finds {group} empty for the {}, eval does not", statistic.name());
                    }
                    Err(other) => prop_assert!(false, "unexpected error {other}"),
                }
            }
            if undefined {
                continue;
            }
            let parts: Result<Vec<f64>, _> = parts.into_iter().map(|p| p.map(|a| a.value)).collect();
            match (parts, metric) {
                (Ok(parts), Ok(metric)) => {
                    let hard = notion.aggregate().worst(&parts);
                    prop_assert!((hard - metric.value).abs() <= 1e-12,
                        "{}: penalty's hard value {hard}, metric {}", notion.column(), metric.value);
                }
                (Err(_), Err(_)) => {}
                (p, m) => prop_assert!(false, "{}: defined in one, not the other: {p:?} vs {m:?}", notion.column()),
            }
        }
    }
}

#[test]
fn a_notion_the_optimiser_cannot_use_is_refused_by_training_and_measured_by_evaluation() {
    use fairfit_data::Groups;
    let groups = Groups::new(vec!["a".into(), "b".into()], vec![0, 0, 0, 1, 1, 1]).expect("groups");
    let outcomes = Outcomes::classification(
        &[true, false, true, true, false, false],
        &[true, true, false, true, true, false],
    )
    .expect("outcomes");
    let pp = Notion::predictive_parity();
    assert!(Penalty::for_notion(&pp).is_err());
    // PPV: a 1/2, b 1/2.
    assert_eq!(
        notion_disparity(&pp, &outcomes, &groups)
            .expect("defined")
            .value,
        0.0
    );
    let fomr = Notion::false_omission_rate_parity();
    // FOR: a 1/1 (one row decided 0, label 1), b 0/1.
    assert_eq!(
        notion_disparity(&fomr, &outcomes, &groups)
            .expect("defined")
            .value,
        1.0
    );
}
