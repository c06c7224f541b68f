// fetch(): outgoing HTTP requests on wasi:http/outgoing-handler
// (fetch_natives.rs), in both worlds. Evaluated once, at build time, after
// web.js, with the natives and the hooks; fetch itself runs only in a call
// (main, or a request's fetch handler).
//
// The request's head goes out when fetch is called; its body (bytes or a
// ReadableStream) is written as the host takes it while the response is
// awaited, both on the event loop (body_streams.rs, the I/O of
// event_loop.rs), so timers and other requests go on meanwhile. The
// response's body is a ReadableStream read as it arrives. Redirects are
// followed as the Fetch Standard says (up to 20; `redirect: "manual"` and
// `"error"`), an `AbortSignal` aborts, and every failure rejects with
// node's `TypeError: fetch failed` whose `cause` says why. The host decides
// where requests may go (jspkg run/serve --allow-host): a refused request
// fails like an unreachable one, with the reason in `cause`.
(function (native, hooks) {
  "use strict";

  const internals = hooks.fetchInternals;
  delete hooks.fetchInternals;
  const pump = hooks.httpPump;

  const define = (obj, name, value) =>
    Object.defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: false });

  // Run time starts with the first call into the app.
  let running = false;
  const beforeRun = hooks.beforeRun;
  hooks.beforeRun = function () {
    beforeRun();
    running = true;
  };

  const REDIRECT_STATUSES = [301, 302, 303, 307, 308];
  const NULL_BODY_STATUSES = [101, 103, 204, 205, 304];
  const MAX_REDIRECTS = 20;
  // The Fetch Standard's request-body-header names, dropped when a redirect
  // turns the request into a GET.
  const REQUEST_BODY_HEADERS = ["content-encoding", "content-language", "content-location", "content-type"];
  const REDIRECT_MODES = ["follow", "error", "manual"];
  // What the server most likely said (wasi:http does not pass the reason
  // phrase on): HTTP's own phrases, as node's servers send them.
  const REASONS = {
    100: "Continue", 101: "Switching Protocols", 200: "OK", 201: "Created", 202: "Accepted",
    203: "Non-Authoritative Information", 204: "No Content", 205: "Reset Content", 206: "Partial Content",
    300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
    307: "Temporary Redirect", 308: "Permanent Redirect", 400: "Bad Request", 401: "Unauthorized",
    402: "Payment Required", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
    406: "Not Acceptable", 408: "Request Timeout", 409: "Conflict", 410: "Gone", 411: "Length Required",
    412: "Precondition Failed", 413: "Payload Too Large", 414: "URI Too Long", 415: "Unsupported Media Type",
    416: "Range Not Satisfiable", 417: "Expectation Failed", 418: "I'm a Teapot", 422: "Unprocessable Entity",
    425: "Too Early", 426: "Upgrade Required", 428: "Precondition Required", 429: "Too Many Requests",
    431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons", 500: "Internal Server Error",
    501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
    505: "HTTP Version Not Supported",
  };

  // node's (undici's) error: a TypeError whose cause says what went wrong.
  function failed(cause) {
    return new TypeError("fetch failed", { cause: typeof cause === "string" ? new Error(cause) : cause });
  }

  // Writes `bytes` to the outgoing body `handle` as the host takes them.
  async function writeBytes(handle, bytes) {
    let at = 0;
    while (at < bytes.byteLength) {
      at += native.outWrite(handle, at === 0 ? bytes : bytes.subarray(at));
      if (at < bytes.byteLength) await new Promise((resolve) => native.outReady(handle, resolve));
    }
  }

  // Sends one request (no redirects) and resolves to the response's head
  // and body handle; `body` is { bytes, stream } or null.
  function send(method, url, headers, body, signal) {
    const target = new URL(url);
    const scheme = target.protocol.slice(0, -1);
    if (scheme !== "http" && scheme !== "https") {
      return Promise.reject(failed(`unknown scheme: ${target.protocol} (fetch supports http: and https:)`));
    }
    const list = headers.slice();
    const has = (name) => list.some(([n]) => n === name);
    if (!has("accept")) list.push(["accept", "*/*"]);
    const bytes = body === null ? null : body.bytes;
    const stream = body === null ? null : body.stream;
    const hasBody = bytes !== null || stream !== null;
    if (bytes !== null && !has("content-length")) list.push(["content-length", String(bytes.byteLength)]);
    if (!hasBody && (method === "POST" || method === "PUT") && !has("content-length")) {
      list.push(["content-length", "0"]);
    }
    let started;
    try {
      started = native.fetchStart(method, scheme, target.host, target.pathname + target.search, list, hasBody);
    } catch (e) {
      return Promise.reject(failed(e));
    }
    const [request, bodyHandle] = started;
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (f, v) => {
        if (settled) return;
        settled = true;
        if (signal !== null) signal.removeEventListener("abort", onAbort);
        f(v);
      };
      const onAbort = () => {
        native.fetchCancel(request);
        settle(reject, signal.reason);
      };
      if (signal !== null) signal.addEventListener("abort", onAbort);
      if (bodyHandle >= 0) {
        // The body goes out while the response is awaited; a body that
        // fails breaks the request off.
        (stream !== null ? pump(stream, bodyHandle) : writeBytes(bodyHandle, bytes)).then(
          () => native.fetchFinish(bodyHandle, true),
          (e) => {
            native.fetchFinish(bodyHandle, false);
            native.fetchCancel(request);
            settle(reject, failed(e));
          },
        );
      }
      const step = () => {
        if (settled) return;
        let head;
        try {
          head = native.fetchPoll(request);
        } catch (e) {
          settle(reject, failed(e));
          return;
        }
        if (head === null) native.fetchReady(request, step);
        else settle(resolve, head);
      };
      step();
    });
  }

  // A plain function, so that a call at build time throws where it is made
  // (the build error names the app's line); everything else rejects.
  function fetch(input, init = undefined) {
    if (!running) {
      throw new Error(
        "fetch cannot be called at build time: top-level code runs once, when jspkg build takes the snapshot, " +
          "and the snapshot holds no pending work (call fetch from main or fetch)",
      );
    }
    return send_(arguments.length, input, init);
  }

  async function send_(count, input, init) {
    if (count < 1) {
      throw new TypeError("Failed to execute 'fetch' on 'Window': 1 argument required, but only 0 present.");
    }
    // The request checks `init.signal`, and takes the input request's
    // signal when `init` has none.
    const request = new Request(input, init);
    const options = init === undefined || init === null ? {} : init;
    let { method, url, headers, body, signal } = internals.requestParts(request);
    const mode = options.redirect === undefined ? "follow" : String(options.redirect);
    if (!REDIRECT_MODES.includes(mode)) {
      throw new TypeError(`Failed to construct 'Request': The provided value '${mode}' is not a valid enum value of type RequestRedirect.`);
    }
    if (signal !== null && signal.aborted) throw signal.reason;

    body = body.bytes === null && body.stream === null ? null : internals.take(body);
    let redirects = 0;
    for (;;) {
      const [status, responseHeaders, handle] = await send(method, url, headers, body, signal);
      // Names and values alternating (fetch_natives.rs).
      let location;
      for (let i = 0; i + 1 < responseHeaders.length; i += 2) {
        if (responseHeaders[i].toLowerCase() === "location") {
          location = responseHeaders[i + 1];
          break;
        }
      }
      const isRedirect = REDIRECT_STATUSES.includes(status) && location !== undefined;
      if (!isRedirect || mode === "manual") {
        const noBody = method === "HEAD" || NULL_BODY_STATUSES.includes(status);
        return internals.response({
          status,
          statusText: REASONS[status] ?? "",
          headers: responseHeaders,
          handle: noBody ? -1 : handle,
          url,
          redirected: redirects > 0,
        });
      }
      if (mode === "error") throw failed("unexpected redirect");
      let next;
      try {
        next = new URL(location, url);
      } catch (e) {
        throw failed(e);
      }
      if (next.protocol !== "http:" && next.protocol !== "https:") throw failed("URL scheme must be a HTTP(S) scheme");
      if (++redirects > MAX_REDIRECTS) throw failed("redirect count exceeded");
      if ((status === 303 && method !== "GET" && method !== "HEAD") || ((status === 301 || status === 302) && method === "POST")) {
        method = "GET";
        body = null;
        headers = headers.filter(([n]) => !REQUEST_BODY_HEADERS.includes(n) && n !== "content-length");
      } else if (body !== null && body.stream !== null) {
        // A stream cannot be sent twice (the standard's network error).
        throw failed("cannot follow a redirect with a body given as a ReadableStream");
      }
      if (new URL(url).origin !== next.origin) {
        headers = headers.filter(([n]) => n !== "authorization" && n !== "cookie" && n !== "proxy-authorization");
      }
      url = next.href;
    }
  }

  define(globalThis, "fetch", fetch);
});
