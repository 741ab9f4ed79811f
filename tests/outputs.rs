//! Reports and exports (`--report`, `--contact-sheet`, `--manifest`,
//! `--webdataset`, `--export label-studio`) on generated videos. The
//! browser check of the reports and the Parquet/WebDataset read-back with
//! pyarrow and webdataset are in python/tests/test_outputs.py.

mod common;

use std::path::{Path, PathBuf};

use common::{framesift, jsonl, manifest, scenes_video, summary};

fn video(dir: &Path) -> PathBuf {
    scenes_video(
        dir,
        "four.mp4",
        &["testsrc", "smptebars", "mandelbrot", "rgbtestsrc"],
    )
}

/// `framesift CMD INPUTS... -o OUT -q`, more arguments to add.
fn command(cmd: &str, inputs: &[&Path], out: &Path) -> assert_cmd::Command {
    let mut c = framesift();
    c.arg(cmd).args(inputs).arg("-o").arg(out).arg("-q");
    c
}

/// The shards `name(i)` for i = 0, 1, … up to the first missing one.
fn shards(out: &Path, name: impl Fn(usize) -> String) -> Vec<PathBuf> {
    (0..)
        .map(|i| out.join(name(i)))
        .take_while(|p| p.exists())
        .collect()
}

fn tar_members(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut a = tar::Archive::new(std::fs::File::open(path).unwrap());
    a.entries()
        .unwrap()
        .map(|e| {
            let mut e = e.unwrap();
            let name = e.path().unwrap().to_string_lossy().to_string();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut e, &mut bytes).unwrap();
            (name, bytes)
        })
        .collect()
}

#[test]
fn sample_writes_every_output_and_they_agree_with_its_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let v = video(dir.path());
    let out = dir.path().join("out");
    command("sample", &[&v], &out)
        .args(["--report", "--contact-sheet", "--manifest", "jsonl,csv"])
        .args(["--webdataset", "shards/f-%03d.tar", "--shard-size", "3"])
        .args(["--export", "label-studio", "--stats"])
        .assert()
        .success()
        .stdout(predicates::str::contains("Reports and exports: "));
    let frames = manifest(&out.join("four.mp4"));
    let saved: Vec<&serde_json::Value> =
        frames.iter().filter(|f| f["decision"] == "saved").collect();
    assert!(saved.len() >= 3, "{}", saved.len());

    // The run manifest: one row per frames.jsonl line, same order.
    let rows = jsonl(&out.join("manifest.jsonl"));
    assert_eq!(rows.len(), frames.len());
    for (r, f) in rows.iter().zip(&frames) {
        assert_eq!(r["time"], f["time"]);
        assert_eq!(r["decision"], f["decision"]);
        assert_eq!(r["command"], "sample");
        assert_eq!(r["video_dir"], "four.mp4");
        match f["path"].as_str() {
            Some(p) => assert_eq!(r["path"], format!("four.mp4/{p}")),
            None => assert!(r["path"].is_null()),
        }
        assert_eq!(
            r.as_object().unwrap().len(),
            19,
            "every column, null or not"
        );
    }
    let csv = std::fs::read_to_string(out.join("manifest.csv")).unwrap();
    assert_eq!(csv.lines().count(), frames.len() + 1);

    // Contact sheet: a JPEG, 6 thumbnails wide at most.
    let sheet = image::open(out.join("four.mp4/sheet.jpg")).unwrap();
    assert!(sheet.height() > 135 && sheet.width() > 135, "{sheet:?}");

    // WebDataset: saved frames in shards of 3, keys without dots, images
    // byte-identical to the saved files, json = the manifest row.
    let files = shards(&out, |i| format!("shards/f-{i:03}.tar"));
    assert_eq!(files.len(), saved.len().div_ceil(3));
    let members: Vec<(String, Vec<u8>)> = files.iter().flat_map(|s| tar_members(s)).collect();
    assert_eq!(members.len(), 2 * saved.len());
    for (pair, f) in members.chunks(2).zip(&saved) {
        let (key, ext) = pair[0].0.split_once('.').unwrap();
        assert_eq!(ext, "jpg");
        assert_eq!(pair[1].0, format!("{key}.json"));
        let file = out.join("four.mp4").join(f["path"].as_str().unwrap());
        assert_eq!(pair[0].1, std::fs::read(file).unwrap());
        let row: serde_json::Value = serde_json::from_slice(&pair[1].1).unwrap();
        assert_eq!(row["time"], f["time"]);
    }

    // Label Studio: a task per saved frame, its image behind the prefix.
    let tasks: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(out.join("label-studio.json")).unwrap()).unwrap();
    assert_eq!(tasks.len(), saved.len());
    for (t, f) in tasks.iter().zip(&saved) {
        let image = t["data"]["image"].as_str().unwrap();
        assert_eq!(
            image,
            format!(
                "/data/local-files/?d=four.mp4/{}",
                f["path"].as_str().unwrap()
            )
        );
        assert_eq!(t["data"]["time"], f["time"]);
    }

    // The report links every saved image, the sheet, and marks every frame.
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for f in &saved {
        assert!(html.contains(&format!("src=\"four.mp4/{}\"", f["path"].as_str().unwrap())));
    }
    assert!(html.contains("src=\"four.mp4/sheet.jpg\""));
    assert_eq!(html.matches("class=\"mark ").count(), frames.len());
    assert!(html.matches("class=\"cut\"").count() >= 3, "three cuts");
    assert!(html.contains("id=\"framesift-data\""));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no network"
    );
    // Nothing half-written is left behind.
    let leftovers: Vec<PathBuf> = common::files_below(&out)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_failed_video_is_in_the_report_and_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let v = video(dir.path());
    let bad = dir.path().join("broken.mp4");
    std::fs::write(&bad, b"not a video").unwrap();
    let out = dir.path().join("out");
    command("sample", &[&v, &bad], &out)
        .args(["--report", "--manifest", "jsonl"])
        .assert()
        .code(1);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<h3>Failures</h3>"));
    assert!(html.contains("broken.mp4: cannot open"), "the error line");
    let rows = jsonl(&out.join("manifest.jsonl"));
    assert!(!rows.is_empty() && rows.iter().all(|r| r["video_dir"] == "four.mp4"));
}

#[test]
fn bad_output_settings_stop_before_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let v = video(dir.path());
    let out = dir.path().join("out");
    for (args, says) in [
        (
            vec!["--webdataset", "shards.tar"],
            "needs exactly one shard number",
        ),
        (vec!["--manifest", "xml"], "not a manifest format"),
        (vec!["--export", "cvat"], "not an export format"),
        (vec!["--shard-size", "0"], "not a count"),
    ] {
        command("sample", &[&v], &out)
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(says));
        assert!(!out.join("summary.json").exists(), "{args:?} ran");
    }
    command("segment", &[&v], &out)
        .arg("--contact-sheet")
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--contact-sheet is for sample and select",
        ));
    assert!(!out.join("summary.json").exists());
}

#[test]
fn resume_rewrites_the_shards_of_the_whole_run() {
    let dir = tempfile::tempdir().unwrap();
    let v = video(dir.path());
    let out = dir.path().join("out");
    let run = |extra: &[&str]| {
        command("sample", &[&v], &out)
            .args([
                "--mode",
                "keyframes",
                "--webdataset",
                "s-%d.tar",
                "--shard-size",
                "2",
            ])
            .args(extra)
            .assert()
            .success();
    };
    run(&[]);
    let read_all = || -> Vec<Vec<u8>> {
        shards(&out, |i| format!("s-{i}.tar"))
            .iter()
            .map(|p| std::fs::read(p).unwrap())
            .collect()
    };
    let first = read_all();
    assert!(first.len() >= 2);
    // A stale shard from some longer run goes; the resumed video's frames stay.
    std::fs::write(out.join(format!("s-{}.tar", first.len() + 1)), b"x").unwrap();
    std::fs::write(out.join(format!("s-{}.tar", first.len())), b"x").unwrap();
    run(&["--resume"]);
    assert_eq!(summary(&out)["videos"][0]["resumed"], true);
    let second = read_all();
    assert_eq!(first, second, "same shards, byte for byte, none extra");
}

#[test]
fn select_and_segment_reports_show_their_own_parts() {
    let dir = tempfile::tempdir().unwrap();
    let v = video(dir.path());
    let out = dir.path().join("sel");
    command("select", &[&v], &out)
        .args([
            "--n",
            "3",
            "--report",
            "--contact-sheet",
            "--manifest",
            "jsonl",
        ])
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<h3>Diversity</h3>") && html.contains("coverage radius"));
    let candidates = jsonl(&out.join("four.mp4/candidates.jsonl")).len();
    assert_eq!(html.matches("<circle class=\"pick\"").count(), 3);
    assert_eq!(
        html.matches("<circle class=\"cand\"").count(),
        candidates - 3
    );
    assert!(out.join("four.mp4/sheet.jpg").is_file());
    let rows = jsonl(&out.join("manifest.jsonl"));
    assert_eq!(rows.len(), 3);
    assert!(rows
        .iter()
        .all(|r| r["embedding"].as_array().is_some_and(|e| !e.is_empty())));

    let out = dir.path().join("seg");
    command("segment", &[&v], &out)
        .args(["--report", "--manifest", "jsonl", "--no-clips"])
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("src=\"four.mp4/scores.svg\""));
    let segments = jsonl(&out.join("four.mp4/segments.jsonl"));
    assert!(html.contains(&format!("<h3>Segments ({})</h3>", segments.len())));
    let keyframes: usize = segments
        .iter()
        .map(|s| s["keyframes"].as_array().unwrap().len())
        .sum();
    let rows = jsonl(&out.join("manifest.jsonl"));
    assert_eq!(rows.len(), keyframes);
    assert!(rows
        .iter()
        .all(|r| r["decision"] == "keyframe" && !r["segment"].is_null()));
}

#[test]
fn a_config_file_asks_for_outputs_too() {
    let dir = tempfile::tempdir().unwrap();
    let v = video(dir.path());
    let out = dir.path().join("out");
    let cfg = dir.path().join("cfg.yaml");
    std::fs::write(
        &cfg,
        "outputs:\n  report: true\n  manifest: [csv]\n  export: label-studio\n  export_prefix: http://h/\n",
    )
    .unwrap();
    framesift()
        .args([
            "config",
            cfg.to_str().unwrap(),
            v.to_str().unwrap(),
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    assert!(out.join("report.html").is_file());
    assert!(out.join("manifest.csv").is_file());
    let tasks = std::fs::read_to_string(out.join("label-studio.json")).unwrap();
    assert!(tasks.contains("\"image\": \"http://h/four.mp4/"), "{tasks}");
    std::fs::write(&cfg, "outputs:\n  reprot: true\n").unwrap();
    framesift()
        .args([
            "config",
            cfg.to_str().unwrap(),
            v.to_str().unwrap(),
            out.to_str().unwrap(),
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("reprot"));
}

#[test]
fn a_global_selection_reports_its_one_table_and_every_videos_candidates() {
    let dir = tempfile::tempdir().unwrap();
    let a = video(dir.path());
    let b = scenes_video(dir.path(), "two.mp4", &["smptebars", "testsrc2"]);
    let out = dir.path().join("g");
    command("select", &[&a, &b], &out)
        .args(["--global", "--n", "4", "--report"])
        .assert()
        .success();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let header = &html[..html.find("<section>").unwrap()];
    assert!(header.contains("<h3>Diversity</h3>"), "the global table");
    assert_eq!(html.matches("<circle class=\"pick\"").count(), 4);
    for v in ["four.mp4", "two.mp4"] {
        let candidates = jsonl(&out.join(v).join("candidates.jsonl"));
        assert!(!candidates.is_empty(), "{v}");
    }
}
