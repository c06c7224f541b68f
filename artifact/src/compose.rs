//! `compose`: an engine and an app into one self-contained component (or
//! core module, for a core-module engine), and the app's expanded data
//! module for hosts that link it at load time.

use crate::component::{self, Top};
use crate::data_module as dm;
use crate::details::{
    self, AppDetails, AppEncoding, Blob, ComposedDetails, EngineDetails, EngineShape,
    IMAGE_SECTION, REFERENCE_SECTION,
};
use crate::error::ComposeError;
use crate::metadata::{self, FORMAT_VERSION, Kind, Metadata};
use crate::split::{find_custom, validate};
use crate::{Digest, image, snapshot};

/// The engine's metadata and details.
pub fn engine_metadata(engine: &[u8]) -> Result<(Metadata, EngineDetails), ComposeError> {
    kind_metadata(engine, Kind::Engine, ComposeError::NotEngine)
}

/// The metadata of an artifact that must be of `kind` in this jspkg's
/// format, with its kind-specific details; `refuse` makes the error that
/// says why the file is not one.
fn kind_metadata<D: for<'de> serde::Deserialize<'de>>(
    wasm: &[u8],
    kind: Kind,
    refuse: fn(String) -> ComposeError,
) -> Result<(Metadata, D), ComposeError> {
    let meta = metadata::read(wasm)
        .map_err(|e| refuse(e.to_string()))?
        .ok_or_else(|| refuse("it has no `jspkg` metadata section".into()))?;
    if meta.format != FORMAT_VERSION {
        return Err(refuse(format!(
            "it is in jspkg format {}, this jspkg reads format {FORMAT_VERSION}; use a matching jspkg",
            meta.format
        )));
    }
    if meta.kind != kind {
        return Err(refuse(format!("it is a jspkg {:?} artifact", meta.kind)));
    }
    let d = details::from_map(&meta.details)
        .map_err(|e| refuse(format!("its metadata details are corrupt: {e}")))?;
    Ok((meta, d))
}

/// The engine's reference image, if it has one.
pub fn reference_image(engine: &[u8], d: &EngineDetails) -> Result<Option<Vec<u8>>, ComposeError> {
    let Some(r) = &d.reference else {
        return Ok(None);
    };
    let packed = find_custom(engine, REFERENCE_SECTION).ok_or_else(|| {
        ComposeError::NotEngine(format!("its `{REFERENCE_SECTION}` section is missing"))
    })?;
    let size = usize::try_from(r.size).unwrap_or(usize::MAX);
    let img = image::decompress(packed, None, size)?;
    let actual = Digest::of(&img);
    if actual != r.digest {
        return Err(ComposeError::DigestMismatch {
            what: "engine reference image",
            expected: r.digest,
            actual,
        });
    }
    Ok(Some(img))
}

fn app_metadata(app: &[u8]) -> Result<(Metadata, AppDetails), ComposeError> {
    kind_metadata(app, Kind::App, ComposeError::NotApp)
}

/// Checks that `app` pins `engine`, expands the app's memory image and
/// returns the core data module to give the engine as its
/// [`SNAPSHOT_IMPORT`](crate::SNAPSHOT_IMPORT) (e.g. with wasmtime's
/// `linker.root().module(SNAPSHOT_IMPORT, &module)`).
pub fn data_module(engine: &[u8], app: &[u8]) -> Result<Vec<u8>, ComposeError> {
    PreparedEngine::new(engine)?.data_module(app)
}

/// What [`data_module`] needs of an engine, worked out once: a host that
/// links many apps into one engine keeps this and pays per app only for the
/// app (validating it, expanding its image, checking its digests).
#[derive(Debug, Clone)]
pub struct PreparedEngine {
    digest: Digest,
    /// The engine's name and version, from its metadata.
    engine: metadata::EngineRef,
    details: EngineDetails,
    reference: Option<Vec<u8>>,
}

/// An app's data module, expanded and checked against the engine.
#[derive(Debug, Clone)]
pub struct ExpandedData {
    /// The data module's bytes.
    pub module: Vec<u8>,
    /// Their digest: the one the app records, verified against the bytes
    /// (a host keys its compile cache on it without hashing them again).
    pub digest: Digest,
}

impl PreparedEngine {
    /// Validates `engine`, reads its metadata and expands its reference
    /// image.
    pub fn new(engine: &[u8]) -> Result<Self, ComposeError> {
        validate(engine).map_err(|source| ComposeError::Invalid {
            what: "engine",
            source,
        })?;
        let (meta, details) = engine_metadata(engine)?;
        let reference = reference_image(engine, &details)?;
        Ok(Self {
            digest: Digest::of(engine),
            engine: meta.engine,
            details,
            reference,
        })
    }

    /// The engine's digest (what apps pin).
    pub fn digest(&self) -> Digest {
        self.digest
    }

    /// [`data_module`] for this engine.
    pub fn data_module(&self, app: &[u8]) -> Result<Vec<u8>, ComposeError> {
        self.expand(app).map(|e| e.module)
    }

    /// [`data_module`] for this engine, with the module's digest.
    pub fn expand(&self, app: &[u8]) -> Result<ExpandedData, ComposeError> {
        expand_app(self, app)
    }
}

fn expand_app(engine: &PreparedEngine, app: &[u8]) -> Result<ExpandedData, ComposeError> {
    validate(app).map_err(|source| ComposeError::Invalid {
        what: "app",
        source,
    })?;
    let ed = &engine.details;
    let (ameta, ad) = app_metadata(app)?;
    let given = engine.digest;
    match ameta.engine.digest {
        Some(pinned) if pinned == given => {}
        Some(pinned) => return Err(ComposeError::EngineMismatch { pinned, given }),
        None => return Err(ComposeError::NotApp("it pins no engine digest".into())),
    }
    if !wasmparser::Parser::is_component(app) {
        return Err(ComposeError::NotApp("it is not a component".into()));
    }
    let items = component::top_level(app)?;
    let modules: Vec<_> = items
        .iter()
        .filter_map(|t| {
            if let Top::Module(r) = t {
                Some(&app[r.clone()])
            } else {
                None
            }
        })
        .collect();
    let [module] = modules[..] else {
        return Err(ComposeError::NotApp(format!(
            "it holds {} core modules, not one",
            modules.len()
        )));
    };
    // The module's shape (memory type, globals) without its image: a full
    // app's image is read by the engine's instantiation, not here.
    let shape = dm::parse_shape(module)?;
    let expanded = match ad.encoding {
        AppEncoding::Full => module.to_vec(),
        AppEncoding::Compact => {
            let reference = engine.reference.as_deref();
            match (&ad.reference, &ed.reference) {
                (Some(a), Some(e)) if a == &e.digest => {}
                (None, _) => {}
                _ => {
                    return Err(ComposeError::Contract(
                        "the app was encoded against a reference image the engine does not carry"
                            .into(),
                    ));
                }
            }
            let reference = if ad.reference.is_some() {
                reference
            } else {
                None
            };
            let packed = find_custom(app, IMAGE_SECTION).ok_or_else(|| {
                ComposeError::NotApp(format!("its `{IMAGE_SECTION}` section is missing"))
            })?;
            let size = usize::try_from(ad.image.size).unwrap_or(usize::MAX);
            let img = image::decompress(packed, reference, size)?;
            // The image's own digest is not checked here: every byte it
            // puts in memory is in the data section built from it, and the
            // data module's digest is checked below. Hashing the 4-5 MB
            // image too cost a new app ~2.5 ms (`inspect` still shows it).
            if shape.has_data {
                return Err(ComposeError::NotApp(
                    "a compact app's module has data segments".into(),
                ));
            }
            let section = dm::data_section(&shape.memory, &img);
            let mut bytes = Vec::with_capacity(module.len() + section.len());
            bytes.extend_from_slice(module);
            bytes.extend_from_slice(&section);
            bytes
        }
    };
    let digest = Digest::of(&expanded);
    // Under `cargo fuzz` (`cfg(fuzzing)`) a mutated app never matches the
    // digest it records, and what follows would never be reached. An app's
    // author can record the right digest for any data module, so the
    // fuzzers skip the comparison (as fuzzed parsers skip checksums) and
    // reach the contract checks, the engine's compilation and its run.
    if digest != ad.data_module.digest && !cfg!(fuzzing) {
        return Err(ComposeError::DigestMismatch {
            what: "data module",
            expected: ad.data_module.digest,
            actual: digest,
        });
    }
    // The data module must fit the contract. A compact app's expanded
    // module has the stripped one's memory and globals (only a data
    // section was appended); a full app's is the module itself.
    let names: Vec<_> = shape
        .globals
        .iter()
        .map(|g| details::global_info(g, false))
        .collect();
    if names != ed.globals {
        return Err(ComposeError::Contract(
            "its globals differ from the engine's".into(),
        ));
    }
    let mem = details::MemoryInfo::from(&shape.memory);
    if (
        mem.maximum_pages,
        mem.memory64,
        mem.shared,
        mem.page_size_log2,
    ) != (
        ed.memory.maximum_pages,
        ed.memory.memory64,
        ed.memory.shared,
        ed.memory.page_size_log2,
    ) {
        return Err(ComposeError::Contract(
            "its memory type differs from the engine's".into(),
        ));
    }
    if mem.minimum_pages < ed.memory.minimum_pages {
        return Err(ComposeError::Contract(format!(
            "its memory has {} pages but the engine needs at least {}",
            mem.minimum_pages, ed.memory.minimum_pages
        )));
    }
    Ok(ExpandedData {
        module: expanded,
        digest,
    })
}

/// Composes an engine and an app into one self-contained component (or
/// core module, for an engine split from a core module) that behaves as
/// the pre-initialized input they were split from.
pub fn compose(engine: &[u8], app: &[u8]) -> Result<Vec<u8>, ComposeError> {
    // The engine's metadata is read once, by `PreparedEngine::new`.
    let prepared = PreparedEngine::new(engine)?;
    let data = prepared.expand(app)?;
    let (ameta, _) = app_metadata(app)?;
    let shape = prepared.details.shape;
    let mut out = match shape {
        EngineShape::Component => component::compose_component(engine, &data.module)?,
        EngineShape::CoreModule => {
            let dm = dm::parse(&data.module)?;
            snapshot::merge_module(engine, &dm)?
        }
    };
    let meta = Metadata {
        format: FORMAT_VERSION,
        kind: Kind::Composed,
        engine: metadata::EngineRef {
            digest: Some(prepared.digest),
            ..prepared.engine
        },
        app: ameta.app,
        details: details::to_map(&ComposedDetails {
            data_module: Blob {
                digest: data.digest,
                size: data.module.len() as u64,
            },
            shape,
        }),
    };
    // The app's source record stays with it: a composed file is rebuildable.
    if let Some(record) = crate::source::section(app) {
        crate::source::append(&mut out, record);
    }
    metadata::append(&mut out, &meta);
    validate(&out).map_err(ComposeError::InvalidOutput)?;
    Ok(out)
}
