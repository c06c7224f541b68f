//! Memory images: the bytes a snapshot puts in linear memory, as a flat
//! vector from address 0, turned into data segments and back, and their
//! compact encoding (zstd against the engine's reference image).

use std::io::Write;

/// Largest memory image jspkg handles (1 GiB): bounds what a hostile input
/// can make it allocate.
pub const MAX_IMAGE_SIZE: usize = 1 << 30;

/// Most data segments a data module gets (Wizer's own limit).
pub const MAX_SEGMENTS: usize = 10_000;

/// Zero runs shorter than this stay inside a segment rather than split it.
const MIN_GAP: usize = 32;

/// zstd level of compact images.
const ZSTD_LEVEL: i32 = 19;

/// A memory image that cannot be decoded.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// zstd refused the bytes.
    #[error("the compressed memory image is corrupt: {0}")]
    Corrupt(#[source] std::io::Error),
    /// The image decodes to a size other than the one recorded.
    #[error("the memory image decodes to {actual} bytes but the app records {expected}")]
    SizeMismatch {
        /// Recorded size.
        expected: usize,
        /// Decoded size (or a bound on it).
        actual: usize,
    },
    /// The recorded zero prefix is longer than the image.
    #[error("the app records a zero prefix of {prefix} bytes in a memory image of {size}")]
    PrefixTooLong {
        /// Recorded zero prefix.
        prefix: usize,
        /// Recorded image size.
        size: usize,
    },
    /// The image is larger than [`MAX_IMAGE_SIZE`].
    #[error("the memory image is {0} bytes, more than jspkg's limit of {MAX_IMAGE_SIZE}")]
    TooLarge(usize),
}

/// Non-zero regions of `image` as `(offset, bytes)`, merged so that there
/// are at most [`MAX_SEGMENTS`]. A function of the image alone: equal images
/// give equal segments.
pub fn segments(image: &[u8]) -> Vec<(usize, &[u8])> {
    // One scan of the image at the smallest gap; a larger gap only merges
    // neighbours of that list (what a scan at that gap would give: the
    // gaps between its segments are exactly the zero runs of MIN_GAP or
    // more), so a 5 MB image with a 4 MiB zero stack is read once.
    let mut segs = segments_with_gap(image, MIN_GAP);
    let mut gap = MIN_GAP;
    while segs.len() > MAX_SEGMENTS {
        gap *= 2;
        segs = merge_closer_than(&segs, gap);
    }
    segs.into_iter().map(|(s, e)| (s, &image[s..e])).collect()
}

/// The segments of `image` when zero runs shorter than `gap` (at least
/// `2 * BLOCK - 1`) stay inside a segment: its non-zero span cut at every
/// zero run of `gap` bytes or more.
///
/// Written for speed, as it runs on every new app (a byte-at-a-time scan
/// took 3.9 ms of a 4.7 MB image): a zero run of `gap` bytes holds a whole
/// aligned zero block of [`BLOCK`] bytes wherever it starts, so the scan
/// looks for zero blocks, four at a time, and reads bytes only at the two
/// ends of a run that holds one. Its output is that of the byte scan
/// (`tests::bytewise`), byte for byte: segments are part of the canonical
/// data module, which apps pin by digest.
fn segments_with_gap(image: &[u8], gap: usize) -> Vec<(usize, usize)> {
    debug_assert!(gap >= 2 * BLOCK - 1);
    let Some(first) = first_nonzero(image) else {
        return Vec::new();
    };
    let last = last_nonzero(image) + 1;
    let mut out = Vec::new();
    let mut start = first;
    // Blocks wholly inside (first, last): the only ones a zero run between
    // two segments can hold.
    let (mut k, end) = (first / BLOCK + 1, last / BLOCK);
    while let Some(zero) = next_zero_block(image, k, end) {
        let after = end_of_zero_blocks(image, zero, end);
        // The run's exact ends: bytes are zero up to BLOCK - 1 before its
        // first zero block and after its last (image[first] and
        // image[last - 1] are not zero, so neither scan leaves the span).
        let mut run_start = BLOCK * zero;
        while image[run_start - 1] == 0 {
            run_start -= 1;
        }
        let mut run_end = BLOCK * after;
        while image[run_end] == 0 {
            run_end += 1;
        }
        if run_end - run_start >= gap {
            out.push((start, run_start));
            start = run_end;
        }
        // The block holding run_end is not zero.
        k = run_end / BLOCK + 1;
    }
    out.push((start, last));
    out
}

/// Bytes [`segments_with_gap`] reads as one number when looking for zero
/// runs: 16 lets it look for runs of `MIN_GAP` (32) bytes. Comparing a
/// `u128` to zero is one vector test; it is also one that coverage-guided
/// fuzzing does not trace, which kept the app-loader campaign busy tracing
/// 8-byte comparisons over every image.
const BLOCK: usize = 16;

/// Block `k` of `image` (bytes `BLOCK * k ..`) as a number.
fn block(image: &[u8], k: usize) -> u128 {
    as_block(&image[BLOCK * k..BLOCK * (k + 1)])
}

fn as_block(bytes: &[u8]) -> u128 {
    u128::from_ne_bytes(bytes.try_into().expect("BLOCK bytes"))
}

/// The first all-zero block in `from..end`, read four blocks at a time with
/// one branch per four (non-zero data is most of an image).
fn next_zero_block(image: &[u8], from: usize, end: usize) -> Option<usize> {
    if from >= end {
        return None;
    }
    let mut chunks = image[BLOCK * from..BLOCK * end].chunks_exact(4 * BLOCK);
    let mut k = from;
    for chunk in &mut chunks {
        let b: [u128; 4] = std::array::from_fn(|i| as_block(&chunk[BLOCK * i..BLOCK * (i + 1)]));
        if (b[0] == 0) | (b[1] == 0) | (b[2] == 0) | (b[3] == 0) {
            return b.iter().position(|&x| x == 0).map(|i| k + i);
        }
        k += 4;
    }
    (k..end).find(|&j| block(image, j) == 0)
}

/// The first block in `from..end` that is not all zero, or `end`.
fn end_of_zero_blocks(image: &[u8], from: usize, end: usize) -> usize {
    let mut k = from;
    for chunk in image[BLOCK * from..BLOCK * end].chunks_exact(ZERO_BLOCK) {
        if !is_zero(chunk) {
            break;
        }
        k += ZERO_BLOCK / BLOCK;
    }
    while k < end && block(image, k) == 0 {
        k += 1;
    }
    k
}

/// Bytes or-ed together at a time over long zero runs (the shadow stack,
/// the heap's tail): the compiler reduces them as vectors.
const ZERO_BLOCK: usize = 64;

fn is_zero(block: &[u8]) -> bool {
    block.iter().fold(0, |acc, &b| acc | b) == 0
}

fn first_nonzero(image: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i + ZERO_BLOCK <= image.len() && is_zero(&image[i..i + ZERO_BLOCK]) {
        i += ZERO_BLOCK;
    }
    image[i..].iter().position(|&b| b != 0).map(|p| i + p)
}

/// The last non-zero byte's offset; `image` has one.
fn last_nonzero(image: &[u8]) -> usize {
    let mut end = image.len();
    while end >= ZERO_BLOCK && is_zero(&image[end - ZERO_BLOCK..end]) {
        end -= ZERO_BLOCK;
    }
    image[..end]
        .iter()
        .rposition(|&b| b != 0)
        .expect("an image with a non-zero byte")
}

fn merge_closer_than(segs: &[(usize, usize)], gap: usize) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(segs.len() / 2);
    for &(start, end) in segs {
        match out.last_mut() {
            Some((_, e)) if start - *e < gap => *e = end,
            _ => out.push((start, end)),
        }
    }
    out
}

/// Compresses `image` with zstd, using `reference` (when given) as a
/// prefix that the frame refers to (as `zstd --patch-from` does).
pub fn compress(image: &[u8], reference: Option<&[u8]>) -> Vec<u8> {
    let window = window_log(image.len().max(reference.map_or(0, <[u8]>::len)));
    let mut out = Vec::new();
    let result = (|| -> std::io::Result<()> {
        let mut enc = match reference {
            Some(r) => zstd::stream::write::Encoder::with_ref_prefix(&mut out, ZSTD_LEVEL, r)?,
            None => zstd::stream::write::Encoder::new(&mut out, ZSTD_LEVEL)?,
        };
        enc.set_pledged_src_size(Some(image.len() as u64))?;
        enc.include_contentsize(true)?;
        enc.long_distance_matching(true)?;
        enc.window_log(window)?;
        enc.write_all(image)?;
        enc.finish()?;
        Ok(())
    })();
    // Writing to a Vec with valid parameters cannot fail.
    result.expect("zstd compression into memory");
    out
}

/// The compact encoding of `image` (FORMAT.md §5): how many zero bytes it
/// starts with, and its remaining bytes compressed against the reference
/// image past as many bytes. The zero prefix is neither stored nor, when
/// an app is loaded, decompressed and scanned: in jspkg's engine it is the
/// 4 MiB shadow stack, 40 % of an image.
pub fn compact(image: &[u8], reference: Option<&[u8]>) -> (usize, Vec<u8>) {
    let prefix = zero_prefix(image);
    let packed = compress(&image[prefix..], reference.map(|r| past(r, prefix)));
    (prefix, packed)
}

/// Decodes what [`compact`] encoded into `out` (cleared first): the image
/// of `size` bytes without its first `prefix` bytes, which are zero. With
/// `prefix` 0 this is [`decompress_into`] (apps written before the prefix
/// was recorded).
pub fn expand_compact_into(
    out: &mut Vec<u8>,
    compressed: &[u8],
    reference: Option<&[u8]>,
    size: usize,
    prefix: usize,
) -> Result<(), ImageError> {
    let Some(rest) = size.checked_sub(prefix) else {
        out.clear();
        return Err(ImageError::PrefixTooLong { prefix, size });
    };
    decompress_into(out, compressed, reference.map(|r| past(r, prefix)), rest)
}

/// `reference` past its first `prefix` bytes (empty if it is shorter).
fn past(reference: &[u8], prefix: usize) -> &[u8] {
    &reference[prefix.min(reference.len())..]
}

/// Decompresses an image made by [`compress`] with the same `reference`;
/// `expected_size` is the size recorded beside it.
pub fn decompress(
    compressed: &[u8],
    reference: Option<&[u8]>,
    expected_size: usize,
) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    decompress_into(&mut out, compressed, reference, expected_size)?;
    Ok(out)
}

/// [`decompress`] into `out` (cleared first), so that a caller expanding
/// many images can reuse one buffer: a fresh 5-10 MB buffer costs a page
/// fault per 4 KiB page written, ~1 ms per new app.
///
/// In one pass, straight into the image's buffer: zstd's streaming decoder
/// would fill a window buffer of its own as large as the image first and
/// copy out of it (two 4-5 MB buffers written for one image, on every new
/// app).
pub fn decompress_into(
    out: &mut Vec<u8>,
    compressed: &[u8],
    reference: Option<&[u8]>,
    expected_size: usize,
) -> Result<(), ImageError> {
    use zstd::zstd_safe::{DCtx, DParameter, get_error_name, get_frame_content_size};
    out.clear();
    if expected_size > MAX_IMAGE_SIZE {
        return Err(ImageError::TooLarge(expected_size));
    }
    let corrupt = |code: usize| ImageError::Corrupt(std::io::Error::other(get_error_name(code)));
    // `compress` records the image's size in the frame: a frame of another
    // size is refused before its buffer is allocated.
    match get_frame_content_size(compressed) {
        Ok(Some(n)) if n != expected_size as u64 => {
            return Err(ImageError::SizeMismatch {
                expected: expected_size,
                actual: usize::try_from(n).unwrap_or(usize::MAX),
            });
        }
        Ok(_) => {}
        Err(_) => {
            return Err(ImageError::Corrupt(std::io::Error::other(
                "it is not a zstd frame",
            )));
        }
    }
    let mut dctx = DCtx::try_create().ok_or_else(|| {
        ImageError::Corrupt(std::io::Error::other("zstd could not allocate a decoder"))
    })?;
    dctx.set_parameter(DParameter::WindowLogMax(31))
        .map_err(corrupt)?;
    if let Some(r) = reference {
        dctx.ref_prefix(r).map_err(corrupt)?;
    }
    // A frame that decodes to more than `expected_size` bytes does not fit
    // and is an error ("Destination buffer is too small").
    out.reserve_exact(expected_size);
    dctx.decompress(out, compressed).map_err(corrupt)?;
    if out.len() != expected_size {
        return Err(ImageError::SizeMismatch {
            expected: expected_size,
            actual: out.len(),
        });
    }
    Ok(())
}

/// How many bytes `image` starts with that are zero: the part of an image
/// a compact app does not store (FORMAT.md §5), its shadow stack in front
/// of the data (4 MiB in jspkg's engine, half of the image).
pub fn zero_prefix(image: &[u8]) -> usize {
    first_nonzero(image).unwrap_or(image.len())
}

fn window_log(len: usize) -> u32 {
    let mut log = 10;
    while log < 30 && (1usize << log) < len.saturating_mul(2) {
        log += 1;
    }
    log
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_cover_every_nonzero_byte_and_nothing_else() {
        let mut image = vec![0u8; 1000];
        image[3] = 1;
        image[10] = 2; // within MIN_GAP of 3: merged
        image[500] = 3;
        let segs = segments(&image);
        assert_eq!(segs.len(), 2);
        assert_eq!(segs[0].0, 3);
        assert_eq!(segs[0].1.len(), 8);
        assert_eq!(segs[1], (500, &[3u8][..]));
        let mut back = vec![0u8; image.len()];
        for (off, bytes) in segs {
            back[off..off + bytes.len()].copy_from_slice(bytes);
        }
        assert_eq!(back, image);
    }

    /// The definition of segments, a byte at a time: maximal non-zero runs,
    /// merged when fewer than `gap` zero bytes lie between them.
    fn bytewise(image: &[u8], gap: usize) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        while i < image.len() {
            if image[i] == 0 {
                i += 1;
                continue;
            }
            let start = i;
            while i < image.len() && image[i] != 0 {
                i += 1;
            }
            match out.last_mut() {
                Some((_, end)) if start - *end < gap => *end = i,
                _ => out.push((start, i)),
            }
        }
        out
    }

    #[test]
    fn the_block_scan_equals_the_byte_scan() {
        // Zero runs of every length around the gap, at every alignment,
        // long ones and long non-zero stretches (read four blocks at a
        // time), and images that start and end inside runs and blocks.
        let mut rng = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        for case in 0..400 {
            let mut image = Vec::new();
            if case % 3 == 0 {
                image.resize((next() % 200) as usize, 0);
            }
            while image.len() < 3000 {
                let run = (next() % 80) as usize;
                match case % 4 {
                    // Mostly non-zero, zeros here and there.
                    0 | 2 => image.extend((0..run).map(|_| (next() % 4) as u8)),
                    // Long non-zero stretches.
                    1 => image.extend((0..4 * run).map(|_| 1 + (next() % 255) as u8)),
                    _ => {}
                }
                let zeros = if next() % 8 == 0 {
                    64 + next() % 400
                } else {
                    next() % 70
                };
                image.extend(std::iter::repeat_n(0, zeros as usize));
                image.push(1 + (next() % 255) as u8);
            }
            image.truncate(image.len() - (next() % 17) as usize);
            for gap in [31, 32, 33, 40, 64, 1024] {
                assert_eq!(
                    segments_with_gap(&image, gap),
                    bytewise(&image, gap),
                    "case {case}, gap {gap}"
                );
            }
        }
        assert_eq!(segments_with_gap(&[], 32), []);
        assert_eq!(segments_with_gap(&[0; 100], 32), []);
        assert_eq!(segments_with_gap(&[7], 32), [(0, 1)]);
    }

    #[test]
    fn merging_equals_a_scan_at_the_larger_gap() {
        let image: Vec<u8> = (0..200_000u32)
            .map(|i| u8::from(i.wrapping_mul(2_654_435_761) >> 27 == 0) * (i % 7) as u8)
            .collect();
        let base = segments_with_gap(&image, MIN_GAP);
        for gap in [64, 128, 1024] {
            assert_eq!(
                merge_closer_than(&base, gap),
                segments_with_gap(&image, gap)
            );
        }
    }

    #[test]
    fn many_regions_are_merged_under_the_limit() {
        let image: Vec<u8> = (0..(MAX_SEGMENTS * 80))
            .map(|i| u8::from(i % 40 == 0))
            .collect();
        assert!(segments(&image).len() <= MAX_SEGMENTS);
    }

    #[test]
    fn compact_round_trip_with_and_without_reference() {
        let reference: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut image = reference.clone();
        image[1234] ^= 0xff;
        image.extend_from_slice(b"tail");
        let delta = compress(&image, Some(&reference));
        assert!(delta.len() < 200, "delta is {} bytes", delta.len());
        assert_eq!(
            decompress(&delta, Some(&reference), image.len()).unwrap(),
            image
        );
        let plain = compress(&image, None);
        assert_eq!(decompress(&plain, None, image.len()).unwrap(), image);
        // Wrong reference or wrong size: an error, not a wrong image.
        assert!(decompress(&delta, None, image.len()).is_err());
        assert!(decompress(&plain, None, image.len() - 1).is_err());
        assert!(decompress(b"garbage", None, 10).is_err());
    }

    #[test]
    fn the_zero_prefix_is_left_out_and_given_back() {
        let reference: Vec<u8> = (0..300_000u32)
            .map(|i| if i < 100_000 { 0 } else { (i * 7 % 251) as u8 })
            .collect();
        let mut image = reference.clone();
        image[150_000] ^= 0xff;
        image[..100_500].fill(0);
        let (prefix, packed) = compact(&image, Some(&reference));
        assert_eq!(prefix, 100_500);
        assert_eq!(
            get_frame_content_size(&packed),
            Some((image.len() - prefix) as u64)
        );
        let mut out = vec![1, 2, 3];
        expand_compact_into(&mut out, &packed, Some(&reference), image.len(), prefix).unwrap();
        assert_eq!(out, image[prefix..]);
        // A frame written before the prefix was recorded (prefix 0) is the
        // whole image.
        let whole = compress(&image, Some(&reference));
        expand_compact_into(&mut out, &whole, Some(&reference), image.len(), 0).unwrap();
        assert_eq!(out, image);
        // A recorded prefix that does not match the frame is an error.
        assert!(expand_compact_into(&mut out, &packed, Some(&reference), image.len(), 0).is_err());
        assert!(matches!(
            expand_compact_into(&mut out, &packed, None, 10, 11),
            Err(ImageError::PrefixTooLong { .. })
        ));
        // All zeros: nothing left to store.
        let (prefix, packed) = compact(&[0; 4096], None);
        assert_eq!(prefix, 4096);
        expand_compact_into(&mut out, &packed, None, 4096, prefix).unwrap();
        assert!(out.is_empty());
    }

    fn get_frame_content_size(frame: &[u8]) -> Option<u64> {
        zstd::zstd_safe::get_frame_content_size(frame)
            .ok()
            .flatten()
    }
}
