//! framesift as a library: the three workflows on one video, from Rust.
//!
//! ```text
//! cargo run --release --example library -- video.mp4 out
//! ```
//!
//! Writes `out/scenes/`, `out/picks/` and `out/segments/` exactly as
//! `framesift sample`, `framesift select --n 8` and `framesift segment`
//! would, and prints what each came to.

use std::path::Path;

use framesift::settings::{
    BatchSettings, SampleConfig, SceneConfig, SegmentSettings, SelectSettings,
};
use framesift::workflow::{self, Inputs, Silent};

fn main() -> Result<(), framesift::Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [video, out] = args.as_slice() else {
        eprintln!("usage: library VIDEO OUT");
        std::process::exit(2);
    };
    let out = Path::new(out);
    let inputs = Inputs::videos(std::slice::from_ref(video));
    let batch = BatchSettings::default();

    // sample: one best frame per distinct scene.
    let scenes = workflow::sample_scenes(
        &inputs,
        &out.join("scenes"),
        &SampleConfig::default(),
        &SceneConfig::default(),
        &batch,
        &Silent,
    )?;
    println!("sample: {} frames saved", scenes.saved());

    // select: 8 diverse frames, with the diversity report.
    let mut pick = SelectSettings::default();
    pick.select.n = Some(8);
    let picks = workflow::select(&inputs, &out.join("picks"), &pick, &batch, &Silent)?;
    for (input, rows) in &picks.diversity {
        println!("select: {input}\n{}", workflow::diversity_table(rows));
    }

    // segment: seams, 2–15 s segments, keyframes, clips; and in memory.
    let settings = SegmentSettings::default();
    let segs = workflow::segment(&inputs, &out.join("segments"), &settings, &batch, &Silent)?;
    let embedder = workflow::load_embedder(&settings.embedder)?;
    let model = workflow::load_shot_model(&settings.shots)?; // None: the built-in detector
    let seg = workflow::segment_video(video, &settings, &embedder, model.as_deref(), &|_| {})?;
    println!(
        "segment: {} segments ({} cuts); {} video(s) failed",
        seg.segmentation.segments.len(),
        seg.segmentation.detection.seams.len(),
        segs.failures()
    );
    let failed = scenes.failed() || picks.outcome.failed() || segs.failed();
    std::process::exit(i32::from(failed));
}
