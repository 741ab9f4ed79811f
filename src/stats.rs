//! Percentiles as numpy's `percentile` computes them by default (linear
//! interpolation between the closest ranks), so a reader checking a report
//! or a threshold with numpy gets the same number.
//!
//! May depend on: nothing.

/// The `q` quantile (0–1) of `sorted` (ascending); 0 for none.
pub fn percentile_sorted(sorted: &[f32], q: f64) -> f32 {
    if sorted.is_empty() {
        return 0.0;
    }
    let at = (sorted.len() - 1) as f64 * q;
    let (lo, hi) = (at.floor() as usize, at.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo as f64) as f32
}

/// The `q` quantile (0–1) of `values`, in any order; 0 for none.
pub fn percentile(values: &[f32], q: f64) -> f32 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f32::total_cmp);
    percentile_sorted(&sorted, q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolates_like_numpy() {
        // numpy.percentile([0, 1], 25) == 0.25; ([1, 2, 3, 4], 10) == 1.3
        assert_eq!(percentile(&[1.0, 0.0], 0.25), 0.25);
        assert!((percentile(&[4.0, 1.0, 3.0, 2.0], 0.1) - 1.3).abs() < 1e-6);
        assert_eq!(percentile(&[3.0], 0.9), 3.0);
        assert_eq!(percentile(&[], 0.5), 0.0);
    }
}
