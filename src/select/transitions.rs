//! Candidates in the middle of a gradual transition. A frame halfway
//! through a crossfade, or a fade from or to black, blends two pictures:
//! a poor training frame, and an outlier that k-center greedy would pick
//! early because it sits apart from both scenes. The successor
//! segmentation's gradual seams say where such transitions are.

use crate::embed::EmbeddedFrame;
use crate::frame::FrameChange;
use crate::segment::{detect_seams, SegmentConfig};

/// Indices of `frames` (one video's, in time order) that lie strictly
/// inside a gradual transition, found with the segmentation's default
/// settings. `changes` are the video's per-frame luma changes (may be
/// empty: then seams come from the embeddings alone).
pub fn mid_transition<F: std::borrow::Borrow<EmbeddedFrame>>(
    frames: &[F],
    changes: &[FrameChange],
) -> Vec<usize> {
    let times: Vec<f64> = frames.iter().map(|f| f.borrow().meta.time).collect();
    let vectors: Vec<&[f32]> = frames
        .iter()
        .map(|f| f.borrow().vector.as_slice())
        .collect();
    let detection = detect_seams(&times, &vectors, changes, &SegmentConfig::default());
    (0..times.len())
        .filter(|&i| detection.in_transition(times[i]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::testing::candidate;
    use crate::frame::RgbImage;
    use crate::segment::testing::changes;

    /// Scene A, then scene B, at 2 fps; `blend(t)` is B's share at `t`.
    fn video(blend: impl Fn(f64) -> f32) -> Vec<EmbeddedFrame> {
        (0..40)
            .map(|i| {
                let t = i as f64 * 0.5;
                let w = blend(t);
                let wobble = 0.01 * ((i * 31 % 7) as f32 / 7.0);
                let mut vector = vec![1.0 - w, wobble, w];
                crate::embed::l2_normalize(&mut vector);
                EmbeddedFrame {
                    video: "v.mp4".into(),
                    meta: candidate(t, RgbImage::new(1, 1)).meta,
                    vector,
                    quality: None,
                    hash: None,
                }
            })
            .collect()
    }

    #[test]
    fn the_frames_inside_a_crossfade_are_found() {
        // A crossfade from 9.5 s to 11.5 s.
        let frames = video(|t| ((t - 9.5) / 2.0).clamp(0.0, 1.0) as f32);
        let mid = mid_transition(&frames, &changes(20.0, 0.01, None));
        let times: Vec<f64> = mid.iter().map(|&i| frames[i].meta.time).collect();
        assert!(!times.is_empty());
        assert!(
            times.iter().all(|&t| t > 9.5 && t < 11.5),
            "only frames inside the fade: {times:?}"
        );
        assert!(times.contains(&10.5), "its middle: {times:?}");
    }

    #[test]
    fn a_hard_cut_leaves_every_frame() {
        let frames = video(|t| if t >= 10.0 { 1.0 } else { 0.0 });
        assert!(mid_transition(&frames, &changes(20.0, 0.01, Some(10.0))).is_empty());
        assert!(mid_transition(&frames, &[]).is_empty());
    }
}
