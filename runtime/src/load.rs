//! Loading apps. Two shapes:
//!
//! - a self-contained component (`jspkg build` or `jspkg compose` output):
//!   compiled through the cache, linked once ([`Runtime::load_component`]);
//! - a split app: the code-only engine component, compiled once and kept
//!   ([`Runtime::load_engine`]), and per app the data-only module, handed to
//!   the engine's core-module import at link time ([`LoadedEngine::link_app`]).
//!
//! Either way the result is a [`LoadedApp`]: an `InstancePre`, from which
//! every call makes a fresh instance. What the app's component exports
//! decides its [`AppKind`]: a command (`wasi:cli/run`, `jspkg run`) or an
//! HTTP handler (`wasi:http/incoming-handler`, `jspkg serve`).

use crate::cache::CacheOutcome;
use crate::engine::Runtime;
use crate::error::RuntimeError;
use crate::host::Host;
use jspkg_artifact::{Digest, PreparedEngine, SNAPSHOT_IMPORT};
use std::time::{Duration, Instant};
use wasmtime::component::{Component, Linker};
use wasmtime_wasi::p2::bindings::CommandPre;
use wasmtime_wasi_http::p2::bindings::ProxyPre;

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

/// What an app is, by the entry point its component exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppKind {
    /// A command: exports `wasi:cli/run@0.2.*` (`jspkg run`).
    Cli,
    /// An HTTP handler: exports `wasi:http/incoming-handler@0.2.*`
    /// (`jspkg serve`).
    Http,
}

impl std::fmt::Display for AppKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AppKind::Cli => "a command",
            AppKind::Http => "an HTTP handler",
        })
    }
}

/// The linked entry point of an app.
#[derive(Clone)]
pub(crate) enum Entry {
    Cli(CommandPre<Host>),
    Http(ProxyPre<Host>),
}

/// An app ready to be instantiated, once per call.
pub struct LoadedApp {
    pub(crate) entry: Entry,
    /// Digest of the compiled component (the engine's, for a split app).
    pub component_digest: Digest,
    /// Whether the component came from the compile cache (for a split app:
    /// the engine).
    pub cache: CacheOutcome,
    /// Time spent compiling or deserializing the component.
    pub component_time: Duration,
    /// Time spent turning the app into a linked data module, step by step
    /// (split apps only).
    pub data_steps: DataSteps,
}

/// Where a split app's load time went, after the engine (all zero for a
/// self-contained component).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DataSteps {
    /// Checking the app against the engine and expanding its data module
    /// (the memory image decompressed against the engine's reference image,
    /// the data module's digest checked).
    pub expand: Duration,
    /// Compiling the data module (laying out its copy-on-write image), or
    /// reading it from the compile cache.
    pub compile: Duration,
    /// Linking it into the engine's `InstancePre`.
    pub link: Duration,
    /// Whether the data module came from the compile cache: the app was
    /// checked against the engine but neither expanded nor compiled.
    pub cached: bool,
}

impl DataSteps {
    /// The three steps together: the app's bytes to a linked data module.
    pub fn total(&self) -> Duration {
        self.expand + self.compile + self.link
    }
}

impl LoadedApp {
    /// Whether the app is a command or an HTTP handler.
    pub fn kind(&self) -> AppKind {
        match self.entry {
            Entry::Cli(_) => AppKind::Cli,
            Entry::Http(_) => AppKind::Http,
        }
    }
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
        // The cache hashes the bytes for its key; that digest is the app's.
        let (component, cache, component_digest) =
            self.cache.component(&self.engine, bytes, "the component")?;
        let component_time = started.elapsed();
        let linker = self.wasi_linker()?;
        Ok(LoadedApp {
            entry: entry_point(&component, &linker)?,
            component_digest,
            cache,
            component_time,
            data_steps: DataSteps::default(),
        })
    }

    /// Compiles (or fetches from the cache) a code-only engine component.
    pub fn load_engine(&self, bytes: &[u8]) -> Result<LoadedEngine, RuntimeError> {
        let started = Instant::now();
        // The engine's metadata first (a file that is not an engine is
        // refused before it is compiled); wasmtime validates it when it
        // compiles it, so it is not validated again here, and its digest
        // (the apps' pin) is the cache's key.
        let digest = Digest::of(bytes);
        let prepared = PreparedEngine::unvalidated(bytes, digest)
            .map_err(|e| RuntimeError::Artifact(e.to_string()))?;
        let (component, cache, _) = self.cache.component_with_digest(
            &self.engine,
            bytes,
            digest,
            "the engine component",
        )?;
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
        // wasi:http/types and outgoing-handler, for HTTP handlers (the rest of
        // the wasi:http/proxy world is WASI p2, added above).
        wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker).map_err(link_err)?;
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
        let artifact_err = |e: jspkg_artifact::ComposeError| RuntimeError::Artifact(e.to_string());
        let checked = self.prepared.check(app).map_err(artifact_err)?;
        let checked_at = Instant::now();
        let mut expand_time = Duration::ZERO;
        let (module, outcome) = runtime.cache.data_module(
            &runtime.engine,
            data_module_key(self.digest, app),
            "the app's data module",
            |compile| {
                let t = Instant::now();
                let bytes = checked.expand_unverified().map_err(artifact_err)?;
                expand_time = t.elapsed();
                // The module's digest is checked while wasmtime compiles it
                // (hashing 4 MB takes ~3 ms, as long as the compilation);
                // nothing runs or is cached before the check has passed.
                let (verified, compiled) = std::thread::scope(|s| {
                    let hashing = std::thread::Builder::new()
                        .name("jspkg-verify".into())
                        .spawn_scoped(s, || checked.verify(&bytes));
                    match hashing {
                        Ok(hashing) => {
                            let compiled = compile(&bytes);
                            let verified = hashing
                                .join()
                                .unwrap_or_else(|p| std::panic::resume_unwind(p));
                            (verified, compiled)
                        }
                        // No thread to be had: one after the other.
                        Err(_) => (checked.verify(&bytes), compile(&bytes)),
                    }
                });
                verified.map_err(artifact_err)?;
                compiled
            },
        )?;
        let compiled = Instant::now();
        let mut linker = self.linker.clone();
        linker
            .root()
            .module(SNAPSHOT_IMPORT, &module)
            .map_err(link_err)?;
        let entry = entry_point(&self.component, &linker)?;
        let linked = Instant::now();
        Ok(LoadedApp {
            entry,
            component_digest: self.digest,
            cache: self.cache,
            component_time: self.compile_time,
            data_steps: DataSteps {
                expand: checked_at - started + expand_time,
                compile: (compiled - checked_at).saturating_sub(expand_time),
                link: linked - compiled,
                cached: outcome == CacheOutcome::Hit,
            },
        })
    }
}

/// The compile cache's key for the data module of `app` on the engine
/// `engine`: what the module's bytes are a function of (FORMAT.md §10: the
/// app's bytes and the engine's reference image). A cached app is then
/// neither expanded nor hashed whole again (its image is ~10 MB, its file
/// ~120 KB); the module's own digest is checked when it is compiled, so a
/// tampered app never reaches the cache under any key.
fn data_module_key(engine: Digest, app: &[u8]) -> Digest {
    use sha2::Digest as _;
    let mut h = sha2::Sha256::new();
    h.update(b"jspkg data module of app\0");
    h.update(engine.as_bytes());
    h.update(Digest::of(app).as_bytes());
    Digest::from_bytes(h.finalize().into())
}

/// The component's entry point, linked: `wasi:http/incoming-handler` or
/// `wasi:cli/run` (0.2.*), whichever it exports.
fn entry_point(component: &Component, linker: &Linker<Host>) -> Result<Entry, RuntimeError> {
    let engine = component.engine();
    let exports: Vec<String> = component
        .component_type()
        .exports(engine)
        .map(|(name, _)| name.to_string())
        .collect();
    let has = |prefix: &str| exports.iter().any(|e| e.starts_with(prefix));
    let (http, cli) = (
        has("wasi:http/incoming-handler@0.2"),
        has("wasi:cli/run@0.2"),
    );
    if !http && !cli {
        return Err(RuntimeError::Link(format!(
            "the component exports neither `wasi:cli/run@0.2` nor \
             `wasi:http/incoming-handler@0.2` (its exports: {})",
            if exports.is_empty() {
                "none".to_string()
            } else {
                exports.join(", ")
            }
        )));
    }
    let pre = linker.instantiate_pre(component).map_err(link_err)?;
    if http {
        ProxyPre::new(pre).map(Entry::Http).map_err(link_err)
    } else {
        CommandPre::new(pre).map(Entry::Cli).map_err(link_err)
    }
}

pub(crate) fn link_err(e: impl std::fmt::Display) -> RuntimeError {
    RuntimeError::Link(format!("{e:#}"))
}
