//! `framesift sample --mode scenes` (the default): one best frame per
//! distinct scene. Flags → [`SceneConfig`] → the library's
//! `sample_scenes` workflow (per video, or with `--global` over all
//! videos at once) → the exit code.

use framesift::settings::{BufferConfig, BufferKind, SceneConfig};
use framesift::workflow::{self, Inputs};

use super::flags::{Mode, SampleArgs};
use super::progress::Display;
use super::SampleCommand;

/// The mode `sample` runs in: `--mode`/`--scenes`, else the old
/// `--keyframes-only`/`--no-keyframes-only` flags, else scenes.
pub fn mode(a: &SampleArgs) -> Mode {
    let sel = &a.pipeline.selection;
    if a.scene.scenes {
        Mode::Scenes
    } else if let Some(m) = a.scene.mode {
        m
    } else if sel.no_keyframes_only {
        Mode::AllFrames
    } else if sel.keyframes_only || sel.reference_compat {
        Mode::Keyframes
    } else {
        Mode::Scenes
    }
}

/// Flags that only mean something for the hash-buffer modes.
fn refuse_buffer_flags(a: &SampleArgs) -> anyhow::Result<()> {
    let b = &a.pipeline.buffer;
    let i = &a.pipeline.integrations;
    let given = [
        ("--hash-size", b.hash_size.is_some()),
        ("--buffer-size", b.buffer_size.is_some()),
        ("--max-hamming", b.max_hamming != 0),
        ("--no-dedup", b.no_dedup),
        ("--reference-compat", a.pipeline.selection.reference_compat),
        ("--keywords", i.keywords.is_some()),
        ("--summary-url", i.summary_url.is_some()),
    ];
    if let Some((flag, _)) = given.iter().find(|(_, on)| *on) {
        anyhow::bail!(
            "{flag} works with --mode keyframes or --mode all-frames (scene mode picks one frame per \
             distinct scene by embedding); add one of them"
        );
    }
    Ok(())
}

/// Runs `sample` in scene mode.
pub fn run(a: &SampleArgs) -> anyhow::Result<u8> {
    refuse_buffer_flags(a)?;
    let scene = SceneConfig {
        fps: a.scene.scene_fps,
        max_per_scene: a.scene.max_per_scene as usize,
        merge_threshold: a.scene.merge_threshold,
        global: a.scene.global,
        shots: super::shots(&a.shots),
        ..SceneConfig::default()
    };
    // No dedup buffer: repeats are merged by the scene plan.
    let buffer = BufferConfig::of(BufferKind::Passthrough);
    let mut run = SampleCommand::from_flags("sample", &a.pipeline, buffer, -1, false)?;
    run.cfg.contact_sheet = a.outputs.contact_sheet;
    let inputs = Inputs {
        items: a.inputs.clone(),
        ..run.inputs.clone()
    };
    let display = Display::new(run.print.quiet);
    let outputs = a.outputs.settings();
    outputs.check()?;
    let outcome =
        workflow::sample_scenes(&inputs, &a.output, &run.cfg, &scene, &run.batch, &display)?;
    Ok(super::finish(
        &outcome, &a.output, run.print, &display, &outputs,
    ))
}
