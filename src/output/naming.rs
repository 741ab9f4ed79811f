//! Output file names, as video-sampler writes them: the frame's time in
//! Python's float `repr`, with its `save_format` options.

use std::collections::HashSet;

use base64::Engine;
use serde::{Deserialize, Serialize};

/// video-sampler's `save_format` options.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveFormat {
    /// Name files `TIMEB64_<base64 of the time>` (the base64 `/` is written
    /// as `_` so it never creates a sub-folder).
    #[serde(default)]
    pub encode_time_b64: bool,
    /// Name files `TIMESEC_<time with . replaced by _>`.
    #[serde(default)]
    pub avoid_dot: bool,
    /// Prefix names with the video's file stem and `_`.
    #[serde(default)]
    pub include_filename: bool,
}

/// Python's `repr(float)`: the shortest string that reads back as `x`,
/// in fixed notation with at least one decimal for `1e-4 <= |x| < 1e16`,
/// else in scientific notation (`1e-05`, `1.5e+16`).
pub fn py_float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if x == 0.0 {
        return if x.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    let sci = format!("{:e}", x.abs()); // e.g. "1.047e0", shortest round-trip digits
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if x < 0.0 { "-" } else { "" };
    if (-4..16).contains(&exp) {
        let body = if exp >= 0 {
            let int_len = exp as usize + 1;
            let mut d = digits.clone();
            while d.len() < int_len {
                d.push('0');
            }
            let (i, f) = d.split_at(int_len);
            format!("{i}.{}", if f.is_empty() { "0" } else { f })
        } else {
            format!("0.{}{digits}", "0".repeat((-exp - 1) as usize))
        };
        format!("{sign}{body}")
    } else {
        let m = if digits.len() > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits
        };
        format!(
            "{sign}{m}e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        )
    }
}

/// `STEM.EXT`, or `STEM-1.EXT`, `STEM-2.EXT`, … when an earlier frame of
/// the same folder took it (`used` holds the names taken so far).
pub fn unique_file_name(used: &mut HashSet<String>, stem: &str, ext: &str) -> String {
    let mut name = format!("{stem}.{ext}");
    let mut n = 1;
    while !used.insert(name.clone()) {
        name = format!("{stem}-{n}.{ext}");
        n += 1;
    }
    name
}

/// The file name (without extension) for a frame at `pts_time`, from a
/// video whose stem is `stem`.
pub fn frame_stem(pts_time: f64, stem: &str, fmt: &SaveFormat) -> String {
    let t = py_float_repr(pts_time);
    let name = if fmt.encode_time_b64 {
        let b = base64::engine::general_purpose::STANDARD.encode(t.as_bytes());
        format!("TIMEB64_{}", b.replace('/', "_"))
    } else if fmt.avoid_dot {
        format!("TIMESEC_{}", t.replace('.', "_"))
    } else {
        t
    };
    if fmt.include_filename {
        format!("{stem}_{name}")
    } else {
        name
    }
}

/// A folder or file name made safe: no path separators, no `..`, no
/// control characters, at most 120 bytes.
pub fn sanitize_component(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    while s.len() > 120 {
        s.pop();
    }
    let trimmed = s.trim();
    if trimmed.is_empty() || trimmed.chars().all(|c| c == '.') {
        "_".into()
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_repr_matches_python() {
        for (x, want) in [
            (0.007, "0.007"),
            (1.047, "1.047"),
            (10.087, "10.087"),
            (3.0, "3.0"),
            (0.0, "0.0"),
            (1e-05, "1e-05"),
            (0.0001, "0.0001"),
            (1.5e16, "1.5e+16"),
            (1e16, "1e+16"),
            (123456789012345.6, "123456789012345.6"),
            (0.1 + 0.2, "0.30000000000000004"),
            (-2.5, "-2.5"),
            (100.0, "100.0"),
        ] {
            assert_eq!(py_float_repr(x), want, "{x}");
        }
    }

    #[test]
    fn save_format_options() {
        let plain = SaveFormat::default();
        assert_eq!(frame_stem(10.5, "cat", &plain), "10.5");
        let dot = SaveFormat {
            avoid_dot: true,
            include_filename: true,
            ..plain.clone()
        };
        assert_eq!(frame_stem(10.5, "cat", &dot), "cat_TIMESEC_10_5");
        let b64 = SaveFormat {
            encode_time_b64: true,
            avoid_dot: true,
            ..plain
        };
        // Python: base64.encodebytes(b"10.5").rstrip() == b"MTAuNQ=="
        assert_eq!(frame_stem(10.5, "cat", &b64), "TIMEB64_MTAuNQ==");
    }

    #[test]
    fn sanitize_removes_separators_and_dots() {
        assert_eq!(sanitize_component("../etc/passwd"), ".._etc_passwd");
        assert_eq!(sanitize_component(".."), "_");
        assert_eq!(sanitize_component("a\nb"), "a_b");
        assert_eq!(sanitize_component(&"x".repeat(300)).len(), 120);
    }
}
