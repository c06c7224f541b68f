//! `jspkg publish`: push an engine and/or an app as Wasm OCI artifacts.

use crate::client::{ClientOptions, Registry, parse_reference};
use crate::error::{RegistryError, Result};
use crate::layout::{self, BuiltArtifact};
use crate::store::Store;
use bytes::Bytes;
use jspkg_artifact::Digest;
use jspkg_artifact::metadata::{self, Kind, Metadata};
use oci_client::Reference;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// An engine requirement: `NAME@RANGE`, e.g. `jspkg-quickjs-cli@^0.1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineReq {
    /// Engine name.
    pub name: String,
    /// Acceptable versions.
    pub range: semver::VersionReq,
}

impl std::str::FromStr for EngineReq {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let (name, range) = s.split_once('@').unwrap_or((s, "*"));
        if name.is_empty() {
            return Err(format!(
                "`{s}`: expected NAME@RANGE, e.g. jspkg-quickjs-cli@^0.1"
            ));
        }
        let range = semver::VersionReq::parse(range)
            .map_err(|e| format!("`{range}` is not a semver range: {e}"))?;
        Ok(Self {
            name: name.to_string(),
            range,
        })
    }
}

/// Options of [`publish`].
#[derive(Debug, Clone, Default)]
pub struct PublishOptions {
    /// The engine the app must be published against; by default the
    /// engine named in the app's metadata, at exactly its version.
    pub engine: Option<EngineReq>,
    /// Registry connection.
    pub client: ClientOptions,
    /// Further manifest annotations of the app (e.g.
    /// [`layout::ANN_REBUILT_FROM`]); jspkg's own keys cannot be overridden.
    pub annotations: BTreeMap<String, String>,
    /// The local store, whose records of where blobs were seen (pulled or
    /// published) name the repositories a blob can be mounted from.
    pub store: Option<Store>,
}

/// What [`publish`] did.
#[derive(Debug, Clone, Serialize)]
pub struct PublishReport {
    /// The reference published.
    pub reference: String,
    /// Digest of the pushed manifest.
    pub manifest_digest: String,
    /// `app`, `engine`, `pre-initialized` or `composed`.
    pub kind: String,
    /// The engine the app uses, when it is an app.
    pub engine: Option<EngineStatus>,
    /// Bytes sent to the registry (blobs and manifests).
    pub uploaded_bytes: u64,
    /// Bytes of blobs the registry already had in the target repository
    /// (not sent).
    pub reused_bytes: u64,
    /// Bytes of blobs the registry had in another repository, linked into
    /// the target one by a cross-repository mount (not sent).
    pub mounted_bytes: u64,
}

/// The engine an app was published against.
#[derive(Debug, Clone, Serialize)]
pub struct EngineStatus {
    /// The engine artifact's reference.
    pub reference: String,
    /// Digest of the engine component (the app's pin).
    pub digest: String,
    /// Engine version (tag).
    pub version: String,
    /// Whether this publish uploaded the engine (false: it was there).
    pub uploaded: bool,
}

struct Input {
    path: PathBuf,
    bytes: Bytes,
    meta: Metadata,
}

fn load(path: &Path) -> Result<Input> {
    let bytes = std::fs::read(path).map_err(|e| RegistryError::io("cannot read", path, e))?;
    let meta = metadata::read(&bytes)
        .map_err(|e| RegistryError::BadInput {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })?
        .ok_or_else(|| RegistryError::BadInput {
            path: path.to_path_buf(),
            detail:
                "it has no `jspkg` metadata section: make it with `jspkg build` or `jspkg split`"
                    .into(),
        })?;
    Ok(Input {
        path: path.to_path_buf(),
        bytes: Bytes::from(bytes),
        meta,
    })
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Engine => "engine",
        Kind::App => "app",
        Kind::PreInitialized => "pre-initialized",
        Kind::Composed => "composed",
    }
}

/// OCI tags cannot hold `+`: semver build metadata is written with `_`.
pub fn version_tag(v: &semver::Version) -> String {
    v.to_string().replace('+', "_")
}

/// The repository of engine `name` for an app in `app_repository`: a sibling
/// `engines/NAME` of the app's last path component (`acme/hello` →
/// `acme/engines/NAME`; `hello` → `engines/NAME`).
pub fn engine_repository(app_repository: &str, name: &str) -> String {
    match app_repository.rsplit_once('/') {
        Some((ns, _)) => format!("{ns}/engines/{name}"),
        None => format!("engines/{name}"),
    }
}

/// Publishes `input` to `reference`.
///
/// `input` is a directory written by `jspkg split` (`app.wasm`, and
/// `engine.wasm` if the registry may lack the engine), an app component
/// alone (its engine must already be in the registry), or any other jspkg
/// component (engine, pre-initialized, composed), pushed as a single artifact.
/// An app's engine is pushed first, to `engine_repository(..)`, unless the
/// registry already has it; its bytes are then never sent again.
pub async fn publish(
    input: &Path,
    reference: &str,
    opts: &PublishOptions,
) -> Result<PublishReport> {
    let image = parse_reference(reference)?;
    if image.digest().is_some() {
        return Err(RegistryError::BadReference {
            reference: reference.to_string(),
            reason: "publish to a tag, not a digest".into(),
        });
    }
    let (app, engine) = if input.is_dir() {
        let app = load(&input.join("app.wasm"))?;
        let engine_path = input.join("engine.wasm");
        let engine = if engine_path.exists() {
            Some(load(&engine_path)?)
        } else {
            None
        };
        (app, engine)
    } else {
        (load(input)?, None)
    };
    let reg = Registry::new(&image, &opts.client).await;
    let mut report = PublishReport {
        reference: image.whole(),
        manifest_digest: String::new(),
        kind: kind_name(app.meta.kind).into(),
        engine: None,
        uploaded_bytes: 0,
        reused_bytes: 0,
        mounted_bytes: 0,
    };
    let mut mounts = Mounts {
        store: opts.store.clone(),
        known: Vec::new(),
    };
    let mut annotations = opts.annotations.clone();
    annotations.insert(
        layout::ANN_KIND.to_string(),
        kind_name(app.meta.kind).to_string(),
    );
    if let Some(a) = &app.meta.app {
        annotations.insert(layout::ANN_VERSION.into(), a.version.to_string());
    }
    if app.meta.kind == Kind::App {
        let status = ensure_engine(
            &reg,
            &image,
            &app,
            engine.as_ref(),
            opts,
            &mut mounts,
            &mut report,
        )
        .await?;
        annotations.insert(layout::ANN_ENGINE_DIGEST.into(), status.digest.clone());
        annotations.insert(
            layout::ANN_ENGINE_REPOSITORY.into(),
            engine_repository(image.repository(), &app.meta.engine.name),
        );
        annotations.insert(layout::ANN_ENGINE_NAME.into(), app.meta.engine.name.clone());
        annotations.insert(layout::ANN_ENGINE_VERSION.into(), status.version.clone());
        report.engine = Some(status);
    } else {
        annotations.insert(layout::ANN_ENGINE_NAME.into(), app.meta.engine.name.clone());
        annotations.insert(
            layout::ANN_ENGINE_VERSION.into(),
            app.meta.engine.version.to_string(),
        );
    }
    let title = if app.meta.kind == Kind::Engine {
        "engine.wasm"
    } else {
        "app.wasm"
    };
    let built = build(&app, title, annotations)?;
    push_artifact(&reg, &image, &built, &mut mounts, &mut report).await?;
    report.manifest_digest = built.manifest_digest.to_string();
    Ok(report)
}

fn build(
    input: &Input,
    title: &str,
    annotations: BTreeMap<String, String>,
) -> Result<BuiltArtifact> {
    layout::build_artifact(input.bytes.clone(), title, annotations).map_err(|detail| {
        RegistryError::BadInput {
            path: input.path.clone(),
            detail,
        }
    })
}

/// Makes sure the registry holds the app's engine; pushes it when it does
/// not and `engine` is given.
async fn ensure_engine(
    reg: &Registry,
    image: &Reference,
    app: &Input,
    engine: Option<&Input>,
    opts: &PublishOptions,
    mounts: &mut Mounts,
    report: &mut PublishReport,
) -> Result<EngineStatus> {
    let pinned = &app.meta.engine;
    let pin = pinned.digest.ok_or_else(|| RegistryError::BadInput {
        path: app.path.clone(),
        detail: "the app does not pin its engine's digest (split it with `jspkg split`)".into(),
    })?;
    let req = opts.engine.clone().unwrap_or_else(|| EngineReq {
        name: pinned.name.clone(),
        range: semver::VersionReq::parse(&format!("={}", pinned.version)).expect("valid range"),
    });
    if req.name != pinned.name || !req.range.matches(&pinned.version) {
        return Err(RegistryError::Engine(format!(
            "the app was split from engine {}@{}, which does not satisfy --engine {}@{}",
            pinned.name, pinned.version, req.name, req.range
        )));
    }
    let repo = engine_repository(image.repository(), &pinned.name);
    // The engine's repository is where the app's blobs may also be.
    mounts.known.push(repo.clone());
    if let Some(engine) = engine {
        let digest = Digest::of(&engine.bytes);
        if digest != pin {
            return Err(RegistryError::BadInput {
                path: engine.path.clone(),
                detail: format!(
                    "this engine ({digest}) is not the one the app pins ({pin}); split the app again"
                ),
            });
        }
        if engine.meta.kind != Kind::Engine {
            return Err(RegistryError::BadInput {
                path: engine.path.clone(),
                detail: "it is not an engine component".into(),
            });
        }
        let version = engine.meta.engine.version.clone();
        let engine_ref = Reference::with_tag(
            image.registry().to_string(),
            repo.clone(),
            version_tag(&version),
        );
        let status = |uploaded| EngineStatus {
            reference: engine_ref.whole(),
            digest: pin.to_string(),
            version: version.to_string(),
            uploaded,
        };
        match fetch_manifest(reg, &engine_ref).await? {
            Some(m) if m.layers.first().map(|l| l.digest.as_str()) == Some(&pin.to_string()) => {
                tracing::info!(engine = %engine_ref.whole(), "engine already in the registry");
                report.reused_bytes += engine.bytes.len() as u64;
                return Ok(status(false));
            }
            Some(_) => {
                return Err(RegistryError::Engine(format!(
                    "{} already holds a different engine build; engine versions are immutable: give this engine a new version",
                    engine_ref.whole()
                )));
            }
            None => {}
        }
        let mut annotations = BTreeMap::from([
            (layout::ANN_KIND.to_string(), "engine".to_string()),
            (layout::ANN_ENGINE_NAME.to_string(), pinned.name.clone()),
            (layout::ANN_ENGINE_VERSION.to_string(), version.to_string()),
        ]);
        annotations.insert(layout::ANN_VERSION.into(), version.to_string());
        let built = build(engine, "engine.wasm", annotations)?;
        push_artifact(reg, &engine_ref, &built, mounts, report).await?;
        return Ok(status(true));
    }
    // No engine file: find a published engine matching the range and pin.
    let probe = Reference::with_tag(image.registry().to_string(), repo.clone(), "latest".into());
    let tags = match reg
        .client
        .list_tags(&probe, reg.creds.registry_auth(), None, None)
        .await
    {
        Ok(t) => t.tags,
        Err(e) => match reg.error("listing engine tags", &repo, e) {
            RegistryError::NotFound { .. } => Vec::new(),
            other => return Err(other),
        },
    };
    let mut versions: Vec<(semver::Version, String)> = tags
        .into_iter()
        .filter_map(|t| {
            semver::Version::parse(&t.replace('_', "+"))
                .ok()
                .map(|v| (v, t))
        })
        .filter(|(v, _)| req.range.matches(v))
        .collect();
    versions.sort_by(|a, b| b.0.cmp(&a.0));
    for (version, tag) in versions {
        let engine_ref = Reference::with_tag(image.registry().to_string(), repo.clone(), tag);
        if let Some(m) = fetch_manifest(reg, &engine_ref).await?
            && m.layers.first().map(|l| l.digest.as_str()) == Some(&pin.to_string())
        {
            return Ok(EngineStatus {
                reference: engine_ref.whole(),
                digest: pin.to_string(),
                version: version.to_string(),
                uploaded: false,
            });
        }
    }
    Err(RegistryError::Engine(format!(
        "registry {} has no engine {}@{} with digest {pin} (in repository {repo}); publish the directory written by `jspkg split`, which holds engine.wasm, to upload it",
        reg.registry, req.name, req.range
    )))
}

/// Pulls and checks a manifest; `None` when the tag does not exist.
pub(crate) async fn fetch_manifest(
    reg: &Registry,
    reference: &Reference,
) -> Result<Option<layout::Manifest>> {
    match reg
        .client
        .pull_manifest_raw(
            reference,
            reg.creds.registry_auth(),
            &[layout::MANIFEST_MEDIA_TYPE],
        )
        .await
    {
        Ok((bytes, _)) => layout::parse_manifest(&reference.whole(), &bytes).map(Some),
        Err(e) => match reg.error("manifest lookup", &reference.whole(), e) {
            RegistryError::NotFound { .. } => Ok(None),
            other => Err(other),
        },
    }
}

/// Where blobs can be mounted from: repositories this publish touched (the
/// engine's, the targets pushed so far) and those the store remembers.
struct Mounts {
    store: Option<Store>,
    known: Vec<String>,
}

impl Mounts {
    /// Repositories other than `target` that may hold `digest`, the most
    /// likely first.
    fn candidates(&self, registry: &str, target: &str, digest: &Digest) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let remembered = self
            .store
            .as_ref()
            .map(|s| s.locations(registry, digest))
            .unwrap_or_default();
        for repo in remembered
            .into_iter()
            .rev()
            .chain(self.known.iter().cloned())
        {
            if repo != target && !out.contains(&repo) {
                out.push(repo);
            }
        }
        // Each candidate costs a request when it fails: try a few.
        out.truncate(4);
        out
    }

    fn remember(&mut self, registry: &str, repository: &str, digest: &Digest) {
        if let Some(s) = &self.store {
            s.remember_location(registry, repository, digest);
        }
    }
}

/// Tries to link blob `digest` into `image`'s repository from another
/// repository of the same registry (OCI `POST .../blobs/uploads/?mount=&from=`).
/// `true` if the registry mounted it (201); `false` if no candidate worked
/// (a 202 — the registry declined and opened an upload — or an error): the
/// caller uploads.
async fn try_mount(reg: &Registry, image: &Reference, digest: &str, from: &[String]) -> bool {
    for repo in from {
        let source =
            Reference::with_digest(image.registry().to_string(), repo.clone(), digest.into());
        match reg.client.mount_blob(image, &source, digest).await {
            Ok(()) => {
                tracing::info!(%digest, from = %repo, "blob mounted from another repository");
                return true;
            }
            Err(e) => {
                tracing::debug!(%digest, from = %repo, "mount declined, uploading: {e}");
            }
        }
    }
    false
}

async fn push_blob(
    reg: &Registry,
    image: &Reference,
    data: Bytes,
    digest: &Digest,
    label: &str,
    mounts: &mut Mounts,
    report: &mut PublishReport,
) -> Result<()> {
    let digest_s = digest.to_string();
    let exists = reg
        .client
        .blob_exists(image, &digest_s)
        .await
        .map_err(|e| reg.error("blob check", &digest_s, e))?;
    let size = data.len() as u64;
    if exists {
        tracing::info!(digest = %digest_s, "blob already in the registry");
        report.reused_bytes += size;
        mounts.remember(&reg.registry, image.repository(), digest);
        return Ok(());
    }
    let from = mounts.candidates(&reg.registry, image.repository(), digest);
    if !from.is_empty() && try_mount(reg, image, &digest_s, &from).await {
        report.mounted_bytes += size;
        mounts.remember(&reg.registry, image.repository(), digest);
        return Ok(());
    }
    let bar = reg.progress.bar(size, format!("push {label}"));
    let chunks: Vec<Bytes> = (0..data.len())
        .step_by(64 * 1024)
        .map(|i| data.slice(i..(i + 64 * 1024).min(data.len())))
        .collect();
    let bar2 = bar.clone();
    let stream = futures_util::stream::iter(chunks.into_iter().map(move |c| {
        bar2.inc(c.len() as u64);
        Ok(c)
    }));
    reg.client
        .push_blob_stream(image, stream, &digest_s, Some(size))
        .await
        .map_err(|e| reg.error("blob upload", &digest_s, e))?;
    bar.finish_and_clear();
    report.uploaded_bytes += size;
    mounts.remember(&reg.registry, image.repository(), digest);
    Ok(())
}

async fn push_artifact(
    reg: &Registry,
    image: &Reference,
    built: &BuiltArtifact,
    mounts: &mut Mounts,
    report: &mut PublishReport,
) -> Result<()> {
    let short = built.layer_digest.short();
    push_blob(
        reg,
        image,
        built.layer.clone(),
        &built.layer_digest,
        &format!("{} {short}", image.repository()),
        mounts,
        report,
    )
    .await?;
    push_blob(
        reg,
        image,
        Bytes::from(built.config.clone()),
        &built.config_digest,
        "config",
        mounts,
        report,
    )
    .await?;
    reg.client
        .push_manifest_raw(
            image,
            built.manifest.clone(),
            layout::MANIFEST_MEDIA_TYPE
                .parse()
                .expect("valid header value"),
        )
        .await
        .map_err(|e| match reg.error("manifest upload", &image.whole(), e) {
            RegistryError::Registry { registry, operation, detail }
                if detail.contains("MANIFEST_INVALID") || detail.contains("unsupported") =>
            {
                RegistryError::Registry {
                    registry,
                    operation,
                    detail: format!(
                        "{detail} (this registry may not accept Wasm OCI artifacts, config media type {})",
                        layout::CONFIG_MEDIA_TYPE
                    ),
                }
            }
            other => other,
        })?;
    report.uploaded_bytes += built.manifest.len() as u64;
    if !mounts.known.iter().any(|r| r == image.repository()) {
        mounts.known.push(image.repository().to_string());
    }
    Ok(())
}
