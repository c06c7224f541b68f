//! `jspkg serve` soak: a bounded load of normal requests mixed with handlers
//! that loop, bomb memory and throw (tests/apps/soak.js), over keep-alive
//! connections. Checks: no wrong answer, every runaway answered 5xx (504
//! loop, 503 bomb (or 504 if its time runs out first), 500 throw), resident memory flat under
//! the load (no upward trend from its first quarter to its last) and bounded
//! (`VmRSS` of /proc/PID/status), no file descriptor leak (/proc/PID/fd),
//! both summed over the server's worker processes.
//!
//! Short by default (`make test`); `benches/soak.sh` runs the long one:
//! `JSPKG_SOAK_REQUESTS` (default 3000), `JSPKG_SOAK_CONCURRENCY`
//! (default 16). Prints a JSON summary line starting `soak: `.

mod common;

use common::{built_for, jspkg, repo_path};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve() -> Server {
    let app = built_for(&repo_path("tests/apps/soak.js"), "http");
    let mut child = jspkg()
        .arg("serve")
        .arg(&app)
        .args([
            "--addr",
            "127.0.0.1:0",
            "--timeout",
            "0.5",
            "--max-memory",
            "32",
        ])
        .args(["--max-instances", "64"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start jspkg serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("no `listening on` line: {line:?}"))
        .to_string();
    Server { child, addr }
}

/// The server's processes: `pid` and its workers (`jspkg serve --workers`).
fn server_pids(pid: u32) -> Vec<u32> {
    let mut pids = vec![pid];
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(p) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default();
        // After `(comm)`: the state, then the parent's pid.
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok());
        if ppid == Some(pid) {
            pids.push(p);
        }
    }
    pids
}

/// `field` of /proc/PID/status summed over the server's processes.
fn server_kib(pid: u32, field: &str) -> u64 {
    server_pids(pid)
        .into_iter()
        .map(|p| proc_status_kib(p, field))
        .sum()
}

/// Open file descriptors of the server's processes.
fn server_fds(pid: u32) -> usize {
    server_pids(pid).into_iter().map(fd_count).sum()
}

fn proc_status_kib(pid: u32, field: &str) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn fd_count(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|d| d.count())
        .unwrap_or(0)
}

/// One keep-alive HTTP/1.1 connection.
struct Conn {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Conn {
    fn open(addr: &str) -> Self {
        let s = TcpStream::connect(addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        s.set_nodelay(true).unwrap();
        Self {
            writer: s.try_clone().unwrap(),
            reader: BufReader::new(s),
        }
    }

    /// GET `target`: (status, body, whether the server closes the connection).
    fn get(&mut self, target: &str) -> std::io::Result<(u16, String, bool)> {
        write!(self.writer, "GET {target} HTTP/1.1\r\nhost: soak\r\n\r\n")?;
        let mut status_line = String::new();
        if self.reader.read_line(&mut status_line)? == 0 {
            return Err(std::io::Error::other("connection closed before the answer"));
        }
        let status: u16 = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("bad status line {status_line:?}")))?;
        let (mut len, mut chunked, mut close) = (None, false, false);
        loop {
            let mut h = String::new();
            self.reader.read_line(&mut h)?;
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            let (name, value) = h.split_once(':').unwrap_or((h, ""));
            let (name, value) = (name.to_ascii_lowercase(), value.trim().to_ascii_lowercase());
            match name.as_str() {
                "content-length" => len = value.parse::<usize>().ok(),
                "transfer-encoding" => chunked = value.contains("chunked"),
                "connection" => close = value == "close",
                _ => {}
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                let mut size = String::new();
                self.reader.read_line(&mut size)?;
                let n = usize::from_str_radix(size.trim().split(';').next().unwrap_or(""), 16)
                    .map_err(|_| std::io::Error::other("bad chunk size"))?;
                let mut chunk = vec![0; n + 2];
                self.reader.read_exact(&mut chunk)?;
                if n == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..n]);
            }
        } else if let Some(n) = len {
            body.resize(n, 0);
            self.reader.read_exact(&mut body)?;
        }
        Ok((status, String::from_utf8_lossy(&body).into_owned(), close))
    }
}

#[derive(Default)]
struct Tally {
    ok: AtomicU64,
    wrong: AtomicU64,
    runaway_5xx: AtomicU64,
    runaway_other: AtomicU64,
    reconnects: AtomicU64,
}

/// The request number `i`'s kind: 94% normal, 2% each loop, bomb, throw
/// (a fixed pattern, so every run sends the same mix).
fn target(i: u64) -> (String, Option<u16>) {
    match i % 50 {
        7 => ("/loop".into(), Some(504)),
        19 => ("/bomb".into(), Some(503)),
        33 => ("/throw".into(), Some(500)),
        _ => (format!("/n?k={i}"), None),
    }
}

fn load(
    addr: &str,
    from: u64,
    count: u64,
    concurrency: u64,
    tally: &Arc<Tally>,
    failures: &Arc<Mutex<Vec<String>>>,
) {
    let next = Arc::new(AtomicU64::new(from));
    let end = from + count;
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (addr, next, tally, failures) = (
                addr.to_string(),
                next.clone(),
                tally.clone(),
                failures.clone(),
            );
            std::thread::spawn(move || {
                let mut conn = Conn::open(&addr);
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= end {
                        break;
                    }
                    let (path, runaway) = target(i);
                    let (status, body, close) = match conn.get(&path) {
                        Ok(r) => r,
                        Err(e) => {
                            failures.lock().unwrap().push(format!("{path}: {e}"));
                            tally.reconnects.fetch_add(1, Ordering::Relaxed);
                            conn = Conn::open(&addr);
                            continue;
                        }
                    };
                    match runaway {
                        None if status == 200 && body == (3 * i + 1).to_string() => {
                            tally.ok.fetch_add(1, Ordering::Relaxed);
                        }
                        None => {
                            tally.wrong.fetch_add(1, Ordering::Relaxed);
                            failures
                                .lock()
                                .unwrap()
                                .push(format!("{path}: {status} {body:?}"));
                        }
                        // A bomb may run out of time before it runs out of
                        // memory on a loaded machine: 504 is a runaway's 5xx too.
                        Some(want) if status == want || (want == 503 && status == 504) => {
                            tally.runaway_5xx.fetch_add(1, Ordering::Relaxed);
                        }
                        Some(want) => {
                            tally.runaway_other.fetch_add(1, Ordering::Relaxed);
                            failures
                                .lock()
                                .unwrap()
                                .push(format!("{path}: {status} (want {want}) {body:?}"));
                        }
                    }
                    if close {
                        tally.reconnects.fetch_add(1, Ordering::Relaxed);
                        conn = Conn::open(&addr);
                    }
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
}

#[test]
fn serve_soak_mixed_load() {
    let requests = env_or("JSPKG_SOAK_REQUESTS", 3000);
    let concurrency = env_or("JSPKG_SOAK_CONCURRENCY", 16);
    let server = serve();
    let pid = server.child.id();
    let tally = Arc::new(Tally::default());
    let failures = Arc::new(Mutex::new(Vec::new()));

    // Warm-up: a tenth of the requests (at least 500), same mix.
    let warm = (requests / 10).max(500);
    load(&server.addr, 0, warm, concurrency, &tally, &failures);
    std::thread::sleep(Duration::from_millis(300));
    let fds_warm = server_fds(pid);
    let rss_warm = server_kib(pid, "VmRSS:");

    // RSS curve: sampled every 250 ms while the load runs.
    let stop = Arc::new(AtomicBool::new(false));
    let curve = Arc::new(Mutex::new(Vec::new()));
    let sampler = {
        let (stop, curve) = (stop.clone(), curve.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                curve.lock().unwrap().push(server_kib(pid, "VmRSS:"));
                std::thread::sleep(Duration::from_millis(250));
            }
        })
    };
    let started = Instant::now();
    load(&server.addr, warm, requests, concurrency, &tally, &failures);
    let elapsed = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    sampler.join().unwrap();
    // Every client connection is closed now: the server's fds come back.
    let mut fds_end = server_fds(pid);
    for _ in 0..40 {
        if fds_end <= fds_warm {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
        fds_end = server_fds(pid);
    }
    let rss_end = server_kib(pid, "VmRSS:");
    let curve = curve.lock().unwrap().clone();
    let rss_max = curve.iter().copied().max().unwrap_or(rss_end).max(rss_end);
    let hwm = server_kib(pid, "VmHWM:");
    let sent = warm + requests;
    let summary = serde_json::json!({
        "requests": sent,
        "measured_requests": requests,
        "concurrency": concurrency,
        "server_processes": server_pids(pid).len(),
        "seconds": elapsed.as_secs_f64(),
        "ok": tally.ok.load(Ordering::Relaxed),
        "wrong": tally.wrong.load(Ordering::Relaxed),
        "runaway_5xx": tally.runaway_5xx.load(Ordering::Relaxed),
        "runaway_other": tally.runaway_other.load(Ordering::Relaxed),
        "reconnects": tally.reconnects.load(Ordering::Relaxed),
        "rss_kib_after_warmup": rss_warm,
        "rss_kib_max": rss_max,
        "rss_kib_end": rss_end,
        "vm_hwm_kib": hwm,
        "fds_after_warmup": fds_warm,
        "fds_end": fds_end,
        "rss_curve_kib": curve,
    });
    println!("soak: {summary}");
    let failures = failures.lock().unwrap();
    assert!(
        failures.is_empty(),
        "{} bad answers, first ones: {:?}",
        failures.len(),
        &failures[..failures.len().min(10)]
    );
    assert_eq!(
        tally.ok.load(Ordering::Relaxed) + tally.runaway_5xx.load(Ordering::Relaxed),
        sent
    );
    // Flat: no upward trend under the load (the last quarter of the samples
    // no higher on average than the first quarter, give or take a tenth or
    // 16 MiB), and bounded. Under load resident memory sits above the
    // idle figure of the warm-up: the runaways' memory in flight, and each
    // pool slot an instance has used keeps its written pages after a reset
    // (the long run touches more slots than the warm-up does).
    let quarter = curve.len() / 4;
    if quarter > 0 {
        let mean = |s: &[u64]| s.iter().sum::<u64>() / s.len() as u64;
        let (first, last) = (
            mean(&curve[..quarter]),
            mean(&curve[curve.len() - quarter..]),
        );
        assert!(
            last <= first + (first / 10).max(16 * 1024),
            "resident memory trends up: {first} KiB on average over the first quarter of the \
             load, {last} KiB over the last: {summary}"
        );
    }
    assert!(
        rss_max <= 2 * rss_warm + 64 * 1024,
        "resident memory grew from {rss_warm} KiB after warm-up to {rss_max} KiB: {summary}"
    );
    assert!(
        fds_end <= fds_warm,
        "file descriptors: {fds_warm} after warm-up, {fds_end} at the end: {summary}"
    );
}
