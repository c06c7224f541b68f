//! Errors of split, compose and inspect: each says what is wrong and what
//! to do about it.

use crate::Digest;
use crate::component::LayoutError;
use crate::data_module::DataModuleError;
use crate::image::ImageError;
use crate::metadata::MetadataError;
use crate::snapshot::SnapshotError;

/// Why an input cannot be split.
#[derive(Debug, thiserror::Error)]
pub enum SplitError {
    /// Not valid WebAssembly (truncated, corrupt, not wasm at all).
    #[error("the input is not a valid WebAssembly module or component: {0}")]
    Invalid(#[source] wasmparser::BinaryReaderError),
    /// A jspkg engine, app or composed artifact: nothing to split.
    #[error(
        "the input is already a jspkg {0} artifact; split the pre-initialized original instead"
    )]
    AlreadySplit(&'static str),
    /// A component whose layout split does not handle, or with no snapshot.
    #[error("cannot split this component: {0}")]
    Layout(#[from] LayoutError),
    /// A core module with no usable snapshot.
    #[error("cannot split this module: {0}")]
    Snapshot(#[from] SnapshotError),
    /// The `jspkg` section cannot be read.
    #[error(transparent)]
    Metadata(#[from] MetadataError),
    /// The given engine (or reference input) has other code than the input.
    #[error(
        "the input was not built on the given {what}: its engine code digest is {input} but the {what}'s is {given}; split it against the engine it was built with"
    )]
    EngineMismatch {
        /// `engine` or `reference input`.
        what: &'static str,
        /// Code digest of the input.
        input: Digest,
        /// Code digest of the engine given.
        given: Digest,
    },
    /// The engine given to split against is not a jspkg engine.
    #[error("the engine given is not usable: {0}")]
    BadEngine(String),
}

/// Why an engine and an app cannot be composed (or the app's data module
/// cannot be produced).
#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    /// The app pins another engine.
    #[error(
        "the app was split from engine {pinned} but the engine given is {given}; give it the engine whose digest is {pinned} (`jspkg pull` of the app fetches that engine with it)"
    )]
    EngineMismatch {
        /// Digest the app pins.
        pinned: Digest,
        /// Digest of the engine given.
        given: Digest,
    },
    /// The file given as engine is not a jspkg engine.
    #[error("the engine file is not a jspkg engine: {0}")]
    NotEngine(String),
    /// The file given as app is not a jspkg app.
    #[error("the app file is not a jspkg app: {0}")]
    NotApp(String),
    /// Not valid WebAssembly.
    #[error("the {what} file is not valid WebAssembly: {source}")]
    Invalid {
        /// `engine` or `app`.
        what: &'static str,
        /// Why.
        #[source]
        source: wasmparser::BinaryReaderError,
    },
    /// The compact image cannot be expanded.
    #[error("the app's memory image cannot be expanded: {0}")]
    Image(#[from] ImageError),
    /// The app's data module is malformed.
    #[error(transparent)]
    DataModule(#[from] DataModuleError),
    /// The expanded data does not hash to what the app records.
    #[error(
        "the app's {what} hashes to {actual} but the app records {expected}: the file is corrupt"
    )]
    DigestMismatch {
        /// What was checked.
        what: &'static str,
        /// Recorded.
        expected: Digest,
        /// Computed.
        actual: Digest,
    },
    /// The engine's layout is not what split writes.
    #[error("the engine component cannot be composed: {0}")]
    Layout(#[from] LayoutError),
    /// The engine's core module cannot be merged.
    #[error("the engine module cannot be composed: {0}")]
    Snapshot(#[from] SnapshotError),
    /// The app's data does not fit the engine's snapshot contract.
    #[error("the app's data module does not fit the engine's snapshot contract: {0}")]
    Contract(String),
    /// jspkg produced an invalid output: a bug.
    #[error("internal error: the composed output does not validate ({0}); please report this")]
    InvalidOutput(#[source] wasmparser::BinaryReaderError),
}

/// Why a file cannot be inspected.
#[derive(Debug, thiserror::Error)]
pub enum InspectError {
    /// Not valid WebAssembly.
    #[error("not a valid WebAssembly module or component: {0}")]
    Invalid(#[source] wasmparser::BinaryReaderError),
    /// The `jspkg` section cannot be read.
    #[error(transparent)]
    Metadata(#[from] MetadataError),
    /// Neither a jspkg artifact nor a pre-initialized input.
    #[error("not a jspkg artifact and no snapshot found: {0}")]
    NotArtifact(String),
    /// The source record (`jspkg-source`) cannot be read.
    #[error(transparent)]
    Source(#[from] crate::source::SourceError),
}
