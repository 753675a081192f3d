//! The Rust side of the Python package's cross-checks: fairfit's Rust API fitted on fixed data,
//! its numbers written to `tests/fixtures/` for pytest to compare the Python package against
//! (to 1e-10), and the pipeline document saved by the Python package loaded and scored here.
//!
//! `FAIRFIT_WRITE_FIXTURES=1 cargo test -p fairfit-py --test cross_check` rewrites the Rust
//! fixtures; without it the test recomputes every number and fails when a committed fixture
//! no longer matches what fairfit computes, so the Python tests never compare against stale
//! figures.

use std::error::Error;
use std::path::{Path, PathBuf};

use fairfit_data::mitigation::{
    CorrelationRemover, DisparateImpactRemover, Preprocessor, Reweighing,
};
use fairfit_data::schema::{CsvOptions, Encoder, RawTable, Schema};
use fairfit_data::synthetic::BiasedParams;
use fairfit_data::FairDataset;
use fairfit_eval::bootstrap::BootstrapParams;
use fairfit_eval::guarantee::{HighConfidence, PenaltyCandidates};
use fairfit_eval::metrics::{Measure, Metric, Outcomes};
use fairfit_train::postprocess::{Constraint, Randomization, ThresholdOptimizer};
use fairfit_train::reductions::{ExponentiatedGradient, GridSearch};
use fairfit_train::{
    FairLinearRegression, FairLogisticRegression, FittedLinear, FittedLogistic, FittedPipeline,
    Logistic, Notion, ParamGuard, Penalty, PipelineModel, Target, TargetedFit,
};
use linfa::traits::{Fit, Transformer};
use ndarray::Array1;
use serde_json::{json, Value};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn writing() -> bool {
    std::env::var("FAIRFIT_WRITE_FIXTURES").is_ok_and(|v| v == "1")
}

/// 300 rows, 3 features, groups `a` / `b` with label bias, plus a real-valued target and
/// weights for the regression and weighted cases.
fn data() -> Result<(FairDataset, Array1<f64>, Array1<f64>)> {
    let data = BiasedParams::new(300, 3)
        .groups(&[("a", 0.6), ("b", 0.4)])
        .label_bias("b", 0.5)
        .seed(11)
        .generate()?
        .data;
    let x = data.records();
    let g = data.groups().of_row();
    let y_real = Array1::from_shape_fn(data.nrows(), |i| {
        1.5 * x[[i, 0]] - 0.5 * x[[i, 1]] + 0.8 * g[i] as f64 + 0.3 * (i as f64).sin()
    });
    let weights = Array1::from_shape_fn(data.nrows(), |i| 0.5 + 0.5 * (i % 3) as f64);
    Ok((data, y_real, weights))
}

fn vec(a: ndarray::ArrayView1<'_, f64>) -> Value {
    json!(a.to_vec())
}

/// Every estimator's numbers on the fixture data, as the Python tests read them.
fn estimators() -> Result<Value> {
    let (data, y_real, weights) = data()?;
    let x = data.records();
    let model = |m: &FittedLogistic| -> Result<Value> {
        Ok(json!({
            "coef": vec(m.coefficients()),
            "intercept": m.intercept(),
            "decision": vec(m.decision_function(x)?.view()),
            "proba": vec(m.predict_proba(x)?.view()),
        }))
    };
    let plain = FairLogisticRegression::params().fit(&data)?;
    let dp = FairLogisticRegression::params()
        .penalty(Penalty::demographic_parity(), 1.0)
        .fit(&data)?;
    let eo = FairLogisticRegression::params()
        .l2(1e-3)
        .penalty(Penalty::equalized_odds(), 2.0)
        .fit(&data)?;
    let weighted = FairLogisticRegression::params()
        .penalty(Penalty::demographic_parity(), 0.5)
        .fit(&data.clone().with_weights(weights.clone())?)?;
    let targeted = TargetedFit::new(
        FairLogisticRegression::params().check()?,
        vec![Target::demographic_parity(0.05)],
    )?
    .fit(&data)?;

    let regression = data.clone().with_targets(y_real.clone())?;
    let linear = FairLinearRegression::params().fit(&regression)?;
    let linear_mp = FairLinearRegression::params()
        .penalty(Penalty::mean_prediction_parity(), 1.0)
        .fit(&regression)?;
    let linear_json = |m: &fairfit_train::FittedLinear| -> Result<Value> {
        Ok(json!({
            "coef": vec(m.coefficients()),
            "intercept": m.intercept(),
            "predict": vec(m.predict_values(x)?.view()),
        }))
    };

    let scores = plain.predict_proba(x)?;
    let labels = data.labels()?;
    let thresholds_dp = ThresholdOptimizer::params()
        .constraint(Constraint::DemographicParity)
        .fit(scores.view(), &labels, data.groups(), None)?;
    let thresholds_eo = ThresholdOptimizer::params()
        .constraint(Constraint::EqualizedOdds)
        .tolerance(0.02)
        .randomization(Randomization::Forbidden)
        .fit(scores.view(), &labels, data.groups(), None)?;

    let decoupled = FairLogisticRegression::params().fit_decoupled(&data)?;
    let decoupled_p = decoupled.predict_proba(x, data.groups())?;

    let eg =
        ExponentiatedGradient::params::<Logistic>(Notion::demographic_parity(), 0.02).fit(&data)?;
    let eg_p = eg.model().decision_probabilities(x)?;
    let grid = GridSearch::params::<Logistic>(Notion::demographic_parity())
        .grid_size(7)
        .fit(&data)?;

    let certified = HighConfidence::params(Notion::demographic_parity(), 0.3, 0.2)
        .candidates(PenaltyCandidates::new(
            FairLogisticRegression::params().check()?,
            vec![0.0, 1.0, 10.0],
        )?)
        .seed(0)
        .fit(&data)?
        .into_result()?;
    let certified_decisions: Vec<f64> = certified
        .decide(&data)?
        .into_iter()
        .map(|d| f64::from(u8::from(d)))
        .collect();

    // The repairs fitted on the first 200 rows and applied to the other 100.
    let (train, test) = (
        data.select(&(0..200).collect::<Vec<_>>())?,
        data.select(&(200..300).collect::<Vec<_>>())?,
    );
    let rows = |d: &FairDataset| -> Value {
        json!(d
            .records()
            .rows()
            .into_iter()
            .map(|r| r.to_vec())
            .collect::<Vec<_>>())
    };
    let di = DisparateImpactRemover::params()
        .level(0.8)
        .fit(&train.as_linfa())?
        .transform(&test)?;
    let cr = CorrelationRemover::params()
        .alpha(0.7)
        .fit(&train.as_linfa())?
        .transform(&test)?;

    let reweighed = Reweighing::params().fit_transform(&data)?;
    let reweighing = reweighed.weights().ok_or("reweighing sets weights")?;

    let decisions = plain.predict_labels(x)?.to_vec();
    let outcomes = Outcomes::classification(&labels, &decisions)?;
    let boot = BootstrapParams::default().resamples(200).seed(5).check()?;
    let metrics: [&dyn Metric; 3] = [&Measure::Accuracy, &Measure::SelectionRate, &Measure::Tpr];
    let frame = boot.frame(&outcomes, data.groups(), &metrics)?;
    let notions = [
        Notion::equalized_odds(),
        Notion::predictive_parity(),
        Notion::demographic_parity().ratio(),
    ];
    let notion_frame = boot.frame_with_notions(&outcomes, data.groups(), &metrics, &notions)?;

    Ok(json!({
        "x": x.rows().into_iter().map(|r| r.to_vec()).collect::<Vec<_>>(),
        "y": vec(data.targets()),
        "y_real": vec(y_real.view()),
        "group": data.groups().of_row().iter().map(|&g| data.groups().names()[g].clone()).collect::<Vec<_>>(),
        "weights": vec(weights.view()),
        "logistic": model(&plain)?,
        "logistic_dp": model(&dp)?,
        "logistic_eo": model(&eo)?,
        "logistic_weighted": model(&weighted)?,
        "logistic_target_dp": {
            "model": model(&targeted.model)?,
            "achieved_hard": targeted.outcomes[0].achieved_hard,
        },
        "linear": linear_json(&linear)?,
        "linear_mp": linear_json(&linear_mp)?,
        "thresholds_dp": vec(thresholds_dp.decision_probability(scores.view(), data.groups())?.view()),
        "thresholds_eo": vec(thresholds_eo.decision_probability(scores.view(), data.groups())?.view()),
        "decoupled": vec(decoupled_p.view()),
        "exponentiated_gradient": vec(eg_p.view()),
        "grid_search": {
            "coef": vec(grid.best().coefficients()),
            "intercept": grid.best().intercept(),
            "best_index": grid.best_index(),
        },
        "reweighing": vec(reweighing),
        "repair_test_rows": {
            "disparate_impact_level_0.8": rows(&di),
            "correlation_alpha_0.7": rows(&cr),
        },
        "high_confidence": {
            "candidate": certified.label(),
            "safety_bound": certified.safety.bound,
            "decisions": certified_decisions,
        },
        "metric_frame": serde_json::from_str::<Value>(&frame.to_json()?)?,
        "metric_frame_notions": serde_json::from_str::<Value>(&notion_frame.to_json()?)?,
    }))
}

/// Raw records for the pipeline round trip: two numeric columns, a categorical one, the
/// sensitive `sex` and the label `y`.
fn raw_csv() -> String {
    let jobs = ["clerk", "nurse", "engineer", "driver"];
    let mut out = String::from("age,hours,job,sex,y\n");
    for i in 0..240u32 {
        let f = f64::from(i);
        let age = 20.0 + (f * 7.3) % 45.0;
        let hours = 20.0 + (f * 3.7) % 40.0;
        let job = jobs[(i as usize * 7) % 4];
        let sex = if i % 3 == 0 { "F" } else { "M" };
        let score = 0.05 * (age - 40.0)
            + 0.04 * (hours - 40.0)
            + if job == "engineer" { 0.8 } else { 0.0 }
            + if sex == "M" { 0.6 } else { -0.3 }
            + (f * 1.7).sin();
        out.push_str(&format!(
            "{age:.1},{hours:.1},{job},{sex},{}\n",
            u8::from(score > 0.0)
        ));
    }
    out
}

fn table(csv: &str) -> Result<RawTable> {
    Ok(RawTable::from_reader(
        csv.as_bytes(),
        "raw.csv",
        &CsvOptions::default(),
    )?)
}

/// A pipeline's scores and decision probabilities on the records.
fn pipeline_numbers<M: PipelineModel>(
    pipeline: &FittedPipeline<M>,
    records: &RawTable,
) -> Result<Value> {
    Ok(json!({
        "score": vec(pipeline.score(records)?.view()),
        "decision_probability": vec(pipeline.decision_probability(records)?.view()),
    }))
}

/// The pipelines Rust fits and saves on the raw rows — a penalised logistic regression and a
/// penalised linear regression (of the 0/1 label), each behind demographic-parity thresholds
/// — each with its scores and decision probabilities on the rows.
fn rust_pipelines(csv: &str) -> Result<[(String, Value); 2]> {
    let records = table(csv)?;
    let schema = Schema::builder()
        .label("y", "1")
        .sensitive("sex")
        .numeric(&["age", "hours"])
        .categorical(&["job"])
        .ignore_others()
        .build()?;
    let (encoder, data) = Encoder::fit_transform(&schema, &records)?;
    let dp = ThresholdOptimizer::params().constraint(Constraint::DemographicParity);
    let logistic = FairLogisticRegression::params()
        .penalty(Penalty::demographic_parity(), 1.0)
        .fit(&data)?;
    let logistic =
        FittedPipeline::new(encoder.clone(), logistic)?.fit_thresholds(&dp, &records, &["sex"])?;
    let linear = FairLinearRegression::params()
        .penalty(Penalty::mean_prediction_parity(), 1.0)
        .fit(&data)?;
    let linear = FittedPipeline::new(encoder, linear)?.fit_thresholds(&dp, &records, &["sex"])?;
    Ok([
        (logistic.to_json()?, pipeline_numbers(&logistic, &records)?),
        (linear.to_json()?, pipeline_numbers(&linear, &records)?),
    ])
}

fn read_json(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "{}: {e} (run with FAIRFIT_WRITE_FIXTURES=1)",
            path.display()
        )
    })?;
    Ok(serde_json::from_str(&text)?)
}

/// Every number of `expected` equals `actual`'s to 1e-12 (same structure).
fn assert_close(expected: &Value, actual: &Value, at: &str) {
    match (expected, actual) {
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (
                a.as_f64().unwrap_or(f64::NAN),
                b.as_f64().unwrap_or(f64::NAN),
            );
            assert!(
                (a - b).abs() <= 1e-12 * (1.0 + a.abs()),
                "{at}: fixture {a}, now {b}"
            );
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{at}: lengths differ");
            for (i, (a, b)) in a.iter().zip(b).enumerate() {
                assert_close(a, b, &format!("{at}[{i}]"));
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            assert_eq!(a.len(), b.len(), "{at}: keys differ");
            for (k, v) in a {
                let other = b.get(k).unwrap_or(&Value::Null);
                assert_close(v, other, &format!("{at}.{k}"));
            }
        }
        _ => assert_eq!(expected, actual, "{at}"),
    }
}

#[test]
fn rust_fixtures_match_what_fairfit_computes() -> Result<()> {
    let dir = fixtures();
    let estimators = estimators()?;
    let csv = raw_csv();
    let [(pipeline, scores), (linear, linear_scores)] = rust_pipelines(&csv)?;
    if writing() {
        std::fs::create_dir_all(&dir)?;
        std::fs::write(
            dir.join("estimators.json"),
            serde_json::to_string(&estimators)?,
        )?;
        std::fs::write(dir.join("raw.csv"), &csv)?;
        std::fs::write(dir.join("pipeline_rust.json"), &pipeline)?;
        std::fs::write(dir.join("pipeline_rust_scores.json"), scores.to_string())?;
        std::fs::write(dir.join("pipeline_rust_linear.json"), &linear)?;
        std::fs::write(
            dir.join("pipeline_rust_linear_scores.json"),
            linear_scores.to_string(),
        )?;
        return Ok(());
    }
    assert_close(
        &read_json(&dir.join("estimators.json"))?,
        &estimators,
        "estimators",
    );
    assert_eq!(std::fs::read_to_string(dir.join("raw.csv"))?, csv);
    assert_close(
        &read_json(&dir.join("pipeline_rust_scores.json"))?,
        &scores,
        "pipeline",
    );
    assert_close(
        &read_json(&dir.join("pipeline_rust_linear_scores.json"))?,
        &linear_scores,
        "linear pipeline",
    );
    Ok(())
}

/// The document the Python package saved as `name` (`tests/test_pipeline.py` writes it)
/// loads in Rust as a pipeline of model `M` and scores the raw rows as Python did.
fn python_pipeline_scores_as_in_python<M>(name: &str) -> Result<()>
where
    M: PipelineModel + serde::Serialize + serde::de::DeserializeOwned,
{
    let dir = fixtures();
    let text = std::fs::read_to_string(dir.join(format!("{name}.json")))?;
    let pipeline: FittedPipeline<M> = FittedPipeline::from_json(&text)?;
    let records = table(&std::fs::read_to_string(dir.join("raw.csv"))?)?;
    let expected = read_json(&dir.join(format!("{name}_scores.json")))?;
    // Python wrote these numbers with the same fairfit; JSON round trips f64 exactly.
    assert_close(&expected, &pipeline_numbers(&pipeline, &records)?, name);
    Ok(())
}

#[test]
fn python_pipeline_loads_and_scores_in_rust() -> Result<()> {
    python_pipeline_scores_as_in_python::<FittedLogistic>("pipeline_python")
}

#[test]
fn python_linear_pipeline_loads_and_scores_in_rust() -> Result<()> {
    python_pipeline_scores_as_in_python::<FittedLinear>("pipeline_python_linear")?;
    // Its kind is recorded: it does not load as a logistic pipeline.
    let text = std::fs::read_to_string(fixtures().join("pipeline_python_linear.json"))?;
    assert!(FittedPipeline::<FittedLogistic>::from_json(&text).is_err());
    Ok(())
}

#[test]
fn fixture_data_has_two_groups_and_both_labels() -> Result<()> {
    let (data, _, _) = data()?;
    assert_eq!(data.groups().names(), ["a", "b"]);
    let positives = data.targets().sum();
    assert!(positives > 0.0 && positives < data.nrows() as f64);
    Ok(())
}
