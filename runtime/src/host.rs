//! The per-store host state: WASI, WASI HTTP and resource limits.

use crate::outgoing::{AllowedHosts, OutgoingHttp};
use wasmtime::StoreLimits;
use wasmtime::component::ResourceTable;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

/// What one store (one instance, one call) holds.
pub struct Host {
    pub(crate) wasi: WasiCtx,
    pub(crate) http: WasiHttpCtx,
    pub(crate) hooks: OutgoingHttp,
    pub(crate) table: ResourceTable,
    pub(crate) limits: StoreLimits,
}

impl Host {
    pub(crate) fn new(wasi: WasiCtx, limits: StoreLimits, allowed: AllowedHosts) -> Self {
        Self {
            wasi,
            http: WasiHttpCtx::new(),
            hooks: OutgoingHttp::new(allowed),
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
