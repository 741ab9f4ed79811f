//! `framesift segment`: embed frames, find seams, shape segments, write
//! keyframes, clips, a keyframe grid and a score plot per video.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use framesift::buffer::{BufferConfig, BufferKind};
use framesift::config::SampleConfig;
use framesift::embed::Embedder;
use framesift::gate::GateConfig;
use framesift::input::{Job, JobKind};
use framesift::pipeline::{sample_video_traced, VideoReport};
use framesift::runner::failed;
use framesift::segment::{segment, SegmentConfig, Segmentation};
use framesift::sink::{
    draw_grid, plot_scores, thumbnail, write_atomic, write_clip, write_cuts, write_scores,
    write_segments, ClipMode, EmbeddingSink, ImageFormat, KeyframeSink, SegmentRecord, SpoolSink,
};

use super::flags::SegmentArgs;
use super::{candidate_config, embedder, Run};

/// Thumbnail height in the keyframe grid.
const THUMB_HEIGHT: u32 = 120;

/// Runs `framesift segment`.
pub fn run(a: &SegmentArgs) -> anyhow::Result<u8> {
    let seg = SegmentConfig {
        threshold: a.threshold,
        window_sec: a.window_sec,
        min_score: a.min_score,
        surveyor: a.surveyor,
        knn: a.knn,
        min_segment_sec: a.min_segment_sec,
        max_segment_sec: a.max_segment_sec,
        max_keyframes: a.max_keyframes as usize,
        ..SegmentConfig::default()
    };
    seg.validate()?;
    let mut cfg = candidate_config(&a.candidates, a.run.debug);
    // Frame-exact cuts need every frame decoded; key frames alone are too sparse.
    cfg.frame_changes = !cfg.keyframes_only;
    cfg.format = a.out.format;
    cfg.quality = a.out.quality;
    let extra = format!(
        "{seg:?} {:?} cuts_only={} clips={} precise={} grid={} plot={}",
        a.embed, a.cuts_only, !a.no_clips, a.precise, !a.no_grid, !a.no_plot
    );
    let run = Run::with_run_flags("segment", cfg, &a.run, extra);
    run.cfg.validate()?;
    let embedder = embedder(&a.embed)?;
    run.execute_with(
        &a.inputs,
        &a.output,
        JobKind::Video,
        &|job, cfg, progress| {
            let outcome = segment_video(job, cfg, &embedder, &seg, a, progress);
            (
                outcome.unwrap_or_else(|e| failed(job, e.to_string(), 0.0)),
                (),
            )
        },
    )
}

/// One video, start to end.
fn segment_video(
    job: &Job,
    cfg: &SampleConfig,
    embedder: &Arc<dyn Embedder>,
    seg: &SegmentConfig,
    a: &SegmentArgs,
    progress: &(dyn Fn(f64) + Sync),
) -> framesift::Result<VideoReport> {
    // Keep the embedded frames' images (encoded) when keyframes will be
    // written, so no second decoding pass is needed. Only for JPEG: a
    // 1080p PNG is ~7× larger and slower to encode than decoding again.
    let budget = if a.cuts_only || cfg.format != ImageFormat::Jpg {
        0
    } else {
        a.spool_mib as usize * 1024 * 1024
    };
    let mut sink = SpoolSink::new(
        EmbeddingSink::new(embedder.clone()),
        cfg.format,
        cfg.quality,
        budget,
    );
    let (mut report, changes) = sample_video_traced(&job.input, cfg, &mut sink, progress)?;
    if report.interrupted {
        return Ok(report); // seams from part of a video would mislead
    }
    let (sink, spooled) = sink.into_parts();
    let frames = sink.frames;
    let times: Vec<f64> = frames.iter().map(|f| f.meta.time).collect();
    let vectors: Vec<&[f32]> = frames.iter().map(|f| f.vector.as_slice()).collect();
    let end = report.end_time(&changes, &times, cfg);
    let result = segment(&times, &vectors, &changes, end, seg)?;
    let dir = &job.output_dir;
    std::fs::create_dir_all(dir)
        .map_err(|e| framesift::Error::io(dir, "cannot create output folder", e))?;
    write_cuts(dir, &job.input, &result.detection)?;
    write_scores(dir, &result.detection)?;
    if !a.no_plot {
        plot_scores(&dir.join("scores.svg"), &job.input, &result.detection)?;
    }
    report.saved = 0;
    if a.cuts_only {
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
    if !a.no_grid {
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
        draw_grid(dir, &rows, THUMB_HEIGHT, a.out.quality)?;
    }
    if !a.no_clips {
        let mode = if a.precise {
            ClipMode::Precise
        } else {
            ClipMode::Copy
        };
        let start_offset = report.video.as_ref().map_or(0.0, |v| v.start_time_s);
        for (r, s) in records.iter_mut().zip(&result.segments) {
            if framesift::cancel::stop_requested().is_some() {
                report.interrupted = true;
                report
                    .error
                    .get_or_insert_with(|| format!("{}: interrupted", job.input));
                break;
            }
            // A clip that cannot be cut is reported; the segments, the
            // other clips and segments.jsonl are still written.
            match write_clip(&job.input, dir, s.index, s.start, s.end, start_offset, mode) {
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
    frames: &[framesift::sink::EmbeddedFrame],
    spooled: Option<HashMap<i64, Vec<u8>>>,
    records: &mut [SegmentRecord],
    report: &mut VideoReport,
) -> framesift::Result<HashMap<i64, image::RgbImage>> {
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
    let mut pass2 = cfg.clone();
    pass2.only_pts = Some(plan.keys().copied().collect::<BTreeSet<i64>>());
    pass2.buffer = BufferConfig::of(BufferKind::Passthrough);
    pass2.gate = GateConfig::Pass;
    pass2.frame_changes = false;
    let mut sink = KeyframeSink::new(&job.output_dir, plan, cfg.format, cfg.quality, THUMB_HEIGHT);
    let r = framesift::pipeline::sample_video(&job.input, &pass2, &mut sink, &|_| {})?;
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
) -> framesift::Result<HashMap<i64, image::RgbImage>> {
    let mut thumbs = HashMap::new();
    for (pts, rel) in plan {
        let Some(bytes) = images.get(pts) else {
            continue;
        };
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| framesift::Error::io(parent, "cannot create folder", e))?;
        }
        write_atomic(&path, bytes)
            .map_err(|e| framesift::Error::io(&path, "cannot write image", e))?;
        report.saved += 1;
        // Our own encoding: it decodes (a failure only costs the grid its tile).
        if let Ok(img) = image::load_from_memory(bytes) {
            thumbs.insert(*pts, thumbnail(&img.to_rgb8(), THUMB_HEIGHT));
        }
    }
    Ok(thumbs)
}
