//! Seam detection: successor scores, their thresholds, and where each
//! seam falls (on the exact frame for hard cuts).

use serde::{Deserialize, Serialize};

use super::config::{SegmentConfig, Threshold};
use super::surveyor::knn_purity;
use super::threshold::{thresholds_with, Level};
use crate::embed::l2_distance;
use crate::frame::FrameChange;

/// What kind of boundary a seam is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeamKind {
    /// An abrupt change. Placed on the first frame of the new shot when
    /// every frame was decoded, else in the middle of its step.
    Cut,
    /// A change spread over several frames (a crossfade, a fast pan),
    /// placed in the middle of the steps it spans.
    Gradual,
}

/// One boundary between segments.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Seam {
    /// Where the new segment starts (seconds).
    pub time: f64,
    /// The step (index of the embedded frame before it) with the highest
    /// score in this seam.
    pub step: usize,
    /// That step's successor score.
    pub score: f32,
    /// Where the transition begins (seconds): `time` for a cut placed on
    /// its frame, the first raised step's frame for a gradual one.
    pub from: f64,
    /// Where it ends: `time` for a cut, the frame after the last raised
    /// step for a gradual one. Frames strictly between are mid-transition.
    pub to: f64,
    /// Cut or gradual.
    pub kind: SeamKind,
}

impl Seam {
    /// A hard cut at `time` (a transition of no length), after embedded
    /// frame `step`, with `score`.
    pub fn cut(time: f64, step: usize, score: f32) -> Seam {
        Seam {
            time,
            step,
            score,
            from: time,
            to: time,
            kind: SeamKind::Cut,
        }
    }
}

/// Scores, thresholds and seams of one video.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Detection {
    /// The embedded frames' times.
    pub times: Vec<f64>,
    /// `scores[i]`: distance of frame i's embedding to frame i+1's.
    pub scores: Vec<f32>,
    /// The threshold each score was compared with.
    pub thresholds: Vec<f32>,
    /// The seams, in time order.
    pub seams: Vec<Seam>,
}

impl Detection {
    /// Whether `t` lies strictly inside a seam's transition (a frame in
    /// the middle of a crossfade or fade: a blend of two pictures).
    pub fn in_transition(&self, t: f64) -> bool {
        in_transition(&self.seams, t)
    }
}

/// Whether `t` lies strictly inside one of `seams`' transitions.
pub fn in_transition(seams: &[Seam], t: f64) -> bool {
    seams.iter().any(|s| s.from < t && t < s.to)
}

/// L2 distance of each vector to the next one.
pub fn successor_scores<V: AsRef<[f32]>>(vectors: &[V]) -> Vec<f32> {
    vectors
        .windows(2)
        .map(|w| l2_distance(w[0].as_ref(), w[1].as_ref()))
        .collect()
}

/// Finds the seams of one video (see the module docs of `segment`).
pub fn detect_seams<V: AsRef<[f32]>>(
    times: &[f64],
    vectors: &[V],
    changes: &[FrameChange],
    cfg: &SegmentConfig,
) -> Detection {
    let n = times.len().min(vectors.len());
    let (times, vectors) = (&times[..n], &vectors[..n]);
    let scores = successor_scores(vectors);
    let have_changes = !changes.is_empty();
    // What each step is: a cut at a frame, a gradual crossing, or nothing.
    // Decided step by step as the thresholds are computed: only cuts (or,
    // without frame changes, every crossing) leave the rolling window, so
    // busy footage raises the threshold instead of hiding in seams.
    let mut marks: Vec<Option<Mark>> = vec![None; scores.len()];
    let thr = thresholds_with(times, &scores, cfg, &mut |i, level| {
        let thr = level.threshold;
        let (a, b) = (times[i], times[i + 1]);
        if scores[i] <= thr.min(cfg.min_score) {
            // Below the floor: only a quiet cut or a quiet dissolve, on a
            // step that stands out (see `stands_out`).
            if !stands_out(scores[i], level, cfg) {
                return false;
            }
            marks[i] = quiet_cut(changes, a, b, cfg)
                .map(Mark::Cut)
                .or_else(|| quiet_dissolve(changes, a, b, cfg).map(|(f, t)| Mark::Dissolve(f, t)));
            return marks[i].is_some();
        }
        match hard_cut(changes, a, b, cfg) {
            Some(at) => {
                marks[i] = Some(Mark::Cut(at));
                true
            }
            None if scores[i] > thr => {
                marks[i] = Some(Mark::Gradual);
                !have_changes
            }
            None if cfg.surveyor
                && knn_purity(times, vectors, i, cfg.survey_sec, cfg.knn) >= SURE_PURITY =>
            {
                marks[i] = Some(Mark::Gradual);
                false
            }
            None => false,
        }
    });
    let mut seams = Vec::new();
    let mut i = 0;
    let mut free_from = 0; // steps before this belong to an earlier seam
    while i < marks.len() {
        let Some(mark) = marks[i] else {
            i += 1;
            continue;
        };
        match mark {
            Mark::Cut(at) => {
                seams.push(Seam::cut(at, i, scores[i]));
                i += 1;
                free_from = i;
                continue;
            }
            Mark::Dissolve(from, to) => {
                seams.push(Seam {
                    time: (from + to) / 2.0,
                    step: i,
                    score: scores[i],
                    from,
                    to,
                    kind: SeamKind::Gradual,
                });
                i += 1;
                free_from = i;
                continue;
            }
            Mark::Gradual => {}
        }
        // A run of gradual steps: one seam in its middle, unless a cut
        // sits right beside it (then the run is that cut's aftermath).
        let mut j = i;
        while j + 1 < marks.len() && matches!(marks[j + 1], Some(Mark::Gradual)) {
            j += 1;
        }
        let beside_cut = (i > 0 && matches!(marks[i - 1], Some(Mark::Cut(_))))
            || matches!(marks.get(j + 1), Some(Some(Mark::Cut(_))));
        // The transition spans the unmarked raised steps around the run too
        // (a crossfade raises the threshold while it lasts).
        let raised = |k: usize| marks[k].is_none() && scores[k] > cfg.min_score;
        let (mut lo, mut hi) = (i, j);
        while lo > free_from && raised(lo - 1) {
            lo -= 1;
        }
        while hi + 1 < marks.len() && raised(hi + 1) {
            hi += 1;
        }
        // A real transition changes the picture: the frames on either side
        // of it are far apart (a pan's single jumpy step is not).
        let changed =
            l2_distance(vectors[lo].as_ref(), vectors[hi + 1].as_ref()) >= cfg.gradual_min_change;
        let supported = !cfg.surveyor
            || knn_purity(times, vectors, (lo + hi) / 2, cfg.survey_sec, cfg.knn) >= MIN_PURITY;
        if !beside_cut && changed && supported {
            let best = (lo..=hi)
                .max_by(|&x, &y| scores[x].total_cmp(&scores[y]))
                .unwrap_or(i);
            let single_unrefined = lo == hi && !have_changes;
            let (first, last) = if single_unrefined {
                (lo, hi)
            } else {
                widen(times, &scores, &marks, (lo, hi), free_from, cfg.window_sec)
            };
            seams.push(Seam {
                time: (times[lo] + times[hi + 1]) / 2.0,
                step: best,
                score: scores[best],
                from: times[first],
                to: times[last + 1],
                kind: if single_unrefined {
                    SeamKind::Cut
                } else {
                    SeamKind::Gradual
                },
            });
        }
        free_from = hi + 1;
        i = hi + 1;
    }
    if let Some(seam) = final_cut(times, changes, &seams, cfg) {
        seams.push(seam);
    }
    Detection {
        times: times.to_vec(),
        scores,
        thresholds: thr,
        seams,
    }
}

/// A cut into a final shot too short to hold an embedded frame of its own
/// (0.3 s at 2 fps): no successor score covers its step, so only the luma
/// jump can show it. It counts when it stands out as `hard_cut` requires,
/// and, with no embedding to confirm it, is at least twice the smallest
/// cut change.
fn final_cut(
    times: &[f64],
    changes: &[FrameChange],
    seams: &[Seam],
    cfg: &SegmentConfig,
) -> Option<Seam> {
    let &last = times.last()?;
    let at = hard_cut(changes, last, f64::INFINITY, cfg)?;
    let jump = changes.iter().find(|c| c.time == at)?.change;
    if jump < 2.0 * cfg.cut_min_change || seams.last().is_some_and(|s| s.to >= at) {
        return None;
    }
    Some(Seam::cut(at, times.len() - 1, jump))
}

/// How far a gradual transition reaches: its steps `run`, widened by the
/// unmarked steps on either side that still stand clearly above the calm
/// scores within `reach` seconds there (a crossfade's first and last steps
/// change the picture less than its middle, but more than the shots do).
fn widen(
    times: &[f64],
    scores: &[f32],
    marks: &[Option<Mark>],
    (mut lo, mut hi): (usize, usize),
    free_from: usize,
    reach: f64,
) -> (usize, usize) {
    let bar = |range: std::ops::Range<usize>| {
        let mut calm: Vec<f32> = range
            .filter(|&k| marks[k].is_none())
            .map(|k| scores[k])
            .collect();
        let level = median(&mut calm);
        (1.5 * level).max(level + CALM_MARGIN)
    };
    let before = bar(times.partition_point(|&t| t < times[lo] - reach)..lo);
    while lo > free_from && marks[lo - 1].is_none() && scores[lo - 1] > before {
        lo -= 1;
    }
    let after_end = times.partition_point(|&t| t <= times[hi + 1] + reach);
    let after = bar(hi + 1..after_end.min(scores.len()));
    while hi + 1 < scores.len() && marks[hi + 1].is_none() && scores[hi + 1] > after {
        hi += 1;
    }
    (lo, hi)
}

/// What a step of the successor scores was found to be.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Mark {
    /// A hard cut on the frame at this time.
    Cut(f64),
    /// Part of a gradual transition, placed when its run is complete.
    Gradual,
    /// A dissolve the luma grid located, from and to these times.
    Dissolve(f64, f64),
}

/// A transition step stands at least this far above the calm scores.
const CALM_MARGIN: f32 = 0.05;

/// The surveyor accepts a weak seam when the frames around it separate
/// into the two sides this well…
const SURE_PURITY: f32 = 0.95;
/// …and drops a gradual one that separates worse than this.
const MIN_PURITY: f32 = 0.6;

/// Whether a step under `min_score` stands out against the video's own
/// level, as a quiet cut's or quiet dissolve's step must: the score crosses
/// the rolling threshold (mean + K·std, before the floor) and is at least
/// [`QUIET_MEAN_RATIO`] times the rolling mean. With a fixed threshold,
/// never (it means what it says).
fn stands_out(score: f32, level: Level, cfg: &SegmentConfig) -> bool {
    matches!(cfg.threshold, Threshold::Adaptive(_))
        && score > level.rolling
        && score >= QUIET_MEAN_RATIO * level.mean
}

/// A cut between two pictures the embedding finds alike (two similar
/// textures, the same set from another angle): its step stays under
/// `min_score`, which is there to keep noise and motion from making
/// seams, yet the frame's luma jumps. On a step that [`stands_out`], one
/// frame's luma jump [`QUIET_JUMP_FACTOR`] times as far above the typical
/// change as a cut's must be, isolated, and at least `cut_min_change`.
/// Without frame changes, never.
fn quiet_cut(changes: &[FrameChange], a: f64, b: f64, cfg: &SegmentConfig) -> Option<f64> {
    hard_cut_by(changes, a, b, cfg, QUIET_JUMP_FACTOR * cfg.cut_ratio)
}

/// A quiet cut's score is at least this many times the rolling mean…
const QUIET_MEAN_RATIO: f32 = 2.0;
/// …and its luma jump this many times `cut_ratio` above the typical
/// change (a cut the embedding confirms needs `cut_ratio`).
const QUIET_JUMP_FACTOR: f32 = 2.0;

/// A dissolve between two pictures the embedding finds alike (a short
/// crossfade between similar textures): its step stays under `min_score`
/// and must [`stand out`](stands_out) as a quiet cut's does. What the luma
/// grid must show instead of one frame's jump: a frame in the step whose
/// [`FrameChange::drift`] over the last half second
/// - went steadily one way: drift ≥ [`STRAIGHTNESS`] × the path (the sum
///   of the per-frame changes over the same frames) — a dissolve moves each
///   cell from one picture's value to the other's, noise and motion wander;
/// - is spread over frames, not one jump: no single change in the window
///   above drift / [`MIN_SPREAD`] (that would be a cut, which `quiet_cut`
///   judges);
/// - changed the picture as much as a cut must: ≥ `cut_min_change`;
/// - stands out as a quiet cut's jump must: [`QUIET_JUMP_FACTOR`] ×
///   `cut_ratio` times the typical drift in the second before the window
///   and in the second after it, each (a pan or zoom drifts steadily too,
///   but goes on drifting on at least one side: measured on SmolCat, a pan
///   starting from a still camera is as straight as a dissolve).
///
/// Returns where the dissolve begins and ends ([`dissolve_extent`]).
/// Without frame changes, never.
fn quiet_dissolve(
    changes: &[FrameChange],
    a: f64,
    b: f64,
    cfg: &SegmentConfig,
) -> Option<(f64, f64)> {
    let top_i = largest_in_step(changes, a, b, |c| c.drift)?;
    let top = changes[top_i];
    if top.drift < cfg.cut_min_change {
        return None;
    }
    // The frames whose changes make up the drift.
    let n = usize::from(top.drift_frames);
    if n == 0 || n > top_i + 1 {
        return None;
    }
    let window = top_i + 1 - n..top_i + 1;
    let in_window = &changes[window.clone()];
    let path: f32 = in_window.iter().map(|c| c.change).sum();
    let biggest = in_window.iter().map(|c| c.change).fold(0f32, f32::max);
    if top.drift < STRAIGHTNESS * path || biggest * MIN_SPREAD > top.drift {
        return None;
    }
    // The second before the window and the second after it, each on its
    // own: a pan or zoom that starts (or stops) drifts steadily on one side
    // and goes on drifting there; a dissolve is calm on both.
    let before =
        changes.partition_point(|c| c.time < changes[window.start].time - 1.0)..window.start;
    let after = window.end..changes.partition_point(|c| c.time <= top.time + 1.0);
    let median_of = |range: std::ops::Range<usize>, f: fn(&FrameChange) -> f32| {
        let mut v: Vec<f32> = changes[range].iter().map(f).collect();
        median(&mut v)
    };
    let typical = median_of(before.clone(), |c| c.drift)
        .max(median_of(after.clone(), |c| c.drift))
        .max(0.002);
    if top.drift < QUIET_JUMP_FACTOR * cfg.cut_ratio * typical {
        return None;
    }
    // A calm frame's change: the typical change on both sides together.
    let calm = {
        let mut v: Vec<f32> = changes[before]
            .iter()
            .chain(&changes[after])
            .map(|c| c.change)
            .collect();
        median(&mut v).max(1e-4)
    };
    Some(dissolve_extent(changes, window, CALM_CHANGE_FACTOR * calm))
}

/// Where a dissolve whose drift spans `window` begins and ends: the frames
/// of the window that change more than `bar` (its ends may be calm), widened
/// by up to a window's length over the changing frames beside it (a
/// dissolve's first and last frames); from the last frame of the old picture
/// to the first of the new.
fn dissolve_extent(
    changes: &[FrameChange],
    window: std::ops::Range<usize>,
    bar: f32,
) -> (f64, f64) {
    let changing = |k: usize| changes[k].change > bar;
    let (mut first, mut last) = (window.start, window.end - 1);
    while first < last && !changing(first) {
        first += 1;
    }
    while last > first && !changing(last) {
        last -= 1;
    }
    let reach = window.len();
    let lowest = window.start.saturating_sub(reach);
    while first > lowest && changing(first - 1) {
        first -= 1;
    }
    let highest = (window.end - 1 + reach).min(changes.len() - 1);
    while last < highest && changing(last + 1) {
        last += 1;
    }
    (changes[first.saturating_sub(1)].time, changes[last].time)
}

/// The index of the frame in the step `(a, b]` with the largest `value`.
fn largest_in_step(
    changes: &[FrameChange],
    a: f64,
    b: f64,
    value: impl Fn(&FrameChange) -> f32,
) -> Option<usize> {
    let lo = changes.partition_point(|c| c.time <= a);
    let hi = changes.partition_point(|c| c.time <= b);
    (lo..hi).max_by(|&x, &y| value(&changes[x]).total_cmp(&value(&changes[y])))
}

/// A dissolve's drift is at least this share of its path.
const STRAIGHTNESS: f32 = 0.7;
/// No single frame holds more than 1 / this of a dissolve's drift.
const MIN_SPREAD: f32 = 3.0;
/// A dissolve's edge frames change more than this many times the calm
/// frames' typical change.
const CALM_CHANGE_FACTOR: f32 = 1.5;

/// The time of a hard cut inside the step `(a, b]`: one decoded frame
/// whose luma change stands alone: `cut_ratio` times the typical change
/// in the second around the step, and twice the change of the frames just
/// before and after it (a flash or a pan changes on several frames).
fn hard_cut(changes: &[FrameChange], a: f64, b: f64, cfg: &SegmentConfig) -> Option<f64> {
    hard_cut_by(changes, a, b, cfg, cfg.cut_ratio)
}

/// [`hard_cut`] with the jump `ratio` times the typical change.
fn hard_cut_by(
    changes: &[FrameChange],
    a: f64,
    b: f64,
    cfg: &SegmentConfig,
    ratio: f32,
) -> Option<f64> {
    let top_i = largest_in_step(changes, a, b, |c| c.change)?;
    let top = &changes[top_i];
    if top.change < cfg.cut_min_change {
        return None;
    }
    let neighbour = [top_i.checked_sub(1), Some(top_i + 1)]
        .into_iter()
        .flatten()
        .filter_map(|k| changes.get(k))
        .map(|c| c.change)
        .fold(0f32, f32::max);
    let from = changes.partition_point(|c| c.time < a - 1.0);
    let to = changes.partition_point(|c| c.time <= b + 1.0);
    let mut others: Vec<f32> = (from..to)
        .filter(|&k| k != top_i)
        .map(|k| changes[k].change)
        .collect();
    let typical = median(&mut others).max(0.002);
    (top.change >= ratio * typical && top.change >= ISOLATION * neighbour).then_some(top.time)
}

/// A cut's jump is at least this many times its neighbours' changes.
const ISOLATION: f32 = 2.0;

fn median(v: &mut [f32]) -> f32 {
    if v.is_empty() {
        return 0.0;
    }
    let mid = v.len() / 2;
    v.select_nth_unstable_by(mid, f32::total_cmp);
    v[mid]
}

#[cfg(test)]
pub(crate) mod testing {
    //! Constructed frame changes for seam tests.
    use crate::frame::FrameChange;

    /// Decoded frames at 25 fps until `until` s, changing by `level`, with
    /// one jump of 0.2 at `jump_at`.
    pub fn changes(until: f64, level: f32, jump_at: Option<f64>) -> Vec<FrameChange> {
        (1..(until * 25.0) as usize)
            .map(|k| {
                let time = k as f64 / 25.0;
                let jump = jump_at.is_some_and(|t| (time - t).abs() < 1e-9);
                FrameChange {
                    time,
                    change: if jump { 0.2 } else { level },
                    drift: 0.0,
                    drift_frames: 0,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::testing::changes;
    use super::*;

    /// Frames at 2 fps whose embedding is scene A before `cut` and scene B
    /// after, with a little noise.
    fn two_scenes(n: usize, cut: usize) -> (Vec<f64>, Vec<Vec<f32>>) {
        let times = (0..n).map(|i| i as f64 * 0.5).collect();
        let vectors = (0..n)
            .map(|i| {
                let wobble = 0.02 * ((i * 31 % 7) as f32 / 7.0);
                if i < cut {
                    vec![1.0, wobble, 0.0]
                } else {
                    vec![wobble, 0.0, 1.0]
                }
            })
            .collect();
        (times, vectors)
    }

    #[test]
    fn a_step_gives_one_seam_in_its_step() {
        let (t, v) = two_scenes(40, 20);
        let d = detect_seams(&t, &v, &[], &SegmentConfig::default());
        assert_eq!(d.seams.len(), 1, "{:?}", d.seams);
        let s = d.seams[0];
        assert_eq!(s.step, 19);
        assert!(s.time > t[19] && s.time <= t[20]);
        assert_eq!(d.scores.len(), 39);
    }

    #[test]
    fn noise_under_the_threshold_gives_none() {
        let (t, v) = two_scenes(40, 40);
        let d = detect_seams(&t, &v, &[], &SegmentConfig::default());
        assert!(d.seams.is_empty(), "{:?}", d.seams);
    }

    #[test]
    fn frame_changes_put_the_cut_on_its_frame() {
        let (t, v) = two_scenes(40, 20);
        let ch = changes(20.0, 0.005, Some(9.76));
        let d = detect_seams(&t, &v, &ch, &SegmentConfig::default());
        assert_eq!(d.seams.len(), 1);
        assert_eq!(d.seams[0].kind, SeamKind::Cut);
        assert!((d.seams[0].time - 9.76).abs() < 1e-9, "{:?}", d.seams);
    }

    #[test]
    fn a_cut_into_a_final_shot_shorter_than_the_embedding_step_is_found() {
        // Embedded frames up to 9.5 s; a cut at 9.8 s, the video ends at 10.1 s.
        let (t, v) = two_scenes(20, 20);
        let ch = changes(10.1, 0.005, Some(9.8));
        let d = detect_seams(&t, &v, &ch, &SegmentConfig::default());
        assert_eq!(d.seams.len(), 1, "{:?}", d.seams);
        assert!((d.seams[0].time - 9.8).abs() < 1e-9, "{:?}", d.seams);
        // Without the jump, nothing.
        let d = detect_seams(
            &t,
            &v,
            &changes(10.1, 0.005, None),
            &SegmentConfig::default(),
        );
        assert!(d.seams.is_empty(), "{:?}", d.seams);
    }

    #[test]
    fn a_gradual_change_is_one_seam_in_the_middle() {
        // A crossfade over frames 20..=22 (1.5 s).
        let n = 44;
        let times: Vec<f64> = (0..n).map(|i| i as f64 * 0.5).collect();
        let vectors: Vec<Vec<f32>> = (0..n)
            .map(|i| {
                let w = ((i as f32 - 19.0) / 4.0).clamp(0.0, 1.0);
                let mut v = vec![1.0 - w, 0.0, w];
                crate::embed::l2_normalize(&mut v);
                v
            })
            .collect();
        let ch = changes(22.0, 0.01, None); // no single jump
        let d = detect_seams(&times, &vectors, &ch, &SegmentConfig::default());
        assert_eq!(d.seams.len(), 1, "{:?}", d.seams);
        assert_eq!(d.seams[0].kind, SeamKind::Gradual);
        assert!(
            d.seams[0].time > 9.5 && d.seams[0].time < 11.5,
            "{:?}",
            d.seams
        );
    }

    #[test]
    fn a_crossfade_spans_its_gentle_first_and_last_steps() {
        // Busy footage (steps of 0.1) with a crossfade from 10 s to 12 s
        // at 4 fps whose first and last steps add only a little.
        let n = 88;
        let times: Vec<f64> = (0..n).map(|i| i as f64 * 0.25).collect();
        let mut a = 0f32;
        let vectors: Vec<Vec<f32>> = times
            .iter()
            .map(|&t| {
                a += 0.1;
                let w = (((t - 10.0) / 2.0).clamp(0.0, 1.0) as f32 * std::f32::consts::PI)
                    .cos()
                    .mul_add(-0.5, 0.5); // slow at both ends
                let mut v = vec![(1.0 - w) * a.cos(), (1.0 - w) * a.sin(), w];
                crate::embed::l2_normalize(&mut v);
                v
            })
            .collect();
        let d = detect_seams(
            &times,
            &vectors,
            &changes(22.0, 0.01, None),
            &SegmentConfig::default(),
        );
        assert_eq!(d.seams.len(), 1, "{:?}", d.seams);
        let s = d.seams[0];
        assert!(s.from <= 10.25 && s.to >= 11.75, "the whole fade: {s:?}");
        assert!(
            s.from >= 9.5 && s.to <= 12.5,
            "not the shots around it: {s:?}"
        );
        assert!(d.in_transition(11.0) && !d.in_transition(9.0) && !d.in_transition(13.0));
    }

    #[test]
    fn a_weak_step_with_a_clean_jump_is_a_cut_but_motion_is_not() {
        // Busy footage (scores ~0.5) where one step is a cut of 0.6.
        let n = 40;
        let times: Vec<f64> = (0..n).map(|i| i as f64 * 0.5).collect();
        // Angles grow by 0.4 and 0.6 rad in turn (scores 0.40 / 0.59),
        // plus 0.15 rad more at the cut (score 0.73, under mean + 3·std).
        let mut a = 0f32;
        let vectors: Vec<Vec<f32>> = (0..n)
            .map(|i| {
                if i > 0 {
                    a += if i % 2 == 0 { 0.4 } else { 0.6 };
                }
                if i == 20 {
                    a += 0.15;
                }
                vec![a.cos(), a.sin(), 0.0]
            })
            .collect();
        let cfg = SegmentConfig::default();
        let jump = changes(20.0, 0.01, Some(9.8));
        let d = detect_seams(&times, &vectors, &jump, &cfg);
        assert_eq!(d.seams.len(), 1, "{:?}", d.seams);
        assert!((d.seams[0].time - 9.8).abs() < 1e-9);
        let smooth = changes(20.0, 0.01, None);
        let d = detect_seams(&times, &vectors, &smooth, &cfg);
        assert!(d.seams.is_empty(), "{:?}", d.seams);
    }

    /// Two similar pictures joined by a cut: scores ~0.03, the cut's step
    /// 0.09 (three times the calm level, far under `min_score`).
    fn similar_scenes() -> (Vec<f64>, Vec<Vec<f32>>) {
        let n = 40;
        let times: Vec<f64> = (0..n).map(|i| i as f64 * 0.5).collect();
        let mut a = 0f32;
        let vectors = (0..n)
            .map(|i| {
                if i > 0 {
                    a += if i == 20 {
                        0.09
                    } else {
                        0.025 + 0.01 * ((i % 3) as f32 / 3.0)
                    };
                }
                vec![a.cos(), a.sin(), 0.0]
            })
            .collect();
        (times, vectors)
    }

    #[test]
    fn a_quiet_cut_needs_the_embedding_and_a_clean_luma_jump_to_agree() {
        let (t, v) = similar_scenes();
        let cfg = SegmentConfig::default();
        // The frame's luma jumps at 9.8 s (0.2 against 0.004 around it).
        let jump = changes(20.0, 0.004, Some(9.8));
        let d = detect_seams(&t, &v, &jump, &cfg);
        assert_eq!(d.seams.len(), 1, "{:?}", d.seams);
        assert_eq!(d.seams[0].kind, SeamKind::Cut);
        assert!((d.seams[0].time - 9.8).abs() < 1e-9);
        // No luma jump: the weak step alone is not a seam.
        let d = detect_seams(&t, &v, &changes(20.0, 0.004, None), &cfg);
        assert!(d.seams.is_empty(), "{:?}", d.seams);
        // A jump only 10x the typical change (a cut the embedding confirms
        // needs 3x; a quiet one 6x) still counts; one 5x does not.
        let d = detect_seams(&t, &v, &changes(20.0, 0.02, Some(9.8)), &cfg);
        assert_eq!(d.seams.len(), 1, "{:?}", d.seams);
        let d = detect_seams(&t, &v, &changes(20.0, 0.04, Some(9.8)), &cfg);
        assert!(d.seams.is_empty(), "{:?}", d.seams);
        // A fixed threshold means what it says.
        let fixed = SegmentConfig {
            threshold: Threshold::Fixed(0.25),
            ..SegmentConfig::default()
        };
        assert!(detect_seams(&t, &v, &jump, &fixed).seams.is_empty());
        // A jump on a step the embedding does not raise is not a cut.
        let (t2, v2) = two_scenes(40, 40);
        assert!(detect_seams(&t2, &v2, &jump, &cfg).seams.is_empty());
    }

    /// Luma changes of 20 s at 25 fps through the real trace: grids that
    /// flicker by a level, and over frames `from..to` move steadily by
    /// `step` levels a frame (in a checker pattern of cells: a dissolve
    /// raises some cells and lowers others); with `keep_moving` they go on
    /// moving after `to` (a pan that starts).
    fn traced(from: usize, to: usize, step: i32, keep_moving: bool) -> Vec<FrameChange> {
        use crate::frame::{LumaGrid, LumaTrace, LUMA_GRID};
        let mut trace = LumaTrace::new(25.0);
        let mut offset = 0i32;
        (0..500usize)
            .map(|k| {
                if (from..to).contains(&k) || (keep_moving && k >= to) {
                    offset += step;
                }
                let flicker = (k % 2) as i32;
                let mut cells = [0u8; LUMA_GRID * LUMA_GRID];
                for (c, v) in cells.iter_mut().enumerate() {
                    let sign = if (c / LUMA_GRID + c).is_multiple_of(2) {
                        1
                    } else {
                        -1
                    };
                    let level = 128 + flicker + sign * (offset % 120);
                    *v = level.clamp(0, 255) as u8;
                }
                trace.push(k as f64 / 25.0, LumaGrid(cells))
            })
            .collect()
    }

    #[test]
    fn a_quiet_dissolve_is_a_steady_luma_drift_on_a_raised_step_calm_on_both_sides() {
        let (t, v) = similar_scenes();
        let cfg = SegmentConfig::default();
        // 12 frames (0.48 s) from 9.52 s, 3 levels a frame: 36 levels.
        let dissolve = traced(238, 250, 3, false);
        let d = detect_seams(&t, &v, &dissolve, &cfg);
        assert_eq!(d.seams.len(), 1, "{:?}", d.seams);
        let s = d.seams[0];
        assert_eq!(s.kind, SeamKind::Gradual);
        assert!(s.from <= 9.52 && s.to >= 9.96 && s.to < 10.1, "{s:?}");
        assert!((s.time - 9.74).abs() < 0.05, "{s:?}");
        // The same drift that goes on (a pan starting): no seam.
        let pan = traced(238, 250, 3, true);
        assert!(detect_seams(&t, &v, &pan, &cfg).seams.is_empty());
        // Too little change in all (12 levels; a cut must change 0.05): no
        // seam.
        let faint = traced(238, 250, 1, false);
        assert!(detect_seams(&t, &v, &faint, &cfg).seams.is_empty());
        // A step the embedding does not raise: no seam.
        let (t2, v2) = two_scenes(40, 40);
        assert!(detect_seams(&t2, &v2, &dissolve, &cfg).seams.is_empty());
    }
}
