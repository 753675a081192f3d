//! German credit (Statlog): 700 train / 300 test rows by 0-based line `% 10 < 7`, label 1 for
//! good risk, sensitive attribute `sex` from attribute 9, secondary `age` (> 25 vs <= 25).

use std::path::Path;

use super::{RawSplit, TrainTest};
use crate::error::{DataError, Result};
use crate::schema::{CsvOptions, MissingPolicy, RawTable, Schema};

/// The 20 attributes and the label of `german.data`, in order (names from the UCI description).
const COLUMNS: [&str; 21] = [
    "checking_status",
    "duration",
    "credit_history",
    "purpose",
    "credit_amount",
    "savings",
    "employment_since",
    "installment_rate",
    "personal_status_sex",
    "other_debtors",
    "residence_since",
    "property",
    "age",
    "other_installment_plans",
    "housing",
    "existing_credits",
    "job",
    "people_liable",
    "telephone",
    "foreign_worker",
    "credit_risk",
];

/// Levels of the derived `sex` attribute.
pub const GERMAN_SEX_LEVELS: [&str; 2] = ["male", "female"];
/// Levels of the derived `age` attribute.
pub const GERMAN_AGE_LEVELS: [&str; 2] = ["age > 25", "age <= 25"];

/// Loads German credit from `dir` (`german.data`) by the protocol. Label: 1 where the code is 1
/// (good risk). Sensitive `sex` (male, female) derived from attribute 9: A92 and A95 female,
/// A91, A93 and A94 male; secondary `age` (`age > 25`, `age <= 25`). Features: the 7 numeric
/// attributes standardised on train, the 12 other categorical attributes (all but attribute 9)
/// one-hot with train categories, named by their UCI codes (e.g. `purpose=A43`).
pub fn german(dir: impl AsRef<Path>) -> Result<TrainTest> {
    Ok(german_raw(dir)?.encode()?.1)
}

/// German credit read as text with the derived `sex` and `age_group` columns, split by the
/// protocol, with its schema, before encoding.
pub fn german_raw(dir: impl AsRef<Path>) -> Result<RawSplit> {
    let options = CsvOptions::default().delimiter(b' ').no_headers(&COLUMNS);
    let mut table = RawTable::read(dir.as_ref().join("german.data"), &options)?;
    let status = table.column_index("personal_status_sex")?;
    let age = table.column_index("age")?;
    let lookup = table.clone();
    table.add_column("sex", |row| match row.field(status) {
        "A92" | "A95" => Ok(GERMAN_SEX_LEVELS[1].to_string()),
        "A91" | "A93" | "A94" => Ok(GERMAN_SEX_LEVELS[0].to_string()),
        other => Err(DataError::UnknownLevel {
            position: lookup.position(row, Some(status)),
            value: other.to_string(),
            known: ["A91", "A92", "A93", "A94", "A95"]
                .map(String::from)
                .to_vec(),
        }),
    })?;
    table.add_column("age_group", |row| {
        let over = lookup.number(row, age)? > 25.0;
        Ok(GERMAN_AGE_LEVELS[usize::from(!over)].to_string())
    })?;
    let (train, test) = table.partition(|row| (row.line() - 1) % 10 < 7);
    Ok(RawSplit {
        train,
        test,
        schema: schema()?,
    })
}

fn schema() -> Result<Schema> {
    Schema::builder()
        .label("credit_risk", "1")
        .sensitive_levels("sex", &GERMAN_SEX_LEVELS)
        .sensitive_levels("age_group", &GERMAN_AGE_LEVELS)
        .categorical(&["checking_status"])
        .numeric(&["duration"])
        .categorical(&["credit_history", "purpose"])
        .numeric(&["credit_amount"])
        .categorical(&["savings", "employment_since"])
        .numeric(&["installment_rate"])
        .categorical(&["other_debtors"])
        .numeric(&["residence_since"])
        .categorical(&["property"])
        .numeric(&["age"])
        .categorical(&["other_installment_plans", "housing"])
        .numeric(&["existing_credits"])
        .categorical(&["job"])
        .numeric(&["people_liable"])
        .categorical(&["telephone", "foreign_worker"])
        .ignore(&["personal_status_sex"])
        .missing("", MissingPolicy::Error)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::test_support::{assert_standardised, base_rates, dir};

    const NUMERIC: [&str; 7] = [
        "duration",
        "credit_amount",
        "installment_rate",
        "residence_since",
        "age",
        "existing_credits",
        "people_liable",
    ];

    #[test]
    fn german_protocol_facts() {
        let data = german(dir()).unwrap();
        assert_eq!((data.train.nrows(), data.test.nrows()), (700, 300));
        // 7 numeric + 50 train categories of the 12 categorical attributes.
        assert_eq!(data.train.nfeatures(), 57);
        let names = data.train.feature_names();
        assert_eq!(names.iter().filter(|n| !n.contains('=')).count(), 7);
        assert!(names.contains(&"purpose=A43".to_string()));
        assert!(!names.iter().any(|n| n.starts_with("personal_status_sex")
            || n.starts_with("sex")
            || n.starts_with("credit_risk")));
        assert_standardised(&data.train, &NUMERIC);
        // Counted independently from the raw file: (good risk, rows) per group on train.
        assert_eq!(data.train.groups().names(), GERMAN_SEX_LEVELS);
        assert_eq!(base_rates(&data.train), [(347, 474), (144, 226)]);
        let by_age = data.train.clone().with_groups_from(&["age_group"]).unwrap();
        assert_eq!(by_age.groups().names(), GERMAN_AGE_LEVELS);
        assert_eq!(base_rates(&by_age), [(411, 557), (80, 143)]);
    }

    #[test]
    fn german_split_by_line_and_sex_codes() {
        let raw = german_raw(dir()).unwrap();
        assert!(raw.train.rows().iter().all(|r| (r.line() - 1) % 10 < 7));
        assert!(raw.test.rows().iter().all(|r| (r.line() - 1) % 10 >= 7));
        assert_eq!(raw.train.rows()[7].line(), 11); // lines 8..10 (0-based 7..9) are test
        let status = raw.train.column_index("personal_status_sex").unwrap();
        let sex = raw.train.column_index("sex").unwrap();
        for row in raw.train.rows().iter().chain(raw.test.rows()) {
            let female = matches!(row.field(status), "A92" | "A95");
            assert_eq!(row.field(sex) == "female", female);
        }
    }

    #[test]
    fn german_unknown_status_code_names_line() {
        let dir = std::env::temp_dir().join(format!("fairfit-german-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good =
            "A11 6 A34 A43 1169 A65 A75 4 A93 A101 4 A121 67 A143 A152 2 A173 1 A192 A201 1\n";
        let bad = good.replace("A93", "A99");
        std::fs::write(dir.join("german.data"), format!("{good}{bad}")).unwrap();
        let err = german(&dir).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            matches!(&err, DataError::UnknownLevel { position, value, .. }
                if position.line == 2 && value == "A99"
                && position.column.as_deref() == Some("personal_status_sex")),
            "{err}"
        );
    }
}
