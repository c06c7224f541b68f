//! Errors of the runtime.

use std::path::PathBuf;

/// Why loading or running an app failed.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    /// wasmtime could not be configured.
    #[error("could not set up the WebAssembly engine: {0}")]
    Setup(String),
    /// The component or module could not be compiled.
    #[error("could not compile {what}: {message}")]
    Compile {
        /// What was being compiled (`the engine component`, ...).
        what: &'static str,
        /// wasmtime's message.
        message: String,
    },
    /// The artifacts could not be paired (wrong engine, not an app ...).
    #[error("{0}")]
    Artifact(String),
    /// The component does not have the shape this runtime runs.
    #[error("cannot link the app: {0}")]
    Link(String),
    /// The app is of another kind than the call needs (an HTTP handler
    /// given to `run_cli`, a command given to the HTTP server).
    #[error("this app is {kind}: {hint}")]
    WrongKind {
        /// What the app is.
        kind: crate::load::AppKind,
        /// What to do instead.
        hint: &'static str,
    },
    /// The app ran past its time limit and was stopped.
    #[error("the app ran longer than its time limit of {0:?} and was stopped")]
    Timeout(std::time::Duration),
    /// The app tried to grow its memory past the limit.
    #[error("the app needed more memory than its limit of {0} MiB and was stopped")]
    MemoryLimit(u64),
    /// The app trapped (a bug in the app or the engine).
    #[error("the app trapped: {0}")]
    Trap(String),
    /// A directory to grant an app (`--dir`) could not be opened.
    #[error("cannot grant the directory {host}: {message}")]
    Grant {
        /// The directory on the host.
        host: PathBuf,
        /// Why it could not be opened.
        message: String,
    },
    /// The compile cache could not be read or written.
    #[error("compile cache at {path}: {source}")]
    Cache {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}
