//! Image encoding for the written frames.

use std::io::Cursor;
use std::str::FromStr;

use image::ImageEncoder;
use serde::{Deserialize, Serialize};

use crate::frame::RgbImage;

/// Output image format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ImageFormat {
    /// JPEG (lossy, `quality` 1–100).
    #[default]
    Jpg,
    /// PNG (lossless).
    Png,
    /// WebP (lossless).
    Webp,
}

impl ImageFormat {
    /// File extension without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Jpg => "jpg",
            ImageFormat::Png => "png",
            ImageFormat::Webp => "webp",
        }
    }
}

impl FromStr for ImageFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "jpg" | "jpeg" => Ok(ImageFormat::Jpg),
            "png" => Ok(ImageFormat::Png),
            "webp" => Ok(ImageFormat::Webp),
            _ => Err(format!(
                "unknown image format '{s}' (expected jpg, png or webp)"
            )),
        }
    }
}

/// Encodes `img` as `format`; `quality` (1–100) applies to JPEG.
pub fn encode(img: &RgbImage, format: ImageFormat, quality: u8) -> Result<Vec<u8>, String> {
    let (w, h) = img.dimensions();
    let mut buf = Vec::with_capacity((w * h) as usize / 4);
    match format {
        ImageFormat::Jpg => {
            let image = turbojpeg::Image {
                pixels: img.as_raw().as_slice(),
                width: w as usize,
                pitch: w as usize * 3,
                height: h as usize,
                format: turbojpeg::PixelFormat::RGB,
            };
            let quality = quality.clamp(1, 100) as i32;
            let jpeg = turbojpeg::compress(image, quality, turbojpeg::Subsamp::Sub2x2)
                .map_err(|e| e.to_string())?;
            buf.extend_from_slice(&jpeg);
        }
        ImageFormat::Png => image::codecs::png::PngEncoder::new_with_quality(
            &mut buf,
            image::codecs::png::CompressionType::Fast,
            image::codecs::png::FilterType::Adaptive,
        )
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .map_err(|e| e.to_string())?,
        ImageFormat::Webp => image::codecs::webp::WebPEncoder::new_lossless(Cursor::new(&mut buf))
            .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
            .map_err(|e| e.to_string())?,
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_decodes_back() {
        let img = RgbImage::from_fn(40, 30, |x, y| image::Rgb([x as u8 * 6, y as u8 * 8, 90]));
        for f in [ImageFormat::Jpg, ImageFormat::Png, ImageFormat::Webp] {
            let bytes = encode(&img, f, 90).unwrap();
            let back = image::load_from_memory(&bytes);
            if f == ImageFormat::Jpg {
                // image is built without its JPEG decoder; check the markers.
                assert_eq!(&bytes[..2], &[0xFF, 0xD8], "{f:?}");
                assert_eq!(&bytes[bytes.len() - 2..], &[0xFF, 0xD9], "{f:?}");
            } else {
                let back = back.unwrap().to_rgb8();
                assert_eq!(back, img, "{f:?} is lossless");
            }
        }
    }

    #[test]
    fn format_names_parse() {
        assert_eq!("JPEG".parse::<ImageFormat>(), Ok(ImageFormat::Jpg));
        assert!("gif".parse::<ImageFormat>().is_err());
    }
}
