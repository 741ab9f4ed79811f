//! Helpers for the end-to-end tests: small videos made with the ffmpeg CLI
//! from lavfi sources, and running the framesift binary.

#![allow(dead_code)]

pub mod http;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs the ffmpeg CLI with `args`, panicking with its stderr on failure.
pub fn ffmpeg(args: &[&str]) {
    let out = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y"])
        .args(args)
        .output()
        .expect("ffmpeg must be installed to run the end-to-end tests");
    assert!(
        out.status.success(),
        "ffmpeg {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A `secs`-second 25 fps 320×240 testsrc video with a keyframe every
/// `gop` frames, MPEG-4 Part 2 in `ext`'s container.
pub fn testsrc(dir: &Path, name: &str, secs: u32, gop: u32) -> PathBuf {
    let path = dir.join(name);
    let src = format!("testsrc=duration={secs}:size=320x240:rate=25");
    let g = gop.to_string();
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        &src,
        "-c:v",
        "mpeg4",
        "-q:v",
        "5",
        "-g",
        &g,
        "-bf",
        "0",
        "-sc_threshold",
        "1000000000",
        "-movflags",
        "+faststart",
        path.to_str().unwrap(),
    ]);
    path
}

/// The framesift binary under test.
pub fn framesift() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("framesift").unwrap()
}

/// Runs `framesift sample VIDEO -o OUT ARGS...` in key-frame mode (the
/// hash-buffer pipeline these helpers' tests are about; scene mode, the
/// default, has its own tests) unless ARGS choose a mode.
pub fn sample(video: &Path, out: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    let chooses = args.iter().any(|a| {
        matches!(
            *a,
            "--mode"
                | "--scenes"
                | "--keyframes-only"
                | "--no-keyframes-only"
                | "--reference-compat"
        )
    });
    let mode: &[&str] = if chooses {
        &[]
    } else {
        &["--mode", "keyframes"]
    };
    framesift()
        .arg("sample")
        .arg(video)
        .arg("-o")
        .arg(out)
        .args(mode)
        .args(args)
        .assert()
}

/// Parses `OUT/summary.json`.
pub fn summary(out: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(out.join("summary.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Parses a manifest (`frames.jsonl`).
pub fn manifest(dir: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join("frames.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Every file below `dir`, recursively.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    walk(dir)
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// A video of distinct 2-second scenes (lavfi sources `scenes`, e.g.
/// `testsrc`, `smptebars`, `mandelbrot`), 25 fps 320×240, keyframe every
/// second, hard cuts at 2, 4, … s.
pub fn scenes_video(dir: &Path, name: &str, scenes: &[&str]) -> PathBuf {
    let path = dir.join(name);
    let mut args: Vec<String> = Vec::new();
    for s in scenes {
        args.extend([
            "-f".into(),
            "lavfi".into(),
            "-t".into(),
            "2".into(),
            "-i".into(),
            format!("{s}=size=320x240:rate=25"),
        ]);
    }
    let inputs: String = (0..scenes.len()).map(|i| format!("[{i}:v]")).collect();
    args.extend([
        "-filter_complex".into(),
        format!(
            "{inputs}concat=n={}:v=1:a=0,format=yuv420p[v]",
            scenes.len()
        ),
        "-map".into(),
        "[v]".into(),
        "-c:v".into(),
        "mpeg4".into(),
        "-q:v".into(),
        "4".into(),
        "-g".into(),
        "25".into(),
        "-bf".into(),
        "0".into(),
        path.to_string_lossy().into_owned(),
    ]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    ffmpeg(&refs);
    path
}

/// The Python used to check files with numpy: the first of
/// `FRAMESIFT_TEST_PYTHON`, `python3` and `/usr/bin/python3` that imports
/// numpy (scripts/setup-deps.sh installs python3-numpy).
pub fn python() -> String {
    let candidates = std::env::var("FRAMESIFT_TEST_PYTHON")
        .into_iter()
        .chain(["python3".to_string(), "/usr/bin/python3".to_string()]);
    for p in candidates {
        let ok = Command::new(&p)
            .args(["-c", "import numpy"])
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            return p;
        }
    }
    panic!("no python3 with numpy found: run scripts/setup-deps.sh (installs python3-numpy)");
}

/// Parses a JSONL file.
pub fn jsonl(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
