//! `jspkg rebuild`: snapshot an app again on a new engine from the source
//! record it carries (FORMAT.md §12), and split the result, giving an app
//! pinned to the new engine.
//!
//! A snapshot is valid only for the exact engine it was taken with, so an
//! engine fix means every app must be pre-initialized again. The source
//! record holds everything that snapshot depends on besides the engine
//! (the bundled module, its file name, the world and the build clock), and
//! the randomness is seeded: rebuilding is a function of (record, engine),
//! so rebuilding twice gives the same bytes.

use crate::build::{BuildError, BuildOptions, build_app_on, empty_app_on};
use crate::engines::{RawEngine, RawEngineError, World};
use jspkg_artifact::details::{self, AppDetails};
use jspkg_artifact::metadata::{self, Kind, Metadata};
use jspkg_artifact::source::{self, SourceError, SourceRecord};
use jspkg_artifact::{AppEncoding, SplitError, SplitOptions};
use std::time::Duration;

/// A rebuilt app: the split halves on the new engine.
#[derive(Debug)]
pub struct Rebuilt {
    /// The new engine component (`engine.wasm`): a function of the raw
    /// engine, its name and version alone, the same for every app.
    pub engine: Vec<u8>,
    /// The new data-only app component (`app.wasm`), pinned to `engine`;
    /// it carries the same source record.
    pub app: Vec<u8>,
    /// The metadata of the input.
    pub old: Metadata,
    /// The record it was rebuilt from.
    pub record: SourceRecord,
    /// What the app's top-level code printed to stdout while rebuilt.
    pub init_stdout: Vec<u8>,
    /// What the app's top-level code printed to stderr while rebuilt.
    pub init_stderr: Vec<u8>,
}

/// Why an app cannot be rebuilt.
#[derive(Debug, thiserror::Error)]
pub enum RebuildError {
    /// The input has no `jspkg` metadata.
    #[error("it is not a jspkg app (no `jspkg` metadata section)")]
    NotJspkg,
    /// The input's `jspkg` metadata section cannot be read.
    #[error(transparent)]
    Metadata(#[from] metadata::MetadataError),
    /// An engine, which holds no app.
    #[error("it is an engine, not an app: give an app.wasm (or a built or composed component)")]
    IsEngine,
    /// No source record: built with `--no-source` or not by jspkg.
    #[error(
        "it carries no source record (built with --no-source, or not by jspkg), so it cannot be rebuilt: build it again from its source with `jspkg build`"
    )]
    NoSource,
    /// The record is corrupt.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// The new engine has another name than the app's engine.
    #[error(
        "the app runs on engine {app}, not {requested}: rebuild it with an engine of the same name"
    )]
    OtherEngine {
        /// The app's engine name.
        app: String,
        /// The requested engine name.
        requested: String,
    },
    /// The new engine implements another world than the app's.
    #[error("the new engine implements the {engine} world but the app was built for {app}")]
    OtherWorld {
        /// The app's world.
        app: String,
        /// The engine's world.
        engine: World,
    },
    /// The new engine is not a raw engine module.
    #[error(transparent)]
    BadEngine(#[from] RawEngineError),
    /// The source fails on the new engine (its message, or Wizer's).
    #[error("the source fails on the new engine: {0}")]
    Build(#[source] BuildError),
    /// Splitting the new snapshot failed.
    #[error("splitting the rebuilt app failed: {0}")]
    Split(#[from] SplitError),
}

/// Snapshots the app in `input` (an app, pre-initialized or composed
/// component carrying a source record) again on `engine` and splits it.
pub fn rebuild(input: &[u8], engine: &RawEngine) -> Result<Rebuilt, RebuildError> {
    rebuild_with(input, engine, None)
}

/// The reference image input of `engine`'s splits: its empty app (see
/// [`empty_app_on`]). The same for every app, so a caller rebuilding many
/// apps on one engine makes it once and gives it to [`rebuild_with`].
pub fn reference(engine: &RawEngine) -> Result<Vec<u8>, RebuildError> {
    empty_app_on(engine, engine.world()?).map_err(RebuildError::Build)
}

/// [`rebuild`] with the engine's [`reference`] made beforehand (`None`:
/// made here).
pub fn rebuild_with(
    input: &[u8],
    engine: &RawEngine,
    reference: Option<&[u8]>,
) -> Result<Rebuilt, RebuildError> {
    let old = metadata::read(input)?.ok_or(RebuildError::NotJspkg)?;
    if old.kind == Kind::Engine {
        return Err(RebuildError::IsEngine);
    }
    let record = source::read(input)?.ok_or(RebuildError::NoSource)?;
    if old.engine.name != engine.name {
        return Err(RebuildError::OtherEngine {
            app: old.engine.name.clone(),
            requested: engine.name.clone(),
        });
    }
    let world: World = record
        .header
        .options
        .world
        .parse()
        .map_err(SourceError::Corrupt)?;
    let engine_world = engine.world()?;
    if engine_world != world {
        return Err(RebuildError::OtherWorld {
            app: world.to_string(),
            engine: engine_world,
        });
    }
    let app = old.app.clone();
    let opts = BuildOptions {
        world,
        app_name: app
            .as_ref()
            .map_or_else(|| "app".into(), |a| a.name.clone()),
        app_version: app.map_or_else(|| semver::Version::new(0, 0, 0), |a| a.version),
        file_name: record.header.file_name.clone(),
        build_time: Duration::from_secs(record.header.options.build_time),
        record_source: true,
    };
    let built = build_app_on(engine, &record.source, &opts).map_err(RebuildError::Build)?;
    let made;
    let reference = match reference {
        Some(r) => r,
        None => {
            made = empty_app_on(engine, world).map_err(RebuildError::Build)?;
            &made
        }
    };
    // Keep the encoding of the app given (compact for anything else).
    let encoding = match old.kind {
        Kind::App => details::from_map::<AppDetails>(&old.details)
            .map(|d| d.encoding)
            .unwrap_or(AppEncoding::Compact),
        _ => AppEncoding::Compact,
    };
    let split = jspkg_artifact::split(
        &built.component,
        &SplitOptions {
            reference: Some(reference),
            encoding,
            ..Default::default()
        },
    )?;
    Ok(Rebuilt {
        engine: split.engine,
        app: split.app,
        old,
        record,
        init_stdout: built.init_stdout,
        init_stderr: built.init_stderr,
    })
}
