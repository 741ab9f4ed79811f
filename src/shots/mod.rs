//! Shot-boundary detectors beside the built-in one.
//!
//! The built-in detector is successor segmentation (`segment`): embeddings
//! at 2 fps, a dynamic threshold, cuts placed on the decoded frames' luma
//! jumps. A [`FrameDetector`] instead sees every decoded frame and scores
//! each one; [`transnet::TransNetV2`] (feature `transnet`) is the one
//! implemented. [`Detector`] names the choice as plain data, and
//! [`seams_from`] / [`ensemble`] turn per-frame probabilities into the
//! same [`Seam`](crate::segment::Seam)s the built-in gives, so segments,
//! keyframes, clips and scene-aware sampling work unchanged on top.

#[cfg(feature = "transnet")]
pub mod transnet;
