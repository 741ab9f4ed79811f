//! A sink that embeds the kept frames (in the embedder's batch size, so
//! only one batch of images is held at a time) and keeps the vectors with
//! their frame metadata; [`crate::embed::write_embeddings`] puts them on disk as
//! `embeddings.npy` + `embeddings.jsonl`.

use std::sync::Arc;

use super::Sink;
use crate::buffer::Verdict;
use crate::embed::{EmbeddedFrame, Embedder};
use crate::error::Result;
use crate::frame::{measure_quality, Candidate};
use crate::hash::{hash_image, HashKind};
use crate::media::VideoInfo;

/// Embeds every kept frame; dropped frames are ignored unless
/// [`EmbeddingSink::also_dropped`] asks for them.
pub struct EmbeddingSink {
    embedder: Arc<dyn Embedder>,
    video: String,
    embed_dropped: bool,
    measure: bool,
    hash: bool,
    /// Frames waiting for a batch, and whether each was kept.
    pending: Vec<(Candidate, bool)>,
    /// The embedded frames in time order, complete after [`Sink::finish`].
    pub frames: Vec<EmbeddedFrame>,
    /// With [`EmbeddingSink::also_dropped`]: the frames the buffer or gate
    /// dropped, embedded too, in time order.
    pub dropped: Vec<EmbeddedFrame>,
}

impl EmbeddingSink {
    /// A sink embedding with `embedder`.
    pub fn new(embedder: Arc<dyn Embedder>) -> Self {
        EmbeddingSink {
            embedder,
            video: String::new(),
            embed_dropped: false,
            measure: false,
            hash: false,
            pending: Vec::new(),
            frames: Vec::new(),
            dropped: Vec::new(),
        }
    }

    /// Also embeds the frames the buffer or gate dropped, into
    /// [`EmbeddingSink::dropped`] (to see the whole run of frames, e.g.
    /// where a fade passes through dark frames).
    pub fn also_dropped(mut self) -> Self {
        self.embed_dropped = true;
        self
    }

    /// Also measures each frame's picture quality (structure, sharpness,
    /// exposure) on its analysis image, into [`EmbeddedFrame::quality`].
    pub fn with_quality(mut self) -> Self {
        self.measure = true;
        self
    }

    /// Also hashes each kept frame ([`EmbeddedFrame::hash`]): pHash, 8×8 bits,
    /// of its analysis image, for finding repeats across videos.
    pub fn with_hash(mut self) -> Self {
        self.hash = true;
        self
    }

    fn embed_pending(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.pending);
        let refs: Vec<&Candidate> = batch.iter().map(|(c, _)| c).collect();
        let vectors = self.embedder.embed_frames(&refs)?;
        for ((c, kept), vector) in batch.into_iter().zip(vectors) {
            let quality = self.measure.then(|| measure_quality(c.analysis()));
            // Only kept frames: dropped ones are embedded for the seams alone.
            let hash =
                (self.hash && kept).then(|| hash_image(HashKind::Phash, c.analysis(), 8).to_hex());
            let frame = EmbeddedFrame {
                video: self.video.clone(),
                meta: c.meta,
                vector,
                quality,
                hash,
            };
            if kept {
                self.frames.push(frame);
            } else {
                self.dropped.push(frame);
            }
        }
        Ok(())
    }
}

impl Sink for EmbeddingSink {
    fn begin(&mut self, video: &str, _info: &VideoInfo) -> Result<()> {
        self.video = video.to_string();
        Ok(())
    }

    fn accept(&mut self, verdict: Verdict) -> Result<()> {
        match verdict {
            Verdict::Keep(c) => self.pending.push((c, true)),
            Verdict::Drop(c, _) if self.embed_dropped => self.pending.push((c, false)),
            Verdict::Drop(..) => return Ok(()),
        }
        if self.pending.len() >= self.embedder.batch_size() {
            self.embed_pending()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<u64> {
        self.embed_pending()?;
        self.frames.sort_by_key(|f| f.meta.decode_index);
        self.dropped.sort_by_key(|f| f.meta.decode_index);
        Ok(self.frames.len() as u64)
    }
}

/// One line of `embeddings.jsonl`.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::DropReason;
    use crate::embed::BuiltinEmbedder;
    use crate::frame::testing::{candidate, pattern};

    /// Kept frames at 0 and 2 s, a gated one at 1 s, into `sink`.
    fn feed(mut sink: EmbeddingSink) -> EmbeddingSink {
        sink.accept(Verdict::Keep(candidate(0.0, pattern(0, 0))))
            .unwrap();
        sink.accept(Verdict::Drop(
            candidate(1.0, pattern(1, 0)),
            DropReason::Gated,
        ))
        .unwrap();
        sink.accept(Verdict::Keep(candidate(2.0, pattern(2, 0))))
            .unwrap();
        sink.finish().unwrap();
        sink
    }

    #[test]
    fn dropped_frames_are_embedded_apart_only_when_asked() {
        let embedder: Arc<dyn Embedder> = Arc::new(BuiltinEmbedder::default());
        let times = |v: &[EmbeddedFrame]| v.iter().map(|f| f.meta.time).collect::<Vec<_>>();
        let plain = feed(EmbeddingSink::new(embedder.clone()));
        assert_eq!(times(&plain.frames), [0.0, 2.0]);
        assert!(plain.dropped.is_empty());
        let both = feed(EmbeddingSink::new(embedder).also_dropped());
        assert_eq!(times(&both.frames), [0.0, 2.0], "the kept ones unchanged");
        assert_eq!(times(&both.dropped), [1.0]);
        assert_eq!(both.dropped[0].vector.len(), both.frames[0].vector.len());
    }
}
