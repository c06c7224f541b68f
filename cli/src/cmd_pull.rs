//! `jspkg pull REF [-o DIR]`: fetch an app (and the engine it pins) into the
//! local store, digest-verified; optionally copy them out.

use anyhow::{Context, Result};
use clap::Args;
use jspkg_registry::{ClientOptions, PullOptions, Store};
use std::io::IsTerminal;
use std::path::PathBuf;

/// Arguments of `jspkg pull`.
#[derive(Args)]
pub struct PullArgs {
    /// What to pull: REGISTRY/NAMESPACE/NAME:TAG or ...@sha256:DIGEST.
    pub reference: String,
    /// Also write the files to DIR (app.wasm, and engine.wasm for an app).
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub flags: RegistryFlags,
}

/// The flags `jspkg publish` and `jspkg pull` share.
#[derive(clap::Args)]
pub struct RegistryFlags {
    /// Use plain HTTP for this registry (always done for loopback addresses).
    #[arg(long)]
    pub insecure: bool,
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
    /// Print the result as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

impl RegistryFlags {
    /// How to reach the registry: progress bars only on a terminal and when
    /// neither quiet nor JSON.
    pub fn client(&self) -> ClientOptions {
        ClientOptions {
            insecure: self.insecure,
            credentials: None,
            progress: !self.quiet && !self.json && std::io::stderr().is_terminal(),
        }
    }
}

/// The local store, `$JSPKG_HOME/store`.
pub fn store() -> Result<Store> {
    Ok(Store::open(crate::home::jspkg_home().join("store"))?)
}

/// Runs `jspkg pull`.
pub fn run(args: PullArgs) -> Result<()> {
    let store = store()?;
    let opts = PullOptions {
        client: args.flags.client(),
    };
    let pulled = jspkg_registry::pull_blocking(&args.reference, &store, &opts)?;
    let mut app = pulled.app.clone();
    let mut engine = pulled.engine.as_ref().map(|e| e.path.clone());
    if let Some(dir) = &args.output {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create output directory {}", dir.display()))?;
        // Engine first: a directory with an app.wasm is then always complete.
        if let Some(src) = &engine {
            let dst = dir.join("engine.wasm");
            copy_atomic(src, &dst)?;
            engine = Some(dst);
        }
        let dst = dir.join("app.wasm");
        copy_atomic(&app, &dst)?;
        app = dst;
    }
    if args.flags.json {
        let mut v = serde_json::to_value(&pulled)?;
        v["app"] = serde_json::json!(app);
        if let Some(e) = &engine {
            v["engine"]["path"] = serde_json::json!(e);
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else if !args.flags.quiet {
        println!("pulled  {} ({})", pulled.reference, pulled.kind);
        println!("digest  {}", pulled.manifest_digest);
        if let Some(e) = &engine {
            println!("engine  {}", e.display());
        }
        println!("app     {}", app.display());
        println!(
            "fetched {} bytes ({} bytes already in the store)",
            pulled.downloaded_bytes, pulled.cached_bytes
        );
    }
    Ok(())
}

fn copy_atomic(src: &std::path::Path, dst: &std::path::Path) -> Result<()> {
    let bytes = std::fs::read(src).with_context(|| format!("cannot read {}", src.display()))?;
    jspkg_artifact::fsutil::write_atomic(dst, &bytes)
        .with_context(|| format!("cannot write {}", dst.display()))
}
