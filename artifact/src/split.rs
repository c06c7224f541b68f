//! `split`: a pre-initialized component or core module into a code-only
//! engine and a data-only app.

use crate::component::{self, Top};
use crate::details::{
    self, AppDetails, AppEncoding, Blob, EngineDetails, EngineShape, IMAGE_SECTION, MemoryInfo,
    REFERENCE_SECTION,
};
use crate::error::SplitError;
use crate::metadata::{self, AppRef, EngineRef, FORMAT_VERSION, Kind, Metadata};
use crate::snapshot::{self, SNAPSHOT_IMPORT, Snapshot};
use crate::{Digest, data_module, image};

/// Choices for [`split`].
#[derive(Debug, Clone, Default)]
pub struct SplitOptions<'a> {
    /// Engine name (default: the input's jspkg metadata, else `unnamed-engine`).
    pub engine_name: Option<String>,
    /// Engine version (default: the input's jspkg metadata, else `0.0.0`).
    pub engine_version: Option<semver::Version>,
    /// App name (default: the input's jspkg metadata, else `app`).
    pub app_name: Option<String>,
    /// App version (default: the input's jspkg metadata, else `0.0.0`).
    pub app_version: Option<semver::Version>,
    /// A pre-initialized input of the same engine (an empty app) whose
    /// memory image becomes the engine's reference image.
    pub reference: Option<&'a [u8]>,
    /// An engine split earlier: the input must have its code; its bytes,
    /// name, version and reference are kept.
    pub engine: Option<&'a [u8]>,
    /// How the app stores its image.
    pub encoding: AppEncoding,
}

/// The two halves of a split.
#[derive(Debug, Clone)]
pub struct Split {
    /// `engine.wasm` bytes.
    pub engine: Vec<u8>,
    /// `app.wasm` bytes.
    pub app: Vec<u8>,
    /// The engine's metadata.
    pub engine_metadata: Metadata,
    /// The app's metadata.
    pub app_metadata: Metadata,
}

struct Parts<'a> {
    shape: EngineShape,
    body: Vec<u8>,
    code: Vec<u8>,
    snapshot: Snapshot<'a>,
}

/// Validates `bytes` as a module or component with every feature wasmparser knows.
pub fn validate(bytes: &[u8]) -> Result<(), wasmparser::BinaryReaderError> {
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(bytes)
        .map(|_| ())
}

fn parts(input: &[u8]) -> Result<Parts<'_>, SplitError> {
    validate(input).map_err(SplitError::Invalid)?;
    if let Some(meta) = metadata::read(input)? {
        match meta.kind {
            Kind::PreInitialized => {}
            Kind::Engine => return Err(SplitError::AlreadySplit("engine")),
            Kind::App => return Err(SplitError::AlreadySplit("app")),
            Kind::Composed => return Err(SplitError::AlreadySplit("composed")),
        }
    }
    if wasmparser::Parser::is_component(input) {
        let c = component::split_component(input)?;
        Ok(Parts {
            shape: EngineShape::Component,
            body: c.engine,
            code: c.code,
            snapshot: c.snapshot,
        })
    } else {
        let m = snapshot::split_module(input, 0, true)?;
        Ok(Parts {
            shape: EngineShape::CoreModule,
            body: m.code.clone(),
            code: m.code,
            snapshot: m.snapshot,
        })
    }
}

/// Splits a pre-initialized component or core module.
///
/// The engine's bytes depend only on the engine code, its name and version
/// and the reference image: two apps of one engine give identical engines.
pub fn split(input: &[u8], opts: &SplitOptions<'_>) -> Result<Split, SplitError> {
    let meta_in = metadata::read(input).ok().flatten();
    let p = parts(input)?;
    let code_digest = Digest::of(&p.code);

    let mut name = opts
        .engine_name
        .clone()
        .or_else(|| meta_in.as_ref().map(|m| m.engine.name.clone()))
        .unwrap_or_else(|| "unnamed-engine".to_string());
    let mut version = opts
        .engine_version
        .clone()
        .or_else(|| meta_in.as_ref().map(|m| m.engine.version.clone()))
        .unwrap_or_else(|| semver::Version::new(0, 0, 0));

    // The reference image: from the given engine, or a reference input.
    let mut reference: Option<Vec<u8>> = None;
    if let Some(engine) = opts.engine {
        let (emeta, ed) = crate::compose::engine_metadata(engine)
            .map_err(|e| SplitError::BadEngine(e.to_string()))?;
        if ed.code.digest != code_digest {
            return Err(SplitError::EngineMismatch {
                what: "engine",
                input: code_digest,
                given: ed.code.digest,
            });
        }
        name = emeta.engine.name.clone();
        version = emeta.engine.version.clone();
        reference = crate::compose::reference_image(engine, &ed)
            .map_err(|e| SplitError::BadEngine(e.to_string()))?;
    } else if let Some(r) = opts.reference {
        let rp = parts(r)?;
        let rd = Digest::of(&rp.code);
        if rd != code_digest {
            return Err(SplitError::EngineMismatch {
                what: "reference input",
                input: code_digest,
                given: rd,
            });
        }
        reference = Some(rp.snapshot.image);
    }

    let engine_details = EngineDetails {
        shape: p.shape,
        snapshot_import: SNAPSHOT_IMPORT.to_string(),
        memory: MemoryInfo::from(&memory_contract(&p.snapshot)),
        globals: p
            .snapshot
            .globals
            .iter()
            .map(|g| details::global_info(g, false))
            .collect(),
        code: Blob {
            digest: code_digest,
            size: p.code.len() as u64,
        },
        reference: reference.as_deref().map(Blob::of),
    };
    let engine_metadata = Metadata {
        format: FORMAT_VERSION,
        kind: Kind::Engine,
        engine: EngineRef {
            name: name.clone(),
            version: version.clone(),
            digest: None,
        },
        app: None,
        details: details::to_map(&engine_details),
    };
    let engine = match opts.engine {
        Some(e) => e.to_vec(),
        None => {
            let mut engine = p.body;
            if let Some(r) = &reference {
                append_custom(&mut engine, REFERENCE_SECTION, &image::compress(r, None));
            }
            metadata::append(&mut engine, &engine_metadata);
            engine
        }
    };
    let engine_digest = Digest::of(&engine);

    let expanded = data_module::encode(&p.snapshot, true);
    let compact = (opts.encoding == AppEncoding::Compact)
        .then(|| image::compact(&p.snapshot.image, reference.as_deref()));
    let app_details = AppDetails {
        encoding: opts.encoding,
        data_module: Blob::of(&expanded),
        image: Blob::of(&p.snapshot.image),
        reference: match opts.encoding {
            AppEncoding::Compact => reference.as_deref().map(Digest::of),
            AppEncoding::Full => None,
        },
        zero_prefix: compact.as_ref().map_or(0, |(prefix, _)| *prefix as u64),
    };
    let app_metadata = Metadata {
        format: FORMAT_VERSION,
        kind: Kind::App,
        engine: EngineRef {
            name,
            version,
            digest: Some(engine_digest),
        },
        app: Some(AppRef {
            name: opts
                .app_name
                .clone()
                .or_else(|| {
                    meta_in
                        .as_ref()
                        .and_then(|m| m.app.as_ref())
                        .map(|a| a.name.clone())
                })
                .unwrap_or_else(|| "app".to_string()),
            version: opts
                .app_version
                .clone()
                .or_else(|| {
                    meta_in
                        .as_ref()
                        .and_then(|m| m.app.as_ref())
                        .map(|a| a.version.clone())
                })
                .unwrap_or_else(|| semver::Version::new(0, 0, 0)),
        }),
        details: details::to_map(&app_details),
    };
    let mut app = wasm_encoder::Component::new();
    let module = match opts.encoding {
        AppEncoding::Full => expanded,
        AppEncoding::Compact => data_module::encode(&p.snapshot, false),
    };
    app.section(&wasm_encoder::RawSection {
        id: wasm_encoder::ComponentSectionId::CoreModule as u8,
        data: &module,
    });
    let mut app = app.finish();
    if let Some((_, packed)) = &compact {
        append_custom(&mut app, IMAGE_SECTION, packed);
    }
    // The source record (FORMAT.md §12) travels with the app, byte for
    // byte; the engine never carries it (its `jspkg*` sections are dropped).
    if let Some(record) = crate::source::section(input) {
        crate::source::append(&mut app, record);
    }
    metadata::append(&mut app, &app_metadata);
    Ok(Split {
        engine,
        app,
        engine_metadata,
        app_metadata,
    })
}

fn memory_contract(s: &Snapshot<'_>) -> wasmparser::MemoryType {
    let mut c = s.memory;
    c.initial = s.contract_min.min(c.initial);
    c
}

/// Appends a custom section to a module or component.
pub(crate) fn append_custom(wasm: &mut Vec<u8>, name: &str, data: &[u8]) {
    use wasm_encoder::Encode;
    wasm.push(0);
    wasm_encoder::CustomSection {
        name: name.into(),
        data: data.into(),
    }
    .encode(wasm);
}

/// The top-level custom section `name` of a module or component.
pub(crate) fn find_custom<'a>(wasm: &'a [u8], name: &str) -> Option<&'a [u8]> {
    if wasmparser::Parser::is_component(wasm) {
        component::top_level(wasm)
            .ok()?
            .into_iter()
            .find_map(|t| match t {
                Top::Custom(n, d) if n == name => Some(d),
                _ => None,
            })
    } else {
        wasmparser::Parser::new(0)
            .parse_all(wasm)
            .find_map(|p| match p {
                Ok(wasmparser::Payload::CustomSection(c)) if c.name() == name => Some(c.data()),
                _ => None,
            })
    }
}
