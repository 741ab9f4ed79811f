//! The report's inline SVG: a video's timeline strip and the 2-D map of
//! select's candidates.

use std::fmt::Write;

use super::html::esc;

/// Width of the drawings in SVG units.
const W: f64 = 1000.0;

/// One mark on a timeline: a frame with its decision class and tooltip.
pub struct Mark {
    /// Seconds.
    pub time: f64,
    /// CSS class (the decision).
    pub class: String,
    /// Tooltip text.
    pub title: String,
}

/// A round step for axis ticks over `span` seconds (about 10 ticks).
fn tick_step(span: f64) -> f64 {
    let raw = (span / 10.0).max(1e-3);
    let mag = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag)
}

/// The timeline: every frame's mark, cut lines, and a time axis.
pub fn timeline(duration: f64, marks: &[Mark], cuts: &[f64]) -> String {
    let duration = if duration > 0.0 { duration } else { 1.0 };
    let x = |t: f64| (t / duration * W).clamp(0.0, W);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="timeline" viewBox="0 0 {W} 62" preserveAspectRatio="none" role="img" aria-label="timeline">"#
    );
    s.push_str(r#"<rect class="track" x="0" y="6" width="1000" height="36"/>"#);
    for c in cuts {
        let _ = write!(
            s,
            r#"<line class="cut" x1="{0:.2}" x2="{0:.2}" y1="0" y2="48"><title>cut at {1:.3} s</title></line>"#,
            x(*c),
            c
        );
    }
    for m in marks {
        let (y, h) = if m.class == "saved" || m.class == "keyframe" {
            (6, 36)
        } else {
            (16, 16)
        };
        let _ = write!(
            s,
            r#"<rect class="mark {}" x="{:.2}" y="{y}" width="2" height="{h}"><title>{}</title></rect>"#,
            esc(&m.class),
            (x(m.time) - 1.0).max(0.0),
            esc(&m.title)
        );
    }
    let step = tick_step(duration);
    let mut t = 0.0;
    while t <= duration + 1e-9 {
        let _ = write!(
            s,
            r#"<text class="tick" x="{:.1}" y="60">{}</text>"#,
            x(t).min(W - 20.0),
            format_seconds(t)
        );
        t += step;
    }
    s.push_str("</svg>");
    s
}

/// "95 s", "1:35", "1:02:03": a short time.
pub fn format_seconds(t: f64) -> String {
    let whole = t.round() as i64;
    if t < 60.0 && (t - t.round()).abs() > 1e-6 {
        return format!("{t:.1}s");
    }
    if whole < 60 {
        format!("{whole}s")
    } else if whole < 3600 {
        format!("{}:{:02}", whole / 60, whole % 60)
    } else {
        format!(
            "{}:{:02}:{:02}",
            whole / 3600,
            (whole / 60) % 60,
            whole % 60
        )
    }
}

/// A point on the candidate map.
pub struct Point {
    /// Its 2-D position.
    pub xy: [f32; 2],
    /// Whether it was chosen.
    pub chosen: bool,
    /// Tooltip text.
    pub title: String,
}

/// The candidates on their first two principal axes, picks highlighted.
pub fn scatter(points: &[Point]) -> String {
    let (mut lo, mut hi) = ([f32::MAX; 2], [f32::MIN; 2]);
    for p in points {
        for k in 0..2 {
            lo[k] = lo[k].min(p.xy[k]);
            hi[k] = hi[k].max(p.xy[k]);
        }
    }
    let size = 400.0f32;
    let pad = 12.0f32;
    let scale = |v: f32, k: usize| {
        let span = (hi[k] - lo[k]).max(1e-9);
        pad + (v - lo[k]) / span * (size - 2.0 * pad)
    };
    let mut s = format!(
        r#"<svg class="map" viewBox="0 0 {size} {size}" role="img" aria-label="candidates, first two principal components">"#
    );
    s.push_str(r#"<rect class="track" x="0" y="0" width="400" height="400"/>"#);
    // Picks drawn last, on top.
    for chosen in [false, true] {
        for p in points.iter().filter(|p| p.chosen == chosen) {
            let _ = write!(
                s,
                r#"<circle class="{}" cx="{:.1}" cy="{:.1}" r="{}"><title>{}</title></circle>"#,
                if chosen { "pick" } else { "cand" },
                scale(p.xy[0], 0),
                size - scale(p.xy[1], 1),
                if chosen { 5 } else { 3 },
                esc(&p.title)
            );
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        assert_eq!(tick_step(117.0), 20.0);
        assert_eq!(tick_step(10.0), 1.0);
        assert_eq!(format_seconds(95.0), "1:35");
        assert_eq!(format_seconds(3723.0), "1:02:03");
        assert_eq!(format_seconds(2.5), "2.5s");
    }

    #[test]
    fn marks_and_cuts_are_placed_by_time() {
        let marks = [Mark {
            time: 50.0,
            class: "saved".into(),
            title: "a <b>".into(),
        }];
        let svg = timeline(100.0, &marks, &[25.0]);
        assert!(svg.contains(r#"class="mark saved" x="499.00""#), "{svg}");
        assert!(svg.contains(r#"x1="250.00""#));
        assert!(svg.contains("a &lt;b&gt;"));
    }
}
