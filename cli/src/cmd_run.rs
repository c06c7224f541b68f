//! `jspkg run APP [--engine ENGINE] [-- ARGS…]`

use crate::home;
use anyhow::Context;
use jspkg_runtime::{
    AllowedHost, AllowedHosts, Artifact, CacheOutcome, CliGrants, CliStdio, DirGrant, Limits,
    LoadedApp, Runtime, RuntimeConfig,
};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Run an app and exit with its exit code.
///
/// APP is a file — a self-contained component (`jspkg build` or `jspkg
/// compose` output), or a split app (`jspkg split` output) whose engine is
/// given with `--engine` or found in the local store by the digest the app
/// pins — or an OCI reference (`REGISTRY/REPO:TAG`), pulled through the
/// local store first. Compiled components and engines are cached under
/// `$JSPKG_HOME/compiled`: the second run of an app, or the first of another
/// app on the same engine, compiles no engine code.
#[derive(clap::Args)]
pub struct RunArgs {
    /// The app: a file, or an OCI reference to pull.
    #[arg(value_name = "APP.wasm|REF")]
    app: String,
    /// The engine component of a split app (`DIR/engine.wasm` of `jspkg split`).
    #[arg(long, value_name = "ENGINE.wasm")]
    engine: Option<PathBuf>,
    /// Memory limit per instance, in MiB.
    #[arg(long, default_value_t = 256, value_name = "MiB")]
    max_memory: u64,
    /// Time limit of the run, in seconds; 0: none. The limit ends the
    /// process (exit code 1), so the engine carries no checks for it: JS
    /// runs as fast with a limit as without one.
    #[arg(
        long,
        default_value_t = 30.0,
        value_name = "SECONDS",
        allow_negative_numbers = true
    )]
    timeout: f64,
    /// Do not use or fill the compile cache.
    #[arg(long)]
    no_cache: bool,
    /// Pull over plain HTTP from a registry that is not on loopback.
    #[arg(long)]
    insecure: bool,
    /// An environment variable the app sees (`process.env.NAME`);
    /// repeatable. The app sees none but these.
    #[arg(long = "env", value_name = "NAME=VALUE", value_parser = parse_env)]
    env: Vec<(String, String)>,
    /// A host directory the app may read and write, under the path GUEST
    /// (`--dir data::/data`; `--dir DIR` alone is `DIR::DIR`), as
    /// `wasmtime run --dir` does; repeatable. The app sees no other file.
    #[arg(long = "dir", value_name = "HOST[::GUEST]", value_parser = parse_dir)]
    dirs: Vec<DirGrant>,
    /// A host the app may send HTTP requests to (`fetch`): `HOST` (any
    /// port) or `HOST:PORT`; repeatable. Requests to other hosts are
    /// refused (`fetch` rejects with a TypeError, a warning is logged).
    #[arg(long = "allow-host", value_name = "HOST[:PORT]")]
    allow_hosts: Vec<AllowedHost>,
    /// Arguments passed to the app's `main`.
    #[arg(last = true)]
    args: Vec<String>,
}

pub fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let (app_path, mut engine_path) = locate(&args.app, args.engine.as_ref(), args.insecure)?;
    let running = format!("cannot run {}", args.app);
    let app = crate::input::read_wasm(&app_path)?;
    if engine_path.is_none() {
        engine_path = pinned_engine_in_store(&app, &app_path)?;
    }
    let engine = engine_path
        .as_deref()
        .map(crate::input::read_wasm)
        .transpose()?;
    let artifact = match &engine {
        Some(engine) => Artifact::Split { engine, app: &app },
        None => Artifact::Component(&app),
    };
    // The time limit is kept by ending the process (`deadline`), not by
    // the runtime: the engine is compiled without epoch checks.
    let mut limits = limits(args.timeout, args.max_memory, true)?;
    let time_limit = limits.timeout.take();
    let runtime = Runtime::new(RuntimeConfig {
        cache_dir: (!args.no_cache).then(home::compiled_dir),
        limits,
        max_instances: 1,
        allowed_hosts: AllowedHosts::new(args.allow_hosts),
        ..Default::default()
    })?;
    let loaded = runtime
        .load(artifact)
        .with_context(|| format!("cannot load {}", args.app))
        .map_err(|e| crate::input::explain(e, &app_path, &app))
        .map_err(|e| match (&engine_path, &engine) {
            (Some(p), Some(b)) => crate::input::explain(e, p, b),
            _ => e,
        })?;
    log_loaded(
        &args.app,
        &loaded,
        if engine.is_some() {
            "engine and app"
        } else {
            "component"
        },
    );
    let program = app_path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let grants = CliGrants {
        env: args.env,
        dirs: args.dirs,
    };
    // Armed after loading (compiling is not the app's time), before the
    // instance is made: the limit covers what the runtime's would.
    let _deadline = time_limit
        .map(|limit| crate::deadline::arm(limit, running.clone()))
        .transpose()?;
    let (outcome, _instance) = rt
        .block_on(runtime.run_cli_granted(
            &loaded,
            &program,
            &args.args,
            CliStdio::Inherit,
            &grants,
        ))
        .context(running)?;
    Ok(ExitCode::from(u8::try_from(outcome.exit_code).unwrap_or(1)))
}

/// `--env NAME=VALUE`: the name is not empty and has no `=`.
fn parse_env(arg: &str) -> Result<(String, String), String> {
    match arg.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_string(), value.to_string())),
        _ => Err(format!(
            "expected NAME=VALUE (e.g. --env GREETING=hello), got {arg:?}"
        )),
    }
}

/// `--dir HOST[::GUEST]`: HOST must be a directory; GUEST defaults to HOST.
fn parse_dir(arg: &str) -> Result<DirGrant, String> {
    let (host, guest) = arg.split_once("::").unwrap_or((arg, arg));
    if host.is_empty() || guest.is_empty() {
        return Err(format!(
            "expected HOST::GUEST or DIR (e.g. --dir ./data::/data), got {arg:?}"
        ));
    }
    let host = PathBuf::from(host);
    if !host.is_dir() {
        return Err(format!("{} is not a directory", host.display()));
    }
    Ok(DirGrant {
        host,
        guest: guest.to_string(),
    })
}

/// Logs (at info) how an app was loaded: compile cache hit or miss, times
/// (shared with `jspkg serve`).
pub(crate) fn log_loaded(app: &str, loaded: &LoadedApp, shape: &str) {
    tracing::info!(
        cache = match loaded.cache {
            CacheOutcome::Hit => "hit: no compilation",
            CacheOutcome::Compiled => "miss: compiled",
        },
        component_ms = loaded.component_time.as_secs_f64() * 1e3,
        data_ms = loaded.data_steps.total().as_secs_f64() * 1e3,
        kind = %loaded.kind(),
        "loaded {app} ({shape})"
    );
}

/// The limits of `--timeout SECONDS` and `--max-memory MiB` (shared with
/// `jspkg serve`); `--timeout 0` is no time limit where `unlimited` allows
/// it.
pub(crate) fn limits(timeout: f64, max_memory: u64, unlimited: bool) -> anyhow::Result<Limits> {
    let timeout = match Duration::try_from_secs_f64(timeout) {
        Ok(t) if t.is_zero() && unlimited => None,
        Ok(t) if !t.is_zero() => Some(t),
        _ if unlimited => {
            anyhow::bail!("--timeout must be a number of seconds, positive or 0 (no time limit)")
        }
        _ => anyhow::bail!(
            "--timeout must be a positive number of seconds: a server needs a time limit per request"
        ),
    };
    let max_memory_bytes = max_memory
        .checked_mul(1 << 20)
        .filter(|&b| b > 0)
        .context("--max-memory must be a positive number of MiB that fits in 64 bits")?;
    Ok(Limits {
        max_memory_bytes,
        timeout,
    })
}

/// The app file and the engine file given: APP is a file, or else an OCI
/// reference pulled into the local store (shared with `jspkg serve`).
pub(crate) fn locate(
    app: &str,
    engine: Option<&PathBuf>,
    insecure: bool,
) -> anyhow::Result<(PathBuf, Option<PathBuf>)> {
    let as_path = PathBuf::from(app);
    if as_path.exists() || !names_a_registry(app) {
        return Ok((as_path, engine.cloned()));
    }
    let store = crate::cmd_pull::store()?;
    let opts = jspkg_registry::PullOptions {
        client: crate::cmd_pull::RegistryFlags {
            insecure,
            quiet: false,
            json: false,
        }
        .client(),
    };
    let pulled = jspkg_registry::pull_blocking(app, &store, &opts)
        .with_context(|| format!("{app} is not a file; pulling it as an OCI reference failed"))?;
    let engine = engine.cloned().or_else(|| pulled.engine.map(|e| e.path));
    Ok((pulled.app, engine))
}

/// Whether `app` reads as a reference with an explicit registry host
/// (`host.name/…`, `host:port/…`, `localhost/…`): a bare `name:tag` would
/// resolve to Docker Hub, and is far more likely a mistyped file name.
fn names_a_registry(app: &str) -> bool {
    let Some((host, _)) = app.split_once('/') else {
        return false;
    };
    !app.ends_with(".wasm")
        && (host.contains('.') || host.contains(':') || host == "localhost")
        && host != "."
        && host != ".."
        && jspkg_registry::parse_reference(app).is_ok()
}

/// For a split app given without `--engine`: the engine it pins, from the
/// local store. `None` for anything that is not a split app.
pub(crate) fn pinned_engine_in_store(
    app: &[u8],
    path: &std::path::Path,
) -> anyhow::Result<Option<PathBuf>> {
    use jspkg_artifact::metadata::{self, Kind};
    let Some(meta) = metadata::read(app).ok().flatten() else {
        return Ok(None);
    };
    if meta.kind != Kind::App {
        return Ok(None);
    }
    let Some(pin) = meta.engine.digest else {
        return Ok(None);
    };
    let store = crate::cmd_pull::store()?;
    let was_there = store.path(&pin).exists();
    match store.get(&pin)? {
        Some(found) => Ok(Some(found)),
        None if was_there => anyhow::bail!(
            "{} is a split app whose engine {} {} ({pin}) was damaged in the local store \
             (its content no longer matches its digest) and was removed; pull the app again, \
             or give the engine with --engine ENGINE.wasm",
            path.display(),
            meta.engine.name,
            meta.engine.version
        ),
        None => anyhow::bail!(
            "{} is a split app: it needs its engine {} {} ({pin}), which is not in the \
             local store; give it with --engine ENGINE.wasm, or pull the app from a registry",
            path.display(),
            meta.engine.name,
            meta.engine.version
        ),
    }
}
