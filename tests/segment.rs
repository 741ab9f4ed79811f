//! End-to-end tests of `framesift segment` on videos made with ffmpeg.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{ffmpeg, framesift, jsonl};

/// A 25 fps 320×240 H.264 (B-frames, 2 s GOP) + AAC MP4 of three lavfi
/// scenes: testsrc2 0–4 s, smptebars 4–7 s, mandelbrot 7–12 s.
fn three_scenes(dir: &Path) -> PathBuf {
    let path = dir.join("three.mp4");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-t",
        "4",
        "-i",
        "testsrc2=size=320x240:rate=25",
        "-f",
        "lavfi",
        "-t",
        "3",
        "-i",
        "smptebars=size=320x240:rate=25",
        "-f",
        "lavfi",
        "-t",
        "5",
        "-i",
        "mandelbrot=size=320x240:rate=25",
        "-f",
        "lavfi",
        "-t",
        "12",
        "-i",
        "sine=frequency=440:sample_rate=44100",
        "-filter_complex",
        "[0:v][1:v][2:v]concat=n=3:v=1:a=0,format=yuv420p[v]",
        "-map",
        "[v]",
        "-map",
        "3:a",
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-g",
        "50",
        "-bf",
        "2",
        "-c:a",
        "aac",
        "-shortest",
        path.to_str().unwrap(),
    ]);
    path
}

/// ffprobe's duration of `file`'s first video stream (or of the format).
fn video_duration(file: &Path) -> f64 {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0", "-show_entries"])
        .args([
            "stream=duration:format=duration",
            "-of",
            "default=nw=1:nk=1",
        ])
        .arg(file)
        .output()
        .unwrap();
    assert!(out.status.success(), "ffprobe {}", file.display());
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.trim().parse::<f64>().ok())
        .unwrap_or_else(|| panic!("no duration for {}: {text}", file.display()))
}

fn segment(video: &Path, out: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    framesift()
        .arg("segment")
        .arg(video)
        .arg("-o")
        .arg(out)
        .args(args)
        .assert()
}

fn f(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap()
}

#[test]
fn segments_cuts_keyframes_clips_grid_and_plot() {
    let dir = tempfile::tempdir().unwrap();
    let video = three_scenes(dir.path());
    let out = dir.path().join("out");
    segment(&video, &out, &["-q"]).success();
    let vdir = out.join("three.mp4");

    // Cuts on their exact frame (frame-exact: 1/25 s).
    let cuts: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(vdir.join("cuts.json")).unwrap()).unwrap();
    let cuts: Vec<f64> = cuts["cuts"].as_array().unwrap().iter().map(f).collect();
    assert_eq!(cuts.len(), 2, "{cuts:?}");
    assert!(
        (cuts[0] - 4.0).abs() < 0.021 && (cuts[1] - 7.0).abs() < 0.021,
        "{cuts:?}"
    );

    let segs = jsonl(&vdir.join("segments.jsonl"));
    assert_eq!(segs.len(), 3, "{segs:?}");
    let starts: Vec<f64> = segs.iter().map(|s| f(&s["start"])).collect();
    assert!(
        (starts[0]).abs() < 1e-9
            && (starts[1] - 4.0).abs() < 0.021
            && (starts[2] - 7.0).abs() < 0.021
    );
    assert!(
        (f(&segs[2]["end"]) - 12.0).abs() < 0.05,
        "{}",
        segs[2]["end"]
    );
    for s in &segs {
        let (start, end) = (f(&s["start"]), f(&s["end"]));
        let kf = s["keyframes"].as_array().unwrap();
        assert!((2..=4).contains(&kf.len()), "{s}");
        for k in kf {
            let t = f(&k["time"]);
            assert!(
                t >= start - 1e-9 && t < end,
                "keyframe {t} outside {start}–{end}"
            );
            let p = vdir.join(k["path"].as_str().unwrap());
            assert!(p.is_file(), "{}", p.display());
        }
        // Stream copy: the clip runs from the key frame before the start to the end.
        let clip = vdir.join(s["clip"].as_str().unwrap());
        let clip_start = f(&s["clip_start"]);
        assert!(
            clip_start <= start + 1e-6 && start - clip_start < 2.01,
            "{s}"
        );
        let d = video_duration(&clip);
        assert!(
            (d - (end - clip_start)).abs() < 0.15,
            "{}: {d} s for {clip_start}–{end}",
            clip.display()
        );
    }
    let csv = std::fs::read_to_string(vdir.join("segments.csv")).unwrap();
    assert_eq!(csv.lines().count(), 4);
    let scores = std::fs::read_to_string(vdir.join("scores.csv")).unwrap();
    assert_eq!(scores.lines().next(), Some("time,score,threshold,seam"));
    assert_eq!(scores.lines().count(), 1 + 24, "2 fps over 12 s");
    let grid = std::fs::read(vdir.join("grid.jpg")).unwrap();
    assert_eq!(&grid[..2], &[0xFF, 0xD8]);
    let svg = std::fs::read_to_string(vdir.join("scores.svg")).unwrap();
    assert!(svg.contains("<svg") && svg.contains("successor score"));
    let leftovers = common::files_below(&out)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".part"))
        .count();
    assert_eq!(leftovers, 0);
}

#[test]
fn precise_clips_last_exactly_as_long_as_their_segments() {
    let dir = tempfile::tempdir().unwrap();
    let video = three_scenes(dir.path());
    let out = dir.path().join("out");
    segment(&video, &out, &["-q", "--precise", "--no-grid", "--no-plot"]).success();
    let vdir = out.join("three.mp4");
    for s in jsonl(&vdir.join("segments.jsonl")) {
        let clip = vdir.join(s["clip"].as_str().unwrap());
        assert!(clip.extension().is_some_and(|e| e == "mp4"));
        let want = f(&s["end"]) - f(&s["start"]);
        let got = video_duration(&clip);
        assert!(
            (got - want).abs() <= 0.041,
            "{}: {got} s, segment {want} s",
            clip.display()
        );
        assert!((f(&s["clip_start"]) - f(&s["start"])).abs() < 0.021, "{s}");
    }
    assert!(!vdir.join("grid.jpg").exists() && !vdir.join("scores.svg").exists());
}

/// Keyframes come from the images kept in the first pass; with no memory
/// for them (`--spool-mib 0`) a second decoding pass writes the very same
/// files.
#[test]
fn spooled_keyframes_equal_a_second_pass() {
    let dir = tempfile::tempdir().unwrap();
    let video = three_scenes(dir.path());
    let files = |name: &str, extra: &[&str]| {
        let out = dir.path().join(name);
        let mut args = vec!["-q", "--no-clips", "--no-plot"];
        args.extend(extra);
        segment(&video, &out, &args).success();
        let kdir = out.join("three.mp4").join("keyframes");
        let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(&kdir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        v.sort();
        let saved = common::summary(&out)["videos"][0]["saved"]
            .as_u64()
            .unwrap();
        (v, saved)
    };
    let (spooled, saved) = files("spooled", &[]);
    let (decoded, saved_again) = files("decoded", &["--spool-mib", "0"]);
    assert!(spooled.len() >= 6, "3 segments, 2+ keyframes each");
    assert_eq!(saved as usize, spooled.len());
    assert_eq!(saved, saved_again);
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&spooled), names(&decoded));
    for ((name, a), (_, b)) in spooled.iter().zip(&decoded) {
        assert!(a == b, "{name} differs between the two ways");
    }
}

#[test]
fn cuts_only_writes_the_cut_list_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let video = three_scenes(dir.path());
    let out = dir.path().join("out");
    segment(&video, &out, &["-q", "--cuts-only"]).success();
    let vdir = out.join("three.mp4");
    let csv = std::fs::read_to_string(vdir.join("cuts.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "index,seconds,timecode,kind,score");
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[1].starts_with("1,4.000,00:00:04.000,cut,"), "{csv}");
    for absent in ["segments.jsonl", "keyframes", "clips", "grid.jpg"] {
        assert!(!vdir.join(absent).exists(), "{absent}");
    }
}

#[test]
fn every_frame_candidates_and_a_fixed_threshold_still_cut() {
    let dir = tempfile::tempdir().unwrap();
    let video = three_scenes(dir.path());
    let out = dir.path().join("out");
    segment(
        &video,
        &out,
        &[
            "-q",
            "--cuts-only",
            "--all-frames",
            "--threshold",
            "fixed:0.5",
        ],
    )
    .success();
    let cuts: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("three.mp4").join("cuts.json")).unwrap(),
    )
    .unwrap();
    let cuts: Vec<f64> = cuts["cuts"].as_array().unwrap().iter().map(f).collect();
    assert_eq!(cuts.len(), 2, "{cuts:?}");
    assert!((cuts[0] - 4.0).abs() < 0.021, "{cuts:?}");
}

#[test]
fn a_bad_input_fails_alone_and_bad_settings_are_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let video = three_scenes(dir.path());
    let broken = dir.path().join("broken.mp4");
    std::fs::write(&broken, b"not a video").unwrap();
    let out = dir.path().join("out");
    let a = framesift()
        .args(["segment", "-q", "--no-clips"])
        .arg(&broken)
        .arg(&video)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("broken.mp4"), "{err}");
    assert_eq!(
        jsonl(&out.join("three.mp4").join("segments.jsonl")).len(),
        3
    );

    let a = segment(&video, &out, &["--threshold", "rolling:2"]).code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        err.contains("threshold") && err.lines().count() <= 3,
        "{err}"
    );
    let a = segment(&video, &out, &["--min-segment-sec", "20"]).code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("--min-segment-sec"), "{err}");
}

#[test]
fn a_rerun_leaves_no_stale_segments_clips_or_keyframes() {
    let dir = tempfile::tempdir().unwrap();
    let video = three_scenes(dir.path());
    let out = dir.path().join("out");
    segment(&video, &out, &["-q", "--no-grid"]).success();
    let vdir = out.join("three.mp4");
    assert_eq!(std::fs::read_dir(vdir.join("clips")).unwrap().count(), 3);
    // Longer minimum: the 3 s scene merges away, so fewer segments.
    segment(&video, &out, &["-q", "--no-grid", "--min-segment-sec", "4"]).success();
    let segs = jsonl(&vdir.join("segments.jsonl"));
    assert_eq!(segs.len(), 2, "{segs:?}");
    assert_eq!(std::fs::read_dir(vdir.join("clips")).unwrap().count(), 2);
    let listed: usize = segs
        .iter()
        .map(|s| s["keyframes"].as_array().unwrap().len())
        .sum();
    assert_eq!(
        std::fs::read_dir(vdir.join("keyframes")).unwrap().count(),
        listed
    );
    // --cuts-only afterwards: nothing of the segmentation is left.
    segment(&video, &out, &["-q", "--cuts-only"]).success();
    for gone in ["segments.jsonl", "clips", "keyframes"] {
        assert!(!vdir.join(gone).exists(), "{gone}");
    }
}
