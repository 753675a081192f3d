//! End to end: every subcommand of `fairfit` on a cut of the shipped Adult data.

mod common;

use common::{golden, Workspace, ROWS};
use predicates::prelude::*;

fn json(output: &[u8]) -> serde_json::Value {
    serde_json::from_slice(output).expect("stdout is JSON")
}

#[test]
fn audit_prints_base_rates_proxies_and_missingness() {
    let ws = Workspace::new();
    let out = ws
        .fairfit()
        .args(["audit", "adult.csv", "-s", "schema.toml"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let table = String::from_utf8(out).unwrap();
    golden("adult_audit.txt", &table);
    assert!(table.contains("80% rule: fails"), "{table}");
    let audit = json(
        &ws.fairfit()
            .args(["audit", "adult.csv", "-s", "schema.toml", "--json"])
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(audit["base_rates"]["groups"].as_array().unwrap().len(), 2);
    assert!(audit["missingness"].is_object());
    assert!(audit["rows"].as_u64().unwrap() < ROWS as u64); // rows with `?` dropped
}

#[test]
fn train_score_evaluate_report_monitor() {
    let ws = Workspace::new();
    let summary = ws.train(&[
        "adult.csv",
        "-s",
        "schema.toml",
        "--penalty",
        "dp=5",
        "-o",
        "run",
        "--resamples",
        "30",
        "--seed",
        "7",
    ]);
    assert_eq!(summary["constant_rule"], false);
    let gaps = summary["test"]["gaps"].as_array().unwrap();
    assert_eq!(gaps[0]["notion"], "dp_difference");
    assert!(gaps[0]["value"].as_f64().unwrap() < 0.1, "{summary}");
    assert!(
        summary["test"]["accuracy"].as_f64().unwrap()
            > summary["test"]["decisions"]["majority_accuracy"]
                .as_f64()
                .unwrap()
    );
    for file in [
        "pipeline.json",
        "report.json",
        "report.md",
        "groups.svg",
        "summary.json",
    ] {
        assert!(ws.path("run").join(file).exists(), "{file}");
    }
    // The same seed gives the same pipeline.
    ws.fairfit()
        .args([
            "train",
            "adult.csv",
            "-s",
            "schema.toml",
            "--penalty",
            "dp=5",
            "-o",
            "again",
            "--resamples",
            "30",
            "--seed",
            "7",
            "-q",
        ])
        .assert()
        .success();
    let model = |dir: &str| {
        let mut pipeline: serde_json::Value =
            serde_json::from_str(&ws.read(&format!("{dir}/pipeline.json"))).unwrap();
        // The fit report records the time the solver took; everything else must agree.
        pipeline["model"]["report"]["elapsed"] = serde_json::Value::Null;
        pipeline
    };
    assert_eq!(model("run"), model("again"));

    // score: one row per kept raw row, with its line; the label column is optional.
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
    let scored = ws.read("scored.csv");
    let mut lines = scored.lines();
    assert_eq!(
        lines.next(),
        Some("line,time,group,label,probability,prediction")
    );
    let rows: Vec<&str> = lines.collect();
    assert!(
        rows.len() > ROWS * 9 / 10 && rows.len() < ROWS,
        "{}",
        rows.len()
    );
    assert!(rows[0].starts_with("2,0,Male,0,"), "{}", rows[0]);
    let unlabelled: String = ws
        .adult()
        .lines()
        .map(|l| l.rsplit_once(',').unwrap().0.to_string() + "\n")
        .collect();
    ws.write("unlabelled.csv", &unlabelled);
    ws.fairfit()
        .args(["score", "unlabelled.csv", "-p", "run/pipeline.json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\n2,0,Male,,"));

    // evaluate: a frame with intervals, as a table, CSV and JSON.
    ws.fairfit()
        .args([
            "evaluate",
            "adult.csv",
            "-p",
            "run/pipeline.json",
            "--resamples",
            "30",
            "--csv",
            "frame.csv",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("selection_rate").and(predicate::str::contains("[")));
    assert!(ws.read("frame.csv").contains("true_positive_rate"));
    let eval = json(
        &ws.fairfit()
            .args([
                "evaluate",
                "adult.csv",
                "-p",
                "run/pipeline.json",
                "--resamples",
                "30",
                "--json",
            ])
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(eval["decisions"]["gaps"][0]["notion"], "dp_difference");

    // report: Markdown and one self-contained page with the plot inlined.
    ws.fairfit().args(["report", "run"]).assert().success();
    let html = ws.read("run/report.html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("<svg") && html.contains("<table>"),
        "plots and tables inlined"
    );
    assert!(
        !html.contains("src=\"") && !html.contains("href=\"http"),
        "no external resources"
    );
    let md = ws.read("run/report.md");
    assert!(
        md.contains("## Hard decisions on held-out rows")
            && md.contains("![Held-out decisions by group](groups.svg)")
    );

    // monitor: the scored rows as a stream; exit 1 when a bound is broken, 0 otherwise.
    ws.fairfit()
        .args([
            "monitor",
            "scored.csv",
            "--window-rows",
            "300",
            "--bound",
            "dp=0.001",
            "-o",
            "mon",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("ALERT window 0"));
    assert!(ws.read("mon/alerts.csv").lines().count() > 1);
    assert!(ws.path("mon/disparity.svg").exists());
    ws.fairfit()
        .args([
            "monitor",
            "scored.csv",
            "--window-rows",
            "300",
            "--bound",
            "dp=0.9",
            "--json",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"alerts\": []"));
}

#[test]
fn train_runs_every_kind_of_method() {
    let ws = Workspace::new();
    for args in [
        vec!["--target", "dp=0.03"],
        vec!["--high-confidence", "dp=0.3"],
        vec!["--thresholds", "eo=0.05"],
        vec!["--reduction", "eg:dp=0.06"],
        vec!["--reduction", "grid:eo=0.1"],
        vec!["--preprocess", "reweighing", "--penalty", "eo=2"],
        vec!["--preprocess", "massaging"],
    ] {
        let summary = ws.train(
            &[
                &[
                    "adult.csv",
                    "-s",
                    "schema.toml",
                    "-o",
                    "m",
                    "--resamples",
                    "10",
                ][..],
                &args,
            ]
            .concat(),
        );
        assert_eq!(summary["constant_rule"], false, "{args:?}: {summary}");
        assert!(
            summary["test"]["gaps"][0]["value"].is_number(),
            "{args:?}: {summary}"
        );
    }
    // A guarantee that cannot be met returns no model (exit 3), never a failed one.
    ws.fairfit()
        .args([
            "train",
            "adult.csv",
            "-s",
            "schema.toml",
            "-o",
            "none",
            "--high-confidence",
            "eo=0.001",
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("no solution"));
    assert!(!ws.path("none/pipeline.json").exists());
}

#[test]
fn sweep_writes_curve_plot_and_tables() {
    let ws = Workspace::new();
    let out = ws
        .fairfit()
        .args([
            "sweep",
            "adult.csv",
            "-s",
            "schema.toml",
            "--fast",
            "--methods",
            "unmitigated,dp-penalty",
            "--resamples",
            "10",
            "-o",
            "sw",
            "--json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let result = json(&out);
    assert_eq!(result["points"], 6); // 1 unmitigated + 5 λ
    for file in [
        "curve.csv",
        "curve.json",
        "tradeoff.svg",
        "comparison.csv",
        "comparison.json",
        "selection.csv",
        "selection.json",
    ] {
        assert!(ws.path("sw").join(file).exists(), "{file}");
    }
    assert_eq!(ws.read("sw/curve.csv").lines().count(), 7);
    // The sweep's curve joins the report page.
    ws.fairfit()
        .args([
            "train",
            "adult.csv",
            "-s",
            "schema.toml",
            "-o",
            "run",
            "--resamples",
            "10",
            "-q",
        ])
        .assert()
        .success();
    ws.fairfit()
        .args(["report", "run", "--curve", "sw/curve.json", "-o", "page"])
        .assert()
        .success();
    assert_eq!(ws.read("page/report.html").matches("<svg").count(), 2);
    ws.fairfit()
        .args([
            "sweep",
            "adult.csv",
            "-s",
            "schema.toml",
            "--methods",
            "nothing",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("matches no method"));
}

#[test]
fn sweep_compares_the_notions_asked_for() {
    let ws = Workspace::new();
    ws.fairfit()
        .args(["sweep", "adult.csv", "-s", "schema.toml", "--fast"])
        .args([
            "--methods",
            "unmitigated,dp-penalty",
            "--resamples",
            "10",
            "-o",
            "sw",
        ])
        .args([
            "--notion",
            "tpr,dp_ratio",
            "--bounds",
            "0.05",
            "--ratio-bounds",
            "0.8",
        ])
        .args(["-q"])
        .assert()
        .success();
    let selection: serde_json::Value =
        serde_json::from_str(&ws.read("sw/selection.json")).expect("JSON");
    let bounds = selection["bounds"].to_string();
    assert!(
        bounds.contains("tpr_difference") && bounds.contains("dp_ratio"),
        "{bounds}"
    );
    assert!(!bounds.contains("eo_difference"), "{bounds}");
    assert!(ws.read("sw/comparison.json").contains("tpr_difference"));
    // A notion no sweep point records is refused, naming those it records.
    ws.fairfit()
        .args(["sweep", "adult.csv", "-s", "schema.toml", "--notion", "fpr"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("records dp_difference"));
}
