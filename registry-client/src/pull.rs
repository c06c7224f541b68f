//! `jspkg pull` and `jspkg run REF`: resolve a reference to verified files
//! in the local store.

use crate::client::{ClientOptions, Registry, parse_reference};
use crate::error::{RegistryError, Result};
use crate::layout::{self, parse_digest};
use crate::store::Store;
use futures_util::StreamExt;
use jspkg_artifact::Digest;
use jspkg_artifact::metadata::{self, Kind};
use oci_client::Reference;
use serde::Serialize;
use std::path::PathBuf;

/// Options of [`pull`].
#[derive(Debug, Clone, Default)]
pub struct PullOptions {
    /// Registry connection.
    pub client: ClientOptions,
}

/// The files a reference resolved to, all inside the [`Store`].
#[derive(Debug, Clone, Serialize)]
pub struct Pulled {
    /// The reference pulled.
    pub reference: String,
    /// Digest of its manifest.
    pub manifest_digest: String,
    /// `app`, `engine`, `pre-initialized`, `composed`, or `foreign` (a Wasm
    /// artifact without jspkg metadata).
    pub kind: String,
    /// The artifact's component (for an app: the data-only app component).
    pub app: PathBuf,
    /// Digest of `app`.
    pub app_digest: String,
    /// The engine component an app pins (absent for other kinds).
    pub engine: Option<PulledEngine>,
    /// Bytes downloaded (blobs and manifest).
    pub downloaded_bytes: u64,
    /// Bytes found intact in the store (not downloaded).
    pub cached_bytes: u64,
}

/// An app's engine, in the store.
#[derive(Debug, Clone, Serialize)]
pub struct PulledEngine {
    /// The engine component file.
    pub path: PathBuf,
    /// Its digest (the app's pin).
    pub digest: String,
    /// Repository it came from.
    pub repository: String,
}

/// Pulls `reference` into `store`: its manifest, its component and, for an
/// app, the engine it pins (skipped when the store already holds it). Every
/// blob is digest-verified before it enters the store.
pub async fn pull(reference: &str, store: &Store, opts: &PullOptions) -> Result<Pulled> {
    let image = parse_reference(reference)?;
    let reg = Registry::new(&image, &opts.client).await;
    let whole = image.whole();
    let mut downloaded = 0u64;
    let mut cached = 0u64;

    // Manifest: from the store when the reference names it by digest.
    let wanted = image
        .digest()
        .map(|d| parse_digest(&whole, d))
        .transpose()?;
    let manifest_bytes = match wanted.map(|d| store.get(&d)).transpose()?.flatten() {
        Some(path) => {
            let bytes =
                std::fs::read(&path).map_err(|e| RegistryError::io("cannot read", &path, e))?;
            cached += bytes.len() as u64;
            bytes
        }
        None => {
            let (bytes, _) = reg
                .client
                .pull_manifest_raw(
                    &image,
                    reg.creds.registry_auth(),
                    &[layout::MANIFEST_MEDIA_TYPE],
                )
                .await
                .map_err(|e| reg.error("manifest download", &whole, e))?;
            if let Some(d) = wanted {
                let actual = Digest::of(&bytes);
                if actual != d {
                    return Err(RegistryError::Tampered {
                        expected: d.to_string(),
                        actual: actual.to_string(),
                    });
                }
            }
            downloaded += bytes.len() as u64;
            bytes.to_vec()
        }
    };
    let manifest = layout::parse_manifest(&whole, &manifest_bytes)?;
    let manifest_digest = Digest::of(&manifest_bytes);

    // The app's component is checked (digest, metadata, engine pin) before
    // anything enters the store: a refused artifact leaves nothing behind.
    // Order of entry: engine, app, manifest, so that a store holding a
    // manifest holds what it names, even after a kill.
    let layer = &manifest.layers[0];
    let layer_digest = parse_digest(&whole, &layer.digest)?;
    let (app_bytes, app_stored) = match store.get(&layer_digest)? {
        Some(path) => {
            cached += layer.size;
            let bytes =
                std::fs::read(&path).map_err(|e| RegistryError::io("cannot read", &path, e))?;
            (bytes, Some(path))
        }
        None => {
            let mut bytes = Vec::new();
            stream_blob(&reg, &image, layer_digest, layer.size, "app", |c| {
                bytes.extend_from_slice(c);
                Ok(())
            })
            .await?;
            downloaded += layer.size;
            (bytes, None)
        }
    };
    let meta = metadata::read(&app_bytes).ok().flatten();
    let kind = match &meta {
        Some(m) => match m.kind {
            Kind::App => "app",
            Kind::Engine => "engine",
            Kind::PreInitialized => "pre-initialized",
            Kind::Composed => "composed",
        },
        None => "foreign",
    };

    let engine = match manifest.annotations.get(layout::ANN_ENGINE_DIGEST) {
        None => {
            if kind == "app" {
                return Err(RegistryError::WrongMediaType {
                    reference: whole,
                    detail: format!(
                        "it holds a jspkg app but its manifest lacks the `{}` annotation naming the engine",
                        layout::ANN_ENGINE_DIGEST
                    ),
                });
            }
            None
        }
        Some(d) => {
            let engine_digest = parse_digest(&whole, d)?;
            let pin = meta.as_ref().and_then(|m| m.engine.digest);
            if pin != Some(engine_digest) {
                return Err(RegistryError::WrongMediaType {
                    reference: whole,
                    detail: format!(
                        "its manifest names engine {engine_digest} but the app component pins {}",
                        pin.map_or("none".to_string(), |p| p.to_string())
                    ),
                });
            }
            let repository = manifest
                .annotations
                .get(layout::ANN_ENGINE_REPOSITORY)
                .cloned()
                .ok_or_else(|| RegistryError::WrongMediaType {
                    reference: whole.clone(),
                    detail: format!(
                        "the `{}` annotation is missing",
                        layout::ANN_ENGINE_REPOSITORY
                    ),
                })?;
            let engine_ref = Reference::with_digest(
                image.registry().to_string(),
                repository.clone(),
                engine_digest.to_string(),
            );
            // The engine artifact's layer *is* the engine component, so its
            // blob is fetched by digest; its size is learnt from the stream.
            let (path, got) =
                fetch_blob(&reg, &engine_ref, engine_digest, 0, store, "engine").await?;
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            if got {
                downloaded += size;
            } else {
                cached += size;
            }
            Some(PulledEngine {
                path,
                digest: engine_digest.to_string(),
                repository,
            })
        }
    };

    let app = match app_stored {
        Some(path) => path,
        None => store.put(&app_bytes)?.1,
    };
    store.remember_location(&reg.registry, image.repository(), &layer_digest);
    store.put(&manifest_bytes)?;
    Ok(Pulled {
        reference: whole,
        manifest_digest: manifest_digest.to_string(),
        kind: kind.into(),
        app,
        app_digest: layer_digest.to_string(),
        engine,
        downloaded_bytes: downloaded,
        cached_bytes: cached,
    })
}

/// [`pull`] on a private single-threaded Tokio runtime, for callers that
/// are not async. Must not be called from inside a Tokio runtime.
pub fn pull_blocking(reference: &str, store: &Store, opts: &PullOptions) -> Result<Pulled> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| RegistryError::io("cannot start the async runtime", "", e))?;
    rt.block_on(pull(reference, store, opts))
}

/// Fetches blob `digest` from `image`'s repository into the store unless it
/// is there. Returns its path and whether it was downloaded. `size` (0 if
/// unknown) bounds the download.
async fn fetch_blob(
    reg: &Registry,
    image: &Reference,
    digest: Digest,
    size: u64,
    store: &Store,
    label: &str,
) -> Result<(PathBuf, bool)> {
    if let Some(path) = store.get(&digest)? {
        tracing::info!(%digest, "blob found in the store");
        store.remember_location(&reg.registry, image.repository(), &digest);
        return Ok((path, false));
    }
    let mut writer = store.writer(digest)?;
    stream_blob(reg, image, digest, size, label, |c| writer.write(c)).await?;
    let path = writer.commit()?;
    store.remember_location(&reg.registry, image.repository(), &digest);
    Ok((path, true))
}

/// Downloads blob `digest` of `image`'s repository into `sink`, verifying
/// its size (`size`, 0 if unknown) and digest as it comes: an error when
/// the bytes are not those asked for, or when the connection breaks.
async fn stream_blob(
    reg: &Registry,
    image: &Reference,
    digest: Digest,
    size: u64,
    label: &str,
    mut sink: impl FnMut(&[u8]) -> Result<()>,
) -> Result<()> {
    use sha2::Digest as _;
    let digest_s = digest.to_string();
    let what = format!("blob {digest_s} in {}", image.repository());
    let mut stream = reg
        .client
        .pull_blob_stream(image, digest_s.as_str())
        .await
        .map_err(|e| reg.error("blob download", &what, e))?;
    let len = if size > 0 {
        size
    } else {
        stream.content_length.unwrap_or(0)
    };
    let bar = reg
        .progress
        .bar(len, format!("pull {label} {}", digest.short()));
    let mut hasher = sha2::Sha256::new();
    let mut written = 0u64;
    let so_far = |h: &sha2::Sha256| Digest::from_bytes(h.clone().finalize().into());
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(bytes) => {
                hasher.update(&bytes);
                written += bytes.len() as u64;
                sink(&bytes)?;
                bar.inc(bytes.len() as u64);
                if size > 0 && written > size {
                    return Err(RegistryError::Tampered {
                        expected: digest_s,
                        actual: format!(
                            "a blob of more than the {size} bytes the manifest declares"
                        ),
                    });
                }
            }
            Err(e) => {
                // oci-client verifies too and fails the stream's end on a
                // mismatch: report that as tampering, with our own digest.
                let actual = so_far(&hasher);
                if (len == 0 || written == len) && actual != digest {
                    return Err(RegistryError::Tampered {
                        expected: digest_s,
                        actual: actual.to_string(),
                    });
                }
                return Err(RegistryError::Interrupted {
                    registry: reg.registry.clone(),
                    what,
                    received: written,
                    detail: e.to_string(),
                });
            }
        }
    }
    bar.finish_and_clear();
    // Short of the manifest's size, or of the response's Content-Length
    // (the engine blob's size is learnt from it): the connection broke.
    if len > 0 && written < len {
        return Err(RegistryError::Interrupted {
            registry: reg.registry.clone(),
            what,
            received: written,
            detail: format!("the stream ended before the {len} bytes announced"),
        });
    }
    let actual = so_far(&hasher);
    if actual != digest {
        return Err(RegistryError::Tampered {
            expected: digest_s,
            actual: actual.to_string(),
        });
    }
    Ok(())
}
