//! The embedding surveyor: a k-nearest-neighbour check of whether the
//! frames around a step fall apart into "before" and "after". A real
//! boundary separates them (each frame's neighbours are on its own side);
//! motion or a flash does not.

use crate::embed::l2_distance;

/// Mean share of same-side neighbours among the `k` nearest neighbours of
/// every frame within `sec` seconds before and after step `step` (between
/// frames `step` and `step + 1`). 1.0: perfectly separated; about 0.5 for
/// one continuous shot. Too few frames on a side gives 0.
pub fn knn_purity<V: AsRef<[f32]>>(
    times: &[f64],
    vectors: &[V],
    step: usize,
    sec: f64,
    k: usize,
) -> f32 {
    if step + 1 >= times.len() {
        return 0.0;
    }
    let lo = times.partition_point(|&t| t < times[step] - sec);
    let hi = times.partition_point(|&t| t <= times[step + 1] + sec);
    let (before, after) = (step + 1 - lo, hi - step - 1);
    if before < 2 || after < 2 {
        return 0.0;
    }
    let k = k.min(before.min(after) - 1).max(1);
    let frames: Vec<usize> = (lo..hi).collect();
    let mut same = 0usize;
    let mut total = 0usize;
    let mut dist: Vec<(f32, bool)> = Vec::with_capacity(frames.len());
    for &q in &frames {
        dist.clear();
        for &o in &frames {
            if o != q {
                let d = l2_distance(vectors[q].as_ref(), vectors[o].as_ref());
                dist.push((d, (o <= step) == (q <= step)));
            }
        }
        dist.sort_by(|a, b| a.0.total_cmp(&b.0));
        same += dist.iter().take(k).filter(|d| d.1).count();
        total += k.min(dist.len());
    }
    if total == 0 {
        0.0
    } else {
        same as f32 / total as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_clusters_separate_and_one_shot_does_not() {
        let times: Vec<f64> = (0..12).map(|i| i as f64 * 0.5).collect();
        let two: Vec<Vec<f32>> = (0..12)
            .map(|i| vec![if i < 6 { 0.0 } else { 1.0 }, i as f32 * 0.01])
            .collect();
        assert!((knn_purity(&times, &two, 5, 3.0, 3) - 1.0).abs() < 1e-6);
        // A steady pan: neighbours straddle the step near it.
        let pan: Vec<Vec<f32>> = (0..12).map(|i| vec![i as f32 * 0.1, 0.0]).collect();
        let p = knn_purity(&times, &pan, 5, 3.0, 3);
        assert!(p < 0.95, "{p}");
        assert_eq!(knn_purity(&times, &two, 0, 3.0, 3), 0.0, "one frame before");
    }
}
