//! Convergence does not depend on the units of the features (issue 13): scaled, shifted,
//! collinear and separable data, with both solvers.

use fairfit_data::FairDataset;
use fairfit_train::{FairLogisticRegression, FittedLogistic, Solver, TrainError};
use ndarray::{concatenate, Array2, Axis};

use crate::common::synthetic;

const SOLVERS: [Solver; 2] = [Solver::Lbfgs { memory: 10 }, Solver::Newton];

/// A change of units of the feature matrix, in place.
type Rescale = Box<dyn Fn(&mut Array2<f64>)>;

/// The same rows with the feature matrix replaced by `f(records)`.
fn with_records(data: &FairDataset, f: impl Fn(&mut Array2<f64>)) -> FairDataset {
    let mut x = data.records().to_owned();
    f(&mut x);
    let names = (0..x.ncols()).map(|j| format!("x{j}")).collect();
    FairDataset::new(x, data.targets().to_owned(), data.attributes().to_vec())
        .unwrap()
        .with_feature_names(names)
        .unwrap()
}

fn fit(data: &FairDataset, solver: Solver, l2: f64) -> Result<FittedLogistic, TrainError> {
    FairLogisticRegression::params()
        .l2(l2)
        .solver(solver)
        .gradient_tolerance(1e-8)
        .fit(data)
}

fn max_difference(
    a: &FittedLogistic,
    b: &FittedLogistic,
    data_a: &FairDataset,
    data_b: &FairDataset,
) -> f64 {
    let pa = a.predict_proba(data_a.records()).unwrap();
    let pb = b.predict_proba(data_b.records()).unwrap();
    (&pa - &pb).mapv(f64::abs).fold(0.0, |m: f64, &v| m.max(v))
}

/// Without L2 the problem is equivariant under a change of units: one feature × 10⁶, every
/// feature × 10⁹, or a feature shifted by 10⁴ give the same objective and predictions as the
/// original data, the coefficients scaled back, in a comparable number of iterations. (Before,
/// the absolute gradient tolerance made the first end unconverged after minutes and the second
/// in a line-search failure.)
#[test]
fn a_change_of_units_changes_neither_the_optimum_nor_the_iterations() {
    let data = synthetic(2000, 5, 2, false, 11);
    let variants: [(&str, Rescale, f64); 3] = [
        (
            "x0 × 1e6",
            Box::new(|x| x.column_mut(0).mapv_inplace(|v| v * 1e6)),
            1e6,
        ),
        ("all × 1e9", Box::new(|x| x.mapv_inplace(|v| v * 1e9)), 1e9),
        (
            "x0 + 1e4",
            Box::new(|x| x.column_mut(0).mapv_inplace(|v| v + 1e4)),
            1.0,
        ),
    ];
    for solver in SOLVERS {
        let base = fit(&data, solver, 0.0).unwrap();
        let base_report = base.report().unwrap().clone();
        for (name, change, factor) in &variants {
            let changed = with_records(&data, change);
            let model =
                fit(&changed, solver, 0.0).unwrap_or_else(|e| panic!("{solver:?}, {name}: {e}"));
            let report = model.report().unwrap();
            assert!(report.converged(), "{solver:?}, {name}: {report}");
            let relative = (report.objective - base_report.objective).abs() / base_report.objective;
            assert!(
                relative < 1e-10,
                "{solver:?}, {name}: {} vs {}",
                report.objective,
                base_report.objective
            );
            let diff = max_difference(&model, &base, &changed, &data);
            assert!(
                diff < 1e-6,
                "{solver:?}, {name}: probabilities differ by {diff}"
            );
            let w0 = model.coefficients()[0] * factor;
            assert!(
                (w0 - base.coefficients()[0]).abs() < 1e-5,
                "{solver:?}, {name}: w0 {w0}"
            );
            assert!(
                report.iterations <= 2 * base_report.iterations + 5,
                "{solver:?}, {name}: {} iterations against {}",
                report.iterations,
                base_report.iterations
            );
        }
    }
}

/// A feature repeated (exactly collinear columns) leaves a flat direction: the fit converges, both
/// solvers reach the same objective as without the copy when unregularised, and with L2 the two
/// copies share the weight equally.
#[test]
fn collinear_columns_converge() {
    let data = synthetic(1500, 4, 2, false, 5);
    let repeated = with_records(&data, |x| {
        *x = concatenate![Axis(1), x.view(), x.column(1).insert_axis(Axis(1))];
    });
    for solver in SOLVERS {
        let base = fit(&data, solver, 0.0).unwrap();
        let model = fit(&repeated, solver, 0.0).unwrap_or_else(|e| panic!("{solver:?}: {e}"));
        let (a, b) = (base.report().unwrap(), model.report().unwrap());
        assert!(
            (a.objective - b.objective).abs() < 1e-10 * a.objective,
            "{solver:?}: {a} vs {b}"
        );
        assert!(max_difference(&model, &base, &repeated, &data) < 1e-6);
        let ridge = fit(&repeated, solver, 1e-3).unwrap();
        let w = ridge.coefficients();
        assert!((w[1] - w[4]).abs() < 1e-6, "{solver:?}: {w}");
    }
}

/// Separable data with l2 = 0 have no finite optimum: a typed error, not a model whose
/// coefficients grow with the tolerance; with l2 > 0 the same data fit.
#[test]
fn separable_data_without_l2_is_a_typed_error() {
    let data = synthetic(400, 3, 2, false, 2);
    let labels = data
        .records()
        .column(0)
        .mapv(|v| f64::from(u8::from(v > 0.1)));
    let separable = data.with_targets(labels).unwrap();
    for solver in SOLVERS {
        let err = fit(&separable, solver, 0.0).unwrap_err();
        assert!(
            matches!(err, TrainError::Separable { .. }),
            "{solver:?}: {err}"
        );
        assert!(err.to_string().contains("set l2 > 0"), "{err}");
        let model = fit(&separable, solver, 1e-3).unwrap();
        assert!(model.report().unwrap().converged());
    }
}

/// Quasi-complete separation with l2 = 0: every row with `x0 > 1` is a positive and every other
/// row has `x0 ≤ 1` with both labels, except that rows at exactly `x0 = 1` mix labels too. The
/// direction `(x0 − 1)` puts the first rows strictly on their side and the rows at 1 on the
/// boundary, so no finite optimum exists although no model separates every row: a typed error
/// naming how many rows are separated, from both solvers. Moving one separated row's label
/// restores overlap, and that fit converges.
#[test]
fn quasi_separated_data_without_l2_is_a_typed_error() {
    let data = synthetic(400, 3, 3, false, 2);
    let mut x = data.records().to_owned();
    let mut y = data.targets().to_owned();
    let mut separated = 0;
    for (i, mut row) in x.rows_mut().into_iter().enumerate() {
        if i % 4 == 0 {
            // Strictly beyond the boundary, all positives.
            row[0] = 1.5 + row[0].abs();
            y[i] = 1.0;
            separated += 1;
        } else {
            // On the boundary, labels left as drawn (both occur).
            row[0] = 1.0;
        }
    }
    let quasi = with_records(&data.clone().with_targets(y.clone()).unwrap(), |r| {
        r.assign(&x)
    });
    let boundary_labels: Vec<f64> = (0..400).filter(|i| i % 4 != 0).map(|i| y[i]).collect();
    assert!(boundary_labels.contains(&0.0) && boundary_labels.contains(&1.0));
    for solver in SOLVERS {
        match fit(&quasi, solver, 0.0) {
            Err(TrainError::QuasiSeparable { rows, .. }) => {
                assert_eq!(rows, separated, "{solver:?}")
            }
            other => panic!("{solver:?}: expected quasi-separation, got {other:?}"),
        }
        let model = fit(&quasi, solver, 1e-3).unwrap();
        assert!(model.report().unwrap().converged(), "{solver:?}");
    }
    // One negative beyond the boundary: the classes overlap along x0 and the optimum is finite.
    let mut overlapping = y;
    overlapping[0] = 0.0;
    let overlapping = with_records(&data.with_targets(overlapping).unwrap(), |r| r.assign(&x));
    for solver in SOLVERS {
        let model = fit(&overlapping, solver, 0.0).unwrap();
        assert!(model.report().unwrap().converged(), "{solver:?}");
        assert!(
            model.coefficients()[0].abs() < 50.0,
            "{solver:?}: {}",
            model.coefficients()
        );
    }
}

/// One-hot levels of a categorical beside the intercept (collinear with it), four rows each:
/// every level has both labels except every tenth when `pure` is set, whose rows are all
/// positives. A pure level's indicator puts its rows strictly on their side and every other row
/// on the boundary, so with l2 = 0 there is no finite optimum; the error counts whole levels'
/// rows. With 2,200 levels the design is wider than Newton's limit and the check reads
/// Hessian-vector products, never a dense Hessian; with 50 it factors the dense one. Without
/// pure levels the same designs fit with l2 = 0.
#[test]
fn one_hot_designs_with_pure_levels_are_quasi_separated_at_any_width() {
    use fairfit_data::SensitiveAttribute;
    use ndarray::Array1;
    let wide = |levels: usize, pure: bool| {
        let n = 4 * levels;
        let mut x = Array2::zeros((n, 2 + levels));
        let mut y = Array1::zeros(n);
        let mut group = Vec::with_capacity(n);
        for i in 0..n {
            let level = i / 4;
            x[[i, 0]] = ((i * 37) % 101) as f64 / 50.0 - 1.0;
            x[[i, 1]] = ((i * 53) % 97) as f64 / 48.0 - 1.0;
            x[[i, 2 + level]] = 1.0;
            y[i] = if pure && level % 10 == 0 {
                1.0
            } else {
                f64::from(u8::from((i + level) % 4 < 2))
            };
            group.push(["a", "b"][level % 2]);
        }
        let attribute = SensitiveAttribute::from_values("g", &group, None).unwrap();
        FairDataset::new(x, y, vec![attribute]).unwrap()
    };
    for (levels, expected_solver) in [(50, "Newton"), (2_200, "L-BFGS")] {
        let quasi = wide(levels, true);
        assert_eq!(
            quasi.nfeatures() + 1 > Solver::NEWTON_MAX_DIM,
            expected_solver == "L-BFGS"
        );
        match fit(&quasi, Solver::Auto, 0.0) {
            Err(TrainError::QuasiSeparable { rows, solver, .. }) => {
                assert_eq!(solver, expected_solver);
                assert!(rows > 0 && rows <= 4 * levels.div_ceil(10), "{rows} rows");
                assert_eq!(rows % 4, 0, "whole levels are separated: {rows} rows");
            }
            other => panic!("{levels} levels: expected quasi-separation, got {other:?}"),
        }
        assert!(fit(&quasi, Solver::Auto, 1e-3)
            .unwrap()
            .report()
            .unwrap()
            .converged());
        let mixed = fit(&wide(levels, false), Solver::Auto, 0.0).unwrap();
        assert!(mixed.report().unwrap().converged());
        assert!(mixed.coefficients().iter().all(|c| c.abs() < 50.0));
    }
}
