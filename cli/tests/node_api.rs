//! CLI apps doing real work through node's API (`process`, `node:fs`,
//! `node:fs/promises`): `examples/cli-io/wordcount.js` reads stdin, an
//! environment variable `jspkg run --env` passes and files in a directory
//! `--dir` grants, writes and lists files there, and must print what node
//! prints running the same file (as written, and bundled by esbuild
//! `--platform=node`, which leaves `node:` imports to the runtime). An app
//! sees no environment variable without `--env`, and reading a file at
//! build time is refused.

mod common;

use common::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const TEXT: &str =
    "The quick brown fox jumps over the lazy dog.\nThe dog sleeps; the fox runs. A fox!\n";

/// Runs `cmd` with `stdin` fed to it.
fn run_with_stdin(cmd: &mut Command, stdin: &str) -> Output {
    let command = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {command}: {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    Output {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        command,
    }
}

/// A fresh data directory: the app's stop words.
fn data_dir(name: &str) -> PathBuf {
    let dir = scratch(name);
    std::fs::write(dir.join("stopwords.txt"), "the\na\nand\nof\n").unwrap();
    dir
}

fn node_wordcount(app: &Path, input: &str) -> (Output, PathBuf) {
    let dir = data_dir("node-data");
    let mut cmd = Command::new(Tools::get().node());
    cmd.current_dir(repo_root())
        .env_clear()
        .env("GREETING", "hello from the host")
        .arg(repo_root().join("tests/node-main.mjs"))
        .arg(app)
        .arg(&dir);
    (run_with_stdin(&mut cmd, input), dir)
}

fn jspkg_wordcount(wasm: &Path, input: &str) -> (Output, PathBuf) {
    let dir = data_dir("jspkg-data");
    let mut cmd = jspkg();
    cmd.arg("run")
        .arg(wasm)
        .args(["--env", "GREETING=hello from the host"])
        .arg("--dir")
        .arg(format!("{}::/data", dir.display()))
        .args(["--", "/data"]);
    (run_with_stdin(&mut cmd, input), dir)
}

fn check_wordcount(app: &Path, wasm: &Path, input: &str) {
    let (expected, node_dir) = node_wordcount(app, input);
    assert!(
        expected.stdout.contains("top words:"),
        "node reference failed:\n{expected}"
    );
    let (got, jspkg_dir) = jspkg_wordcount(wasm, input);
    assert!(
        got.stdout == expected.stdout && got.code == expected.code,
        "jspkg run differs from node\n=== node ===\n{expected}\n=== jspkg ===\n{got}\n{}",
        first_difference(&expected.stdout, &got.stdout)
    );
    // The files the app left are the same, byte for byte.
    for file in ["out/log.txt", "out/bytes.bin"] {
        assert_eq!(
            std::fs::read(node_dir.join(file)).unwrap(),
            std::fs::read(jspkg_dir.join(file)).unwrap(),
            "{file} differs"
        );
    }
}

#[test]
fn wordcount_matches_node() {
    let app = repo_path("examples/cli-io/wordcount.js");
    let wasm = built(&app);
    check_wordcount(&app, &wasm, TEXT);
    // process.exit(3): the output so far is flushed, the exit code is 3.
    check_wordcount(&app, &wasm, "please EXIT now\n");
}

#[test]
fn wordcount_bundled_for_node_matches_node() {
    let out = scratch("bundle-node").join("wordcount.bundle.js");
    esbuild(&repo_path("examples/cli-io/wordcount.js"), &out, "node");
    let bundle = std::fs::read_to_string(&out).unwrap();
    assert!(
        bundle.contains("from \"node:fs/promises\""),
        "esbuild kept no node: import:\n{bundle}"
    );
    let wasm = built(&out);
    check_wordcount(&out, &wasm, TEXT);
}

#[test]
fn no_environment_without_env_flag() {
    let wasm = built(&repo_path("tests/apps/env.js"));
    let o = run(
        jspkg()
            .env("GREETING", "must not leak")
            .arg("run")
            .arg(&wasm),
        RUN_TIMEOUT,
    );
    assert_eq!(
        (o.code, o.stdout.as_str()),
        (
            Some(0),
            "build time: {}\nrun time: {}\nkept reference: {} true\n"
        ),
        "{o}"
    );
    let o = run(
        jspkg()
            .arg("run")
            .arg(&wasm)
            .args(["--env", "A=1", "--env", "B=two=2"]),
        RUN_TIMEOUT,
    );
    assert_eq!(
        o.stdout,
        "build time: {}\nrun time: {\"A\":\"1\",\"B\":\"two=2\"}\nkept reference: {\"A\":\"1\",\"B\":\"two=2\"} true\n",
        "{o}"
    );
}

#[test]
fn bad_flags_are_refused() {
    let wasm = built(&repo_path("tests/apps/env.js"));
    for (flag, value, expect) in [
        ("--env", "NOEQUALS", "expected NAME=VALUE"),
        ("--env", "=x", "expected NAME=VALUE"),
        (
            "--dir",
            "/definitely/not/a/dir::/data",
            "is not a directory",
        ),
    ] {
        let o = run(
            jspkg().arg("run").arg(&wasm).args([flag, value]),
            RUN_TIMEOUT,
        );
        assert!(
            o.code == Some(2) && o.stderr.contains(expect) && o.stdout.is_empty(),
            "{flag} {value}: {o}"
        );
    }
}

#[test]
fn files_at_build_time_are_refused() {
    let out = scratch("build-time").join("app.wasm");
    let o = build_to(&repo_path("tests/apps/build-time-fs.js"), &out);
    assert!(
        !o.success() && o.stderr.contains("cannot be used at build time") && !out.exists(),
        "{o}"
    );
    let o = build_to(&repo_path("tests/apps/import-unknown.js"), &out);
    assert!(
        !o.success()
            && o.stderr.contains("node:path")
            && o.stderr.contains("built-in modules jspkg provides"),
        "{o}"
    );
}
