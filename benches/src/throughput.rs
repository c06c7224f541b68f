//! (d) Throughput: CPU-bound JS kernels (benches/kernels/, in the style of
//! Octane and SunSpider) in our engine (a fresh instance of the built
//! component), in the same QuickJS built natively, and in node; with the
//! tools of `scripts/setup-tools.sh` on PATH, also in SpiderMonkey on wasm
//! (a ComponentizeJS component of each kernel, run by the wasmtime CLI),
//! the engine a user would pick instead of ours. `--engine LABEL=FILE` adds
//! a column for another build of our engine (a raw `engine-component/build.sh`
//! cli module), run as `jspkg run` runs it, so that a build lever is
//! measured side by side with the engine built into this binary;
//! `--engine-serve LABEL=FILE` runs one as `jspkg serve` does, with epoch
//! checks. Each kernel times its own work with
//! `performance.now()` and prints `result=… ms=…`; every engine must agree
//! on the result.

use crate::apps::{self, block_on};
use crate::native;
use crate::stats::{self, human, ratio};
use anyhow::Context;
use jspkg_packager::{BuildOptions, RawEngine, World};
use jspkg_runtime::{CliStdio, LoadedApp, Runtime, RuntimeConfig};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// `(result, ms)` from a kernel's `NAME result=R ms=T` line.
fn parse(out: &str) -> anyhow::Result<(String, Duration)> {
    let line = out
        .lines()
        .find(|l| l.contains(" result=") && l.contains(" ms="))
        .ok_or_else(|| anyhow::anyhow!("no `result=… ms=…` line in {out:?}"))?;
    let field = |k: &str| {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(k))
            .map(str::to_string)
            .ok_or_else(|| anyhow::anyhow!("no {k} in {line:?}"))
    };
    let ms: f64 = field("ms=")?.parse()?;
    Ok((field("result=")?, Duration::from_secs_f64(ms / 1e3)))
}

/// Another build of our engine to measure beside the built-in one
/// (`--engine LABEL=FILE`).
#[derive(Clone, Debug)]
pub struct ExtraEngine {
    /// The column's name.
    pub label: String,
    /// A raw cli engine module (`engine-component/build.sh` output).
    pub module: PathBuf,
}

impl std::str::FromStr for ExtraEngine {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (label, file) = s
            .split_once('=')
            .ok_or_else(|| format!("{s:?}: give LABEL=FILE (a raw cli engine module)"))?;
        Ok(Self {
            label: label.to_string(),
            module: PathBuf::from(file),
        })
    }
}

/// One engine a kernel runs in: a column of the table.
enum Column {
    /// A component of ours in the runtime (the built-in engine or
    /// `--engine`), set up as `setup` says.
    Ours {
        label: String,
        engine: RawEngine,
        setup: Setup,
    },
    /// SpiderMonkey: a ComponentizeJS component run by the wasmtime CLI.
    SpiderMonkey,
    /// Our built-in engine's component run by the wasmtime CLI with these
    /// flags (`--wasmtime-levers`): what one wasmtime setting costs.
    WasmtimeCli {
        label: String,
        flags: Vec<&'static str>,
    },
    /// The same QuickJS built natively: the baseline every ratio is taken to.
    Native,
    /// node.
    Node,
}

impl Column {
    fn label(&self) -> &str {
        match self {
            Column::Ours { label, .. } => label,
            Column::SpiderMonkey => "SpiderMonkey (ComponentizeJS) on wasm",
            Column::WasmtimeCli { label, .. } => label,
            Column::Native => "native QuickJS",
            Column::Node => "node",
        }
    }
}

/// How the runtime a column of ours runs in is set up.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Setup {
    /// With a time limit, kept by epoch checks in the compiled engine: as
    /// `jspkg serve` runs it.
    Serve,
    /// Without epoch checks: as `jspkg run` runs it (its limit ends the
    /// process).
    Run,
    /// As `Run`, and Cranelift inlines small wasm functions
    /// (`RuntimeConfig::cranelift_inlining`).
    RunInlining,
}

/// What a kernel needs to run in one column, made once before the runs.
enum Prepared {
    /// The kernel's app, and the runtime it runs in.
    Ours(LoadedApp, Setup),
    SpiderMonkey(PathBuf),
    WasmtimeCli(PathBuf, Vec<&'static str>),
    Native,
    Node,
}

/// Runs every kernel `repeats` times in each engine, in turn.
pub fn kernels(
    repeats: usize,
    extra: &[ExtraEngine],
    served: &[ExtraEngine],
    wasmtime_levers: bool,
) -> anyhow::Result<()> {
    let dir = apps::repo_root().join("benches/kernels");
    let mut files: Vec<_> = std::fs::read_dir(&dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.retain(|p| p.extension().is_some_and(|e| e == "js"));
    files.sort();
    let runtime = |timeout, cranelift_inlining| {
        Runtime::new(RuntimeConfig {
            max_instances: 4,
            cranelift_inlining,
            limits: jspkg_runtime::Limits {
                timeout,
                ..Default::default()
            },
            ..Default::default()
        })
    };
    let rt = Runtimes {
        limited: runtime(Some(Duration::from_secs(600)), false)?,
        unlimited: runtime(None, false)?,
        inlining: runtime(None, true)?,
    };

    let mut columns = vec![
        Column::Ours {
            label: "jspkg serve (epoch checks)".into(),
            engine: RawEngine::built_in(World::Cli),
            setup: Setup::Serve,
        },
        Column::Ours {
            label: "jspkg run".into(),
            engine: RawEngine::built_in(World::Cli),
            setup: Setup::Run,
        },
    ];
    let setups = extra.iter().map(|e| (e, Setup::Run));
    for (e, setup) in setups.chain(served.iter().map(|e| (e, Setup::Serve))) {
        let bytes = std::fs::read(&e.module)
            .with_context(|| format!("reading the engine {}", e.module.display()))?;
        let builtin = RawEngine::built_in(World::Cli);
        let engine = RawEngine::from_module(builtin.name, builtin.version, bytes)
            .with_context(|| format!("{} is not a raw cli engine", e.module.display()))?;
        columns.push(Column::Ours {
            label: e.label.clone(),
            engine,
            setup,
        });
    }
    let spidermonkey = spidermonkey_available();
    if spidermonkey {
        columns.push(Column::SpiderMonkey);
    }
    if wasmtime_levers {
        anyhow::ensure!(
            spidermonkey,
            "--wasmtime-levers runs the wasmtime CLI: put it on PATH (source .jspkg-tools/env.sh)"
        );
        // The CLI's defaults are wasmtime's (a 4 GiB reservation and guard:
        // no bounds checks; no epoch interruption); each variant changes one.
        // Measured and not kept (BENCHMARKS.md, "A time limit that costs
        // `jspkg run` nothing"): Cranelift inlining wasm functions.
        columns.push(Column::Ours {
            label: "jspkg run, Cranelift inlining".into(),
            engine: RawEngine::built_in(World::Cli),
            setup: Setup::RunInlining,
        });
        for (label, flags) in [
            ("wasmtime CLI", vec![]),
            // A deadline far away: epochs are checked, never reached.
            (
                "wasmtime CLI + epochs",
                vec!["-W", "epoch-interruption=y,timeout=600s"],
            ),
            (
                "wasmtime CLI, bounds checks",
                vec!["-O", "signals-based-traps=n"],
            ),
        ] {
            columns.push(Column::WasmtimeCli {
                label: label.into(),
                flags,
            });
        }
    }
    columns.push(Column::Native);
    columns.push(Column::Node);
    let native_at = columns.len() - 2;

    crate::md!("## (d) Throughput: JS kernels (benches/kernels/)\n");
    crate::md!(
        "Time of each kernel's own work (`performance.now()` around it), median of {repeats} \
         runs per engine, the engines taking turns; the engines agree on every result.\n"
    );
    if !spidermonkey {
        crate::md!(
            "(No SpiderMonkey column: `componentize-js` and `wasmtime` are not on PATH; \
             `source .jspkg-tools/env.sh` after `scripts/setup-tools.sh`.)\n"
        );
    }
    let others: Vec<usize> = (0..columns.len()).filter(|&i| i != native_at).collect();
    let header: Vec<String> = columns
        .iter()
        .map(|c| c.label().to_string())
        .chain(
            others
                .iter()
                .map(|&i| format!("{} / native", columns[i].label())),
        )
        .collect();
    crate::md!("| kernel | {} |", header.join(" | "));
    crate::md!("| --- |{}", " --- |".repeat(header.len()));

    let work = tempfile::tempdir()?;
    let mut log_ratio_sums = vec![0.0; columns.len()];
    let mut worst = vec![0.0f64; columns.len()];
    for path in &files {
        let rel = format!(
            "benches/kernels/{}",
            path.file_name().unwrap().to_string_lossy()
        );
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let source = std::fs::read_to_string(path)?;
        let prepared = columns
            .iter()
            .map(|c| prepare(c, &rt, &rel, &name, &source, work.path()))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let mut times = vec![Vec::new(); columns.len()];
        let mut results: Vec<(usize, String)> = Vec::new();
        for _ in 0..repeats {
            for (i, p) in prepared.iter().enumerate() {
                let (r, t) = run(p, &rt, &name, &source, path)
                    .with_context(|| format!("{name} in {}", columns[i].label()))?;
                results.push((i, r));
                times[i].push(t);
            }
        }
        if let Some((who, r)) = results.iter().find(|(_, r)| *r != results[0].1) {
            anyhow::bail!(
                "{name}: {} computed {r}, {} computed {}",
                columns[*who].label(),
                columns[results[0].0].label(),
                results[0].1
            );
        }
        let medians: Vec<Duration> = times
            .iter_mut()
            .map(|t| stats::summarize(t).median)
            .collect();
        let n = medians[native_at];
        for (i, m) in medians.iter().enumerate() {
            let r = m.as_secs_f64() / n.as_secs_f64();
            log_ratio_sums[i] += r.ln();
            worst[i] = worst[i].max(r);
        }
        let cells: Vec<String> = medians
            .iter()
            .map(|&m| human(m))
            .chain(others.iter().map(|&i| ratio(medians[i], n)))
            .collect();
        crate::md!("| {name} | {} |", cells.join(" | "));
        let ms = |d: Duration| (d.as_secs_f64() * 1e5).round() / 100.0;
        let mut o = serde_json::json!({ "name": name, "runs": repeats });
        for (c, &m) in columns.iter().zip(&medians) {
            o[format!("{}_ms", key(c.label()))] = ms(m).into();
            o[format!("{}_over_native", key(c.label()))] =
                (m.as_secs_f64() / n.as_secs_f64()).into();
        }
        crate::report::object("throughput", o);
    }
    let count = files.len() as f64;
    crate::md!("");
    let mut o = serde_json::json!({ "name": "geometric mean" });
    for &i in &others {
        let g = (log_ratio_sums[i] / count).exp();
        crate::md!(
            "Geometric mean of {} / native QuickJS: **{g:.2}×** (highest kernel {:.2}×).",
            columns[i].label(),
            worst[i]
        );
        o[format!("{}_over_native", key(columns[i].label()))] = g.into();
        o[format!("{}_worst_over_native", key(columns[i].label()))] = worst[i].into();
    }
    crate::md!("");
    crate::report::object("throughput", o);
    Ok(())
}

/// A column label as a JSON key: `SpiderMonkey (ComponentizeJS) on wasm` →
/// `spidermonkey_componentizejs_on_wasm`.
fn key(label: &str) -> String {
    let mut k = String::new();
    for w in label
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !k.is_empty() {
            k.push('_');
        }
        k.push_str(&w.to_ascii_lowercase());
    }
    k
}

/// The kernel's pre-initialized component on `engine` (no source record).
fn build_kernel(
    engine: &RawEngine,
    rel: &str,
    name: &str,
    source: &str,
) -> anyhow::Result<Vec<u8>> {
    let built = jspkg_packager::build_app_on(
        engine,
        source,
        &BuildOptions {
            world: World::Cli,
            app_name: name.to_string(),
            app_version: semver::Version::new(0, 1, 0),
            file_name: format!("{name}.js"),
            build_time: Duration::ZERO,
            record_source: false,
        },
    )
    .with_context(|| format!("building {rel}"))?;
    Ok(built.component)
}

/// The runtimes kernels of ours run in, one per [`Setup`] (the time limit
/// of `Setup::Serve` far away).
struct Runtimes {
    limited: Runtime,
    unlimited: Runtime,
    inlining: Runtime,
}

impl Runtimes {
    fn pick(&self, setup: Setup) -> &Runtime {
        match setup {
            Setup::Serve => &self.limited,
            Setup::Run => &self.unlimited,
            Setup::RunInlining => &self.inlining,
        }
    }
}

fn prepare(
    column: &Column,
    rt: &Runtimes,
    rel: &str,
    name: &str,
    source: &str,
    work: &Path,
) -> anyhow::Result<Prepared> {
    Ok(match column {
        Column::Ours { engine, setup, .. } => {
            let app = rt
                .pick(*setup)
                .load_component(&build_kernel(engine, rel, name, source)?)?;
            Prepared::Ours(app, *setup)
        }
        Column::SpiderMonkey => Prepared::SpiderMonkey(componentize(name, source, work)?),
        Column::WasmtimeCli { label, flags } => {
            let component = build_kernel(&RawEngine::built_in(World::Cli), rel, name, source)?;
            let wasm = work.join(format!("{name}.wasm"));
            std::fs::write(&wasm, component)?;
            let compiled = work.join(format!("{name}-{}.cwasm", key(label)));
            wasmtime_compile(&wasm, flags, &compiled)?;
            Prepared::WasmtimeCli(compiled, flags.clone())
        }
        Column::Native => Prepared::Native,
        Column::Node => Prepared::Node,
    })
}

fn run(
    prepared: &Prepared,
    rt: &Runtimes,
    name: &str,
    source: &str,
    path: &Path,
) -> anyhow::Result<(String, Duration)> {
    match prepared {
        Prepared::Ours(loaded, setup) => {
            let out = block_on(rt.pick(*setup).run_cli(
                loaded,
                name,
                &[],
                CliStdio::Capture {
                    stdin: vec![],
                    limit: 1 << 16,
                },
            ))?;
            anyhow::ensure!(
                out.exit_code == 0,
                "failed: {:?}",
                String::from_utf8_lossy(&out.stderr)
            );
            parse(&String::from_utf8_lossy(&out.stdout))
        }
        Prepared::SpiderMonkey(component) => {
            // The kernel's line is printed by console.log (wasi:cli/stdout);
            // the export's return value (empty) follows it.
            let out = Command::new("wasmtime")
                .args([
                    "run",
                    "-S",
                    "http",
                    "--allow-precompiled",
                    "--invoke",
                    "hello(\"\")",
                ])
                .arg(component)
                .output()?;
            anyhow::ensure!(
                out.status.success(),
                "wasmtime run failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            parse(&String::from_utf8_lossy(&out.stdout))
        }
        Prepared::WasmtimeCli(compiled, flags) => {
            let out = Command::new("wasmtime")
                .arg("run")
                .args(flags)
                .args(["-S", "http", "--allow-precompiled"])
                .arg(compiled)
                .output()?;
            anyhow::ensure!(
                out.status.success(),
                "wasmtime run failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            parse(&String::from_utf8_lossy(&out.stdout))
        }
        Prepared::Native => parse(&native::run(&format!("{name}.js"), source, &[])?),
        Prepared::Node => {
            let out = Command::new("node")
                .arg(apps::repo_root().join("tests/node-main.mjs"))
                .arg(path)
                .output()?;
            anyhow::ensure!(out.status.success(), "failed in node");
            parse(&String::from_utf8_lossy(&out.stdout))
        }
    }
}

/// Whether the SpiderMonkey column can be measured: ComponentizeJS and the
/// wasmtime CLI on PATH (`source .jspkg-tools/env.sh`).
fn spidermonkey_available() -> bool {
    ["componentize-js", "wasmtime"].iter().all(|tool| {
        Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Builds the kernel into a ComponentizeJS component of the world
/// `tests/foreign/wit` `hello` (the kernel's source, plus an export
/// `hello` that calls its `main`) and compiles it. SpiderMonkey
/// pre-initializes the module as our engine does; `main` runs when `hello`
/// is called. Building and compiling take a minute per kernel, so the
/// compiled component is kept in `target/bench/spidermonkey/`, named by the
/// digest of what went into it (the wrapper's source, the WIT world, the
/// versions of ComponentizeJS and wasmtime).
fn componentize(name: &str, source: &str, work: &Path) -> anyhow::Result<PathBuf> {
    let wrapper = format!("{source}\nexport function hello(_name) {{ main([]); return \"\"; }}\n");
    let wit_dir = apps::repo_root().join("tests/foreign/wit");
    let wit = std::fs::read(wit_dir.join("hello.wit"))?;
    let version = |tool: &str| -> anyhow::Result<Vec<u8>> {
        Ok(Command::new(tool).arg("--version").output()?.stdout)
    };
    let digest = jspkg_artifact::Digest::of(
        &[
            wrapper.as_bytes(),
            &wit,
            &version("componentize-js")?,
            &version("wasmtime")?,
        ]
        .concat(),
    );
    let cache = apps::repo_root().join("target/bench/spidermonkey");
    let compiled = cache.join(format!("{name}-{}.cwasm", &digest.hex()[..16]));
    if compiled.exists() {
        return Ok(compiled);
    }
    let js = work.join(format!("{name}-cjs.js"));
    let wasm = work.join(format!("{name}-cjs.wasm"));
    std::fs::write(&js, wrapper)?;
    let status = Command::new("componentize-js")
        .arg(&js)
        .arg("--wit")
        .arg(&wit_dir)
        .args(["--world-name", "hello", "-o"])
        .arg(&wasm)
        .output()?;
    anyhow::ensure!(
        status.status.success(),
        "componentize-js failed for {name}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    std::fs::create_dir_all(&cache)?;
    // Written beside, then renamed: a run cut off leaves no half file.
    let partial = compiled.with_extension("cwasm.partial");
    wasmtime_compile(&wasm, &[], &partial)?;
    std::fs::rename(&partial, &compiled)?;
    Ok(compiled)
}

/// `wasmtime compile FLAGS WASM -o OUT` (a run must give the same flags).
fn wasmtime_compile(wasm: &Path, flags: &[&str], out: &Path) -> anyhow::Result<()> {
    let status = Command::new("wasmtime")
        .arg("compile")
        .args(flags)
        .arg(wasm)
        .arg("-o")
        .arg(out)
        .output()?;
    anyhow::ensure!(
        status.status.success(),
        "wasmtime compile failed for {}: {}",
        wasm.display(),
        String::from_utf8_lossy(&status.stderr)
    );
    Ok(())
}
