//! `jspkg serve`'s worker processes.
//!
//! The first process loads the apps (pulling references, filling the compile
//! cache), listens, and starts the others: the same executable, told by
//! [`WORKER_ENV`] to listen on the same address. Every worker binds its own
//! socket with `SO_REUSEPORT`, so the kernel spreads connections over them,
//! and runs on one thread.
//!
//! Why processes and not threads: a fresh instance per request faults pages
//! of its copy-on-write memory image in, and wasmtime resets a slot by
//! decommitting what it does not copy back. In one multi-threaded process
//! every such page-table change must be flushed from the TLB of every core
//! the address space runs on (an inter-processor interrupt, a hypervisor
//! exit in a VM): BENCHMARKS.md measured 52 % of the server's time there
//! with two worker threads. A single-threaded process flushes its own core
//! only.
//!
//! A worker stops when it gets SIGINT or SIGTERM, or when its standard input
//! (a pipe from the first process) closes: the first process closes the
//! pipes when it stops, and the kernel closes them if it dies.

use anyhow::{Context, anyhow};
use std::ffi::OsString;
use std::io::Read as _;
use std::net::SocketAddr;
use std::process::{ChildStdin, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::net::{TcpListener, TcpSocket};

/// The most workers `--workers` takes.
pub const MAX_WORKERS: u32 = 256;

/// Set in a worker's environment: the address the first process listens on.
const WORKER_ENV: &str = "JSPKG_SERVE_WORKER_OF";

/// The default number of workers: one per core this process may run on
/// (one where ports cannot be shared).
pub fn default_count() -> u32 {
    if cfg!(unix) {
        std::thread::available_parallelism()
            .map_or(1, |n| u32::try_from(n.get()).unwrap_or(MAX_WORKERS))
            .min(MAX_WORKERS)
    } else {
        1
    }
}

/// In a worker: the address its first process listens on. `None` in the
/// first process.
pub fn parent_address() -> anyhow::Result<Option<SocketAddr>> {
    match std::env::var(WORKER_ENV) {
        Ok(addr) => addr
            .parse()
            .map(Some)
            .with_context(|| format!("{WORKER_ENV}={addr} is not a socket address")),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(e) => Err(anyhow!("{WORKER_ENV}: {e}")),
    }
}

/// Listens on `addr` (`HOST:PORT`, the first of its addresses that can be
/// bound); `shared`: with `SO_REUSEPORT`, so that other workers can too.
pub async fn listen_on(addr: &str, shared: bool) -> anyhow::Result<TcpListener> {
    let context = || format!("cannot listen on {addr}");
    let mut last = None;
    for a in tokio::net::lookup_host(addr).await.with_context(context)? {
        match first_listen(a, shared) {
            Ok(l) => return Ok(l),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| anyhow!("it names no address"))).with_context(context)
}

/// The first worker's socket. Shared, it is bound once without
/// `SO_REUSEPORT` first: that fails if anything listens on the port, even
/// another `jspkg serve` (whose workers would otherwise silently take a
/// share of this server's connections), and picks the port for port 0.
fn first_listen(addr: SocketAddr, shared: bool) -> anyhow::Result<TcpListener> {
    if !shared {
        return listen(addr, false);
    }
    let probe =
        std::net::TcpListener::bind(addr).with_context(|| format!("cannot listen on {addr}"))?;
    let addr = probe.local_addr()?;
    drop(probe);
    listen(addr, true)
}

/// Listens on `addr`; `shared`: with `SO_REUSEPORT`.
pub fn listen(addr: SocketAddr, shared: bool) -> anyhow::Result<TcpListener> {
    let bind = || -> std::io::Result<TcpListener> {
        let socket = if addr.is_ipv4() {
            TcpSocket::new_v4()
        } else {
            TcpSocket::new_v6()
        }?;
        // As `TcpListener::bind` does: a restarted server can take its port
        // again while old connections linger in TIME_WAIT.
        socket.set_reuseaddr(true)?;
        #[cfg(unix)]
        if shared {
            socket.set_reuseport(true)?;
        }
        socket.bind(addr)?;
        socket.listen(1024)
    };
    #[cfg(not(unix))]
    anyhow::ensure!(!shared, "more than one worker needs SO_REUSEPORT (unix)");
    bind().with_context(|| format!("cannot listen on {addr}"))
}

/// The other workers, once started.
#[derive(Default)]
pub struct Workers {
    /// One thread per worker, waiting for it to exit.
    waiting: Vec<std::thread::JoinHandle<()>>,
}

/// The pipes to the other workers' standard input: closing them stops them.
#[derive(Default)]
pub struct Pipes {
    pipes: Vec<ChildStdin>,
    stopping: Arc<AtomicBool>,
}

impl Workers {
    /// Starts `count` more workers of this executable with `args`, listening
    /// on `addr`. A worker that fails later (it cannot bind, or load an
    /// app) logs why and exits; the others serve on.
    pub fn start(
        count: u32,
        addr: SocketAddr,
        args: &[OsString],
    ) -> anyhow::Result<(Workers, Pipes)> {
        let mut workers = Workers::default();
        let mut pipes = Pipes::default();
        if count == 0 {
            return Ok((workers, pipes));
        }
        let exe = std::env::current_exe()
            .context("cannot find jspkg's own executable to start the other workers")?;
        for n in 1..=count {
            let mut child = Command::new(&exe)
                .args(args)
                .env(WORKER_ENV, addr.to_string())
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::inherit())
                .spawn()
                .with_context(|| format!("cannot start worker {n} ({})", exe.display()))?;
            pipes
                .pipes
                .push(child.stdin.take().context("a worker without its pipe")?);
            let stopping = pipes.stopping.clone();
            let pid = child.id();
            let waiting = std::thread::Builder::new()
                .name(format!("jspkg-worker-{n}"))
                .spawn(move || match child.wait() {
                    Ok(status) if status.success() || stopping.load(Ordering::SeqCst) => {
                        tracing::debug!("worker {n} (pid {pid}) stopped: {status}");
                    }
                    Ok(status) => {
                        tracing::warn!(
                            "worker {n} (pid {pid}) exited ({status}); the others serve on"
                        )
                    }
                    Err(e) => tracing::warn!("cannot wait for worker {n} (pid {pid}): {e}"),
                })
                .context("cannot start a thread to watch a worker")?;
            workers.waiting.push(waiting);
        }
        tracing::debug!("started {count} more workers for {addr}");
        Ok((workers, pipes))
    }

    /// Waits until every other worker has exited (each finishes its
    /// requests in flight first).
    pub fn wait(self) {
        for w in self.waiting {
            let _ = w.join();
        }
    }
}

impl Pipes {
    /// Tells the other workers to stop (they finish their requests first).
    pub fn close(self) {
        self.stopping.store(true, Ordering::SeqCst);
        drop(self.pipes);
    }
}

/// In a worker: resolves on `signal`, or when the first process is gone
/// (its pipe on standard input closes).
pub async fn parent_gone_or(signal: impl Future<Output = ()>) {
    let (gone_tx, gone_rx) = tokio::sync::oneshot::channel::<()>();
    let watching = std::thread::Builder::new()
        .name("jspkg-parent-watch".into())
        .spawn(move || {
            let mut stdin = std::io::stdin().lock();
            let mut sink = [0u8; 64];
            loop {
                match stdin.read(&mut sink) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
            let _ = gone_tx.send(());
        });
    if let Err(e) = watching {
        tracing::warn!("cannot watch the first server process: {e}");
        return signal.await;
    }
    tokio::select! {
        () = signal => {}
        _ = gone_rx => tracing::debug!("the first server process is stopping or gone: stopping"),
    }
}
