//! Tests of the generators: each injected bias at its stated strength, seeding and validation, Zafar's published generator.
//! Compiled only under `#[cfg(test)]` (see the parent module).

use ndarray::Array1;

use super::zafar::zafar_sensitive_probability;
use super::*;
use crate::dataset::FairDataset;

fn rate_in(data: &FairDataset, targets: &Array1<f64>, group: usize) -> f64 {
    let rows: Vec<usize> = (0..data.nrows())
        .filter(|&r| data.groups().of_row()[r] == group)
        .collect();
    rows.iter().map(|&r| targets[r]).sum::<f64>() / rows.len() as f64
}

fn corr(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

#[test]
fn label_bias_lowers_the_base_rate_of_one_group_only() {
    let s = BiasedParams::new(40_000, 2)
        .base_rate(0.4)
        .label_bias("b", 0.5)
        .seed(3)
        .generate()
        .unwrap();
    let (a, b) = (0, 1);
    // true labels: 0.4 in both groups; observed: 0.4 in a, 0.4 * 0.5 = 0.2 in b
    // (standard error about 0.0035 at n = 20,000 per group)
    assert!((rate_in(&s.data, &s.true_targets, a) - 0.4).abs() < 0.015);
    assert!((rate_in(&s.data, &s.true_targets, b) - 0.4).abs() < 0.015);
    let observed = s.data.targets().to_owned();
    assert!((rate_in(&s.data, &observed, a) - 0.4).abs() < 0.015);
    assert!((rate_in(&s.data, &observed, b) - 0.2).abs() < 0.015);
    // flips only turn 1 into 0, only in b
    for r in 0..s.data.nrows() {
        if observed[r] != s.true_targets[r] {
            assert_eq!((observed[r], s.data.groups().of_row()[r]), (0.0, b));
        }
    }
}

#[test]
fn representation_bias_gives_the_stated_share() {
    let p = BiasedParams::new(30_000, 1)
        .groups(&[("maj", 0.5), ("min", 0.5)])
        .representation_bias("min", 0.25)
        .seed(5);
    // 0.5 * 0.25 / (0.5 * 0.25 + 0.5) = 0.2
    assert!((p.expected_shares().unwrap()[1] - 0.2).abs() < 1e-12);
    let s = p.generate().unwrap();
    assert_eq!(s.data.nrows(), 30_000);
    let share = s.data.groups().counts()[1] as f64 / 30_000.0;
    assert!((share - 0.2).abs() < 0.01, "share {share}");
}

#[test]
fn proxy_has_the_stated_correlation_and_features_separate_classes() {
    for rho in [0.0, 0.5, 0.9] {
        let s = BiasedParams::new(20_000, 2)
            .groups(&[("a", 0.7), ("b", 0.3)])
            .proxy("b", rho)
            .separation(3.0)
            .seed(11)
            .generate()
            .unwrap();
        let member: Vec<f64> = s.data.groups().of_row().iter().map(|&g| g as f64).collect();
        let proxy = s.data.records().column(2).to_vec();
        let r = corr(&proxy, &member);
        assert!((r - rho).abs() < 0.02, "rho {rho}: measured {r}");
        // class means of x0 differ by separation / sqrt(dim)
        let y = s.data.targets();
        let mean = |c: f64| {
            let v: Vec<f64> = (0..20_000)
                .filter(|&i| y[i] == c)
                .map(|i| s.data.records()[[i, 0]])
                .collect();
            v.iter().sum::<f64>() / v.len() as f64
        };
        assert!((mean(1.0) - mean(0.0) - 3.0 / 2f64.sqrt()).abs() < 0.05);
    }
}

#[test]
fn generator_is_seeded_and_validates() {
    let p = BiasedParams::new(100, 2).label_bias("b", 0.2).seed(9);
    assert_eq!(p.generate().unwrap(), p.generate().unwrap());
    assert_ne!(
        p.generate().unwrap(),
        p.clone().seed(10).generate().unwrap()
    );
    assert!(BiasedParams::new(10, 2)
        .groups(&[("a", 0.5), ("b", 0.4)])
        .generate()
        .is_err());
    assert!(BiasedParams::new(10, 2)
        .label_bias("c", 0.2)
        .generate()
        .is_err());
    assert!(BiasedParams::new(10, 2)
        .label_bias("a", 1.5)
        .generate()
        .is_err());
    assert!(BiasedParams::new(10, 2)
        .representation_bias("a", 0.0)
        .generate()
        .is_err());
    assert!(BiasedParams::new(10, 2)
        .proxy("a", -1.1)
        .generate()
        .is_err());
    assert!(BiasedParams::new(10, 2).base_rate(1.0).generate().is_err());
    assert!(BiasedParams::new(0, 2).generate().is_err());
}

#[test]
fn zafar_matches_the_published_generator() {
    // Hand-computed: at the origin (rotation-invariant), d'S^-1 d = (5*4 - 2*4 + 5*4)/24 for
    // class 1 and (3*4 - 2*4 + 10*4)/29 for class 0, so p1 = exp(-0.5 * 32/24) / (2 pi sqrt 24)
    // and p0 = exp(-0.5 * 44/29) / (2 pi sqrt 29).
    let p1 = (-0.5f64 * 32.0 / 24.0).exp() / 24f64.sqrt();
    let p0 = (-0.5f64 * 44.0 / 29.0).exp() / 29f64.sqrt();
    let expected = p1 / (p1 + p0);
    assert!((zafar_sensitive_probability([0.0, 0.0], 0.3) - expected).abs() < 1e-12);
    // Rotation: the probability at x with angle phi is the unrotated one at x rotated.
    let phi = std::f64::consts::FRAC_PI_4;
    let x = [1.0, 0.0];
    let r = [phi.cos(), -phi.sin()]; // [1, 0] . [[c, -s], [s, c]] = [c, -s]
    assert!(
        (zafar_sensitive_probability(x, phi) - zafar_sensitive_probability(r, 0.0)).abs() < 1e-12
    );

    let data = zafar(4_000, phi, 1).unwrap();
    let y = data.targets();
    assert_eq!(y.sum(), 4_000.0);
    // class means and a covariance entry, within about 4 standard errors
    let pos: Vec<usize> = (0..8_000).filter(|&i| y[i] == 1.0).collect();
    let neg: Vec<usize> = (0..8_000).filter(|&i| y[i] == 0.0).collect();
    let mean = |rows: &[usize], j: usize| {
        rows.iter().map(|&i| data.records()[[i, j]]).sum::<f64>() / rows.len() as f64
    };
    assert!((mean(&pos, 0) - 2.0).abs() < 0.15 && (mean(&pos, 1) - 2.0).abs() < 0.15);
    assert!((mean(&neg, 0) + 2.0).abs() < 0.2 && (mean(&neg, 1) + 2.0).abs() < 0.15);
    let var = |rows: &[usize], j: usize| {
        let m = mean(rows, j);
        rows.iter()
            .map(|&i| (data.records()[[i, j]] - m).powi(2))
            .sum::<f64>()
            / rows.len() as f64
    };
    assert!((var(&neg, 0) - 10.0).abs() < 0.9 && (var(&neg, 1) - 3.0).abs() < 0.3);
    // s follows the rule: the share with s = 1 matches the mean rule probability
    let s1 = data
        .attribute("s")
        .unwrap()
        .codes()
        .iter()
        .filter(|&&c| c == 0)
        .count() as f64;
    let expected_s1: f64 = (0..8_000)
        .map(|i| zafar_sensitive_probability([data.records()[[i, 0]], data.records()[[i, 1]]], phi))
        .sum();
    assert!((s1 - expected_s1).abs() < 4.0 * (8_000f64 * 0.25).sqrt());
    // and s = 1 is more frequent among positives
    let codes = data.attribute("s").unwrap().codes();
    let share =
        |rows: &[usize]| rows.iter().filter(|&&i| codes[i] == 0).count() as f64 / rows.len() as f64;
    assert!(share(&pos) > share(&neg) + 0.2);
}
