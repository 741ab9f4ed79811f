//! The workflows, start to end, as library calls: plain-data settings in
//! ([`crate::settings`]), plain results out (reports, embeddings,
//! selections, segments) plus what was written. The `framesift` binary
//! and the Python package are both thin layers over this module.
//!
//! | workflow | one video, in memory | many videos, into `OUT/<video>/` |
//! | --- | --- | --- |
//! | sample (hash buffer) | [`crate::pipeline::sample_video`] | [`sample_frames`] |
//! | embed | [`embed_video`] | [`embed()`] |
//! | select | [`choose_video`] | [`select()`] |
//! | segment | [`segment_video`] | [`segment()`] |
//! | sample (scenes) | [`scene_frames`] | [`sample_scenes`] |
//! | select's candidates | [`select_candidates`] | — |
//! | frames at times | [`frames_at`] | [`write_frames`] (one video) |
//!
//! The many-video forms run as a [`Batch`]: inputs become jobs, `resume`
//! skips what an earlier run with the same fingerprint completed, each
//! video's folder is cleaned before it is redone, and `summary.json` is
//! rewritten after every video ([`record`]). A bad input fails its own
//! report, never the run; `Err` means a settings error, before anything is
//! written.
//!
//! ```no_run
//! use std::path::Path;
//! use framesift::settings::{BatchSettings, SegmentSettings, SelectSettings};
//! use framesift::workflow::{self, Inputs, Silent};
//!
//! let videos = Inputs::videos(&["talk.mp4".to_string()]);
//! let mut pick = SelectSettings::default();
//! pick.select.n = Some(10);
//! let run = workflow::select(&videos, Path::new("picks"), &pick, &BatchSettings::default(), &Silent)?;
//! println!("{} frames written, {} failed", run.outcome.saved(), run.outcome.failures());
//! let cuts = workflow::segment(&videos, Path::new("segs"), &SegmentSettings::default(), &BatchSettings::default(), &Silent)?;
//! assert!(!cuts.failed());
//! # Ok::<(), framesift::Error>(())
//! ```
//!
//! May depend on: buffer, cancel, config, embed, error, export, frame, gate, input, media, output,
//! pipeline, runner, scenes, segment, select, shots, sink, ytdlp.

mod batch;
pub mod embed;
pub mod frames;
pub mod record;
pub mod sample;
pub mod segment;
pub mod select;
mod settings;

pub use batch::{Batch, Inputs, Outcome};
pub use embed::{embed, embed_video, load_embedder, Embedded};
pub use frames::{frames_at, write_frames};
pub use record::{Change, Fingerprints, PreviousRun, RunSummary, SUMMARY_NAME, VERSION};
pub use sample::{sample_frames, sample_scenes, scene_frames};
pub use segment::{segment, segment_job, segment_video, Segmented};
pub use select::{choose_video, select, select_candidates, Choice, SelectOutcome, GLOBAL_LABEL};
pub use settings::{
    BatchSettings, CandidateFrames, CandidateSettings, EmbedSettings, OutputSettings,
    SegmentOutputs, SegmentSettings, SelectSettings,
};

pub use crate::embed::EmbeddedFrame;
pub use crate::export::{write_run_outputs, Written};
pub use crate::input::{Job, JobKind};
pub use crate::media::probe_duration;
pub use crate::pipeline::VideoReport;
pub use crate::runner::{Observer, Silent};
pub use crate::scenes::{SceneStats, ThresholdSource};
pub use crate::select::{to_table as diversity_table, Diversity};
pub use crate::shots::{load_model as load_shot_model, FrameScore};

/// Readies FFmpeg once per process (`debug` keeps its warnings); every
/// workflow calls it, so callers need not.
pub fn init(debug: bool) -> crate::Result<()> {
    crate::media::init(debug)
}
