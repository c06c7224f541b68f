//! `jspkg serve`: real server processes on 127.0.0.1 (port 0), real HTTP
//! over TCP.
//!
//! - the handler contract: the apps of `examples/http/` answer like the same
//!   app under node's `http` module (`tests/node-serve.mjs`), for a
//!   monolithic component, a split app (`--engine`), and under the stock
//!   `wasmtime serve` (monolithic and `jspkg compose`d);
//! - isolation: state one request writes is never seen by another;
//! - limits: a handler that loops or exhausts memory gets a 5xx, and the
//!   server goes on serving others meanwhile and afterwards;
//! - several apps under path prefixes on one engine; errors at start.
//!
//! The HTTP client is a few lines over `TcpStream`: the lock file has no
//! small blocking client (no `ureq`; `reqwest` comes in only through the
//! registry client's TLS set-up), and a raw client sends exactly the bytes
//! a test means (its own `Host` header, HTTP/1.0 without one).

mod common;

use common::{RUN_TIMEOUT, Tools, built_for, esbuild, jspkg, repo_path, repo_root, run, scratch};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------- servers --

/// A server process, killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    name: String,
    /// Everything it wrote to stderr (and stdout after the first line).
    log: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `cmd` and waits for its address: the first stdout line
    /// `listening on http://ADDR` (or, with `from_stderr`, a stderr line
    /// containing `http://ADDR`, as `wasmtime serve` prints it).
    fn start(mut cmd: Command, name: &str, from_stderr: bool) -> Server {
        let command = format!("{cmd:?}");
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {command}: {e}"));
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel::<String>();
        let pipes: [(Box<dyn Read + Send>, bool); 2] = [
            (Box::new(child.stdout.take().unwrap()), !from_stderr),
            (Box::new(child.stderr.take().unwrap()), from_stderr),
        ];
        for (pipe, announces) in pipes {
            let (log, tx) = (log.clone(), tx.clone());
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines() {
                    let Ok(line) = line else { break };
                    if announces && line.contains("http://") {
                        let _ = tx.send(line.clone());
                    }
                    let mut log = log.lock().unwrap();
                    log.push_str(&line);
                    log.push('\n');
                }
            });
        }
        drop(tx);
        let line = match rx.recv_timeout(RUN_TIMEOUT) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                std::thread::sleep(Duration::from_millis(100));
                panic!(
                    "{command} did not say where it listens:\n{}",
                    log.lock().unwrap()
                );
            }
        };
        let addr = line
            .split("http://")
            .nth(1)
            .map(|rest| rest.trim_end_matches('/').trim())
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?} of {command}"));
        Server {
            child,
            addr,
            name: name.to_string(),
            log,
        }
    }

    /// `jspkg serve ARGS… --addr 127.0.0.1:0`.
    fn jspkg(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Server {
        let mut cmd = jspkg();
        cmd.arg("serve");
        for a in args {
            cmd.arg(a);
        }
        cmd.args(["--addr", "127.0.0.1:0"]);
        Server::start(cmd, "jspkg serve", false)
    }

    /// `node tests/node-serve.mjs APP 0`.
    fn node(app: &Path) -> Server {
        let mut cmd = Command::new(Tools::get().node());
        cmd.current_dir(repo_root())
            .arg(repo_root().join("tests/node-serve.mjs"))
            .arg(app)
            .arg("0");
        Server::start(cmd, "node", false)
    }

    /// The stock `wasmtime serve` of the tools directory.
    fn wasmtime(wasm: &Path) -> Server {
        let mut cmd = Tools::get().command("wasmtime");
        cmd.arg("serve").args(["--addr", "127.0.0.1:0"]).arg(wasm);
        Server::start(cmd, "wasmtime serve", true)
    }

    /// `node tests/upstream.mjs`: the upstream service of the fetch tests.
    fn upstream() -> Server {
        let mut cmd = Command::new(Tools::get().node());
        cmd.arg(repo_root().join("tests/upstream.mjs"));
        Server::start(cmd, "upstream", false)
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Whether `text` shows up in the log within a few seconds.
    fn wait_for_log(&self, text: &str) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.log().contains(text) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    fn get(&self, target: &str) -> Response {
        self.send(&Request::get(target))
    }

    fn send(&self, req: &Request) -> Response {
        send(self.addr, req).unwrap_or_else(|e| {
            panic!(
                "{} {} {}: {e}\n--- {} log ---\n{}",
                self.name,
                req.method,
                req.target,
                self.name,
                self.log()
            )
        })
    }

    /// SIGTERM, then the exit status (killed if it does not stop in time).
    fn stop(mut self) -> Option<i32> {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{} did not stop on SIGTERM:\n{}", self.name, self.log());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ----------------------------------------------------------------- client --

/// The `Host` both servers are sent, so that the URL the app sees is the
/// same whatever port each listens on.
const HOST: &str = "example.test:8080";

#[derive(Clone, Debug)]
struct Request {
    method: &'static str,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// `HTTP/1.0` and no `Host` header.
    http10: bool,
}

impl Request {
    fn get(target: &str) -> Self {
        Request {
            method: "GET",
            target: target.into(),
            headers: vec![],
            body: vec![],
            http10: false,
        }
    }

    fn post(target: &str, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Request {
            method: "POST",
            body: body.into(),
            ..Request::get(target)
        }
        .header("content-type", content_type)
    }

    fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    fn method(mut self, method: &'static str) -> Self {
        self.method = method;
        self
    }
}

#[derive(Clone, Debug)]
struct Response {
    status: u16,
    /// Lower-case names.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text()))
    }

    /// What the tests compare with node: status, `content-type`, the
    /// `x-*` and `location` headers, the body.
    fn comparable(&self) -> (u16, Vec<(String, String)>, String) {
        let mut headers: Vec<_> = self
            .headers
            .iter()
            .filter(|(n, _)| n == "content-type" || n == "location" || n.starts_with("x-"))
            .cloned()
            .collect();
        headers.sort();
        (self.status, headers, self.text())
    }
}

/// One request on a fresh connection (`Connection: close`), read to the end.
fn send(addr: SocketAddr, req: &Request) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut head = if req.http10 {
        format!("{} {} HTTP/1.0\r\n", req.method, req.target)
    } else {
        format!(
            "{} {} HTTP/1.1\r\nhost: {HOST}\r\nconnection: close\r\n",
            req.method, req.target
        )
    };
    for (n, v) in &req.headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    if !req.body.is_empty() || req.method == "POST" || req.method == "PUT" {
        head.push_str(&format!("content-length: {}\r\n", req.body.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(&req.body)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_response(&raw, req.method == "HEAD")
}

fn parse_response(raw: &[u8], head_only: bool) -> std::io::Result<Response> {
    let bad =
        |what: &str| std::io::Error::other(format!("{what}: {:?}", String::from_utf8_lossy(raw)));
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad("no end of the response head"))?;
    let head = std::str::from_utf8(&raw[..end]).map_err(|_| bad("head not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("no status"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    if chunked && !head_only {
        body = dechunk(&body).ok_or_else(|| bad("bad chunked body"))?;
    }
    Ok(Response {
        status,
        headers,
        body,
    })
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let eol = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..eol]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[eol + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

// ------------------------------------------------------------------- apps --

/// `jspkg build --world http examples/http/NAME.js`, once per test binary.
fn built_http(name: &str) -> PathBuf {
    built_for(&repo_path(&format!("examples/http/{name}.js")), "http")
}

/// `jspkg split` of the built app: (engine.wasm, app.wasm).
fn split_http(name: &str) -> (PathBuf, PathBuf) {
    let dir = scratch(&format!("split-{name}"));
    let o = run(
        jspkg()
            .arg("split")
            .arg(built_http(name))
            .arg("-o")
            .arg(&dir),
        RUN_TIMEOUT,
    );
    assert!(o.success(), "split of {name} failed:\n{o}");
    (dir.join("engine.wasm"), dir.join("app.wasm"))
}

fn source(name: &str) -> PathBuf {
    repo_path(&format!("examples/http/{name}.js"))
}

// -------------------------------------------------------------- contract --

/// The requests of the contract test, with what is compared of each.
fn echo_requests() -> Vec<(Request, Compare)> {
    let binary: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    vec![
        (
            Request::get("/items/42?x=1&y=two&y=3&empty=&sp=a%20b")
                .header("x-custom", "hello")
                .header("accept", "application/json"),
            Compare::All,
        ),
        (
            Request::post(
                "/submit",
                "application/json",
                r#"{"name":"wasm","list":[1,2,3],"ok":true}"#,
            ),
            Compare::All,
        ),
        (
            Request::post("/upload", "application/octet-stream", binary),
            Compare::All,
        ),
        (
            Request::post(
                "/note",
                "text/plain; charset=utf-8",
                "héllo, wörld\n".as_bytes(),
            )
            .method("PUT"),
            Compare::All,
        ),
        (
            Request::get("/c?status=201&h=location:/items/43&h=x-extra:yes"),
            Compare::All,
        ),
        (Request::get("/missing?status=404"), Compare::All),
        (
            Request::get("/teapot?status=418&h=x-tea:earl-grey"),
            Compare::All,
        ),
        (Request::get("/json"), Compare::All),
        (Request::get("/json?status=202"), Compare::All),
        (Request::get("/text"), Compare::All),
        (Request::get("/empty"), Compare::All),
        (Request::get("/throw"), Compare::Status),
    ]
}

#[derive(Clone, Copy, Debug)]
enum Compare {
    All,
    /// An error: its body is each server's own wording.
    Status,
}

/// Sends every request to `server` and to node, and compares.
fn check_against_node(server: &Server, node: &Server) {
    for (req, what) in echo_requests() {
        let expected = node.send(&req);
        let got = server.send(&req);
        match what {
            Compare::All => assert_eq!(
                got.comparable(),
                expected.comparable(),
                "{} differs from node for {} {}\n--- {} log ---\n{}",
                server.name,
                req.method,
                req.target,
                server.name,
                server.log()
            ),
            Compare::Status => assert_eq!(
                got.status, expected.status,
                "{} differs from node for {} {}: {got:?} vs {expected:?}",
                server.name, req.method, req.target
            ),
        }
    }
}

fn node_echo() -> Server {
    Server::node(&source("echo"))
}

#[test]
fn handler_contract_matches_node() {
    let node = node_echo();
    let server = Server::jspkg(&[&built_http("echo")]);
    check_against_node(&server, &node);

    // Without a Host header the authority is the address listened on.
    let req = Request {
        http10: true,
        ..Request::get("/where?q=1")
    };
    let echo = server.send(&req).json();
    assert_eq!(
        echo["url"],
        format!("http://{}/where?q=1", server.addr),
        "{echo}"
    );
    // The app's failure shows in the server's log (its stderr), which a
    // thread of this test reads: give it a moment.
    assert!(
        server.wait_for_log("the handler failed on purpose"),
        "the thrown error is not on the server's stderr:\n{}",
        server.log()
    );
    assert_eq!(
        server.stop(),
        Some(0),
        "jspkg serve did not exit 0 on SIGTERM"
    );
}

#[test]
fn split_app_with_engine_matches_node() {
    let (engine, app) = split_http("echo");
    let node = node_echo();
    let server = Server::jspkg(&[&app, &"--engine", &engine]);
    check_against_node(&server, &node);
}

#[test]
fn stock_wasmtime_serve_runs_built_and_composed_apps() {
    let node = node_echo();
    let built = built_http("echo");
    let server = Server::wasmtime(&built);
    check_against_node(&server, &node);
    drop(server);

    let (engine, app) = split_http("echo");
    let composed = scratch("composed").join("echo.wasm");
    let o = run(
        jspkg()
            .arg("compose")
            .arg(&engine)
            .arg(&app)
            .arg("-o")
            .arg(&composed),
        RUN_TIMEOUT,
    );
    assert!(o.success(), "compose failed:\n{o}");
    let server = Server::wasmtime(&composed);
    check_against_node(&server, &node);
    // And jspkg serves the composed component too.
    let server = Server::jspkg(&[&composed]);
    check_against_node(&server, &node);
}

// ------------------------------------------------------------- isolation --

#[test]
fn every_request_gets_a_fresh_instance() {
    let server = Server::jspkg(&[&built_http("counter"), &"--max-instances", &"8"]);
    let expect = |r: &Response| {
        assert_eq!(r.status, 200, "{r:?}");
        let v = r.json();
        assert_eq!(
            (
                v["count"].as_i64(),
                v["hits"].as_i64(),
                v["pristine"].as_bool()
            ),
            (Some(1), Some(1), Some(true)),
            "state leaked from another request: {v}"
        );
    };
    for i in 0..50 {
        expect(&server.get(&format!("/seq/{i}")));
    }
    // Concurrent: 16 clients × 10 requests on 8 instance slots.
    let addr = server.addr;
    let threads: Vec<_> = (0..16)
        .map(|t| {
            std::thread::spawn(move || {
                (0..10)
                    .map(|i| send(addr, &Request::get(&format!("/par/{t}/{i}"))).unwrap())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for t in threads {
        for r in t.join().unwrap() {
            expect(&r);
        }
    }
    // node shares module state between requests: the reference differs here
    // on purpose, which shows the test can tell.
    let node = Server::node(&source("counter"));
    node.get("/1");
    let second = node.get("/2").json();
    assert_eq!(
        (second["count"].as_i64(), second["pristine"].as_bool()),
        (Some(2), Some(false)),
        "node: {second}"
    );
}

// ---------------------------------------------------------------- limits --

#[test]
fn runaway_handlers_get_5xx_and_the_server_goes_on() {
    // The deadline is long enough for the other requests to be served
    // while /loop runs, even on a loaded machine: what is checked is that
    // they are not queued behind it, not how fast they are.
    let server = Server::jspkg(&[
        &built_http("limits"),
        &"--timeout",
        &"3",
        &"--max-memory",
        &"64",
    ]);
    assert_eq!(server.get("/ok").status, 200);

    // A loop runs past the deadline; others are served meanwhile.
    let addr = server.addr;
    let looping = std::thread::spawn(move || {
        let started = Instant::now();
        let r = send(addr, &Request::get("/loop")).unwrap();
        (r, started.elapsed())
    });
    std::thread::sleep(Duration::from_millis(100));
    for _ in 0..5 {
        let r = server.get("/ok");
        assert_eq!(r.status, 200, "{r:?}");
    }
    assert!(
        !looping.is_finished(),
        "/ok was answered only after /loop ended (or /loop ended early)"
    );
    let (r, took) = looping.join().unwrap();
    // 504: past the time limit.
    assert_eq!(r.status, 504, "/loop answered {}: {}", r.status, r.text());
    assert!(
        took >= Duration::from_secs(3) && took < Duration::from_secs(15),
        "/loop took {took:?}"
    );

    // A memory bomb hits the memory limit.
    let r = server.get("/bomb");
    // 503: past the memory limit.
    assert_eq!(r.status, 503, "/bomb answered {}: {}", r.status, r.text());

    // And the server still serves, on and on.
    for _ in 0..10 {
        assert_eq!(server.get("/ok").status, 200);
    }
    for logged in ["time limit of 3s", "memory than its limit of 64 MiB"] {
        assert!(
            server.wait_for_log(logged),
            "the failure {logged:?} is not logged:\n{}",
            server.log()
        );
    }
}

// -------------------------------------------------------------- prefixes --

#[test]
fn two_split_apps_on_one_engine_under_prefixes() {
    /// Worker processes of the server: each loads the engine and both apps.
    const WORKERS: usize = 2;
    let (engine_a, echo) = split_http("echo");
    let (engine_b, counter) = split_http("counter");
    assert_eq!(
        std::fs::read(&engine_a).unwrap(),
        std::fs::read(&engine_b).unwrap(),
        "two apps split from one engine must give the same engine bytes"
    );
    let api = format!("/api={}", echo.display());
    let count = format!("/count/={}", counter.display());
    let mut cmd = jspkg();
    cmd.env("JSPKG_LOG", "jspkg_runtime=debug,jspkg=info")
        .arg("serve")
        .args([&api, &count])
        .arg("--engine")
        .arg(&engine_a)
        .args(["--addr", "127.0.0.1:0", "--workers", &WORKERS.to_string()]);
    let server = Server::start(cmd, "jspkg serve", false);

    let r = server.get("/api/items?x=1");
    assert_eq!(r.status, 200, "{r:?}");
    let v = r.json();
    assert_eq!(
        v["pathname"], "/api/items",
        "the app sees the full path: {v}"
    );
    assert_eq!(v["url"], format!("http://{HOST}/api/items?x=1"));
    assert_eq!(server.get("/api").status, 200);
    let v = server.get("/count/x").json();
    assert_eq!(
        (v["count"].as_i64(), v["pathname"].as_str()),
        (Some(1), Some("/count/x"))
    );
    assert_eq!(server.get("/count").json()["count"], 1);
    for unserved in ["/", "/apix", "/other/api", "/countx"] {
        assert_eq!(server.get(unserved).status, 404, "{unserved}");
    }
    // One engine compiled (or read from the cache) for both apps, in each
    // worker process: as many engine loads as workers, two app loads each
    // (the other workers may still be loading when the first answers).
    let deadline = Instant::now() + RUN_TIMEOUT;
    while server.log().matches("(split app)").count() < 2 * WORKERS && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let log = server.log();
    let count = |what: &str| log.lines().filter(|l| l.contains(what)).count();
    assert_eq!(
        (count("the engine component"), count("(split app)")),
        (WORKERS, 2 * WORKERS),
        "each of the {WORKERS} workers must load the engine once for its two apps:\n{log}"
    );
}

// ---------------------------------------------------------------- errors --

#[test]
fn clear_errors_at_start() {
    let fails = |args: &[&dyn AsRef<std::ffi::OsStr>], expect: &str| {
        let mut cmd = jspkg();
        cmd.arg("serve");
        for a in args {
            cmd.arg(a);
        }
        let o = run(&mut cmd, RUN_TIMEOUT);
        assert!(
            !o.success() && o.stderr.contains(expect),
            "expected a failure saying {expect:?}:\n{o}"
        );
    };
    let cli_app = common::built(&repo_path("examples/hello/hello.js"));
    fails(
        &[&cli_app, &"--addr", &"127.0.0.1:0"],
        "this app is a command: run it with `jspkg run`",
    );
    fails(
        &[&"does-not-exist.wasm", &"--addr", &"127.0.0.1:0"],
        "does-not-exist.wasm",
    );
    fails(
        &[
            &built_http("echo"),
            &"--addr",
            &"127.0.0.1:0",
            &"--timeout",
            &"0",
        ],
        "--timeout",
    );
    // The port is taken.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    fails(&[&built_http("echo"), &"--addr", &addr], "cannot listen on");
    // Taken by another `jspkg serve`, whose workers share their port: a
    // second server must not join them.
    let first = Server::jspkg(&[&built_http("echo"), &"--workers", &"2"]);
    fails(
        &[
            &built_http("echo"),
            &"--addr",
            &first.addr.to_string(),
            &"--workers",
            &"2",
        ],
        "cannot listen on",
    );
    fails(
        &[&built_http("echo"), &"--addr", &addr, &"--workers", &"0"],
        "--workers",
    );

    // And `jspkg run` of an HTTP app says what to do.
    let o = run(jspkg().arg("run").arg(built_http("echo")), RUN_TIMEOUT);
    assert!(
        !o.success()
            && o.stderr
                .contains("this app is an HTTP handler: serve it with `jspkg serve`"),
        "{o}"
    );
}

// --------------------------------------------------------------- workers --

/// The processes whose parent is `pid` (a zombie counts as gone).
fn children_of(pid: u32) -> Vec<u32> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(child) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{child}/stat")) else {
            continue;
        };
        // After the `(comm)` field: state, then the parent's pid.
        let mut rest = stat
            .rsplit_once(')')
            .map_or("", |(_, r)| r)
            .split_whitespace();
        let (state, ppid) = (rest.next(), rest.next().and_then(|p| p.parse::<u32>().ok()));
        if ppid == Some(pid) && state != Some("Z") {
            out.push(child);
        }
    }
    out
}

/// How many sockets process `pid` holds (its listener and its connections).
fn sockets_of(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|d| {
            d.flatten()
                .filter(|fd| {
                    std::fs::read_link(fd.path())
                        .is_ok_and(|l| l.to_string_lossy().starts_with("socket:"))
                })
                .count()
        })
        .unwrap_or(0)
}

/// Whether process `pid` is gone (or a zombie) within `within`.
fn gone_within(pid: u32, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Err(_) => return true,
            Ok(stat)
                if stat
                    .rsplit_once(')')
                    .is_some_and(|(_, r)| r.trim_start().starts_with('Z')) =>
            {
                return true;
            }
            Ok(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    false
}

/// `jspkg serve --workers N` of examples/http/hello.js, logging at debug
/// level; returns once all N workers listen, with the other workers' pids.
fn serve_with_workers(n: usize) -> (Server, Vec<u32>) {
    let mut cmd = jspkg();
    cmd.env("JSPKG_LOG", "jspkg=debug")
        .arg("serve")
        .arg(built_http("hello"))
        .args(["--workers", &n.to_string(), "--addr", "127.0.0.1:0"]);
    let server = Server::start(cmd, "jspkg serve --workers", false);
    let deadline = Instant::now() + RUN_TIMEOUT;
    while server.log().matches("listening on 127.0.0.1").count() < n - 1 {
        assert!(
            Instant::now() < deadline,
            "the other workers did not start:\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let others = children_of(server.child.id());
    assert_eq!(others.len(), n - 1, "workers: {others:?}\n{}", server.log());
    (server, others)
}

/// Workers share the port: the kernel spreads connections over every one of
/// them, each answers, and they stop with the first process, whether it is
/// stopped (SIGTERM) or killed.
#[test]
fn workers_share_the_port_and_stop_with_the_first() {
    let (server, others) = serve_with_workers(3);
    let first = server.child.id();
    let workers: Vec<u32> = std::iter::once(first)
        .chain(others.iter().copied())
        .collect();
    let before: Vec<usize> = workers.iter().map(|&p| sockets_of(p)).collect();
    // 40 keep-alive connections, each with one answered request, held open.
    let mut conns = Vec::new();
    for i in 0..40 {
        let mut c = TcpStream::connect(server.addr).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(c, "GET /{i} HTTP/1.1\r\nhost: {HOST}\r\n\r\n").unwrap();
        let mut status = String::new();
        BufReader::new(&c).read_line(&mut status).unwrap();
        assert!(
            status.starts_with("HTTP/1.1 200"),
            "connection {i}: {status:?}\n{}",
            server.log()
        );
        conns.push(c);
    }
    let after: Vec<usize> = workers.iter().map(|&p| sockets_of(p)).collect();
    let held: Vec<usize> = after
        .iter()
        .zip(&before)
        .map(|(a, b)| a.saturating_sub(*b))
        .collect();
    assert_eq!(
        held.iter().sum::<usize>(),
        40,
        "connections per worker: {held:?}"
    );
    assert!(
        held.iter().all(|&n| n > 0),
        "every worker takes connections (40 connections over 3: each gets none with p ~ 1e-7): {held:?}"
    );
    drop(conns);
    assert_eq!(server.stop(), Some(0), "the first process stops cleanly");
    for p in &others {
        assert!(
            gone_within(*p, Duration::from_secs(20)),
            "worker {p} outlived the first process"
        );
    }

    // Killed, the first process cannot tell them: its pipes close.
    let (server, others) = serve_with_workers(2);
    drop(server);
    for p in &others {
        assert!(
            gone_within(*p, Duration::from_secs(20)),
            "worker {p} outlived the killed first process"
        );
    }
}

// ---------------------------------------------------------------- timers --

/// Timers in a handler answer like node; a timer still pending when the
/// response is sent is dropped with the instance (node's server keeps it
/// and runs it: the test can tell).
#[test]
fn handler_timers_match_node_and_pending_ones_are_dropped() {
    let node = Server::node(&source("timers"));
    let server = Server::jspkg(&[&built_http("timers")]);
    for target in [
        "/sleep",
        "/interval",
        "/interval?ticks=7",
        "/late?id=1",
        "/nope",
    ] {
        let req = Request::get(target);
        assert_eq!(
            server.send(&req).comparable(),
            node.send(&req).comparable(),
            "jspkg serve differs from node for GET {target}\n--- log ---\n{}",
            server.log()
        );
    }
    assert!(
        node.wait_for_log("late timer ran for 1"),
        "node's server should run the pending timer:\n{}",
        node.log()
    );
    // Well past the timer's 30 ms, and another request served meanwhile.
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(server.get("/late?id=2").status, 200);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !server.log().contains("late timer ran"),
        "a timer pending after the response ran:\n{}",
        server.log()
    );
}

// --------------------------------------------------------------- streams --

/// Streamed bodies (`examples/http/stream.js`) answer like node; a 100 MiB
/// response made chunk by chunk and a 100 MiB upload read as it arrives
/// both pass through an instance limited to 64 MiB of memory.
#[test]
fn streamed_bodies_match_node_and_run_in_bounded_memory() {
    let node = Server::node(&source("stream"));
    let server = Server::jspkg(&[&built_http("stream"), &"--max-memory", &"64"]);
    let pattern = |n: usize| -> Vec<u8> { (0..n).map(|i| (i % 251) as u8).collect() };
    let text = "héllo, streams: a line of text\n".repeat(2000);
    for req in [
        Request::get("/stream?mb=1&chunk=7"),
        Request::get("/stream?mb=0"),
        Request::get("/ticks?n=4"),
        Request::post("/count", "application/octet-stream", pattern(3 << 20)),
        Request::post("/count", "application/octet-stream", vec![]),
        Request::post("/upper", "text/plain; charset=utf-8", text.as_bytes()),
        Request::get("/rebuild"),
    ] {
        let (got, expected) = (server.send(&req), node.send(&req));
        assert_eq!(
            got.comparable(),
            expected.comparable(),
            "jspkg serve differs from node for {} {}\n--- log ---\n{}",
            req.method,
            req.target,
            server.log()
        );
    }

    let big = 100 << 20;
    let r = server.get("/stream?mb=100");
    assert_eq!(r.status, 200, "{}", server.log());
    assert_eq!(r.body.len(), big, "the streamed response lost bytes");
    assert!(
        r.body
            .iter()
            .enumerate()
            .all(|(i, &b)| b == (i % 251) as u8),
        "the streamed response's bytes are not the pattern"
    );
    assert!(
        !r.headers.iter().any(|(n, _)| n == "content-length"),
        "a streamed response has no content-length: {:?}",
        r.headers
    );

    let upload = pattern(big);
    let sum = upload
        .iter()
        .step_by(4096)
        .fold(0u64, |s, &b| (s + u64::from(b)) % 65521);
    let r = server.send(&Request::post("/count", "application/octet-stream", upload));
    assert_eq!(r.status, 200, "{}", server.log());
    let v = r.json();
    assert_eq!(
        (v["length"].as_u64(), v["sum"].as_u64()),
        (Some(big as u64), Some(sum)),
        "the streamed upload was not read whole: {v}"
    );
}

// ------------------------------------------------------------ frameworks --

/// `tests/frameworks/NAME.js` bundled by esbuild with the framework the
/// test tools installed from the npm registry (pinned in tools/package.json).
fn framework_bundle(name: &str) -> PathBuf {
    let out = scratch(&format!("framework-{name}")).join(format!("{name}.js"));
    esbuild(
        &repo_path(&format!("tests/frameworks/{name}.js")),
        &out,
        "neutral",
    );
    out
}

/// Status, the headers middleware sets (`content-type`, `content-encoding`,
/// `x-*`, `access-control-*`, `vary`) and the body, decompressed by node's
/// zlib if it is encoded: this engine's deflate writes other bytes than
/// zlib's, so the encoded bodies cannot be compared, only what they carry.
fn framework_view(r: &Response) -> (u16, Vec<(String, String)>, String) {
    let mut headers: Vec<_> = r
        .headers
        .iter()
        .filter(|(n, _)| {
            n == "content-type"
                || n == "content-encoding"
                || n == "vary"
                || n.starts_with("x-")
                || n.starts_with("access-control-")
        })
        .cloned()
        .collect();
    headers.sort();
    let encoding = r
        .headers
        .iter()
        .find(|(n, _)| n == "content-encoding")
        .map(|(_, v)| v.as_str());
    let body = match encoding {
        None => r.text(),
        Some(encoding) => {
            let inflate = match encoding {
                "gzip" => "gunzipSync",
                "deflate" => "inflateSync",
                other => panic!("unexpected content-encoding {other}"),
            };
            let hex: String = r.body.iter().map(|b| format!("{b:02x}")).collect();
            let mut node = Command::new(Tools::get().node());
            node.arg("-e")
                .arg(format!(
                    "process.stdout.write(require('zlib').{inflate}(Buffer.from(process.argv[1], 'hex')))"
                ))
                .arg(hex);
            let o = run(&mut node, RUN_TIMEOUT);
            assert!(
                o.success(),
                "node's zlib cannot read the {encoding} body:\n{o}"
            );
            format!("{encoding}: {}", o.stdout)
        }
    };
    (r.status, headers, body)
}

/// A `multipart/form-data` body as a browser sends it: two text fields of
/// one name, a file, and a field with a non-ASCII value.
fn multipart_upload() -> (String, Vec<u8>) {
    let b = "----jspkgTestBoundary7MA4YWxk";
    let mut body = Vec::new();
    for (name, file, value) in [
        ("tag", None, "first"),
        (
            "tag",
            Some(("notes.txt", "text/plain")),
            "file contents\r\nwith two lines",
        ),
        ("tag", None, "second"),
        ("who", None, "Zoë 😀"),
    ] {
        body.extend_from_slice(
            format!("--{b}\r\nContent-Disposition: form-data; name=\"{name}\"").as_bytes(),
        );
        if let Some((filename, ty)) = file {
            body.extend_from_slice(
                format!("; filename=\"{filename}\"\r\nContent-Type: {ty}").as_bytes(),
            );
        }
        body.extend_from_slice(format!("\r\n\r\n{value}\r\n").as_bytes());
    }
    body.extend_from_slice(format!("--{b}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}

/// Real frameworks nobody here wrote, with their usual middleware (Hono's
/// `cors()` and a middleware that sets headers after `await next()`;
/// itty-router's `cors()`, whose `corsify` rebuilds every response as
/// `new Response(res.body, res)`; Hono's `parseBody` of multipart and
/// urlencoded forms, and `compress()`), bundled by esbuild, answer under
/// `jspkg serve` exactly as the same bundle under node.
#[test]
fn hono_and_itty_router_apps_with_middleware_match_node() {
    let origin = "https://example.test";
    let (upload_type, upload_body) = multipart_upload();
    let cases: [(&str, Vec<Request>); 2] = [
        (
            "hono-app",
            vec![
                Request::get("/").header("origin", origin),
                Request::get("/items/7?q=x"),
                Request::post("/echo", "application/json", r#"{"a":[1,2]}"#)
                    .header("origin", origin),
                Request::get("/echo")
                    .method("OPTIONS")
                    .header("origin", origin)
                    .header("access-control-request-method", "POST"),
                Request::get("/wrapped/page"),
                Request::get("/stream"),
                Request::post("/upload", &upload_type, upload_body.clone()),
                Request::post(
                    "/upload",
                    "application/x-www-form-urlencoded",
                    "a=1&b=two+words&a=%C3%A9",
                ),
                Request::get("/compressed/text?word=squeeze")
                    .header("accept-encoding", "gzip, deflate, br"),
                Request::get("/compressed/text").header("accept-encoding", "deflate"),
                Request::get("/compressed/text"),
                Request::get("/compressed/small").header("accept-encoding", "gzip"),
                Request::get("/boom"),
                Request::get("/nope"),
            ],
        ),
        (
            "itty-app",
            vec![
                Request::get("/").header("origin", origin),
                Request::get("/items/7?q=x"),
                Request::post("/echo", "application/json", r#"{"a":[1,2]}"#),
                Request::get("/echo")
                    .method("OPTIONS")
                    .header("origin", origin),
                Request::get("/stream"),
                Request::get("/nope"),
            ],
        ),
    ];
    for (name, requests) in cases {
        let bundle = framework_bundle(name);
        let node = Server::node(&bundle);
        let server = Server::jspkg(&[&built_for(&bundle, "http")]);
        for req in requests {
            let (got, expected) = (server.send(&req), node.send(&req));
            assert!(
                !expected.body.is_empty() || expected.status == 204,
                "node's answer to {name} {} {} is empty: {expected:?}",
                req.method,
                req.target
            );
            assert_eq!(
                framework_view(&got),
                framework_view(&expected),
                "{name}: jspkg serve differs from node for {} {}\n--- log ---\n{}",
                req.method,
                req.target,
                server.log()
            );
        }
    }
}

// ------------------------------------------------------- outgoing fetch --

/// `examples/http/proxy.js` calls an upstream server (tests/upstream.mjs)
/// with `fetch` and streams its answers through: under `jspkg serve
/// --allow-host` it answers like the same app under node, a 100 MiB
/// upstream body passes through an instance limited to 64 MiB, and without
/// `--allow-host` the request is refused in the guest (a `TypeError` with
/// the reason) and logged by the host. The stock `wasmtime serve`, which
/// allows outgoing requests, runs the composed app the same way.
#[test]
fn outgoing_fetch_matches_node_and_is_refused_unless_allowed() {
    let upstream = Server::upstream();
    let up = format!("http://{}", upstream.addr);
    let node = Server::node(&source("proxy"));
    let allowed = Server::jspkg(&[
        &built_http("proxy"),
        &"--allow-host",
        &format!("127.0.0.1:{}", upstream.addr.port()),
        &"--allow-host",
        &"127.0.0.1:1",
        &"--max-memory",
        &"64",
    ]);
    let q = |path: &str| {
        let sep = if path.contains('?') { '&' } else { '?' };
        format!("{path}{sep}upstream={up}")
    };
    let pattern = |n: usize| -> Vec<u8> { (0..n).map(|i| (i % 251) as u8).collect() };
    let requests = [
        Request::get(&q("/up/echo/one?x=1")),
        Request::post(&q("/up/echo/post"), "application/json", r#"{"a":[1,2]}"#),
        Request::post(
            &q("/up/echo/big"),
            "application/octet-stream",
            pattern(3 << 20),
        ),
        Request::get(&q("/up/bytes?mb=2&chunk=7")),
        Request::get(&q("/up/redirect?status=307&to=/echo/moved")),
        Request::get(&q("/up/status/404")),
        Request::get(&q("/up/status/204")),
        Request::get(&q("/combined")),
        Request::get(&q("/fail")),
    ];
    for req in &requests {
        let (got, expected) = (allowed.send(req), node.send(req));
        assert_eq!(
            got.comparable(),
            expected.comparable(),
            "jspkg serve differs from node for {} {}\n--- log ---\n{}",
            req.method,
            req.target,
            allowed.log()
        );
    }
    // The upload went through whole (the echo counts what it got).
    let r = allowed.send(&requests[2]);
    assert!(
        r.text().len() > 3 << 20,
        "the upload was cut: {} bytes back",
        r.text().len()
    );

    let big = 100 << 20;
    let r = allowed.get(&q("/up/bytes?mb=100"));
    assert_eq!(r.status, 200, "{}", allowed.log());
    assert_eq!(r.body.len(), big, "the streamed upstream body lost bytes");
    assert!(
        r.body
            .iter()
            .enumerate()
            .all(|(i, &b)| b == (i % 251) as u8),
        "the upstream body's bytes are not the pattern"
    );

    // Deny by default: the guest's fetch rejects with the reason, the host
    // logs the refused destination.
    let denied = Server::jspkg(&[&built_http("proxy")]);
    let r = denied.get(&q("/up/echo/one"));
    assert_eq!(r.status, 502, "{r:?}");
    assert_eq!(r.text(), "TypeError: fetch failed\n");
    let cause = r
        .headers
        .iter()
        .find(|(n, _)| n == "error-cause")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    assert!(
        cause.contains("--allow-host"),
        "the cause does not say what to do: {cause:?}"
    );
    let destination = format!("127.0.0.1:{}", upstream.addr.port());
    assert!(
        denied.wait_for_log(&format!("allow it with --allow-host {destination}")),
        "the host did not log the refused request:\n{}",
        denied.log()
    );
    // Another port of an allowed host is refused too.
    let other_port = Server::jspkg(&[&built_http("proxy"), &"--allow-host", &"127.0.0.1:1"]);
    assert_eq!(other_port.get(&q("/up/echo/one")).status, 502);
    drop((denied, other_port));

    // The composed component imports only standard interfaces: the stock
    // wasmtime serve runs it, its outgoing requests included.
    let (engine, app) = split_http("proxy");
    let composed = scratch("composed-proxy").join("proxy.wasm");
    let o = run(
        jspkg()
            .arg("compose")
            .arg(&engine)
            .arg(&app)
            .arg("-o")
            .arg(&composed),
        RUN_TIMEOUT,
    );
    assert!(o.success(), "compose failed:\n{o}");
    let stock = Server::wasmtime(&composed);
    for req in &requests[..6] {
        let (got, expected) = (stock.send(req), node.send(req));
        assert_eq!(
            got.comparable(),
            expected.comparable(),
            "wasmtime serve differs from node for {} {}\n--- log ---\n{}",
            req.method,
            req.target,
            stock.log()
        );
    }
}
