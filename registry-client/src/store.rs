//! The local content-addressed store: `ROOT/blobs/sha256/<hex>`, one file per
//! blob, named by the SHA-256 of its content.
//!
//! Guarantees:
//! - every entry is digest-verified before it gets its name, and again when
//!   it is used (a damaged entry is removed and fetched again);
//! - writes go to a temporary file in `ROOT/tmp/` (same file system), are
//!   fsynced and then renamed into place, so a killed pull leaves no half
//!   entry, only a stray temporary file that a later [`Store::open`] sweeps;
//! - several processes may pull at once: each writes its own temporary file
//!   and the rename is atomic; two writers of one blob write equal bytes.
//!
//! Beside the blobs, `ROOT/locations/<hex>` remembers in which registry
//! repositories a blob was seen (pulled from or published to), one
//! `REGISTRY REPOSITORY` a line: a hint for cross-repository blob mounts
//! (`jspkg publish` into a new repository sends no bytes the registry has).

use crate::error::{RegistryError, Result};
use jspkg_artifact::Digest;
use sha2::{Digest as _, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Temporary files older than this are left-overs of killed processes.
const STALE_TMP: Duration = Duration::from_secs(3600);

/// A local content-addressed blob store.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the store at `root`, conventionally
    /// `$JSPKG_HOME/store`. Sweeps temporary files left by killed processes.
    pub fn open(root: impl Into<PathBuf>) -> Result<Self> {
        let root = root.into();
        let store = Self { root };
        for dir in [store.blobs_dir(), store.tmp_dir(), store.locations_dir()] {
            std::fs::create_dir_all(&dir)
                .map_err(|e| RegistryError::io("cannot create store directory", &dir, e))?;
        }
        store.sweep_tmp();
        Ok(store)
    }

    /// The store's root directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn blobs_dir(&self) -> PathBuf {
        self.root.join("blobs").join("sha256")
    }

    fn tmp_dir(&self) -> PathBuf {
        self.root.join("tmp")
    }

    fn locations_dir(&self) -> PathBuf {
        self.root.join("locations")
    }

    /// The repositories of `registry` in which blob `digest` was seen, most
    /// recent last.
    pub fn locations(&self, registry: &str, digest: &Digest) -> Vec<String> {
        let path = self.locations_dir().join(digest.hex());
        std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split_once(' '))
            .filter(|(r, _)| *r == registry)
            .map(|(_, repo)| repo.to_string())
            .collect()
    }

    /// Remembers that `registry` holds blob `digest` in `repository`. A hint
    /// only: failures are logged, not returned, and a concurrent writer may
    /// win (the file is replaced atomically, never left half written).
    pub fn remember_location(&self, registry: &str, repository: &str, digest: &Digest) {
        let path = self.locations_dir().join(digest.hex());
        let line = format!("{registry} {repository}");
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        if old.lines().any(|l| l == line) {
            return;
        }
        // Keep the file small: the 16 most recent locations.
        let mut lines: Vec<&str> = old.lines().collect();
        lines.push(&line);
        let keep = &lines[lines.len().saturating_sub(16)..];
        let text = keep.join("\n") + "\n";
        if let Err(e) = jspkg_artifact::fsutil::write_atomic(&path, text.as_bytes()) {
            tracing::debug!(path = %path.display(), "cannot remember a blob location: {e}");
        }
    }

    fn sweep_tmp(&self) {
        let Ok(entries) = std::fs::read_dir(self.tmp_dir()) else {
            return;
        };
        let now = SystemTime::now();
        for entry in entries.flatten() {
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| now.duration_since(t).ok())
                .is_some_and(|age| age > STALE_TMP);
            if old {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// Where the blob `digest` lives (whether or not it is there).
    pub fn path(&self, digest: &Digest) -> PathBuf {
        self.blobs_dir().join(digest.hex())
    }

    /// The path of `digest` if the store holds it intact. A damaged entry is
    /// removed (so that it is fetched again) and reported as absent.
    pub fn get(&self, digest: &Digest) -> Result<Option<PathBuf>> {
        let path = self.path(digest);
        let mut file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(RegistryError::io("cannot open store entry", &path, e)),
        };
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = file
                .read(&mut buf)
                .map_err(|e| RegistryError::io("cannot read store entry", &path, e))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        let actual = Digest::from_bytes(hasher.finalize().into());
        if actual != *digest {
            tracing::warn!(%digest, %actual, "store entry is damaged; removing it");
            let _ = std::fs::remove_file(&path);
            return Ok(None);
        }
        Ok(Some(path))
    }

    /// Stores `bytes` under their digest and returns the entry's path.
    pub fn put(&self, bytes: &[u8]) -> Result<(Digest, PathBuf)> {
        let digest = Digest::of(bytes);
        let mut w = self.writer(digest)?;
        w.write(bytes)?;
        let path = w.commit()?;
        Ok((digest, path))
    }

    /// Starts writing the blob `expected`: feed it with [`BlobWriter::write`],
    /// then [`BlobWriter::commit`], which verifies the digest before the
    /// entry appears. Dropping the writer uncommitted leaves nothing.
    pub fn writer(&self, expected: Digest) -> Result<BlobWriter> {
        let dir = self.tmp_dir();
        let file = tempfile::Builder::new()
            .prefix(&format!("{}.", expected.short()))
            .tempfile_in(&dir)
            .map_err(|e| RegistryError::io("cannot create a temporary file in", &dir, e))?;
        Ok(BlobWriter {
            file,
            hasher: Sha256::new(),
            expected,
            target: self.path(&expected),
            written: 0,
        })
    }
}

/// A blob being written into the [`Store`]; see [`Store::writer`].
#[derive(Debug)]
pub struct BlobWriter {
    file: tempfile::NamedTempFile,
    hasher: Sha256,
    expected: Digest,
    target: PathBuf,
    written: u64,
}

impl BlobWriter {
    /// Appends bytes.
    pub fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.hasher.update(bytes);
        self.written += bytes.len() as u64;
        let path = self.file.path().to_path_buf();
        self.file
            .write_all(bytes)
            .map_err(|e| RegistryError::io("cannot write", path, e))
    }

    /// Bytes written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// The digest of the bytes written so far.
    pub fn digest_so_far(&self) -> Digest {
        Digest::from_bytes(self.hasher.clone().finalize().into())
    }

    /// Verifies the digest, syncs and renames the blob into place. On a
    /// mismatch the temporary file is deleted and [`RegistryError::Tampered`]
    /// returned.
    pub fn commit(self) -> Result<PathBuf> {
        let actual = Digest::from_bytes(self.hasher.finalize().into());
        if actual != self.expected {
            return Err(RegistryError::Tampered {
                expected: self.expected.to_string(),
                actual: actual.to_string(),
            });
        }
        let tmp_path = self.file.path().to_path_buf();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            self.file
                .as_file()
                .set_permissions(std::fs::Permissions::from_mode(0o644))
                .map_err(|e| RegistryError::io("cannot set permissions of", &tmp_path, e))?;
        }
        self.file
            .as_file()
            .sync_all()
            .map_err(|e| RegistryError::io("cannot sync", &tmp_path, e))?;
        let target = self.target;
        self.file.persist(&target).map_err(|e| {
            RegistryError::io("cannot move blob into the store at", &target, e.error)
        })?;
        Ok(target)
    }
}
