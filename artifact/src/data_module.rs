//! The data module: a core module with no code that defines the snapshot's
//! memory (with the image as active data segments) and its globals, and
//! exports them under the names the engine's code module imports.
//!
//! Its encoding is canonical (a function of memory type, globals and image):
//! memory section, global section, export section, then the data section.
//! The *stripped* form, stored in compact apps, is the same bytes without
//! the data section, so expanding is appending the data section.

use crate::image::{self, MAX_IMAGE_SIZE};
use crate::snapshot::{self, MEMORY_NAME, Snapshot, SnapshotGlobal};
use wasmparser::{DataKind, ExternalKind, Parser, Payload};

/// A data module, read back.
#[derive(Debug, Clone)]
pub struct DataModule<'a> {
    /// Its memory.
    pub memory: wasmparser::MemoryType,
    /// Its globals, with the original global indices their export names carry.
    pub globals: Vec<SnapshotGlobal<'a>>,
    /// Memory contents from address 0 (empty for a stripped module).
    pub image: Vec<u8>,
    /// Whether it has a data section.
    pub has_data: bool,
}

/// A core module that is not a data module jspkg wrote.
#[derive(Debug, thiserror::Error)]
pub enum DataModuleError {
    /// Not valid WebAssembly.
    #[error("the data module is not valid WebAssembly: {0}")]
    Parse(#[from] wasmparser::BinaryReaderError),
    /// Valid, but not shaped as a data module.
    #[error("the data module is malformed: {0}")]
    Shape(String),
}

/// Encodes the data module of `snapshot`; without its data section when
/// `with_data` is false.
pub fn encode(snapshot: &Snapshot<'_>, with_data: bool) -> Vec<u8> {
    encode_parts(
        &snapshot.memory,
        &snapshot.globals,
        with_data.then_some(&snapshot.image[..]),
    )
}

/// Encodes a data module from its parts (`image` `None`: stripped).
pub fn encode_parts(
    memory: &wasmparser::MemoryType,
    globals: &[SnapshotGlobal<'_>],
    image: Option<&[u8]>,
) -> Vec<u8> {
    let mut m = wasm_encoder::Module::new();
    let mut mems = wasm_encoder::MemorySection::new();
    mems.memory((*memory).into());
    m.section(&mems);
    if !globals.is_empty() {
        let mut gs = wasm_encoder::GlobalSection::new();
        for g in globals {
            // Types come from a validated module: conversion cannot fail.
            if let Ok(ty) = snapshot::global_type(g.ty) {
                gs.global(ty, &wasm_encoder::ConstExpr::raw(g.init.iter().copied()));
            }
        }
        m.section(&gs);
    }
    let mut ex = wasm_encoder::ExportSection::new();
    ex.export(MEMORY_NAME, wasm_encoder::ExportKind::Memory, 0);
    for (i, g) in globals.iter().enumerate() {
        ex.export(&g.name, wasm_encoder::ExportKind::Global, i as u32);
    }
    m.section(&ex);
    let mut bytes = m.finish();
    if let Some(image) = image {
        append_data_section(&mut bytes, memory, image, 0);
    }
    bytes
}

/// Appends to `out` the encoded data section (id, size, contents) holding
/// an image whose bytes from address `base` on are `image` and whose first
/// `base` bytes are zero (a compact app's image without its zero prefix):
/// the same bytes as for the whole image at base 0.
///
/// Encoded here rather than with `wasm_encoder::DataSection`, whose
/// segments take their bytes through an iterator, one at a time (3 ms of a
/// new app's 1 MB heap), and sized before it is written, so that each byte
/// of the image is copied once, straight into `out` (a new app's data
/// module is 4 MB). The layout is wasm-encoder's: one active segment of
/// memory 0 per non-zero region, at a constant offset.
pub fn append_data_section(
    out: &mut Vec<u8>,
    memory: &wasmparser::MemoryType,
    image: &[u8],
    base: usize,
) {
    use wasm_encoder::Encode;
    let segs = image::segments(image);
    if segs.is_empty() {
        return;
    }
    // Each segment's header: flag (active, memory 0), offset expression,
    // length.
    let mut headers = Vec::with_capacity(16 * segs.len());
    let mut ends = Vec::with_capacity(segs.len());
    for (off, bytes) in &segs {
        headers.push(0x00);
        snapshot::offset_expr(memory, base + off).encode(&mut headers);
        bytes.len().encode(&mut headers);
        ends.push(headers.len());
    }
    let mut count = Vec::new();
    segs.len().encode(&mut count);
    let data: usize = segs.iter().map(|(_, b)| b.len()).sum();
    let contents = count.len() + headers.len() + data;
    out.reserve_exact(1 + 5 + contents);
    out.push(wasm_encoder::SectionId::Data as u8);
    contents.encode(out);
    out.extend_from_slice(&count);
    let mut from = 0;
    for ((_, bytes), end) in segs.iter().zip(ends) {
        out.extend_from_slice(&headers[from..end]);
        out.extend_from_slice(bytes);
        from = end;
    }
}

/// Reads a data module.
pub fn parse(bytes: &[u8]) -> Result<DataModule<'_>, DataModuleError> {
    read(bytes, true)
}

/// Reads and checks a data module as [`parse`] does, but leaves its image
/// empty: for a caller that needs only the memory type and the globals, it
/// spares building a copy of the memory (4-5 MB for an app).
pub fn parse_shape(bytes: &[u8]) -> Result<DataModule<'_>, DataModuleError> {
    read(bytes, false)
}

fn read(bytes: &[u8], with_image: bool) -> Result<DataModule<'_>, DataModuleError> {
    let shape = |s: &str| DataModuleError::Shape(s.to_string());
    let mut memory = None;
    let mut defs: Vec<(wasmparser::GlobalType, &[u8])> = Vec::new();
    let mut names: Vec<Option<(String, u32)>> = Vec::new();
    let mut image = Vec::new();
    let mut has_data = false;
    for payload in Parser::new(0).parse_all(bytes) {
        match payload? {
            Payload::Version { encoding, .. } if encoding != wasmparser::Encoding::Module => {
                return Err(shape("it is a component"));
            }
            Payload::Version { .. } | Payload::End(_) | Payload::CustomSection(_) => {}
            Payload::MemorySection(r) => {
                for m in r {
                    if memory.replace(m?).is_some() {
                        return Err(shape("more than one memory"));
                    }
                }
            }
            Payload::GlobalSection(r) => {
                for g in r {
                    let g = g?;
                    let mut br = g.init_expr.get_binary_reader();
                    let init = br.read_bytes(br.bytes_remaining())?;
                    let init = init.split_last().map_or(&[][..], |(_, rest)| rest);
                    defs.push((g.ty, init));
                }
                names = vec![None; defs.len()];
            }
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e?;
                    match e.kind {
                        ExternalKind::Memory if e.name == MEMORY_NAME && e.index == 0 => {}
                        ExternalKind::Global => {
                            if !snapshot::is_global_name(e.name) {
                                return Err(shape(
                                    "a global export is not named global<N> or m<M>-global<N>",
                                ));
                            }
                            let idx = e
                                .name
                                .rsplit_once("global")
                                .and_then(|(_, n)| n.parse::<u32>().ok())
                                .ok_or_else(|| shape("a global export has no index"))?;
                            let slot = names
                                .get_mut(e.index as usize)
                                .ok_or_else(|| shape("an export names a missing global"))?;
                            if slot.replace((e.name.to_string(), idx)).is_some() {
                                return Err(shape("a global is exported twice"));
                            }
                        }
                        _ => return Err(shape("unexpected export")),
                    }
                }
            }
            Payload::DataSection(r) => {
                has_data = true;
                let mem = memory.ok_or_else(|| shape("data without a memory"))?;
                let page = 1u64 << mem.page_size_log2.unwrap_or(16).min(16);
                let limit = (mem.initial.saturating_mul(page)).min(MAX_IMAGE_SIZE as u64) as usize;
                for d in r {
                    let d = d?;
                    let DataKind::Active {
                        memory_index: 0,
                        offset_expr,
                    } = d.kind
                    else {
                        return Err(shape("a data segment is not active in memory 0"));
                    };
                    let mut ops = offset_expr.get_operators_reader();
                    let off = match ops.read()? {
                        wasmparser::Operator::I32Const { value } => u64::from(value as u32),
                        wasmparser::Operator::I64Const { value } => value as u64,
                        _ => return Err(shape("a data segment offset is not a constant")),
                    };
                    let end = off
                        .checked_add(d.data.len() as u64)
                        .filter(|&e| e <= limit as u64)
                        .ok_or_else(|| shape("a data segment lies outside the memory"))?
                        as usize;
                    if !with_image {
                        continue;
                    }
                    if image.len() < end {
                        image.resize(end, 0);
                    }
                    image[off as usize..end].copy_from_slice(d.data);
                }
            }
            _ => {
                return Err(shape(
                    "it has sections a data module has not (code, imports ...)",
                ));
            }
        }
    }
    let memory = memory.ok_or_else(|| shape("no memory"))?;
    let globals = defs
        .into_iter()
        .zip(names)
        .map(|((ty, init), name)| {
            name.map(|(name, index)| SnapshotGlobal {
                name,
                index,
                ty,
                init,
            })
            .ok_or_else(|| shape("a global is not exported"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut seen: Vec<&str> = globals.iter().map(|g| g.name.as_str()).collect();
    seen.sort_unstable();
    if seen.windows(2).any(|w| w[0] == w[1]) {
        return Err(shape("a global name is exported twice"));
    }
    let used = image.iter().rposition(|&b| b != 0).map_or(0, |p| p + 1);
    image.truncate(used);
    Ok(DataModule {
        memory,
        globals,
        image,
        has_data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The data section as `wasm_encoder::DataSection` encodes it: the
    /// layout `data_section` must keep, byte for byte.
    fn with_wasm_encoder(memory: &wasmparser::MemoryType, image: &[u8]) -> Vec<u8> {
        use wasm_encoder::{Encode, Section};
        let mut d = wasm_encoder::DataSection::new();
        for (off, bytes) in image::segments(image) {
            d.active(
                0,
                &snapshot::offset_expr(memory, off),
                bytes.iter().copied(),
            );
        }
        let mut out = vec![d.id()];
        d.encode(&mut out);
        out
    }

    /// The data section holding the whole `image`.
    fn data_section(memory: &wasmparser::MemoryType, image: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        append_data_section(&mut out, memory, image, 0);
        out
    }

    #[test]
    fn data_section_is_encoded_as_wasm_encoder_encodes_it() {
        for memory64 in [false, true] {
            let memory = wasmparser::MemoryType {
                memory64,
                shared: false,
                initial: 80,
                maximum: None,
                page_size_log2: None,
            };
            // Segments at offsets and of lengths whose LEB128 encodings
            // take 1 to 3 bytes, the last one 200 KB long.
            let mut image = vec![0u8; 5 << 20];
            for (i, off) in [0usize, 100, 200, 20_000, 3_000_000]
                .into_iter()
                .enumerate()
            {
                let len = [1, 127, 128, 16_384, 200_000][i];
                for (j, b) in image[off..off + len].iter_mut().enumerate() {
                    *b = 1 + (j % 251) as u8;
                }
            }
            let ours = data_section(&memory, &image);
            assert_eq!(ours, with_wasm_encoder(&memory, &image));
            // An image that starts with zeros, without them, placed at
            // their end: the same section (what a compact app's expansion
            // writes after the module's other sections).
            let mut late = image.clone();
            late[..100].fill(0);
            let prefix = image::zero_prefix(&late);
            assert_eq!(prefix, 100);
            let mut out = vec![7u8; 3];
            append_data_section(&mut out, &memory, &late[prefix..], prefix);
            assert_eq!(out[..3], [7, 7, 7]);
            assert_eq!(out[3..], data_section(&memory, &late)[..]);
            let mut module = encode_parts(&memory, &[], None);
            module.extend_from_slice(&ours);
            let back = parse(&module).expect("the module reads back");
            assert_eq!(back.image[..], image[..3_200_000]);
        }
        assert!(
            data_section(
                &wasmparser::MemoryType {
                    memory64: false,
                    shared: false,
                    initial: 1,
                    maximum: None,
                    page_size_log2: None,
                },
                &[0; 10]
            )
            .is_empty()
        );
    }
}
