//! jspkg's packager: turns a JavaScript app into a pre-initialized
//! WebAssembly component (Wizer on wasmtime, then `wit-component`).
//! Splitting, composing and inspecting live in `jspkg-artifact`.

pub mod build;
pub mod engines;

pub use build::{
    BuildError, BuildOptions, Built, build_app, build_time_from_env, built_in_world, empty_app,
    unsnapshotted_engine,
};
pub use engines::World;
