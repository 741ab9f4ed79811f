//! Many videos, several at a time: each job gets its own [`FolderSink`]
//! and a [`VideoReport`]; a failing video never stops the others. The
//! batch around it (resume, summary, cleaning) is
//! [`crate::workflow::Batch`].
//!
//! May depend on: cancel, config, input, pipeline, sink, summary.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::config::SampleConfig;
use crate::input::{Job, JobKind};
use crate::pipeline::{sample_images, sample_video_pass, PassOptions, VideoReport};
use crate::sink::FolderSink;

/// Hears what the runner does, e.g. to draw progress bars.
pub trait Observer: Sync {
    /// Job `idx` started.
    fn started(&self, _idx: usize, _job: &Job) {}
    /// Job `idx` decoded up to `seconds`.
    fn progress(&self, _idx: usize, _seconds: f64) {}
    /// Job `idx` ended.
    fn finished(&self, _idx: usize, _job: &Job, _report: &VideoReport) {}
    /// A line the user should read (an input error, "settings changed").
    fn notice(&self, _message: &str) {}
    /// The run has `jobs` jobs (called once, before any starts).
    fn planned(&self, _jobs: usize) {}
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
    let pass = PassOptions {
        subtitles: job.subtitles.clone(),
        ..PassOptions::default()
    };
    run_job_pass(job, cfg, &pass, progress)
}

/// [`run_job`] for one pass with its own state (a second pass's frames).
pub fn run_job_pass(
    job: &Job,
    cfg: &SampleConfig,
    pass: &PassOptions,
    progress: &(dyn Fn(f64) + Sync),
) -> VideoReport {
    let started = std::time::Instant::now();
    let folder = FolderSink::new(&job.output_dir, &job.stem, cfg.image_options());
    let run = |sink: &mut dyn crate::sink::Sink| match job.kind {
        JobKind::Video => sample_video_pass(&job.input, cfg, pass, sink, progress).map(|(r, _)| r),
        JobKind::Images => sample_images(&job.input, cfg, sink, progress),
    };
    let result = match &cfg.summary {
        Some(s) => {
            let mut sink = crate::summary::SummarySink::new(folder, &job.output_dir, s.clone());
            run(&mut sink).map(|mut r| {
                r.summaries = Some(sink.stats().clone());
                r.sheet_seconds = cfg.contact_sheet.then(|| sink.inner().sheet_seconds());
                r
            })
        }
        None => {
            let mut sink = folder;
            run(&mut sink).map(|mut r| {
                r.sheet_seconds = cfg.contact_sheet.then(|| sink.sheet_seconds());
                r
            })
        }
    };
    match result {
        Ok(r) => r,
        Err(e) => failed(job, e.to_string(), started.elapsed().as_secs_f64()),
    }
}

/// A failed report for `job`.
pub fn failed(job: &Job, error: String, seconds: f64) -> VideoReport {
    VideoReport::failed(&job.input, error, seconds)
}
