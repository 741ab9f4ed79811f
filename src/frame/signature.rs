//! A cheap per-frame signature read straight from the decoded luma plane
//! (no colour conversion): a 16×16 grid of mean brightness. The change of
//! this grid from one decoded frame to the next locates hard cuts to the
//! exact frame, between the sparser embedded frames.

use ff::format::Pixel;
use ffmpeg_next as ff;
use serde::{Deserialize, Serialize};

/// Cells per side of the grid.
pub const GRID: usize = 16;

/// Mean luma (0–255) of each cell of a [`GRID`]×[`GRID`] grid.
#[derive(Debug, Clone, PartialEq)]
pub struct LumaGrid(pub [u8; GRID * GRID]);

/// How much the picture changed at one decoded frame.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FrameChange {
    /// The frame's time (seconds since the start of the stream).
    pub time: f64,
    /// Mean absolute change of the luma grid from the previous decoded
    /// frame, 0–1 (0 for the first frame).
    pub change: f32,
}

/// Bytes per luma sample of a pixel format whose first plane is luma, and
/// the bit depth; `None` for formats without a luma plane (RGB, palette).
fn luma_layout(format: Pixel) -> Option<(usize, u32)> {
    use Pixel as P;
    Some(match format {
        P::YUV420P
        | P::YUVJ420P
        | P::YUV422P
        | P::YUVJ422P
        | P::YUV444P
        | P::YUVJ444P
        | P::YUV440P
        | P::YUVJ440P
        | P::YUV411P
        | P::YUV410P
        | P::NV12
        | P::NV21
        | P::NV16
        | P::GRAY8
        | P::YUVA420P
        | P::YUVA422P
        | P::YUVA444P => (1, 8),
        P::YUV420P10LE | P::YUV422P10LE | P::YUV444P10LE | P::P010LE | P::GRAY10LE => (2, 10),
        P::YUV420P12LE | P::YUV422P12LE | P::YUV444P12LE | P::GRAY12LE => (2, 12),
        P::YUV420P16LE | P::YUV422P16LE | P::YUV444P16LE | P::P016LE | P::GRAY16LE => (2, 16),
        _ => return None,
    })
}

impl LumaGrid {
    /// The grid of a decoded frame, or `None` when its pixel format has no
    /// luma plane this reader knows. Reads about 8 rows per cell.
    pub fn from_frame(frame: &ff::frame::Video) -> Option<LumaGrid> {
        let (bytes, bits) = luma_layout(frame.format())?;
        let (w, h) = (frame.width() as usize, frame.height() as usize);
        if w < GRID || h < GRID || frame.planes() == 0 {
            return None;
        }
        let stride = frame.stride(0);
        let data = frame.data(0);
        if data.len() < stride * (h - 1) + w * bytes {
            return None;
        }
        let mut sums = [0u64; GRID * GRID];
        let mut counts = [0u32; GRID * GRID];
        let shift = bits - 8;
        // About 8 rows per cell row, every pixel of each: contiguous sums
        // the compiler vectorises.
        let row_step = (h / (GRID * 8)).max(1);
        let bounds: Vec<usize> = (0..=GRID).map(|c| c * w / GRID).collect();
        for y in (0..h).step_by(row_step) {
            let row = &data[y * stride..];
            let cy = y * GRID / h;
            for cx in 0..GRID {
                let (x0, x1) = (bounds[cx], bounds[cx + 1]);
                let sum: u64 = if bytes == 1 {
                    row[x0..x1].iter().map(|&v| u64::from(v)).sum()
                } else {
                    row[2 * x0..2 * x1]
                        .chunks_exact(2)
                        .map(|b| u64::from(u16::from_le_bytes([b[0], b[1]]) >> shift))
                        .sum()
                };
                let cell = cy * GRID + cx;
                sums[cell] += sum;
                counts[cell] += (x1 - x0) as u32;
            }
        }
        let mut grid = [0u8; GRID * GRID];
        for (g, (s, c)) in grid.iter_mut().zip(sums.iter().zip(&counts)) {
            *g = (*s / u64::from((*c).max(1))).min(255) as u8;
        }
        Some(LumaGrid(grid))
    }

    /// Mean absolute difference to `other`, 0–1.
    pub fn change(&self, other: &LumaGrid) -> f32 {
        let sum: u32 = self
            .0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| u32::from(a.abs_diff(*b)))
            .sum();
        sum as f32 / (255.0 * (GRID * GRID) as f32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gray(w: u32, h: u32, f: impl Fn(usize, usize) -> u8) -> ff::frame::Video {
        let mut frame = ff::frame::Video::new(Pixel::GRAY8, w, h);
        let stride = frame.stride(0);
        let data = frame.data_mut(0);
        for y in 0..h as usize {
            for x in 0..w as usize {
                data[y * stride + x] = f(x, y);
            }
        }
        frame
    }

    #[test]
    fn grid_follows_the_picture_and_change_is_scaled() {
        let left_dark = gray(64, 32, |x, _| if x < 32 { 0 } else { 200 });
        let g = LumaGrid::from_frame(&left_dark).unwrap();
        assert_eq!(g.0[0], 0);
        assert_eq!(g.0[GRID - 1], 200);
        let flat = LumaGrid::from_frame(&gray(64, 32, |_, _| 100)).unwrap();
        assert_eq!(flat.change(&flat), 0.0);
        // Half the cells differ by 100, half by 100: mean 100/255.
        assert!((g.change(&flat) - 100.0 / 255.0).abs() < 1e-6);
    }

    #[test]
    fn formats_without_luma_and_tiny_frames_give_none() {
        let rgb = ff::frame::Video::new(Pixel::RGB24, 64, 64);
        assert!(LumaGrid::from_frame(&rgb).is_none());
        assert!(LumaGrid::from_frame(&gray(8, 8, |_, _| 0)).is_none());
    }
}
