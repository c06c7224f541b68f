//! The few functions `prelude.js` and `web.js` need from the host side:
//! output, randomness, time (the wall clock, and the monotonic clock of the
//! timers), and URL parsing (`url_natives.rs`). Everything
//! else of the JS environment is JavaScript.

use crate::output;
use rquickjs::{Ctx, Exception, Function, Object, Result, TypedArray};
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
