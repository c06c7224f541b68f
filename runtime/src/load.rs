//! Loading apps. Two shapes:
//!
//! - a self-contained component (`jspkg build` or `jspkg compose` output):
//!   compiled through the cache, linked once ([`Runtime::load_component`]);
//! - a split app: the code-only engine component, compiled once and kept
//!   ([`Runtime::load_engine`]), and per app the data-only module, handed to
//!   the engine's core-module import at link time ([`LoadedEngine::link_app`]).
//!
//! Either way the result is a [`LoadedApp`]: an `InstancePre`, from which
//! every call makes a fresh instance.

use crate::cache::CacheOutcome;
use crate::engine::Runtime;
use crate::error::RuntimeError;
use crate::host::Host;
use jspkg_artifact::{Digest, PreparedEngine, SNAPSHOT_IMPORT};
use std::time::{Duration, Instant};
use wasmtime::component::{Component, Linker};
use wasmtime_wasi::p2::bindings::CommandPre;

/// What to load: the two shapes a jspkg app comes in.
#[derive(Debug, Clone, Copy)]
pub enum Artifact<'a> {
    /// A self-contained component: `jspkg build` or `jspkg compose` output.
    Component(&'a [u8]),
    /// A code-only engine component and a data-only app component.
    Split {
        /// The engine component's bytes.
        engine: &'a [u8],
        /// The app component's bytes (full or compact encoding).
        app: &'a [u8],
    },
}

/// An app ready to be instantiated, once per call.
pub struct LoadedApp {
    pub(crate) command: CommandPre<Host>,
    /// Digest of the compiled component (the engine's, for a split app).
    pub component_digest: Digest,
    /// Whether the component came from the compile cache (for a split app:
    /// the engine).
    pub cache: CacheOutcome,
    /// Time spent compiling or deserializing the component.
    pub component_time: Duration,
    /// Time spent turning the app into a linked data module (split apps only).
    pub data_time: Duration,
}

/// A compiled engine component, linked with WASI, ready to take apps.
pub struct LoadedEngine {
    component: Component,
    linker: Linker<Host>,
    prepared: PreparedEngine,
    /// Digest of the engine component's bytes (what apps pin).
    pub digest: Digest,
    /// Whether the engine came from the compile cache.
    pub cache: CacheOutcome,
    /// Time spent compiling or deserializing the engine.
    pub compile_time: Duration,
}

impl Runtime {
    /// Loads either shape of app.
    pub fn load(&self, artifact: Artifact<'_>) -> Result<LoadedApp, RuntimeError> {
        match artifact {
            Artifact::Component(bytes) => self.load_component(bytes),
            Artifact::Split { engine, app } => self.load_engine(engine)?.link_app(self, app),
        }
    }

    /// Compiles (or fetches from the cache) and links a self-contained
    /// component.
    pub fn load_component(&self, bytes: &[u8]) -> Result<LoadedApp, RuntimeError> {
        let started = Instant::now();
        let (component, cache) = self.cache.component(&self.engine, bytes, "the component")?;
        let component_time = started.elapsed();
        let linker = self.wasi_linker()?;
        Ok(LoadedApp {
            command: command_pre(&component, &linker)?,
            component_digest: Digest::of(bytes),
            cache,
            component_time,
            data_time: Duration::ZERO,
        })
    }

    /// Compiles (or fetches from the cache) a code-only engine component.
    pub fn load_engine(&self, bytes: &[u8]) -> Result<LoadedEngine, RuntimeError> {
        let started = Instant::now();
        // Validating the engine and expanding its reference image, once.
        let prepared =
            PreparedEngine::new(bytes).map_err(|e| RuntimeError::Artifact(e.to_string()))?;
        let (component, cache) =
            self.cache
                .component(&self.engine, bytes, "the engine component")?;
        Ok(LoadedEngine {
            component,
            linker: self.wasi_linker()?,
            digest: prepared.digest(),
            prepared,
            cache,
            compile_time: started.elapsed(),
        })
    }

    fn wasi_linker(&self) -> Result<Linker<Host>, RuntimeError> {
        let mut linker: Linker<Host> = Linker::new(&self.engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker).map_err(link_err)?;
        Ok(linker)
    }
}

impl LoadedEngine {
    /// Links an app's data into this engine: checks the app's pin against
    /// this engine's digest, expands the app's memory image, compiles the
    /// data-only module (it has no code: this lays out its copy-on-write
    /// image; cached on disk like the engine) and gives it to the engine's
    /// core-module import.
    pub fn link_app(&self, runtime: &Runtime, app: &[u8]) -> Result<LoadedApp, RuntimeError> {
        let started = Instant::now();
        let data = self
            .prepared
            .data_module(app)
            .map_err(|e| RuntimeError::Artifact(e.to_string()))?;
        let module = runtime
            .cache
            .module(&runtime.engine, &data, "the app's data module")?;
        let mut linker = self.linker.clone();
        linker
            .root()
            .module(SNAPSHOT_IMPORT, &module)
            .map_err(link_err)?;
        let command = command_pre(&self.component, &linker)?;
        Ok(LoadedApp {
            command,
            component_digest: self.digest,
            cache: self.cache,
            component_time: self.compile_time,
            data_time: started.elapsed(),
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
