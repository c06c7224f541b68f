//! The per-store host state: WASI, WASI HTTP and resource limits.

use wasmtime::StoreLimits;
use wasmtime::component::ResourceTable;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::{WasiBody, WasiHttpCtx, WasiHttpCtxView, WasiHttpHooks, WasiHttpView};

/// What one store (one instance, one call) holds.
pub struct Host {
    pub(crate) wasi: WasiCtx,
    pub(crate) http: WasiHttpCtx,
    pub(crate) hooks: NoOutgoingHttp,
    pub(crate) table: ResourceTable,
    pub(crate) limits: StoreLimits,
}

impl Host {
    pub(crate) fn new(wasi: WasiCtx, limits: StoreLimits) -> Self {
        Self {
            wasi,
            http: WasiHttpCtx::new(),
            hooks: NoOutgoingHttp,
            table: ResourceTable::new(),
            limits,
        }
    }
}

impl WasiView for Host {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for Host {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: &mut self.hooks,
        }
    }
}

/// The `wasi:http` hooks of a jspkg instance: the defaults, except that
/// outgoing requests (`wasi:http/outgoing-handler`) are refused — the engine
/// offers no `fetch` to apps, and a server should not make requests on an
/// app's behalf that nobody configured.
pub struct NoOutgoingHttp;

impl WasiHttpHooks for NoOutgoingHttp {
    fn send_request(
        &mut self,
        _request: hyper::http::Request<WasiBody>,
        _options: Option<wasmtime_wasi_http::RequestOptions>,
        _fut: Box<dyn Future<Output = wasmtime_wasi_http::Result<()>> + Send>,
    ) -> Box<
        dyn Future<
                Output = wasmtime_wasi_http::Result<(
                    hyper::http::Response<WasiBody>,
                    Box<dyn Future<Output = wasmtime_wasi_http::Result<()>> + Send>,
                )>,
            > + Send,
    > {
        Box::new(async { Err(wasmtime_wasi_http::Error::HttpRequestDenied) })
    }
}
