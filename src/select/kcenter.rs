//! k-center greedy (farthest-point) selection: start from one point, then
//! repeatedly add the point farthest from everything selected so far. The
//! result covers the set within a factor 2 of the best possible radius.
//!
//! Each step is one pass over the candidates, parallel over chunks; memory
//! beyond the matrix is one `f32` per candidate.

use rayon::prelude::*;

use super::matrix::Matrix;
use super::scan::Rows;

/// Rows per parallel work item.
const CHUNK: usize = 2048;

/// What k-center greedy picked.
#[derive(Debug, Clone, PartialEq)]
pub struct Coreset {
    /// Selected rows, in the order they were picked.
    pub indices: Vec<usize>,
    /// Largest distance from any row to its nearest selected row.
    pub radius: f32,
}

/// Picks up to `k` rows of `m`, starting from row `first`; stops early when
/// every row is within `min_distance` of a selected one (or all rows are
/// selected, or only exact repeats are left).
pub fn k_center_greedy(m: &Matrix, k: usize, first: usize, min_distance: Option<f32>) -> Coreset {
    k_center_greedy_with(&Rows::new(m, false), m, k, first, min_distance)
}

/// [`k_center_greedy`] scanning `rows` (an f32 or f16 view of `m`).
pub fn k_center_greedy_with(
    rows: &Rows<'_>,
    m: &Matrix,
    k: usize,
    first: usize,
    min_distance: Option<f32>,
) -> Coreset {
    k_center_greedy_from(rows, m, k, &[first], min_distance)
}

/// k-center greedy that starts from the rows `start` (taken first, in
/// order, as far as `k` allows) and then adds farthest points.
pub fn k_center_greedy_from(
    rows: &Rows<'_>,
    m: &Matrix,
    k: usize,
    start: &[usize],
    min_distance: Option<f32>,
) -> Coreset {
    let n = m.len();
    if n == 0 || k == 0 {
        return Coreset {
            indices: Vec::new(),
            radius: if n == 0 { 0.0 } else { f32::INFINITY },
        };
    }
    let mut queue = start.iter().map(|&i| i.min(n - 1));
    let mut min_d2 = vec![f32::INFINITY; n];
    let mut indices = Vec::with_capacity(k.min(n));
    let stop2 = min_distance.map(|r| r * r);
    let mut center = queue.next().unwrap_or(0);
    let radius2 = loop {
        indices.push(center);
        let (c, c_norm) = rows.center(m, center);
        // Update every row's distance to its nearest centre; find the
        // farthest row (lowest index on ties, for determinism).
        let (far, far_d2) = min_d2
            .par_chunks_mut(CHUNK)
            .enumerate()
            .map(|(ci, chunk)| {
                let base = ci * CHUNK;
                let mut best = (usize::MAX, -1.0f32);
                for (j, d) in chunk.iter_mut().enumerate() {
                    let i = base + j;
                    let nd = rows.dist2_to(i, &c, c_norm);
                    if nd < *d {
                        *d = nd;
                    }
                    if *d > best.1 {
                        best = (i, *d);
                    }
                }
                best
            })
            .reduce(
                || (usize::MAX, -1.0),
                |a, b| {
                    if b.1 > a.1 || (b.1 == a.1 && b.0 < a.0) {
                        b
                    } else {
                        a
                    }
                },
            );
        if indices.len() < k {
            if let Some(next) = queue.next() {
                center = next;
                continue;
            }
        }
        let done = indices.len() >= k
            || far == usize::MAX
            || far_d2 <= 0.0
            || stop2.is_some_and(|s| far_d2 <= s);
        if done {
            break far_d2.max(0.0);
        }
        center = far;
    };
    Coreset {
        indices,
        radius: radius2.sqrt(),
    }
}

/// Largest distance from any row of `m` to its nearest row in `selected`
/// (the k-center coverage radius of any selection).
pub fn coverage_radius(m: &Matrix, selected: &[usize]) -> f32 {
    if selected.is_empty() {
        return if m.is_empty() { 0.0 } else { f32::INFINITY };
    }
    (0..m.len())
        .into_par_iter()
        .map(|i| {
            selected
                .iter()
                .map(|&s| m.dist2(i, s))
                .fold(f32::INFINITY, f32::min)
        })
        .reduce(|| 0.0, f32::max)
        .sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Four tight clusters far apart: k = 4 picks one from each.
    #[test]
    fn one_pick_per_cluster() {
        let centres = [[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [10.0, 10.0]];
        let mut rows = Vec::new();
        for (ci, c) in centres.iter().enumerate() {
            for j in 0..5 {
                let o = (j as f32 - 2.0) * 0.1;
                rows.push((ci, vec![c[0] + o, c[1] - o]));
            }
        }
        let m = Matrix::from_rows(&rows.iter().map(|(_, r)| r.clone()).collect::<Vec<_>>());
        for first in [0, 7, 19] {
            let cs = k_center_greedy(&m, 4, first, None);
            let mut clusters: Vec<usize> = cs.indices.iter().map(|&i| rows[i].0).collect();
            clusters.sort();
            assert_eq!(clusters, [0, 1, 2, 3], "first={first}");
            assert!(cs.radius < 0.6, "radius {}", cs.radius);
            assert!((coverage_radius(&m, &cs.indices) - cs.radius).abs() < 1e-5);
        }
    }

    /// Points on a line: the second pick is the far end, the third the middle.
    #[test]
    fn farthest_point_order_on_a_line() {
        let m = Matrix::from_rows(&(0..=10).map(|i| vec![i as f32]).collect::<Vec<_>>());
        let cs = k_center_greedy(&m, 3, 0, None);
        assert_eq!(cs.indices, [0, 10, 5]);
        assert!((cs.radius - 2.0).abs() < 1e-5, "{}", cs.radius);
    }

    #[test]
    fn min_distance_stops_early_and_repeats_are_not_picked_twice() {
        let m = Matrix::from_rows(&(0..=10).map(|i| vec![i as f32]).collect::<Vec<_>>());
        let cs = k_center_greedy(&m, 100, 0, Some(3.0));
        assert!(cs.radius <= 3.0);
        assert_eq!(cs.indices.len(), 3, "{:?}", cs.indices);
        let same = Matrix::from_rows(&vec![vec![1.0, 2.0]; 6]);
        let cs = k_center_greedy(&same, 4, 2, None);
        assert_eq!(cs.indices, [2]);
        assert_eq!(cs.radius, 0.0);
    }

    /// The f16 scan picks the same frames as f32 on well-separated data.
    #[test]
    fn f16_scan_agrees_with_f32() {
        let mut rng = crate::select::SplitMix64::new(3);
        let rows: Vec<Vec<f32>> = (0..400)
            .map(|i| {
                let mut v: Vec<f32> = (0..64)
                    .map(|d| if d == i % 8 { 1.0 } else { 0.0 } + (rng.below(1000) as f32) * 1e-4)
                    .collect();
                crate::embed::l2_normalize(&mut v);
                v
            })
            .collect();
        let m = Matrix::from_rows(&rows);
        let exact = k_center_greedy_with(&Rows::new(&m, false), &m, 8, 0, None);
        let half = k_center_greedy_with(&Rows::new(&m, true), &m, 8, 0, None);
        let cluster = |c: &Coreset| {
            let mut v: Vec<usize> = c.indices.iter().map(|i| i % 8).collect();
            v.sort();
            v
        };
        assert_eq!(cluster(&exact), (0..8).collect::<Vec<_>>());
        assert_eq!(cluster(&half), cluster(&exact));
        assert!((exact.radius - half.radius).abs() < 5e-3);
    }

    #[test]
    fn empty_inputs() {
        let m = Matrix::from_rows(&[]);
        assert!(k_center_greedy(&m, 3, 0, None).indices.is_empty());
        let one = Matrix::from_rows(&[vec![1.0]]);
        assert_eq!(
            k_center_greedy(&one, 0, 0, None).indices,
            Vec::<usize>::new()
        );
    }
}
