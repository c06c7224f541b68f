//! `jspkg build`: pre-initialize the engine with an app and make the snapshot
//! a self-contained WASI 0.2 component.
//!
//! 1. The engine core module (see `engine-component/CONTRACT.md`) runs its
//!    `wizer-initialize` export under Wizer with the app's source on stdin:
//!    the app's top-level code runs now, and Wizer writes the resulting
//!    memory and globals into a new core module, whose data segments no
//!    instruction names (Wizer's empty passive ones) are dropped.
//! 2. `wit-component` wraps that module, with wasmtime's preview1 adapter
//!    (the reactor adapter for the cli world, the proxy adapter for the http
//!    world, so that it imports nothing beyond `wasi:http/proxy`), into a
//!    component.
//! 3. A `jspkg` metadata section names the engine and the app.

use crate::build_wasi::{self, BuildWasi};
use crate::engines::{RawEngine, World};
use jspkg_artifact::metadata::{self, AppRef, EngineRef, Kind, Metadata};
use jspkg_artifact::source::{self, BuildOptionsRecord};
use std::time::Duration;

/// Most output an app's top-level code may print at build time that we keep.
const INIT_OUTPUT_LIMIT: usize = 1 << 20;

/// What to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The world the app is written for.
    pub world: World,
    /// The app's name (recorded in the metadata), e.g. `hello`.
    pub app_name: String,
    /// The app's version (recorded in the metadata).
    pub app_version: semver::Version,
    /// The file name shown in messages and stack traces, e.g. `hello.js`.
    pub file_name: String,
    /// The wall-clock time the app's top-level code sees, since the Unix
    /// epoch (see [`build_time_from_env`]). With the clock fixed and the
    /// randomness seeded, a build is a function of the engine and the
    /// source: the same app gives the same bytes.
    pub build_time: Duration,
    /// Record the source and these options in the component (the
    /// `jspkg-source` section, FORMAT.md §12), so that `jspkg rebuild` can
    /// snapshot the app again on another engine. `false`: `--no-source`.
    pub record_source: bool,
}

/// The build time for [`BuildOptions::build_time`]: `$SOURCE_DATE_EPOCH`
/// (seconds, the reproducible-builds convention) when set, else the epoch.
pub fn build_time_from_env() -> Duration {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
        .unwrap_or(Duration::ZERO)
}

/// The result of a successful build.
#[derive(Debug)]
pub struct Built {
    /// The pre-initialized component.
    pub component: Vec<u8>,
    /// What the app's top-level code printed to stdout at build time.
    pub init_stdout: Vec<u8>,
    /// What the app's top-level code printed to stderr at build time.
    pub init_stderr: Vec<u8>,
}

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The app failed while its top-level code ran (syntax error, throw,
    /// missing `main`). The message is the engine's own.
    #[error("{message}")]
    App {
        /// The engine's message, e.g. `app.js:3:7: SyntaxError: ...`.
        message: String,
    },
    /// The file name would break the stdin framing of the init protocol.
    #[error("the app's file name must not contain a line break: {0:?}")]
    BadFileName(String),
    /// Wizer could not pre-initialize the engine.
    #[error("pre-initializing the engine failed: {0}")]
    Snapshot(String),
    /// `wit-component` could not make the snapshot a component.
    #[error("turning the snapshot into a component failed: {0}")]
    Componentize(String),
}

/// Builds `source` into a pre-initialized component on the engine built
/// into this jspkg for `opts.world`.
pub fn build_app(source: &str, opts: &BuildOptions) -> Result<Built, BuildError> {
    build_app_on(&RawEngine::built_in(opts.world), source, opts)
}

/// Builds `source` into a pre-initialized component on `engine`, a raw
/// (not yet pre-initialized) engine core module implementing `opts.world`.
pub fn build_app_on(
    engine: &RawEngine,
    source: &str,
    opts: &BuildOptions,
) -> Result<Built, BuildError> {
    if opts.file_name.contains(['\n', '\r']) {
        return Err(BuildError::BadFileName(opts.file_name.clone()));
    }
    let mut snapshot = snapshot(engine.module(), &opts.file_name, source, opts.build_time)?;
    // Wizer's empty passive segments, one per segment of the engine: none
    // can be observed, and each costs every instantiation.
    if let Some(lean) = jspkg_artifact::snapshot::without_unobservable_data(&snapshot.module)
        .map_err(|e| BuildError::Snapshot(format!("Wizer's output: {e}")))?
    {
        snapshot.module = lean;
    }
    let mut component = componentize(&snapshot.module, opts.world)?;
    if opts.record_source {
        let record = source::encode(
            &opts.file_name,
            &BuildOptionsRecord {
                world: opts.world.as_str().to_string(),
                build_time: opts.build_time.as_secs(),
            },
            source,
        );
        source::append(&mut component, &record);
    }
    metadata::append(
        &mut component,
        &Metadata {
            format: metadata::FORMAT_VERSION,
            kind: Kind::PreInitialized,
            engine: EngineRef {
                name: engine.name.clone(),
                version: engine.version.clone(),
                digest: None,
            },
            app: Some(AppRef {
                name: opts.app_name.clone(),
                version: opts.app_version.clone(),
            }),
            details: Default::default(),
        },
    );
    Ok(Built {
        component,
        init_stdout: snapshot.stdout,
        init_stderr: snapshot.stderr,
    })
}

/// The empty app (`main` does nothing): its snapshot is the engine's
/// initialized state with no app state, the reference image that apps on
/// the built-in engine are delta-encoded against (see `FORMAT.md`). Built
/// with a fixed clock and seed, so it is the same for every split.
pub fn empty_app(world: World) -> Result<Vec<u8>, BuildError> {
    empty_app_on(&RawEngine::built_in(world), world)
}

/// [`empty_app`] on `engine`: the reference image of that engine's splits.
pub fn empty_app_on(engine: &RawEngine, world: World) -> Result<Vec<u8>, BuildError> {
    let source = match world {
        World::Cli => "export function main() {}\n",
        World::Http => "export default { fetch() {} };\n",
    };
    let built = build_app_on(
        engine,
        source,
        &BuildOptions {
            world,
            app_name: "empty".into(),
            app_version: semver::Version::new(0, 0, 0),
            file_name: "empty.js".into(),
            build_time: Duration::ZERO,
            record_source: false,
        },
    )?;
    Ok(built.component)
}

/// Whether `wasm` is a `jspkg build` output of this jspkg's built-in
/// engine for some world, and which.
pub fn built_in_world(wasm: &[u8]) -> Option<World> {
    let meta = jspkg_artifact::metadata::read(wasm).ok()??;
    World::ALL.into_iter().find(|w| {
        meta.engine.name == w.engine_name()
            && meta.engine.version == crate::engines::engine_version()
    })
}

/// The engine of `world` as a component, *not* pre-initialized: each
/// instance reads an app from stdin (its file name on the first line, then
/// its source) and evaluates it before calling `main`. This is the start-up
/// a snapshot saves; benchmarks compare against it.
pub fn unsnapshotted_engine(world: World) -> Result<Vec<u8>, BuildError> {
    componentize(world.engine_module(), world)
}

struct Snapshot {
    module: Vec<u8>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// Runs the engine's `wizer-initialize` with the app on stdin and returns
/// the pre-initialized core module.
fn snapshot(
    engine_module: &[u8],
    file_name: &str,
    source: &str,
    build_time: Duration,
) -> Result<Snapshot, BuildError> {
    let stdin = format!("{file_name}\n{source}").into_bytes();
    // No preopens, no environment, no arguments: nothing of the build
    // machine may end up in the snapshot. A fixed clock and seeded
    // randomness make the snapshot reproducible (QuickJS seeds its state
    // from the clock when it starts): build_wasi.rs.
    let wasi = BuildWasi::new(stdin, INIT_OUTPUT_LIMIT, build_time);

    let mut config = wasmtime::Config::new();
    config.wasm_backtrace_max_frames(None);
    let engine = wasmtime::Engine::new(&config).map_err(|e| BuildError::Snapshot(e.to_string()))?;
    let mut store = wasmtime::Store::new(&engine, wasi);

    let run = async {
        wasmtime_wizer::Wizer::new()
            .run(&mut store, engine_module, async |store, module| {
                let mut linker = wasmtime::Linker::new(store.engine());
                build_wasi::add_to_linker(&mut linker)?;
                // The WASI 0.2 interfaces the engine imports directly
                // (`wasi:cli/exit`, `wasi:http/types`) are for run time;
                // calling one at build time traps.
                linker.define_unknown_imports_as_traps(module)?;
                linker.instantiate_async(store, module).await
            })
            .await
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| BuildError::Snapshot(e.to_string()))?;
    let result = rt.block_on(run);
    let (stdout, stderr) = store.into_data().into_output();
    match result {
        Ok(module) => Ok(Snapshot {
            module,
            stdout,
            stderr,
        }),
        Err(err) if !stderr.is_empty() => {
            tracing::debug!("wizer: {err:?}");
            Err(BuildError::App {
                message: String::from_utf8_lossy(&stderr).trim_end().to_string(),
            })
        }
        Err(err) => Err(BuildError::Snapshot(format!("{err:#}"))),
    }
}

/// Wraps a pre-initialized engine core module into a WASI 0.2 component.
fn componentize(module: &[u8], world: World) -> Result<Vec<u8>, BuildError> {
    use wasi_preview1_component_adapter_provider as adapters;
    let adapter = match world {
        World::Cli => adapters::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
        World::Http => adapters::WASI_SNAPSHOT_PREVIEW1_PROXY_ADAPTER,
    };
    wit_component::ComponentEncoder::default()
        .module(module)
        .and_then(|e| e.adapter("wasi_snapshot_preview1", adapter))
        .and_then(|e| e.validate(true).encode())
        .map_err(|e| BuildError::Componentize(format!("{e:#}")))
}
