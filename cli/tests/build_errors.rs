//! `jspkg build` on broken apps: it must fail (exit code != 0), say what is
//! wrong where node says it, and write no output file.

mod common;

use common::*;
use std::path::Path;

/// `jspkg build APP -o <fresh dir>/out.wasm`, expecting failure and no file.
fn build_fails(app: &Path) -> Output {
    build_fails_in(app, "cli")
}

/// `jspkg build --world WORLD APP -o <fresh dir>/out.wasm`, expecting
/// failure and no file.
fn build_fails_in(app: &Path, world: &str) -> Output {
    let dir = scratch("fail");
    let out = dir.join("out.wasm");
    let o = build_for_to(app, world, &out);
    assert!(
        !o.success() && o.code.is_some(),
        "`jspkg build` of {} should fail with an exit code:\n{o}",
        app.display()
    );
    assert!(
        !out.exists(),
        "a failed build wrote {}:\n{o}",
        out.display()
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(
        leftovers.is_empty(),
        "a failed build left files behind: {leftovers:?}"
    );
    o
}

/// Where node (V8) puts a module's syntax error: the `file:///…:LINE` line
/// and the caret under the source line.
fn node_syntax_error_position(stderr: &str) -> (usize, usize) {
    let lines: Vec<&str> = stderr.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("file://"))
        .unwrap_or_else(|| panic!("no file:// line in node's stderr:\n{stderr}"));
    let line: usize = lines[at].rsplit(':').next().unwrap().parse().unwrap();
    let caret = lines[at + 2];
    assert!(
        caret.trim() == "^" || caret.trim().starts_with('^'),
        "no caret line in:\n{stderr}"
    );
    let col = caret.find('^').unwrap() + 1;
    (line, col)
}

#[test]
fn syntax_error_gives_file_line_col() {
    let app = repo_path("tests/apps/syntax-error.js");
    let node = node_run(&app, &[]);
    assert_eq!(node.code, Some(1), "node should reject the app:\n{node}");
    let (line, col) = node_syntax_error_position(&node.stderr);
    let o = build_fails(&app);
    let want = format!("syntax-error.js:{line}:{col}");
    assert!(
        o.stderr.contains(&want),
        "stderr should point at {want} (where node does):\n{o}"
    );
    assert!(
        o.stderr.contains("SyntaxError"),
        "stderr should name the SyntaxError:\n{o}"
    );
}

#[test]
fn top_level_throw_gives_message_and_stack() {
    let app = repo_path("tests/apps/top-level-throw.js");
    let node = node_run(&app, &[]);
    assert_eq!(node.code, Some(1), "node should fail at import:\n{node}");
    let message = node_error_line(&node.stderr)
        .unwrap_or_else(|| panic!("no error line in node's stderr:\n{node}"));
    // The innermost frame node names: the function that threw.
    let frame = node
        .stderr
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("at ")
                .and_then(|f| f.split_once(" ("))
                .map(|(f, _)| f)
        })
        .unwrap_or_else(|| panic!("no named frame in node's stack:\n{node}"));
    let o = build_fails(&app);
    assert!(
        o.stderr.contains(message),
        "stderr should carry node's {message:?}:\n{o}"
    );
    assert!(
        o.stderr.contains(frame),
        "stderr should carry a stack naming {frame:?}:\n{o}"
    );
}

#[test]
fn missing_main_is_named() {
    let app = repo_path("tests/apps/no-main.js");
    let node = node_run(&app, &[]);
    assert_ne!(
        node.code,
        Some(0),
        "the node runner should refuse an app without main:\n{node}"
    );
    let o = build_fails(&app);
    assert!(
        o.stderr.contains("`main`"),
        "stderr should say that `main` is missing:\n{o}"
    );
    assert!(
        o.stderr.contains("no-main.js"),
        "stderr should name the app:\n{o}"
    );
}

#[test]
fn missing_input_file_is_named() {
    let app = work_dir().join("does-not-exist.js");
    let o = build_fails(&app);
    assert!(
        o.stderr.contains("does-not-exist.js"),
        "stderr should name the missing file:\n{o}"
    );
}

/// A failed build leaves an existing output file as it was.
#[test]
fn failed_build_keeps_existing_output() {
    let dir = scratch("keep");
    let out = dir.join("app.wasm");
    std::fs::write(&out, b"previous build").unwrap();
    let o = build_to(&repo_path("tests/apps/syntax-error.js"), &out);
    assert!(!o.success(), "the build should fail:\n{o}");
    assert_eq!(
        std::fs::read(&out).unwrap(),
        b"previous build",
        "the old output was changed:\n{o}"
    );
}

#[test]
fn a_handler_without_fetch_is_named_and_worlds_are_not_mixed_up() {
    // A command is not a handler: the http world asks for `fetch`.
    let o = build_fails_in(&repo_path("examples/hello/hello.js"), "http");
    assert!(
        o.stderr.contains("`fetch`") && o.stderr.contains("hello.js"),
        "stderr should say that the default export's `fetch` is missing:\n{o}"
    );
    // A handler is not a command: the cli world asks for `main`.
    let o = build_fails_in(&repo_path("examples/http/hello.js"), "cli");
    assert!(
        o.stderr.contains("`main`"),
        "stderr should say that `main` is missing:\n{o}"
    );
    // An unknown world is refused by name.
    let o = build_fails_in(&repo_path("examples/http/hello.js"), "wasi-p3");
    assert!(
        o.stderr.contains("wasi-p3") && o.stderr.contains("http"),
        "stderr should name the unknown world and the known ones:\n{o}"
    );
}

/// Timers never run at build time: top-level `setInterval` (cli) or an
/// awaited top-level `setTimeout` (http) fails the build, naming the
/// function, the rule, and the line that called it.
#[test]
fn top_level_timers_and_fetch_fail_the_build() {
    for (app, world, name, line) in [
        ("tests/apps/top-level-timer.js", "cli", "setInterval", 4),
        (
            "tests/apps/top-level-timer-http.js",
            "http",
            "setTimeout",
            2,
        ),
        ("tests/apps/top-level-fetch.js", "cli", "fetch", 3),
    ] {
        let o = build_fails_in(&repo_path(app), world);
        assert!(
            o.stderr
                .contains(&format!("{name} cannot be called at build time")),
            "stderr should say that {name} cannot run at build time:\n{o}"
        );
        assert!(
            o.stderr
                .contains(&format!("call {name} from main or fetch")),
            "stderr should say where to call {name}:\n{o}"
        );
        let file = Path::new(app).file_name().unwrap().to_string_lossy();
        assert!(
            o.stderr.contains(&format!("{file}:{line}")),
            "stderr should point at {file}:{line}:\n{o}"
        );
    }
}
