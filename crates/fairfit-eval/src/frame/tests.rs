//! Tests of metric frames: weights against duplicated rows, intersectional groups by hand, bad requests, text and CSV output.
//! Compiled only under `#[cfg(test)]` (see the parent module).

use super::*;
use crate::curve::fixtures::written_text;
use crate::metrics::Measure;
use approx::assert_abs_diff_eq;
use fairfit_data::SensitiveAttribute;

const CLASSIFICATION: [Measure; 20] = [
    Measure::Count,
    Measure::SelectionRate,
    Measure::Accuracy,
    Measure::BalancedAccuracy,
    Measure::ErrorRate,
    Measure::Tpr,
    Measure::Fpr,
    Measure::Fnr,
    Measure::Tnr,
    Measure::Ppv,
    Measure::Npv,
    Measure::F1,
    Measure::RocAuc,
    Measure::LogLoss,
    Measure::Brier,
    Measure::Ece { bins: 4 },
    Measure::MeanPrediction,
    Measure::THEIL,
    Measure::GeneralizedEntropy { alpha: 2.0 },
    Measure::GeneralizedEntropy { alpha: 0.5 },
];

fn assert_same_frames(a: &MetricFrame, b: &MetricFrame) {
    let (ra, rb) = (a.records(), b.records());
    assert_eq!(ra.len(), rb.len());
    for (x, y) in ra.iter().zip(&rb) {
        assert_eq!(
            (&x.metric, &x.entry, &x.group),
            (&y.metric, &y.entry, &y.group)
        );
        match (x.value, y.value) {
            (Some(u), Some(v)) => assert_abs_diff_eq!(u, v, epsilon = 1e-12),
            (None, None) => {}
            _ => panic!("{x:?} vs {y:?}"),
        }
    }
}

#[test]
fn weight_two_equals_a_duplicated_row_for_every_metric() {
    let y = [true, false, true, true, false, false, true, false, true];
    let p = [true, true, false, true, false, true, true, false, false];
    let s = [0.9, 0.7, 0.2, 0.8, 0.1, 0.6, 0.75, 0.3, 0.45];
    let g = vec![0, 1, 2, 0, 1, 2, 0, 1, 2];
    let w = [2.0, 1.0, 1.0, 1.0, 2.0, 1.0, 1.0, 1.0, 2.0];
    let names = vec!["a".to_string(), "b".to_string(), "c".to_string()];
    let metrics: Vec<&dyn Metric> = CLASSIFICATION.iter().map(|m| m as &dyn Metric).collect();

    let weighted = Outcomes::classification(&y, &p)
        .unwrap()
        .with_scores(&s)
        .unwrap()
        .with_weights(&w)
        .unwrap();
    let groups = Groups::new(names.clone(), g.clone()).unwrap();
    let a = MetricFrame::new(&weighted, &groups, &metrics).unwrap();

    // Rows 0, 4, 8 appended again, unweighted.
    let dup = [0, 1, 2, 3, 4, 5, 6, 7, 8, 0, 4, 8];
    let pick = |v: &[bool]| dup.iter().map(|&i| v[i]).collect::<Vec<_>>();
    let sd: Vec<f64> = dup.iter().map(|&i| s[i]).collect();
    let gd: Vec<usize> = dup.iter().map(|&i| g[i]).collect();
    let duplicated = Outcomes::classification(&pick(&y), &pick(&p))
        .unwrap()
        .with_scores(&sd)
        .unwrap();
    let b = MetricFrame::new(
        &duplicated,
        &Groups::new(names.clone(), gd.clone()).unwrap(),
        &metrics,
    )
    .unwrap();
    assert_same_frames(&a, &b);
    // And the weights matter: without them the frame differs.
    let unweighted = Outcomes::classification(&y, &p)
        .unwrap()
        .with_scores(&s)
        .unwrap();
    let c = MetricFrame::new(&unweighted, &groups, &metrics).unwrap();
    assert_ne!(a.column("accuracy"), c.column("accuracy"));

    // Regression metrics.
    let t = [1.0, 2.0, 0.5, 3.0, 2.5, 1.0, 0.0, 4.0, 2.0];
    let f = [1.5, 1.0, 0.5, 2.0, 3.0, 1.5, 0.5, 3.0, 2.0];
    let reg: [&dyn Metric; 4] = [
        &Measure::Mse,
        &Measure::Mae,
        &Measure::R2,
        &Measure::MeanPrediction,
    ];
    let rw = Outcomes::regression(&t, &f)
        .unwrap()
        .with_weights(&w)
        .unwrap();
    let a = MetricFrame::new(&rw, &groups, &reg).unwrap();
    let td: Vec<f64> = dup.iter().map(|&i| t[i]).collect();
    let fd: Vec<f64> = dup.iter().map(|&i| f[i]).collect();
    let rd = Outcomes::regression(&td, &fd).unwrap();
    let b = MetricFrame::new(&rd, &Groups::new(names, gd).unwrap(), &reg).unwrap();
    assert_same_frames(&a, &b);
}

#[test]
fn intersectional_frame_matches_hand_values() {
    let sex =
        SensitiveAttribute::from_values("sex", &["M", "M", "F", "F", "M", "F"], None).unwrap();
    let race =
        SensitiveAttribute::from_values("race", &["W", "B", "W", "B", "W", "W"], None).unwrap();
    let groups = Groups::intersection(&[&sex, &race]).unwrap();
    assert_eq!(groups.names(), ["M & W", "M & B", "F & W", "F & B"]);
    // M&W = rows 0, 4; M&B = row 1; F&W = rows 2, 5; F&B = row 3.
    let y = [true, false, true, true, false, false];
    let p = [true, true, false, true, true, false];
    let out = Outcomes::classification(&y, &p).unwrap();
    let frame = MetricFrame::new(&out, &groups, &[&Measure::SelectionRate, &Measure::Fpr]).unwrap();
    let sr = frame.column("selection_rate").unwrap();
    assert_eq!(sr.values(), &[Ok(1.0), Ok(1.0), Ok(0.0), Ok(1.0)]);
    assert_eq!(sr.overall(), Ok(4.0 / 6.0));
    let fpr = frame.column("false_positive_rate").unwrap();
    // M&W: row 4 negative predicted 1 → 1; M&B: row 1 → 1; F&W: row 5 → 0; F&B: no negatives.
    assert_eq!(fpr.values()[..3], [Ok(1.0), Ok(1.0), Ok(0.0)]);
    assert!(fpr.values()[3].is_err());
    let e = |a| {
        frame
            .estimate("selection_rate", Entry::Summary(a))
            .unwrap()
            .value
    };
    assert_eq!(e(Aggregate::Min), Ok(0.0));
    assert_eq!(e(Aggregate::Max), Ok(1.0));
    assert_eq!(e(Aggregate::Difference), Ok(1.0));
    assert_eq!(e(Aggregate::Ratio), Ok(0.0));
    assert_eq!(e(Aggregate::DifferenceToOverall), Ok(2.0 / 3.0));
    assert_eq!(e(Aggregate::RatioToOverall), Ok(0.0));
    let fd = frame
        .estimate("false_positive_rate", Entry::Summary(Aggregate::Difference))
        .unwrap();
    assert_eq!(fd.value, Ok(1.0));
    // Records: one per metric × (overall + 4 groups + 6 aggregates); undefined keeps a reason.
    let records = frame.records();
    assert_eq!(records.len(), 2 * 11);
    let fb = records
        .iter()
        .find(|r| r.metric == "false_positive_rate" && r.group.as_deref() == Some("F & B"))
        .unwrap();
    assert!(fb.value.is_none() && fb.undefined.is_some());
    let json = frame.to_json().unwrap();
    assert!(json.contains("\"F & B\""));
}

#[test]
fn rejects_bad_requests() {
    let out = Outcomes::classification(&[true, false], &[true, true]).unwrap();
    let groups = Groups::new(vec!["a".into()], vec![0, 0]).unwrap();
    assert!(MetricFrame::new(&out, &groups, &[]).is_err());
    assert!(MetricFrame::new(&out, &groups, &[&Measure::Tpr, &Measure::RECALL]).is_err());
    assert!(matches!(
        MetricFrame::new(&out, &groups, &[&Measure::RocAuc]),
        Err(EvalError::MissingInput { .. })
    ));
    let frame = MetricFrame::new(&out, &groups, &[&Measure::Tpr]).unwrap();
    assert!(frame.estimate("accuracy", Entry::Overall).is_err());
    assert!(frame
        .estimate("true_positive_rate", Entry::Group(3))
        .is_err());
}

#[test]
fn displays_a_table() {
    let out = Outcomes::classification(&[true, false, true], &[true, true, false]).unwrap();
    let groups = Groups::new(vec!["a".into(), "b".into()], vec![0, 0, 1]).unwrap();
    let frame = MetricFrame::new(&out, &groups, &[&Measure::SelectionRate, &Measure::Fpr]).unwrap();
    let text = frame.to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[0].starts_with("metric") && lines[0].ends_with("ratio"),
        "{text}"
    );
    // Selection rate: overall 2/3, a 1, b 0, difference 1, ratio 0.
    let cells: Vec<&str> = lines[1].split_whitespace().collect();
    assert_eq!(
        cells,
        [
            "selection_rate",
            "0.6667",
            "1.0000",
            "0.0000",
            "1.0000",
            "0.0000"
        ]
    );
    // FPR of b (no negatives) and its difference (one defined group) are undefined.
    assert!(lines[2].matches("undefined").count() == 3, "{text}");
}

#[test]
fn writes_csv() {
    let out = Outcomes::classification(&[true, false], &[true, true]).unwrap();
    let groups = Groups::new(vec!["a".into(), "b".into()], vec![0, 1]).unwrap();
    let frame = MetricFrame::new(&out, &groups, &[&Measure::Tpr]).unwrap();
    let text = written_text("frame", |path| frame.write_csv(path));
    assert!(text.starts_with("metric,entry,group,value,undefined,lower,upper,level\n"));
    assert!(
        text.contains("true_positive_rate,group,a,1.0,,,,\n"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 1 + 9);
}
