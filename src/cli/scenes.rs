//! `framesift sample --mode scenes` (the default): one best frame per
//! distinct scene. The work is the library's (`framesift::scenes`); this
//! turns flags into settings and runs it per video or, with `--global`,
//! over all videos at once.

use std::collections::HashMap;
use std::sync::Arc;

use framesift::buffer::{BufferConfig, BufferKind};
use framesift::embed::{BuiltinEmbedder, Embedder};
use framesift::input::{plan_jobs, JobKind};
use framesift::pipeline::VideoReport;
use framesift::runner::{failed, run_jobs_with, Silent};
use framesift::scenes::{analyse_video, finish_video, plan, scene_video, SceneConfig, ScenePass};

use super::flags::{Mode, SampleArgs};
use super::Run;

/// The mode `sample` runs in: `--mode`/`--scenes`, else the old
/// `--keyframes-only`/`--no-keyframes-only` flags, else scenes.
pub fn mode(a: &SampleArgs) -> Mode {
    let sel = &a.pipeline.selection;
    if a.scene.scenes {
        Mode::Scenes
    } else if let Some(m) = a.scene.mode {
        m
    } else if sel.no_keyframes_only {
        Mode::AllFrames
    } else if sel.keyframes_only || sel.reference_compat {
        Mode::Keyframes
    } else {
        Mode::Scenes
    }
}

/// Flags that only mean something for the hash-buffer modes.
fn refuse_buffer_flags(a: &SampleArgs) -> anyhow::Result<()> {
    let b = &a.pipeline.buffer;
    let i = &a.pipeline.integrations;
    let given = [
        ("--hash-size", b.hash_size.is_some()),
        ("--buffer-size", b.buffer_size.is_some()),
        ("--max-hamming", b.max_hamming != 0),
        ("--no-dedup", b.no_dedup),
        ("--reference-compat", a.pipeline.selection.reference_compat),
        ("--keywords", i.keywords.is_some()),
        ("--summary-url", i.summary_url.is_some()),
    ];
    if let Some((flag, _)) = given.iter().find(|(_, on)| *on) {
        anyhow::bail!(
            "{flag} works with --mode keyframes or --mode all-frames (scene mode picks one frame per \
             distinct scene by embedding); add one of them"
        );
    }
    Ok(())
}

/// Runs `sample` in scene mode.
pub fn run(a: &SampleArgs) -> anyhow::Result<u8> {
    refuse_buffer_flags(a)?;
    let scene = SceneConfig {
        fps: a.scene.scene_fps,
        max_per_scene: a.scene.max_per_scene as usize,
        merge_threshold: a.scene.merge_threshold,
        global: a.scene.global,
        ..SceneConfig::default()
    };
    scene.validate()?;
    // No dedup buffer: repeats are merged by the scene plan.
    let buffer = BufferConfig::of(BufferKind::Passthrough);
    let mut run = Run::from_flags("sample", &a.pipeline, buffer, -1, false)?;
    run.cfg = framesift::scenes::pass_config(&run.cfg, &scene);
    run.extra = serde_json::to_string(&scene).unwrap_or_default();
    let embedder: Arc<dyn Embedder> = Arc::new(BuiltinEmbedder::default());
    if scene.global {
        if run.resume {
            anyhow::bail!(
                "--resume does not work with --global (one choice over all videos): run again without --resume"
            );
        }
        return global(a, &run, &scene, &embedder);
    }
    run.execute_with(
        &a.inputs,
        &a.output,
        JobKind::Video,
        &|job, cfg, progress| (scene_video(job, cfg, &scene, &embedder, progress), ()),
    )
}

/// `--global`: analyse every video, plan once over all of them, then
/// write each video's share.
fn global(
    a: &SampleArgs,
    run: &Run,
    scene: &SceneConfig,
    embedder: &Arc<dyn Embedder>,
) -> anyhow::Result<u8> {
    framesift::decode::init(run.cfg.debug)?;
    let (jobs, _) = plan_jobs(&a.inputs, &a.output);
    let workers = super::worker_count(run.workers);
    let analysed =
        run_jobs_with(
            &jobs,
            &run.cfg,
            workers,
            &Silent,
            &|job, cfg, progress| match analyse_video(job, cfg, scene, embedder, progress) {
                Ok(p) => (p.report.clone(), Some(p)),
                Err(e) => (failed(job, e.to_string(), 0.0), None),
            },
        );
    let mut reports: HashMap<String, VideoReport> = HashMap::new();
    let mut passes: Vec<ScenePass> = Vec::new();
    for (report, pass) in analysed {
        if let Some(Some(p)) = pass {
            passes.push(p);
        }
        reports.insert(report.input.clone(), report);
    }
    if let Some(signal) = framesift::cancel::stop_requested() {
        for p in &passes {
            p.remove_spool();
        }
        eprintln!("framesift: interrupted before the scenes were chosen; nothing written");
        return Ok((128 + signal).clamp(0, 255) as u8);
    }
    let views: Vec<_> = passes.iter().map(ScenePass::view).collect();
    let plan = plan(&views, scene);
    let refs: Vec<&ScenePass> = passes.iter().collect();
    // By output folder: the same file given twice is two jobs.
    let index: HashMap<&std::path::Path, usize> = passes
        .iter()
        .enumerate()
        .map(|(i, p)| (p.job.output_dir.as_path(), i))
        .collect();
    let code = run.execute_with(&a.inputs, &a.output, JobKind::Video, &|job, cfg, _| {
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
    })?;
    Ok(code)
}
