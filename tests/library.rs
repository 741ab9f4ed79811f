//! The library's workflows give what the command line gives: the same
//! manifests, byte for byte, on a generated video; and the run record
//! (`summary.json`) tells resumed, changed and clobbered runs apart.

mod common;

use std::path::Path;

use common::{framesift, scenes_video};
use framesift::settings::{
    BatchSettings, ConfigFile, SampleConfig, SceneConfig, SegmentSettings, SelectSettings,
};
use framesift::workflow::{self, Inputs, Silent};

const SCENES: &[&str] = &[
    "testsrc",
    "smptebars",
    "mandelbrot",
    "testsrc",
    "rgbtestsrc",
];

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The file names in a video's output folder (images and manifests).
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn select_from_rust_matches_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let video = scenes_video(dir.path(), "v.mp4", SCENES);
    let input = video.to_string_lossy().into_owned();
    let (cli, lib) = (dir.path().join("cli"), dir.path().join("lib"));
    framesift()
        .args(["select", &input, "-o"])
        .arg(&cli)
        .args(["--n", "4", "-q"])
        .assert()
        .success();
    let mut settings = SelectSettings::default();
    settings.select.n = Some(4);
    let run = workflow::select(
        &Inputs::videos(std::slice::from_ref(&input)),
        &lib,
        &settings,
        &BatchSettings::default(),
        &Silent,
    )
    .unwrap();
    assert!(!run.outcome.failed());
    assert_eq!(run.outcome.saved(), 4);
    for m in ["frames.jsonl", "diversity.json", "embeddings.jsonl"] {
        assert_eq!(
            read(&cli.join("v.mp4").join(m)),
            read(&lib.join("v.mp4").join(m)),
            "{m} differs"
        );
    }
    assert_eq!(names(&cli.join("v.mp4")), names(&lib.join("v.mp4")));

    // In memory: the same choice, nothing written.
    let embedder = workflow::load_embedder(&settings.embedder).unwrap();
    let choice = workflow::choose_video(&input, &settings, &embedder, &|_| {}).unwrap();
    let times: Vec<f64> = choice
        .selection
        .chosen
        .iter()
        .map(|&i| choice.frames[i].meta.time)
        .collect();
    let written: Vec<f64> = common::jsonl(&cli.join("v.mp4/frames.jsonl"))
        .iter()
        .map(|r| r["time"].as_f64().unwrap())
        .collect();
    assert_eq!(times, written);
}

#[test]
fn segment_from_rust_matches_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let video = scenes_video(dir.path(), "v.mp4", SCENES);
    let input = video.to_string_lossy().into_owned();
    let (cli, lib) = (dir.path().join("cli"), dir.path().join("lib"));
    framesift()
        .args(["segment", &input, "-o"])
        .arg(&cli)
        .args(["-q", "--no-clips"])
        .assert()
        .success();
    let mut settings = SegmentSettings::default();
    settings.outputs.clips = false;
    let outcome = workflow::segment(
        &Inputs::videos(std::slice::from_ref(&input)),
        &lib,
        &settings,
        &BatchSettings::default(),
        &Silent,
    )
    .unwrap();
    assert!(!outcome.failed());
    for m in ["segments.jsonl", "cuts.json", "scores.csv"] {
        assert_eq!(
            read(&cli.join("v.mp4").join(m)),
            read(&lib.join("v.mp4").join(m)),
            "{m} differs"
        );
    }
    let embedder = workflow::load_embedder(&settings.embedder).unwrap();
    let seg = workflow::segment_video(&input, &settings, &embedder, None, &|_| {}).unwrap();
    let lines = common::jsonl(&cli.join("v.mp4/segments.jsonl"));
    assert_eq!(seg.segmentation.segments.len(), lines.len());
    assert!(seg.segmentation.segments.len() >= 3, "{lines:?}");
}

#[test]
fn scene_sampling_from_rust_matches_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let video = scenes_video(dir.path(), "v.mp4", SCENES);
    let input = video.to_string_lossy().into_owned();
    let (cli, lib) = (dir.path().join("cli"), dir.path().join("lib"));
    framesift()
        .args(["sample", &input, "-o"])
        .arg(&cli)
        .arg("-q")
        .assert()
        .success();
    let outcome = workflow::sample_scenes(
        &Inputs::videos(std::slice::from_ref(&input)),
        &lib,
        &SampleConfig::default(),
        &SceneConfig::default(),
        &BatchSettings::default(),
        &Silent,
    )
    .unwrap();
    assert!(!outcome.failed());
    assert_eq!(
        read(&cli.join("v.mp4/frames.jsonl")),
        read(&lib.join("v.mp4/frames.jsonl"))
    );
    assert_eq!(names(&cli.join("v.mp4")), names(&lib.join("v.mp4")));
}

#[test]
fn resume_says_when_settings_changed_and_no_clobber_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let video = scenes_video(dir.path(), "v.mp4", &SCENES[..2]);
    let out = dir.path().join("out");
    let run = |n: &str, extra: &[&str]| {
        framesift()
            .args(["select"])
            .arg(&video)
            .arg("-o")
            .arg(&out)
            .args(["--n", n, "--resume"])
            .args(extra)
            .assert()
    };
    run("2", &[]).success();
    let again = run("2", &[]).success();
    let text = String::from_utf8_lossy(&again.get_output().stderr).into_owned();
    assert!(text.contains("already done"), "{text}");
    assert!(!text.contains("settings changed"), "{text}");

    // Other settings: refused with --no-clobber (exit 2, nothing touched)…
    let before = read(&out.join("v.mp4/frames.jsonl"));
    let refused = run("3", &["--no-clobber"]).code(2);
    let text = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.contains("settings changed since the last run"),
        "{text}"
    );
    assert_eq!(read(&out.join("v.mp4/frames.jsonl")), before);

    // …and said before redoing them without it.
    let redone = run("3", &[]).success();
    let text = String::from_utf8_lossy(&redone.get_output().stderr).into_owned();
    assert!(
        text.contains("settings changed since the last run") && text.contains("redoing 1 video"),
        "{text}"
    );
    assert_eq!(common::jsonl(&out.join("v.mp4/frames.jsonl")).len(), 3);
}

#[test]
fn a_reordered_config_file_keeps_the_fingerprint() {
    let dir = tempfile::tempdir().unwrap();
    let video = scenes_video(dir.path(), "v.mp4", &SCENES[..2]);
    let a = "min_frame_interval_sec: 0.5\nkeyframes_only: true\nbuffer_config:\n  type: hash\n  hash_size: 8\n  size: 15\n";
    let b = "buffer_config:\n  size: 15\n  hash_size: 8\n  type: hash\nkeyframes_only: true\nmin_frame_interval_sec: 0.5\n";
    let changed = a.replace("0.5", "0.25");
    let mut prints = Vec::new();
    for (i, text) in [a, b, changed.as_str()].iter().enumerate() {
        // Each file is valid on its own.
        ConfigFile::parse(text, "c.yaml").unwrap();
        let cfg = dir.path().join(format!("c{i}.yaml"));
        std::fs::write(&cfg, text).unwrap();
        let out = dir.path().join(format!("out{i}"));
        framesift()
            .arg("config")
            .arg(&cfg)
            .arg(&video)
            .arg(&out)
            .arg("-q")
            .assert()
            .success();
        let s = common::summary(&out);
        prints.push(s["fingerprint"].as_str().unwrap().to_string());
    }
    assert_eq!(prints[0], prints[1], "key order changed the fingerprint");
    assert_ne!(prints[0], prints[2], "a changed value kept the fingerprint");
}
