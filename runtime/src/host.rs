//! The per-store host state: WASI and resource limits.

use wasmtime::StoreLimits;
use wasmtime::component::ResourceTable;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

/// What one store (one instance, one call) holds.
pub struct Host {
    pub(crate) wasi: WasiCtx,
    pub(crate) table: ResourceTable,
    pub(crate) limits: StoreLimits,
}

impl Host {
    pub(crate) fn new(wasi: WasiCtx, limits: StoreLimits) -> Self {
        Self {
            wasi,
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
