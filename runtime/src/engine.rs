//! The wasmtime engine jspkg runs on, and the [`Runtime`] that owns it.

use crate::cache::CompileCache;
use crate::error::RuntimeError;
use crate::limits::{EPOCH_TICK, Limits};
use crate::outgoing::AllowedHosts;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use wasmtime::{Config, Enabled, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

/// How to set up a [`Runtime`].
#[derive(Debug, Clone)]
pub struct RuntimeConfig {
    /// Where compiled engines are cached (`$JSPKG_HOME/compiled`); `None`
    /// compiles every time.
    pub cache_dir: Option<PathBuf>,
    /// Limits for every instance.
    pub limits: Limits,
    /// Most instances alive at once (the pooling allocator's slots).
    pub max_instances: u32,
    /// How a slot is made ready for the next instance.
    pub slot_reset: SlotReset,
    /// Write `/tmp/perf-PID.map` so that `perf report` names the guest's
    /// functions (wasmtime's `PerfMap` profiler; `benches/profile.sh`).
    pub perf_map: bool,
    /// The hosts apps may send HTTP requests to (`fetch`); none by default.
    pub allowed_hosts: AllowedHosts,
    /// Let Cranelift inline small wasm functions into their callers
    /// (wasmtime's `compiler_inlining`), within the engine's module too.
    /// Off by default: no faster on the throughput kernels, where LLVM has
    /// inlined what wasmtime would (BENCHMARKS.md, "A time limit that
    /// costs `jspkg run` nothing"); kept for `jspkg-bench --wasmtime-levers`.
    pub cranelift_inlining: bool,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        Self {
            cache_dir: None,
            limits: Limits::default(),
            max_instances: 100,
            slot_reset: SlotReset::default(),
            perf_map: false,
            allowed_hosts: AllowedHosts::default(),
            cranelift_inlining: false,
        }
    }
}

/// How the pooling allocator makes a slot's linear memory ready for the
/// next instance. Either way the next instance sees only the snapshot.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SlotReset {
    /// Copy the snapshot's bytes back into the pages the instance wrote and
    /// keep them resident, so that the next instance in the slot writes them
    /// without a page fault (Linux 6.7+; elsewhere as [`SlotReset::Drop`]).
    /// An idle slot keeps at most 1 MiB so, until it is used again.
    #[default]
    InPlace,
    /// Drop the written pages (`madvise`), wasmtime's default: the next
    /// instance faults each page it writes in again. Kept for comparison
    /// (`jspkg-bench`).
    Drop,
}

/// A wasmtime engine set up for jspkg apps, with its compile cache.
pub struct Runtime {
    pub(crate) engine: Engine,
    pub(crate) cache: CompileCache,
    pub(crate) limits: Limits,
    max_instances: u32,
    pub(crate) allowed_hosts: AllowedHosts,
    /// Advances the epoch when calls have a time limit.
    ticker: Option<EpochTicker>,
}

impl Runtime {
    /// Sets up wasmtime: pooling allocator, copy-on-write memory images,
    /// epoch interruption for the time limit (none without one).
    pub fn new(config: RuntimeConfig) -> Result<Self, RuntimeError> {
        let engine = Engine::new(&wasmtime_config(&config))
            .map_err(|e| RuntimeError::Setup(format!("{e:#}")))?;
        let cache = CompileCache::new(config.cache_dir.clone(), &engine);
        let ticker = config
            .limits
            .timeout
            .is_some()
            .then(|| EpochTicker::start(engine.clone()));
        Ok(Self {
            engine,
            cache,
            limits: config.limits,
            max_instances: config.max_instances.max(1),
            allowed_hosts: config.allowed_hosts,
            ticker,
        })
    }

    /// The underlying wasmtime engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The limits every instance runs under.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Most instances alive at once (the pooling allocator's slots).
    pub fn max_instances(&self) -> u32 {
        self.max_instances
    }

    /// The compile cache.
    pub fn cache(&self) -> &CompileCache {
        &self.cache
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(ticker) = &mut self.ticker {
            ticker.stop();
        }
    }
}

fn wasmtime_config(config: &RuntimeConfig) -> Config {
    let mut pool = PoolingAllocationConfig::new();
    let instances = config.max_instances.max(1);
    // A jspkg component has a handful of core instances (engine, adapter,
    // shims, the snapshot module) and memories (engine's, adapter's).
    pool.total_component_instances(instances)
        .total_core_instances(instances * 16)
        .total_memories(instances * 4)
        .total_tables(instances * 8)
        .total_stacks(instances)
        .max_core_instances_per_component(32)
        .max_memories_per_component(8)
        .max_tables_per_component(16)
        .max_memory_size(config.limits.max_memory_bytes as usize);
    let in_place = config.slot_reset == SlotReset::InPlace
        && PoolingAllocationConfig::is_pagemap_scan_available();
    if in_place {
        keep_written_pages_resident(&mut pool);
    } else {
        // Drop what was written, but keep the lowest pages resident.
        pool.linear_memory_keep_resident(64 << 10);
    }

    let mut c = Config::new();
    c.allocation_strategy(InstanceAllocationStrategy::Pooling(pool))
        .memory_init_cow(true)
        // Compiled code checks the epoch only when calls have a time limit
        // (see `Limits::timeout`); wasmtime's compatibility hash, part of
        // the compile cache's keys, tells the two builds apart.
        .epoch_interruption(config.limits.timeout.is_some())
        .wasm_backtrace_max_frames(std::num::NonZeroUsize::new(20))
        .cranelift_opt_level(wasmtime::OptLevel::Speed)
        .compiler_inlining(if config.cranelift_inlining {
            wasmtime::Inlining::Yes
        } else {
            wasmtime::Inlining::No
        });
    if config.perf_map {
        c.profiler(wasmtime::ProfilingStrategy::PerfMap);
    }
    c
}

/// How many bytes of a slot's linear memory (and of a table) a reset may
/// copy back from the snapshot instead of dropping them: well above what one
/// call writes (an HTTP request to examples/http/hello.js writes ~99 pages,
/// ~400 KiB), far below a memory bomb (the pages beyond are dropped as
/// before). It bounds what an idle slot keeps resident: the pool has
/// `4 × max_instances` memory slots, so at most 400 MiB by default, and in
/// practice what the busiest moment's instances wrote.
const RESIDENT_RESET_BYTES: usize = 1 << 20;

/// [`SlotReset::InPlace`]: lets a pooled slot keep the pages an instance
/// wrote, reset in place.
///
/// An instance's writes into its copy-on-write snapshot each take a page
/// fault (~99 pages per HTTP request to examples/http/hello.js; 2–3 µs each
/// on these 2-core VMs, about half of a request's time: BENCHMARKS.md). By
/// default a reset `madvise`s those pages away, so the next instance in the
/// slot faults on every one of them again. With Linux's `PAGEMAP_SCAN`
/// (6.7+) wasmtime finds exactly the pages that were written and copies the
/// snapshot's bytes back into them: the next instance finds them resident
/// and writable, and still sees nothing of the previous one
/// (`cli/tests/serve.rs` checks isolation, with 256 pages written per
/// request). Since wasmtime 50.0.2 the scan goes on past 32 runs of written
/// pages (48.0.8 stopped there and dropped the rest, ~60 faults per HTTP
/// request; BENCHMARKS.md), so a request's pages stay warm however they
/// lie in the heap. wasmtime gives an instance the slot its module used last
/// whenever one is free, so a busy app keeps its pages warm; several apps do
/// not take each other's slots while fewer than `max_unused_warm_slots`
/// (100) are idle. Without the ioctl, keeping bytes resident would mean
/// copying back the whole low region on every reset, slower than the
/// faults: then only the lowest 64 KiB are kept, as with
/// [`SlotReset::Drop`]. Call it only where the ioctl is available.
fn keep_written_pages_resident(pool: &mut PoolingAllocationConfig) {
    pool.pagemap_scan(Enabled::Yes)
        .linear_memory_keep_resident(RESIDENT_RESET_BYTES)
        .table_keep_resident(RESIDENT_RESET_BYTES);
}

/// Advances the engine's epoch every [`EPOCH_TICK`] on a background thread,
/// so that a store's epoch deadline works as a time limit.
struct EpochTicker {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl EpochTicker {
    fn start(engine: Engine) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("jspkg-epoch".into())
            .spawn(move || {
                while !flag.load(Ordering::Relaxed) {
                    std::thread::sleep(EPOCH_TICK);
                    engine.increment_epoch();
                }
            })
            .expect("spawning the epoch thread");
        Self {
            stop,
            thread: Some(thread),
        }
    }

    fn stop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
