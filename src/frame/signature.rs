//! A cheap per-frame signature read straight from the decoded luma plane
//! (no colour conversion): a 16×16 grid of mean brightness. The change of
//! this grid from one decoded frame to the next locates hard cuts to the
//! exact frame, between the sparser embedded frames.

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

impl LumaGrid {
    /// The grid of a `w`×`h` luma plane: rows `stride` bytes apart, samples
    /// of `bytes` bytes (1, or 2 little-endian) holding `bits` bits. `None`
    /// for a plane smaller than the grid or shorter than its size says.
    /// Reads about 8 rows per cell.
    pub fn from_plane(
        data: &[u8],
        stride: usize,
        (w, h): (usize, usize),
        (bytes, bits): (usize, u32),
    ) -> Option<LumaGrid> {
        if w < GRID || h < GRID || !(1..=2).contains(&bytes) || !(8..=16).contains(&bits) {
            return None;
        }
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
