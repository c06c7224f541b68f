//! jspkg's artifact format, with no WebAssembly runtime in it: split a
//! pre-initialized component or core module into a code-only engine and a
//! data-only app, compose them again, inspect any of them; the `jspkg`
//! metadata section and content digests. Kept apart from the packager,
//! which runs Wizer on wasmtime, so that the registry client and the fuzz
//! targets can use it cheaply.
//!
//! The byte-level format is specified in `FORMAT.md` at the repository root.

pub mod component;
pub mod compose;
pub mod data_module;
pub mod details;
pub mod digest;
pub mod error;
pub mod fsutil;
pub mod image;
pub mod inspect;
pub mod metadata;
pub mod snapshot;
pub mod source;
pub mod split;

pub use compose::{ExpandedData, PreparedEngine, compose, data_module};
pub use details::{AppEncoding, EngineShape};
pub use digest::Digest;
pub use error::{ComposeError, InspectError, SplitError};
pub use inspect::{Inspection, inspect};
pub use snapshot::SNAPSHOT_IMPORT;
pub use split::{Split, SplitOptions, split, validate};
