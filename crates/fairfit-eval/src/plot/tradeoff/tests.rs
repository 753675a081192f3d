//! Tests of drawing trade-off plots: markers, labels, legend place and entries, whiskers,
//! fronts, reference lines and overlapping markers.
//! Compiled only under `#[cfg(test)]` (see the parent module).
use super::*;
use crate::curve::names;
use crate::curve::{CurvePoint, Split, TradeoffCurve};
use crate::error::EvalError;
use crate::estimate::{Estimate, Interval};

fn count(svg: &str, tag: &str) -> usize {
    svg.matches(&format!("<{tag} ")).count()
}

/// Lines (`<polyline>`) drawn in one colour.
fn lines_in(svg: &str, colour: &str) -> usize {
    svg.lines()
        .filter(|l| l.starts_with("<polyline") && l.contains(&format!("stroke=\"{colour}\"")))
        .count()
}

fn path(method: &str, n: usize, acc0: f64) -> TradeoffCurve {
    TradeoffCurve::from_points(
        (0..n)
            .map(|k| {
                let t = k as f64 / n as f64;
                CurvePoint::new(method)
                    .with_param("lambda", t)
                    .with_metric(Split::Test, names::ACCURACY, acc0 - 0.05 * t * t)
                    .with_metric(Split::Test, names::DP_DIFFERENCE, 0.2 * (1.0 - t))
            })
            .collect(),
    )
    .unwrap()
}

#[test]
fn one_marker_per_point_labels_and_legend() {
    let mut curve = path("dp-penalty", 7, 0.85);
    curve.extend(path("reweighing", 4, 0.84));
    let svg = TradeoffPlot::default().render(&curve).unwrap();
    // Circles: 7 points + 1 legend icon; triangles (polygons): 4 points + 1 legend icon.
    assert_eq!(count(&svg, "circle"), 8);
    assert_eq!(count(&svg, "polygon"), 5);
    let texts = crate::plot::svg_texts(&svg);
    for label in [
        "Demographic-parity difference (test)",
        "Accuracy (test)",
        "dp-penalty",
        "reweighing",
        "Accuracy vs demographic-parity difference (test)",
    ] {
        assert!(texts.contains(&label), "no text `{label}` in {texts:?}");
    }
    // The y axis title is rotated; every text uses the generic family.
    assert!(svg.contains("rotate(270"));
    assert!(!svg.contains("font-family=\"Arial\""));
    // Each method's points joined by one line in its colour, and its legend glyph on the same
    // line.
    assert_eq!(lines_in(&svg, "#0072B2"), 2);
    assert_eq!(lines_in(&svg, "#D55E00"), 2);
}

/// The x position of the `<text>` element whose content is `label`.
fn text_x(svg: &str, label: &str) -> Option<f64> {
    let lines: Vec<&str> = svg.lines().collect();
    let k = lines.iter().position(|l| l.trim() == label)?;
    let open = lines[k - 1];
    open.split("x=\"").nth(1)?.split('"').next()?.parse().ok()
}

#[test]
fn a_tall_legend_that_fits_no_corner_goes_right_of_the_plot() {
    // 20 methods, one point each, spread over the whole plane (every corner occupied).
    let curve = TradeoffCurve::from_points(
        (0..20)
            .map(|m| {
                let (a, b) = ((m % 5) as f64 / 4.0, (m / 5) as f64 / 3.0);
                CurvePoint::new(format!("method {m}"))
                    .with_metric(Split::Test, names::ACCURACY, 0.7 + 0.2 * b)
                    .with_metric(Split::Test, names::DP_DIFFERENCE, 0.3 * a)
            })
            .collect(),
    )
    .unwrap();
    let svg = TradeoffPlot::default().render(&curve).unwrap();
    // The right end of the x axis: the largest x of the axis line's points.
    let right_of = |svg: &str| {
        svg.lines()
            .filter(|l| l.starts_with("<polyline") && l.contains("opacity=\"0.8\""))
            .flat_map(|l| {
                l.split("points=\"")
                    .nth(1)
                    .unwrap()
                    .split_whitespace()
                    .filter_map(|p| p.split(',').next().and_then(|x| x.parse::<f64>().ok()))
                    .collect::<Vec<_>>()
            })
            .fold(0.0, f64::max)
    };
    let plot_right = right_of(&svg);
    for m in 0..20 {
        let x = text_x(&svg, &format!("method {m}")).expect("every method in the legend");
        assert!(
            x > plot_right,
            "method {m} at x = {x}, plot ends at {plot_right}"
        );
    }
    // The markers of the 20 methods have 20 distinct colours
    let colours: std::collections::HashSet<&str> = svg
        .split("fill=\"#")
        .skip(1)
        .map(|c| &c[..6])
        .filter(|c| *c != "FFFFFF" && *c != "000000")
        .collect();
    // (the seventh Okabe–Ito colour is black, which the texts share, so 19 others).
    assert_eq!(colours.len(), 19, "{colours:?}");
    // Two methods still get an inside legend.
    let two = TradeoffCurve::from_points(curve.points()[..2].to_vec()).unwrap();
    let svg = TradeoffPlot::default().render(&two).unwrap();
    assert!(text_x(&svg, "method 0").unwrap() < right_of(&svg));
}

#[test]
fn intervals_and_fronts_are_drawn_and_any_axes_work() {
    let curve = TradeoffCurve::from_points(vec![
        CurvePoint::new("m")
            .with_metric(
                Split::Train,
                "f1",
                Estimate::with_interval(0.7, Interval::new(0.65, 0.75, 0.95)),
            )
            .with_metric(Split::Train, "tpr_difference", 0.1),
        CurvePoint::new("m")
            .with_metric(Split::Train, "f1", 0.6)
            .with_metric(
                Split::Train,
                "tpr_difference",
                Estimate::with_interval(0.05, Interval::new(0.04, 0.07, 0.95)),
            ),
        CurvePoint::new("m")
            .with_metric(Split::Train, "f1", 0.5)
            .with_metric(Split::Train, "tpr_difference", 0.2),
    ])
    .unwrap();
    let plot = TradeoffPlot::default()
        .axes(
            Axis::minimise("tpr_difference").on(Split::Train),
            Axis::maximise("f1").on(Split::Train),
        )
        .front(true)
        .connect(false);
    let svg = plot.render(&curve).unwrap();
    // 2 whiskers × (bar + 2 caps) + 1 front step line + the legend glyph's front line, all in
    // the method's colour.
    assert_eq!(lines_in(&svg, "#0072B2"), 8);
    let texts = crate::plot::svg_texts(&svg);
    assert!(texts.contains(&"Pareto front (method colour)"));
    assert!(texts.contains(&"whiskers: 95 % interval"));
    assert!(texts.contains(&"Equal-opportunity difference (train)"));
    assert_eq!(count(&svg, "circle"), 4);
    let no_bars = plot.clone().intervals(false).render(&curve).unwrap();
    assert_eq!(lines_in(&no_bars, "#0072B2"), 2);
    let texts = crate::plot::svg_texts(&no_bars);
    assert!(
        !texts.iter().any(|t| t.starts_with("whiskers")),
        "{texts:?}"
    );
}

#[test]
fn bad_input_is_a_typed_error() {
    let plot = TradeoffPlot::default();
    assert!(matches!(
        plot.render(&TradeoffCurve::new()),
        Err(EvalError::Empty(_))
    ));
    let c = TradeoffCurve::from_points(vec![CurvePoint::new("m").with_metric(
        Split::Test,
        names::ACCURACY,
        0.8,
    )])
    .unwrap();
    assert!(matches!(
        plot.render(&c),
        Err(EvalError::MissingMetric { .. })
    ));
    assert!(matches!(
        plot.clone().size(10, 10).render(&path("m", 2, 0.8)),
        Err(EvalError::InvalidParameter { .. })
    ));
    assert!(matches!(
        plot.clone()
            .reference(ReferenceLine::new(f64::NAN, "nothing"))
            .render(&path("m", 2, 0.8)),
        Err(EvalError::InvalidParameter {
            name: "reference",
            ..
        })
    ));
}

/// The value of attribute `name` in an SVG element's line.
fn attr(line: &str, name: &str) -> f64 {
    line.split(&format!(" {name}=\""))
        .nth(1)
        .and_then(|s| s.split('"').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no {name} in {line}"))
}

/// The (x, y) pixel points of a `<polyline>` or `<polygon>` line.
fn points(line: &str) -> Vec<(f64, f64)> {
    line.split("points=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|p| {
            let (x, y) = p.split_once(',')?;
            Some((x.parse().ok()?, y.parse().ok()?))
        })
        .collect()
}

#[test]
fn the_constant_rule_is_a_dashed_line_below_the_methods_named_in_the_legend() {
    let curve = path("dp-penalty", 5, 0.85);
    let plot = TradeoffPlot::default().reference(ReferenceLine::constant_rule(0.24).unwrap());
    let svg = plot.render(&curve).unwrap();
    let texts = crate::plot::svg_texts(&svg);
    assert!(
        texts.contains(&"constant rule (majority class)"),
        "{texts:?}"
    );
    // The dashes: dark grey polylines, all at one height, spanning most of the plot's width.
    let dashes: Vec<Vec<(f64, f64)>> = svg
        .lines()
        .filter(|l| {
            l.starts_with("<polyline")
                && l.contains("stroke=\"#000000\"")
                && l.contains("opacity=\"0.6\"")
        })
        .map(points)
        .collect();
    // The legend glyph's dashes are shorter and further right than the plot's first dash.
    let on_plot: Vec<&Vec<(f64, f64)>> = dashes.iter().filter(|d| d[0].0 < 150.0).collect();
    assert!(!on_plot.is_empty());
    let height = on_plot[0][0].1;
    let line: Vec<&Vec<(f64, f64)>> = dashes.iter().filter(|d| d[0].1 == height).collect();
    assert!(line.len() > 20, "{} dashes", line.len());
    let (left, right) = line
        .iter()
        .flat_map(|d| d.iter().map(|p| p.0))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
            (lo.min(x), hi.max(x))
        });
    assert!(right - left > 500.0, "from {left} to {right}");
    // Accuracy 0.76 is below every method's point (0.80 to 0.85): lower on the picture.
    let markers: Vec<f64> = svg
        .lines()
        .filter(|l| l.starts_with("<circle"))
        .map(|l| attr(l, "cy"))
        .collect();
    assert_eq!(markers.len(), 6);
    assert!(
        markers.iter().all(|&cy| cy < height - 20.0),
        "{markers:?} vs {height}"
    );
    // Without the reference the axis does not reach down to 0.76.
    let plain = TradeoffPlot::default().render(&curve).unwrap();
    assert!(!crate::plot::svg_texts(&plain).contains(&"0.76"));
    assert!(texts.contains(&"0.76") || texts.contains(&"0.78") || texts.contains(&"0.75"));
}

#[test]
fn the_legend_says_what_the_whiskers_are() {
    let point = |acc: Estimate| {
        CurvePoint::new("m")
            .with_metric(Split::Test, names::ACCURACY, acc)
            .with_metric(Split::Test, names::DP_DIFFERENCE, 0.1)
    };
    let with = |level: f64| {
        TradeoffCurve::from_points(vec![point(Estimate::with_interval(
            0.8,
            Interval::new(0.78, 0.82, level),
        ))])
        .unwrap()
    };
    let texts = |curve: &TradeoffCurve| {
        let svg = TradeoffPlot::default().render(curve).unwrap();
        crate::plot::svg_texts(&svg)
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert!(texts(&with(0.9)).contains(&"whiskers: 90 % interval".to_string()));
    assert!(texts(&with(0.95)).contains(&"whiskers: 95 % interval".to_string()));
    let plain = TradeoffCurve::from_points(vec![point(0.8.into())]).unwrap();
    assert!(!texts(&plain).iter().any(|t| t.contains("whiskers")));
}

#[test]
fn coincident_markers_of_three_methods_are_all_visible() {
    // The unmitigated model and two methods that returned it unchanged: one (gap, accuracy).
    let point = |method: &str, gap: f64, acc: f64| {
        CurvePoint::new(method)
            .with_metric(Split::Test, names::ACCURACY, acc)
            .with_metric(Split::Test, names::DP_DIFFERENCE, gap)
    };
    let curve = TradeoffCurve::from_points(vec![
        point("unmitigated", 0.18, 0.85),
        point("reweighing", 0.18, 0.85),
        point("reweighing", 0.05, 0.83),
        point("threshold", 0.18, 0.85),
        point("threshold", 0.02, 0.82),
    ])
    .unwrap();
    let svg = TradeoffPlot::default()
        .connect(false)
        .render(&curve)
        .unwrap();
    let lines: Vec<&str> = svg.lines().collect();
    // Marker centres in drawing order, after the axes: circles (unmitigated), triangles
    // (reweighing, apex straight above the centre), squares (threshold); the legend's glyphs
    // come last.
    let circle: Vec<(f64, f64)> = lines
        .iter()
        .filter(|l| l.starts_with("<circle"))
        .map(|l| (attr(l, "cx"), attr(l, "cy")))
        .collect();
    let triangle: Vec<(f64, f64)> = lines
        .iter()
        .filter(|l| l.starts_with("<polygon"))
        .map(|l| {
            let p = points(l);
            (p[0].0, (p[0].1 + p[1].1) / 2.0)
        })
        .collect();
    let square: Vec<(f64, f64)> = lines
        .iter()
        .filter(|l| l.starts_with("<rect") && l.contains("fill=\"#009E73\""))
        .map(|l| {
            let (x, y) = (attr(l, "x"), attr(l, "y"));
            (x + attr(l, "width") / 2.0, y + attr(l, "height") / 2.0)
        })
        .collect();
    assert_eq!((circle.len(), triangle.len(), square.len()), (2, 3, 3));
    let shared = [circle[0], triangle[0], square[0]];
    let distance = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).hypot(a.1 - b.1);
    for i in 0..3 {
        for j in 0..i {
            let d = distance(shared[i], shared[j]);
            assert!(
                d >= 12.0,
                "markers {i} and {j} only {d} pixels apart: {shared:?}"
            );
        }
    }
    // An isolated marker stays where its data put it: the same place as in a plot without the
    // coincident reweighing point (the ranges and legend are the same).
    let mut fewer = curve.points().to_vec();
    fewer.remove(1);
    let fewer_svg = TradeoffPlot::default()
        .connect(false)
        .render(&TradeoffCurve::from_points(fewer).unwrap())
        .unwrap();
    let first_triangle = fewer_svg
        .lines()
        .find(|l| l.starts_with("<polygon"))
        .map(points)
        .unwrap();
    assert_eq!(
        points(
            lines
                .iter()
                .filter(|l| l.starts_with("<polygon"))
                .nth(1)
                .unwrap()
        ),
        first_triangle
    );
}

#[test]
fn each_front_is_keyed_in_its_method_colour() {
    let mut curve = path("dp-penalty", 6, 0.85);
    curve.extend(path("reweighing", 5, 0.84));
    let svg = TradeoffPlot::default().front(true).render(&curve).unwrap();
    // Width-2 lines per colour: the method's front and its legend glyph's line, nothing else
    // (the path under a front is thin and faint).
    for colour in ["#0072B2", "#D55E00"] {
        let thick = svg
            .lines()
            .filter(|l| {
                l.starts_with("<polyline")
                    && l.contains(&format!("stroke=\"{colour}\""))
                    && l.contains("stroke-width=\"2\"")
            })
            .count();
        assert_eq!(thick, 2, "{colour}");
    }
    let texts = crate::plot::svg_texts(&svg);
    assert!(texts.contains(&"Pareto front (method colour)"));
}
