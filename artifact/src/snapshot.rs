//! The snapshot inside one pre-initialized core module, and the two halves it
//! is split into: the *code module* (the same module with its memory and
//! globals imported from [`SNAPSHOT_IMPORT`] and no active data segments) and
//! the *state* (memory type, global values, memory image) that the data
//! module carries. Also the inverse: merging a code module and a data module
//! back into one core module.
//!
//! Indices never move: the memory becomes memory import 0 (the module must
//! not import a memory), the defined globals become imports appended after
//! the imported ones, in order, and no function import is added, so code,
//! exports, elements and names are copied byte for byte.

use crate::image::{self, MAX_IMAGE_SIZE};
use std::ops::Range;
use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasmparser::{DataKind, Operator, Parser, Payload, TypeRef};

/// Name of the core module that an engine imports its state from: the
/// component-level import name of an engine component, and the module name
/// of the memory and global imports of its code module.
pub const SNAPSHOT_IMPORT: &str = "jspkg-snapshot";

/// Export (and import) name of the snapshot memory.
pub const MEMORY_NAME: &str = "memory";

/// Export (and import) name of the global with index `index` in the
/// original module's global index space.
pub fn global_name(index: u32) -> String {
    format!("global{index}")
}

/// Export (and import) name of global `index` of core module `module` of a
/// component (a module other than the snapshot module).
pub fn module_global_name(module: u32, index: u32) -> String {
    format!("m{module}-global{index}")
}

/// Whether `name` is a global name jspkg writes.
pub fn is_global_name(name: &str) -> bool {
    let digits = |s: &str| {
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'))
    };
    match name.strip_prefix('m').and_then(|r| r.split_once("-global")) {
        Some((m, n)) => digits(m) && digits(n),
        None => name.strip_prefix("global").is_some_and(digits),
    }
}

/// A module whose globals became imports, and those globals.
pub type GlobalsMoved<'a> = (Vec<u8>, Vec<SnapshotGlobal<'a>>);

/// Turns the defined globals of `module` (core module `module_index` of a
/// component, not the snapshot module) into imports from
/// [`SNAPSHOT_IMPORT`] named [`module_global_name`], appended after its
/// imports (indices do not move). `None` when it defines no mutable global
/// or a global with a non-constant initializer (then it stays as it is).
pub fn globals_to_imports(
    module: &[u8],
    module_index: u32,
) -> Result<Option<GlobalsMoved<'_>>, SnapshotError> {
    let mut imported = 0u32;
    let mut globals = Vec::new();
    for payload in Parser::new(0).parse_all(module) {
        match payload? {
            Payload::ImportSection(r) => {
                for imp in r.into_imports() {
                    if let TypeRef::Global(_) = imp?.ty {
                        imported += 1;
                    }
                }
            }
            Payload::GlobalSection(r) => {
                for (i, g) in r.into_iter().enumerate() {
                    let g = g?;
                    let index = imported + i as u32;
                    let Some(init) = const_bytes(&g.init_expr) else {
                        return Ok(None);
                    };
                    globals.push(SnapshotGlobal {
                        name: module_global_name(module_index, index),
                        index,
                        ty: g.ty,
                        init,
                    });
                }
            }
            _ => {}
        }
    }
    if !globals.iter().any(|g| g.ty.mutable) {
        return Ok(None);
    }
    let mut out = wasm_encoder::Module::new();
    let mut imports_done = false;
    let add_imports = |out: &mut wasm_encoder::Module,
                       r: Option<wasmparser::ImportSectionReader<'_>>|
     -> Result<(), SnapshotError> {
        let mut sec = wasm_encoder::ImportSection::new();
        if let Some(r) = r {
            RoundtripReencoder
                .parse_import_section(&mut sec, r)
                .map_err(reencode_err)?;
        }
        for g in &globals {
            sec.import(
                SNAPSHOT_IMPORT,
                &g.name,
                wasm_encoder::EntityType::Global(global_type(g.ty)?),
            );
        }
        out.section(&sec);
        Ok(())
    };
    for payload in Parser::new(0).parse_all(module) {
        let (id, range) = match payload? {
            Payload::ImportSection(r) => {
                add_imports(&mut out, Some(r))?;
                imports_done = true;
                continue;
            }
            Payload::GlobalSection(_) => continue,
            Payload::CustomSection(c) => {
                out.section(&wasm_encoder::CustomSection {
                    name: c.name().into(),
                    data: c.data().into(),
                });
                continue;
            }
            other => match raw_section(&other) {
                Some(section) => section,
                None => continue,
            },
        };
        if id != 1 && !imports_done {
            add_imports(&mut out, None)?;
            imports_done = true;
        }
        out.section(&wasm_encoder::RawSection {
            id,
            data: &module[range],
        });
    }
    if !imports_done {
        add_imports(&mut out, None)?;
    }
    Ok(Some((out.finish(), globals)))
}

/// Why a core module holds no snapshot that can be split.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// The module defines no memory.
    #[error("the module defines no linear memory, so it holds no snapshot")]
    NoMemory,
    /// The module imports its memory, or has more than one.
    #[error("the module {0}; jspkg splits modules that define exactly one memory and import none")]
    MemoryLayout(&'static str),
    /// The module still exports its initialization function.
    #[error(
        "the module still exports `{0}`: it was never pre-initialized; run it through Wizer (or `jspkg build`) first"
    )]
    NotInitialized(String),
    /// Nothing to split: no data segment and no global.
    #[error("the module has no data segments and no globals: there is no snapshot to split")]
    Empty,
    /// A global's initial value is not a constant.
    #[error(
        "global {0} is initialized by a non-constant expression; a snapshot's globals must be constants"
    )]
    GlobalNotConstant(u32),
    /// A data segment's offset is not a constant.
    #[error("active data segment {0} has a non-constant offset or targets another memory")]
    SegmentOffset(usize),
    /// A data segment lies outside the memory or the image limit.
    #[error(
        "active data segment {0} lies outside the memory's initial size or jspkg's image limit"
    )]
    SegmentBounds(usize),
    /// The module is not a valid core module.
    #[error("invalid core module: {0}")]
    Parse(#[from] wasmparser::BinaryReaderError),
    /// A construct jspkg cannot re-encode.
    #[error("unsupported construct: {0}")]
    Unsupported(String),
    /// The module imports from the snapshot module name already.
    #[error("the module already imports from `{SNAPSHOT_IMPORT}`: it is an engine, not a snapshot")]
    AlreadySplit,
}

/// One global of the snapshot, as defined by the original module.
#[derive(Debug, Clone)]
pub struct SnapshotGlobal<'a> {
    /// Export name in the data module (import name in the code module):
    /// `global<N>` for the snapshot module's globals, `m<M>-global<N>` for
    /// those of core module M of the component.
    pub name: String,
    /// Index in its module's global index space.
    pub index: u32,
    /// Its type.
    pub ty: wasmparser::GlobalType,
    /// Its constant initializer, without the final `end`.
    pub init: &'a [u8],
}

/// The state a pre-initialized module carries.
#[derive(Debug, Clone)]
pub struct Snapshot<'a> {
    /// The memory as the snapshot defines it (minimum = snapshot size).
    pub memory: wasmparser::MemoryType,
    /// All defined globals, in index order.
    pub globals: Vec<SnapshotGlobal<'a>>,
    /// Memory contents from address 0 up to the last initialized byte.
    pub image: Vec<u8>,
    /// The memory minimum the code module declares (see [`split_module`]).
    pub contract_min: u64,
}

/// A pre-initialized core module taken apart.
pub struct SplitModule<'a> {
    /// The code module: imports memory and globals, no active data.
    pub code: Vec<u8>,
    /// The snapshot state.
    pub snapshot: Snapshot<'a>,
}

/// The memory type a code module imports: the snapshot's type with the
/// minimum `contract_min` instead of the snapshot size, so that it is the
/// same for every app (a data module's memory, with its larger minimum,
/// matches it).
pub fn contract_memory(
    memory: &wasmparser::MemoryType,
    contract_min: u64,
) -> wasm_encoder::MemoryType {
    let mut m: wasm_encoder::MemoryType = (*memory).into();
    m.minimum = contract_min.min(memory.initial);
    m
}

/// A data segment: `(offset, bytes)` if active, and its bytes.
type Segment<'a> = (Option<(usize, &'a [u8])>, &'a [u8]);

struct Analysis<'a> {
    memory: wasmparser::MemoryType,
    globals: Vec<SnapshotGlobal<'a>>,
    /// (offset, bytes) of active segments, in order.
    active: Vec<(usize, &'a [u8])>,
    /// Data segments the code module keeps: the prefix up to the last one
    /// its code names (active ones inside it become empty passive ones).
    kept: Vec<Option<&'a [u8]>>,
}

fn analyze(module: &[u8], check_init_export: bool) -> Result<Analysis<'_>, SnapshotError> {
    let mut memory = None;
    let mut imported_globals = 0u32;
    let mut globals = Vec::new();
    let mut segments: Vec<Segment<'_>> = Vec::new();
    let mut memories = 0;
    // The highest data segment index the code names (`data.drop`,
    // `memory.init`): such code needs a data count section, and may name
    // an active segment too (valid: it was dropped at instantiation).
    let mut has_data_count = false;
    let mut named_by_code: Option<u32> = None;
    for payload in Parser::new(0).parse_all(module) {
        match payload? {
            Payload::Version { encoding, .. } if encoding != wasmparser::Encoding::Module => {
                return Err(SnapshotError::MemoryLayout(
                    "is a component, not a core module",
                ));
            }
            Payload::ImportSection(r) => {
                for imp in r.into_imports() {
                    let imp = imp?;
                    if imp.module == SNAPSHOT_IMPORT {
                        return Err(SnapshotError::AlreadySplit);
                    }
                    match imp.ty {
                        TypeRef::Memory(_) => {
                            return Err(SnapshotError::MemoryLayout("imports a memory"));
                        }
                        TypeRef::Global(_) => imported_globals += 1,
                        _ => {}
                    }
                }
            }
            Payload::MemorySection(r) => {
                for m in r {
                    memories += 1;
                    memory = Some(m?);
                }
            }
            Payload::GlobalSection(r) => {
                for (i, g) in r.into_iter().enumerate() {
                    let g = g?;
                    let index = imported_globals + i as u32;
                    let init =
                        const_bytes(&g.init_expr).ok_or(SnapshotError::GlobalNotConstant(index))?;
                    globals.push(SnapshotGlobal {
                        name: global_name(index),
                        index,
                        ty: g.ty,
                        init,
                    });
                }
            }
            Payload::ExportSection(r) => {
                for e in r {
                    let e = e?;
                    if check_init_export
                        && matches!(e.name, "wizer-initialize" | "wizer.initialize")
                    {
                        return Err(SnapshotError::NotInitialized(e.name.to_string()));
                    }
                }
            }
            Payload::DataCountSection { .. } => has_data_count = true,
            Payload::CodeSectionEntry(body) if has_data_count => {
                named_by_code = named_by_code.max(highest_data_named(&body)?);
            }
            Payload::DataSection(r) => {
                for (i, d) in r.into_iter().enumerate() {
                    let d = d?;
                    match d.kind {
                        DataKind::Passive => segments.push((None, d.data)),
                        DataKind::Active {
                            memory_index,
                            offset_expr,
                        } => {
                            let offset = const_offset(&offset_expr)
                                .filter(|_| memory_index == 0)
                                .ok_or(SnapshotError::SegmentOffset(i))?;
                            segments.push((Some((offset, d.data)), d.data));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let memory = match (memories, memory) {
        (0, _) | (_, None) => return Err(SnapshotError::NoMemory),
        (1, Some(m)) => m,
        _ => return Err(SnapshotError::MemoryLayout("defines several memories")),
    };
    let page = 1u64 << memory.page_size_log2.unwrap_or(16);
    let mem_bytes = memory.initial.saturating_mul(page);
    let mut active = Vec::new();
    for (i, (seg, _)) in segments.iter().enumerate() {
        if let Some((off, bytes)) = seg {
            let end = off
                .checked_add(bytes.len())
                .ok_or(SnapshotError::SegmentBounds(i))?;
            if end as u64 > mem_bytes || end > MAX_IMAGE_SIZE {
                return Err(SnapshotError::SegmentBounds(i));
            }
            active.push((*off, *bytes));
        }
    }
    if active.is_empty() && globals.is_empty() {
        return Err(SnapshotError::Empty);
    }
    // The code module keeps every segment up to the last one its code
    // names, so that indices stay those of the input (an active segment in
    // that prefix becomes an empty passive one: dropped, like the active one
    // after instantiation). A segment no `memory.init` or `data.drop` names
    // is unobservable: dropping the ones past the last named keeps the
    // code's meaning and saves every instantiation their bookkeeping (Wizer
    // leaves one empty passive segment per original segment: after
    // binaryen's memory packing, thousands).
    let after_named = named_by_code.map_or(0, |i| i as usize + 1);
    let kept = segments[..after_named.min(segments.len())]
        .iter()
        .map(|(s, data)| if s.is_none() { Some(*data) } else { None })
        .collect();
    Ok(Analysis {
        memory,
        globals,
        active,
        kept,
    })
}

/// The highest data segment index a function body names (`data.drop`,
/// `memory.init`), if it names one.
fn highest_data_named(body: &wasmparser::FunctionBody<'_>) -> Result<Option<u32>, SnapshotError> {
    let mut highest = None;
    let mut ops = body.get_operators_reader()?;
    while !ops.eof() {
        if let Operator::DataDrop { data_index } | Operator::MemoryInit { data_index, .. } =
            ops.read()?
        {
            highest = highest.max(Some(data_index));
        }
    }
    Ok(highest)
}

/// The id and byte range of a non-custom section, for copying it unchanged
/// (`RawSection`); `None` for payloads that are not a whole section (the
/// header, code entries, custom sections, the end).
fn raw_section(payload: &Payload<'_>) -> Option<(u8, Range<usize>)> {
    Some(match payload {
        Payload::TypeSection(r) => (1, r.range()),
        Payload::ImportSection(r) => (2, r.range()),
        Payload::FunctionSection(r) => (3, r.range()),
        Payload::TableSection(r) => (4, r.range()),
        Payload::MemorySection(r) => (5, r.range()),
        Payload::GlobalSection(r) => (6, r.range()),
        Payload::ExportSection(r) => (7, r.range()),
        Payload::StartSection { range, .. } => (8, range.clone()),
        Payload::ElementSection(r) => (9, r.range()),
        Payload::CodeSectionStart { range, .. } => (10, range.clone()),
        Payload::DataSection(r) => (11, r.range()),
        Payload::DataCountSection { range, .. } => (12, range.clone()),
        Payload::TagSection(r) => (13, r.range()),
        Payload::UnknownSection { id, range, .. } => (*id, range.clone()),
        _ => return None,
    })
}

/// The bytes of a constant expression without its final `end`, if it only
/// uses constant instructions (no `global.get`, no `ref.func`).
fn const_bytes<'a>(expr: &wasmparser::ConstExpr<'a>) -> Option<&'a [u8]> {
    let mut ops = expr.get_operators_reader();
    while !ops.eof() {
        match ops.read().ok()? {
            Operator::I32Const { .. }
            | Operator::I64Const { .. }
            | Operator::F32Const { .. }
            | Operator::F64Const { .. }
            | Operator::V128Const { .. }
            | Operator::RefNull { .. }
            | Operator::I32Add
            | Operator::I32Sub
            | Operator::I32Mul
            | Operator::I64Add
            | Operator::I64Sub
            | Operator::I64Mul
            | Operator::End => {}
            _ => return None,
        }
    }
    let mut r = expr.get_binary_reader();
    let bytes = r.read_bytes(r.bytes_remaining()).ok()?;
    bytes.split_last().map(|(_, rest)| rest)
}

fn const_offset(expr: &wasmparser::ConstExpr<'_>) -> Option<usize> {
    let mut ops = expr.get_operators_reader();
    let v = match ops.read().ok()? {
        Operator::I32Const { value } => u64::from(value as u32),
        Operator::I64Const { value } => value as u64,
        _ => return None,
    };
    matches!(ops.read().ok()?, Operator::End).then_some(())?;
    ops.eof().then_some(())?;
    usize::try_from(v).ok()
}

/// `module` without the passive data segments no instruction can observe:
/// those past the last segment its code names (`memory.init`,
/// `data.drop`). Active segments all stay, in order (their indices are not
/// observable either, past the named ones); every other section is copied
/// unchanged. Returns `None` when there is nothing to drop.
///
/// Wizer leaves each original segment as an empty passive one, and binaryen's
/// memory packing makes thousands of original segments out of a few; each
/// costs every instantiation its bookkeeping in wasmtime (BENCHMARKS.md,
/// "wasm-opt"). `jspkg build` applies this to Wizer's output, as
/// [`split_module`] does to the code module.
pub fn without_unobservable_data(module: &[u8]) -> Result<Option<Vec<u8>>, SnapshotError> {
    let mut named_by_code: Option<u32> = None;
    let mut has_data_count = false;
    // Each segment's encoding, and whether it is passive.
    let mut segments: Vec<(bool, Range<usize>)> = Vec::new();
    for payload in Parser::new(0).parse_all(module) {
        match payload? {
            Payload::DataCountSection { .. } => has_data_count = true,
            Payload::CodeSectionEntry(body) if has_data_count => {
                named_by_code = named_by_code.max(highest_data_named(&body)?);
            }
            Payload::DataSection(r) => {
                for d in r {
                    let d = d?;
                    segments.push((matches!(d.kind, DataKind::Passive), d.range));
                }
            }
            _ => {}
        }
    }
    let after_named = named_by_code.map_or(0, |i| i as usize + 1);
    let kept: Vec<&Range<usize>> = segments
        .iter()
        .enumerate()
        .filter(|(i, (passive, _))| *i < after_named || !passive)
        .map(|(_, (_, range))| range)
        .collect();
    if kept.len() == segments.len() {
        return Ok(None);
    }
    let mut out = wasm_encoder::Module::new();
    for payload in Parser::new(0).parse_all(module) {
        let (id, range) = match payload? {
            Payload::DataCountSection { .. } => {
                out.section(&wasm_encoder::DataCountSection {
                    count: kept.len() as u32,
                });
                continue;
            }
            Payload::DataSection(_) => {
                if !kept.is_empty() {
                    let mut data = Vec::new();
                    wasm_encoder::Encode::encode(&(kept.len() as u32), &mut data);
                    for range in &kept {
                        data.extend_from_slice(&module[(*range).clone()]);
                    }
                    out.section(&wasm_encoder::RawSection {
                        id: 11,
                        data: &data,
                    });
                }
                continue;
            }
            Payload::CustomSection(c) => {
                out.section(&wasm_encoder::CustomSection {
                    name: c.name().into(),
                    data: c.data().into(),
                });
                continue;
            }
            Payload::Version { encoding, .. } if encoding != wasmparser::Encoding::Module => {
                return Err(SnapshotError::MemoryLayout(
                    "is a component, not a core module",
                ));
            }
            other => match raw_section(&other) {
                Some(section) => section,
                None => continue,
            },
        };
        out.section(&wasm_encoder::RawSection {
            id,
            data: &module[range],
        });
    }
    Ok(Some(out.finish()))
}

/// Splits a pre-initialized core module into its code module and snapshot.
///
/// `contract_min` is the memory minimum (in pages) the code module
/// declares for its imported memory: 0 for a standalone module; for a
/// module inside a component, the largest minimum with which the other
/// modules import that memory (they are code: the same for every app).
/// `standalone`: the module is the whole input (then a module that still
/// exports Wizer's init function is refused as not pre-initialized; inside
/// components some producers keep that export).
pub fn split_module(
    module: &[u8],
    contract_min: u64,
    standalone: bool,
) -> Result<SplitModule<'_>, SnapshotError> {
    let a = analyze(module, standalone)?;
    let mut image = Vec::new();
    for (off, bytes) in &a.active {
        let end = off + bytes.len();
        if image.len() < end {
            image.resize(end, 0);
        }
        image[*off..end].copy_from_slice(bytes);
    }
    // Trailing zeros carry nothing.
    let used = image.iter().rposition(|&b| b != 0).map_or(0, |p| p + 1);
    image.truncate(used);

    let code = rewrite_module(module, |s| match s {
        Section::Import(r) => {
            let mut out = wasm_encoder::ImportSection::new();
            if let Some(r) = r {
                RoundtripReencoder
                    .parse_import_section(&mut out, r)
                    .map_err(reencode_err)?;
            }
            // The snapshot imports come after the originals.
            out.import(
                SNAPSHOT_IMPORT,
                MEMORY_NAME,
                wasm_encoder::EntityType::Memory(contract_memory(&a.memory, contract_min)),
            );
            for g in &a.globals {
                out.import(
                    SNAPSHOT_IMPORT,
                    &g.name,
                    wasm_encoder::EntityType::Global(global_type(g.ty)?),
                );
            }
            Ok(Some(Out::Encoded(Box::new(out))))
        }
        Section::Memory | Section::Global => Ok(None),
        Section::DataCount => Ok(Some(Out::DataCount(a.kept.len() as u32))),
        Section::Data => {
            if a.kept.is_empty() {
                return Ok(None);
            }
            let mut data = wasm_encoder::DataSection::new();
            for seg in &a.kept {
                data.passive(seg.unwrap_or(&[]).iter().copied());
            }
            Ok(Some(Out::Encoded(Box::new(data))))
        }
    })?;
    Ok(SplitModule {
        code,
        snapshot: Snapshot {
            memory: a.memory,
            globals: a.globals,
            image,
            contract_min,
        },
    })
}

/// Merges a code module (as [`split_module`] makes) and a data module (as
/// `data_module::encode` makes) into one core module equivalent to the
/// pre-initialized original.
pub fn merge_module(
    code: &[u8],
    data: &crate::data_module::DataModule<'_>,
) -> Result<Vec<u8>, SnapshotError> {
    // Passive segments the code keeps, then the data module's active ones.
    let mut passive: Vec<&[u8]> = Vec::new();
    for payload in Parser::new(0).parse_all(code) {
        if let Payload::DataSection(r) = payload? {
            for d in r {
                passive.push(d?.data);
            }
        }
    }
    let segs = image::segments(&data.image);
    let count = (passive.len() + segs.len()) as u32;
    let memory: wasm_encoder::MemoryType = data.memory.into();
    rewrite_module(code, |s| match s {
        Section::Import(r) => {
            let mut out = wasm_encoder::ImportSection::new();
            if let Some(r) = r {
                for imp in r.into_imports() {
                    let imp = imp?;
                    if imp.module != SNAPSHOT_IMPORT {
                        RoundtripReencoder
                            .parse_import(&mut out, imp)
                            .map_err(reencode_err)?;
                    }
                }
            }
            Ok((!out.is_empty()).then(|| Out::Encoded(Box::new(out))))
        }
        Section::Memory => {
            let mut m = wasm_encoder::MemorySection::new();
            m.memory(memory);
            Ok(Some(Out::Encoded(Box::new(m))))
        }
        Section::Global => {
            if data.globals.is_empty() {
                return Ok(None);
            }
            let mut g = wasm_encoder::GlobalSection::new();
            for sg in &data.globals {
                g.global(
                    global_type(sg.ty)?,
                    &wasm_encoder::ConstExpr::raw(sg.init.iter().copied()),
                );
            }
            Ok(Some(Out::Encoded(Box::new(g))))
        }
        Section::DataCount => Ok(Some(Out::DataCount(count))),
        Section::Data => {
            if count == 0 {
                return Ok(None);
            }
            let mut d = wasm_encoder::DataSection::new();
            for p in &passive {
                d.passive(p.iter().copied());
            }
            for (off, bytes) in &segs {
                d.active(0, &offset_expr(&data.memory, *off), bytes.iter().copied());
            }
            Ok(Some(Out::Encoded(Box::new(d))))
        }
    })
}

/// The constant expression of a data segment offset in `memory`.
pub fn offset_expr(memory: &wasmparser::MemoryType, off: usize) -> wasm_encoder::ConstExpr {
    if memory.memory64 {
        wasm_encoder::ConstExpr::i64_const(off as i64)
    } else {
        wasm_encoder::ConstExpr::i32_const(off as u32 as i32)
    }
}

/// A global type for wasm-encoder.
pub fn global_type(ty: wasmparser::GlobalType) -> Result<wasm_encoder::GlobalType, SnapshotError> {
    RoundtripReencoder.global_type(ty).map_err(reencode_err)
}

fn reencode_err(e: wasm_encoder::reencode::Error) -> SnapshotError {
    match e {
        wasm_encoder::reencode::Error::ParseError(p) => SnapshotError::Parse(p),
        other => SnapshotError::Unsupported(other.to_string()),
    }
}

/// Sections [`rewrite_module`] hands to its callback.
enum Section<'a> {
    /// The import section (`None` when the module has none: the callback
    /// may still add one).
    Import(Option<wasmparser::ImportSectionReader<'a>>),
    Memory,
    Global,
    DataCount,
    Data,
}

enum Out {
    Encoded(Box<dyn wasm_encoder::Section>),
    DataCount(u32),
}

/// Copies `module` section by section, asking `f` what to write for the
/// import, memory, global, data-count and data sections (each asked once,
/// in section order, even when the module lacks it). Other sections are
/// copied unchanged.
fn rewrite_module<'a>(
    module: &'a [u8],
    mut f: impl FnMut(Section<'a>) -> Result<Option<Out>, SnapshotError>,
) -> Result<Vec<u8>, SnapshotError> {
    // Where each asked-for section goes, by the canonical section order.
    const ORDER: [u8; 13] = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];
    let rank = |id: u8| ORDER.iter().position(|&x| x == id);
    let mut out = wasm_encoder::Module::new();
    let mut pending: Vec<u8> = vec![2, 5, 6, 12, 11];
    let mut import_reader = None;
    let emit = |out: &mut wasm_encoder::Module,
                id: u8,
                reader: Option<wasmparser::ImportSectionReader<'a>>,
                f: &mut dyn FnMut(Section<'a>) -> Result<Option<Out>, SnapshotError>|
     -> Result<(), SnapshotError> {
        let s = match id {
            2 => Section::Import(reader),
            5 => Section::Memory,
            6 => Section::Global,
            12 => Section::DataCount,
            _ => Section::Data,
        };
        match f(s)? {
            None => {}
            Some(Out::Encoded(sec)) => {
                out.section(&SectionRef(sec.as_ref()));
            }
            Some(Out::DataCount(n)) => {
                out.section(&wasm_encoder::DataCountSection { count: n });
            }
        }
        Ok(())
    };
    let mut had_datacount = false;
    // First pass: collect section ranges in order.
    let mut order: Vec<Item<'a>> = Vec::new();
    for payload in Parser::new(0).parse_all(module) {
        let item = match payload? {
            Payload::ImportSection(r) => {
                import_reader = Some(r);
                Item::Asked(2)
            }
            Payload::MemorySection(_) => Item::Asked(5),
            Payload::GlobalSection(_) => Item::Asked(6),
            Payload::DataCountSection { .. } => {
                had_datacount = true;
                Item::Asked(12)
            }
            Payload::DataSection(_) => Item::Asked(11),
            Payload::CustomSection(c) => {
                if crate::component::is_jspkg_section(c.name()) {
                    continue;
                }
                Item::Custom(c.name(), c.data())
            }
            other => match raw_section(&other) {
                Some((id, range)) => Item::Raw(id, range),
                None => continue,
            },
        };
        order.push(item);
    }
    for item in order {
        let id = match &item {
            Item::Raw(id, _) | Item::Asked(id) => Some(*id),
            Item::Custom(..) => None,
        };
        // Before a section, emit every pending asked-for section that ranks
        // before it (so a missing import, memory or global section still
        // gets its place).
        if let Some(r) = id.and_then(rank) {
            while let Some(&p) = pending.first() {
                let pr = rank(p).unwrap_or(usize::MAX);
                if pr < r || (pr == r && matches!(item, Item::Asked(_))) {
                    pending.remove(0);
                    if p == 12 && !had_datacount {
                        continue;
                    }
                    let reader = if p == 2 { import_reader.take() } else { None };
                    emit(&mut out, p, reader, &mut f)?;
                } else {
                    break;
                }
            }
        }
        match item {
            Item::Raw(id, range) => {
                out.section(&wasm_encoder::RawSection {
                    id,
                    data: &module[range],
                });
            }
            Item::Asked(_) => {}
            Item::Custom(name, data) => {
                out.section(&wasm_encoder::CustomSection {
                    name: name.into(),
                    data: data.into(),
                });
            }
        }
    }
    for p in pending {
        if p == 12 && !had_datacount {
            continue;
        }
        let reader = if p == 2 { import_reader.take() } else { None };
        emit(&mut out, p, reader, &mut f)?;
    }
    Ok(out.finish())
}

enum Item<'a> {
    Raw(u8, Range<usize>),
    Asked(u8),
    Custom(&'a str, &'a [u8]),
}

struct SectionRef<'a>(&'a dyn wasm_encoder::Section);

impl wasm_encoder::Encode for SectionRef<'_> {
    fn encode(&self, sink: &mut Vec<u8>) {
        self.0.encode(sink);
    }
}

impl wasm_encoder::Section for SectionRef<'_> {
    fn id(&self) -> u8 {
        self.0.id()
    }
}
