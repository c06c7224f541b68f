//! The apps the benchmarks run: built with the packager, split with the
//! artifact library, exactly as `jspkg build` and `jspkg split` do.

use anyhow::Context;
use jspkg_packager::{BuildOptions, World};
use jspkg_runtime::{Runtime, RuntimeConfig, SlotReset};
use std::path::{Path, PathBuf};

/// The repository root (the bench crate lives in `benches/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("benches/ has a parent")
        .to_path_buf()
}

/// An app in its three forms.
pub struct App {
    /// The source file.
    pub path: PathBuf,
    /// The source.
    pub source: String,
    /// `jspkg build` output.
    pub monolithic: Vec<u8>,
    /// `jspkg split` output: the engine component.
    pub engine: Vec<u8>,
    /// `jspkg split` output: the data-only app component.
    pub app: Vec<u8>,
}

/// Builds and splits the cli app at `rel` (relative to the repository root).
pub fn prepare(rel: &str) -> anyhow::Result<App> {
    prepare_for(rel, World::Cli)
}

/// Builds the app at `rel` for `world` and splits it.
pub fn prepare_for(rel: &str, world: World) -> anyhow::Result<App> {
    let path = repo_root().join(rel);
    let source =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
    let built = jspkg_packager::build_app(
        &source,
        &BuildOptions {
            world,
            app_name: path.file_stem().unwrap().to_string_lossy().into_owned(),
            app_version: semver::Version::new(0, 1, 0),
            file_name,
            build_time: std::time::Duration::ZERO,
            record_source: true,
        },
    )
    .with_context(|| format!("building {rel}"))?;
    let reference = jspkg_packager::empty_app(world)?;
    let opts = jspkg_artifact::SplitOptions {
        reference: Some(&reference),
        ..Default::default()
    };
    let split = jspkg_artifact::split(&built.component, &opts)
        .with_context(|| format!("splitting {rel}"))?;
    Ok(App {
        path,
        source,
        monolithic: built.component,
        engine: split.engine,
        app: split.app,
    })
}

/// The runtime of the start-up and HTTP-request benchmarks: 16 instance
/// slots, compiled code cached in `cache` (none: compile every time), slots
/// reset as `slot_reset` says.
pub fn runtime(cache: Option<&Path>, slot_reset: SlotReset) -> anyhow::Result<Runtime> {
    Ok(Runtime::new(RuntimeConfig {
        cache_dir: cache.map(Path::to_path_buf),
        max_instances: 16,
        slot_reset,
        perf_map: PROFILE.get().is_some_and(|p| p.0),
        ..Default::default()
    })?)
}

/// `--profile` and `--variant`, set once by `main`.
static PROFILE: std::sync::OnceLock<(bool, Option<String>)> = std::sync::OnceLock::new();

/// Records `--profile` (perf map on) and `--variant` (a filter of variant
/// names).
pub fn set_profile(perf_map: bool, variant: Option<String>) {
    let _ = PROFILE.set((perf_map, variant));
}

/// Whether the variant `name` is to run (`--variant`).
pub fn wanted(name: &str) -> bool {
    match PROFILE.get().and_then(|p| p.1.as_deref()) {
        Some(filter) => name.contains(filter),
        None => true,
    }
}

/// Runs a future to completion on this thread's current-thread runtime
/// (one per thread, reused: its set-up is not what is measured).
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    thread_local! {
        static RT: tokio::runtime::Runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
    }
    RT.with(|rt| rt.block_on(f))
}
