//! End to end: `fairfit train` with a weight column, with separate train and test files, and on
//! data where the only fit is a constant rule.

mod common;

use common::Workspace;
use predicates::prelude::*;

#[test]
fn a_weight_column_weighs_rows() {
    let ws = Workspace::new();
    ws.write(
        "weighted.toml",
        &common::SCHEMA.replace("ignore = [\"fnlwgt\"]", "weight = \"fnlwgt\""),
    );
    let weighted = ws.train(&[
        "adult.csv",
        "-s",
        "weighted.toml",
        "-o",
        "w",
        "--resamples",
        "10",
    ]);
    let plain = ws.train(&[
        "adult.csv",
        "-s",
        "schema.toml",
        "-o",
        "p",
        "--resamples",
        "10",
    ]);
    assert_eq!(weighted["rows"], plain["rows"]);
    assert_ne!(weighted["test"]["accuracy"], plain["test"]["accuracy"]);
    // A negative weight is bad input with its place.
    let text = ws.adult();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let fields: Vec<&str> = lines[3].split(',').collect();
    lines[3] = lines[3].replacen(&format!(",{},", fields[2]), ",-5,", 1);
    ws.write("negative.csv", &(lines.join("\n") + "\n"));
    ws.fairfit()
        .args(["train", "negative.csv", "-s", "weighted.toml", "-o", "n"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "negative.csv, line 4, column `fnlwgt`: weight -5 is negative",
        ));
}

#[test]
fn train_and_test_files_instead_of_a_split() {
    let ws = Workspace::new();
    ws.split_files();
    let text = ws.adult();
    let rows = text.lines().count() - 1;
    let cut = rows * 2 / 3;
    let summary = ws.train(&[
        "--train",
        "train.csv",
        "--test",
        "test.csv",
        "-s",
        "schema.toml",
        "-o",
        "tt",
        "--resamples",
        "10",
    ]);
    let test_rows = summary["rows"][1].as_u64().unwrap() as usize;
    assert!(test_rows <= rows - cut && test_rows > (rows - cut) * 9 / 10);
}

#[test]
fn a_constant_rule_is_named_not_reported_as_fair() {
    let ws = Workspace::new();
    // No signal and 10 % positives: the fitted model decides 0 for everyone.
    let mut csv = String::from("x,group,y\n");
    for i in 0..300 {
        let group = if i % 2 == 0 { "a" } else { "b" };
        csv += &format!("{},{group},{}\n", i % 7, u8::from(i % 10 == 3));
    }
    ws.write("flat.csv", &csv);
    ws.write(
        "flat.toml",
        "label = \"y\"\nfavourable = \"1\"\nunfavourable = \"0\"\nsensitive = [\"group\"]\nnumeric = [\"x\"]\n",
    );
    let out = ws
        .fairfit()
        .args([
            "train",
            "flat.csv",
            "-s",
            "flat.toml",
            "-o",
            "flat",
            "--resamples",
            "10",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("constant rule: decides 0 for everyone"),
        "{text}"
    );
    let summary: serde_json::Value = serde_json::from_str(&ws.read("flat/summary.json")).unwrap();
    assert_eq!(summary["constant_rule"], true);
    ws.fairfit().args(["report", "flat"]).assert().success();
    assert!(ws
        .read("flat/report.html")
        .contains("a constant rule, which meets parity notions trivially"));
}
