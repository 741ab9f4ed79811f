//! Progress display: on a terminal, a bar per video (percent and ETA when
//! the container gives the duration) and an overall "videos 2/4" bar;
//! otherwise a plain heartbeat line per video every few seconds
//! (`FRAMESIFT_PROGRESS_EVERY`, default 5 s) and one line when it ends.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use framesift::workflow::{probe_duration, Job, Observer, ThresholdSource, VideoReport};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

/// One running video.
struct Track {
    name: String,
    input: String,
    bar: Option<ProgressBar>,
    /// The video's duration: probed when first needed (`None` inside:
    /// the container does not say).
    duration: Option<Option<f64>>,
    last_beat: Instant,
}

impl Track {
    /// The video's duration, probed once, and only for a bar or a
    /// heartbeat (a short run never pays for the probe).
    fn duration(&mut self) -> Option<f64> {
        let input = &self.input;
        *self.duration.get_or_insert_with(|| probe_duration(input))
    }
}

/// Shows what the runner is doing.
pub struct Display {
    quiet: bool,
    multi: Option<MultiProgress>,
    overall: Mutex<Option<ProgressBar>>,
    tracks: Mutex<HashMap<usize, Track>>,
    every: Duration,
}

impl Display {
    /// Bars when stderr is a terminal and not `quiet`; plain lines otherwise.
    pub fn new(quiet: bool) -> Self {
        let multi = (!quiet && std::io::stderr().is_terminal()).then(MultiProgress::new);
        let every = std::env::var("FRAMESIFT_PROGRESS_EVERY")
            .ok()
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s > 0.0)
            .unwrap_or(5.0);
        Display {
            quiet,
            multi,
            overall: Mutex::new(None),
            tracks: Mutex::new(HashMap::new()),
            every: Duration::from_secs_f64(every),
        }
    }

    /// Takes the overall bar off the screen (the run is over).
    pub fn done(&self) {
        if let Ok(mut o) = self.overall.lock() {
            if let Some(bar) = o.take() {
                bar.finish_and_clear();
            }
        }
    }

    /// Prints a line without breaking the bars.
    pub fn line(&self, text: &str) {
        match &self.multi {
            Some(m) => {
                let _ = m.println(text);
            }
            None => eprintln!("{text}"),
        }
    }
}

fn name_of(job: &Job) -> String {
    job.output_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| job.input.clone())
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// Bar positions are in tenths of a second of video.
const TICKS: f64 = 10.0;

impl Observer for Display {
    fn planned(&self, jobs: usize) {
        let (Some(multi), true) = (&self.multi, jobs > 1) else {
            return;
        };
        let bar = multi.add(ProgressBar::new(jobs as u64));
        bar.set_style(style("videos {pos}/{len} [{bar:30}] {elapsed} (ETA {eta})"));
        if let Ok(mut o) = self.overall.lock() {
            *o = Some(bar);
        }
    }

    fn started(&self, idx: usize, job: &Job) {
        let mut track = Track {
            name: name_of(job),
            input: job.input.clone(),
            bar: None,
            duration: None,
            last_beat: Instant::now(),
        };
        if let Some(multi) = &self.multi {
            let bar = match track.duration() {
                Some(d) => {
                    let bar = multi.add(ProgressBar::new((d * TICKS).ceil() as u64));
                    bar.set_style(style(
                        "{prefix} [{bar:30}] {percent:>3}% {msg} [{elapsed}, ETA {eta}]",
                    ));
                    bar
                }
                None => {
                    let bar = multi.add(ProgressBar::new_spinner());
                    bar.set_style(style("{spinner} {prefix} {msg} [{elapsed}]"));
                    bar
                }
            };
            bar.set_prefix(track.name.clone());
            bar.enable_steady_tick(Duration::from_millis(120));
            track.bar = Some(bar);
        }
        if let Ok(mut t) = self.tracks.lock() {
            t.insert(idx, track);
        }
    }

    fn notice(&self, message: &str) {
        self.line(message);
    }

    fn progress(&self, idx: usize, seconds: f64) {
        if self.quiet {
            return;
        }
        let Ok(mut t) = self.tracks.lock() else {
            return;
        };
        let Some(track) = t.get_mut(&idx) else {
            return;
        };
        if let Some(bar) = &track.bar {
            if bar.length().is_some() {
                bar.set_position((seconds * TICKS) as u64);
            }
            bar.set_message(format!("at {seconds:.1} s"));
            return;
        }
        // No terminal: a heartbeat line now and then.
        if track.last_beat.elapsed() >= self.every {
            track.last_beat = Instant::now();
            let of = track.duration().map_or(String::new(), |d| {
                format!(
                    " of {d:.1} s ({:.0}%)",
                    (100.0 * seconds / d).clamp(0.0, 100.0)
                )
            });
            eprintln!("framesift: {}: at {seconds:.1} s{of}", track.name);
        }
    }

    fn finished(&self, idx: usize, job: &Job, report: &VideoReport) {
        if let Ok(mut t) = self.tracks.lock() {
            if let Some(bar) = t.remove(&idx).and_then(|t| t.bar) {
                bar.finish_and_clear();
            }
        }
        if let Ok(o) = self.overall.lock() {
            if let Some(bar) = o.as_ref() {
                bar.inc(1);
            }
        }
        if report.resumed {
            if !self.quiet {
                self.line(&format!(
                    "{}: already done (--resume), skipped",
                    name_of(job)
                ));
            }
            return;
        }
        if let Some(err) = &report.error {
            self.line(&format!("framesift: error: {err}"));
        }
        if !self.quiet && report.video.is_some() {
            let scenes = report.scenes.as_ref().map_or(String::new(), |s| {
                format!(
                    "; {} scene(s) from {} shot(s), {} repeat(s) merged, {} flat and {} blurred \
                     shot(s) rejected, merge threshold {:.3} ({})",
                    s.scenes,
                    s.shots,
                    s.merged,
                    s.rejected_flat,
                    s.rejected_blurred,
                    s.merge_threshold,
                    threshold_words(s.threshold_source)
                )
            });
            self.line(&format!(
                "{}: {} frames decoded, {} candidates, {} saved in {:.2} s{scenes}",
                name_of(job),
                report.decode.frames_decoded,
                report.decoded,
                report.saved,
                report.seconds
            ));
        }
    }
}

/// How a merge threshold was chosen, in words.
fn threshold_words(source: ThresholdSource) -> &'static str {
    use ThresholdSource::*;
    match source {
        Calibrated => "calibrated",
        WithinOnly => "within only",
        Fallback => "fallback",
        Given => "given",
    }
}
