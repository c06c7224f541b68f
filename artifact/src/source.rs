//! The source record: the exact input an app was pre-initialized from (its
//! bundled module, zstd-compressed, and the build options), carried in the
//! `jspkg-source` custom section of pre-initialized, app and composed
//! components so that `jspkg rebuild` can snapshot the app again on a new
//! engine. Its byte layout is specified in `FORMAT.md` (§12).

use crate::Digest;
use serde::{Deserialize, Serialize};
use std::io::Read;

/// Name of the top-level custom section holding the source record.
pub const SOURCE_SECTION: &str = "jspkg-source";

/// Version of the source record layout written by this jspkg.
pub const SOURCE_RECORD_VERSION: u32 = 1;

/// Largest source a record may hold once decompressed (64 MiB): bounds what
/// a hostile record can make a reader allocate.
pub const MAX_SOURCE_SIZE: u64 = 64 << 20;

/// zstd level of recorded sources (a function of the input: reproducible).
const ZSTD_LEVEL: i32 = 19;

/// The build options a source was pre-initialized with: everything besides
/// the engine and the source that the snapshot depends on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildOptionsRecord {
    /// The engine world (`cli`, `http`).
    pub world: String,
    /// The build clock the top-level code saw, in seconds since the Unix
    /// epoch (`$SOURCE_DATE_EPOCH`, else 0).
    pub build_time: u64,
}

/// Digest, size and compression of the recorded source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceBlob {
    /// `sha256:` of the uncompressed source bytes.
    pub digest: Digest,
    /// Size of the uncompressed source in bytes.
    pub size: u64,
    /// Always `zstd`.
    pub compression: String,
}

/// The JSON header of a source record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceHeader {
    /// [`SOURCE_RECORD_VERSION`].
    pub version: u32,
    /// The module's file name (messages and stack traces show it).
    pub file_name: String,
    /// The build options.
    pub options: BuildOptionsRecord,
    /// The source blob that follows the header.
    pub source: SourceBlob,
}

/// A decoded source record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRecord {
    /// The header.
    pub header: SourceHeader,
    /// The source text, digest-checked.
    pub source: String,
}

/// What `jspkg inspect` shows of a record (without the source itself).
#[derive(Debug, Clone, Serialize)]
pub struct SourceSummary {
    /// Record version.
    pub version: u32,
    /// Bytes the `jspkg-source` section adds to the file.
    pub record_size: u64,
    /// The module's file name.
    pub file_name: String,
    /// The build options.
    pub options: BuildOptionsRecord,
    /// Digest, size and compression of the source.
    pub source: SourceBlob,
    /// Size of the compressed source.
    pub compressed_size: u64,
}

/// A source record that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The section does not have the layout of `FORMAT.md` §12.
    #[error("the `jspkg-source` record is corrupt: {0}")]
    Corrupt(String),
    /// A record version this jspkg does not know.
    #[error(
        "the `jspkg-source` record has version {0}; this jspkg reads version {SOURCE_RECORD_VERSION}: upgrade jspkg"
    )]
    UnknownVersion(u32),
    /// The decompressed source does not match the recorded digest.
    #[error("the recorded source does not match its digest (recorded {expected}, got {actual})")]
    DigestMismatch {
        /// Recorded digest.
        expected: Digest,
        /// Digest of the decoded bytes.
        actual: Digest,
    },
}

/// Encodes a source record: the compact JSON header, a line feed, then one
/// zstd frame of the source (level 19, content size in the frame header).
/// A function of its inputs: equal inputs give equal bytes.
pub fn encode(file_name: &str, options: &BuildOptionsRecord, source: &str) -> Vec<u8> {
    let header = SourceHeader {
        version: SOURCE_RECORD_VERSION,
        file_name: file_name.to_string(),
        options: options.clone(),
        source: SourceBlob {
            digest: Digest::of(source.as_bytes()),
            size: source.len() as u64,
            compression: "zstd".into(),
        },
    };
    let mut out = serde_json::to_vec(&header).expect("header serializes");
    out.push(b'\n');
    // `bulk::compress` writes the content size into the frame header.
    let frame =
        zstd::bulk::compress(source.as_bytes(), ZSTD_LEVEL).expect("zstd compression into memory");
    out.extend_from_slice(&frame);
    out
}

fn split_record(section: &[u8]) -> Result<(SourceHeader, &[u8]), SourceError> {
    let nl = section
        .iter()
        .position(|&b| b == b'\n')
        .ok_or_else(|| SourceError::Corrupt("no header line".into()))?;
    #[derive(Deserialize)]
    struct VersionOnly {
        version: u32,
    }
    let v: VersionOnly = serde_json::from_slice(&section[..nl])
        .map_err(|e| SourceError::Corrupt(format!("header: {e}")))?;
    if v.version != SOURCE_RECORD_VERSION {
        return Err(SourceError::UnknownVersion(v.version));
    }
    let header: SourceHeader = serde_json::from_slice(&section[..nl])
        .map_err(|e| SourceError::Corrupt(format!("header: {e}")))?;
    if header.source.compression != "zstd" {
        return Err(SourceError::Corrupt(format!(
            "unknown compression `{}`",
            header.source.compression
        )));
    }
    if header.source.size > MAX_SOURCE_SIZE {
        return Err(SourceError::Corrupt(format!(
            "the source is {} bytes, more than jspkg's limit of {MAX_SOURCE_SIZE}",
            header.source.size
        )));
    }
    Ok((header, &section[nl + 1..]))
}

/// Decodes a record's section bytes, checking size and digest.
pub fn decode(section: &[u8]) -> Result<SourceRecord, SourceError> {
    let (header, frame) = split_record(section)?;
    let mut out = Vec::new();
    zstd::stream::read::Decoder::with_buffer(frame)
        .and_then(|d| d.take(header.source.size + 1).read_to_end(&mut out))
        .map_err(|e| SourceError::Corrupt(format!("zstd: {e}")))?;
    if out.len() as u64 != header.source.size {
        return Err(SourceError::Corrupt(format!(
            "the source decodes to {} bytes but the record says {}",
            out.len(),
            header.source.size
        )));
    }
    let actual = Digest::of(&out);
    if actual != header.source.digest {
        return Err(SourceError::DigestMismatch {
            expected: header.source.digest,
            actual,
        });
    }
    let source = String::from_utf8(out)
        .map_err(|_| SourceError::Corrupt("the source is not UTF-8".into()))?;
    Ok(SourceRecord { header, source })
}

/// The raw `jspkg-source` section of a module or component, if any.
pub fn section(wasm: &[u8]) -> Option<&[u8]> {
    crate::split::find_custom(wasm, SOURCE_SECTION)
}

/// Reads and decodes the source record of a module or component:
/// `Ok(None)` when it carries none (built with `--no-source`, or not by jspkg).
pub fn read(wasm: &[u8]) -> Result<Option<SourceRecord>, SourceError> {
    section(wasm).map(decode).transpose()
}

/// Summarizes the record of `wasm` for `inspect` (header only, checked).
pub fn summary(wasm: &[u8]) -> Result<Option<SourceSummary>, SourceError> {
    let Some(section) = section(wasm) else {
        return Ok(None);
    };
    let (header, frame) = split_record(section)?;
    // Section id, name and payload, as the file holds them.
    let name_len = SOURCE_SECTION.len() as u64;
    let payload = name_len + leb_len(name_len) + section.len() as u64;
    Ok(Some(SourceSummary {
        version: header.version,
        record_size: 1 + leb_len(payload) + payload,
        file_name: header.file_name,
        options: header.options,
        source: header.source,
        compressed_size: frame.len() as u64,
    }))
}

fn leb_len(mut v: u64) -> u64 {
    let mut n = 1;
    while v >= 0x80 {
        v >>= 7;
        n += 1;
    }
    n
}

/// Appends a `jspkg-source` section holding `record` (from [`encode`]).
pub fn append(wasm: &mut Vec<u8>, record: &[u8]) {
    crate::split::append_custom(wasm, SOURCE_SECTION, record);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> BuildOptionsRecord {
        BuildOptionsRecord {
            world: "cli".into(),
            build_time: 0,
        }
    }

    #[test]
    fn round_trip_and_reproducible() {
        let src = "export function main() { console.log('hi'); }\n".repeat(50);
        let a = encode("hello.js", &opts(), &src);
        assert_eq!(a, encode("hello.js", &opts(), &src));
        assert!(
            a.len() < src.len(),
            "compressed: {} of {}",
            a.len(),
            src.len()
        );
        let r = decode(&a).unwrap();
        assert_eq!(r.source, src);
        assert_eq!(r.header.file_name, "hello.js");
        assert_eq!(r.header.options, opts());
        assert_eq!(r.header.source.digest, Digest::of(src.as_bytes()));
    }

    #[test]
    fn corrupt_records_are_refused() {
        let good = encode("a.js", &opts(), "export function main() {}\n");
        assert!(decode(b"no newline").is_err());
        assert!(decode(b"{}\n").is_err());
        let future = br#"{"version":2}
xx"#;
        assert!(matches!(
            decode(future),
            Err(SourceError::UnknownVersion(2))
        ));
        let mut bad = good.clone();
        let last = bad.len() - 1;
        bad[last] ^= 0xff;
        assert!(decode(&bad).is_err());
        // Another source under the same header: the digest check fails.
        let nl = good.iter().position(|&b| b == b'\n').unwrap();
        let mut swapped = good[..=nl].to_vec();
        swapped.extend(zstd::bulk::compress(b"export function main() {}\r", 19).unwrap());
        assert!(matches!(
            decode(&swapped),
            Err(SourceError::DigestMismatch { .. })
        ));
    }

    #[test]
    fn summary_counts_the_whole_section() {
        let rec = encode("a.js", &opts(), "export function main() {}\n");
        let mut wasm = wasm_encoder::Component::new().finish();
        let before = wasm.len();
        append(&mut wasm, &rec);
        let s = summary(&wasm).unwrap().unwrap();
        assert_eq!(s.record_size, (wasm.len() - before) as u64);
        assert_eq!(
            read(&wasm).unwrap().unwrap().source,
            "export function main() {}\n"
        );
    }
}
