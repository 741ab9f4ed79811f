//! What a new user hit (issue 19), end to end: clip cuts on every common
//! codec/container pair, time windows past the end, settings errors that
//! are early, single and exit 2, and the small tools (completions, man).

mod common;

use std::path::{Path, PathBuf};

use common::{ffmpeg, framesift, jsonl, scenes_video, summary, testsrc};

/// An 11-second 320×240 video of three scenes with a crossfade, then
/// `extra` filters, encoded with `codec_args` into `name` (the container
/// follows the extension).
fn stand_in(dir: &Path, name: &str, extra: &str, codec_args: &[&str]) -> PathBuf {
    let path = dir.join(name);
    let graph = format!(
        "[0:v][1:v]concat=n=2:v=1:a=0,format=yuv420p[a];\
         [2:v]trim=duration=4,format=yuv420p,setpts=PTS-STARTPTS,settb=AVTB[m];\
         [a][m]xfade=transition=fade:duration=1:offset=7{extra}[v]"
    );
    let mut args: Vec<&str> = vec![
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x240:rate=25:duration=4",
        "-f",
        "lavfi",
        "-i",
        "smptebars=size=320x240:rate=25:duration=4",
        "-f",
        "lavfi",
        "-i",
        "mandelbrot=size=320x240:rate=25",
        "-filter_complex",
        &graph,
        "-map",
        "[v]",
    ];
    args.extend_from_slice(codec_args);
    let p = path.to_string_lossy().into_owned();
    args.push(&p);
    ffmpeg(&args);
    path
}

/// Every clip `segment` cut decodes to the end with the ffmpeg CLI without
/// one error line (a missing reference picture is logged, not fatal).
fn clips_decode(seg_dir: &Path) -> usize {
    let mut n = 0;
    for r in jsonl(&seg_dir.join("segments.jsonl")) {
        let clip = seg_dir.join(r["clip"].as_str().expect("every segment has its clip"));
        let out = std::process::Command::new("ffmpeg")
            .args(["-hide_banner", "-v", "error", "-i"])
            .arg(&clip)
            .args(["-f", "null", "-"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && err.trim().is_empty(),
            "{}: {err}",
            clip.display()
        );
        n += 1;
    }
    n
}

#[test]
fn segment_cuts_clips_on_every_common_codec_and_container() {
    let dir = tempfile::tempdir().unwrap();
    let x265 = "log-level=error:pools=1";
    let videos = [
        stand_in(
            dir.path(),
            "h264.mp4",
            "",
            &["-c:v", "libx264", "-preset", "veryfast", "-bf", "3"],
        ),
        stand_in(
            dir.path(),
            "vp9.webm",
            "",
            &[
                "-c:v",
                "libvpx-vp9",
                "-deadline",
                "realtime",
                "-cpu-used",
                "8",
            ],
        ),
        // HEVC in Matroska with B-frames and open GOPs (x265's defaults):
        // after a seek the demuxer knows no dts for the first packets.
        stand_in(
            dir.path(),
            "hevc.mkv",
            "",
            &[
                "-c:v",
                "libx265",
                "-preset",
                "veryfast",
                "-x265-params",
                x265,
            ],
        ),
        stand_in(
            dir.path(),
            "av1.mkv",
            "",
            &[
                "-c:v",
                "libaom-av1",
                "-cpu-used",
                "8",
                "-row-mt",
                "1",
                "-crf",
                "40",
            ],
        ),
        // Variable frame rate: frames at irregular times.
        stand_in(
            dir.path(),
            "vfr.mp4",
            ",setpts='PTS+0.02*sin(N)/TB'",
            &["-fps_mode", "vfr", "-c:v", "libx264", "-preset", "veryfast"],
        ),
    ];
    let out = dir.path().join("out");
    let a = framesift()
        .arg("segment")
        .args(&videos)
        .arg("-o")
        .arg(&out)
        .arg("-q")
        .assert();
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert_eq!(a.get_output().status.code(), Some(0), "{err}");
    for v in &videos {
        let name = v.file_name().unwrap().to_string_lossy().into_owned();
        assert!(clips_decode(&out.join(&name)) >= 2, "{name}");
    }
}

#[test]
fn a_time_window_past_the_end_fails_that_input_naming_the_duration() {
    let dir = tempfile::tempdir().unwrap();
    let video = testsrc(dir.path(), "short.mp4", 3, 25);
    for cmd in [
        &["sample", "--mode", "keyframes"][..],
        &["sample"],
        &["segment"],
        &["select", "--n", "2"],
    ] {
        let out = dir.path().join(format!("out-{}", cmd.join("-")));
        let a = framesift()
            .args(cmd)
            .arg(&video)
            .arg("-o")
            .arg(&out)
            .args(["--start-time-s", "20", "-q"])
            .assert()
            .code(1);
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert!(
            err.contains("short.mp4") && err.contains("past the end") && err.contains("3.000 s"),
            "{cmd:?}: {err}"
        );
        assert!(
            !out.join("short.mp4").exists(),
            "{cmd:?}: nothing written for it"
        );
    }
}

#[test]
fn a_missing_clip_model_is_one_settings_error_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let video = testsrc(dir.path(), "v.mp4", 2, 25);
    let out = dir.path().join("out");
    let a = framesift()
        .env("HF_ENDPOINT", "http://127.0.0.1:9")
        .args(["clip"])
        .arg(&video)
        .arg(&out)
        .args([
            "--pos-samples",
            "a cat",
            "--model-name",
            "/no/such/model/dir",
        ])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("/no/such/model/dir"), "{err}");
    assert!(!out.exists(), "nothing created");
    assert!(a.get_output().stdout.is_empty(), "no stats block");
}

#[test]
fn bad_counts_and_worker_numbers_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let video = testsrc(dir.path(), "v.mp4", 2, 25);
    let out = dir.path().join("out");
    let cases: [&[&str]; 7] = [
        &["select", "--n", "0"],
        &["select", "--n", "-3"],
        &["select", "--n", "2", "--fraction", "0.5"],
        &["select", "--n", "2", "-j", "0"],
        &["sample", "-j", "-5"],
        &["embed", "--fps", "0"],
        &["segment", "--fps", "-1"],
    ];
    for args in cases {
        let a = framesift()
            .args(args)
            .arg(&video)
            .arg("-o")
            .arg(&out)
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert!(
            !err.contains("'-- -"),
            "{args:?}: no advice to use '--': {err}"
        );
        assert!(
            err.lines().next().unwrap_or("").starts_with("error")
                || err.starts_with("framesift: error"),
            "{args:?}: {err}"
        );
        assert!(!out.exists(), "{args:?}: nothing written");
    }
    // --fps 0 is named by its flag.
    let a = framesift()
        .args(["embed"])
        .arg(&video)
        .arg("-o")
        .arg(&out)
        .args(["--fps", "0"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("--fps"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");

    // More frames asked for than there are: done, and said.
    let a = framesift()
        .args(["select", "--n", "1000"])
        .arg(&video)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("1000 frames asked for"), "{err}");
}

#[test]
fn config_files_with_no_settings_or_zero_workers_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let video = testsrc(dir.path(), "v.mp4", 2, 25);
    for (name, text, says) in [
        ("empty.yaml", "", "holds no settings"),
        ("zero.yaml", "n_workers: 0\n", "n_workers"),
        (
            "typo.yaml",
            "min_frame_interval: 2\n",
            "did you mean `min_frame_interval_sec`?",
        ),
    ] {
        let cfg = dir.path().join(name);
        std::fs::write(&cfg, text).unwrap();
        let out = dir.path().join(format!("out-{name}"));
        let a = framesift()
            .arg("config")
            .arg(&cfg)
            .arg(&video)
            .arg(&out)
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert!(err.contains(says), "{name}: {err}");
        assert_eq!(err.lines().count(), 1, "{name}: {err}");
        assert!(!out.exists());
    }
}

#[test]
fn completions_man_page_and_output_folders_in_the_summary() {
    let bash = framesift().args(["completions", "bash"]).assert().success();
    let text = String::from_utf8_lossy(&bash.get_output().stdout).into_owned();
    assert!(text.contains("framesift") && text.contains("--max-per-scene"));
    let man = framesift().arg("man").assert().success();
    let text = String::from_utf8_lossy(&man.get_output().stdout).into_owned();
    assert!(
        text.contains(".TH framesift"),
        "{}",
        &text[..200.min(text.len())]
    );

    // Two inputs with one file name: the summary says which folder is whose.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("a")).unwrap();
    std::fs::create_dir(dir.path().join("b")).unwrap();
    let one = scenes_video(&dir.path().join("a"), "v.mp4", &["testsrc", "smptebars"]);
    let two = scenes_video(&dir.path().join("b"), "v.mp4", &["mandelbrot", "testsrc"]);
    let out = dir.path().join("out");
    framesift()
        .arg("sample")
        .args([&one, &two])
        .arg("-o")
        .arg(&out)
        .arg("-q")
        .assert()
        .success();
    let s = summary(&out);
    let folders: Vec<String> = s["videos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            Path::new(v["output_dir"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(folders, vec!["v.mp4", "v.mp4-2"]);
}

/// A 640×360 H.264 MP4 whose display matrix says "turn 90° clockwise"
/// (what a phone held upright writes). FFmpeg 5.1's CLI cannot write one
/// (`-display_rotation` came in 6.0), so the track header's matrix is
/// set in the file: ISO/IEC 14496-12 `tkhd` version 0, matrix at bytes
/// 44–80 after the box type.
fn rotated_video(dir: &Path) -> PathBuf {
    let plain = dir.join("plain.mp4");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=640x360:rate=25:duration=3",
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-g",
        "25",
        plain.to_str().unwrap(),
    ]);
    let mut bytes = std::fs::read(&plain).unwrap();
    let p = bytes.windows(4).position(|w| w == b"tkhd").unwrap();
    assert_eq!(bytes[p + 4], 0, "tkhd version 0");
    let matrix: [i32; 9] = [0, 65536, 0, -65536, 0, 0, 0, 0, 1 << 30];
    for (i, v) in matrix.iter().enumerate() {
        bytes[p + 44 + 4 * i..p + 48 + 4 * i].copy_from_slice(&v.to_be_bytes());
    }
    let path = dir.join("phone.mp4");
    std::fs::write(&path, bytes).unwrap();
    path
}

fn png_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    v.sort();
    v
}

/// Mean absolute difference of two same-sized RGB images.
fn mean_diff(a: &image::RgbImage, b: &image::RgbImage) -> f64 {
    let sum: u64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(x, y)| u64::from(x.abs_diff(*y)))
        .sum();
    sum as f64 / a.as_raw().len() as f64
}

#[test]
fn rotated_phone_videos_come_out_upright_unless_asked_not_to() {
    let dir = tempfile::tempdir().unwrap();
    let video = rotated_video(dir.path());
    // What ffmpeg (and so every player) shows.
    let shown = dir.path().join("shown.png");
    ffmpeg(&[
        "-i",
        video.to_str().unwrap(),
        "-frames:v",
        "1",
        shown.to_str().unwrap(),
    ]);
    let shown = image::open(&shown).unwrap().to_rgb8();
    assert_eq!(shown.dimensions(), (360, 640));

    let run = |out: &str, extra: &[&str]| {
        let out = dir.path().join(out);
        framesift()
            .args(["sample", "--mode", "keyframes", "--format", "png", "-q"])
            .arg(&video)
            .arg("-o")
            .arg(&out)
            .args(extra)
            .assert()
            .success();
        png_files(&out.join("phone.mp4"))
    };
    let upright = run("upright", &[]);
    let first = image::open(&upright[0]).unwrap().to_rgb8();
    assert_eq!(first.dimensions(), (360, 640));
    let turned_wrong = image::imageops::rotate180(&first);
    let (right, wrong) = (mean_diff(&first, &shown), mean_diff(&turned_wrong, &shown));
    assert!(
        right < 8.0 && wrong > 3.0 * right,
        "right {right}, wrong {wrong}"
    );
    let s = summary(&dir.path().join("upright"));
    assert_eq!(s["videos"][0]["video"]["orientation"]["rotate"], 90);

    for flag in ["--no-autorotate", "--reference-compat"] {
        let stored = run(&format!("stored{flag}"), &[flag]);
        let img = image::open(&stored[0]).unwrap().to_rgb8();
        assert_eq!(img.dimensions(), (640, 360), "{flag}");
    }

    // segment: keyframes upright, and the clips carry the display matrix.
    let out = dir.path().join("seg");
    framesift()
        .args(["segment", "-q"])
        .arg(&video)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let seg = out.join("phone.mp4");
    let key = std::fs::read_dir(seg.join("keyframes"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "jpg"))
        .unwrap();
    assert_eq!(
        image::open(&key).unwrap().to_rgb8().dimensions(),
        (360, 640)
    );
    let clip = jsonl(&seg.join("segments.jsonl"))[0]["clip"]
        .as_str()
        .unwrap()
        .to_string();
    let probe = std::process::Command::new("ffprobe")
        .args(["-v", "error", "-show_streams"])
        .arg(seg.join(clip))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&probe.stdout);
    assert!(text.contains("rotation=-90"), "{text}");
}

#[test]
fn json_summary_counts_in_one_vocabulary_and_a_heartbeat_off_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let video = scenes_video(dir.path(), "v.mp4", &["testsrc", "testsrc", "smptebars"]);
    let out = dir.path().join("out");
    let a = framesift()
        .env("FRAMESIFT_PROGRESS_EVERY", "0.001")
        .args([
            "sample",
            "--mode",
            "all-frames",
            "--min-frame-interval-sec",
            "0.2",
        ])
        .args(["--threshold", "5000", "--json"])
        .arg(&video)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    // stdout is the summary, as JSON, and nothing else.
    let stdout = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    let printed: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(printed, summary(&out));
    // Off a terminal, progress is a heartbeat line with the share done.
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        stderr
            .lines()
            .any(|l| l.contains("v.mp4: at ") && l.contains("%)")),
        "{stderr}"
    );
    // The counts use frames.jsonl's words and add up.
    let c = &printed["videos"][0]["counts"];
    let n = |k: &str| c[k].as_u64().unwrap();
    let lines = jsonl(&out.join("v.mp4/frames.jsonl"));
    let decided = |d: &str| lines.iter().filter(|r| r["decision"] == d).count() as u64;
    assert_eq!(n("duplicates"), decided("duplicate"));
    assert_eq!(n("gated_out"), decided("gated"));
    assert_eq!(n("saved"), decided("saved"));
    assert!(n("duplicates") > 0 && n("gated_out") > 0, "{c}");
    assert_eq!(
        n("candidates"),
        n("duplicates") + n("expired") + n("gated_out") + n("saved")
    );
    assert!(n("decoded") >= n("in_window") && n("in_window") >= n("candidates"));
}

/// README's exit-code table lists exactly the codes the binary uses; 0, 1
/// and 2 are walked here (130 and 143 in robust.rs, with real signals).
#[test]
fn the_readme_exit_code_table_is_what_the_binary_does() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .split("## Exit codes")
        .nth(1)
        .unwrap()
        .split("\n## ")
        .next()
        .unwrap();
    let codes: Vec<i32> = section
        .lines()
        .filter_map(|l| l.strip_prefix("| "))
        .filter_map(|l| l.split(' ').next()?.parse().ok())
        .collect();
    assert_eq!(codes, vec![0, 1, 2, 130, 143]);

    let dir = tempfile::tempdir().unwrap();
    let video = testsrc(dir.path(), "v.mp4", 2, 25);
    let bad = dir.path().join("bad.mp4");
    std::fs::write(&bad, b"not a video").unwrap();
    let out = dir.path().join("out");
    let code = |args: &[&std::ffi::OsStr]| {
        framesift()
            .args(args)
            .arg("-q")
            .output()
            .unwrap()
            .status
            .code()
    };
    let (v, b, o) = (video.as_os_str(), bad.as_os_str(), out.as_os_str());
    let s = |x: &'static str| std::ffi::OsStr::new(x);
    assert_eq!(code(&[s("sample"), v, s("-o"), o]), Some(0));
    assert_eq!(code(&[s("sample"), v, b, s("-o"), o]), Some(1));
    assert_eq!(
        code(&[s("sample"), v, s("-o"), o, s("--max-per-scene"), s("0")]),
        Some(2)
    );
}
