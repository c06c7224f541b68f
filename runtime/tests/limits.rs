//! A runaway app is stopped by its instance's limits, and the same
//! `Runtime` goes on serving other calls.

mod common;

use jspkg_runtime::{LoadedApp, Runtime, RuntimeError};
use std::time::{Duration, Instant};

fn build(rel: &str, rt: &Runtime) -> LoadedApp {
    rt.load_component(&common::build_cli(rel, "test")).unwrap()
}

fn call(rt: &Runtime, app: &LoadedApp) -> Result<jspkg_runtime::CliOutcome, RuntimeError> {
    let tokio = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    common::run_captured(&tokio, rt, app, "app", "limits")
}

#[test]
fn time_and_memory_limits_stop_the_instance_not_the_host() {
    let rt = common::limited_runtime();
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
