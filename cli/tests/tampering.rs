//! Tampered artifacts are refused with a clear error, nothing of them runs
//! and nothing of them is cached: a blob altered in the registry's storage
//! or in the local store, and apps whose data module breaks the engine's
//! snapshot contract (other memory type, more or other globals) while
//! being otherwise self-consistent (their metadata digests recomputed).
//! The case of a manifest naming a wrong engine is in
//! registry-client/tests/publish_pull.rs.

mod common;
#[path = "../../registry-client/tests/common/mod.rs"]
mod registry;

use common::{Output, RUN_TIMEOUT, built, repo_path, run, scratch, work_dir};
use jspkg_artifact::details::{self, AppDetails, Blob};
use jspkg_artifact::{Digest, data_module, metadata};
use registry::TestRegistry;
use std::path::{Path, PathBuf};

fn ok(o: Output) -> Output {
    assert!(o.success(), "command failed:\n{o}");
    o
}

/// Every file under `dir` with its size, sorted: what "unchanged" compares.
fn listing(dir: &Path) -> Vec<(PathBuf, u64)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, u64)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                let len = e.metadata().map(|m| m.len()).unwrap_or(0);
                out.push((p, len));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

/// Each test has its own `JSPKG_HOME`: the tests of this binary run in
/// parallel, and one's compile-cache write (a temporary file renamed into
/// place) must not show in the other's "the cache did not change".
fn home(test: &str) -> PathBuf {
    work_dir().join(format!("home-{test}"))
}

fn compiled(test: &str) -> PathBuf {
    home(test).join("compiled")
}

/// `jspkg` with the test's own home.
fn jspkg(test: &str) -> std::process::Command {
    let mut cmd = common::jspkg();
    cmd.env("JSPKG_HOME", home(test));
    cmd
}

/// `jspkg split [--full] hello.wasm -o DIR`
fn split_hello(test: &str, full: bool) -> PathBuf {
    let wasm = built(&repo_path("examples/hello/hello.js"));
    let dir = scratch("split");
    let mut cmd = jspkg(test);
    cmd.arg("split").arg(&wasm).arg("-o").arg(&dir);
    if full {
        cmd.arg("--full");
    }
    ok(run(&mut cmd, RUN_TIMEOUT));
    dir
}

/// The app with its data module rewritten by `edit`, its metadata updated
/// to match: only the engine's contract can catch it.
fn retarget(
    app: &[u8],
    edit: impl FnOnce(
        &mut wasmparser::MemoryType,
        &mut Vec<jspkg_artifact::snapshot::SnapshotGlobal<'static>>,
    ),
) -> Vec<u8> {
    let module = wasmparser::Parser::new(0)
        .parse_all(app)
        .find_map(|p| match p.unwrap() {
            wasmparser::Payload::ModuleSection {
                unchecked_range, ..
            } => Some(app[unchecked_range].to_vec()),
            _ => None,
        })
        .expect("the app holds a core module");
    let module: &'static [u8] = Box::leak(module.into_boxed_slice());
    let dm = data_module::parse(module).expect("a full app's module is a data module");
    assert!(dm.has_data, "split --full keeps the data in the module");
    let mut memory = dm.memory;
    let mut globals = dm.globals.clone();
    edit(&mut memory, &mut globals);
    let new_module = data_module::encode_parts(&memory, &globals, Some(&dm.image));
    let mut meta = metadata::read(app).unwrap().expect("jspkg metadata");
    let mut d: AppDetails = details::from_map(&meta.details).unwrap();
    d.data_module = Blob::of(&new_module);
    meta.details = details::to_map(&d);
    let mut c = wasm_encoder::Component::new();
    c.section(&wasm_encoder::RawSection {
        id: wasm_encoder::ComponentSectionId::CoreModule as u8,
        data: &new_module,
    });
    let mut out = c.finish();
    metadata::append(&mut out, &meta);
    jspkg_artifact::validate(&out).expect("the tampered app is valid WebAssembly");
    out
}

#[test]
fn app_breaking_the_engine_contract_is_refused_and_not_cached() {
    const T: &str = "contract";
    let dir = split_hello(T, true);
    let engine = dir.join("engine.wasm");
    let app = std::fs::read(dir.join("app.wasm")).unwrap();
    // Warm the compile cache with the genuine app: its engine is compiled.
    let o = ok(run(
        jspkg(T)
            .arg("run")
            .arg(dir.join("app.wasm"))
            .arg("--engine")
            .arg(&engine),
        RUN_TIMEOUT,
    ));
    assert!(!o.stdout.is_empty(), "the genuine app prints:\n{o}");

    type Edit = fn(
        &mut wasmparser::MemoryType,
        &mut Vec<jspkg_artifact::snapshot::SnapshotGlobal<'static>>,
    );
    let cases: [(&str, Edit, &str); 5] = [
        (
            "other memory maximum",
            |m, _| {
                m.maximum = Some(m.maximum.map_or(m.initial + 1, |x| x + 1));
            },
            "memory",
        ),
        (
            "a 64-bit memory",
            |m, _| {
                m.memory64 = true;
            },
            "memory",
        ),
        (
            "one global more",
            |_, g| {
                g.push(jspkg_artifact::snapshot::SnapshotGlobal {
                    name: "global9999".into(),
                    index: 9999,
                    ty: wasmparser::GlobalType {
                        content_type: wasmparser::ValType::I32,
                        mutable: true,
                        shared: false,
                    },
                    init: &[0x41, 0x00],
                });
            },
            "globals",
        ),
        (
            "a global renamed",
            |_, g| {
                g[0].name = "global9998".into();
            },
            "globals",
        ),
        (
            "a global of another type",
            |_, g| {
                let x = g
                    .iter_mut()
                    .find(|g| g.ty.content_type == wasmparser::ValType::I32)
                    .unwrap();
                x.ty.content_type = wasmparser::ValType::I64;
                x.init = &[0x42, 0x00];
            },
            "globals",
        ),
    ];
    for (name, edit, word) in cases {
        let bad = scratch("tampered").join("app.wasm");
        std::fs::write(&bad, retarget(&app, edit)).unwrap();
        let before = listing(&compiled(T));
        let o = run(
            jspkg(T).arg("run").arg(&bad).arg("--engine").arg(&engine),
            RUN_TIMEOUT,
        );
        assert!(!o.success() && o.code.is_some(), "{name}: must fail:\n{o}");
        assert!(o.stdout.is_empty(), "{name}: nothing may run:\n{o}");
        assert!(
            o.stderr.contains("contract") && o.stderr.contains(word),
            "{name}: the error should name the engine's contract and the {word}:\n{o}"
        );
        assert_eq!(o.stderr.lines().count(), 1, "{name}: one line:\n{o}");
        assert_eq!(
            listing(&compiled(T)),
            before,
            "{name}: the compile cache changed"
        );
        // compose refuses it too, and writes nothing.
        let out = bad.with_file_name("composed.wasm");
        let o = run(
            jspkg(T)
                .arg("compose")
                .arg(&engine)
                .arg(&bad)
                .arg("-o")
                .arg(&out),
            RUN_TIMEOUT,
        );
        assert!(
            !o.success() && !out.exists(),
            "{name}: compose must refuse:\n{o}"
        );
        assert!(o.stderr.contains("contract"), "{name}:\n{o}");
    }
}

fn pull(test: &str, reference: &str) -> Output {
    run(jspkg(test).arg("pull").arg(reference), RUN_TIMEOUT)
}

#[test]
fn blob_altered_in_the_registry_or_the_store_is_refused() {
    const T: &str = "blob";
    let reg = TestRegistry::anonymous();
    let dir = split_hello(T, false);
    let engine = std::fs::read(dir.join("engine.wasm")).unwrap();
    let engine_digest = Digest::of(&engine);
    let r = format!("{}/acme/hello:1", reg.addr);
    ok(run(
        jspkg(T).arg("publish").arg(&dir).arg(&r).arg("--quiet"),
        RUN_TIMEOUT,
    ));
    let store_entry = home(T).join("store/blobs/sha256").join(engine_digest.hex());
    let _ = std::fs::remove_file(&store_entry);

    // 1. In the registry: flip one byte of the engine blob on disk.
    let data = reg.blob_data(&engine_digest.to_string());
    let genuine = std::fs::read(&data).unwrap();
    let mut bad = genuine.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 0x55;
    std::fs::write(&data, &bad).unwrap();
    let cache_before = listing(&compiled(T));
    let store_before = listing(&home(T).join("store/blobs"));
    let o = run(jspkg(T).arg("run").arg(&r), RUN_TIMEOUT);
    assert!(!o.success(), "a tampered engine must not run:\n{o}");
    assert!(o.stdout.is_empty(), "nothing may run:\n{o}");
    assert!(
        o.stderr.contains("tampered") && o.stderr.contains(&engine_digest.to_string()),
        "{o}"
    );
    assert!(!store_entry.exists(), "the tampered engine was stored");
    assert_eq!(
        listing(&home(T).join("store/blobs")),
        store_before,
        "the store changed"
    );
    assert_eq!(
        listing(&compiled(T)),
        cache_before,
        "the compile cache changed"
    );
    assert_eq!(
        std::fs::read_dir(home(T).join("store/tmp"))
            .unwrap()
            .count(),
        0,
        "a temporary file was left in the store"
    );
    let o = pull(T, &r);
    assert!(!o.success() && o.stderr.contains("tampered"), "{o}");

    // 2. Registry repaired; pulled; then altered in the local store.
    std::fs::write(&data, &genuine).unwrap();
    ok(pull(T, &r));
    assert_eq!(std::fs::read(&store_entry).unwrap(), engine);
    let mut damaged = engine.clone();
    damaged[engine.len() / 3] ^= 0x01;
    std::fs::write(&store_entry, &damaged).unwrap();
    let cache_before = listing(&compiled(T));
    // The split app found by path takes its engine from the store: the
    // damaged entry is not used, and the message says how to repair.
    let o = run(jspkg(T).arg("run").arg(dir.join("app.wasm")), RUN_TIMEOUT);
    assert!(!o.success(), "a damaged engine must not run:\n{o}");
    assert!(o.stdout.is_empty(), "nothing may run:\n{o}");
    assert!(
        o.stderr.contains("damaged") && o.stderr.contains("pull"),
        "the error should say the store's copy is damaged and to pull again:\n{o}"
    );
    assert!(!store_entry.exists(), "the damaged entry is removed");
    assert_eq!(
        listing(&compiled(T)),
        cache_before,
        "the compile cache changed"
    );
    // Running the reference fetches it again, whole, and runs.
    let o = ok(run(jspkg(T).arg("run").arg(&r), RUN_TIMEOUT));
    assert!(o.stdout.contains("Hello"), "{o}");
    assert_eq!(std::fs::read(&store_entry).unwrap(), engine);
}
