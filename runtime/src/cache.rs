//! The compile cache: components (engines) and data modules compiled once,
//! kept serialized on disk, keyed by the digest of their bytes and
//! wasmtime's compatibility hash.

use crate::error::RuntimeError;
use jspkg_artifact::Digest;
use sha2::Digest as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::thread::JoinHandle;
use wasmtime::component::Component;
use wasmtime::{Engine, Module};

/// How a component was obtained from the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheOutcome {
    /// Found serialized on disk and deserialized: no compilation.
    Hit,
    /// Compiled now (and stored, when the cache has a directory).
    Compiled,
}

/// Compiled components on disk, under `<dir>/<digest hex>-<compat>.cwasm`.
pub struct CompileCache {
    dir: Option<PathBuf>,
    compat: String,
    /// Writes of data modules still under way ([`Store::Later`]).
    pending: Mutex<Vec<JoinHandle<()>>>,
}

impl CompileCache {
    pub(crate) fn new(dir: Option<PathBuf>, engine: &Engine) -> Self {
        // wasmtime's own hash of everything that makes compiled code
        // compatible (version, target, settings): a different wasmtime or
        // configuration never reads another's artifacts.
        let mut h = sha2::Sha256::new();
        std::hash::Hash::hash(
            &engine.precompile_compatibility_hash(),
            &mut HashWriter(&mut h),
        );
        let compat = hex::encode(&h.finalize()[..8]);
        Self {
            dir,
            compat,
            pending: Mutex::default(),
        }
    }

    /// The path a component with `digest` is cached at, if caching is on.
    pub fn path_for(&self, digest: &Digest) -> Option<PathBuf> {
        self.dir
            .as_ref()
            .map(|d| d.join(format!("{}-{}.cwasm", digest.hex(), self.compat)))
    }

    /// Returns the compiled component `bytes`, from disk when cached, else
    /// compiling and storing them, with the digest of `bytes` (computed once,
    /// for the cache key).
    pub fn component(
        &self,
        engine: &Engine,
        bytes: &[u8],
        what: &'static str,
    ) -> Result<(Component, CacheOutcome, Digest), RuntimeError> {
        self.component_with_digest(engine, bytes, Digest::of(bytes), what)
    }

    /// [`Self::component`] for bytes whose `digest` the caller has
    /// computed (an engine's, to check its apps' pins): a 4 MB engine is
    /// not hashed twice.
    pub fn component_with_digest(
        &self,
        engine: &Engine,
        bytes: &[u8],
        digest: Digest,
        what: &'static str,
    ) -> Result<(Component, CacheOutcome, Digest), RuntimeError> {
        self.cached_as(
            digest,
            what,
            || Component::new(engine, bytes).map_err(|e| compile_err(what, e)),
            Component::serialize,
            Store::Now,
            // SAFETY: see `cached_as`.
            |path| unsafe { Component::deserialize_file(engine, path) },
        )
    }

    /// Returns an app's compiled data module and whether it was cached:
    /// from disk when cached, else from `build`, and stores it. `build`
    /// expands the module and compiles it with the function it is given.
    /// `key` names the module: its bytes must be a function of it (the
    /// digest of the app and engine it is expanded from), so that a cached
    /// app is never expanded again.
    pub fn data_module(
        &self,
        engine: &Engine,
        key: Digest,
        what: &'static str,
        build: impl FnOnce(
            &dyn Fn(&[u8]) -> Result<Module, RuntimeError>,
        ) -> Result<Module, RuntimeError>,
    ) -> Result<(Module, CacheOutcome), RuntimeError> {
        self.cached_as(
            key,
            what,
            || build(&|bytes| Module::new(engine, bytes).map_err(|e| compile_err(what, e))),
            Module::serialize,
            Store::Later,
            // SAFETY: see `cached_as`.
            |path| unsafe { Module::deserialize_file(engine, path) },
        )
        .map(|(m, outcome, _)| (m, outcome))
    }

    /// The cache's one algorithm, for components and modules alike: the
    /// artifact cached under `digest`, else `compile`d and written to disk
    /// when `store` says.
    ///
    /// `deserialize` is only ever given a file this cache wrote with
    /// `serialize` of the same wasmtime configuration (its name carries the
    /// digest and wasmtime's compatibility hash), in a directory only jspkg
    /// writes, atomically: that is what makes deserializing it sound.
    fn cached_as<T: Clone + Send + 'static>(
        &self,
        digest: Digest,
        what: &'static str,
        compile: impl FnOnce() -> Result<T, RuntimeError>,
        serialize: fn(&T) -> wasmtime::Result<Vec<u8>>,
        store: Store,
        deserialize: impl FnOnce(&Path) -> wasmtime::Result<T>,
    ) -> Result<(T, CacheOutcome, Digest), RuntimeError> {
        let path = self.path_for(&digest);
        if let Some(path) = &path
            && path.is_file()
        {
            match deserialize(path) {
                Ok(c) => {
                    tracing::debug!(%digest, path = %path.display(), "compile cache hit: {what}");
                    return Ok((c, CacheOutcome::Hit, digest));
                }
                Err(e) => {
                    tracing::warn!(path = %path.display(), "ignoring unreadable cache entry: {e}")
                }
            }
        }
        tracing::debug!(%digest, "compiling {what}");
        let compiled = compile()?;
        match (path, store) {
            (None, _) => {}
            (Some(path), Store::Now) => write(serialize(&compiled), &path)?,
            (Some(path), Store::Later) => {
                let copy = compiled.clone();
                let writer = std::thread::spawn(move || {
                    if let Err(e) = write(serialize(&copy), &path) {
                        tracing::warn!("the compile cache could not keep {what}: {e}");
                    }
                });
                let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
                pending.retain(|w| !w.is_finished());
                pending.push(writer);
            }
        }
        Ok((compiled, CacheOutcome::Compiled, digest))
    }
}

fn compile_err(what: &'static str, e: wasmtime::Error) -> RuntimeError {
    RuntimeError::Compile {
        what,
        message: format!("{e:#}"),
    }
}

/// When a compiled artifact is written to the cache.
enum Store {
    /// Before it is returned: a failure to write is an error (engines,
    /// whose compilation takes seconds: the write is not what a user waits
    /// for).
    Now,
    /// On a thread of its own, off the path to the app's first result
    /// (data modules: serializing and syncing one took 3-9 ms of the 14 ms
    /// a new app took); a failure to write is logged.
    Later,
}

impl Drop for CompileCache {
    /// Waits for the writes still under way, so that a process that ends
    /// normally leaves every entry it compiled.
    fn drop(&mut self) {
        let pending = std::mem::take(self.pending.get_mut().unwrap_or_else(|e| e.into_inner()));
        for w in pending {
            let _ = w.join();
        }
    }
}

/// Writes a serialized artifact to `path` atomically.
fn write(serialized: wasmtime::Result<Vec<u8>>, path: &Path) -> Result<(), RuntimeError> {
    let io = |source| RuntimeError::Cache {
        path: path.to_path_buf(),
        source,
    };
    let bytes = serialized.map_err(|e| io(std::io::Error::other(format!("{e:#}"))))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    jspkg_artifact::fsutil::write_atomic(path, &bytes).map_err(io)
}

/// Feeds `std::hash::Hash` output into a SHA-256.
struct HashWriter<'a>(&'a mut sha2::Sha256);

impl std::hash::Hasher for HashWriter<'_> {
    fn finish(&self) -> u64 {
        0
    }
    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}
