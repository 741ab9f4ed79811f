//! How good a frame is as a picture, measured on its analysis image
//! (≤ 256 px): whether it has any structure at all, how sharp its
//! strongest edges are, and how well it is exposed.
//!
//! Each measure is defined so that it does not depend on the frame's size
//! or on its brightness, and is taken on the brightest channel of each
//! pixel (`max(R, G, B)`) rather than on luma: a night sky is dark blue,
//! and its luma (11 % blue) flattens the towers standing against it to a
//! level or two, while its blue channel keeps them.
//!
//! * **noise** is estimated per frame (Immerkær's Laplacian-difference
//!   operator, with the median instead of the mean so edges do not count
//!   as noise), and **structure** is the share of pixels whose gradient
//!   stands out of that noise. A black frame with grain has noise but no
//!   structure; a dark night shot or a star field has little light but
//!   clear edges, so it has structure.
//! * **sharpness** is acutance: how steep the strongest edges are for the
//!   contrast they span (the 99th percentile of the gradient over the
//!   luma range). A step edge blurred by a Gaussian of σ pixels has a
//!   steepest slope of `contrast / (σ·√(2π))`, so sharpness ≈
//!   `1 / (σ·√(2π))` whatever the edge's contrast: it reads as a blur
//!   width. It is measured along x and along y and the lower one is kept,
//!   because motion blur smears one direction only (unless nearly all the
//!   edges run one way, as in stripes or a horizon: then across them).
//! * **exposure** is 1 for a frame whose luma spans the range without
//!   clipping, lower as more of it is crushed to black or burnt to white.

use serde::Serialize;

use crate::frame::RgbImage;

/// Gradients below this many luma levels (0–255) are never structure,
/// whatever the noise: encoders leave steps of a level or two in flat
/// areas (banding, block edges).
const MIN_EDGE_LEVELS: f32 = 4.0;

/// An edge must stand this many noise standard deviations above the noise
/// floor: a Gaussian exceeds 4σ once in ~16,000 pixels, about 2 pixels
/// of a 256×144 analysis image.
const NOISE_SIGMAS: f32 = 4.0;

/// A picture with fewer edges across one axis than this share of those
/// across the other has one orientation only (stripes, a horizon): its
/// sharpness is read across that orientation alone. A motion-blurred
/// photo still has half as many edges along the smear (measured: a
/// strongly motion-blurred clock, 0.49).
const ONE_WAY: f32 = 0.1;

/// Pixels whose brightest channel is at or below this are crushed, at or
/// above 255 minus it burnt.
const CLIP_LEVEL: f32 = 4.0;

/// What [`measure`] finds in one frame.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct FrameQuality {
    /// Share of pixels on an edge that stands out of the noise (0–1);
    /// edges are measured on each pixel's brightest channel.
    pub structure: f32,
    /// Acutance of the strongest edges, the lower of x and y unless the
    /// edges nearly all run one way (≈ 1 / (blur σ in analysis pixels ·
    /// 2.5); a crisp frame scores 0.2–0.5).
    pub sharpness: f32,
    /// 1 = no clipped pixels; 0 = all crushed or burnt.
    pub exposure: f32,
    /// Mean luma (0–255).
    pub luma: f32,
    /// Estimated noise standard deviation (levels of the brightest channel).
    pub noise: f32,
}

impl FrameQuality {
    /// The best-frame score: sharpness weighted by exposure (a frame
    /// with half its pixels clipped counts as three-quarters as good).
    pub fn score(&self) -> f32 {
        self.sharpness * (0.5 + 0.5 * self.exposure)
    }
}

/// The brightest channel of every pixel, and the mean ITU-R 601 luma.
fn value(img: &RgbImage) -> (Vec<u8>, f32) {
    let mut luma = 0u64;
    let v = img
        .as_raw()
        .chunks_exact(3)
        .map(|p| {
            // 601 weights in 1/1000s, exact enough for a mean.
            luma += 299 * p[0] as u64 + 587 * p[1] as u64 + 114 * p[2] as u64;
            p[0].max(p[1]).max(p[2])
        })
        .collect::<Vec<u8>>();
    let n = v.len().max(1) as f64;
    (v, (luma as f64 / 1000.0 / n) as f32)
}

/// The value at quantile `q` (nearest rank) of the samples counted in
/// histogram `h` (bin = value).
fn hist_quantile(h: &[u32], q: f64) -> usize {
    let total: u64 = h.iter().map(|&c| c as u64).sum();
    if total == 0 {
        return 0;
    }
    let rank = ((total - 1) as f64 * q).round() as u64;
    let mut seen = 0u64;
    for (value, &c) in h.iter().enumerate() {
        seen += c as u64;
        if seen > rank {
            return value;
        }
    }
    h.len() - 1
}

/// Measures one frame (use the analysis image: the scale is part of the
/// definition of sharpness). Every quantile comes from an exact integer
/// histogram (values are 8-bit), so a frame costs a few passes and no sort.
pub fn measure_quality(img: &RgbImage) -> FrameQuality {
    let (w, h) = (img.width() as usize, img.height() as usize);
    if w < 4 || h < 4 {
        return FrameQuality::default();
    }
    let (y, mean) = value(img);
    let n = (w * h) as f32;
    let mut hv = [0u32; 256];
    for &v in &y {
        hv[v as usize] += 1;
    }
    let clip = CLIP_LEVEL as usize;
    let clipped = hv[..=clip].iter().chain(&hv[255 - clip..]).sum::<u32>() as f32;

    // Noise: median |Immerkær kernel| over the interior. The kernel
    // [1 -2 1; -2 4 -2; 1 -2 1] cancels every linear ramp; on white noise
    // of σ its output has σ·6, and median |x| = 0.6745 σ.
    let mut hk = vec![0u32; 16 * 255 + 1];
    // Gradients as twice the central difference (integers), x, y, and the
    // larger of the two, interior only.
    let (mut hx, mut hy, mut hm) = ([0u32; 256], [0u32; 256], [0u32; 256]);
    for r in 1..h - 1 {
        let (up, row, down) = (
            &y[(r - 1) * w..r * w],
            &y[r * w..(r + 1) * w],
            &y[(r + 1) * w..(r + 2) * w],
        );
        for c in 1..w - 1 {
            let p = |line: &[u8], i: usize| line[i] as i32;
            let k = p(up, c - 1) - 2 * p(up, c) + p(up, c + 1) - 2 * p(row, c - 1) + 4 * p(row, c)
                - 2 * p(row, c + 1)
                + p(down, c - 1)
                - 2 * p(down, c)
                + p(down, c + 1);
            hk[k.unsigned_abs() as usize] += 1;
            let gx = (p(row, c + 1) - p(row, c - 1)).unsigned_abs() as usize;
            let gy = (p(down, c) - p(up, c)).unsigned_abs() as usize;
            hx[gx] += 1;
            hy[gy] += 1;
            hm[gx.max(gy)] += 1;
        }
    }
    let interior = ((w - 2) * (h - 2)) as f32;
    let noise = hist_quantile(&hk, 0.5) as f32 / (0.6745 * 6.0);
    // A central difference (halved) of white noise has σ/√2.
    let edge = (NOISE_SIGMAS * noise / std::f32::consts::SQRT_2).max(MIN_EDGE_LEVELS);
    // Doubled gradients strictly above twice the edge level.
    let first = (2.0 * edge).floor() as usize + 1;
    let edges = hm.get(first..).map_or(0, |t| t.iter().sum::<u32>()) as f32;
    let structure = edges / interior;

    // Contrast spanned by the picture: the 1st–99th percentile.
    let contrast = hist_quantile(&hv, 0.99) as f32 - hist_quantile(&hv, 0.01) as f32;
    let sharpness = if contrast < 2.0 * MIN_EDGE_LEVELS || structure == 0.0 {
        0.0
    } else {
        let sx = hist_quantile(&hx, 0.99) as f32 / 2.0;
        let sy = hist_quantile(&hy, 0.99) as f32 / 2.0;
        // Edges across x and across y. A picture whose edges nearly all
        // run one way (stripes, a horizon) is judged by them alone;
        // otherwise by its softer direction, so motion blur counts.
        let nx: u32 = hx.get(first..).map_or(0, |t| t.iter().sum());
        let ny: u32 = hy.get(first..).map_or(0, |t| t.iter().sum());
        let one_way = (nx.min(ny) as f32) < ONE_WAY * nx.max(ny) as f32;
        let s = if one_way {
            if nx >= ny {
                sx
            } else {
                sy
            }
        } else {
            sx.min(sy)
        };
        (s / contrast).min(1.0)
    };
    FrameQuality {
        structure,
        sharpness,
        exposure: 1.0 - clipped / n,
        luma: mean,
        noise,
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Synthetic pictures for the quality and scene tests.
    use crate::frame::RgbImage;

    /// A deterministic pseudo-random generator (xorshift), for noise.
    pub struct Noise(u64);

    impl Noise {
        /// Seeded.
        pub fn new(seed: u64) -> Self {
            Noise(seed.max(1))
        }
        /// Uniform in [-a, a].
        pub fn next(&mut self, a: f32) -> f32 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            ((self.0 % 10_001) as f32 / 5_000.0 - 1.0) * a
        }
    }

    /// A 256×144 scene: blocks of `base`-dependent grey with hard edges
    /// (content `kind` chooses the layout), scaled by `gain` and lifted by
    /// `offset`, blurred by a box of `blur` pixels, plus uniform noise of
    /// amplitude `noise`.
    pub fn picture(kind: u32, gain: f32, offset: f32, blur: u32, noise: f32) -> RgbImage {
        let (w, h) = (256u32, 144u32);
        let mut v: Vec<f32> = (0..w * h)
            .map(|i| {
                let (x, y) = (i % w, i / w);
                let cell = match kind % 4 {
                    0 => (x / 32 + y / 24) % 2,
                    1 => (x / 16) % 3,
                    2 => ((x / 20) ^ (y / 20)) % 4,
                    _ => u32::from((x as i32 - 128).pow(2) + (y as i32 - 72).pow(2) < 2500),
                };
                offset + gain * (40.0 + 60.0 * cell as f32)
            })
            .collect();
        if blur > 0 {
            v = box_blur(&v, w as usize, h as usize, blur as usize);
        }
        let mut rng = Noise::new(kind as u64 * 7 + 3);
        RgbImage::from_fn(w, h, |x, y| {
            let g = (v[(y * w + x) as usize] + rng.next(noise)).clamp(0.0, 255.0) as u8;
            image::Rgb([g, g, g])
        })
    }

    /// Repeated horizontal then vertical box blur of radius `r`, 3 times
    /// (close to a Gaussian).
    fn box_blur(v: &[f32], w: usize, h: usize, r: usize) -> Vec<f32> {
        let mut a = v.to_vec();
        for _ in 0..3 {
            let mut b = a.clone();
            for y in 0..h {
                for x in 0..w {
                    let (x0, x1) = (x.saturating_sub(r), (x + r).min(w - 1));
                    b[y * w + x] =
                        (x0..=x1).map(|k| a[y * w + k]).sum::<f32>() / (x1 - x0 + 1) as f32;
                }
            }
            for y in 0..h {
                for x in 0..w {
                    let (y0, y1) = (y.saturating_sub(r), (y + r).min(h - 1));
                    a[y * w + x] =
                        (y0..=y1).map(|k| b[k * w + x]).sum::<f32>() / (y1 - y0 + 1) as f32;
                }
            }
        }
        a
    }

    /// Black with uniform noise of amplitude `noise`.
    pub fn black(noise: f32) -> RgbImage {
        let mut rng = Noise::new(11);
        RgbImage::from_fn(256, 144, |_, _| {
            let g = (8.0 + rng.next(noise)).clamp(0.0, 255.0) as u8;
            image::Rgb([g, g, g])
        })
    }

    /// A star field: black with noise and a few hundred small bright points.
    pub fn stars(noise: f32) -> RgbImage {
        let mut img = black(noise);
        let mut rng = Noise::new(5);
        for _ in 0..300 {
            let x = ((rng.next(1.0) + 1.0) * 127.0) as u32 % 255;
            let y = ((rng.next(1.0) + 1.0) * 71.0) as u32 % 143;
            let v = 120 + ((rng.next(1.0) + 1.0) * 60.0) as u8;
            img.put_pixel(x, y, image::Rgb([v, v, v]));
            img.put_pixel(x + 1, y, image::Rgb([v / 2, v / 2, v / 2]));
        }
        img
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

    #[test]
    fn flat_black_has_no_structure_even_with_noise() {
        for noise in [0.0, 3.0, 6.0] {
            let q = measure_quality(&black(noise));
            assert!(q.structure < 0.001, "noise {noise}: {q:?}");
            assert_eq!(q.sharpness, 0.0, "noise {noise}: {q:?}");
        }
    }

    #[test]
    fn dark_but_structured_frames_have_structure() {
        let stars = measure_quality(&stars(3.0));
        assert!(stars.structure > 0.005, "{stars:?}");
        assert!(stars.luma < 16.0, "a star field is mostly black: {stars:?}");
        // A night shot: the same layout at a tenth of the brightness.
        let night = measure_quality(&picture(0, 0.15, 0.0, 0, 2.0));
        assert!(night.structure > 0.005, "{night:?}");
        assert!(night.luma < 16.0, "{night:?}");
    }

    #[test]
    fn blur_lowers_sharpness_whatever_the_contrast() {
        let sharp = measure_quality(&picture(1, 1.0, 0.0, 0, 3.0));
        let dim_sharp = measure_quality(&picture(1, 0.3, 0.0, 0, 3.0));
        let blurred = measure_quality(&picture(1, 1.0, 0.0, 4, 3.0));
        assert!(sharp.sharpness > 0.2, "{sharp:?}");
        assert!(dim_sharp.sharpness > 0.2, "contrast-free: {dim_sharp:?}");
        assert!(
            blurred.sharpness < sharp.sharpness / 3.0,
            "{blurred:?} vs {sharp:?}"
        );
    }

    #[test]
    fn clipping_lowers_exposure() {
        let good = measure_quality(&picture(2, 1.0, 20.0, 0, 1.0));
        let crushed = measure_quality(&picture(2, 1.0, -110.0, 0, 1.0));
        assert!(good.exposure > 0.99, "{good:?}");
        assert!(crushed.exposure < 0.7, "{crushed:?}");
        assert!(good.score() > crushed.score());
    }
}
