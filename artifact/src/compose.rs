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
    match (packed_reference(engine, d)?, &d.reference) {
        (Some(packed), Some(r)) => decode_reference(packed, r).map(Some),
        _ => Ok(None),
    }
}

/// The engine's compressed reference image, if it has one.
fn packed_reference<'a>(
    engine: &'a [u8],
    d: &EngineDetails,
) -> Result<Option<&'a [u8]>, ComposeError> {
    if d.reference.is_none() {
        return Ok(None);
    }
    find_custom(engine, REFERENCE_SECTION)
        .map(Some)
        .ok_or_else(|| {
            ComposeError::NotEngine(format!("its `{REFERENCE_SECTION}` section is missing"))
        })
}

/// Decompresses the reference image the engine records as `r` and checks
/// its digest.
fn decode_reference(packed: &[u8], r: &Blob) -> Result<Vec<u8>, ComposeError> {
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
    Ok(img)
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
    /// The compressed reference image, decoded the first time an app
    /// needs it ([`Self::reference`]): a host that finds its apps in its
    /// compile cache never does (10 MB decompressed and hashed, ~8 ms).
    packed_reference: Option<Vec<u8>>,
    reference: std::sync::OnceLock<Vec<u8>>,
    scratch: Scratch,
}

/// The buffer compact images are decompressed into, kept from one app to
/// the next: a fresh one costs a page fault for each 4 KiB written (5 MB
/// of image, ~1,300 faults, ~1.5 ms of every new app). Expansions that
/// find it taken (several at once) use a buffer of their own.
#[derive(Default)]
struct Scratch(std::sync::Mutex<Vec<u8>>);

/// Largest scratch buffer kept between apps (an image can be up to 1 GiB).
const SCRATCH_KEPT: usize = 64 << 20;

impl Clone for Scratch {
    /// A clone starts with a buffer of its own.
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl std::fmt::Debug for Scratch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Scratch")
    }
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

/// An app checked against an engine ([`PreparedEngine::check`]): it pins
/// the engine and its data module's memory and globals fit the engine's
/// contract. Its image is not expanded yet.
#[derive(Debug)]
pub struct CheckedApp<'a> {
    engine: &'a PreparedEngine,
    app: &'a [u8],
    module: &'a [u8],
    memory: wasmparser::MemoryType,
    details: AppDetails,
}

impl PreparedEngine {
    /// Validates `engine` and reads its metadata.
    pub fn new(engine: &[u8]) -> Result<Self, ComposeError> {
        validate(engine).map_err(|source| ComposeError::Invalid {
            what: "engine",
            source,
        })?;
        Self::unvalidated(engine, Digest::of(engine))
    }

    /// [`Self::new`] for a host that validates `engine` itself (wasmtime
    /// does when it compiles it) and has its `digest`: reads its metadata
    /// only. Validating a 4 MB engine's code takes ~12 ms, which a host
    /// whose compile cache holds the engine would pay on every start.
    pub fn unvalidated(engine: &[u8], digest: Digest) -> Result<Self, ComposeError> {
        let (meta, details) = engine_metadata(engine)?;
        let packed_reference = packed_reference(engine, &details)?.map(<[u8]>::to_vec);
        Ok(Self {
            digest,
            engine: meta.engine,
            details,
            packed_reference,
            reference: std::sync::OnceLock::new(),
            scratch: Scratch::default(),
        })
    }

    /// The reference image, decoded and checked the first time.
    fn reference(&self) -> Result<Option<&[u8]>, ComposeError> {
        let (Some(packed), Some(r)) = (&self.packed_reference, &self.details.reference) else {
            return Ok(None);
        };
        if let Some(image) = self.reference.get() {
            return Ok(Some(image));
        }
        let decoded = decode_reference(packed, r)?;
        Ok(Some(self.reference.get_or_init(|| decoded)))
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
        self.check(app)?.expand()
    }

    /// Everything [`Self::expand`] checks of `app` but the data module's
    /// digest, without expanding its image: the app is valid, pins this
    /// engine, and its memory and globals fit the engine's contract.
    pub fn check<'a>(&'a self, app: &'a [u8]) -> Result<CheckedApp<'a>, ComposeError> {
        check_app(self, app)
    }
}

fn check_app<'a>(
    engine: &'a PreparedEngine,
    app: &'a [u8],
) -> Result<CheckedApp<'a>, ComposeError> {
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
    // app's image is read by the engine's instantiation, not here. A
    // compact app's expanded module has the stripped one's memory and
    // globals (only a data section is appended).
    let shape = dm::parse_shape(module)?;
    if ad.encoding == AppEncoding::Compact {
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
        if shape.has_data {
            return Err(ComposeError::NotApp(
                "a compact app's module has data segments".into(),
            ));
        }
    }
    // The data module must fit the contract.
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
    Ok(CheckedApp {
        engine,
        app,
        module,
        memory: shape.memory,
        details: ad,
    })
}

impl CheckedApp<'_> {
    /// Expands the app's image into its data module and checks the
    /// module's digest against the one the app records.
    pub fn expand(&self) -> Result<ExpandedData, ComposeError> {
        let module = self.expand_unverified()?;
        let digest = self.verify(&module)?;
        Ok(ExpandedData { module, digest })
    }

    /// The app's data module, its digest not yet checked: give it to
    /// [`Self::verify`] before anything runs or keeps it (a host may hash
    /// it while it compiles it, as jspkg's runtime does).
    pub fn expand_unverified(&self) -> Result<Vec<u8>, ComposeError> {
        match self.details.encoding {
            AppEncoding::Full => Ok(self.module.to_vec()),
            AppEncoding::Compact => self.expand_compact(),
        }
    }

    /// Checks that `module`, from [`Self::expand_unverified`], has the
    /// digest the app records; returns it.
    pub fn verify(&self, module: &[u8]) -> Result<Digest, ComposeError> {
        let expected = self.details.data_module.digest;
        // Under `cargo fuzz` (`cfg(fuzzing)`) a mutated app never matches
        // the digest it records, and what follows would never be reached.
        // An app's author can record the right digest for any data module,
        // so the fuzzers skip the check (as fuzzed parsers skip checksums;
        // hashing 4 MB with coverage instrumentation would also halve the
        // executions per second) and reach the engine's compilation and
        // its run.
        if cfg!(fuzzing) {
            return Ok(expected);
        }
        let digest = Digest::of(module);
        if digest != expected {
            return Err(ComposeError::DigestMismatch {
                what: "data module",
                expected,
                actual: digest,
            });
        }
        Ok(digest)
    }

    /// The stripped module with the data section of its decompressed image
    /// appended. The image's own digest is not checked: every byte it puts
    /// in memory is in that data section, whose module's digest
    /// [`Self::expand`] checks (hashing the image too cost ~2.5 ms).
    fn expand_compact(&self) -> Result<Vec<u8>, ComposeError> {
        let ad = &self.details;
        let reference = match ad.reference {
            Some(_) => self.engine.reference()?,
            None => None,
        };
        let packed = find_custom(self.app, IMAGE_SECTION).ok_or_else(|| {
            ComposeError::NotApp(format!("its `{IMAGE_SECTION}` section is missing"))
        })?;
        let size = usize::try_from(ad.image.size).unwrap_or(usize::MAX);
        let prefix = usize::try_from(ad.zero_prefix).unwrap_or(usize::MAX);
        let mut own = Vec::new();
        let mut shared = self.engine.scratch.0.try_lock().ok();
        let buf = shared.as_deref_mut().unwrap_or(&mut own);
        image::expand_compact_into(buf, packed, reference, size, prefix)?;
        let mut bytes = self.module.to_vec();
        dm::append_data_section(&mut bytes, &self.memory, buf, prefix);
        if buf.capacity() > SCRATCH_KEPT {
            *buf = Vec::new();
        }
        Ok(bytes)
    }
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
