//! Tests of the fairness report, compiled only under `#[cfg(test)]`: numbers against hand computations and the
//! frame, JSON round trip, trade-off position on a constructed curve, typed errors.

use fairfit_data::audit::DataAudit;
use fairfit_data::{FairDataset, SensitiveAttribute};
use ndarray::Array2;

use super::*;
use crate::bootstrap::{Bootstrap, BootstrapParams};
use crate::curve::fixtures::validated_point;
use crate::curve::{names, Axis, CurvePoint, Split, TradeoffCurve};
use crate::error::EvalError;
use crate::estimate::Interval;
use crate::frame::{Entry, MetricFrame};
use crate::metrics::{Aggregate, Measure, Metric, Outcomes};

/// `copies` blocks of 20 rows. In each, group a (rows 0–9): TP 3, FN 1, FP 1, TN 5; group b
/// (rows 10–19): TP 1, FN 1, FP 0, TN 8.
fn toy_of(copies: usize) -> (FairDataset, Outcomes) {
    let n = 20 * copies;
    let y: Vec<bool> = (0..n)
        .map(|i| i % 20 < 4 || (10..12).contains(&(i % 20)))
        .collect();
    let p: Vec<bool> = (0..n)
        .map(|i| [0, 1, 2, 4, 10].contains(&(i % 20)))
        .collect();
    let g: Vec<&str> = (0..n)
        .map(|i| if i % 20 < 10 { "a" } else { "b" })
        .collect();
    // Feature 0 is the group itself (a perfect proxy), feature 1 the row number.
    let x = Array2::from_shape_fn((n, 2), |(i, j)| {
        if j == 0 {
            f64::from(u8::from(i % 20 >= 10))
        } else {
            i as f64
        }
    });
    let data = FairDataset::new(
        x,
        y.iter().map(|&v| f64::from(u8::from(v))).collect(),
        vec![SensitiveAttribute::from_values("g", &g, None).unwrap()],
    )
    .unwrap()
    .with_feature_names(vec!["group_flag".into(), "row".into()])
    .unwrap();
    (data, Outcomes::classification(&y, &p).unwrap())
}

fn toy() -> (FairDataset, Outcomes) {
    toy_of(5)
}

fn boot() -> Bootstrap {
    BootstrapParams::default()
        .resamples(300)
        .level(0.9)
        .seed(11)
        .check()
        .unwrap()
}

fn base(data: &FairDataset, outcomes: &Outcomes) -> FairnessReportBuilder {
    FairnessReport::builder()
        .title("toy")
        .audit(DataAudit::of("toy (train)", data).unwrap())
        .method(Method::new("rule").param("lambda", 2.0))
        .evaluate(Split::Test, &boot(), outcomes, data.groups())
}

/// Two methods; point 1 (`rule`, λ = 2) is dominated by point 2, point 3 is dominated by 1.
fn curve() -> TradeoffCurve {
    let pt = |m: &str, lambda: f64, gap: f64, acc: f64| {
        CurvePoint::new(m)
            .with_param("lambda", lambda)
            .with_metric(Split::Test, names::DP_DIFFERENCE, gap)
            .with_metric(Split::Test, names::ACCURACY, acc)
    };
    TradeoffCurve::from_points(vec![
        pt("base", 0.0, 0.30, 0.90),
        pt("rule", 2.0, 0.20, 0.80),
        pt("other", 1.0, 0.10, 0.85),
        pt("rule", 4.0, 0.25, 0.70),
    ])
    .unwrap()
}

fn axes() -> (Axis, Axis) {
    (
        Axis::maximise(names::ACCURACY),
        Axis::minimise(names::DP_DIFFERENCE),
    )
}

fn show(v: f64, i: Interval) -> String {
    format!("{v:.4} [{:.4}, {:.4}]", i.lower, i.upper)
}

#[test]
fn markdown_carries_the_frames_numbers_and_the_hand_computed_values() {
    let (data, out) = toy();
    let report = base(&data, &out).build().unwrap();
    let md = report.to_markdown();
    // The same bootstrap (same seed) computed independently.
    let metrics: Vec<&dyn Metric> = STANDARD_METRICS.iter().map(|m| m as &dyn Metric).collect();
    let frame = boot().frame(&out, data.groups(), &metrics).unwrap();
    let hand = [
        ("selection_rate", 0.4, 0.1),
        ("true_positive_rate", 0.75, 0.5),
        ("false_positive_rate", 1.0 / 6.0, 0.0),
        ("accuracy", 0.8, 0.9),
    ];
    for (metric, a, b) in hand {
        for (g, want) in [(0, a), (1, b)] {
            let e = frame.estimate(metric, Entry::Group(g)).unwrap();
            let v = e.value.unwrap();
            assert!((v - want).abs() < 1e-12, "{metric} {g}: {v}");
            let i = e.interval.unwrap();
            if i.lower < i.upper {
                assert!(
                    md.contains(&show(v, i)),
                    "{metric} {g}: {}\n{md}",
                    show(v, i)
                );
            }
        }
    }
    // The selection-rate row, cell by cell, in table order.
    let est = |e| frame.estimate("selection_rate", e).unwrap();
    let cells: Vec<String> = [
        Entry::Overall,
        Entry::Group(0),
        Entry::Group(1),
        Entry::Summary(Aggregate::Difference),
        Entry::Summary(Aggregate::Ratio),
    ]
    .into_iter()
    .map(|e| show(est(e).value.unwrap(), est(e).interval.unwrap()))
    .collect();
    let row = format!("| selection_rate | {} |", cells.join(" | "));
    assert!(md.contains(&row), "{row}\n{md}");
    // DP difference 0.4 − 0.1 = 0.3, ratio 0.25: well below 0.8.
    let dp = est(Entry::Summary(Aggregate::Difference));
    assert!((dp.value.unwrap() - 0.3).abs() < 1e-12);
    assert!(md.contains(&format!(
        "- **Demographic-parity difference:** {}",
        show(0.3, dp.interval.unwrap())
    )));
    let di = est(Entry::Summary(Aggregate::Ratio)).interval.unwrap();
    assert!(di.upper < 0.8, "{di:?}");
    assert!(md.contains("80% rule: **fails** (the whole 90% interval is below 0.8)"));
    // Equalized odds: max(TPR gap 0.25, FPR gap 1/6) = 0.25, with an interval.
    let eo = report
        .disparities
        .iter()
        .find(|d| d.name == "equalized-odds difference")
        .unwrap();
    assert_eq!(eo.estimate.value, Some(0.25));
    let eo_i = eo.estimate.interval.unwrap();
    assert!(eo_i.lower <= 0.25 && 0.25 <= eo_i.upper && eo_i.lower < eo_i.upper);
    // Counts print as integers, without a (degenerate) interval.
    assert!(md.contains("| count | 100 | 50 | 50 |"), "{md}");
    // The audit: base rates 20/50 and 10/50, the group flag ranked first as a proxy.
    assert!(md.contains("| a | 50 | 0.5000 | 20 | 0.4000 |"), "{md}");
    assert!(
        md.contains("Base-rate difference 0.2000, ratio 0.5000: the labels themselves **fail**")
    );
    assert!(
        md.contains("| 1 | group_flag | numeric | 1.0000 | 1.0000 | 1.0000 |"),
        "{md}"
    );
    assert!(md.contains("| lambda | 2 |"));
    assert_eq!(report.evaluation.resamples, 300);
    assert_eq!(report.evaluation.level, 0.9);
}

#[test]
fn replicates_where_an_entry_is_undefined_are_reported() {
    // 20 rows: group b has 2 positives, so some replicates draw none and its TPR is undefined.
    let (data, out) = toy_of(1);
    let report = base(&data, &out).build().unwrap();
    let row = report
        .evaluation
        .metrics
        .iter()
        .find(|r| r.metric == "true_positive_rate")
        .unwrap();
    let i = row.groups[1].interval.unwrap();
    // P(no positive among 10 draws from 10 rows with 2 positives) = 0.8^10 ≈ 0.107.
    let r = i.replicates.unwrap();
    assert!((10..70).contains(&r.undefined), "{i:?}");
    assert_eq!(r.total(), 300);
    assert!(report.to_markdown().contains(&format!(
        "- true_positive_rate (b): undefined in {} of 300 resamples, left out of the interval",
        r.undefined
    )));
}

#[test]
fn json_round_trips_with_a_tradeoff_position() {
    let (data, out) = toy();
    let (perf, gap) = axes();
    let report = base(&data, &out)
        .tradeoff(&curve(), 1, perf, gap)
        .build()
        .unwrap();
    let text = report.to_json().unwrap();
    let back = FairnessReport::from_json(&text).unwrap();
    assert_eq!(back, report);
    assert_eq!(back.to_markdown(), report.to_markdown());
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["tradeoff"]["index"], 1);
    assert_eq!(json["evaluation"]["metrics"][1]["metric"], "selection_rate");
    let dir = std::env::temp_dir().join(format!("fairfit-report-{}", std::process::id()));
    report.write(&dir).unwrap();
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert_eq!(md, report.to_markdown());
    let json = std::fs::read_to_string(dir.join("report.json")).unwrap();
    assert_eq!(FairnessReport::from_json(&json).unwrap(), report);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 13: a saved report is validated on load; each corruption names the part it breaks.
#[test]
fn a_corrupted_report_is_a_typed_error_on_load() {
    let (data, out) = toy();
    let (perf, gap) = axes();
    let report = base(&data, &out)
        .tradeoff(&curve(), 1, perf, gap)
        .build()
        .unwrap();
    let good: serde_json::Value = serde_json::from_str(&report.to_json().unwrap()).unwrap();
    type Corruption = fn(&mut serde_json::Value);
    let cases: [(&str, Corruption); 9] = [
        ("level", |j| j["evaluation"]["level"] = 1.5.into()),
        ("groups", |j| {
            j["evaluation"]["metrics"][1]["groups"]
                .as_array_mut()
                .unwrap()
                .pop();
        }),
        ("lower end", |j| {
            let i = &mut j["evaluation"]["metrics"][1]["overall"]["interval"];
            i["lower"] = 0.99.into();
            i["upper"] = 0.01.into();
        }),
        ("neither", |j| {
            j["evaluation"]["metrics"][1]["difference"]["value"] = serde_json::Value::Null;
        }),
        ("listed twice", |j| {
            let groups = j["evaluation"]["groups"].as_array_mut().unwrap();
            groups[1] = groups[0].clone();
        }),
        ("base rate", |j| {
            j["data"]["groups"][0]["base_rate"] = (-0.2).into()
        }),
        ("not among", |j| j["tradeoff"]["index"] = 99.into()),
        ("layer", |j| j["tradeoff"]["pareto_layer"] = 0.into()),
        ("unknown field", |j| j["surprise"] = 1.into()),
    ];
    for (expected, corrupt) in cases {
        let mut json = good.clone();
        corrupt(&mut json);
        let err = FairnessReport::from_json(&json.to_string()).unwrap_err();
        assert!(err.to_string().contains(expected), "{expected}: {err}");
    }
    assert_eq!(
        FairnessReport::from_json(&good.to_string()).unwrap(),
        report
    );
}

#[test]
fn position_on_a_constructed_curve() {
    let c = curve();
    let (perf, gap) = axes();
    // Front: (0.10, 0.85) and (0.30, 0.90); point 1 (0.20, 0.80) dominated by 2; point 3
    // (0.25, 0.70) dominated by 1 and 2: layers 1 = {2, 0}, 2 = {1}, 3 = {3}.
    let p = TradeoffPosition::of(&c, 1, &perf, &gap).unwrap();
    assert_eq!(p.front, [2, 0]);
    assert!(!p.on_front);
    assert_eq!((p.pareto_layer, p.layers), (2, 3));
    assert_eq!(p.dominated_by, [2]);
    assert_eq!((p.performance_rank, p.gap_rank), (3, 2));
    let best = p.best_at_its_gap.as_ref().unwrap();
    assert_eq!((best.index, best.performance), (2, 0.85));
    let q = TradeoffPosition::of(&c, 3, &perf, &gap).unwrap();
    assert_eq!((q.pareto_layer, q.dominated_by.clone()), (3, vec![1, 2]));
    let r = TradeoffPosition::of(&c, 2, &perf, &gap).unwrap();
    assert!(r.on_front && r.pareto_layer == 1 && r.dominated_by.is_empty());
    assert_eq!(r.best_at_its_gap.unwrap().index, 2);

    // The Markdown says it.
    let (data, out) = toy();
    let md = base(&data, &out)
        .tradeoff(&c, 1, perf, gap)
        .build()
        .unwrap()
        .to_markdown();
    assert!(
        md.contains("**not** on the Pareto front: dominated by point 2 (layer 2 of 3)"),
        "{md}"
    );
    assert!(
        md.contains("| this model (point 1) | 0.8000 | 0.2000 |"),
        "{md}"
    );
    assert!(md.contains("| best at its gap: point 2 (`other`, lambda=1) | 0.8500 | 0.1000 |"));
    assert!(
        md.contains("point 2, accuracy +0.0500 against this model"),
        "{md}"
    );
}

#[test]
fn the_gap_bound_is_read_on_validation_when_the_curve_has_it() {
    // On validation point 0 has the smaller gap; on test point 1 would look better.
    let pt = validated_point;
    let c = TradeoffCurve::from_points(vec![
        pt((0.05, 0.80), (0.10, 0.80)),
        pt((0.08, 0.90), (0.04, 0.90)),
    ])
    .unwrap();
    let (perf, gap) = axes();
    let p = TradeoffPosition::of(&c, 0, &perf, &gap).unwrap();
    let best = p.best_at_its_gap.unwrap();
    assert_eq!((best.index, best.selected_on), (0, Split::Validation));
}

#[test]
fn errors_are_typed() {
    let (data, out) = toy();
    let audit = DataAudit::of("toy", &data).unwrap();
    let metrics: [&dyn Metric; 2] = [&Measure::SelectionRate, &Measure::Tpr];
    let frame = boot().frame(&out, data.groups(), &metrics).unwrap();
    let method = Method::new("rule").param("lambda", 2.0);
    let err = |b: FairnessReportBuilder| b.build().unwrap_err();

    assert!(matches!(
        err(FairnessReport::builder()
            .frame(Split::Test, frame.clone())
            .method(method.clone())),
        EvalError::MissingPart { call: "audit", .. }
    ));
    assert!(matches!(
        err(FairnessReport::builder()
            .audit(audit.clone())
            .method(method.clone())),
        EvalError::MissingPart {
            part: "metrics by group",
            ..
        }
    ));
    assert!(matches!(
        err(FairnessReport::builder()
            .audit(audit.clone())
            .frame(Split::Test, frame.clone())),
        EvalError::MissingPart { call: "method", .. }
    ));
    let plain = MetricFrame::new(&out, data.groups(), &metrics).unwrap();
    assert!(matches!(
        err(FairnessReport::builder()
            .audit(audit.clone())
            .method(method.clone())
            .frame(Split::Test, plain)),
        EvalError::NoIntervals
    ));
    let other_groups = fairfit_data::Groups::new(
        vec!["x".into(), "y".into()],
        (0..100).map(|i| i % 2).collect(),
    )
    .unwrap();
    let other = boot().frame(&out, &other_groups, &metrics).unwrap();
    assert!(matches!(
        err(FairnessReport::builder()
            .audit(audit.clone())
            .method(method.clone())
            .frame(Split::Test, other)),
        EvalError::GroupMismatch { .. }
    ));
    let ok = || {
        FairnessReport::builder()
            .audit(audit.clone())
            .frame(Split::Test, frame.clone())
    };
    assert!(matches!(
        err(ok().method(method.clone()).top_proxies(0)),
        EvalError::InvalidParameter {
            name: "top_proxies",
            ..
        }
    ));
    let (perf, gap) = axes();
    assert!(matches!(
        err(ok().tradeoff(&curve(), 4, perf.clone(), gap.clone())),
        EvalError::PointOutOfRange {
            index: 4,
            points: 4
        }
    ));
    assert!(matches!(
        err(ok().tradeoff(&TradeoffCurve::new(), 0, perf.clone(), gap.clone())),
        EvalError::PointOutOfRange {
            index: 0,
            points: 0
        }
    ));
    let e = err(ok().tradeoff(&curve(), 1, Axis::maximise(names::ROC_AUC), gap.clone()));
    assert!(
        matches!(&e, EvalError::MissingMetric { point: 0, split: Split::Test, metric, .. } if metric == names::ROC_AUC),
        "{e}"
    );
    assert!(matches!(
        err(ok()
            .method(Method::new("base"))
            .tradeoff(&curve(), 1, perf.clone(), gap.clone())),
        EvalError::MethodMismatch { point: 1, .. }
    ));
    let e = err(ok()
        .method(Method::new("rule").param("lambda", 3.0))
        .tradeoff(&curve(), 1, perf.clone(), gap.clone()));
    assert!(
        matches!(&e, EvalError::ParamMismatch { name, report, on_point, .. } if name == "lambda" && *report == 3.0 && *on_point == 2.0),
        "{e}"
    );
    // Without a method, the point's method and parameters are used.
    let r = ok().tradeoff(&curve(), 1, perf, gap).build().unwrap();
    assert_eq!(r.method, method);
    // Bad outcomes surface from `evaluate` as the evaluation's typed error.
    let short = Outcomes::classification(&[true, false], &[true, true]).unwrap();
    assert!(matches!(
        err(FairnessReport::builder()
            .audit(audit)
            .method(method)
            .evaluate(Split::Test, &boot(), &short, data.groups())),
        EvalError::LengthMismatch { .. }
    ));
}
