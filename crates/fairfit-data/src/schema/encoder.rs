//! [`Encoder`]: a [`Schema`] fitted on training rows, applied unchanged to any later rows.

use std::path::Path;

use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};

use super::columns::{is_missing, kept_rows, label_values, Columns};
use super::one_hot::OneHot;
use super::spec::{FeatureKind, MissingPolicy, Schema, UnseenCategory};
use super::standardiser::Standardiser;
use super::table::{RawRow, RawTable};
use crate::dataset::FairDataset;
use crate::error::{DataError, Result};
use crate::groups::SensitiveAttribute;

mod chunks;
mod file;

use file::EncoderFile;

/// The fitted encoding of one feature column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum FeatureEncoder {
    /// Standardised number (imputed with the training mean).
    Numeric(Standardiser),
    /// One-hot block over the training categories (imputed with the training mode).
    Categorical(OneHot),
    /// One 0/1 column: 1 where the field equals `level`.
    Indicator {
        /// The column name.
        column: String,
        /// The level encoded as 1.
        level: String,
    },
}

impl FeatureEncoder {
    /// The column this encoder reads.
    pub fn column(&self) -> &str {
        match self {
            Self::Numeric(s) => s.column(),
            Self::Categorical(o) => o.column(),
            Self::Indicator { column, .. } => column,
        }
    }

    /// Number of output columns.
    pub fn width(&self) -> usize {
        match self {
            Self::Categorical(o) => o.width(),
            _ => 1,
        }
    }

    /// Names of the output columns: the column name, `column=category` or `column=level`.
    pub fn feature_names(&self) -> Vec<String> {
        match self {
            Self::Numeric(s) => vec![s.column().to_string()],
            Self::Categorical(o) => o.feature_names(),
            Self::Indicator { column, level } => vec![format!("{column}={level}")],
        }
    }
}

/// A [`Schema`] fitted on training data: the two label values, the levels of every sensitive
/// column, and per feature its standardiser, one-hot categories or indicator level, with the
/// imputation statistics. Fit it on the training split only, then apply it unchanged to test and
/// to new data; save it with the model (`serde`, JSON helpers below).
///
/// ```
/// use fairfit::data::schema::{CsvOptions, Encoder, RawTable, Schema};
/// let train = "age,job,sex,y\n20,a,F,yes\n40,b,M,no\n30,a,M,yes\n";
/// let test = "age,job,sex,y\n30,c,F,no\n";
/// let opts = CsvOptions::default();
/// let train = RawTable::from_reader(train.as_bytes(), "train.csv", &opts)?;
/// let test = RawTable::from_reader(test.as_bytes(), "test.csv", &opts)?;
/// let schema = Schema::builder()
///     .label("y", "yes")
///     .sensitive("sex")
///     .numeric(&["age"])
///     .categorical(&["job"])
///     .build()?;
/// let encoder = Encoder::fit(&schema, &train)?;
/// assert_eq!(encoder.feature_names(), ["age", "job=a", "job=b"]);
/// let data = encoder.transform(&test)?;
/// // age 30 is the training mean; job `c` was never seen in training: all zeros
/// assert_eq!(data.records().row(0).to_vec(), [0.0, 0.0, 0.0]);
/// assert_eq!(data.targets()[0], 0.0);
/// let restored = Encoder::from_json(&encoder.to_json()?)?;
/// assert_eq!(restored, encoder);
/// # Ok::<(), fairfit::data::DataError>(())
/// ```
///
/// Loaded from JSON, every part is checked (the schema as [`Schema`] is built, each standardiser
/// and one-hot block by its constructor) and the parts must agree: one fitted encoder per schema
/// feature, in order and of its kind, and the levels of every sensitive column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "EncoderFile")]
pub struct Encoder {
    schema: Schema,
    /// `[unfavourable, favourable]`.
    label_values: [String; 2],
    sensitive_levels: Vec<Vec<String>>,
    features: Vec<FeatureEncoder>,
}

impl Encoder {
    /// Fits the schema on training rows: label values, sensitive levels, standardisers,
    /// categories and imputation statistics. Rows with missing values follow the schema's policy.
    ///
    /// Errors: an unknown column, a column the schema does not mention (unless it ignores
    /// others), a label with other than two values or without the favourable one, a field that
    /// is not a finite number, a value outside fixed sensitive levels, a missing value under
    /// [`MissingPolicy::Error`], no rows left.
    pub fn fit(schema: &Schema, train: &RawTable) -> Result<Self> {
        let columns = Columns::resolve(schema, train, true)?;
        let rows = kept_rows(schema, train, &columns, schema.missing_policy())?;
        let label = columns.label.expect("fit resolves the label column");
        let label_values = label_values(schema, train, &rows, label)?;
        let sensitive_levels = schema
            .sensitive()
            .iter()
            .zip(&columns.sensitive)
            .map(|(spec, &c)| match &spec.levels {
                Some(levels) => Ok(levels.clone()),
                None => {
                    let mut levels: Vec<String> =
                        rows.iter().map(|r| r.field(c).to_string()).collect();
                    levels.sort_unstable();
                    levels.dedup();
                    Ok(levels)
                }
            })
            .collect::<Result<Vec<_>>>()?;
        let features = schema
            .features()
            .iter()
            .zip(&columns.features)
            .map(|(spec, &c)| {
                let observed = rows.iter().filter(|r| !is_missing(schema, train, r, c));
                Ok(match &spec.kind {
                    FeatureKind::Numeric => {
                        let values = observed
                            .map(|r| train.number(r, c))
                            .collect::<Result<Vec<_>>>()?;
                        FeatureEncoder::Numeric(Standardiser::fit(&spec.column, &values)?)
                    }
                    FeatureKind::Categorical => {
                        let values: Vec<&str> = observed.map(|r| r.field(c)).collect();
                        FeatureEncoder::Categorical(OneHot::fit(&spec.column, &values)?)
                    }
                    FeatureKind::Indicator { level } => FeatureEncoder::Indicator {
                        column: spec.column.clone(),
                        level: level.clone(),
                    },
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let encoder = Self {
            schema: schema.clone(),
            label_values,
            sensitive_levels,
            features,
        };
        // Checks every remaining field (fixed sensitive levels, numbers) the same way as later data.
        encoder.encode_rows(train, &rows, &columns)?;
        Ok(encoder)
    }

    /// Fits on `train` and encodes it.
    pub fn fit_transform(schema: &Schema, train: &RawTable) -> Result<(Self, FairDataset)> {
        let encoder = Self::fit(schema, train)?;
        let data = encoder.transform(train)?;
        Ok((encoder, data))
    }

    /// Encodes a table with label and sensitive columns into a [`FairDataset`] (sensitive
    /// attributes in schema order, the first one active). Rows with missing values follow the
    /// schema's policy; a label or sensitive value not seen in training is an error, and so is an
    /// unseen category under [`UnseenCategory::Error`].
    pub fn transform(&self, table: &RawTable) -> Result<FairDataset> {
        let columns = Columns::resolve(&self.schema, table, false)?;
        let rows = kept_rows(&self.schema, table, &columns, self.schema.missing_policy())?;
        let (records, targets, codes) = self.encode_rows(table, &rows, &columns)?;
        let attributes = self
            .schema
            .sensitive()
            .iter()
            .zip(&self.sensitive_levels)
            .zip(codes)
            .map(|((spec, levels), codes)| {
                SensitiveAttribute::new(&spec.column, levels.clone(), codes)
            })
            .collect::<Result<Vec<_>>>()?;
        FairDataset::new(records, targets, attributes)?.with_feature_names(self.feature_names())
    }

    /// Encodes only the feature columns of new data (no label or sensitive column needed), one
    /// output row per input row. Under [`MissingPolicy::DropRow`] a missing value is an error
    /// here, since dropping a row that is to be scored would misalign the output.
    pub fn transform_features(&self, table: &RawTable) -> Result<Array2<f64>> {
        let features = self
            .features
            .iter()
            .map(|f| table.column_index(f.column()))
            .collect::<Result<Vec<_>>>()?;
        let columns = Columns {
            label: None,
            sensitive: Vec::new(),
            used: features.clone(),
            features,
        };
        let policy = match self.schema.missing_policy() {
            MissingPolicy::DropRow => MissingPolicy::Error,
            other => other,
        };
        let rows = kept_rows(&self.schema, table, &columns, policy)?;
        let mut records = Array2::zeros((rows.len(), self.width()));
        for (i, row) in rows.iter().enumerate() {
            let out = records
                .row_mut(i)
                .into_slice()
                .expect("rows of a fresh standard-layout array are contiguous");
            self.encode_features(table, row, &columns.features, out)?;
        }
        Ok(records)
    }

    /// The schema this encoder was fitted from.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The two label values, `[unfavourable, favourable]`.
    pub fn label_values(&self) -> &[String; 2] {
        &self.label_values
    }

    /// The levels of each sensitive column, in schema order.
    pub fn sensitive_levels(&self) -> &[Vec<String>] {
        &self.sensitive_levels
    }

    /// The fitted feature encoders, in schema order.
    pub fn features(&self) -> &[FeatureEncoder] {
        &self.features
    }

    /// The names of the encoded feature columns.
    pub fn feature_names(&self) -> Vec<String> {
        self.features
            .iter()
            .flat_map(FeatureEncoder::feature_names)
            .collect()
    }

    /// Number of encoded feature columns.
    pub fn width(&self) -> usize {
        self.features.iter().map(FeatureEncoder::width).sum()
    }

    /// The encoder as JSON.
    pub fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string_pretty(self)?)
    }

    /// An encoder from JSON written by [`Encoder::to_json`].
    pub fn from_json(json: &str) -> Result<Self> {
        Ok(serde_json::from_str(json)?)
    }

    /// Writes the encoder as JSON to a file.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        std::fs::write(path, self.to_json()?).map_err(|source| DataError::Io {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Reads an encoder saved by [`Encoder::save`].
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let json = std::fs::read_to_string(path).map_err(|source| DataError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_json(&json)
    }

    /// Encodes kept rows: features, 0/1 targets and the level codes of each sensitive column.
    #[allow(clippy::type_complexity)]
    fn encode_rows(
        &self,
        table: &RawTable,
        rows: &[&RawRow],
        columns: &Columns,
    ) -> Result<(Array2<f64>, Array1<f64>, Vec<Vec<usize>>)> {
        if rows.is_empty() {
            return Err(DataError::Empty(format!(
                "{} has no rows left to encode",
                table.path().display()
            )));
        }
        let label = columns.label.expect("a full transform resolves the label");
        let mut records = Array2::zeros((rows.len(), self.width()));
        let mut targets = Array1::zeros(rows.len());
        let mut codes = vec![Vec::with_capacity(rows.len()); self.sensitive_levels.len()];
        for (i, row) in rows.iter().enumerate() {
            let y = row.field(label);
            targets[i] = match self.label_values.iter().position(|v| v == y) {
                Some(code) => code as f64,
                None => {
                    return Err(DataError::UnknownLevel {
                        position: table.position(row, Some(label)),
                        value: y.to_string(),
                        known: self.label_values.to_vec(),
                    })
                }
            };
            for ((levels, &c), codes) in self
                .sensitive_levels
                .iter()
                .zip(&columns.sensitive)
                .zip(codes.iter_mut())
            {
                let value = row.field(c);
                let code = levels.iter().position(|l| l == value).ok_or_else(|| {
                    DataError::UnknownLevel {
                        position: table.position(row, Some(c)),
                        value: value.to_string(),
                        known: levels.clone(),
                    }
                })?;
                codes.push(code);
            }
            let out = records
                .row_mut(i)
                .into_slice()
                .expect("rows of a fresh standard-layout array are contiguous");
            self.encode_features(table, row, &columns.features, out)?;
        }
        Ok((records, targets, codes))
    }

    /// Writes the encoded features of one row into `out`.
    fn encode_features(
        &self,
        table: &RawTable,
        row: &RawRow,
        features: &[usize],
        out: &mut [f64],
    ) -> Result<()> {
        let mut offset = 0;
        for (encoder, &c) in self.features.iter().zip(features) {
            let width = encoder.width();
            let slot = &mut out[offset..offset + width];
            let text = table.text(row, c);
            let missing = text.is_some_and(|f| self.schema.is_missing(f));
            let field = text.unwrap_or_default();
            match encoder {
                FeatureEncoder::Numeric(s) => {
                    slot[0] = if missing {
                        0.0 // the training mean, standardised
                    } else {
                        let value = table.number(row, c)?;
                        let encoded = s.transform(value);
                        if !encoded.is_finite() {
                            return Err(DataError::Overflow {
                                position: table.position(row, Some(c)),
                                value,
                                encoded,
                            });
                        }
                        encoded
                    };
                }
                FeatureEncoder::Categorical(o) => {
                    let value = if missing { o.mode() } else { field };
                    if o.index_of(value).is_none() && self.schema.unseen() == UnseenCategory::Error
                    {
                        return Err(DataError::UnknownLevel {
                            position: table.position(row, Some(c)),
                            value: value.to_string(),
                            known: o.categories().to_vec(),
                        });
                    }
                    o.encode(value, slot);
                }
                FeatureEncoder::Indicator { level, .. } => {
                    if missing {
                        return Err(DataError::Missing {
                            position: table.position(row, Some(c)),
                            marker: field.to_string(),
                        });
                    }
                    slot[0] = f64::from(u8::from(field == level));
                }
            }
            offset += width;
        }
        Ok(())
    }
}
