//! What the data says before any model: representation, base rates, missingness and proxies.
//!
//! A [`DataAudit`] gathers, for one data set and its active groups, group sizes and shares,
//! base rates P(y = 1 | group) with their difference and ratio (the "80% rule"), optionally
//! missingness by group (from the raw table of a CSV load), and every feature's association with
//! the group, ranked, so a user sees which features stand in for the protected attribute.
//! It prints as a table ([`std::fmt::Display`]) and serialises as JSON.
//!
//! ```
//! use fairfit::data::{audit::DataAudit, FairDataset, SensitiveAttribute};
//! use ndarray::array;
//! let sex = SensitiveAttribute::from_values("sex", &["M", "M", "F", "F"], None)?;
//! let data = FairDataset::new(array![[1.0], [2.0], [3.0], [4.0]], array![1.0, 1.0, 1.0, 0.0], vec![sex])?
//!     .with_feature_names(vec!["income".into()])?;
//! let audit = DataAudit::of("toy", &data)?;
//! assert_eq!(audit.base_rates.difference, 0.5);
//! assert_eq!(audit.base_rates.ratio, Some(0.5));
//! assert!(!audit.base_rates.passes_80_percent_rule());
//! assert_eq!(audit.proxies[0].feature, "income");
//! println!("{audit}");
//! # Ok::<(), fairfit::data::DataError>(())
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::dataset::FairDataset;
use crate::error::Result;

mod base_rates;
mod missingness;
mod proxy;

pub use base_rates::{BaseRates, GroupBaseRate};
pub use missingness::{ColumnMissing, Missingness, MISSING_GROUP};
pub use proxy::{proxy_scores, FeatureType, ProxyScore, NUMERIC_BINS};

/// The audit of one data set over its active groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataAudit {
    /// What was audited, e.g. `adult (train)`.
    pub name: String,
    /// Number of rows.
    pub rows: usize,
    /// Group sizes, shares and base rates, with the base-rate difference and ratio.
    pub base_rates: BaseRates,
    /// Missing values by group, when the audit was given the raw table.
    pub missingness: Option<Missingness>,
    /// Every feature's association with the groups, strongest first.
    pub proxies: Vec<ProxyScore>,
}

impl DataAudit {
    /// Audits `data` over its active groups (labels must be 0/1; every group needs members and
    /// at least two groups are needed).
    pub fn of(name: impl Into<String>, data: &FairDataset) -> Result<Self> {
        Ok(Self {
            name: name.into(),
            rows: data.nrows(),
            base_rates: BaseRates::of(data)?,
            missingness: None,
            proxies: proxy_scores(data)?,
        })
    }

    /// Adds missingness by group (see [`Missingness::of`]).
    pub fn with_missingness(mut self, missingness: Missingness) -> Self {
        self.missingness = Some(missingness);
        self
    }

    /// The audit as pretty JSON.
    pub fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string_pretty(self)?)
    }
}

impl fmt::Display for DataAudit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let br = &self.base_rates;
        writeln!(f, "Audit of {} ({} rows)", self.name, self.rows)?;
        let width = br
            .groups
            .iter()
            .map(|g| g.group.len())
            .max()
            .unwrap_or(5)
            .max(5);
        writeln!(
            f,
            "  {:<width$}  {:>8}  {:>6}  {:>9}  {:>9}",
            "group", "rows", "share", "positives", "base rate"
        )?;
        for g in &br.groups {
            writeln!(
                f,
                "  {:<width$}  {:>8}  {:>6.3}  {:>9}  {:>9.4}",
                g.group, g.rows, g.share, g.positives, g.base_rate
            )?;
        }
        let ratio = br
            .ratio
            .map_or("undefined".to_string(), |r| format!("{r:.4}"));
        writeln!(
            f,
            "  base-rate difference {:.4}, ratio {ratio} (80% rule: {})",
            br.difference,
            if br.passes_80_percent_rule() {
                "passes"
            } else {
                "fails"
            }
        )?;
        if let Some(m) = &self.missingness {
            writeln!(
                f,
                "  missing values by `{}` (raw rows, before any drop):",
                m.attribute
            )?;
            for (k, g) in m.groups.iter().enumerate() {
                let share = m.rows_with_missing[k] as f64 / m.rows[k].max(1) as f64;
                let per_column: Vec<String> = m
                    .columns
                    .iter()
                    .filter(|c| c.missing[k] > 0)
                    .map(|c| format!("{} {}", c.column, c.missing[k]))
                    .collect();
                writeln!(
                    f,
                    "    {:<width$}  {:>6} of {:>6} rows ({:.2}%)  {}",
                    g,
                    m.rows_with_missing[k],
                    m.rows[k],
                    100.0 * share,
                    per_column.join(", ")
                )?;
            }
        }
        writeln!(f, "  proxies, ranked by U = I(feature; group) / H(group):")?;
        let fw = self
            .proxies
            .iter()
            .map(|p| p.feature.len())
            .max()
            .unwrap_or(7)
            .max(7);
        writeln!(
            f,
            "    {:>4}  {:<fw$}  {:<11}  {:>9}  {:>6}  {:>6}",
            "rank", "feature", "type", "MI (bits)", "U", "eta"
        )?;
        for (rank, p) in self.proxies.iter().enumerate() {
            let kind = match p.kind {
                FeatureType::Categorical => "categorical",
                FeatureType::Numeric => "numeric",
            };
            let eta = p
                .correlation_ratio
                .map_or("-".to_string(), |e| format!("{e:.4}"));
            writeln!(
                f,
                "    {:>4}  {:<fw$}  {:<11}  {:>9.5}  {:>6.4}  {:>6}",
                rank + 1,
                p.feature,
                kind,
                p.mutual_information,
                p.uncertainty,
                eta
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{CsvOptions, MissingPolicy, RawTable, Schema};
    use crate::SensitiveAttribute;
    use ndarray::array;

    /// Groups A (4 rows, 3 positive) and B (2 rows, 1 positive); `x` numeric, `c=` a one-hot
    /// block equal to the group, `d=` a one-hot block independent of it.
    fn toy() -> FairDataset {
        let g =
            SensitiveAttribute::from_values("g", &["A", "A", "A", "A", "B", "B"], None).unwrap();
        let x = array![
            [1.0, 1.0, 0.0, 1.0, 0.0],
            [2.0, 1.0, 0.0, 0.0, 1.0],
            [5.0, 1.0, 0.0, 1.0, 0.0],
            [1.0, 1.0, 0.0, 0.0, 1.0],
            [2.0, 0.0, 1.0, 1.0, 0.0],
            [5.0, 0.0, 1.0, 0.0, 1.0],
        ];
        let names = ["x", "c=p", "c=q", "d=u", "d=v"].map(String::from).to_vec();
        FairDataset::new(x, array![1.0, 1.0, 1.0, 0.0, 1.0, 0.0], vec![g])
            .unwrap()
            .with_feature_names(names)
            .unwrap()
    }

    #[test]
    fn audit_values_by_hand() {
        let a = DataAudit::of("toy", &toy()).unwrap();
        let g = &a.base_rates.groups;
        assert_eq!(
            (g[0].rows, g[0].positives, g[1].rows, g[1].positives),
            (4, 3, 2, 1)
        );
        assert!((g[0].share - 4.0 / 6.0).abs() < 1e-12);
        assert_eq!((g[0].base_rate, g[1].base_rate), (0.75, 0.5));
        assert_eq!(a.base_rates.difference, 0.25);
        assert!((a.base_rates.ratio.unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert!(!a.base_rates.passes_80_percent_rule());
        // Ranking: c (U = 1) first, then x, then d (independent, U = 0).
        let names: Vec<&str> = a.proxies.iter().map(|p| p.feature.as_str()).collect();
        assert_eq!(names, ["c", "x", "d"]);
        // H(group) = H(2/3, 1/3); c determines the group: I = H(group), U = 1.
        let h = -(2.0f64 / 3.0) * (2.0f64 / 3.0).log2() - (1.0f64 / 3.0) * (1.0f64 / 3.0).log2();
        assert!((a.proxies[0].mutual_information - h).abs() < 1e-12);
        assert!((a.proxies[0].uncertainty - 1.0).abs() < 1e-12);
        assert_eq!(a.proxies[0].kind, FeatureType::Categorical);
        // x = (1, 2, 5, 1 | 2, 5): bins {1}: A A, {2}: A B, {5}: A B, so
        // I = H(group) - (1/3 * 0 + 2/3 * 1); group means 9/4 and 7/2 around 8/3.
        assert!((a.proxies[1].mutual_information - (h - 2.0 / 3.0)).abs() < 1e-12);
        let m = 8.0 / 3.0;
        let between = 4.0 * (2.25f64 - m).powi(2) + 2.0 * (3.5f64 - m).powi(2);
        let total = 2.0 * ((1.0f64 - m).powi(2) + (2.0f64 - m).powi(2) + (5.0f64 - m).powi(2));
        let eta = a.proxies[1].correlation_ratio.unwrap();
        assert!((eta - (between / total).sqrt()).abs() < 1e-12);
        assert!(a.proxies[2].mutual_information.abs() < 1e-12);
    }

    #[test]
    fn display_and_json() {
        let a = DataAudit::of("toy", &toy()).unwrap();
        let text = a.to_string();
        assert!(
            text.contains("base-rate difference 0.2500, ratio 0.6667 (80% rule: fails)"),
            "{text}"
        );
        assert!(text.contains("   1  c "), "{text}");
        let back: DataAudit = serde_json::from_str(&a.to_json().unwrap()).unwrap();
        assert_eq!(back, a);
    }

    #[test]
    fn missingness_by_group_counts_raw_rows() {
        let csv = "sex,age,job,y\nF,?,a,1\nF,30,?,0\nF,?,?,1\nM,40,a,1\n?,50,b,0\nM,41,b,0\nF,35,b,0\nF,36,a,1\n";
        let table = RawTable::from_reader(csv.as_bytes(), "m.csv", &CsvOptions::default()).unwrap();
        let schema = Schema::builder()
            .label("y", "1")
            .sensitive("sex")
            .numeric(&["age"])
            .categorical(&["job"])
            .missing("?", MissingPolicy::DropRow)
            .build()
            .unwrap();
        let m = Missingness::of(&table, &schema).unwrap();
        assert_eq!(m.groups, ["F", "M", MISSING_GROUP]);
        assert_eq!(m.rows, [5, 2, 1]);
        assert_eq!(m.rows_with_missing, [3, 0, 1]);
        let cols: Vec<(&str, &[usize])> = m
            .columns
            .iter()
            .map(|c| (c.column.as_str(), c.missing.as_slice()))
            .collect();
        assert_eq!(
            cols,
            [
                ("sex", &[0, 0, 1][..]),
                ("age", &[2, 0, 0][..]),
                ("job", &[2, 0, 0][..])
            ]
        );
        let data = crate::schema::Encoder::fit_transform(&schema, &table)
            .unwrap()
            .1;
        let a = DataAudit::of("m", &data).unwrap().with_missingness(m);
        assert!(a.to_string().contains("age 2, job 2"), "{a}");
    }

    #[test]
    fn audit_rejects_a_single_group() {
        let g = SensitiveAttribute::from_values("g", &["A", "A"], None).unwrap();
        let d = FairDataset::new(array![[1.0], [2.0]], array![1.0, 0.0], vec![g]).unwrap();
        assert!(DataAudit::of("one", &d).is_err());
    }
}
