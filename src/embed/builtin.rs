//! The built-in embedding: a hand-made descriptor that needs no model file
//! and costs well under a millisecond per frame on the analysis image.
//!
//! Three blocks, each scaled to a comparable size, then the whole vector
//! is L2-normalised:
//! 1. **colour layout**: the mean CIE L\*a\*b\* colour of each cell of an
//!    8×8 grid (where things are, and in what colour);
//! 2. **colour histogram**: 4 lightness × 7 hue bins (6 hues + grey) over a
//!    32×32 thumbnail, square-rooted (Hellinger), so the palette counts
//!    whatever its layout;
//! 3. **edges**: a 4×4 grid of 8-bin gradient-orientation histograms of the
//!    luma (texture and structure), with a noise floor so that flat or
//!    noisy frames do not look structured.
//!
//! Slow camera motion moves the vector a little; a cut to another scene
//! moves it a lot.

use super::vector::l2_normalize;
use super::Embedder;
use crate::error::Result;
use crate::frame::{Candidate, RgbImage};

/// Thumbnail side the colour blocks are computed on.
const THUMB: usize = 32;
/// Layout grid side.
const LAYOUT: usize = 8;
/// Lightness bins × hue bins (6 hues + grey).
const HIST_L: usize = 4;
const HIST_H: usize = 7;
/// Edge grid side and orientation bins.
const EDGE_GRID: usize = 4;
const EDGE_BINS: usize = 8;

/// Width of the built-in embedding.
pub const BUILTIN_DIM: usize =
    LAYOUT * LAYOUT * 3 + HIST_L * HIST_H + EDGE_GRID * EDGE_GRID * EDGE_BINS;

/// Block weights: how much layout, palette and edges count in a distance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BuiltinWeights {
    /// Colour layout block.
    pub layout: f32,
    /// Colour histogram block.
    pub histogram: f32,
    /// Edge-orientation block.
    pub edges: f32,
}

impl Default for BuiltinWeights {
    fn default() -> Self {
        BuiltinWeights {
            layout: 1.0,
            histogram: 0.8,
            edges: 0.6,
        }
    }
}

/// The built-in descriptor (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct BuiltinEmbedder {
    /// Block weights.
    pub weights: BuiltinWeights,
}

impl Embedder for BuiltinEmbedder {
    fn name(&self) -> String {
        "builtin-v1".to_string()
    }

    fn dim(&self) -> usize {
        BUILTIN_DIM
    }

    /// Full images are first reduced to the analysis size, as frames are.
    fn embed_images(&self, images: &[&RgbImage]) -> Result<Vec<Vec<f32>>> {
        Ok(images
            .iter()
            .map(|img| {
                let small = crate::frame::analysis_image(img, crate::frame::ANALYSIS_MAX_SIDE);
                self.describe(&small)
            })
            .collect())
    }

    fn embed_frames(&self, frames: &[&Candidate]) -> Result<Vec<Vec<f32>>> {
        Ok(frames.iter().map(|c| self.describe(c.analysis())).collect())
    }
}

impl BuiltinEmbedder {
    /// The descriptor of an (already small) image.
    pub fn describe(&self, img: &RgbImage) -> Vec<f32> {
        let mut out = Vec::with_capacity(BUILTIN_DIM);
        let (w, h) = (img.width() as usize, img.height() as usize);
        if w == 0 || h == 0 {
            return vec![0.0; BUILTIN_DIM];
        }
        let lab = thumbnail_lab(img);
        let wt = self.weights;

        // 1. Layout: cell means of L*a*b*, centred so mid-grey is zero.
        let per = THUMB / LAYOUT;
        let scale = wt.layout / (LAYOUT as f32);
        for cy in 0..LAYOUT {
            for cx in 0..LAYOUT {
                let mut sum = [0f32; 3];
                for y in cy * per..(cy + 1) * per {
                    for x in cx * per..(cx + 1) * per {
                        let p = lab[y * THUMB + x];
                        sum[0] += p[0];
                        sum[1] += p[1];
                        sum[2] += p[2];
                    }
                }
                let n = (per * per) as f32;
                out.push((sum[0] / n - 50.0) / 50.0 * scale);
                out.push(sum[1] / n / 50.0 * scale);
                out.push(sum[2] / n / 50.0 * scale);
            }
        }

        // 2. Palette: lightness × hue histogram, square-rooted.
        let mut hist = [0f32; HIST_L * HIST_H];
        for p in &lab {
            let l_bin = ((p[0] / 100.0 * HIST_L as f32) as usize).min(HIST_L - 1);
            let chroma = (p[1] * p[1] + p[2] * p[2]).sqrt();
            let h_bin = if chroma < 10.0 {
                HIST_H - 1
            } else {
                let hue = p[2].atan2(p[1]) + std::f32::consts::PI; // 0..2π
                ((hue / std::f32::consts::TAU * (HIST_H - 1) as f32) as usize).min(HIST_H - 2)
            };
            hist[l_bin * HIST_H + h_bin] += 1.0;
        }
        let total = lab.len() as f32;
        out.extend(hist.iter().map(|c| (c / total).sqrt() * wt.histogram));

        // 3. Edges on the luma of the analysis image.
        out.extend(edge_histograms(img).iter().map(|v| v * wt.edges));

        l2_normalize(&mut out);
        out
    }
}

/// Box-averages `img` to THUMB×THUMB and converts each cell to L\*a\*b\*.
fn thumbnail_lab(img: &RgbImage) -> Vec<[f32; 3]> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let mut sums = vec![[0u32; 4]; THUMB * THUMB];
    let col_cell: Vec<usize> = (0..w).map(|x| x * THUMB / w).collect();
    let raw = img.as_raw();
    for y in 0..h {
        let row_base = (y * THUMB / h) * THUMB;
        let row = &raw[y * w * 3..(y + 1) * w * 3];
        for (x, px) in row.chunks_exact(3).enumerate() {
            let s = &mut sums[row_base + col_cell[x]];
            s[0] += px[0] as u32;
            s[1] += px[1] as u32;
            s[2] += px[2] as u32;
            s[3] += 1;
        }
    }
    sums.iter()
        .map(|s| {
            let n = s[3].max(1) as f32;
            srgb_to_lab([s[0] as f32 / n, s[1] as f32 / n, s[2] as f32 / n])
        })
        .collect()
}

/// sRGB (0–255) to CIE L\*a\*b\* (D65).
fn srgb_to_lab(rgb: [f32; 3]) -> [f32; 3] {
    let lin = rgb.map(|c| {
        let c = c / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    });
    let x = (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047;
    let y = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
    let z = (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883;
    let f = |t: f32| {
        if t > 0.008856 {
            t.cbrt()
        } else {
            7.787 * t + 16.0 / 116.0
        }
    };
    let (fx, fy, fz) = (f(x), f(y), f(z));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

/// Gradient-magnitude-weighted orientation histograms on a 4×4 grid of the
/// luma, normalised by the total magnitude (but never by less than a noise
/// floor), then square-rooted.
fn edge_histograms(img: &RgbImage) -> [f32; EDGE_GRID * EDGE_GRID * EDGE_BINS] {
    let (w, h) = (img.width() as usize, img.height() as usize);
    let mut bins = [0f32; EDGE_GRID * EDGE_GRID * EDGE_BINS];
    if w < 3 || h < 3 {
        return bins;
    }
    let raw = img.as_raw();
    let luma: Vec<f32> = raw
        .chunks_exact(3)
        .map(|p| 0.299 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32)
        .collect();
    let col_cell: Vec<usize> = (0..w).map(|x| x * EDGE_GRID / w).collect();
    let mut total = 0f32;
    for y in 1..h - 1 {
        let cell_row = (y * EDGE_GRID / h) * EDGE_GRID;
        let (up, mid, down) = (&luma[(y - 1) * w..], &luma[y * w..], &luma[(y + 1) * w..]);
        for x in 1..w - 1 {
            let gx = mid[x + 1] - mid[x - 1];
            let gy = down[x] - up[x];
            let mag2 = gx * gx + gy * gy;
            if mag2 < 64.0 {
                continue; // below the noise floor of compressed video (8)
            }
            let mag = mag2.sqrt();
            let bin = orientation_bin(gx, gy);
            bins[(cell_row + col_cell[x]) * EDGE_BINS + bin] += mag;
            total += mag;
        }
    }
    // A frame needs edges over ~5% of its area at moderate strength before
    // its histogram reaches full weight.
    let floor = 0.05 * (w * h) as f32 * 32.0;
    let norm = total.max(floor);
    bins.iter_mut().for_each(|b| *b = (*b / norm).sqrt());
    bins
}

/// The unsigned gradient orientation in `[0, π)` as one of 8 equal bins,
/// without `atan2`: fold to the upper half-plane, then compare the slope
/// with tan(22.5°) and tan(67.5°).
fn orientation_bin(gx: f32, gy: f32) -> usize {
    const T1: f32 = 0.414_213_57; // tan 22.5°
    const T3: f32 = 2.414_213_6; // tan 67.5°
    let (gx, gy) = if gy < 0.0 { (-gx, -gy) } else { (gx, gy) };
    let (ax, ay) = (gx.abs(), gy);
    // Quarter bins within [0°, 90°] measured from the x axis.
    let q = if ay <= T1 * ax {
        0
    } else if ay <= ax {
        1
    } else if ay <= T3 * ax {
        2
    } else {
        3
    };
    if gx >= 0.0 {
        q
    } else {
        (7 - q).min(7)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::embed::{dot, l2_distance};
    use crate::frame::testing::pattern;

    fn noisy(img: &RgbImage, seed: u32) -> RgbImage {
        let mut out = img.clone();
        let mut s = seed.wrapping_mul(2654435761).wrapping_add(1);
        for p in out.pixels_mut() {
            for c in p.0.iter_mut() {
                s ^= s << 13;
                s ^= s >> 17;
                s ^= s << 5;
                *c = (*c as i32 + (s % 7) as i32 - 3).clamp(0, 255) as u8;
            }
        }
        out
    }

    #[test]
    fn orientation_bins_match_atan2() {
        for deg in (0..360).map(|d| d as f32 + 0.3) {
            let (gy, gx) = deg.to_radians().sin_cos();
            let mut a = gy.atan2(gx);
            if a < 0.0 {
                a += std::f32::consts::PI;
            }
            let want = ((a / std::f32::consts::PI * 8.0) as usize).min(7);
            assert_eq!(orientation_bin(gx, gy), want, "{deg}°");
        }
    }

    #[test]
    fn unit_length_and_fixed_width() {
        let e = BuiltinEmbedder::default();
        let v = e.describe(&pattern(3, 1));
        assert_eq!(v.len(), BUILTIN_DIM);
        assert!((dot(&v, &v) - 1.0).abs() < 1e-4);
        assert_eq!(e.dim(), BUILTIN_DIM);
    }

    #[test]
    fn noise_moves_little_and_another_scene_moves_a_lot() {
        let e = BuiltinEmbedder::default();
        let a = pattern(0, 0); // horizontal gradient
        let b = pattern(1, 0); // vertical gradient
        let va = e.describe(&a);
        let va_noisy = e.describe(&noisy(&a, 7));
        let vb = e.describe(&b);
        let same = l2_distance(&va, &va_noisy);
        let other = l2_distance(&va, &vb);
        assert!(same < 0.1, "noise moved it by {same}");
        assert!(
            other > 4.0 * same && other > 0.3,
            "other scene: {other}, noise: {same}"
        );
    }

    #[test]
    fn black_and_white_frames_differ() {
        let e = BuiltinEmbedder::default();
        let black = e.describe(&RgbImage::new(64, 36));
        let white = e.describe(&RgbImage::from_pixel(64, 36, image::Rgb([255, 255, 255])));
        assert!(l2_distance(&black, &white) > 1.0);
    }

    #[test]
    fn frames_and_images_give_the_same_vector() {
        let e = BuiltinEmbedder::default();
        let img = pattern(4, 2);
        let c = crate::frame::testing::candidate(0.0, img.clone());
        let from_frame = e.embed_frames(&[&c]).unwrap();
        let from_image = e.embed_images(&[&img]).unwrap();
        assert_eq!(from_frame, from_image);
    }
}
