//! The top level of a component, rewritten: the snapshot module replaced by
//! an import of the data module plus the code module (split), and that
//! import replaced by an embedded data module again (compose).
//!
//! In an engine component the data module import takes the snapshot
//! module's place in the core module index space and the code module comes
//! right after it, so every later module index moves up by one; the data
//! module's core instance is created just before the code module's, so
//! every core instance index from there moves up by one. Core instance and
//! alias sections are re-encoded with those shifts; every other section is
//! copied byte for byte.

use crate::snapshot::{self, SNAPSHOT_IMPORT, Snapshot};
use std::ops::Range;
use wasm_encoder::{ComponentSectionId, RawSection};
use wasmparser::{ComponentAlias, ComponentExternalKind, Instance, Parser, Payload};

/// Custom sections jspkg writes (dropped when rewriting a component).
pub fn is_jspkg_section(name: &str) -> bool {
    name == crate::metadata::SECTION_NAME || name.starts_with("jspkg-")
}

/// A top-level item of a component.
pub(crate) enum Top<'a> {
    /// A section copied as is unless noted: (id, content range).
    Raw(u8, Range<usize>),
    /// A core module (its bytes' range).
    Module(Range<usize>),
    /// A core instance section.
    CoreInstances(wasmparser::InstanceSectionReader<'a>, Range<usize>),
    /// An alias section.
    Aliases(
        wasmparser::SectionLimited<'a, ComponentAlias<'a>>,
        Range<usize>,
    ),
    /// A core type section.
    CoreTypes(Range<usize>, u32),
    /// A component import section.
    Imports(wasmparser::ComponentImportSectionReader<'a>, Range<usize>),
    /// A custom section.
    Custom(&'a str, &'a [u8]),
}

/// The top-level items of a component, in order.
pub(crate) fn top_level(bytes: &[u8]) -> Result<Vec<Top<'_>>, LayoutError> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload?;
        let top = depth == 0;
        match payload {
            Payload::ModuleSection {
                unchecked_range, ..
            } => {
                if top {
                    check_range(bytes, &unchecked_range)?;
                    out.push(Top::Module(unchecked_range));
                }
                depth += 1;
            }
            Payload::ComponentSection {
                unchecked_range, ..
            } => {
                if top {
                    check_range(bytes, &unchecked_range)?;
                    out.push(Top::Raw(
                        ComponentSectionId::Component as u8,
                        unchecked_range,
                    ));
                }
                depth += 1;
            }
            Payload::End(_) => depth = depth.saturating_sub(1),
            _ if !top => {}
            Payload::InstanceSection(r) => {
                let range = r.range();
                out.push(Top::CoreInstances(r, range));
            }
            Payload::CoreTypeSection(r) => out.push(Top::CoreTypes(r.range(), r.count())),
            Payload::ComponentInstanceSection(r) => {
                for inst in r.clone() {
                    if let wasmparser::ComponentInstance::Instantiate { args, .. } = inst?
                        && args.iter().any(|a| a.kind == ComponentExternalKind::Module)
                    {
                        return Err(unsupported(
                            "a component instantiated with a core module argument",
                        ));
                    }
                }
                out.push(Top::Raw(ComponentSectionId::Instance as u8, r.range()));
            }
            Payload::ComponentAliasSection(r) => {
                let range = r.range();
                out.push(Top::Aliases(r, range));
            }
            Payload::ComponentTypeSection(r) => {
                out.push(Top::Raw(ComponentSectionId::Type as u8, r.range()));
            }
            Payload::ComponentCanonicalSection(r) => {
                out.push(Top::Raw(
                    ComponentSectionId::CanonicalFunction as u8,
                    r.range(),
                ));
            }
            Payload::ComponentStartSection { range, .. } => {
                out.push(Top::Raw(ComponentSectionId::Start as u8, range));
            }
            Payload::ComponentImportSection(r) => {
                let range = r.range();
                out.push(Top::Imports(r, range));
            }
            Payload::ComponentExportSection(r) => {
                for e in r.clone() {
                    if e?.kind == ComponentExternalKind::Module {
                        return Err(unsupported("a component that exports a core module"));
                    }
                }
                out.push(Top::Raw(ComponentSectionId::Export as u8, r.range()));
            }
            Payload::CustomSection(c) => out.push(Top::Custom(c.name(), c.data())),
            Payload::UnknownSection { id, range, .. } => out.push(Top::Raw(id, range)),
            _ => {}
        }
    }
    Ok(out)
}

fn check_range(bytes: &[u8], r: &Range<usize>) -> Result<(), LayoutError> {
    if r.start <= r.end && r.end <= bytes.len() {
        Ok(())
    } else {
        Err(LayoutError::Unsupported(
            "a nested module lies outside the file".into(),
        ))
    }
}

fn unsupported(what: &str) -> LayoutError {
    LayoutError::Unsupported(what.to_string())
}

/// Whether a core module defines a memory.
pub(crate) fn defines_memory(module: &[u8]) -> bool {
    Parser::new(0)
        .parse_all(module)
        .any(|p| matches!(p, Ok(Payload::MemorySection(r)) if r.count() > 0))
}

/// A component layout split cannot handle, or a component with no snapshot.
#[derive(Debug, thiserror::Error)]
pub enum LayoutError {
    /// No top-level core module defines a memory.
    #[error(
        "no core module of the component defines a linear memory: there is no snapshot to split"
    )]
    NoSnapshot,
    /// Several core modules define memories.
    #[error(
        "core modules {0:?} all define memories; jspkg splits components whose state lives in one module"
    )]
    SeveralMemories(Vec<u32>),
    /// The snapshot module is not instantiated exactly once.
    #[error(
        "the snapshot module (core module {module}) is instantiated {count} times; jspkg needs exactly one"
    )]
    Instantiations {
        /// Module index.
        module: u32,
        /// How many times.
        count: usize,
    },
    /// Core types defined after the snapshot module.
    #[error(
        "the component defines core types after its snapshot module, which jspkg does not re-index yet"
    )]
    LateCoreTypes,
    /// Not an engine component jspkg wrote.
    #[error(
        "the engine component has no `{SNAPSHOT_IMPORT}` core module import of its own section"
    )]
    NoSnapshotImport,
    /// The snapshot module's own problem.
    #[error(transparent)]
    Snapshot(#[from] snapshot::SnapshotError),
    /// A layout split does not handle.
    #[error("unsupported component layout: {0}")]
    Unsupported(String),
    /// Invalid bytes.
    #[error("{0}")]
    Parse(#[from] wasmparser::BinaryReaderError),
}

/// The result of splitting a component: the engine (without jspkg
/// metadata), its code (the same bytes: what `details.code` describes) and
/// the snapshot.
pub(crate) struct ComponentSplit<'a> {
    pub engine: Vec<u8>,
    pub code: Vec<u8>,
    pub snapshot: Snapshot<'a>,
}

/// Splits a pre-initialized component.
pub(crate) fn split_component(bytes: &[u8]) -> Result<ComponentSplit<'_>, LayoutError> {
    let items = top_level(bytes)?;
    // Which module holds the snapshot.
    let mut mem_modules = Vec::new();
    let mut idx = 0u32;
    for item in &items {
        if let Top::Module(r) = item {
            if defines_memory(&bytes[r.clone()]) {
                mem_modules.push((idx, r.clone()));
            }
            idx += 1;
        }
    }
    let (m, m_range) = match mem_modules.len() {
        0 => return Err(LayoutError::NoSnapshot),
        1 => mem_modules.remove(0),
        _ => {
            return Err(LayoutError::SeveralMemories(
                mem_modules.iter().map(|x| x.0).collect(),
            ));
        }
    };
    // The other modules import the snapshot memory with some minimum: the
    // engine must declare at least that much.
    let mut contract_min = 0u64;
    for item in &items {
        if let Top::Module(r) = item {
            for p in Parser::new(0).parse_all(&bytes[r.clone()]) {
                if let Payload::ImportSection(imports) = p? {
                    for imp in imports.into_imports() {
                        if let wasmparser::TypeRef::Memory(mt) = imp?.ty {
                            contract_min = contract_min.max(mt.initial);
                        }
                    }
                }
            }
        }
    }
    let mut split = snapshot::split_module(&bytes[m_range], contract_min, false)?;

    // Instantiations of each module.
    let mut instantiations: Vec<Vec<u32>> = vec![Vec::new(); idx as usize];
    let mut inst = 0u32;
    for item in &items {
        if let Top::CoreInstances(r, _) = item {
            for i in r.clone() {
                if let Instance::Instantiate { module_index, .. } = i?
                    && let Some(v) = instantiations.get_mut(module_index as usize)
                {
                    v.push(inst);
                }
                inst += 1;
            }
        }
    }
    if instantiations[m as usize].len() != 1 {
        return Err(LayoutError::Instantiations {
            module: m,
            count: instantiations[m as usize].len(),
        });
    }
    // Other modules instantiated once whose mutable globals a snapshot may
    // have set (e.g. a WASI adapter's stack pointer): their globals move to
    // the data module too, so that their code stays the same for every app.
    let mut replaced: Vec<Option<Vec<u8>>> = vec![None; idx as usize];
    let mut modules = 0u32;
    for item in &items {
        if let Top::Module(r) = item {
            let j = modules;
            modules += 1;
            if j == m || instantiations[j as usize].len() != 1 {
                continue;
            }
            if let Some((code, globals)) = snapshot::globals_to_imports(&bytes[r.clone()], j)? {
                replaced[j as usize] = Some(code);
                split.snapshot.globals.extend(globals);
            }
        }
    }
    replaced[m as usize] = Some(split.code.clone());
    let affected: Vec<u32> = (0..idx)
        .filter(|&j| replaced[j as usize].is_some())
        .collect();
    // The data module import goes before the first affected module; the data
    // instance before the first affected instantiation.
    let p = affected.iter().copied().min().unwrap_or(m);
    let k = affected
        .iter()
        .map(|&j| instantiations[j as usize][0])
        .min()
        .unwrap_or(0);

    // Core types defined before module p.
    let mut core_types = 0u32;
    let mut seen_module = false;
    let mut modules = 0u32;
    for item in &items {
        match item {
            Top::Module(_) => {
                if modules == p {
                    seen_module = true;
                }
                modules += 1;
            }
            Top::CoreTypes(_, n) => {
                if seen_module {
                    return Err(LayoutError::LateCoreTypes);
                }
                core_types += n;
            }
            _ => {}
        }
    }

    let mut out = wasm_encoder::Component::new();
    let mut modules = 0u32;
    let mut inst = 0u32;
    let remap_module = |i: u32| if i >= p { i + 1 } else { i };
    let remap_inst = |i: u32| if i >= k { i + 1 } else { i };
    for item in &items {
        match item {
            Top::Module(r) => {
                if modules == p {
                    // The data module import, in module p's place.
                    let mut types = wasm_encoder::CoreTypeSection::new();
                    types.ty().module(&module_type(&split.snapshot)?);
                    out.section(&types);
                    let mut imports = wasm_encoder::ComponentImportSection::new();
                    imports.import(
                        SNAPSHOT_IMPORT,
                        wasm_encoder::ComponentTypeRef::Module(core_types),
                    );
                    out.section(&imports);
                }
                let data = replaced[modules as usize]
                    .as_deref()
                    .unwrap_or(&bytes[r.clone()]);
                out.section(&RawSection {
                    id: ComponentSectionId::CoreModule as u8,
                    data,
                });
                modules += 1;
            }
            Top::CoreInstances(r, _) => {
                let mut sec = wasm_encoder::InstanceSection::new();
                for i in r.clone() {
                    match i? {
                        Instance::Instantiate { module_index, args } => {
                            let mut new_args: Vec<(String, wasm_encoder::ModuleArg)> = args
                                .iter()
                                .map(|a| {
                                    (
                                        a.name.to_string(),
                                        wasm_encoder::ModuleArg::Instance(remap_inst(a.index)),
                                    )
                                })
                                .collect();
                            if inst == k {
                                // The data instance comes first: it takes index k.
                                sec.instantiate(p, Vec::<(String, wasm_encoder::ModuleArg)>::new());
                            }
                            if replaced
                                .get(module_index as usize)
                                .is_some_and(Option::is_some)
                            {
                                new_args.push((
                                    SNAPSHOT_IMPORT.to_string(),
                                    wasm_encoder::ModuleArg::Instance(k),
                                ));
                            }
                            sec.instantiate(remap_module(module_index), new_args);
                        }
                        Instance::FromExports(exports) => {
                            sec.export_items(
                                exports.iter().map(|e| (e.name, e.kind.into(), e.index)),
                            );
                        }
                    }
                    inst += 1;
                }
                out.section(&sec);
            }
            Top::Aliases(r, _) => {
                let mut sec = wasm_encoder::ComponentAliasSection::new();
                for a in r.clone() {
                    sec.alias(match a? {
                        ComponentAlias::InstanceExport {
                            kind,
                            instance_index,
                            name,
                        } => wasm_encoder::Alias::InstanceExport {
                            instance: instance_index,
                            kind: kind.into(),
                            name,
                        },
                        ComponentAlias::CoreInstanceExport {
                            kind,
                            instance_index,
                            name,
                        } => wasm_encoder::Alias::CoreInstanceExport {
                            instance: remap_inst(instance_index),
                            kind: kind.into(),
                            name,
                        },
                        ComponentAlias::Outer { kind, count, index } => {
                            wasm_encoder::Alias::Outer {
                                kind: kind.into(),
                                count,
                                index,
                            }
                        }
                    });
                }
                out.section(&sec);
            }
            Top::CoreTypes(range, _) => {
                out.section(&RawSection {
                    id: ComponentSectionId::CoreType as u8,
                    data: &bytes[range.clone()],
                });
            }
            Top::Imports(_, range) => {
                out.section(&RawSection {
                    id: ComponentSectionId::Import as u8,
                    data: &bytes[range.clone()],
                });
            }
            Top::Raw(id, range) => {
                out.section(&RawSection {
                    id: *id,
                    data: &bytes[range.clone()],
                });
            }
            Top::Custom(name, data) => {
                if !is_jspkg_section(name) {
                    out.section(&wasm_encoder::CustomSection {
                        name: (*name).into(),
                        data: (*data).into(),
                    });
                }
            }
        }
    }
    let engine = out.finish();
    Ok(ComponentSplit {
        // The whole engine is code: its digest identifies the engine code.
        code: engine.clone(),
        engine,
        snapshot: split.snapshot,
    })
}

/// The core module type an engine imports: the exports of a data module.
fn module_type(s: &Snapshot<'_>) -> Result<wasm_encoder::ModuleType, snapshot::SnapshotError> {
    let mut t = wasm_encoder::ModuleType::new();
    t.export(
        snapshot::MEMORY_NAME,
        wasm_encoder::EntityType::Memory(snapshot::contract_memory(&s.memory, s.contract_min)),
    );
    for g in &s.globals {
        t.export(
            &g.name,
            wasm_encoder::EntityType::Global(snapshot::global_type(g.ty)?),
        );
    }
    Ok(t)
}

/// Composes an engine component (jspkg sections dropped) with a data module.
pub(crate) fn compose_component(engine: &[u8], data_module: &[u8]) -> Result<Vec<u8>, LayoutError> {
    let items = top_level(engine)?;
    let mut out = wasm_encoder::Component::new();
    let mut replaced = false;
    for item in &items {
        match item {
            Top::Imports(r, range) => {
                let imports = r.clone().into_iter().collect::<Result<Vec<_>, _>>()?;
                let is_snapshot = imports.len() == 1
                    && imports[0].name.name == SNAPSHOT_IMPORT
                    && matches!(imports[0].ty, wasmparser::ComponentTypeRef::Module(_));
                if is_snapshot && !replaced {
                    out.section(&RawSection {
                        id: ComponentSectionId::CoreModule as u8,
                        data: data_module,
                    });
                    replaced = true;
                } else {
                    out.section(&RawSection {
                        id: ComponentSectionId::Import as u8,
                        data: &engine[range.clone()],
                    });
                }
            }
            Top::Module(range) => {
                out.section(&RawSection {
                    id: ComponentSectionId::CoreModule as u8,
                    data: &engine[range.clone()],
                });
            }
            Top::CoreInstances(_, range) => {
                out.section(&RawSection {
                    id: ComponentSectionId::CoreInstance as u8,
                    data: &engine[range.clone()],
                });
            }
            Top::Aliases(_, range) => {
                out.section(&RawSection {
                    id: ComponentSectionId::Alias as u8,
                    data: &engine[range.clone()],
                });
            }
            Top::CoreTypes(range, _) => {
                out.section(&RawSection {
                    id: ComponentSectionId::CoreType as u8,
                    data: &engine[range.clone()],
                });
            }
            Top::Raw(id, range) => {
                out.section(&RawSection {
                    id: *id,
                    data: &engine[range.clone()],
                });
            }
            Top::Custom(name, data) => {
                if !is_jspkg_section(name) {
                    out.section(&wasm_encoder::CustomSection {
                        name: (*name).into(),
                        data: (*data).into(),
                    });
                }
            }
        }
    }
    if !replaced {
        return Err(LayoutError::NoSnapshotImport);
    }
    Ok(out.finish())
}
