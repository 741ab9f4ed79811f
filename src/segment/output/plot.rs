//! `scores.svg`: the successor score over time, the threshold it was
//! compared with, and a vertical line at every seam (plotters, SVG).

use std::path::Path;

use plotters::prelude::*;

use crate::error::{Error, Result};
use crate::output::write_atomic;
use crate::segment::{Detection, SeamKind};

/// Draws the detection's scores, thresholds and seams into `path`.
pub fn plot_scores(path: &Path, title: &str, d: &Detection) -> Result<()> {
    let mut svg = String::new();
    let t_end = d.times.last().copied().unwrap_or(1.0).max(1e-3);
    let y_max = d
        .scores
        .iter()
        .chain(&d.thresholds)
        .fold(0.5f32, |m, &v| m.max(v))
        * 1.05;
    let width = (800.0 + t_end * 4.0).min(4000.0) as u32;
    let mut draw = || -> std::result::Result<(), Box<dyn std::error::Error>> {
        let root = SVGBackend::with_string(&mut svg, (width, 360)).into_drawing_area();
        root.fill(&WHITE)?;
        let name = Path::new(title)
            .file_name()
            .map_or_else(|| title.to_string(), |n| n.to_string_lossy().into_owned());
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("{name}: successor score"), ("sans-serif", 18))
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(45)
            .build_cartesian_2d(0f64..t_end, 0f32..y_max)?;
        chart
            .configure_mesh()
            .x_desc("seconds")
            .y_desc("L2 to successor")
            .disable_mesh()
            .draw()?;
        for s in &d.seams {
            let color = match s.kind {
                SeamKind::Cut => RED.mix(0.5),
                SeamKind::Gradual => MAGENTA.mix(0.5),
            };
            chart.draw_series(LineSeries::new([(s.time, 0.0), (s.time, y_max)], color))?;
        }
        chart
            .draw_series(LineSeries::new(
                d.times.iter().zip(&d.thresholds).map(|(&t, &v)| (t, v)),
                BLACK.mix(0.4).stroke_width(1),
            ))?
            .label("threshold")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], BLACK.mix(0.4)));
        chart
            .draw_series(LineSeries::new(
                d.times.iter().zip(&d.scores).map(|(&t, &v)| (t, v)),
                BLUE.stroke_width(1),
            ))?
            .label("score")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], BLUE));
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK.mix(0.3))
            .draw()?;
        root.present()?;
        Ok(())
    };
    draw().map_err(|e| Error::Encode {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    write_atomic(path, svg.as_bytes()).map_err(|e| Error::io(path, "cannot write plot", e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::Seam;

    #[test]
    fn the_plot_has_the_series_and_the_seams() {
        let d = Detection {
            times: vec![0.0, 0.5, 1.0, 1.5],
            scores: vec![0.05, 0.9, 0.04],
            thresholds: vec![0.25, 0.25, 0.25],
            seams: vec![Seam {
                time: 0.75,
                step: 1,
                score: 0.9,
                kind: SeamKind::Cut,
                from: 0.75,
                to: 0.75,
            }],
        };
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("scores.svg");
        plot_scores(&p, "v.mp4", &d).unwrap();
        let svg = std::fs::read_to_string(&p).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..40.min(svg.len())]);
        assert!(svg.contains("v.mp4: successor score"));
        assert!(
            svg.matches("<polyline").count() >= 3,
            "score, threshold, seam"
        );
    }
}
