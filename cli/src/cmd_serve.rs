//! `jspkg serve [PREFIX=]APP… [--addr ADDR]`

use crate::{cmd_run, home, serve_workers};
use anyhow::Context;
use jspkg_artifact::Digest;
use jspkg_runtime::{
    AllowedHost, AllowedHosts, HttpServer, LoadedApp, LoadedEngine, Runtime, RuntimeConfig,
};
use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const EXAMPLES: &str = "\
Examples:
  jspkg build --world http app.js -o app.wasm
  jspkg serve app.wasm                                  # http://127.0.0.1:8080/
  jspkg serve app/app.wasm --engine app/engine.wasm --addr 0.0.0.0:3000
  jspkg serve /api=api/app.wasm /=site/app.wasm --engine api/engine.wasm
  jspkg serve registry.example/acme/hello:1.0.0 --addr 127.0.0.1:0
  curl http://127.0.0.1:8080/hello?name=wasm";

/// Serve HTTP apps: each request runs in a fresh instance.
///
/// Each APP is an HTTP handler (`jspkg build --world http`, or its `jspkg
/// split`/`jspkg compose` output): a self-contained component, a split app
/// (its engine given with `--engine` or found in the local store by the
/// digest the app pins), or an OCI reference pulled through the local store
/// first. `PREFIX=APP` serves an app under a path prefix (`/api=api.wasm`):
/// a request goes to the app with the longest prefix that matches on a path
/// segment boundary (404 if none), and the app sees the full URL. A plain
/// APP is served at `/`.
///
/// Every request gets a fresh instance from the app's copy-on-write
/// snapshot: state one request writes is never seen by another. The engine
/// is compiled once (and cached under `$JSPKG_HOME/compiled`) and shared by
/// all apps on it. A request that runs past `--timeout` gets a 504, one that
/// needs more than `--max-memory` a 503, one that fails otherwise a 500; the
/// server goes on. Once listening, prints `listening on http://ADDR` on
/// stdout; stops on SIGINT or SIGTERM after the requests in flight.
///
/// The server runs `--workers` processes (default: one per CPU core), each
/// on one thread, all accepting on the same port (`SO_REUSEPORT`): one
/// process whose threads share an address space pays a TLB shoot-down on
/// every page an instance faults in, across cores; processes pay none.
/// `--max-instances` is per worker.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct ServeArgs {
    /// The apps: files or OCI references, each optionally `PREFIX=APP`.
    #[arg(value_name = "[PREFIX=]APP", required = true)]
    apps: Vec<String>,
    /// The engine component of the split apps (`DIR/engine.wasm` of `jspkg split`).
    #[arg(long, value_name = "ENGINE.wasm")]
    engine: Option<PathBuf>,
    /// The address to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    addr: String,
    /// Memory limit per instance (per request), in MiB.
    #[arg(long, default_value_t = 256, value_name = "MiB")]
    max_memory: u64,
    /// Time limit per request, in seconds.
    #[arg(
        long,
        default_value_t = 30.0,
        value_name = "SECONDS",
        allow_negative_numbers = true
    )]
    timeout: f64,
    /// Most requests one worker handles at once (instances alive); more
    /// wait their turn.
    #[arg(long, default_value_t = 100, value_name = "N")]
    max_instances: u32,
    /// Server processes, each on one thread, sharing the port (default:
    /// one per CPU core).
    #[arg(long, value_name = "N")]
    workers: Option<u32>,
    /// Do not use or fill the compile cache.
    #[arg(long)]
    no_cache: bool,
    /// Pull over plain HTTP from a registry that is not on loopback.
    #[arg(long)]
    insecure: bool,
    /// A host the apps may send HTTP requests to (`fetch`): `HOST` (any
    /// port) or `HOST:PORT`; repeatable. Requests to other hosts are
    /// refused (the app's `fetch` rejects, the server logs a warning).
    #[arg(long = "allow-host", value_name = "HOST[:PORT]")]
    allow_hosts: Vec<AllowedHost>,
}

pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        (1..=10_000).contains(&args.max_instances),
        "--max-instances must be between 1 and 10000"
    );
    // A worker started by another `jspkg serve` is told so, and where to
    // listen, by the environment; it serves alone.
    let worker_of = serve_workers::parent_address()?;
    let workers = match (worker_of, args.workers) {
        (Some(_), _) => 1,
        (None, Some(n)) => {
            anyhow::ensure!(
                (1..=serve_workers::MAX_WORKERS).contains(&n),
                "--workers must be between 1 and {}",
                serve_workers::MAX_WORKERS
            );
            n
        }
        (None, None) => serve_workers::default_count(),
    };
    let runtime = Arc::new(Runtime::new(RuntimeConfig {
        cache_dir: (!args.no_cache).then(home::compiled_dir),
        limits: cmd_run::limits(args.timeout, args.max_memory, false)?,
        max_instances: args.max_instances,
        allowed_hosts: AllowedHosts::new(args.allow_hosts.iter().cloned()),
        ..Default::default()
    })?);
    let mut server = HttpServer::new(runtime.clone())?;
    let mut engines = Engines::default();
    // What the other workers load: the same apps, as the files they
    // resolved to here (a tag is pulled once, so every worker serves the
    // same digest).
    let mut resolved = Vec::new();
    for spec in &args.apps {
        let (prefix, app) = split_spec(spec);
        let (loaded, path) =
            load(&runtime, &mut engines, app, &args).map_err(|e| crate::input::loading(e, app))?;
        server
            .add_app(prefix, app, Arc::new(loaded))
            .with_context(|| format!("cannot serve {app}"))?;
        resolved.push(format!("{prefix}={}", path.display()));
    }

    // One thread per worker process: see `ServeArgs` for why.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let others = rt.block_on(async {
        let listener = match worker_of {
            Some(addr) => serve_workers::listen(addr, true)?,
            None => serve_workers::listen_on(&args.addr, workers > 1).await?,
        };
        let addr = listener.local_addr()?;
        let (others, pipes) = match worker_of {
            Some(_) => Default::default(),
            None => {
                serve_workers::Workers::start(workers - 1, addr, &worker_args(&args, &resolved))?
            }
        };
        if worker_of.is_some() {
            tracing::debug!("worker {} listening on {addr}", std::process::id());
        } else {
            for (prefix, app) in server.routes() {
                tracing::info!("serving {app} at http://{addr}{prefix}");
            }
            let mut stdout = std::io::stdout();
            writeln!(stdout, "listening on http://{addr}")?;
            stdout.flush()?;
        }
        let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            match worker_of {
                Some(_) => serve_workers::parent_gone_or(shutdown_signal()).await,
                None => shutdown_signal().await,
            }
            // The other workers drain their requests while this one does.
            pipes.close();
            let _ = stop_tx.send(true);
        });
        Arc::new(server)
            .serve(listener, async move {
                let _ = stop_rx.wait_for(|stop| *stop).await;
            })
            .await?;
        anyhow::Ok(others)
    })?;
    others.wait();
    if worker_of.is_none() {
        tracing::info!("stopped");
    }
    Ok(())
}

/// The arguments of the other workers: this command's options, with the
/// apps as the files they were resolved to.
fn worker_args(args: &ServeArgs, apps: &[String]) -> Vec<std::ffi::OsString> {
    let mut out: Vec<std::ffi::OsString> = vec!["serve".into()];
    if let Some(engine) = &args.engine {
        out.extend(["--engine".into(), engine.into()]);
    }
    out.extend([
        "--max-memory".into(),
        args.max_memory.to_string().into(),
        "--timeout".into(),
        args.timeout.to_string().into(),
        "--max-instances".into(),
        args.max_instances.to_string().into(),
    ]);
    if args.no_cache {
        out.push("--no-cache".into());
    }
    for host in &args.allow_hosts {
        out.extend(["--allow-host".into(), host.to_string().into()]);
    }
    out.push("--".into());
    out.extend(apps.iter().map(Into::into));
    out
}

/// `PREFIX=APP` → (`PREFIX`, `APP`); anything else is an app at `/`. A
/// prefix starts with `/`; an existing file is always taken whole.
fn split_spec(spec: &str) -> (&str, &str) {
    if spec.starts_with('/')
        && !Path::new(spec).exists()
        && let Some((prefix, app)) = spec.split_once('=')
    {
        return (prefix, app);
    }
    ("/", spec)
}

/// Engines loaded so far, by digest: split apps on one engine share it.
#[derive(Default)]
struct Engines(HashMap<Digest, Arc<LoadedEngine>>);

/// Loads one app: a component, or a split app linked into its (shared)
/// engine. Also returns the file it was loaded from (a reference is pulled
/// into the local store first).
fn load(
    runtime: &Runtime,
    engines: &mut Engines,
    app: &str,
    args: &ServeArgs,
) -> anyhow::Result<(LoadedApp, PathBuf)> {
    let (app_path, engine_path) = cmd_run::locate(app, args.engine.as_ref(), args.insecure)?;
    let bytes = crate::input::read_wasm(&app_path)?;
    let meta = jspkg_artifact::metadata::read(&bytes).ok().flatten();
    let split = match &meta {
        Some(m) => m.kind == jspkg_artifact::metadata::Kind::App,
        // No metadata: split only if an engine was given, as `jspkg run` does.
        None => engine_path.is_some(),
    };
    if !split {
        let loaded = runtime
            .load_component(&bytes)
            .map_err(|e| crate::input::explain(e.into(), &app_path, &bytes))?;
        cmd_run::log_loaded(app, &loaded, "component");
        return Ok((loaded, app_path));
    }
    let engine_path = match engine_path {
        Some(p) => p,
        None => cmd_run::pinned_engine_in_store(&bytes, &app_path)?.with_context(|| {
            format!(
                "{} is a split app: give its engine with --engine ENGINE.wasm",
                app_path.display()
            )
        })?,
    };
    let engine_bytes = crate::input::read_wasm(&engine_path)?;
    let digest = Digest::of(&engine_bytes);
    let engine = match engines.0.get(&digest) {
        Some(e) => e.clone(),
        None => {
            let e = Arc::new(
                runtime
                    .load_engine(&engine_bytes)
                    .with_context(|| format!("cannot load {}", engine_path.display()))
                    .map_err(|e| crate::input::explain(e, &engine_path, &engine_bytes))?,
            );
            engines.0.insert(digest, e.clone());
            e
        }
    };
    let loaded = engine
        .link_app(runtime, &bytes)
        .map_err(|e| crate::input::explain(e.into(), &app_path, &bytes))?;
    cmd_run::log_loaded(app, &loaded, "split app");
    Ok((loaded, app_path))
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(e) => {
                tracing::warn!("cannot watch for SIGTERM: {e}");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
    tracing::info!("shutting down: finishing the requests in flight");
}
