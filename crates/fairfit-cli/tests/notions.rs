//! End to end: `fairfit evaluate --notion ...` reports each fairness notion as the library's
//! `MetricFrame::notion` computes it on the same decisions (value, skipped groups, bootstrap
//! interval), in the table, the JSON and the CSV; an unknown notion is bad input naming it.

mod common;

use common::Workspace;
use fairfit_cli::commands::evaluate::METRICS;
use fairfit_cli::notion::notion;
use fairfit_data::fairness::Notion;
use fairfit_data::Groups;
use fairfit_eval::bootstrap::BootstrapParams;
use fairfit_eval::frame::MetricFrame;
use fairfit_eval::metrics::{Metric, Outcomes};
use predicates::prelude::*;

const NOTIONS: &str = "dp,eo,predictive-parity,dp_ratio";

/// Trains on the cut with race as the grouping attribute (five groups, some small) and scores
/// it: the decisions `evaluate` reads, from another command.
fn trained(ws: &Workspace) {
    ws.write(
        "race.toml",
        &common::SCHEMA.replace(r#"["sex", "race"]"#, r#"["race", "sex"]"#),
    );
    ws.train(&[
        "adult.csv",
        "-s",
        "race.toml",
        "-o",
        "run",
        "--resamples",
        "10",
    ]);
    ws.fairfit()
        .args([
            "score",
            "adult.csv",
            "-p",
            "run/pipeline.json",
            "-o",
            "scored.csv",
            "-q",
        ])
        .assert()
        .success();
}

fn evaluate(ws: &Workspace, extra: &[&str]) -> serde_json::Value {
    let args = ["adult.csv", "-p", "run/pipeline.json", "--notion", NOTIONS];
    ws.json("evaluate", &[&args[..], extra].concat())
}

/// The scored rows as the library's outcomes, grouped as evaluate's frame orders its groups.
fn scored(ws: &Workspace, order: &[String]) -> (Outcomes, Groups) {
    let text = ws.read("scored.csv");
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("line,time,group,label,probability,prediction")
    );
    let (mut y, mut p, mut g) = (Vec::new(), Vec::new(), Vec::new());
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        g.push(order.iter().position(|o| o == f[2]).expect("a frame group"));
        y.push(f[3] == "1");
        p.push(f[5] == "1");
    }
    let outcomes = Outcomes::classification(&y, &p).unwrap();
    (outcomes, Groups::new(order.to_vec(), g).unwrap())
}

fn close(a: &serde_json::Value, b: f64) {
    let a = a.as_f64().unwrap_or_else(|| panic!("{a} is not a number"));
    assert!((a - b).abs() <= 1e-12, "{a} vs {b}");
}

#[test]
fn evaluate_reports_each_notion_as_the_library_computes_it() {
    let ws = Workspace::new();
    trained(&ws);
    let plain = evaluate(&ws, &["--resamples", "0"]);
    let boot = evaluate(
        &ws,
        &[
            "--resamples",
            "40",
            "--seed",
            "3",
            "--level",
            "0.9",
            "--csv",
            "frame.csv",
        ],
    );
    let order: Vec<String> = plain["frame"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["metric"] == "accuracy" && r["entry"] == "group")
        .map(|r| r["group"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(order.len(), 5, "{order:?}");
    let (outcomes, groups) = scored(&ws, &order);
    let notions: Vec<Notion> = NOTIONS.split(',').map(|n| notion(n).unwrap()).collect();
    let metrics: Vec<&dyn Metric> = METRICS.iter().map(|m| m as &dyn Metric).collect();
    let library = MetricFrame::with_notions(&outcomes, &groups, &metrics, &notions).unwrap();
    let bootstrapped = BootstrapParams::default()
        .resamples(40)
        .seed(3)
        .level(0.9)
        .check()
        .unwrap()
        .frame_with_notions(&outcomes, &groups, &metrics, &notions)
        .unwrap();
    let csv = ws.read("frame.csv");
    let mut skipped_somewhere = false;
    for (i, n) in notions.iter().enumerate() {
        let want = library.notion(n).unwrap();
        let want_boot = bootstrapped.notion(n).unwrap();
        for (report, want) in [
            (&plain["notions"][i], want),
            (&boot["notions"][i], want_boot),
        ] {
            assert_eq!(report["notion"], n.column());
            assert_eq!(report["aggregate"], n.aggregate().to_string());
            close(&report["value"], want.value.unwrap());
            let skipped: Vec<(String, String)> = report["skipped"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    (
                        s["group"].as_str().unwrap().into(),
                        s["reason"].as_str().unwrap().into(),
                    )
                })
                .collect();
            let expected: Vec<(String, String)> = want
                .skipped
                .iter()
                .map(|(g, u)| (g.clone(), u.reason.to_string()))
                .collect();
            assert_eq!(skipped, expected, "{}", n.column());
            skipped_somewhere |= !expected.is_empty();
            // Each statistic compares the frame's groups but those its condition leaves empty.
            let compared = report["compared"].as_array().unwrap();
            assert_eq!(compared.len(), n.statistics().len());
            for (c, statistic) in compared.iter().zip(n.statistics()) {
                assert_eq!(c["statistic"], statistic.column());
                let got: Vec<&str> = c["groups"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|g| g.as_str().unwrap())
                    .collect();
                let lacks = statistic.condition.lacks();
                let expected: Vec<&str> = order
                    .iter()
                    .map(String::as_str)
                    .filter(|g| !skipped.iter().any(|(s, why)| s == g && why == lacks))
                    .collect();
                assert_eq!(got, expected, "{}", n.column());
            }
        }
        assert!(plain["notions"][i]["interval"].is_null());
        let interval = want_boot.interval.unwrap();
        let got = &boot["notions"][i]["interval"];
        close(&got["lower"], interval.lower);
        close(&got["upper"], interval.upper);
        close(&got["level"], 0.9);
        let replicates = interval.replicates.unwrap();
        assert_eq!(got["replicates"]["defined"], replicates.defined);
        assert_eq!(got["replicates"]["undefined"], replicates.undefined);
        // The CSV's notion row carries the same value and interval, then its groups.
        let row = csv
            .lines()
            .find(|l| l.starts_with(&format!("{},notion,", n.column())))
            .unwrap_or_else(|| panic!("{} in {csv}", n.column()));
        let fields: Vec<&str> = row.split(',').collect();
        let num = |s: &str| s.parse::<f64>().unwrap();
        assert!(
            (num(fields[3]) - want_boot.value.unwrap()).abs() <= 1e-12,
            "{row}"
        );
        assert!((num(fields[5]) - interval.lower).abs() <= 1e-12, "{row}");
        assert!((num(fields[6]) - interval.upper).abs() <= 1e-12, "{row}");
        let compared = csv
            .lines()
            .filter(|l| l.starts_with(&format!("{},compared,", n.column())))
            .count();
        let mut left_out: Vec<&str> = want_boot.skipped.iter().map(|(g, _)| g.as_str()).collect();
        left_out.dedup();
        assert_eq!(compared, order.len() - left_out.len(), "{csv}");
    }
    // Predictive parity leaves out a group without positive decisions; the test reads one.
    assert!(skipped_somewhere, "{}", boot["notions"]);

    // The table prints every notion with its aggregate, groups and interval.
    ws.fairfit()
        .args([
            "evaluate",
            "adult.csv",
            "-p",
            "run/pipeline.json",
            "--notion",
            NOTIONS,
        ])
        .args(["--resamples", "40", "--seed", "3"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("fairness notions of the decisions:")
                .and(predicate::str::contains("eo_difference"))
                .and(predicate::str::contains(
                    "difference of false_positive_rate over",
                ))
                .and(predicate::str::contains("ratio of selection_rate over"))
                .and(predicate::str::contains("skipped "))
                .and(predicate::str::contains("(95% interval")),
        );
}

#[test]
fn an_unknown_or_unmeasurable_notion_is_bad_input() {
    let ws = Workspace::new();
    // Checked before anything is read: the pipeline need not exist.
    ws.fairfit()
        .args([
            "evaluate",
            "adult.csv",
            "-p",
            "none.json",
            "--notion",
            "dp,fairness",
        ])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("unknown notion `fairness`; known: dp (demographic_parity)")
                .and(predicate::str::contains("ppv (predictive_parity)")),
        );
    ws.fairfit()
        .args([
            "evaluate",
            "adult.csv",
            "-p",
            "none.json",
            "--notion",
            "group_loss",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "notion `group_loss_group_max` cannot be measured on a pipeline's decisions",
        ));
}

/// `train` reports its notions on the held-out decisions with the bootstrap intervals of the
/// library's `frame_with_notions` (its groups plot's frame), and `report` tabulates them.
#[test]
fn train_reports_held_out_notions_with_intervals() {
    let ws = Workspace::new();
    ws.split_files();
    let summary = ws.train(&[
        "--train",
        "train.csv",
        "--test",
        "test.csv",
        "-s",
        "schema.toml",
        "-o",
        "run",
        "--penalty",
        "dp=2",
        "--report-notion",
        "dp,predictive-parity,dp_ratio",
        "--resamples",
        "60",
        "--seed",
        "4",
    ]);
    ws.fairfit()
        .args([
            "score",
            "test.csv",
            "-p",
            "run/pipeline.json",
            "-o",
            "scored.csv",
            "-q",
        ])
        .assert()
        .success();
    let reports = summary["notions"].as_array().unwrap();
    assert_eq!(reports.len(), 3);
    // dp compares every group, in the frame's order.
    let order: Vec<String> = reports[0]["compared"][0]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_str().unwrap().to_string())
        .collect();
    assert_eq!(order.len(), 2);
    let (outcomes, groups) = scored(&ws, &order);
    let notions: Vec<Notion> = ["dp", "predictive-parity", "dp_ratio"]
        .iter()
        .map(|n| notion(n).unwrap())
        .collect();
    use fairfit_eval::metrics::Measure;
    let frame = BootstrapParams::default()
        .resamples(60)
        .seed(4)
        .check()
        .unwrap()
        .frame_with_notions(
            &outcomes,
            &groups,
            &[&Measure::SelectionRate, &Measure::Tpr, &Measure::Fpr],
            &notions,
        )
        .unwrap();
    for (report, n) in reports.iter().zip(&notions) {
        let want = frame.notion(n).unwrap();
        assert_eq!(report["notion"], n.column());
        close(&report["value"], want.value.unwrap());
        let interval = want.interval.unwrap();
        close(&report["interval"]["lower"], interval.lower);
        close(&report["interval"]["upper"], interval.upper);
    }
    // The held-out dp gap train already printed is the same number.
    close(
        &summary["test"]["gaps"][0]["value"],
        frame.notion(&notions[0]).unwrap().value.unwrap(),
    );
    ws.fairfit()
        .args(["report", "run", "-q"])
        .assert()
        .success();
    let md = ws.read("run/report.md");
    let row = md
        .lines()
        .filter(|l| l.starts_with("| ppv_difference | "))
        .find(|l| l.contains(" | difference | "))
        .unwrap_or_else(|| panic!("{md}"));
    let ppv = frame.notion(&notions[1]).unwrap();
    let interval = ppv.interval.unwrap();
    assert!(
        row.contains(&format!(
            "| {:.4} | [{:.4}, {:.4}] (95%) | difference | positive_predictive_value: {} |",
            ppv.value.unwrap(),
            interval.lower,
            interval.upper,
            order.join(", ")
        )),
        "{row}"
    );
}
