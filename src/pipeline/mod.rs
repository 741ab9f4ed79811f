//! One video through the whole pipeline:
//! decode → time filter → RGB + analysis image → buffer → gate → sink.
//!
//! Decoding runs on its own thread and hands only the frames that pass the
//! time filter (still in FFmpeg's format) to the processing thread, so
//! frames that are never used are never converted.
//!
//! May depend on: buffer, cancel, config, error, frame, gate, keywords, media, record, sink.

mod images;
mod time_filter;

use std::time::Instant;

use crossbeam_channel::bounded;

use crate::buffer::Verdict;
use crate::config::SampleConfig;
use crate::error::{Error, Result};
use crate::frame::{Candidate, FrameChange, FrameMeta, LumaTrace, RgbImage};
use crate::media::{DecodeOptions, DecodeStats, DecodedFrame, RgbConverter, SmallRgb, VideoSource};
use crate::sink::Sink;

pub use crate::record::{Counts, VideoReport};
pub use images::{list_images, sample_images, ImageList, IMAGE_EXTENSIONS};
pub use time_filter::{Step, TimeFilter};

/// Where `report`'s video ends (seconds), for a pass that ran with `cfg` and
/// traced `changes`: one frame past its last decoded frame when every
/// frame was traced, else the container's duration, else one step past
/// the last candidate (`times` are the candidates'); never before the
/// last candidate nor past the `end_time_s` window.
pub fn video_end_time(
    report: &VideoReport,
    changes: &[FrameChange],
    times: &[f64],
    cfg: &SampleConfig,
) -> f64 {
    let fps = report.video.as_ref().map_or(25.0, |v| v.avg_fps.max(1.0));
    let last = times.last().copied().unwrap_or(0.0);
    let end = if let Some(c) = changes.last() {
        c.time + 1.0 / fps
    } else if let Some(d) = report.video.as_ref().and_then(|v| v.duration_s) {
        d
    } else {
        last + cfg.fps.map_or(1.0 / fps, |f| 1.0 / f)
    };
    let end = end.max(last);
    cfg.end_time_s.map_or(end, |e| end.min(e.max(last)))
}

/// What one decoding pass needs beyond the settings: state of the pass,
/// not a setting (it is never serialised, fingerprinted or validated).
#[derive(Debug, Clone, Default)]
pub struct PassOptions {
    /// Only these frames (by raw pts) become candidates: a second pass,
    /// which decodes again to write frames chosen in the first.
    pub only_pts: Option<std::collections::BTreeSet<i64>>,
    /// Only the first frame at or after each of these times (seconds,
    /// sorted; to a microsecond, so a frame's own `time` picks that frame)
    /// becomes a candidate: frames asked for by time.
    pub only_times: Option<Vec<f64>>,
    /// The subtitles for keyword capture (path or URL), when the job brings
    /// them (yt-dlp); otherwise a sidecar file or the video's stream.
    pub subtitles: Option<String>,
    /// Every decoded frame inside the time window also goes here, scaled
    /// small (a shot detector that reads every frame, on its own thread).
    pub tap: Option<FrameTap>,
}

/// Where a pass sends every decoded frame in its time window, scaled to
/// `width`×`height` RGB24 as the ffmpeg CLI would ([`SmallRgb`]).
#[derive(Clone)]
pub struct FrameTap {
    /// Target width.
    pub width: u32,
    /// Target height.
    pub height: u32,
    /// The receiving end; the pass blocks while it is full, so a slow
    /// consumer slows decoding instead of filling memory.
    pub sender: crossbeam_channel::Sender<TapFrame>,
}

impl std::fmt::Debug for FrameTap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FrameTap({}x{})", self.width, self.height)
    }
}

/// One frame sent through a [`FrameTap`].
#[derive(Debug, Clone)]
pub struct TapFrame {
    /// Seconds since the start of the stream.
    pub time: f64,
    /// Packed RGB24 rows.
    pub rgb: Vec<u8>,
}

/// A frame chosen by the time filter, on its way to processing.
struct Selected(DecodedFrame, u64);

/// Runs one video through the pipeline into `sink`. `progress` is called
/// with the time (seconds) decoding has reached.
///
/// Returns `Err` when the video cannot be opened or decoded at all, or an
/// output cannot be written. Damage inside a stream is skipped and counted
/// instead: the report then has `ok: false` and an `error` line.
pub fn sample_video(
    input: &str,
    cfg: &SampleConfig,
    sink: &mut dyn Sink,
    progress: &(dyn Fn(f64) + Sync),
) -> Result<VideoReport> {
    sample_video_traced(input, cfg, sink, progress).map(|(report, _)| report)
}

/// [`sample_video`], also returning how much the picture changed at every
/// decoded frame inside the time window when `cfg.frame_changes` is set
/// (empty otherwise, or when the pixel format has no luma plane). With
/// key-frame decoding only key frames are decoded, so only they appear.
pub fn sample_video_traced(
    input: &str,
    cfg: &SampleConfig,
    sink: &mut dyn Sink,
    progress: &(dyn Fn(f64) + Sync),
) -> Result<(VideoReport, Vec<FrameChange>)> {
    sample_video_pass(input, cfg, &PassOptions::default(), sink, progress)
}

/// [`sample_video_traced`] for one pass with its own state (`pass`): the
/// frames a second pass takes, the subtitles a job brought.
pub fn sample_video_pass(
    input: &str,
    cfg: &SampleConfig,
    pass: &PassOptions,
    sink: &mut dyn Sink,
    progress: &(dyn Fn(f64) + Sync),
) -> Result<(VideoReport, Vec<FrameChange>)> {
    let started = Instant::now();
    cfg.validate()?;
    let spans = keyword_spans_for(input, cfg, pass.subtitles.as_deref())?;
    let opts = DecodeOptions {
        mode: cfg.decode_mode(),
        seek_to_s: if cfg.precise_seek {
            0.0
        } else {
            cfg.start_time_s
        },
        threads: cfg.decoder_threads,
    };
    let mut source = VideoSource::open(input, &opts)?;
    let info = source.info().clone();
    check_window(input, cfg, info.duration_s)?;
    let orientation = Some(info.orientation).filter(|o| cfg.turns_frames() && !o.is_identity());
    sink.begin(input, &info)?;

    let mut report = VideoReport {
        input: input.to_string(),
        video: Some(info.clone()),
        ..Default::default()
    };
    let (tx, rx) = bounded::<Selected>(2);
    let only = pass.only_pts.as_ref();
    let at_times = pass.only_times.as_deref();
    let (start, end, interval, fps) = (
        cfg.start_time_s,
        cfg.end_time_s,
        cfg.min_frame_interval_sec,
        cfg.fps,
    );

    let trace = cfg.frame_changes;
    let tap = pass.tap.as_ref();
    if let Some(sp) = &spans {
        report.keyword_spans = Some(sp.len());
    }
    let spans_ref = spans.as_deref();
    let last_span_end =
        spans_ref.map(|sp| sp.iter().map(|s| s.end).fold(f64::NEG_INFINITY, f64::max));
    let (decode_stats, decode_error, total, interrupted, processed, changes) =
        std::thread::scope(|s| {
            let decoder = s.spawn(move || {
                let mut window = TimeFilter::new(start, end, interval).with_rate(fps);
                let frame_rate = info.avg_fps;
                let mut interrupted = false;
                let mut changes = Vec::new();
                let mut luma = LumaTrace::new(frame_rate);
                let mut small = tap.map(|t| (t, SmallRgb::new(t.width, t.height)));
                let mut wanted = at_times.map(|t| t.iter().peekable());
                while let Some(f) = source.next_frame() {
                    if crate::cancel::stop_requested().is_some() {
                        interrupted = true;
                        break;
                    }
                    progress(f.time);
                    if let Some(sp) = spans_ref {
                        if last_span_end.is_some_and(|e| f.time > e) {
                            break; // past the last matching cue
                        }
                        if crate::keywords::span_at(sp, f.time).is_none() {
                            continue;
                        }
                    }
                    let in_window = f.time >= start && end.is_none_or(|e| f.time <= e);
                    if let (true, Some((tap, scaler))) = (in_window, small.as_mut()) {
                        let mut rgb = Vec::new();
                        // A frame that cannot be scaled is skipped, as the
                        // converter skips it for the candidates.
                        if scaler.convert(&f, &mut rgb).is_ok() {
                            // A closed receiver (the detector failed) says
                            // so itself; decoding goes on for the rest.
                            let _ = tap.sender.send(TapFrame { time: f.time, rgb });
                        }
                    }
                    if trace && in_window {
                        if let Some(grid) = f.luma_grid() {
                            changes.push(luma.push(f.time, grid));
                        }
                    }
                    match window.step(f.time, f.pts_time) {
                        Step::Skip => continue,
                        Step::Stop => break,
                        // Past the last wanted frame (decoders return frames in
                        // presentation order): nothing more to do.
                        Step::Accept
                            if only.is_some_and(|o| o.last().is_some_and(|&l| f.pts > l)) =>
                        {
                            break
                        }
                        Step::Accept if only.is_some_and(|o| !o.contains(&f.pts)) => continue,
                        Step::Accept if wanted.as_mut().is_some_and(|w| w.peek().is_none()) => {
                            break
                        }
                        Step::Accept if wanted.as_mut().is_some_and(|w| !take_at(w, f.time)) => {
                            continue
                        }
                        Step::Accept => {
                            let index = (f.pts_time * frame_rate).max(0.0) as u64;
                            if tx.send(Selected(f, index)).is_err() {
                                break; // the consumer stopped (output error)
                            }
                        }
                    }
                }
                (
                    source.stats().clone(),
                    source.first_error().map(str::to_string),
                    window.total,
                    interrupted,
                    changes,
                )
            });
            let frames = converted(input, rx, orientation).map(|item| {
                item.map(|(meta, image)| {
                    let mut c = Candidate::new(meta, image);
                    if let Some(span) =
                        spans_ref.and_then(|sp| crate::keywords::span_at(sp, c.meta.time))
                    {
                        c.notes.keyword = Some(span.keyword.clone());
                        c.notes.cue = Some(span.cue.clone());
                    }
                    c
                })
            });
            let processed = process(frames, cfg, sink, &mut report);
            match decoder.join() {
                Ok((stats, err, total, interrupted, changes)) => {
                    (stats, err, total, interrupted, processed, changes)
                }
                Err(_) => (
                    DecodeStats::default(),
                    Some("decoder thread panicked".to_string()),
                    0,
                    false,
                    processed,
                    Vec::new(),
                ),
            }
        });
    report.total = total;
    report.decode = decode_stats;
    processed?;
    report.seconds = started.elapsed().as_secs_f64();
    if let Some(first) = decode_error {
        let e = Error::Damaged {
            input: input.to_string(),
            reason: format!("{} errors skipped, first: {first}", report.decode.errors),
        };
        if report.decode.frames_decoded == 0 {
            return Err(e);
        }
        report.error = Some(e.to_string());
    } else if report.decode.frames_decoded == 0 && report.decode.packets_read == 0 {
        report.error = Some(
            Error::Damaged {
                input: input.to_string(),
                reason: "the video stream holds no frames".into(),
            }
            .to_string(),
        );
    }
    if report.error.is_none()
        && !interrupted
        && total == 0
        && cfg.start_time_s > 0.0
        && report.keyword_spans.is_none()
    {
        // A stream whose duration was unknown at open ended before the
        // window began.
        report.error = Some(
            Error::Window {
                input: input.to_string(),
                reason: format!(
                    "the time window starts at {} s, past the end of the video",
                    cfg.start_time_s
                ),
            }
            .to_string(),
        );
    }
    if interrupted {
        report.interrupted = true;
        report
            .error
            .get_or_insert_with(|| format!("{input}: interrupted"));
    }
    report.ok = report.error.is_none();
    Ok((report, changes))
}

/// Whether the frame at `time` is the first at or after the next wanted
/// time; if so, every wanted time it answers is used up.
fn take_at(wanted: &mut std::iter::Peekable<std::slice::Iter<'_, f64>>, time: f64) -> bool {
    const EPS: f64 = 1e-6;
    let mut taken = false;
    while wanted.next_if(|&&t| t <= time + EPS).is_some() {
        taken = true;
    }
    taken
}

/// Refuses a time window that starts at or past the end of a video of
/// `duration` seconds (when the container says): it would give no frame.
fn check_window(input: &str, cfg: &SampleConfig, duration: Option<f64>) -> Result<()> {
    match duration {
        Some(d) if cfg.start_time_s > 0.0 && cfg.start_time_s >= d => Err(Error::Window {
            input: input.to_string(),
            reason: format!(
                "the time window starts at {} s, past the end of the video ({d:.3} s long)",
                cfg.start_time_s
            ),
        }),
        _ => Ok(()),
    }
}

/// The keyword spans of `input` when keyword capture is on.
fn keyword_spans_for(
    input: &str,
    cfg: &SampleConfig,
    subtitles: Option<&str>,
) -> Result<Option<Vec<crate::keywords::KeywordSpan>>> {
    let Some(k) = &cfg.keywords else {
        return Ok(None);
    };
    let matcher = crate::keywords::KeywordMatcher::new(&k.keywords)?;
    let (_, cues) = crate::keywords::find_cues(input, subtitles)?;
    Ok(Some(crate::keywords::keyword_spans(
        &cues, &matcher, k.padding,
    )))
}

/// The processing side: `cfg`'s buffer and gate, then `sink`, for frames in
/// time order; fills the report's counts. The first `Err` stops the frames,
/// but the sink is always finished, so what was written stays valid.
/// Frames reach the gate in the order the buffer decides about them (a
/// sliding top-k buffer decides out of time order); sinks restore time
/// order in what they write.
fn process(
    frames: impl Iterator<Item = Result<Candidate>>,
    cfg: &SampleConfig,
    sink: &mut dyn Sink,
    report: &mut VideoReport,
) -> Result<()> {
    let mut buffer = cfg.buffer.build()?;
    let mut gate = cfg.gate.build()?;
    let mut stages = Stages {
        from_buffer: Vec::new(),
        from_gate: Vec::new(),
    };
    let flow = || -> Result<()> {
        for item in frames {
            let candidate = item?;
            report.decoded += 1;
            buffer.push(candidate, &mut stages.from_buffer);
            stages.forward(&mut *gate, sink, report, false)?;
        }
        buffer.flush(&mut stages.from_buffer);
        stages.forward(&mut *gate, sink, report, true)
    };
    let flowed = flow();
    let saved = sink.finish();
    flowed?;
    report.saved = saved?;
    Ok(())
}

/// Converts the decoder's selected frames to RGB, in order.
/// With `orientation`, each frame is turned as it is shown.
fn converted(
    input: &str,
    rx: crossbeam_channel::Receiver<Selected>,
    orientation: Option<crate::media::Orientation>,
) -> impl Iterator<Item = Result<(FrameMeta, RgbImage)>> + '_ {
    let mut converter = RgbConverter::new();
    rx.into_iter().map(move |Selected(f, frame_index)| {
        let mut image = converter.convert(&f).map_err(|reason| Error::Convert {
            input: input.to_string(),
            reason,
        })?;
        if let Some(o) = orientation {
            image = o.apply(image);
        }
        let meta = FrameMeta {
            time: f.time,
            pts_time: f.pts_time,
            pts: f.pts,
            frame_index,
            decode_index: f.decode_index,
            key_frame: f.key,
        };
        Ok((meta, image))
    })
}

/// The verdicts between the stages.
struct Stages {
    from_buffer: Vec<Verdict>,
    from_gate: Vec<Verdict>,
}

impl Stages {
    /// Moves the buffer's verdicts through the gate into the sink; `last`
    /// flushes the gate.
    fn forward(
        &mut self,
        gate: &mut dyn crate::gate::Gate,
        sink: &mut dyn Sink,
        report: &mut VideoReport,
        last: bool,
    ) -> Result<()> {
        for v in self.from_buffer.drain(..) {
            match v {
                Verdict::Keep(c) => {
                    report.produced += 1;
                    gate.push(c, &mut self.from_gate)?;
                }
                dropped => {
                    if let Verdict::Drop(_, reason) = &dropped {
                        use crate::buffer::DropReason;
                        match reason {
                            DropReason::Duplicate => report.counts.duplicates += 1,
                            DropReason::Expired => report.counts.expired += 1,
                            DropReason::Gated => {} // counted below, with the gate's
                        }
                    }
                    self.from_gate.push(dropped)
                }
            }
        }
        if last {
            gate.flush(&mut self.from_gate)?;
        }
        for v in self.from_gate.drain(..) {
            match &v {
                Verdict::Keep(_) => report.gated += 1,
                Verdict::Drop(_, crate::buffer::DropReason::Gated) => report.counts.gated_out += 1,
                Verdict::Drop(..) => {} // the buffer's, counted above
            }
            sink.accept(v)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::testing::pattern;
    use crate::sink::MemorySink;

    fn meta(i: u64) -> FrameMeta {
        FrameMeta {
            time: i as f64,
            pts_time: i as f64,
            pts: i as i64,
            frame_index: i,
            decode_index: i,
            key_frame: true,
        }
    }

    /// A failure mid-stream stops the frames but still finishes the sink, so
    /// the frames before it are in the output.
    #[test]
    fn an_error_mid_stream_keeps_what_came_before() {
        let frames = vec![
            Ok(Candidate::new(meta(0), pattern(0, 0))),
            Ok(Candidate::new(meta(1), pattern(1, 0))),
            Err(Error::Convert {
                input: "v.mp4".into(),
                reason: "bad frame".into(),
            }),
            Ok(Candidate::new(meta(3), pattern(2, 0))),
        ];
        let mut sink = MemorySink::default();
        let mut report = VideoReport::default();
        let err = process(
            frames.into_iter(),
            &SampleConfig::default(),
            &mut sink,
            &mut report,
        )
        .unwrap_err();
        assert!(err.to_string().contains("bad frame"), "{err}");
        assert_eq!(sink.records.len(), 2, "finished with the first two frames");
        assert_eq!(report.decoded, 2);
    }
}
