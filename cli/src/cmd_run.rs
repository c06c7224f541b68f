//! `jspkg run APP [--engine ENGINE] [-- ARGS…]`

use crate::home;
use anyhow::Context;
use jspkg_runtime::{CliStdio, Limits, Runtime, RuntimeConfig};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Run an app and exit with its exit code.
///
/// APP is a self-contained component, as `jspkg build` writes it. Its
/// compiled form is cached under `$JSPKG_HOME/compiled`, so the second run
/// does not compile.
#[derive(clap::Args)]
pub struct RunArgs {
    /// The app component.
    app: PathBuf,
    /// Memory limit per instance, in MiB.
    #[arg(long, default_value_t = 256, value_name = "MiB")]
    max_memory: u64,
    /// Time limit per call, in seconds.
    #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
    timeout: f64,
    /// Do not use or fill the compile cache.
    #[arg(long)]
    no_cache: bool,
    /// Arguments passed to the app's `main`.
    #[arg(last = true)]
    args: Vec<String>,
}

pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let app =
        std::fs::read(&args.app).with_context(|| format!("cannot read {}", args.app.display()))?;
    anyhow::ensure!(args.timeout > 0.0, "--timeout must be positive");
    let runtime = Runtime::new(RuntimeConfig {
        cache_dir: (!args.no_cache).then(home::compiled_dir),
        limits: Limits {
            max_memory_bytes: args.max_memory << 20,
            timeout: Duration::from_secs_f64(args.timeout),
        },
        max_instances: 1,
    })?;
    let loaded = runtime
        .load(&app)
        .with_context(|| format!("cannot load {}", args.app.display()))?;
    tracing::info!(
        cache = ?loaded.cache,
        component_ms = loaded.component_time.as_secs_f64() * 1e3,
        "loaded"
    );
    let program = args
        .app
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let outcome = rt.block_on(runtime.run_cli(&loaded, &program, &args.args, CliStdio::Inherit))?;
    Ok(ExitCode::from(u8::try_from(outcome.exit_code).unwrap_or(1)))
}
