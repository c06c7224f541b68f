//! stdout and stderr, buffered in the instance and written in large chunks:
//! a `console.log` is then a copy, not a host call. Flushed when a buffer
//! fills, and always before the instance ends.

use std::cell::RefCell;
use std::io::Write;

/// Bytes kept before a buffer is written out.
const CHUNK: usize = 16 << 10;

thread_local! {
    static OUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static ERR: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Appends to stdout.
pub fn write_out(bytes: &[u8]) {
    OUT.with_borrow_mut(|b| push(b, bytes, &mut std::io::stdout()));
}

/// Appends to stderr.
pub fn write_err(bytes: &[u8]) {
    ERR.with_borrow_mut(|b| push(b, bytes, &mut std::io::stderr()));
}

/// Writes out both buffers.
pub fn flush() {
    OUT.with_borrow_mut(|b| drain(b, &mut std::io::stdout()));
    ERR.with_borrow_mut(|b| drain(b, &mut std::io::stderr()));
}

fn push(buf: &mut Vec<u8>, bytes: &[u8], sink: &mut impl Write) {
    buf.extend_from_slice(bytes);
    if buf.len() >= CHUNK {
        drain(buf, sink);
    }
}

fn drain(buf: &mut Vec<u8>, sink: &mut impl Write) {
    if !buf.is_empty() {
        // A closed pipe is not the app's error: drop what cannot be written.
        let _ = sink.write_all(buf).and_then(|()| sink.flush());
        buf.clear();
    }
}
