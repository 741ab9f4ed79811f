//! Progress display: bars on a terminal, one line per video otherwise.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

use std::collections::HashMap;

use framesift::workflow::{Job, Observer, ThresholdSource, VideoReport};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

/// Shows what the runner is doing.
pub struct Display {
    quiet: bool,
    multi: Option<MultiProgress>,
    bars: Mutex<HashMap<usize, ProgressBar>>,
}

impl Display {
    /// Bars when stderr is a terminal and not `quiet`; plain lines otherwise.
    pub fn new(quiet: bool) -> Self {
        let multi = (!quiet && std::io::stderr().is_terminal()).then(MultiProgress::new);
        Display {
            quiet,
            multi,
            bars: Mutex::new(HashMap::new()),
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

impl Observer for Display {
    fn started(&self, idx: usize, job: &Job) {
        let Some(multi) = &self.multi else { return };
        let bar = multi.add(ProgressBar::new_spinner());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {prefix} {msg} [{elapsed}]")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_prefix(name_of(job));
        bar.enable_steady_tick(Duration::from_millis(120));
        if let Ok(mut bars) = self.bars.lock() {
            bars.insert(idx, bar);
        }
    }

    fn notice(&self, message: &str) {
        self.line(message);
    }

    fn progress(&self, idx: usize, seconds: f64) {
        if self.multi.is_none() {
            return;
        }
        if let Ok(bars) = self.bars.lock() {
            if let Some(bar) = bars.get(&idx) {
                bar.set_message(format!("at {seconds:.1} s"));
            }
        }
    }

    fn finished(&self, idx: usize, job: &Job, report: &VideoReport) {
        if let Ok(mut bars) = self.bars.lock() {
            if let Some(bar) = bars.remove(&idx) {
                bar.finish_and_clear();
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
