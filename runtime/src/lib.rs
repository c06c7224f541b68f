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
//! - An app is a command (`wasi:cli/run`, [`cli_run`]) or an HTTP handler
//!   (`wasi:http/incoming-handler`, served by [`http_serve`]).
//! - Outgoing HTTP requests (`fetch`) go to the hosts a runtime allows
//!   only ([`outgoing`]).

pub mod cache;
pub mod cli_run;
pub mod engine;
pub mod error;
pub mod host;
pub mod http_serve;
pub mod limits;
pub mod load;
pub mod outgoing;

pub use cache::CacheOutcome;
pub use cli_run::{CliGrants, CliOutcome, CliStdio, DirGrant, LiveInstance};
pub use engine::{Runtime, RuntimeConfig, SlotReset};
pub use error::RuntimeError;
pub use http_serve::HttpServer;
pub use limits::Limits;
pub use load::{AppKind, Artifact, DataSteps, LoadedApp, LoadedEngine};
pub use outgoing::{AllowedHost, AllowedHostError, AllowedHosts};
