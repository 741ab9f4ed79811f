//! `framesift segment`: flags → [`SegmentSettings`] → the library's
//! `segment` workflow → the exit code.

use framesift::settings::{SegmentConfig, SegmentOutputs, SegmentSettings};
use framesift::workflow::{self, Inputs};

use super::flags::SegmentArgs;
use super::progress::Display;
use super::{batch, candidates, embedder, finish, output, shots, Print};

/// Runs `framesift segment`.
pub fn run(a: &SegmentArgs) -> anyhow::Result<u8> {
    let settings = SegmentSettings {
        candidates: candidates(&a.candidates),
        embedder: embedder(&a.embed)?,
        segment: SegmentConfig {
            threshold: a.threshold,
            window_sec: a.window_sec,
            min_score: a.min_score,
            surveyor: a.surveyor,
            knn: a.knn,
            min_segment_sec: a.min_segment_sec,
            max_segment_sec: a.max_segment_sec,
            max_keyframes: a.max_keyframes as usize,
            ..SegmentConfig::default()
        },
        outputs: SegmentOutputs {
            cuts_only: a.cuts_only,
            clips: !a.no_clips,
            precise: a.precise,
            grid: !a.no_grid,
            plot: !a.no_plot,
            spool_mib: a.spool_mib,
        },
        output: output(&a.out),
        shots: shots(&a.shots),
    };
    let quiet = a.run.batch.quiet;
    let print = Print::from_flags(&a.run, false);
    let display = Display::new(quiet);
    let outputs = a.outputs.settings();
    outputs.check()?;
    if a.outputs.contact_sheet {
        anyhow::bail!(
            "--contact-sheet is for sample and select; segment draws its keyframes into grid.jpg"
        );
    }
    let outcome = workflow::segment(
        &Inputs::videos(&a.inputs),
        &a.output,
        &settings,
        &batch(&a.run, -1),
        &display,
    )?;
    Ok(finish(&outcome, &a.output, print, &display, &outputs))
}
