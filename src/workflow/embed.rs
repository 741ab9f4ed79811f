//! `embed`: every candidate frame's embedding, in memory or as
//! `embeddings.npy` + `embeddings.jsonl` per video.

use std::path::Path;
use std::sync::Arc;

use super::batch::{Batch, Inputs, Outcome};
use super::settings::{BatchSettings, EmbedSettings};
use crate::embed::{write_embeddings, EmbeddedFrame};
use crate::embed::{Embedder, EmbedderConfig};
use crate::error::Result;
use crate::pipeline::{sample_video, VideoReport};
use crate::runner::{failed, Observer};
use crate::sink::EmbeddingSink;

/// Builds the embedder `cfg` names (loading a CLIP model once); call it
/// before any job, so a missing model is a settings error.
pub fn load_embedder(cfg: &EmbedderConfig) -> Result<Arc<dyn Embedder>> {
    Ok(Arc::from(cfg.build()?))
}

/// One video's candidates, embedded.
#[derive(Debug, Clone)]
pub struct Embedded {
    /// The pass's report.
    pub report: VideoReport,
    /// Every candidate with its embedding, in time order.
    pub frames: Vec<EmbeddedFrame>,
}

/// Embeds one video's candidates in memory (nothing is written).
pub fn embed_video(
    input: &str,
    settings: &EmbedSettings,
    embedder: &Arc<dyn Embedder>,
    progress: &(dyn Fn(f64) + Sync),
) -> Result<Embedded> {
    settings.validate()?;
    let cfg = settings.candidates.sample_config();
    let mut sink = EmbeddingSink::new(embedder.clone());
    let report = sample_video(input, &cfg, &mut sink, progress)?;
    Ok(Embedded {
        report,
        frames: sink.frames,
    })
}

/// `embed` over every input: `OUT/<video>/embeddings.npy` + `.jsonl`.
pub fn embed(
    inputs: &Inputs,
    out: &Path,
    settings: &EmbedSettings,
    batch: &BatchSettings,
    observer: &dyn Observer,
) -> Result<Outcome> {
    settings.validate()?;
    let cfg = settings.candidates.sample_config();
    let run = Batch::new("embed", &cfg, settings, batch, observer)?;
    let embedder = load_embedder(&settings.embedder)?;
    let (name, dim) = (embedder.name(), embedder.dim());
    run.run(inputs, out, &|job, cfg, progress| {
        let mut sink = EmbeddingSink::new(embedder.clone());
        let outcome = sample_video(&job.input, cfg, &mut sink, progress).and_then(|mut report| {
            write_embeddings(&job.output_dir, &sink.frames, &name, dim)?;
            report.saved = sink.frames.len() as u64;
            Ok(report)
        });
        (
            outcome.unwrap_or_else(|e| failed(job, e.to_string(), 0.0)),
            (),
        )
    })
}
