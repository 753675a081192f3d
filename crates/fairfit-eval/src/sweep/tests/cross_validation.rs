//! Cross-validation of a sweep: pooled out-of-fold decisions and fold means.
//! Compiled only under `#[cfg(test)]` (see the parent module).

use fairfit_train::postprocess::Constraint;
use fairfit_train::FairLogisticRegression;
use ndarray::Array1;

use super::*;

/// The unmitigated model fitted by hand on each fold's other rows: its pooled out-of-fold
/// decisions must give exactly the cross-validated metrics.
#[test]
fn cross_validation_pools_out_of_fold_decisions() {
    let splits = biased();
    let data = &splits.train;
    let folds = split::KFold::new(4, 3).unwrap();
    let lambdas = vec![1.0, 10.0];
    let cv = quiet(vec![
        Box::new(Unmitigated::new()),
        Box::new(Penalised::demographic_parity(lambdas.clone())),
        Box::new(Thresholded::new(Constraint::DemographicParity, vec![0.0])),
    ])
    .resamples(50)
    .seed(2)
    .cross_validate(data, &folds)
    .unwrap();
    assert!(cv.failures.is_empty(), "{:?}", cv.failures);
    assert_eq!(cv.folds, 4);
    let labels: Vec<String> = cv.curve.points().iter().map(|p| p.param_label()).collect();
    assert_eq!(labels, ["", "lambda=1", "lambda=10", "tolerance=0"]);

    let held_out = folds.folds(&split::strata(data).unwrap()).unwrap();
    let mut decided = Array1::from_elem(data.nrows(), f64::NAN);
    let mut fold_sums = vec![0.0; METRICS.len()];
    for rows in &held_out {
        let fitting: Vec<usize> = (0..data.nrows()).filter(|r| !rows.contains(r)).collect();
        let model = FairLogisticRegression::params()
            .fit(&data.select(&fitting).unwrap())
            .unwrap();
        let fold = data.select(rows).unwrap();
        let p = model.predict_proba(fold.records()).unwrap();
        for (&r, &p) in rows.iter().zip(&p) {
            decided[r] = if p >= 0.5 { 1.0 } else { 0.0 };
        }
        for (sum, (_, value)) in fold_sums
            .iter_mut()
            .zip(classification_metrics(p.view(), &fold).unwrap())
        {
            *sum += value;
        }
    }
    // The fold mean: each fold's own metrics (ROC AUC included), averaged.
    let mean = cv.fold_mean.points()[0].metrics(Split::Validation);
    assert_eq!(mean.len(), METRICS.len());
    for ((m, name), sum) in mean.iter().zip(METRICS).zip(&fold_sums) {
        assert_eq!(m.name, name);
        assert!((m.estimate.value - sum / 4.0).abs() < 1e-12, "{name}");
        assert!(m.estimate.interval.is_none());
    }
    assert_eq!(cv.points(Pooling::FoldMean).len(), 4);
    let want = decision_metrics(decided.view(), decided.view(), data).unwrap();
    let got = cv.curve.points()[0].metrics(Split::Validation);
    let names_got: Vec<&str> = got.iter().map(|m| m.name.as_str()).collect();
    let names_want: Vec<&str> = METRICS
        .into_iter()
        .filter(|m| *m != names::ROC_AUC)
        .collect();
    assert_eq!(names_got, names_want);
    for m in got {
        let (_, value) = want.iter().find(|(n, _)| *n == m.name).unwrap();
        assert!(
            (m.estimate.value - value).abs() < 1e-12,
            "{}: {} vs {value}",
            m.name,
            m.estimate.value
        );
        let interval = m.estimate.interval.expect("resamples were asked for");
        assert!(
            interval.lower <= *value && *value <= interval.upper,
            "{}",
            m.name
        );
    }
    // Out of fold, the penalty and the thresholds still close most of the gap.
    let dp = |i: usize| {
        cv.curve
            .estimate(i, Split::Validation, names::DP_DIFFERENCE)
            .unwrap()
            .value
    };
    assert!(dp(0) > 0.15, "{}", dp(0));
    assert!(
        dp(2) < 0.5 * dp(0) && dp(3) < 0.5 * dp(0),
        "{} {}",
        dp(2),
        dp(3)
    );
}

#[test]
fn cross_validation_rejects_too_few_rows_and_invalid_settings() {
    let splits = biased();
    let tiny = splits.train.select(&[0, 1]).unwrap();
    let err = quiet(vec![Box::new(Unmitigated::new())])
        .cross_validate(&tiny, &split::KFold::new(3, 0).unwrap())
        .unwrap_err();
    assert!(matches!(err, EvalError::Data(_)), "{err}");
    let err = quiet(vec![Box::new(Unmitigated::new())])
        .interval_level(1.0)
        .cross_validate(&splits.train, &split::KFold::new(3, 0).unwrap())
        .unwrap_err();
    assert!(
        matches!(
            err,
            EvalError::InvalidMethodParameter {
                name: "interval_level",
                ..
            }
        ),
        "{err}"
    );
}
