//! `jspkg split`, `jspkg compose` and `jspkg inspect` end to end, on real
//! inputs: `jspkg build` outputs (our QuickJS engine), Wizer-initialized
//! core modules, ComponentizeJS (SpiderMonkey) and componentize-py
//! components (tests/foreign/build-fixtures.sh). Every composed output is
//! validated by `wasm-tools validate` and run against the unsplit input in
//! an independent host (`wasmtime run`, or jco + node).

mod common;

use common::tools::foreign_fixtures;
use common::{Output, RUN_TIMEOUT, Tools, built, jspkg, repo_path, run, scratch};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;

const TOOL_TIMEOUT: Duration = Duration::from_secs(300);

fn ok(o: Output) -> Output {
    assert!(o.success(), "command failed:\n{o}");
    o
}

/// `jspkg split IN -o DIR --json [EXTRA…]`: the summary, checked against the files.
fn split(input: &Path, dir: &Path, extra: &[&str]) -> Value {
    let o = ok(run(
        jspkg()
            .arg("split")
            .arg(input)
            .arg("-o")
            .arg(dir)
            .arg("--json")
            .args(extra),
        RUN_TIMEOUT,
    ));
    let v: Value =
        serde_json::from_str(&o.stdout).unwrap_or_else(|e| panic!("bad JSON ({e}):\n{o}"));
    for (key, file) in [("engine", "engine.wasm"), ("app", "app.wasm")] {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        assert_eq!(v[key]["size"], bytes.len(), "{key} size");
        assert_eq!(v[key]["digest"], sha256(&bytes), "{key} digest");
    }
    v
}

fn sha256(bytes: &[u8]) -> String {
    jspkg_artifact::Digest::of(bytes).to_string()
}

fn compose(dir: &Path, out: &Path) -> Value {
    let o = ok(run(
        jspkg()
            .arg("compose")
            .arg(dir.join("engine.wasm"))
            .arg(dir.join("app.wasm"))
            .arg("-o")
            .arg(out)
            .arg("--json"),
        RUN_TIMEOUT,
    ));
    ok(run(
        Tools::get().command("wasm-tools").arg("validate").arg(out),
        TOOL_TIMEOUT,
    ));
    serde_json::from_str(&o.stdout).unwrap()
}

/// Whether `wasm` is a component (its header's layer field is 1), not a
/// core module.
fn is_component(wasm: &Path) -> bool {
    let bytes = std::fs::read(wasm).unwrap_or_default();
    bytes.len() >= 8 && bytes[..4] == *b"\0asm" && bytes[6..8] == [1, 0]
}

fn wasmtime(args: &[&str], wasm: &Path, rest: &[String]) -> Output {
    run(
        Tools::get()
            .command("wasmtime")
            .arg("run")
            // jspkg's cli world imports wasi:http (`fetch`); wasmtime takes
            // the flag for components only (not for wizer's core modules).
            .args(if is_component(wasm) {
                &["-S", "http"][..]
            } else {
                &[]
            })
            .args(args)
            .arg(wasm)
            .args(rest),
        TOOL_TIMEOUT,
    )
}

fn inspect(file: &Path) -> Value {
    let o = ok(run(
        jspkg().arg("inspect").arg(file).arg("--json"),
        RUN_TIMEOUT,
    ));
    serde_json::from_str(&o.stdout).unwrap()
}

/// A failed command that left no output behind.
fn refused(o: &Output, outputs: &[&Path], message: &str) {
    assert!(
        !o.success() && o.code.is_some(),
        "expected a clean failure:\n{o}"
    );
    assert!(!o.stderr.contains("panicked"), "panic:\n{o}");
    assert!(o.stderr.contains(message), "stderr lacks {message:?}:\n{o}");
    for p in outputs {
        assert!(!p.exists(), "{} was written", p.display());
    }
}

fn empty_app() -> PathBuf {
    let dir = scratch("empty-app");
    let src = dir.join("empty.js");
    std::fs::write(&src, "// An app with no state: the engine's reference image.\nexport function main(args) { return 0; }\n")
        .unwrap();
    let out = dir.join("empty.wasm");
    ok(common::build_to(&src, &out));
    out
}

#[test]
fn our_engine_is_identical_across_apps_and_composed_apps_behave_as_built() {
    let empty = empty_app();
    let apps = [
        "examples/hello/hello.js",
        "examples/conformance/json.js",
        "examples/conformance/classes.js",
        "examples/conformance/exit-code.js",
    ];
    let mut engine_digest = None;
    for app in apps {
        let source = repo_path(app);
        let wasm = built(&source);
        let dir = scratch("split-ours");
        let summary = split(&wasm, &dir, &["--reference", empty.to_str().unwrap()]);
        assert_eq!(summary["engine"]["name"], "jspkg-quickjs-cli");
        let d = summary["engine"]["digest"].clone();
        assert_eq!(
            engine_digest.get_or_insert(d.clone()),
            &d,
            "engine of {app} differs"
        );
        // Compact: far smaller than the full data module.
        assert!(
            summary["app"]["size"].as_u64().unwrap() * 4
                < summary["app"]["data_module"]["size"].as_u64().unwrap()
        );

        let composed = dir.join("composed.wasm");
        compose(&dir, &composed);
        for args in common::arg_sets(&source) {
            let want = wasmtime(&[], &wasm, &args);
            let got = wasmtime(&[], &composed, &args);
            assert!(
                !want.stdout.is_empty(),
                "the unsplit app printed nothing:\n{want}"
            );
            assert_eq!(
                (got.code, &got.stdout),
                (want.code, &want.stdout),
                "{app} {args:?}\n{want}\n{got}"
            );
            // And through jspkg's own runtime.
            let got = common::jspkg_run(&composed, &args);
            assert_eq!(
                (got.code, &got.stdout),
                (want.code, &want.stdout),
                "jspkg run {app} {args:?}\n{got}"
            );
        }
        assert_eq!(inspect(&dir.join("engine.wasm"))["kind"], "engine");
        let app_info = inspect(&dir.join("app.wasm"));
        assert_eq!(app_info["kind"], "app");
        assert_eq!(app_info["engine"]["digest"], d);
        // The compact app leaves the image's zero prefix (most of the
        // shadow stack) out of its frame, and says how long it is.
        let (prefix, size) = (&app_info["image_zero_prefix"], &app_info["image_size"]);
        assert_eq!(prefix, &app_info["details"]["zero_prefix"]);
        assert!(
            prefix
                .as_u64()
                .is_some_and(|z| z > 0 && z < size.as_u64().unwrap()),
            "zero prefix {prefix} of an image of {size} bytes"
        );
        assert_eq!(inspect(&composed)["kind"], "composed");
        assert_eq!(inspect(&wasm)["kind"], "pre-initialized");
    }
}

#[test]
fn componentize_js_engines_are_identical_and_composed_apps_answer_as_before() {
    let fx = foreign_fixtures();
    let reference = fx.join("cjs-empty.wasm");
    let mut engine_digest = None;
    for v in ["a", "b"] {
        let input = fx.join(format!("cjs-{v}.wasm"));
        let dir = scratch("split-cjs");
        let summary = split(
            &input,
            &dir,
            &[
                "--reference",
                reference.to_str().unwrap(),
                "--engine-name",
                "componentize-js-hello",
                "--engine-version",
                "0.1.0",
            ],
        );
        let d = summary["engine"]["digest"].clone();
        assert_eq!(
            engine_digest.get_or_insert(d.clone()),
            &d,
            "engine of cjs-{v} differs"
        );
        // The delta against the empty app's image is small.
        assert!(
            summary["app"]["size"].as_u64().unwrap() < 200_000,
            "{summary}"
        );
        let composed = dir.join("composed.wasm");
        compose(&dir, &composed);
        let call = |wasm: &Path| {
            ok(run(
                Tools::get()
                    .command("node")
                    .arg(repo_path("tests/foreign/call-componentize.mjs"))
                    .arg(wasm)
                    .arg("split"),
                TOOL_TIMEOUT,
            ))
            .stdout
        };
        let want = call(&input);
        assert_eq!(
            want.trim_end(),
            std::fs::read_to_string(fx.join(format!("cjs-{v}.expected-hello"))).unwrap()
        );
        assert_eq!(
            call(&composed),
            want,
            "jco: composed cjs-{v} answers differently"
        );
        let invoke = ["-S", "http", "--invoke", "hello(\"split\")"];
        assert_eq!(
            ok(wasmtime(&invoke, &composed, &[])).stdout,
            ok(wasmtime(&invoke, &input, &[])).stdout
        );
    }
}

#[test]
fn wizer_core_modules_split_into_identical_engines_and_compose_back() {
    let fx = foreign_fixtures();
    let mut engine_digest = None;
    for v in ["a", "b"] {
        let input = fx.join(format!("wizer-{v}.wasm"));
        let dir = scratch("split-wizer");
        let summary = split(&input, &dir, &[]);
        let d = summary["engine"]["digest"].clone();
        assert_eq!(
            engine_digest.get_or_insert(d.clone()),
            &d,
            "engine of wizer-{v} differs"
        );
        let composed = dir.join("composed.wasm");
        compose(&dir, &composed);
        let want = ok(wasmtime(&[], &input, &[]));
        assert_eq!(
            want.stdout,
            std::fs::read_to_string(fx.join(format!("wizer-{v}.expected-stdout"))).unwrap()
        );
        assert_eq!(ok(wasmtime(&[], &composed, &[])).stdout, want.stdout);
        for f in ["checksum", "len", "pages"] {
            assert_eq!(
                ok(wasmtime(&["--invoke", f], &composed, &[])).stdout,
                ok(wasmtime(&["--invoke", f], &input, &[])).stdout,
                "{f} of wizer-{v}"
            );
        }
    }
}

#[test]
fn componentize_py_engines_are_identical_and_composed_apps_answer_as_before() {
    // componentize-py keeps state in two modules (the memory module's data
    // and the WASI adapter's globals): both move to the data module.
    let fx = foreign_fixtures();
    let mut engine_digest = None;
    for v in ["a", "b"] {
        let input = fx.join(format!("py-{v}.wasm"));
        let dir = scratch("split-py");
        let summary = split(&input, &dir, &[]);
        let d = summary["engine"]["digest"].clone();
        assert_eq!(
            engine_digest.get_or_insert(d.clone()),
            &d,
            "engine of py-{v} differs"
        );
        let composed = dir.join("composed.wasm");
        compose(&dir, &composed);
        let invoke = ["-S", "http", "--invoke", "hello(\"split\")"];
        let want = ok(wasmtime(&invoke, &input, &[])).stdout;
        let expected = std::fs::read_to_string(fx.join(format!("py-{v}.expected-hello"))).unwrap();
        assert_eq!(want.trim_end(), format!("{expected:?}"));
        assert_eq!(ok(wasmtime(&invoke, &composed, &[])).stdout, want);
    }
}

#[test]
fn refusals_are_clear_and_leave_no_output() {
    let hello = built(&repo_path("examples/hello/hello.js"));
    let dir = scratch("refusals");

    // An app with an engine of another digest.
    let (a, b) = (dir.join("a"), dir.join("b"));
    let sa = split(&hello, &a, &[]);
    let sb = split(&hello, &b, &["--engine-version", "9.9.9"]);
    let out = dir.join("mismatch.wasm");
    let o = run(
        jspkg()
            .arg("compose")
            .arg(b.join("engine.wasm"))
            .arg(a.join("app.wasm"))
            .arg("-o")
            .arg(&out),
        RUN_TIMEOUT,
    );
    refused(&o, &[&out], sa["engine"]["digest"].as_str().unwrap());
    refused(&o, &[&out], sb["engine"]["digest"].as_str().unwrap());

    // Truncated input, invalid input, a module that was never pre-initialized,
    // an input with no memory, an already split artifact.
    let bytes = std::fs::read(&hello).unwrap();
    let truncated = dir.join("truncated.wasm");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let text = dir.join("text.wasm");
    std::fs::write(&text, "not wasm at all").unwrap();
    let no_memory = dir.join("no-memory.wasm");
    std::fs::write(&no_memory, b"\0asm\x01\0\0\0").unwrap();
    for (input, message) in [
        (truncated.as_path(), "not a valid WebAssembly"),
        (text.as_path(), "not a WebAssembly module or component"),
        (
            &repo_path("target/engine/jspkg-engine-cli.wasm"),
            "never pre-initialized",
        ),
        (
            &foreign_fixtures().join("echo-state.wasm"),
            "never pre-initialized",
        ),
        (no_memory.as_path(), "no linear memory"),
        (&a.join("engine.wasm"), "already a jspkg engine"),
        (&a.join("app.wasm"), "already a jspkg app"),
    ] {
        let out = dir.join("refused");
        let o = run(
            jspkg().arg("split").arg(input).arg("-o").arg(&out),
            RUN_TIMEOUT,
        );
        refused(&o, &[&out], message);
    }

    // A truncated app and a truncated engine.
    let app = std::fs::read(a.join("app.wasm")).unwrap();
    let cut = dir.join("cut-app.wasm");
    std::fs::write(&cut, &app[..app.len() - 10]).unwrap();
    let out = dir.join("cut.wasm");
    let o = run(
        jspkg()
            .arg("compose")
            .arg(a.join("engine.wasm"))
            .arg(&cut)
            .arg("-o")
            .arg(&out),
        RUN_TIMEOUT,
    );
    refused(&o, &[&out], "truncated or corrupt");
    let o = run(jspkg().arg("inspect").arg(&truncated), RUN_TIMEOUT);
    refused(&o, &[], "not a valid WebAssembly");
}

#[test]
fn http_apps_split_into_one_engine_with_compact_apps() {
    // No `--reference`: for a built-in engine `jspkg split` rebuilds the
    // world's empty app itself.
    let mut engine_digest = None;
    for app in [
        "examples/http/hello.js",
        "examples/http/echo.js",
        "examples/http/counter.js",
    ] {
        let dir = scratch("split-http");
        let wasm = common::built_for(&repo_path(app), "http");
        let summary = split(&wasm, &dir.join("split"), &[]);
        assert_eq!(summary["engine"]["name"], "jspkg-quickjs-http", "{app}");
        let d = summary["engine"]["digest"].clone();
        assert_eq!(
            engine_digest.get_or_insert(d.clone()),
            &d,
            "engine of {app} differs"
        );
        assert!(
            summary["app"]["size"].as_u64().unwrap() * 4
                < summary["app"]["data_module"]["size"].as_u64().unwrap(),
            "{app}: the app is not compact: {summary}"
        );
        let composed = dir.join("composed.wasm");
        compose(&dir.join("split"), &composed);
        assert_eq!(inspect(&composed)["kind"], "composed");
        // What `wasmtime serve` needs: the proxy world's imports and the
        // handler export, nothing else.
        let wit = run(
            Tools::get()
                .command("wasm-tools")
                .args(["component", "wit"])
                .arg(&composed),
            RUN_TIMEOUT,
        );
        let wit = ok(wit).stdout;
        assert!(
            wit.contains("export wasi:http/incoming-handler@0.2"),
            "{wit}"
        );
        for line in wit
            .lines()
            .filter(|l| l.trim_start().starts_with("import "))
        {
            assert!(
                [
                    "wasi:http/",
                    "wasi:io/",
                    "wasi:clocks/",
                    "wasi:random/",
                    "wasi:cli/std"
                ]
                .iter()
                .any(|p| line.contains(p)),
                "{app}: an import outside wasi:http/proxy: {line}"
            );
        }
    }
}
