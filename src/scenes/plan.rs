//! From embedded, measured frames and seams to distinct scenes and the
//! frames that stand for them. Plain data in, plain data out.

use serde::Serialize;

use super::calibrate::{calibrate, Calibration};
use super::SceneConfig;
use crate::embed::l2_distance;
use crate::frame::FrameQuality;
use crate::record::SceneStats;
use crate::segment::{in_transition, Seam};
use crate::sink::Decision;
use crate::stats::percentile;

/// Frames used to find a shot's medoid at most (evenly spaced): the
/// medoid costs the square of this.
const MEDOID_SAMPLE: usize = 256;

/// One candidate frame of a video, in time order.
#[derive(Debug, Clone, PartialEq)]
pub struct SceneFrame {
    /// Seconds from the start of the stream.
    pub time: f64,
    /// Its unit-length embedding.
    pub vector: Vec<f32>,
    /// How good a picture it is.
    pub quality: FrameQuality,
    /// A gate the user asked for dropped it.
    pub gated: bool,
}

/// One video's candidates and the seams found between them.
#[derive(Debug, Clone, Copy)]
pub struct VideoFrames<'a> {
    /// Candidates in time order.
    pub frames: &'a [SceneFrame],
    /// The seams (`segment::detect_seams`), in time order.
    pub seams: &'a [Seam],
    /// Where the video (or the time window) starts and ends, in seconds.
    pub span: (f64, f64),
}

/// What became of one candidate frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "fate", content = "scene")]
pub enum Fate {
    /// Saved as its scene's best frame.
    Best(usize),
    /// Saved as another frame of the scene: farther than the merge
    /// threshold from every other saved frame.
    Extra(usize),
    /// Inside a crossfade, fade or wipe: a blend of two pictures.
    Transition,
    /// No structure above the noise (black, blank, flat).
    Flat,
    /// Below the video's sharpness floor.
    Blurred,
    /// Its shot repeats a scene already saved (the scene's index).
    Repeat(usize),
    /// Another frame of a scene with a better saved frame.
    Similar(usize),
    /// Dropped by a gate the user asked for.
    Gated,
}

impl Fate {
    /// Whether the frame is saved.
    pub fn saved(self) -> bool {
        matches!(self, Fate::Best(_) | Fate::Extra(_))
    }

    /// The scene the frame belongs to, if any.
    pub fn scene(self) -> Option<usize> {
        match self {
            Fate::Best(s) | Fate::Extra(s) | Fate::Repeat(s) | Fate::Similar(s) => Some(s),
            _ => None,
        }
    }

    /// A saved frame's role, as written in the manifest.
    pub fn role(self) -> Option<&'static str> {
        match self {
            Fate::Best(_) => Some("best"),
            Fate::Extra(_) => Some("extra"),
            _ => None,
        }
    }

    /// The manifest's decision: saved, a duplicate of a saved scene, or
    /// left out by a rule or gate.
    pub fn decision(self) -> Decision {
        match self {
            Fate::Best(_) | Fate::Extra(_) => Decision::Saved,
            Fate::Repeat(_) | Fate::Similar(_) => Decision::Duplicate,
            _ => Decision::Gated,
        }
    }

    /// The reason a frame was not saved, as written in the manifest.
    pub fn reason(self) -> Option<&'static str> {
        Some(match self {
            Fate::Best(_) | Fate::Extra(_) => return None,
            Fate::Transition => "transition",
            Fate::Flat => "flat",
            Fate::Blurred => "blurred",
            Fate::Repeat(_) => "repeat",
            Fate::Similar(_) => "similar",
            Fate::Gated => "gated",
        })
    }
}

impl ScenePlan {
    /// Each scene's best frame as `(video, frame)`, the scenes shown
    /// longest (over all their occurrences) first; ties in order of
    /// appearance. What `select --method scenes` takes first.
    pub fn by_importance(&self) -> Vec<(usize, usize)> {
        let mut order: Vec<&Scene> = self.scenes.iter().collect();
        order.sort_by(|a, b| {
            b.duration()
                .total_cmp(&a.duration())
                .then(a.index.cmp(&b.index))
        });
        order.iter().map(|s| s.frames[0]).collect()
    }

    /// Whether frame `i` of video `v` failed the quality rules (flat or
    /// blurred).
    pub fn poor(&self, v: usize, i: usize) -> bool {
        matches!(self.fates[v][i], Fate::Flat | Fate::Blurred)
    }
}

/// A stretch of a video in which a scene is shown.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Occurrence {
    /// Which video (index into the plan's input).
    pub video: usize,
    /// Start, seconds.
    pub start: f64,
    /// End, seconds.
    pub end: f64,
}

/// One distinct scene.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scene {
    /// Its number, in order of first appearance (0-based).
    pub index: usize,
    /// Its saved frames as (video, frame index): the best first.
    pub frames: Vec<(usize, usize)>,
    /// Every stretch that shows it, in order.
    pub occurrences: Vec<Occurrence>,
}

impl Scene {
    /// Seconds shown, over all occurrences.
    pub fn duration(&self) -> f64 {
        self.occurrences.iter().map(|o| o.end - o.start).sum()
    }
}

/// The outcome for a set of videos.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenePlan {
    /// The merge threshold and what it came from.
    pub calibration: Calibration,
    /// Distinct scenes, in order of first appearance.
    pub scenes: Vec<Scene>,
    /// Per video, per frame: what became of it.
    pub fates: Vec<Vec<Fate>>,
    /// Per video: the counts.
    pub stats: Vec<SceneStats>,
    /// Per video, per frame: the shot `(start, end)` it belongs to.
    pub shots: Vec<Vec<(f64, f64)>>,
}

/// A shot that has sharp, structured frames.
struct Shot {
    video: usize,
    start: f64,
    end: f64,
    /// Indices of its sharp frames.
    sharp: Vec<usize>,
    /// The representative frame.
    rep: usize,
}

/// The sharpness floor of one video: the absolute floor, lowered for a
/// video that is soft throughout to a share of its own sharp frames (so a
/// low-resolution or soft-focus video keeps its scenes).
fn sharpness_floor(frames: &[SceneFrame], cfg: &SceneConfig) -> f32 {
    let s: Vec<f32> = frames
        .iter()
        .filter(|f| f.quality.structure >= cfg.min_structure)
        .map(|f| f.quality.sharpness)
        .collect();
    if s.is_empty() {
        return cfg.min_sharpness;
    }
    cfg.min_sharpness
        .min(cfg.relative_sharpness * percentile(&s, 0.9))
}

/// Frames of a shot compared when looking for repeats: at most this many,
/// evenly spaced (8 s at 2 fps; longer shots are sampled).
const SIGNATURE: usize = 16;

/// Frames kept per scene for finding its repeats (the first occurrences'
/// signatures, up to this many).
const MEMBERS: usize = 64;

/// The frames a scene is recognised by: an anchor, how far the others lie
/// from it, and the frames.
struct Members {
    anchor: (usize, usize),
    radius: f32,
    frames: Vec<(usize, usize)>,
}

/// An even sample of at most [`SIGNATURE`] of `idx`.
fn signature(idx: &[usize]) -> Vec<usize> {
    let step = idx.len().div_ceil(SIGNATURE).max(1);
    idx.iter().copied().step_by(step).collect()
}

/// The medoid of `idx` (frames of `frames`), from an even subsample.
fn medoid(frames: &[SceneFrame], idx: &[usize]) -> usize {
    let step = idx.len().div_ceil(MEDOID_SAMPLE).max(1);
    let sample: Vec<usize> = idx.iter().copied().step_by(step).collect();
    let mut best = (sample[0], f32::INFINITY);
    for &i in &sample {
        let total: f32 = sample
            .iter()
            .map(|&j| l2_distance(&frames[i].vector, &frames[j].vector))
            .sum();
        if total < best.1 {
            best = (i, total);
        }
    }
    best.0
}

/// Plans one set of videos (one video, or all with `--global`): shots from
/// the seams, each shot's best typical frame, repeats merged under a
/// threshold calibrated on the videos' own distances, extra frames where
/// a shot shows something as new as another scene.
pub fn plan(videos: &[VideoFrames<'_>], cfg: &SceneConfig) -> ScenePlan {
    let mut fates: Vec<Vec<Fate>> = Vec::with_capacity(videos.len());
    let mut stats: Vec<SceneStats> = Vec::with_capacity(videos.len());
    let mut shot_of = Vec::with_capacity(videos.len());
    let (mut shots, mut steps, mut gaps) = (Vec::new(), Vec::new(), Vec::new());
    for (vi, v) in videos.iter().enumerate() {
        let found = find_shots(vi, v, cfg);
        fates.push(found.fates);
        stats.push(found.stats);
        shot_of.push(found.shot_of);
        shots.extend(found.shots);
        steps.extend(found.steps);
        gaps.extend(found.gaps);
    }
    let calibration = calibrate(&steps, &gaps, cfg.merge_threshold);
    for s in &mut stats {
        s.merge_threshold = calibration.threshold;
        s.novelty_threshold = calibration.novelty;
        s.threshold_source = calibration.source;
    }
    let mut merger = Merger {
        videos,
        cfg,
        calibration,
        fates,
        scenes: Vec::new(),
        members: Vec::new(),
    };
    for shot in &shots {
        let merged = merger.place(shot);
        stats[shot.video].merged += usize::from(merged);
    }
    let Merger { fates, scenes, .. } = merger;
    for (s, f) in stats.iter_mut().zip(&fates) {
        let mut seen: Vec<usize> = f
            .iter()
            .filter(|x| x.saved())
            .filter_map(|x| x.scene())
            .collect();
        s.extra_frames = f.iter().filter(|x| matches!(x, Fate::Extra(_))).count();
        seen.sort_unstable();
        seen.dedup();
        s.scenes = seen.len();
    }
    ScenePlan {
        calibration,
        scenes,
        fates,
        stats,
        shots: shot_of,
    }
}

/// What [`find_shots`] finds in one video.
struct Found {
    /// Per frame: its fate so far (the rules' verdicts; usable frames are
    /// settled by the [`Merger`]).
    fates: Vec<Fate>,
    /// Per frame: the shot `(start, end)` it belongs to.
    shot_of: Vec<(f64, f64)>,
    stats: SceneStats,
    /// The shots with usable frames, in time order.
    shots: Vec<Shot>,
    /// Per such shot: the 90th percentile of its successor distances.
    steps: Vec<f32>,
    /// Between neighbouring such shots: their best frames' distance.
    gaps: Vec<f32>,
}

/// Where one video's shots start and end: its span, the seams, and every
/// change between flat and structured frames (a run of flat frames ends a
/// shot: nothing of a scene is on screen there, even where the cut into
/// or out of it was too faint to find, as a dark scene cut to black).
fn shot_bounds(v: &VideoFrames<'_>, open: &[bool], cfg: &SceneConfig) -> Vec<f64> {
    let inside = |t: f64| t > v.span.0 && t < v.span.1;
    let mut bounds: Vec<f64> = vec![v.span.0];
    bounds.extend(v.seams.iter().map(|s| s.time).filter(|&t| inside(t)));
    let mut last_flat: Option<bool> = None;
    for (f, _) in v.frames.iter().zip(open).filter(|(_, &o)| o) {
        let flat = f.quality.structure < cfg.min_structure;
        if last_flat.is_some_and(|l| l != flat) && inside(f.time) {
            bounds.push(f.time);
        }
        last_flat = Some(flat);
    }
    bounds.sort_by(f64::total_cmp);
    bounds.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
    bounds.push(v.span.1.max(v.span.0));
    bounds
}

/// Among `usable` (a shot's frames that pass the rules), the best typical
/// frame: the highest score among the half nearest the medoid (the
/// earliest on ties).
fn best_typical(frames: &[SceneFrame], usable: &[usize]) -> usize {
    let m = medoid(frames, usable);
    let dists: Vec<f32> = usable
        .iter()
        .map(|&i| l2_distance(&frames[i].vector, &frames[m].vector))
        .collect();
    let typical_max = percentile(&dists, 0.5);
    let mut best: Option<usize> = None;
    for (&i, &d) in usable.iter().zip(&dists) {
        let better = best.is_none_or(|b| frames[i].quality.score() > frames[b].quality.score());
        if d <= typical_max && better {
            best = Some(i);
        }
    }
    best.unwrap_or(m)
}

/// One video's shots, with the quality rules applied to every frame.
fn find_shots(vi: usize, v: &VideoFrames<'_>, cfg: &SceneConfig) -> Found {
    let floor = sharpness_floor(v.frames, cfg);
    // Candidates the rules look at: not gated, not inside a transition.
    let open: Vec<bool> = v
        .frames
        .iter()
        .map(|f| !f.gated && !in_transition(v.seams, f.time))
        .collect();
    let mut found = Found {
        fates: vec![Fate::Gated; v.frames.len()],
        shot_of: vec![v.span; v.frames.len()],
        stats: SceneStats {
            sharpness_floor: floor,
            ..SceneStats::default()
        },
        shots: Vec::new(),
        steps: Vec::new(),
        gaps: Vec::new(),
    };
    let bounds = shot_bounds(v, &open, cfg);
    let mut prev_rep: Option<usize> = None;
    let mut next = 0;
    for w in bounds.windows(2) {
        let (start, end) = (w[0], w[1]);
        let first = next;
        while next < v.frames.len() && (v.frames[next].time < end || end == v.span.1) {
            next += 1;
        }
        let mut usable = Vec::new();
        let (mut structured, mut candidates) = (0, 0);
        for (i, &is_open) in open.iter().enumerate().take(next).skip(first) {
            found.shot_of[i] = (start, end);
            let f = &v.frames[i];
            found.fates[i] = if f.gated {
                Fate::Gated
            } else if !is_open {
                Fate::Transition
            } else if f.quality.structure < cfg.min_structure {
                Fate::Flat
            } else if f.quality.sharpness < floor {
                Fate::Blurred
            } else {
                usable.push(i);
                Fate::Similar(usize::MAX) // settled by the merger
            };
            candidates += usize::from(is_open);
            structured += usize::from(is_open && f.quality.structure >= cfg.min_structure);
        }
        if candidates == 0 {
            continue;
        }
        found.stats.shots += 1;
        if usable.is_empty() {
            if structured == 0 {
                found.stats.rejected_flat += 1;
            } else {
                found.stats.rejected_blurred += 1;
            }
            continue;
        }
        let rep = best_typical(v.frames, &usable);
        let steps: Vec<f32> = usable
            .windows(2)
            .map(|w| l2_distance(&v.frames[w[0]].vector, &v.frames[w[1]].vector))
            .collect();
        if !steps.is_empty() {
            found.steps.push(percentile(&steps, 0.9));
        }
        if let Some(p) = prev_rep {
            found
                .gaps
                .push(l2_distance(&v.frames[p].vector, &v.frames[rep].vector));
        }
        prev_rep = Some(rep);
        found.shots.push(Shot {
            video: vi,
            start,
            end,
            sharp: usable,
            rep,
        });
    }
    found
}

/// Places shots into scenes, one after the other.
struct Merger<'a, 'v> {
    videos: &'a [VideoFrames<'v>],
    cfg: &'a SceneConfig,
    calibration: Calibration,
    fates: Vec<Vec<Fate>>,
    scenes: Vec<Scene>,
    /// Per scene, a sample of the frames of the shots that showed it.
    members: Vec<Members>,
}

impl Merger<'_, '_> {
    fn vec_of(&self, v: usize, i: usize) -> &[f32] {
        &self.videos[v].frames[i].vector
    }

    fn score(&self, (v, i): (usize, usize)) -> f32 {
        self.videos[v].frames[i].quality.score()
    }

    /// The scene `shot` repeats, if any: some frame of it lies within the
    /// merge threshold of some frame of a shot that showed the scene (a
    /// repeated clip is sampled at other instants, so its best frames need
    /// not be close; two of its frames will be).
    fn repeat_of(&self, shot: &Shot, sig: &[usize]) -> Option<usize> {
        let tau = self.calibration.threshold;
        let vi = shot.video;
        let rep = self.vec_of(vi, shot.rep);
        let reach = sig
            .iter()
            .map(|&j| l2_distance(rep, self.vec_of(vi, j)))
            .fold(0.0f32, f32::max);
        self.members
            .iter()
            .enumerate()
            .filter(|(_, m)| {
                // Triangle inequality: no pair can be closer than this, so
                // most scenes are ruled out with one distance.
                let (av, ai) = m.anchor;
                l2_distance(rep, self.vec_of(av, ai)) - reach - m.radius <= tau
            })
            .map(|(s, m)| {
                let d = m
                    .frames
                    .iter()
                    .flat_map(|&(v, i)| sig.iter().map(move |&j| (v, i, j)))
                    .map(|(v, i, j)| l2_distance(self.vec_of(v, i), self.vec_of(vi, j)))
                    .fold(f32::INFINITY, f32::min);
                (d, s)
            })
            .filter(|&(d, _)| d <= tau)
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, s)| s)
    }

    /// Distance from `x` to the nearest saved frame of any scene.
    fn nearest_saved(&self, x: &[f32]) -> f32 {
        self.scenes
            .iter()
            .flat_map(|s| &s.frames)
            .map(|&(v, i)| l2_distance(self.vec_of(v, i), x))
            .fold(f32::INFINITY, f32::min)
    }

    /// Adds `frames` to scene `s`'s members (within the bound).
    fn remember(&mut self, s: usize, frames: &[(usize, usize)]) {
        let mut m = std::mem::replace(
            &mut self.members[s],
            Members {
                anchor: (0, 0),
                radius: 0.0,
                frames: Vec::new(),
            },
        );
        let anchor = self.vec_of(m.anchor.0, m.anchor.1).to_vec();
        for &(v, i) in frames.iter().take(MEMBERS.saturating_sub(m.frames.len())) {
            m.radius = m.radius.max(l2_distance(&anchor, self.vec_of(v, i)));
            m.frames.push((v, i));
        }
        self.members[s] = m;
    }

    /// Places one shot: a repeat of a scene (keeping the better picture)
    /// or a new scene, then its extra frames; returns whether it was a
    /// repeat.
    fn place(&mut self, shot: &Shot) -> bool {
        let vi = shot.video;
        let sig: Vec<(usize, usize)> = signature(&shot.sharp)
            .into_iter()
            .map(|i| (vi, i))
            .collect();
        let sig_idx: Vec<usize> = sig.iter().map(|&(_, i)| i).collect();
        let occurrence = Occurrence {
            video: vi,
            start: shot.start,
            end: shot.end,
        };
        let repeat = self.repeat_of(shot, &sig_idx);
        let scene = match repeat {
            Some(s) => {
                self.remember(s, &sig);
                self.scenes[s].occurrences.push(occurrence);
                let (bv, bi) = self.scenes[s].frames[0];
                if self.score((vi, shot.rep)) > self.score((bv, bi)) {
                    // This occurrence has the better picture: it becomes the
                    // scene's best frame, the old one a repeat.
                    self.scenes[s].frames[0] = (vi, shot.rep);
                    self.fates[bv][bi] = Fate::Repeat(s);
                    self.fates[vi][shot.rep] = Fate::Best(s);
                } else {
                    self.fates[vi][shot.rep] = Fate::Repeat(s);
                }
                s
            }
            None => {
                let s = self.scenes.len();
                self.scenes.push(Scene {
                    index: s,
                    frames: vec![(vi, shot.rep)],
                    occurrences: vec![occurrence],
                });
                self.members.push(Members {
                    anchor: (vi, shot.rep),
                    radius: 0.0,
                    frames: Vec::new(),
                });
                self.remember(s, &sig);
                self.fates[vi][shot.rep] = Fate::Best(s);
                s
            }
        };
        // More of this shot only where it shows something as new as
        // another scene would be.
        while self.scenes[scene].frames.len() < self.cfg.max_per_scene {
            let far = shot
                .sharp
                .iter()
                .map(|&i| (i, self.nearest_saved(self.vec_of(vi, i))))
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            match far {
                Some((i, d)) if d > self.calibration.novelty => {
                    self.scenes[scene].frames.push((vi, i));
                    self.fates[vi][i] = Fate::Extra(scene);
                }
                _ => break,
            }
        }
        for &i in &shot.sharp {
            let f = &mut self.fates[vi][i];
            if !f.saved() && *f != Fate::Repeat(scene) {
                *f = Fate::Similar(scene);
            }
        }
        repeat.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::measure_quality;
    use crate::frame::quality::testing::{black, picture, stars};
    use crate::segment::SeamKind;

    /// A unit vector pointing mostly along axis `a`, nudged by `wiggle`.
    fn vector(a: usize, wiggle: f32) -> Vec<f32> {
        let mut v = vec![0.0f32; 8];
        v[a] = 1.0;
        v[(a + 1) % 8] = wiggle;
        crate::embed::l2_normalize(&mut v);
        v
    }

    fn cut(t: f64) -> Seam {
        Seam::cut(t, 0, 1.0)
    }

    /// Frames at 2 per second over `[start, end)` showing content `axis`,
    /// measured from `img`.
    fn shot(start: f64, end: f64, axis: usize, img: &crate::frame::RgbImage) -> Vec<SceneFrame> {
        let q = measure_quality(img);
        let n = ((end - start) * 2.0) as usize;
        (0..n)
            .map(|k| SceneFrame {
                time: start + k as f64 * 0.5,
                vector: vector(axis, 0.02 * (k % 3) as f32),
                quality: q,
                gated: false,
            })
            .collect()
    }

    fn run(frames: &[SceneFrame], cuts: &[f64], cfg: &SceneConfig) -> ScenePlan {
        let seams: Vec<Seam> = cuts.iter().map(|&t| cut(t)).collect();
        let end = frames.last().map_or(0.0, |f| f.time + 0.5);
        plan(
            &[VideoFrames {
                frames,
                seams: &seams,
                span: (0.0, end),
            }],
            cfg,
        )
    }

    fn saved(p: &ScenePlan) -> Vec<(usize, Fate)> {
        p.fates[0]
            .iter()
            .enumerate()
            .filter(|(_, f)| f.saved())
            .map(|(i, f)| (i, *f))
            .collect()
    }

    #[test]
    fn a_b_a_is_two_scenes_and_keeps_the_sharper_occurrence() {
        let soft = picture(0, 1.0, 0.0, 1, 2.0); // A, slightly soft
        let crisp = picture(0, 1.0, 0.0, 0, 2.0); // A again, crisp
        let b = picture(1, 1.0, 0.0, 0, 2.0);
        let mut frames = shot(0.0, 4.0, 0, &soft);
        frames.extend(shot(4.0, 8.0, 3, &b));
        frames.extend(shot(8.0, 12.0, 0, &crisp));
        let p = run(&frames, &[4.0, 8.0], &SceneConfig::default());
        assert_eq!(p.scenes.len(), 2, "{:?}", p.scenes);
        let a = &p.scenes[0];
        assert_eq!(a.occurrences.len(), 2, "both occurrences listed");
        let (_, best) = a.frames[0];
        assert!(
            frames[best].time >= 8.0,
            "the crisp occurrence wins: {best}"
        );
        assert_eq!(saved(&p).len(), 2);
        assert_eq!(p.stats[0].merged, 1);
        assert!((a.duration() - 8.0).abs() < 1e-9);
    }

    #[test]
    fn the_scene_shown_longest_over_all_occurrences_comes_first() {
        let img = picture(0, 1.0, 0.0, 0, 2.0);
        let mut frames = shot(0.0, 3.0, 0, &img); // A 3 s
        frames.extend(shot(3.0, 8.0, 3, &img)); // B 5 s
        frames.extend(shot(8.0, 11.0, 0, &img)); // A again: 6 s in all
        let p = run(&frames, &[3.0, 8.0], &SceneConfig::default());
        let order: Vec<usize> = p
            .by_importance()
            .iter()
            .map(|&(_, i)| p.fates[0][i].scene().unwrap())
            .collect();
        assert_eq!(order, [0, 1], "A (6 s over two occurrences) before B (5 s)");
        assert!(!p.poor(0, 0));
    }

    #[test]
    fn flat_and_noisy_black_shots_are_rejected_but_dark_structure_is_kept() {
        let mut frames = shot(0.0, 3.0, 0, &picture(2, 1.0, 0.0, 0, 2.0));
        frames.extend(shot(3.0, 6.0, 1, &black(0.0)));
        frames.extend(shot(6.0, 9.0, 2, &black(3.0)));
        frames.extend(shot(9.0, 12.0, 4, &stars(3.0)));
        frames.extend(shot(12.0, 15.0, 5, &picture(0, 0.15, 0.0, 0, 2.0)));
        let p = run(&frames, &[3.0, 6.0, 9.0, 12.0], &SceneConfig::default());
        assert_eq!(p.stats[0].rejected_flat, 2, "{:?}", p.stats[0]);
        let shots: Vec<f64> = saved(&p).iter().map(|&(i, _)| frames[i].time).collect();
        assert_eq!(p.scenes.len(), 3, "picture, stars, night: {shots:?}");
        assert!(shots.iter().all(|&t| !(3.0..9.0).contains(&t)), "{shots:?}");
    }

    #[test]
    fn a_scene_blurred_throughout_is_not_a_scene() {
        let mut frames = shot(0.0, 4.0, 0, &picture(0, 1.0, 0.0, 0, 2.0));
        frames.extend(shot(4.0, 8.0, 2, &picture(2, 1.0, 0.0, 8, 2.0)));
        frames.extend(shot(8.0, 12.0, 4, &picture(1, 1.0, 0.0, 0, 2.0)));
        let p = run(&frames, &[4.0, 8.0], &SceneConfig::default());
        assert_eq!(p.stats[0].rejected_blurred, 1, "{:?}", p.stats[0]);
        assert_eq!(p.scenes.len(), 2);
        assert!(saved(&p)
            .iter()
            .all(|&(i, _)| !(4.0..8.0).contains(&frames[i].time)));
    }

    #[test]
    fn the_best_frame_is_the_sharp_copy() {
        let soft = measure_quality(&picture(1, 1.0, 0.0, 2, 2.0));
        let crisp = measure_quality(&picture(1, 1.0, 0.0, 0, 2.0));
        let frames: Vec<SceneFrame> = (0..8)
            .map(|k| SceneFrame {
                time: k as f64 * 0.5,
                vector: vector(0, 0.01 * k as f32),
                quality: if k == 5 { crisp } else { soft },
                gated: false,
            })
            .collect();
        let p = run(&frames, &[], &SceneConfig::default());
        assert_eq!(saved(&p), vec![(5, Fate::Best(0))]);
    }

    #[test]
    fn a_shot_reaching_new_content_gets_more_frames_up_to_the_limit() {
        let img = picture(3, 1.0, 0.0, 0, 2.0);
        // A pan: the first half looks like axis 0, the second like axis 4.
        let mut frames = shot(0.0, 4.0, 0, &img);
        frames.extend(shot(4.0, 8.0, 4, &img));
        // Other shots, so the threshold is calibrated from real gaps.
        frames.extend(shot(8.0, 10.0, 2, &img));
        frames.extend(shot(10.0, 12.0, 6, &img));
        let cuts = [8.0, 10.0];
        let p = run(&frames, &cuts, &SceneConfig::default());
        assert_eq!(saved(&p).len(), 4, "{:?}", saved(&p));
        assert_eq!(p.stats[0].extra_frames, 1);
        let one = SceneConfig {
            max_per_scene: 1,
            ..SceneConfig::default()
        };
        assert_eq!(saved(&run(&frames, &cuts, &one)).len(), 3);
    }

    #[test]
    fn frames_inside_a_transition_are_never_chosen() {
        let img = picture(1, 1.0, 0.0, 0, 2.0);
        let mut frames = shot(0.0, 4.0, 0, &img);
        frames.extend(shot(4.0, 8.0, 2, &img));
        let fade = Seam {
            time: 4.0,
            step: 0,
            score: 1.0,
            from: 3.2,
            to: 4.8,
            kind: SeamKind::Gradual,
        };
        let p = plan(
            &[VideoFrames {
                frames: &frames,
                seams: &[fade],
                span: (0.0, 8.0),
            }],
            &SceneConfig::default(),
        );
        for (i, f) in frames.iter().enumerate() {
            if f.time > 3.2 && f.time < 4.8 {
                assert_eq!(p.fates[0][i], Fate::Transition, "{}", f.time);
            }
        }
        assert_eq!(p.scenes.len(), 2);
    }
}
