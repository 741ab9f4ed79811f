//! The merge threshold: how far apart two frames must be to show
//! different scenes, calibrated from the video's own distances.
//!
//! Two populations are measured. **Within**: inside each shot, how far a
//! frame moves from one candidate to the next (the 90th percentile of the
//! successor distances per shot, then the median over shots, so one fast
//! shot does not set it). It is measured step by step, not against the
//! shot's centre, so a long pan is a small step many times, not one large
//! spread. **Between**: how far the representatives of neighbouring shots
//! are apart (the 25th percentile over cuts, so a few cuts between
//! near-identical views do not drag it down).
//!
//! * The **merge threshold** is their geometric mean: on a log scale
//!   halfway between "moves within a scene" and "jumps at a cut", as far
//!   (in ratio) from wrongly merging as from wrongly splitting. Two shots
//!   whose best frames are closer are one scene.
//! * The **novelty threshold** is the between-shot gap itself: a shot gets
//!   a second frame only where it reaches something as far from every
//!   kept frame as neighbouring scenes usually are from each other. (On the
//!   public corpus, pans and fast real footage move a shot 0.3–0.6 from its
//!   best frame while the merge threshold is 0.28–0.40: the merge threshold
//!   alone would save most pans twice.)

use crate::record::ThresholdSource;
use serde::{Deserialize, Serialize};

/// The threshold used when the video gives nothing to calibrate from (no
/// frames, or all of them identical): the gap between same-scene and
/// other-scene distances of the built-in embedding (BENCHMARKS.md,
/// "separation": same-scene p90 0.09–0.30, other-scene p10 0.71–0.93).
pub const FALLBACK_THRESHOLD: f32 = 0.5;

/// With fewer than this many cuts, the between-shot gap is not measured
/// but taken as [`SINGLE_SHOT_RATIO`] × the within-shot spread.
pub const MIN_GAPS: usize = 2;

/// The between/within ratio assumed for videos with too few cuts to
/// measure it: a new view must be farther from the kept frames than
/// this many times the usual in-shot movement.
pub const SINGLE_SHOT_RATIO: f32 = 9.0;

/// The chosen thresholds and what they were chosen from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// The merge threshold (L2 between unit embeddings).
    pub threshold: f32,
    /// The novelty threshold: a shot's further frames must be at least
    /// this far from every kept frame (never below `threshold`).
    pub novelty: f32,
    /// Where it came from.
    pub source: ThresholdSource,
    /// The within-shot spread measured (0 when none).
    pub within: f32,
    /// The between-shot gap measured (0 when none).
    pub between: f32,
}

use crate::stats::percentile;

/// Chooses the thresholds from per-shot steps (each shot's 90th
/// percentile successor distance) and the gaps between neighbouring
/// shots' representatives; `given` overrides the merge threshold.
pub fn calibrate(steps: &[f32], gaps: &[f32], given: Option<f32>) -> Calibration {
    let within = percentile(steps, 0.5);
    let measured = percentile(gaps, 0.25);
    let (threshold, between, source) =
        if gaps.len() >= MIN_GAPS && measured > within && within > 0.0 {
            (
                (within * measured).sqrt(),
                measured,
                ThresholdSource::Calibrated,
            )
        } else if gaps.len() >= MIN_GAPS && measured > 0.0 && within == 0.0 {
            // Shots without any movement: half the smallest usual gap.
            (measured / 2.0, measured, ThresholdSource::Calibrated)
        } else if within > 0.0 {
            let between = (within * SINGLE_SHOT_RATIO).min(2.0);
            (
                (within * between).sqrt(),
                between,
                ThresholdSource::WithinOnly,
            )
        } else {
            (
                FALLBACK_THRESHOLD,
                2.0 * FALLBACK_THRESHOLD,
                ThresholdSource::Fallback,
            )
        };
    let (threshold, source) = match given {
        Some(t) => (t, ThresholdSource::Given),
        None => (threshold, source),
    };
    Calibration {
        threshold,
        novelty: between.max(threshold),
        source,
        within,
        between,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halfway_on_a_log_scale() {
        let c = calibrate(&[0.1, 0.1, 0.5], &[0.9, 0.9, 0.9, 1.0], None);
        assert_eq!(c.source, ThresholdSource::Calibrated);
        assert!((c.threshold - 0.3).abs() < 1e-4, "{c:?}");
        assert!((c.novelty - 0.9).abs() < 1e-4, "{c:?}");
    }

    #[test]
    fn falls_back_without_data_and_obeys_the_user() {
        assert_eq!(calibrate(&[], &[], None).threshold, FALLBACK_THRESHOLD);
        let w = calibrate(&[0.1], &[], None);
        assert_eq!(w.source, ThresholdSource::WithinOnly);
        assert!((w.threshold - 0.3).abs() < 1e-4);
        let g = calibrate(&[0.1], &[0.9, 0.9], Some(0.7));
        assert_eq!((g.threshold, g.source), (0.7, ThresholdSource::Given));
        assert!((g.novelty - 0.9).abs() < 1e-4, "{g:?}");
        let high = calibrate(&[0.1], &[0.9, 0.9], Some(1.5));
        assert_eq!(high.novelty, 1.5, "never below the merge threshold");
    }
}
