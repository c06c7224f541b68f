//! jspkg's packager: turns a JavaScript app into a pre-initialized
//! WebAssembly component (Wizer on wasmtime, then `wit-component`), and
//! rebuilds apps from their source record on a new engine.
//! Splitting, composing and inspecting live in `jspkg-artifact`.

pub mod build;
mod build_wasi;
pub mod engines;
pub mod rebuild;

pub use build::{
    BuildError, BuildOptions, Built, build_app, build_app_on, build_time_from_env, built_in_world,
    empty_app, empty_app_on, unsnapshotted_engine,
};
pub use engines::{RawEngine, RawEngineError, World};
pub use rebuild::{RebuildError, Rebuilt, rebuild, rebuild_with, reference};
