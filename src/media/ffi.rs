//! Every raw FFmpeg call framesift makes: the few settings and fields
//! ffmpeg-next's safe API does not expose, each in one small `unsafe`
//! function with its SAFETY note, and the raw constants framesift reads.
//! No other file calls `ffmpeg_next::ffi` (`tests/layers.rs` checks).

// The FFmpeg constants' integer types differ between FFmpeg versions (as
// bindgen sees them), so the casts below are needed on some and no-ops on
// others.
#![allow(clippy::unnecessary_cast)]

use ff::ffi;
use ffmpeg_next as ff;

/// Turns on frame + slice threading with `threads` threads (0 = auto) on a
/// codec context that has not been opened yet.
pub fn set_threading(ctx: &mut ff::codec::context::Context, threads: usize) {
    // SAFETY: `ctx` owns a valid AVCodecContext that is not opened yet;
    // these are plain integer fields read by avcodec_open2.
    unsafe {
        let p = ctx.as_mut_ptr();
        (*p).thread_count = threads.min(64) as i32;
        (*p).thread_type = (ffi::FF_THREAD_FRAME | ffi::FF_THREAD_SLICE) as i32;
    }
}

/// Asks the decoder to skip non-key frames (`skip_frame = AVDISCARD_NONKEY`),
/// as PyAV's `codec_context.skip_frame = "NONKEY"` does. Some decoders
/// (FFmpeg's VP9) ignore it.
pub fn set_skip_nonkey(ctx: &mut ff::codec::context::Context) {
    // SAFETY: as above, a plain enum field of an unopened context.
    unsafe {
        (*ctx.as_mut_ptr()).skip_frame = ffi::AVDiscard::AVDISCARD_NONKEY;
    }
}

/// Sets `AVStream.discard` for every stream of `input`: `keep` gets
/// `keep_discard`, all others `AVDISCARD_ALL`, so the demuxer skips them
/// (for MP4/MOV it then never even reads the dropped samples).
pub fn set_stream_discard(input: &mut ff::format::context::Input, keep: usize, keyframes: bool) {
    // SAFETY: `input` owns a valid opened AVFormatContext; `streams` holds
    // `nb_streams` valid stream pointers, and `discard` is a plain field the
    // demuxer reads on each av_read_frame.
    unsafe {
        let ctx = input.as_mut_ptr();
        for i in 0..(*ctx).nb_streams as usize {
            let st = *(*ctx).streams.add(i);
            (*st).discard = if i != keep {
                ffi::AVDiscard::AVDISCARD_ALL
            } else if keyframes {
                ffi::AVDiscard::AVDISCARD_NONKEY
            } else {
                ffi::AVDiscard::AVDISCARD_DEFAULT
            };
        }
    }
}

/// `pts` value FFmpeg uses for "no timestamp".
pub const NOPTS: i64 = ffi::AV_NOPTS_VALUE;

/// Configures swscale's YUV→RGB matrix and ranges: source matrix `space`
/// (an `AVColorSpace` value, which swscale's `SWS_CS_*` constants mirror),
/// source full range or not, output full-range RGB.
pub fn set_colorspace(scaler: &mut ff::software::scaling::Context, space: i32, src_full: bool) {
    // SAFETY: the scaler owns a valid SwsContext; sws_getCoefficients
    // returns a pointer to a static table for any input (unknown values
    // fall back to the default), which sws_setColorspaceDetails copies.
    unsafe {
        let ctx = scaler.as_mut_ptr();
        let src = ffi::sws_getCoefficients(space);
        let dst = ffi::sws_getCoefficients(ffi::SWS_CS_DEFAULT as i32);
        ffi::sws_setColorspaceDetails(ctx, src, src_full as i32, dst, 1, 0, 1 << 16, 1 << 16);
    }
}

/// The end (byte offset) of the last sample the container's index of
/// stream `index` points at, if the demuxer built an index (MP4/MOV do,
/// from the `moov` box). A value past the file's size means the file was
/// truncated after its header was written.
pub fn index_end(input: &mut ff::format::context::Input, index: usize) -> Option<i64> {
    // SAFETY: `input` owns a valid opened AVFormatContext and `index` is one
    // of its stream indices; avformat_index_get_entry returns either null
    // or a pointer into the stream's index, valid until the next demuxer
    // call, and it is only read here.
    unsafe {
        let ctx = input.as_mut_ptr();
        if index >= (*ctx).nb_streams as usize {
            return None;
        }
        let st = *(*ctx).streams.add(index);
        let n = ffi::avformat_index_get_entries_count(st);
        let mut end: Option<i64> = None;
        for i in 0..n {
            let e = ffi::avformat_index_get_entry(st, i);
            if !e.is_null() && (*e).pos >= 0 {
                let stop = (*e).pos + i64::from((*e).size());
                end = Some(end.map_or(stop, |x| x.max(stop)));
            }
        }
        end
    }
}

/// Copies the display matrix (rotation) of `from` to `to`, so a remuxed or
/// re-encoded clip is shown turned as its source is. Nothing when `from`
/// has none.
pub fn copy_display_matrix(
    from: &ff::format::stream::Stream<'_>,
    to: &mut ff::format::stream::StreamMut<'_>,
) {
    let kind = ffi::AVPacketSideDataType::AV_PKT_DATA_DISPLAYMATRIX;
    // SAFETY: both streams are valid for the calls' duration; the source
    // pointer and size come from FFmpeg and are read only; the new side
    // data buffer is allocated by FFmpeg with `size` bytes, owned by `to`,
    // and filled with exactly `size` bytes.
    unsafe {
        let mut size: usize = 0;
        let src = ffi::av_stream_get_side_data(from.as_ptr(), kind, &mut size);
        if src.is_null() || size == 0 {
            return;
        }
        let dst = ffi::av_stream_new_side_data(to.as_mut_ptr(), kind, size);
        if !dst.is_null() {
            std::ptr::copy_nonoverlapping(src, dst, size);
        }
    }
}

/// Whether muxer `format` can hold codec `id`.
pub fn can_hold(octx: &ff::format::context::Output, id: ff::codec::Id) -> bool {
    // SAFETY: `octx` owns a valid output context whose `oformat` is set.
    unsafe {
        let ofmt = (*octx.as_ptr()).oformat;
        ffi::avformat_query_codec(
            ofmt,
            ffi::AVCodecID::from(id),
            ffi::FF_COMPLIANCE_NORMAL as i32,
        ) == 1
    }
}

/// Clears the codec tag of output stream `index`, so the muxer picks its
/// own (tags differ between containers).
pub fn clear_codec_tag(octx: &mut ff::format::context::Output, index: usize) {
    if let Some(ost) = octx.stream_mut(index) {
        // SAFETY: the stream's codec parameters are valid and owned by it.
        unsafe {
            (*ost.parameters().as_mut_ptr()).codec_tag = 0;
        }
    }
}

/// `AV_TIME_BASE`: FFmpeg's internal time unit per second (seeking).
pub const TIME_BASE: i32 = ffi::AV_TIME_BASE as i32;

/// The `AVColorSpace` number of `space`, as swscale's colour settings take it.
pub fn colorspace_number(space: ff::color::Space) -> i32 {
    ffi::AVColorSpace::from(space) as i32
}
