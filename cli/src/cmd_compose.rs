//! `jspkg compose ENGINE APP -o OUT.wasm`: one self-contained component.

use anyhow::Context;
use jspkg_artifact::{Digest, fsutil::write_atomic};
use std::path::PathBuf;
use std::time::Instant;

/// Compose an engine and an app into one standard, self-contained component.
///
/// The app must pin this exact engine (by digest). The output runs in any
/// component host (`wasmtime run`, jco ...) as the unsplit input did.
#[derive(clap::Args)]
pub struct ComposeArgs {
    /// The engine (engine.wasm from `jspkg split`).
    engine: PathBuf,
    /// The app (app.wasm from `jspkg split`).
    app: PathBuf,
    /// Output file.
    #[arg(short, long, value_name = "OUT.wasm")]
    output: PathBuf,
    /// Print a JSON summary (digest, size, time) on stdout.
    #[arg(long)]
    json: bool,
}

pub fn run(args: ComposeArgs) -> anyhow::Result<()> {
    let engine = crate::input::read_wasm(&args.engine)?;
    let app = crate::input::read_wasm(&args.app)?;
    let started = Instant::now();
    let out = jspkg_artifact::compose(&engine, &app)
        .with_context(|| {
            format!(
                "cannot compose {} with {}",
                args.app.display(),
                args.engine.display()
            )
        })
        .map_err(|e| crate::input::explain(e, &args.engine, &engine))
        .map_err(|e| crate::input::explain(e, &args.app, &app))?;
    let elapsed = started.elapsed();
    write_atomic(&args.output, &out)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    if args.json {
        let summary = serde_json::json!({
            "digest": Digest::of(&out),
            "size": out.len(),
            "compose_ms": elapsed.as_secs_f64() * 1000.0,
        });
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        println!(
            "{} ({} bytes) in {:.0} ms",
            args.output.display(),
            out.len(),
            elapsed.as_secs_f64() * 1000.0
        );
    }
    Ok(())
}
