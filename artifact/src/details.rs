//! The kind-specific `details` of the `jspkg` metadata section, typed.
//! Specified in `FORMAT.md`.

use crate::Digest;
use serde::{Deserialize, Serialize};

/// Name of the engine's custom section holding its reference image
/// (zstd-compressed, no dictionary).
pub const REFERENCE_SECTION: &str = "jspkg-reference";

/// Name of a compact app's custom section holding its memory image
/// (zstd, with the engine's reference image as prefix).
pub const IMAGE_SECTION: &str = "jspkg-image";

/// How an engine is packaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EngineShape {
    /// A component importing its data module as a core module.
    Component,
    /// A core module importing memory and globals from module `jspkg-snapshot`.
    CoreModule,
}

/// How an app stores its memory image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum AppEncoding {
    /// The data module with its data section, as is.
    Full,
    /// The data module without data section, plus the image compressed
    /// against the engine's reference image.
    #[default]
    Compact,
}

/// The memory an engine imports or a data module defines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemoryInfo {
    /// Minimum size in pages.
    pub minimum_pages: u64,
    /// Maximum size in pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_pages: Option<u64>,
    /// 64-bit addresses.
    pub memory64: bool,
    /// Shared memory.
    pub shared: bool,
    /// Page size, log 2 (16 unless custom page sizes are used).
    pub page_size_log2: u32,
}

impl From<&wasmparser::MemoryType> for MemoryInfo {
    fn from(m: &wasmparser::MemoryType) -> Self {
        Self {
            minimum_pages: m.initial,
            maximum_pages: m.maximum,
            memory64: m.memory64,
            shared: m.shared,
            page_size_log2: m.page_size_log2.unwrap_or(16),
        }
    }
}

/// A global of the snapshot contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlobalInfo {
    /// Export/import name (`global<index>`).
    pub name: String,
    /// Index in the engine code module's global index space.
    pub index: u32,
    /// Value type (`i32`, `i64`, `f32`, `f64`, `v128`, or a reference type).
    #[serde(rename = "type")]
    pub val_type: String,
    /// Whether it is mutable.
    pub mutable: bool,
    /// Its value (apps and pre-initialized inputs only), as wat text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// Size and digest of a byte string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blob {
    /// `sha256:` digest of the bytes.
    pub digest: Digest,
    /// Length in bytes.
    pub size: u64,
}

impl Blob {
    /// Describes `bytes`.
    pub fn of(bytes: &[u8]) -> Self {
        Self {
            digest: Digest::of(bytes),
            size: bytes.len() as u64,
        }
    }
}

/// `details` of an engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineDetails {
    /// Component or core module.
    pub shape: EngineShape,
    /// The core module import name (`jspkg-snapshot`).
    pub snapshot_import: String,
    /// The memory the engine imports.
    pub memory: MemoryInfo,
    /// The globals the engine imports, in index order.
    pub globals: Vec<GlobalInfo>,
    /// Digest and size of the code module.
    pub code: Blob,
    /// The reference image compact apps are encoded against (digest and
    /// size of the uncompressed image), if the engine carries one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<Blob>,
}

/// `details` of an app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppDetails {
    /// Full or compact.
    pub encoding: AppEncoding,
    /// The expanded data module: what the app's identity is.
    pub data_module: Blob,
    /// The uncompressed memory image.
    pub image: Blob,
    /// The reference image the compact encoding refers to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<Digest>,
    /// Compact only: how many bytes the image starts with that are zero
    /// and not in its compressed frame (FORMAT.md §5); 0 when absent.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub zero_prefix: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// `details` of a composed component or module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComposedDetails {
    /// The app's expanded data module.
    pub data_module: Blob,
    /// Engine shape it was composed from.
    pub shape: EngineShape,
}

/// Serializes details into the metadata map.
pub fn to_map<T: Serialize>(d: &T) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::to_value(d) {
        Ok(serde_json::Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    }
}

/// Reads details from the metadata map.
pub fn from_map<T: for<'de> Deserialize<'de>>(
    m: &serde_json::Map<String, serde_json::Value>,
) -> Result<T, serde_json::Error> {
    serde_json::from_value(serde_json::Value::Object(m.clone()))
}

/// The wat name of a value type.
pub fn val_type_name(t: wasmparser::ValType) -> String {
    t.to_string()
}

/// Describes a global of a snapshot or data module.
pub fn global_info(g: &crate::snapshot::SnapshotGlobal<'_>, with_value: bool) -> GlobalInfo {
    GlobalInfo {
        name: g.name.clone(),
        index: g.index,
        val_type: val_type_name(g.ty.content_type),
        mutable: g.ty.mutable,
        value: with_value.then(|| const_text(g.init)),
    }
}

fn const_text(init: &[u8]) -> String {
    let mut r = wasmparser::OperatorsReader::new(wasmparser::BinaryReader::new(init, 0));
    let mut parts = Vec::new();
    while !r.eof() {
        match r.read() {
            Ok(wasmparser::Operator::I32Const { value }) => {
                parts.push(format!("i32.const {value}"))
            }
            Ok(wasmparser::Operator::I64Const { value }) => {
                parts.push(format!("i64.const {value}"))
            }
            Ok(wasmparser::Operator::F32Const { value }) => {
                parts.push(format!("f32.const {}", f32::from_bits(value.bits())))
            }
            Ok(wasmparser::Operator::F64Const { value }) => {
                parts.push(format!("f64.const {}", f64::from_bits(value.bits())))
            }
            Ok(op) => parts.push(format!("{op:?}")),
            Err(_) => break,
        }
    }
    parts.join(" ")
}
