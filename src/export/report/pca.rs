//! A 2-D map of embeddings: their first two principal components, by power
//! iteration on the centred data (no covariance matrix is formed, so a run
//! of 100k candidates × 512 dimensions costs a few passes over the data).

/// Projects `rows` (all of one width) onto their first two principal
/// axes; fewer than two rows, or rows without spread, map to the origin.
pub fn project_2d(rows: &[Vec<f32>]) -> Vec<[f32; 2]> {
    let n = rows.len();
    let dim = rows.first().map(Vec::len).unwrap_or(0);
    if n < 2 || dim == 0 || rows.iter().any(|r| r.len() != dim) {
        return vec![[0.0, 0.0]; n];
    }
    let mut mean = vec![0f64; dim];
    for r in rows {
        for (m, &x) in mean.iter_mut().zip(r) {
            *m += f64::from(x);
        }
    }
    mean.iter_mut().for_each(|m| *m /= n as f64);
    let centred: Vec<Vec<f64>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .zip(&mean)
                .map(|(&x, m)| f64::from(x) - m)
                .collect()
        })
        .collect();
    let mut axes: Vec<Vec<f64>> = Vec::new();
    for k in 0..2 {
        // A fixed, deterministic start that is not orthogonal to typical data.
        let mut v: Vec<f64> = (0..dim).map(|i| 1.0 + (i * (k + 1)) as f64 % 7.0).collect();
        for _ in 0..100 {
            // w = Xᵀ X v, with earlier axes projected out.
            let mut w = vec![0f64; dim];
            for r in &centred {
                let s: f64 = r.iter().zip(&v).map(|(a, b)| a * b).sum();
                for (wi, ri) in w.iter_mut().zip(r) {
                    *wi += s * ri;
                }
            }
            for a in &axes {
                let s: f64 = w.iter().zip(a).map(|(x, y)| x * y).sum();
                for (wi, ai) in w.iter_mut().zip(a) {
                    *wi -= s * ai;
                }
            }
            let norm = w.iter().map(|x| x * x).sum::<f64>().sqrt();
            if norm < 1e-12 {
                v = vec![0.0; dim];
                break;
            }
            v = w.into_iter().map(|x| x / norm).collect();
        }
        axes.push(v);
    }
    centred
        .iter()
        .map(|r| {
            let p = |a: &Vec<f64>| r.iter().zip(a).map(|(x, y)| x * y).sum::<f64>() as f32;
            [p(&axes[0]), p(&axes[1])]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_axis_follows_the_largest_spread() {
        // Spread 9 along dimension 2, 2 along dimension 0 (uncorrelated:
        // each t once with +1, once with -1), none elsewhere.
        let rows: Vec<Vec<f32>> = (0..20)
            .map(|i| {
                let t = (i / 2) as f32 - 4.5;
                vec![if i % 2 == 0 { 1.0 } else { -1.0 }, 0.0, t, 0.0]
            })
            .collect();
        let p = project_2d(&rows);
        let spread = |k: usize| {
            let xs: Vec<f32> = p.iter().map(|q| q[k]).collect();
            xs.iter().cloned().fold(f32::MIN, f32::max)
                - xs.iter().cloned().fold(f32::MAX, f32::min)
        };
        assert!((spread(0) - 9.0).abs() < 1e-3, "{}", spread(0));
        assert!((spread(1) - 2.0).abs() < 1e-3, "{}", spread(1));
    }

    #[test]
    fn degenerate_inputs_map_to_the_origin() {
        assert_eq!(project_2d(&[vec![1.0, 2.0]]), vec![[0.0, 0.0]]);
        assert_eq!(project_2d(&[vec![1.0], vec![1.0]]), vec![[0.0, 0.0]; 2]);
    }
}
