//! Scene sampling of real videos: one decoding pass into a [`SceneSink`]
//! (embedding, quality and the candidate's image spooled to disk in the
//! output format), the seams, the plan, then the chosen spooled images
//! copied out to their final names and `frames.jsonl` written.
//!
//! Spooling to disk keeps memory flat in the length of the video and needs
//! no second decoding pass, so inputs that cannot seek (pipes, streams)
//! work. The spool lives in `OUT/.framesift-spool/<video folder>/` and is
//! removed when the video is done.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::plan::{plan, SceneFrame, ScenePlan, VideoFrames};
use super::SceneConfig;
use crate::buffer::{BufferConfig, BufferKind, Verdict};
use crate::config::SampleConfig;
use crate::embed::Embedder;
use crate::error::{Error, Result};
use crate::frame::{
    measure_quality, Candidate, FrameMeta, FrameQuality, OccurrenceNote, SceneNote,
};
use crate::input::Job;
use crate::media::VideoInfo;
use crate::output::{encode_for, Background};
use crate::output::{frame_stem, unique_file_name, write_atomic, ImageFormat};
use crate::pipeline::VideoReport;
use crate::segment::{detect_seams, Seam};
use crate::shots::transnet::TransNetV2;
use crate::shots::{choose_seams, traced_pass};
use crate::sink::{write_manifest, Decision, FrameRecord, Sink};

/// Name of the spool folder under the run's output folder.
pub const SPOOL_DIR: &str = ".framesift-spool";

/// The spool file inside a video's spool folder: every spooled image,
/// encoded, one after the other.
const SPOOL_FILE: &str = "images.bin";

/// Where each spooled image lies in the spool file: decode index →
/// (offset, length).
pub type SpoolIndex = HashMap<u64, (u64, u64)>;

/// Embeds and measures every candidate, and spools the image of each one
/// that could be saved (kept by the gates, with structure) to one file in
/// `spool`: images are encoded on rayon's pool and appended as they come,
/// so a candidate costs one write, not a file of its own.
pub struct SceneSink {
    embedder: Arc<dyn Embedder>,
    /// The spool folder; `None`: nothing is spooled (no image encoded).
    spool: Option<PathBuf>,
    format: ImageFormat,
    quality: u8,
    min_structure: f32,
    pending: Vec<(Candidate, bool, FrameQuality)>,
    /// The candidates, in arrival order (sorted by time at the end).
    pub frames: Vec<(FrameMeta, SceneFrame)>,
    /// Where each spooled image is in the spool file.
    pub index: SpoolIndex,
    file: Option<BufWriter<File>>,
    offset: u64,
    encoder: Background<u64, Vec<u8>>,
    first_error: Option<Error>,
}

impl SceneSink {
    /// A sink spooling into the folder `spool` (created on
    /// [`Sink::begin`]) as `format` at `quality`; with `None` it only
    /// embeds and measures.
    pub fn new(
        embedder: Arc<dyn Embedder>,
        spool: Option<PathBuf>,
        format: ImageFormat,
        quality: u8,
        min_structure: f32,
    ) -> Self {
        SceneSink {
            embedder,
            spool,
            format,
            quality,
            min_structure,
            pending: Vec::new(),
            frames: Vec::new(),
            index: HashMap::new(),
            file: None,
            offset: 0,
            encoder: Background::default(),
            first_error: None,
        }
    }

    /// The spool file of the spool folder `spool`.
    pub fn spool_file(spool: &Path) -> PathBuf {
        spool.join(SPOOL_FILE)
    }

    /// Appends the encoded images that are ready to the spool file.
    fn settle(&mut self, done: Vec<(u64, Result<Vec<u8>>)>) {
        let path = self
            .spool
            .as_deref()
            .map(Self::spool_file)
            .unwrap_or_default();
        for (key, res) in done {
            let appended = res.and_then(|bytes| {
                let file = self.file.as_mut().ok_or_else(|| {
                    Error::io(&path, "spool not open", std::io::ErrorKind::NotFound.into())
                })?;
                file.write_all(&bytes)
                    .map_err(|e| Error::io(&path, "cannot spool image", e))?;
                self.index.insert(key, (self.offset, bytes.len() as u64));
                self.offset += bytes.len() as u64;
                Ok(())
            });
            if let Err(e) = appended {
                self.first_error.get_or_insert(e);
            }
        }
    }

    fn embed_pending(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.pending);
        let refs: Vec<&Candidate> = batch.iter().map(|(c, ..)| c).collect();
        let vectors = self.embedder.embed_frames(&refs)?;
        for ((c, kept, quality), vector) in batch.into_iter().zip(vectors) {
            self.frames.push((
                c.meta.clone(),
                SceneFrame {
                    time: c.meta.time,
                    vector,
                    quality,
                    gated: !kept,
                },
            ));
            if kept && quality.structure >= self.min_structure {
                self.spool_image(c);
            }
        }
        Ok(())
    }

    fn spool_image(&mut self, c: Candidate) {
        let Some(path) = self.spool.as_deref().map(Self::spool_file) else {
            return; // not spooling: no image is encoded
        };
        let (format, quality, image) = (self.format, self.quality, c.image);
        let job = move || encode_for(&image, format, quality, &path);
        let done = self.encoder.submit(c.meta.decode_index, job);
        self.settle(done);
    }
}

impl Sink for SceneSink {
    fn begin(&mut self, _video: &str, _info: &VideoInfo) -> Result<()> {
        let Some(spool) = &self.spool else {
            return Ok(());
        };
        std::fs::create_dir_all(spool)
            .map_err(|e| Error::io(spool, "cannot create spool folder", e))?;
        let path = Self::spool_file(spool);
        let file = File::create(&path).map_err(|e| Error::io(&path, "cannot create spool", e))?;
        self.file = Some(BufWriter::new(file));
        Ok(())
    }

    fn accept(&mut self, verdict: Verdict) -> Result<()> {
        let (c, kept) = match verdict {
            Verdict::Keep(c) => (c, true),
            Verdict::Drop(c, _) => (c, false),
        };
        let quality = measure_quality(c.analysis());
        self.pending.push((c, kept, quality));
        if self.pending.len() >= self.embedder.batch_size() {
            self.embed_pending()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<u64> {
        let embedded = self.embed_pending();
        let done = self.encoder.finish();
        self.settle(done);
        if let (Some(mut f), Some(spool)) = (self.file.take(), &self.spool) {
            let path = Self::spool_file(spool);
            if let Err(e) = f.flush() {
                self.first_error
                    .get_or_insert(Error::io(&path, "cannot spool image", e));
            }
        }
        embedded?;
        if let Some(e) = self.first_error.take() {
            return Err(e);
        }
        self.frames.sort_by_key(|(m, _)| m.decode_index);
        Ok(0)
    }
}

/// One video after the decoding pass: its candidates, seams and spool.
#[derive(Debug, Clone)]
pub struct ScenePass {
    /// The video's job.
    pub job: Job,
    /// The pass's report (counts, decode statistics).
    pub report: VideoReport,
    /// Each candidate's position in the video.
    pub metas: Vec<FrameMeta>,
    /// Each candidate's embedding and quality.
    pub frames: Vec<SceneFrame>,
    /// The seams found.
    pub seams: Vec<Seam>,
    /// Where the video starts and ends (seconds).
    pub span: (f64, f64),
    /// The spool folder (`None` when the pass did not spool).
    pub spool: Option<PathBuf>,
    /// Where each candidate's image is in the spool file.
    pub index: SpoolIndex,
}

impl ScenePass {
    /// The plan's view of this video.
    pub fn view(&self) -> VideoFrames<'_> {
        VideoFrames {
            frames: &self.frames,
            seams: &self.seams,
            span: self.span,
        }
    }

    /// Removes the spool folder (and the run's spool root when empty).
    pub fn remove_spool(&self) {
        let Some(spool) = &self.spool else {
            return;
        };
        let _ = std::fs::remove_dir_all(spool);
        if let Some(root) = spool.parent() {
            let _ = std::fs::remove_dir(root); // only when empty
        }
    }
}

/// The spool folder of a job.
fn spool_of(job: &Job) -> PathBuf {
    let root = job
        .output_dir
        .parent()
        .map_or_else(|| PathBuf::from(SPOOL_DIR), |p| p.join(SPOOL_DIR));
    let name = job
        .output_dir
        .file_name()
        .map_or_else(|| "video".into(), |n| n.to_string_lossy().into_owned());
    root.join(name)
}

/// The sampling settings of the decoding pass: every frame decoded (for
/// frame-exact cuts), candidates at `scene.fps`, no dedup; the user's
/// gates and time window stay.
pub fn pass_config(cfg: &SampleConfig, scene: &SceneConfig) -> SampleConfig {
    SampleConfig {
        keyframes_only: false,
        reference_compat: false,
        min_frame_interval_sec: 0.0,
        fps: Some(scene.fps),
        frame_changes: true,
        buffer: BufferConfig::of(BufferKind::Passthrough),
        ..cfg.clone()
    }
}

/// The decoding pass of one video: embeds and measures every candidate
/// and finds the seams. With `spool`, each candidate that could be saved
/// is also encoded into the job's spool folder, so its image can be
/// written later without decoding again; without, nothing touches the
/// disk (callers in memory take pictures by time). Nothing is written to
/// the video's folder yet.
/// `model` is [`crate::shots::load_model`]'s for `scene.shots`.
pub fn analyse_video(
    job: &Job,
    cfg: &SampleConfig,
    scene: &SceneConfig,
    embedder: &Arc<dyn Embedder>,
    model: Option<&TransNetV2>,
    spool: bool,
    progress: &(dyn Fn(f64) + Sync),
) -> Result<ScenePass> {
    scene.validate()?;
    let pass_cfg = pass_config(cfg, scene);
    let spool = spool.then(|| spool_of(job));
    if let Some(dir) = &spool {
        let _ = std::fs::remove_dir_all(dir); // a killed run's leftovers
    }
    let mut sink = SceneSink::new(
        embedder.clone(),
        spool.clone(),
        cfg.format,
        cfg.quality,
        scene.min_structure,
    );
    let traced = traced_pass(
        &job.input,
        &pass_cfg,
        &mut sink,
        &scene.shots,
        model,
        progress,
    );
    let (report, changes, scores) = match traced {
        Ok(r) => r,
        Err(e) => {
            if let Some(dir) = &spool {
                let _ = std::fs::remove_dir_all(dir);
            }
            return Err(e);
        }
    };
    let index = std::mem::take(&mut sink.index);
    let (metas, frames): (Vec<FrameMeta>, Vec<SceneFrame>) = sink.frames.into_iter().unzip();
    let times: Vec<f64> = frames.iter().map(|f| f.time).collect();
    let vectors: Vec<&[f32]> = frames.iter().map(|f| f.vector.as_slice()).collect();
    let detection = detect_seams(&times, &vectors, &changes, &scene.segment);
    let fps = report.video.as_ref().map_or(25.0, |v| v.avg_fps);
    let seams = choose_seams(
        &scene.shots,
        detection.seams,
        &scores,
        &changes,
        &times,
        fps,
    );
    let end = crate::pipeline::video_end_time(&report, &changes, &times, &pass_cfg);
    let start = times
        .first()
        .copied()
        .unwrap_or(0.0)
        .min(cfg.start_time_s.max(0.0));
    Ok(ScenePass {
        job: job.clone(),
        report,
        metas,
        frames,
        seams,
        span: (start, end),
        spool,
        index,
    })
}

/// Writes video `vi` of `plan`: copies its saved frames' images out of the
/// spool to their final names, writes `frames.jsonl` (one line per candidate),
/// removes the spool and returns the report. `passes` are all the
/// videos of the plan (for occurrences in other videos).
pub fn finish_video(
    passes: &[&ScenePass],
    vi: usize,
    plan: &ScenePlan,
    cfg: &SampleConfig,
) -> Result<VideoReport> {
    let pass = passes[vi];
    let result = write_outputs(passes, vi, plan, cfg);
    pass.remove_spool();
    let (saved, sheet_seconds) = result?;
    let mut report = pass.report.clone();
    report.saved = saved;
    report.sheet_seconds = sheet_seconds;
    report.scenes = plan.stats.get(vi).cloned();
    Ok(report)
}

/// Every candidate of video `vi` as a manifest record, in time order:
/// what the plan made of it (saved frames have no `path` yet).
pub fn scene_records(passes: &[&ScenePass], vi: usize, plan: &ScenePlan) -> Vec<FrameRecord> {
    let pass = passes[vi];
    let mut records = Vec::with_capacity(pass.frames.len());
    for (i, (meta, frame)) in pass.metas.iter().zip(&pass.frames).enumerate() {
        let fate = plan.fates[vi][i];
        let (scene_start, scene_end) = plan.shots[vi][i];
        let mut note = SceneNote {
            scene: fate.scene(),
            role: fate.role(),
            reason: fate.reason(),
            scene_start,
            scene_end,
            occurrences: None,
            quality: frame.quality,
        };
        if let Some(s) = fate.scene().filter(|_| fate.saved()) {
            note.occurrences = plan.scenes.get(s).map(|scene| {
                scene
                    .occurrences
                    .iter()
                    .map(|o| OccurrenceNote {
                        video: (o.video != vi).then(|| passes[o.video].job.input.clone()),
                        start: o.start,
                        end: o.end,
                    })
                    .collect()
            });
        }
        let notes = crate::frame::Notes {
            scene: Some(note),
            ..Default::default()
        };
        records.push(FrameRecord {
            video: pass.job.input.clone(),
            path: None,
            decision: fate.decision(),
            meta: meta.clone(),
            notes,
        });
    }
    records
}

fn write_outputs(
    passes: &[&ScenePass],
    vi: usize,
    plan: &ScenePlan,
    cfg: &SampleConfig,
) -> Result<(u64, Option<f64>)> {
    let pass = passes[vi];
    let job = &pass.job;
    let dir = &job.output_dir;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, "cannot create output folder", e))?;
    let mut used = HashSet::new();
    let mut records = scene_records(passes, vi, plan);
    let mut saved = 0u64;
    let mut first_error: Option<Error> = None;
    let spool_path = pass
        .spool
        .as_deref()
        .map(SceneSink::spool_file)
        .unwrap_or_default();
    let mut spool = Spool {
        path: &spool_path,
        file: None,
    };
    for record in records.iter_mut().filter(|r| r.decision == Decision::Saved) {
        let meta = &record.meta;
        let stem = frame_stem(meta.pts_time, &job.stem, &cfg.save_format);
        let name = unique_file_name(&mut used, &stem, cfg.format.extension());
        let to = dir.join(&name);
        match copy_spooled(&mut spool, pass.index.get(&meta.decode_index), &to) {
            Ok(()) => {
                saved += 1;
                record.path = Some(name);
            }
            Err(e) => {
                record.decision = Decision::WriteFailed;
                first_error.get_or_insert(e);
            }
        }
    }
    write_manifest(dir, &mut records)?;
    if let Some(e) = first_error {
        return Err(e);
    }
    let mut sheet_seconds = None;
    if cfg.contact_sheet {
        let started = std::time::Instant::now();
        write_sheet_from_files(dir, &records)?;
        sheet_seconds = Some(started.elapsed().as_secs_f64());
    }
    Ok((saved, sheet_seconds))
}

/// The contact sheet of the frames just written, read back (they were
/// copied from the spool as encoded bytes: there is no picture in memory).
fn write_sheet_from_files(dir: &Path, records: &[FrameRecord]) -> Result<()> {
    use rayon::prelude::*;
    let mut thumbs: Vec<(f64, crate::frame::RgbImage)> = records
        .par_iter()
        .filter_map(|r| r.path.as_ref().map(|p| (r.meta.time, dir.join(p))))
        .map(|(t, p)| Ok((t, crate::output::sheet::file_thumbnail(&p)?)))
        .collect::<Result<_>>()?;
    if !thumbs.is_empty() {
        crate::output::sheet::write_sheets(dir, &mut thumbs)?;
    }
    Ok(())
}

/// The spool file, opened on first use.
struct Spool<'a> {
    path: &'a Path,
    file: Option<File>,
}

/// Writes the spooled image at `at` (offset, length) to `to`, under a
/// temporary name then renamed.
fn copy_spooled(spool: &mut Spool<'_>, at: Option<&(u64, u64)>, to: &Path) -> Result<()> {
    let missing = || {
        Error::io(
            spool.path,
            "image not in the spool",
            std::io::ErrorKind::NotFound.into(),
        )
    };
    let &(offset, len) = at.ok_or_else(missing)?;
    if spool.file.is_none() {
        let f =
            File::open(spool.path).map_err(|e| Error::io(spool.path, "cannot read spool", e))?;
        spool.file = Some(f);
    }
    let file = spool.file.as_mut().ok_or_else(missing)?;
    let mut bytes = vec![0u8; len as usize];
    file.seek(SeekFrom::Start(offset))
        .and_then(|_| file.read_exact(&mut bytes))
        .map_err(|e| Error::io(spool.path, "cannot read spool", e))?;
    write_atomic(to, &bytes).map_err(|e| Error::io(to, "cannot write image", e))
}

/// Scene sampling of one video, start to end (the per-video mode): never
/// fails, a failure is the report's error.
pub fn scene_video(
    job: &Job,
    cfg: &SampleConfig,
    scene: &SceneConfig,
    embedder: &Arc<dyn Embedder>,
    model: Option<&TransNetV2>,
    progress: &(dyn Fn(f64) + Sync),
) -> VideoReport {
    let started = std::time::Instant::now();
    let failed =
        |e: Error| VideoReport::failed(&job.input, e.to_string(), started.elapsed().as_secs_f64());
    let pass = match analyse_video(job, cfg, scene, embedder, model, true, progress) {
        Ok(p) => p,
        Err(e) => return failed(e),
    };
    if pass.report.interrupted {
        // Scenes from part of a video would mislead: write nothing.
        pass.remove_spool();
        return pass.report;
    }
    let plan = plan(&[pass.view()], scene);
    match finish_video(&[&pass], 0, &plan, cfg) {
        Ok(mut r) => {
            r.seconds = started.elapsed().as_secs_f64();
            r
        }
        Err(e) => failed(e),
    }
}
