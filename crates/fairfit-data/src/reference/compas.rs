//! COMPAS (ProPublica, two-year recidivism): 6,172 rows after ProPublica's filter, 5,278
//! African-American or Caucasian, 3,687 train / 1,591 test by `id % 10 < 7`, 11 features,
//! sensitive attribute `race`, secondary `sex`.

use std::path::Path;

use super::{RawSplit, TrainTest};
use crate::error::{DataError, Result};
use crate::schema::{CsvOptions, MissingPolicy, RawRow, RawTable, Schema};

/// The file name inside the data set folder.
const FILE: &str = "compas-scores-two-years.csv";

/// Loads COMPAS from `dir` by the protocol. ProPublica's filter keeps rows with
/// `days_b_screening_arrest` in [-30, 30] (empty counts as outside), `is_recid != -1`,
/// `c_charge_degree != "O"` and `score_text != "N/A"`; then `race` in {African-American,
/// Caucasian}. Label: `two_year_recid`, so **1 means re-offended** (as the protocol fixes it;
/// the favourable outcome for the defendant is 0). Features: standardised age, priors_count,
/// juv_fel_count, juv_misd_count, juv_other_count; one-hot c_charge_degree and age_cat;
/// `sex=Female` as a 0/1 feature. Active groups: `race` (African-American, Caucasian);
/// secondary: `sex` (Male, Female).
pub fn compas(dir: impl AsRef<Path>) -> Result<TrainTest> {
    Ok(compas_raw(dir)?.encode()?.1)
}

/// COMPAS read as text, filtered and split by the protocol, with its schema, before encoding.
pub fn compas_raw(dir: impl AsRef<Path>) -> Result<RawSplit> {
    let (_, kept) = compas_filtered(dir)?;
    let id = kept.column_index("id")?;
    let mut train_of = Vec::with_capacity(kept.len());
    for row in kept.rows() {
        train_of.push(parse_int(&kept, row, id)? % 10 < 7);
    }
    let mut flags = train_of.into_iter();
    let (train, test) = kept.partition(|_| flags.next().unwrap_or(false));
    Ok(RawSplit {
        train,
        test,
        schema: schema()?,
    })
}

/// The rows after ProPublica's filter (6,172) and after the race filter (5,278), as text.
pub fn compas_filtered(dir: impl AsRef<Path>) -> Result<(RawTable, RawTable)> {
    let table = RawTable::read(dir.as_ref().join(FILE), &CsvOptions::default())?;
    let days = table.column_index("days_b_screening_arrest")?;
    let is_recid = table.column_index("is_recid")?;
    let degree = table.column_index("c_charge_degree")?;
    let score = table.column_index("score_text")?;
    let race = table.column_index("race")?;
    let lookup = table.clone();
    let propublica = table.try_filter(|row| {
        let within = match row.field(days) {
            "" => false,
            _ => lookup.number(row, days)?.abs() <= 30.0,
        };
        Ok(within
            && row.field(is_recid) != "-1"
            && row.field(degree) != "O"
            && row.field(score) != "N/A")
    })?;
    let two_races = propublica
        .clone()
        .filter(|row| matches!(row.field(race), "African-American" | "Caucasian"));
    Ok((propublica, two_races))
}

fn schema() -> Result<Schema> {
    Schema::builder()
        .label("two_year_recid", "1")
        .sensitive_levels("race", &["African-American", "Caucasian"])
        .sensitive_levels("sex", &["Male", "Female"])
        .numeric(&[
            "age",
            "priors_count",
            "juv_fel_count",
            "juv_misd_count",
            "juv_other_count",
        ])
        .categorical(&["c_charge_degree", "age_cat"])
        .indicator("sex", "Female")
        .ignore_others()
        .missing("", MissingPolicy::Error)
        .build()
}

fn parse_int(table: &RawTable, row: &RawRow, column: usize) -> Result<u64> {
    let field = row.field(column);
    field.parse::<u64>().map_err(|_| DataError::Parse {
        position: table.position(row, Some(column)),
        message: format!("`{field}` is not a non-negative integer"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::test_support::{assert_standardised, base_rates, dir};

    #[test]
    fn compas_protocol_facts() {
        let (propublica, two_races) = compas_filtered(dir()).unwrap();
        assert_eq!(propublica.len(), 6_172);
        assert_eq!(two_races.len(), 5_278);
        let data = compas(dir()).unwrap();
        assert_eq!((data.train.nrows(), data.test.nrows()), (3_687, 1_591));
        assert_eq!(
            data.train.feature_names(),
            [
                "age",
                "priors_count",
                "juv_fel_count",
                "juv_misd_count",
                "juv_other_count",
                "c_charge_degree=F",
                "c_charge_degree=M",
                "age_cat=25 - 45",
                "age_cat=Greater than 45",
                "age_cat=Less than 25",
                "sex=Female",
            ]
        );
        assert_eq!(
            data.train.groups().names(),
            ["African-American", "Caucasian"]
        );
        // Counted independently from the raw file (two_year_recid = 1, rows) per race.
        assert_eq!(base_rates(&data.train), [(1_176, 2_239), (565, 1_448)]);
        let by_sex = data.train.clone().with_groups_from(&["sex"]).unwrap();
        assert_eq!(by_sex.groups().names(), ["Male", "Female"]);
        assert_eq!(base_rates(&by_sex), [(1_479, 2_976), (262, 711)]);
        // sex=Female is the 0/1 feature and agrees with the attribute.
        let sex = data.train.attribute("sex").unwrap();
        for (row, &code) in sex.codes().iter().enumerate() {
            assert_eq!(data.train.records()[[row, 10]], code as f64);
        }
        assert_standardised(
            &data.train,
            &[
                "age",
                "priors_count",
                "juv_fel_count",
                "juv_misd_count",
                "juv_other_count",
            ],
        );
    }

    #[test]
    fn compas_split_follows_id() {
        let raw = compas_raw(dir()).unwrap();
        let id = raw.train.column_index("id").unwrap();
        let digit = |r: &RawRow| r.field(id).parse::<u64>().unwrap() % 10;
        assert!(raw.train.rows().iter().all(|r| digit(r) < 7));
        assert!(raw.test.rows().iter().all(|r| digit(r) >= 7));
    }
}
