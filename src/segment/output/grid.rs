//! The keyframe grid: one row per segment, a label with its index and
//! times on the left, its keyframes' thumbnails to the right. Written as
//! `grid.jpg`, or `grid-001.jpg`, `grid-002.jpg`, … with
//! [`ROWS_PER_PAGE`] rows each for long videos.

use std::path::Path;

use crate::error::Result;
use crate::frame::RgbImage;
use crate::output::pages::{draw_text, write_pages, SCALE};

/// Rows per grid image.
pub const ROWS_PER_PAGE: usize = 60;
const PAD: u32 = 4;
const BACKGROUND: [u8; 3] = [24, 24, 24];

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::pages::INK;

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
