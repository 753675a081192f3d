//! Bad input at every public entry point of issue 13's campaign is a typed error that says what
//! is wrong and where, never a panic: CSV loading, encoding, data sets, fitting, scoring,
//! thresholds, saved files of every kind, pipelines, the bootstrap.
//!
//! Each case runs under `catch_unwind`, so one panic is reported with its case's name and the
//! other cases still run; the test fails listing every case that panicked, succeeded, or failed
//! with an error of the wrong kind or without the expected words.

use std::panic::{catch_unwind, AssertUnwindSafe};

use fairfit::data::schema::{CsvOptions, RawTable};
use fairfit::data::DataError;
use fairfit::prelude::*;
use fairfit::train::pipeline::{FittedPipeline, PipelineError};
use fairfit::train::postprocess::PostprocessError;
use fairfit::train::TrainError;
use fairfit::Error;
use ndarray::{array, Array1, Array2};

const TRAIN: &str = "income,job,sex,y\n0.1,a,F,yes\n0.2,b,M,no\n0.3,a,M,yes\n0.2,b,F,no\n";

fn table(text: &str) -> fairfit::Result<RawTable> {
    Ok(RawTable::from_reader(
        text.as_bytes(),
        "input.csv",
        &CsvOptions::default(),
    )?)
}

fn schema() -> fairfit::Result<Schema> {
    Ok(Schema::builder()
        .label("y", "yes")
        .sensitive("sex")
        .numeric(&["income"])
        .categorical(&["job"])
        .build()?)
}

fn encoder() -> fairfit::Result<Encoder> {
    Ok(Encoder::fit(&schema()?, &table(TRAIN)?)?)
}

fn data() -> fairfit::Result<FairDataset> {
    Ok(encoder()?.transform(&table(TRAIN)?)?)
}

/// A pipeline with fairfit's logistic model and group thresholds on `sex`, as saved JSON.
fn saved_pipeline() -> fairfit::Result<serde_json::Value> {
    let encoder = encoder()?;
    let model = FittedLogistic::new(Array1::ones(encoder.width()), 0.0)?;
    let pipeline = FittedPipeline::new(encoder, model)?.fit_thresholds(
        &ThresholdOptimizer::params(),
        &table(TRAIN)?,
        &["sex"],
    )?;
    Ok(serde_json::from_str(&pipeline.to_json()?)?)
}

/// Loads the saved pipeline after `edit` as a logistic one.
fn load_edited(edit: impl Fn(&mut serde_json::Value)) -> fairfit::Result<()> {
    let mut saved = saved_pipeline()?;
    edit(&mut saved);
    FittedPipeline::<FittedLogistic>::from_json(&saved.to_string())?;
    Ok(())
}

/// Deserialises `T` from the JSON of `value` after `edit`.
fn load_as<T: serde::de::DeserializeOwned>(
    value: impl serde::Serialize,
    edit: impl Fn(&mut serde_json::Value),
) -> fairfit::Result<()> {
    let mut json = serde_json::to_value(value)?;
    edit(&mut json);
    serde_json::from_value::<T>(json)?;
    Ok(())
}

/// One bad input: what it is, how to run it, the error it must give.
struct Case {
    name: &'static str,
    run: fn() -> fairfit::Result<()>,
    kind: fn(&Error) -> bool,
    says: &'static str,
}

fn cases() -> Vec<Case> {
    vec![
        // --- CSV loading ---
        Case {
            name: "a short row names its line",
            run: || table("a,b\n1,2\n3\n").map(drop),
            kind: |e| matches!(e, Error::Data(DataError::Ragged { position, .. }) if position.line == 3),
            says: "input.csv, line 3: expected 2 fields, found 1",
        },
        Case {
            name: "a CR-only file names its own line",
            run: || table("a,b\r1,2\r3\r").map(drop),
            kind: |e| matches!(e, Error::Data(DataError::Ragged { position, .. }) if position.line == 3),
            says: "line 3",
        },
        Case {
            name: "invalid UTF-8",
            run: || {
                RawTable::from_reader(&b"a,b\n1,\xff\n"[..], "input.csv", &CsvOptions::default())?;
                Ok(())
            },
            kind: |e| matches!(e, Error::Data(DataError::Csv { .. })),
            says: "UTF-8",
        },
        Case {
            name: "a file that does not exist",
            run: || {
                RawTable::read("/nonexistent/fairfit.csv", &CsvOptions::default())
                    .map(drop)
                    .map_err(Into::into)
            },
            kind: |e| matches!(e, Error::Data(DataError::Io { .. })),
            says: "/nonexistent/fairfit.csv",
        },
        // --- schema and encoder ---
        Case {
            name: "a schema without a sensitive column",
            run: || {
                Schema::builder()
                    .label("y", "1")
                    .numeric(&["x"])
                    .build()
                    .map(drop)
                    .map_err(Into::into)
            },
            kind: |e| {
                matches!(
                    e,
                    Error::Data(DataError::InvalidParameter {
                        name: "sensitive",
                        ..
                    })
                )
            },
            says: "no sensitive column",
        },
        Case {
            name: "a number that is not one",
            run: || {
                Encoder::fit(
                    &schema()?,
                    &table("income,job,sex,y\n0.1,a,F,yes\nlots,b,M,no\n")?,
                )
                .map(drop)
                .map_err(Into::into)
            },
            kind: |e| matches!(e, Error::Data(DataError::Parse { position, .. }) if position.line == 3),
            says: "column `income`",
        },
        Case {
            name: "a label with three values",
            run: || {
                Encoder::fit(
                    &schema()?,
                    &table("income,job,sex,y\n1,a,F,yes\n2,b,M,no\n3,a,F,maybe\n")?,
                )
                .map(drop)
                .map_err(Into::into)
            },
            kind: |e| matches!(e, Error::Data(DataError::LabelValues { .. })),
            says: "exactly two values",
        },
        Case {
            name: "a sensitive level never seen in training",
            run: || {
                encoder()?
                    .transform(&table("income,job,sex,y\n0.1,a,X,yes\n")?)
                    .map(drop)
                    .map_err(Into::into)
            },
            kind: |e| matches!(e, Error::Data(DataError::UnknownLevel { position, .. }) if position.line == 2),
            says: "unknown level `X`",
        },
        Case {
            name: "a finite field that overflows its encoding (the fuzzer's case)",
            run: || {
                encoder()?
                    .transform_features(&table("income,job\n.7e308,a\n")?)
                    .map(drop)
                    .map_err(Into::into)
            },
            kind: |e| matches!(e, Error::Data(DataError::Overflow { position, .. }) if position.line == 2),
            says: "column `income`",
        },
        Case {
            name: "a saved encoder with sd = 0",
            run: || {
                load_as::<Encoder>(encoder()?, |v| {
                    v["features"][0]["Numeric"]["sd"] = 0.0.into()
                })
            },
            kind: |e| matches!(e, Error::Json(_)),
            says: "`income`: the standard deviation must be finite and > 0, got 0",
        },
        Case {
            name: "a saved encoder with unsorted categories",
            run: || {
                load_as::<Encoder>(encoder()?, |v| {
                    v["features"][1]["Categorical"]["categories"] = serde_json::json!(["b", "a"])
                })
            },
            kind: |e| matches!(e, Error::Json(_)),
            says: "`job`: the category list is not sorted",
        },
        Case {
            name: "a saved schema without a sensitive column",
            run: || load_as::<Schema>(schema()?, |v| v["sensitive"] = serde_json::json!([])),
            kind: |e| matches!(e, Error::Json(_)),
            says: "no sensitive column",
        },
        // --- data sets and groups ---
        Case {
            name: "a NaN feature",
            run: || {
                FairDataset::new(
                    array![[1.0], [f64::NAN]],
                    array![0.0, 1.0],
                    vec![SensitiveAttribute::from_values("s", &["a", "b"], None)?],
                )
                .map(drop)
                .map_err(Into::into)
            },
            kind: |e| matches!(e, Error::Data(DataError::NonFinite { row: 1, .. })),
            says: "row 1",
        },
        Case {
            name: "a saved data set with fewer targets than rows",
            run: || {
                load_as::<FairDataset>(data()?, |v| {
                    v["targets"] = serde_json::json!({"v": 1, "dim": [1], "data": [1.0]})
                })
            },
            kind: |e| matches!(e, Error::Json(_)),
            says: "targets has 1 entries, expected 4",
        },
        Case {
            name: "saved groups with an index out of range",
            run: || load_as::<Groups>(data()?.groups().clone(), |v| v["of_row"][0] = 7.into()),
            kind: |e| matches!(e, Error::Json(_)),
            says: "row 0 is in group 7",
        },
        Case {
            name: "a saved attribute with an out-of-range level code",
            run: || {
                load_as::<SensitiveAttribute>(data()?.attributes()[0].clone(), |v| {
                    v["codes"][1] = 5.into()
                })
            },
            kind: |e| matches!(e, Error::Json(_)),
            says: "row 1 has level 5",
        },
        // --- fitting ---
        Case {
            name: "a negative λ",
            run: || {
                FairLogisticRegression::params()
                    .penalty(Penalty::demographic_parity(), -1.0)
                    .fit(&data()?)
                    .map(drop)
                    .map_err(Into::into)
            },
            kind: |e| {
                matches!(
                    e,
                    Error::Train(TrainError::InvalidParameter { name: "lambda", .. })
                )
            },
            says: "got -1",
        },
        Case {
            name: "labels that are not 0/1",
            run: || {
                let data = data()?.with_targets(array![1.0, 0.0, 2.0, 0.0])?;
                FairLogisticRegression::params()
                    .fit(&data)
                    .map(drop)
                    .map_err(Into::into)
            },
            kind: |e| matches!(e, Error::Train(TrainError::NotBinary { row: 2, .. })),
            says: "row 2",
        },
        Case {
            name: "a fairness penalty on a single group",
            run: || {
                let data = data()?;
                let only = SensitiveAttribute::from_values("sex", &["F"; 4], None)?;
                let data = FairDataset::new(
                    data.records().to_owned(),
                    data.targets().to_owned(),
                    vec![only],
                )?;
                FairLogisticRegression::params()
                    .penalty(Penalty::demographic_parity(), 1.0)
                    .fit(&data)
                    .map(drop)
                    .map_err(Into::into)
            },
            kind: |e| matches!(e, Error::Train(TrainError::SingleGroup { .. })),
            says: "every row is in group `F`",
        },
        Case {
            name: "separable data without L2",
            run: || {
                let x = array![[-2.0], [-1.0], [1.0], [2.0]];
                let s = SensitiveAttribute::from_values("s", &["a", "b", "a", "b"], None)?;
                let data = FairDataset::new(x, array![0.0, 0.0, 1.0, 1.0], vec![s])?;
                FairLogisticRegression::params()
                    .l2(0.0)
                    .fit(&data)
                    .map(drop)
                    .map_err(Into::into)
            },
            kind: |e| matches!(e, Error::Train(TrainError::Separable { .. })),
            says: "no finite optimum",
        },
        Case {
            name: "quasi-separated data without L2",
            run: || {
                // x > 0 only for positives; at x = 0 both labels: a boundary, no overlap beyond it.
                let x = array![[0.0], [0.0], [0.0], [0.0], [1.0], [2.0]];
                let s =
                    SensitiveAttribute::from_values("s", &["a", "b", "a", "b", "a", "b"], None)?;
                let y = array![0.0, 1.0, 1.0, 0.0, 1.0, 1.0];
                let data = FairDataset::new(x, y, vec![s])?;
                FairLogisticRegression::params()
                    .l2(0.0)
                    .fit(&data)
                    .map(drop)
                    .map_err(Into::into)
            },
            kind: |e| matches!(e, Error::Train(TrainError::QuasiSeparable { rows: 2, .. })),
            says: "2 training rows are quasi-completely separated",
        },
        // --- models and scoring ---
        Case {
            name: "a model of zero features",
            run: || {
                FittedLogistic::new(Array1::zeros(0), 0.0)
                    .map(drop)
                    .map_err(Into::into)
            },
            kind: |e| {
                matches!(
                    e,
                    Error::Train(TrainError::InvalidParameter {
                        name: "coefficients",
                        ..
                    })
                )
            },
            says: "at least one feature",
        },
        Case {
            name: "records of the wrong width",
            run: || {
                FittedLogistic::new(array![1.0, 2.0], 0.0)?
                    .predict_proba(Array2::zeros((2, 3)).view())
                    .map(drop)
                    .map_err(Into::into)
            },
            kind: |e| {
                matches!(
                    e,
                    Error::Train(TrainError::LengthMismatch {
                        expected: 2,
                        found: 3,
                        ..
                    })
                )
            },
            says: "feature columns",
        },
        Case {
            name: "a NaN in the records scored",
            run: || {
                FittedLogistic::new(array![1.0, 2.0], 0.0)?
                    .predict_proba(array![[0.0, 1.0], [f64::NAN, 0.0]].view())
                    .map(drop)
                    .map_err(Into::into)
            },
            kind: |e| {
                matches!(
                    e,
                    Error::Train(TrainError::NonFinite {
                        row: 1,
                        column: 0,
                        ..
                    })
                )
            },
            says: "row 1, column 0",
        },
        Case {
            name: "a saved linear model read as logistic",
            run: || {
                let json = serde_json::to_string(&FittedLinear::new(array![1.0], 0.0)?)?;
                serde_json::from_str::<FittedLogistic>(&json)?;
                Ok(())
            },
            kind: |e| matches!(e, Error::Json(_)),
            says: "a logistic model cannot be read from a `linear` one",
        },
        // --- thresholds ---
        Case {
            name: "a NaN score given to the thresholds",
            run: || {
                let data = data()?;
                ThresholdOptimizer::params()
                    .fit(
                        array![0.1, f64::NAN, 0.3, 0.4].view(),
                        &data.labels()?,
                        data.groups(),
                        None,
                    )
                    .map(drop)
                    .map_err(Into::into)
            },
            kind: |e| {
                matches!(
                    e,
                    Error::Postprocess(PostprocessError::NonFinite { row: 1, .. })
                )
            },
            says: "scores at row 1",
        },
        // --- pipelines ---
        Case {
            name: "a pipeline of another format version",
            run: || load_edited(|v| v["format_version"] = 99.into()),
            kind: |e| {
                matches!(
                    e,
                    Error::Pipeline(PipelineError::FormatVersion {
                        found: Some(99),
                        ..
                    })
                )
            },
            says: "format version 99",
        },
        Case {
            name: "a linear pipeline loaded as logistic",
            run: || load_edited(|v| v["model_kind"] = "linear".into()),
            kind: |e| matches!(e, Error::Pipeline(PipelineError::ModelKind { .. })),
            says: "holds a `linear` model",
        },
        Case {
            name: "a pipeline with sd = 0",
            run: || load_edited(|v| v["encoder"]["features"][0]["Numeric"]["sd"] = 0.0.into()),
            kind: |e| matches!(e, Error::Pipeline(PipelineError::Json(_))),
            says: "standard deviation must be finite and > 0",
        },
        Case {
            name: "a pipeline with fewer threshold rules than groups",
            run: || {
                load_edited(|v| {
                    v["decision"]["Groups"]["thresholds"]["rules"]
                        .as_array_mut()
                        .map(Vec::pop);
                })
            },
            kind: |e| matches!(e, Error::Pipeline(PipelineError::Json(_))),
            says: "rules (one per group) has 1 entries, expected 2",
        },
        Case {
            name: "a pipeline with a threshold probability of −5",
            run: || {
                load_edited(|v| {
                    v["decision"]["Groups"]["thresholds"]["rules"][0]["components"][0]
                        ["probability"] = (-5.0).into()
                })
            },
            kind: |e| matches!(e, Error::Pipeline(PipelineError::Json(_))),
            says: "probability -5",
        },
        Case {
            name: "a pipeline whose model has no features",
            run: || {
                load_edited(|v| {
                    v["model"]["coefficients"] = serde_json::json!({"v": 1, "dim": [0], "data": []})
                })
            },
            kind: |e| matches!(e, Error::Pipeline(PipelineError::Json(_))),
            says: "at least one feature",
        },
        Case {
            name: "a pipeline with an unknown field",
            run: || load_edited(|v| v["encoder"]["schema"]["colour"] = "red".into()),
            kind: |e| matches!(e, Error::Pipeline(PipelineError::Json(_))),
            says: "unknown field `colour`",
        },
        Case {
            name: "a pipeline file that does not exist",
            run: || {
                FittedPipeline::<FittedLogistic>::load("/nonexistent/pipeline.json")
                    .map(drop)
                    .map_err(Into::into)
            },
            kind: |e| matches!(e, Error::Pipeline(PipelineError::Io { .. })),
            says: "/nonexistent/pipeline.json",
        },
        Case {
            name: "a pipeline scoring a cell that overflows",
            run: || {
                let pipeline =
                    FittedPipeline::<FittedLogistic>::from_json(&saved_pipeline()?.to_string())?;
                pipeline
                    .score(&table("age,income,,,job\n0,.7e308,,,a\n")?)
                    .map(drop)
                    .map_err(Into::into)
            },
            kind: |e| {
                matches!(
                    e,
                    Error::Pipeline(PipelineError::Data(DataError::Overflow { .. }))
                )
            },
            says: "line 2, column `income`",
        },
        Case {
            name: "a pipeline deciding for a group it has no rule for",
            run: || {
                let pipeline =
                    FittedPipeline::<FittedLogistic>::from_json(&saved_pipeline()?.to_string())?;
                pipeline
                    .decision_probability(&table("income,job,sex\n0.1,a,U\n")?)
                    .map(drop)
                    .map_err(Into::into)
            },
            kind: |e| {
                matches!(
                    e,
                    Error::Pipeline(PipelineError::Postprocess(PostprocessError::UnknownGroup {
                        row: 0,
                        ..
                    }))
                )
            },
            says: "group `U`",
        },
        // --- evaluation ---
        Case {
            name: "a bootstrap of usize::MAX resamples",
            run: || {
                BootstrapParams::default()
                    .resamples(usize::MAX)
                    .check()
                    .map(drop)
                    .map_err(Into::into)
            },
            kind: |e| matches!(e, Error::Eval(_)),
            says: "resamples",
        },
        Case {
            name: "outcomes of different lengths",
            run: || {
                Outcomes::classification(&[true, false], &[true])
                    .map(drop)
                    .map_err(Into::into)
            },
            kind: |e| matches!(e, Error::Eval(_)),
            says: "has 1 entries, expected 2",
        },
    ]
}

#[test]
fn every_bad_input_is_a_typed_error_that_says_what_and_where() {
    let mut wrong = Vec::new();
    let cases = cases();
    for case in &cases {
        match catch_unwind(AssertUnwindSafe(case.run)) {
            Err(_) => wrong.push(format!("{}: panicked", case.name)),
            Ok(Ok(())) => wrong.push(format!("{}: was accepted", case.name)),
            Ok(Err(err)) => {
                let message = err.to_string();
                if !(case.kind)(&err) || !message.contains(case.says) {
                    wrong.push(format!(
                        "{}: {err:?} ({message}) is not the expected error saying `{}`",
                        case.name, case.says
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} cases:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}
