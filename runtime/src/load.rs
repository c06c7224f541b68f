//! Loading an app: a self-contained component (`jspkg build` output),
//! compiled through the cache and linked once into an `InstancePre`.

use crate::cache::CacheOutcome;
use crate::engine::Runtime;
use crate::error::RuntimeError;
use crate::host::Host;
use jspkg_artifact::Digest;
use std::time::{Duration, Instant};
use wasmtime::component::{Component, Linker};
use wasmtime_wasi::p2::bindings::CommandPre;

/// An app ready to be instantiated, once per call.
pub struct LoadedApp {
    pub(crate) command: CommandPre<Host>,
    /// Digest of the compiled component.
    pub component_digest: Digest,
    /// Whether the component came from the compile cache.
    pub cache: CacheOutcome,
    /// Time spent compiling or deserializing the component.
    pub component_time: Duration,
}

impl Runtime {
    /// Compiles (or fetches from the cache) and links an app component.
    pub fn load(&self, component_bytes: &[u8]) -> Result<LoadedApp, RuntimeError> {
        let started = Instant::now();
        let (component, cache) =
            self.cache
                .component(&self.engine, component_bytes, "the component")?;
        let component_time = started.elapsed();

        let mut linker: Linker<Host> = Linker::new(&self.engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker).map_err(link_err)?;
        let command = command_pre(&component, &linker)?;
        Ok(LoadedApp {
            command,
            component_digest: Digest::of(component_bytes),
            cache,
            component_time,
        })
    }
}

/// The component's `wasi:cli/run` export, linked.
fn command_pre(
    component: &Component,
    linker: &Linker<Host>,
) -> Result<CommandPre<Host>, RuntimeError> {
    let engine = component.engine();
    let exports: Vec<String> = component
        .component_type()
        .exports(engine)
        .map(|(name, _)| name.to_string())
        .collect();
    if !exports.iter().any(|e| e.starts_with("wasi:cli/run@0.2")) {
        return Err(RuntimeError::Link(format!(
            "the component does not export `wasi:cli/run@0.2` (its exports: {})",
            if exports.is_empty() {
                "none".to_string()
            } else {
                exports.join(", ")
            }
        )));
    }
    let pre = linker.instantiate_pre(component).map_err(link_err)?;
    CommandPre::new(pre).map_err(link_err)
}

pub(crate) fn link_err(e: impl std::fmt::Display) -> RuntimeError {
    RuntimeError::Link(format!("{e:#}"))
}
