//! Where the pipeline's results go. The pipeline hands every frame's
//! [`Verdict`] to a [`Sink`]; [`FolderSink`] writes images and a manifest
//! to disk, [`MemorySink`] keeps them in memory for library users,
//! [`SpoolSink`] spools candidates for scene sampling, [`EmbeddingSink`]
//! embeds them and [`KeyframeSink`] keeps `segment`'s keyframe images.
//! The file helpers they share live in [`crate::output`].
//!
//! May depend on: buffer, embed, error, frame, hash, media, output.

mod embeddings;
mod folder;
mod keyframes;
mod manifest;
mod memory;
mod spool;

use serde::Serialize;

use crate::buffer::{DropReason, Verdict};
use crate::error::Result;
use crate::frame::{FrameMeta, Notes};
use crate::media::VideoInfo;

pub use embeddings::EmbeddingSink;
pub use folder::{FolderSink, ImageOptions, MANIFEST_NAME};
pub use keyframes::{thumbnail, KeyframeSink};
pub use manifest::write_manifest;
pub use memory::MemorySink;
pub use spool::SpoolSink;

/// What happened to a frame, as written in the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Written to disk (or kept, for in-memory sinks).
    Saved,
    /// Dropped by the buffer as a duplicate.
    Duplicate,
    /// Dropped by a sliding top-k buffer after waiting `expiry` frames.
    Expired,
    /// Dropped by the gate.
    Gated,
    /// Kept, but writing its image failed.
    WriteFailed,
}

impl From<DropReason> for Decision {
    fn from(r: DropReason) -> Self {
        match r {
            DropReason::Duplicate => Decision::Duplicate,
            DropReason::Expired => Decision::Expired,
            DropReason::Gated => Decision::Gated,
        }
    }
}

/// One line of a video's manifest (`frames.jsonl`): a frame that reached
/// the buffer and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameRecord {
    /// The input video, as given.
    pub video: String,
    /// The written image, relative to the manifest's folder.
    pub path: Option<String>,
    /// What happened to the frame.
    pub decision: Decision,
    /// Where the frame sits in the video.
    #[serde(flatten)]
    pub meta: FrameMeta,
    /// What the buffer and gate noted.
    #[serde(flatten)]
    pub notes: Notes,
}

/// Receives the outcome of every frame of one video.
pub trait Sink: Send {
    /// Called once, when the video is open.
    fn begin(&mut self, video: &str, info: &VideoInfo) -> Result<()>;
    /// Called for each frame's final outcome, in any order.
    fn accept(&mut self, verdict: Verdict) -> Result<()>;
    /// Called once at the end; returns how many frames were saved.
    fn finish(&mut self) -> Result<u64>;
}
