//! What `segment` writes for a video: the segment and cut lists
//! (`segments.jsonl`/`.csv`, `cuts.json`/`.csv`, `scores.csv`), the
//! keyframe grid (`grid.jpg`) and the score plot (`scores.svg`).

mod files;
mod grid;
mod plot;

pub use files::{
    timecode, write_cuts, write_scores, write_segments, KeyframeFile, SegmentRecord, CUTS_CSV,
    CUTS_JSON, SCORES_CSV, SEGMENTS_CSV, SEGMENTS_JSONL,
};
pub use grid::{draw_grid, render as render_grid, ROWS_PER_PAGE};
pub use plot::plot_scores;
