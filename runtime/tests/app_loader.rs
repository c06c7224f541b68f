//! The app loader must never crash the host, whatever bytes an app has.
//!
//! A real app (`examples/hello/hello.js`, built by the packager and split
//! against the engine's reference image, as `jspkg split` does) is tampered
//! with at positions spread over the whole file: a bit flipped, a byte
//! zeroed, the file cut. Each variant goes through the whole load path
//! (`LoadedEngine::link_app`: pin check, image expansion, data module
//! compile, link) and, when it links, runs in a fresh instance under tight
//! limits. Every outcome must be an `Ok` or a `RuntimeError`: a panic fails
//! the test, and a crash of the process fails it louder. The untouched app
//! must still answer correctly afterwards.
//!
//! This is the short, deterministic version that `make test` runs; the
//! libFuzzer targets in `fuzz/` cover split, compose and inspect.

mod common;

use jspkg_runtime::{LoadedEngine, Runtime, RuntimeError};

/// The split halves of `examples/hello/hello.js`: (engine, app).
fn split_hello() -> (Vec<u8>, Vec<u8>) {
    let built = common::build_cli("examples/hello/hello.js", "hello");
    let reference =
        jspkg_packager::empty_app(jspkg_packager::World::Cli).expect("the empty app builds");
    let split = jspkg_artifact::split(
        &built,
        &jspkg_artifact::SplitOptions {
            reference: Some(&reference),
            ..Default::default()
        },
    )
    .expect("hello splits");
    (split.engine, split.app)
}

/// Links `app` into `engine` and, if it links, runs it once.
fn load_and_run(
    rt: &Runtime,
    engine: &LoadedEngine,
    tokio: &tokio::runtime::Runtime,
    app: &[u8],
) -> Result<(i32, Vec<u8>), RuntimeError> {
    let linked = engine.link_app(rt, app)?;
    let outcome = common::run_captured(tokio, rt, &linked, "hello", "loader")?;
    Ok((outcome.exit_code, outcome.stdout))
}

#[test]
fn tampered_apps_are_refused_or_contained_never_crash_the_host() {
    let rt = common::limited_runtime();
    let tokio = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (engine_bytes, app) = split_hello();
    let engine = rt.load_engine(&engine_bytes).expect("the engine loads");

    let pristine = load_and_run(&rt, &engine, &tokio, &app).expect("the untouched app runs");
    assert_eq!(pristine, (0, b"Hello, loader!\n".to_vec()));

    // ~400 positions spread over the file (every section is hit: the
    // component's header, the pin and metadata, the compressed image, the
    // globals), three tamperings each.
    let stride = (app.len() / 400).max(1);
    let (mut refused, mut linked) = (0usize, 0usize);
    for at in (0..app.len()).step_by(stride) {
        let mut flipped = app.clone();
        flipped[at] ^= 1 << (at % 8);
        let mut zeroed = app.clone();
        zeroed[at] = 0;
        for variant in [flipped, zeroed, app[..at].to_vec()] {
            if variant == app {
                continue;
            }
            match load_and_run(&rt, &engine, &tokio, &variant) {
                Err(
                    RuntimeError::Artifact(_)
                    | RuntimeError::Link(_)
                    | RuntimeError::Compile { .. },
                ) => refused += 1,
                _ => linked += 1,
            }
        }
    }
    // A cut file can never link: at least the ~400 truncations are refused.
    assert!(
        refused >= app.len() / stride,
        "refused {refused}, linked {linked}"
    );

    let after = load_and_run(&rt, &engine, &tokio, &app).expect("the untouched app still runs");
    assert_eq!(after, pristine, "the host broke after the tampered apps");
    eprintln!("tampered apps: {refused} refused, {linked} linked and contained");
}

/// The files in the compile cache.
fn cached_files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |d| d.count())
}

/// A runtime whose compile cache is `dir`.
fn caching_runtime(dir: &std::path::Path) -> Runtime {
    Runtime::new(jspkg_runtime::RuntimeConfig {
        cache_dir: Some(dir.to_path_buf()),
        max_instances: 4,
        ..Default::default()
    })
    .unwrap()
}

#[test]
fn a_cached_app_is_not_expanded_again_and_a_refused_one_is_never_cached() {
    let tokio = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (engine_bytes, app) = split_hello();
    let cache = tempfile::tempdir().unwrap();

    // The first host compiles the engine and the app's data module; its
    // cache writes are finished when it is dropped.
    {
        let rt = caching_runtime(cache.path());
        let engine = rt.load_engine(&engine_bytes).unwrap();
        let linked = engine.link_app(&rt, &app).unwrap();
        assert!(!linked.data_steps.cached);
        let out = common::run_captured(&tokio, &rt, &linked, "hello", "cache").unwrap();
        assert_eq!(out.stdout, b"Hello, cache!\n");
    }
    let entries = cached_files(cache.path());
    assert_eq!(entries, 2, "the engine and the app's data module");

    // The next host finds both, and the app answers the same.
    let rt = caching_runtime(cache.path());
    let engine = rt.load_engine(&engine_bytes).unwrap();
    let linked = engine.link_app(&rt, &app).unwrap();
    assert!(linked.data_steps.cached, "the data module is read back");
    let out = common::run_captured(&tokio, &rt, &linked, "hello", "again").unwrap();
    assert_eq!(out.stdout, b"Hello, again!\n");

    // Apps whose compressed image was altered: each is a new app to the
    // cache, is refused (a corrupt frame, or a data module that is not the
    // one the app records), and leaves nothing in the cache.
    let meta = jspkg_artifact::metadata::read(&app).unwrap().unwrap();
    let image_size = meta.details["image"]["size"].as_u64().unwrap();
    assert!(image_size > 1 << 20);
    let (mut refused, mut linked) = (0, 0);
    for at in (app.len() / 8..app.len() * 7 / 8).step_by(app.len() / 40) {
        let mut altered = app.clone();
        altered[at] ^= 0x55;
        match engine.link_app(&rt, &altered) {
            Err(RuntimeError::Artifact(_)) => refused += 1,
            // A byte of a section the data module does not depend on (the
            // source record): a valid app, cached under its own key.
            Ok(l) => {
                assert!(!l.data_steps.cached);
                linked += 1;
            }
            Err(e) => panic!("unexpected error: {e}"),
        }
    }
    drop(rt);
    assert!(refused >= 20, "only {refused} alterations were refused");
    assert_eq!(
        cached_files(cache.path()),
        entries + linked,
        "a refused app left a compiled module in the cache"
    );
}
