//! A runaway app is stopped by its instance's limits, and the same
//! `Runtime` goes on serving other calls.

use jspkg_packager::{BuildOptions, World};
use jspkg_runtime::{CliStdio, Limits, LoadedApp, Runtime, RuntimeConfig, RuntimeError};
use std::path::Path;
use std::time::{Duration, Instant};

fn build(rel: &str, rt: &Runtime) -> LoadedApp {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel);
    let source = std::fs::read_to_string(&path).unwrap();
    let built = jspkg_packager::build_app(
        &source,
        &BuildOptions {
            world: World::Cli,
            app_name: "test".into(),
            app_version: semver::Version::new(0, 1, 0),
            file_name: path.file_name().unwrap().to_string_lossy().into_owned(),
            build_time: Duration::ZERO,
            record_source: true,
        },
    )
    .unwrap_or_else(|e| panic!("building {rel}: {e}"));
    rt.load_component(&built.component).unwrap()
}

fn call(rt: &Runtime, app: &LoadedApp) -> Result<jspkg_runtime::CliOutcome, RuntimeError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(rt.run_cli(
            app,
            "app",
            &["limits".to_string()],
            CliStdio::Capture {
                stdin: vec![],
                limit: 1 << 16,
            },
        ))
}

#[test]
fn time_and_memory_limits_stop_the_instance_not_the_host() {
    let rt = Runtime::new(RuntimeConfig {
        limits: Limits {
            max_memory_bytes: 64 << 20,
            timeout: Duration::from_millis(500),
        },
        max_instances: 4,
        ..Default::default()
    })
    .unwrap();
    let hello = build("examples/hello/hello.js", &rt);
    let looping = build("tests/apps/infinite-loop.js", &rt);
    let bomb = build("tests/apps/memory-bomb.js", &rt);

    let ok = call(&rt, &hello).unwrap();
    assert_eq!(String::from_utf8_lossy(&ok.stdout), "Hello, limits!\n");

    let started = Instant::now();
    match call(&rt, &looping) {
        Err(RuntimeError::Timeout(t)) => assert_eq!(t, Duration::from_millis(500)),
        other => panic!("an endless loop should time out, got {other:?}"),
    }
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the time limit took {:?}",
        started.elapsed()
    );
    let after = call(&rt, &hello).unwrap();
    assert_eq!(after.stdout, ok.stdout, "the host broke after a timeout");

    match call(&rt, &bomb) {
        Err(RuntimeError::MemoryLimit(mib)) => assert_eq!(mib, 64),
        other => panic!("a memory bomb should hit the memory limit, got {other:?}"),
    }
    let after = call(&rt, &hello).unwrap();
    assert_eq!(
        after.stdout, ok.stdout,
        "the host broke after a memory bomb"
    );
}
