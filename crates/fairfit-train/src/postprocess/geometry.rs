//! Exact plane geometry for the threshold search: upper concave envelopes of operating points and
//! the intersection of convex polygons (the groups' ROC hulls).
//!
//! Everything here is a few lines of textbook geometry on at most a few thousand points, so it is
//! written out rather than handed to a linear-programming crate: the optimum of a linear objective
//! over a convex polygon lies at one of its vertices.

/// A point of the plane.
pub(crate) type Point = (f64, f64);

/// Tolerance for "on the line" / "same point" decisions, far below any rate granularity.
pub(crate) const EPS: f64 = 1e-12;

/// Where a value of `x` falls on an envelope.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Location {
    /// Exactly at the vertex with this position in the envelope.
    Vertex(usize),
    /// Strictly between two consecutive vertices; `left_weight` is the weight of the left one in
    /// the convex combination giving `x`.
    Between {
        /// Position of the left vertex.
        left: usize,
        /// Weight of the left vertex, in (0, 1).
        left_weight: f64,
    },
}

/// The upper concave envelope of a finite point set: the graph of the smallest concave function
/// lying above every point, over the points' x-range. Its vertices are points of the set.
#[derive(Debug, Clone, Default)]
pub(crate) struct Envelope {
    /// Indices (into the original point set) of the vertices, by increasing x.
    pub vertices: Vec<usize>,
    /// The vertices' coordinates.
    pub xs: Vec<f64>,
    /// The vertices' values.
    pub ys: Vec<f64>,
}

impl Envelope {
    /// The upper envelope of `points` (at least one point). Collinear points are kept as
    /// vertices, so an exact hit on a point of the set needs no interpolation.
    pub fn upper(points: &[Point]) -> Self {
        let mut env = Self::default();
        env.refill_upper(points, &mut Vec::new());
        env
    }

    /// [`Envelope::upper`] into this envelope's buffers, with `order` as scratch, so that a
    /// caller fitting many times allocates nothing once the buffers have grown.
    pub fn refill_upper(&mut self, points: &[Point], order: &mut Vec<usize>) {
        order.clear();
        order.extend(0..points.len());
        let by_x_then_higher = |&a: &usize, &b: &usize| {
            points[a]
                .0
                .total_cmp(&points[b].0)
                .then(points[b].1.total_cmp(&points[a].1))
        };
        // Threshold points usually come sorted already (rates grow with the threshold).
        if !order
            .windows(2)
            .all(|w| by_x_then_higher(&w[0], &w[1]).is_le())
        {
            order.sort_by(by_x_then_higher);
        }
        order.dedup_by(|later, earlier| points[*later].0 == points[*earlier].0);
        let hull = &mut self.vertices;
        hull.clear();
        for &i in order.iter() {
            while hull.len() >= 2 {
                let (o, a) = (points[hull[hull.len() - 2]], points[hull[hull.len() - 1]]);
                if cross(o, a, points[i]) > 0.0 {
                    hull.pop();
                } else {
                    break;
                }
            }
            hull.push(i);
        }
        self.xs.clear();
        self.xs.extend(hull.iter().map(|&i| points[i].0));
        self.ys.clear();
        self.ys.extend(hull.iter().map(|&i| points[i].1));
    }

    /// The lower convex envelope of `points` (the upper envelope of the mirrored points).
    pub fn lower(points: &[Point]) -> Self {
        let mirrored: Vec<Point> = points.iter().map(|&(x, y)| (x, -y)).collect();
        let mut env = Self::upper(&mirrored);
        env.ys.iter_mut().for_each(|y| *y = -*y);
        env
    }

    /// Where `x` falls; `x` is clamped to the envelope's x-range.
    pub fn locate(&self, x: f64) -> Location {
        let last = self.xs.len() - 1;
        if x <= self.xs[0] + EPS {
            return Location::Vertex(0);
        }
        if x >= self.xs[last] - EPS {
            return Location::Vertex(last);
        }
        let right = self.xs.partition_point(|&v| v < x);
        if self.xs[right] - x <= EPS {
            return Location::Vertex(right);
        }
        if x - self.xs[right - 1] <= EPS {
            return Location::Vertex(right - 1);
        }
        let left = right - 1;
        Location::Between {
            left,
            left_weight: (self.xs[right] - x) / (self.xs[right] - self.xs[left]),
        }
    }

    /// The envelope's value at `x` (clamped to its x-range).
    pub fn value(&self, x: f64) -> f64 {
        self.value_at(self.locate(x))
    }

    /// The envelope's value at a location found by [`Envelope::locate`].
    pub fn value_at(&self, location: Location) -> f64 {
        match location {
            Location::Vertex(i) => self.ys[i],
            Location::Between { left, left_weight } => {
                left_weight * self.ys[left] + (1.0 - left_weight) * self.ys[left + 1]
            }
        }
    }

    /// The x of the highest vertex (the first one, if several are equally high).
    pub fn argmax(&self) -> f64 {
        let mut best = 0;
        for i in 1..self.ys.len() {
            if self.ys[i] > self.ys[best] {
                best = i;
            }
        }
        self.xs[best]
    }
}

/// Twice the signed area of the triangle `o, a, b`: positive when `o → a → b` turns left.
pub(crate) fn cross(o: Point, a: Point, b: Point) -> f64 {
    (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
}

/// The convex polygon between a lower and an upper envelope over the same x-range, as vertices in
/// counter-clockwise order (consecutive duplicates removed).
pub(crate) fn polygon_between(lower: &Envelope, upper: &Envelope) -> Vec<Point> {
    let mut poly: Vec<Point> = lower
        .xs
        .iter()
        .copied()
        .zip(lower.ys.iter().copied())
        .collect();
    poly.extend(upper.xs.iter().copied().zip(upper.ys.iter().copied()).rev());
    poly.dedup();
    if poly.len() > 1 && poly.first() == poly.last() {
        poly.pop();
    }
    poly
}

/// The part of `subject` (any convex polygon, possibly degenerate) inside the convex
/// counter-clockwise polygon `clip` (Sutherland–Hodgman, with a tolerance so that shared edges
/// and vertices survive rounding).
pub(crate) fn clip_convex(subject: &[Point], clip: &[Point]) -> Vec<Point> {
    let mut out = subject.to_vec();
    if clip.len() < 3 {
        return out;
    }
    for e in 0..clip.len() {
        let (a, b) = (clip[e], clip[(e + 1) % clip.len()]);
        let norm = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        if norm == 0.0 || out.is_empty() {
            continue;
        }
        let side = |p: Point| cross(a, b, p) / norm;
        let input = std::mem::take(&mut out);
        for i in 0..input.len() {
            let (p, q) = (input[i], input[(i + 1) % input.len()]);
            let (dp, dq) = (side(p), side(q));
            let (p_in, q_in) = (dp >= -EPS, dq >= -EPS);
            if p_in != q_in {
                let t = dp / (dp - dq);
                out.push((p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1)));
            }
            if q_in {
                out.push(q);
            }
        }
        out.dedup();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_envelope_drops_points_below_chords_and_keeps_collinear_ones() {
        let pts = [
            (0.0, 0.0),
            (0.5, 0.2),
            (0.25, 0.5),
            (1.0, 1.0),
            (0.5, 0.75),
            (0.75, 0.875),
        ];
        let env = Envelope::upper(&pts);
        assert_eq!(env.vertices, vec![0, 2, 4, 5, 3]);
        assert_eq!(env.value(0.125), 0.25);
        assert_eq!(env.locate(0.5), Location::Vertex(2));
        assert_eq!(
            env.locate(0.375),
            Location::Between {
                left: 1,
                left_weight: 0.5
            }
        );
        assert_eq!(env.argmax(), 1.0);
        let low = Envelope::lower(&pts);
        assert_eq!(low.vertices, vec![0, 1, 3]);
    }

    #[test]
    fn clipping_two_triangles_gives_their_overlap() {
        let a = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)];
        let b = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)];
        let mut overlap = clip_convex(&a, &b);
        overlap.sort_by(|p, q| p.0.total_cmp(&q.0).then(p.1.total_cmp(&q.1)));
        assert_eq!(overlap, vec![(0.0, 0.0), (0.5, 0.5), (1.0, 0.0)]);
    }
}
