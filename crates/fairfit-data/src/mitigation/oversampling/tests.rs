//! Tests of fair oversampling.
//! Compiled only under `#[cfg(test)]` (see the parent module).

use super::super::fixtures::{biased, cell_counts};
use super::*;
use linfa::traits::{Fit, Transformer};

#[test]
fn cells_end_equal_and_synthetic_rows_stay_in_their_cell() {
    let data = biased(&[250, 120, 60], 13)
        .with_groups_from(&["group", "band"])
        .unwrap();
    let out = FairOversampling::params()
        .seed(4)
        .fit_transform(&data)
        .unwrap();
    let before = cell_counts(&data);
    let largest = before.iter().flatten().copied().max().unwrap();
    let after = cell_counts(&out);
    assert!(after.iter().flatten().all(|&c| c == largest), "{after:?}");
    // The original rows come first, unchanged.
    let n = data.nrows();
    assert_eq!(out.records().slice(s![..n, ..]), data.records());
    let labels = out.labels().unwrap();
    let data_labels = data.labels().unwrap();
    let records = out.records();
    let mut interpolated = 0;
    for (r, &y) in labels.iter().enumerate().skip(n) {
        let g = out.groups().of_row()[r];
        let members: Vec<usize> = (0..n)
            .filter(|&i| data.groups().of_row()[i] == g && data_labels[i] == y)
            .collect();
        let row = records.row(r);
        for c in 0..data.nfeatures() {
            let values = members.iter().map(|&i| data.records()[[i, c]]);
            let lo = values.clone().fold(f64::MAX, f64::min);
            let hi = values.fold(f64::MIN, f64::max);
            assert!(
                lo <= row[c] && row[c] <= hi,
                "row {r} col {c}: {} not in [{lo}, {hi}]",
                row[c]
            );
        }
        // The colour block is exactly one-hot.
        let block = [row[2], row[3], row[4]];
        assert_eq!(block.iter().sum::<f64>(), 1.0);
        assert!(block.iter().all(|&v| v == 0.0 || v == 1.0));
        if members.iter().all(|&i| data.records()[[i, 0]] != row[0]) {
            interpolated += 1;
        }
    }
    assert!(
        interpolated > (out.nrows() - n) / 2,
        "rows should be new, not copies"
    );
    // The sensitive attributes follow the base row.
    let group = out.attribute("group").unwrap();
    for r in n..out.nrows() {
        let name = &out.groups().names()[out.groups().of_row()[r]];
        assert!(name.starts_with(&group.levels()[group.codes()[r]]));
    }
}

#[test]
fn blocks_are_inferred_or_given_and_copied_whole() {
    let data = biased(&[80, 40], 2);
    let fitted = FairOversampling::params().fit(&data.as_linfa()).unwrap();
    assert_eq!(fitted.categorical_blocks(), &[vec![2, 3, 4]]);
    assert_eq!(fitted.continuous_columns(), &[0, 1]);
    // Declaring {score} and {noise, colour=red} as blocks: they are copied from one real
    // row of the cell, so each synthetic pair equals some real row's pair.
    let fitted = FairOversampling::params()
        .categorical(CategoricalColumns::Blocks(vec![vec![0], vec![1, 2]]))
        .fit(&data.as_linfa())
        .unwrap();
    assert_eq!(fitted.continuous_columns(), &[3, 4]);
    let out = fitted.transform(&data).unwrap();
    let n = data.nrows();
    let records = out.records();
    for r in n..out.nrows() {
        let row = records.row(r);
        assert!((0..n).any(|i| data.records()[[i, 0]] == row[0]));
        assert!(
            (0..n).any(|i| data.records()[[i, 1]] == row[1] && data.records()[[i, 2]] == row[2])
        );
    }
    // Binary columns without `=` in their name are inferred as categorical too.
    let named = data
        .with_feature_names(
            ["score", "noise", "red", "green", "blue"]
                .map(String::from)
                .to_vec(),
        )
        .unwrap();
    let fitted = FairOversampling::params().fit(&named.as_linfa()).unwrap();
    assert_eq!(fitted.categorical_blocks(), &[vec![2], vec![3], vec![4]]);
}

#[test]
fn nearest_neighbours_match_a_brute_force_search() {
    let data = biased(&[300], 10);
    let fitted = FairOversampling::params()
        .k(4)
        .fit(&data.as_linfa())
        .unwrap();
    let x = data.records().to_owned();
    let rows: Vec<usize> = (0..300).step_by(2).collect();
    let queries: Vec<usize> = (0..rows.len()).collect();
    let near = fitted.nearest(&x, &rows, &queries);
    for (&i, found) in queries.iter().zip(&near) {
        let mut d: Vec<(f64, usize)> = (0..rows.len())
            .filter(|&j| j != i)
            .map(|j| {
                let diff = &x.row(rows[i]) - &x.row(rows[j]);
                (diff.dot(&diff), j)
            })
            .collect();
        d.sort_by(|a, b| a.0.total_cmp(&b.0));
        let expected: Vec<usize> = d[..4].iter().map(|p| p.1).collect();
        assert_eq!(found, &expected, "query {i}");
    }
    assert_eq!(fitted.nearest(&x, &[7], &[0]), vec![vec![0]]);
}

#[test]
fn seeded_and_rejects_bad_input() {
    let data = biased(&[60, 30], 6);
    let a = FairOversampling::params()
        .seed(9)
        .fit_transform(&data)
        .unwrap();
    assert_eq!(
        a,
        FairOversampling::params()
            .seed(9)
            .fit_transform(&data)
            .unwrap()
    );
    assert_ne!(
        a,
        FairOversampling::params()
            .seed(8)
            .fit_transform(&data)
            .unwrap()
    );
    assert!(matches!(
        FairOversampling::params().k(0).fit(&data.as_linfa()),
        Err(DataError::InvalidParameter { name: "k", .. })
    ));
    assert!(matches!(
        FairOversampling::params()
            .categorical(CategoricalColumns::Blocks(vec![vec![1], vec![1, 2]]))
            .fit(&data.as_linfa()),
        Err(DataError::InvalidParameter {
            name: "categorical",
            ..
        })
    ));
    assert!(matches!(
        FairOversampling::params()
            .categorical(CategoricalColumns::Blocks(vec![vec![9]]))
            .fit(&data.as_linfa()),
        Err(DataError::InvalidParameter {
            name: "categorical",
            ..
        })
    ));
    let t = ndarray::Array1::from_iter((0..90).map(|i| f64::from(u8::from(i < 60 && i % 2 == 0))));
    let no_pos = data.with_targets(t).unwrap();
    let err = FairOversampling::params()
        .fit_transform(&no_pos)
        .unwrap_err();
    assert!(
        matches!(&err, DataError::EmptyGroup { group, what } if group == "g1" && what.contains("label 1")),
        "{err}"
    );
}
