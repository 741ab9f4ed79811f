//! Segmentation's text outputs in a video's folder: `segments.jsonl`,
//! `segments.csv`, `scores.csv` (per embedded frame: successor score,
//! threshold, seam), `cuts.json` and `cuts.csv` (the seams as a plain
//! scene-cut list, like PySceneDetect's). Each written atomically.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::output::write_atomic;
use crate::segment::{Detection, SeamKind, Segment};

/// File names.
pub const SEGMENTS_JSONL: &str = "segments.jsonl";
/// One row per segment.
pub const SEGMENTS_CSV: &str = "segments.csv";
/// One row per embedded frame.
pub const SCORES_CSV: &str = "scores.csv";
/// `{"video": …, "cuts": [seconds…], "kinds": […]}`.
pub const CUTS_JSON: &str = "cuts.json";
/// One row per cut.
pub const CUTS_CSV: &str = "cuts.csv";

/// A written keyframe: its time and file (relative to the video folder).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyframeFile {
    /// Seconds.
    pub time: f64,
    /// Relative path of the image, if it was written.
    pub path: Option<String>,
}

/// One line of `segments.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentRecord {
    /// The input video.
    pub video: String,
    /// Position from 0.
    pub index: usize,
    /// Start, seconds.
    pub start: f64,
    /// End, seconds.
    pub end: f64,
    /// `end - start`.
    pub duration: f64,
    /// Embedded frames inside.
    pub frames: usize,
    /// Mean successor score inside.
    pub mean_score: f32,
    /// Keyframes, medoid first.
    pub keyframes: Vec<KeyframeFile>,
    /// The clip file, relative to the video folder, if one was cut.
    pub clip: Option<String>,
    /// Where the clip really starts (a stream copy starts at the key frame
    /// at or before `start`).
    pub clip_start: Option<f64>,
}

impl SegmentRecord {
    /// The record of `seg`, with `times` the detection's frame times.
    pub fn new(video: &str, seg: &Segment, times: &[f64]) -> SegmentRecord {
        SegmentRecord {
            video: video.to_string(),
            index: seg.index,
            start: round6(seg.start),
            end: round6(seg.end),
            duration: round6(seg.duration()),
            frames: seg.frames.len(),
            mean_score: seg.mean_score,
            keyframes: seg
                .keyframes
                .iter()
                .filter_map(|&k| times.get(k))
                .map(|&time| KeyframeFile { time, path: None })
                .collect(),
            clip: None,
            clip_start: None,
        }
    }
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn write(dir: &Path, name: &str, text: &str) -> Result<()> {
    let path = dir.join(name);
    write_atomic(&path, text.as_bytes()).map_err(|e| Error::io(path, "cannot write", e))
}

/// Writes `segments.jsonl` and `segments.csv`.
pub fn write_segments(dir: &Path, records: &[SegmentRecord]) -> Result<()> {
    let mut jsonl = String::new();
    let mut csv = String::from("index,start,end,duration,frames,mean_score,keyframe_times,clip\n");
    for r in records {
        let line = serde_json::to_string(r).map_err(|e| Error::Encode {
            path: dir.join(SEGMENTS_JSONL),
            reason: e.to_string(),
        })?;
        jsonl.push_str(&line);
        jsonl.push('\n');
        let times: Vec<String> = r
            .keyframes
            .iter()
            .map(|k| format!("{:.3}", k.time))
            .collect();
        let _ = writeln!(
            csv,
            "{},{:.3},{:.3},{:.3},{},{:.4},{},{}",
            r.index,
            r.start,
            r.end,
            r.duration,
            r.frames,
            r.mean_score,
            times.join(";"),
            r.clip.as_deref().unwrap_or("")
        );
    }
    write(dir, SEGMENTS_JSONL, &jsonl)?;
    write(dir, SEGMENTS_CSV, &csv)
}

/// Writes `scores.csv`: time, successor score, threshold, and whether a
/// seam starts in that step.
pub fn write_scores(dir: &Path, d: &Detection) -> Result<()> {
    let mut csv = String::from("time,score,threshold,seam\n");
    for (i, &t) in d.times.iter().enumerate() {
        let seam = d.seams.iter().any(|s| s.step == i);
        match (d.scores.get(i), d.thresholds.get(i)) {
            (Some(s), Some(th)) => {
                let _ = writeln!(csv, "{t:.6},{s:.6},{th:.6},{}", u8::from(seam));
            }
            _ => {
                let _ = writeln!(csv, "{t:.6},,,0");
            }
        }
    }
    write(dir, SCORES_CSV, &csv)
}

#[derive(Serialize)]
struct CutsFile<'a> {
    video: &'a str,
    cuts: Vec<f64>,
    kinds: Vec<SeamKind>,
    scores: Vec<f32>,
}

/// Writes `cuts.json` and `cuts.csv` (index, seconds, timecode, kind, score).
pub fn write_cuts(dir: &Path, video: &str, d: &Detection) -> Result<()> {
    let file = CutsFile {
        video,
        cuts: d.seams.iter().map(|s| round6(s.time)).collect(),
        kinds: d.seams.iter().map(|s| s.kind).collect(),
        scores: d.seams.iter().map(|s| s.score).collect(),
    };
    let json = serde_json::to_string_pretty(&file).map_err(|e| Error::Encode {
        path: dir.join(CUTS_JSON),
        reason: e.to_string(),
    })?;
    write(dir, CUTS_JSON, &(json + "\n"))?;
    let mut csv = String::from("index,seconds,timecode,kind,score\n");
    for (i, s) in d.seams.iter().enumerate() {
        let kind = match s.kind {
            SeamKind::Cut => "cut",
            SeamKind::Gradual => "gradual",
        };
        let _ = writeln!(
            csv,
            "{},{:.3},{},{kind},{:.4}",
            i + 1,
            s.time,
            timecode(s.time),
            s.score
        );
    }
    write(dir, CUTS_CSV, &csv)
}

/// `HH:MM:SS.mmm`.
pub fn timecode(t: f64) -> String {
    let ms = (t.max(0.0) * 1000.0).round() as u64;
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timecodes() {
        assert_eq!(timecode(0.0), "00:00:00.000");
        assert_eq!(timecode(3723.5), "01:02:03.500");
    }
}
