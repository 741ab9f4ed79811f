//! A frame with its embedding, and the files a set of them is written to:
//! `embeddings.npy` (the matrix) and `embeddings.jsonl` (one line per row).

use std::path::Path;

use serde::Serialize;

use super::write_npy_f32;
use crate::error::{Error, Result};
use crate::frame::{FrameMeta, FrameQuality};
use crate::output::write_atomic;

/// File names of the embedding matrix and its index.
pub const EMBEDDINGS_NPY: &str = "embeddings.npy";
/// One JSON object per row of [`EMBEDDINGS_NPY`].
pub const EMBEDDINGS_INDEX: &str = "embeddings.jsonl";
/// `select` with `keep_candidates`: every candidate's embedding (the
/// report's map), as `embeddings.npy` holds the chosen frames'.
pub const CANDIDATES_NPY: &str = "candidates.npy";
/// The index of [`CANDIDATES_NPY`].
pub const CANDIDATES_INDEX: &str = "candidates.jsonl";

/// A frame and its embedding.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmbeddedFrame {
    /// The input video, as given.
    pub video: String,
    /// Where the frame sits in the video.
    #[serde(flatten)]
    pub meta: FrameMeta,
    /// The unit-length embedding.
    #[serde(skip)]
    pub vector: Vec<f32>,
    /// Its picture quality, when the sink was asked to measure it
    /// (`sink::EmbeddingSink::with_quality`).
    #[serde(skip)]
    pub quality: Option<FrameQuality>,
    /// Its 64-bit perceptual hash (pHash of the analysis image, hex), when
    /// the sink was asked for it (`sink::EmbeddingSink::with_hash`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
}

#[derive(Serialize)]
struct IndexLine<'a> {
    row: usize,
    #[serde(flatten)]
    frame: &'a EmbeddedFrame,
    embedder: &'a str,
}

/// Writes `frames` into `dir` as `embeddings.npy` (rows in order, float32,
/// `dim` wide) and `embeddings.jsonl` (row number, video, time, …), each
/// atomically.
pub fn write_embeddings(
    dir: &Path,
    frames: &[EmbeddedFrame],
    embedder: &str,
    dim: usize,
) -> Result<()> {
    write_embeddings_as(
        dir,
        (EMBEDDINGS_NPY, EMBEDDINGS_INDEX),
        frames,
        embedder,
        dim,
    )
}

/// [`write_embeddings`] under other names: `(npy, index)`.
pub fn write_embeddings_as(
    dir: &Path,
    (npy, index): (&str, &str),
    frames: &[EmbeddedFrame],
    embedder: &str,
    dim: usize,
) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, "cannot create output folder", e))?;
    let rows: Vec<&[f32]> = frames.iter().map(|f| f.vector.as_slice()).collect();
    write_npy_f32(&dir.join(npy), &rows, dim)?;
    let mut text = String::new();
    for (row, frame) in frames.iter().enumerate() {
        let line = IndexLine {
            row,
            frame,
            embedder,
        };
        text.push_str(&serde_json::to_string(&line).unwrap_or_default());
        text.push('\n');
    }
    let index = dir.join(index);
    write_atomic(&index, text.as_bytes()).map_err(|e| Error::io(&index, "cannot write index", e))
}
