//! Bad input gives exit code 2 and a message naming the file, line and column.

mod common;

use common::Workspace;
use predicates::prelude::*;

fn train(ws: &Workspace, data: &str, schema: &str) -> assert_cmd::assert::Assert {
    ws.fairfit()
        .args([
            "train",
            data,
            "-s",
            schema,
            "-o",
            "out",
            "--resamples",
            "10",
            "-q",
        ])
        .assert()
}

#[test]
fn a_column_the_file_lacks_is_named_with_the_file() {
    let ws = Workspace::new();
    ws.write(
        "wrong.toml",
        &common::SCHEMA.replace("\"hours-per-week\"", "\"hours\""),
    );
    train(&ws, "adult.csv", "wrong.toml")
        .code(2)
        .stderr(predicate::str::contains(
            "adult.csv, line 1: the schema names column `hours`",
        ));
    // A file with a column the schema does not mention.
    ws.write(
        "narrow.toml",
        &common::SCHEMA.replace("ignore = [\"fnlwgt\"]", "ignore = []"),
    );
    train(&ws, "adult.csv", "narrow.toml")
        .code(2)
        .stderr(predicate::str::contains(
            "adult.csv, line 1: column `fnlwgt` is not in the schema",
        ));
}

#[test]
fn an_unknown_label_value_names_line_and_column() {
    let ws = Workspace::new();
    let text = ws.adult().replacen("<=50K", "<=50k", 1);
    let line = text.lines().position(|l| l.ends_with("<=50k")).unwrap() + 1;
    ws.write("typo.csv", &text);
    train(&ws, "typo.csv", "schema.toml")
        .code(2)
        .stderr(predicate::str::contains(format!(
        "typo.csv, line {line}, column `income`: label value `<=50k` is neither `>50K` nor `<=50K`"
    )));
}

#[test]
fn a_field_that_is_not_a_number_names_line_and_column() {
    let ws = Workspace::new();
    let mut lines: Vec<String> = ws.adult().lines().map(String::from).collect();
    lines[5] = lines[5].replacen(&lines[5][..2].to_string(), "old", 1);
    ws.write("nan.csv", &(lines.join("\n") + "\n"));
    ws.fairfit()
        .args(["audit", "nan.csv", "-s", "schema.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nan.csv, line 6, column `age`"));
    // A ragged row.
    lines[5] = "39,State-gov".into();
    ws.write("ragged.csv", &(lines.join("\n") + "\n"));
    train(&ws, "ragged.csv", "schema.toml")
        .code(2)
        .stderr(predicate::str::contains("ragged.csv, line 6"));
}

#[test]
fn a_schema_file_error_names_its_line_and_column() {
    let ws = Workspace::new();
    ws.write(
        "typo.toml",
        &common::SCHEMA.replace("missing_policy", "missing_polcy"),
    );
    train(&ws, "adult.csv", "typo.toml").code(2).stderr(
        predicate::str::contains("typo.toml, line 9, column 1")
            .and(predicate::str::contains("missing_polcy")),
    );
    ws.write(
        "nosens.toml",
        &common::SCHEMA.replace("[\"sex\", \"race\"]", "[]"),
    );
    ws.fairfit()
        .args(["audit", "adult.csv", "-s", "nosens.toml"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("nosens.toml, line 4")
                .and(predicate::str::contains("no sensitive column")),
        );
    ws.fairfit()
        .args(["audit", "adult.csv", "-s", "absent.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("absent.toml"));
}

#[test]
fn bad_pipelines_streams_and_options_exit_2() {
    let ws = Workspace::new();
    ws.write("broken.json", "{\"format_version\": 1");
    ws.fairfit()
        .args(["score", "adult.csv", "-p", "broken.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("broken.json"));
    ws.write(
        "stream.csv",
        "time,score,label,group\n0,0.5,1,a\n1,0.7,yes,b\n",
    );
    ws.fairfit()
        .args([
            "monitor",
            "stream.csv",
            "--window-rows",
            "1",
            "--bound",
            "dp=0.1",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "stream.csv, line 3, column `label`",
        ));
    train(&ws, "adult.csv", "schema.toml").code(0);
    ws.fairfit()
        .args([
            "train",
            "adult.csv",
            "-s",
            "schema.toml",
            "--penalty",
            "fairness=1",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown notion `fairness`"));
    ws.fairfit()
        .args([
            "train",
            "adult.csv",
            "-s",
            "schema.toml",
            "--preprocess",
            "di-remover",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("feature repair"));
    // A certificate is about the rule it tested: no thresholds after it.
    ws.fairfit()
        .args([
            "train",
            "adult.csv",
            "-s",
            "schema.toml",
            "--high-confidence",
            "dp=0.3",
            "--thresholds",
            "dp",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
    // Scoring a file whose sensitive column has a level the pipeline never saw.
    let text = ws.adult().replacen(",Male,", ",Unknown,", 1);
    ws.write("level.csv", &text);
    ws.fairfit()
        .args(["evaluate", "level.csv", "-p", "out/pipeline.json"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("level.csv, line")
                .and(predicate::str::contains("column `sex`")),
        );
}
