//! `jspkg inspect FILE [--json]`: what a module or component is.

use anyhow::Context;
use std::path::PathBuf;

/// Show what a file is: pre-initialized, engine, app or composed; its
/// digest and size, the engine it requires, its memory and globals.
#[derive(clap::Args)]
pub struct InspectArgs {
    /// The module or component.
    file: PathBuf,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: InspectArgs) -> anyhow::Result<()> {
    let bytes = crate::input::read_wasm(&args.file)?;
    let i = jspkg_artifact::inspect(&bytes)
        .with_context(|| format!("cannot inspect {}", args.file.display()))
        .map_err(|e| crate::input::explain(e, &args.file, &bytes))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&i)?);
        return Ok(());
    }
    let kind = serde_json::to_value(i.kind)?;
    println!(
        "kind:     {} ({})",
        kind.as_str().unwrap_or("?"),
        i.encoding
    );
    println!("digest:   {}", i.digest);
    println!("size:     {} bytes", i.size);
    if let Some(f) = i.format {
        println!("format:   {f}");
    }
    if let Some(e) = &i.engine {
        let d = e.digest.map(|d| format!(" {d}")).unwrap_or_default();
        println!("engine:   {} {}{d}", e.name, e.version);
    }
    if let Some(a) = &i.app {
        println!("app:      {} {}", a.name, a.version);
    }
    if let Some(m) = &i.memory {
        let max = m
            .maximum_pages
            .map(|p| p.to_string())
            .unwrap_or_else(|| "none".into());
        println!("memory:   {} pages minimum, maximum {max}", m.minimum_pages);
    }
    if let Some(s) = i.image_size {
        match i.image_zero_prefix {
            Some(z) => println!("image:    {s} bytes, the first {z} zero (not stored)"),
            None => println!("image:    {s} bytes"),
        }
    }
    if let Some(s) = &i.source {
        println!(
            "source:   {} ({} bytes, {} compressed; record {} bytes) {}",
            s.file_name, s.source.size, s.compressed_size, s.record_size, s.source.digest
        );
        println!(
            "options:  world {}, build time {}",
            s.options.world, s.options.build_time
        );
    }
    if let Some(r) = i.rebuildable {
        let why = if r {
            "yes (`jspkg rebuild` snapshots it again on a new engine)"
        } else {
            "no (built with --no-source, or not by jspkg: no source record)"
        };
        println!("rebuild:  {why}");
    }
    println!("globals:  {}", i.globals.len());
    for g in &i.globals {
        let m = if g.mutable { "mut " } else { "" };
        let v = g
            .value
            .as_deref()
            .map(|v| format!(" = {v}"))
            .unwrap_or_default();
        println!("  {}: {m}{}{v}", g.name, g.val_type);
    }
    Ok(())
}
