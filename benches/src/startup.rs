//! Start-up: (a) a fresh instance plus a trivial `main`; (b) a new app on
//! a host that has the engine compiled.

use crate::apps::{self, App, block_on, runtime};
use crate::report;
use crate::stats::{self, human, ratio};
use jspkg_runtime::{CliStdio, LoadedApp, Runtime, SlotReset};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const HELLO: &str = "examples/hello/hello.js";

/// One call in a fresh instance; checks it printed `expect`.
fn call(rt: &Runtime, app: &LoadedApp, stdin: &[u8], expect: &str) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let out = block_on(rt.run_cli(
        app,
        "hello",
        &[],
        CliStdio::Capture {
            stdin: stdin.to_vec(),
            limit: 1 << 16,
        },
    ))?;
    let took = started.elapsed();
    anyhow::ensure!(
        out.exit_code == 0 && String::from_utf8_lossy(&out.stdout) == expect,
        "unexpected output: {:?} (exit {}), stderr {:?}",
        String::from_utf8_lossy(&out.stdout),
        out.exit_code,
        String::from_utf8_lossy(&out.stderr)
    );
    Ok(took)
}

/// (a) Cold start, the variants interleaved call by call so that the
/// machine's noise hits them alike.
pub fn cold_start(work: &Path, runs: usize) -> anyhow::Result<()> {
    let hello = apps::prepare(HELLO)?;
    let expected = node_stdout(&hello)?;
    let rt = runtime(Some(&work.join("cache")), SlotReset::InPlace)?;
    let split = rt.load_engine(&hello.engine)?.link_app(&rt, &hello.app)?;
    let mono = rt.load_component(&hello.monolithic)?;
    let raw = rt.load_component(&jspkg_packager::unsnapshotted_engine(
        jspkg_packager::World::Cli,
    )?)?;
    let raw_stdin = format!("hello.js\n{}", hello.source).into_bytes();
    // The same split app on a runtime whose slots drop written pages.
    let rt_drop = runtime(Some(&work.join("cache")), SlotReset::Drop)?;
    let split_drop = rt_drop
        .load_engine(&hello.engine)?
        .link_app(&rt_drop, &hello.app)?;

    let mut variants: Vec<(&str, &Runtime, &LoadedApp, &[u8])> = vec![
        ("split, linked at load time", &rt, &split, b""),
        ("monolithic pre-initialized component", &rt, &mono, b""),
        (
            "no snapshot (source evaluated at start)",
            &rt,
            &raw,
            &raw_stdin,
        ),
        (
            "split, written pages dropped at reset (wasmtime's default)",
            &rt_drop,
            &split_drop,
            b"",
        ),
    ];
    variants.retain(|v| apps::wanted(v.0));
    let summaries = stats::interleaved(variants.len(), runs, |i| {
        let (_, rt, app, stdin) = variants[i];
        call(rt, app, stdin, &expected)
    })?;
    let node_runs = if apps::wanted("node") { 20 } else { 0 };
    let mut node = Vec::with_capacity(node_runs);
    for _ in 0..node_runs {
        let started = Instant::now();
        node_stdout(&hello)?;
        node.push(started.elapsed());
    }

    let split_median = summaries.first().map_or(Duration::ZERO, |s| s.median);
    crate::md!("## (a) Cold start: fresh instance + `main` of examples/hello\n");
    crate::md!(
        "Each call: a new store, instantiate from the app's `InstancePre`, call `wasi:cli/run`, \
         output captured. {runs} calls per variant, interleaved.\n"
    );
    crate::md!("| variant | median | p99 | median vs split |");
    crate::md!("| --- | --- | --- | --- |");
    for ((name, ..), s) in variants.iter().zip(&summaries) {
        crate::md!(
            "| {name} | {} | {} | {} |",
            human(s.median),
            human(s.p99),
            ratio(s.median, split_median)
        );
        report::variant("startup", name, s, serde_json::json!({}));
    }
    if node_runs > 0 {
        let node = stats::summarize(&mut node);
        crate::md!(
            "| `node tests/node-main.mjs hello.js` (a process, {node_runs} runs) | {} | {} | {} |",
            human(node.median),
            human(node.p99),
            ratio(node.median, split_median)
        );
        report::variant("startup", "node process", &node, serde_json::json!({}));
    }
    crate::md!();
    Ok(())
}

/// (b) From an app's bytes to its first result, on a host that has the
/// engine compiled (split) or has nothing for it (monolithic: the whole
/// component is compiled).
pub fn new_app_on_warm_host(work: &Path) -> anyhow::Result<()> {
    let sources = [
        "examples/conformance/classes.js",
        "examples/conformance/closures.js",
        "examples/conformance/collections.js",
        "examples/conformance/json.js",
        "examples/conformance/strings.js",
        "examples/conformance/generators.js",
        "examples/conformance/bigint.js",
        "examples/conformance/dates.js",
        "examples/conformance/destructuring.js",
        "examples/conformance/typed-arrays.js",
        "examples/conformance/url-search-params.js",
        "examples/conformance/text-encoding.js",
    ];
    let apps: Vec<App> = sources
        .iter()
        .map(|s| apps::prepare(s))
        .collect::<Result<_, _>>()?;
    let expected: Vec<String> = apps.iter().map(node_stdout).collect::<Result<_, _>>()?;
    for a in &apps[1..] {
        anyhow::ensure!(
            a.engine == apps[0].engine,
            "the apps split into different engines"
        );
    }
    // The warm host: the engine compiled once, kept in memory.
    let rt = runtime(Some(&work.join("warm-cache")), SlotReset::default())?;
    let engine = rt.load_engine(&apps[0].engine)?;
    // The monolithic host compiles every app's component from scratch.
    let cold = runtime(None, SlotReset::default())?;

    let mut split = Vec::new();
    let mut mono = Vec::new();
    // The split app's steps: expand, compile, link (`DataSteps`), first
    // call; and, not counted, a second call: the app's own work.
    let mut steps: [Vec<Duration>; 5] = Default::default();
    for (a, want) in apps.iter().zip(&expected) {
        let started = Instant::now();
        let loaded = engine.link_app(&rt, &a.app)?;
        let linked = Instant::now();
        call(&rt, &loaded, b"", want)?;
        split.push(started.elapsed());
        let again = Instant::now();
        call(&rt, &loaded, b"", want)?;
        let d = loaded.data_steps;
        let times = [d.expand, d.compile, d.link, again - linked, again.elapsed()];
        for (v, t) in steps.iter_mut().zip(times) {
            v.push(t);
        }

        let started = Instant::now();
        let loaded = cold.load_component(&a.monolithic)?;
        call(&cold, &loaded, b"", want)?;
        mono.push(started.elapsed());
    }
    let s = stats::summarize(&mut split);
    let m = stats::summarize(&mut mono);
    crate::md!("## (b) New app on a warm host: app bytes to first result\n");
    crate::md!(
        "{} different apps (examples/conformance), each loaded and run once (then a second \
         time, not counted). Split: the engine \
         is already compiled; the app's data module is expanded, checked against the engine's \
         digest, compiled (no code) and linked. Monolithic: the whole component is compiled.\n",
        apps.len()
    );
    crate::md!("| variant | median | slowest |");
    crate::md!("| --- | --- | --- |");
    crate::md!(
        "| split (engine compiled) | {} | {} |",
        human(s.median),
        human(*split.last().unwrap())
    );
    crate::md!(
        "| monolithic (compile the component) | {} | {} |",
        human(m.median),
        human(*mono.last().unwrap())
    );
    crate::md!(
        "\nSplit is **{} faster** (median).\n",
        ratio(m.median, s.median)
    );
    crate::md!("Where the split app's time goes (median of each step):\n");
    crate::md!("| step | median |");
    crate::md!("| --- | --- |");
    let names = [
        "expand: check the app, decompress its image, check the data module's digest",
        "compile the data module (its copy-on-write image; the cache is written on another thread)",
        "link it into the engine (`InstancePre`)",
        "first call: a fresh instance and `main`",
        "(not counted) a second call, for comparison: the app's own work",
    ];
    let mut step_json = serde_json::Map::new();
    for ((name, key), v) in names
        .iter()
        .zip([
            "expand_us",
            "compile_us",
            "link_us",
            "first_call_us",
            "second_call_us",
        ])
        .zip(steps.iter_mut())
    {
        let st = stats::summarize(v);
        crate::md!("| {name} | {} |", human(st.median));
        step_json.insert(key.into(), report::us(st.median).into());
    }
    crate::md!();
    let slowest = |v: &[Duration]| report::us(*v.last().unwrap());
    report::variant(
        "new-app",
        "split (engine compiled)",
        &s,
        serde_json::json!({ "slowest_us": slowest(&split), "steps": step_json }),
    );
    report::variant(
        "new-app",
        "monolithic (compile the component)",
        &m,
        serde_json::json!({ "slowest_us": slowest(&mono) }),
    );
    Ok(())
}

/// What node prints for the app (the reference each run is checked against).
fn node_stdout(app: &App) -> anyhow::Result<String> {
    let root = apps::repo_root();
    let out = Command::new("node")
        .arg(root.join("tests/node-main.mjs"))
        .arg(&app.path)
        .output()?;
    anyhow::ensure!(
        out.status.success(),
        "node failed on {}",
        app.path.display()
    );
    Ok(String::from_utf8(out.stdout)?)
}
