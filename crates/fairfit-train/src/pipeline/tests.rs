//! Tests of the pipeline: save and load round trips, single thresholds, typed errors, Adult end to end.
//! Compiled only under `#[cfg(test)]` (see the parent module).

use super::*;
use crate::model::FittedLogistic;
use crate::postprocess::{Constraint, PostprocessError, ThresholdOptimizer};
use crate::FairLogisticRegression;
use fairfit_data::schema::{CsvOptions, Schema};
use fairfit_data::{reference, DataError, Scorer};
use ndarray::ArrayView2;
use rand::rngs::StdRng;
use rand::SeedableRng;
use serde::Serialize;

/// A logistic scorer with fixed weights, standing in for any serialisable model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Sigmoid {
    w: Vec<f64>,
    b: f64,
}

impl Scorer for Sigmoid {
    fn score(&self, x: ArrayView2<'_, f64>) -> Array1<f64> {
        x.rows()
            .into_iter()
            .map(|r| {
                let z: f64 = r.iter().zip(&self.w).map(|(a, b)| a * b).sum::<f64>() + self.b;
                1.0 / (1.0 + (-z).exp())
            })
            .collect()
    }
}

impl PipelineModel for Sigmoid {
    const KIND: &'static str = "sigmoid";

    fn n_features(&self) -> usize {
        self.w.len()
    }
}

const TRAIN: &str = "age,job,sex,race,y
23,a,F,X,no
35,b,F,X,yes
47,c,F,Y,yes
52,a,F,Y,no
31,b,F,X,no
44,c,F,Y,yes
29,a,M,X,no
38,b,M,X,yes
61,c,M,Y,yes
27,a,M,Y,no
49,b,M,X,yes
33,c,M,Y,no
58,a,M,X,yes
41,b,F,Y,yes
36,c,M,X,no
26,a,F,X,no
";

fn table(text: &str) -> RawTable {
    RawTable::from_reader(text.as_bytes(), "test.csv", &CsvOptions::default()).unwrap()
}

fn pipeline() -> FittedPipeline<Sigmoid> {
    let schema = Schema::builder()
        .label("y", "yes")
        .sensitive("sex")
        .sensitive("race")
        .numeric(&["age"])
        .categorical(&["job"])
        .build()
        .unwrap();
    let encoder = Encoder::fit(&schema, &table(TRAIN)).unwrap();
    assert_eq!(encoder.width(), 4);
    let model = Sigmoid {
        w: vec![1.3, -0.4, 0.2, 0.5],
        b: -0.1,
    };
    FittedPipeline::new(encoder, model).unwrap()
}

#[test]
fn loaded_pipeline_scores_and_decides_identically() {
    let train = table(TRAIN);
    for (constraint, columns) in [
        (Constraint::EqualizedOdds, vec!["sex"]),
        (Constraint::DemographicParity, vec!["sex", "race"]),
    ] {
        let fitted = pipeline()
            .fit_thresholds(
                &ThresholdOptimizer::params().constraint(constraint),
                &train,
                &columns,
            )
            .unwrap();
        let Decision::Groups { thresholds, .. } = fitted.decision() else {
            panic!("thresholds were fitted");
        };
        assert_eq!(thresholds.group_names().len(), 2 * columns.len());
        let path = std::env::temp_dir().join(format!(
            "fairfit-pipeline-{}-{constraint:?}.json",
            std::process::id()
        ));
        fitted.save(&path).unwrap();
        let loaded = FittedPipeline::<Sigmoid>::load(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(loaded, fitted);
        // New records, without a label column, in another column order.
        let new = table("race,job,age,sex\nY,b,40,F\nX,c,30,M\nX,a,55,F\nY,a,22,M\n");
        let scores = fitted.score(&new).unwrap();
        assert_eq!(loaded.score(&new).unwrap(), scores);
        // The score is the model applied to the standardised, one-hot encoded record.
        let x = fitted.encoder().transform_features(&new).unwrap();
        assert_eq!(scores, fitted.model().score(x.view()));
        let p = fitted.decision_probability(&new).unwrap();
        assert_eq!(loaded.decision_probability(&new).unwrap(), p);
        assert!(p.iter().all(|p| (0.0..=1.0).contains(p)));
        let mut a = StdRng::seed_from_u64(3);
        let mut b = StdRng::seed_from_u64(3);
        assert_eq!(
            fitted.predict(&new, &mut a).unwrap(),
            loaded.predict(&new, &mut b).unwrap()
        );
        // On the training records, the constraint holds in expectation.
        let p = loaded.decision_probability(&train).unwrap();
        let groups = loaded.groups(&train).unwrap().unwrap();
        let labels: Vec<bool> = train.rows().iter().map(|r| r.field(4) == "yes").collect();
        let mut rates = vec![[0.0; 4]; groups.n_groups()];
        for (i, &g) in groups.of_row().iter().enumerate() {
            let k = if labels[i] { 0 } else { 2 };
            rates[g][k] += p[i];
            rates[g][k + 1] += 1.0;
        }
        for r in &rates[1..] {
            match constraint {
                Constraint::DemographicParity => {
                    let sel = |r: &[f64; 4]| (r[0] + r[2]) / (r[1] + r[3]);
                    assert!((sel(r) - sel(&rates[0])).abs() < 1e-9, "{rates:?}");
                }
                _ => {
                    assert!((r[0] / r[1] - rates[0][0] / rates[0][1]).abs() < 1e-9);
                    assert!((r[2] / r[3] - rates[0][2] / rates[0][3]).abs() < 1e-9);
                }
            }
        }
    }
}

#[test]
fn a_single_threshold_needs_no_sensitive_columns() {
    let p = pipeline().with_decision(Decision::Threshold(0.5)).unwrap();
    // 39.375 is the training mean age (standardised to 0); features [age, job=a, job=b,
    // job=c], so z = −0.4 − 0.1 for job a and 0.5 − 0.1 for job c.
    let new = table("age,job\n39.375,a\n39.375,c\n");
    let scores = p.score(&new).unwrap();
    let expected = [1.0 / (1.0 + 0.5f64.exp()), 1.0 / (1.0 + (-0.4f64).exp())];
    for (s, e) in scores.iter().zip(expected) {
        assert!((s - e).abs() < 1e-12, "{s} vs {e}");
    }
    assert_eq!(p.decision_probability(&new).unwrap().to_vec(), [0.0, 1.0]);
    assert!(p.groups(&new).unwrap().is_none());
}

#[test]
fn typed_errors_when_parts_do_not_fit() {
    let base = pipeline();
    let narrow = Sigmoid {
        w: vec![1.0, 2.0],
        b: 0.0,
    };
    let err = FittedPipeline::new(base.encoder().clone(), narrow).unwrap_err();
    assert!(matches!(
        err,
        PipelineError::FeatureMismatch {
            encoder: 4,
            model: 2
        }
    ));
    let err = pipeline()
        .fit_thresholds(&ThresholdOptimizer::params(), &table(TRAIN), &["job"])
        .unwrap_err();
    assert!(matches!(err, PipelineError::NotSensitive { ref column, .. } if column == "job"));
    let err = pipeline()
        .with_decision(Decision::Threshold(f64::NAN))
        .unwrap_err();
    assert!(matches!(err, PipelineError::InvalidParameter { .. }));

    // A saved file whose model was edited to the wrong width is rejected on loading.
    let json = base.to_json().unwrap().replace("-0.4,", "");
    let err = FittedPipeline::<Sigmoid>::from_json(&json).unwrap_err();
    assert!(
        matches!(err, PipelineError::FeatureMismatch { model: 3, .. }),
        "{err}"
    );

    let fitted = pipeline()
        .fit_thresholds(&ThresholdOptimizer::params(), &table(TRAIN), &["sex"])
        .unwrap();
    let err = fitted
        .decision_probability(&table("age,job,sex\n30,a,U\n"))
        .unwrap_err();
    assert!(
        matches!(err, PipelineError::Postprocess(PostprocessError::UnknownGroup { ref group, .. }) if group == "U"),
        "{err}"
    );
    let err = fitted
        .decision_probability(&table("age,job\n30,a\n"))
        .unwrap_err();
    assert!(
        matches!(err, PipelineError::Data(DataError::UnknownColumn { .. })),
        "{err}"
    );
    let err = fitted.score(&table("age,job\nold,a\n")).unwrap_err();
    assert!(matches!(err, PipelineError::Data(_)), "{err}");
}

/// Issue 13: a saved pipeline records its format version and model kind, and every part is
/// checked on load (an sd of 0 panicked in the model, fewer rules than groups panicked when
/// deciding, a linear pipeline loaded as a logistic one).
#[test]
fn saved_pipelines_are_checked_on_load() {
    let fitted = pipeline()
        .fit_thresholds(&ThresholdOptimizer::params(), &table(TRAIN), &["sex"])
        .unwrap();
    let saved: serde_json::Value = serde_json::from_str(&fitted.to_json().unwrap()).unwrap();
    assert_eq!(saved["format_version"], FORMAT_VERSION);
    assert_eq!(saved["model_kind"], "sigmoid");
    let load = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut v = saved.clone();
        edit(&mut v);
        FittedPipeline::<Sigmoid>::from_json(&v.to_string()).unwrap_err()
    };
    let err = load(&|v| v["format_version"] = 2.into());
    assert!(
        matches!(
            err,
            PipelineError::FormatVersion {
                found: Some(2),
                supported: 1
            }
        ),
        "{err}"
    );
    let err = load(&|v| {
        v.as_object_mut().unwrap().remove("format_version");
    });
    assert!(
        matches!(err, PipelineError::FormatVersion { found: None, .. }),
        "{err}"
    );
    let err = load(&|v| v["model_kind"] = "linear".into());
    assert!(
        matches!(&err, PipelineError::ModelKind { expected: "sigmoid", found: Some(k) } if k == "linear"),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "the pipeline holds a `linear` model, not a `sigmoid` one"
    );
    let err = load(&|v| v["encoder"]["features"][0]["Numeric"]["sd"] = 0.0.into());
    assert!(
        err.to_string()
            .contains("standard deviation must be finite and > 0, got 0"),
        "{err}"
    );
    let err = load(&|v| v["encoder"]["features"][1]["Categorical"]["categories"][0] = "z".into());
    assert!(err.to_string().contains("not sorted"), "{err}");
    let err = load(&|v| {
        v["decision"]["Groups"]["thresholds"]["rules"]
            .as_array_mut()
            .unwrap()
            .pop();
    });
    assert!(
        err.to_string()
            .contains("rules (one per group) has 1 entries, expected 2"),
        "{err}"
    );
    let err = load(&|v| {
        v["decision"]["Groups"]["thresholds"]["rules"][0]["components"][0]["probability"] =
            (-5.0).into()
    });
    assert!(err.to_string().contains("probability -5"), "{err}");
    let err = load(&|v| v["decision"]["Groups"]["columns"][0] = "job".into());
    assert!(matches!(err, PipelineError::NotSensitive { .. }), "{err}");
    let err = load(&|v| v["comment"] = "hand-edited".into());
    assert!(err.to_string().contains("unknown field `comment`"), "{err}");

    // fairfit's own models: a linear pipeline is refused as a logistic one.
    let encoder = pipeline().encoder().clone();
    let width = encoder.width();
    let linear = FittedPipeline::new(
        encoder,
        crate::FittedLinear::new(Array1::ones(width), 0.0).unwrap(),
    )
    .unwrap()
    .to_json()
    .unwrap();
    let err = FittedPipeline::<FittedLogistic>::from_json(&linear).unwrap_err();
    assert!(
        matches!(&err, PipelineError::ModelKind { expected: "logistic", found: Some(k) } if k == "linear"),
        "{err}"
    );
    assert!(FittedPipeline::<crate::FittedLinear>::from_json(&linear).is_ok());
}

/// Issue 13's fuzzer case: a finite field near `f64::MAX` in a column whose training standard
/// deviation is below 1 overflows standardisation; scoring it through fairfit's own model used
/// to panic. It is a typed error naming the line and the column.
#[test]
fn a_finite_field_that_overflows_its_encoding_is_a_typed_error_not_a_panic() {
    let train = "income,job,sex,y\n0.1,a,F,yes\n0.2,b,M,no\n0.3,a,M,yes\n0.2,b,F,no\n";
    let schema = Schema::builder()
        .label("y", "yes")
        .sensitive("sex")
        .numeric(&["income"])
        .categorical(&["job"])
        .build()
        .unwrap();
    let encoder = Encoder::fit(&schema, &table(train)).unwrap();
    let model = FittedLogistic::new(ndarray::Array1::ones(encoder.width()), 0.0).unwrap();
    let pipeline = FittedPipeline::new(encoder, model).unwrap();
    let err = pipeline
        .score(&table("income,job\n0.2,a\n.7e308,a\n"))
        .unwrap_err();
    assert!(
        matches!(&err, PipelineError::Data(DataError::Overflow { position, encoded, .. })
            if position.line == 3 && position.column.as_deref() == Some("income") && encoded.is_infinite()),
        "{err}"
    );
    assert!(pipeline.score(&table("income,job\n0.2,a\n")).is_ok());
}

/// Adult end to end: the protocol's encoder, fairfit's logistic regression and equalized-odds
/// thresholds on `sex`, saved and loaded; the loaded pipeline scores the raw test records
/// exactly as the original and as the model on the encoded records.
#[test]
fn adult_pipeline_round_trip() {
    let raw = reference::adult_raw(reference::datasets_dir()).unwrap();
    let complete = |t: &RawTable| t.clone().filter(|r| !r.fields().iter().any(|f| f == "?"));
    let (train, test) = (complete(&raw.train), complete(&raw.test));
    assert_eq!((train.len(), test.len()), (30_162, 15_060));
    let encoder = Encoder::fit(&raw.schema, &train).unwrap();
    let data = encoder.transform(&train).unwrap();
    let model = FairLogisticRegression::params().fit(&data).unwrap();
    let pipeline = FittedPipeline::new(encoder, model)
        .unwrap()
        .fit_thresholds(
            &ThresholdOptimizer::params().constraint(Constraint::EqualizedOdds),
            &train,
            &["sex"],
        )
        .unwrap();
    let loaded = FittedPipeline::<FittedLogistic>::from_json(&pipeline.to_json().unwrap()).unwrap();
    assert_eq!(loaded, pipeline);

    let scores = loaded.score(&test).unwrap();
    assert_eq!(scores, pipeline.score(&test).unwrap());
    let encoded = pipeline.encoder().transform(&test).unwrap();
    assert_eq!(
        scores,
        pipeline.model().predict_proba(encoded.records()).unwrap()
    );
    let p = loaded.decision_probability(&test).unwrap();
    assert_eq!(p, pipeline.decision_probability(&test).unwrap());

    // On the training records the two groups' expected TPR and FPR agree.
    let p = loaded.decision_probability(&train).unwrap();
    let groups = loaded.groups(&train).unwrap().unwrap();
    let labels = data.labels().unwrap();
    let mut sums = [[0.0; 4]; 2];
    for (i, &g) in groups.of_row().iter().enumerate() {
        let k = if labels[i] { 0 } else { 2 };
        sums[g][k] += p[i];
        sums[g][k + 1] += 1.0;
    }
    let rates: Vec<(f64, f64)> = sums.iter().map(|s| (s[0] / s[1], s[2] / s[3])).collect();
    assert!((rates[0].0 - rates[1].0).abs() < 1e-9, "{rates:?}");
    assert!((rates[0].1 - rates[1].1).abs() < 1e-9, "{rates:?}");
}
