//! Every subcommand on bad input: one line on stderr that says what is
//! wrong and what to do, an exit code other than 0, no output file, nothing
//! in the local store. One row of [`cases`] per (subcommand, bad input).

mod common;
#[path = "../../registry-client/tests/common/mod.rs"]
mod registry;

use common::{Output, RUN_TIMEOUT, built, built_for, jspkg, repo_path, run, scratch};
use registry::{PASSWORD, TestRegistry, USER};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// One bad invocation and what its message must say.
struct Case {
    name: &'static str,
    args: Vec<OsString>,
    env: Vec<(&'static str, String)>,
    /// Words the one line must hold (all of them).
    words: Vec<String>,
}

fn os(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Vec<OsString> {
    args.iter().map(|a| a.as_ref().to_os_string()).collect()
}

/// The bad inputs, made once.
struct Inputs {
    dir: PathBuf,
    missing: PathBuf,
    empty: PathBuf,
    text: PathBuf,
    truncated: PathBuf,
    not_utf8: PathBuf,
    cli_app: PathBuf,
    http_app: PathBuf,
    split: PathBuf,
}

fn inputs() -> Inputs {
    let dir = scratch("inputs");
    let cli_app = built(&repo_path("examples/hello/hello.js"));
    let http_app = built_for(&repo_path("examples/http/hello.js"), "http");
    let split = dir.join("split");
    let o = run(
        jspkg().arg("split").arg(&cli_app).arg("-o").arg(&split),
        RUN_TIMEOUT,
    );
    assert!(o.success(), "split failed:\n{o}");
    let empty = dir.join("empty.wasm");
    std::fs::write(&empty, b"").unwrap();
    let text = dir.join("notes.wasm");
    std::fs::write(&text, b"this is a text file\nwith two lines\n").unwrap();
    let truncated = dir.join("truncated.wasm");
    let whole = std::fs::read(&cli_app).unwrap();
    std::fs::write(&truncated, &whole[..whole.len() / 2]).unwrap();
    let not_utf8 = dir.join("latin1.js");
    std::fs::write(&not_utf8, b"console.log('caf\xe9')\n").unwrap();
    let sub = dir.join("a-directory");
    std::fs::create_dir_all(&sub).unwrap();
    Inputs {
        missing: dir.join("missing.wasm"),
        dir: sub,
        empty,
        text,
        truncated,
        not_utf8,
        cli_app,
        http_app,
        split,
    }
}

/// A port on 127.0.0.1 that nothing listens on.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn w(words: &[&str]) -> Vec<String> {
    words.iter().map(|s| s.to_string()).collect()
}

fn shown(p: &Path) -> String {
    p.display().to_string()
}

fn cases(i: &Inputs, out: &Path, reg: &TestRegistry) -> Vec<Case> {
    let o = out.join("out.wasm");
    let not_wasm = "not a WebAssembly module or component";
    let truncated = "truncated or corrupt";
    let unreachable = format!("127.0.0.1:{}/acme/x:1", closed_port());
    let guarded = format!("{}/acme/hello:1", reg.addr);
    let bad_creds = vec![
        ("JSPKG_REGISTRY_USERNAME", USER.to_string()),
        ("JSPKG_REGISTRY_PASSWORD", "not-the-password".to_string()),
    ];
    let case = |name, args, words| Case {
        name,
        args,
        env: vec![],
        words,
    };
    let mut v = vec![
        // build (input: JavaScript)
        case(
            "build missing file",
            os(&[&"build", &i.missing, &"-o", &o]),
            w(&["no such file", &shown(&i.missing)]),
        ),
        case(
            "build directory",
            os(&[&"build", &i.dir, &"-o", &o]),
            w(&["is a directory"]),
        ),
        case(
            "build not UTF-8",
            os(&[&"build", &i.not_utf8, &"-o", &o]),
            w(&["not UTF-8"]),
        ),
        case(
            "build output is a directory",
            os(&[
                &"build",
                &repo_path("examples/hello/hello.js"),
                &"-o",
                &i.dir,
            ]),
            w(&["is a directory", "output"]),
        ),
        // split
        case(
            "split missing file",
            os(&[&"split", &i.missing, &"-o", &out.join("s")]),
            w(&["no such file"]),
        ),
        case(
            "split directory",
            os(&[&"split", &i.dir, &"-o", &out.join("s")]),
            w(&["is a directory"]),
        ),
        case(
            "split empty file",
            os(&[&"split", &i.empty, &"-o", &out.join("s")]),
            w(&[not_wasm, "empty"]),
        ),
        case(
            "split not wasm",
            os(&[&"split", &i.text, &"-o", &out.join("s")]),
            w(&[&format!("{}: {not_wasm}", shown(&i.text))]),
        ),
        case(
            "split truncated",
            os(&[&"split", &i.truncated, &"-o", &out.join("s")]),
            w(&[truncated, &shown(&i.truncated)]),
        ),
        case(
            "split bad --reference (not wasm)",
            os(&[
                &"split",
                &i.cli_app,
                &"--reference",
                &i.text,
                &"-o",
                &out.join("s"),
            ]),
            w(&[not_wasm, &shown(&i.text)]),
        ),
        case(
            "split bad --reference (truncated)",
            os(&[
                &"split",
                &i.cli_app,
                &"--reference",
                &i.truncated,
                &"-o",
                &out.join("s"),
            ]),
            w(&[truncated, &shown(&i.truncated)]),
        ),
        case(
            "split bad --reference (an http app)",
            os(&[
                &"split",
                &i.cli_app,
                &"--reference",
                &i.http_app,
                &"-o",
                &out.join("s"),
            ]),
            w(&["reference", "engine"]),
        ),
        case(
            "split bad --engine",
            os(&[
                &"split",
                &i.cli_app,
                &"--engine",
                &i.empty,
                &"-o",
                &out.join("s"),
            ]),
            w(&[not_wasm]),
        ),
        case(
            "split an app again",
            os(&[&"split", &i.split.join("app.wasm"), &"-o", &out.join("s")]),
            w(&["already", "split the pre-initialized original"]),
        ),
        // compose
        case(
            "compose engine not wasm",
            os(&[&"compose", &i.text, &i.split.join("app.wasm"), &"-o", &o]),
            w(&[not_wasm]),
        ),
        case(
            "compose app missing",
            os(&[
                &"compose",
                &i.split.join("engine.wasm"),
                &i.missing,
                &"-o",
                &o,
            ]),
            w(&["no such file"]),
        ),
        case(
            "compose app truncated",
            os(&[
                &"compose",
                &i.split.join("engine.wasm"),
                &i.truncated,
                &"-o",
                &o,
            ]),
            w(&[truncated]),
        ),
        case(
            "compose engine and app swapped",
            os(&[
                &"compose",
                &i.split.join("app.wasm"),
                &i.split.join("engine.wasm"),
                &"-o",
                &o,
            ]),
            w(&["engine"]),
        ),
        // inspect
        case(
            "inspect missing file",
            os(&[&"inspect", &i.missing]),
            w(&["no such file"]),
        ),
        case(
            "inspect directory",
            os(&[&"inspect", &i.dir]),
            w(&["is a directory"]),
        ),
        case(
            "inspect empty file",
            os(&[&"inspect", &i.empty]),
            w(&[not_wasm]),
        ),
        case(
            "inspect not wasm",
            os(&[&"inspect", &i.text]),
            w(&[&format!("{}: {not_wasm}", shown(&i.text))]),
        ),
        case(
            "inspect truncated",
            os(&[&"inspect", &i.truncated]),
            w(&[truncated]),
        ),
        // run
        case(
            "run missing file",
            os(&[&"run", &i.missing]),
            w(&["no such file"]),
        ),
        case(
            "run directory",
            os(&[&"run", &i.dir]),
            w(&["is a directory"]),
        ),
        case("run empty file", os(&[&"run", &i.empty]), w(&[not_wasm])),
        case(
            "run not wasm",
            os(&[&"run", &i.text]),
            w(&[&format!("{}: {not_wasm}", shown(&i.text))]),
        ),
        case(
            "run truncated",
            os(&[&"run", &i.truncated]),
            w(&[truncated]),
        ),
        case(
            "run truncated engine",
            os(&[&"run", &i.split.join("app.wasm"), &"--engine", &i.truncated]),
            w(&[truncated, &shown(&i.truncated)]),
        ),
        case(
            "run an http app",
            os(&[&"run", &i.http_app]),
            w(&["HTTP", "jspkg serve"]),
        ),
        case(
            "run unreachable registry",
            os(&[&"run", &unreachable]),
            w(&["cannot reach registry"]),
        ),
        // serve
        case(
            "serve missing file",
            os(&[&"serve", &i.missing, &"--addr", &"127.0.0.1:0"]),
            w(&["no such file"]),
        ),
        case(
            "serve not wasm",
            os(&[&"serve", &i.text, &"--addr", &"127.0.0.1:0"]),
            w(&[&format!("{}: {not_wasm}", shown(&i.text))]),
        ),
        case(
            "serve truncated",
            os(&[&"serve", &i.truncated, &"--addr", &"127.0.0.1:0"]),
            w(&[truncated]),
        ),
        case(
            "serve a cli app",
            os(&[&"serve", &i.cli_app, &"--addr", &"127.0.0.1:0"]),
            w(&["command", "jspkg run"]),
        ),
        // publish
        case(
            "publish bad reference",
            os(&[&"publish", &i.split, &"Not A Reference"]),
            w(&["not a valid OCI reference"]),
        ),
        case(
            "publish missing input",
            os(&[&"publish", &i.missing, &format!("{}/acme/x:1", reg.addr)]),
            w(&["no such file"]),
        ),
        case(
            "publish a directory without app.wasm",
            os(&[&"publish", &i.dir, &format!("{}/acme/x:1", reg.addr)]),
            w(&["no app.wasm"]),
        ),
        case(
            "publish not wasm",
            os(&[&"publish", &i.text, &format!("{}/acme/x:1", reg.addr)]),
            w(&[not_wasm]),
        ),
        case(
            "publish truncated",
            os(&[&"publish", &i.truncated, &format!("{}/acme/x:1", reg.addr)]),
            w(&[truncated]),
        ),
        case(
            "publish unreachable registry",
            os(&[&"publish", &i.split, &unreachable]),
            w(&["cannot reach registry", "running"]),
        ),
        case(
            "publish no credentials",
            os(&[&"publish", &i.split, &guarded]),
            w(&["refused access", "docker login"]),
        ),
        // pull
        case(
            "pull bad reference",
            os(&[&"pull", &"Not A Reference"]),
            w(&["not a valid OCI reference"]),
        ),
        case(
            "pull unreachable registry",
            os(&[&"pull", &unreachable]),
            w(&["cannot reach registry"]),
        ),
    ];
    v.push(Case {
        name: "pull not found",
        args: os(&[&"pull", &format!("{}/acme/missing:1", reg.addr)]),
        env: vec![
            ("JSPKG_REGISTRY_USERNAME", USER.to_string()),
            ("JSPKG_REGISTRY_PASSWORD", PASSWORD.to_string()),
        ],
        words: w(&["not found", "check the name"]),
    });
    v.push(Case {
        name: "publish bad credentials",
        args: os(&[&"publish", &i.split, &guarded]),
        env: bad_creds.clone(),
        words: w(&["refused access", "JSPKG_REGISTRY_PASSWORD"]),
    });
    v.push(Case {
        name: "pull bad credentials",
        args: os(&[&"pull", &guarded, &"-o", &out.join("pulled")]),
        env: bad_creds,
        words: w(&["refused access"]),
    });
    v
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            found.extend(files_under(&p));
        } else {
            found.push(p);
        }
    }
    found
}

fn check(case: &Case, o: &Output, out: &Path, home: &Path) -> Result<(), String> {
    let mut problems = Vec::new();
    if o.success() || o.code.is_none() {
        problems.push("exit code should be an error (not 0, not a signal)".to_string());
    }
    let lines: Vec<&str> = o.stderr.lines().collect();
    if lines.len() != 1 || !o.stderr.ends_with('\n') {
        problems.push(format!(
            "stderr should be exactly one line, it has {}",
            lines.len()
        ));
    }
    if !o.stderr.starts_with("error: ") {
        problems.push("stderr should start with `error: `".into());
    }
    for word in &case.words {
        if !o.stderr.contains(word.as_str()) {
            problems.push(format!("stderr lacks {word:?}"));
        }
    }
    if o.stderr.contains("not-the-password") {
        problems.push("stderr echoes the password".into());
    }
    if !o.stdout.is_empty() {
        problems.push("stdout should be empty".into());
    }
    let left = files_under(out);
    if !left.is_empty() {
        problems.push(format!("output left behind: {left:?}"));
    }
    let stored = files_under(&home.join("store/blobs"));
    if !stored.is_empty() {
        problems.push(format!("the store got blobs: {stored:?}"));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "case {:?}:\n  - {}\n{o}",
            case.name,
            problems.join("\n  - ")
        ))
    }
}

#[test]
fn every_subcommand_refuses_bad_input_in_one_line() {
    let reg = TestRegistry::htpasswd();
    let i = inputs();
    let home = scratch("home");
    // This test's own home: its store must stay empty.
    let mut failures = Vec::new();
    let count = cases(&i, &scratch("out"), &reg).len();
    assert!(count >= 45, "the table lost rows");
    for k in 0..count {
        // Each case writes into a fresh output directory of its own.
        let out = scratch("out");
        let case = cases(&i, &out, &reg).swap_remove(k);
        let mut cmd = jspkg();
        cmd.env("JSPKG_HOME", &home)
            .env_remove("JSPKG_REGISTRY_USERNAME")
            .env_remove("JSPKG_REGISTRY_PASSWORD")
            .env("DOCKER_CONFIG", home.join("no-docker-config"))
            .args(&case.args);
        for (k, v) in &case.env {
            cmd.env(k, v);
        }
        let o = run(&mut cmd, RUN_TIMEOUT);
        eprintln!("{:<38} {}", case.name, o.stderr.trim_end());
        if let Err(e) = check(&case, &o, &out, &home) {
            failures.push(e);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
