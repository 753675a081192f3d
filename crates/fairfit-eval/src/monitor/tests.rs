//! Tests of the monitor: alerts after a shift, row windows and undefined disparities, reading errors, bad parameters.
//! Compiled only under `#[cfg(test)]` (see the parent module).

use super::*;
use fairfit_data::fairness::Notion;

fn dp() -> Notion {
    Notion::demographic_parity()
}

fn tpr() -> Notion {
    Notion::equal_opportunity()
}

/// Groups alternate a/b; before `shift` both are selected at rate 1/2 in every even-aligned
/// window, after it group b only at 1/5. Labels: every record's label is its prediction
/// before the shift; after it, b's positives are missed half the time.
fn stream(n: usize, shift: usize) -> Vec<StreamRecord> {
    (0..n)
        .map(|i| {
            let b = i % 2 == 1;
            let k = i / 2;
            let selected = if b && i >= shift {
                k % 5 == 0
            } else {
                k % 2 == 0
            };
            let label = if b && i >= shift {
                k % 5 == 0 || k % 5 == 1
            } else {
                selected
            };
            StreamRecord {
                time: i as f64,
                score: if selected { 0.8 } else { 0.2 },
                label: Some(label),
                group: if b { "b".into() } else { "a".into() },
            }
        })
        .collect()
}

#[test]
fn alerts_exactly_in_the_windows_after_the_shift() {
    let records = stream(2000, 1000);
    let monitor = Monitor::new(WindowSpec::Time {
        size: 200.0,
        step: 100.0,
    })
    .bound(dp(), 0.1)
    .unwrap()
    .bound(tpr(), 0.1)
    .unwrap();
    let report = monitor.run(&records).unwrap();
    assert_eq!(report.windows.len(), 19); // starts 0, 100, ..., 1800
    for w in &report.windows {
        let after = w.end > 1000.0;
        let dp = w.disparity(&dp()).unwrap();
        if after {
            assert!(dp > 0.1, "window {} dp {dp}", w.index);
        } else {
            assert_eq!(dp, 0.0, "window {}", w.index);
            assert_eq!(w.disparity(&tpr()), Some(0.0));
        }
    }
    let alerted: Vec<usize> = report
        .alerts
        .iter()
        .filter(|a| a.disparity == dp())
        .map(|a| a.window)
        .collect();
    assert_eq!(alerted, (9..19).collect::<Vec<_>>());
    // Fully after the shift: a at 1/2, b at 1/5; b's TPR is 1/2 (2 positives per 5, 1 hit).
    let last = report.windows.last().unwrap();
    assert!((last.disparity(&dp()).unwrap() - 0.3).abs() < 1e-12);
    assert!((last.disparity(&tpr()).unwrap() - 0.5).abs() < 1e-12);
    let tpr_alerts = report.alerts.iter().filter(|a| a.disparity == tpr());
    assert_eq!(tpr_alerts.map(|a| a.window).collect::<Vec<_>>(), alerted);
}

#[test]
fn row_windows_and_undefined_disparities() {
    let mut records = stream(40, 1000);
    for r in records.iter_mut().take(10) {
        r.group = "a".into();
        r.label = None;
    }
    let report = Monitor::new(WindowSpec::Rows { size: 10, step: 5 })
        .bound(dp(), 0.0)
        .unwrap()
        .run(&records)
        .unwrap();
    assert_eq!(report.windows.len(), 7); // starts 0, 5, ..., 30
    assert_eq!(report.windows[0].disparity(&dp()), None, "one group only");
    assert_eq!(report.windows[0].groups[0].tpr, None, "no labels");
    assert!(report.alerts.iter().all(|a| a.window != 0));
}

#[test]
fn reading_names_file_line_and_column() {
    let good = "time,prediction,label,group\n0,1,1,a\n1,0,,b\n";
    let r = read_stream_from(good.as_bytes(), "s.csv".into()).unwrap();
    assert_eq!(r[1].label, None);
    assert_eq!(r[0].score, 1.0);
    for (text, line, column) in [
        ("time,score,group\n0,0.5,a\n1,NaN,b\n", 3, "score"),
        ("time,score,group\n1,0.5,a\n0,0.5,b\n", 3, "time"),
        ("time,score,label,group\n0,0.5,2,a\n", 2, "label"),
        ("time,score,group\n0,0.5,\n", 2, "group"),
    ] {
        let err = read_stream_from(text.as_bytes(), "s.csv".into()).unwrap_err();
        assert!(
            matches!(&err, EvalError::Parse { line: l, column: Some(c), .. } if *l == line && c == column),
            "{err}"
        );
        assert!(err.to_string().starts_with("s.csv, line"), "{err}");
    }
    assert!(read_stream_from("time,group\n".as_bytes(), "s.csv".into()).is_err());
}

#[test]
fn bad_parameters_are_typed_errors() {
    let r = stream(10, 100);
    assert!(Monitor::new(WindowSpec::Rows { size: 0, step: 1 })
        .run(&r)
        .is_err());
    assert!(Monitor::new(WindowSpec::Time {
        size: 1.0,
        step: f64::NAN
    })
    .run(&r)
    .is_err());
    assert!(Monitor::new(WindowSpec::Rows { size: 2, step: 1 })
        .bound(dp(), -0.1)
        .is_err());
    assert!(matches!(
        Monitor::new(WindowSpec::Rows { size: 2, step: 1 }).run(&[]),
        Err(EvalError::Empty(_))
    ));
}

#[test]
fn any_notion_of_decisions_can_be_bounded_including_ratios_and_label_notions() {
    let records = stream(2000, 1000);
    let ratio = dp().ratio();
    let errors = Notion::error_rate_parity();
    let report = Monitor::new(WindowSpec::Time {
        size: 200.0,
        step: 100.0,
    })
    .bound(ratio.clone(), 0.8)
    .unwrap()
    .bound(errors.clone(), 0.05)
    .unwrap()
    .run(&records)
    .unwrap();
    // After the shift a is selected at 1/2, b at 1/5: ratio 0.4, below 0.8; before, 1.
    let last = report.windows.last().unwrap();
    assert!((last.disparity(&ratio).unwrap() - 0.4).abs() < 1e-12);
    assert_eq!(report.windows[0].disparity(&ratio), Some(1.0));
    let alerted: Vec<usize> = report
        .alerts
        .iter()
        .filter(|a| a.disparity == ratio)
        .map(|a| a.window)
        .collect();
    assert_eq!(alerted, (9..19).collect::<Vec<_>>());
    // Before the shift every label is its prediction; after it b misses 1 positive in 5.
    assert_eq!(report.windows[0].disparity(&errors), Some(0.0));
    assert!((last.disparity(&errors).unwrap() - 0.2).abs() < 1e-12);
    // The windows CSV has one column per monitored notion.
    let dir = std::env::temp_dir().join("fairfit-monitor-notions");
    report.write_windows_csv(dir.join("w.csv")).unwrap();
    let text = std::fs::read_to_string(dir.join("w.csv")).unwrap();
    assert!(text
        .lines()
        .next()
        .unwrap()
        .ends_with("dp_difference,tpr_difference,dp_ratio,error_rate_difference"));
    // A notion of the model's scores or loss is not measurable on a stream of decisions.
    assert!(Monitor::new(WindowSpec::Rows { size: 2, step: 1 })
        .bound(Notion::bounded_group_loss(), 0.1)
        .is_err());
}
