//! The http world's `wasi:http/incoming-handler#handle`: one request, in a
//! fresh instance made from the snapshot.
//!
//! The request's head (method, URL, headers) is handed to the app's `fetch`
//! as a `Request` (the prelude's `httpRequest` hook builds it) whose body is
//! a stream read as it arrives (`body_streams.rs`); the `Response` it
//! returns, or resolves to, is taken apart by the `httpResponse` hook: a
//! body of bytes is written whole with its `content-length`, a
//! `ReadableStream` body chunk by chunk as it comes (`hooks.httpPump`),
//! driven by the event loop, with flow control from the output stream.

use crate::bindings::wasi::http::types::{
    Fields, IncomingRequest, Method, OutgoingBody, OutgoingResponse, ResponseOutparam, Scheme,
};
use crate::bindings::wasi::io::streams::OutputStream;
use crate::body_streams;
use crate::engine::{self, Settled};
use crate::event_loop::OnError;
use crate::natives;
use crate::output;
use rquickjs::{CatchResultExt, CaughtError, Ctx, FromJs, Object, TypedArray, Value};

/// Most bytes `blocking-write-and-flush` takes in one call (WASI 0.2).
const WRITE_CHUNK: usize = 4096;

/// Response headers the host owns: framing and connection management.
/// `content-length` is set from the body; the others are dropped (hosts
/// refuse them in `wasi:http/types#fields`).
const HOST_HEADERS: &[&str] = &[
    "content-length",
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "upgrade",
    "http2-settings",
];

/// What the app answered, ready to be written.
struct Answer<'js> {
    status: u16,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
    /// A `ReadableStream` body, written as it comes (then `body` is empty).
    stream: Option<Value<'js>>,
}

impl Answer<'_> {
    /// A plain-text error answer (the app's failure is on stderr).
    fn error(status: u16, text: &str) -> Self {
        Answer {
            status,
            headers: vec![("content-type".into(), b"text/plain; charset=utf-8".to_vec())],
            body: format!("{text}\n").into_bytes(),
            stream: None,
        }
    }
}

/// Handles one request: calls the app, writes its response (or a 500).
pub fn handle(request: IncomingRequest, response_out: ResponseOutparam) {
    let incoming = match read_request(request) {
        Ok(incoming) => incoming,
        Err(message) => {
            output::write_err(format!("jspkg: {message}\n").as_bytes());
            output::flush();
            send(Answer::error(400, "Bad Request"), response_out);
            return;
        }
    };
    let mut out = Some(response_out);
    let outcome = engine::with_app(|ctx, app| {
        let answer = answer(ctx, app, incoming);
        // What the handler printed is out before its response: a client
        // that sees a 500 finds the reason already in the server's log.
        output::flush();
        let Some(response_out) = out.take() else {
            unreachable!("the response is sent once")
        };
        match answer.stream.clone() {
            None => send(answer, response_out),
            Some(stream) => stream_out(ctx, app, answer, stream, response_out),
        }
    });
    if let Err(message) = outcome {
        output::write_err(message.as_bytes());
        output::write_err(b"\n");
        output::flush();
        if let Some(response_out) = out.take() {
            send(Answer::error(500, "Internal Server Error"), response_out);
        }
    }
}

/// Sends the head of a response with a stream body, then writes the body
/// as the app's stream gives it (`hooks.httpPump`, on the event loop).
/// Timers and I/O still pending when the body is finished are dropped.
fn stream_out<'js>(
    ctx: &Ctx<'js>,
    app: &engine::App<'js>,
    answer: Answer<'js>,
    stream: Value<'js>,
    response_out: ResponseOutparam,
) {
    let Some((body, out)) = send_head(&answer, None, response_out) else {
        return;
    };
    let handle = body_streams::add_outgoing(body, out);
    let pumped = engine::call_hook(&app.hooks, "httpPump", (stream, handle)).catch(ctx);
    let ok = match pumped {
        Ok(promise) => {
            match engine::await_value(ctx, &app.hooks, promise, OnError::Report, false) {
                Settled::Value(_) => true,
                Settled::Failed(e) => {
                    engine::print_uncaught(ctx, &app.hooks, e);
                    false
                }
                Settled::Pending => {
                    output::write_err(
                        b"jspkg: the response body stream never ended (nothing left to run)\n",
                    );
                    false
                }
            }
        }
        Err(e) => {
            engine::print_uncaught(ctx, &app.hooks, e);
            false
        }
    };
    output::flush();
    let Some(mut outgoing) = body_streams::take_outgoing(handle) else {
        return;
    };
    if let Some(out) = outgoing.stream.take() {
        let _ = out.blocking_flush();
    }
    let body = outgoing
        .body
        .take()
        .expect("an outgoing body is finished once");
    if ok {
        if let Err(e) = OutgoingBody::finish(body, None) {
            output::write_err(format!("jspkg: finishing the response failed: {e:?}\n").as_bytes());
        }
    } else {
        // Not finished: the host tells the client the body is incomplete.
        drop(body);
    }
}

/// The parts of a request the app sees.
struct Incoming {
    method: String,
    url: String,
    headers: Vec<(String, Vec<u8>)>,
    /// The handle of the body stream (`body_streams.rs`); none for GET and
    /// HEAD.
    body: Option<u32>,
}

fn read_request(request: IncomingRequest) -> Result<Incoming, String> {
    let method = match request.method() {
        Method::Get => "GET".to_string(),
        Method::Head => "HEAD".into(),
        Method::Post => "POST".into(),
        Method::Put => "PUT".into(),
        Method::Delete => "DELETE".into(),
        Method::Connect => "CONNECT".into(),
        Method::Options => "OPTIONS".into(),
        Method::Trace => "TRACE".into(),
        Method::Patch => "PATCH".into(),
        Method::Other(m) => m,
    };
    let scheme = match request.scheme() {
        Some(Scheme::Https) => "https".to_string(),
        Some(Scheme::Other(s)) => s,
        Some(Scheme::Http) | None => "http".into(),
    };
    let mut headers = request.headers().entries();
    let host = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("host"))
        .map(|(_, v)| String::from_utf8_lossy(v).into_owned());
    // The authority, else the Host header, else a placeholder: `Request.url`
    // must be absolute.
    let authority = request
        .authority()
        .or_else(|| host.clone())
        .unwrap_or_else(|| "localhost".into());
    // Hosts keep `host` out of the fields (it is the authority); apps read
    // it from the headers, as on node, Workers and Deno.
    if host.is_none() {
        headers.push(("host".into(), authority.clone().into_bytes()));
    }
    let path = request.path_with_query().unwrap_or_else(|| "/".into());
    // Parsed here (not by `URL` in JavaScript): `Request.url` is the
    // serialized URL, and this is on every request's path.
    let url = format!("{scheme}://{authority}{path}");
    let url = url::Url::parse(&url)
        .map_err(|e| format!("the request's URL is not valid ({e}): {url}"))?
        .into();

    // GET and HEAD have no body; an empty body of another method is an
    // empty body (as node passes it). It is read as the app reads it.
    let body = match method.as_str() {
        "GET" | "HEAD" => None,
        _ => {
            let body = request
                .consume()
                .map_err(|()| "the request body was already taken".to_string())?;
            let stream = body
                .stream()
                .map_err(|()| "the request body stream was already taken".to_string())?;
            Some(body_streams::add_incoming(body, stream))
        }
    };
    Ok(Incoming {
        method,
        url,
        headers,
        body,
    })
}

/// Runs the app's `fetch` on the request; any failure is a 500, with the
/// reason on stderr.
fn answer<'js>(ctx: &Ctx<'js>, app: &engine::App<'js>, incoming: Incoming) -> Answer<'js> {
    {
        let fail = |e| failed(ctx, &app.hooks, e);
        let request = match make_request(ctx, &app.hooks, incoming) {
            Ok(r) => r,
            Err(e) => return fail(e),
        };
        let returned = match app.call(ctx, request) {
            Ok(v) => v,
            Err(e) => return fail(e),
        };
        // The loop runs until the response is there; timers and I/O still
        // pending then are dropped with the instance (see the README).
        let response = match engine::await_value(ctx, &app.hooks, returned, OnError::Report, false)
        {
            Settled::Value(v) => v,
            Settled::Failed(e) => return fail(e),
            Settled::Pending => {
                output::write_err(
                    b"jspkg: the fetch handler's promise never settled (nothing left to run)\n",
                );
                return Answer::error(500, "Internal Server Error");
            }
        };
        let answer = match take_response(ctx, &app.hooks, response) {
            Ok(a) => a,
            Err(e) => return fail(e),
        };
        engine::drain_jobs(ctx);
        if let Some(reason) = engine::take_unhandled(ctx) {
            // The response stands (node's servers would crash here; Workers
            // log it): the rejection goes to stderr.
            engine::print_uncaught(ctx, &app.hooks, CaughtError::Value(reason));
        }
        answer
    }
}

/// An exception out of the app: on stderr, and a 500 for the client.
fn failed<'js>(ctx: &Ctx<'js>, hooks: &Object<'js>, e: CaughtError<'js>) -> Answer<'js> {
    engine::print_uncaught(ctx, hooks, e);
    Answer::error(500, "Internal Server Error")
}

/// `hooks.httpRequest(method, url, headers, body)`: header names and values
/// alternating ([`natives::header_strings`]), the body the handle of its
/// stream or null.
fn make_request<'js>(
    ctx: &Ctx<'js>,
    hooks: &Object<'js>,
    incoming: Incoming,
) -> Result<Value<'js>, CaughtError<'js>> {
    let headers = natives::header_strings(incoming.headers);
    let body = match incoming.body {
        Some(handle) => Value::new_number(ctx.clone(), f64::from(handle)),
        None => Value::new_null(ctx.clone()),
    };
    engine::call_hook(
        hooks,
        "httpRequest",
        (incoming.method, incoming.url, headers, body),
    )
    .catch(ctx)
}

/// `hooks.httpResponse(value)`: `{ status, headers: [name, value, ...], body,
/// stream }`; throws a TypeError when `value` is not a Response.
fn take_response<'js>(
    ctx: &Ctx<'js>,
    hooks: &Object<'js>,
    response: Value<'js>,
) -> Result<Answer<'js>, CaughtError<'js>> {
    let parts: Object = engine::call_hook(hooks, "httpResponse", (response,))
        .and_then(|v| Object::from_js(ctx, v))
        .catch(ctx)?;
    let status: u16 = parts.get("status").catch(ctx)?;
    let flat: Vec<String> = parts.get("headers").catch(ctx)?;
    let body: TypedArray<u8> = parts.get("body").catch(ctx)?;
    let stream: Value = parts.get("stream").catch(ctx)?;
    let stream = (!stream.is_null() && !stream.is_undefined()).then_some(stream);
    // SAFETY: the slice is copied out at once; no JavaScript runs meanwhile.
    let body = unsafe { body.as_bytes() }
        .map(<[u8]>::to_vec)
        .unwrap_or_default();
    let headers = flat
        .chunks_exact(2)
        .map(|pair| (pair[0].clone(), natives::byte_string_bytes(&pair[1])))
        .collect();
    Ok(Answer {
        status,
        headers,
        body,
        stream,
    })
}

/// Writes `answer` as the response: head first, then the whole body.
fn send(answer: Answer<'_>, response_out: ResponseOutparam) {
    let length = answer.body.len();
    let Some((body, stream)) = send_head(&answer, Some(length), response_out) else {
        return;
    };
    for chunk in answer.body.chunks(WRITE_CHUNK) {
        if let Err(e) = stream.blocking_write_and_flush(chunk) {
            // The client went away: nothing left to do for this request.
            output::write_err(
                format!("jspkg: writing the response body failed: {e:?}\n").as_bytes(),
            );
            return;
        }
    }
    drop(stream);
    if let Err(e) = OutgoingBody::finish(body, None) {
        output::write_err(format!("jspkg: finishing the response failed: {e:?}\n").as_bytes());
    }
}

/// Sends the status and headers (with `content-length` if `length` is
/// known; else the host frames the body, e.g. chunked); gives the body and
/// its stream to write to.
fn send_head(
    answer: &Answer<'_>,
    length: Option<usize>,
    response_out: ResponseOutparam,
) -> Option<(OutgoingBody, OutputStream)> {
    let headers = Fields::new();
    for (name, value) in &answer.headers {
        if HOST_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            continue;
        }
        if let Err(e) = headers.append(name, value) {
            output::write_err(
                format!("jspkg: response header {name:?} dropped: {e:?}\n").as_bytes(),
            );
        }
    }
    if let Some(length) = length {
        // Cannot fail: the name is valid and not forbidden.
        let _ = headers.set("content-length", &[length.to_string().into_bytes()]);
    }

    let response = OutgoingResponse::new(headers);
    if response.set_status_code(answer.status).is_err() {
        output::write_err(format!("jspkg: invalid status {}\n", answer.status).as_bytes());
        let _ = response.set_status_code(500);
    }
    let Ok(body) = response.body() else {
        unreachable!("a new response's body is taken once")
    };
    ResponseOutparam::set(response_out, Ok(response));
    let Ok(stream) = body.write() else {
        unreachable!("a new body's stream is taken once")
    };
    Some((body, stream))
}
