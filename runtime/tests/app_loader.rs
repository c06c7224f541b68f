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
