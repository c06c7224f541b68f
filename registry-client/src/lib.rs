//! jspkg's registry client: publish engines and apps to any OCI registry as
//! CNCF Wasm OCI artifacts, pull them into a local content-addressed store.
//!
//! - [`publish`]: an app (from `jspkg split`) is one artifact whose manifest
//!   names its engine by digest; the engine is its own artifact at
//!   `REGISTRY/NS/engines/NAME:VERSION`, pushed only when missing.
//! - [`pull`] / [`pull_blocking`]: resolve a reference to verified files in
//!   a [`Store`] (what `jspkg run REF` uses).
//!
//! The registry layout is specified in `FORMAT.md` ("Registry layout").

pub mod auth;
mod client;
pub mod error;
pub mod layout;
pub mod namespace;
mod publish;
mod pull;
pub mod store;

pub use auth::Credentials;
pub use client::{ClientOptions, parse_reference};
pub use error::{RegistryError, Result};
pub use publish::{
    EngineReq, EngineStatus, PublishOptions, PublishReport, engine_repository, publish, version_tag,
};
pub use pull::{PullOptions, Pulled, PulledEngine, pull, pull_blocking};
pub use store::{BlobWriter, Store};
