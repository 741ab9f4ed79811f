//! Stopping a run early: the binary's SIGINT/SIGTERM handler (or a library
//! user) calls [`request_stop`]; decoding checks [`stop_requested`] between
//! frames and ends the video as if it had ended there, so every stage
//! finishes and every output written so far is complete. Videos not yet
//! started are not started.
//!
//! The flag is process-wide, like the signals it answers.
//!
//! May depend on: nothing.

use std::sync::atomic::{AtomicI32, Ordering};

static STOP: AtomicI32 = AtomicI32::new(0);

/// Asks every running video to stop; `signal` (e.g. 2 for SIGINT) is kept
/// for the exit code. Async-signal-safe (one atomic store).
pub fn request_stop(signal: i32) {
    let _ = STOP.compare_exchange(0, signal.max(1), Ordering::SeqCst, Ordering::SeqCst);
}

/// The signal a stop was requested with, if one was.
pub fn stop_requested() -> Option<i32> {
    match STOP.load(Ordering::Relaxed) {
        0 => None,
        s => Some(s),
    }
}

/// Clears a stop request (for library users running again).
pub fn reset() {
    STOP.store(0, Ordering::SeqCst);
}
