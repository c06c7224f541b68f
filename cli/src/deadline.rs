//! `jspkg run`'s time limit, kept at the process boundary.
//!
//! A limit kept inside the process needs wasmtime's epoch interruption, and
//! the engine's compiled code then checks the epoch at every loop back-edge:
//! once per opcode of QuickJS's interpreter, 14 % of JS throughput
//! (BENCHMARKS.md, "No time limit"). A `jspkg run` process makes one call
//! and exits, so ending the process when the limit passes stops the app as
//! surely as a trap, and costs the app nothing while it runs: the runtime is
//! configured without a limit (the engine compiled without the checks, the
//! compile-cache entry of `--timeout 0`), and a watchdog thread ends the
//! process. `jspkg serve`, whose process outlives a request, keeps the
//! runtime's epoch limit.

use jspkg_runtime::RuntimeError;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// An armed time limit: when it passes before this is dropped, the process
/// prints the limit's error and exits with a failure code.
#[must_use = "the limit is disarmed when the Deadline is dropped"]
pub(crate) struct Deadline {
    _disarm: mpsc::Sender<()>,
}

/// Arms `limit` from now; `context` heads the error, as it heads the
/// run's other errors.
pub(crate) fn arm(limit: Duration, context: String) -> anyhow::Result<Deadline> {
    let (disarm, disarmed) = mpsc::channel::<()>();
    std::thread::Builder::new()
        .name("jspkg-deadline".into())
        .spawn(move || {
            // Dropping the Deadline drops the sender: `Disconnected`.
            if let Err(RecvTimeoutError::Timeout) = disarmed.recv_timeout(limit) {
                tracing::debug!(?limit, "time limit passed: ending the process");
                // The runtime's own time-limit error (`jspkg serve`'s),
                // printed as `main` prints a command's. `exit` flushes
                // Rust's stdout buffer: what the app wrote stays written.
                crate::report(&anyhow::Error::new(RuntimeError::Timeout(limit)).context(context));
                std::process::exit(1);
            }
        })
        .map_err(|e| anyhow::anyhow!("cannot start the time limit's watchdog thread: {e}"))?;
    Ok(Deadline { _disarm: disarm })
}
