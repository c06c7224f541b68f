//! Helpers shared by the runtime's integration tests.

use jspkg_packager::{BuildOptions, World};
use jspkg_runtime::{
    CliOutcome, CliStdio, Limits, LoadedApp, Runtime, RuntimeConfig, RuntimeError,
};
use std::path::Path;
use std::time::Duration;

/// A runtime with tight limits: 64 MiB of memory, 500 ms per call.
pub fn limited_runtime() -> Runtime {
    Runtime::new(RuntimeConfig {
        limits: Limits {
            max_memory_bytes: 64 << 20,
            timeout: Some(Duration::from_millis(500)),
        },
        max_instances: 4,
        ..Default::default()
    })
    .unwrap()
}

/// The CLI component the packager builds from `rel` (relative to the
/// workspace root), named `app_name`.
pub fn build_cli(rel: &str, app_name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel);
    let source = std::fs::read_to_string(&path).unwrap();
    jspkg_packager::build_app(
        &source,
        &BuildOptions {
            world: World::Cli,
            app_name: app_name.into(),
            app_version: semver::Version::new(0, 1, 0),
            file_name: path.file_name().unwrap().to_string_lossy().into_owned(),
            build_time: Duration::ZERO,
            record_source: true,
        },
    )
    .unwrap_or_else(|e| panic!("building {rel}: {e}"))
    .component
}

/// Runs `app` once as `program arg`, with empty stdin and stdout captured.
pub fn run_captured(
    tokio: &tokio::runtime::Runtime,
    rt: &Runtime,
    app: &LoadedApp,
    program: &str,
    arg: &str,
) -> Result<CliOutcome, RuntimeError> {
    tokio.block_on(rt.run_cli(
        app,
        program,
        &[arg.to_string()],
        CliStdio::Capture {
            stdin: vec![],
            limit: 1 << 16,
        },
    ))
}
