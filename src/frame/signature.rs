//! A cheap per-frame signature read straight from the decoded luma plane
//! (no colour conversion): a 16×16 grid of mean brightness. The change of
//! this grid from one decoded frame to the next locates hard cuts to the
//! exact frame, between the sparser embedded frames; its drift over the
//! last half second, set against the path it took ([`LumaTrace`]), shows a
//! dissolve between two pictures the embedding finds alike.

use std::collections::VecDeque;

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
    /// Mean absolute change of the luma grid from the frame
    /// [`LumaTrace::window`] frames back, 0–1 (0 until there is one). Next
    /// to the sum of the `change`s over the same frames (the path) it tells
    /// a dissolve, which moves every cell steadily one way (drift ≈ path),
    /// from noise and motion, which wander (drift ≪ path).
    #[serde(default)]
    pub drift: f32,
    /// How many frames' changes the drift spans (this frame's included), 0
    /// when there is no drift yet.
    #[serde(default)]
    pub drift_frames: u16,
}

/// The seconds [`FrameChange::drift`] spans: a short dissolve (0.5 s) fits
/// in it whole, a longer one shows its steady part.
pub const DRIFT_SECONDS: f64 = 0.5;

/// Turns each decoded frame's [`LumaGrid`] into its [`FrameChange`],
/// keeping the last [`LumaTrace::window`] grids (a few KB).
#[derive(Debug, Clone)]
pub struct LumaTrace {
    window: usize,
    grids: VecDeque<LumaGrid>,
}

impl LumaTrace {
    /// A trace for a video of `fps` frames per second: the drift spans
    /// [`DRIFT_SECONDS`] of frames, 4 to 32 of them (25 fps when unknown).
    pub fn new(fps: f64) -> LumaTrace {
        let fps = if fps.is_finite() && fps > 0.0 {
            fps
        } else {
            25.0
        };
        let window = (DRIFT_SECONDS * fps).round().clamp(4.0, 32.0) as usize;
        LumaTrace {
            window,
            grids: VecDeque::with_capacity(window + 1),
        }
    }

    /// Frames the drift spans.
    pub fn window(&self) -> usize {
        self.window
    }

    /// The change of the frame at `time` whose grid is `grid`.
    pub fn push(&mut self, time: f64, grid: LumaGrid) -> FrameChange {
        let change = self.grids.back().map_or(0.0, |g| grid.change(g));
        // Full: the oldest grid is `window` frames back; it leaves now.
        let (drift, drift_frames) = match self.grids.len() == self.window {
            true => (
                self.grids.pop_front().map_or(0.0, |g| grid.change(&g)),
                self.window as u16,
            ),
            false => (0.0, 0),
        };
        self.grids.push_back(grid);
        FrameChange {
            time,
            change,
            drift,
            drift_frames,
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(v: u8) -> LumaGrid {
        LumaGrid([v; GRID * GRID])
    }

    #[test]
    fn a_steady_ramp_drifts_as_far_as_it_travels_and_noise_does_not() {
        let mut trace = LumaTrace::new(8.0); // a window of 4 frames
        assert_eq!(trace.window(), 4);
        let ramp: Vec<FrameChange> = (0..8u8)
            .map(|k| trace.push(f64::from(k), flat(100 + 10 * k)))
            .collect();
        assert_eq!(ramp[0].change, 0.0);
        assert_eq!(
            (ramp[3].drift, ramp[3].drift_frames),
            (0.0, 0),
            "not 4 frames back yet"
        );
        assert_eq!(ramp[4].drift_frames, 4);
        let path: f32 = ramp[4..=7].iter().map(|c| c.change).sum();
        assert!(
            (ramp[7].drift - path).abs() < 1e-6,
            "straight: drift = path"
        );
        assert!((ramp[7].drift - 40.0 / 255.0).abs() < 1e-6);
        let mut trace = LumaTrace::new(8.0);
        let noise: Vec<FrameChange> = (0..8u8)
            .map(|k| trace.push(f64::from(k), flat(if k % 2 == 0 { 100 } else { 110 })))
            .collect();
        let path: f32 = noise[4..=7].iter().map(|c| c.change).sum();
        assert_eq!(noise[7].drift, 0.0);
        assert!(path > 0.15);
    }
}
