//! What `jspkg build` writes is a standard component: other hosts run it
//! (the stock `wasmtime` CLI, jco in node), `wasm-tools` validates it, and
//! they print what node prints for the same app. Also: randomness and time
//! are read at run time, never frozen into the snapshot.

mod common;

use common::*;
use std::time::Duration;

/// Apps run in the other hosts: plain output, an exit code from main, an
/// async main, typed arrays and text encoding (host memory and strings).
const HOST_APPS: &[&str] = &[
    "examples/hello/hello.js",
    "examples/conformance/exit-code.js",
    "examples/conformance/async-order.js",
    "examples/conformance/throw.js",
    "examples/conformance/text-encoding.js",
    // The event loop on wasi:io/poll and wasi:clocks/monotonic-clock.
    "examples/conformance/timers-sleep.js",
];

#[test]
fn stock_wasmtime_runs_built_apps_like_node() {
    let tools = Tools::get();
    for rel in HOST_APPS {
        let app = repo_path(rel);
        let wasm = built(&app);
        check_against_node(&app, "wasmtime run", |args| {
            run(
                tools
                    .command("wasmtime")
                    .current_dir(repo_root())
                    // exit codes other than 0 and 1 go through wasi:cli/exit#exit-with-code
                    // `-S http`: the cli world imports wasi:http for `fetch`
                    .args(["run", "-S", "cli-exit-with-code=y", "-S", "http"])
                    .arg(&wasm)
                    .args(args),
                RUN_TIMEOUT,
            )
        });
    }
}

#[test]
fn jco_runs_built_apps_like_node() {
    let tools = Tools::get();
    for rel in HOST_APPS {
        let app = repo_path(rel);
        let wasm = built(&app);
        let jco_dir = scratch("jco");
        check_against_node(&app, "jco run", |args| {
            run(
                tools
                    .command("node")
                    .current_dir(repo_root())
                    .arg(tools.bin("jco"))
                    .arg("run")
                    .arg("--jco-dir")
                    .arg(&jco_dir)
                    .arg(&wasm)
                    .args(args),
                RUN_TIMEOUT,
            )
        });
    }
}

#[test]
fn wasm_tools_validates_the_output_and_sees_wasi_cli_run() {
    let tools = Tools::get();
    let wasm = built(&repo_path("examples/hello/hello.js"));
    let o = run(
        tools.command("wasm-tools").arg("validate").arg(&wasm),
        Duration::from_secs(120),
    );
    assert!(
        o.success(),
        "wasm-tools validate rejects the build output:\n{o}"
    );
    let o = run(
        tools
            .command("wasm-tools")
            .args(["component", "wit"])
            .arg(&wasm),
        Duration::from_secs(120),
    );
    assert!(o.success(), "wasm-tools component wit failed:\n{o}");
    assert!(
        o.stdout
            .lines()
            .any(|l| l.trim().starts_with("export wasi:cli/run@0.2")),
        "the component does not export wasi:cli/run@0.2.x:\n{o}"
    );
}

/// The app prints Math.random(), Date.now(), new Date() and
/// crypto.getRandomValues() as JSON; two runs of the same built component
/// must differ in randomness and read the current clock.
#[test]
fn randomness_and_time_are_fresh_in_every_run() {
    let app = repo_path("tests/apps/entropy.js");
    let wasm = built(&app);
    let mut runs = Vec::new();
    for _ in 0..2 {
        let before = now_ms();
        let o = jspkg_run(&wasm, &[]);
        let after = now_ms();
        assert!(o.success(), "the entropy app failed:\n{o}");
        let v: serde_json::Value = serde_json::from_str(o.stdout.trim())
            .unwrap_or_else(|e| panic!("not one JSON line ({e}):\n{o}"));
        let now = v["now"]
            .as_f64()
            .unwrap_or_else(|| panic!("no `now`:\n{o}")) as i64;
        // Allow the clock's and the app's rounding: 1 s either side.
        assert!(
            (before - 1000..=after + 1000).contains(&now),
            "Date.now() = {now} is not the current time ({before}..{after}): frozen at build time?\n{o}"
        );
        let date = v["date"]
            .as_str()
            .unwrap_or_else(|| panic!("no `date`:\n{o}"));
        assert!(
            iso8601(before - 1000).as_str() <= date && date <= iso8601(after + 1000).as_str(),
            "new Date() = {date} is not the current time ({}..{})\n{o}",
            iso8601(before),
            iso8601(after)
        );
        let random: Vec<f64> = v["random"]
            .as_array()
            .unwrap_or_else(|| panic!("no `random`:\n{o}"))
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        assert!(
            random.iter().all(|x| (0.0..1.0).contains(x)),
            "Math.random() out of [0, 1):\n{o}"
        );
        assert!(
            random[0] != random[1] || random[1] != random[2],
            "Math.random() repeats:\n{o}"
        );
        let bytes = v["bytes"]
            .as_array()
            .unwrap_or_else(|| panic!("crypto.getRandomValues is missing:\n{o}"))
            .clone();
        assert_eq!(
            bytes.len(),
            16,
            "crypto.getRandomValues filled the wrong length:\n{o}"
        );
        runs.push((random, bytes, v["atBuild"].clone()));
    }
    assert_ne!(
        runs[0].0, runs[1].0,
        "Math.random() gave the same values in two runs: seeded at build time?"
    );
    assert_ne!(
        runs[0].1, runs[1].1,
        "crypto.getRandomValues() gave the same bytes in two runs"
    );
    // What top-level code computed is in the snapshot: the same in both runs.
    assert_eq!(
        runs[0].2, runs[1].2,
        "build-time values should come from the snapshot"
    );
}

/// The ISO formatter the test above uses, checked against node's Date.
#[test]
fn iso8601_matches_node() {
    let samples: [i64; 6] = [
        0,
        951_782_400_000,
        1_709_163_015_250,
        4_102_444_799_999,
        253_402_300_799_999,
        1_000,
    ];
    let script = format!("for (const t of {samples:?}) console.log(new Date(t).toISOString())");
    let o = run(
        Tools::get().command("node").arg("-e").arg(&script),
        Duration::from_secs(60),
    );
    assert!(o.success(), "{o}");
    let ours: Vec<String> = samples.iter().map(|&t| iso8601(t)).collect();
    assert_eq!(o.stdout.lines().collect::<Vec<_>>(), ours);
}
