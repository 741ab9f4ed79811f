//! Successor segmentation: score every embedded frame by the distance of
//! its embedding to its successor's, cut a seam where that score crosses a
//! threshold (fixed, or a rolling mean + K·std), place hard cuts on their
//! exact frame from the decoded frames' luma change, optionally confirm
//! weak seams with a k-nearest-neighbour surveyor, then shape the pieces
//! into segments of a bounded duration, each with 2–4 keyframes.
//!
//! Everything here is plain data in, plain data out: times and vectors
//! from any embedder, [`FrameChange`]s from
//! [`crate::pipeline::sample_video_traced`].
//!
//! May depend on: embed, error, frame, output.

mod config;
mod keyframes;
pub mod output;
mod seams;
mod segments;
mod surveyor;
mod threshold;

pub use config::{SegmentConfig, Threshold};
pub use keyframes::{pick_keyframes, pick_keyframes_among};
pub use output::{
    draw_grid, plot_scores, render_grid, timecode, write_cuts, write_scores, write_segments,
    KeyframeFile, SegmentRecord, CUTS_CSV, CUTS_JSON, SCORES_CSV, SEGMENTS_CSV, SEGMENTS_JSONL,
};
pub use seams::{detect_seams, in_transition, successor_scores, Detection, Seam, SeamKind};
pub use segments::{build_segments, Segment};
pub use surveyor::knn_purity;
pub use threshold::{thresholds, thresholds_with, Level};

#[cfg(test)]
pub(crate) use seams::testing;

use crate::error::Result;
use crate::frame::FrameChange;

/// The full result for one video.
#[derive(Debug, Clone, PartialEq)]
pub struct Segmentation {
    /// Scores, thresholds and seams.
    pub detection: Detection,
    /// The segments, in time order, covering `[0, end)`.
    pub segments: Vec<Segment>,
}

/// Segments one video: `times[i]` and `vectors[i]` are the embedded
/// frames in time order, `changes` the per-frame luma changes (may be
/// empty), `end` the video's end time.
pub fn segment<V: AsRef<[f32]>>(
    times: &[f64],
    vectors: &[V],
    changes: &[FrameChange],
    end: f64,
    cfg: &SegmentConfig,
) -> Result<Segmentation> {
    segment_with(times, vectors, changes, end, cfg, |seams| seams)
}

/// [`segment`], with `choose` turning the seams detected here into the
/// ones the segments are shaped around (another detector's, or both:
/// `shots::choose_seams`).
pub fn segment_with<V: AsRef<[f32]>>(
    times: &[f64],
    vectors: &[V],
    changes: &[FrameChange],
    end: f64,
    cfg: &SegmentConfig,
    choose: impl FnOnce(Vec<Seam>) -> Vec<Seam>,
) -> Result<Segmentation> {
    cfg.validate()?;
    let mut detection = detect_seams(times, vectors, changes, cfg);
    detection.seams = choose(std::mem::take(&mut detection.seams));
    let segments = build_segments(times, vectors, &detection, end, cfg);
    Ok(Segmentation {
        detection,
        segments,
    })
}
