//! Small vector helpers shared by embedders, selection and segmentation.
//! Written so the compiler vectorises them (eight independent sums).

/// Dot product of two equally long vectors (extra elements are ignored).
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0f32; 8];
    let chunks = n / 8;
    for i in 0..chunks {
        for k in 0..8 {
            acc[k] += a[i * 8 + k] * b[i * 8 + k];
        }
    }
    let mut sum: f32 = acc.iter().sum();
    for i in chunks * 8..n {
        sum += a[i] * b[i];
    }
    sum
}

/// Euclidean distance between two vectors.
pub fn l2_distance(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0f32; 8];
    let chunks = n / 8;
    for i in 0..chunks {
        for k in 0..8 {
            let d = a[i * 8 + k] - b[i * 8 + k];
            acc[k] += d * d;
        }
    }
    let mut sum: f32 = acc.iter().sum();
    for i in chunks * 8..n {
        let d = a[i] - b[i];
        sum += d * d;
    }
    sum.sqrt()
}

/// Scales `v` to unit length; a (near-)zero vector becomes all zeros.
pub fn l2_normalize(v: &mut [f32]) {
    let norm = dot(v, v).sqrt();
    if norm > 1e-12 && norm.is_finite() {
        v.iter_mut().for_each(|x| *x /= norm);
    } else {
        v.iter_mut().for_each(|x| *x = 0.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_agree_with_the_definitions() {
        let a: Vec<f32> = (0..19).map(|i| i as f32 * 0.5).collect();
        let b: Vec<f32> = (0..19).map(|i| 3.0 - i as f32).collect();
        let naive: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - naive).abs() < 1e-3);
        let naive_d: f32 = a
            .iter()
            .zip(&b)
            .map(|(x, y)| (x - y).powi(2))
            .sum::<f32>()
            .sqrt();
        assert!((l2_distance(&a, &b) - naive_d).abs() < 1e-3);
        let mut c = a.clone();
        l2_normalize(&mut c);
        assert!((dot(&c, &c) - 1.0).abs() < 1e-5);
        let mut z = vec![0.0f32; 5];
        l2_normalize(&mut z);
        assert_eq!(z, vec![0.0; 5]);
    }
}
