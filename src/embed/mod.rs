//! Frame embeddings: one L2-normalised vector per frame, so that frames of
//! the same scene lie close together and different scenes far apart.
//! Diverse selection and segmentation work on these vectors.
//!
//! [`Embedder`] is the extension point; [`BuiltinEmbedder`] (a fast colour
//! layout + colour histogram + edge descriptor, no model file) and, with
//! the `clip` feature, [`ClipEmbedder`] (CLIP run in-process by candle)
//! implement it. [`EmbedderConfig`] names one as plain data.
//!
//! May depend on: error, frame, output.

mod builtin;
#[cfg(feature = "clip")]
pub mod clip;
mod frames;
mod npy;
mod vector;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::frame::{Candidate, RgbImage};

pub use builtin::BuiltinEmbedder;
#[cfg(feature = "clip")]
pub use clip::{resolve_model, ClipEmbedder, ClipFiles, HubOptions, DEFAULT_CLIP_MODEL};
pub use frames::{
    write_embeddings, write_embeddings_as, EmbeddedFrame, CANDIDATES_INDEX, CANDIDATES_NPY,
    EMBEDDINGS_INDEX, EMBEDDINGS_NPY,
};
pub use npy::{read_npy_f32, write_npy_f32};
pub use vector::{dot, l2_distance, l2_normalize};

/// Turns frames into L2-normalised vectors of a fixed width.
pub trait Embedder: Send + Sync {
    /// A short name for manifests (`builtin-v1`, `clip:openai/…`).
    fn name(&self) -> String;
    /// Width of every vector this embedder returns.
    fn dim(&self) -> usize;
    /// How many images one call handles best (CLIP batches, builtin 1).
    fn batch_size(&self) -> usize {
        1
    }
    /// Embeds full images; one unit-length (or all-zero, for an image with
    /// nothing in it) vector per image, in order.
    fn embed_images(&self, images: &[&RgbImage]) -> Result<Vec<Vec<f32>>>;
    /// Embeds pipeline frames; an embedder that works at low resolution
    /// uses each frame's shared analysis image instead of the full one.
    fn embed_frames(&self, frames: &[&Candidate]) -> Result<Vec<Vec<f32>>> {
        let images: Vec<&RgbImage> = frames.iter().map(|c| &c.image).collect();
        self.embed_images(&images)
    }
}

/// Which embedder to use, as plain data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum EmbedderConfig {
    /// The built-in descriptor (no model file).
    #[default]
    Builtin,
    /// CLIP: a local Hugging Face folder or a Hub repo id.
    Clip {
        /// Folder with config.json + model.safetensors, or a repo id such
        /// as `openai/clip-vit-base-patch32`.
        model: String,
        /// Images per forward pass.
        #[serde(default = "default_batch")]
        batch_size: usize,
    },
}

fn default_batch() -> usize {
    32
}

impl EmbedderConfig {
    /// Builds the embedder (loading the CLIP model, which may download it).
    pub fn build(&self) -> Result<Box<dyn Embedder>> {
        match self {
            EmbedderConfig::Builtin => Ok(Box::new(BuiltinEmbedder::default())),
            #[cfg(feature = "clip")]
            EmbedderConfig::Clip { model, batch_size } => {
                let files = resolve_model(model, None)?;
                Ok(Box::new(ClipEmbedder::load(&files, *batch_size)?))
            }
            #[cfg(not(feature = "clip"))]
            EmbedderConfig::Clip { .. } => Err(Error::config(
                "embed",
                "this framesift was built without the `clip` feature",
            )),
        }
    }

    /// Parses the CLI's `--embed builtin|clip` with the model flag.
    pub fn from_flag(kind: &str, model: &str, batch_size: usize) -> Result<Self> {
        match kind {
            "builtin" => Ok(EmbedderConfig::Builtin),
            "clip" => Ok(EmbedderConfig::Clip {
                model: model.to_string(),
                batch_size,
            }),
            other => Err(Error::config(
                "embed",
                format!("unknown embedder '{other}' (expected builtin or clip)"),
            )),
        }
    }
}
