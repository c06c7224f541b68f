//! The host side of `CompressionStream` and `DecompressionStream`
//! (`compression.js`): the Compression Standard's formats `gzip`
//! (RFC 1952), `deflate` (zlib, RFC 1950) and `deflate-raw` (RFC 1951),
//! on the `flate2` crate with its pure-Rust `miniz_oxide` backend (no C
//! library, no hand-written inflate).
//!
//! A stream's codec lives here, in a table of handles: JavaScript pushes
//! each chunk and gets the bytes produced so far, then finishes it. The
//! table is in the instance's memory like everything else, so it ends with
//! the instance: nothing of one call reaches the next.

use flate2::Compression;
use flate2::write::{
    DeflateDecoder, DeflateEncoder, GzDecoder, GzEncoder, ZlibDecoder, ZlibEncoder,
};
use rquickjs::{Ctx, Exception, Function, Object, Result, TypedArray};
use std::cell::RefCell;
use std::io::Write;

/// One stream's codec, writing into its own buffer of output.
enum Codec {
    GzipEncode(GzEncoder<Vec<u8>>),
    GzipDecode(GzDecoder<Vec<u8>>),
    DeflateEncode(ZlibEncoder<Vec<u8>>),
    DeflateDecode(ZlibDecoder<Vec<u8>>),
    RawEncode(DeflateEncoder<Vec<u8>>),
    RawDecode(DeflateDecoder<Vec<u8>>),
}

/// The operating system field of the gzip header: 3 (Unix), as zlib
/// writes it on Unix hosts (node's output).
const GZIP_OS_UNIX: u8 = 3;

impl Codec {
    fn new(format: &str, compress: bool) -> Option<Self> {
        // zlib's default level (6), node's.
        let level = Compression::default();
        Some(match (format, compress) {
            ("gzip", true) => Self::GzipEncode(
                flate2::GzBuilder::new()
                    .operating_system(GZIP_OS_UNIX)
                    .write(Vec::new(), level),
            ),
            ("gzip", false) => Self::GzipDecode(GzDecoder::new(Vec::new())),
            ("deflate", true) => Self::DeflateEncode(ZlibEncoder::new(Vec::new(), level)),
            ("deflate", false) => Self::DeflateDecode(ZlibDecoder::new(Vec::new())),
            ("deflate-raw", true) => Self::RawEncode(DeflateEncoder::new(Vec::new(), level)),
            ("deflate-raw", false) => Self::RawDecode(DeflateDecoder::new(Vec::new())),
            _ => return None,
        })
    }

    /// Writes a chunk in and takes the output produced so far.
    fn push(&mut self, chunk: &[u8]) -> std::io::Result<Vec<u8>> {
        fn go<W: Write>(
            w: &mut W,
            chunk: &[u8],
            out: impl FnOnce(&mut W) -> &mut Vec<u8>,
        ) -> std::io::Result<Vec<u8>> {
            w.write_all(chunk)?;
            Ok(std::mem::take(out(w)))
        }
        match self {
            Self::GzipEncode(w) => go(w, chunk, |w| w.get_mut()),
            Self::GzipDecode(w) => go(w, chunk, |w| w.get_mut()),
            Self::DeflateEncode(w) => go(w, chunk, |w| w.get_mut()),
            Self::DeflateDecode(w) => go(w, chunk, |w| w.get_mut()),
            Self::RawEncode(w) => go(w, chunk, |w| w.get_mut()),
            Self::RawDecode(w) => go(w, chunk, |w| w.get_mut()),
        }
    }

    /// Ends the stream: the rest of the output (an encoder's last block
    /// and trailer). A decoder whose input stopped before the end of the
    /// compressed data fails.
    fn finish(self) -> std::io::Result<Vec<u8>> {
        match self {
            Self::GzipEncode(w) => w.finish(),
            Self::GzipDecode(w) => w.finish(),
            Self::DeflateEncode(w) => w.finish(),
            Self::DeflateDecode(w) => w.finish(),
            Self::RawEncode(w) => w.finish(),
            Self::RawDecode(w) => w.finish(),
        }
    }

    fn is_decoder(&self) -> bool {
        matches!(
            self,
            Self::GzipDecode(_) | Self::DeflateDecode(_) | Self::RawDecode(_)
        )
    }
}

thread_local! {
    /// The open codecs, by handle (their index); `None` once finished.
    static CODECS: RefCell<Vec<Option<Codec>>> = const { RefCell::new(Vec::new()) };
}

/// `codecNew(format, compress)`: a handle, or `-1` for a format that is
/// not one of the three (`compression.js` checks first).
fn codec_new(format: String, compress: bool) -> i32 {
    let Some(codec) = Codec::new(&format, compress) else {
        return -1;
    };
    CODECS.with_borrow_mut(|codecs| {
        let slot = codecs.iter().position(Option::is_none).unwrap_or_else(|| {
            codecs.push(None);
            codecs.len() - 1
        });
        codecs[slot] = Some(codec);
        i32::try_from(slot).unwrap_or(-1)
    })
}

/// The error a stream errors with: a `TypeError`, as the standard says,
/// with the codec's reason (zlib's words where flate2 has them).
fn codec_error(ctx: &Ctx<'_>, decoding: bool, e: &std::io::Error) -> rquickjs::Error {
    let what = if decoding {
        "The compressed data is not valid"
    } else {
        "Compression failed"
    };
    Exception::throw_type(ctx, &format!("{what}: {e}"))
}

fn closed(ctx: &Ctx<'_>) -> rquickjs::Error {
    Exception::throw_type(ctx, "the compression stream is closed")
}

/// `codecPush(handle, chunk)`: the output so far. On an error the codec is
/// dropped (the stream is errored).
fn codec_push<'js>(
    ctx: Ctx<'js>,
    handle: u32,
    chunk: TypedArray<'js, u8>,
) -> Result<TypedArray<'js, u8>> {
    let input = crate::natives::bytes(&ctx, &chunk)?;
    let result = CODECS.with_borrow_mut(|codecs| {
        let slot = codecs.get_mut(handle as usize).ok_or(None)?;
        let codec = slot.as_mut().ok_or(None)?;
        let decoding = codec.is_decoder();
        codec.push(&input).map_err(|e| {
            *slot = None;
            Some((decoding, e))
        })
    });
    match result {
        Ok(out) => TypedArray::new(ctx, out),
        Err(None) => Err(closed(&ctx)),
        Err(Some((decoding, e))) => Err(codec_error(&ctx, decoding, &e)),
    }
}

/// `codecFinish(handle)`: the last output; the handle is freed.
fn codec_finish<'js>(ctx: Ctx<'js>, handle: u32) -> Result<TypedArray<'js, u8>> {
    let codec =
        CODECS.with_borrow_mut(|codecs| codecs.get_mut(handle as usize).and_then(Option::take));
    let Some(codec) = codec else {
        return Err(closed(&ctx));
    };
    let decoding = codec.is_decoder();
    match codec.finish() {
        Ok(out) => TypedArray::new(ctx, out),
        Err(e) => Err(codec_error(&ctx, decoding, &e)),
    }
}

/// `codecDrop(handle)`: frees a codec whose stream was cancelled or
/// aborted.
fn codec_drop(handle: u32) {
    CODECS.with_borrow_mut(|codecs| {
        if let Some(slot) = codecs.get_mut(handle as usize) {
            *slot = None;
        }
    });
}

/// Adds `codecNew`, `codecPush`, `codecFinish` and `codecDrop` to the
/// natives object.
pub fn register<'js>(ctx: &Ctx<'js>, natives: &Object<'js>) -> Result<()> {
    natives.set("codecNew", Function::new(ctx.clone(), codec_new)?)?;
    natives.set("codecPush", Function::new(ctx.clone(), codec_push)?)?;
    natives.set("codecFinish", Function::new(ctx.clone(), codec_finish)?)?;
    natives.set("codecDrop", Function::new(ctx.clone(), codec_drop)?)?;
    Ok(())
}
