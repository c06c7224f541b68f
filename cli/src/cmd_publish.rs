//! `jspkg publish DIR|APP.wasm REF`: push to an OCI registry as Wasm OCI
//! artifacts (the engine first, when the registry lacks it).

use anyhow::Result;
use clap::Args;
use jspkg_registry::{EngineReq, PublishOptions};
use std::path::{Path, PathBuf};

/// Arguments of `jspkg publish`.
#[derive(Args)]
pub struct PublishArgs {
    /// A directory written by `jspkg split` (app.wasm, engine.wasm), an app
    /// component alone (its engine must be in the registry), or an engine,
    /// built or composed component (published as a single artifact).
    pub input: PathBuf,
    /// Where to publish: REGISTRY/NAMESPACE/NAME:TAG, e.g.
    /// 127.0.0.1:5000/acme/hello:1.0.0. The engine goes to
    /// REGISTRY/NAMESPACE/engines/ENGINE:VERSION.
    pub reference: String,
    /// The engine the app must use, NAME@SEMVER-RANGE (e.g.
    /// jspkg-quickjs-cli@^0.1); the app stays pinned by digest.
    #[arg(long, value_name = "NAME@RANGE")]
    pub engine: Option<EngineReq>,
    #[command(flatten)]
    pub flags: crate::cmd_pull::RegistryFlags,
}

/// Runs `jspkg publish`.
pub fn run(args: PublishArgs) -> Result<()> {
    jspkg_registry::parse_reference(&args.reference)?;
    check_input(&args.input)?;
    let opts = PublishOptions {
        engine: args.engine,
        client: args.flags.client(),
        annotations: Default::default(),
        store: Some(crate::cmd_pull::store()?),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let report = rt.block_on(jspkg_registry::publish(&args.input, &args.reference, &opts))?;
    if args.flags.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else if !args.flags.quiet {
        if let Some(e) = &report.engine {
            let what = if e.uploaded {
                "uploaded"
            } else {
                "already in the registry"
            };
            println!("engine    {} ({what})", e.reference);
        }
        println!("published {}", report.reference);
        println!("digest    {}", report.manifest_digest);
        println!(
            "uploaded  {} bytes ({} bytes already in the registry)",
            report.uploaded_bytes,
            report.reused_bytes + report.mounted_bytes
        );
    }
    Ok(())
}

/// Refuses, in one line and before any network traffic, an input that is
/// missing, not WebAssembly, or truncated: a registry must never get a
/// partial component.
fn check_input(input: &Path) -> Result<()> {
    let files = if input.is_dir() {
        let app = input.join("app.wasm");
        if !app.exists() {
            anyhow::bail!(
                "{} has no app.wasm: give a directory written by `jspkg split`, or a component file",
                input.display()
            );
        }
        let engine = input.join("engine.wasm");
        if engine.exists() {
            vec![app, engine]
        } else {
            vec![app]
        }
    } else {
        vec![input.to_path_buf()]
    };
    for f in files {
        let bytes = crate::input::read_wasm(&f)?;
        if jspkg_artifact::validate(&bytes).is_err() {
            return Err(crate::input::explain(
                anyhow::anyhow!("invalid"),
                &f,
                &bytes,
            ));
        }
    }
    Ok(())
}
