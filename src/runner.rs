//! Many videos, several at a time: each job gets its own [`FolderSink`]
//! and a [`VideoReport`]; a failing video never stops the others.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use serde::Serialize;

use crate::config::SampleConfig;
use crate::error::{Error, Result};
use crate::input::{Job, JobKind};
use crate::pipeline::{sample_images, sample_video, VideoReport};
use crate::sink::{write_atomic, FolderSink};

/// Hears what the runner does, e.g. to draw progress bars.
pub trait Observer: Sync {
    /// Job `idx` started.
    fn started(&self, _idx: usize, _job: &Job) {}
    /// Job `idx` decoded up to `seconds`.
    fn progress(&self, _idx: usize, _seconds: f64) {}
    /// Job `idx` ended.
    fn finished(&self, _idx: usize, _job: &Job, _report: &VideoReport) {}
}

/// An observer that does nothing.
pub struct Silent;
impl Observer for Silent {}

/// Runs `jobs` with up to `workers` videos at once; reports come back in
/// job order. A video that cannot be processed gets a report with
/// `ok: false` and its error.
pub fn run_jobs(
    jobs: &[Job],
    cfg: &SampleConfig,
    workers: usize,
    observer: &dyn Observer,
) -> Vec<VideoReport> {
    run_jobs_with(jobs, cfg, workers, observer, &|job, cfg, progress| {
        (run_job(job, cfg, progress), ())
    })
    .into_iter()
    .map(|(r, _)| r)
    .collect()
}

/// Per-job work for [`run_jobs_with`]: the job, the settings (with decoder
/// threads shared out), a progress callback; returns the report and a
/// result of any type.
pub type JobFn<'a, T> =
    dyn Fn(&Job, &SampleConfig, &(dyn Fn(f64) + Sync)) -> (VideoReport, T) + Sync + 'a;

/// Like [`run_jobs`], with the per-job work given by the caller (embedding,
/// selection, …). A job whose worker panicked has a failed report and
/// `None`.
pub fn run_jobs_with<T: Send>(
    jobs: &[Job],
    cfg: &SampleConfig,
    workers: usize,
    observer: &dyn Observer,
    work: &JobFn<'_, T>,
) -> Vec<(VideoReport, Option<T>)> {
    let workers = workers.clamp(1, jobs.len().max(1));
    let mut cfg = cfg.clone();
    if workers > 1 && cfg.decoder_threads == 0 {
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        cfg.decoder_threads = (cpus / workers).max(1);
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<(VideoReport, T)>>> =
        Mutex::new((0..jobs.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let idx = next.fetch_add(1, Ordering::SeqCst);
                let Some(job) = jobs.get(idx) else { break };
                if crate::cancel::stop_requested().is_some() {
                    break; // interrupted: start nothing new
                }
                observer.started(idx, job);
                let (report, value) = work(job, &cfg, &|t| observer.progress(idx, t));
                observer.finished(idx, job, &report);
                if let Ok(mut r) = results.lock() {
                    r[idx] = Some((report, value));
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .zip(jobs)
        .map(|(r, job)| match r {
            Some((report, value)) => (report, Some(value)),
            None if crate::cancel::stop_requested().is_some() => {
                let mut r = failed(
                    job,
                    format!("{}: not started (interrupted)", job.input),
                    0.0,
                );
                r.interrupted = true;
                (r, None)
            }
            None => (failed(job, "worker thread panicked".to_string(), 0.0), None),
        })
        .collect()
}

/// Runs one job into its folder; errors become a failed report.
pub fn run_job(job: &Job, cfg: &SampleConfig, progress: &(dyn Fn(f64) + Sync)) -> VideoReport {
    let started = std::time::Instant::now();
    let with_subtitles;
    let cfg = match &job.subtitles {
        Some(s) => {
            with_subtitles = SampleConfig {
                subtitles: Some(s.clone()),
                ..cfg.clone()
            };
            &with_subtitles
        }
        None => cfg,
    };
    let opts = crate::sink::ImageOptions {
        format: cfg.format,
        quality: cfg.quality,
        naming: cfg.save_format.clone(),
    };
    let folder = FolderSink::new(&job.output_dir, &job.stem, opts);
    let run = |sink: &mut dyn crate::sink::Sink| match job.kind {
        JobKind::Video => sample_video(&job.input, cfg, sink, progress),
        JobKind::Images => sample_images(&job.input, cfg, sink, progress),
    };
    let result = match &cfg.summary {
        Some(s) => {
            let mut sink = crate::summary::SummarySink::new(folder, &job.output_dir, s.clone());
            run(&mut sink).map(|mut r| {
                r.summaries = Some(sink.stats().clone());
                r
            })
        }
        None => {
            let mut sink = folder;
            run(&mut sink)
        }
    };
    match result {
        Ok(r) => r,
        Err(e) => failed(job, e.to_string(), started.elapsed().as_secs_f64()),
    }
}

/// A failed report for `job`.
pub fn failed(job: &Job, error: String, seconds: f64) -> VideoReport {
    VideoReport {
        input: job.input.clone(),
        ok: false,
        error: Some(error),
        seconds,
        ..Default::default()
    }
}

/// The run summary written as `OUT/summary.json`.
#[derive(Debug, Serialize)]
pub struct RunSummary<'a> {
    /// framesift's version.
    pub framesift: &'static str,
    /// The command that ran (`sample`, `embed`, …).
    pub command: &'a str,
    /// Fingerprint of the command, the settings and framesift's version:
    /// `--resume` only skips videos done under the same fingerprint.
    pub fingerprint: String,
    /// The settings every video ran with.
    pub settings: &'a SampleConfig,
    /// Inputs that did not become jobs (e.g. folders without videos).
    pub input_errors: Vec<String>,
    /// One report per video, in input order.
    pub videos: &'a [VideoReport],
}

/// A stable 64-bit FNV-1a fingerprint of `parts`, as 16 hex digits (the
/// same on every platform and in every Rust version, unlike `Hash`).
pub fn fingerprint(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// The videos an earlier run in `out` completed under `fingerprint`, by
/// input: what `--resume` skips. An absent, unreadable or different-run
/// summary gives none.
pub fn completed_videos(out: &Path, fingerprint: &str) -> HashMap<String, VideoReport> {
    let Ok(text) = std::fs::read_to_string(out.join(SUMMARY_NAME)) else {
        return HashMap::new();
    };
    #[derive(serde::Deserialize)]
    struct Previous {
        fingerprint: Option<String>,
        #[serde(default)]
        videos: Vec<VideoReport>,
    }
    match serde_json::from_str::<Previous>(&text) {
        Ok(p) if p.fingerprint.as_deref() == Some(fingerprint) => p
            .videos
            .into_iter()
            .filter(|v| v.ok && !v.interrupted)
            .map(|v| (v.input.clone(), v))
            .collect(),
        _ => HashMap::new(),
    }
}

/// File name of the run summary in the output folder.
pub const SUMMARY_NAME: &str = "summary.json";

/// Writes the run summary atomically into `out`.
pub fn write_summary(out: &Path, summary: &RunSummary<'_>) -> Result<()> {
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, "cannot create output folder", e))?;
    let path = out.join(SUMMARY_NAME);
    let text = serde_json::to_string_pretty(summary).map_err(|e| Error::Io {
        path: path.clone(),
        what: "cannot serialise summary",
        source: std::io::Error::other(e),
    })?;
    write_atomic(&path, text.as_bytes()).map_err(|e| Error::io(&path, "cannot write summary", e))
}
