//! End to end: `fairfit schema infer` on a cut of Adult (golden draft) and on the shipped
//! COMPAS file.

mod common;

use common::{golden, Workspace};
use predicates::prelude::*;

fn json(output: &[u8]) -> serde_json::Value {
    serde_json::from_slice(output).expect("stdout is JSON")
}

#[test]
fn schema_infer_drafts_a_schema_that_trains() {
    let ws = Workspace::new();
    let out = ws
        .fairfit()
        .args(["schema", "infer", "adult.csv"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let draft = String::from_utf8(out).unwrap();
    golden("adult_schema.toml", &draft);
    assert!(draft.contains("label = \"income\""));
    assert!(draft.contains("favourable = \">50K\""));
    assert!(draft.contains("sensitive = [\"sex\", \"race\"]"));
    // The draft is usable as it is.
    ws.write("drafted.toml", &draft);
    ws.fairfit()
        .args(["audit", "adult.csv", "--schema", "drafted.toml"])
        .assert()
        .success();
    // -o writes the file; --label/--favourable override the guesses.
    ws.fairfit()
        .args([
            "schema",
            "infer",
            "adult.csv",
            "-o",
            "s2.toml",
            "--label",
            "sex",
            "--favourable",
            "Female",
            "--sensitive",
            "race",
            "-q",
        ])
        .assert()
        .success()
        .stdout(predicate::str::is_empty());
    let s2 = ws.read("s2.toml");
    assert!(
        s2.contains("label = \"sex\"") && s2.contains("favourable = \"Female\""),
        "{s2}"
    );
    ws.fairfit()
        .args(["schema", "infer", "adult.csv", "--label", "age"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`age` has"));
}

#[test]
fn schema_infer_reads_the_shipped_compas_file() {
    let ws = Workspace::new();
    let compas = common::datasets().join("compas-scores-two-years.csv");
    let out = ws
        .fairfit()
        .arg("schema")
        .arg("infer")
        .arg(&compas)
        .args(["--favourable", "0", "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let draft = json(&out);
    let schema = &draft["schema"];
    assert_eq!(schema["label"], "two_year_recid");
    assert_eq!(
        (
            schema["favourable"].as_str(),
            schema["unfavourable"].as_str()
        ),
        (Some("0"), Some("1"))
    );
    assert_eq!(schema["sensitive"], serde_json::json!(["sex", "race"]));
    let ignored: Vec<&str> = schema["ignore"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    for column in ["id", "name", "dob", "r_charge_desc", "violent_recid"] {
        assert!(
            ignored.contains(&column),
            "{column} not ignored: {ignored:?}"
        );
    }
    assert!(schema["numeric"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("priors_count")));
}
