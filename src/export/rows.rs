//! The run manifest: one row per frame a video's manifest lists, in one
//! fixed schema for every command (columns a command has nothing for are
//! null), read back from the output folder.
//!
//! | column | type | meaning |
//! |---|---|---|
//! | `command` | string | the command that ran |
//! | `video` | string | the input as given |
//! | `video_dir` | string | the video's folder in OUT |
//! | `path` | string? | the image, relative to OUT (null: not written) |
//! | `decision` | string | `saved`, `duplicate`, `expired`, `gated`, `write_failed`, `keyframe` |
//! | `reason` | string? | why a frame was not saved (scene mode), or the keyframe's rank |
//! | `time` | f64 | seconds from the start of the stream |
//! | `pts_time` | f64? | raw presentation time (seconds) |
//! | `pts` | i64? | raw presentation timestamp |
//! | `frame_index` | u64? | `int(pts_time × fps)` |
//! | `decode_index` | u64? | ordinal among decoded frames |
//! | `key_frame` | bool? | whether it is a key frame |
//! | `scene` | u64? | distinct scene (sample's scene mode) |
//! | `segment` | u64? | segment index (segment) |
//! | `span_start`, `span_end` | f64? | the shot (scene mode) or segment holding the frame |
//! | `score` | f64? | the score its decision used: gate, buffer, or sharpness |
//! | `hash` | u64? | the perceptual hash, when one was computed |
//! | `embedding` | f32 list? | the frame's embedding (select), fixed width per run |

use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::run::video_dir;
use crate::embed::read_npy_f32;
use crate::embed::{EMBEDDINGS_INDEX, EMBEDDINGS_NPY};
use crate::error::{Error, Result};
use crate::record::VideoReport;
use crate::segment::SEGMENTS_JSONL;
use crate::sink::MANIFEST_NAME;

/// The run manifest as JSON lines.
pub const MANIFEST_JSONL: &str = "manifest.jsonl";
/// The run manifest as CSV.
pub const MANIFEST_CSV: &str = "manifest.csv";
/// The run manifest as Parquet.
pub const MANIFEST_PARQUET: &str = "manifest.parquet";

/// One row of the run manifest (see the module's table).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManifestRow {
    /// The command that ran.
    pub command: String,
    /// The input as given.
    pub video: String,
    /// The video's folder in OUT.
    pub video_dir: String,
    /// The image, relative to OUT; none when no image was written.
    pub path: Option<String>,
    /// What happened to the frame.
    pub decision: String,
    /// Why (scene mode), or which keyframe.
    pub reason: Option<String>,
    /// Seconds from the start of the stream.
    pub time: f64,
    /// Raw presentation time in seconds.
    pub pts_time: Option<f64>,
    /// Raw presentation timestamp.
    pub pts: Option<i64>,
    /// The frame's position in the video.
    pub frame_index: Option<u64>,
    /// Ordinal among decoded frames.
    pub decode_index: Option<u64>,
    /// Whether it is a key frame.
    pub key_frame: Option<bool>,
    /// The distinct scene (sample's scene mode).
    pub scene: Option<u64>,
    /// The segment (segment).
    pub segment: Option<u64>,
    /// Start of the shot or segment holding the frame.
    pub span_start: Option<f64>,
    /// End of the shot or segment holding the frame.
    pub span_end: Option<f64>,
    /// The score the decision used.
    pub score: Option<f64>,
    /// The perceptual hash.
    pub hash: Option<u64>,
    /// The embedding.
    pub embedding: Option<Vec<f32>>,
}

impl ManifestRow {
    /// A row with the columns every row has; the others empty.
    pub fn new(command: &str, video: &str, video_dir: &str, decision: &str, time: f64) -> Self {
        ManifestRow {
            command: command.to_string(),
            video: video.to_string(),
            video_dir: video_dir.to_string(),
            path: None,
            decision: decision.to_string(),
            reason: None,
            time,
            pts_time: None,
            pts: None,
            frame_index: None,
            decode_index: None,
            key_frame: None,
            scene: None,
            segment: None,
            span_start: None,
            span_end: None,
            score: None,
            hash: None,
            embedding: None,
        }
    }
}

/// A line of a video's `frames.jsonl`, read leniently (every command
/// writes a subset of these keys).
#[derive(Debug, Deserialize)]
struct FrameLine {
    path: Option<String>,
    decision: String,
    time: f64,
    pts_time: Option<f64>,
    pts: Option<i64>,
    frame_index: Option<u64>,
    decode_index: Option<u64>,
    key_frame: Option<bool>,
    hash: Option<String>,
    reason: Option<String>,
    scene: Option<u64>,
    scene_start: Option<f64>,
    scene_end: Option<f64>,
    gate_score: Option<f64>,
    buffer_score: Option<f64>,
    quality: Option<Quality>,
}

#[derive(Debug, Deserialize)]
struct Quality {
    sharpness: Option<f64>,
}

/// A line of `segments.jsonl`.
#[derive(Debug, Deserialize)]
struct SegmentLine {
    index: u64,
    start: f64,
    end: f64,
    #[serde(default)]
    keyframes: Vec<KeyframeLine>,
}

#[derive(Debug, Deserialize)]
struct KeyframeLine {
    time: f64,
    path: String,
}

/// A line of `embeddings.jsonl`.
#[derive(Debug, Deserialize)]
struct EmbeddingLine {
    row: usize,
    pts: i64,
}

/// Parses a hash written as hex (up to 16 digits; longer hashes, e.g. a
/// 16×16 pHash, do not fit a u64 and give none).
pub fn hash_value(hex: &str) -> Option<u64> {
    if hex.len() > 16 {
        return None;
    }
    u64::from_str_radix(hex, 16).ok()
}

/// Reads a JSON-lines file into `T`s, naming the file and line on error.
pub(crate) fn read_jsonl<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<T>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, "cannot read", e))?;
    let mut out = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| Error::io(path, "cannot read", e))?;
        if line.trim().is_empty() {
            continue;
        }
        out.push(serde_json::from_str(&line).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            what: "cannot parse a manifest line",
            source: std::io::Error::other(format!("line {}: {e}", i + 1)),
        })?);
    }
    Ok(out)
}

/// The embeddings a video's folder holds in `(npy, index)`, by pts (none
/// if it holds none).
pub(crate) fn embeddings_by_pts(
    dir: &Path,
    (npy, index): (&str, &str),
) -> Result<HashMap<i64, Vec<f32>>> {
    let (index, npy) = (dir.join(index), dir.join(npy));
    if !index.is_file() || !npy.is_file() {
        return Ok(HashMap::new());
    }
    let lines: Vec<EmbeddingLine> = read_jsonl(&index)?;
    let (mut vectors, _) = read_npy_f32(&npy)?;
    let mut out = HashMap::with_capacity(lines.len());
    for l in lines {
        if let Some(v) = vectors.get_mut(l.row) {
            out.insert(l.pts, std::mem::take(v));
        }
    }
    Ok(out)
}

/// The rows of one video of a run of `command` in `out`: its
/// `frames.jsonl` (sample, select, …), or the keyframes of its
/// `segments.jsonl` (segment). A video that failed or wrote no manifest
/// has no rows.
pub fn read_rows(out: &Path, command: &str, video: &VideoReport) -> Result<Vec<ManifestRow>> {
    let Some(rel) = video_dir(out, video) else {
        return Ok(Vec::new());
    };
    let dir = out.join(&rel);
    let rel_text = rel.to_string_lossy().replace('\\', "/");
    let in_out = |p: &str| -> String {
        let joined: PathBuf = rel.join(p);
        joined.to_string_lossy().replace('\\', "/")
    };
    let base = |time: f64, decision: &str| {
        ManifestRow::new(command, &video.input, &rel_text, decision, time)
    };
    let frames = dir.join(MANIFEST_NAME);
    if frames.is_file() {
        let mut vectors = embeddings_by_pts(&dir, (EMBEDDINGS_NPY, EMBEDDINGS_INDEX))?;
        let lines: Vec<FrameLine> = read_jsonl(&frames)?;
        return Ok(lines
            .into_iter()
            .map(|l| ManifestRow {
                path: l.path.as_deref().map(in_out),
                reason: l.reason,
                pts_time: l.pts_time,
                pts: l.pts,
                frame_index: l.frame_index,
                decode_index: l.decode_index,
                key_frame: l.key_frame,
                scene: l.scene,
                span_start: l.scene_start,
                span_end: l.scene_end,
                score: l
                    .gate_score
                    .or(l.buffer_score)
                    .or(l.quality.and_then(|q| q.sharpness)),
                hash: l.hash.as_deref().and_then(hash_value),
                embedding: l.pts.and_then(|p| vectors.remove(&p)),
                ..base(l.time, &l.decision)
            })
            .collect());
    }
    let segments = dir.join(SEGMENTS_JSONL);
    if segments.is_file() {
        let lines: Vec<SegmentLine> = read_jsonl(&segments)?;
        let mut rows = Vec::new();
        for s in lines {
            for (rank, k) in s.keyframes.iter().enumerate() {
                rows.push(ManifestRow {
                    path: Some(in_out(&k.path)),
                    reason: Some(format!("keyframe {}", rank + 1)),
                    segment: Some(s.index),
                    span_start: Some(s.start),
                    span_end: Some(s.end),
                    ..base(k.time, "keyframe")
                });
            }
        }
        return Ok(rows);
    }
    Ok(Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_parse_when_they_fit() {
        assert_eq!(hash_value("ff"), Some(255));
        assert_eq!(hash_value("ffffffffffffffff"), Some(u64::MAX));
        assert_eq!(hash_value("1ffffffffffffffff"), None);
        assert_eq!(hash_value("xyz"), None);
    }

    #[test]
    fn sample_and_segment_folders_become_rows() {
        let out = tempfile::tempdir().unwrap();
        let v = out.path().join("a.mp4");
        std::fs::create_dir_all(&v).unwrap();
        std::fs::write(
            v.join(MANIFEST_NAME),
            concat!(
                r#"{"video":"a.mp4","path":"1.000.jpg","decision":"saved","time":1.0,"pts_time":1.0,"pts":1000,"frame_index":25,"decode_index":25,"key_frame":true,"hash":"00ff","gate_score":12.5}"#,
                "\n",
                r#"{"video":"a.mp4","path":null,"decision":"duplicate","time":2.0,"pts_time":2.0,"pts":2000,"frame_index":50,"decode_index":50,"key_frame":false,"scene":3,"reason":"similar","scene_start":1.5,"scene_end":4.0,"quality":{"sharpness":0.25}}"#,
                "\n"
            ),
        )
        .unwrap();
        let report = VideoReport {
            input: "in/a.mp4".into(),
            output_dir: Some(v.clone()),
            ..VideoReport::default()
        };
        let rows = read_rows(out.path(), "sample", &report).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].path.as_deref(), Some("a.mp4/1.000.jpg"));
        assert_eq!(rows[0].hash, Some(255));
        assert_eq!(rows[0].score, Some(12.5));
        assert_eq!(rows[1].path, None);
        assert_eq!(rows[1].scene, Some(3));
        assert_eq!(rows[1].span_start, Some(1.5));
        assert_eq!(rows[1].score, Some(0.25));
        assert_eq!(rows[1].video, "in/a.mp4");

        std::fs::remove_file(v.join(MANIFEST_NAME)).unwrap();
        std::fs::write(
            v.join(SEGMENTS_JSONL),
            r#"{"index":0,"start":0.0,"end":2.0,"keyframes":[{"time":1.0,"path":"keyframes/k1.jpg"},{"time":0.5,"path":"keyframes/k2.jpg"}]}"#,
        )
        .unwrap();
        let rows = read_rows(out.path(), "segment", &report).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].path.as_deref(), Some("a.mp4/keyframes/k2.jpg"));
        assert_eq!(rows[1].segment, Some(0));
        assert_eq!(rows[1].decision, "keyframe");
        assert_eq!(rows[1].span_end, Some(2.0));
    }

    #[test]
    fn a_broken_line_names_the_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("frames.jsonl");
        std::fs::write(&p, "{\"decision\":\"saved\",\"time\":1}\nnot json\n").unwrap();
        let e = read_jsonl::<FrameLine>(&p).unwrap_err().to_string();
        assert!(e.contains("frames.jsonl") && e.contains("line 2"), "{e}");
    }
}
