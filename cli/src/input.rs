//! Reading the files a subcommand is given, with one-line errors that say
//! what is wrong and what to do: a missing file, a directory, an empty
//! file, a file that is not WebAssembly, a truncated or corrupt one.

use anyhow::{Error, anyhow};
use std::path::Path;

/// The first bytes of every WebAssembly binary (module or component).
const WASM_MAGIC: &[u8] = b"\0asm";

/// Reads a file, or says in one line why it cannot be read.
pub fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    let shown = path.display();
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(anyhow!("{shown}: no such file; check the path"));
        }
        Ok(m) if m.is_dir() => {
            return Err(anyhow!(
                "{shown} is a directory: give a file (a `jspkg split` directory holds app.wasm and engine.wasm)"
            ));
        }
        _ => {}
    }
    std::fs::read(path).map_err(|e| anyhow!("cannot read {shown}: {}", io_reason(&e)))
}

/// Reads a WebAssembly file: refuses at once what does not even start like
/// WebAssembly. A truncated or corrupt file is caught by [`explain`] when
/// the library that uses it fails (validating up front would slow every
/// `jspkg run` on a compile-cache hit).
pub fn read_wasm(path: &Path) -> anyhow::Result<Vec<u8>> {
    let bytes = read(path)?;
    if bytes.is_empty() {
        return Err(anyhow!(
            "{}: not a WebAssembly module or component (the file is empty); build it again",
            path.display()
        ));
    }
    if !bytes.starts_with(WASM_MAGIC) {
        return Err(not_wasm(path));
    }
    Ok(bytes)
}

/// The error for a file that is not WebAssembly at all.
pub fn not_wasm(path: &Path) -> Error {
    anyhow!(
        "{}: not a WebAssembly module or component; give a .wasm file written by `jspkg build`, `jspkg split` or `jspkg compose`",
        path.display()
    )
}

/// After a failure on `bytes` (read from `path`): the one-line error for a
/// truncated or corrupt WebAssembly file, if that is why; else `err` as is.
pub fn explain(err: Error, path: &Path, bytes: &[u8]) -> Error {
    match jspkg_artifact::validate(bytes) {
        Ok(()) => err,
        Err(e) => {
            let detail = e.message().lines().next().unwrap_or("invalid").to_string();
            anyhow!(
                "{}: not a valid WebAssembly module or component ({detail} at byte {}): the file is truncated or corrupt; build, split or pull it again",
                path.display(),
                e.offset()
            )
        }
    }
}

/// `err` with the context `cannot load NAME`, unless its message already
/// names NAME (a path said twice only lengthens the line).
pub fn loading(err: Error, name: &str) -> Error {
    if one_line(&err).contains(name) {
        err
    } else {
        err.context(format!("cannot load {name}"))
    }
}

/// An I/O error's reason without the `(os error N)` tail.
pub fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.rfind(" (os error") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Renders an error and its causes as one line: `A: B: C`, skipping a cause
/// whose text the line already holds (thiserror messages often embed their
/// source), with line breaks folded into `; `.
pub fn one_line(err: &Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        let text = text.trim();
        if text.is_empty() || line.contains(text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(text);
    }
    let parts: Vec<&str> = line
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    parts.join("; ")
}

/// An error printed as it is, over several lines: a JavaScript error with
/// its stack, as node prints it (`jspkg build` of an app that throws).
#[derive(Debug)]
pub struct Verbatim(pub String);

impl std::fmt::Display for Verbatim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Verbatim {}
