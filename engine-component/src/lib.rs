//! jspkg's JavaScript engine: QuickJS (through rquickjs) on WASI.
//!
//! The module is a WASI *reactor* with two entry points:
//!
//! - `wizer-initialize`, run once at build time by `jspkg build` under Wizer:
//!   it reads the app (one ES module) from stdin, evaluates it — the app's
//!   top-level code runs now — and keeps a handle to its entry point. Wizer
//!   then saves the engine's memory and globals as the snapshot.
//! - the world's export, run in every instance made from the snapshot:
//!   - cli world, `wasi:cli/run#run`: calls `main(args)`, drains the job
//!     queue, and turns the result into the exit code;
//!   - http world, `wasi:http/incoming-handler#handle`: calls the default
//!     export's `fetch(request)` and sends the `Response` it gives.
//!
//! What the engine may rely on and promise is in `CONTRACT.md`; the
//! JavaScript environment is in `prelude.js` (console, TextEncoder, ...) and
//! `web.js` (URL, Headers, Request, Response, ...), then the files
//! `engine.rs` lists in `EXTRAS` (timers, atob/btoa, events, fetch, ...);
//! the timers and I/O (bodies, `fetch`) are driven by the event loop
//! (`event_loop.rs`).

mod bindings;
mod body_streams;
mod compression_natives;
mod crypto_natives;
mod engine;
mod event_loop;
mod fetch_natives;
#[cfg(feature = "http")]
mod http;
mod intl_natives;
mod natives;
mod node_modules;
mod node_natives;
mod output;
mod source_map;
mod url_natives;
mod urlpattern_natives;

use std::io::Read;

/// The pre-initialization entry point (Wizer's default name). Never present
/// in a snapshot: Wizer removes it.
#[unsafe(export_name = "wizer-initialize")]
pub extern "C" fn wizer_initialize() {
    if let Err(message) = read_app().and_then(|(file, source)| engine::initialize(&file, &source)) {
        fail(&message);
    }
}

/// Reads the app from stdin: its file name on the first line, then its
/// source (see `CONTRACT.md`).
fn read_app() -> Result<(String, String), String> {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| format!("cannot read the app from stdin: {e}"))?;
    let (file_name, source) = input.split_once('\n').unwrap_or(("app.js", ""));
    Ok((file_name.to_string(), source.to_string()))
}

/// Reports a build-time failure on stderr and traps, so that Wizer gives up
/// and the packager shows the message.
fn fail(message: &str) -> ! {
    output::write_err(message.as_bytes());
    output::write_err(b"\n");
    output::flush();
    core::arch::wasm32::unreachable()
}
