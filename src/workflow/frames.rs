//! Frames by time: the frames of a video at given times, in memory or
//! written as images + `frames.jsonl` (the last step of a selection made
//! elsewhere, e.g. over many videos in Python or on a cluster).

use std::path::Path;

use super::settings::OutputSettings;
use crate::buffer::{BufferConfig, BufferKind};
use crate::config::SampleConfig;
use crate::error::{Error, Result};
use crate::gate::GateConfig;
use crate::input::video_job;
use crate::pipeline::{sample_video_pass, PassOptions, VideoReport};
use crate::sink::{FolderSink, MemorySink, Sink};

/// The sampling settings of a pass that takes the frames at `times`
/// (sorted): every frame decoded from the key frame before the first
/// time until the frame for the last, no dedup, no gate.
fn pass_for(times: &[f64], output: &OutputSettings, threads: usize) -> SampleConfig {
    let first = times.first().copied().unwrap_or(0.0);
    let cfg = SampleConfig {
        keyframes_only: false,
        min_frame_interval_sec: 0.0,
        fps: None,
        start_time_s: (first - 1e-6).max(0.0),
        end_time_s: None, // the pass ends after the frame for the last time
        buffer: BufferConfig::of(BufferKind::Passthrough),
        gate: GateConfig::Pass,
        decoder_threads: threads,
        ..SampleConfig::default()
    };
    output.apply(cfg)
}

/// `times`, sorted and checked: finite and ≥ 0.
fn sorted(times: &[f64]) -> Result<Vec<f64>> {
    if let Some(t) = times.iter().find(|t| !(t.is_finite() && **t >= 0.0)) {
        return Err(Error::config("times", format!("{t} is not a time ≥ 0")));
    }
    let mut t = times.to_vec();
    t.sort_by(f64::total_cmp);
    t.dedup();
    Ok(t)
}

/// One pass over `input` taking the frames at `times` into `sink`.
fn pass_at(
    input: &str,
    times: &[f64],
    output: &OutputSettings,
    threads: usize,
    sink: &mut dyn Sink,
    progress: &(dyn Fn(f64) + Sync),
) -> Result<VideoReport> {
    let times = sorted(times)?;
    let cfg = pass_for(&times, output, threads);
    cfg.validate()?;
    if times.is_empty() {
        return Ok(VideoReport::default());
    }
    let pass = PassOptions {
        only_times: Some(times),
        ..PassOptions::default()
    };
    sample_video_pass(input, &cfg, &pass, sink, progress).map(|(r, _)| r)
}

/// The frames of `input` at `times` (seconds): for each time, the first
/// frame at or after it (a frame's own `time`, as framesift's records give
/// it, picks that frame). Nothing is written; `threads` are FFmpeg's
/// decoder threads (0 = automatic).
pub fn frames_at(
    input: &str,
    times: &[f64],
    threads: usize,
    progress: &(dyn Fn(f64) + Sync),
) -> Result<(VideoReport, MemorySink)> {
    let mut sink = MemorySink::default();
    let output = OutputSettings::default(); // nothing is encoded
    let report = pass_at(input, times, &output, threads, &mut sink, progress)?;
    Ok((report, sink))
}

/// Writes the frames of `input` at `times` into `out_dir` (images and
/// `frames.jsonl`, each written under a temporary name then renamed), as
/// [`frames_at`] picks them. A video that cannot be read is `Err`.
pub fn write_frames(
    input: &str,
    times: &[f64],
    out_dir: &Path,
    output: &OutputSettings,
    threads: usize,
    progress: &(dyn Fn(f64) + Sync),
) -> Result<VideoReport> {
    let stem = video_job(input, out_dir).stem;
    let images = output.apply(SampleConfig::default()).image_options();
    let mut sink = FolderSink::new(out_dir, &stem, images);
    pass_at(input, times, output, threads, &mut sink, progress)
}
