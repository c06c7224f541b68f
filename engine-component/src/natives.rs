//! The few functions `prelude.js` and `web.js` need from the host side:
//! output, randomness, time (the wall clock, and the monotonic clock of the
//! timers), URL parsing (`url_natives.rs`), and the string work on every
//! request's path that the interpreter did slowly (UTF-8 encoding and
//! decoding, the ByteString check, header lists). Everything else of the
//! JS environment is JavaScript.

use crate::output;
use rquickjs::{Ctx, Exception, Function, Object, Result, TypedArray, Value};
use std::cell::Cell;

thread_local! {
    /// xorshift128+ state of `Math.random`. Reseeded from the host's entropy
    /// at the start of every call ([`reseed`]), so no instance ever sees the
    /// state that was frozen into the snapshot.
    static STATE: Cell<[u64; 2]> = const { Cell::new([0x9e37_79b9_7f4a_7c15, 0xbf58_476d_1ce4_e5b9]) };
}

/// Seeds `Math.random` from WASI `random_get`.
pub fn reseed() {
    let mut seed = [0u8; 16];
    // getrandom on wasm32-wasip1 is WASI `random_get`; should the host refuse
    // it, the generator keeps running from its current state (it is
    // `Math.random`, not a CSPRNG).
    if getrandom::fill(&mut seed).is_ok() {
        let a = u64::from_le_bytes(seed[..8].try_into().unwrap());
        let b = u64::from_le_bytes(seed[8..].try_into().unwrap());
        // xorshift128+ must not start from all zeros.
        STATE.set([a | 1, b]);
    }
}

/// xorshift128+, the generator V8 and QuickJS use for `Math.random`; written
/// here (a few lines) rather than pulling a crate into the engine's code size.
fn next_u64() -> u64 {
    let [mut s1, s0] = STATE.get();
    let result = s0.wrapping_add(s1);
    s1 ^= s1 << 23;
    s1 ^= s1 >> 17;
    s1 ^= s0;
    s1 ^= s0 >> 26;
    STATE.set([s0, s1]);
    result
}

/// A double in [0, 1) from the top 53 bits.
fn random() -> f64 {
    (next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// 32 bits straight from the host's entropy (`crypto.getRandomValues`).
fn random_u32() -> Result<u32> {
    let mut b = [0u8; 4];
    getrandom::fill(&mut b).map_err(|_| rquickjs::Error::Unknown)?;
    Ok(u32::from_le_bytes(b))
}

/// The bytes of a `Uint8Array` (copied: the JS side may change them), for
/// the natives that take bytes (crypto, compression).
pub fn bytes(ctx: &Ctx<'_>, array: &TypedArray<'_, u8>) -> Result<Vec<u8>> {
    // SAFETY: the slice is copied at once, before any JS can run and
    // detach or resize the buffer.
    match unsafe { array.as_bytes() } {
        Some(b) => Ok(b.to_vec()),
        None => Err(Exception::throw_type(ctx, "the buffer is detached")),
    }
}

/// Calls `f` with QuickJS's own UTF-8 of `s` (no copy for an ASCII string).
/// It is WTF-8, not UTF-8: a lone surrogate is in it as the three bytes of
/// its code point (ED A0..BF xx), so it is read as bytes, never as `&str`.
fn with_wtf8<R>(s: rquickjs::String<'_>, f: impl FnOnce(&[u8]) -> R) -> Result<R> {
    let c = s.to_cstring()?;
    // SAFETY: QuickJS's C string of `s`: `len` bytes, alive until `c` drops.
    let bytes = unsafe { std::slice::from_raw_parts(c.as_ptr().cast::<u8>(), c.len()) };
    Ok(f(bytes))
}

/// `TextEncoder.prototype.encode`: the UTF-8 bytes of `s`, a lone surrogate
/// as U+FFFD (the Encoding standard's "UTF-8 encode" of a USVString).
///
/// Native because it is on every response's path (`new Response(string)`,
/// `Response.json`): the JavaScript loop it replaces, a few operations per
/// code unit in the interpreter, was ~9 µs of a request to
/// examples/http/hello.js (BENCHMARKS.md, "What a request's JavaScript
/// costs").
fn utf8_encode<'js>(ctx: Ctx<'js>, s: rquickjs::String<'js>) -> Result<TypedArray<'js, u8>> {
    let mut bytes = with_wtf8(s, <[u8]>::to_vec)?;
    // A surrogate's three bytes are ED A0..BF xx; U+FFFD's are as many.
    let mut i = 0;
    while i + 2 < bytes.len() {
        if bytes[i] == 0xed && bytes[i + 1] >= 0xa0 {
            bytes[i..i + 3].copy_from_slice("\u{fffd}".as_bytes());
            i += 3;
        } else {
            i += 1;
        }
    }
    TypedArray::new(ctx, bytes)
}

/// WebIDL's ByteString check: whether every code unit of `s` is at most
/// U+00FF (header names and values, `statusText`). QuickJS's UTF-8 of a
/// string without wider characters is its own Latin-1 bytes, or their
/// two-byte forms (lead byte C2 or C3); any wider code unit has a lead
/// byte of C4 or more. Native because the interpreter's loop over the
/// characters was most of what a header cost.
fn is_byte_string(s: rquickjs::String<'_>) -> Result<bool> {
    with_wtf8(s, |bytes| !bytes.iter().any(|&b| b >= 0xc4))
}

/// `TextDecoder`'s UTF-8 decoding of `bytes[start..]`: `[text, rest]`, where
/// `rest` is how many bytes at the end were held back (with `stream`, an
/// incomplete sequence the next chunk completes), and `text` is `null` when
/// `fatal` and the bytes are not UTF-8. Invalid bytes become U+FFFD, one per
/// maximal subpart: Rust's `Utf8Chunks` and the Encoding standard's decoder
/// agree on that. Native because a request's body (`text()`, `json()`) is
/// decoded on every call that reads one; the interpreter took a few
/// operations per byte.
fn utf8_decode<'js>(
    ctx: Ctx<'js>,
    bytes: TypedArray<'js, u8>,
    start: usize,
    stream: bool,
    fatal: bool,
) -> Result<Value<'js>> {
    // SAFETY: read at once, before any JavaScript runs and could detach or
    // resize the buffer.
    let Some(all) = (unsafe { bytes.as_bytes() }) else {
        return Err(Exception::throw_type(&ctx, "the buffer is detached"));
    };
    let input = all.get(start..).unwrap_or_default();
    let mut text = String::with_capacity(input.len());
    let mut rest = 0;
    let mut chunks = input.utf8_chunks().peekable();
    while let Some(chunk) = chunks.next() {
        text.push_str(chunk.valid());
        let invalid = chunk.invalid();
        if invalid.is_empty() {
            continue;
        }
        // An incomplete sequence at the very end waits for the next chunk.
        let at_end = chunks.peek().is_none();
        if at_end && stream && std::str::from_utf8(invalid).is_err_and(|e| e.error_len().is_none())
        {
            rest = invalid.len();
            continue;
        }
        if fatal {
            return Ok(Value::new_null(ctx));
        }
        text.push('\u{fffd}');
    }
    let text = rquickjs::String::from_str(ctx.clone(), &text)?;
    let out = rquickjs::Array::new(ctx)?;
    out.set(0, text)?;
    out.set(1, rest)?;
    Ok(out.into_value())
}

/// HTTP header fields as `web.js` takes them (`headersAppendTrusted`):
/// names and values alternating, each value a byte string (one char per
/// byte, U+0000–U+00FF), as the Fetch standard's `Headers` holds values.
pub fn header_strings(fields: Vec<(String, Vec<u8>)>) -> Vec<String> {
    let mut flat = Vec::with_capacity(fields.len() * 2);
    for (name, value) in fields {
        flat.push(name);
        flat.push(value.iter().map(|&b| char::from(b)).collect());
    }
    flat
}

/// The bytes of a byte string (a header value from `web.js`): one byte per
/// char, the inverse of [`header_strings`]' values. `Headers` admits no
/// char above U+00FF.
pub fn byte_string_bytes(s: &str) -> Vec<u8> {
    s.chars().map(|c| c as u8).collect()
}

/// The object handed to `prelude.js` and `web.js`.
pub fn object<'js>(ctx: &Ctx<'js>) -> Result<Object<'js>> {
    let o = Object::new(ctx.clone())?;
    o.set(
        "writeOut",
        Function::new(ctx.clone(), |s: String| output::write_out(s.as_bytes()))?,
    )?;
    o.set(
        "writeErr",
        Function::new(ctx.clone(), |s: String| output::write_err(s.as_bytes()))?,
    )?;
    o.set("random", Function::new(ctx.clone(), random)?)?;
    o.set("utf8Encode", Function::new(ctx.clone(), utf8_encode)?)?;
    o.set("utf8Decode", Function::new(ctx.clone(), utf8_decode)?)?;
    o.set("isByteString", Function::new(ctx.clone(), is_byte_string)?)?;
    // `navigator.userAgent`: the engine's name and version, part of the
    // engine's code (identical for every app).
    o.set("userAgent", concat!("jspkg/", env!("CARGO_PKG_VERSION")))?;
    o.set("randomU32", Function::new(ctx.clone(), random_u32)?)?;
    o.set(
        "nowMs",
        Function::new(ctx.clone(), || {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs_f64() * 1e3)
                .unwrap_or(0.0)
        })?,
    )?;
    o.set(
        "monotonicMs",
        Function::new(ctx.clone(), crate::event_loop::now_ms)?,
    )?;
    crate::url_natives::register(ctx, &o)?;
    crate::urlpattern_natives::register(ctx, &o)?;
    crate::compression_natives::register(ctx, &o)?;
    crate::crypto_natives::register(ctx, &o)?;
    crate::intl_natives::register(ctx, &o)?;
    crate::node_natives::register(ctx, &o)?;
    crate::body_streams::register(ctx, &o)?;
    crate::fetch_natives::register(ctx, &o)?;
    Ok(o)
}
