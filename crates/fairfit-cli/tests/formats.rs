//! End to end: the same data as plain CSV, gzip CSV and Parquet give the same answers, and a
//! file that only pretends to be one of them is refused with exit code 2 and its name.

mod common;

use common::Workspace;
use predicates::prelude::*;

/// `fairfit audit FILE --json`'s output, but for the file name it records.
fn audit(ws: &Workspace, file: &str) -> serde_json::Value {
    let out = ws
        .fairfit()
        .args(["audit", file, "-s", "schema.toml", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mut audit: serde_json::Value = serde_json::from_slice(&out).expect("stdout is JSON");
    assert_eq!(audit["name"], file);
    audit["name"] = serde_json::Value::Null;
    audit
}

#[test]
fn csv_gzip_and_parquet_give_the_same_audit_and_the_same_model() {
    let ws = Workspace::new();
    ws.write_gzip("adult.csv", "adult.csv.gz");
    ws.write_parquet("adult.csv", "adult.parquet", usize::MAX);
    let csv = audit(&ws, "adult.csv");
    assert!(csv["rows"].as_u64().unwrap() > 1000);
    assert_eq!(audit(&ws, "adult.csv.gz"), csv);
    assert_eq!(audit(&ws, "adult.parquet"), csv);
    // The same split and fit from each format: the same pipeline (but for the solver's time).
    let pipeline = |file: &str, out: &str| -> serde_json::Value {
        ws.train(&[
            file,
            "-s",
            "schema.toml",
            "--penalty",
            "dp=2",
            "-o",
            out,
            "--seed",
            "3",
            "--resamples",
            "20",
        ]);
        ws.pipeline(out)
    };
    let from_csv = pipeline("adult.csv", "run_csv");
    assert!(from_csv["model"].is_object(), "{from_csv}");
    assert_eq!(pipeline("adult.csv.gz", "run_gz"), from_csv);
    assert_eq!(pipeline("adult.parquet", "run_parquet"), from_csv);
}

#[test]
fn a_file_that_only_pretends_to_be_gzip_or_parquet_is_refused_with_its_name() {
    let ws = Workspace::new();
    ws.write("fake.csv.gz", &ws.adult());
    ws.fairfit()
        .args(["audit", "fake.csv.gz", "-s", "schema.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("fake.csv.gz"));
    ws.write("broken.parquet", "PAR1 this is no Parquet file PAR1");
    ws.fairfit()
        .args(["audit", "broken.parquet", "-s", "schema.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("broken.parquet"));
}
