//! Memory images: the bytes a snapshot puts in linear memory, as a flat
//! vector from address 0, turned into data segments and back, and their
//! compact encoding (zstd against the engine's reference image).

use std::io::{Read, Write};

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

/// Bytes skipped at a time over zero runs (the compiler compares them as
/// vectors).
const ZERO_CHUNK: usize = 64;

fn segments_with_gap(image: &[u8], gap: usize) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < image.len() {
        if image[i] == 0 {
            // Long zero runs (the shadow stack, the heap's tail) a chunk at
            // a time.
            while let Some(chunk) = image.get(i..i + ZERO_CHUNK)
                && chunk.iter().all(|&b| b == 0)
            {
                i += ZERO_CHUNK;
            }
            while i < image.len() && image[i] == 0 {
                i += 1;
            }
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

/// Decompresses an image made by [`compress`] with the same `reference`;
/// `expected_size` is the size recorded beside it.
pub fn decompress(
    compressed: &[u8],
    reference: Option<&[u8]>,
    expected_size: usize,
) -> Result<Vec<u8>, ImageError> {
    if expected_size > MAX_IMAGE_SIZE {
        return Err(ImageError::TooLarge(expected_size));
    }
    let mut out = Vec::new();
    let read = (|| -> std::io::Result<()> {
        let mut dec = match reference {
            Some(r) => zstd::stream::read::Decoder::with_ref_prefix(compressed, r)?,
            None => zstd::stream::read::Decoder::with_buffer(compressed)?,
        };
        dec.window_log_max(31)?;
        // Never read more than one byte past what is expected.
        dec.take(expected_size as u64 + 1).read_to_end(&mut out)?;
        Ok(())
    })();
    read.map_err(ImageError::Corrupt)?;
    if out.len() != expected_size {
        return Err(ImageError::SizeMismatch {
            expected: expected_size,
            actual: out.len(),
        });
    }
    Ok(out)
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
}
