//! `fetch` from a command (`examples/fetch/fetch.js`) against an upstream
//! server on 127.0.0.1 (`tests/upstream.mjs`, node's `http`): `jspkg run
//! --allow-host` prints what node's own fetch prints (bodies, redirects,
//! statuses, streams, aborts, errors), and without `--allow-host` the
//! request is refused in the guest with the reason and logged by the host.

mod common;

use common::*;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// `node tests/upstream.mjs`, killed when dropped.
struct Upstream {
    child: Child,
    base: String,
}

impl Upstream {
    fn start() -> Upstream {
        let mut child = Command::new(Tools::get().node())
            .arg(repo_root().join("tests/upstream.mjs"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("cannot start node tests/upstream.mjs");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("the upstream server says where it listens");
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line of the upstream: {line:?}"))
            .to_string();
        Upstream { child, base }
    }
}

impl Drop for Upstream {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run_with(wasm: &std::path::Path, flags: &[&str], args: &[String]) -> Output {
    run(
        jspkg()
            .arg("run")
            .args(flags)
            .arg(wasm)
            .arg("--")
            .args(args),
        RUN_TIMEOUT,
    )
}

#[test]
fn fetch_from_a_command_matches_node() {
    let upstream = Upstream::start();
    let app = repo_path("examples/fetch/fetch.js");
    let wasm = built(&app);
    let args = vec![upstream.base.clone()];
    let expected = node_run(&app, &args);
    assert!(
        expected.success() && expected.stdout.lines().count() > 30,
        "node's run is the reference and must succeed:\n{expected}"
    );
    // 127.0.0.1 on any port: the upstream's, and port 1 where nothing listens.
    let got = run_with(&wasm, &["--allow-host", "127.0.0.1"], &args);
    assert!(
        got.stdout == expected.stdout && got.code == expected.code,
        "jspkg run differs from node\n\n=== node ===\n{expected}\n\n=== jspkg run ===\n{got}\n\n{}",
        first_difference(&expected.stdout, &got.stdout)
    );
    assert!(
        !got.stderr.contains("WARN"),
        "an allowed run should log no warning:\n{got}"
    );
}

#[test]
fn fetch_is_refused_unless_the_host_is_allowed() {
    let upstream = Upstream::start();
    let port = upstream.base.rsplit(':').next().unwrap().to_string();
    let wasm = built(&repo_path("tests/apps/fetch-one.js"));
    let url = format!("{}/echo/x", upstream.base);
    for flags in [
        vec![],
        vec!["--allow-host", "127.0.0.1:1"],
        vec!["--allow-host", "localhost"],
    ] {
        let got = run_with(&wasm, &flags, std::slice::from_ref(&url));
        assert_eq!(
            got.code,
            Some(1),
            "a refused fetch is an uncaught TypeError:\n{got}"
        );
        assert!(
            got.stderr.contains("Uncaught TypeError: fetch failed")
                && got
                    .stderr
                    .contains("[cause]: Error: the host refused the request")
                && got.stderr.contains("--allow-host"),
            "the guest's error should say it was refused and what to do:\n{got}"
        );
        assert!(
            got.stderr.contains(&format!(
                "refused an outgoing request of the app to 127.0.0.1:{port}"
            )) && got
                .stderr
                .contains(&format!("allow it with --allow-host 127.0.0.1:{port}")),
            "the host should log the refused destination:\n{got}"
        );
    }
    let got = run_with(
        &wasm,
        &["--allow-host", &format!("127.0.0.1:{port}")],
        &[url],
    );
    assert!(got.success(), "{got}");
    assert!(got.stdout.starts_with("200 "), "{got}");
}

#[test]
fn bad_allow_host_values_are_refused_with_what_to_write() {
    let wasm = built(&repo_path("tests/apps/fetch-one.js"));
    for bad in [
        "http://example.com",
        "example.com/api",
        "example.com:99999",
        "::1",
    ] {
        let got = run_with(&wasm, &["--allow-host", bad], &["http://x/".into()]);
        assert_eq!(got.code, Some(2), "clap's usage error for {bad:?}:\n{got}");
        assert!(
            got.stderr.contains("expected HOST or HOST:PORT") && got.stderr.lines().count() <= 4,
            "the error should say what to write, briefly:\n{got}"
        );
    }
}
