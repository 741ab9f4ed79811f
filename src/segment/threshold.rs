//! The seam threshold of every step: fixed, or the rolling mean + K·std
//! of the scores in the `window_sec` before it. Steps that crossed their
//! own threshold are left out of later windows, so one cut does not hide
//! the next; until a window holds 4 scores, the video's quiet baseline
//! (the scores up to its 80th percentile) stands in.

use super::config::{SegmentConfig, Threshold};

/// Fewer scores than this in a window: use the baseline.
const MIN_HISTORY: usize = 4;

/// One step's threshold, and the rolling level it came from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Level {
    /// What the score must exceed to be a seam: the rolling mean + K·std,
    /// never below `min_score` (or the fixed value).
    pub threshold: f32,
    /// The rolling mean + K·std alone, before the `min_score` floor (the
    /// fixed value with [`Threshold::Fixed`]).
    pub rolling: f32,
    /// The rolling mean of the scores (0 with [`Threshold::Fixed`]).
    pub mean: f32,
}

/// The threshold for each of `scores` (`scores[i]` belongs to the step
/// that starts at `times[i]`); a step above its threshold is left out of
/// later windows.
pub fn thresholds(times: &[f64], scores: &[f32], cfg: &SegmentConfig) -> Vec<f32> {
    thresholds_with(times, scores, cfg, &mut |i, level| {
        scores[i] > level.threshold
    })
}

/// [`thresholds`], with `is_seam(i, level_i)` deciding, step by step,
/// which steps are seams to leave out of later windows.
pub fn thresholds_with(
    times: &[f64],
    scores: &[f32],
    cfg: &SegmentConfig,
    is_seam: &mut dyn FnMut(usize, Level) -> bool,
) -> Vec<f32> {
    let k = match cfg.threshold {
        Threshold::Fixed(x) => {
            let thr = vec![x; scores.len()];
            let level = Level {
                threshold: x,
                rolling: x,
                mean: 0.0,
            };
            for i in 0..scores.len() {
                is_seam(i, level);
            }
            return thr;
        }
        Threshold::Adaptive(k) => k,
    };
    let mut seam = vec![false; scores.len()];
    let mut out: Vec<f32> = Vec::with_capacity(scores.len());
    for i in 0..scores.len() {
        let mut n = 0usize;
        let (mut sum, mut sum2) = (0f64, 0f64);
        for j in (0..i).rev() {
            if times[i] - times[j] > cfg.window_sec {
                break;
            }
            if seam[j] {
                continue; // a seam: not part of the "normal" level
            }
            let v = f64::from(scores[j]);
            n += 1;
            sum += v;
            sum2 += v * v;
        }
        let (mean, std) = if n >= MIN_HISTORY {
            let mean = sum / n as f64;
            (mean, (sum2 / n as f64 - mean * mean).max(0.0).sqrt())
        } else {
            warm_up(times, scores, i, cfg.window_sec)
        };
        let rolling = (mean + f64::from(k) * std) as f32;
        let thr = rolling.max(cfg.min_score);
        out.push(thr);
        let level = Level {
            threshold: thr,
            rolling,
            mean: mean as f32,
        };
        seam[i] = is_seam(i, level);
    }
    out
}

/// Mean and standard deviation for a step without enough history: the
/// scores within `window` seconds on both sides (itself left out), up to
/// their 80th percentile, so the cuts among them do not count.
fn warm_up(times: &[f64], scores: &[f32], i: usize, window: f64) -> (f64, f64) {
    let near: Vec<f32> = (0..scores.len())
        .filter(|&j| j != i && (times[j] - times[i]).abs() <= window)
        .map(|j| scores[j])
        .collect();
    if near.is_empty() {
        return (0.0, 0.0);
    }
    let mut sorted = near;
    sorted.sort_by(f32::total_cmp);
    let keep = &sorted[..(sorted.len() * 4).div_ceil(5).max(1)];
    let n = keep.len() as f64;
    let mean = keep.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
    let var = keep
        .iter()
        .map(|&v| (f64::from(v) - mean).powi(2))
        .sum::<f64>()
        / n;
    (mean, var.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(n: usize, f: impl Fn(usize) -> f32) -> (Vec<f64>, Vec<f32>) {
        (
            (0..n).map(|i| i as f64 * 0.5).collect(),
            (0..n).map(f).collect(),
        )
    }

    fn noise(i: usize) -> f32 {
        0.04 + 0.01 * ((i * 7919 % 13) as f32 / 13.0)
    }

    #[test]
    fn fixed_is_flat() {
        let (t, s) = series(5, noise);
        let cfg = SegmentConfig {
            threshold: Threshold::Fixed(0.7),
            ..SegmentConfig::default()
        };
        assert_eq!(thresholds(&t, &s, &cfg), vec![0.7; 5]);
    }

    #[test]
    fn a_step_crosses_and_noise_does_not() {
        let (t, s) = series(60, |i| if i == 30 { 0.9 } else { noise(i) });
        let thr = thresholds(&t, &s, &SegmentConfig::default());
        let crossing: Vec<usize> = (0..60).filter(|&i| s[i] > thr[i]).collect();
        assert_eq!(crossing, vec![30]);
    }

    #[test]
    fn the_threshold_rises_with_the_local_level_and_ignores_earlier_seams() {
        // Quiet, then busy footage (scores around 0.5), with cuts at 20 and 24.
        let (t, s) = series(60, |i| match i {
            20 | 24 => 1.4,
            i if i > 10 => 0.45 + 0.1 * ((i % 3) as f32),
            i => noise(i),
        });
        let cfg = SegmentConfig::default();
        let thr = thresholds(&t, &s, &cfg);
        assert!(thr[5] <= cfg.min_score + 1e-6, "quiet: the floor");
        assert!(thr[40] > 0.6, "busy: above the busy level ({})", thr[40]);
        let crossing: Vec<usize> = (0..60).filter(|&i| s[i] > thr[i]).collect();
        assert!(
            crossing.contains(&20) && crossing.contains(&24),
            "{crossing:?}"
        );
        assert!(!crossing.contains(&30), "{crossing:?}");
    }
}
