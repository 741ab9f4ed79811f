//! The analysis image: one fast downscale per candidate frame, shared by
//! every feature that does not need full resolution.

use fast_image_resize as fr;

use super::RgbImage;

/// Longer side of the analysis image, in pixels.
pub const ANALYSIS_MAX_SIDE: u32 = 256;

/// Downscales `image` (bilinear, SIMD) so its longer side is at most
/// `max_side`; smaller images are copied unchanged.
pub fn analysis_image(image: &RgbImage, max_side: u32) -> RgbImage {
    let (w, h) = image.dimensions();
    let longer = w.max(h);
    if longer <= max_side || w == 0 || h == 0 {
        return image.clone();
    }
    let scale = max_side as f64 / longer as f64;
    let dw = ((w as f64 * scale).round() as u32).max(1);
    let dh = ((h as f64 * scale).round() as u32).max(1);
    let mut dst = fr::images::Image::new(dw, dh, fr::PixelType::U8x3);
    let resized = fr::images::ImageRef::new(w, h, image.as_raw(), fr::PixelType::U8x3)
        .ok()
        .and_then(|src| {
            let opts = fr::ResizeOptions::new()
                .resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Bilinear));
            fr::Resizer::new().resize(&src, &mut dst, &opts).ok()
        });
    match resized.and_then(|_| RgbImage::from_raw(dw, dh, dst.into_vec())) {
        Some(img) => img,
        // Unreachable for a well-formed RgbImage; fall back to nearest.
        None => image::imageops::thumbnail(image, dw, dh),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_aspect_and_bounds_longer_side() {
        let img = RgbImage::from_pixel(1920, 1080, image::Rgb([10, 200, 30]));
        let a = analysis_image(&img, 256);
        assert_eq!(a.dimensions(), (256, 144));
        assert_eq!(a.get_pixel(100, 100).0, [10, 200, 30]);
    }

    #[test]
    fn small_images_are_unchanged() {
        let img = RgbImage::from_pixel(100, 50, image::Rgb([1, 2, 3]));
        assert_eq!(analysis_image(&img, 256), img);
    }
}
