//! `jspkg publish` / `jspkg pull` end to end against a real registry
//! (Debian's `docker-registry`, distribution 2.8, on 127.0.0.1), on real
//! `jspkg build` + `jspkg split` output; the pulled files run with `jspkg
//! run --engine`; a second OCI client (oras-py, from the tools venv) pulls
//! what jspkg published, and jspkg refuses what oras pushed.

mod common;
#[path = "../../registry-client/tests/common/mod.rs"]
mod registry;

use common::{Output, RUN_TIMEOUT, Tools, built, jspkg, repo_path, run, scratch};
use registry::{PASSWORD, TestRegistry, USER};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn ok(o: Output) -> Output {
    assert!(o.success(), "command failed:\n{o}");
    o
}

fn failed(o: Output) -> Output {
    assert!(!o.success(), "command should have failed:\n{o}");
    o
}

fn json(o: &Output) -> Value {
    serde_json::from_str(&o.stdout).unwrap_or_else(|e| panic!("bad JSON ({e}):\n{o}"))
}

/// `jspkg build` + `jspkg split` of an example: the split directory.
fn split(example: &str) -> PathBuf {
    let wasm = built(&repo_path(example));
    let dir = scratch("split");
    ok(run(
        jspkg().arg("split").arg(&wasm).arg("-o").arg(&dir),
        RUN_TIMEOUT,
    ));
    dir
}

fn jspkg_home<'a>(cmd: &'a mut Command, home: &Path) -> &'a mut Command {
    cmd.env("JSPKG_HOME", home)
        .env_remove("JSPKG_REGISTRY_USERNAME")
        .env_remove("JSPKG_REGISTRY_PASSWORD")
        .env("DOCKER_CONFIG", home.join("no-docker-config"))
}

fn publish(home: &Path, input: &Path, reference: &str, extra: &[&str]) -> Output {
    run(
        jspkg_home(&mut jspkg(), home)
            .arg("publish")
            .arg(input)
            .arg(reference)
            .args(extra),
        RUN_TIMEOUT,
    )
}

fn pull(home: &Path, reference: &str, extra: &[&str]) -> Output {
    run(
        jspkg_home(&mut jspkg(), home)
            .arg("pull")
            .arg(reference)
            .args(extra),
        RUN_TIMEOUT,
    )
}

fn python() -> PathBuf {
    let p = Tools::get().root().join("venv/bin/python");
    assert!(
        p.is_file(),
        "{} missing: run scripts/setup-tools.sh (installs oras-py)",
        p.display()
    );
    p
}

/// Runs oras-py (`import oras.client`) with a small script.
fn oras(script: &str, args: &[&str]) -> Output {
    run(
        Command::new(python()).arg("-c").arg(script).args(args),
        RUN_TIMEOUT,
    )
}

const ORAS_PULL: &str = r#"
import sys, oras.client
host, target, outdir = sys.argv[1:4]
c = oras.client.OrasClient(hostname=host, insecure=True)
for f in c.pull(target=target, outdir=outdir):
    print(f)
"#;

const ORAS_PUSH: &str = r#"
import sys, os, oras.client
host, target, path = sys.argv[1:4]
c = oras.client.OrasClient(hostname=host, insecure=True)
os.chdir(os.path.dirname(path))
r = c.push(target=target, files=[os.path.basename(path)])
print(r.status_code)
"#;

#[test]
fn publish_two_apps_share_engine_pull_and_run() {
    let reg = TestRegistry::anonymous();
    let home = scratch("home");
    let hello = split("examples/hello/hello.js");
    let json_app = split("examples/conformance/json.js");
    let engine = std::fs::read(hello.join("engine.wasm")).unwrap();
    assert_eq!(engine, std::fs::read(json_app.join("engine.wasm")).unwrap());

    let r1 = format!("{}/acme/hello:1.0.0", reg.addr);
    let v1 = json(&ok(publish(&home, &hello, &r1, &["--json"])));
    assert_eq!(v1["engine"]["uploaded"], true, "{v1}");
    assert_eq!(v1["kind"], "app");

    let r2 = format!("{}/acme/json:1.0.0", reg.addr);
    // The app alone (no engine.wasm), its engine found by name and range.
    let meta = jspkg_artifact::metadata::read(&std::fs::read(json_app.join("app.wasm")).unwrap())
        .unwrap()
        .unwrap();
    let req = format!("{}@^{}", meta.engine.name, meta.engine.version);
    let app_alone = json_app.join("app.wasm");
    let v2 = json(&ok(publish(
        &home,
        &app_alone,
        &r2,
        &["--json", "--engine", &req],
    )));
    assert_eq!(v2["engine"]["uploaded"], false, "{v2}");
    let sent = v2["uploaded_bytes"].as_u64().unwrap();
    assert!(
        sent < engine.len() as u64 / 4,
        "second app sent {sent} bytes; the engine alone is {}",
        engine.len()
    );

    // Pull into a fresh home, run the pulled files.
    let home2 = scratch("home");
    let out = scratch("pulled");
    let p = json(&ok(pull(
        &home2,
        &r2,
        &["-o", out.to_str().unwrap(), "--json"],
    )));
    assert_eq!(p["kind"], "app");
    assert_eq!(
        std::fs::read(out.join("app.wasm")).unwrap(),
        std::fs::read(json_app.join("app.wasm")).unwrap()
    );
    assert_eq!(std::fs::read(out.join("engine.wasm")).unwrap(), engine);
    let o = ok(run(
        jspkg_home(&mut jspkg(), &home2)
            .arg("run")
            .arg(out.join("app.wasm"))
            .arg("--engine")
            .arg(out.join("engine.wasm"))
            .arg("--")
            .arg("x"),
        RUN_TIMEOUT,
    ));
    assert!(o.stdout.contains("\"name\": \"jspkg\""), "{o}");

    // The second app on this host fetches no engine bytes.
    let q = json(&ok(pull(&home2, &r1, &["--json", "--quiet"])));
    assert!(
        q["downloaded_bytes"].as_u64().unwrap() < engine.len() as u64 / 4,
        "{q}"
    );
    let o = ok(run(
        jspkg_home(&mut jspkg(), &home2)
            .arg("run")
            .arg(q["app"].as_str().unwrap())
            .arg("--engine")
            .arg(q["engine"]["path"].as_str().unwrap())
            .arg("--")
            .arg("registry"),
        RUN_TIMEOUT,
    ));
    assert_eq!(o.stdout.trim(), "Hello, registry!", "{o}");

    // `jspkg run REF` on a fresh host: pulled through its store, then run.
    let home4 = scratch("home");
    let o = ok(run(
        jspkg_home(&mut jspkg(), &home4)
            .arg("run")
            .arg(&r1)
            .arg("--")
            .arg("by reference"),
        RUN_TIMEOUT,
    ));
    assert_eq!(o.stdout.trim(), "Hello, by reference!", "{o}");
    // A split app given without --engine: the engine it pins is in the store.
    let o = ok(run(
        jspkg_home(&mut jspkg(), &home2)
            .arg("run")
            .arg(out.join("app.wasm"))
            .arg("--")
            .arg("x"),
        RUN_TIMEOUT,
    ));
    assert!(o.stdout.contains("\"name\": \"jspkg\""), "{o}");

    // Interop: oras-py pulls the app and the engine jspkg published.
    let oras_out = scratch("oras");
    ok(oras(
        ORAS_PULL,
        &[&reg.addr, &r2, oras_out.to_str().unwrap()],
    ));
    assert_eq!(
        std::fs::read(oras_out.join("app.wasm")).unwrap(),
        std::fs::read(json_app.join("app.wasm")).unwrap()
    );
    let engine_ref = v1["engine"]["reference"].as_str().unwrap();
    ok(oras(
        ORAS_PULL,
        &[&reg.addr, engine_ref, oras_out.to_str().unwrap()],
    ));
    assert_eq!(std::fs::read(oras_out.join("engine.wasm")).unwrap(), engine);

    // ... and jspkg refuses what oras pushed (not a Wasm artifact).
    let plain = scratch("plain").join("notes.txt");
    std::fs::write(&plain, "not wasm").unwrap();
    let r3 = format!("{}/acme/notes:1", reg.addr);
    ok(oras(ORAS_PUSH, &[&reg.addr, &r3, plain.to_str().unwrap()]));
    let out3 = scratch("pulled");
    let e = failed(pull(&home2, &r3, &["-o", out3.to_str().unwrap()]));
    assert!(e.stderr.contains("not a Wasm OCI artifact"), "{e}");
    assert_eq!(std::fs::read_dir(&out3).unwrap().count(), 0);

    // A monolithic `jspkg build` output is published as one artifact.
    let mono = built(&repo_path("examples/hello/hello.js"));
    let r4 = format!("{}/acme/hello-mono:1", reg.addr);
    let m = json(&ok(publish(&home, &mono, &r4, &["--json"])));
    assert_eq!(m["kind"], "pre-initialized");
    assert!(m["engine"].is_null());
    let p4 = json(&ok(pull(&home2, &r4, &["--json"])));
    assert_eq!(
        std::fs::read(p4["app"].as_str().unwrap()).unwrap(),
        std::fs::read(&mono).unwrap()
    );

    // Tampered blob in the registry: refused, nothing written.
    let app_digest = p["app_digest"].as_str().unwrap();
    let data = reg.blob_data(app_digest);
    let mut bytes = std::fs::read(&data).unwrap();
    bytes[10] ^= 0x55;
    std::fs::write(&data, &bytes).unwrap();
    let home3 = scratch("home");
    let out5 = scratch("pulled");
    let e = failed(pull(&home3, &r2, &["-o", out5.to_str().unwrap()]));
    assert!(e.stderr.contains("tampered"), "{e}");
    assert_eq!(std::fs::read_dir(&out5).unwrap().count(), 0);
}

/// Standard base64, for a docker config `auth` entry.
fn base64(input: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in input.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[test]
fn htpasswd_registry_with_env_and_docker_config_credentials() {
    let reg = TestRegistry::htpasswd();
    let hello = split("examples/hello/hello.js");
    let home = scratch("home");
    let r = format!("{}/acme/hello:1", reg.addr);

    let e = failed(publish(&home, &hello, &r, &[]));
    assert!(e.stderr.contains("docker login"), "{e}");

    // Credentials from the environment.
    let o = ok(run(
        jspkg_home(&mut jspkg(), &home)
            .env("JSPKG_REGISTRY_USERNAME", USER)
            .env("JSPKG_REGISTRY_PASSWORD", PASSWORD)
            .env("JSPKG_LOG", "trace")
            .args(["publish", "--quiet"])
            .arg(&hello)
            .arg(&r),
        RUN_TIMEOUT,
    ));
    assert!(!o.stdout.contains(PASSWORD) && !o.stderr.contains(PASSWORD));

    // Wrong password: refused, the password is not echoed.
    let e = failed(run(
        jspkg_home(&mut jspkg(), &home)
            .env("JSPKG_REGISTRY_USERNAME", USER)
            .env("JSPKG_REGISTRY_PASSWORD", "wrong-pw-123")
            .args(["pull", &r]),
        RUN_TIMEOUT,
    ));
    assert!(e.stderr.contains("refused access"), "{e}");
    assert!(!e.stderr.contains("wrong-pw-123"), "{e}");

    // Credentials from a docker config file.
    let docker = scratch("docker");
    let auth = base64(format!("{USER}:{PASSWORD}").as_bytes());
    std::fs::write(
        docker.join("config.json"),
        format!(r#"{{"auths":{{"{}":{{"auth":"{auth}"}}}}}}"#, reg.addr),
    )
    .unwrap();
    let out = scratch("pulled");
    let o = ok(run(
        jspkg_home(&mut jspkg(), &home)
            .env("DOCKER_CONFIG", &docker)
            .args(["pull", &r, "-o"])
            .arg(&out),
        RUN_TIMEOUT,
    ));
    assert!(!o.stdout.contains(PASSWORD) && !o.stderr.contains(PASSWORD));
    assert_eq!(
        std::fs::read(out.join("engine.wasm")).unwrap(),
        std::fs::read(hello.join("engine.wasm")).unwrap()
    );
}

#[test]
fn bad_input_fails_clearly() {
    let home = scratch("home");
    let e = failed(pull(&home, "not a reference", &[]));
    assert!(e.stderr.contains("not a valid OCI reference"), "{e}");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let e = failed(pull(&home, &format!("127.0.0.1:{port}/acme/x:1"), &[]));
    assert!(e.stderr.contains("cannot reach registry"), "{e}");
}
