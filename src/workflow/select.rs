//! `select`: embed candidates, choose N diverse ones (per video or over
//! all videos), report their diversity, and write the chosen frames (a
//! second decoding pass takes just those frames, so memory stays one batch
//! of images plus the vectors).

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};

use super::batch::{Batch, Inputs, Outcome};
use super::embed::load_embedder;
use super::settings::{BatchSettings, SelectSettings};
use crate::buffer::{BufferConfig, BufferKind};
use crate::config::SampleConfig;
use crate::embed::Embedder;
use crate::embed::{
    write_embeddings, write_embeddings_as, EmbeddedFrame, CANDIDATES_INDEX, CANDIDATES_NPY,
};
use crate::error::{Error, Result};
use crate::gate::GateConfig;
use crate::input::Job;
use crate::pipeline::{sample_video_traced, PassOptions, VideoReport};
use crate::runner::{failed, run_job_pass, Observer};
use crate::scenes::{plan, SceneConfig, SceneFrame, VideoFrames};
use crate::segment::{detect_seams, Seam, SegmentConfig};
use crate::select::{select_frames_seeded, write_report, Diversity, Selection};
use crate::sink::EmbeddingSink;

/// Label of the diversity report of a `global` choice.
pub const GLOBAL_LABEL: &str = "all inputs (--global)";

/// What `select` came to: the batch, and each diversity report (per
/// video, or one for `global`) by input.
#[derive(Debug)]
pub struct SelectOutcome {
    /// The run.
    pub outcome: Outcome,
    /// `(input, report)`, sorted by input.
    pub diversity: Vec<(String, Vec<Diversity>)>,
}

/// One video's choice, in memory.
#[derive(Debug, Clone)]
pub struct Choice {
    /// The first pass's report.
    pub report: VideoReport,
    /// The candidates that took part (gated, not mid-transition, not poor
    /// unless `keep_poor`), embedded, in time order.
    pub frames: Vec<EmbeddedFrame>,
    /// Which of `frames` were chosen.
    pub selection: Selection,
    /// The diversity report.
    pub diversity: Vec<Diversity>,
}

/// Chooses among one video's candidates (nothing is written).
pub fn choose_video(
    input: &str,
    settings: &SelectSettings,
    embedder: &Arc<dyn Embedder>,
    progress: &(dyn Fn(f64) + Sync),
) -> Result<Choice> {
    settings.validate()?;
    let cfg = settings.sample_config();
    let pass = embed_candidates(
        input,
        &cfg,
        embedder,
        settings.keep_transitions,
        false,
        progress,
    )?;
    choose(pass, settings)
}

/// The frames `select` would choose among in one video, embedded and
/// hashed ([`EmbeddedFrame::hash`]), in time order: its candidates after
/// the gates, without those in the middle of a transition (unless `keep_transitions`) and the flat or blurred ones
/// (unless `keep_poor`). A choice made elsewhere over these (e.g. one
/// coreset over many videos' candidates) is `select --global`'s with
/// `method: coreset`, given the videos in the same order.
pub fn select_candidates(
    input: &str,
    settings: &SelectSettings,
    embedder: &Arc<dyn Embedder>,
    progress: &(dyn Fn(f64) + Sync),
) -> Result<super::Embedded> {
    // How many to choose is not this step's business.
    let cfg = settings.sample_config();
    cfg.validate()?;
    let pass = embed_candidates(
        input,
        &cfg,
        embedder,
        settings.keep_transitions,
        true,
        progress,
    )?;
    let mut passes = [pass];
    scene_rules(&mut passes, settings.keep_poor);
    let [Pass1 { report, frames, .. }] = passes;
    Ok(super::Embedded { report, frames })
}

/// The choice over one video's first pass.
fn choose(pass: Pass1, settings: &SelectSettings) -> Result<Choice> {
    let mut passes = [pass];
    let seeds: Vec<usize> = scene_rules(&mut passes, settings.keep_poor)
        .into_iter()
        .map(|(_, i)| i)
        .collect();
    let [Pass1 { report, frames, .. }] = passes;
    let (selection, diversity) = select_frames_seeded(&frames, &settings.select, &seeds)?;
    Ok(Choice {
        report,
        frames,
        selection,
        diversity,
    })
}

/// `select` over every input: `OUT/<video>/` frames + `frames.jsonl` +
/// `embeddings.npy/.jsonl` of the chosen frames and `diversity.json/.csv`
/// (per video, or in `OUT` with `global`).
pub fn select(
    inputs: &Inputs,
    out: &Path,
    settings: &SelectSettings,
    batch: &BatchSettings,
    observer: &dyn Observer,
) -> Result<SelectOutcome> {
    settings.validate()?;
    if settings.global {
        batch.refuse_resume_with_global()?;
    }
    let cfg = settings.sample_config();
    let run = Batch::new("select", &cfg, settings, batch, observer)?;
    let embedder = load_embedder(&settings.embedder)?;
    let tables: Mutex<Vec<(String, Vec<Diversity>)>> = Mutex::new(Vec::new());
    let outcome = if settings.global {
        global(&run, inputs, out, settings, &embedder, &tables)?
    } else {
        run.run(inputs, out, &|job, cfg, progress| {
            let outcome = embed_candidates(
                &job.input,
                cfg,
                &embedder,
                settings.keep_transitions,
                false,
                progress,
            )
            .and_then(|pass| {
                if pass.report.interrupted {
                    return Ok(pass.report); // a choice from part of the video would mislead
                }
                let choice = choose(pass, settings)?;
                write_report(&job.output_dir, &choice.diversity)?;
                if settings.keep_candidates {
                    write_embeddings_as(
                        &job.output_dir,
                        (CANDIDATES_NPY, CANDIDATES_INDEX),
                        &choice.frames,
                        &embedder.name(),
                        embedder.dim(),
                    )?;
                }
                if let Ok(mut t) = tables.lock() {
                    t.push((job.input.clone(), choice.diversity.clone()));
                }
                let chosen: Vec<&EmbeddedFrame> = choice
                    .selection
                    .chosen
                    .iter()
                    .map(|&i| &choice.frames[i])
                    .collect();
                write_chosen(job, cfg, choice.report, &chosen, &embedder)
            });
            (
                outcome.unwrap_or_else(|e| failed(job, e.to_string(), 0.0)),
                (),
            )
        })?
    };
    let mut diversity = tables.into_inner().unwrap_or_default();
    diversity.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(SelectOutcome { outcome, diversity })
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

/// Pass 1: the video's candidates, embedded and measured (and hashed with
/// `hash`), with the seams between them; without `keep_transitions`,
/// those in the middle of a crossfade or fade are left out (and counted).
fn embed_candidates(
    input: &str,
    cfg: &SampleConfig,
    embedder: &Arc<dyn Embedder>,
    keep_transitions: bool,
    hash: bool,
    progress: &(dyn Fn(f64) + Sync),
) -> Result<Pass1> {
    // Seams are found on every candidate, gated or not: a fade from black
    // passes through frames the dark gate drops.
    let mut sink = EmbeddingSink::new(embedder.clone())
        .with_quality()
        .also_dropped();
    if hash {
        sink = sink.with_hash();
    }
    let (mut report, changes) = sample_video_traced(input, cfg, &mut sink, progress)?;
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
/// scene sampling makes it): unless `keep_poor`, flat and blurred
/// candidates are removed (and counted); returns each distinct scene's
/// best frame as `(video, index into its remaining frames)`, the longest
/// scenes first.
fn scene_rules(passes: &mut [Pass1], keep_poor: bool) -> Vec<(usize, usize)> {
    // The vectors move into the plan's frames and back, not copied: with
    // `global` they are every candidate of every video.
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
) -> Result<VideoReport> {
    let cfg = second_pass(cfg);
    let pass = PassOptions {
        only_pts: Some(chosen.iter().map(|f| f.meta.pts).collect::<BTreeSet<i64>>()),
        ..PassOptions::default()
    };
    let pass2 = if chosen.is_empty() {
        VideoReport::default()
    } else {
        let r = run_job_pass(job, &cfg, &pass, &|_| {});
        if let Some(e) = &r.error {
            return Err(Error::Damaged {
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
        sheet_seconds: pass2.sheet_seconds,
        ..pass1
    })
}

/// The settings of a second pass that writes frames chosen in the first:
/// no dedup, no gate, no tracing.
pub(crate) fn second_pass(cfg: &SampleConfig) -> SampleConfig {
    SampleConfig {
        buffer: BufferConfig::of(BufferKind::Passthrough),
        gate: GateConfig::Pass,
        frame_changes: false,
        ..cfg.clone()
    }
}

/// `global`: embed every video, choose once over all, then write each
/// video's share.
fn global(
    run: &Batch<'_>,
    inputs: &Inputs,
    out: &Path,
    settings: &SelectSettings,
    embedder: &Arc<dyn Embedder>,
    tables: &Mutex<Vec<(String, Vec<Diversity>)>>,
) -> Result<Outcome> {
    let (jobs, embedded) = run.first_pass(
        inputs,
        out,
        &|job, cfg, progress| {
            embed_candidates(
                &job.input,
                cfg,
                embedder,
                settings.keep_transitions,
                false,
                progress,
            )
        },
        |p: &Pass1| p.report.clone(),
    )?;
    let mut ok: Vec<Pass1> = Vec::new();
    let mut passes: HashMap<String, VideoReport> = HashMap::new();
    for (report, pass) in embedded {
        match pass {
            Some(p) => ok.push(p),
            None => {
                passes.insert(report.input.clone(), report);
            }
        }
    }
    let seeds = scene_rules(&mut ok, settings.keep_poor);
    let mut offsets = Vec::with_capacity(ok.len());
    let mut all: Vec<EmbeddedFrame> = Vec::new();
    for p in ok {
        offsets.push(all.len());
        all.extend(p.frames);
        passes.insert(p.report.input.clone(), p.report);
    }
    let seeds: Vec<usize> = seeds.into_iter().map(|(v, i)| offsets[v] + i).collect();
    if let Some(signal) = crate::cancel::stop_requested() {
        run.observer
            .notice("framesift: interrupted before the selection; nothing written");
        return Ok(Outcome::interrupted_early(jobs, signal));
    }
    let (selection, report) = select_frames_seeded(&all, &settings.select, &seeds)?;
    write_report(out, &report)?;
    if let Ok(mut t) = tables.lock() {
        t.push((GLOBAL_LABEL.to_string(), report));
    }
    let mut chosen: HashMap<String, Vec<&EmbeddedFrame>> = HashMap::new();
    for &i in &selection.chosen {
        chosen
            .entry(all[i].video.clone())
            .or_default()
            .push(&all[i]);
    }
    run.run(inputs, out, &|job, cfg, _| {
        let Some(pass1) = passes.get(&job.input).cloned() else {
            return (failed(job, "not embedded".into(), 0.0), ());
        };
        if !pass1.ok && pass1.decoded == 0 {
            return (pass1, ());
        }
        let picks = chosen.get(&job.input).cloned().unwrap_or_default();
        let candidates = || -> Result<()> {
            if settings.keep_candidates {
                let mine: Vec<EmbeddedFrame> = all
                    .iter()
                    .filter(|f| f.video == job.input)
                    .cloned()
                    .collect();
                write_embeddings_as(
                    &job.output_dir,
                    (CANDIDATES_NPY, CANDIDATES_INDEX),
                    &mine,
                    &embedder.name(),
                    embedder.dim(),
                )?;
            }
            Ok(())
        };
        let r = write_chosen(job, cfg, pass1, &picks, embedder)
            .and_then(|r| candidates().map(|_| r))
            .unwrap_or_else(|e| failed(job, e.to_string(), 0.0));
        (r, ())
    })
}
