//! `jspkg build` of a project (issue 15): TypeScript files importing each
//! other and npm packages (installed here by npm from its registry) are
//! bundled in process, run as node runs the same app (bundled by esbuild,
//! the independent reference), report the TypeScript positions of uncaught
//! errors as `node --enable-source-maps` does, and fail in one line with
//! `file:line:col` on a missing package, a node built-in the engine lacks
//! and a TypeScript syntax error. An app that is already one ES module is
//! built as it is.

mod common;

use common::*;
use sha2::Digest;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

/// The npm packages of the test project, pinned: `ms` is CommonJS, `zod`
/// an ES module package chosen by its `exports` conditions.
const PACKAGES: &[&str] = &["ms@2.1.3", "zod@3.23.8"];

const APP_TS: &str = r#"import ms from "ms";
import { z } from "zod";
import { describe, type Duration } from "./lib.ts";

// Top-level code runs at build time under jspkg (at start under node).
const Input = z.object({ name: z.string().min(1), timeout: z.string() });
const mode: string = process.env.NODE_ENV ?? "unset";
const twoDays: Duration = ms("2 days");

export function main(args: string[]): number {
  console.log(`mode: ${mode}`);
  console.log(`2 days = ${twoDays} ms`);
  for (const arg of args) {
    const [name, timeout] = arg.split("=");
    const parsed = Input.safeParse({ name, timeout });
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.code}`);
      console.log(`${arg}: invalid (${issues.join(", ")})`);
      continue;
    }
    const d: Duration = ms(parsed.data.timeout);
    console.log(describe(parsed.data.name, d, ms(d, { long: true })));
  }
  return args.length;
}
"#;

const LIB_TS: &str = r#"export type Duration = number;

export function describe(name: string, d: Duration, long: string): string {
  return `${name}: ${d} ms (${long})`;
}
"#;

/// A project directory: `package.json` (`"main": "src/app.ts"`), `src/`
/// and `node_modules/` with [`PACKAGES`] installed by npm; once per run.
fn npm_project() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = scratch("npm-project");
        std::fs::write(
            dir.join("package.json"),
            r#"{ "name": "@acme/ts-app", "version": "2.3.4", "private": true, "type": "module", "main": "src/app.ts" }"#,
        )
        .unwrap();
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("src/app.ts"), APP_TS).unwrap();
        std::fs::write(dir.join("src/lib.ts"), LIB_TS).unwrap();
        npm_install(&dir, PACKAGES);
        dir
    })
}

/// The reference: `entry` bundled by esbuild (`--platform=node`,
/// `NODE_ENV` = `production` as jspkg's default mode), with an inline
/// source map, into `out`.
fn esbuild_reference(entry: &Path, out: &Path) {
    let tools = Tools::get();
    let o = run(
        tools
            .command("esbuild")
            .arg(entry)
            .args([
                "--bundle",
                "--format=esm",
                "--platform=node",
                "--sourcemap=inline",
                "--log-level=warning",
                "--define:process.env.NODE_ENV=\"production\"",
            ])
            .arg(format!("--outfile={}", out.display())),
        Duration::from_secs(120),
    );
    assert!(o.success() && out.is_file(), "esbuild failed:\n{o}");
}

/// `node --enable-source-maps tests/node-main.mjs BUNDLE ARGS…`
fn node_mapped(bundle: &Path, args: &[String]) -> Output {
    let mut cmd = Command::new(Tools::get().node());
    cmd.current_dir(repo_root())
        .arg("--enable-source-maps")
        .arg(repo_root().join("tests/node-main.mjs"))
        .arg(bundle)
        .args(args);
    run(&mut cmd, Duration::from_secs(60))
}

fn build(args: &[&std::ffi::OsStr]) -> Output {
    run(jspkg().arg("build").args(args), RUN_TIMEOUT)
}

fn build_ok(app: &Path, out: &Path, extra: &[&str]) {
    let mut cmd = jspkg();
    cmd.arg("build").arg(app).arg("-o").arg(out).args(extra);
    let o = run(&mut cmd, RUN_TIMEOUT);
    assert!(o.success() && out.is_file(), "build failed:\n{o}");
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

#[test]
fn typescript_app_with_npm_packages_runs_like_node() {
    let project = npm_project();
    let dir = scratch("ts-npm");
    let reference = dir.join("reference.mjs");
    esbuild_reference(&project.join("src/app.ts"), &reference);
    // The project directory: its package.json names the entry.
    let wasm = dir.join("app.wasm");
    build_ok(project, &wasm, &[]);
    // The app is named and versioned by its package.json (scope dropped).
    let i = inspect(&wasm);
    assert_eq!(i["app"]["name"], "ts-app", "{i}");
    assert_eq!(i["app"]["version"], "2.3.4", "{i}");
    for args in [
        strings(&[]),
        strings(&["fetch=1.5h", "retry=90s"]),
        strings(&["=1d", "poll=250"]),
    ] {
        let want = node_run(&reference, &args);
        assert!(want.code.is_some(), "node failed:\n{want}");
        let got = jspkg_run(&wasm, &args);
        assert_eq!(
            (got.code, got.stdout.as_str()),
            (want.code, want.stdout.as_str()),
            "jspkg run of the bundled project differs from node's run of esbuild's bundle\nnode:\n{want}\njspkg:\n{got}"
        );
        assert!(got.stdout.contains("mode: production"), "{got}");
    }
    // --mode: what process.env.NODE_ENV becomes.
    let dev = dir.join("dev.wasm");
    build_ok(
        &project.join("src/app.ts"),
        &dev,
        &["--mode", "development"],
    );
    let o = jspkg_run(&dev, &[]);
    assert!(o.stdout.starts_with("mode: development\n"), "{o}");
}

/// The first `FILE:LINE:COL` in `text` (a stack frame's position; node's
/// `FILE:LINE` header line is skipped), as (line, col).
fn position_of(text: &str, file: &str) -> Option<(u32, u32)> {
    let needle = format!("{file}:");
    text.match_indices(&needle).find_map(|(at, _)| {
        let rest = &text[at + needle.len()..];
        let digits = |s: &str| -> String { s.chars().take_while(char::is_ascii_digit).collect() };
        let line = digits(rest);
        let col = digits(rest[line.len()..].strip_prefix(':')?);
        Some((line.parse().ok()?, col.parse().ok()?))
    })
}

const FAIL_TS: &str = r#"// Something that fails, in a module of its own.
export interface Job {
  name: string;
}

export function runJob(job: Job): never {
  const detail: string = `job ${job.name}`;
  throw new Error(`${detail} failed`);
}
"#;

const BOOM_TS: &str = r#"import { runJob, type Job } from "./fail.ts";

const job: Job = { name: "nightly" };

export function main(args: string[]): number {
  if (args[0] === "fail") {
    runJob(job);
  }
  return 0;
}
"#;

#[test]
fn runtime_error_in_typescript_reports_the_ts_position() {
    let dir = scratch("ts-error");
    std::fs::write(dir.join("fail.ts"), FAIL_TS).unwrap();
    std::fs::write(dir.join("boom.ts"), BOOM_TS).unwrap();
    let reference = dir.join("reference.mjs");
    esbuild_reference(&dir.join("boom.ts"), &reference);
    let args = strings(&["fail"]);
    let node = node_mapped(&reference, &args);
    assert_eq!(node.code, Some(1), "node should fail:\n{node}");
    let (want_line, _) = position_of(&node.stderr, "fail.ts")
        .unwrap_or_else(|| panic!("node printed no fail.ts position:\n{node}"));

    let wasm = dir.join("boom.wasm");
    build_ok(&dir.join("boom.ts"), &wasm, &[]);
    let got = jspkg_run(&wasm, &args);
    assert_eq!(got.code, Some(1), "{got}");
    assert!(
        got.stderr.contains("Error: job nightly failed"),
        "the message, as node prints it:\n{got}"
    );
    let (line, col) = position_of(&got.stderr, "fail.ts").unwrap_or_else(|| {
        panic!("jspkg run printed no fail.ts position (node: {want_line}):\n{got}")
    });
    assert_eq!(
        line, want_line,
        "node points at fail.ts:{want_line}:…, jspkg at fail.ts:{line}:{col}\nnode:\n{node}\njspkg:\n{got}"
    );
    // The caller's frame is mapped too: boom.ts, the line of the call.
    let call_line = BOOM_TS
        .lines()
        .position(|l| l.trim() == "runJob(job);")
        .unwrap() as u32
        + 1;
    let (boom_line, _) =
        position_of(&got.stderr, "boom.ts").unwrap_or_else(|| panic!("no boom.ts frame:\n{got}"));
    assert_eq!(boom_line, call_line, "{got}");

    // The same under the stock wasmtime: the engine remaps, not the host.
    let o = run(
        Tools::get()
            .command("wasmtime")
            .arg("run")
            .arg("-S")
            .arg("http")
            .arg(&wasm)
            .arg("fail"),
        RUN_TIMEOUT,
    );
    assert_ne!(o.code, Some(0), "{o}");
    assert_eq!(
        position_of(&o.stderr, "fail.ts").map(|p| p.0),
        Some(want_line),
        "{o}"
    );
}

#[test]
fn build_time_error_in_typescript_reports_the_ts_position() {
    // Top-level code runs at build time: the build fails, pointing at the
    // .ts line node points at when the same code runs at its start.
    let dir = scratch("ts-build-error");
    std::fs::write(dir.join("fail.ts"), FAIL_TS).unwrap();
    let top = BOOM_TS.replace(
        "const job: Job = { name: \"nightly\" };\n",
        "const job: Job = { name: \"nightly\" };\nrunJob(job);\n",
    );
    assert_ne!(top, BOOM_TS);
    std::fs::write(dir.join("top.ts"), &top).unwrap();
    let reference = dir.join("reference.mjs");
    esbuild_reference(&dir.join("top.ts"), &reference);
    let node = node_mapped(&reference, &[]);
    assert_eq!(node.code, Some(1), "node should fail:\n{node}");
    let (want_line, _) = position_of(&node.stderr, "fail.ts")
        .unwrap_or_else(|| panic!("node printed no fail.ts position:\n{node}"));
    let out = dir.join("top.wasm");
    let o = build(&[
        dir.join("top.ts").as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ]);
    assert!(!o.success() && !out.exists(), "{o}");
    assert!(o.stderr.contains("job nightly failed"), "{o}");
    assert_eq!(
        position_of(&o.stderr, "fail.ts").map(|p| p.0),
        Some(want_line),
        "node:\n{node}\njspkg:\n{o}"
    );
}

/// Builds `source` written as `dir/NAME`, expecting one line on stderr with
/// `NAME:LINE:COL` and `what`, exit code != 0 and no output file.
fn fails_in_one_line(name: &str, source: &str, line: usize, col: usize, what: &str) {
    let dir = scratch("ts-bad");
    // A package.json, so that the project is this directory.
    std::fs::write(
        dir.join("package.json"),
        r#"{ "name": "bad", "private": true }"#,
    )
    .unwrap();
    std::fs::write(dir.join(name), source).unwrap();
    let out = dir.join("out.wasm");
    let o = build(&[dir.join(name).as_os_str(), "-o".as_ref(), out.as_os_str()]);
    assert!(
        !o.success() && o.code.is_some(),
        "the build should fail:\n{o}"
    );
    assert!(
        !out.exists(),
        "a failed build wrote {}:\n{o}",
        out.display()
    );
    let lines: Vec<&str> = o.stderr.trim().lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr:\n{o}");
    let want = format!("{name}:{line}:{col}: ");
    assert!(lines[0].contains(&want), "stderr should name {want}:\n{o}");
    assert!(lines[0].contains(what), "stderr should say {what:?}:\n{o}");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 2, "files left behind: {leftovers:?}");
}

/// 1-based (line, column) of the first `needle` in `source`.
fn locate(source: &str, needle: &str) -> (usize, usize) {
    let at = source.find(needle).expect("needle in source");
    let before = &source[..at];
    let line = before.matches('\n').count() + 1;
    let col = at - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, col)
}

#[test]
fn missing_package_is_one_line_with_its_position() {
    let source = "// needs a package that is not installed\nimport pad from \"left-pad-not-installed\";\n\nexport function main(): number {\n  return pad.length;\n}\n";
    let (line, col) = locate(source, "\"left-pad-not-installed\"");
    fails_in_one_line(
        "missing.ts",
        source,
        line,
        col,
        "npm install left-pad-not-installed",
    );
}

#[test]
fn unknown_node_builtin_is_one_line_with_its_position() {
    let source = "import { cpus } from \"os\";\n\nexport function main(): number {\n  return cpus().length;\n}\n";
    let (line, col) = locate(source, "\"os\"");
    fails_in_one_line(
        "builtin.mts",
        source,
        line,
        col,
        "`os` is a node built-in module, not one of the built-in modules jspkg provides",
    );
    // With the prefix, from a .js file that is otherwise one module.
    let source = "import { inspect } from \"node:util\";\nexport function main() { console.log(inspect(1)); }\n";
    let (line, col) = locate(source, "\"node:util\"");
    fails_in_one_line("util.js", source, line, col, "`node:util`");
}

#[test]
fn typescript_syntax_error_is_one_line_where_esbuild_puts_it() {
    let source = "export function main(args: string[]): number {\n  const n: number = args.length +;\n  return n;\n}\n";
    // The reference: esbuild rejects the file too, on the same line.
    let dir = scratch("ts-syntax-ref");
    let file = dir.join("syntax.ts");
    std::fs::write(&file, source).unwrap();
    let o = run(
        Tools::get()
            .command("esbuild")
            .arg(&file)
            .arg("--log-level=error"),
        Duration::from_secs(60),
    );
    assert!(!o.success(), "esbuild should reject it:\n{o}");
    let (line, col) = locate(source, "+;");
    assert!(
        o.stderr.contains(&format!("syntax.ts:{line}:")),
        "esbuild points elsewhere:\n{o}"
    );
    fails_in_one_line("syntax.ts", source, line, col + 1, "Unexpected token");
}

fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(sha2::Sha256::digest(bytes)))
}

fn inspect(wasm: &Path) -> serde_json::Value {
    let o = run(jspkg().arg("inspect").arg(wasm).arg("--json"), RUN_TIMEOUT);
    assert!(o.success(), "{o}");
    serde_json::from_str(&o.stdout).unwrap()
}

#[test]
fn a_self_contained_module_is_built_as_it_is() {
    // examples/hello/hello.js imports nothing: no bundling, the source
    // record holds the file's bytes, the file name is the file's.
    let app = repo_path("examples/hello/hello.js");
    let wasm = built(&app);
    let i = inspect(&wasm);
    let source = std::fs::read(&app).unwrap();
    assert_eq!(i["source"]["file_name"], "hello.js");
    assert_eq!(i["source"]["source"]["digest"], sha256(&source).as_str());
}

#[test]
fn a_typescript_project_builds_reproducibly_wherever_it_is() {
    // The same project in two directories gives the same bytes: the
    // bundle and its map hold only paths relative to the project.
    let example = repo_path("examples/hello-ts");
    let mut outputs = Vec::new();
    for n in 0..2 {
        let dir = scratch(&format!("ts-repro-{n}"));
        let project = dir.join("deeper").join("hello-ts");
        std::fs::create_dir_all(&project).unwrap();
        for f in ["hello.ts", "greet.ts"] {
            std::fs::copy(example.join(f), project.join(f)).unwrap();
        }
        let out = dir.join("hello.wasm");
        build_ok(&project.join("hello.ts"), &out, &[]);
        outputs.push(std::fs::read(&out).unwrap());
        let o = jspkg_run(&out, &strings(&["TypeScript"]));
        assert_eq!(o.stdout, "Hello, TypeScript!\n", "{o}");
    }
    assert!(outputs[0] == outputs[1], "two builds differ");
    let wasm = built(&example.join("hello.ts"));
    let i = inspect(&wasm);
    assert_eq!(i["source"]["file_name"], "hello.bundle.js");
}

#[test]
fn a_rebuilt_typescript_app_still_maps_its_errors() {
    // The source record holds the bundle and its map: `jspkg rebuild` on
    // another engine build (the raw engine with one more custom section,
    // so other code bytes) gives an app whose errors still point at .ts.
    let dir = scratch("ts-rebuild");
    std::fs::write(dir.join("fail.ts"), FAIL_TS).unwrap();
    std::fs::write(dir.join("boom.ts"), BOOM_TS).unwrap();
    let wasm = dir.join("boom.wasm");
    build_ok(&dir.join("boom.ts"), &wasm, &[]);
    let split = dir.join("split");
    let o = run(
        jspkg().arg("split").arg(&wasm).arg("-o").arg(&split),
        RUN_TIMEOUT,
    );
    assert!(o.success(), "{o}");
    let engine_dir = std::env::var_os("JSPKG_ENGINE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/engine"));
    let mut engine = std::fs::read(engine_dir.join("jspkg-engine-cli.wasm")).unwrap();
    // A custom section: id 0, size, name length, name, data (all < 128).
    let (name, data) = (b"jspkg-test-engine-build", b"a changed build");
    engine.extend_from_slice(&[0, (1 + name.len() + data.len()) as u8, name.len() as u8]);
    engine.extend_from_slice(name);
    engine.extend_from_slice(data);
    let engine_b = dir.join("jspkg-engine-cli.wasm");
    std::fs::write(&engine_b, &engine).unwrap();
    let rebuilt = dir.join("rebuilt");
    let o = run(
        jspkg()
            .arg("rebuild")
            .arg(split.join("app.wasm"))
            .args(["--engine", "jspkg-quickjs-cli@0.2.0", "--engine-module"])
            .arg(&engine_b)
            .arg("-o")
            .arg(&rebuilt),
        RUN_TIMEOUT,
    );
    assert!(o.success(), "{o}");
    let o = run(
        jspkg()
            .arg("run")
            .arg(rebuilt.join("app.wasm"))
            .arg("--engine")
            .arg(rebuilt.join("engine.wasm"))
            .args(["--", "fail"]),
        RUN_TIMEOUT,
    );
    assert_eq!(o.code, Some(1), "{o}");
    let throw_line = FAIL_TS
        .lines()
        .position(|l| l.contains("throw new Error"))
        .unwrap() as u32
        + 1;
    assert_eq!(
        position_of(&o.stderr, "fail.ts").map(|p| p.0),
        Some(throw_line),
        "{o}"
    );
}

/// CommonJS packages that `require` node built-ins the engine provides:
/// `mime-types` (`require('path').extname`), `upath` (all of
/// `require("path")`) and `node-cache` (`require('events').EventEmitter`,
/// subclassed the pre-class way), real and pinned. rolldown would leave each
/// `require` a call of a `require` function the engine's ES module does
/// not have; jspkg's bundler makes it the built-in itself.
const CJS_PACKAGES: &[&str] = &["mime-types@2.1.35", "upath@2.0.1", "node-cache@5.1.2"];

const CJS_APP: &str = r#"import mime from "mime-types";
import upath from "upath";
import NodeCache from "node-cache";
import path from "node:path";
import EventEmitter from "node:events";
import { createRequire } from "./require.cjs";

export function main() {
  for (const f of ["index.html", "a/b/photo.JPG", "data.json", "archive.tar.gz", "noext", ".bashrc", "script.mjs"]) {
    console.log(f, mime.lookup(f), mime.contentType(f), mime.extension(mime.lookup(f) || ""));
  }
  console.log(upath.toUnix("a\\b\\c.txt"), upath.normalize("/a/b/../c//d"), upath.joinSafe("./a", "../b/c"));
  console.log(upath.changeExt("x/y.coffee", ".js"), upath.addExt("file", "txt"), upath.trimExt("a/b.c.d"));
  console.log(upath.removeExt("a.min.js", ".js"), upath.defaultExt("file", ".md"), upath.relative("/x/y", "/x/z/w"));
  // An EventEmitter subclass; stored values are clones (checkperiod 0: no
  // expiry timer to keep the app alive).
  const cache = new NodeCache({ stdTTL: 0, checkperiod: 0 });
  const seen = [];
  cache.on("set", (key) => seen.push(`set ${key}`));
  cache.on("del", (key) => seen.push(`del ${key}`));
  cache.set("a", { n: 1 });
  cache.set("b", [1, 2]);
  cache.get("a").n = 2;
  console.log(cache.get("a").n, cache.keys(), cache.has("b"), cache.take("b"), JSON.stringify(cache.getStats()));
  cache.del("a");
  console.log(seen.join(","), cache.keys(), cache instanceof EventEmitter);
  // require() gives the module's object itself, the same one every time.
  const req = createRequire();
  console.log(req.path === path, req.again === req.path, req.events === EventEmitter, typeof req.fs.readFileSync, typeof req.promises.readFile);
}
"#;

const REQUIRE_CJS: &str = r#"exports.createRequire = () => ({
  path: require("path"),
  again: require("node:path"),
  fs: require("fs"),
  promises: require("fs/promises"),
  events: require("events"),
});
"#;

#[test]
fn commonjs_packages_requiring_node_builtins_run_like_node() {
    let dir = scratch("npm-cjs");
    std::fs::write(
        dir.join("package.json"),
        r#"{ "name": "cjs-app", "private": true, "type": "module" }"#,
    )
    .unwrap();
    std::fs::write(dir.join("app.js"), CJS_APP).unwrap();
    std::fs::write(dir.join("require.cjs"), REQUIRE_CJS).unwrap();
    npm_install(&dir, CJS_PACKAGES);
    let app = dir.join("app.js");
    let mut node = Command::new(Tools::get().node());
    node.current_dir(&dir)
        .arg(repo_root().join("tests/node-main.mjs"))
        .arg(&app);
    let expected = run(&mut node, Duration::from_secs(60));
    assert!(
        expected.success()
            && expected
                .stdout
                .ends_with("true true true function function\n"),
        "node reference failed:\n{expected}"
    );
    let wasm = dir.join("app.wasm");
    build_ok(&app, &wasm, &[]);
    let got = jspkg_run(&wasm, &[]);
    assert!(
        got.stdout == expected.stdout && got.code == expected.code,
        "jspkg run differs from node\n=== node ===\n{expected}\n=== jspkg ===\n{got}\n{}",
        first_difference(&expected.stdout, &got.stdout)
    );
}
