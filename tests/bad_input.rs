//! Bad inputs: each gets one clear error line naming it, the good videos
//! still complete, the exit code says something failed, and no temporary
//! or half-written file is left.

mod common;

use common::*;

#[test]
fn bad_inputs_fail_alone_with_one_line_each() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = testsrc(d, "good.mp4", 3, 25);
    let full = std::fs::read(&good).unwrap();
    std::fs::write(d.join("truncated.mp4"), &full[..full.len() / 2]).unwrap();
    std::fs::write(d.join("text.mp4"), "this is not a video\n".repeat(50)).unwrap();
    std::fs::write(d.join("empty.mp4"), b"").unwrap();
    std::fs::create_dir(d.join("folder.mp4")).unwrap();
    let audio = d.join("audio.m4a");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "sine=duration=1",
        "-c:a",
        "aac",
        audio.to_str().unwrap(),
    ]);
    let mut corrupt = full.clone();
    // Overwrite the middle with garbage: the header parses, the data does not.
    let mid = corrupt.len() / 3;
    for b in &mut corrupt[mid..mid + 4000] {
        *b = 0x5a;
    }
    std::fs::write(d.join("corrupt.mp4"), &corrupt).unwrap();

    let out = d.join("out");
    let bad = [
        "missing.mp4",
        "truncated.mp4",
        "text.mp4",
        "empty.mp4",
        "audio.m4a",
    ];
    let mut cmd = framesift();
    cmd.args([
        "sample",
        "--mode",
        "keyframes",
        "-o",
        out.to_str().unwrap(),
        "-q",
    ]);
    cmd.arg(good.to_str().unwrap());
    for b in bad {
        cmd.arg(d.join(b).to_str().unwrap());
    }
    cmd.arg(d.join("corrupt.mp4").to_str().unwrap());
    let assert = cmd.assert().code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    for b in bad {
        let lines: Vec<_> = stderr.lines().filter(|l| l.contains(b)).collect();
        assert_eq!(lines.len(), 1, "{b}: {stderr}");
        assert!(lines[0].starts_with("framesift: error: "), "{}", lines[0]);
    }
    assert!(
        stderr.contains("missing.mp4: cannot open: No such file"),
        "{stderr}"
    );
    assert!(stderr.contains("audio.m4a: no video stream"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");

    // The good video completed in full.
    let s = summary(&out);
    let good_report = &s["videos"][0];
    assert_eq!(good_report["ok"], true, "{good_report}");
    assert_eq!(good_report["saved"], 3);
    assert_eq!(manifest(&out.join("good.mp4")).len(), 3);
    // Nothing half-written anywhere.
    for f in files_below(&out) {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!name.ends_with(".part"), "left behind: {}", f.display());
    }
}

#[test]
fn a_directory_named_like_a_video_is_searched_not_opened() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("folder.mp4")).unwrap();
    let out = dir.path().join("out");
    let assert = framesift()
        .args([
            "sample",
            dir.path().join("folder.mp4").to_str().unwrap(),
            "-o",
        ])
        .arg(out.to_str().unwrap())
        .assert()
        .code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("folder.mp4: cannot open: folder holds no video files"),
        "{stderr}"
    );
}

#[test]
fn unwritable_output_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let video = testsrc(dir.path(), "v.mp4", 1, 25);
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, b"x").unwrap();
    let out = blocker.join("out"); // a folder below a regular file
    let assert = framesift()
        .args([
            "sample",
            video.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "-q",
        ])
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("cannot create output folder"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    // OUT is a file: said once, up front, for every command; nothing written.
    for cmd in [
        &["sample"][..],
        &["sample", "--mode", "keyframes"],
        &["select", "--n", "2"],
        &["segment"],
        &["embed"],
    ] {
        let assert = framesift()
            .args(cmd)
            .args([video.to_str().unwrap(), video.to_str().unwrap(), "-o"])
            .arg(&blocker)
            .assert()
            .code(2);
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{cmd:?}: {stderr}");
        assert!(stderr.contains("is a file, not a folder"), "{stderr}");
        assert_eq!(std::fs::read(&blocker).unwrap(), b"x");
    }
}

#[test]
fn bad_settings_exit_2_naming_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let video = testsrc(dir.path(), "v.mp4", 1, 25);
    let assert = framesift()
        .args(["sample", video.to_str().unwrap(), "-o"])
        .arg(dir.path().join("o").to_str().unwrap())
        .args(["--start-time-s", "5", "--end-time-s", "2"])
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("--end-time-s"), "{stderr}");
    framesift()
        .args([
            "sample",
            video.to_str().unwrap(),
            "-o",
            "x",
            "--mode",
            "keyframes",
            "--hash-size",
            "1",
        ])
        .assert()
        .code(2);
    framesift().args(["sample", "--bogus"]).assert().code(2);
}
