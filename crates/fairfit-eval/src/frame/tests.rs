//! Tests of metric frames: weights against duplicated rows, intersectional groups by hand, bad requests, text and CSV output, notions.
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

/// Random labelled decisions in `n_groups` groups with random weights (some zero), and groups
/// that lack positives or negatives when `thin` is set.
fn random_outcomes(seed: u64, n: usize, n_groups: usize, thin: bool) -> (Outcomes, Groups) {
    use rand::{rngs::StdRng, Rng, SeedableRng};
    let mut rng = StdRng::seed_from_u64(seed);
    let g: Vec<usize> = (0..n).map(|i| i % n_groups).collect();
    let y: Vec<bool> = g
        .iter()
        .map(|&g| match (thin, g) {
            (true, 1) => false,
            (true, 2) => true,
            _ => rng.gen_bool(0.4),
        })
        .collect();
    let p: Vec<bool> = y
        .iter()
        .map(|&y| rng.gen_bool(if y { 0.7 } else { 0.3 }))
        .collect();
    let w: Vec<f64> = (0..n)
        .map(|_| {
            if rng.gen_bool(0.05) {
                0.0
            } else {
                rng.gen_range(0.2..3.0)
            }
        })
        .collect();
    let names = (0..n_groups).map(|g| format!("g{g}")).collect();
    (
        Outcomes::classification(&y, &p)
            .unwrap()
            .with_weights(&w)
            .unwrap(),
        Groups::new(names, g).unwrap(),
    )
}

/// Every notion of decisions and labels, each compared every way.
fn decision_notions() -> Vec<Notion> {
    let mut all = Vec::new();
    for notion in Notion::vocabulary() {
        if notion.statistics().iter().any(|s| s.quantity.needs_score())
            || notion == Notion::mean_prediction_parity()
        {
            continue;
        }
        for aggregate in Aggregate::ALL {
            all.push(notion.clone().with_aggregate(aggregate));
        }
    }
    all
}

/// A frame's notion is `Notion::value` of the engine's group means, bit for bit, with the same
/// skipped groups as `notion_disparity`: computed any other way (one statistic only, their
/// mean, other rows or weights, without skipping) these comparisons fail.
#[test]
fn a_frames_notion_is_notion_value_of_the_engines_group_means() {
    use crate::metrics::notion_disparity;
    use fairfit_data::fairness::GroupCells;
    let notions = decision_notions();
    let mut compared = 0;
    for (seed, n_groups, thin) in [(1, 2, false), (2, 3, false), (3, 3, true), (4, 4, true)] {
        let (out, groups) = random_outcomes(seed, 90, n_groups, thin);
        let frame = MetricFrame::with_notions(&out, &groups, &[], &notions).unwrap();
        assert_eq!(frame.notions().len(), notions.len());
        let cells = GroupCells::new(&groups, Some(out.weights())).unwrap();
        let (y, p) = (out.labels().unwrap(), out.predictions().unwrap());
        for notion in &notions {
            let got = frame.notion(notion).unwrap();
            assert_eq!(got.column(), notion.column());
            let means: Vec<_> = notion
                .statistics()
                .iter()
                .map(|s| {
                    cells
                        .evaluate(*s, |i| {
                            (f64::from(u8::from(y[i])), f64::from(u8::from(p[i])))
                        })
                        .unwrap()
                })
                .collect();
            assert_eq!(got.value, notion.value(&means).map(|v| v.value), "{notion}");
            match notion_disparity(notion, &out, &groups) {
                Ok(d) => {
                    assert_eq!(got.value, Ok(d.value), "{notion}");
                    assert_eq!(got.skipped, d.skipped, "{notion}");
                    compared += 1;
                }
                Err(EvalError::Undefined { .. }) => assert!(got.value.is_err(), "{notion}"),
                Err(e) => panic!("{notion}: {e}"),
            }
        }
    }
    assert!(compared > 100, "only {compared} defined notions compared");
}

/// Asked for equalized odds, a bootstrapped frame gives the larger of the TPR and FPR
/// differences of its own columns, and an interval that contains it. Flipping the labels swaps
/// the two rates, so each of them is the larger once.
#[test]
fn equalized_odds_is_the_worse_gap_with_an_interval_that_contains_it() {
    let (drawn, groups) = random_outcomes(7, 400, 3, false);
    let boot = crate::bootstrap::BootstrapParams::default()
        .resamples(300)
        .seed(5)
        .check()
        .unwrap();
    let eo = Notion::equalized_odds();
    let mut larger = Vec::new();
    for flip in [false, true] {
        let y: Vec<bool> = drawn.labels().unwrap().iter().map(|&y| y != flip).collect();
        let out = Outcomes::classification(&y, drawn.predictions().unwrap())
            .unwrap()
            .with_weights(drawn.weights())
            .unwrap();
        let frame = boot
            .frame_with_notions(
                &out,
                &groups,
                &[&Measure::Tpr, &Measure::Fpr],
                std::slice::from_ref(&eo),
            )
            .unwrap();
        let gap = |metric| {
            frame
                .estimate(metric, Entry::Summary(Aggregate::Difference))
                .unwrap()
                .value
                .unwrap()
        };
        let (tpr, fpr) = (gap("true_positive_rate"), gap("false_positive_rate"));
        larger.push(if tpr > fpr { "tpr" } else { "fpr" });
        let got = frame.notion(&eo).unwrap();
        assert_eq!(got.column(), crate::curve::names::EO_DIFFERENCE);
        assert_eq!(got.value, Ok(tpr.max(fpr)));
        assert!(got.skipped.is_empty());
        let interval = got.interval.unwrap();
        assert!(interval.contains(tpr.max(fpr)), "{interval:?}");
        assert!(interval.width() > 0.0);
        assert_eq!(interval.replicates.unwrap().total(), 300);
        // The same notion asked of a plain frame: the same value, no interval.
        let plain =
            MetricFrame::with_notions(&out, &groups, &[], std::slice::from_ref(&eo)).unwrap();
        assert_eq!(plain.notion(&eo).unwrap().estimate().value, got.value);
        assert!(plain.notion(&eo).unwrap().interval.is_none());
    }
    larger.sort_unstable();
    assert_eq!(larger, ["fpr", "tpr"]);
}

/// A group without negatives has no FPR: equalized odds is taken over the other groups and the
/// group is reported (in the estimate, the records and the table), never dropped in silence;
/// replicates that lose a group's only positive are counted as undefined.
#[test]
fn an_undefined_group_is_reported_not_silently_skipped() {
    // g0 mixed; g1 (rows 4, 10, 16) has one positive; g2 has positives only.
    let g: Vec<usize> = (0..18).map(|i| [0, 0, 2, 0, 1, 2][i % 6]).collect();
    let y: Vec<bool> = (0..18)
        .map(|i| match g[i] {
            2 => true,
            1 => i == 10,
            _ => i % 3 == 0,
        })
        .collect();
    let p: Vec<bool> = (0..18).map(|i| i % 4 == 0 || i == 16).collect();
    let groups = Groups::new(vec!["g0".into(), "g1".into(), "g2".into()], g).unwrap();
    let out = Outcomes::classification(&y, &p).unwrap();
    let eo = Notion::equalized_odds();
    let boot = crate::bootstrap::BootstrapParams::default()
        .resamples(400)
        .seed(11)
        .check()
        .unwrap();
    let frame = boot
        .frame_with_notions(
            &out,
            &groups,
            &[&Measure::Tpr, &Measure::Fpr],
            std::slice::from_ref(&eo),
        )
        .unwrap();
    assert!(frame.is_bootstrapped());
    let only_notions = boot
        .frame_with_notions(&out, &groups, &[], std::slice::from_ref(&eo))
        .unwrap();
    assert!(only_notions.is_bootstrapped() && only_notions.columns().is_empty());
    let got = frame.notion(&eo).unwrap();
    assert_eq!(only_notions.notion(&eo).unwrap(), got);
    let no_negatives = fairfit_data::fairness::Condition::Negatives.lacks();
    assert_eq!(
        got.skipped,
        vec![(
            "g2".to_string(),
            fairfit_data::fairness::Undefined {
                reason: no_negatives
            }
        )]
    );
    // g2 is compared on its TPR (it has positives) but not on its FPR.
    let all: Vec<String> = ["g0", "g1", "g2"].map(String::from).to_vec();
    assert_eq!(got.compared, vec![all.clone(), all[..2].to_vec()]);
    // Over g0 and g1: the larger of their TPR and FPR gaps.
    let rate = |metric: &str, g: &str| frame.column(metric).unwrap().value(g).unwrap();
    let tpr = (rate("true_positive_rate", "g0") - rate("true_positive_rate", "g1")).abs();
    let fpr = (rate("false_positive_rate", "g0") - rate("false_positive_rate", "g1")).abs();
    let tpr_all = frame
        .estimate("true_positive_rate", Entry::Summary(Aggregate::Difference))
        .unwrap()
        .value
        .unwrap();
    assert!(tpr_all >= tpr);
    assert_eq!(got.value, Ok(tpr_all.max(fpr)));
    // Replicates in which g1 drew no positive compare fewer groups: counted, not used.
    let replicates = got.interval.unwrap().replicates.unwrap();
    assert!(replicates.undefined > 0, "{replicates:?}");
    assert_eq!(replicates.total(), 400);
    let records = frame.records();
    let skipped: Vec<_> = records.iter().filter(|r| r.entry == "skipped").collect();
    assert_eq!(skipped.len(), 1);
    assert_eq!(
        (skipped[0].metric.as_str(), skipped[0].group.as_deref()),
        ("eo_difference", Some("g2"))
    );
    assert_eq!(skipped[0].undefined.as_deref(), Some(no_negatives));
    let value = records.iter().find(|r| r.entry == "notion").unwrap();
    assert_eq!(value.value, got.value.ok());
    assert!(value.lower.is_some());
    let text = frame.to_string();
    assert!(
        text.contains("eo_difference: ") && text.contains(&format!("skipped g2 ({no_negatives})")),
        "{text}"
    );
}

#[test]
fn notions_are_checked() {
    let (out, groups) = random_outcomes(9, 30, 2, false);
    let dp = Notion::demographic_parity();
    // Twice, or a notion of the model's loss, or without the labels its statistics read.
    assert!(MetricFrame::with_notions(&out, &groups, &[], &[dp.clone(), dp.clone()]).is_err());
    assert!(
        MetricFrame::with_notions(&out, &groups, &[], &[Notion::bounded_group_loss()]).is_err()
    );
    let decisions = Outcomes::predictions_only(out.predictions().unwrap()).unwrap();
    assert!(matches!(
        MetricFrame::with_notions(&decisions, &groups, &[], &[Notion::equal_opportunity()]),
        Err(EvalError::MissingInput { .. })
    ));
    assert!(MetricFrame::with_notions(&out, &groups, &[], &[]).is_err());
    // A notion not asked for names the ones that were.
    let frame = MetricFrame::with_notions(&out, &groups, &[], &[dp.clone().ratio()]).unwrap();
    match frame.notion(&dp) {
        Err(EvalError::UnknownMetric { name, known }) => {
            assert_eq!(
                (name.as_str(), known),
                ("dp_difference", vec!["dp_ratio".to_string()])
            );
        }
        other => panic!("{other:?}"),
    }
    let from_column = Notion::from_column("dp_ratio").unwrap();
    assert_eq!(frame.notion(&from_column).unwrap().column(), "dp_ratio");
}
