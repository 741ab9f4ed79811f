//! `framesift select`: embed candidates, choose, report, write the chosen
//! frames (a second decoding pass takes just those frames).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex};

use framesift::buffer::{BufferConfig, BufferKind};
use framesift::config::SampleConfig;
use framesift::embed::Embedder;
use framesift::gate::GateConfig;
use framesift::input::{plan_jobs, Job, JobKind};
use framesift::pipeline::{sample_video_traced, VideoReport};
use framesift::runner::{failed, run_job, run_jobs_with, Silent};
use framesift::select::{
    mid_transition, select_frames, to_table, write_report, Method, SelectConfig,
};
use framesift::sink::{write_embeddings, EmbeddedFrame, EmbeddingSink, SaveFormat};

use super::flags::SelectArgs;
use super::{candidate_config, embedder, gates, Run};

/// Runs `framesift select`.
pub fn run(a: &SelectArgs) -> anyhow::Result<u8> {
    let sel = SelectConfig {
        method: a.method.parse::<Method>()?,
        n: a.n,
        fraction: a.fraction,
        min_distance: a.min_distance,
        seed: a.seed,
        dedup: !a.keep_duplicates,
    };
    sel.validate()?;
    let mut cfg = candidate_config(&a.candidates, a.run.debug);
    cfg.gate = gates(&a.gates);
    // Telling a crossfade from a cut needs every frame's change.
    cfg.frame_changes = !a.keep_transitions && !cfg.keyframes_only;
    cfg.format = a.out.format;
    cfg.quality = a.out.quality;
    cfg.save_format = SaveFormat {
        encode_time_b64: a.out.encode_time_b64,
        avoid_dot: a.out.avoid_dot,
        include_filename: a.out.include_filename,
    };
    let run = Run::with_run_flags(
        "select",
        cfg,
        &a.run,
        format!(
            "{sel:?} {:?} keep_transitions={}",
            a.embed, a.keep_transitions
        ),
    );
    if a.global && a.run.resume {
        anyhow::bail!("--resume does not work with --global (one choice over all videos): run again without --resume");
    }
    run.cfg.validate()?;
    let embedder = embedder(&a.embed)?;
    let tables: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());

    let code = if a.global {
        global(a, &run, &sel, &embedder, &tables)?
    } else {
        run.execute_with(
            &a.inputs,
            &a.output,
            JobKind::Video,
            &|job, cfg, progress| {
                let outcome = embed_video(job, cfg, &embedder, a.keep_transitions, progress)
                    .and_then(|(pass1, frames)| {
                        if pass1.interrupted {
                            return Ok(pass1); // a choice from part of the video would mislead
                        }
                        let (selection, report) = select_frames(&frames, &sel)?;
                        write_report(&job.output_dir, &report)?;
                        if let Ok(mut t) = tables.lock() {
                            t.push((job.input.clone(), to_table(&report)));
                        }
                        let chosen: Vec<&EmbeddedFrame> =
                            selection.chosen.iter().map(|&i| &frames[i]).collect();
                        write_chosen(job, cfg, pass1, &chosen, &embedder)
                    });
                (
                    outcome.unwrap_or_else(|e| failed(job, e.to_string(), 0.0)),
                    (),
                )
            },
        )?
    };
    if !a.run.quiet {
        let mut t = tables.into_inner().unwrap_or_default();
        t.sort();
        for (input, table) in t {
            println!("diversity: {input}\n{table}");
        }
    }
    Ok(code)
}

/// Pass 1: the video's candidates, embedded; without `keep_transitions`,
/// those in the middle of a crossfade or fade are left out (and counted).
fn embed_video(
    job: &Job,
    cfg: &SampleConfig,
    embedder: &Arc<dyn Embedder>,
    keep_transitions: bool,
    progress: &(dyn Fn(f64) + Sync),
) -> framesift::Result<(VideoReport, Vec<EmbeddedFrame>)> {
    let mut sink = EmbeddingSink::new(embedder.clone());
    if !keep_transitions {
        // Transitions are found on every candidate, gated or not: a fade
        // from black passes through frames the dark gate drops.
        sink = sink.also_dropped();
    }
    let (mut report, changes) = sample_video_traced(&job.input, cfg, &mut sink, progress)?;
    let mut frames = sink.frames;
    if !keep_transitions {
        let mut all: Vec<&EmbeddedFrame> = frames.iter().chain(&sink.dropped).collect();
        all.sort_by_key(|f| f.meta.decode_index);
        let mid: HashSet<i64> = mid_transition(&all, &changes)
            .into_iter()
            .map(|i| all[i].meta.pts)
            .collect();
        let before = frames.len();
        frames.retain(|f| !mid.contains(&f.meta.pts));
        report.transition_frames = Some((before - frames.len()) as u64);
    }
    Ok((report, frames))
}

/// Pass 2: decodes again, writes only the chosen frames (images +
/// frames.jsonl) and their embeddings; the report keeps pass 1's counts.
fn write_chosen(
    job: &Job,
    cfg: &SampleConfig,
    pass1: VideoReport,
    chosen: &[&EmbeddedFrame],
    embedder: &Arc<dyn Embedder>,
) -> framesift::Result<VideoReport> {
    let mut cfg = cfg.clone();
    cfg.only_pts = Some(chosen.iter().map(|f| f.meta.pts).collect::<BTreeSet<i64>>());
    cfg.buffer = BufferConfig::of(BufferKind::Passthrough);
    cfg.gate = GateConfig::Pass;
    cfg.frame_changes = false;
    let pass2 = if chosen.is_empty() {
        VideoReport::default()
    } else {
        let r = run_job(job, &cfg, &|_| {});
        if let Some(e) = &r.error {
            return Err(framesift::Error::Damaged {
                input: job.input.clone(),
                reason: format!("second pass: {e}"),
            });
        }
        r
    };
    let rows: Vec<EmbeddedFrame> = chosen.iter().map(|f| (*f).clone()).collect();
    write_embeddings(&job.output_dir, &rows, &embedder.name(), embedder.dim())?;
    Ok(VideoReport {
        saved: pass2.saved,
        seconds: pass1.seconds + pass2.seconds,
        ..pass1
    })
}

/// `--global`: embed every video, choose once over all, then write each
/// video's share.
fn global(
    a: &SelectArgs,
    run: &Run,
    sel: &SelectConfig,
    embedder: &Arc<dyn Embedder>,
    tables: &Mutex<Vec<(String, String)>>,
) -> anyhow::Result<u8> {
    let (jobs, _) = plan_jobs(&a.inputs, &a.output);
    let workers = super::worker_count(run.workers);
    let embedded =
        run_jobs_with(
            &jobs,
            &run.cfg,
            workers,
            &Silent,
            &|job, cfg, progress| match embed_video(
                job,
                cfg,
                embedder,
                a.keep_transitions,
                progress,
            ) {
                Ok((r, frames)) => (r, Some(frames)),
                Err(e) => (failed(job, e.to_string(), 0.0), None),
            },
        );
    let mut all: Vec<EmbeddedFrame> = Vec::new();
    let mut passes: HashMap<String, VideoReport> = HashMap::new();
    for (report, frames) in embedded {
        if let Some(Some(frames)) = frames {
            all.extend(frames);
        }
        passes.insert(report.input.clone(), report);
    }
    if let Some(signal) = framesift::cancel::stop_requested() {
        // Interrupted while embedding: nothing has been written yet.
        eprintln!("framesift: interrupted before the selection; nothing written");
        return Ok((128 + signal).clamp(0, 255) as u8);
    }
    let (selection, report) = select_frames(&all, sel)?;
    write_report(&a.output, &report)?;
    if let Ok(mut t) = tables.lock() {
        t.push(("all inputs (--global)".to_string(), to_table(&report)));
    }
    let mut chosen: HashMap<String, Vec<&EmbeddedFrame>> = HashMap::new();
    for &i in &selection.chosen {
        chosen
            .entry(all[i].video.clone())
            .or_default()
            .push(&all[i]);
    }
    let code = run.execute_with(&a.inputs, &a.output, JobKind::Video, &|job, cfg, _| {
        let Some(pass1) = passes.get(&job.input).cloned() else {
            return (failed(job, "not embedded".into(), 0.0), ());
        };
        if !pass1.ok && pass1.decoded == 0 {
            return (pass1, ());
        }
        let picks = chosen.get(&job.input).cloned().unwrap_or_default();
        let r = write_chosen(job, cfg, pass1, &picks, embedder)
            .unwrap_or_else(|e| failed(job, e.to_string(), 0.0));
        (r, ())
    })?;
    Ok(code)
}
