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

/// Every clip `segment` cut decodes to the end with the ffmpeg CLI.
fn clips_decode(seg_dir: &Path) -> usize {
    let mut n = 0;
    for r in jsonl(&seg_dir.join("segments.jsonl")) {
        let clip = seg_dir.join(r["clip"].as_str().expect("every segment has its clip"));
        ffmpeg(&[
            "-v",
            "error",
            "-i",
            clip.to_str().unwrap(),
            "-f",
            "null",
            "-",
        ]);
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
