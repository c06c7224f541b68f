//! `jspkg rebuild APP.wasm --engine NAME@VERSION -o DIR` and
//! `jspkg rebuild REGISTRY/NS --engine NAME@VERSION [--dry-run]`: snapshot
//! apps again, from the source record they carry, on a new engine.

use anyhow::{Context, bail};
use jspkg_artifact::{Digest, fsutil::write_atomic};
use jspkg_packager::{RawEngine, World};
use jspkg_registry::{PublishOptions, PullOptions, layout, namespace};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const EXAMPLES: &str = "\
Examples:
  jspkg rebuild hello/app.wasm --engine jspkg-quickjs-cli@0.2.0 \\
      --engine-module target/engine/jspkg-engine-cli.wasm -o hello-0.2/
  jspkg rebuild 127.0.0.1:5000/acme --engine jspkg-quickjs-cli@0.2.0 \\
      --engine-module target/engine/jspkg-engine-cli.wasm --dry-run

The new engine is a raw engine build: the core module engine-component/build.sh
writes (target/engine/jspkg-engine-WORLD.wasm), given with --engine-module, or,
without it, the engine built into this jspkg (jspkg --version names its version).
A rebuilt app in a registry gets the tag APP-VERSION_engine.ENGINE-VERSION
(semver 1.0.0+engine.0.2.0) and a `dev.jspkg.rebuilt-from` annotation.";

/// Snapshot apps again on a new engine, from the source record they carry.
///
/// TARGET is an app file (app.wasm, or a built or composed component):
/// writes DIR/engine.wasm and DIR/app.wasm, pinned to the new engine. Or
/// REGISTRY/NAMESPACE: every app repository whose newest tag pins an older
/// engine of that name is pulled, rebuilt and published under a new tag.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct RebuildArgs {
    /// An app file, or REGISTRY/NAMESPACE (e.g. 127.0.0.1:5000/acme).
    target: String,
    /// The new engine: NAME@VERSION (an exact version).
    #[arg(long, value_name = "NAME@VERSION")]
    engine: String,
    /// The new engine's raw core module (engine-component/build.sh output);
    /// default: the engine built into this jspkg, which must be NAME@VERSION.
    #[arg(long, value_name = "RAW-ENGINE.wasm")]
    engine_module: Option<PathBuf>,
    /// Output directory for an app file (created if missing).
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Registry: pull and rebuild, but publish nothing.
    #[arg(long)]
    dry_run: bool,
    /// Registry: the app repositories to consider, one per line, relative to
    /// the namespace (`hello` for NAMESPACE/hello), instead of the catalog API.
    #[arg(long, value_name = "FILE")]
    list: Option<PathBuf>,
    #[command(flatten)]
    flags: crate::cmd_pull::RegistryFlags,
}

/// Parses `NAME@VERSION`.
fn parse_engine(s: &str) -> anyhow::Result<(String, semver::Version)> {
    let Some((name, version)) = s.split_once('@').filter(|(n, _)| !n.is_empty()) else {
        bail!("--engine `{s}`: expected NAME@VERSION, e.g. jspkg-quickjs-cli@0.2.0");
    };
    let version = semver::Version::parse(version).map_err(|e| {
        anyhow::anyhow!("--engine `{s}`: `{version}` is not an exact semver version ({e})")
    })?;
    Ok((name.to_string(), version))
}

/// The raw engine to snapshot on.
fn raw_engine(spec: &str, module: Option<&Path>) -> anyhow::Result<RawEngine> {
    let (name, version) = parse_engine(spec)?;
    if let Some(path) = module {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        return RawEngine::from_module(name, version, bytes)
            .with_context(|| format!("--engine-module {}", path.display()));
    }
    let built_in: Vec<RawEngine> = World::ALL.into_iter().map(RawEngine::built_in).collect();
    if let Some(e) = built_in
        .iter()
        .find(|e| e.name == name && e.version == version)
    {
        return Ok(e.clone());
    }
    let names: Vec<String> = built_in
        .iter()
        .map(|e| format!("{}@{}", e.name, e.version))
        .collect();
    bail!(
        "{name}@{version} is not an engine built into this jspkg ({}): give its raw core module with --engine-module",
        names.join(", ")
    )
}

pub fn run(args: RebuildArgs) -> anyhow::Result<ExitCode> {
    let engine = raw_engine(&args.engine, args.engine_module.as_deref())?;
    if Path::new(&args.target).is_file() {
        if args.dry_run || args.list.is_some() {
            bail!("--dry-run and --list are for a registry namespace, not an app file");
        }
        let Some(out) = &args.output else {
            bail!("give the output directory with -o DIR (it gets engine.wasm and app.wasm)");
        };
        rebuild_file(Path::new(&args.target), &engine, out, &args)?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.output.is_some() {
        bail!(
            "{} is not a file; for a registry namespace leave out -o (rebuilt apps are published)",
            args.target
        );
    }
    rebuild_namespace(&engine, &args)
}

fn rebuild_file(
    input: &Path,
    engine: &RawEngine,
    out: &Path,
    args: &RebuildArgs,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let bytes = std::fs::read(input).with_context(|| format!("cannot read {}", input.display()))?;
    let rebuilt = jspkg_packager::rebuild(&bytes, engine)
        .with_context(|| format!("cannot rebuild {}", input.display()))?;
    let elapsed = started.elapsed();
    if !args.flags.quiet {
        let mut err = std::io::stderr().lock();
        err.write_all(&rebuilt.init_stdout)?;
        err.write_all(&rebuilt.init_stderr)?;
    }
    write_split(out, &rebuilt.engine, &rebuilt.app)?;
    let engine_digest = Digest::of(&rebuilt.engine);
    if args.flags.json {
        let summary = serde_json::json!({
            "engine": {
                "name": engine.name,
                "version": engine.version,
                "digest": engine_digest,
                "size": rebuilt.engine.len(),
            },
            "app": {
                "digest": Digest::of(&rebuilt.app),
                "size": rebuilt.app.len(),
                "app": rebuilt.old.app,
            },
            "previous": { "digest": Digest::of(&bytes), "engine": rebuilt.old.engine },
            "source": {
                "file_name": rebuilt.record.header.file_name,
                "digest": rebuilt.record.header.source.digest,
            },
            "rebuild_ms": elapsed.as_secs_f64() * 1000.0,
        });
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else if !args.flags.quiet {
        println!(
            "rebuilt {} ({} {} → {} {}) into {} in {:.0} ms",
            input.display(),
            rebuilt.old.engine.name,
            rebuilt.old.engine.version,
            engine.name,
            engine.version,
            out.display(),
            elapsed.as_secs_f64() * 1000.0
        );
    }
    Ok(())
}

/// Writes DIR/engine.wasm and DIR/app.wasm, or nothing.
fn write_split(dir: &Path, engine: &[u8], app: &[u8]) -> anyhow::Result<()> {
    let created = !dir.exists();
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let engine_path = dir.join("engine.wasm");
    let app_path = dir.join("app.wasm");
    let written = write_atomic(&engine_path, engine)
        .with_context(|| format!("cannot write {}", engine_path.display()))
        .and_then(|()| {
            write_atomic(&app_path, app)
                .with_context(|| format!("cannot write {}", app_path.display()))
        });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&engine_path);
        if created {
            let _ = std::fs::remove_dir(dir);
        }
        return Err(e);
    }
    Ok(())
}

/// What happened to one app repository.
#[derive(Debug, Serialize)]
struct AppReport {
    repository: String,
    /// The newest tag looked at.
    #[serde(skip_serializing_if = "Option::is_none")]
    tag: Option<String>,
    /// `rebuilt`, `would-rebuild` (dry run), `skipped` or `failed`.
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    /// The engine the newest tag pins, NAME@VERSION.
    #[serde(skip_serializing_if = "Option::is_none")]
    from_engine: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    previous_digest: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    new_tag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    new_digest: Option<String>,
    uploaded_bytes: u64,
    ms: f64,
}

impl AppReport {
    fn new(repository: &str) -> Self {
        Self {
            repository: repository.to_string(),
            tag: None,
            status: "skipped",
            reason: None,
            from_engine: None,
            previous_digest: None,
            new_tag: None,
            new_digest: None,
            uploaded_bytes: 0,
            ms: 0.0,
        }
    }
}

fn repositories(
    rt: &tokio::runtime::Runtime,
    registry: &str,
    ns: &str,
    args: &RebuildArgs,
) -> anyhow::Result<Vec<String>> {
    let Some(list) = &args.list else {
        return Ok(rt.block_on(namespace::list_repositories(
            registry,
            ns,
            &args.flags.client(),
        ))?);
    };
    let text =
        std::fs::read_to_string(list).with_context(|| format!("cannot read {}", list.display()))?;
    let mut repos = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let repo = format!("{ns}/{line}");
        if !namespace::in_namespace(&repo, ns) || line.contains([':', '@', ' ']) {
            bail!(
                "{}:{}: `{line}` is not an app repository name relative to {ns}",
                list.display(),
                i + 1
            );
        }
        repos.push(repo);
    }
    Ok(repos)
}

fn rebuild_namespace(engine: &RawEngine, args: &RebuildArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let (registry, ns) = namespace::parse_namespace(&args.target)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let repos = repositories(&rt, &registry, &ns, args)?;
    let store = crate::cmd_pull::store()?;
    let work = tempfile_dir()?;
    let mut reports = Vec::new();
    // The new engine's reference image, made once for all apps.
    let mut reference: Option<Vec<u8>> = None;
    for repo in &repos {
        let t = Instant::now();
        let mut r = AppReport::new(repo);
        let ctx = Ctx {
            rt: &rt,
            registry: &registry,
            engine,
            args,
            store: &store,
            work: &work,
        };
        if let Err(e) = rebuild_one(&ctx, repo, &mut reference, &mut r) {
            r.status = "failed";
            r.reason = Some(format!("{e:#}"));
        }
        r.ms = t.elapsed().as_secs_f64() * 1000.0;
        tracing::info!(repository = %repo, status = r.status, "rebuild");
        reports.push(r);
    }
    let _ = std::fs::remove_dir_all(&work);
    let count = |s: &str| reports.iter().filter(|r| r.status == s).count();
    let failed = count("failed");
    if args.flags.json {
        let v = serde_json::json!({
            "namespace": format!("{registry}/{ns}"),
            "engine": { "name": engine.name, "version": engine.version },
            "dry_run": args.dry_run,
            "apps": reports,
            "rebuilt": count("rebuilt"),
            "would_rebuild": count("would-rebuild"),
            "skipped": count("skipped"),
            "failed": failed,
            "uploaded_bytes": reports.iter().map(|r| r.uploaded_bytes).sum::<u64>(),
            "elapsed_ms": started.elapsed().as_secs_f64() * 1000.0,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else if !args.flags.quiet {
        print_table(&reports);
        println!(
            "{} rebuilt, {} would be rebuilt, {} skipped, {} failed in {:.1} s (engine {}@{})",
            count("rebuilt"),
            count("would-rebuild"),
            count("skipped"),
            failed,
            started.elapsed().as_secs_f64(),
            engine.name,
            engine.version
        );
    }
    if failed > 0 {
        eprintln!("error: {failed} app(s) could not be rebuilt; their old tags are untouched");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_table(reports: &[AppReport]) {
    let rows: Vec<[String; 5]> = reports
        .iter()
        .map(|r| {
            [
                r.repository.clone(),
                r.tag.clone().unwrap_or_else(|| "-".into()),
                r.status.to_string(),
                r.new_tag.clone().unwrap_or_else(|| "-".into()),
                r.reason.clone().unwrap_or_default(),
            ]
        })
        .collect();
    let head = ["REPOSITORY", "TAG", "STATUS", "NEW TAG", "REASON"].map(String::from);
    let mut w = [0usize; 4];
    for row in std::iter::once(&head).chain(&rows) {
        for (i, c) in row[..4].iter().enumerate() {
            w[i] = w[i].max(c.chars().count());
        }
    }
    for row in std::iter::once(&head).chain(&rows) {
        println!(
            "{:w0$}  {:w1$}  {:w2$}  {:w3$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            w0 = w[0],
            w1 = w[1],
            w2 = w[2],
            w3 = w[3]
        );
    }
}

/// A private scratch directory under `$JSPKG_HOME/tmp`.
fn tempfile_dir() -> anyhow::Result<PathBuf> {
    let base = crate::home::jspkg_home().join("tmp");
    std::fs::create_dir_all(&base).with_context(|| format!("cannot create {}", base.display()))?;
    let dir = base.join(format!("rebuild-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

/// What every app of a namespace run shares.
struct Ctx<'a> {
    rt: &'a tokio::runtime::Runtime,
    registry: &'a str,
    engine: &'a RawEngine,
    args: &'a RebuildArgs,
    store: &'a jspkg_registry::Store,
    work: &'a Path,
}

fn rebuild_one(
    ctx: &Ctx<'_>,
    repo: &str,
    reference: &mut Option<Vec<u8>>,
    r: &mut AppReport,
) -> anyhow::Result<()> {
    let Ctx {
        rt,
        registry,
        engine,
        args,
        store,
        work,
    } = *ctx;
    let client = args.flags.client();
    let Some(head) = rt.block_on(namespace::newest(registry, repo, &client))? else {
        r.reason = Some("no semver tag".into());
        return Ok(());
    };
    r.tag = Some(head.tag.clone());
    r.previous_digest = Some(head.digest.to_string());
    let ann = &head.manifest.annotations;
    let kind = ann.get(layout::ANN_KIND).map_or("none", String::as_str);
    if kind != "app" {
        r.reason = Some(format!("not a split app (kind {kind})"));
        return Ok(());
    }
    let (Some(name), Some(version)) = (
        ann.get(layout::ANN_ENGINE_NAME),
        ann.get(layout::ANN_ENGINE_VERSION),
    ) else {
        bail!(
            "its manifest names no engine (annotations {} and {})",
            layout::ANN_ENGINE_NAME,
            layout::ANN_ENGINE_VERSION
        );
    };
    r.from_engine = Some(format!("{name}@{version}"));
    if *name != engine.name {
        r.reason = Some(format!("on engine {name}, not {}", engine.name));
        return Ok(());
    }
    let version = semver::Version::parse(version)
        .with_context(|| format!("its engine version `{version}` is not semver"))?;
    if version >= engine.version {
        r.reason = Some(if version == engine.version {
            format!("already on {name}@{version}")
        } else {
            format!("on a newer engine, {name}@{version}")
        });
        return Ok(());
    }
    let pulled = jspkg_registry::pull_blocking(
        &format!("{registry}/{repo}@{}", head.digest),
        store,
        &PullOptions {
            client: client.clone(),
        },
    )?;
    let bytes = std::fs::read(&pulled.app)
        .with_context(|| format!("cannot read {}", pulled.app.display()))?;
    if reference.is_none() {
        *reference = Some(jspkg_packager::reference(engine)?);
    }
    let rebuilt = jspkg_packager::rebuild_with(&bytes, engine, reference.as_deref())?;
    let new_version = namespace::rebuilt_version(&head.version, &engine.version);
    let new_tag = jspkg_registry::version_tag(&new_version);
    r.new_tag = Some(new_tag.clone());
    if args.dry_run {
        r.status = "would-rebuild";
        return Ok(());
    }
    let dir = work.join(repo.replace('/', "+"));
    write_split(&dir, &rebuilt.engine, &rebuilt.app)?;
    let report = rt.block_on(jspkg_registry::publish(
        &dir,
        &format!("{registry}/{repo}:{new_tag}"),
        &PublishOptions {
            engine: None,
            client,
            annotations: BTreeMap::from([(
                layout::ANN_REBUILT_FROM.to_string(),
                head.digest.to_string(),
            )]),
            // Blobs the store saw elsewhere may be mounted, not uploaded.
            store: crate::cmd_pull::store().ok(),
        },
    ))?;
    let _ = std::fs::remove_dir_all(&dir);
    r.status = "rebuilt";
    r.new_digest = Some(report.manifest_digest);
    r.uploaded_bytes = report.uploaded_bytes;
    Ok(())
}
