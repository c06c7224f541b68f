//! jspkg's artifact format, with no WebAssembly runtime in it: the `jspkg`
//! metadata section and content digests. Kept apart from the packager, which
//! runs Wizer on wasmtime, so that the registry client and the fuzz targets
//! can use it cheaply.

pub mod digest;
pub mod fsutil;
pub mod metadata;

pub use digest::Digest;
