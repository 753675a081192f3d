//! Keeping coincident markers apart: markers of different series that (nearly) coincide in
//! pixel space go on a small ring around their common centre, so that none hides another.
//! Only the drawing moves; the data stay as they are.

/// How close (in marker half-sizes) two markers' centres may be before one hides much of the
/// other.
const NEAR: f64 = 1.5;

/// Distance (in marker half-sizes) between neighbours on a ring: the widest shape (a diamond,
/// 1.3 half-sizes) twice, and a gap.
const SPACING: f64 = 2.8;

/// Distance (in marker half-sizes) a marker that still hides another is pushed to from it.
const CLEAR: f64 = 2.2;

/// Rounds of pushing apart markers that hide each other, at most.
const ROUNDS: usize = 50;

/// The pixel offset of each of `markers` (its series and its centre in pixels) that keeps every
/// marker visible, for markers `radius` pixels across their half.
///
/// First, markers are taken in order; each joins the first group whose first marker is within
/// [`NEAR`] half-sizes, else starts a group; each series of a group gets a place on a ring
/// around the group's centre — the first series on the left, the others spaced evenly — so
/// that neighbours are [`SPACING`] half-sizes apart, and a series' markers in the group all go
/// to its place. Then, where a marker still lies within [`NEAR`] half-sizes of one of another
/// series (a ring reaching a neighbour), the two are pushed apart to [`CLEAR`] half-sizes,
/// round after round (at most [`ROUNDS`]). Markers of one series that coincide stay together (they look alike),
/// and markers far from other series do not move.
pub(crate) fn dodge(markers: &[(usize, (f64, f64))], radius: f64) -> Vec<(i32, i32)> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, &(_, at)) in markers.iter().enumerate() {
        let near = |g: &&mut Vec<usize>| distance(markers[g[0]].1, at) <= NEAR * radius;
        match groups.iter_mut().find(near) {
            Some(group) => group.push(i),
            None => groups.push(vec![i]),
        }
    }
    let mut at: Vec<(f64, f64)> = markers.iter().map(|m| m.1).collect();
    for group in &groups {
        ring(markers, group, radius, &mut at);
    }
    for _ in 0..ROUNDS {
        let mut pushed = false;
        for i in 0..markers.len() {
            for j in 0..i {
                let d = distance(at[i], at[j]);
                if markers[i].0 == markers[j].0 || d >= NEAR * radius {
                    continue;
                }
                // Along the line between them (the later one to the right if they coincide).
                let (ux, uy) = if d > 1e-9 {
                    ((at[i].0 - at[j].0) / d, (at[i].1 - at[j].1) / d)
                } else {
                    (1.0, 0.0)
                };
                let push = (CLEAR * radius - d) / 2.0;
                at[i] = (at[i].0 + ux * push, at[i].1 + uy * push);
                at[j] = (at[j].0 - ux * push, at[j].1 - uy * push);
                pushed = true;
            }
        }
        if !pushed {
            break;
        }
    }
    markers
        .iter()
        .zip(at)
        .map(|(&(_, (x, y)), (tx, ty))| ((tx - x).round() as i32, (ty - y).round() as i32))
        .collect()
}

/// Puts the series of `group` on a ring around its centre (moving their markers in `at`);
/// a group of one series stays where it is.
fn ring(markers: &[(usize, (f64, f64))], group: &[usize], radius: f64, at: &mut [(f64, f64)]) {
    let mut series: Vec<usize> = group.iter().map(|&i| markers[i].0).collect();
    series.sort_unstable();
    series.dedup();
    let k = series.len();
    if k < 2 {
        return;
    }
    let n = group.len() as f64;
    let centre = group.iter().fold((0.0, 0.0), |(x, y), &i| {
        (x + markers[i].1 .0 / n, y + markers[i].1 .1 / n)
    });
    // Neighbours on a ring of k places are 2 R sin(π / k) apart.
    let r = SPACING * radius / (2.0 * (std::f64::consts::PI / k as f64).sin());
    for &i in group {
        let place = series.iter().position(|&t| t == markers[i].0).unwrap_or(0);
        let angle = std::f64::consts::PI * (1.0 + 2.0 * place as f64 / k as f64);
        at[i] = (centre.0 + r * angle.cos(), centre.1 + r * angle.sin());
    }
}

fn distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0).hypot(a.1 - b.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moved(markers: &[(usize, (f64, f64))], offsets: &[(i32, i32)]) -> Vec<(f64, f64)> {
        markers
            .iter()
            .zip(offsets)
            .map(|(&(_, (x, y)), &(dx, dy))| (x + f64::from(dx), y + f64::from(dy)))
            .collect()
    }

    #[test]
    fn coincident_markers_of_different_series_are_spread_and_isolated_ones_stay() {
        let r = 6.0;
        // Three series at one point (the unmitigated model under two others), one nearly there,
        // and two isolated markers.
        let markers = [
            (0, (100.0, 200.0)),
            (1, (100.0, 200.0)),
            (2, (100.0, 200.0)),
            (3, (103.0, 198.0)),
            (0, (300.0, 50.0)),
            (1, (330.0, 50.0)),
        ];
        let offsets = dodge(&markers, r);
        let at = moved(&markers, &offsets);
        for i in 0..4 {
            for j in 0..i {
                let d = distance(at[i], at[j]);
                assert!(d >= 2.0 * r, "markers {i} and {j} {d} pixels apart");
            }
            // Each stays close to the point it shows.
            assert!(distance(at[i], (101.0, 199.0)) < 4.0 * r, "{:?}", at[i]);
        }
        assert_eq!(offsets[4..], [(0, 0), (0, 0)]);
        // Two series side by side: the first on the left.
        let two = dodge(&[(5, (10.0, 10.0)), (2, (10.0, 10.0))], r);
        assert!(two[1].0 < 0 && two[0].0 > 0 && two[0].1 == 0, "{two:?}");
    }

    #[test]
    fn markers_of_one_series_are_not_spread() {
        let markers = [(0, (50.0, 50.0)), (0, (50.0, 50.0)), (0, (52.0, 50.0))];
        assert_eq!(dodge(&markers, 6.0), [(0, 0); 3]);
        // Nor are markers of different series that already stand apart.
        let apart = [(0, (50.0, 50.0)), (1, (60.0, 50.0))];
        assert_eq!(dodge(&apart, 6.0), [(0, 0); 2]);
        assert!(dodge(&[], 6.0).is_empty());
    }

    #[test]
    fn a_ring_that_would_cover_a_neighbour_pushes_it_aside() {
        // Series 0 and 1 coincide; series 2 stands 12 pixels to the left, near where the ring
        // puts series 0.
        let markers = [(0, (100.0, 100.0)), (1, (100.0, 100.0)), (2, (88.0, 100.0))];
        let at = moved(&markers, &dodge(&markers, 6.0));
        for i in 0..3 {
            for j in 0..i {
                assert!(distance(at[i], at[j]) >= 9.0, "{at:?}");
            }
        }
        // The neighbour moves by less than a marker's width.
        assert!(distance(at[2], markers[2].1) < 12.0, "{at:?}");
        // A cloud of many series within a few pixels ends with none hiding another.
        let cloud: Vec<(usize, (f64, f64))> = (0..12)
            .map(|k| {
                (
                    k,
                    (50.0 + (k % 4) as f64 * 3.0, 50.0 + (k / 4) as f64 * 4.0),
                )
            })
            .collect();
        let at = moved(&cloud, &dodge(&cloud, 6.0));
        for i in 0..12 {
            for j in 0..i {
                assert!(distance(at[i], at[j]) >= 9.0 - 1.5, "{i} {j} {at:?}");
            }
        }
    }

    #[test]
    fn a_series_with_two_points_in_a_group_keeps_one_place() {
        let markers = [(0, (0.0, 0.0)), (1, (0.0, 0.0)), (0, (1.0, 0.0))];
        let at = moved(&markers, &dodge(&markers, 6.0));
        assert_eq!(at[0], at[2]);
        assert!(distance(at[0], at[1]) >= 12.0);
    }
}
