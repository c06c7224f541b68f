//! Publish and pull against a real `docker-registry` on loopback.

mod common;
mod token_server;

use common::{PASSWORD, TestRegistry, USER};
use jspkg_artifact::Digest;
use jspkg_artifact::metadata::{self, AppRef, EngineRef, Kind, Metadata};
use jspkg_registry::{
    ClientOptions, Credentials, EngineReq, PublishOptions, PullOptions, RegistryError, Store,
    publish, pull,
};
use std::path::{Path, PathBuf};

/// A small valid component carrying `payload` bytes and jspkg metadata.
fn component(payload: &[u8], meta: &Metadata) -> Vec<u8> {
    let mut c = wasm_encoder::Component::new();
    c.section(&wasm_encoder::CustomSection {
        name: "payload".into(),
        data: payload.into(),
    });
    let mut bytes = c.finish();
    metadata::append(&mut bytes, meta);
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(&bytes)
        .unwrap();
    bytes
}

fn engine_meta(version: &str) -> Metadata {
    Metadata {
        format: 1,
        kind: Kind::Engine,
        engine: EngineRef {
            name: "test-engine".into(),
            version: version.parse().unwrap(),
            digest: None,
        },
        app: None,
        details: Default::default(),
    }
}

/// Writes `DIR/engine.wasm` and `DIR/app.wasm` like `jspkg split` does.
fn split_dir(root: &Path, name: &str, engine: &[u8], version: &str) -> PathBuf {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("engine.wasm"), engine).unwrap();
    let meta = Metadata {
        format: 1,
        kind: Kind::App,
        engine: EngineRef {
            name: "test-engine".into(),
            version: version.parse().unwrap(),
            digest: Some(Digest::of(engine)),
        },
        app: Some(AppRef {
            name: name.into(),
            version: "1.0.0".parse().unwrap(),
        }),
        details: Default::default(),
    };
    let app = component(format!("app data of {name}").as_bytes(), &meta);
    std::fs::write(dir.join("app.wasm"), app).unwrap();
    dir
}

fn big_engine(version: &str) -> Vec<u8> {
    // 300 KiB of engine "code": enough for byte accounting to be obvious.
    let payload: Vec<u8> = (0..300 * 1024).map(|i| (i * 7 % 251) as u8).collect();
    component(&payload, &engine_meta(version))
}

fn opts(creds: Option<Credentials>) -> ClientOptions {
    ClientOptions {
        insecure: false,
        credentials: Some(creds.unwrap_or_else(Credentials::anonymous)),
        progress: false,
    }
}

fn publish_opts(creds: Option<Credentials>) -> PublishOptions {
    PublishOptions {
        engine: None,
        client: opts(creds),
        annotations: Default::default(),
        store: None,
    }
}

fn pull_opts(creds: Option<Credentials>) -> PullOptions {
    PullOptions {
        client: opts(creds),
    }
}

fn store_blobs(store: &Store) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(store.root().join("blobs/sha256"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn second_app_uploads_no_engine_bytes_and_pulls_back_identical() {
    let reg = TestRegistry::anonymous();
    let tmp = tempfile::tempdir().unwrap();
    let engine = big_engine("0.1.3");
    let a = split_dir(tmp.path(), "alpha", &engine, "0.1.3");
    let b = split_dir(tmp.path(), "beta", &engine, "0.1.3");

    let r1 = publish(
        &a,
        &format!("{}/acme/alpha:1.0.0", reg.addr),
        &publish_opts(None),
    )
    .await
    .unwrap();
    let e1 = r1.engine.as_ref().unwrap();
    assert!(e1.uploaded, "first app uploads the engine");
    assert_eq!(
        e1.reference,
        format!("{}/acme/engines/test-engine:0.1.3", reg.addr)
    );
    assert!(r1.uploaded_bytes > engine.len() as u64);

    let r2 = publish(
        &b,
        &format!("{}/acme/beta:1.0.0", reg.addr),
        &publish_opts(None),
    )
    .await
    .unwrap();
    assert!(
        !r2.engine.as_ref().unwrap().uploaded,
        "engine must be reused"
    );
    assert!(
        r2.uploaded_bytes < 4096,
        "second app sent {} bytes; the engine is {} bytes",
        r2.uploaded_bytes,
        engine.len()
    );

    // Pull into an empty store: both files, byte-identical.
    let store = Store::open(tmp.path().join("store")).unwrap();
    let p = pull(
        &format!("{}/acme/beta:1.0.0", reg.addr),
        &store,
        &pull_opts(None),
    )
    .await
    .unwrap();
    assert_eq!(p.kind, "app");
    assert_eq!(
        std::fs::read(&p.app).unwrap(),
        std::fs::read(b.join("app.wasm")).unwrap()
    );
    let pe = p.engine.as_ref().unwrap();
    assert_eq!(std::fs::read(&pe.path).unwrap(), engine);
    assert_eq!(pe.digest, Digest::of(&engine).to_string());
    assert!(p.downloaded_bytes > engine.len() as u64);

    // Pulling the other app on this host downloads no engine bytes.
    let p2 = pull(
        &format!("{}/acme/alpha:1.0.0", reg.addr),
        &store,
        &pull_opts(None),
    )
    .await
    .unwrap();
    assert!(
        p2.downloaded_bytes < 4096,
        "downloaded {}",
        p2.downloaded_bytes
    );
    assert!(p2.cached_bytes >= engine.len() as u64);

    // By digest, with everything stored: no network needed at all.
    let by_digest = format!("{}/acme/alpha@{}", reg.addr, p2.manifest_digest);
    drop(reg);
    let p3 = pull(&by_digest, &store, &pull_opts(None)).await.unwrap();
    assert_eq!(p3.downloaded_bytes, 0);
    assert_eq!(p3.app, p2.app);
}

#[tokio::test]
async fn app_alone_resolves_engine_by_semver_range() {
    let reg = TestRegistry::anonymous();
    let tmp = tempfile::tempdir().unwrap();
    let engine = big_engine("0.1.3");
    let a = split_dir(tmp.path(), "alpha", &engine, "0.1.3");
    let b = split_dir(tmp.path(), "beta", &engine, "0.1.3");

    // App alone before the engine is published: a clear error.
    let early = publish(
        &b.join("app.wasm"),
        &format!("{}/acme/beta:1", reg.addr),
        &publish_opts(None),
    )
    .await
    .unwrap_err();
    assert!(matches!(early, RegistryError::Engine(_)), "{early}");
    assert!(early.to_string().contains("engine.wasm"), "{early}");

    publish(
        &a,
        &format!("{}/acme/alpha:1", reg.addr),
        &publish_opts(None),
    )
    .await
    .unwrap();
    let mut o = publish_opts(None);
    o.engine = Some("test-engine@^0.1".parse::<EngineReq>().unwrap());
    let r = publish(
        &b.join("app.wasm"),
        &format!("{}/acme/beta:1", reg.addr),
        &o,
    )
    .await
    .unwrap();
    let e = r.engine.unwrap();
    assert_eq!(e.version, "0.1.3");
    assert!(!e.uploaded);

    o.engine = Some("test-engine@^0.2".parse().unwrap());
    let err = publish(
        &b.join("app.wasm"),
        &format!("{}/acme/beta:1", reg.addr),
        &o,
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("does not satisfy"), "{err}");

    // A different engine build under an existing version is refused.
    let other = component(b"another build", &engine_meta("0.1.3"));
    let c = split_dir(tmp.path(), "gamma", &other, "0.1.3");
    let err = publish(
        &c,
        &format!("{}/acme/gamma:1", reg.addr),
        &publish_opts(None),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("immutable"), "{err}");
}

#[tokio::test]
async fn tampered_blob_is_refused_and_not_stored() {
    let reg = TestRegistry::anonymous();
    let tmp = tempfile::tempdir().unwrap();
    let engine = big_engine("0.1.0");
    let a = split_dir(tmp.path(), "alpha", &engine, "0.1.0");
    publish(
        &a,
        &format!("{}/acme/alpha:1", reg.addr),
        &publish_opts(None),
    )
    .await
    .unwrap();
    // Flip one byte of the engine blob inside the registry's storage.
    let data = reg.blob_data(&Digest::of(&engine).to_string());
    let mut bytes = std::fs::read(&data).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&data, &bytes).unwrap();

    let store = Store::open(tmp.path().join("store")).unwrap();
    let err = pull(
        &format!("{}/acme/alpha:1", reg.addr),
        &store,
        &pull_opts(None),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, RegistryError::Tampered { .. }), "{err}");
    assert!(err.to_string().contains("tampered"), "{err}");
    assert!(!store.path(&Digest::of(&engine)).exists());
    assert!(!store_blobs(&store).contains(&Digest::of(&engine).hex()));
    // No temporary file left behind either.
    assert_eq!(
        std::fs::read_dir(store.root().join("tmp")).unwrap().count(),
        0
    );
}

#[tokio::test]
async fn damaged_store_entry_is_fetched_again() {
    let reg = TestRegistry::anonymous();
    let tmp = tempfile::tempdir().unwrap();
    let engine = big_engine("0.1.0");
    let a = split_dir(tmp.path(), "alpha", &engine, "0.1.0");
    publish(
        &a,
        &format!("{}/acme/alpha:1", reg.addr),
        &publish_opts(None),
    )
    .await
    .unwrap();
    let store = Store::open(tmp.path().join("store")).unwrap();
    let r = format!("{}/acme/alpha:1", reg.addr);
    let p = pull(&r, &store, &pull_opts(None)).await.unwrap();
    let engine_path = p.engine.unwrap().path;
    std::fs::write(&engine_path, b"garbage").unwrap();
    let p = pull(&r, &store, &pull_opts(None)).await.unwrap();
    assert_eq!(std::fs::read(p.engine.unwrap().path).unwrap(), engine);
}

#[test]
fn concurrent_pulls_into_one_store() {
    let reg = TestRegistry::anonymous();
    let tmp = tempfile::tempdir().unwrap();
    let engine = big_engine("0.1.0");
    let a = split_dir(tmp.path(), "alpha", &engine, "0.1.0");
    let r = format!("{}/acme/alpha:1", reg.addr);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(publish(&a, &r, &publish_opts(None))).unwrap();
    drop(rt);
    let root = tmp.path().join("store");
    let handles: Vec<_> = (0..6)
        .map(|_| {
            let (r, root) = (r.clone(), root.clone());
            std::thread::spawn(move || {
                let store = Store::open(root).unwrap();
                jspkg_registry::pull_blocking(&r, &store, &pull_opts(None)).unwrap()
            })
        })
        .collect();
    for h in handles {
        let p = h.join().unwrap();
        assert_eq!(std::fs::read(p.engine.unwrap().path).unwrap(), engine);
    }
}

#[tokio::test]
async fn htpasswd_registry_needs_the_right_credentials() {
    let reg = TestRegistry::htpasswd();
    let tmp = tempfile::tempdir().unwrap();
    let engine = big_engine("0.1.0");
    let a = split_dir(tmp.path(), "alpha", &engine, "0.1.0");
    let r = format!("{}/acme/alpha:1", reg.addr);

    let err = publish(&a, &r, &publish_opts(None)).await.unwrap_err();
    assert!(matches!(err, RegistryError::Unauthorized { .. }), "{err}");

    let wrong = Credentials::basic(USER, "not-the-password");
    let err = publish(&a, &r, &publish_opts(Some(wrong)))
        .await
        .unwrap_err();
    assert!(matches!(err, RegistryError::Unauthorized { .. }), "{err}");
    assert!(!err.to_string().contains("not-the-password"));

    let good = Credentials::basic(USER, PASSWORD);
    publish(&a, &r, &publish_opts(Some(good.clone())))
        .await
        .unwrap();
    let store = Store::open(tmp.path().join("store")).unwrap();
    let err = pull(&r, &store, &pull_opts(None)).await.unwrap_err();
    assert!(matches!(err, RegistryError::Unauthorized { .. }), "{err}");
    let p = pull(&r, &store, &pull_opts(Some(good))).await.unwrap();
    assert_eq!(std::fs::read(p.engine.unwrap().path).unwrap(), engine);
    assert!(!format!("{:?}", Credentials::basic(USER, PASSWORD)).contains(PASSWORD));
}

#[tokio::test]
async fn bad_references_and_unreachable_registries() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::open(tmp.path().join("store")).unwrap();
    for bad in ["", "UPPER/Case:tag", "no-registry", "127.0.0.1:5000/a:b:c"] {
        let err = pull(bad, &store, &pull_opts(None)).await.unwrap_err();
        assert!(
            matches!(err, RegistryError::BadReference { .. }),
            "{bad}: {err}"
        );
    }
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = pull(
        &format!("127.0.0.1:{port}/acme/x:1"),
        &store,
        &pull_opts(None),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, RegistryError::Unreachable { .. }), "{err}");

    let reg = TestRegistry::anonymous();
    let err = pull(
        &format!("{}/acme/missing:1", reg.addr),
        &store,
        &pull_opts(None),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, RegistryError::NotFound { .. }), "{err}");
    assert_eq!(store_blobs(&store), Vec::<String>::new());
}

#[tokio::test]
async fn non_jspkg_input_is_refused() {
    let reg = TestRegistry::anonymous();
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("plain.wasm");
    std::fs::write(&f, wasm_encoder::Component::new().finish()).unwrap();
    let err = publish(&f, &format!("{}/acme/x:1", reg.addr), &publish_opts(None))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("jspkg build"), "{err}");
}

#[tokio::test]
async fn token_auth_registry() {
    let dir = tempfile::tempdir().unwrap();
    let ts = token_server::TokenServer::start(dir.path(), USER, PASSWORD);
    let reg = TestRegistry::with_auth(&format!(
        "  token:\n    realm: {}\n    service: {}\n    issuer: {}\n    rootcertbundle: {}\n",
        ts.realm,
        token_server::SERVICE,
        token_server::ISSUER,
        ts.cert.display()
    ));
    let tmp = tempfile::tempdir().unwrap();
    let engine = big_engine("0.1.0");
    let a = split_dir(tmp.path(), "alpha", &engine, "0.1.0");
    let r = format!("{}/acme/alpha:1", reg.addr);

    let err = publish(&a, &r, &publish_opts(None)).await.unwrap_err();
    assert!(matches!(err, RegistryError::Unauthorized { .. }), "{err}");
    let wrong = Credentials::basic(USER, "nope");
    let err = publish(&a, &r, &publish_opts(Some(wrong)))
        .await
        .unwrap_err();
    assert!(matches!(err, RegistryError::Unauthorized { .. }), "{err}");

    let good = Credentials::basic(USER, PASSWORD);
    let rep = publish(&a, &r, &publish_opts(Some(good.clone())))
        .await
        .unwrap();
    assert!(rep.engine.unwrap().uploaded);
    let store = Store::open(tmp.path().join("store")).unwrap();
    let p = pull(&r, &store, &pull_opts(Some(good))).await.unwrap();
    assert_eq!(std::fs::read(p.engine.unwrap().path).unwrap(), engine);
}

/// Whether the registry's storage links blob `digest` into `repository`.
fn linked(reg: &TestRegistry, repository: &str, digest: &Digest) -> bool {
    reg.storage()
        .join("storage/docker/registry/v2/repositories")
        .join(repository)
        .join("_layers/sha256")
        .join(digest.hex())
        .join("link")
        .is_file()
}

#[tokio::test]
async fn second_namespace_mounts_the_engine_instead_of_uploading_it() {
    let reg = TestRegistry::anonymous();
    let tmp = tempfile::tempdir().unwrap();
    let engine = big_engine("0.1.0");
    let engine_digest = Digest::of(&engine);
    let store = Store::open(tmp.path().join("store")).unwrap();
    let with_store = PublishOptions {
        store: Some(store.clone()),
        ..publish_opts(None)
    };
    let a = split_dir(tmp.path(), "alpha", &engine, "0.1.0");
    let first = publish(&a, &format!("{}/acme/alpha:1", reg.addr), &with_store)
        .await
        .unwrap();
    assert!(first.uploaded_bytes > engine.len() as u64, "{first:?}");
    assert_eq!(first.mounted_bytes, 0, "{first:?}");

    // The same engine (and app) into another namespace: its engine
    // repository `beta/engines/test-engine` is new, the blobs are not.
    let second = publish(&a, &format!("{}/beta/alpha:1", reg.addr), &with_store)
        .await
        .unwrap();
    assert!(second.engine.as_ref().unwrap().uploaded, "{second:?}");
    let app_len = std::fs::metadata(a.join("app.wasm")).unwrap().len();
    assert!(
        second.mounted_bytes >= engine.len() as u64 + app_len,
        "engine and app should be mounted: {second:?}"
    );
    // What is sent: the two manifests, and the config blobs the first
    // publish mounted too; no layer byte.
    assert!(
        second.uploaded_bytes < 4096,
        "the second namespace sent {} bytes (engine {} bytes): {second:?}",
        second.uploaded_bytes,
        engine.len()
    );
    assert!(linked(&reg, "beta/engines/test-engine", &engine_digest));

    // It pulls back whole from the new namespace, into a fresh store.
    let fresh = Store::open(tmp.path().join("fresh")).unwrap();
    let p = pull(
        &format!("{}/beta/alpha:1", reg.addr),
        &fresh,
        &pull_opts(None),
    )
    .await
    .unwrap();
    assert_eq!(std::fs::read(p.engine.unwrap().path).unwrap(), engine);

    // Control: without the store's records the third namespace has nothing
    // to mount from and uploads the engine again (the count is real).
    let third = publish(
        &a,
        &format!("{}/gamma/alpha:1", reg.addr),
        &publish_opts(None),
    )
    .await
    .unwrap();
    assert!(third.uploaded_bytes > engine.len() as u64, "{third:?}");
    assert_eq!(third.mounted_bytes, 0, "{third:?}");
}

#[tokio::test]
async fn refused_mount_falls_back_to_upload() {
    let reg = TestRegistry::anonymous();
    let tmp = tempfile::tempdir().unwrap();
    let engine = big_engine("0.1.0");
    let store = Store::open(tmp.path().join("store")).unwrap();
    // A stale record: the registry has no such repository, so it answers
    // the mount with 202 (an upload session) and the blob is uploaded.
    store.remember_location(
        &reg.addr,
        "nowhere/engines/test-engine",
        &Digest::of(&engine),
    );
    let a = split_dir(tmp.path(), "alpha", &engine, "0.1.0");
    let r = publish(
        &a,
        &format!("{}/acme/alpha:1", reg.addr),
        &PublishOptions {
            store: Some(store.clone()),
            ..publish_opts(None)
        },
    )
    .await
    .unwrap();
    assert_eq!(r.mounted_bytes, 0, "{r:?}");
    assert!(r.uploaded_bytes > engine.len() as u64, "{r:?}");
    let p = pull(
        &format!("{}/acme/alpha:1", reg.addr),
        &store,
        &pull_opts(None),
    )
    .await
    .unwrap();
    assert_eq!(std::fs::read(p.engine.unwrap().path).unwrap(), engine);
}

#[tokio::test]
async fn manifest_naming_another_engine_is_refused_and_nothing_stored() {
    let reg = TestRegistry::anonymous();
    let tmp = tempfile::tempdir().unwrap();
    let engine = big_engine("0.1.0");
    let other = big_engine("0.2.0");
    let a = split_dir(tmp.path(), "alpha", &engine, "0.1.0");
    let b = split_dir(tmp.path(), "beta", &other, "0.2.0");
    publish(
        &a,
        &format!("{}/acme/alpha:1", reg.addr),
        &publish_opts(None),
    )
    .await
    .unwrap();
    publish(
        &b,
        &format!("{}/acme/beta:1", reg.addr),
        &publish_opts(None),
    )
    .await
    .unwrap();

    // alpha's manifest, rewritten to name beta's engine (which the registry
    // holds), pushed as a new tag: an attacker who can push manifests but
    // wants alpha's data run on another engine.
    let client = oci_client::Client::new(oci_client::client::ClientConfig {
        protocol: oci_client::client::ClientProtocol::Http,
        ..Default::default()
    });
    let auth = oci_client::secrets::RegistryAuth::Anonymous;
    let good: oci_client::Reference = format!("{}/acme/alpha:1", reg.addr).parse().unwrap();
    let (raw, _) = client
        .pull_manifest_raw(&good, &auth, &[jspkg_registry::layout::MANIFEST_MEDIA_TYPE])
        .await
        .unwrap();
    let mut m: serde_json::Value = serde_json::from_slice(&raw).unwrap();
    let key = jspkg_registry::layout::ANN_ENGINE_DIGEST;
    assert_eq!(m["annotations"][key], Digest::of(&engine).to_string());
    m["annotations"][key] = Digest::of(&other).to_string().into();
    let evil: oci_client::Reference = format!("{}/acme/alpha:evil", reg.addr).parse().unwrap();
    client
        .push_manifest_raw(
            &evil,
            serde_json::to_vec(&m).unwrap(),
            jspkg_registry::layout::MANIFEST_MEDIA_TYPE.parse().unwrap(),
        )
        .await
        .unwrap();

    let store = Store::open(tmp.path().join("store")).unwrap();
    let err = pull(&evil.whole(), &store, &pull_opts(None))
        .await
        .unwrap_err();
    assert!(matches!(err, RegistryError::WrongMediaType { .. }), "{err}");
    let msg = err.to_string();
    assert!(
        msg.contains(&Digest::of(&other).to_string()) && msg.contains("pins"),
        "{msg}"
    );
    assert_eq!(store_blobs(&store), Vec::<String>::new(), "nothing stored");
}
