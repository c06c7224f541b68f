//! Per-instance resource limits.

use std::time::Duration;

/// Limits that every instance runs under.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most linear memory one instance may have, in bytes.
    pub max_memory_bytes: u64,
    /// Most wall-clock time one call may take; `None`: no time limit.
    ///
    /// A time limit is enforced by wasmtime's epoch interruption: the
    /// engine's compiled code checks the epoch at every loop back-edge,
    /// which QuickJS's interpreter takes once per opcode. Without a limit
    /// the runtime compiles the engine without those checks (JS runs ~15 %
    /// faster, BENCHMARKS.md "Engine throughput levers"), into its own
    /// entry of the compile cache. `jspkg serve` needs a limit; `jspkg run`,
    /// whose process makes one call, keeps its limit by ending the process
    /// and configures the runtime without one.
    pub timeout: Option<Duration>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_memory_bytes: 256 << 20,
            timeout: Some(Duration::from_secs(30)),
        }
    }
}

/// The granularity of the time limit: how often the epoch advances.
pub(crate) const EPOCH_TICK: Duration = Duration::from_millis(10);

impl Limits {
    /// `timeout` expressed in epoch ticks (at least one).
    pub(crate) fn epoch_ticks(timeout: Duration) -> u64 {
        (timeout.as_millis() / EPOCH_TICK.as_millis()).max(1) as u64
    }
}
