//! Helpers for the end-to-end tests: small videos made with the ffmpeg CLI
//! from lavfi sources, and running the framesift binary.

#![allow(dead_code)]

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

/// Runs `framesift sample VIDEO -o OUT ARGS...`.
pub fn sample(video: &Path, out: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    framesift()
        .arg("sample")
        .arg(video)
        .arg("-o")
        .arg(out)
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
