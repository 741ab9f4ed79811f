//! End to end: keyword capture (sidecar .srt/.vtt, muxed subtitle stream),
//! summaries against a real HTTP server in the test, and yt-dlp (the real
//! program) streaming from a local HTTP server.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use common::http::{serve, serve_files, Reply, Request};
use common::{ffmpeg, framesift, manifest, summary, testsrc};

const SRT: &str = "1\n00:00:01,000 --> 00:00:02,500\nA small CAT sleeps.\n\n2\n00:00:04,000 --> 00:00:05,000\nNothing here.\n\n3\n00:00:06,000 --> 00:00:07,500\nThe hot  dog stand.\n";
const VTT: &str = "WEBVTT\n\n00:01.000 --> 00:02.500\nA small <b>CAT</b> sleeps.\n\n00:04.000 --> 00:05.000\nNothing here.\n\n00:06.000 --> 00:07.500\nThe hot dog stand.\n";

/// `sample -q` over every frame, one per `interval` seconds, no dedup.
fn every_frame(interval: &str) -> [&str; 6] {
    [
        "sample",
        "-q",
        "--no-keyframes-only",
        "--min-frame-interval-sec",
        interval,
        "--no-dedup",
    ]
}

/// Times (and keywords) of the saved frames of `dir`'s manifest.
fn saved(dir: &Path) -> Vec<(f64, String)> {
    manifest(dir)
        .iter()
        .filter(|r| r["decision"] == "saved")
        .map(|r| {
            (
                r["time"].as_f64().unwrap(),
                r["keyword"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn keyword_run(video: &Path, out: &Path) -> Vec<(f64, String)> {
    framesift()
        .args(every_frame("0.2"))
        .args(["--keywords", "cat,hot dog"])
        .arg(video)
        .arg("-o")
        .arg(out)
        .assert()
        .success();
    let name = video.file_name().unwrap().to_string_lossy().into_owned();
    saved(&out.join(name))
}

fn assert_only_in_cues(frames: &[(f64, String)]) {
    assert!(frames.len() >= 10, "{frames:?}");
    for (t, k) in frames {
        let in_cat = (1.0..=2.5).contains(t);
        let in_dog = (6.0..=7.5).contains(t);
        assert!(in_cat || in_dog, "frame at {t} outside the matching cues");
        assert_eq!(k, if in_cat { "cat" } else { "hot dog" });
    }
    assert!(frames.iter().any(|f| f.0 < 3.0) && frames.iter().any(|f| f.0 > 5.0));
}

#[test]
fn keywords_from_sidecar_srt_and_vtt_and_a_muxed_stream() {
    let dir = tempfile::tempdir().unwrap();
    // Sidecar .srt
    let a = dir.path().join("a");
    std::fs::create_dir(&a).unwrap();
    let v = testsrc(&a, "talk.mp4", 9, 25);
    std::fs::write(a.join("talk.srt"), SRT).unwrap();
    assert_only_in_cues(&keyword_run(&v, &dir.path().join("out-srt")));
    // Sidecar .vtt (language-tagged)
    let b = dir.path().join("b");
    std::fs::create_dir(&b).unwrap();
    let v = testsrc(&b, "talk.mp4", 9, 25);
    std::fs::write(b.join("talk.en.vtt"), VTT).unwrap();
    assert_only_in_cues(&keyword_run(&v, &dir.path().join("out-vtt")));
    // Muxed subtitle stream, no sidecar.
    let c = dir.path().join("c");
    std::fs::create_dir(&c).unwrap();
    let plain = testsrc(&c, "plain.mp4", 9, 25);
    let subs = dir.path().join("subs.srt");
    std::fs::write(&subs, SRT).unwrap();
    let muxed = c.join("muxed.mkv");
    ffmpeg(&[
        "-i",
        plain.to_str().unwrap(),
        "-i",
        subs.to_str().unwrap(),
        "-map",
        "0:v",
        "-map",
        "1:s",
        "-c:v",
        "copy",
        "-c:s",
        "srt",
        muxed.to_str().unwrap(),
    ]);
    let frames = keyword_run(&muxed, &dir.path().join("out-mux"));
    assert_only_in_cues(&frames);
    let m = manifest(&dir.path().join("out-mux").join("muxed.mkv"));
    let first = m.iter().find(|r| r["decision"] == "saved").unwrap();
    assert_eq!(first["cue"], "A small CAT sleeps.");
}

#[test]
fn no_subtitles_is_a_clear_error_and_no_match_is_no_frames() {
    let dir = tempfile::tempdir().unwrap();
    let bare = testsrc(dir.path(), "bare.mp4", 3, 25);
    let sub_dir = dir.path().join("s");
    std::fs::create_dir(&sub_dir).unwrap();
    let with_subs = testsrc(&sub_dir, "subs.mp4", 3, 25);
    std::fs::write(sub_dir.join("subs.srt"), SRT).unwrap();
    let out = dir.path().join("out");
    let a = framesift()
        .args(["sample", "-q", "--mode", "keyframes", "--keywords", "zebra"])
        .arg(&bare)
        .arg(&with_subs)
        .arg("-o")
        .arg(&out)
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        err.contains("bare.mp4") && err.contains("no subtitles"),
        "{err}"
    );
    let s = summary(&out);
    let v = s["videos"].as_array().unwrap();
    let subs = v
        .iter()
        .find(|r| r["input"].as_str().unwrap().ends_with("subs.mp4"))
        .unwrap();
    assert_eq!(subs["ok"], true);
    assert_eq!(subs["keyword_spans"], 0);
    assert_eq!(subs["saved"], 0);
}

/// A fake multimodal server that records requests and answers like OpenAI.
fn summary_server(calls: Arc<Mutex<Vec<Request>>>) -> common::http::Server {
    serve(move |req| {
        calls.lock().unwrap().push(req.clone());
        let n = calls.lock().unwrap().len();
        let body = format!(
            r#"{{"choices":[{{"message":{{"role":"assistant","content":" frame number {n} "}}}}]}}"#
        );
        Reply::Body(200, "application/json", body.into_bytes())
    })
}

fn files_of(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".jpg"))
        .collect();
    v.sort();
    v
}

fn sample_with(video: &Path, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    framesift()
        .args(every_frame("1"))
        .args(extra)
        .arg(video)
        .arg("-o")
        .arg(out)
        .env("OPENAI_API_KEY", "sk-test-secret")
        .timeout(std::time::Duration::from_secs(120))
        .assert()
}

#[test]
fn summaries_are_asked_in_the_openai_shape_and_written_in_time_order() {
    let dir = tempfile::tempdir().unwrap();
    let video = testsrc(dir.path(), "v.mp4", 10, 25);
    let calls = Arc::new(Mutex::new(Vec::new()));
    let server = summary_server(calls.clone());
    let out = dir.path().join("out");
    let url = server.url("/v1/chat/completions");
    let a = sample_with(
        &video,
        &out,
        &[
            "--summary-url",
            &url,
            "--summary-interval",
            "3",
            "--summary-model",
            "test-model",
        ],
    )
    .success();
    let o = a.get_output();
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let calls = calls.lock().unwrap();
    // Frames at 0,1,…,9 s; summarised at least 3 s apart: 0, 3, 6, 9.
    assert_eq!(calls.len(), 4, "{}", calls.len());
    for req in calls.iter() {
        assert_eq!(req.method, "POST");
        assert_eq!(req.path, "/v1/chat/completions");
        assert_eq!(
            req.headers.get("authorization").map(String::as_str),
            Some("Bearer sk-test-secret")
        );
        let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap();
        assert_eq!(body["model"], "test-model");
        let content = &body["messages"][0]["content"];
        assert_eq!(content[0]["type"], "text");
        let url = content[1]["image_url"]["url"].as_str().unwrap();
        let b64 = url
            .strip_prefix("data:image/jpeg;base64,")
            .expect("a JPEG data URL");
        use base64::Engine;
        let jpeg = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
    }
    let lines: Vec<serde_json::Value> =
        std::fs::read_to_string(out.join("v.mp4").join("summaries.jsonl"))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
    let times: Vec<f64> = lines.iter().map(|l| l["time"].as_f64().unwrap()).collect();
    assert_eq!(times.len(), 4);
    assert!(times.windows(2).all(|w| w[1] - w[0] >= 3.0), "{times:?}");
    assert!(lines
        .iter()
        .all(|l| l["summary"].as_str().unwrap().starts_with("frame number")));
    let s = summary(&out);
    assert_eq!(s["videos"][0]["summaries"]["answered"], 4);
    let everything = format!(
        "{printed}{}",
        std::fs::read_to_string(out.join("summary.json")).unwrap()
    );
    assert!(!everything.contains("sk-test-secret"), "the key leaked");
}

#[test]
fn a_failing_or_stalled_server_changes_nothing_but_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let video = testsrc(dir.path(), "v.mp4", 6, 25);
    let plain = dir.path().join("plain");
    sample_with(&video, &plain, &[]).success();
    let want = files_of(&plain.join("v.mp4"));
    let want_manifest = std::fs::read_to_string(plain.join("v.mp4").join("frames.jsonl")).unwrap();
    assert_eq!(want.len(), 6);

    let failing = serve(|_| Reply::Body(500, "text/plain", b"boom".to_vec()));
    let stalled = serve(|_| Reply::Stall);
    for (name, server) in [("failing", failing), ("stalled", stalled)] {
        let out = dir.path().join(name);
        let url = server.url("/v1/chat/completions");
        let started = std::time::Instant::now();
        sample_with(
            &video,
            &out,
            &[
                "--summary-url",
                &url,
                "--summary-interval",
                "0",
                "--summary-timeout",
                "1",
            ],
        )
        .success();
        assert!(
            started.elapsed().as_secs() < 60,
            "{name}: took {:?}",
            started.elapsed()
        );
        assert_eq!(files_of(&out.join("v.mp4")), want, "{name}");
        assert_eq!(
            std::fs::read_to_string(out.join("v.mp4").join("frames.jsonl")).unwrap(),
            want_manifest,
            "{name}"
        );
        let s = summary(&out);
        let st = &s["videos"][0]["summaries"];
        assert!(st["failed"].as_u64().unwrap() >= 1, "{name}: {st}");
        assert_eq!(st["answered"], 0, "{name}");
        assert!(
            st["first_error"].as_str().unwrap().contains("127.0.0.1"),
            "{name}: {st}"
        );
        assert_eq!(
            st["requested"].as_u64().unwrap() + st["skipped_busy"].as_u64().unwrap(),
            6,
            "{name}: every frame was either sent or skipped"
        );
    }
}

/// The yt-dlp the tests use: $FRAMESIFT_YTDLP, ./.venv-tools/bin/yt-dlp
/// (scripts/setup-deps.sh installs it), or yt-dlp on PATH.
fn ytdlp() -> String {
    let local = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv-tools/bin/yt-dlp");
    let candidates = std::env::var("FRAMESIFT_YTDLP")
        .into_iter()
        .chain([local.to_string_lossy().into_owned(), "yt-dlp".to_string()]);
    for c in candidates {
        if std::process::Command::new(&c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return c;
        }
    }
    panic!("yt-dlp is needed for this test: run bash scripts/setup-deps.sh");
}

#[test]
fn ytdlp_streams_entries_from_a_local_server_and_writes_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let video = testsrc(dir.path(), "clip.mp4", 6, 25);
    let bytes = std::fs::read(&video).unwrap();
    std::fs::remove_file(&video).unwrap();
    let mut files = HashMap::new();
    files.insert("/media/clip.mp4".to_string(), bytes);
    let server = serve_files(files);
    let work = dir.path().join("cwd");
    std::fs::create_dir(&work).unwrap();
    let a = framesift()
        .current_dir(&work)
        .env("FRAMESIFT_YTDLP", ytdlp())
        .env("HOME", &work)
        .args(every_frame("1"))
        .arg("--ytdlp")
        .args(["--yt-extra-args", "--no-check-certificates --retries 1"])
        .arg(server.url("/media/clip.mp4"))
        .arg(server.url("/media/missing.mp4"))
        .arg("-o")
        .arg("out")
        .timeout(std::time::Duration::from_secs(180))
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        err.contains("missing.mp4"),
        "the failing entry is named: {err}"
    );
    assert!(err.contains("404"), "with yt-dlp's reason: {err}");
    // The entry's folder is its title (the generic extractor: the file stem).
    let frames = files_of(&work.join("out").join("clip"));
    assert_eq!(frames.len(), 6, "{frames:?}");
    // Nothing but the outputs was written (no download, no cache).
    let mut top: Vec<String> = std::fs::read_dir(&work)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, vec!["out"]);
    let mut inside: Vec<String> = std::fs::read_dir(work.join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    inside.sort();
    assert_eq!(inside, vec!["clip", "summary.json"]);
}

#[test]
fn a_missing_ytdlp_is_one_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let a = framesift()
        .env("FRAMESIFT_YTDLP", "/nonexistent/yt-dlp")
        .args(["sample", "-q", "--ytdlp", "ytsearch1:cats", "-o"])
        .arg(dir.path().join("out"))
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        err.contains("yt-dlp not found") && err.contains("FRAMESIFT_YTDLP"),
        "{err}"
    );
}

#[test]
fn llama_cpp_servers_get_video_samplers_completion_request() {
    let dir = tempfile::tempdir().unwrap();
    let video = testsrc(dir.path(), "v.mp4", 3, 25);
    let calls = Arc::new(Mutex::new(Vec::<Request>::new()));
    let seen = calls.clone();
    let server = serve(move |req| {
        seen.lock().unwrap().push(req.clone());
        Reply::Body(
            200,
            "application/json",
            br#"{"content":"a test card\n"}"#.to_vec(),
        )
    });
    let out = dir.path().join("out");
    let url = server.url("/completion");
    sample_with(
        &video,
        &out,
        &["--summary-url", &url, "--summary-interval", "30"],
    )
    .success();
    let calls = calls.lock().unwrap();
    assert_eq!(calls.len(), 1);
    let body: serde_json::Value = serde_json::from_slice(&calls[0].body).unwrap();
    assert_eq!(body["image_data"][0]["id"], 10);
    assert!(body["image_data"][0]["data"].as_str().unwrap().len() > 100);
    assert!(body["prompt"].as_str().unwrap().contains("[img-10]"));
    let text = std::fs::read_to_string(out.join("v.mp4").join("summaries.jsonl")).unwrap();
    let line: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(line["summary"], "a test card");
    assert_eq!(line["time"], 0.0);
}

#[test]
fn ytdlp_subtitles_drive_keyword_capture() {
    // A web page with an HTML5 video and an English subtitle track: yt-dlp's
    // generic extractor finds both; framesift samples inside the cue only.
    let dir = tempfile::tempdir().unwrap();
    let video = testsrc(dir.path(), "clip.mp4", 9, 25);
    let mut files = HashMap::new();
    files.insert("/clip.mp4".to_string(), std::fs::read(&video).unwrap());
    files.insert("/clip.vtt".to_string(), VTT.as_bytes().to_vec());
    let page = r#"<!DOCTYPE html><html><head><title>Test page</title></head><body>
<video controls><source src="clip.mp4" type="video/mp4">
<track kind="subtitles" srclang="en" label="English" src="clip.vtt"></video></body></html>"#;
    files.insert("/page.html".to_string(), page.as_bytes().to_vec());
    let server = serve_files(files);
    let out = dir.path().join("out");
    framesift()
        .env("FRAMESIFT_YTDLP", ytdlp())
        .args(every_frame("0.2"))
        .arg("--ytdlp")
        .args(["--keywords", "cat"])
        .arg(server.url("/page.html"))
        .arg("-o")
        .arg(&out)
        .timeout(std::time::Duration::from_secs(180))
        .assert()
        .success();
    let folders: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    assert_eq!(folders.len(), 1, "{folders:?}");
    let frames = saved(&folders[0]);
    assert!(frames.len() >= 5, "{frames:?}");
    assert!(
        frames
            .iter()
            .all(|(t, k)| (1.0..=2.5).contains(t) && k == "cat"),
        "{frames:?}"
    );
}
