//! `segment`: embed frames, find seams, shape segments, write keyframes,
//! video clips, a keyframe grid and a score plot per video.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use super::batch::{Batch, Inputs, Outcome};
use super::embed::load_embedder;
use super::select::second_pass;
use super::settings::{BatchSettings, SegmentSettings};
use crate::config::SampleConfig;
use crate::embed::EmbeddedFrame;
use crate::embed::Embedder;
use crate::error::Result;
use crate::frame::FrameChange;
use crate::input::Job;
use crate::media::{cut_clip, CutMode};
use crate::output::{write_atomic, ImageFormat};
use crate::pipeline::{PassOptions, VideoReport};
use crate::runner::{failed, Observer};
use crate::segment::{
    draw_grid, plot_scores, write_cuts, write_scores, write_segments, SegmentRecord,
};
use crate::segment::{segment_with, Segmentation};
use crate::shots::transnet::TransNetV2;
use crate::shots::{choose_seams, load_model, traced_pass, FrameScore};
use crate::sink::{thumbnail, EmbeddingSink, KeyframeSink, SpoolSink};

/// Thumbnail height in the keyframe grid.
const THUMB_HEIGHT: u32 = 120;

/// `segment` over every input: `OUT/<video>/` segments.jsonl/.csv,
/// cuts.json/.csv, scores.csv, scores.svg, keyframes/, clips/, grid.jpg.
pub fn segment(
    inputs: &Inputs,
    out: &Path,
    settings: &SegmentSettings,
    batch: &BatchSettings,
    observer: &dyn Observer,
) -> Result<Outcome> {
    settings.validate()?;
    let cfg = settings.sample_config();
    let run = Batch::new("segment", &cfg, settings, batch, observer)?;
    let embedder = load_embedder(&settings.embedder)?;
    let model = load_model(&settings.shots)?;
    run.run(inputs, out, &|job, cfg, progress| {
        let outcome = segment_job(job, cfg, &embedder, model.as_deref(), settings, progress);
        (
            outcome.unwrap_or_else(|e| failed(job, e.to_string(), 0.0)),
            (),
        )
    })
}

/// One video's segmentation, in memory (nothing is written).
#[derive(Debug, Clone)]
pub struct Segmented {
    /// The pass's report.
    pub report: VideoReport,
    /// Each embedded frame's time (seconds), in order.
    pub times: Vec<f64>,
    /// Seams, scores, segments and their keyframes (indices into `times`).
    pub segmentation: Segmentation,
    /// TransNetV2's scores of every frame (empty for the built-in).
    pub scores: Vec<FrameScore>,
}

/// Segments one video in memory: no keyframes, clips or files. `model`
/// is [`load_model`]'s for `settings.shots` (None for the built-in).
pub fn segment_video(
    input: &str,
    settings: &SegmentSettings,
    embedder: &Arc<dyn Embedder>,
    model: Option<&TransNetV2>,
    progress: &(dyn Fn(f64) + Sync),
) -> Result<Segmented> {
    settings.validate()?;
    let cfg = settings.sample_config();
    let mut sink = EmbeddingSink::new(embedder.clone());
    let (report, changes, scores) =
        traced_pass(input, &cfg, &mut sink, &settings.shots, model, progress)?;
    let times: Vec<f64> = sink.frames.iter().map(|f| f.meta.time).collect();
    let vectors: Vec<&[f32]> = sink.frames.iter().map(|f| f.vector.as_slice()).collect();
    let end = crate::pipeline::video_end_time(&report, &changes, &times, &cfg);
    let segmentation = segments_with(&times, &vectors, &changes, &scores, end, &report, settings)?;
    Ok(Segmented {
        report,
        times,
        segmentation,
        scores,
    })
}

/// The segmentation around the seams `settings.shots` chooses (the
/// built-in's, the network's, or both).
fn segments_with(
    times: &[f64],
    vectors: &[&[f32]],
    changes: &[FrameChange],
    scores: &[FrameScore],
    end: f64,
    report: &VideoReport,
    settings: &SegmentSettings,
) -> Result<Segmentation> {
    let fps = report.video.as_ref().map_or(25.0, |v| v.avg_fps);
    segment_with(times, vectors, changes, end, &settings.segment, |builtin| {
        choose_seams(&settings.shots, builtin, scores, changes, times, fps)
    })
}

/// One video, start to end.
/// Writes everything: cuts, scores, plot, keyframes (from the spool or a
/// second pass), grid, clips, `segments.jsonl`.
pub fn segment_job(
    job: &Job,
    cfg: &SampleConfig,
    embedder: &Arc<dyn Embedder>,
    model: Option<&TransNetV2>,
    settings: &SegmentSettings,
    progress: &(dyn Fn(f64) + Sync),
) -> Result<VideoReport> {
    let outs = &settings.outputs;
    // Keep the embedded frames' images (encoded) when keyframes will be
    // written, so no second decoding pass is needed. Only for JPEG: a
    // 1080p PNG is ~7× larger and slower to encode than decoding again.
    let budget = if outs.cuts_only || cfg.format != ImageFormat::Jpg {
        0
    } else {
        outs.spool_mib as usize * 1024 * 1024
    };
    let mut sink = SpoolSink::new(
        EmbeddingSink::new(embedder.clone()),
        cfg.format,
        cfg.quality,
        budget,
    );
    let (mut report, changes, scores) =
        traced_pass(&job.input, cfg, &mut sink, &settings.shots, model, progress)?;
    if report.interrupted {
        return Ok(report); // seams from part of a video would mislead
    }
    let (sink, spooled) = sink.into_parts();
    let frames = sink.frames;
    let times: Vec<f64> = frames.iter().map(|f| f.meta.time).collect();
    let vectors: Vec<&[f32]> = frames.iter().map(|f| f.vector.as_slice()).collect();
    let end = crate::pipeline::video_end_time(&report, &changes, &times, cfg);
    let result = segments_with(&times, &vectors, &changes, &scores, end, &report, settings)?;
    let dir = &job.output_dir;
    std::fs::create_dir_all(dir)
        .map_err(|e| crate::Error::io(dir, "cannot create output folder", e))?;
    write_cuts(dir, &job.input, &result.detection)?;
    write_scores(dir, &result.detection)?;
    if !scores.is_empty() {
        write_frame_scores(dir, &scores)?;
    }
    if outs.plot {
        plot_scores(&dir.join("scores.svg"), &job.input, &result.detection)?;
    }
    report.saved = 0;
    if outs.cuts_only {
        return Ok(report);
    }
    let mut records: Vec<SegmentRecord> = result
        .segments
        .iter()
        .map(|s| SegmentRecord::new(&job.input, s, &times))
        .collect();
    let thumbs = write_keyframes(
        job,
        cfg,
        &result,
        &frames,
        spooled,
        &mut records,
        &mut report,
    )?;
    if outs.grid {
        let rows: Vec<(String, Vec<&image::RgbImage>)> = result
            .segments
            .iter()
            .map(|s| {
                let label = format!("#{} {}-{}", s.index, short_time(s.start), short_time(s.end));
                let imgs = s
                    .keyframes
                    .iter()
                    .filter_map(|&k| thumbs.get(&frames[k].meta.pts))
                    .collect();
                (label, imgs)
            })
            .collect();
        draw_grid(dir, &rows, THUMB_HEIGHT, settings.output.quality)?;
    }
    if outs.clips {
        let mode = if outs.precise {
            CutMode::Precise
        } else {
            CutMode::Copy
        };
        let start_offset = report.video.as_ref().map_or(0.0, |v| v.start_time_s);
        for (r, s) in records.iter_mut().zip(&result.segments) {
            if crate::cancel::stop_requested().is_some() {
                report.interrupted = true;
                report
                    .error
                    .get_or_insert_with(|| format!("{}: interrupted", job.input));
                break;
            }
            // A clip that cannot be cut is reported; the segments, the
            // other clips and segments.jsonl are still written.
            match cut_clip(&job.input, dir, s.index, s.start, s.end, start_offset, mode) {
                Ok(clip) => {
                    r.clip_start = Some((clip.start * 1e6).round() / 1e6);
                    r.clip = Some(clip.path);
                }
                Err(e) => {
                    report.error.get_or_insert(e.to_string());
                }
            }
        }
    }
    write_segments(dir, &records)?;
    report.ok = report.error.is_none();
    Ok(report)
}

/// `transnet.csv`: every frame's time and TransNetV2 probabilities.
fn write_frame_scores(dir: &Path, scores: &[FrameScore]) -> Result<()> {
    let mut text = String::from("seconds,single,many\n");
    for s in scores {
        text.push_str(&format!("{:.6},{:.6},{:.6}\n", s.time, s.single, s.many));
    }
    let path = dir.join("transnet.csv");
    write_atomic(&path, text.as_bytes()).map_err(|e| crate::Error::io(&path, "cannot write", e))
}

/// `12.5s` or `1:02.5`.
fn short_time(t: f64) -> String {
    if t < 60.0 {
        format!("{t:.1}s")
    } else {
        format!("{}:{:04.1}", (t / 60.0) as u64, t % 60.0)
    }
}

/// Writes each segment's keyframes as
/// `keyframes/seg<index>_<rank>_t<time>.<ext>`, from the images spooled in
/// pass 1 or else from a second decoding pass; returns their thumbnails.
fn write_keyframes(
    job: &Job,
    cfg: &SampleConfig,
    result: &Segmentation,
    frames: &[EmbeddedFrame],
    spooled: Option<HashMap<i64, Vec<u8>>>,
    records: &mut [SegmentRecord],
    report: &mut VideoReport,
) -> Result<HashMap<i64, image::RgbImage>> {
    let ext = cfg.format.extension();
    let mut plan = HashMap::new();
    for (r, s) in records.iter_mut().zip(&result.segments) {
        for (rank, (&k, file)) in s.keyframes.iter().zip(r.keyframes.iter_mut()).enumerate() {
            let f = &frames[k];
            let rel = format!(
                "keyframes/seg{:03}_{}_t{:.3}.{ext}",
                s.index,
                rank + 1,
                f.meta.time
            );
            plan.insert(f.meta.pts, rel.clone());
            file.path = Some(rel);
        }
    }
    if plan.is_empty() {
        return Ok(HashMap::new());
    }
    if let Some(images) = spooled.filter(|s| plan.keys().all(|pts| s.contains_key(pts))) {
        return write_spooled(&job.output_dir, &plan, &images, report);
    }
    let pass2 = second_pass(cfg);
    let pass = PassOptions {
        only_pts: Some(plan.keys().copied().collect::<BTreeSet<i64>>()),
        ..PassOptions::default()
    };
    let mut sink = KeyframeSink::new(&job.output_dir, plan, cfg.format, cfg.quality, THUMB_HEIGHT);
    let (r, _) = crate::pipeline::sample_video_pass(&job.input, &pass2, &pass, &mut sink, &|_| {})?;
    report.saved = r.saved;
    report.seconds += r.seconds;
    // Keyframes the second pass did not reach (damage) have no file.
    for rec in records.iter_mut() {
        for k in &mut rec.keyframes {
            if let Some(p) = &k.path {
                if !Path::new(&job.output_dir).join(p).exists() {
                    k.path = None;
                }
            }
        }
    }
    Ok(sink.thumbnails)
}

/// Writes the planned keyframes (pts → relative path) from their images
/// encoded in pass 1; returns their thumbnails.
fn write_spooled(
    dir: &Path,
    plan: &HashMap<i64, String>,
    images: &HashMap<i64, Vec<u8>>,
    report: &mut VideoReport,
) -> Result<HashMap<i64, image::RgbImage>> {
    let mut thumbs = HashMap::new();
    for (pts, rel) in plan {
        let Some(bytes) = images.get(pts) else {
            continue;
        };
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| crate::Error::io(parent, "cannot create folder", e))?;
        }
        write_atomic(&path, bytes).map_err(|e| crate::Error::io(&path, "cannot write image", e))?;
        report.saved += 1;
        // Our own encoding: it decodes (a failure only costs the grid its tile).
        if let Ok(img) = image::load_from_memory(bytes) {
            thumbs.insert(*pts, thumbnail(&img.to_rgb8(), THUMB_HEIGHT));
        }
    }
    Ok(thumbs)
}
