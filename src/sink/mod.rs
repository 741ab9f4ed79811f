//! Where the pipeline's results go. The pipeline hands every frame's
//! [`Verdict`] to a [`Sink`]; [`FolderSink`] writes images and a manifest
//! to disk, [`MemorySink`] keeps them in memory for library users.

mod atomic;
mod clean;
mod clip;
mod embeddings;
mod encode;
mod folder;
mod grid;
mod keyframes;
mod memory;
mod naming;
mod plot;
mod segments;
pub mod sheet;
mod spool;
mod writer;

use serde::Serialize;

use crate::buffer::{DropReason, Verdict};
use crate::decode::VideoInfo;
use crate::error::Result;
use crate::frame::{FrameMeta, Notes};

pub use atomic::{temp_path, write_atomic};
pub use clean::clean_output_dir;
pub use clip::{write_clip, Clip, ClipMode};
pub use embeddings::{
    write_embeddings, write_embeddings_as, EmbeddedFrame, EmbeddingSink, CANDIDATES_INDEX,
    CANDIDATES_NPY, EMBEDDINGS_INDEX, EMBEDDINGS_NPY,
};
pub use encode::{encode, ImageFormat};
pub use folder::{FolderSink, ImageOptions, MANIFEST_NAME};
pub(crate) use grid::draw_text;
pub use grid::{draw_grid, render as render_grid, ROWS_PER_PAGE};
pub use keyframes::{thumbnail, KeyframeSink};
pub use memory::MemorySink;
pub use naming::{frame_stem, py_float_repr, sanitize_component, unique_file_name, SaveFormat};
pub use plot::plot_scores;
pub use segments::{
    timecode, write_cuts, write_scores, write_segments, KeyframeFile, SegmentRecord, CUTS_CSV,
    CUTS_JSON, SCORES_CSV, SEGMENTS_CSV, SEGMENTS_JSONL,
};
pub use spool::SpoolSink;
pub use writer::{encode_for, write_image, write_manifest, Background};

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
