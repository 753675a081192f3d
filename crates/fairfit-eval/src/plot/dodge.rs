//! Keeping coincident markers apart: markers of different series that (nearly) coincide in
//! pixel space go on a small ring around their common centre, so that none hides another.
//! Only the drawing moves; the data stay as they are.

/// How close (in marker half-sizes) two markers' centres may be before one hides the other.
const NEAR: f64 = 1.0;

/// Distance (in marker half-sizes) between neighbours on a ring: the widest shape (a diamond,
/// 1.3 half-sizes) twice, and a gap.
const SPACING: f64 = 2.8;

/// The pixel offset of each of `markers` (its series and its centre in pixels) that keeps every
/// marker visible, for markers `radius` pixels across their half.
///
/// Markers are taken in order; each joins the first group whose first marker is within
/// `radius` pixels, else starts a group. A group with markers of one series only stays where it
/// is (its markers look alike). Otherwise each series of the group gets a place on a ring
/// around the group's centre — the first series on the left, the others spaced evenly — so
/// that neighbours are [`SPACING`] half-sizes apart; a series' markers in the group all go to
/// its place. Markers far from every other series are not moved.
pub(crate) fn dodge(markers: &[(usize, (f64, f64))], radius: f64) -> Vec<(i32, i32)> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, &(_, at)) in markers.iter().enumerate() {
        let near = |g: &&mut Vec<usize>| distance(markers[g[0]].1, at) <= NEAR * radius;
        match groups.iter_mut().find(near) {
            Some(group) => group.push(i),
            None => groups.push(vec![i]),
        }
    }
    let mut offsets = vec![(0, 0); markers.len()];
    for group in groups {
        let mut series: Vec<usize> = group.iter().map(|&i| markers[i].0).collect();
        series.sort_unstable();
        series.dedup();
        let k = series.len();
        if k < 2 {
            continue;
        }
        let n = group.len() as f64;
        let centre = group.iter().fold((0.0, 0.0), |(x, y), &i| {
            (x + markers[i].1 .0 / n, y + markers[i].1 .1 / n)
        });
        // Neighbours on a ring of k places are 2 R sin(π / k) apart.
        let ring = SPACING * radius / (2.0 * (std::f64::consts::PI / k as f64).sin());
        for &i in &group {
            let (s, (x, y)) = markers[i];
            let place = series.iter().position(|&t| t == s).unwrap_or(0);
            let angle = std::f64::consts::PI * (1.0 + 2.0 * place as f64 / k as f64);
            let target = (centre.0 + ring * angle.cos(), centre.1 + ring * angle.sin());
            offsets[i] = ((target.0 - x).round() as i32, (target.1 - y).round() as i32);
        }
    }
    offsets
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
        let apart = [(0, (50.0, 50.0)), (1, (57.0, 50.0))];
        assert_eq!(dodge(&apart, 6.0), [(0, 0); 2]);
        assert!(dodge(&[], 6.0).is_empty());
    }

    #[test]
    fn a_series_with_two_points_in_a_group_keeps_one_place() {
        let markers = [(0, (0.0, 0.0)), (1, (0.0, 0.0)), (0, (1.0, 0.0))];
        let at = moved(&markers, &dodge(&markers, 6.0));
        assert_eq!(at[0], at[2]);
        assert!(distance(at[0], at[1]) >= 12.0);
    }
}
