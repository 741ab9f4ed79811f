//! From seams to segments: merge the too short, split the too long, and
//! give each its keyframes.

use serde::{Deserialize, Serialize};

use super::config::SegmentConfig;
use super::keyframes::{pick_keyframes, pick_keyframes_among};
use super::seams::Detection;
use crate::embed::l2_distance;

/// One segment of a video.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    /// Position in the video, from 0.
    pub index: usize,
    /// Start (seconds, inclusive).
    pub start: f64,
    /// End (seconds, exclusive).
    pub end: f64,
    /// Embedded frames inside it: `first..last` (exclusive) into the
    /// detection's times.
    pub frames: std::ops::Range<usize>,
    /// Its keyframes as frame indices, most representative (the medoid)
    /// first.
    pub keyframes: Vec<usize>,
    /// Mean successor score of the steps inside it.
    pub mean_score: f32,
}

impl Segment {
    /// Seconds.
    pub fn duration(&self) -> f64 {
        self.end - self.start
    }
}

/// Builds the segments of `[0, end)` from the detection's seams, applying
/// the duration rules, then picks keyframes.
pub fn build_segments<V: AsRef<[f32]>>(
    times: &[f64],
    vectors: &[V],
    detection: &Detection,
    end: f64,
    cfg: &SegmentConfig,
) -> Vec<Segment> {
    let end = end.max(times.last().copied().unwrap_or(0.0));
    let mut bounds: Vec<f64> = vec![0.0];
    bounds.extend(
        detection
            .seams
            .iter()
            .map(|s| s.time)
            .filter(|&t| t > 0.0 && t < end),
    );
    bounds.push(end);
    bounds.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
    let mean = |lo: f64, hi: f64| mean_vector(times, vectors, lo, hi);
    merge_short(&mut bounds, cfg.min_segment_sec, &mean);
    split_long(&mut bounds, times, &detection.scores, cfg);
    bounds
        .windows(2)
        .enumerate()
        .map(|(index, w)| {
            let frames = range_of(times, w[0], w[1]);
            let steps = frames.start..frames.end.saturating_sub(1);
            let n = steps.len().max(1) as f32;
            let mean_score = detection
                .scores
                .get(steps)
                .map_or(0.0, |s| s.iter().sum::<f32>() / n);
            // Not frames in the middle of a crossfade, unless that is all there is.
            let settled: Vec<usize> = frames
                .clone()
                .filter(|&f| !detection.in_transition(times[f]))
                .collect();
            let keyframes = if settled.is_empty() {
                pick_keyframes(vectors, frames.clone(), cfg)
            } else {
                pick_keyframes_among(vectors, &settled, cfg)
            };
            Segment {
                index,
                start: w[0],
                end: w[1],
                frames,
                keyframes,
                mean_score,
            }
        })
        .collect()
}

/// Frames with `lo <= t < hi`.
fn range_of(times: &[f64], lo: f64, hi: f64) -> std::ops::Range<usize> {
    times.partition_point(|&t| t < lo - 1e-9)..times.partition_point(|&t| t < hi - 1e-9)
}

fn mean_vector<V: AsRef<[f32]>>(
    times: &[f64],
    vectors: &[V],
    lo: f64,
    hi: f64,
) -> Option<Vec<f32>> {
    let r = range_of(times, lo, hi);
    let first = vectors.get(r.start)?.as_ref();
    let mut sum = vec![0f32; first.len()];
    for v in &vectors[r.clone()] {
        for (s, x) in sum.iter_mut().zip(v.as_ref()) {
            *s += x;
        }
    }
    let n = r.len() as f32;
    sum.iter_mut().for_each(|s| *s /= n);
    Some(sum)
}

/// Removes boundaries until every segment lasts at least `min` seconds
/// (or one is left): the shortest merges into the neighbour whose mean
/// embedding is closer (the only neighbour at either end).
fn merge_short(bounds: &mut Vec<f64>, min: f64, mean: &dyn Fn(f64, f64) -> Option<Vec<f32>>) {
    while bounds.len() > 2 {
        let Some((i, len)) = bounds
            .windows(2)
            .map(|w| w[1] - w[0])
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(&b.1))
        else {
            return;
        };
        if len >= min {
            return;
        }
        let last = bounds.len() - 2;
        let merge_left = if i == 0 {
            false
        } else if i == last {
            true
        } else {
            let me = mean(bounds[i], bounds[i + 1]);
            let dist = |lo: f64, hi: f64| match (&me, mean(lo, hi)) {
                (Some(a), Some(b)) => l2_distance(a, &b),
                _ => f32::INFINITY,
            };
            dist(bounds[i - 1], bounds[i]) <= dist(bounds[i + 1], bounds[i + 2])
        };
        // Merging left removes this segment's start; right, its end.
        bounds.remove(if merge_left { i } else { i + 1 });
    }
}

/// Splits segments longer than `max` at their largest successor score,
/// keeping both parts at least `min` long when possible.
fn split_long(bounds: &mut Vec<f64>, times: &[f64], scores: &[f32], cfg: &SegmentConfig) {
    let mut i = 0;
    while i + 1 < bounds.len() {
        let (lo, hi) = (bounds[i], bounds[i + 1]);
        if hi - lo <= cfg.max_segment_sec {
            i += 1;
            continue;
        }
        // Split points: the middle of each step inside, best score first.
        let r = range_of(times, lo, hi);
        let steps = r.start..r.end.saturating_sub(1);
        let at = |s: usize| (times[s] + times[s + 1]) / 2.0;
        let fits = |t: f64| t - lo >= cfg.min_segment_sec && hi - t >= cfg.min_segment_sec;
        // Equal scores (a static shot): the split nearest the middle.
        let off_middle = |s: usize| -(at(s) - (lo + hi) / 2.0).abs();
        let best = steps.clone().filter(|&s| fits(at(s))).max_by(|&a, &b| {
            scores[a]
                .total_cmp(&scores[b])
                .then(off_middle(a).total_cmp(&off_middle(b)))
        });
        let split = match best {
            Some(s) => at(s),
            None => (lo + hi) / 2.0, // no frames to judge by: halve it
        };
        bounds.insert(i + 1, split);
    }
}

#[cfg(test)]
mod tests {
    use super::super::seams::{Seam, SeamKind};
    use super::*;

    fn detection(times: &[f64], seams: &[f64]) -> Detection {
        Detection {
            times: times.to_vec(),
            scores: vec![0.05; times.len().saturating_sub(1)],
            thresholds: vec![0.25; times.len().saturating_sub(1)],
            seams: seams
                .iter()
                .map(|&time| Seam {
                    time,
                    step: 0,
                    score: 1.0,
                    kind: SeamKind::Cut,
                    from: time,
                    to: time,
                })
                .collect(),
        }
    }

    fn frames(n: usize, scene: impl Fn(f64) -> f32) -> (Vec<f64>, Vec<Vec<f32>>) {
        let t: Vec<f64> = (0..n).map(|i| i as f64 * 0.5).collect();
        let v = t.iter().map(|&t| vec![scene(t), 1.0]).collect();
        (t, v)
    }

    fn spans(s: &[Segment]) -> Vec<(f64, f64)> {
        s.iter().map(|s| (s.start, s.end)).collect()
    }

    #[test]
    fn seams_become_segments_covering_the_video() {
        let (t, v) = frames(40, |t| if t < 8.0 { 0.0 } else { 1.0 });
        let segs = build_segments(
            &t,
            &v,
            &detection(&t, &[8.0]),
            20.0,
            &SegmentConfig::default(),
        );
        assert_eq!(spans(&segs), vec![(0.0, 8.0), (8.0, 20.0)]);
        assert_eq!(segs[0].frames, 0..16);
        assert_eq!(segs[1].index, 1);
    }

    #[test]
    fn a_short_segment_merges_into_the_closer_neighbour() {
        // 0–6 scene A, 6–7 a flash that looks like C (closer to C), 7–14 C.
        let (t, v) = frames(28, |t| match t {
            t if t < 6.0 => 0.0,
            t if t < 7.0 => 0.9,
            _ => 1.0,
        });
        let segs = build_segments(
            &t,
            &v,
            &detection(&t, &[6.0, 7.0]),
            14.0,
            &SegmentConfig::default(),
        );
        assert_eq!(spans(&segs), vec![(0.0, 6.0), (6.0, 14.0)]);
        // At the very end there is one neighbour only.
        let segs = build_segments(
            &t,
            &v,
            &detection(&t, &[13.0]),
            14.0,
            &SegmentConfig::default(),
        );
        assert_eq!(spans(&segs), vec![(0.0, 14.0)]);
    }

    #[test]
    fn a_long_segment_splits_at_its_largest_score_and_every_piece_fits() {
        let (t, v) = frames(80, |_| 0.0);
        let mut d = detection(&t, &[]);
        d.scores[40] = 0.5; // between 20.0 and 20.5
        let cfg = SegmentConfig::default();
        let segs = build_segments(&t, &v, &d, 40.0, &cfg);
        assert!(
            segs.iter().any(|s| (s.end - 20.25).abs() < 1e-9),
            "split at the peak: {:?}",
            spans(&segs)
        );
        for s in &segs {
            assert!(
                s.duration() <= cfg.max_segment_sec + 1e-9,
                "{:?}",
                spans(&segs)
            );
            assert!(
                s.duration() >= cfg.min_segment_sec - 1e-9,
                "{:?}",
                spans(&segs)
            );
        }
    }

    #[test]
    fn keyframes_avoid_the_middle_of_a_crossfade() {
        // A until 5 s, a crossfade 5–6.5 s, B after; one gradual seam.
        let (t, v) = frames(20, |t| ((t - 5.0) / 1.5).clamp(0.0, 1.0) as f32);
        let mut d = detection(&t, &[]);
        d.seams.push(Seam {
            time: 5.75,
            step: 11,
            score: 0.4,
            kind: SeamKind::Gradual,
            from: 5.0,
            to: 6.5,
        });
        let segs = build_segments(&t, &v, &d, 10.0, &SegmentConfig::default());
        assert_eq!(segs.len(), 2);
        for s in &segs {
            for &k in &s.keyframes {
                assert!(
                    !(t[k] > 5.0 && t[k] < 6.5),
                    "keyframe at {} is mid-fade",
                    t[k]
                );
            }
            assert!(!s.keyframes.is_empty());
        }
    }
}
