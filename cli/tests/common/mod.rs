//! Shared harness of the `jspkg` CLI integration tests.
//!
//! The reference for every app is node: `node tests/node-main.mjs APP ARGS…`
//! runs the app the way the jspkg engine does (see that file), and `jspkg
//! run` must print the same stdout and exit with the same code.
//!
//! Apps are built once per test binary (a cache keyed by the app's path) into
//! a work directory under cargo's target tmp dir, which is emptied when the
//! binary first uses it. `JSPKG_HOME` points into it, so the compile cache
//! is per test binary, shared by its tests.
#![allow(dead_code)]

#[path = "../../../tests/support/tools.rs"]
pub mod tools;

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

pub use tools::{Tools, repo_root};

/// Generous: the first `jspkg run` in a test binary compiles the engine
/// (tens of seconds in a debug build on 2 cores); later ones hit the cache.
pub const RUN_TIMEOUT: Duration = Duration::from_secs(600);

/// What a finished process left.
#[derive(Debug, Clone)]
pub struct Output {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub command: String,
}

impl Output {
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }
}

impl std::fmt::Display for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "$ {}", self.command)?;
        writeln!(f, "exit code: {:?}", self.code)?;
        writeln!(f, "--- stdout ---\n{}", self.stdout)?;
        write!(f, "--- stderr ---\n{}", self.stderr)
    }
}

/// Runs a command to completion (stdin closed), killing it after `timeout`.
pub fn run(cmd: &mut Command, timeout: Duration) -> Output {
    let command = format!("{cmd:?}");
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {command}: {e}"));
    let mut out = child.stdout.take().expect("piped stdout");
    let mut err = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        out.read_to_end(&mut buf).map(|_| buf)
    });
    let err_reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        err.read_to_end(&mut buf).map(|_| buf)
    });
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for child") {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("timed out after {timeout:?}: {command}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let stdout = out_reader.join().unwrap().expect("read stdout");
    let stderr = err_reader.join().unwrap().expect("read stderr");
    Output {
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        command,
    }
}

/// This test binary's scratch directory (emptied at first use).
pub fn work_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let exe = std::env::current_exe().expect("current exe");
        let stem = exe.file_stem().expect("exe name").to_string_lossy();
        // cargo names test binaries `NAME-HASH`: keep NAME.
        let name = stem
            .rsplit_once('-')
            .map(|(n, _)| n)
            .unwrap_or(&stem)
            .to_owned();
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("home")).expect("create work dir");
        dir
    })
}

/// A fresh directory inside the work directory.
pub fn scratch(name: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = work_dir().join(format!("{name}-{n}"));
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// The `jspkg` binary under test, run from the repository root with a
/// per-test-binary `JSPKG_HOME`.
pub fn jspkg() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jspkg"));
    cmd.current_dir(repo_root())
        .env("JSPKG_HOME", work_dir().join("home"))
        .env_remove("JSPKG_LOG");
    cmd
}

/// A path in the repository.
pub fn repo_path(rel: &str) -> PathBuf {
    let p = repo_root().join(rel);
    assert!(p.exists(), "{} does not exist", p.display());
    p
}

/// `jspkg build APP -o OUT` (no cache).
pub fn build_to(app: &Path, out: &Path) -> Output {
    build_for_to(app, "cli", out)
}

/// `jspkg build --world WORLD APP -o OUT`
pub fn build_for_to(app: &Path, world: &str, out: &Path) -> Output {
    run(
        jspkg()
            .args(["build", "--world", world])
            .arg(app)
            .arg("-o")
            .arg(out),
        RUN_TIMEOUT,
    )
}

/// The app built by `jspkg build`, once per test binary; panics with the
/// build's output if it fails.
pub fn built(app: &Path) -> PathBuf {
    built_for(app, "cli")
}

/// The app built by `jspkg build --world WORLD`, once per test binary;
/// panics with the build's output if it fails.
pub fn built_for(app: &Path, world: &str) -> PathBuf {
    type Cell = Arc<OnceLock<Result<PathBuf, String>>>;
    static BUILDS: OnceLock<Mutex<HashMap<(PathBuf, String), Cell>>> = OnceLock::new();
    let cell: Cell = BUILDS
        .get_or_init(Default::default)
        .lock()
        .unwrap()
        .entry((app.to_path_buf(), world.to_string()))
        .or_default()
        .clone();
    cell.get_or_init(|| {
        let rel = app.strip_prefix(repo_root()).unwrap_or(app);
        let name = rel
            .to_string_lossy()
            .trim_end_matches(".js")
            .replace(['/', '\\', '.'], "_");
        let dir = work_dir().join("built").join(world);
        std::fs::create_dir_all(&dir).expect("create build dir");
        let out = dir.join(format!("{name}.wasm"));
        let o = build_for_to(app, world, &out);
        if o.success() && out.is_file() {
            Ok(out)
        } else {
            Err(format!(
                "`jspkg build --world {world}` of {} failed (or wrote no file):\n{o}",
                app.display()
            ))
        }
    })
    .clone()
    .unwrap_or_else(|e| panic!("{e}"))
}

/// `jspkg run WASM -- ARGS…`
pub fn jspkg_run(wasm: &Path, args: &[String]) -> Output {
    run(
        jspkg().arg("run").arg(wasm).arg("--").args(args),
        RUN_TIMEOUT,
    )
}

/// The reference: `node tests/node-main.mjs APP ARGS…`. An app whose
/// source has a `// node-import: PACKAGE` line is given that npm package
/// first (`node --import`, from the pinned test tools): a polyfill that is
/// the reference for an API node 20 lacks (URLPattern).
pub fn node_run(app: &Path, args: &[String]) -> Output {
    let tools = Tools::get();
    let mut cmd = Command::new(tools.node());
    // jspkg's `Intl` formats in UTC (WASI has no local time zone) and its
    // default locale is en-US: node's are set to match.
    cmd.current_dir(repo_root())
        .env("TZ", "UTC")
        .env("LC_ALL", "C.UTF-8");
    let src = std::fs::read_to_string(app).unwrap_or_default();
    for package in src
        .lines()
        .filter_map(|l| l.strip_prefix("// node-import:"))
    {
        let entry = tools.node_modules().join(package.trim()).join("index.js");
        assert!(
            entry.is_file(),
            "{} (for {}) is not installed",
            entry.display(),
            app.display()
        );
        cmd.arg("--import").arg(entry);
    }
    cmd.arg(repo_root().join("tests/node-main.mjs"))
        .arg(app)
        .args(args);
    run(&mut cmd, Duration::from_secs(60))
}

/// The argument lists an app is tested with: one per `// args: A B C` line
/// in its source (split at whitespace), or one empty list if there is none.
pub fn arg_sets(source_file: &Path) -> Vec<Vec<String>> {
    let src = std::fs::read_to_string(source_file)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", source_file.display()));
    let sets: Vec<Vec<String>> = src
        .lines()
        .filter_map(|l| l.strip_prefix("// args:"))
        .map(|rest| rest.split_whitespace().map(str::to_owned).collect())
        .collect();
    if sets.is_empty() { vec![vec![]] } else { sets }
}

/// The `NAME: MESSAGE` line of an uncaught error in node's stderr (node
/// prints the source line, a caret, a blank line, then `NAME: MESSAGE` and
/// the stack).
pub fn node_error_line(stderr: &str) -> Option<&str> {
    stderr.lines().find(|l| {
        let Some((name, _)) = l.split_once(": ") else {
            return false;
        };
        !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && (name.ends_with("Error") || name == "Uncaught")
    })
}

/// Runs the built `wasm` (of the app `source`) with `run_built` for every
/// argument set of the app and checks stdout and exit code against node's;
/// for an uncaught error also that the error's `NAME: MESSAGE` is on stderr.
pub fn check_against_node(source: &Path, runner: &str, run_built: impl Fn(&[String]) -> Output) {
    for args in arg_sets(source) {
        let expected = node_run(source, &args);
        assert!(
            !expected.stdout.is_empty(),
            "node printed nothing for {} {args:?}; the reference is broken:\n{expected}",
            source.display()
        );
        let got = run_built(&args);
        assert!(
            got.stdout == expected.stdout && got.code == expected.code,
            "{runner} differs from node for {} {args:?}\n\n=== node ===\n{expected}\n\n=== {runner} ===\n{got}\n\n{}",
            source.display(),
            first_difference(&expected.stdout, &got.stdout)
        );
        if expected.code != Some(0)
            && let Some(line) = node_error_line(&expected.stderr)
        {
            assert!(
                got.stderr.contains(line),
                "{runner}'s stderr lacks node's error line {line:?} for {} {args:?}:\n{got}",
                source.display()
            );
        }
    }
}

/// Where two outputs first differ, line by line.
pub fn first_difference(expected: &str, got: &str) -> String {
    let mut e = expected.lines();
    let mut g = got.lines();
    for n in 1.. {
        match (e.next(), g.next()) {
            (None, None) => return "stdout is equal".into(),
            (a, b) if a == b => continue,
            (a, b) => {
                return format!(
                    "first difference at stdout line {n}:\n  node: {a:?}\n  got:  {b:?}"
                );
            }
        }
    }
    unreachable!()
}

/// Bundles `entry` into the one ES module `out` with esbuild, for
/// `platform` (`neutral`: npm packages from the tools' node_modules, their
/// `module` field first; `node`: `node:` imports left to the engine, as
/// esbuild leaves them to node). Panics with esbuild's output if it fails.
pub fn esbuild(entry: &Path, out: &Path, platform: &str) {
    let tools = Tools::get();
    let mut cmd = tools.command("esbuild");
    cmd.current_dir(repo_root())
        .env("NODE_PATH", tools.node_modules())
        .arg(entry)
        .args(["--bundle", "--format=esm", "--log-level=warning"])
        .arg(format!("--platform={platform}"))
        .arg(format!("--outfile={}", out.display()));
    if platform == "neutral" {
        cmd.arg("--main-fields=module,main");
    }
    let o = run(&mut cmd, Duration::from_secs(120));
    assert!(o.success() && out.is_file(), "esbuild failed:\n{o}");
}

/// The test app `tests/bundle/entry.js` bundled with the npm library it
/// imports (`marked`, from `.jspkg-tools/node/node_modules`, i.e. from the
/// npm registry) by esbuild, once per test binary.
pub fn npm_bundle() -> &'static Path {
    static BUNDLE: OnceLock<PathBuf> = OnceLock::new();
    BUNDLE.get_or_init(|| {
        let dir = scratch("bundle");
        let out = dir.join("bundle.js");
        esbuild(&repo_path("tests/bundle/entry.js"), &out, "neutral");
        out
    })
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis() as i64
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` for a time in ms since the epoch (years 0..=9999),
/// as JavaScript's `Date.prototype.toISOString` writes it.
pub fn iso8601(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
}

/// `npm install --save-exact PACKAGES` in `dir` (no audit, no scripts),
/// asserting that it worked: the tests that bundle real npm packages need
/// the npm registry.
#[allow(dead_code)] // not every test binary installs packages
pub fn npm_install(dir: &Path, packages: &[&str]) {
    let o = run(
        Command::new("npm")
            .current_dir(dir)
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--ignore-scripts",
                "--loglevel=error",
                "--save-exact",
            ])
            .args(packages),
        Duration::from_secs(300),
    );
    assert!(
        o.success(),
        "npm install {packages:?} failed (the npm registry must be reachable):\n{o}"
    );
}
