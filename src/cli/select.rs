//! `framesift select`: embed candidates, choose, report, write the chosen
//! frames (a second decoding pass takes just those frames).

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use framesift::buffer::{BufferConfig, BufferKind};
use framesift::config::SampleConfig;
use framesift::embed::Embedder;
use framesift::gate::GateConfig;
use framesift::input::{plan_jobs, Job, JobKind};
use framesift::pipeline::{sample_video_traced, VideoReport};
use framesift::runner::{failed, run_job, run_jobs_with, Silent};
use framesift::scenes::{plan, SceneConfig, SceneFrame, VideoFrames};
use framesift::segment::{detect_seams, Seam, SegmentConfig};
use framesift::select::{select_frames_seeded, to_table, write_report, Method, SelectConfig};
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
    cfg.frame_changes = !cfg.keyframes_only;
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
            "{sel:?} {:?} keep_transitions={} keep_poor={}",
            a.embed, a.keep_transitions, a.keep_poor
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
                    .and_then(|pass| {
                        if pass.report.interrupted {
                            return Ok(pass.report); // a choice from part of the video would mislead
                        }
                        let mut passes = [pass];
                        let seeds: Vec<usize> = scene_rules(&mut passes, a.keep_poor)
                            .into_iter()
                            .map(|(_, i)| i)
                            .collect();
                        let [Pass1 {
                            report: pass1,
                            frames,
                            ..
                        }] = passes;
                        let (selection, report) = select_frames_seeded(&frames, &sel, &seeds)?;
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

/// One video after pass 1.
struct Pass1 {
    report: VideoReport,
    /// Its candidates (kept by the gates, not mid-transition), embedded
    /// and measured.
    frames: Vec<EmbeddedFrame>,
    /// The seams found over every candidate.
    seams: Vec<Seam>,
    /// Where it starts and ends.
    span: (f64, f64),
}

/// Pass 1: the video's candidates, embedded and measured, with the seams
/// between them; without `keep_transitions`, those in the middle of a
/// crossfade or fade are left out (and counted).
fn embed_video(
    job: &Job,
    cfg: &SampleConfig,
    embedder: &Arc<dyn Embedder>,
    keep_transitions: bool,
    progress: &(dyn Fn(f64) + Sync),
) -> framesift::Result<Pass1> {
    // Seams are found on every candidate, gated or not: a fade from black
    // passes through frames the dark gate drops.
    let mut sink = EmbeddingSink::new(embedder.clone())
        .with_quality()
        .also_dropped();
    let (mut report, changes) = sample_video_traced(&job.input, cfg, &mut sink, progress)?;
    let mut frames = sink.frames;
    let mut all: Vec<&EmbeddedFrame> = frames.iter().chain(&sink.dropped).collect();
    all.sort_by_key(|f| f.meta.decode_index);
    let times: Vec<f64> = all.iter().map(|f| f.meta.time).collect();
    let vectors: Vec<&[f32]> = all.iter().map(|f| f.vector.as_slice()).collect();
    let detection = detect_seams(&times, &vectors, &changes, &SegmentConfig::default());
    let span = (
        times.first().copied().unwrap_or(0.0),
        times.last().map_or(0.0, |t| t + 1e-3),
    );
    if !keep_transitions {
        let before = frames.len();
        frames.retain(|f| !detection.in_transition(f.meta.time));
        report.transition_frames = Some((before - frames.len()) as u64);
    }
    Ok(Pass1 {
        report,
        frames,
        seams: detection.seams,
        span,
    })
}

/// The scene rules over one or more videos' candidates (one plan, as
/// `sample --mode scenes` makes it): unless `keep_poor`, flat and blurred
/// candidates are removed (and counted); returns each distinct scene's
/// best frame as `(video, index into its remaining frames)`, the longest
/// scenes first.
fn scene_rules(passes: &mut [Pass1], keep_poor: bool) -> Vec<(usize, usize)> {
    // The vectors move into the plan's frames and back, not copied: with
    // --global they are every candidate of every video.
    let mut scene_frames: Vec<Vec<SceneFrame>> = passes
        .iter_mut()
        .map(|p| {
            p.frames
                .iter_mut()
                .map(|f| SceneFrame {
                    time: f.meta.time,
                    vector: std::mem::take(&mut f.vector),
                    quality: f.quality.unwrap_or_default(),
                    gated: false,
                })
                .collect()
        })
        .collect();
    let views: Vec<VideoFrames<'_>> = passes
        .iter()
        .zip(&scene_frames)
        .map(|(p, f)| VideoFrames {
            frames: f,
            seams: &p.seams,
            span: p.span,
        })
        .collect();
    let plan = plan(&views, &SceneConfig::default());
    for (p, frames) in passes.iter_mut().zip(&mut scene_frames) {
        for (f, sf) in p.frames.iter_mut().zip(frames.iter_mut()) {
            f.vector = std::mem::take(&mut sf.vector);
        }
    }
    let mut remap: Vec<Vec<Option<usize>>> = Vec::with_capacity(passes.len());
    for (v, p) in passes.iter_mut().enumerate() {
        let mut next = 0;
        let map: Vec<Option<usize>> = (0..p.frames.len())
            .map(|i| {
                (keep_poor || !plan.poor(v, i)).then(|| {
                    next += 1;
                    next - 1
                })
            })
            .collect();
        let before = p.frames.len();
        let mut it = map.iter();
        p.frames.retain(|_| it.next().is_some_and(Option::is_some));
        p.report.poor_frames = Some((before - p.frames.len()) as u64);
        remap.push(map);
    }
    plan.by_importance()
        .into_iter()
        .filter_map(|(v, i)| remap[v][i].map(|j| (v, j)))
        .collect()
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
                Ok(p) => (p.report.clone(), Some(p)),
                Err(e) => (failed(job, e.to_string(), 0.0), None),
            },
        );
    let mut ok: Vec<Pass1> = Vec::new();
    let mut passes: HashMap<String, VideoReport> = HashMap::new();
    for (report, pass) in embedded {
        match pass {
            Some(Some(p)) => ok.push(p),
            _ => {
                passes.insert(report.input.clone(), report);
            }
        }
    }
    let seeds = scene_rules(&mut ok, a.keep_poor);
    let mut offsets = Vec::with_capacity(ok.len());
    let mut all: Vec<EmbeddedFrame> = Vec::new();
    for p in ok {
        offsets.push(all.len());
        all.extend(p.frames);
        passes.insert(p.report.input.clone(), p.report);
    }
    let seeds: Vec<usize> = seeds.into_iter().map(|(v, i)| offsets[v] + i).collect();
    if let Some(signal) = framesift::cancel::stop_requested() {
        // Interrupted while embedding: nothing has been written yet.
        eprintln!("framesift: interrupted before the selection; nothing written");
        return Ok((128 + signal).clamp(0, 255) as u8);
    }
    let (selection, report) = select_frames_seeded(&all, sel, &seeds)?;
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
