//! The step line of a method's Pareto front: the boundary of the region the front attains.

use crate::curve::{Axis, Direction};

/// The step line through front points sorted by increasing x: the boundary of the region the
/// front attains. With x minimised, a point's y holds until the next point's x; with x
/// maximised, the next point's y holds back to this point's x.
pub(crate) fn step_line(front: &[(f64, f64)], x: &Axis) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(front.len() * 2);
    for (k, &p) in front.iter().enumerate() {
        if let Some(&prev) = k.checked_sub(1).map(|j| &front[j]) {
            let corner = match x.direction {
                Direction::Minimise => (p.0, prev.1),
                Direction::Maximise => (prev.0, p.1),
            };
            out.push(corner);
        }
        out.push(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn step_line_follows_the_attained_boundary() {
        let front = [(0.0, 0.5), (0.1, 0.7), (0.3, 0.8)];
        let min = Axis::minimise("g");
        assert_eq!(
            step_line(&front, &min),
            [(0.0, 0.5), (0.1, 0.5), (0.1, 0.7), (0.3, 0.7), (0.3, 0.8)]
        );
        let max = Axis::maximise("g");
        let front = [(0.0, 0.8), (0.1, 0.7)];
        assert_eq!(
            step_line(&front, &max),
            [(0.0, 0.8), (0.0, 0.7), (0.1, 0.7)]
        );
    }
}
