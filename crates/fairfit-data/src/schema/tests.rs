//! Tests of schema-driven loading: policies, encodings and every typed error.
//! Compiled only under `#[cfg(test)]` (see the parent module).

use super::*;
use crate::DataError;

fn table(text: &str) -> RawTable {
    RawTable::from_reader(text.as_bytes(), "t.csv", &CsvOptions::default()).unwrap()
}

const TRAIN: &str = "\
id,age,job,sex,race,y
1,20,a,F,W,yes
2,40,b,M,B,no
3,30,a,M,W,yes
4,?,b,F,B,no
5,50,?,M,W,no
";

fn schema(policy: MissingPolicy) -> SchemaBuilder {
    Schema::builder()
        .label("y", "yes")
        .sensitive("sex")
        .sensitive("race")
        .numeric(&["age"])
        .categorical(&["job"])
        .ignore(&["id"])
        .missing("?", policy)
}

#[test]
fn drop_row_policy_fits_on_complete_rows_only() {
    let s = schema(MissingPolicy::DropRow).build().unwrap();
    let (enc, data) = Encoder::fit_transform(&s, &table(TRAIN)).unwrap();
    assert_eq!(data.nrows(), 3);
    let FeatureEncoder::Numeric(age) = &enc.features()[0] else {
        panic!("age is numeric")
    };
    // mean of 20, 40, 30 and population sd sqrt(200/3)
    assert_eq!(age.mean(), 30.0);
    assert!((age.sd() - (200.0f64 / 3.0).sqrt()).abs() < 1e-12);
    assert_eq!(data.targets().to_vec(), [1.0, 0.0, 1.0]);
    assert_eq!(enc.label_values(), &["no".to_string(), "yes".to_string()]);
    assert_eq!(data.feature_names(), ["age", "job=a", "job=b"]);
    assert_eq!(data.records().row(1).to_vec()[1..], [0.0, 1.0]);
    // sensitive attributes, sorted levels; the first is active
    assert_eq!(data.groups().names(), ["F", "M"]);
    assert_eq!(data.attribute("race").unwrap().levels(), ["B", "W"]);
    assert_eq!(data.attribute("race").unwrap().codes(), [1, 0, 1]);
}

#[test]
fn impute_policy_uses_train_mean_and_mode() {
    let s = schema(MissingPolicy::Impute).build().unwrap();
    let (enc, data) = Encoder::fit_transform(&s, &table(TRAIN)).unwrap();
    assert_eq!(data.nrows(), 5);
    let FeatureEncoder::Numeric(age) = &enc.features()[0] else {
        panic!("age is numeric")
    };
    assert_eq!(age.mean(), 35.0); // 20, 40, 30, 50
    assert_eq!(data.records()[[3, 0]], 0.0); // imputed mean, standardised
                                             // job: a, b, a, b observed -> tie, mode is the first sorted: a
    assert_eq!(data.records().row(4).to_vec()[1..], [1.0, 0.0]);
    // a missing label cannot be imputed
    let bad = "id,age,job,sex,race,y\n1,20,a,F,W,?\n2,30,b,M,W,no\n3,1,a,F,B,yes\n";
    let err = Encoder::fit(&s, &table(bad)).unwrap_err();
    assert!(
        matches!(&err, DataError::Missing { position, .. }
            if position.line == 2 && position.column.as_deref() == Some("y")),
        "{err}"
    );
}

#[test]
fn error_policy_names_line_and_column() {
    let s = schema(MissingPolicy::Error).build().unwrap();
    let err = Encoder::fit(&s, &table(TRAIN)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "t.csv, line 5, column `age`: missing value (`?`)"
    );
}

#[test]
fn encoder_applies_train_statistics_unchanged_to_test() {
    let s = schema(MissingPolicy::DropRow).build().unwrap();
    let enc = Encoder::fit(&s, &table(TRAIN)).unwrap();
    let test = table("id,age,job,sex,race,y\n9,30,c,M,B,no\n10,40,b,F,W,yes\n");
    let data = enc.transform(&test).unwrap();
    let sd = (200.0f64 / 3.0).sqrt();
    // unseen job `c` -> zeros; age uses the train mean 30 and train sd
    assert_eq!(data.records().row(0).to_vec(), [0.0, 0.0, 0.0]);
    assert_eq!(data.records().row(1).to_vec(), [10.0 / sd, 0.0, 1.0]);
    // the same rows through transform_features (no label, no sensitive column needed)
    let features = table("job,age\nc,30\nb,40\n");
    assert_eq!(enc.transform_features(&features).unwrap(), data.records());
    // under the Error rule an unseen category is rejected with its position
    let strict = schema(MissingPolicy::DropRow)
        .unseen(UnseenCategory::Error)
        .build()
        .unwrap();
    let err = Encoder::fit(&strict, &table(TRAIN))
        .unwrap()
        .transform(&test)
        .unwrap_err();
    assert!(
        matches!(&err, DataError::UnknownLevel { position, value, .. }
            if position.line == 2 && value == "c"),
        "{err}"
    );
    // an unseen sensitive level or label value is always an error
    let odd = table("id,age,job,sex,race,y\n9,30,a,X,B,no\n");
    assert!(matches!(
        enc.transform(&odd),
        Err(DataError::UnknownLevel { .. })
    ));
    let odd = table("id,age,job,sex,race,y\n9,30,a,F,B,maybe\n");
    assert!(matches!(
        enc.transform(&odd),
        Err(DataError::UnknownLevel { .. })
    ));
}

#[test]
fn encoder_round_trips_through_json_file() {
    let s = schema(MissingPolicy::Impute)
        .indicator("sex", "F")
        .build()
        .unwrap();
    let enc = Encoder::fit(&s, &table(TRAIN)).unwrap();
    let path = std::env::temp_dir().join(format!("fairfit-encoder-{}.json", std::process::id()));
    enc.save(&path).unwrap();
    let back = Encoder::load(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(back, enc);
    let t = table(TRAIN);
    assert_eq!(back.transform(&t).unwrap(), enc.transform(&t).unwrap());
    assert_eq!(back.feature_names(), ["age", "job=a", "job=b", "sex=F"]);
    assert!(matches!(
        Encoder::load("/nonexistent/enc.json"),
        Err(DataError::Io { .. })
    ));
}

#[test]
fn bad_numbers_are_typed_errors_with_position() {
    let s = schema(MissingPolicy::DropRow).build().unwrap();
    for (field, what) in [
        ("abc", "not a number"),
        ("NaN", "not a finite"),
        ("inf", "not a finite"),
    ] {
        let text = format!("id,age,job,sex,race,y\n1,20,a,F,W,yes\n2,{field},b,M,W,no\n");
        let err = Encoder::fit(&s, &table(&text)).unwrap_err();
        match &err {
            DataError::Parse { position, message } => {
                assert_eq!(position.line, 3);
                assert_eq!(position.column.as_deref(), Some("age"));
                assert!(message.contains(what), "{message}");
            }
            other => panic!("unexpected {other}"),
        }
    }
}

/// Issue 13: a file with old-Mac line ends (`\r` alone) reported every error at line 1; the
/// same error is on the same line whatever the line ends.
#[test]
fn errors_name_the_same_line_whatever_the_line_ends() {
    let s = schema(MissingPolicy::DropRow).build().unwrap();
    for end in ["\n", "\r\n", "\r"] {
        let text = [
            "id,age,job,sex,race,y",
            "1,20,a,F,W,yes",
            "2,30,b,M,B,no",
            "3,old,a,M,W,no",
            "",
        ]
        .join(end);
        let err = Encoder::fit(&s, &table(&text)).unwrap_err();
        assert!(
            matches!(&err, DataError::Parse { position, .. } if position.line == 4),
            "line ends {end:?}: {err}"
        );
    }
}

#[test]
fn unknown_and_unmentioned_columns_are_rejected() {
    let s = schema(MissingPolicy::DropRow)
        .numeric(&["height"])
        .build()
        .unwrap();
    let err = Encoder::fit(&s, &table(TRAIN)).unwrap_err();
    assert!(
        matches!(&err, DataError::UnknownColumn { name, context } if name == "height" && context == "t.csv"),
        "{err}"
    );
    let no_id = Schema::builder()
        .label("y", "yes")
        .sensitive("sex")
        .numeric(&["age"])
        .missing("?", MissingPolicy::DropRow);
    let err = Encoder::fit(&no_id.clone().build().unwrap(), &table(TRAIN)).unwrap_err();
    assert!(err.to_string().contains("column `id`"), "{err}");
    assert!(Encoder::fit(&no_id.ignore_others().build().unwrap(), &table(TRAIN)).is_ok());
}

#[test]
fn label_must_have_exactly_two_values() {
    let s = schema(MissingPolicy::DropRow).build().unwrap();
    let three = "id,age,job,sex,race,y\n1,20,a,F,W,yes\n2,30,b,M,W,no\n3,1,a,F,B,maybe\n";
    let one = "id,age,job,sex,race,y\n1,20,a,F,W,yes\n2,30,b,M,W,yes\n";
    let no_favourable = "id,age,job,sex,race,y\n1,20,a,F,W,ja\n2,30,b,M,W,nein\n";
    for text in [three, one, no_favourable] {
        let err = Encoder::fit(&s, &table(text)).unwrap_err();
        assert!(
            matches!(&err, DataError::LabelValues { column, .. } if column == "y"),
            "{err}"
        );
    }
}

#[test]
fn fixed_sensitive_levels_reject_other_values() {
    let s = Schema::builder()
        .label("y", "yes")
        .sensitive_levels("sex", &["M", "F"])
        .numeric(&["age"])
        .ignore_others()
        .missing("?", MissingPolicy::DropRow)
        .build()
        .unwrap();
    let (_, data) = Encoder::fit_transform(&s, &table(TRAIN)).unwrap();
    assert_eq!(data.groups().names(), ["M", "F"]);
    let text = "sex,age,y\nM,1,yes\nX,2,no\n";
    let err = Encoder::fit(&s, &table(text)).unwrap_err();
    assert!(
        matches!(&err, DataError::UnknownLevel { position, .. } if position.line == 3),
        "{err}"
    );
}

#[test]
fn load_train_test_fits_on_train_file_only() {
    let dir = std::env::temp_dir().join(format!("fairfit-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("train.csv"), TRAIN).unwrap();
    std::fs::write(
        dir.join("test.csv"),
        "id,age,job,sex,race,y\n9,130,a,M,B,no\n",
    )
    .unwrap();
    let s = schema(MissingPolicy::DropRow).build().unwrap();
    let (enc, split) = load_train_test(
        &s,
        dir.join("train.csv"),
        dir.join("test.csv"),
        &CsvOptions::default(),
    )
    .unwrap();
    let missing = load_train_test(
        &s,
        dir.join("nope.csv"),
        dir.join("test.csv"),
        &CsvOptions::default(),
    );
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(matches!(missing, Err(DataError::Io { .. })));
    assert_eq!((split.train.nrows(), split.test.nrows()), (3, 1));
    // test age 130 is standardised with the train mean 30 and sd sqrt(200/3)
    let sd = (200.0f64 / 3.0).sqrt();
    assert!((split.test.records()[[0, 0]] - 100.0 / sd).abs() < 1e-12);
    assert_eq!(enc.width(), 3);
}

/// A saved encoder whose JSON was edited by `from → to` (asserting `from` is in it): its load error.
fn load_edited(encoder: &Encoder, from: &str, to: &str) -> String {
    let json = serde_json::to_string(encoder).unwrap();
    assert!(json.contains(from), "{json} lacks {from}");
    Encoder::from_json(&json.replacen(from, to, 1))
        .unwrap_err()
        .to_string()
}

#[test]
fn saved_encoders_are_checked_on_load() {
    let s = schema(MissingPolicy::DropRow)
        .indicator("race", "W")
        .build()
        .unwrap();
    let enc = Encoder::fit(&s, &table(TRAIN)).unwrap();
    assert_eq!(Encoder::from_json(&enc.to_json().unwrap()).unwrap(), enc);
    let FeatureEncoder::Numeric(age) = &enc.features()[0] else {
        panic!("age is numeric")
    };
    let sd = format!(r#""sd":{}"#, serde_json::to_string(&age.sd()).unwrap());
    let cases = [
        // the standardiser: sd 0 divided by zero (the issue's panic), sd −1 flipped the sign
        (
            sd.as_str(),
            r#""sd":0.0"#,
            "standard deviation must be finite and > 0, got 0",
        ),
        (sd.as_str(), r#""sd":-1.0"#, "got -1"),
        // one-hot: unsorted categories changed scores, repeated ones too
        (
            r#""categories":["a","b"]"#,
            r#""categories":["b","a"]"#,
            "not sorted",
        ),
        (
            r#""categories":["a","b"]"#,
            r#""categories":["a","a"]"#,
            "repeats",
        ),
        // the schema inside
        (
            r#""sensitive":[{"column":"sex","levels":null},{"column":"race","levels":null}]"#,
            r#""sensitive":[]"#,
            "no sensitive column",
        ),
        // parts that disagree with each other
        (
            r#""sensitive_levels":[["F","M"],"#,
            r#""sensitive_levels":["#,
            "sensitive levels (one list per sensitive column) has 1 entries, expected 2",
        ),
        (
            r#"["F","M"]"#,
            r#"["F","F"]"#,
            "`sex` lists level `F` twice",
        ),
        (
            r#""label_values":["no","yes"]"#,
            r#""label_values":["yes","no"]"#,
            "favourable = `yes`",
        ),
        (
            r#""label_values":["no","yes"]"#,
            r#""label_values":["yes","yes"]"#,
            "both values are `yes`",
        ),
        (
            r#"{"Indicator":{"column":"race","level":"W"}}"#,
            r#"{"Indicator":{"column":"race","level":"B"}}"#,
            "fitted feature 2 (`race`)",
        ),
        (
            r#",{"Indicator":{"column":"race","level":"W"}}"#,
            "",
            "has 2 entries, expected 3",
        ),
        // unknown fields anywhere
        (
            r#""label_values":"#,
            r#""version":1,"label_values":"#,
            "unknown field `version`",
        ),
        (
            r#""level":"W""#,
            r#""level":"W","weight":2"#,
            "unknown field `weight`",
        ),
    ];
    for (from, to, expected) in cases {
        let err = load_edited(&enc, from, to);
        assert!(err.contains(expected), "{from} → {to}: {err}");
    }
}
