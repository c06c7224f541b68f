//! Outgoing requests (`fetch`, in `fetch.js`) on `wasi:http/outgoing-handler`,
//! in both worlds.
//!
//! Natives: `fetchStart(method, scheme, authority, pathWithQuery, headers,
//! hasBody)` sends the head of a request and gives `[request, body]`: the
//! handle of the response to come, and that of the request's body stream
//! (`body_streams.rs`'s `outWrite`/`outReady`; `-1` without a body), which
//! `fetchFinish(body, ok)` ends. `fetchPoll(request)` gives `null` while
//! the response is not there, else `[status, headers, body]` (`headers`:
//! names and values alternating, `body`: the handle `inRead` takes, or
//! `-1`), and throws an `Error` saying why the
//! request failed; `fetchReady(request, f)` calls `f` once it can say more;
//! `fetchCancel(request)` gives up on it (an aborted `fetch`). Every wait is
//! a pollable of the event loop (`event_loop::io`).

use crate::bindings::wasi::http::outgoing_handler;
use crate::bindings::wasi::http::types::{
    ErrorCode, Fields, FutureIncomingResponse, Method, OutgoingBody, OutgoingRequest, Scheme,
};
use crate::body_streams;
use crate::event_loop::io;
use rquickjs::{Ctx, Exception, Function, Object, Persistent, Result, Value};
use std::cell::RefCell;

/// Request headers the host owns (framing, connection, `host` from the
/// authority): never sent from the app's headers, as browsers and undici
/// leave them out too.
const HOST_HEADERS: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "upgrade",
    "host",
    "http2-settings",
    "proxy-authenticate",
    "proxy-authorization",
];

thread_local! {
    /// Responses on their way, by handle, with the event loop's wait on
    /// each (if any); `None` once taken or cancelled.
    static RESPONSES: RefCell<Vec<Option<Pending>>> = const { RefCell::new(Vec::new()) };
}

/// A response on its way.
struct Pending {
    future: FutureIncomingResponse,
    /// The wait on its pollable, a child of `future`: cancelled first.
    wait: Option<io::Token>,
}

fn error(ctx: &Ctx<'_>, message: &str) -> rquickjs::Error {
    Exception::throw_message(ctx, message)
}

fn method(name: &str) -> Method {
    match name {
        "GET" => Method::Get,
        "HEAD" => Method::Head,
        "POST" => Method::Post,
        "PUT" => Method::Put,
        "DELETE" => Method::Delete,
        "OPTIONS" => Method::Options,
        "PATCH" => Method::Patch,
        "CONNECT" => Method::Connect,
        "TRACE" => Method::Trace,
        other => Method::Other(other.to_string()),
    }
}

/// Why a request failed, in words (the `cause` of fetch's `TypeError`).
fn describe(code: &ErrorCode) -> String {
    match code {
        ErrorCode::HttpRequestDenied => "the host refused the request: an app may send requests \
             only to the hosts its host allows (jspkg run/serve --allow-host HOST[:PORT])"
            .into(),
        ErrorCode::ConnectionRefused => "connection refused".into(),
        ErrorCode::ConnectionTimeout => "connection timed out".into(),
        ErrorCode::ConnectionTerminated => "the connection was closed before the response".into(),
        ErrorCode::DnsError(payload) => format!(
            "DNS lookup failed{}",
            payload
                .rcode
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        ),
        ErrorCode::DestinationNotFound => "the host was not found".into(),
        ErrorCode::DestinationUnavailable => "the host is unavailable".into(),
        ErrorCode::TlsCertificateError => "the server's TLS certificate is not valid".into(),
        ErrorCode::TlsProtocolError => "the TLS handshake failed".into(),
        ErrorCode::HttpProtocolError => "the server's answer is not valid HTTP".into(),
        ErrorCode::HttpRequestUriInvalid => "the URL is not valid".into(),
        ErrorCode::InternalError(Some(message)) => message.clone(),
        other => format!("{other:?}"),
    }
}

/// Calls `callback` once `pollable` is ready.
fn when_ready<'js>(
    ctx: &Ctx<'js>,
    pollable: crate::bindings::wasi::io::poll::Pollable,
    callback: Function<'js>,
) -> io::Token {
    let callback = Persistent::save(ctx, callback);
    io::wait(
        pollable,
        Box::new(move |ctx| callback.restore(ctx)?.call::<_, ()>(())),
    )
}

/// Drops a response on its way: its wait first (the pollable is the
/// future's child), then the future, which abandons the request.
fn drop_pending(pending: Pending) {
    if let Some(token) = pending.wait {
        io::cancel(token);
    }
    drop(pending.future);
}

/// `fetchStart`: the request's head goes out now; its body, if any, is
/// written through the handle it gives.
fn start(
    ctx: &Ctx<'_>,
    (verb, scheme, authority, path): (String, String, String, String),
    headers: Vec<Vec<String>>,
    has_body: bool,
) -> Result<(u32, f64)> {
    let fields = Fields::new();
    for pair in headers {
        let Ok([name, value]) = <[String; 2]>::try_from(pair) else {
            continue;
        };
        if HOST_HEADERS.contains(&name.as_str()) {
            continue;
        }
        let bytes = crate::natives::byte_string_bytes(&value);
        fields
            .append(&name, &bytes)
            .map_err(|e| error(ctx, &format!("the header {name:?} cannot be sent: {e:?}")))?;
    }
    let request = OutgoingRequest::new(fields);
    let bad = |what: &str| error(ctx, &format!("the request's {what} cannot be sent"));
    request
        .set_method(&method(&verb))
        .map_err(|()| bad("method"))?;
    let scheme = match scheme.as_str() {
        "http" => Scheme::Http,
        "https" => Scheme::Https,
        other => Scheme::Other(other.to_string()),
    };
    request
        .set_scheme(Some(&scheme))
        .map_err(|()| bad("scheme"))?;
    request
        .set_authority(Some(&authority))
        .map_err(|()| bad("host"))?;
    request
        .set_path_with_query(Some(&path))
        .map_err(|()| bad("path"))?;
    let body = if has_body {
        let Ok(body) = request.body() else {
            unreachable!("a new request's body is taken once")
        };
        Some(body)
    } else {
        None
    };
    let response =
        outgoing_handler::handle(request, None).map_err(|e| error(ctx, &describe(&e)))?;
    let body_handle = match body {
        Some(body) => {
            let Ok(stream) = body.write() else {
                unreachable!("a new body's stream is taken once")
            };
            f64::from(body_streams::add_outgoing(body, stream))
        }
        None => -1.0,
    };
    let handle = RESPONSES.with_borrow_mut(|list| {
        list.push(Some(Pending {
            future: response,
            wait: None,
        }));
        (list.len() - 1) as u32
    });
    Ok((handle, body_handle))
}

/// `fetchPoll`: the response's head, once it is there.
fn poll<'js>(ctx: &Ctx<'js>, handle: u32) -> Result<Value<'js>> {
    let got = RESPONSES.with_borrow(|list| {
        list.get(handle as usize)
            .and_then(Option::as_ref)
            .map(|p| p.future.get())
    });
    let result = match got {
        None => return Err(error(ctx, "the response was already taken")),
        Some(None) => return Ok(Value::new_null(ctx.clone())),
        Some(Some(result)) => result,
    };
    if let Some(pending) = RESPONSES.with_borrow_mut(|list| list[handle as usize].take()) {
        drop_pending(pending);
    }
    let response = match result {
        Err(()) => return Err(error(ctx, "the response was already taken")),
        Ok(Err(code)) => return Err(error(ctx, &describe(&code))),
        Ok(Ok(response)) => response,
    };
    let status = response.status();
    let headers = crate::natives::header_strings(response.headers().entries());
    let body = match response.consume() {
        Ok(body) => match body.stream() {
            Ok(stream) => f64::from(body_streams::add_incoming(body, stream)),
            Err(()) => -1.0,
        },
        Err(()) => -1.0,
    };
    let parts = rquickjs::Array::new(ctx.clone())?;
    parts.set(0, status)?;
    parts.set(1, headers)?;
    parts.set(2, body)?;
    Ok(parts.into_value())
}

/// Adds the natives to `natives`.
pub fn register<'js>(ctx: &Ctx<'js>, natives: &Object<'js>) -> Result<()> {
    natives.set(
        "fetchStart",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>,
             verb: String,
             scheme: String,
             authority: String,
             path: String,
             headers: Vec<Vec<String>>,
             has_body: bool|
             -> Result<Vec<f64>> {
                let (handle, body) =
                    start(&ctx, (verb, scheme, authority, path), headers, has_body)?;
                Ok(vec![f64::from(handle), body])
            },
        )?,
    )?;
    natives.set(
        "fetchPoll",
        Function::new(ctx.clone(), |ctx: Ctx<'js>, handle: u32| poll(&ctx, handle))?,
    )?;
    natives.set(
        "fetchReady",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, handle: u32, callback: Function<'js>| -> Result<()> {
                let pollable = RESPONSES.with_borrow(|list| {
                    list.get(handle as usize)
                        .and_then(Option::as_ref)
                        .map(|p| p.future.subscribe())
                });
                let Some(pollable) = pollable else {
                    return Err(error(&ctx, "the response was already taken"));
                };
                let token = when_ready(&ctx, pollable, callback);
                RESPONSES.with_borrow_mut(|list| {
                    if let Some(Some(p)) = list.get_mut(handle as usize) {
                        p.wait = Some(token);
                    }
                });
                Ok(())
            },
        )?,
    )?;
    natives.set(
        "fetchCancel",
        Function::new(ctx.clone(), |handle: u32| {
            // Dropping the future abandons the request (the host drops the
            // connection's task).
            let pending = RESPONSES
                .with_borrow_mut(|list| list.get_mut(handle as usize).and_then(Option::take));
            if let Some(pending) = pending {
                drop_pending(pending);
            }
        })?,
    )?;
    natives.set(
        "fetchFinish",
        Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>, handle: u32, ok: bool| -> Result<()> {
                let Some(mut outgoing) = body_streams::take_outgoing(handle) else {
                    return Ok(());
                };
                if let Some(stream) = outgoing.stream.take() {
                    let _ = stream.blocking_flush();
                }
                let Some(body) = outgoing.body.take() else {
                    return Ok(());
                };
                if ok {
                    OutgoingBody::finish(body, None).map_err(|e| {
                        error(
                            &ctx,
                            &format!("the request body was not sent: {}", describe(&e)),
                        )
                    })?;
                }
                // Not ok: dropped unfinished, the host breaks the request off.
                Ok(())
            },
        )?,
    )?;
    Ok(())
}
