//! The keyframe grid: one row per segment, a label with its index and
//! times on the left, its keyframes' thumbnails to the right. Written as
//! `grid.jpg`, or `grid-001.jpg`, `grid-002.jpg`, … with
//! [`ROWS_PER_PAGE`] rows each for long videos.

use std::path::{Path, PathBuf};

use super::{encode, write_atomic, ImageFormat};
use crate::error::{Error, Result};
use crate::frame::RgbImage;

/// Rows per grid image.
pub const ROWS_PER_PAGE: usize = 60;
const PAD: u32 = 4;
const SCALE: u32 = 2;
const BACKGROUND: [u8; 3] = [24, 24, 24];
const INK: [u8; 3] = [235, 235, 235];

/// Draws `rows` (label, thumbnails `thumb_h` high) into `dir/grid*.jpg`;
/// returns the file names written.
pub fn draw_grid(
    dir: &Path,
    rows: &[(String, Vec<&RgbImage>)],
    thumb_h: u32,
    quality: u8,
) -> Result<Vec<String>> {
    let pages: Vec<&[(String, Vec<&RgbImage>)]> = rows.chunks(ROWS_PER_PAGE).collect();
    let paths = write_pages(dir, "grid", pages.len(), quality, |p| {
        render(pages[p], thumb_h)
    })?;
    Ok(paths
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect())
}

/// Writes `pages` JPEGs drawn by `draw(page)` as `dir/<stem>.jpg`, or
/// `<stem>-001.jpg`, `<stem>-002.jpg`, … when there are several; returns
/// their paths. Shared by the keyframe grid and the contact sheets.
pub(crate) fn write_pages(
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

/// One page of the grid as an image.
pub fn render(rows: &[(String, Vec<&RgbImage>)], thumb_h: u32) -> RgbImage {
    let label_chars = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0) as u32;
    let label_w = label_chars * 8 * SCALE + 2 * PAD;
    let row_w = |r: &(String, Vec<&RgbImage>)| -> u32 {
        r.1.iter().map(|t| t.width() + PAD).sum::<u32>() + PAD
    };
    let width = label_w + rows.iter().map(row_w).max().unwrap_or(PAD);
    let row_h = thumb_h.max(8 * SCALE) + PAD;
    let height = rows.len() as u32 * row_h + PAD;
    let mut img = RgbImage::from_pixel(width.max(1), height.max(1), image::Rgb(BACKGROUND));
    for (i, (label, thumbs)) in rows.iter().enumerate() {
        let y = PAD + i as u32 * row_h;
        draw_text(
            &mut img,
            PAD,
            y + (thumb_h.saturating_sub(8 * SCALE)) / 2,
            label,
        );
        let mut x = label_w;
        for t in thumbs {
            image::imageops::replace(&mut img, *t, i64::from(x), i64::from(y));
            x += t.width() + PAD;
        }
    }
    img
}

/// Draws ASCII `text` with the 8×8 font at `SCALE`.
pub(crate) fn draw_text(img: &mut RgbImage, x0: u32, y0: u32, text: &str) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_hold_their_thumbnails_and_a_label() {
        let a = RgbImage::from_pixel(40, 20, image::Rgb([255, 0, 0]));
        let b = RgbImage::from_pixel(30, 20, image::Rgb([0, 0, 255]));
        let rows = vec![
            ("#0 0.0s-2.0s".to_string(), vec![&a, &b]),
            ("#1".to_string(), vec![&b]),
        ];
        let img = render(&rows, 20);
        let label_w = 12 * 8 * SCALE + 2 * PAD;
        assert_eq!(img.width(), label_w + 40 + 30 + 3 * PAD);
        assert_eq!(img.height(), 2 * (20 + PAD) + PAD);
        // The first thumbnail sits right after the label column.
        assert_eq!(img.get_pixel(label_w + 1, PAD + 1).0, [255, 0, 0]);
        assert_eq!(
            img.get_pixel(label_w + 1, PAD + (20 + PAD) + 1).0,
            [0, 0, 255]
        );
        // Some label pixels are inked.
        let inked = (0..label_w)
            .flat_map(|x| (0..20).map(move |y| (x, y)))
            .filter(|&(x, y)| img.get_pixel(x, y).0 == INK)
            .count();
        assert!(inked > 50, "{inked}");
    }
}
