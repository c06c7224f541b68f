//! Serving HTTP apps (`wasi:http/incoming-handler`) over HTTP/1.1.
//!
//! - Every request gets a fresh store and instance from its app's
//!   `InstancePre` (a copy-on-write image of the snapshot): no state crosses
//!   requests.
//! - All apps share the [`Runtime`]: one wasmtime engine, one pooling
//!   allocator, one compile cache. At most [`Runtime::max_instances`]
//!   instances live at once; requests beyond that wait for a slot.
//! - A request whose instance traps, runs past the time limit or past the
//!   memory limit gets a 5xx (`504` time, `503` memory, `500` otherwise), is
//!   logged (`warn`), and the server goes on. A guest that fails after it
//!   has sent the response head can only cut the body short: the
//!   connection is closed, nothing else is affected.
//! - Several apps are served under path prefixes; a request goes to the
//!   longest prefix that matches on a segment boundary, and the app sees the
//!   full original URL.

use crate::engine::Runtime;
use crate::error::RuntimeError;
use crate::load::{Entry, LoadedApp};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::http::uri::{Authority, PathAndQuery, Uri};
use hyper::server::conn::http1;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use wasmtime_wasi::WasiCtxBuilder;
use wasmtime_wasi_http::WasiHttpView;
use wasmtime_wasi_http::io::TokioIo;
use wasmtime_wasi_http::p2::bindings::http::types::Scheme;
use wasmtime_wasi_http::p2::body::HyperOutgoingBody;

/// A response the server sends.
pub type HttpResponse = hyper::Response<HyperOutgoingBody>;

/// One app the server serves, under a path prefix.
struct Route {
    /// `""` for the root, else `/seg/seg` (no trailing slash).
    prefix: String,
    /// What the logs call the app (its file or reference).
    name: String,
    app: Arc<LoadedApp>,
}

/// An HTTP server for one or more HTTP apps on one [`Runtime`].
pub struct HttpServer {
    runtime: Arc<Runtime>,
    /// Longest prefix first.
    routes: Vec<Route>,
    instances: Arc<Semaphore>,
    /// The runtime's time limit per request.
    timeout: Duration,
}

impl HttpServer {
    /// A server with no apps yet, on `runtime`, which must have a time
    /// limit ([`crate::Limits::timeout`]): a request that computes yields
    /// to the others at every epoch tick and is stopped at the limit.
    pub fn new(runtime: Arc<Runtime>) -> Result<Self, RuntimeError> {
        let timeout = runtime
            .limits()
            .timeout
            .ok_or_else(|| RuntimeError::Setup("a server needs a time limit per request".into()))?;
        let slots = runtime.max_instances().max(1) as usize;
        Ok(Self {
            runtime,
            routes: Vec::new(),
            instances: Arc::new(Semaphore::new(slots)),
            timeout,
        })
    }

    /// Serves `app` (named `name` in logs) for the paths under `prefix`
    /// (`/` for all paths, `/api` for `/api` and `/api/…`). Refuses an app
    /// that is not an HTTP handler, and a prefix already taken.
    pub fn add_app(
        &mut self,
        prefix: &str,
        name: impl Into<String>,
        app: Arc<LoadedApp>,
    ) -> Result<(), RuntimeError> {
        let name = name.into();
        if !matches!(app.entry, Entry::Http(_)) {
            return Err(RuntimeError::WrongKind {
                kind: app.kind(),
                hint: "run it with `jspkg run`",
            });
        }
        let prefix = normalize_prefix(prefix)?;
        if let Some(other) = self.routes.iter().find(|r| r.prefix == prefix) {
            return Err(RuntimeError::Artifact(format!(
                "two apps for the prefix `{}`: {} and {name}",
                display_prefix(&prefix),
                other.name
            )));
        }
        self.routes.push(Route { prefix, name, app });
        self.routes
            .sort_by_key(|r| std::cmp::Reverse(r.prefix.len()));
        Ok(())
    }

    /// The prefixes served, longest first, with the app names.
    pub fn routes(&self) -> impl Iterator<Item = (&str, &str)> {
        self.routes
            .iter()
            .map(|r| (display_prefix(&r.prefix), r.name.as_str()))
    }

    fn route(&self, path: &str) -> Option<&Route> {
        self.routes.iter().find(|r| {
            r.prefix.is_empty()
                || path
                    .strip_prefix(r.prefix.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    }

    /// Answers one request: routes it, runs its app in a fresh instance,
    /// and turns any failure into a 4xx/5xx (logged). `local` is the address
    /// the request came in on (the authority when it has no `Host`).
    pub async fn handle<B>(&self, req: hyper::Request<B>, local: SocketAddr) -> HttpResponse
    where
        B: hyper::body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<wasmtime_wasi_http::Error>,
    {
        let method = req.method().clone();
        let uri = req.uri().clone();
        let Some(route) = self.route(uri.path()) else {
            return text_response(404, format!("no app is served at {}\n", uri.path()));
        };
        match self.call(route, req, local).await {
            Ok(response) => response,
            Err(e) => {
                tracing::warn!(app = %route.name, %method, %uri, "request failed: {e}");
                error_response(&e)
            }
        }
    }

    /// Runs `route`'s app on `req` in a fresh instance.
    async fn call<B>(
        &self,
        route: &Route,
        req: hyper::Request<B>,
        local: SocketAddr,
    ) -> Result<HttpResponse, RuntimeError>
    where
        B: hyper::body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<wasmtime_wasi_http::Error>,
    {
        let Entry::Http(pre) = &route.app.entry else {
            unreachable!("add_app admits HTTP handlers only")
        };
        let pre = pre.clone();
        let uri = req.uri().to_string();
        let req = with_authority(req, local)?;
        // A slot of the pooling allocator: held until the store is gone.
        let permit = self
            .instances
            .clone()
            .acquire_owned()
            .await
            .expect("the instance semaphore is never closed");

        let mut wasi = WasiCtxBuilder::new();
        // `console.log` and errors of a handler show on the server's streams.
        wasi.inherit_stdout().inherit_stderr();
        let mut store = self.runtime.new_store(wasi);
        // A guest that computes gives its thread back to the executor at
        // every epoch tick instead of trapping at the deadline: requests
        // queued on the same worker thread go on being served meanwhile, and
        // the wall-clock timeout below stops it (dropping the call).
        store.set_epoch_deadline(1);
        store.epoch_deadline_async_yield_and_update(1);
        let internal = |e: wasmtime::Error| RuntimeError::Trap(format!("{e:#}"));
        let (sender, receiver) = tokio::sync::oneshot::channel();
        let req = store
            .data_mut()
            .http()
            .new_incoming_request(Scheme::Http, req)
            .map_err(internal)?;
        let out = store
            .data_mut()
            .http()
            .new_response_outparam(sender)
            .map_err(internal)?;

        // The guest runs in its own task: it may go on writing the body
        // after it has handed the response head over. The wall-clock
        // timeout stops a guest that computes too long (it yields at every
        // epoch tick) or waits too long (e.g. for a request body that never
        // comes).
        let runtime = self.runtime.clone();
        let timeout = self.timeout;
        let task = tokio::task::spawn(async move {
            let result = tokio::time::timeout(timeout, async {
                let proxy = pre.instantiate_async(&mut store).await?;
                proxy
                    .wasi_http_incoming_handler()
                    .call_handle(&mut store, req, out)
                    .await
            })
            .await;
            drop(store);
            drop(permit);
            match result {
                Ok(Ok(())) => Ok(()),
                Ok(Err(e)) => Err(runtime.classify_trap(e)),
                Err(_elapsed) => Err(RuntimeError::Timeout(timeout)),
            }
        });

        match receiver.await {
            Ok(Ok(response)) => {
                // The head is on its way; a failure now can only cut the
                // body short (hyper then closes the connection). Log it.
                let app = route.name.clone();
                tokio::task::spawn(async move {
                    match task.await {
                        Ok(Ok(())) => {}
                        Ok(Err(e)) => tracing::warn!(
                            %app, %uri,
                            "request failed after the response head was sent: {e}"
                        ),
                        Err(e) => tracing::warn!(%app, %uri, "request task failed: {e}"),
                    }
                });
                Ok(response)
            }
            Ok(Err(code)) => {
                let _ = task.await;
                Err(RuntimeError::Trap(format!(
                    "the app answered with an error instead of a response: {code:?}"
                )))
            }
            Err(_) => match task.await {
                Ok(Err(e)) => Err(e),
                Ok(Ok(())) => Err(RuntimeError::Trap(
                    "the app returned without setting a response".into(),
                )),
                Err(e) => Err(RuntimeError::Trap(format!("the request task failed: {e}"))),
            },
        }
    }

    /// Serves on `listener` until `shutdown` resolves, then stops accepting,
    /// lets the requests in flight finish (each is bounded by the time
    /// limit) and returns. Each connection is a task; each request a fresh
    /// instance.
    pub async fn serve(
        self: Arc<Self>,
        listener: tokio::net::TcpListener,
        shutdown: impl Future<Output = ()>,
    ) -> std::io::Result<()> {
        let listen_addr = listener.local_addr()?;
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let mut connections = tokio::task::JoinSet::new();
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    let (stream, peer) = match accepted {
                        Ok(a) => a,
                        Err(e) => {
                            // Out of file descriptors and the like: wait a bit.
                            tracing::warn!("accepting a connection failed: {e}");
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            continue;
                        }
                    };
                    let local = stream.local_addr().unwrap_or(listen_addr);
                    let _ = stream.set_nodelay(true);
                    let server = self.clone();
                    let stop = stop_rx.clone();
                    connections.spawn(server.connection(stream, peer, local, stop));
                }
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
                () = &mut shutdown => break,
            }
        }
        drop(listener);
        let _ = stop_tx.send(true);
        let grace = self.timeout + Duration::from_secs(1);
        let drained = tokio::time::timeout(grace, async {
            while connections.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            tracing::warn!(
                "{} connection(s) still open after {grace:?}: closing them",
                connections.len()
            );
            connections.shutdown().await;
        }
        Ok(())
    }

    /// One HTTP/1.1 connection, until the client closes it or the server
    /// stops (then after the request in flight).
    async fn connection(
        self: Arc<Self>,
        stream: tokio::net::TcpStream,
        peer: SocketAddr,
        local: SocketAddr,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) {
        let service = hyper::service::service_fn(move |req| {
            let server = self.clone();
            async move { Ok::<_, std::convert::Infallible>(server.handle(req, local).await) }
        });
        let conn = http1::Builder::new()
            .keep_alive(true)
            .serve_connection(TokioIo::new(stream), service);
        tokio::pin!(conn);
        let stopping = async {
            let _ = stop.wait_for(|s| *s).await;
        };
        let finished = tokio::select! {
            r = conn.as_mut() => Some(r),
            () = stopping => None,
        };
        let result = match finished {
            Some(r) => r,
            None => {
                conn.as_mut().graceful_shutdown();
                conn.await
            }
        };
        if let Err(e) = result {
            tracing::debug!(%peer, "connection ended: {e}");
        }
    }
}

/// `prefix` as routes keep it: `""` for `/`, else `/a/b`.
fn normalize_prefix(prefix: &str) -> Result<String, RuntimeError> {
    if !prefix.starts_with('/') {
        return Err(RuntimeError::Artifact(format!(
            "the path prefix `{prefix}` must start with `/`"
        )));
    }
    if prefix.contains(['?', '#']) {
        return Err(RuntimeError::Artifact(format!(
            "the path prefix `{prefix}` must be a path (no `?` or `#`)"
        )));
    }
    Ok(prefix.trim_end_matches('/').to_string())
}

fn display_prefix(prefix: &str) -> &str {
    if prefix.is_empty() { "/" } else { prefix }
}

/// The request with an absolute URI: scheme `http`, the authority from the
/// `Host` header, else the address the request came in on. (hyper gives a
/// server the request target as sent: usually just path and query.)
fn with_authority<B>(
    req: hyper::Request<B>,
    local: SocketAddr,
) -> Result<hyper::Request<B>, RuntimeError> {
    if req.uri().authority().is_some() {
        return Ok(req);
    }
    let (mut parts, body) = req.into_parts();
    let authority = parts
        .headers
        .get(hyper::header::HOST)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.parse::<Authority>().ok())
        .filter(|a| !a.as_str().is_empty())
        .map(Ok)
        .unwrap_or_else(|| local.to_string().parse::<Authority>())
        .map_err(|e| RuntimeError::Trap(format!("no authority for the request: {e}")))?;
    let path = parts
        .uri
        .path_and_query()
        .cloned()
        .unwrap_or_else(|| PathAndQuery::from_static("/"));
    parts.uri = Uri::builder()
        .scheme("http")
        .authority(authority)
        .path_and_query(path)
        .build()
        .map_err(|e| RuntimeError::Trap(format!("cannot build the request URL: {e}")))?;
    Ok(hyper::Request::from_parts(parts, body))
}

/// A plain-text response with `status`.
pub fn text_response(status: u16, body: impl Into<Bytes>) -> HttpResponse {
    hyper::Response::builder()
        .status(status)
        .header("content-type", "text/plain; charset=utf-8")
        .body(
            Full::new(body.into())
                .map_err(|never| match never {})
                .boxed_unsync(),
        )
        .expect("a plain-text response is valid")
}

/// The response for a request that failed in the host or the guest:
/// `504` past the time limit, `503` past the memory limit, `500` otherwise.
pub fn error_response(e: &RuntimeError) -> HttpResponse {
    let status = match e {
        RuntimeError::Timeout(_) => 504,
        RuntimeError::MemoryLimit(_) => 503,
        _ => 500,
    };
    text_response(status, format!("{e}\n"))
}
