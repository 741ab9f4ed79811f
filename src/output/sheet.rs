//! Contact sheets: each video's saved frames as thumbnails in rows, each
//! labelled with its time, in `OUT/<video>/sheet.jpg` (or `sheet-001.jpg`,
//! `sheet-002.jpg`, … of [`PER_PAGE`] frames each). `sink::FolderSink`
//! makes each thumbnail from the frame in memory (its analysis image when
//! the pipeline made one), on the pool that encodes the frame: reading a
//! 1080p JPEG back costs its whole entropy decode, ~3–6 ms even at 1/8
//! scale, ten times the in-memory route. Scene mode, which copies spooled
//! JPEGs, reads its few saved frames back ([`file_thumbnail`]).

use std::path::{Path, PathBuf};

use super::pages::{draw_text, write_pages};
use crate::error::{Error, Result};
use crate::frame::RgbImage;

/// Thumbnail height in pixels.
pub const THUMB_H: u32 = 135;
/// Thumbnails per row.
pub const COLUMNS: usize = 6;
/// Thumbnails per sheet image.
pub const PER_PAGE: usize = 60;
const PAD: u32 = 6;
const LABEL_H: u32 = 20;
const BACKGROUND: [u8; 3] = [24, 24, 24];

/// "12.5s": a time for a label.
fn time_label(t: f64) -> String {
    let s = format!("{t:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    format!("{s}s")
}

/// One sheet: `thumbs` (label, image) in rows of [`COLUMNS`].
pub fn render(thumbs: &[(String, &RgbImage)]) -> RgbImage {
    let cell_w = thumbs.iter().map(|t| t.1.width()).max().unwrap_or(1);
    let cell_h = THUMB_H + LABEL_H;
    let cols = thumbs.len().clamp(1, COLUMNS) as u32;
    let rows = thumbs.len().div_ceil(COLUMNS).max(1) as u32;
    let width = cols * (cell_w + PAD) + PAD;
    let height = rows * (cell_h + PAD) + PAD;
    let mut img = RgbImage::from_pixel(width, height, image::Rgb(BACKGROUND));
    for (i, (label, t)) in thumbs.iter().enumerate() {
        let (c, r) = ((i % COLUMNS) as u32, (i / COLUMNS) as u32);
        let x = PAD + c * (cell_w + PAD);
        let y = PAD + r * (cell_h + PAD);
        image::imageops::replace(&mut img, *t, i64::from(x), i64::from(y));
        draw_text(&mut img, x, y + t.height() + 2, label);
    }
    img
}

/// Writes `thumbs` (time, thumbnail) as `dir/sheet.jpg`, or `sheet-001.jpg`,
/// … of [`PER_PAGE`] each, in time order; returns the files written.
pub fn write_sheets(dir: &Path, thumbs: &mut [(f64, RgbImage)]) -> Result<Vec<PathBuf>> {
    thumbs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let labelled: Vec<(String, &RgbImage)> = thumbs
        .iter()
        .map(|(t, img)| (time_label(*t), img))
        .collect();
    let pages: Vec<&[(String, &RgbImage)]> = labelled.chunks(PER_PAGE).collect();
    write_pages(dir, "sheet", pages.len(), 85, |p| render(pages[p]))
}

/// A saved frame's thumbnail for the sheet, [`THUMB_H`] pixels high: from
/// its analysis image when the pipeline made one, else from the frame.
pub fn sheet_thumbnail(image: &RgbImage, analysis: Option<&RgbImage>) -> RgbImage {
    match analysis {
        Some(small) if small.height() >= THUMB_H || small.width() >= THUMB_H => {
            resize_to_height(small, THUMB_H)
        }
        _ => resize_to_height(image, THUMB_H),
    }
}

/// `image` scaled to `height` pixels, aspect kept, with fast_image_resize
/// (SIMD): nearest-neighbour to twice the size, then bilinear ("super
/// sampling"), 0.3 ms for a 1080p frame where `image`'s area filter takes
/// 3 ms.
pub fn resize_to_height(image: &RgbImage, height: u32) -> RgbImage {
    use fast_image_resize as fr;
    let (w, h) = image.dimensions();
    let height = height.max(1);
    let width = ((u64::from(w) * u64::from(height)) / u64::from(h.max(1))).max(1) as u32;
    if w == 0 || h == 0 {
        return RgbImage::new(width, height);
    }
    let mut dst = fr::images::Image::new(width, height, fr::PixelType::U8x3);
    let resized = fr::images::ImageRef::new(w, h, image.as_raw(), fr::PixelType::U8x3)
        .ok()
        .and_then(|src| {
            let opts = fr::ResizeOptions::new()
                .resize_alg(fr::ResizeAlg::SuperSampling(fr::FilterType::Bilinear, 2));
            fr::Resizer::new().resize(&src, &mut dst, &opts).ok()
        });
    match resized.and_then(|_| RgbImage::from_raw(width, height, dst.into_vec())) {
        Some(img) => img,
        None => image::imageops::thumbnail(image, width, height),
    }
}

/// CPU seconds the calling thread has used (wall time where the platform
/// has no per-thread clock). The contact sheet's cost is measured with it:
/// its thumbnails are made on threads that also encode frames, so their
/// wall time would count the encoder's share of the CPU too.
pub fn thread_cpu_seconds() -> f64 {
    #[cfg(unix)]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid, writable timespec; the clock id is a
        // constant the platform defines.
        let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
        if rc == 0 {
            return ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9;
        }
    }
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_secs_f64()
}

/// A thumbnail of an image file (a frame already written): JPEGs are
/// decoded scaled down by libjpeg-turbo (DCT scaling, 1/2 to 1/8), others
/// decoded then scaled.
pub fn file_thumbnail(path: &Path) -> Result<RgbImage> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, "cannot read image", e))?;
    let fail = |reason: String| Error::Io {
        path: path.to_path_buf(),
        what: "cannot decode image",
        source: std::io::Error::other(reason),
    };
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let mut d = turbojpeg::Decompressor::new().map_err(|e| fail(e.to_string()))?;
        let header = d.read_header(&bytes).map_err(|e| fail(e.to_string()))?;
        let factor = [8, 4, 2]
            .into_iter()
            .map(|den| turbojpeg::ScalingFactor::new(1, den))
            .find(|f| f.scale(header.height) >= THUMB_H as usize)
            .unwrap_or(turbojpeg::ScalingFactor::ONE);
        d.set_scaling_factor(factor)
            .map_err(|e| fail(e.to_string()))?;
        let scaled = header.scaled(factor);
        let mut pixels = vec![0u8; scaled.width * scaled.height * 3];
        let image = turbojpeg::Image {
            pixels: pixels.as_mut_slice(),
            width: scaled.width,
            pitch: scaled.width * 3,
            height: scaled.height,
            format: turbojpeg::PixelFormat::RGB,
        };
        d.decompress(&bytes, image)
            .map_err(|e| fail(e.to_string()))?;
        let img = RgbImage::from_raw(scaled.width as u32, scaled.height as u32, pixels)
            .ok_or_else(|| fail("decoded size does not match".into()))?;
        return Ok(resize_to_height(&img, THUMB_H));
    }
    let img = image::load_from_memory(&bytes)
        .map_err(|e| fail(e.to_string()))?
        .to_rgb8();
    Ok(resize_to_height(&img, THUMB_H))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{encode, ImageFormat};

    #[test]
    fn labels_are_short_times() {
        assert_eq!(time_label(12.0), "12s");
        assert_eq!(time_label(1.527), "1.527s");
        assert_eq!(time_label(0.5), "0.5s");
    }

    #[test]
    fn thumbnails_are_small_and_sheets_hold_every_frame() {
        let dir = tempfile::tempdir().unwrap();
        let big = RgbImage::from_pixel(1920, 1080, image::Rgb([200, 10, 10]));
        let t = sheet_thumbnail(&big, None);
        assert_eq!((t.width(), t.height()), (240, THUMB_H));
        let from_analysis = sheet_thumbnail(
            &big,
            Some(&RgbImage::from_pixel(256, 144, image::Rgb([1, 2, 3]))),
        );
        assert_eq!(from_analysis.get_pixel(5, 5).0, [1, 2, 3]);
        let p = dir.path().join("a.jpg");
        std::fs::write(&p, encode(&big, ImageFormat::Jpg, 90).unwrap()).unwrap();
        let f = file_thumbnail(&p).unwrap();
        assert_eq!((f.width(), f.height()), (240, THUMB_H));
        assert!(f.get_pixel(100, 60).0[0] > 180);
        std::fs::write(&p, [0xFF, 0xD8, 0, 1]).unwrap();
        assert!(file_thumbnail(&p)
            .unwrap_err()
            .to_string()
            .contains("a.jpg"));
        let mut thumbs: Vec<(f64, RgbImage)> =
            (0..7).rev().map(|i| (f64::from(i), t.clone())).collect();
        let files = write_sheets(dir.path(), &mut thumbs).unwrap();
        assert_eq!(files, [dir.path().join("sheet.jpg")]);
        assert_eq!(thumbs[0].0, 0.0, "time order");
        let sheet = image::open(&files[0]).unwrap().to_rgb8();
        assert_eq!(sheet.width(), COLUMNS as u32 * (240 + PAD) + PAD);
        assert_eq!(sheet.height(), 2 * (THUMB_H + LABEL_H + PAD) + PAD);
        // The seventh thumbnail opens the second row.
        let y = PAD + THUMB_H + LABEL_H + PAD + 10;
        assert!(sheet.get_pixel(PAD + 10, y).0[0] > 160);
        let mut many: Vec<(f64, RgbImage)> =
            (0..PER_PAGE + 1).map(|i| (i as f64, t.clone())).collect();
        let files = write_sheets(dir.path(), &mut many).unwrap();
        assert_eq!(files.len(), 2);
        assert!(dir.path().join("sheet-002.jpg").is_file());
    }
}
