//! Pages of thumbnails written as JPEGs, and the bitmap font their labels
//! are drawn with: shared by the keyframe grid and the contact sheets.

use std::path::{Path, PathBuf};

use super::{encode, write_atomic, ImageFormat};
use crate::error::{Error, Result};
use crate::frame::RgbImage;

/// Pixels per font pixel of [`draw_text`] (8×8 glyphs drawn 16×16).
pub const SCALE: u32 = 2;
/// The colour text is drawn in.
pub const INK: [u8; 3] = [235, 235, 235];

/// Writes `pages` JPEGs drawn by `draw(page)` as `dir/<stem>.jpg`, or
/// `<stem>-001.jpg`, `<stem>-002.jpg`, … when there are several; returns
/// their paths. Shared by the keyframe grid and the contact sheets.
pub fn write_pages(
    dir: &Path,
    stem: &str,
    pages: usize,
    quality: u8,
    draw: impl Fn(usize) -> RgbImage,
) -> Result<Vec<PathBuf>> {
    let mut written = Vec::with_capacity(pages);
    for p in 0..pages {
        let name = if pages == 1 {
            format!("{stem}.jpg")
        } else {
            format!("{stem}-{:03}.jpg", p + 1)
        };
        let path = dir.join(name);
        let bytes =
            encode(&draw(p), ImageFormat::Jpg, quality).map_err(|reason| Error::Encode {
                path: path.clone(),
                reason,
            })?;
        write_atomic(&path, &bytes).map_err(|e| Error::io(&path, "cannot write", e))?;
        written.push(path);
    }
    Ok(written)
}

/// Draws ASCII `text` with the 8×8 font at `SCALE`.
pub fn draw_text(img: &mut RgbImage, x0: u32, y0: u32, text: &str) {
    for (n, ch) in text.chars().enumerate() {
        let code = ch as usize;
        let glyph = if code < 128 {
            font8x8::legacy::BASIC_LEGACY[code]
        } else {
            font8x8::legacy::BASIC_LEGACY[b'?' as usize]
        };
        for (gy, bits) in glyph.iter().enumerate() {
            for gx in 0..8u32 {
                if bits & (1 << gx) == 0 {
                    continue;
                }
                for dy in 0..SCALE {
                    for dx in 0..SCALE {
                        let x = x0 + (n as u32 * 8 + gx) * SCALE + dx;
                        let y = y0 + gy as u32 * SCALE + dy;
                        if x < img.width() && y < img.height() {
                            img.put_pixel(x, y, image::Rgb(INK));
                        }
                    }
                }
            }
        }
    }
}
