//! The gathered fit (a chunked source read once, kept as sparse rows) against the in-memory fit:
//! every kind and penalty, weights on some chunks only, a group no chunk has, row-numbered
//! errors, and a design wider than Newton's limit fitted by L-BFGS.
//! Compiled only under `#[cfg(test)]` (see the crate root).

use fairfit_data::synthetic::BiasedParams;
use fairfit_data::{DataError, FairDataset, SensitiveAttribute};
use ndarray::{Array1, Array2};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::objective::{ChunkSource, DatasetChunks, Objective};
use crate::{
    FairLinearRegression, FairLogisticRegression, FittedModel, Layout, ModelKind, ParamGuard,
    Penalty, Result, Solver, TrainError,
};

/// Coefficients and intercepts of two fits agree to `tolerance`, and both converged.
fn assert_same_model<K: ModelKind>(
    held: &FittedModel<K>,
    gathered: &FittedModel<K>,
    tolerance: f64,
    what: &str,
) {
    let gap = held
        .coefficients()
        .iter()
        .zip(gathered.coefficients())
        .map(|(a, b)| (a - b).abs())
        .fold((held.intercept() - gathered.intercept()).abs(), f64::max);
    assert!(gap < tolerance, "{what}: coefficients differ by {gap:e}");
    let (h, g) = (held.report().unwrap(), gathered.report().unwrap());
    assert!(h.converged() && g.converged(), "{what}: {h:?} / {g:?}");
    assert_eq!(h.solver, g.solver, "{what}");
}

fn biased(n: usize) -> FairDataset {
    BiasedParams::new(n, 5)
        .label_bias("b", 0.4)
        .seed(5)
        .generate()
        .unwrap()
        .data
}

#[test]
fn gathered_chunks_fit_the_in_memory_model_for_every_kind_and_penalty() {
    let data = biased(1500);
    let logistic = [
        FairLogisticRegression::params().check().unwrap(),
        FairLogisticRegression::params()
            .penalty(Penalty::demographic_parity(), 2.0)
            .check()
            .unwrap(),
        FairLogisticRegression::params()
            .penalty(Penalty::equalized_odds(), 1.0)
            .check()
            .unwrap(),
    ];
    let linear = FairLinearRegression::params()
        .penalty(Penalty::demographic_parity(), 1.0)
        .check()
        .unwrap();
    for chunk in [1, 97, 1500] {
        let source = DatasetChunks::new(&data, chunk).unwrap();
        for params in &logistic {
            let held = params.fit(&data).unwrap();
            let gathered = params.fit_gathered(&source).unwrap();
            assert_same_model(&held, &gathered, 1e-8, &format!("chunk {chunk}"));
        }
        let held = linear.fit(&data).unwrap();
        let gathered = linear.fit_gathered(&source).unwrap();
        assert_same_model(&held, &gathered, 1e-8, "linear");
    }
    // The dense features of this data set are kept dense, as the in-memory objective keeps them.
    let source = DatasetChunks::new(&data, 100).unwrap();
    let gathered = Objective::gather(&source, &logistic[1]).unwrap();
    let held = Objective::new(&data, &logistic[1]).unwrap();
    assert!(!held.is_sparse());
    assert_eq!(gathered.is_sparse(), held.is_sparse());
    let theta = Array1::from_iter((0..held.dim()).map(|j| 0.1 * j as f64 - 0.2));
    let (a, b) = (
        gathered.value_and_gradient(&theta).unwrap(),
        held.value_and_gradient(&theta).unwrap(),
    );
    assert!((a.0 - b.0).abs() < 1e-12 && (&a.1 - &b.1).iter().all(|g| g.abs() < 1e-12));
    assert_eq!(
        gathered.hessian_at(&theta).unwrap().dim(),
        (b.1.len(), b.1.len())
    );
}

/// Chunks of a data set with weights on odd chunks only and an extra group no chunk has.
struct PartlyWeighted<'d> {
    data: &'d FairDataset,
    weights: Array1<f64>,
    chunk: usize,
}

impl ChunkSource for PartlyWeighted<'_> {
    fn group_names(&self) -> Vec<String> {
        let mut names = self.data.groups().names().to_vec();
        names.insert(1, "absent".into());
        names
    }

    fn for_each_chunk(&self, visit: &mut dyn FnMut(&FairDataset) -> Result<()>) -> Result<()> {
        let n = self.data.nrows();
        for (k, start) in (0..n).step_by(self.chunk).enumerate() {
            let rows: Vec<usize> = (start..(start + self.chunk).min(n)).collect();
            let part = self.data.select(&rows)?;
            let part = if k % 2 == 1 {
                part.with_weights(rows.iter().map(|&i| self.weights[i]).collect())?
            } else {
                part
            };
            visit(&part)?;
        }
        Ok(())
    }
}

#[test]
fn weights_on_some_chunks_and_a_group_without_rows_are_gathered_as_in_memory() {
    let data = biased(900);
    let mut rng = StdRng::seed_from_u64(8);
    let drawn: Array1<f64> = (0..900).map(|_| rng.gen_range(0.2..3.0)).collect();
    // Rows of even chunks weigh 1: the in-memory data set with the same effective weights.
    let chunk = 128;
    let effective: Array1<f64> = (0..900)
        .map(|i| if (i / chunk) % 2 == 1 { drawn[i] } else { 1.0 })
        .collect();
    let weighted = data.clone().with_weights(effective).unwrap();
    let source = PartlyWeighted {
        data: &data,
        weights: drawn,
        chunk,
    };
    let params = FairLogisticRegression::params()
        .penalty(Penalty::demographic_parity(), 3.0)
        .check()
        .unwrap();
    let held = params.fit(&weighted).unwrap();
    let gathered = params.fit_gathered(&source).unwrap();
    assert_same_model(&held, &gathered, 1e-8, "partly weighted");
}

/// Whole data sets as the chunks of one source (groups named by the first).
struct Chunks(Vec<FairDataset>);

impl ChunkSource for Chunks {
    fn group_names(&self) -> Vec<String> {
        self.0[0].groups().names().to_vec()
    }

    fn for_each_chunk(&self, visit: &mut dyn FnMut(&FairDataset) -> Result<()>) -> Result<()> {
        self.0.iter().try_for_each(visit)
    }
}

#[test]
fn gathered_errors_name_the_row_among_all_rows() {
    let data = biased(300);
    let mut targets = data.targets().to_owned();
    targets[250] = 2.0;
    let bad = data.clone().with_targets(targets).unwrap();
    let params = FairLogisticRegression::params().check().unwrap();
    match params.fit_gathered(&DatasetChunks::new(&bad, 100).unwrap()) {
        Err(TrainError::NotBinary { row: 250, value }) => assert_eq!(value, 2.0),
        other => panic!("{other:?}"),
    }
    // A chunk of another width: the error names the row it starts at.
    let narrow = Chunks(vec![data.clone(), wide(40, 3, 1)]);
    match params.fit_gathered(&narrow) {
        Err(TrainError::LengthMismatch {
            what,
            expected: 5,
            found: 6,
        }) => assert!(what.contains("row 300"), "{what}"),
        other => panic!("{other:?}"),
    }
    let empty = data.select(&[]).unwrap();
    assert!(matches!(
        params.fit_gathered(&DatasetChunks::new(&empty, 10).unwrap()),
        Err(TrainError::Data(DataError::Empty(_)))
    ));
}

/// `n` rows: three numeric features and a categorical with `levels` levels, one-hot; the label
/// depends on both and on the group.
fn wide(n: usize, levels: usize, seed: u64) -> FairDataset {
    let mut rng = StdRng::seed_from_u64(seed);
    let effect: Vec<f64> = (0..levels).map(|_| rng.gen_range(-1.5..1.5)).collect();
    let mut records = Array2::zeros((n, 3 + levels));
    let mut targets = Array1::zeros(n);
    let mut group = Vec::with_capacity(n);
    for i in 0..n {
        let g = usize::from(rng.gen_bool(0.4));
        let level = rng.gen_range(0..levels);
        let mut score = effect[level] + 0.8 * g as f64 - 0.4;
        for j in 0..3 {
            let x: f64 = rng.gen_range(-2.0..2.0);
            records[[i, j]] = x;
            score += 0.5 * x;
        }
        records[[i, 3 + level]] = 1.0;
        targets[i] = f64::from(rng.gen_bool(1.0 / (1.0 + (-score).exp())));
        group.push(["a", "b"][g]);
    }
    let sex = SensitiveAttribute::from_values("g", &group, None).unwrap();
    FairDataset::new(records, targets, vec![sex]).unwrap()
}

#[test]
fn a_design_wider_than_newtons_limit_is_gathered_sparse_and_fitted_by_lbfgs() {
    let data = wide(3000, 2500, 11);
    let params = FairLogisticRegression::params()
        .l2(1e-3)
        .penalty(Penalty::demographic_parity(), 1.0)
        .check()
        .unwrap();
    let source = DatasetChunks::new(&data, 256).unwrap();
    let objective = Objective::gather(&source, &params).unwrap();
    assert!(objective.is_sparse());
    assert!(objective.dim() > Solver::NEWTON_MAX_DIM);
    let held = params.fit(&data).unwrap();
    let gathered = params.fit_gathered(&source).unwrap();
    assert_eq!(gathered.report().unwrap().solver, "L-BFGS");
    // L-BFGS takes the same steps up to the order of the sums; both stop at the tolerance.
    assert_same_model(&held, &gathered, 1e-5, "wide");
    // Asked for dense, the same rows are kept dense and give the same objective.
    let dense = FairLogisticRegression::params()
        .l2(1e-3)
        .penalty(Penalty::demographic_parity(), 1.0)
        .layout(Layout::Dense)
        .check()
        .unwrap();
    let kept_dense = Objective::gather(&source, &dense).unwrap();
    assert!(!kept_dense.is_sparse());
    let theta = Array1::from_iter((0..objective.dim()).map(|j| ((j % 7) as f64 - 3.0) * 0.05));
    let (a, b) = (
        objective.value_and_gradient(&theta).unwrap(),
        kept_dense.value_and_gradient(&theta).unwrap(),
    );
    assert!((a.0 - b.0).abs() < 1e-12 && (&a.1 - &b.1).iter().all(|g| g.abs() < 1e-12));
}
