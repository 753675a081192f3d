//! End to end: the same data as plain CSV, gzip CSV and Parquet give the same answers, and a
//! file that only pretends to be one of them is refused with exit code 2 and its name.

mod common;

use std::io::Write;

use common::Workspace;
use fairfit_data::schema::{CsvOptions, ParquetColumn, ParquetKind, ParquetWriter, RawTable};
use flate2::write::GzEncoder;
use flate2::Compression;
use predicates::prelude::*;

/// The cut's numeric columns, written to Parquet as doubles (the rest as text).
const NUMERIC: [&str; 6] = [
    "age",
    "fnlwgt",
    "education-num",
    "capital-gain",
    "capital-loss",
    "hours-per-week",
];

/// Writes the workspace's `adult.csv` as `adult.csv.gz`.
fn write_gzip(ws: &Workspace) {
    let file = std::fs::File::create(ws.path("adult.csv.gz")).expect("create the gzip file");
    let mut gz = GzEncoder::new(file, Compression::default());
    gz.write_all(ws.adult().as_bytes()).expect("compress");
    gz.finish().expect("finish the gzip stream");
}

/// Writes the workspace's `adult.csv` as `adult.parquet`, numbers as doubles.
fn write_parquet(ws: &Workspace) {
    let table = RawTable::read(ws.path("adult.csv"), &CsvOptions::default()).expect("read the cut");
    let kinds: Vec<(&str, ParquetKind)> = table
        .columns()
        .iter()
        .map(|c| {
            let kind = if NUMERIC.contains(&c.as_str()) {
                ParquetKind::Double
            } else {
                ParquetKind::Text
            };
            (c.as_str(), kind)
        })
        .collect();
    let columns: Vec<ParquetColumn> = kinds
        .iter()
        .enumerate()
        .map(|(j, (_, kind))| {
            let cells = table.rows().iter().map(|r| r.field(j));
            match kind {
                ParquetKind::Double => {
                    ParquetColumn::Double(cells.map(|c| c.parse().expect("a number")).collect())
                }
                _ => ParquetColumn::Text(cells.map(|c| Some(c.to_string())).collect()),
            }
        })
        .collect();
    let mut writer = ParquetWriter::create(ws.path("adult.parquet"), &kinds).expect("create");
    writer.write(&columns).expect("one row group");
    writer.finish().expect("finish the Parquet file");
}

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
    write_gzip(&ws);
    write_parquet(&ws);
    let csv = audit(&ws, "adult.csv");
    assert!(csv["rows"].as_u64().unwrap() > 1000);
    assert_eq!(audit(&ws, "adult.csv.gz"), csv);
    assert_eq!(audit(&ws, "adult.parquet"), csv);
    // The same split and fit from each format: the same pipeline (but for the solver's time).
    let pipeline = |file: &str, out: &str| -> serde_json::Value {
        ws.fairfit()
            .args(["train", file, "-s", "schema.toml", "--penalty", "dp=2"])
            .args(["-o", out, "--seed", "3", "--resamples", "20", "-q"])
            .assert()
            .success();
        let mut pipeline: serde_json::Value =
            serde_json::from_str(&ws.read(&format!("{out}/pipeline.json"))).expect("JSON");
        pipeline["model"]["report"]["elapsed"] = serde_json::Value::Null;
        pipeline
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
