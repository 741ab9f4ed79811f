//! End-to-end tests of `framesift sample --mode scenes` (the default) on
//! videos made with ffmpeg's lavfi sources.

mod common;

use std::path::{Path, PathBuf};

use common::{ffmpeg, framesift, manifest, summary};
use serde_json::Value;

/// A 25 fps 320×240 H.264 video (2 s GOP, B-frames): smptebars 0–3 s,
/// testsrc 3–6 s, smptebars again 6–9 s (a repeat), black with grain
/// 9–11 s, mandelbrot 11–14 s, a 1 s crossfade into testsrc2, testsrc2
/// to 17 s.
fn scenes_with_repeat_and_fade(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let src = |s: &str, t: &str| {
        [
            "-f".to_string(),
            "lavfi".into(),
            "-t".into(),
            t.into(),
            "-i".into(),
            if s.contains('=') {
                format!("{s}:size=320x240:rate=25")
            } else {
                format!("{s}=size=320x240:rate=25")
            },
        ]
    };
    let mut args: Vec<String> = Vec::new();
    for (s, t) in [
        ("smptebars", "3"),
        ("testsrc", "3"),
        ("smptebars", "3"),
        ("color=c=black", "2"),
        ("mandelbrot", "3.5"),
        ("testsrc2", "3.5"),
    ] {
        args.extend(src(s, t));
    }
    args.extend([
        "-filter_complex".into(),
        "[3:v]noise=alls=3:allf=t[blk];\
         [4:v]settb=1/25[m];[5:v]settb=1/25[t2];\
         [m][t2]xfade=transition=fade:duration=1:offset=2.5[mx];\
         [0:v][1:v][2:v][blk][mx]concat=n=5:v=1:a=0,format=yuv420p[v]"
            .into(),
        "-map".into(),
        "[v]".into(),
        "-c:v".into(),
        "libx264".into(),
        "-g".into(),
        "50".into(),
        "-bf".into(),
        "2".into(),
        path.to_string_lossy().into_owned(),
    ]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    ffmpeg(&refs);
    path
}

fn saved(records: &[Value]) -> Vec<&Value> {
    records
        .iter()
        .filter(|r| r["decision"] == "saved")
        .collect()
}

fn times(records: &[Value]) -> Vec<f64> {
    saved(records)
        .iter()
        .map(|r| r["time"].as_f64().unwrap())
        .collect()
}

#[test]
fn one_best_frame_per_distinct_scene_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let video = scenes_with_repeat_and_fade(dir.path(), "v.mp4");
    let out = dir.path().join("out");
    let assert = framesift()
        .args([
            "sample",
            video.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("merge threshold"),
        "the threshold is printed: {stderr}"
    );
    let records = manifest(&out.join("v.mp4"));
    let t = times(&records);
    // smptebars (once), testsrc, mandelbrot, testsrc2: four scenes.
    assert_eq!(t.len(), 4, "{t:?}");
    assert_eq!(
        t.iter()
            .filter(|&&x| x < 3.0 || (6.0..9.0).contains(&x))
            .count(),
        1,
        "smptebars once: {t:?}"
    );
    assert!(
        t.iter().all(|&x| !(9.0..11.0).contains(&x)),
        "no black: {t:?}"
    );
    assert!(
        t.iter().all(|&x| !(13.6..14.4).contains(&x)),
        "no mid-fade frame: {t:?}"
    );
    for r in saved(&records) {
        let path = out.join("v.mp4").join(r["path"].as_str().unwrap());
        assert!(path.is_file(), "{path:?}");
        assert!(r["scene"].is_u64() && r["role"] == "best", "{r}");
        assert!(r["quality"]["sharpness"].as_f64().unwrap() > 0.0, "{r}");
        assert!(r["scene_start"].as_f64().unwrap() <= r["time"].as_f64().unwrap());
    }
    let is_bars = |t: f64| t < 3.0 || (6.0..9.0).contains(&t);
    let bars = saved(&records)
        .into_iter()
        .find(|r| is_bars(r["time"].as_f64().unwrap()))
        .unwrap();
    assert_eq!(bars["occurrences"].as_array().unwrap().len(), 2, "{bars}");
    // Every candidate has a line; the unsaved say why.
    assert!(records.iter().any(|r| r["reason"] == "flat"));
    assert!(records.iter().any(|r| r["reason"] == "repeat"));
    let s = summary(&out);
    let scenes = &s["videos"][0]["scenes"];
    assert_eq!(scenes["scenes"], 4, "{scenes}");
    assert!(scenes["merged"].as_u64().unwrap() >= 1, "{scenes}");
    assert!(scenes["rejected_flat"].as_u64().unwrap() >= 1, "{scenes}");
    assert!(
        scenes["merge_threshold"].as_f64().unwrap() > 0.0,
        "{scenes}"
    );
    // The spool is gone.
    assert!(!out.join(".framesift-spool").exists());
}

#[test]
fn same_output_with_one_or_two_workers() {
    let dir = tempfile::tempdir().unwrap();
    let a = scenes_with_repeat_and_fade(dir.path(), "a.mp4");
    let b = common::scenes_video(dir.path(), "b.avi", &["testsrc", "smptebars", "mandelbrot"]);
    let mut outs = Vec::new();
    for j in ["1", "2"] {
        let out = dir.path().join(format!("out{j}"));
        framesift()
            .args(["sample", "-q", "-j", j, "-o", out.to_str().unwrap()])
            .args([a.to_str().unwrap(), b.to_str().unwrap()])
            .assert()
            .success();
        let per_video: Vec<Vec<f64>> = ["a.mp4", "b.avi"]
            .iter()
            .map(|v| times(&manifest(&out.join(v))))
            .collect();
        outs.push(per_video);
    }
    assert_eq!(outs[0], outs[1]);
    assert!(outs[0].iter().all(|t| !t.is_empty()));
}

#[test]
fn global_merges_repeats_across_videos() {
    let dir = tempfile::tempdir().unwrap();
    let a = scenes_with_repeat_and_fade(dir.path(), "a.mp4");
    let b = dir.path().join("b.mp4");
    std::fs::copy(&a, &b).unwrap();
    let out = dir.path().join("out");
    framesift()
        .args(["sample", "-q", "--global", "-o", out.to_str().unwrap()])
        .args([a.to_str().unwrap(), b.to_str().unwrap()])
        .assert()
        .success();
    let (ta, tb) = (
        times(&manifest(&out.join("a.mp4"))),
        times(&manifest(&out.join("b.mp4"))),
    );
    assert_eq!(
        ta.len() + tb.len(),
        4,
        "one copy's scenes in all: {ta:?} {tb:?}"
    );
    let s = summary(&out);
    assert!(
        s["videos"][1]["scenes"]["merged"].as_u64().unwrap() >= 4,
        "{s}"
    );
}

#[test]
fn reads_a_pipe_that_cannot_seek() {
    let dir = tempfile::tempdir().unwrap();
    let video = scenes_with_repeat_and_fade(dir.path(), "v.mp4");
    let ts = dir.path().join("v.ts");
    ffmpeg(&[
        "-i",
        video.to_str().unwrap(),
        "-c",
        "copy",
        ts.to_str().unwrap(),
    ]);
    let fifo = dir.path().join("stream.ts");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    // `cat` feeds the pipe (and is killed afterwards, so a run that never
    // opened the pipe cannot leave the test waiting on it).
    let mut writer = std::process::Command::new("sh")
        .arg("-c")
        .arg("exec cat \"$0\" > \"$1\"")
        .arg(&ts)
        .arg(&fifo)
        .spawn()
        .unwrap();
    let out = dir.path().join("out");
    let run = framesift()
        .args([
            "sample",
            "-q",
            fifo.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    let _ = writer.kill();
    let _ = writer.wait();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let t = times(&manifest(&out.join("stream.ts")));
    assert_eq!(t.len(), 4, "the same four scenes from a pipe: {t:?}");
}

#[test]
fn old_flags_and_modes_still_mean_what_they_did() {
    let dir = tempfile::tempdir().unwrap();
    // A key frame every 2 s: frames 1 s apart are key frames only in
    // key-frame mode.
    let video = common::testsrc(dir.path(), "k.mp4", 6, 50);
    for (args, keyframes) in [
        (vec!["--keyframes-only"], true),
        (vec!["--mode", "keyframes"], true),
        (vec!["--no-keyframes-only"], false),
        (vec!["--mode", "all-frames"], false),
    ] {
        let out = dir.path().join(format!("out-{}", args.join("")));
        framesift()
            .args([
                "sample",
                "-q",
                video.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ])
            .args(&args)
            .assert()
            .success();
        let records = manifest(&out.join("k.mp4"));
        assert!(
            records.iter().all(|r| r["hash"].is_string()),
            "{args:?}: hash buffer"
        );
        let all_key = records.iter().all(|r| r["key_frame"] == true);
        assert_eq!(all_key, keyframes, "{args:?}");
    }
}

#[test]
fn hash_buffer_flags_need_a_hash_mode() {
    let dir = tempfile::tempdir().unwrap();
    let video = common::testsrc(dir.path(), "k.mp4", 2, 25);
    let out = dir.path().join("out");
    let a = framesift()
        .args([
            "sample",
            video.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .args(["--hash-size", "8"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        err.contains("--hash-size") && err.contains("--mode keyframes"),
        "{err}"
    );
    assert!(!out.exists(), "nothing written");
    // A bad scene setting: one line naming it, exit 2, nothing written.
    for (flag, value, key) in [
        ("--merge-threshold", "-1", "--merge-threshold"),
        ("--scene-fps", "0", "--scene-fps"),
    ] {
        let a = framesift()
            .args([
                "sample",
                video.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ])
            .args([flag, value])
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(key), "{err}");
        assert!(!out.exists(), "nothing written");
    }
}

#[test]
fn a_bad_input_fails_alone_and_leaves_no_spool() {
    let dir = tempfile::tempdir().unwrap();
    let good = scenes_with_repeat_and_fade(dir.path(), "good.mp4");
    let text = dir.path().join("text.mp4");
    std::fs::write(&text, "not a video").unwrap();
    let out = dir.path().join("out");
    let a = framesift()
        .args(["sample", "-q", "-o", out.to_str().unwrap()])
        .args([good.to_str().unwrap(), text.to_str().unwrap()])
        .arg(dir.path().join("missing.mp4"))
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    for name in ["text.mp4", "missing.mp4"] {
        let lines: Vec<&str> = err.lines().filter(|l| l.contains(name)).collect();
        assert_eq!(lines.len(), 1, "{name}: {err}");
        assert!(lines[0].starts_with("framesift: error: "), "{err}");
    }
    assert_eq!(times(&manifest(&out.join("good.mp4"))).len(), 4);
    assert!(!out.join(".framesift-spool").exists(), "spool removed");
    for f in common::files_below(&out) {
        assert!(!f.to_string_lossy().ends_with(".part"), "{f:?}");
    }
}

#[test]
fn select_takes_each_scene_first_and_never_black_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let video = scenes_with_repeat_and_fade(dir.path(), "v.mp4");
    let run = |n: &str, extra: &[&str]| {
        let out = dir.path().join(format!("sel{n}{}", extra.join("")));
        let a = framesift()
            .args([
                "select",
                "-q",
                video.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ])
            .args(["--n", n])
            .args(extra)
            .assert()
            .success();
        (times(&manifest(&out.join("v.mp4"))), out, a)
    };
    // The scene shown longest (smptebars, twice: 6 s) comes first.
    let (one, _, _) = run("1", &[]);
    assert_eq!(one.len(), 1);
    assert!(one[0] < 3.0 || (6.0..9.0).contains(&one[0]), "{one:?}");
    // Four picks: the four scenes, no black, nothing mid-fade.
    let (four, out, _) = run("4", &[]);
    let scene_of = |t: f64| match t {
        t if t < 3.0 || (6.0..9.0).contains(&t) => "bars",
        t if t < 6.0 => "testsrc",
        t if (9.0..11.0).contains(&t) => "black",
        t if t < 13.6 => "mandelbrot",
        t if t < 14.4 => "fade",
        _ => "testsrc2",
    };
    let mut got: Vec<&str> = four.iter().map(|&t| scene_of(t)).collect();
    got.sort_unstable();
    assert_eq!(
        got,
        ["bars", "mandelbrot", "testsrc", "testsrc2"],
        "{four:?}"
    );
    let s = summary(&out);
    assert!(s["videos"][0]["poor_frames"].as_u64().unwrap() >= 3, "{s}");
    let report: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("v.mp4").join("diversity.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(report[3]["set"], "scenes");
}
