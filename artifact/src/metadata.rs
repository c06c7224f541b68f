//! The `jspkg` metadata custom section carried by every component jspkg
//! writes: what kind of artifact it is, which engine it belongs to, which app
//! it holds. Its byte layout is specified in `FORMAT.md`.

use crate::Digest;
use serde::{Deserialize, Serialize};

/// Name of the component-level custom section holding [`Metadata`] as JSON.
pub const SECTION_NAME: &str = "jspkg";

/// Version of the artifact format described in `FORMAT.md`.
pub const FORMAT_VERSION: u32 = 1;

/// What a jspkg artifact is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A self-contained component holding engine code and app snapshot
    /// together, as `jspkg build` writes it.
    PreInitialized,
    /// A code-only engine component: imports its state as a core module.
    Engine,
    /// A data-only app component: one core module with memory and globals.
    App,
    /// An engine with an app's data module plugged in again.
    Composed,
}

/// Identifies an engine for people (name, version) and for machines
/// (digest of the engine component's bytes, when known).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineRef {
    /// Engine name, e.g. `jspkg-quickjs-cli`.
    pub name: String,
    /// Engine version (semver).
    pub version: semver::Version,
    /// `sha256:` digest of the engine component file. Absent in
    /// pre-initialized components (no engine component exists yet) and in
    /// the engine's own metadata (a file cannot name its own digest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<Digest>,
}

/// Identifies an app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppRef {
    /// App name, e.g. `hello`.
    pub name: String,
    /// App version (semver).
    pub version: semver::Version,
}

/// The contents of the `jspkg` custom section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// Format version, [`FORMAT_VERSION`] when written by this jspkg.
    pub format: u32,
    /// Artifact kind.
    pub kind: Kind,
    /// The engine this artifact is or belongs to.
    pub engine: EngineRef,
    /// The app, for every kind but `engine`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app: Option<AppRef>,
    /// Kind-specific details (the snapshot contract of an engine, the
    /// encoding of an app's memory image ...), specified in `FORMAT.md`.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub details: serde_json::Map<String, serde_json::Value>,
}

impl Metadata {
    /// Serializes to the section's bytes (compact JSON, fields in a fixed
    /// order, so equal metadata gives equal bytes).
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("metadata always serializes")
    }

    /// Parses the section's bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(bytes)
    }
}

/// Finds and parses the top-level `jspkg` custom section of a component or
/// module. Returns `Ok(None)` when there is none.
pub fn read(wasm: &[u8]) -> Result<Option<Metadata>, MetadataError> {
    let mut depth = 0usize;
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        match payload.map_err(MetadataError::Parse)? {
            wasmparser::Payload::ModuleSection { .. }
            | wasmparser::Payload::ComponentSection { .. } => depth += 1,
            wasmparser::Payload::End(_) => depth = depth.saturating_sub(1),
            wasmparser::Payload::CustomSection(c) if depth == 0 && c.name() == SECTION_NAME => {
                return Metadata::from_bytes(c.data())
                    .map(Some)
                    .map_err(MetadataError::Json);
            }
            _ => {}
        }
    }
    Ok(None)
}

/// Appends a `jspkg` custom section holding `meta` to a module or component
/// (custom sections may stand anywhere at the top level).
pub fn append(wasm: &mut Vec<u8>, meta: &Metadata) {
    use wasm_encoder::Encode;
    let section = wasm_encoder::CustomSection {
        name: SECTION_NAME.into(),
        data: meta.to_bytes().into(),
    };
    wasm.push(0); // custom section id
    section.encode(wasm);
}

/// A `jspkg` section that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum MetadataError {
    /// The input is not valid WebAssembly.
    #[error("not a valid WebAssembly file")]
    Parse(#[source] wasmparser::BinaryReaderError),
    /// The section holds JSON that is not jspkg metadata.
    #[error("the `jspkg` metadata section is corrupt")]
    Json(#[source] serde_json::Error),
}
