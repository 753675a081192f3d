//! Proxy detection: how much each feature tells about the sensitive group.

use serde::{Deserialize, Serialize};

use crate::dataset::FairDataset;
use crate::error::{DataError, Result};

/// Number of quantile bins a numeric feature is cut into for mutual information.
pub const NUMERIC_BINS: usize = 10;

/// How a feature block was treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FeatureType {
    /// A one-hot block (`column=level` columns), read back as one categorical variable.
    Categorical,
    /// A single numeric column, cut into [`NUMERIC_BINS`] equal-frequency bins for mutual
    /// information (ties never split).
    Numeric,
}

/// The association of one feature (a numeric column or a one-hot block) with the groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProxyScore {
    /// The feature: a column name, or the block's prefix before `=`.
    pub feature: String,
    /// Categorical block or numeric column.
    pub kind: FeatureType,
    /// Mutual information I(feature; group) in bits (plug-in estimate; biased upwards by about
    /// (bins − 1)(groups − 1) / (2 n ln 2), negligible at the reference data sets' sizes).
    pub mutual_information: f64,
    /// Uncertainty coefficient I(feature; group) / H(group) in [0, 1]: the share of the group's
    /// entropy the feature explains. The ranking key, comparable across feature types.
    pub uncertainty: f64,
    /// Correlation ratio η (numeric columns only): √(between-group variance / total variance).
    pub correlation_ratio: Option<f64>,
}

/// Scores every feature of `data` against its active groups and ranks them, strongest first.
///
/// Columns named `prefix=level` with a common prefix form one categorical block (the encoders'
/// naming), read back as the level of the column that is 1 (or "none" when all are 0); other
/// columns are numeric. Rows count equally (sample weights are not used). Ties keep feature
/// order.
pub fn proxy_scores(data: &FairDataset) -> Result<Vec<ProxyScore>> {
    let groups = data.groups().of_row();
    let n_groups = data.groups().n_groups();
    let h_group = entropy(&counts(groups, n_groups));
    if h_group <= 0.0 {
        return Err(DataError::InvalidParameter {
            name: "groups",
            reason: "only one group has members: nothing to detect proxies for".into(),
        });
    }
    let x = data.records();
    let mut scores = Vec::new();
    for block in blocks(data.feature_names()) {
        let (kind, codes, n_codes, eta) = match &block {
            Block::Numeric(j) => {
                let column = x.column(*j).to_vec();
                let (codes, n_codes) = quantile_bins(&column, NUMERIC_BINS);
                let eta = correlation_ratio(&column, groups, n_groups);
                (FeatureType::Numeric, codes, n_codes, Some(eta))
            }
            Block::OneHot(_, columns) => {
                let codes: Vec<usize> = (0..data.nrows())
                    .map(|r| {
                        columns
                            .iter()
                            .position(|&j| x[[r, j]] != 0.0)
                            .unwrap_or(columns.len())
                    })
                    .collect();
                (FeatureType::Categorical, codes, columns.len() + 1, None)
            }
        };
        let mi = mutual_information(&codes, n_codes, groups, n_groups);
        scores.push(ProxyScore {
            feature: block.name(data.feature_names()),
            kind,
            mutual_information: mi,
            uncertainty: (mi / h_group).clamp(0.0, 1.0),
            correlation_ratio: eta,
        });
    }
    scores.sort_by(|a, b| b.uncertainty.total_cmp(&a.uncertainty));
    Ok(scores)
}

enum Block {
    Numeric(usize),
    OneHot(String, Vec<usize>),
}

impl Block {
    fn name(&self, names: &[String]) -> String {
        match self {
            Self::Numeric(j) => names[*j].clone(),
            Self::OneHot(prefix, _) => prefix.clone(),
        }
    }
}

/// Groups `prefix=level` columns by prefix (in order of first appearance).
fn blocks(names: &[String]) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    for (j, name) in names.iter().enumerate() {
        match name.split_once('=') {
            Some((prefix, _)) => {
                let existing = out.iter_mut().find_map(|b| match b {
                    Block::OneHot(p, cols) if p == prefix => Some(cols),
                    _ => None,
                });
                match existing {
                    Some(cols) => cols.push(j),
                    None => out.push(Block::OneHot(prefix.to_string(), vec![j])),
                }
            }
            None => out.push(Block::Numeric(j)),
        }
    }
    out
}

fn counts(codes: &[usize], n: usize) -> Vec<usize> {
    let mut c = vec![0; n];
    for &k in codes {
        c[k] += 1;
    }
    c
}

/// Entropy in bits of a count vector.
fn entropy(counts: &[usize]) -> f64 {
    let n: usize = counts.iter().sum();
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n as f64;
            -p * p.log2()
        })
        .sum()
}

/// Plug-in mutual information in bits between two code vectors.
fn mutual_information(a: &[usize], na: usize, b: &[usize], nb: usize) -> f64 {
    let n = a.len() as f64;
    let mut joint = vec![0usize; na * nb];
    for (&i, &j) in a.iter().zip(b) {
        joint[i * nb + j] += 1;
    }
    let pa = counts(a, na);
    let pb = counts(b, nb);
    let mut mi = 0.0;
    for i in 0..na {
        for j in 0..nb {
            let c = joint[i * nb + j];
            if c > 0 {
                let pij = c as f64 / n;
                mi += pij * (pij * n * n / (pa[i] as f64 * pb[j] as f64)).log2();
            }
        }
    }
    mi.max(0.0)
}

/// Bins of (nearly) equal frequency that never split a run of equal values: each bin takes
/// the remaining rows divided by the remaining bins, extended to the end of a tie. A column that
/// is mostly one value (e.g. capital-gain, mostly 0) keeps that value in one bin and still bins
/// the rest, where plain quantile cuts would collapse it.
fn quantile_bins(values: &[f64], bins: usize) -> (Vec<usize>, usize) {
    let n = values.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut codes = vec![0; n];
    let (mut start, mut bin) = (0, 0);
    while start < n {
        let left = bins.saturating_sub(bin).max(1);
        let mut end = (start + (n - start).div_ceil(left)).min(n);
        while end < n && values[order[end]] == values[order[end - 1]] {
            end += 1;
        }
        for &row in &order[start..end] {
            codes[row] = bin;
        }
        bin += 1;
        start = end;
    }
    (codes, bin)
}

/// η = √(Σ_g n_g (mean_g − mean)² / Σ (x − mean)²); 0 for a constant column.
fn correlation_ratio(values: &[f64], groups: &[usize], n_groups: usize) -> f64 {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let mut sums = vec![0.0; n_groups];
    let mut sizes = vec![0.0; n_groups];
    for (&v, &g) in values.iter().zip(groups) {
        sums[g] += v;
        sizes[g] += 1.0;
    }
    let between: f64 = sums
        .iter()
        .zip(&sizes)
        .filter(|(_, &s)| s > 0.0)
        .map(|(&sum, &s)| s * (sum / s - mean).powi(2))
        .sum();
    let total: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
    if total > 0.0 {
        (between / total).sqrt()
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_information_and_correlation_ratio() {
        // Perfectly aligned: 1 bit; independent: 0.
        assert!((mutual_information(&[0, 0, 1, 1], 2, &[0, 0, 1, 1], 2) - 1.0).abs() < 1e-12);
        assert!(mutual_information(&[0, 1, 0, 1], 2, &[0, 0, 1, 1], 2).abs() < 1e-12);
        // a = (0,0,0,1), b = (0,0,1,1): I = H(b) - H(b|a) = 1 - 3/4 * H(2/3, 1/3)
        let h = -(2.0f64 / 3.0) * (2.0f64 / 3.0).log2() - (1.0f64 / 3.0) * (1.0f64 / 3.0).log2();
        let expected = 1.0 - 0.75 * h;
        assert!((mutual_information(&[0, 0, 0, 1], 2, &[0, 0, 1, 1], 2) - expected).abs() < 1e-12);
        // eta of (1,2,3,4) by groups (A,A,B,B): between 4, total 5
        let eta = correlation_ratio(&[1.0, 2.0, 3.0, 4.0], &[0, 0, 1, 1], 2);
        assert!((eta - 0.8f64.sqrt()).abs() < 1e-12);
        assert_eq!(correlation_ratio(&[2.0; 4], &[0, 0, 1, 1], 2), 0.0);
    }

    #[test]
    fn quantile_bins_are_equal_frequency_and_respect_ties() {
        let v: Vec<f64> = (0..20).map(f64::from).collect();
        let (codes, n) = quantile_bins(&v, 4);
        assert_eq!(n, 4);
        assert_eq!(counts(&codes, n), vec![5, 5, 5, 5]);
        let (codes, n) = quantile_bins(&[1.0, 1.0, 1.0, 2.0], 4);
        assert_eq!(n, 2);
        assert_eq!(codes, vec![0, 0, 0, 1]);
        let (codes, n) = quantile_bins(&[3.0, 1.0, 2.0], 10);
        assert_eq!((codes, n), (vec![2, 0, 1], 3));
        // Zero-inflated: 90 zeros stay one bin, the 10 distinct others share the other bins.
        let v: Vec<f64> = (0..100)
            .map(|i| if i < 90 { 0.0 } else { f64::from(i) })
            .collect();
        let (codes, n) = quantile_bins(&v, 10);
        assert!(codes[..90].iter().all(|&c| c == 0));
        assert!(codes[90..].iter().all(|&c| c > 0));
        assert_eq!(n, 10); // the 10 other values fill the 9 remaining bins
    }
}
