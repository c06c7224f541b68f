//! Errors of the registry client and the local store. Every message says
//! what went wrong and what to do; none contains a credential.

use std::path::PathBuf;

/// What publishing, pulling or the store can fail with.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// The reference does not parse.
    #[error(
        "`{reference}` is not a valid OCI reference ({reason}); write REGISTRY/NAMESPACE/NAME:TAG, e.g. 127.0.0.1:5000/acme/hello:1.0.0"
    )]
    BadReference {
        /// The reference as given.
        reference: String,
        /// Why it does not parse.
        reason: String,
    },
    /// The registry could not be reached at all.
    #[error(
        "cannot reach registry {registry}: {detail}; check the address and that the registry is running (plain HTTP is used only for loopback addresses and with --insecure)"
    )]
    Unreachable {
        /// Registry host[:port].
        registry: String,
        /// Transport error text.
        detail: String,
    },
    /// The registry refused the credentials, or asked for some and had none.
    #[error(
        "registry {registry} refused access ({source_desc}); log in with `docker login {registry}` or set JSPKG_REGISTRY_USERNAME and JSPKG_REGISTRY_PASSWORD"
    )]
    Unauthorized {
        /// Registry host[:port].
        registry: String,
        /// Where the credentials came from (never the credentials).
        source_desc: String,
    },
    /// The manifest or blob does not exist.
    #[error("{what} not found in registry {registry}; check the name and tag")]
    NotFound {
        /// Registry host[:port].
        registry: String,
        /// What was looked for.
        what: String,
    },
    /// The artifact is not a jspkg-readable Wasm OCI artifact.
    #[error("{reference} is not a Wasm OCI artifact jspkg can use: {detail}")]
    WrongMediaType {
        /// The reference pulled.
        reference: String,
        /// What is wrong with it.
        detail: String,
    },
    /// Downloaded (or stored) bytes do not hash to the digest they were asked by.
    #[error(
        "blob {expected} is corrupt or was tampered with: its content hashes to {actual}; nothing was stored. Pull again; if it persists the registry's copy is damaged: publish it again"
    )]
    Tampered {
        /// The digest asked for.
        expected: String,
        /// The digest of the bytes received.
        actual: String,
    },
    /// The connection broke (or the stream ended early) in the middle of a blob.
    #[error(
        "the download of {what} from registry {registry} broke off after {received} bytes ({detail}); nothing was stored: pull again"
    )]
    Interrupted {
        /// Registry host[:port].
        registry: String,
        /// The blob.
        what: String,
        /// Bytes received before the break.
        received: u64,
        /// The transport's error text.
        detail: String,
    },
    /// The input to publish is not something jspkg can publish.
    #[error("cannot publish {path}: {detail}")]
    BadInput {
        /// The input path.
        path: PathBuf,
        /// What is wrong.
        detail: String,
    },
    /// The engine named or pinned cannot be found, or conflicts.
    #[error("{0}")]
    Engine(String),
    /// Any other error the registry answered with.
    #[error("registry {registry} answered with an error during {operation}: {detail}")]
    Registry {
        /// Registry host[:port].
        registry: String,
        /// What jspkg was doing.
        operation: String,
        /// The registry's answer.
        detail: String,
    },
    /// A local file operation failed.
    #[error("{what} {}: {source}", path.display())]
    Io {
        /// What was being done.
        what: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl RegistryError {
    pub(crate) fn io(what: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            what,
            path: path.into(),
            source,
        }
    }
}

/// Result alias of this crate.
pub type Result<T, E = RegistryError> = std::result::Result<T, E>;
