//! `jspkg run APP --engine ENGINE`: a split app linked into its engine at
//! load time, through the compile cache; and the per-instance limits.

mod common;

use common::*;

/// `jspkg split WASM -o DIR`, returning (engine, app).
fn split(wasm: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = scratch("split");
    let o = run(
        jspkg().arg("split").arg(wasm).arg("-o").arg(&dir),
        RUN_TIMEOUT,
    );
    assert!(o.success(), "jspkg split failed:\n{o}");
    (dir.join("engine.wasm"), dir.join("app.wasm"))
}

/// `jspkg run APP --engine ENGINE -- ARGS` with `JSPKG_LOG=info` and the
/// given `JSPKG_HOME`.
fn run_split(
    engine: &std::path::Path,
    app: &std::path::Path,
    home: &std::path::Path,
    args: &[String],
) -> Output {
    run(
        jspkg()
            .env("JSPKG_HOME", home)
            .env("JSPKG_LOG", "jspkg=info")
            .env("NO_COLOR", "1")
            .arg("run")
            .arg(app)
            .arg("--engine")
            .arg(engine)
            .arg("--")
            .args(args),
        RUN_TIMEOUT,
    )
}

/// The engine is compiled by the first run only: the second run of the
/// app, and the first run of another app on the same engine, deserialize
/// it from the cache. Every run prints what node prints.
#[test]
fn split_apps_run_like_node_and_compile_the_engine_once() {
    let home = scratch("home");
    let first = repo_path("examples/conformance/classes.js");
    let second = repo_path("examples/conformance/collections.js");
    let (engine1, app1) = split(&built(&first));
    let (engine2, app2) = split(&built(&second));
    assert_eq!(
        std::fs::read(&engine1).unwrap(),
        std::fs::read(&engine2).unwrap(),
        "two apps split into different engines"
    );

    let runs = std::cell::RefCell::new(Vec::new());
    for (engine, app, source) in [
        (&engine1, &app1, &first),
        (&engine1, &app1, &first),
        (&engine2, &app2, &second),
    ] {
        check_against_node(source, "jspkg run --engine", |args| {
            let o = run_split(engine, app, &home, args);
            runs.borrow_mut().push(o.stderr.clone());
            o
        });
    }
    let runs = runs.into_inner();
    assert!(
        runs[0].contains("miss: compiled"),
        "the first run should compile the engine:\n{}",
        runs[0]
    );
    for later in &runs[1..] {
        assert!(
            later.contains("hit: no compilation") && !later.contains("miss"),
            "a later run compiled the engine again:\n{later}"
        );
    }
}

/// An app pinned to another engine is refused, naming both digests.
#[test]
fn an_app_is_refused_with_another_engine() {
    let (engine, _) = split(&built(&repo_path("examples/hello/hello.js")));
    // A different engine: the same split with another engine version.
    let dir = scratch("other");
    let o = run(
        jspkg()
            .arg("split")
            .arg(built(&repo_path("examples/conformance/json.js")))
            .arg("-o")
            .arg(&dir)
            .arg("--engine-version")
            .arg("9.9.9"),
        RUN_TIMEOUT,
    );
    assert!(o.success(), "split with --engine-version failed:\n{o}");
    let o = run_split(&engine, &dir.join("app.wasm"), &scratch("home"), &[]);
    assert!(!o.success(), "a mismatched engine was accepted:\n{o}");
    let digest = |p: &std::path::Path| {
        use sha2::Digest as _;
        hex::encode(sha2::Sha256::digest(std::fs::read(p).unwrap()))
    };
    let given = digest(&engine);
    let pinned = digest(&dir.join("engine.wasm"));
    assert!(
        o.stderr.contains(&given) && o.stderr.contains(&pinned),
        "the error should name both digests ({given}, {pinned}):\n{o}"
    );
}

/// A runaway app is stopped at the time limit; a memory bomb at the memory
/// limit. Both are clear errors with a non-zero exit code.
#[test]
fn limits_stop_runaway_apps() {
    let looping = built(&repo_path("tests/apps/infinite-loop.js"));
    let started = std::time::Instant::now();
    let o = run(
        jspkg().args(["run", "--timeout", "1"]).arg(&looping),
        RUN_TIMEOUT,
    );
    assert!(!o.success(), "an endless loop finished?\n{o}");
    assert!(
        o.stderr.contains("time limit"),
        "the error should name the time limit:\n{o}"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "the time limit did not stop the app in time"
    );

    let bomb = built(&repo_path("tests/apps/memory-bomb.js"));
    let o = run(
        jspkg().args(["run", "--max-memory", "64"]).arg(&bomb),
        RUN_TIMEOUT,
    );
    assert!(!o.success(), "a memory bomb finished?\n{o}");
    assert!(
        o.stderr.contains("memory") && o.stderr.contains("64 MiB"),
        "the error should name the memory limit:\n{o}"
    );
}

/// `jspkg run` keeps its time limit by ending the process, so the engine it
/// runs is compiled without epoch checks: a run under `--timeout 5` fills
/// the compile cache with the very engine `--timeout 0` then finds. What an
/// app stopped at the limit had written out (the engine writes its output
/// out before it waits) stays written, and the error names the limit.
#[test]
fn the_time_limit_ends_the_process_and_costs_the_engine_nothing() {
    let home = scratch("deadline-home");
    let app = built(&repo_path("examples/hello/hello.js"));
    let run_with = |timeout: &str| {
        run(
            jspkg()
                .env("JSPKG_HOME", &home)
                .env("JSPKG_LOG", "jspkg=info")
                .env("NO_COLOR", "1")
                .args(["run", "--timeout", timeout])
                .arg(&app),
            RUN_TIMEOUT,
        )
    };
    let limited = run_with("5");
    assert!(
        limited.success() && limited.stderr.contains("miss: compiled"),
        "the first run should compile the engine:\n{limited}"
    );
    let unlimited = run_with("0");
    assert!(
        unlimited.success() && unlimited.stderr.contains("hit: no compilation"),
        "--timeout 0 compiled another engine than --timeout 5: the limit costs the engine checks\n{unlimited}"
    );
    assert_eq!(limited.stdout, unlimited.stdout);

    let looping = built(&repo_path("tests/apps/print-then-loop.js"));
    let started = std::time::Instant::now();
    let o = run(
        jspkg().args(["run", "--timeout", "1"]).arg(&looping),
        RUN_TIMEOUT,
    );
    let took = started.elapsed();
    assert_eq!(o.code, Some(1), "{o}");
    assert_eq!(o.stdout, "started\n", "what the app printed was lost:\n{o}");
    assert!(
        o.stderr.contains("time limit of 1s and was stopped"),
        "the error should name the limit:\n{o}"
    );
    assert!(
        took < std::time::Duration::from_secs(30),
        "stopped only after {took:?}"
    );
}

/// `--timeout 0` is no time limit (the engine is compiled without the epoch
/// checks that enforce one): an app that computes, then waits past a 1 s
/// limit, is stopped under `--timeout 1` and finishes with the right answer
/// under `--timeout 0`. `jspkg serve` needs a limit and says so.
#[test]
fn timeout_zero_is_no_time_limit() {
    let app = built(&repo_path("tests/apps/compute-then-wait.js"));
    let expected = (0u64..2_000_000).fold(0, |s, i| (s + i * i) % 1_000_003);
    let jspkg_on_app = |args: &[&str]| run(jspkg().args(args).arg(&app), RUN_TIMEOUT);
    let o = jspkg_on_app(&["run", "--timeout", "1"]);
    assert!(
        !o.success() && o.stderr.contains("time limit"),
        "a 1.5 s wait under --timeout 1 finished?\n{o}"
    );
    let o = jspkg_on_app(&["run", "--timeout", "0"]);
    assert!(o.success(), "--timeout 0 stopped the app:\n{o}");
    assert_eq!(o.stdout.trim(), format!("done {expected}"), "{o}");
    let o = jspkg_on_app(&["serve", "--timeout", "0", "--addr", "127.0.0.1:0"]);
    assert!(
        !o.success() && o.stderr.contains("--timeout must be a positive number"),
        "jspkg serve without a time limit:\n{o}"
    );
    let o = jspkg_on_app(&["run", "--timeout", "-1"]);
    assert!(
        !o.success() && o.stderr.contains("positive or 0 (no time limit)"),
        "a negative time limit:\n{o}"
    );
}

/// Waiting on a timer counts against the time limit: a 60 s `setTimeout`
/// under `--timeout 2` is stopped after about 2 s with the time-limit error.
#[test]
fn time_limit_stops_a_waiting_app() {
    let waiting = built(&repo_path("tests/apps/long-timer.js"));
    let started = std::time::Instant::now();
    let o = run(
        jspkg().args(["run", "--timeout", "2"]).arg(&waiting),
        RUN_TIMEOUT,
    );
    let took = started.elapsed();
    assert!(
        !o.success(),
        "a 60 s timer under --timeout 2 finished?\n{o}"
    );
    assert!(
        o.stderr.contains("time limit"),
        "the error should name the time limit:\n{o}"
    );
    assert!(
        o.stdout.contains("waiting") && !o.stdout.contains("never"),
        "the app should have started and been stopped while waiting:\n{o}"
    );
    assert!(
        took >= std::time::Duration::from_secs(2) && took < std::time::Duration::from_secs(30),
        "stopped after {took:?}, not after about 2 s"
    );
}
