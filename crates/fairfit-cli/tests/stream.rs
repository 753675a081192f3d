//! End to end: `fairfit train --stream` fits the model the in-memory `train` fits on the same
//! training file (coefficients to 1e-8), from CSV, gzip CSV and Parquet, with weights, and
//! refuses with exit code 2 what needs every row in memory.

mod common;

use common::Workspace;
use predicates::prelude::*;

/// The coefficients and intercept of `DIR/pipeline.json`.
fn coefficients(ws: &Workspace, dir: &str) -> Vec<f64> {
    let pipeline = ws.pipeline(dir);
    let model = &pipeline["model"];
    let mut values: Vec<f64> = model["coefficients"]["data"]
        .as_array()
        .unwrap_or_else(|| panic!("{dir}: no coefficients in {model}"))
        .iter()
        .map(|v| v.as_f64().expect("a number"))
        .collect();
    values.push(model["intercept"].as_f64().expect("an intercept"));
    values
}

fn assert_close(a: &[f64], b: &[f64], what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    let worst = a
        .iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max);
    assert!(worst < 1e-8, "{what}: coefficients differ by {worst}");
}

/// `train` on train.csv/test.csv in memory, then streamed from `file` in chunks of 97 rows:
/// the same coefficients and the same held-out gaps.
fn streamed_equals_in_memory(ws: &Workspace, schema: &str, file: &str, out: &str) {
    streamed_equals_in_memory_with(ws, schema, file, out, &[]);
}

/// The same, with `extra` arguments to the streamed run.
fn streamed_equals_in_memory_with(
    ws: &Workspace,
    schema: &str,
    file: &str,
    out: &str,
    extra: &[&str],
) {
    let penalties = ["--penalty", "dp=2", "--penalty", "eo=1"];
    let common = ["-s", schema, "--test", "test.csv", "--resamples", "10"];
    let memory_dir = format!("{out}-memory");
    let memory = ws.train(
        &[
            &["--train", "train.csv", "-o", &memory_dir][..],
            &common,
            &penalties,
        ]
        .concat(),
    );
    let streamed = ws.train(
        &[
            &["--stream", "--chunk-rows", "97", "--train", file, "-o", out][..],
            &common,
            &penalties,
            extra,
        ]
        .concat(),
    );
    let mem = coefficients(ws, &memory_dir);
    assert!(mem.iter().any(|&c| c.abs() > 0.1), "{mem:?}");
    assert_close(&coefficients(ws, out), &mem, file);
    assert_eq!(streamed["rows"], memory["rows"]);
    // The training rows are decided in one more streamed pass: the same gaps, accuracy and
    // verdict as in memory.
    for split in ["train", "test"] {
        let gaps = |run: &serde_json::Value| run[split]["gaps"].as_array().cloned();
        let streamed_gaps = gaps(&streamed).unwrap_or_else(|| panic!("{split}: {streamed}"));
        assert_eq!(streamed_gaps.len(), 2, "{split}: {streamed}");
        assert_eq!(Some(streamed_gaps), gaps(&memory), "{split}");
        assert_eq!(streamed[split]["accuracy"], memory[split]["accuracy"]);
        assert_eq!(streamed[split]["verdict"], memory[split]["verdict"]);
    }
    // The held-out notions with their intervals, read from the chunks' decisions, too.
    assert_eq!(streamed["notions"].as_array().map(Vec::len), Some(2));
    assert_eq!(streamed["notions"], memory["notions"]);
    assert!(streamed["notes"][0]
        .as_str()
        .is_some_and(|n| n.contains("chunks of at most 97 rows")));
    // The report page is made from a streamed fit's directory as from any other, with the
    // training rows' audit (representation and base rates) and gaps.
    ws.fairfit().args(["report", out]).assert().success();
    ws.fairfit()
        .args(["report", &memory_dir])
        .assert()
        .success();
    let page = ws.read(&format!("{out}/report.md"));
    assert!(!page.contains("not recorded"), "{page}");
    // The rows of the gaps table (the notions table with intervals follows it).
    let gap_rows = |page: &str| -> Vec<String> {
        page.lines()
            .skip_while(|l| !l.starts_with("| notion | training rows | held-out rows |"))
            .take_while(|l| !l.is_empty())
            .filter(|l| l.starts_with("| dp_difference") || l.starts_with("| eo_difference"))
            .map(String::from)
            .collect()
    };
    assert_eq!(gap_rows(&page).len(), 2, "{page}");
    assert_eq!(
        gap_rows(&page),
        gap_rows(&ws.read(&format!("{memory_dir}/report.md")))
    );
    assert!(page.contains("training rows"), "{page}");
}

#[test]
fn streamed_train_equals_in_memory_train_on_shipped_data() {
    let ws = Workspace::new();
    ws.split_files();
    streamed_equals_in_memory(&ws, "schema.toml", "train.csv", "csv");
    // With the schema's weight column, read per chunk.
    ws.write(
        "weighted.toml",
        &common::SCHEMA.replace("ignore = [\"fnlwgt\"]", "weight = \"fnlwgt\""),
    );
    streamed_equals_in_memory(&ws, "weighted.toml", "train.csv", "weighted");
}

/// `--gather`: the chunks read once into sparse rows held in memory fit the same model, and the
/// note says the file was read three times, not once per solver evaluation.
#[test]
fn gathered_train_equals_in_memory_train() {
    let ws = Workspace::new();
    ws.split_files();
    streamed_equals_in_memory_with(&ws, "schema.toml", "train.csv", "gathered", &["--gather"]);
    let summary: serde_json::Value =
        serde_json::from_str(&ws.read("gathered/summary.json")).unwrap();
    let note = summary["notes"][0].as_str().unwrap_or_default().to_string();
    assert!(
        note.contains("sparse rows held in memory: 3 passes"),
        "{note}"
    );
    // --gather without --stream is a usage error.
    ws.fairfit()
        .args([
            "train",
            "--gather",
            "-s",
            "schema.toml",
            "--train",
            "train.csv",
        ])
        .args(["--test", "test.csv", "-o", "x"])
        .assert()
        .code(2);
}

#[test]
fn streamed_train_from_gzip_and_parquet_equals_in_memory_train() {
    let ws = Workspace::new();
    ws.split_files();
    ws.write_gzip("train.csv", "train.csv.gz");
    // Row groups of 50 rows: chunks of 97 rows straddle them.
    ws.write_parquet("train.csv", "train.parquet", 50);
    streamed_equals_in_memory(&ws, "schema.toml", "train.csv.gz", "gz");
    streamed_equals_in_memory(&ws, "schema.toml", "train.parquet", "parquet");
}

#[test]
fn without_a_test_file_only_the_pipeline_is_written_and_it_says_so() {
    let ws = Workspace::new();
    ws.split_files();
    let out = ws.train(&[
        "--stream",
        "--train",
        "train.csv",
        "-s",
        "schema.toml",
        "-o",
        "p",
    ]);
    assert!(out["report"]
        .as_str()
        .is_some_and(|r| r.contains("no fairness report")));
    // The training rows' gaps are still reported.
    assert!(out["train"]["gaps"][0]["value"].is_number(), "{out}");
    assert!(ws.path("p/pipeline.json").exists());
    assert!(!ws.path("p/summary.json").exists());
    // The pipeline scores new rows.
    ws.fairfit()
        .args(["score", "test.csv", "-p", "p/pipeline.json"])
        .assert()
        .success();
}

#[test]
fn options_that_need_every_row_in_memory_are_refused() {
    let ws = Workspace::new();
    ws.split_files();
    let base = ["train", "--stream", "-s", "schema.toml", "-o", "x"];
    for (extra, why) in [
        (
            &["--train", "train.csv", "--target", "dp=0.02"][..],
            "--target",
        ),
        (
            &["--train", "train.csv", "--high-confidence", "dp=0.1"],
            "--high-confidence",
        ),
        (
            &["--train", "train.csv", "--reduction", "eg:dp=0.02"],
            "--reduction",
        ),
        (
            &["--train", "train.csv", "--thresholds", "dp"],
            "--thresholds",
        ),
        (
            &["--train", "train.csv", "--preprocess", "reweighing"],
            "--preprocess",
        ),
        (&["adult.csv"], "no in-memory split"),
    ] {
        ws.fairfit()
            .args(base)
            .args(extra)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--stream: ").and(predicate::str::contains(why)));
    }
    // --chunk-rows without --stream is a usage error too, and a chunk needs a row.
    ws.fairfit()
        .args([
            "train",
            "adult.csv",
            "-s",
            "schema.toml",
            "--chunk-rows",
            "10",
        ])
        .assert()
        .code(2);
    ws.fairfit()
        .args([
            "train",
            "--stream",
            "--chunk-rows",
            "0",
            "--train",
            "train.csv",
        ])
        .args(["-s", "schema.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("chunk"));
    // Without --stream, --train still needs --test.
    ws.fairfit()
        .args(["train", "--train", "train.csv", "-s", "schema.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--test"));
}
