//! jspkg's packager: turns a JavaScript app into a pre-initialized
//! WebAssembly component (Wizer on wasmtime, then `wit-component`).
//! Splitting, composing and inspecting live in `jspkg-artifact`.

pub mod build;
pub mod engines;

pub use build::{BuildError, BuildOptions, Built, build_app};
pub use engines::World;
