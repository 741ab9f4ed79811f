//! The hot loop of k-center greedy reads every candidate once per pick,
//! so large sets are bound by memory bandwidth. For those, the rows are
//! scanned from a half-precision (f16) copy, half the bytes of f32, with
//! an AVX2 + F16C + FMA kernel; the centre stays in f32. Distances then
//! carry a relative error around 1e-3, far below the gaps k-center
//! decides on. Small sets, and CPUs without these instructions, use f32.

use half::f16;

use super::matrix::Matrix;
use crate::embed::dot;

/// Sets with at least this many values are scanned in f16 when the CPU
/// can (about 8 MiB of f32).
pub const F16_MIN_VALUES: usize = 2 << 20;

/// The rows as the scan reads them.
pub enum Rows<'a> {
    /// The f32 matrix itself.
    F32(&'a Matrix),
    /// An f16 copy with its own squared norms.
    F16 {
        /// Row-major f16 bits.
        bits: Vec<u16>,
        /// Squared norms of the f16 rows.
        norms: Vec<f32>,
        /// Row width.
        dim: usize,
    },
}

/// Whether this CPU runs the f16 kernel.
pub fn f16_supported() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::is_x86_feature_detected!("avx2")
            && std::is_x86_feature_detected!("fma")
            && std::is_x86_feature_detected!("f16c")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

impl<'a> Rows<'a> {
    /// f16 for large sets on capable CPUs (or when `force_f16`), else f32.
    pub fn new(m: &'a Matrix, force_f16: bool) -> Rows<'a> {
        let large = m.len() * m.dim() >= F16_MIN_VALUES;
        if !(force_f16 || (large && f16_supported())) {
            return Rows::F32(m);
        }
        let dim = m.dim();
        let mut bits = Vec::with_capacity(m.len() * dim);
        let mut norms = Vec::with_capacity(m.len());
        for i in 0..m.len() {
            let start = bits.len();
            bits.extend(m.row(i).iter().map(|&x| f16::from_f32(x).to_bits()));
            let row = &bits[start..];
            norms.push(
                row.iter()
                    .map(|&b| f16::from_bits(b).to_f32().powi(2))
                    .sum(),
            );
        }
        Rows::F16 { bits, norms, dim }
    }

    /// Squared distance from row `i` to `c` (squared norm `c_norm`).
    #[inline]
    pub fn dist2_to(&self, i: usize, c: &[f32], c_norm: f32) -> f32 {
        match self {
            Rows::F32(m) => m.dist2_to(i, c, c_norm),
            Rows::F16 { bits, norms, dim } => {
                let row = &bits[i * dim..(i + 1) * dim];
                (norms[i] + c_norm - 2.0 * dot_f16(row, c)).max(0.0)
            }
        }
    }

    /// Row `i` in f32 (a centre), with its squared norm as scanned.
    pub fn center(&self, m: &Matrix, i: usize) -> (Vec<f32>, f32) {
        match self {
            Rows::F32(_) => (m.row(i).to_vec(), m.norm2(i)),
            Rows::F16 { bits, norms, dim } => (
                bits[i * dim..(i + 1) * dim]
                    .iter()
                    .map(|&b| f16::from_bits(b).to_f32())
                    .collect(),
                norms[i],
            ),
        }
    }
}

/// Dot product of an f16 row and an f32 vector.
#[inline]
pub fn dot_f16(a: &[u16], b: &[f32]) -> f32 {
    #[cfg(target_arch = "x86_64")]
    {
        if f16_supported_cached() {
            // SAFETY: the CPU supports avx2, fma and f16c (checked above).
            return unsafe { dot_f16_avx2(a, b) };
        }
    }
    let conv: Vec<f32> = a.iter().map(|&x| f16::from_bits(x).to_f32()).collect();
    dot(&conv, b)
}

#[cfg(target_arch = "x86_64")]
fn f16_supported_cached() -> bool {
    use std::sync::OnceLock;
    static OK: OnceLock<bool> = OnceLock::new();
    *OK.get_or_init(f16_supported)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma,f16c")]
unsafe fn dot_f16_avx2(a: &[u16], b: &[f32]) -> f32 {
    use std::arch::x86_64::*;
    let n = a.len().min(b.len());
    let (pa, pb) = (a.as_ptr(), b.as_ptr());
    let mut acc = [_mm256_setzero_ps(); 4];
    let mut i = 0;
    // SAFETY (all loads): i + 32 ≤ n, and both slices hold n values.
    while i + 32 <= n {
        for (k, acc_k) in acc.iter_mut().enumerate() {
            let j = i + 8 * k;
            let x = _mm256_cvtph_ps(_mm_loadu_si128(pa.add(j) as *const __m128i));
            let y = _mm256_loadu_ps(pb.add(j));
            *acc_k = _mm256_fmadd_ps(x, y, *acc_k);
        }
        i += 32;
    }
    let sum = _mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3]));
    let mut lanes = [0f32; 8];
    _mm256_storeu_ps(lanes.as_mut_ptr(), sum);
    let mut total: f32 = lanes.iter().sum();
    while i < n {
        total += f16::from_bits(a[i]).to_f32() * b[i];
        i += 1;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f16_dot_matches_f32_within_half_precision() {
        for n in [0usize, 5, 32, 77, 512] {
            let a: Vec<f32> = (0..n)
                .map(|i| ((i * 37 % 101) as f32 - 50.0) / 400.0)
                .collect();
            let b: Vec<f32> = (0..n)
                .map(|i| ((i * 53 % 89) as f32 - 44.0) / 300.0)
                .collect();
            let bits: Vec<u16> = a.iter().map(|&x| f16::from_f32(x).to_bits()).collect();
            let exact = dot(&a, &b);
            assert!((dot_f16(&bits, &b) - exact).abs() < 1e-3, "n={n}");
        }
    }
}
