//! What the fuzzers run on one input: the CSV loader and encoder, fitting, a fixed pipeline's
//! scoring, and the pipeline loader. Shared by the cargo-fuzz targets (`fuzz/`, nightly) and the
//! seeded mutation test (`tests/fuzz_mutations.rs`, stable, in CI).
//!
//! Each function takes arbitrary bytes and must return without panicking: bad input is a typed
//! error, which is ignored here. What is returned is also checked: probabilities and decision
//! probabilities in [0, 1], finite scores, one output per row; a violation panics, so that a
//! quietly wrong answer is found like a crash.

#![allow(dead_code)] // each fuzz target uses one of the functions

use std::sync::OnceLock;

use fairfit::data::schema::{CsvOptions, Encoder, MissingPolicy, RawTable, Schema};
use fairfit::train::pipeline::FittedPipeline;
use fairfit::train::postprocess::ThresholdOptimizer;
use fairfit::train::{FairLogisticRegression, FittedLogistic, Penalty};

/// The training file of the fixed pipeline, and the seed of the CSV corpus.
pub const TRAIN: &str = "age,income,sex,job,y
23,12.5,F,a,no
35,40.1,F,b,yes
47,55.0,F,c,yes
52,18.2,F,a,no
31,0.3,F,b,no
44,61.9,F,c,yes
29,22.4,M,a,no
38,47.5,M,b,yes
61,80.3,M,c,yes
27,0.2,M,a,no
49,33.3,M,b,yes
33,0.5,M,c,no
";

/// The schema every harness encodes with (missing values are imputed, so rows survive).
pub fn schema() -> Schema {
    Schema::builder()
        .label("y", "yes")
        .sensitive("sex")
        .numeric(&["age", "income"])
        .categorical(&["job"])
        .missing("?", MissingPolicy::Impute)
        .build()
        .expect("a valid schema")
}

/// A pipeline fitted once on [`TRAIN`], with demographic-parity thresholds on `sex`.
pub fn pipeline() -> &'static FittedPipeline<FittedLogistic> {
    static PIPELINE: OnceLock<FittedPipeline<FittedLogistic>> = OnceLock::new();
    PIPELINE.get_or_init(|| {
        let train = table(TRAIN.as_bytes()).expect("the training file reads");
        let encoder = Encoder::fit(&schema(), &train).expect("the encoder fits");
        let data = encoder
            .transform(&train)
            .expect("the training file encodes");
        let model = FairLogisticRegression::params()
            .l2(1e-2)
            .fit(&data)
            .expect("the model fits");
        FittedPipeline::new(encoder, model)
            .and_then(|p| p.fit_thresholds(&ThresholdOptimizer::params(), &train, &["sex"]))
            .expect("the pipeline assembles")
    })
}

/// The fixed pipeline as saved: the seed of the pipeline-loader corpus.
pub fn saved_pipeline() -> String {
    pipeline().to_json().expect("the pipeline saves")
}

fn table(bytes: &[u8]) -> fairfit::Result<RawTable> {
    Ok(RawTable::from_reader(
        bytes,
        "fuzz.csv",
        &CsvOptions::default(),
    )?)
}

/// Reads the bytes as CSV, fits the schema's encoder on them and encodes them.
pub fn csv_loader(bytes: &[u8]) {
    let Ok(raw) = table(bytes) else { return };
    for row in raw.rows() {
        assert_eq!(
            row.fields().len(),
            raw.columns().len(),
            "a ragged row was kept"
        );
    }
    if let Ok((encoder, data)) = Encoder::fit_transform(&schema(), &raw) {
        assert_eq!(data.nfeatures(), encoder.width());
        assert!(data.records().iter().all(|v| v.is_finite()));
    }
}

/// Reads the bytes as CSV and fits a penalised model and thresholds on them.
pub fn fit(bytes: &[u8]) {
    let Ok(raw) = table(bytes) else { return };
    let Ok((_, data)) = Encoder::fit_transform(&schema(), &raw) else {
        return;
    };
    let fitted = FairLogisticRegression::params()
        .l2(1e-2)
        .max_iterations(50)
        .penalty(Penalty::demographic_parity(), 1.0)
        .fit(&data);
    let Ok(model) = fitted else { return };
    let p = model
        .predict_proba(data.records())
        .expect("a fitted model scores its own training rows");
    assert!(p.iter().all(|p| (0.0..=1.0).contains(p)), "{p}");
    if let Ok(labels) = data.labels() {
        let scores = model
            .decision_function(data.records())
            .expect("finite training rows");
        if let Ok(thresholds) =
            ThresholdOptimizer::params().fit(scores.view(), &labels, data.groups(), None)
        {
            let q = thresholds
                .decision_probability(scores.view(), data.groups())
                .expect("the groups the thresholds were fitted on");
            assert!(q.iter().all(|q| (0.0..=1.0).contains(q)), "{q}");
        }
    }
}

/// Scores the bytes, read as CSV, with the fixed pipeline.
pub fn pipeline_score(bytes: &[u8]) {
    let Ok(raw) = table(bytes) else { return };
    check_scoring(pipeline(), &raw);
}

/// Loads the bytes as a saved pipeline and scores the training file with it.
pub fn pipeline_load(bytes: &[u8]) {
    let Ok(json) = std::str::from_utf8(bytes) else {
        return;
    };
    let Ok(loaded) = FittedPipeline::<FittedLogistic>::from_json(json) else {
        return;
    };
    let train = table(TRAIN.as_bytes()).expect("the training file reads");
    check_scoring(&loaded, &train);
}

fn check_scoring(pipeline: &FittedPipeline<FittedLogistic>, raw: &RawTable) {
    if let Ok(scores) = pipeline.score(raw) {
        assert_eq!(scores.len(), raw.len());
        assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)), "{scores}");
    }
    if let Ok(p) = pipeline.decision_probability(raw) {
        assert_eq!(p.len(), raw.len());
        assert!(p.iter().all(|p| (0.0..=1.0).contains(p)), "{p}");
    }
}
