//! CLIP's image preprocessing: the centred square of the picture, resized
//! (bicubic) to the model's input side, scaled to 0–1 and normalised with
//! CLIP's mean and standard deviation, channels first.
//!
//! This matches "resize the shorter side, then centre-crop" up to the
//! rounding of the crop window.

use fast_image_resize as fr;

use crate::frame::RgbImage;

/// CLIP's per-channel mean (RGB, 0–1).
pub const CLIP_MEAN: [f32; 3] = [0.481_454_7, 0.457_827_5, 0.408_210_7];
/// CLIP's per-channel standard deviation.
pub const CLIP_STD: [f32; 3] = [0.268_629_5, 0.261_302_6, 0.275_777_1];

/// Appends the `3 × side × side` normalised pixels of `img` to `out`.
pub fn push_pixels(img: &RgbImage, side: u32, out: &mut Vec<f32>) -> Result<(), String> {
    let (w, h) = img.dimensions();
    if w == 0 || h == 0 {
        return Err("empty image".into());
    }
    let square = w.min(h);
    let left = ((w - square) / 2) as f64;
    let top = ((h - square) / 2) as f64;
    let src = fr::images::ImageRef::new(w, h, img.as_raw(), fr::PixelType::U8x3)
        .map_err(|e| e.to_string())?;
    let mut dst = fr::images::Image::new(side, side, fr::PixelType::U8x3);
    let opts = fr::ResizeOptions::new()
        .resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::CatmullRom))
        .crop(left, top, square as f64, square as f64);
    fr::Resizer::new()
        .resize(&src, &mut dst, &opts)
        .map_err(|e| e.to_string())?;
    let px = dst.buffer();
    let n = (side * side) as usize;
    out.reserve(3 * n);
    for c in 0..3 {
        let (mean, std) = (CLIP_MEAN[c], CLIP_STD[c]);
        out.extend((0..n).map(|i| (px[i * 3 + c] as f32 / 255.0 - mean) / std));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crops_the_centre_and_normalises() {
        // Left and right thirds red, centre square white.
        let img = RgbImage::from_fn(90, 30, |x, _| {
            if (30..60).contains(&x) {
                image::Rgb([255, 255, 255])
            } else {
                image::Rgb([255, 0, 0])
            }
        });
        let mut out = Vec::new();
        push_pixels(&img, 8, &mut out).unwrap();
        assert_eq!(out.len(), 3 * 64);
        // The inner columns are white: the red sides were cropped away
        // (the outermost columns blend in a little red, as resize-then-crop
        // does too).
        for c in 0..3 {
            let white = (1.0 - CLIP_MEAN[c]) / CLIP_STD[c];
            for y in 0..8 {
                for x in 2..6 {
                    let v = out[c * 64 + y * 8 + x];
                    assert!((v - white).abs() < 0.05, "c{c} ({x},{y}) {v} vs {white}");
                }
            }
        }
    }
}
