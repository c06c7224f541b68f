//! `jspkg rebuild`: apps carry their source (`jspkg-source`, FORMAT.md
//! §12) and are snapshotted again on a new engine, from a file or across a
//! registry namespace (Debian's `docker-registry` on 127.0.0.1, started by
//! the test). Engine A is the engine built into jspkg; engine B is the same
//! raw engine build with an extra custom section (a changed build: other
//! code bytes, so another engine digest), published as version 9.0.0; a
//! capped engine (memory maximum 8 MiB above its initial size) is one that
//! a memory-hungry source fails on. Rebuilt apps must print what node
//! prints, pinned to B, while the old tags still run on A.

mod common;
#[path = "../../registry-client/tests/common/mod.rs"]
mod registry;

use common::{Output, RUN_TIMEOUT, check_against_node, jspkg, repo_path, repo_root, run, scratch};
use registry::TestRegistry;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The engine built into this jspkg: its version is the workspace's.
const ENGINE_A: &str = concat!("jspkg-quickjs-cli@", env!("CARGO_PKG_VERSION"));
const ENGINE_B: &str = "jspkg-quickjs-cli@9.0.0";

/// The three apps of the namespace test.
const APPS: [(&str, &str); 3] = [
    ("hello", "examples/hello/hello.js"),
    ("json", "examples/conformance/json.js"),
    ("classes", "examples/conformance/classes.js"),
];

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

fn home_cmd(home: &Path) -> Command {
    let mut cmd = jspkg();
    cmd.env("JSPKG_HOME", home)
        .env_remove("JSPKG_REGISTRY_USERNAME")
        .env_remove("JSPKG_REGISTRY_PASSWORD")
        .env("DOCKER_CONFIG", home.join("no-docker-config"));
    cmd
}

fn jspkg_in(home: &Path, args: &[&str]) -> Output {
    run(home_cmd(home).args(args), RUN_TIMEOUT)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The raw engine build jspkg embeds (engine-component/build.sh output).
fn raw_engine_a() -> Vec<u8> {
    let dir = std::env::var_os("JSPKG_ENGINE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/engine"));
    std::fs::read(dir.join("jspkg-engine-cli.wasm")).expect("engine-component/build.sh output")
}

fn leb(mut v: usize, out: &mut Vec<u8>) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn read_leb(bytes: &[u8], pos: &mut usize) -> usize {
    let (mut v, mut shift) = (0usize, 0);
    loop {
        let b = bytes[*pos];
        *pos += 1;
        v |= usize::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return v;
        }
        shift += 7;
    }
}

/// Engine B: engine A's raw module with one more custom section.
fn raw_engine_b() -> PathBuf {
    let mut m = raw_engine_a();
    let name = b"jspkg-test-engine-build";
    let data = b"engine B: a changed build";
    let mut payload = Vec::new();
    leb(name.len(), &mut payload);
    payload.extend_from_slice(name);
    payload.extend_from_slice(data);
    m.push(0);
    leb(payload.len(), &mut m);
    m.extend_from_slice(&payload);
    let p = scratch("engine-b").join("jspkg-engine-cli.wasm");
    std::fs::write(&p, &m).unwrap();
    p
}

/// Engine A with its memory capped at 128 pages (8 MiB) above the minimum.
fn raw_engine_capped() -> PathBuf {
    let m = raw_engine_a();
    let mut out = m[..8].to_vec();
    let mut pos = 8;
    let mut capped = false;
    while pos < m.len() {
        let id = m[pos];
        pos += 1;
        let size = read_leb(&m, &mut pos);
        let body = &m[pos..pos + size];
        pos += size;
        if id == 5 {
            let mut p = 0;
            assert_eq!(read_leb(body, &mut p), 1, "one memory");
            assert_eq!(body[p], 0, "a memory with no maximum, 32-bit");
            p += 1;
            let min = read_leb(body, &mut p);
            let mut new = Vec::new();
            leb(1, &mut new);
            new.push(1);
            leb(min, &mut new);
            leb(min + 128, &mut new);
            out.push(5);
            leb(new.len(), &mut out);
            out.extend_from_slice(&new);
            capped = true;
        } else {
            out.push(id);
            leb(size, &mut out);
            out.extend_from_slice(body);
        }
    }
    assert!(capped, "the engine defines its memory");
    let p = scratch("engine-capped").join("jspkg-engine-cli.wasm");
    std::fs::write(&p, &out).unwrap();
    p
}

/// `jspkg build` (with `extra` flags) + `jspkg split` of an app: the split dir.
fn build_split(home: &Path, app: &Path, extra: &[&str]) -> PathBuf {
    let dir = scratch("app");
    let built = dir.join("built.wasm");
    let mut args = vec!["build", s(app), "-o", s(&built)];
    args.extend_from_slice(extra);
    ok(jspkg_in(home, &args));
    let out = dir.join("split");
    ok(jspkg_in(home, &["split", s(&built), "-o", s(&out)]));
    out
}

fn inspect(home: &Path, file: &Path) -> Value {
    json(&ok(jspkg_in(home, &["inspect", s(file), "--json"])))
}

fn digest(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    format!("sha256:{}", hex::encode(sha2::Sha256::digest(bytes)))
}

#[test]
fn source_record_survives_split_and_inspect_shows_it() {
    let home = scratch("home");
    let hello = repo_path("examples/hello/hello.js");
    let source = std::fs::read(&hello).unwrap();
    let dir = scratch("record");
    let (with, without) = (dir.join("with.wasm"), dir.join("without.wasm"));
    ok(jspkg_in(&home, &["build", s(&hello), "-o", s(&with)]));
    ok(jspkg_in(
        &home,
        &["build", s(&hello), "-o", s(&without), "--no-source"],
    ));
    let again = dir.join("again.wasm");
    ok(jspkg_in(&home, &["build", s(&hello), "-o", s(&again)]));
    assert_eq!(
        std::fs::read(&with).unwrap(),
        std::fs::read(&again).unwrap()
    );

    let i = inspect(&home, &with);
    assert_eq!(i["rebuildable"], true, "{i}");
    assert_eq!(i["source"]["file_name"], "hello.js");
    assert_eq!(i["source"]["options"]["world"], "cli");
    assert_eq!(i["source"]["source"]["digest"], digest(&source).as_str());
    assert_eq!(i["source"]["source"]["size"], source.len() as u64);
    let record = i["source"]["record_size"].as_u64().unwrap();
    let (a, b) = (
        std::fs::metadata(&with).unwrap().len(),
        std::fs::metadata(&without).unwrap().len(),
    );
    assert_eq!(a - b, record, "the record is all that differs in size");
    assert_eq!(inspect(&home, &without)["rebuildable"], false);

    let with_split = dir.join("with");
    let without_split = dir.join("without");
    ok(jspkg_in(&home, &["split", s(&with), "-o", s(&with_split)]));
    ok(jspkg_in(
        &home,
        &["split", s(&without), "-o", s(&without_split)],
    ));
    // The record travels with the app; the engine is the same bytes.
    assert_eq!(
        std::fs::read(with_split.join("engine.wasm")).unwrap(),
        std::fs::read(without_split.join("engine.wasm")).unwrap()
    );
    let app = inspect(&home, &with_split.join("app.wasm"));
    assert_eq!(app["source"], i["source"], "{app}");
    assert_eq!(app["rebuildable"], true);
    let text = ok(jspkg_in(
        &home,
        &["inspect", s(&without_split.join("app.wasm"))],
    ));
    assert!(text.stdout.contains("rebuild:  no"), "{text}");
    // ... and into a composed file.
    let composed = dir.join("composed.wasm");
    ok(jspkg_in(
        &home,
        &[
            "compose",
            s(&with_split.join("engine.wasm")),
            s(&with_split.join("app.wasm")),
            "-o",
            s(&composed),
        ],
    ));
    assert_eq!(inspect(&home, &composed)["source"], i["source"]);
    println!("source record of hello: {record} bytes ({a} vs {b} bytes built)");
}

#[test]
fn rebuild_file_is_reproducible_and_refuses_bad_cases() {
    let home = scratch("home");
    let engine_b = raw_engine_b();
    let hello = repo_path("examples/hello/hello.js");
    let split = build_split(&home, &hello, &[]);
    let app = split.join("app.wasm");
    let out1 = scratch("rebuilt");
    let out2 = scratch("rebuilt");
    for out in [&out1, &out2] {
        ok(jspkg_in(
            &home,
            &[
                "rebuild",
                s(&app),
                "--engine",
                ENGINE_B,
                "--engine-module",
                s(&engine_b),
                "-o",
                s(out),
            ],
        ));
    }
    for f in ["engine.wasm", "app.wasm"] {
        assert_eq!(
            std::fs::read(out1.join(f)).unwrap(),
            std::fs::read(out2.join(f)).unwrap(),
            "rebuilding twice gives other bytes for {f}"
        );
    }
    let old_engine = std::fs::read(split.join("engine.wasm")).unwrap();
    let new_engine = std::fs::read(out1.join("engine.wasm")).unwrap();
    assert_ne!(digest(&old_engine), digest(&new_engine));
    let i = inspect(&home, &out1.join("app.wasm"));
    assert_eq!(i["engine"]["version"], "9.0.0");
    assert_eq!(i["engine"]["digest"], digest(&new_engine).as_str());
    assert_eq!(i["rebuildable"], true);
    let o = ok(jspkg_in(
        &home,
        &[
            "run",
            s(&out1.join("app.wasm")),
            "--engine",
            s(&out1.join("engine.wasm")),
            "--",
            "B",
        ],
    ));
    assert_eq!(o.stdout.trim(), "Hello, B!", "{o}");
    // A second app rebuilt on B gets the very same engine.
    let other = build_split(&home, &repo_path("examples/conformance/json.js"), &[]);
    let out3 = scratch("rebuilt");
    ok(jspkg_in(
        &home,
        &[
            "rebuild",
            s(&other.join("app.wasm")),
            "--engine",
            ENGINE_B,
            "--engine-module",
            s(&engine_b),
            "-o",
            s(&out3),
        ],
    ));
    assert_eq!(std::fs::read(out3.join("engine.wasm")).unwrap(), new_engine);
    // Rebuilding on the built-in engine A gives back the split of a build.
    let back = scratch("rebuilt");
    ok(jspkg_in(
        &home,
        &[
            "rebuild",
            s(&out1.join("app.wasm")),
            "--engine",
            ENGINE_A,
            "-o",
            s(&back),
        ],
    ));
    assert_eq!(
        std::fs::read(back.join("app.wasm")).unwrap(),
        std::fs::read(&app).unwrap()
    );
    assert_eq!(std::fs::read(back.join("engine.wasm")).unwrap(), old_engine);

    let refused_with = |args: &[&str], message: &str, one_line: bool| {
        let out = scratch("refused").join("out");
        let mut a = args.to_vec();
        a.extend_from_slice(&["-o", s(&out)]);
        let e = failed(jspkg_in(&home, &a));
        assert!(e.stderr.contains(message), "expected {message:?}:\n{e}");
        if one_line {
            assert_eq!(e.stderr.trim().lines().count(), 1, "one-line message:\n{e}");
        }
        assert!(!out.exists(), "output written:\n{e}");
    };
    let refused = |args: &[&str], message: &str| refused_with(args, message, true);
    // No source.
    let bare = build_split(&home, &hello, &["--no-source"]);
    refused(
        &[
            "rebuild",
            s(&bare.join("app.wasm")),
            "--engine",
            ENGINE_B,
            "--engine-module",
            s(&engine_b),
        ],
        "carries no source record",
    );
    // An engine of another name.
    refused(
        &[
            "rebuild",
            s(&app),
            "--engine",
            "jspkg-quickjs-http@9.0.0",
            "--engine-module",
            s(&engine_b),
        ],
        "runs on engine jspkg-quickjs-cli, not jspkg-quickjs-http",
    );
    // A split engine is not a raw engine build.
    refused(
        &[
            "rebuild",
            s(&app),
            "--engine",
            ENGINE_B,
            "--engine-module",
            s(&split.join("engine.wasm")),
        ],
        "not a raw engine core module",
    );
    // A version that is not built in, without its module.
    refused(
        &["rebuild", s(&app), "--engine", ENGINE_B],
        "not an engine built into this jspkg",
    );
    // A source that fails on the new engine (it needs 32 MiB at build time).
    let hungry_dir = scratch("hungry");
    let hungry = hungry_dir.join("hungry.js");
    std::fs::write(
        &hungry,
        "const big = new Uint8Array(32 * 1024 * 1024).fill(7);\n\
         export function main() { console.log(big.length, big[123]); }\n",
    )
    .unwrap();
    let hungry_split = build_split(&home, &hungry, &[]);
    let capped = raw_engine_capped();
    refused_with(
        &[
            "rebuild",
            s(&hungry_split.join("app.wasm")),
            "--engine",
            ENGINE_B,
            "--engine-module",
            s(&capped),
        ],
        "the source fails on the new engine",
        false,
    );
    // ... while it runs on engine A.
    let o = ok(jspkg_in(
        &home,
        &[
            "run",
            s(&hungry_split.join("app.wasm")),
            "--engine",
            s(&hungry_split.join("engine.wasm")),
        ],
    ));
    assert_eq!(o.stdout.trim(), "33554432 7", "{o}");
}

fn tags(reg: &TestRegistry, repo: &str) -> Vec<String> {
    let url = format!("http://{}/v2/{repo}/tags/list", reg.addr);
    let o = ok(run(Command::new("curl").args(["-sf", &url]), RUN_TIMEOUT));
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    let mut t: Vec<String> = v["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();
    t.sort();
    t
}

#[test]
fn rebuild_namespace_moves_apps_to_engine_b() {
    let reg = TestRegistry::anonymous();
    let home = scratch("home");
    let engine_b = raw_engine_b();
    let mut old_refs = Vec::new();
    for (name, path) in APPS {
        let split = build_split(&home, &repo_path(path), &[]);
        let r = format!("{}/acme/{name}:1.0.0", reg.addr);
        ok(jspkg_in(&home, &["publish", s(&split), &r, "--quiet"]));
        old_refs.push((r, split));
    }
    // Another namespace is not touched.
    let elsewhere = build_split(&home, &repo_path("examples/hello/hello.js"), &[]);
    let r_other = format!("{}/other/hello:1.0.0", reg.addr);
    ok(jspkg_in(
        &home,
        &["publish", s(&elsewhere), &r_other, "--quiet"],
    ));
    let ns = format!("{}/acme", reg.addr);
    let b = ["--engine", ENGINE_B, "--engine-module", s(&engine_b)];

    // Dry run: all three would be rebuilt; nothing is published.
    let mut dry = vec!["rebuild", ns.as_str(), "--dry-run", "--json"];
    dry.extend_from_slice(&b);
    let d = json(&ok(jspkg_in(&home, &dry)));
    assert_eq!(d["would_rebuild"], 3, "{d}");
    assert_eq!(d["failed"], 0, "{d}");
    for (name, _) in APPS {
        assert_eq!(tags(&reg, &format!("acme/{name}")), ["1.0.0"]);
    }
    assert!(
        failed(jspkg_in(
            &home,
            &[
                "pull",
                &format!("{}/acme/engines/jspkg-quickjs-cli:9.0.0", reg.addr)
            ]
        ))
        .stderr
        .contains("not found")
    );

    // The real run.
    let mut real = vec!["rebuild", ns.as_str(), "--json"];
    real.extend_from_slice(&b);
    let t0 = std::time::Instant::now();
    let v = json(&ok(jspkg_in(&home, &real)));
    let took = t0.elapsed();
    assert_eq!(v["rebuilt"], 3, "{v}");
    let apps = v["apps"].as_array().unwrap();
    assert_eq!(apps.len(), 3, "only acme's apps, not its engines: {v}");
    let uploaded: u64 = v["uploaded_bytes"].as_u64().unwrap();
    for a in apps {
        assert_eq!(a["status"], "rebuilt", "{a}");
        assert_eq!(a["new_tag"], "1.0.0_engine.9.0.0", "{a}");
        assert_eq!(a["from_engine"], ENGINE_A, "{a}");
    }
    assert_eq!(tags(&reg, "other/hello"), ["1.0.0"]);
    println!("rebuilt and republished 3 apps in {took:?}, {uploaded} bytes uploaded");

    // Each new tag on a fresh home: pinned to B, same output as node; the
    // manifest links the previous digest; the old tag still runs on A.
    let engine_a = std::fs::read(old_refs[0].1.join("engine.wasm")).unwrap();
    let mut engine_b_digest = None;
    for ((name, path), (old_ref, _)) in APPS.iter().zip(&old_refs) {
        let fresh = scratch("fresh-home");
        let new_ref = format!("{}/acme/{name}:1.0.0_engine.9.0.0", reg.addr);
        let out = scratch("pulled");
        let p = json(&ok(jspkg_in(
            &fresh,
            &["pull", &new_ref, "-o", s(&out), "--json"],
        )));
        let i = inspect(&fresh, &out.join("app.wasm"));
        assert_eq!(i["engine"]["version"], "9.0.0", "{i}");
        let eb = std::fs::read(out.join("engine.wasm")).unwrap();
        assert_ne!(eb, engine_a);
        assert_eq!(i["engine"]["digest"], digest(&eb).as_str());
        match &engine_b_digest {
            None => engine_b_digest = Some(digest(&eb)),
            Some(d) => assert_eq!(d, &digest(&eb), "one engine B for every app"),
        }
        let prev = apps
            .iter()
            .find(|a| a["repository"] == format!("acme/{name}"))
            .unwrap();
        let manifest = ok(run(
            Command::new("curl").args([
                "-sf",
                "-H",
                "Accept: application/vnd.oci.image.manifest.v1+json",
                &format!(
                    "http://{}/v2/acme/{name}/manifests/1.0.0_engine.9.0.0",
                    reg.addr
                ),
            ]),
            RUN_TIMEOUT,
        ));
        let m: Value = serde_json::from_str(&manifest.stdout).unwrap();
        assert_eq!(
            m["annotations"]["dev.jspkg.rebuilt-from"], prev["previous_digest"],
            "{m}"
        );
        assert_eq!(p["manifest_digest"], prev["new_digest"]);
        let source = repo_path(path);
        check_against_node(&source, "rebuilt tag", |args| {
            let mut a = vec!["run", new_ref.as_str(), "--"];
            a.extend(args.iter().map(String::as_str));
            jspkg_in(&fresh, &a)
        });
        let old_home = scratch("fresh-home");
        let old_out = scratch("pulled");
        ok(jspkg_in(
            &old_home,
            &["pull", old_ref, "-o", s(&old_out), "--quiet"],
        ));
        assert_eq!(
            std::fs::read(old_out.join("engine.wasm")).unwrap(),
            engine_a
        );
        check_against_node(&source, "old tag", |args| {
            let mut a = vec!["run", old_ref.as_str(), "--"];
            a.extend(args.iter().map(String::as_str));
            jspkg_in(&old_home, &a)
        });
    }

    // Again: every app is on B already; nothing is published.
    let again = json(&ok(jspkg_in(&home, &real)));
    assert_eq!(again["skipped"], 3, "{again}");
    assert_eq!(again["uploaded_bytes"], 0);
    assert!(
        again["apps"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("already on"),
        "{again}"
    );
}

#[test]
fn rebuild_namespace_reports_failures_and_publishes_only_good_apps() {
    let reg = TestRegistry::anonymous();
    let home = scratch("home");
    let engine_b = raw_engine_b();
    let good = build_split(&home, &repo_path("examples/hello/hello.js"), &[]);
    let bare = build_split(
        &home,
        &repo_path("examples/conformance/json.js"),
        &["--no-source"],
    );
    let http = build_split(
        &home,
        &repo_path("examples/http/hello.js"),
        &["--world", "http"],
    );
    for (dir, name) in [(&good, "good"), (&bare, "bare"), (&http, "web")] {
        let r = format!("{}/mixed/{name}:1.0.0", reg.addr);
        ok(jspkg_in(&home, &["publish", s(dir), &r, "--quiet"]));
    }
    let ns = format!("{}/mixed", reg.addr);
    let e = failed(jspkg_in(
        &home,
        &[
            "rebuild",
            &ns,
            "--engine",
            ENGINE_B,
            "--engine-module",
            s(&engine_b),
        ],
    ));
    // The table names each app, what happened and why.
    let line = |repo: &str| {
        e.stdout
            .lines()
            .find(|l| l.starts_with(repo))
            .unwrap_or_else(|| panic!("no row for {repo}:\n{e}"))
            .to_string()
    };
    assert!(line("mixed/good").contains("rebuilt"), "{e}");
    let bare_row = line("mixed/bare");
    assert!(
        bare_row.contains("failed") && bare_row.contains("no source record"),
        "{e}"
    );
    let web = line("mixed/web");
    assert!(
        web.contains("skipped") && web.contains("on engine jspkg-quickjs-http"),
        "{e}"
    );
    assert!(e.stderr.contains("1 app(s) could not be rebuilt"), "{e}");
    assert_eq!(tags(&reg, "mixed/good"), ["1.0.0", "1.0.0_engine.9.0.0"]);
    assert_eq!(tags(&reg, "mixed/bare"), ["1.0.0"]);
    assert_eq!(tags(&reg, "mixed/web"), ["1.0.0"]);

    // With a list file instead of the catalog: only the listed app.
    let list = scratch("list").join("apps.txt");
    std::fs::write(&list, "# the apps\nbare\n").unwrap();
    let v = json(&failed(jspkg_in(
        &home,
        &[
            "rebuild",
            &ns,
            "--engine",
            ENGINE_B,
            "--engine-module",
            s(&engine_b),
            "--list",
            s(&list),
            "--json",
        ],
    )));
    assert_eq!(v["apps"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["failed"], 1, "{v}");
    std::fs::write(&list, "good:1.0.0\n").unwrap();
    let e = failed(jspkg_in(
        &home,
        &[
            "rebuild",
            &ns,
            "--engine",
            ENGINE_B,
            "--engine-module",
            s(&engine_b),
            "--list",
            s(&list),
        ],
    ));
    assert!(e.stderr.contains("is not an app repository name"), "{e}");
}
