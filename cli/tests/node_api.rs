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
    let (mut child, command) = spawn_piped(cmd);
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

/// Starts `cmd` with stdin, stdout and stderr piped; also gives the
/// command line, for messages.
fn spawn_piped(cmd: &mut Command) -> (std::process::Child, String) {
    let command = format!("{cmd:?}");
    let child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {command}: {e}"));
    (child, command)
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
            && o.stderr.contains("node:child_process")
            && o.stderr.contains("built-in modules jspkg provides"),
        "{o}"
    );
}

/// The two commands an interactive test runs the same way: `jspkg run` of
/// the built app, and node running its source.
fn both(app: &Path, args: &[&str]) -> [(String, Command); 2] {
    let mut ours = jspkg();
    ours.arg("run").arg(built(app)).arg("--").args(args);
    let mut node = Command::new(Tools::get().node());
    node.current_dir(repo_root())
        .arg(repo_root().join("tests/node-main.mjs"))
        .arg(app)
        .args(args);
    [("jspkg run".to_string(), ours), ("node".to_string(), node)]
}

/// A conversation with a process: waits (up to a minute) for `prompt` on
/// its stdout before writing `answer` to its stdin, so that an app that
/// printed its prompt only once stdin was read or closed fails here;
/// `close` then closes stdin, else it stays open until the process ends.
fn converse(cmd: &mut Command, prompt: &str, answer: &str, close: bool) -> Output {
    use std::io::Read;
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};
    let (mut child, command) = spawn_piped(cmd);
    let stdout = Arc::new(Mutex::new(Vec::new()));
    let mut out = child.stdout.take().unwrap();
    let sink = stdout.clone();
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = out.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let mut err = child.stderr.take().unwrap();
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = err.read_to_end(&mut buf);
        buf
    });
    let shown = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !shown(&stdout.lock().unwrap()).contains(prompt) {
        if Instant::now() >= deadline || child.try_wait().unwrap().is_some() {
            let _ = child.kill();
            panic!(
                "{command}: no {prompt:?} on stdout before stdin was written; stdout so far: {:?}",
                shown(&stdout.lock().unwrap())
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(answer.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let kept_open = if close {
        drop(stdin);
        None
    } else {
        Some(stdin)
    };
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            panic!(
                "{command}: still running a minute later (stdin open: {}); stdout: {:?}",
                kept_open.is_some(),
                shown(&stdout.lock().unwrap())
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    drop(kept_open);
    reader.join().unwrap();
    let stderr = err_reader.join().unwrap();
    let stdout = shown(&stdout.lock().unwrap());
    Output {
        code: status.code(),
        stdout,
        stderr: shown(&stderr),
        command,
    }
}

#[test]
fn an_interactive_prompt_shows_before_the_app_waits_for_stdin() {
    // The prompt is printed before the read (it was buffered in the
    // instance until the app ended, so a user saw no question), and the
    // answer is what node prints. node's stdin then stays open until the
    // other side closes it; under jspkg a closed readline (a paused stdin)
    // does not keep the app alive, so jspkg's run is left with stdin open
    // where it may be (the blocking read of `sync` needs its end).
    let app = repo_path("tests/apps/prompt.js");
    for mode in ["readline", "promises", "sync"] {
        let [(_, mut ours), (_, mut node)] = both(&app, &[mode]);
        let expected = converse(&mut node, "Name? ", "Ada Lovelace\n", true);
        assert_eq!(
            (expected.code, expected.stdout.as_str()),
            (Some(0), "Name? hello Ada Lovelace\n"),
            "node reference, {mode}:\n{expected}"
        );
        let got = converse(&mut ours, "Name? ", "Ada Lovelace\n", mode == "sync");
        assert!(
            got.stdout == expected.stdout && got.code == expected.code,
            "{mode}: jspkg run differs from node\n=== node ===\n{expected}\n=== jspkg ===\n{got}"
        );
    }
}

#[test]
fn timers_run_while_the_app_waits_for_stdin() {
    // "tick" (a 50 ms timer) must come while stdin has nothing yet: a
    // blocking read of stdin would hold the event loop until the line came.
    let app = repo_path("tests/apps/stdin-and-timer.js");
    for (who, mut cmd) in both(&app, &[]) {
        let o = converse(&mut cmd, "tick\n", "first\nsecond\n", who == "node");
        assert_eq!(
            (o.code, o.stdout.as_str()),
            (Some(0), "tick\nline: first\n"),
            "{who}:\n{o}"
        );
    }
}

#[test]
fn lines_of_stdin_read_as_node_reads_them() {
    // node:readline's async iterator and "line" events, and process.stdin's
    // "data"/"end" events: \n, \r\n and a lone \r end lines, an empty line
    // counts, the last line needs no end; a large input (many reads) with
    // multi-byte characters that fall across reads.
    let small = "a\nb\r\nc\rd\n\n  spaced  \nü-umlaut ✓\nlast-no-newline";
    let large: String = (0..60_000)
        .map(|i| {
            let accent = if i % 997 == 0 { "é✓" } else { "" };
            format!("line {i} {accent}{}\r\n", "x".repeat(i % 50))
        })
        .collect();
    let app = repo_path("tests/apps/read-lines.js");
    let wasm = built(&app);
    for input in [small, large.as_str()] {
        for mode in ["iterate", "events", "data"] {
            let mut node = Command::new(Tools::get().node());
            node.current_dir(repo_root())
                .arg(repo_root().join("tests/node-main.mjs"))
                .arg(&app)
                .arg(mode);
            let expected = run_with_stdin(&mut node, input);
            assert!(
                expected.success() && expected.stdout.starts_with(mode),
                "node reference failed:\n{expected}"
            );
            let got = run_with_stdin(jspkg().arg("run").arg(&wasm).args(["--", mode]), input);
            assert!(
                got.stdout == expected.stdout && got.code == expected.code,
                "{mode}, {} bytes: jspkg run differs from node\n=== node ===\n{expected}\n=== jspkg ===\n{got}\n{}",
                input.len(),
                first_difference(&expected.stdout, &got.stdout)
            );
        }
    }
}
