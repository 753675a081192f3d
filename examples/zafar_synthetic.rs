//! Zafar et al. (2017), "Fairness Constraints: Mechanisms for Fair Classification", on their
//! two-Gaussian synthetic data (rotation φ = π/4): logistic regression with the disparate-impact
//! covariance term `Cov(z, θᵀx)` pushed towards zero, and what it does to accuracy and the
//! p%-rule.
//!
//! The paper bounds `|Cov(z, θᵀx)| ≤ c` as a hard constraint and tightens c from the
//! unconstrained model's covariance c0 to 0. With two groups of shares π₀, π₁ the covariance is
//! `π₀π₁ · (E[θᵀx | z = 1] − E[θᵀx | z = 0])`, so the bound is a target on the gap of the mean
//! score, `≤ c / (π₀π₁)`, which fairfit meets by an augmented-Lagrangian [`TargetPath`]. The same
//! term as a penalty (squared covariance, weight λ) is traced too. Fairness is measured on hard
//! test predictions: the p%-rule `100 · min_g P(ŷ=1|g) / max_g P(ŷ=1|g)`, next to its soft
//! version on predicted probabilities, because the covariance is only a proxy for it.
//!
//! Writes `results/zafar_synthetic/curve.csv`, `curve.svg` (accuracy against p%-rule) and
//! `boundaries.svg` (test points by class and group, with the decision boundaries of the
//! unconstrained model and three bounded ones).
//!
//! ```sh
//! cargo run --release --example zafar_synthetic
//! ```

use std::f64::consts::PI;
use std::path::Path;
use std::time::Instant;

use fairfit::data::{split, synthetic, FairDataset, TrainTest};
use fairfit::eval::curve::{names, Axis, CurvePoint, Split, TradeoffCurve};
use fairfit::eval::metrics::{accuracy, demographic_parity_difference, demographic_parity_ratio};
use fairfit::eval::plot::TradeoffPlot;
use fairfit::eval::EvalError;
use fairfit::train::EvaluateOnScores;
use fairfit::train::ParamGuard;
use fairfit::train::{
    FairLogisticRegression, FittedLogistic, Logistic, Penalty, PenaltyPath, Statistic, TargetPath,
    TrainError,
};
use plotters::prelude::*;

/// Rows drawn per class (the paper draws 1,000; twice as many steadies the test estimates).
const N_PER_CLASS: usize = 2_000;
/// The rotation that sets how strongly the group follows the class (the paper's π/4).
const PHI: f64 = PI / 4.0;
/// Seed of the generator and of the split.
const SEED: u64 = 2017;
/// Share of rows held out for testing (the paper trains on 70 %).
const TEST_FRACTION: f64 = 0.3;
/// L2 strength on the mean loss, the same for every model.
const L2: f64 = 1e-4;
/// The bounds c as shares of the unconstrained model's covariance c0, loosest first (the
/// paper tightens c from c0 to 0).
const BOUND_SHARES: [f64; 12] = [1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.0];
/// Bounded models whose boundaries are drawn (shares from `BOUND_SHARES`).
const DRAWN_SHARES: [f64; 3] = [0.5, 0.2, 0.0];
/// Penalised models on the λ path, and their smallest and largest λ.
const STEPS: usize = 16;
const LAMBDA_RANGE: (f64, f64) = (1e-2, 1e3);
/// Test points drawn in the boundary plot (every k-th row, so the picture stays readable).
const DRAWN_POINTS: usize = 300;

/// Curve metric names specific to this example.
const COVARIANCE: &str = "covariance";
const COVARIANCE_SHARE: &str = "covariance_share";
const P_RULE: &str = "p_rule";
const SOFT_P_RULE: &str = "soft_p_rule";

fn main() -> fairfit::Result<()> {
    let data = synthetic::zafar(N_PER_CLASS, PHI, SEED)?;
    let split = split::train_test(&data, TEST_FRACTION, SEED)?;
    let out = Path::new("results/zafar_synthetic");
    std::fs::create_dir_all(out)?;
    let params = FairLogisticRegression::params().l2(L2).check()?;
    let started = Instant::now();

    // The unconstrained model sets the scale c₀ = |Cov(z, θ₀ᵀx)| of the paper's bounds.
    let unconstrained = params.fit(&split.train)?;
    let c0 = covariance(&unconstrained, &split.train)?.abs();

    // The paper's bound |Cov(z, θᵀx)| ≤ c as a target: with two groups of shares π₀, π₁,
    // Cov(z, s) = π₀π₁ (E[s | z = 1] − E[s | z = 0]), so it is the mean-score gap ≤ c / (π₀π₁).
    let counts = split.train.groups().counts();
    let n = split.train.nrows() as f64;
    let scale = counts.iter().map(|&k| k as f64 / n).product::<f64>();
    let epsilons: Vec<f64> = BOUND_SHARES.iter().map(|m| m * c0 / scale).collect();
    let targeted = TargetPath::new(params.clone(), Statistic::mean_score(), epsilons)?;
    let targeted = targeted.fit(&split.train)?;

    // The same term as a penalty: a warm-started path of weights λ.
    let (lo, hi) = LAMBDA_RANGE;
    let lambdas = PenaltyPath::<Logistic>::log_spaced(lo, hi, STEPS);
    let penalised = PenaltyPath::new(params, Penalty::disparate_impact_covariance(), lambdas)?
        .fit(&split.train)?;
    let elapsed = started.elapsed().as_secs_f64();

    let mut curve = TradeoffCurve::new();
    let seconds = unconstrained
        .report()
        .map_or(f64::NAN, |r| r.elapsed.as_secs_f64());
    curve.push(point("unconstrained", &unconstrained, &split, c0)?.with_fit_seconds(seconds))?;
    for (share, fit) in BOUND_SHARES.iter().zip(&targeted) {
        curve.push(
            point("covariance bound", &fit.model, &split, c0)?
                .with_param("c", share * c0)
                .with_param("c_share", *share)
                .with_fit_seconds(fit.elapsed.as_secs_f64()),
        )?;
    }
    // The path starts at λ = 0, which is the unconstrained model again.
    for p in penalised.iter().filter(|p| p.lambda > 0.0) {
        curve.push(
            point("covariance penalty", &p.model, &split, c0)?
                .with_param("lambda", p.lambda)
                .with_fit_seconds(p.stats.elapsed.as_secs_f64()),
        )?;
    }

    println!(
        "The paper's constraint |Cov(z, θᵀx)| ≤ c (augmented-Lagrangian target), c = share · c0:"
    );
    print_table(&curve, "covariance bound", "c/c0", "c_share")?;
    println!("\nThe squared covariance as a penalty with weight λ:");
    print_table(&curve, "covariance penalty", "lambda", "lambda")?;
    println!(
        "\nc0 = {c0:.4}; {} models on {} training rows in {elapsed:.3} s",
        curve.len(),
        split.train.nrows()
    );

    curve.write_csv(out.join("curve.csv"))?;
    TradeoffPlot::default()
        .title("Zafar et al. synthetic data (φ = π/4)")
        .axes(
            Axis::maximise(P_RULE).titled("p%-rule of hard predictions (test)"),
            Axis::maximise(names::ACCURACY),
        )
        .write_svg(&curve, out.join("curve.svg"))?;

    // The unconstrained model and the bounded models at the drawn shares.
    let mut drawn: Vec<(String, &FittedLogistic)> = vec![("unconstrained".into(), &unconstrained)];
    for (share, fit) in BOUND_SHARES.iter().zip(&targeted) {
        if DRAWN_SHARES.contains(share) {
            let label = if *share == 0.0 {
                "Cov = 0".to_string()
            } else {
                format!("|Cov| ≤ {share} · c0")
            };
            drawn.push((label, &fit.model));
        }
    }
    draw_boundaries(&split.test, &drawn, &out.join("boundaries.svg"))?;
    for file in ["curve.csv", "curve.svg", "boundaries.svg"] {
        println!("wrote {}", out.join(file).display());
    }
    Ok(())
}

/// A curve point of `model`: its covariance on the training split (and share of `c0`), and
/// accuracy, p%-rule (hard and soft) and DP difference on the test split.
fn point(
    method: &str,
    model: &FittedLogistic,
    split: &TrainTest,
    c0: f64,
) -> fairfit::Result<CurvePoint> {
    let cov = covariance(model, &split.train)?;
    let test = &split.test;
    let y = test.labels()?;
    let y_hat = model.predict_labels(test.records())?.to_vec();
    let groups = test.groups();
    let soft = Statistic::positive_rate()
        .evaluate(
            model.loss(),
            test,
            model.decision_function(test.records())?.view(),
        )?
        .soft;
    let soft_ratio = soft.iter().copied().fold(f64::INFINITY, f64::min)
        / soft.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Ok(CurvePoint::new(method)
        .with_metric(Split::Train, COVARIANCE, cov)
        .with_metric(Split::Train, COVARIANCE_SHARE, cov.abs() / c0)
        .with_metric(Split::Test, names::ACCURACY, accuracy(&y, &y_hat, None)?)
        .with_metric(
            Split::Test,
            P_RULE,
            100.0 * demographic_parity_ratio(&y_hat, groups, None)?.value,
        )
        .with_metric(Split::Test, SOFT_P_RULE, 100.0 * soft_ratio)
        .with_metric(
            Split::Test,
            names::DP_DIFFERENCE,
            demographic_parity_difference(&y_hat, groups, None)?.value,
        ))
}

/// Zafar et al.'s covariance `(1/N) Σ (zᵢ − z̄) θᵀxᵢ` between membership of the first group
/// (`s = 1`) and the signed distance to the decision boundary, on `data`.
fn covariance(model: &FittedLogistic, data: &FairDataset) -> Result<f64, TrainError> {
    let scores = model.decision_function(data.records())?;
    let z: Vec<f64> = data
        .groups()
        .of_row()
        .iter()
        .map(|&g| f64::from(u8::from(g == 0)))
        .collect();
    let n = z.len() as f64;
    let z_mean = z.iter().sum::<f64>() / n;
    Ok(z.iter()
        .zip(scores.iter())
        .map(|(z, s)| (z - z_mean) * s)
        .sum::<f64>()
        / n)
}

/// Prints the points of one method (with the unconstrained model first), keyed by `param`.
fn print_table(
    curve: &TradeoffCurve,
    method: &str,
    header: &str,
    param: &str,
) -> fairfit::Result<()> {
    println!(
        "{:>10}  {:>11}  {:>8}  {:>9}  {:>8}  {:>11}  {:>8}",
        header, "Cov (train)", "|Cov|/c0", "test acc", "p%-rule", "soft p%rule", "DP diff"
    );
    for (i, point) in curve.points().iter().enumerate() {
        if point.method() != method && point.method() != "unconstrained" {
            continue;
        }
        let get = |split, name| curve.estimate(i, split, name).map(|e| e.value);
        let key = point
            .param(param)
            .map_or("unconstr.".to_string(), |v| format!("{v:.4}"));
        println!(
            "{:>10}  {:>11.2e}  {:>8.4}  {:>9.4}  {:>8.1}  {:>11.1}  {:>8.4}",
            key,
            get(Split::Train, COVARIANCE)?,
            get(Split::Train, COVARIANCE_SHARE)?,
            get(Split::Test, names::ACCURACY)?,
            get(Split::Test, P_RULE)?,
            get(Split::Test, SOFT_P_RULE)?,
            get(Split::Test, names::DP_DIFFERENCE)?,
        );
    }
    Ok(())
}

/// Okabe–Ito colours: classes (blue, vermillion) and boundaries (black, then three more).
const BLUE: RGBColor = RGBColor(0, 114, 178);
const VERMILLION: RGBColor = RGBColor(213, 94, 0);
const LINES: [RGBColor; 4] = [
    RGBColor(0, 0, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
];
const FONT: &str = "sans-serif";

/// Scatter of the test points (colour: class; shape: group) with the decision boundaries
/// `θᵀx + b = 0` of the given models as lines.
fn draw_boundaries(
    data: &FairDataset,
    models: &[(String, &FittedLogistic)],
    path: &Path,
) -> fairfit::Result<()> {
    let labels = data.labels()?;
    plot_boundaries(data, &labels, models, path).map_err(|e| {
        EvalError::Plot {
            what: "decision boundaries".into(),
            message: e.to_string(),
        }
        .into()
    })
}

/// The drawing of [`draw_boundaries`], in plotters' own error type.
fn plot_boundaries(
    data: &FairDataset,
    labels: &[bool],
    models: &[(String, &FittedLogistic)],
    path: &Path,
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    let x = data.records();
    let group = data.groups().of_row();
    let step = (data.nrows() / DRAWN_POINTS).max(1);
    let rows: Vec<usize> = (0..data.nrows()).step_by(step).collect();
    let (x0, x1, y0, y1) = (-10.0, 10.0, -10.0, 10.0);

    let root = SVGBackend::new(path, (860, 760)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Zafar et al. synthetic data: decision boundaries",
            (FONT, 24),
        )
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(56)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    chart
        .configure_mesh()
        .x_desc("x1")
        .y_desc("x2")
        .axis_desc_style((FONT, 20))
        .label_style((FONT, 15))
        .bold_line_style(BLACK.mix(0.08))
        .light_line_style(BLACK.mix(0.0))
        .draw()?;

    let names = data.groups().names();
    for (class, colour, class_name) in [(true, BLUE, "y = 1"), (false, VERMILLION, "y = 0")] {
        for (g, name) in names.iter().enumerate() {
            let points: Vec<(f64, f64)> = rows
                .iter()
                .filter(|&&r| labels[r] == class && group[r] == g)
                .map(|&r| (x[[r, 0]], x[[r, 1]]))
                .filter(|&(a, b)| (x0..=x1).contains(&a) && (y0..=y1).contains(&b))
                .collect();
            let label = format!("{class_name}, s = {name}");
            let style = colour.stroke_width(2);
            let anno = if g == 0 {
                chart.draw_series(points.iter().map(|&p| Circle::new(p, 4, style)))?
            } else {
                chart.draw_series(points.iter().map(|&p| Cross::new(p, 4, style)))?
            };
            anno.label(label).legend(move |(lx, ly)| {
                if g == 0 {
                    Circle::new((lx + 10, ly), 4, style).into_dyn()
                } else {
                    Cross::new((lx + 10, ly), 4, style).into_dyn()
                }
            });
        }
    }
    for (i, (name, model)) in models.iter().enumerate() {
        let w = model.coefficients();
        let Some(segment) = clip_line([w[0], w[1], model.intercept()], (x0, x1, y0, y1)) else {
            continue;
        };
        let style = LINES[i % LINES.len()].stroke_width(3);
        let anno = if i == 0 {
            chart.draw_series(LineSeries::new(segment, style))?
        } else {
            chart.draw_series(DashedLineSeries::new(segment, 12, 6, style))?
        };
        anno.label(name.as_str())
            .legend(move |(lx, ly)| PathElement::new(vec![(lx, ly), (lx + 22, ly)], style));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font((FONT, 15))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.4))
        .draw()?;
    root.present()?;
    Ok(())
}

/// The part of the line `a·x + b·y + c = 0` inside the box `(x0, x1, y0, y1)`, if any.
fn clip_line(
    [a, b, c]: [f64; 3],
    (x0, x1, y0, y1): (f64, f64, f64, f64),
) -> Option<Vec<(f64, f64)>> {
    let mut hits: Vec<(f64, f64)> = Vec::new();
    if b != 0.0 {
        for x in [x0, x1] {
            let y = -(a * x + c) / b;
            if (y0..=y1).contains(&y) {
                hits.push((x, y));
            }
        }
    }
    if a != 0.0 {
        for y in [y0, y1] {
            let x = -(b * y + c) / a;
            if (x0..=x1).contains(&x) {
                hits.push((x, y));
            }
        }
    }
    hits.sort_by(|p, q| p.0.total_cmp(&q.0).then(p.1.total_cmp(&q.1)));
    hits.dedup();
    (hits.len() >= 2).then(|| vec![hits[0], hits[hits.len() - 1]])
}
