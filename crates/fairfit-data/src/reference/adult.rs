//! Adult (UCI census income, > 50K): 30,162 train / 15,060 test rows, 80 features,
//! sensitive attribute `sex` (Male, Female), secondary `race`.

use std::path::Path;

use super::{RawSplit, TrainTest};
use crate::error::Result;
use crate::schema::{CsvOptions, MissingPolicy, RawTable, Schema};

/// The columns of `adult.data` and `adult.test`, in order.
const COLUMNS: [&str; 15] = [
    "age",
    "workclass",
    "fnlwgt",
    "education",
    "education-num",
    "marital-status",
    "occupation",
    "relationship",
    "race",
    "sex",
    "capital-gain",
    "capital-loss",
    "hours-per-week",
    "native-country",
    "income",
];

/// Loads Adult from `dir` (`adult.data`, `adult.test`) by the protocol: rows with a `?` dropped,
/// label 1 for `>50K`, numeric age, education-num, capital-gain, capital-loss and hours-per-week
/// standardised on train, one-hot workclass, marital-status, occupation, relationship and
/// native-country with train categories (a test-only category encodes as zeros). Active groups:
/// `sex` with levels `["Male", "Female"]`; `race` is the secondary attribute (select it with
/// [`FairDataset::with_groups_from`](crate::FairDataset::with_groups_from)).
pub fn adult(dir: impl AsRef<Path>) -> Result<TrainTest> {
    Ok(adult_raw(dir)?.encode()?.1)
}

/// Adult's two files read as text with the protocol's schema, before encoding.
pub fn adult_raw(dir: impl AsRef<Path>) -> Result<RawSplit> {
    let dir = dir.as_ref();
    let options = CsvOptions::default().no_headers(&COLUMNS).comment(b'|');
    let train = RawTable::read(dir.join("adult.data"), &options)?;
    let mut test = RawTable::read(dir.join("adult.test"), &options)?;
    // The test file's labels end in a full stop (`>50K.`).
    test.map_column("income", |y| y.strip_suffix('.').unwrap_or(y).to_string())?;
    Ok(RawSplit {
        train,
        test,
        schema: schema()?,
    })
}

fn schema() -> Result<Schema> {
    Schema::builder()
        .label("income", ">50K")
        .sensitive_levels("sex", &["Male", "Female"])
        .sensitive("race")
        .numeric(&["age"])
        .categorical(&["workclass"])
        .numeric(&["education-num"])
        .categorical(&["marital-status", "occupation", "relationship"])
        .numeric(&["capital-gain", "capital-loss", "hours-per-week"])
        .categorical(&["native-country"])
        .ignore(&["fnlwgt", "education"])
        .missing("?", MissingPolicy::DropRow)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::test_support::{assert_standardised, base_rates, dir};

    #[test]
    fn adult_protocol_facts() {
        let data = adult(dir()).unwrap();
        assert_eq!(data.train.nrows(), 30_162);
        assert_eq!(data.test.nrows(), 15_060);
        assert_eq!(data.train.nfeatures(), 80);
        assert_eq!(data.test.feature_names(), data.train.feature_names());
        assert_eq!(data.train.groups().names(), ["Male", "Female"]);
        assert_eq!(base_rates(&data.train), [(6_396, 20_380), (1_112, 9_782)]);
        let names = data.train.feature_names();
        assert_eq!(names[0], "age");
        assert!(names.contains(&"workclass=Private".to_string()));
        for n in names {
            let excluded = ["fnlwgt", "education=", "sex", "race", "income"];
            assert!(
                !excluded.iter().any(|e| n.starts_with(e)),
                "{n} is a feature"
            );
        }
        // 5 numeric columns and 75 one-hot columns in 5 blocks: exactly five ones per train row.
        assert_eq!(names.iter().filter(|n| n.contains('=')).count(), 75);
        for row in data.train.records().rows() {
            let ones: f64 = row
                .iter()
                .zip(names)
                .filter(|(_, n)| n.contains('='))
                .map(|(v, _)| v)
                .sum();
            assert_eq!(ones, 5.0);
        }
        assert_standardised(
            &data.train,
            &[
                "age",
                "education-num",
                "capital-gain",
                "capital-loss",
                "hours-per-week",
            ],
        );
        // Labels are 0/1 in the test split too (the trailing full stop is handled).
        let test_pos = data.test.labels().unwrap().iter().filter(|&&y| y).count();
        assert_eq!(test_pos, 3_700);
        // Secondary attribute: race, five groups.
        let by_race = data.train.with_groups_from(&["race"]).unwrap();
        assert_eq!(by_race.groups().n_groups(), 5);
        assert_eq!(by_race.groups().counts().iter().sum::<usize>(), 30_162);
    }

    #[test]
    fn adult_test_only_category_encodes_as_zeros() {
        let mut raw = adult_raw(dir()).unwrap();
        // Give the first test row a country that never occurs in the training file.
        let mut first = true;
        raw.test
            .map_column("native-country", |c| {
                let out = if first {
                    "Atlantis".to_string()
                } else {
                    c.to_string()
                };
                first = false;
                out
            })
            .unwrap();
        let (_, data) = raw.encode().unwrap();
        let names = data.test.feature_names();
        let block: Vec<usize> = (0..names.len())
            .filter(|&j| names[j].starts_with("native-country="))
            .collect();
        assert_eq!(block.len(), 41);
        let sum = |i: usize| {
            block
                .iter()
                .map(|&j| data.test.records()[[i, j]])
                .sum::<f64>()
        };
        assert_eq!(sum(0), 0.0);
        assert_eq!(sum(1), 1.0);
        assert_eq!(data.test.nrows(), 15_060);
    }

    #[test]
    fn malformed_adult_line_names_file_and_line() {
        let dir = std::env::temp_dir().join(format!("fairfit-adult-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = "39, State-gov, 77516, Bachelors, 13, Never-married, Adm-clerical, \
                    Not-in-family, White, Male, 2174, 0, 40, United-States, <=50K\n";
        let bad_age = good.replacen("39", "3x9", 1);
        let rich = good.replace("<=50K", ">50K");
        std::fs::write(dir.join("adult.data"), format!("{good}{rich}{bad_age}")).unwrap();
        std::fs::write(
            dir.join("adult.test"),
            format!("|1x3 Cross validator\n{good}"),
        )
        .unwrap();
        let err = adult(&dir).unwrap_err();
        match &err {
            crate::DataError::Parse { position, .. } => {
                assert_eq!(position.path, dir.join("adult.data"));
                assert_eq!(position.line, 3);
                assert_eq!(position.column.as_deref(), Some("age"));
            }
            other => panic!("unexpected error {other}"),
        }
        let text = err.to_string();
        assert!(text.contains("adult.data, line 3, column `age`"), "{text}");
        // A short line: ragged, with its line.
        std::fs::write(dir.join("adult.data"), format!("{good}\n39, State-gov\n")).unwrap();
        let err = adult(&dir).unwrap_err();
        assert!(
            matches!(&err, crate::DataError::Ragged { position, found: 2, .. } if position.line == 3),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
