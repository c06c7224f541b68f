//! The registry layout: CNCF Wasm OCI artifacts (one `application/wasm`
//! layer, config `application/vnd.wasm.config.v0+json`), plus jspkg's
//! manifest annotations linking an app to its engine. Specified in
//! `FORMAT.md`, section "Registry layout".

use crate::error::{RegistryError, Result};
use jspkg_artifact::Digest;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// OCI image manifest media type.
pub const MANIFEST_MEDIA_TYPE: &str = "application/vnd.oci.image.manifest.v1+json";
/// Wasm OCI artifact config media type.
pub const CONFIG_MEDIA_TYPE: &str = "application/vnd.wasm.config.v0+json";
/// Wasm OCI artifact layer media type.
pub const LAYER_MEDIA_TYPE: &str = "application/wasm";
/// Standard annotation naming a layer's file (used by `oras pull`).
pub const ANN_TITLE: &str = "org.opencontainers.image.title";
/// Standard annotation: the artifact's version.
pub const ANN_VERSION: &str = "org.opencontainers.image.version";
/// jspkg annotation: what the artifact is (`engine`, `app`, `pre-initialized`, `composed`).
pub const ANN_KIND: &str = "dev.jspkg.kind";
/// jspkg annotation on an app: digest of its engine component (= the
/// engine artifact's layer digest), the app's pin.
pub const ANN_ENGINE_DIGEST: &str = "dev.jspkg.engine.digest";
/// jspkg annotation on an app: repository (same registry) holding the engine.
pub const ANN_ENGINE_REPOSITORY: &str = "dev.jspkg.engine.repository";
/// jspkg annotation: engine name.
pub const ANN_ENGINE_NAME: &str = "dev.jspkg.engine.name";
/// jspkg annotation: engine version.
pub const ANN_ENGINE_VERSION: &str = "dev.jspkg.engine.version";

/// jspkg annotation on an app made by `jspkg rebuild`: the manifest digest
/// (same repository) of the app it was rebuilt from.
pub const ANN_REBUILT_FROM: &str = "dev.jspkg.rebuilt-from";

/// An OCI content descriptor.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    /// Media type of the referenced content.
    pub media_type: String,
    /// `sha256:` digest.
    pub digest: String,
    /// Size in bytes.
    pub size: u64,
    /// Annotations.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// An OCI image manifest (the fields jspkg writes and reads).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// Always 2.
    pub schema_version: u32,
    /// [`MANIFEST_MEDIA_TYPE`].
    #[serde(default)]
    pub media_type: Option<String>,
    /// The config blob.
    pub config: Descriptor,
    /// The layers; exactly one for a Wasm artifact.
    pub layers: Vec<Descriptor>,
    /// Manifest annotations.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
}

/// The Wasm OCI artifact config.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WasmConfig {
    /// RFC 3339 creation time.
    pub created: String,
    /// Always `wasm`.
    pub architecture: String,
    /// `wasip2` for components.
    pub os: String,
    /// Digests of the layers.
    pub layer_digests: Vec<String>,
    /// The component's top-level imports and exports.
    pub component: ComponentWorld,
}

/// A component's top-level import and export names.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ComponentWorld {
    /// Export names.
    pub exports: Vec<String>,
    /// Import names.
    pub imports: Vec<String>,
}

/// The top-level import and export names of a component.
pub fn component_world(wasm: &[u8]) -> std::result::Result<ComponentWorld, String> {
    let mut world = ComponentWorld::default();
    let mut depth = 0usize;
    let mut is_component = false;
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        match payload.map_err(|e| e.to_string())? {
            wasmparser::Payload::Version { encoding, .. } if depth == 0 => {
                is_component = encoding == wasmparser::Encoding::Component;
                if !is_component {
                    return Err("a core module, not a component".into());
                }
            }
            wasmparser::Payload::ModuleSection { .. }
            | wasmparser::Payload::ComponentSection { .. } => depth += 1,
            wasmparser::Payload::End(_) => depth = depth.saturating_sub(1),
            wasmparser::Payload::ComponentImportSection(r) if depth == 0 => {
                for i in r {
                    world
                        .imports
                        .push(i.map_err(|e| e.to_string())?.name.name.to_string());
                }
            }
            wasmparser::Payload::ComponentExportSection(r) if depth == 0 => {
                for e in r {
                    world
                        .exports
                        .push(e.map_err(|e| e.to_string())?.name.name.to_string());
                }
            }
            _ => {}
        }
    }
    if !is_component {
        return Err("not a WebAssembly component".into());
    }
    Ok(world)
}

/// The creation time written in configs: `SOURCE_DATE_EPOCH` when set (for
/// reproducible manifests), else now.
pub(crate) fn created_now() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0)
        });
    rfc3339(secs)
}

fn rfc3339(secs: u64) -> String {
    chrono::DateTime::from_timestamp(i64::try_from(secs).unwrap_or(i64::MAX), 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A built artifact ready to push: config bytes, layer bytes, manifest bytes.
#[derive(Debug, Clone)]
pub struct BuiltArtifact {
    /// The config blob.
    pub config: Vec<u8>,
    /// The single layer (the component).
    pub layer: bytes::Bytes,
    /// The manifest.
    pub manifest: Vec<u8>,
    /// Digest of the layer.
    pub layer_digest: Digest,
    /// Digest of the config.
    pub config_digest: Digest,
    /// Digest of the manifest.
    pub manifest_digest: Digest,
}

/// Builds the Wasm OCI artifact for one component.
pub fn build_artifact(
    component: bytes::Bytes,
    title: &str,
    annotations: BTreeMap<String, String>,
) -> std::result::Result<BuiltArtifact, String> {
    let world = component_world(&component)?;
    let layer_digest = Digest::of(&component);
    let config = WasmConfig {
        created: created_now(),
        architecture: "wasm".into(),
        os: "wasip2".into(),
        layer_digests: vec![layer_digest.to_string()],
        component: world,
    };
    let config = serde_json::to_vec(&config).expect("config serializes");
    let config_digest = Digest::of(&config);
    let manifest = Manifest {
        schema_version: 2,
        media_type: Some(MANIFEST_MEDIA_TYPE.into()),
        config: Descriptor {
            media_type: CONFIG_MEDIA_TYPE.into(),
            digest: config_digest.to_string(),
            size: config.len() as u64,
            annotations: BTreeMap::new(),
        },
        layers: vec![Descriptor {
            media_type: LAYER_MEDIA_TYPE.into(),
            digest: layer_digest.to_string(),
            size: component.len() as u64,
            annotations: BTreeMap::from([(ANN_TITLE.to_string(), title.to_string())]),
        }],
        annotations,
    };
    let manifest = serde_json::to_vec(&manifest).expect("manifest serializes");
    let manifest_digest = Digest::of(&manifest);
    Ok(BuiltArtifact {
        config,
        layer: component,
        manifest,
        layer_digest,
        config_digest,
        manifest_digest,
    })
}

/// Parses and checks a pulled manifest: an OCI image manifest with the Wasm
/// config media type and exactly one `application/wasm` layer.
pub fn parse_manifest(reference: &str, bytes: &[u8]) -> Result<Manifest> {
    let wrong = |detail: String| RegistryError::WrongMediaType {
        reference: reference.to_string(),
        detail,
    };
    let m: Manifest = serde_json::from_slice(bytes)
        .map_err(|e| wrong(format!("its manifest is not an OCI image manifest ({e})")))?;
    if let Some(mt) = &m.media_type
        && mt != MANIFEST_MEDIA_TYPE
    {
        return Err(wrong(format!(
            "manifest media type is `{mt}`, expected `{MANIFEST_MEDIA_TYPE}`"
        )));
    }
    if m.config.media_type != CONFIG_MEDIA_TYPE {
        return Err(wrong(format!(
            "config media type is `{}`, expected `{CONFIG_MEDIA_TYPE}` (is this a container image?)",
            m.config.media_type
        )));
    }
    if m.layers.len() != 1 {
        return Err(wrong(format!(
            "it has {} layers; a Wasm artifact has exactly one",
            m.layers.len()
        )));
    }
    if m.layers[0].media_type != LAYER_MEDIA_TYPE {
        return Err(wrong(format!(
            "layer media type is `{}`, expected `{LAYER_MEDIA_TYPE}`",
            m.layers[0].media_type
        )));
    }
    Ok(m)
}

/// Parses a `sha256:` digest found in a manifest.
pub(crate) fn parse_digest(reference: &str, s: &str) -> Result<Digest> {
    s.parse().map_err(|e| RegistryError::WrongMediaType {
        reference: reference.to_string(),
        detail: format!("{e}"),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc3339_known_dates() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
    }
}
