//! Per-instance resource limits.

use std::time::Duration;

/// Limits that every instance runs under.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most linear memory one instance may have, in bytes.
    pub max_memory_bytes: u64,
    /// Most wall-clock time one call may take.
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_memory_bytes: 256 << 20,
            timeout: Duration::from_secs(30),
        }
    }
}

/// The granularity of the time limit: how often the epoch advances.
pub(crate) const EPOCH_TICK: Duration = Duration::from_millis(10);

impl Limits {
    /// The timeout expressed in epoch ticks (at least one).
    pub(crate) fn epoch_ticks(&self) -> u64 {
        (self.timeout.as_millis() / EPOCH_TICK.as_millis()).max(1) as u64
    }
}
