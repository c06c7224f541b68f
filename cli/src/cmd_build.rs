//! `jspkg build APP.ts -o APP.wasm`

use anyhow::{Context, bail};
use jspkg_packager::{BuildOptions, World};
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

const WORLDS_AND_EXAMPLES: &str = "\
Worlds:
  cli   `export function main(args) { ... }`: run it with `jspkg run` or `wasmtime run -S http`
  http  `export default { async fetch(request) { return new Response(\"hi\") } }`:
        serve it with `jspkg serve` or `wasmtime serve`

The app: an entry file (.js, .mjs, .ts, .mts) or a directory with a package.json.
Its imports are bundled (npm packages from node_modules, TypeScript stripped,
`process.env.NODE_ENV` replaced by --mode); an entry that is already one ES
module importing nothing but node:fs, node:fs/promises, node:process, node:events,
node:readline, node:readline/promises, node:path is built as it is.

Examples:
  jspkg build examples/hello-ts/hello.ts -o hello.wasm
  jspkg build examples/hello/hello.js -o hello.wasm
  jspkg build --world http examples/http/hello.js -o hello-http.wasm";

/// Build a JavaScript or TypeScript app into a pre-initialized component.
///
/// The module's top-level code runs now, at build time, and its state is
/// saved in the component: at run time only the entry point runs (`main`,
/// or the default export's `fetch`).
#[derive(clap::Args)]
#[command(after_help = WORLDS_AND_EXAMPLES)]
pub struct BuildArgs {
    /// The app: its entry file (.js, .mjs, .ts, .mts; imports and npm
    /// packages are bundled) or a directory with a package.json.
    app: PathBuf,
    /// Where to write the component.
    #[arg(short, long, value_name = "OUT.wasm")]
    output: PathBuf,
    /// The world: `cli` (exports wasi:cli/run, calls `main`) or `http`
    /// (exports wasi:http/incoming-handler, calls the default export's `fetch`).
    #[arg(long, default_value = "cli", value_name = "cli|http")]
    world: World,
    /// The app's name, recorded in the component (default: the package's
    /// `name` without its scope for a directory, else the file stem).
    #[arg(long)]
    name: Option<String>,
    /// The app's version, recorded in the component (default: the
    /// package's `version` for a directory, else 0.1.0).
    #[arg(long = "app-version", value_name = "SEMVER")]
    app_version: Option<semver::Version>,
    /// Do not record the source in the component: smaller, but the app
    /// cannot be moved to a new engine with `jspkg rebuild`.
    #[arg(long)]
    no_source: bool,
    /// What `process.env.NODE_ENV` becomes in the bundled code.
    #[arg(
        long,
        default_value = "production",
        value_name = "production|development"
    )]
    mode: String,
    /// Print nothing but errors.
    #[arg(short, long)]
    quiet: bool,
}

pub fn run(args: BuildArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let entry = if args.app.is_dir() {
        jspkg_bundler::package_entry(&args.app)?
    } else {
        args.app.clone()
    };
    let source = crate::input::read(&entry)?;
    let source = String::from_utf8(source).map_err(|_| {
        anyhow::anyhow!(
            "{} is not UTF-8 text: give the app's JavaScript or TypeScript source",
            entry.display()
        )
    })?;
    let entry_file_name = entry
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| "app.js".into());
    let is_package = args.app.is_dir();
    let (package_name, package_version) = if is_package {
        jspkg_bundler::package_name_and_version(&args.app)
    } else {
        (None, None)
    };
    let name = match args.name {
        Some(n) => n,
        // No `name` in package.json: the directory's (`jspkg build .` too).
        None if is_package => package_name
            .or_else(|| {
                let dir = args.app.canonicalize().ok()?;
                dir.file_name().map(|f| f.to_string_lossy().into_owned())
            })
            .unwrap_or_else(|| "app".into()),
        None => args
            .app
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "app".into()),
    };
    let app_version = match (args.app_version, package_version) {
        (Some(v), _) => v,
        (None, Some(v)) => v.parse().with_context(|| {
            format!(
                "{}: package.json's version {v:?} is not a semantic version (x.y.z): fix it or give --app-version",
                args.app.display()
            )
        })?,
        (None, None) => semver::Version::new(0, 1, 0),
    };
    // An app that is already one ES module is built as it is, byte for
    // byte as before bundling existed; anything else is bundled first.
    let (file_name, source) = if jspkg_bundler::is_self_contained(&entry_file_name, &source) {
        (entry_file_name, source)
    } else {
        let bundling = Instant::now();
        let bundled = jspkg_bundler::bundle(
            &entry,
            &jspkg_bundler::Options {
                mode: args.mode.clone(),
            },
        )?;
        tracing::debug!(
            "bundled {} into {} bytes in {:?}",
            entry.display(),
            bundled.code.len(),
            bundling.elapsed()
        );
        if !args.quiet {
            for w in &bundled.warnings {
                eprintln!("warning: {w}");
            }
        }
        (bundled.file_name, bundled.code)
    };
    if args.output.is_dir() {
        bail!(
            "{} is a directory: give the output file's path",
            args.output.display()
        );
    }
    let opts = BuildOptions {
        world: args.world,
        app_name: name,
        app_version,
        file_name,
        build_time: jspkg_packager::build_time_from_env(),
        record_source: !args.no_source,
    };
    let built = match jspkg_packager::build_app(&source, &opts) {
        Ok(b) => b,
        Err(jspkg_packager::BuildError::App { message }) => {
            return Err(crate::input::Verbatim(format!(
                "{message}\n(building {} failed: no output written)",
                args.app.display()
            ))
            .into());
        }
        Err(e) => return Err(e).context(format!("building {}", args.app.display())),
    };
    // What the app's top-level code printed at build time goes to stderr,
    // so it never mixes with a pipeline's stdout.
    let mut err = std::io::stderr().lock();
    err.write_all(&built.init_stdout)?;
    err.write_all(&built.init_stderr)?;
    jspkg_artifact::fsutil::write_atomic(&args.output, &built.component)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    if !args.quiet {
        eprintln!(
            "built {} ({} KiB) in {:.0?}",
            args.output.display(),
            built.component.len().div_ceil(1024),
            started.elapsed()
        );
    }
    Ok(())
}
