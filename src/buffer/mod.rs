//! Buffers decide which candidate frames are worth keeping, usually by
//! dropping near-duplicates. Every buffer implements [`Buffer`]: each frame
//! pushed in comes out exactly once, as [`Verdict::Keep`] or
//! [`Verdict::Drop`], either at once or at [`Buffer::flush`].
//!
//! May depend on: error, frame, hash.

mod config;
mod grid;
mod hash;
mod passthrough;
mod sliding;

use serde::Serialize;

use crate::frame::Candidate;

pub use config::{BufferConfig, BufferKind, Metric};
pub use grid::GridBuffer;
pub use hash::HashBuffer;
pub use passthrough::PassthroughBuffer;
pub use sliding::SlidingTopKBuffer;

/// Why a frame was dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DropReason {
    /// The buffer found it to be a duplicate of a kept frame.
    Duplicate,
    /// A sliding top-k buffer held it for `expiry` frames without it ever
    /// being the best one.
    Expired,
    /// A gate rejected it (blur, darkness, prompts…).
    Gated,
}

/// The outcome for one frame.
#[derive(Debug)]
pub enum Verdict {
    /// The frame goes on to the next stage.
    Keep(Candidate),
    /// The frame is dropped, with the reason.
    Drop(Candidate, DropReason),
}

impl Verdict {
    /// The frame, whatever the outcome.
    pub fn candidate(&self) -> &Candidate {
        match self {
            Verdict::Keep(c) | Verdict::Drop(c, _) => c,
        }
    }
}

/// A stage that takes frames in time order and returns each of them,
/// kept or dropped, exactly once (not necessarily in time order: the
/// pipeline restores it).
pub trait Buffer: Send {
    /// Offers a frame; outcomes (for it or for earlier frames) are appended
    /// to `out`.
    fn push(&mut self, frame: Candidate, out: &mut Vec<Verdict>);
    /// Returns the outcome of every frame still held.
    fn flush(&mut self, out: &mut Vec<Verdict>);
}
