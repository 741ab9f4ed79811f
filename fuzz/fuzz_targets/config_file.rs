//! The YAML config parser on arbitrary bytes: it must return Ok or a
//! one-line error, never panic, and whatever it accepts must validate
//! without panicking and turn into sampling settings.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match framesift::config::ConfigFile::parse(text, "fuzz.yaml") {
        Ok(file) => {
            let cfg = file.sample_config();
            let _ = cfg.validate();
            let _ = cfg.buffer.build();
        }
        Err(e) => {
            let msg = e.to_string();
            assert!(!msg.is_empty());
        }
    }
});
