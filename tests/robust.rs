//! Unattended runs: interrupt and resume, reruns into the same folder,
//! damaged streams.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{ffmpeg, files_below, framesift, manifest, summary, testsrc};

/// Every frame of every video, written as JPEG, one video at a time.
const EVERY_FRAME: &[&str] = &[
    "--no-keyframes-only",
    "--min-frame-interval-sec",
    "0",
    "--no-dedup",
    "-j",
    "1",
    "-q",
];

fn relative_files(root: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = files_below(root)
        .into_iter()
        .map(|p| p.strip_prefix(root).unwrap().to_path_buf())
        .filter(|p| p != Path::new("summary.json"))
        .collect();
    v.sort();
    v
}

/// Every manifest line's image exists, every image is in its manifest, and
/// no temporary file is left.
fn assert_complete(out: &Path) {
    for f in files_below(out) {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            !name.ends_with(".part"),
            "half-written file left: {}",
            f.display()
        );
    }
    let Ok(dirs) = std::fs::read_dir(out) else {
        return;
    };
    for d in dirs.flatten().filter(|d| d.path().is_dir()) {
        let dir = d.path();
        let images: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".jpg"))
            .collect();
        if images.is_empty() && !dir.join("frames.jsonl").exists() {
            continue; // a video that never started
        }
        let saved: Vec<String> = manifest(&dir)
            .iter()
            .filter(|r| r["decision"] == "saved")
            .map(|r| r["path"].as_str().unwrap().to_string())
            .collect();
        for p in &saved {
            assert!(dir.join(p).is_file(), "{} lists missing {p}", dir.display());
        }
        assert_eq!(
            images.len(),
            saved.len(),
            "orphan images in {}",
            dir.display()
        );
    }
}

#[test]
fn sigint_mid_run_then_resume_equals_an_uninterrupted_run() {
    let dir = tempfile::tempdir().unwrap();
    let videos: Vec<PathBuf> = (0..4)
        .map(|i| testsrc(dir.path(), &format!("v{i}.mp4"), 16, 25))
        .collect();
    let bin = assert_cmd::cargo::cargo_bin("framesift");
    let args = |out: &Path| -> Vec<String> {
        let mut a = vec!["sample".to_string()];
        a.extend(videos.iter().map(|v| v.to_string_lossy().into_owned()));
        a.extend(["-o".into(), out.to_string_lossy().into_owned()]);
        a.extend(EVERY_FRAME.iter().map(|s| s.to_string()));
        a
    };

    let reference = dir.path().join("reference");
    framesift().args(args(&reference)).assert().success();

    let out = dir.path().join("out");
    let child = Command::new(&bin)
        .args(args(&out))
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Interrupt once the first video is recorded as done.
    let started = Instant::now();
    loop {
        let done = std::fs::read_to_string(out.join("summary.json"))
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .is_some_and(|s| !s["videos"].as_array().unwrap().is_empty());
        if done {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "first video never finished"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let result = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr).into_owned();
    assert_eq!(result.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert_complete(&out);
    let s = summary(&out);
    let videos_done = s["videos"].as_array().unwrap();
    assert_eq!(videos_done.len(), 4, "every video has a report: {s}");
    assert!(videos_done[0]["ok"].as_bool().unwrap());
    assert!(
        videos_done.iter().any(|v| v["interrupted"] == true),
        "the run was stopped: {s}"
    );
    assert!(
        relative_files(&out).len() < relative_files(&reference).len(),
        "interrupted before the end"
    );

    framesift()
        .args(args(&out))
        .arg("--resume")
        .arg("--stats")
        .assert()
        .success();
    let s = summary(&out);
    assert_eq!(s["videos"][0]["resumed"], true, "{s}");
    assert!(s["videos"]
        .as_array()
        .unwrap()
        .iter()
        .all(|v| v["ok"] == true));
    assert_eq!(relative_files(&out), relative_files(&reference));
    for i in 0..4 {
        let name = format!("v{i}.mp4");
        assert_eq!(
            manifest(&out.join(&name)),
            manifest(&reference.join(&name)),
            "{name}"
        );
    }
}

#[test]
fn sigterm_stops_with_143() {
    let dir = tempfile::tempdir().unwrap();
    let video = testsrc(dir.path(), "long.mp4", 30, 25);
    let out = dir.path().join("out");
    let bin = assert_cmd::cargo::cargo_bin("framesift");
    let mut child = Command::new(&bin)
        .arg("sample")
        .arg(&video)
        .arg("-o")
        .arg(&out)
        .args(EVERY_FRAME)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until images are being written, then stop.
    let started = Instant::now();
    while files_below(&out.join("long.mp4")).len() < 5 {
        assert!(started.elapsed() < Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(10));
    }
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(143));
    assert_complete(&out);
    assert_eq!(summary(&out)["videos"][0]["interrupted"], true);
}

/// Rerunning into the same folder replaces the old output: no stale frames.
#[test]
fn a_rerun_replaces_the_previous_output() {
    let dir = tempfile::tempdir().unwrap();
    let video = testsrc(dir.path(), "v.mp4", 4, 25);
    let out = dir.path().join("out");
    framesift()
        .arg("sample")
        .arg(&video)
        .arg("-o")
        .arg(&out)
        .args(["--mode", "keyframes", "--format", "png", "-q"])
        .assert()
        .success();
    std::fs::write(out.join("v.mp4/my-notes.txt"), "mine").unwrap();
    framesift()
        .arg("sample")
        .arg(&video)
        .arg("-o")
        .arg(&out)
        .args(["--mode", "keyframes", "--min-frame-interval-sec", "2", "-q"])
        .assert()
        .success();
    let names: Vec<String> = std::fs::read_dir(out.join("v.mp4"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.ends_with(".png")),
        "stale frames: {names:?}"
    );
    assert!(
        names.contains(&"my-notes.txt".to_string()),
        "other files stay"
    );
    assert_eq!(manifest(&out.join("v.mp4")).len(), 2);
}

/// A stream whose resolution changes half-way (two MPEG-TS pieces joined)
/// is decoded through the change: frames of both sizes come out.
#[test]
fn a_resolution_change_mid_stream_is_followed() {
    let dir = tempfile::tempdir().unwrap();
    let piece = |name: &str, size: &str| {
        let p = dir.path().join(name);
        ffmpeg(&[
            "-f",
            "lavfi",
            "-i",
            &format!("testsrc=duration=2:size={size}:rate=25"),
            "-c:v",
            "mpeg2video",
            "-g",
            "25",
            "-f",
            "mpegts",
            p.to_str().unwrap(),
        ]);
        p
    };
    let a = piece("a.ts", "320x240");
    let b = piece("b.ts", "160x120");
    let joined = dir.path().join("joined.ts");
    let mut bytes = std::fs::read(&a).unwrap();
    bytes.extend(std::fs::read(&b).unwrap());
    std::fs::write(&joined, bytes).unwrap();
    let out = dir.path().join("out");
    framesift()
        .arg("sample")
        .arg(&joined)
        .arg("-o")
        .arg(&out)
        .args([
            "--mode",
            "keyframes",
            "--min-frame-interval-sec",
            "0.5",
            "--no-dedup",
            "-q",
        ])
        .assert()
        .code(predicates::ord::lt(2));
    let vdir = out.join("joined.ts");
    let mut sizes: Vec<(u32, u32)> = manifest(&vdir)
        .iter()
        .filter(|r| r["decision"] == "saved")
        .map(|r| image::image_dimensions(vdir.join(r["path"].as_str().unwrap())).unwrap())
        .collect();
    sizes.dedup();
    assert!(
        sizes.contains(&(320, 240)) && sizes.contains(&(160, 120)),
        "{sizes:?}"
    );
}

/// Absurd frame sizes are refused before anything is decoded, one line
/// each: 16384×16384 by FFmpeg itself (its image-size check), 10000×10000
/// (which FFmpeg would allocate) by framesift's 67-megapixel limit.
#[test]
fn absurd_frame_sizes_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.y4m");
    let mut bytes = b"YUV4MPEG2 W16384 H16384 F25:1 Ip A1:1 C420jpeg\nFRAME\n".to_vec();
    bytes.extend(std::iter::repeat_n(16u8, 4096));
    std::fs::write(&huge, bytes).unwrap();
    // A Matroska file whose one raw frame claims 10000×10000 (the packet is
    // only 4 KiB: nothing big is ever allocated to make it).
    let raw = dir.path().join("small.raw");
    std::fs::write(&raw, vec![0u8; 4096]).unwrap();
    let big = dir.path().join("big.mkv");
    ffmpeg(&[
        "-f",
        "rawvideo",
        "-s",
        "10000x10000",
        "-pix_fmt",
        "gray",
        "-i",
        raw.to_str().unwrap(),
        "-c",
        "copy",
        big.to_str().unwrap(),
    ]);
    let good = testsrc(dir.path(), "good.mp4", 2, 25);
    let out = dir.path().join("out");
    let assert = framesift()
        .arg("sample")
        .args([&huge, &big, &good])
        .arg("-o")
        .arg(&out)
        .arg("-q")
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    for name in ["huge.y4m", "big.mkv"] {
        assert_eq!(
            stderr.lines().filter(|l| l.contains(name)).count(),
            1,
            "{stderr}"
        );
    }
    let big_line = stderr.lines().find(|l| l.contains("big.mkv")).unwrap();
    assert!(big_line.contains("10000x10000"), "{stderr}");
    assert_eq!(summary(&out)["videos"][2]["ok"], true);
}

/// A raw H.264 elementary stream has no timestamps at all: frames are
/// timed by their position at the frame rate, not dropped.
#[test]
fn a_stream_without_timestamps_is_timed_by_position() {
    let dir = tempfile::tempdir().unwrap();
    let raw = dir.path().join("raw.h264");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=duration=4:size=320x240:rate=25",
        "-c:v",
        "libx264",
        "-g",
        "25",
        "-f",
        "h264",
        raw.to_str().unwrap(),
    ]);
    let out = dir.path().join("out");
    framesift()
        .arg("sample")
        .arg(&raw)
        .arg("-o")
        .arg(&out)
        .args(["--mode", "keyframes", "--no-dedup", "-q"])
        .assert()
        .success();
    let times: Vec<f64> = manifest(&out.join("raw.h264"))
        .iter()
        .map(|r| r["time"].as_f64().unwrap())
        .collect();
    assert_eq!(times, [0.0, 1.0, 2.0, 3.0], "key frames every 25 frames");
    let s = summary(&out);
    assert!(
        s["videos"][0]["decode"]["guessed_timestamps"]
            .as_u64()
            .unwrap()
            > 0,
        "{s}"
    );
}
