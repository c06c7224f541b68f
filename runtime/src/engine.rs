//! The wasmtime engine jspkg runs on, and the [`Runtime`] that owns it.

use crate::cache::CompileCache;
use crate::error::RuntimeError;
use crate::limits::{EPOCH_TICK, Limits};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

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
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        Self {
            cache_dir: None,
            limits: Limits::default(),
            max_instances: 100,
        }
    }
}

/// A wasmtime engine set up for jspkg apps, with its compile cache.
pub struct Runtime {
    pub(crate) engine: Engine,
    pub(crate) cache: CompileCache,
    pub(crate) limits: Limits,
    max_instances: u32,
    ticker: EpochTicker,
}

impl Runtime {
    /// Sets up wasmtime: pooling allocator, copy-on-write memory images,
    /// epoch interruption for the time limit.
    pub fn new(config: RuntimeConfig) -> Result<Self, RuntimeError> {
        let engine = Engine::new(&wasmtime_config(&config))
            .map_err(|e| RuntimeError::Setup(format!("{e:#}")))?;
        let cache = CompileCache::new(config.cache_dir.clone(), &engine);
        let ticker = EpochTicker::start(engine.clone());
        Ok(Self {
            engine,
            cache,
            limits: config.limits,
            max_instances: config.max_instances.max(1),
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
        self.ticker.stop();
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
        .max_memory_size(config.limits.max_memory_bytes as usize)
        // Keep some pages of each slot resident: reuse without a page fault.
        .linear_memory_keep_resident(64 << 10);

    let mut c = Config::new();
    c.allocation_strategy(InstanceAllocationStrategy::Pooling(pool))
        .memory_init_cow(true)
        .epoch_interruption(true)
        .wasm_backtrace_max_frames(std::num::NonZeroUsize::new(20))
        .cranelift_opt_level(wasmtime::OptLevel::Speed);
    c
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
