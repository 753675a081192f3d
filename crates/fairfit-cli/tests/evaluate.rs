//! End to end: `fairfit evaluate --weight COLUMN` weighs every row as `train` did.

mod common;

use common::Workspace;

#[test]
fn evaluate_weighs_rows_by_the_weight_column() {
    let ws = Workspace::new();
    ws.split_files();
    ws.write(
        "weighted.toml",
        &common::SCHEMA.replace("ignore = [\"fnlwgt\"]", "weight = \"fnlwgt\""),
    );
    let trained = ws.train(&[
        "--train",
        "train.csv",
        "--test",
        "test.csv",
        "-s",
        "weighted.toml",
        "-o",
        "w",
        "--resamples",
        "10",
    ]);
    let evaluate = |weight: Option<&str>| -> serde_json::Value {
        let mut args = vec!["test.csv", "-p", "w/pipeline.json", "--resamples", "0"];
        args.extend(weight.map(|w| ["--weight", w]).into_iter().flatten());
        ws.json("evaluate", &args)
    };
    let weighted = evaluate(Some("fnlwgt"));
    let plain = evaluate(None);
    // The weighted evaluation is train's weighted held-out reading; the plain one is not.
    assert_eq!(
        weighted["decisions"]["accuracy"],
        trained["test"]["accuracy"]
    );
    // train reports dp and eo; evaluate adds the dp ratio after them.
    assert_eq!(weighted["decisions"]["gaps"][0], trained["test"]["gaps"][0]);
    assert_eq!(weighted["decisions"]["gaps"][1], trained["test"]["gaps"][1]);
    assert_ne!(
        plain["decisions"]["accuracy"],
        weighted["decisions"]["accuracy"]
    );
    // A weight column the file lacks is bad input naming it.
    ws.fairfit()
        .args([
            "evaluate",
            "test.csv",
            "-p",
            "w/pipeline.json",
            "--weight",
            "w8",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("`w8`"));
}
