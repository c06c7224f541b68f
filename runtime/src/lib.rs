//! jspkg's runtime: runs jspkg apps on wasmtime.
//!
//! - The engine component is compiled once per (engine digest, wasmtime
//!   compatibility hash) and kept serialized on disk ([`cache`]).
//! - A split app's data-only module is given to the engine's core-module
//!   import at link time ([`load`]); one `InstancePre` per app.
//! - The pooling allocator and copy-on-write memory images make a fresh
//!   store and instance per call cheap ([`engine`]).
//! - Memory and time limits per instance turn a runaway app into a clear
//!   error while the host keeps going ([`limits`]).

pub mod cache;
pub mod cli_run;
pub mod engine;
pub mod error;
pub mod host;
pub mod limits;
pub mod load;

pub use cache::CacheOutcome;
pub use cli_run::{CliOutcome, CliStdio, LiveInstance};
pub use engine::{Runtime, RuntimeConfig};
pub use error::RuntimeError;
pub use limits::Limits;
pub use load::{Artifact, LoadedApp, LoadedEngine};
