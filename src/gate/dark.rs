//! `dark`: drops black, near-black and flat frames (fades, blank cards),
//! which are never useful annotation samples.

use super::ScoreGate;
use crate::frame::{Candidate, RgbImage};

pub(super) fn default_min_luma() -> f64 {
    16.0
}

pub(super) fn default_min_contrast() -> f64 {
    4.0
}

/// Mean and standard deviation of the ITU-R 601 luma (0–255).
pub fn luma_stats(img: &RgbImage) -> (f64, f64) {
    let (mut sum, mut sum2, mut n) = (0f64, 0f64, 0usize);
    for p in img.as_raw().chunks_exact(3) {
        let v = 0.299 * p[0] as f64 + 0.587 * p[1] as f64 + 0.114 * p[2] as f64;
        sum += v;
        sum2 += v * v;
        n += 1;
    }
    if n == 0 {
        return (0.0, 0.0);
    }
    let mean = sum / n as f64;
    (mean, (sum2 / n as f64 - mean * mean).max(0.0).sqrt())
}

/// Drops frames whose mean luma is below `min_luma` or whose luma standard
/// deviation is below `min_contrast`. The score is the mean luma.
#[derive(Debug, Clone)]
pub struct DarkGate {
    min_luma: f64,
    min_contrast: f64,
}

impl DarkGate {
    /// A gate with these thresholds (luma on 0–255).
    pub fn new(min_luma: f64, min_contrast: f64) -> Self {
        DarkGate {
            min_luma,
            min_contrast,
        }
    }
}

impl ScoreGate for DarkGate {
    fn judge(&self, frame: &Candidate) -> (f64, bool) {
        let (mean, std) = luma_stats(frame.analysis());
        (mean, mean >= self.min_luma && std >= self.min_contrast)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::testing::{candidate, pattern};

    #[test]
    fn black_near_black_and_flat_frames_are_dropped() {
        let gate = DarkGate::new(default_min_luma(), default_min_contrast());
        let judge = |img: RgbImage| gate.judge(&candidate(0.0, img)).1;
        assert!(!judge(RgbImage::new(32, 32)), "black");
        assert!(
            !judge(RgbImage::from_fn(32, 32, |x, _| image::Rgb(
                [(x % 3) as u8 * 5; 3]
            ))),
            "near-black noise"
        );
        assert!(
            !judge(RgbImage::from_pixel(32, 32, image::Rgb([128; 3]))),
            "flat grey"
        );
        assert!(judge(pattern(0, 0)), "a normal picture");
    }
}
