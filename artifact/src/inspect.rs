//! `inspect`: what a file is — pre-initialized input, engine, app or
//! composed artifact — with its digests, sizes, memory and globals.

use crate::component::{self, Top};
use crate::details::{self, AppDetails, EngineDetails, GlobalInfo, MemoryInfo};
use crate::error::InspectError;
use crate::metadata::{self, AppRef, EngineRef, Kind};
use crate::split::validate;
use crate::{Digest, data_module, snapshot};
use serde::Serialize;

/// What [`inspect`] finds.
#[derive(Debug, Clone, Serialize)]
pub struct Inspection {
    /// Artifact kind.
    pub kind: Kind,
    /// `component` or `core-module`.
    pub encoding: &'static str,
    /// `sha256:` digest of the file.
    pub digest: Digest,
    /// File size in bytes.
    pub size: u64,
    /// jspkg format version, if the file has jspkg metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<u32>,
    /// The engine it is or requires (name, version, digest).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engine: Option<EngineRef>,
    /// The app it holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app: Option<AppRef>,
    /// The memory: defined by the snapshot/data module, or imported by an engine.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<MemoryInfo>,
    /// Size of the memory image (initialized bytes from address 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_size: Option<u64>,
    /// How many bytes the image starts with that are zero and that the app
    /// does not store (compact apps, FORMAT.md §5).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_zero_prefix: Option<u64>,
    /// The snapshot's globals (with values where the file carries them).
    pub globals: Vec<GlobalInfo>,
    /// The source record (FORMAT.md §12): what `jspkg rebuild` re-snapshots.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<crate::source::SourceSummary>,
    /// Whether `jspkg rebuild` can snapshot this app again on a new engine
    /// (it carries a source record); absent for engines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rebuildable: Option<bool>,
    /// Kind-specific metadata details as stored.
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub details: serde_json::Map<String, serde_json::Value>,
}

/// Inspects a module or component.
pub fn inspect(bytes: &[u8]) -> Result<Inspection, InspectError> {
    validate(bytes).map_err(InspectError::Invalid)?;
    let meta = metadata::read(bytes)?;
    let is_component = wasmparser::Parser::is_component(bytes);
    let mut out = Inspection {
        kind: Kind::PreInitialized,
        encoding: if is_component {
            "component"
        } else {
            "core-module"
        },
        digest: Digest::of(bytes),
        size: bytes.len() as u64,
        format: meta.as_ref().map(|m| m.format),
        engine: meta.as_ref().map(|m| m.engine.clone()),
        app: meta.as_ref().and_then(|m| m.app.clone()),
        memory: None,
        image_size: None,
        image_zero_prefix: None,
        globals: Vec::new(),
        source: crate::source::summary(bytes)?,
        rebuildable: None,
        details: meta.as_ref().map(|m| m.details.clone()).unwrap_or_default(),
    };
    if let Some(m) = &meta {
        out.kind = m.kind;
    }
    if out.kind != Kind::Engine {
        out.rebuildable = Some(out.source.is_some());
    }
    match out.kind {
        Kind::Engine => {
            let d: EngineDetails = details::from_map(&out.details).map_err(|e| {
                InspectError::NotArtifact(format!("engine details are corrupt: {e}"))
            })?;
            out.memory = Some(d.memory);
            out.globals = d.globals;
        }
        Kind::App => {
            let d: AppDetails = details::from_map(&out.details)
                .map_err(|e| InspectError::NotArtifact(format!("app details are corrupt: {e}")))?;
            out.image_size = Some(d.image.size);
            out.image_zero_prefix = (d.zero_prefix > 0).then_some(d.zero_prefix);
            describe_state(bytes, &mut out, true)?;
        }
        Kind::Composed | Kind::PreInitialized => describe_state(bytes, &mut out, false)?,
    }
    Ok(out)
}

/// Fills memory, globals and image size from the module that defines the
/// memory (the data module of an app, of a composed component, or the
/// snapshot module of a pre-initialized input).
fn describe_state(bytes: &[u8], out: &mut Inspection, is_app: bool) -> Result<(), InspectError> {
    let modules: Vec<&[u8]> = if wasmparser::Parser::is_component(bytes) {
        component::top_level(bytes)
            .map_err(|e| InspectError::NotArtifact(e.to_string()))?
            .into_iter()
            .filter_map(|t| {
                if let Top::Module(r) = t {
                    Some(&bytes[r])
                } else {
                    None
                }
            })
            .filter(|m| component::defines_memory(m))
            .collect()
    } else {
        vec![bytes]
    };
    let [module] = modules[..] else {
        return Err(InspectError::NotArtifact(format!(
            "{} core modules define a memory; expected one",
            modules.len()
        )));
    };
    if let Ok(dm) = data_module::parse(module) {
        out.memory = Some(MemoryInfo::from(&dm.memory));
        out.globals = dm
            .globals
            .iter()
            .map(|g| details::global_info(g, true))
            .collect();
        if out.image_size.is_none() {
            out.image_size = Some(dm.image.len() as u64);
        }
        return Ok(());
    }
    if is_app {
        return Err(InspectError::NotArtifact(
            "the app's data module is malformed".into(),
        ));
    }
    match snapshot::split_module(module, 0, !wasmparser::Parser::is_component(bytes)) {
        Ok(s) => {
            out.memory = Some(MemoryInfo::from(&s.snapshot.memory));
            out.globals = s
                .snapshot
                .globals
                .iter()
                .map(|g| details::global_info(g, true))
                .collect();
            out.image_size = Some(s.snapshot.image.len() as u64);
            Ok(())
        }
        Err(e) if out.kind == Kind::PreInitialized => Err(InspectError::NotArtifact(e.to_string())),
        Err(_) => Ok(()),
    }
}
