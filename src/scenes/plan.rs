//! From embedded, measured frames and seams to distinct scenes and the
//! frames that stand for them. Plain data in, plain data out.

use serde::Serialize;

use super::calibrate::{calibrate, quantile, Calibration};
use super::SceneConfig;
use crate::embed::l2_distance;
use crate::frame::FrameQuality;
use crate::segment::Seam;

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

/// Per-video counts of what scene sampling found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct SceneStats {
    /// Shots between seams that had candidate frames.
    pub shots: usize,
    /// Distinct scenes with a frame saved from this video.
    pub scenes: usize,
    /// Shots merged into a scene seen before (here or, with `--global`,
    /// in an earlier video).
    pub merged: usize,
    /// Shots rejected for having no structure (black, blank).
    pub rejected_flat: usize,
    /// Shots rejected because no frame reached the sharpness floor.
    pub rejected_blurred: usize,
    /// Frames saved beyond one per scene.
    pub extra_frames: usize,
    /// The merge threshold used.
    pub merge_threshold: f32,
    /// A shot's further frames were at least this far from every kept frame.
    pub novelty_threshold: f32,
    /// Where the merge threshold came from (`calibrated`, `within_only`,
    /// `fallback`, `given`).
    pub threshold_source: String,
    /// The sharpness floor used for this video.
    pub sharpness_floor: f32,
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
        .min(cfg.relative_sharpness * quantile(&s, 0.9))
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

impl Members {
    /// Adds frames while there is room, widening the radius.
    fn add<'v>(
        &mut self,
        frames: impl Iterator<Item = (usize, usize)>,
        vec_of: &dyn Fn(usize, usize) -> &'v [f32],
    ) {
        let anchor = vec_of(self.anchor.0, self.anchor.1);
        for (v, i) in frames.take(MEMBERS.saturating_sub(self.frames.len())) {
            self.radius = self.radius.max(l2_distance(anchor, vec_of(v, i)));
            self.frames.push((v, i));
        }
    }
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
    let mut fates: Vec<Vec<Fate>> = videos
        .iter()
        .map(|v| vec![Fate::Gated; v.frames.len()])
        .collect();
    let mut stats: Vec<SceneStats> = vec![SceneStats::default(); videos.len()];
    let mut shot_of: Vec<Vec<(f64, f64)>> = Vec::with_capacity(videos.len());
    let mut shots: Vec<Shot> = Vec::new();
    let mut spreads = Vec::new();
    let mut gaps = Vec::new();
    for (vi, v) in videos.iter().enumerate() {
        let floor = sharpness_floor(v.frames, cfg);
        stats[vi].sharpness_floor = floor;
        let in_transition = |t: f64| v.seams.iter().any(|s| s.from < t && t < s.to);
        let mut bounds: Vec<f64> = vec![v.span.0];
        bounds.extend(
            v.seams
                .iter()
                .map(|s| s.time)
                .filter(|&t| t > v.span.0 && t < v.span.1),
        );
        // A run of flat frames (black, blank) also ends a shot: nothing of
        // a scene is on screen there, even where the cut into or out of it
        // was too faint to find (a dark scene cut to black).
        let mut last_flat: Option<bool> = None;
        for f in v
            .frames
            .iter()
            .filter(|f| !f.gated && !in_transition(f.time))
        {
            let flat = f.quality.structure < cfg.min_structure;
            if last_flat.is_some_and(|l| l != flat) && f.time > v.span.0 && f.time < v.span.1 {
                bounds.push(f.time);
            }
            last_flat = Some(flat);
        }
        bounds.sort_by(|a, b| a.total_cmp(b));
        bounds.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
        bounds.push(v.span.1.max(v.span.0));
        let mut per_frame = vec![(v.span.0, v.span.1); v.frames.len()];
        let mut prev_rep: Option<usize> = None;
        let mut next = 0;
        for w in bounds.windows(2) {
            let (start, end) = (w[0], w[1]);
            let first = next;
            while next < v.frames.len() && (v.frames[next].time < end || w[1] == v.span.1) {
                next += 1;
            }
            let mut usable = Vec::new();
            let (mut structured, mut candidates) = (0, 0);
            for i in first..next {
                per_frame[i] = (start, end);
                let f = &v.frames[i];
                fates[vi][i] = if f.gated {
                    Fate::Gated
                } else if in_transition(f.time) {
                    Fate::Transition
                } else if f.quality.structure < cfg.min_structure {
                    candidates += 1;
                    Fate::Flat
                } else if f.quality.sharpness < floor {
                    candidates += 1;
                    structured += 1;
                    Fate::Blurred
                } else {
                    candidates += 1;
                    structured += 1;
                    usable.push(i);
                    continue;
                };
            }
            if candidates == 0 {
                continue;
            }
            stats[vi].shots += 1;
            if usable.is_empty() {
                if structured == 0 {
                    stats[vi].rejected_flat += 1;
                } else {
                    stats[vi].rejected_blurred += 1;
                }
                continue;
            }
            let m = medoid(v.frames, &usable);
            let dists: Vec<f32> = usable
                .iter()
                .map(|&i| l2_distance(&v.frames[i].vector, &v.frames[m].vector))
                .collect();
            let typical_max = quantile(&dists, 0.5);
            let rep = usable
                .iter()
                .zip(&dists)
                .filter(|(_, &d)| d <= typical_max)
                .map(|(&i, _)| i)
                .fold(None::<usize>, |best, i| match best {
                    Some(b) if v.frames[b].quality.score() >= v.frames[i].quality.score() => {
                        Some(b)
                    }
                    _ => Some(i),
                })
                .unwrap_or(m);
            let steps: Vec<f32> = usable
                .windows(2)
                .map(|w| l2_distance(&v.frames[w[0]].vector, &v.frames[w[1]].vector))
                .collect();
            if !steps.is_empty() {
                spreads.push(quantile(&steps, 0.9));
            }
            if let Some(p) = prev_rep {
                gaps.push(l2_distance(&v.frames[p].vector, &v.frames[rep].vector));
            }
            prev_rep = Some(rep);
            shots.push(Shot {
                video: vi,
                start,
                end,
                sharp: usable,
                rep,
            });
        }
        shot_of.push(per_frame);
    }
    let calibration = calibrate(&spreads, &gaps, cfg.merge_threshold);
    let (tau, novelty) = (calibration.threshold, calibration.novelty);
    for s in &mut stats {
        s.merge_threshold = tau;
        s.novelty_threshold = novelty;
        s.threshold_source = serde_json::to_value(calibration.source)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
    }

    // Kept frames: (video, frame, scene).
    let mut kept: Vec<(usize, usize, usize)> = Vec::new();
    // Per scene, a sample of the frames of the shots that showed it.
    let mut members: Vec<Members> = Vec::new();
    let mut scenes: Vec<Scene> = Vec::new();
    let vec_of = |v: usize, i: usize| videos[v].frames[i].vector.as_slice();
    let nearest = |kept: &[(usize, usize, usize)], x: &[f32]| {
        kept.iter()
            .map(|&(v, i, s)| (l2_distance(vec_of(v, i), x), s))
            .min_by(|a, b| a.0.total_cmp(&b.0))
    };
    for shot in &shots {
        let vi = shot.video;
        let occurrence = Occurrence {
            video: vi,
            start: shot.start,
            end: shot.end,
        };
        // The same scene when some frame of this shot lies within the merge
        // threshold of some frame of a shot that showed it (a repeated
        // clip is sampled at other instants, so its best frames need not
        // be close; two of its frames will be).
        let sig = signature(&shot.sharp);
        let rep = vec_of(vi, shot.rep);
        let reach = sig
            .iter()
            .map(|&j| l2_distance(rep, vec_of(vi, j)))
            .fold(0.0f32, f32::max);
        let repeat_of = members
            .iter()
            .enumerate()
            .filter(|(_, m)| {
                // Triangle inequality: no pair can be closer than this, so
                // most scenes are ruled out with one distance.
                let (av, ai) = m.anchor;
                l2_distance(rep, vec_of(av, ai)) - reach - m.radius <= tau
            })
            .map(|(s, m)| {
                let d = m
                    .frames
                    .iter()
                    .flat_map(|&(v, i)| sig.iter().map(move |&j| (v, i, j)))
                    .map(|(v, i, j)| l2_distance(vec_of(v, i), vec_of(vi, j)))
                    .fold(f32::INFINITY, f32::min);
                (d, s)
            })
            .min_by(|a, b| a.0.total_cmp(&b.0));
        let scene = match repeat_of {
            Some((d, s)) if d <= tau => {
                members[s].add(sig.iter().map(|&i| (vi, i)), &vec_of);
                stats[vi].merged += 1;
                scenes[s].occurrences.push(occurrence);
                let (bv, bi) = scenes[s].frames[0];
                let best_score = videos[bv].frames[bi].quality.score();
                if videos[vi].frames[shot.rep].quality.score() > best_score {
                    // This occurrence has the better picture: it becomes the
                    // scene's best frame, the old one a repeat.
                    scenes[s].frames[0] = (vi, shot.rep);
                    fates[bv][bi] = Fate::Repeat(s);
                    fates[vi][shot.rep] = Fate::Best(s);
                    if let Some(k) = kept.iter_mut().find(|k| (k.0, k.1) == (bv, bi)) {
                        *k = (vi, shot.rep, s);
                    }
                } else {
                    fates[vi][shot.rep] = Fate::Repeat(s);
                }
                s
            }
            _ => {
                let s = scenes.len();
                scenes.push(Scene {
                    index: s,
                    frames: vec![(vi, shot.rep)],
                    occurrences: vec![occurrence],
                });
                let mut m = Members {
                    anchor: (vi, shot.rep),
                    radius: 0.0,
                    frames: Vec::new(),
                };
                m.add(sig.iter().map(|&i| (vi, i)), &vec_of);
                members.push(m);
                kept.push((vi, shot.rep, s));
                fates[vi][shot.rep] = Fate::Best(s);
                s
            }
        };
        // More of this shot only where it shows something as new as
        // another scene would be.
        while scenes[scene].frames.len() < cfg.max_per_scene {
            let far = shot
                .sharp
                .iter()
                .filter(|&&i| fates[vi][i] != Fate::Best(scene))
                .filter_map(|&i| nearest(&kept, vec_of(vi, i)).map(|(d, _)| (i, d)))
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            match far {
                Some((i, d)) if d > novelty => {
                    scenes[scene].frames.push((vi, i));
                    kept.push((vi, i, scene));
                    fates[vi][i] = Fate::Extra(scene);
                }
                _ => break,
            }
        }
        for &i in &shot.sharp {
            if !fates[vi][i].saved() && fates[vi][i] != Fate::Repeat(scene) {
                fates[vi][i] = Fate::Similar(scene);
            }
        }
    }
    for (vi, s) in stats.iter_mut().enumerate() {
        let mut seen: Vec<usize> = fates[vi]
            .iter()
            .filter_map(|f| match f {
                Fate::Best(s) | Fate::Extra(s) => Some(*s),
                _ => None,
            })
            .collect();
        s.extra_frames = fates[vi]
            .iter()
            .filter(|f| matches!(f, Fate::Extra(_)))
            .count();
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
        Seam {
            time: t,
            step: 0,
            score: 1.0,
            from: t,
            to: t,
            kind: SeamKind::Cut,
        }
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
