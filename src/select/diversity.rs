//! The diversity report of Lightly's example: pairwise L2 distances among
//! a set of frames (mean, min, max, 10th and 90th percentile), plus the
//! k-center coverage radius of the set over all candidates.

use serde::Serialize;

use super::matrix::Matrix;
use super::rng::SplitMix64;

/// Sets larger than this are measured on a fixed random subset of this
/// many rows (the pair count grows with the square).
pub const MAX_PAIRWISE_ROWS: usize = 3000;

/// Pairwise-distance statistics of one set of frames.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diversity {
    /// Which set: `candidates`, `uniform`, `random`, `coreset`.
    pub set: String,
    /// Frames in the set.
    pub samples: usize,
    /// Mean pairwise L2 distance.
    pub mean: f32,
    /// Smallest pairwise distance (the closest two frames).
    pub min: f32,
    /// Largest pairwise distance.
    pub max: f32,
    /// 10th percentile.
    pub p10: f32,
    /// 90th percentile.
    pub p90: f32,
    /// Largest distance from any candidate to its nearest frame of the set.
    pub coverage_radius: f32,
    /// Whether the pairs were measured on a subset of [`MAX_PAIRWISE_ROWS`].
    pub subsampled: bool,
}

/// The statistics of the rows `set` of `m`; `radius` is the set's coverage
/// radius over all rows.
pub fn diversity(name: &str, m: &Matrix, set: &[usize], radius: f32) -> Diversity {
    let subsampled = set.len() > MAX_PAIRWISE_ROWS;
    let rows: Vec<usize> = if subsampled {
        let mut pool = set.to_vec();
        let mut rng = SplitMix64::new(0x5eed);
        for i in 0..MAX_PAIRWISE_ROWS {
            let j = i + rng.below(pool.len() - i);
            pool.swap(i, j);
        }
        pool.truncate(MAX_PAIRWISE_ROWS);
        pool
    } else {
        set.to_vec()
    };
    let mut d: Vec<f32> = Vec::with_capacity(rows.len() * rows.len().saturating_sub(1) / 2);
    for (a, &i) in rows.iter().enumerate() {
        for &j in &rows[a + 1..] {
            d.push(m.dist2(i, j).sqrt());
        }
    }
    let (mean, min, max, p10, p90) = if d.is_empty() {
        (0.0, 0.0, 0.0, 0.0, 0.0)
    } else {
        d.sort_by(f32::total_cmp);
        let pct = |p: f64| crate::stats::percentile_sorted(&d, p);
        let mean = (d.iter().map(|&x| x as f64).sum::<f64>() / d.len() as f64) as f32;
        (mean, d[0], d[d.len() - 1], pct(0.1), pct(0.9))
    };
    Diversity {
        set: name.to_string(),
        samples: set.len(),
        mean,
        min,
        max,
        p10,
        p90,
        coverage_radius: radius,
        subsampled,
    }
}

/// The report as CSV (one row per set).
pub fn to_csv(rows: &[Diversity]) -> String {
    let mut s = String::from("set,samples,mean,min,max,p10,p90,coverage_radius\n");
    for r in rows {
        s.push_str(&format!(
            "{},{},{:.6},{:.6},{:.6},{:.6},{:.6},{:.6}\n",
            r.set, r.samples, r.mean, r.min, r.max, r.p10, r.p90, r.coverage_radius
        ));
    }
    s
}

/// The report as an aligned text table, for the terminal.
pub fn to_table(rows: &[Diversity]) -> String {
    let mut s = format!(
        "{:<11} {:>8} {:>7} {:>7} {:>7} {:>7} {:>7} {:>8}\n",
        "set", "samples", "mean", "min", "max", "p10", "p90", "radius"
    );
    for r in rows {
        s.push_str(&format!(
            "{:<11} {:>8} {:>7.4} {:>7.4} {:>7.4} {:>7.4} {:>7.4} {:>8.4}\n",
            r.set, r.samples, r.mean, r.min, r.max, r.p10, r.p90, r.coverage_radius
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_of_a_known_set() {
        // Points 0, 1, 3 on a line: distances 1, 2, 3.
        let m = Matrix::from_rows(&[vec![0.0], vec![1.0], vec![3.0]]);
        let d = diversity("x", &m, &[0, 1, 2], 0.0);
        assert_eq!(d.samples, 3);
        assert!((d.mean - 2.0).abs() < 1e-6);
        assert_eq!((d.min, d.max), (1.0, 3.0));
        // numpy.percentile([1, 2, 3], [10, 90]) == [1.2, 2.8]
        assert!(
            (d.p10 - 1.2).abs() < 1e-6 && (d.p90 - 2.8).abs() < 1e-6,
            "{d:?}"
        );
        assert!(to_csv(std::slice::from_ref(&d)).starts_with("set,samples"));
        assert!(to_table(&[d]).contains("x"));
    }
}
