//! Crash consistency: `jspkg build`, `split`, `pull` and `publish` killed
//! with SIGKILL at random points leave their outputs and the local store
//! complete and digest-valid or absent, and the next run succeeds; a
//! registry connection cut in the middle of a blob fails the pull clearly
//! and stores nothing, and a retry on a good connection succeeds.
//!
//! The kill points come from a fixed seed, printed, so that a failure can
//! be replayed: `JSPKG_CRASH_SEED=N cargo test --release -p jspkg --test
//! crash`. `JSPKG_CRASH_KILLS` sets the kills per command (default 20).

mod common;
#[path = "../../registry-client/tests/common/mod.rs"]
mod registry;

use common::{Output, RUN_TIMEOUT, built, jspkg, repo_path, run, scratch};
use registry::TestRegistry;
use sha2::Digest as _;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

fn ok(o: Output) -> Output {
    assert!(o.success(), "command failed:\n{o}");
    o
}

/// xorshift64*: a small, seeded, reproducible source of kill points.
struct Rng(u64);

impl Rng {
    fn from_env() -> Self {
        let seed = std::env::var("JSPKG_CRASH_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0x6a73_706b_6721u64);
        eprintln!("crash test seed: JSPKG_CRASH_SEED={seed}");
        Self(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `0..=max`.
    fn below(&mut self, max: Duration) -> Duration {
        let us = max.as_micros() as u64;
        Duration::from_micros(self.next() % (us + 1))
    }
}

fn kills() -> usize {
    std::env::var("JSPKG_CRASH_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20)
}

/// Starts `cmd`, kills it with SIGKILL after `after` (if it is still
/// running) and waits. Returns whether it was killed.
fn kill_after(cmd: &mut Command, after: Duration) -> bool {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start jspkg");
    let deadline = Instant::now() + after;
    loop {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        if Instant::now() >= deadline {
            child.kill().expect("SIGKILL"); // std's kill is SIGKILL on Unix
            child.wait().unwrap();
            return true;
        }
        std::thread::sleep(Duration::from_micros(500));
    }
}

/// How long `cmd` takes when not killed (the range kill points are drawn from).
fn timed(cmd: &mut Command) -> Duration {
    let started = Instant::now();
    ok(run(cmd, RUN_TIMEOUT));
    started.elapsed()
}

/// The file at `path` is absent or exactly `want`.
fn absent_or_equal(path: &Path, want: &[u8], what: &str) {
    if let Ok(got) = std::fs::read(path) {
        assert!(
            got == want,
            "{what}: {} is present but not the complete output ({} of {} bytes)",
            path.display(),
            got.len(),
            want.len()
        );
    }
}

/// Every entry of the store's blob directory hashes to its name.
fn store_is_valid(store: &Path) {
    let Ok(entries) = std::fs::read_dir(store.join("blobs/sha256")) else {
        return;
    };
    for e in entries.flatten() {
        let bytes = std::fs::read(e.path()).unwrap();
        let hex = hex::encode(sha2::Sha256::digest(&bytes));
        assert_eq!(
            e.file_name().to_string_lossy(),
            hex,
            "store entry {} does not hash to its name",
            e.path().display()
        );
    }
}

#[test]
fn killed_build_and_split_leave_whole_outputs_or_none() {
    let mut rng = Rng::from_env();
    let app = repo_path("examples/hello/hello.js");
    let reference = built(&app);
    let want = std::fs::read(&reference).unwrap();
    let dir = scratch("build-kill");
    let out = dir.join("hello.wasm");
    let span = timed(jspkg().arg("build").arg(&app).arg("-o").arg(&out)).mul_f64(1.2);
    assert_eq!(
        std::fs::read(&out).unwrap(),
        want,
        "builds are reproducible"
    );
    let mut killed = 0;
    for n in 0..kills() {
        let _ = std::fs::remove_file(&out);
        let at = rng.below(span);
        killed += kill_after(jspkg().arg("build").arg(&app).arg("-o").arg(&out), at) as usize;
        absent_or_equal(&out, &want, &format!("build killed at {at:?} (kill {n})"));
    }
    ok(run(
        jspkg().arg("build").arg(&app).arg("-o").arg(&out),
        RUN_TIMEOUT,
    ));
    assert_eq!(std::fs::read(&out).unwrap(), want);
    eprintln!(
        "build: {killed} of {} runs killed before they finished",
        kills()
    );

    let split_dir = dir.join("split");
    let span = timed(
        jspkg()
            .arg("split")
            .arg(&reference)
            .arg("-o")
            .arg(&split_dir),
    )
    .mul_f64(1.2);
    let engine = std::fs::read(split_dir.join("engine.wasm")).unwrap();
    let app_wasm = std::fs::read(split_dir.join("app.wasm")).unwrap();
    let mut killed = 0;
    for n in 0..kills() {
        let _ = std::fs::remove_dir_all(&split_dir);
        let at = rng.below(span);
        killed += kill_after(
            jspkg()
                .arg("split")
                .arg(&reference)
                .arg("-o")
                .arg(&split_dir),
            at,
        ) as usize;
        let what = format!("split killed at {at:?} (kill {n})");
        absent_or_equal(&split_dir.join("engine.wasm"), &engine, &what);
        absent_or_equal(&split_dir.join("app.wasm"), &app_wasm, &what);
    }
    ok(run(
        jspkg()
            .arg("split")
            .arg(&reference)
            .arg("-o")
            .arg(&split_dir),
        RUN_TIMEOUT,
    ));
    assert_eq!(std::fs::read(split_dir.join("app.wasm")).unwrap(), app_wasm);
    eprintln!(
        "split: {killed} of {} runs killed before they finished",
        kills()
    );
}

fn with_home<'a>(cmd: &'a mut Command, home: &Path) -> &'a mut Command {
    cmd.env("JSPKG_HOME", home)
        .env_remove("JSPKG_REGISTRY_USERNAME")
        .env_remove("JSPKG_REGISTRY_PASSWORD")
        .env("DOCKER_CONFIG", home.join("no-docker-config"))
}

/// `jspkg pull REF -o OUT` into `home` must succeed and give exactly the
/// split directory `dir`.
fn pull_gives(home: &Path, reference: &str, dir: &Path) {
    let out = scratch("pulled");
    ok(run(
        with_home(&mut jspkg(), home)
            .args(["pull", "--quiet", reference, "-o"])
            .arg(&out),
        RUN_TIMEOUT,
    ));
    for f in ["engine.wasm", "app.wasm"] {
        assert_eq!(
            std::fs::read(out.join(f)).unwrap(),
            std::fs::read(dir.join(f)).unwrap(),
            "{f} pulled from {reference}"
        );
    }
    store_is_valid(&home.join("store"));
}

fn split_hello() -> PathBuf {
    let dir = scratch("split");
    ok(run(
        jspkg()
            .arg("split")
            .arg(built(&repo_path("examples/hello/hello.js")))
            .arg("-o")
            .arg(&dir),
        RUN_TIMEOUT,
    ));
    dir
}

#[test]
fn killed_pull_and_publish_leave_a_valid_store_and_registry() {
    let mut rng = Rng::from_env();
    let reg = TestRegistry::anonymous();
    let dir = split_hello();

    // publish: each kill into a fresh repository (so that every run uploads
    // the engine), then the same repository again must publish and pull.
    let home = scratch("home");
    let probe = format!("{}/probe/hello:1", reg.addr);
    let span = timed(
        with_home(&mut jspkg(), &home)
            .args(["publish", "--quiet"])
            .arg(&dir)
            .arg(&probe),
    )
    .mul_f64(1.2);
    let mut killed = 0;
    for n in 0..kills() {
        let r = format!("{}/kill{n}/hello:1", reg.addr);
        let at = rng.below(span);
        let fresh = scratch("home");
        killed += kill_after(
            with_home(&mut jspkg(), &fresh)
                .args(["publish", "--quiet"])
                .arg(&dir)
                .arg(&r),
            at,
        ) as usize;
        store_is_valid(&fresh.join("store"));
        // What a killed publish left is either absent or whole.
        let o = run(
            with_home(&mut jspkg(), &scratch("home")).args(["pull", "--quiet", &r]),
            RUN_TIMEOUT,
        );
        assert!(
            o.success() || o.stderr.contains("not found"),
            "publish killed at {at:?} (kill {n}) left {r} broken:\n{o}"
        );
        ok(run(
            with_home(&mut jspkg(), &fresh)
                .args(["publish", "--quiet"])
                .arg(&dir)
                .arg(&r),
            RUN_TIMEOUT,
        ));
        pull_gives(&scratch("home"), &r, &dir);
    }
    eprintln!(
        "publish: {killed} of {} runs killed before they finished",
        kills()
    );

    // pull: kills into one store, which must stay valid throughout.
    let home = scratch("home");
    let span = timed(with_home(&mut jspkg(), &home).args(["pull", "--quiet", &probe])).mul_f64(1.2);
    let mut killed = 0;
    for n in 0..kills() {
        let _ = std::fs::remove_dir_all(home.join("store"));
        let at = rng.below(span);
        killed += kill_after(
            with_home(&mut jspkg(), &home).args(["pull", "--quiet", &probe]),
            at,
        ) as usize;
        store_is_valid(&home.join("store"));
        // A manifest in the store means its blobs are there too.
        pull_gives(&home, &probe, &dir);
        let _ = n;
    }
    eprintln!(
        "pull: {killed} of {} runs killed before they finished",
        kills()
    );
}

/// A loopback TCP proxy in front of the registry that, while `cut` is set,
/// closes every connection once it has passed `limit` bytes from the
/// registry to the client (in the middle of a large blob).
struct CuttingProxy {
    addr: String,
    cut: Arc<AtomicBool>,
    cuts: Arc<AtomicU64>,
}

impl CuttingProxy {
    fn start(upstream: String, limit: u64) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let cut = Arc::new(AtomicBool::new(true));
        let cuts = Arc::new(AtomicU64::new(0));
        let (c, n) = (cut.clone(), cuts.clone());
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                let Ok(server) = TcpStream::connect(&upstream) else {
                    continue;
                };
                let (c, n) = (c.clone(), n.clone());
                std::thread::spawn(move || relay(client, server, limit, c, n));
            }
        });
        Self { addr, cut, cuts }
    }
}

fn relay(
    client: TcpStream,
    server: TcpStream,
    limit: u64,
    cut: Arc<AtomicBool>,
    cuts: Arc<AtomicU64>,
) {
    let (mut c_read, mut s_write) = (client.try_clone().unwrap(), server.try_clone().unwrap());
    std::thread::spawn(move || {
        let mut buf = [0u8; 16 * 1024];
        while let Ok(n) = c_read.read(&mut buf) {
            if n == 0 || s_write.write_all(&buf[..n]).is_err() {
                break;
            }
        }
        let _ = s_write.shutdown(std::net::Shutdown::Write);
    });
    let (mut s_read, mut c_write) = (server, client);
    let mut passed = 0u64;
    let mut buf = [0u8; 16 * 1024];
    while let Ok(n) = s_read.read(&mut buf) {
        if n == 0 {
            break;
        }
        let n = if cut.load(Ordering::SeqCst) && passed + n as u64 > limit {
            let keep = (limit - passed) as usize;
            let _ = c_write.write_all(&buf[..keep]);
            cuts.fetch_add(1, Ordering::SeqCst);
            let _ = c_write.shutdown(std::net::Shutdown::Both);
            let _ = s_read.shutdown(std::net::Shutdown::Both);
            return;
        } else {
            n
        };
        if c_write.write_all(&buf[..n]).is_err() {
            break;
        }
        passed += n as u64;
    }
    let _ = c_write.shutdown(std::net::Shutdown::Both);
}

#[test]
fn connection_cut_mid_blob_fails_clearly_and_stores_nothing() {
    let reg = TestRegistry::anonymous();
    let dir = split_hello();
    let engine_len = std::fs::metadata(dir.join("engine.wasm")).unwrap().len();
    let home = scratch("home");
    let r = format!("{}/acme/hello:1", reg.addr);
    ok(run(
        with_home(&mut jspkg(), &home)
            .args(["publish", "--quiet"])
            .arg(&dir)
            .arg(&r),
        RUN_TIMEOUT,
    ));
    // Past the manifest and the small app blob, inside the engine blob.
    let proxy = CuttingProxy::start(reg.addr.clone(), engine_len / 2);
    let via = format!("{}/acme/hello:1", proxy.addr);
    let home = scratch("home");
    let o = run(
        with_home(&mut jspkg(), &home).args(["pull", &via]),
        RUN_TIMEOUT,
    );
    assert!(!o.success() && o.code.is_some(), "the pull must fail:\n{o}");
    assert!(
        proxy.cuts.load(Ordering::SeqCst) > 0,
        "the proxy never cut:\n{o}"
    );
    assert!(
        o.stderr.contains("broke off") && o.stderr.contains("pull again"),
        "the error should say the download broke off and to pull again:\n{o}"
    );
    assert_eq!(o.stderr.lines().count(), 1, "one line:\n{o}");
    let stored: Vec<_> = std::fs::read_dir(home.join("store/blobs/sha256"))
        .unwrap()
        .collect();
    assert!(
        stored.is_empty(),
        "the store holds {stored:?} after a cut pull"
    );
    assert_eq!(
        std::fs::read_dir(home.join("store/tmp")).unwrap().count(),
        0,
        "a partial blob was left in the store's tmp"
    );
    // The same proxy, now passing everything: the retry succeeds.
    proxy.cut.store(false, Ordering::SeqCst);
    pull_gives(&home, &via, &dir);
}
