//! `wasi:io/streams` of HTTP bodies for JavaScript: an incoming body (the
//! http world's request, a `fetch` response) read as it arrives, an
//! outgoing body (the http world's response, a `fetch` request) written
//! chunk by chunk, both driven by the event loop (`event_loop::io`): a read
//! that finds nothing, or a write the stream has no room for, waits on the
//! stream's pollable instead of blocking.
//!
//! Natives (`streams.js` calls them): `inRead(h)` gives the next chunk (a
//! `Uint8Array`, empty when nothing is there yet) or `null` at the end;
//! `inReady(h, f)` calls `f` once there is more. `outWrite(h, bytes)`
//! writes what the stream takes now (`check-write`) and says how much;
//! `outReady(h, f)` calls `f` once it takes more.

use crate::bindings::wasi::http::types::{IncomingBody, OutgoingBody};
use crate::bindings::wasi::io::streams::{InputStream, OutputStream, StreamError};
use crate::event_loop::io;
use rquickjs::{Ctx, Exception, Function, Object, Persistent, Result, TypedArray, Value};
use std::cell::RefCell;

/// Most bytes asked of an input stream in one read.
const READ_CHUNK: u64 = 64 << 10;

/// An incoming body: the stream is dropped before the body (WASI's rule).
pub struct Incoming {
    stream: Option<InputStream>,
    _body: IncomingBody,
}

impl Drop for Incoming {
    fn drop(&mut self) {
        self.stream.take();
    }
}

/// An outgoing body being written.
pub struct Outgoing {
    pub stream: Option<OutputStream>,
    pub body: Option<OutgoingBody>,
}

thread_local! {
    static INCOMING: RefCell<Vec<Option<Incoming>>> = const { RefCell::new(Vec::new()) };
    static OUTGOING: RefCell<Vec<Option<Outgoing>>> = const { RefCell::new(Vec::new()) };
}

/// Keeps an incoming body for JavaScript; the handle `inRead` takes.
pub fn add_incoming(body: IncomingBody, stream: InputStream) -> u32 {
    INCOMING.with_borrow_mut(|list| {
        list.push(Some(Incoming {
            stream: Some(stream),
            _body: body,
        }));
        (list.len() - 1) as u32
    })
}

/// Keeps an outgoing body for JavaScript; the handle `outWrite` takes.
pub fn add_outgoing(body: OutgoingBody, stream: OutputStream) -> u32 {
    OUTGOING.with_borrow_mut(|list| {
        list.push(Some(Outgoing {
            stream: Some(stream),
            body: Some(body),
        }));
        (list.len() - 1) as u32
    })
}

/// Takes an outgoing body back (to finish it).
pub fn take_outgoing(handle: u32) -> Option<Outgoing> {
    OUTGOING.with_borrow_mut(|list| list.get_mut(handle as usize).and_then(Option::take))
}

fn type_error(ctx: &Ctx<'_>, message: &str) -> rquickjs::Error {
    Exception::throw_type(ctx, message)
}

/// Calls `callback` once `pollable` is ready.
fn when_ready<'js>(
    ctx: &Ctx<'js>,
    pollable: crate::bindings::wasi::io::poll::Pollable,
    callback: Function<'js>,
) {
    let callback = Persistent::save(ctx, callback);
    io::wait(
        pollable,
        Box::new(move |ctx| callback.restore(ctx)?.call::<_, ()>(())),
    );
}

/// Adds the natives to `natives`.
pub fn register<'js>(ctx: &Ctx<'js>, natives: &Object<'js>) -> Result<()> {
    natives.set(
        "inRead",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, handle: u32| -> Result<Value<'js>> {
                let read = INCOMING.with_borrow(|list| {
                    let stream = list
                        .get(handle as usize)
                        .and_then(Option::as_ref)
                        .and_then(|i| i.stream.as_ref())?;
                    Some(stream.read(READ_CHUNK))
                });
                match read {
                    None => Ok(Value::new_null(ctx)),
                    Some(Ok(bytes)) => Ok(TypedArray::<u8>::new(ctx, bytes)?.into_value()),
                    Some(Err(StreamError::Closed)) => {
                        INCOMING.with_borrow_mut(|list| list[handle as usize].take());
                        Ok(Value::new_null(ctx))
                    }
                    Some(Err(StreamError::LastOperationFailed(e))) => {
                        INCOMING.with_borrow_mut(|list| list[handle as usize].take());
                        Err(type_error(
                            &ctx,
                            &format!("reading the body failed: {}", e.to_debug_string()),
                        ))
                    }
                }
            },
        )?,
    )?;
    natives.set(
        "inReady",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, handle: u32, callback: Function<'js>| -> Result<()> {
                let pollable = INCOMING.with_borrow(|list| {
                    list.get(handle as usize)
                        .and_then(Option::as_ref)
                        .and_then(|i| i.stream.as_ref())
                        .map(InputStream::subscribe)
                });
                match pollable {
                    Some(p) => when_ready(&ctx, p, callback),
                    None => return Err(type_error(&ctx, "the body is closed")),
                }
                Ok(())
            },
        )?,
    )?;
    natives.set(
        "outWrite",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, handle: u32, bytes: TypedArray<'js, u8>| -> Result<f64> {
                // SAFETY: the slice is written out at once; no JavaScript
                // runs meanwhile.
                let data = unsafe { bytes.as_bytes() }.unwrap_or_default();
                let written = OUTGOING.with_borrow(|list| {
                    let stream = list
                        .get(handle as usize)
                        .and_then(Option::as_ref)
                        .and_then(|o| o.stream.as_ref())
                        .ok_or(StreamError::Closed)?;
                    let permit = stream.check_write()?;
                    let n = (permit as usize).min(data.len());
                    if n > 0 {
                        stream.write(&data[..n])?;
                    }
                    Ok::<usize, StreamError>(n)
                });
                match written {
                    Ok(n) => Ok(n as f64),
                    Err(_) => Err(type_error(
                        &ctx,
                        "the body cannot be written: the other side went away",
                    )),
                }
            },
        )?,
    )?;
    natives.set(
        "outReady",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, handle: u32, callback: Function<'js>| -> Result<()> {
                let pollable = OUTGOING.with_borrow(|list| {
                    list.get(handle as usize)
                        .and_then(Option::as_ref)
                        .and_then(|o| o.stream.as_ref())
                        .map(OutputStream::subscribe)
                });
                match pollable {
                    Some(p) => when_ready(&ctx, p, callback),
                    None => return Err(type_error(&ctx, "the response body is closed")),
                }
                Ok(())
            },
        )?,
    )?;
    Ok(())
}
