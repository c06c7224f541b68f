//! `jspkg split IN.wasm -o DIR [--json]`: a pre-initialized component or
//! core module into `DIR/engine.wasm` and `DIR/app.wasm`.

use anyhow::Context;
use jspkg_artifact::{AppEncoding, Digest, SplitOptions, fsutil::write_atomic};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Split a pre-initialized component into a code-only engine and a data-only app.
///
/// Writes DIR/engine.wasm (identical bytes for every app of the same engine)
/// and DIR/app.wasm (the snapshot, pinning the engine by digest). Accepts
/// `jspkg build` outputs, Wizer-initialized core modules and other
/// pre-initialized components (e.g. ComponentizeJS).
#[derive(clap::Args)]
pub struct SplitArgs {
    /// The pre-initialized component or core module.
    input: PathBuf,
    /// Output directory (created if missing).
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
    /// Print a JSON summary (digests, sizes, time) on stdout.
    #[arg(long)]
    json: bool,
    /// Split against this existing engine: the input must have its code;
    /// the engine is kept byte for byte and the app is encoded against its
    /// reference image.
    #[arg(long, value_name = "ENGINE.wasm", conflicts_with = "reference")]
    engine: Option<PathBuf>,
    /// A pre-initialized empty app of the same engine: its memory image
    /// becomes the engine's reference image for compact app encoding.
    #[arg(long, value_name = "EMPTY-APP.wasm")]
    reference: Option<PathBuf>,
    /// Store the app's data module as is instead of compactly.
    #[arg(long)]
    full: bool,
    /// Engine name (default: from the input's jspkg metadata).
    #[arg(long)]
    engine_name: Option<String>,
    /// Engine version (default: from the input's jspkg metadata).
    #[arg(long)]
    engine_version: Option<semver::Version>,
    /// App name (default: from the input's jspkg metadata, else the file name).
    #[arg(long)]
    app_name: Option<String>,
    /// App version (default: from the input's jspkg metadata, else 0.0.0).
    #[arg(long)]
    app_version: Option<semver::Version>,
}

fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    crate::input::read_wasm(path)
}

pub fn run(args: SplitArgs) -> anyhow::Result<()> {
    let input = read(&args.input)?;
    let engine = args.engine.as_deref().map(read).transpose()?;
    let mut reference = args.reference.as_deref().map(read).transpose()?;
    // An app of this jspkg's own engine: the engine's reference image is its
    // empty app's snapshot, which the packager rebuilds bit for bit, so
    // every app split by any jspkg of this version yields the same engine.
    if reference.is_none()
        && engine.is_none()
        && let Some(world) = jspkg_packager::built_in_world(&input)
    {
        reference = Some(
            jspkg_packager::empty_app(world)
                .context("building the empty app that is the engine's reference image")?,
        );
    }
    let has_meta = jspkg_artifact::metadata::read(&input)
        .ok()
        .flatten()
        .is_some();
    let app_name = args.app_name.clone().or_else(|| {
        (!has_meta)
            .then(|| {
                args.input
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
            })
            .flatten()
    });
    let opts = SplitOptions {
        engine_name: args.engine_name.clone(),
        engine_version: args.engine_version.clone(),
        app_name,
        app_version: args.app_version.clone(),
        reference: reference.as_deref(),
        engine: engine.as_deref(),
        encoding: if args.full {
            AppEncoding::Full
        } else {
            AppEncoding::Compact
        },
    };
    let started = Instant::now();
    let split = jspkg_artifact::split(&input, &opts)
        .with_context(|| format!("cannot split {}", args.input.display()))
        .map_err(|e| crate::input::explain(e, &args.input, &input))
        .map_err(|e| match (&args.engine, &engine) {
            (Some(p), Some(b)) => crate::input::explain(e, p, b),
            _ => e,
        })
        .map_err(|e| match (&args.reference, &reference) {
            (Some(p), Some(b)) => crate::input::explain(e, p, b),
            _ => e,
        })?;
    let elapsed = started.elapsed();
    tracing::info!(?elapsed, "split");

    let created = !args.output.exists();
    std::fs::create_dir_all(&args.output)
        .with_context(|| format!("cannot create {}", args.output.display()))?;
    let engine_path = args.output.join("engine.wasm");
    let app_path = args.output.join("app.wasm");
    let written = write_atomic(&engine_path, &split.engine)
        .with_context(|| format!("cannot write {}", engine_path.display()))
        .and_then(|()| {
            write_atomic(&app_path, &split.app)
                .with_context(|| format!("cannot write {}", app_path.display()))
        });
    if let Err(e) = written {
        // No partial output: remove what this call wrote.
        let _ = std::fs::remove_file(&engine_path);
        if created {
            let _ = std::fs::remove_dir(&args.output);
        }
        return Err(e);
    }

    let app_details: jspkg_artifact::details::AppDetails =
        jspkg_artifact::details::from_map(&split.app_metadata.details)?;
    if args.json {
        let summary = serde_json::json!({
            "engine": {
                "digest": Digest::of(&split.engine),
                "size": split.engine.len(),
                "name": split.engine_metadata.engine.name,
                "version": split.engine_metadata.engine.version,
            },
            "app": {
                "digest": Digest::of(&split.app),
                "size": split.app.len(),
                "encoding": app_details.encoding,
                "data_module": app_details.data_module,
            },
            "input": { "digest": Digest::of(&input), "size": input.len() },
            "split_ms": elapsed.as_secs_f64() * 1000.0,
        });
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        println!(
            "{} ({} bytes) + {} ({} bytes) in {:.0} ms",
            engine_path.display(),
            split.engine.len(),
            app_path.display(),
            split.app.len(),
            elapsed.as_secs_f64() * 1000.0
        );
    }
    Ok(())
}
