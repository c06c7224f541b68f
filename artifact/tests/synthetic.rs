//! Split, compose and inspect on small pre-initialized modules and
//! components built here with wasm-encoder, so that every case is exact:
//! the memory contents and global values of the unsplit input are known,
//! and the composed output must carry exactly them.

use jspkg_artifact::metadata::Kind;
use jspkg_artifact::{AppEncoding, ComposeError, Digest, SplitError, SplitOptions};
use wasm_encoder::{
    CodeSection, ConstExpr, DataSection, ExportKind, ExportSection, Function, FunctionSection,
    GlobalSection, GlobalType, Instruction, MemorySection, MemoryType, Module, TypeSection,
    ValType,
};

/// A "pre-initialized" core module: 2 pages of memory holding `state` at
/// 1024, globals (mut i32 = len, immutable i64, mut f64), an empty passive
/// segment (as Wizer leaves the original ones) that a function drops, and
/// functions reading the state: `len`, `byte_at`, `drop_passive`.
fn preinit_module(state: &[u8], init_export: bool) -> Vec<u8> {
    let mut m = Module::new();
    let mut types = TypeSection::new();
    types.ty().function([], [ValType::I32]);
    types.ty().function([ValType::I32], [ValType::I32]);
    types.ty().function([], []);
    m.section(&types);
    let mut funcs = FunctionSection::new();
    funcs.function(0).function(1).function(2);
    m.section(&funcs);
    let mut mems = MemorySection::new();
    mems.memory(MemoryType {
        minimum: 2,
        maximum: Some(100),
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    m.section(&mems);
    let mut globals = GlobalSection::new();
    let g = |ty, mutable| GlobalType {
        val_type: ty,
        mutable,
        shared: false,
    };
    globals.global(
        g(ValType::I32, true),
        &ConstExpr::i32_const(state.len() as i32),
    );
    globals.global(g(ValType::I64, false), &ConstExpr::i64_const(-7));
    globals.global(g(ValType::F64, true), &ConstExpr::f64_const(2.5.into()));
    m.section(&globals);
    let mut exports = ExportSection::new();
    exports.export("memory", ExportKind::Memory, 0);
    exports.export("len", ExportKind::Func, 0);
    exports.export("byte_at", ExportKind::Func, 1);
    exports.export("drop_passive", ExportKind::Func, 2);
    if init_export {
        exports.export("wizer-initialize", ExportKind::Func, 2);
    }
    m.section(&exports);
    m.section(&wasm_encoder::DataCountSection { count: 3 });
    let mut code = CodeSection::new();
    let mut f = Function::new([]);
    f.instruction(&Instruction::GlobalGet(0))
        .instruction(&Instruction::End);
    code.function(&f);
    let mut f = Function::new([]);
    f.instruction(&Instruction::LocalGet(0))
        .instruction(&Instruction::I32Load8U(wasm_encoder::MemArg {
            offset: 1024,
            align: 0,
            memory_index: 0,
        }))
        .instruction(&Instruction::End);
    code.function(&f);
    let mut f = Function::new([]);
    f.instruction(&Instruction::DataDrop(0))
        .instruction(&Instruction::End);
    code.function(&f);
    m.section(&code);
    let mut data = DataSection::new();
    data.passive([]);
    data.active(0, &ConstExpr::i32_const(1024), state.iter().copied());
    data.active(
        0,
        &ConstExpr::i32_const(70_000),
        b"second page".iter().copied(),
    );
    m.section(&data);
    m.finish()
}

/// A component wrapping [`preinit_module`]: instantiates it and exports
/// `len: func() -> u32`.
fn preinit_component(state: &[u8]) -> Vec<u8> {
    use wasm_encoder::*;
    let module = preinit_module(state, false);
    let mut c = Component::new();
    c.section(&RawSection {
        id: ComponentSectionId::CoreModule as u8,
        data: &module,
    });
    let mut inst = InstanceSection::new();
    inst.instantiate(0, Vec::<(&str, ModuleArg)>::new());
    c.section(&inst);
    let mut alias = ComponentAliasSection::new();
    alias.alias(Alias::CoreInstanceExport {
        instance: 0,
        kind: ExportKind::Func,
        name: "len",
    });
    alias.alias(Alias::CoreInstanceExport {
        instance: 0,
        kind: ExportKind::Memory,
        name: "memory",
    });
    c.section(&alias);
    let mut types = ComponentTypeSection::new();
    types
        .function()
        .params(Vec::<(&str, ComponentValType)>::new())
        .result(Some(ComponentValType::Primitive(PrimitiveValType::U32)));
    c.section(&types);
    let mut canon = CanonicalFunctionSection::new();
    canon.lift(0, 0, [CanonicalOption::Memory(0)]);
    c.section(&canon);
    let mut exports = ComponentExportSection::new();
    exports.export("len", ComponentExportKind::Func, 0, None);
    c.section(&exports);
    c.finish()
}

fn validate(bytes: &[u8]) {
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(bytes)
        .unwrap_or_else(|e| panic!("invalid output: {e}"));
}

const STATE_A: &[u8] = b"state of app A, captured at pre-initialization";
const STATE_B: &[u8] = b"app B has other state, and more of it: 0123456789";

#[test]
fn core_module_split_gives_identical_engines_and_composes_back() {
    let a = preinit_module(STATE_A, false);
    let b = preinit_module(STATE_B, false);
    validate(&a);
    let sa = jspkg_artifact::split(&a, &SplitOptions::default()).unwrap();
    let sb = jspkg_artifact::split(&b, &SplitOptions::default()).unwrap();
    assert_eq!(sa.engine, sb.engine, "engines of two apps differ");
    assert_ne!(sa.app, sb.app);
    validate(&sa.engine);
    validate(&sa.app);

    // The engine carries no active data and defines no memory.
    for p in wasmparser::Parser::new(0).parse_all(&sa.engine) {
        match p.unwrap() {
            wasmparser::Payload::MemorySection(r) => assert_eq!(r.count(), 0),
            wasmparser::Payload::DataSection(r) => {
                for d in r {
                    assert!(matches!(d.unwrap().kind, wasmparser::DataKind::Passive));
                }
            }
            _ => {}
        }
    }

    for (input, split, state) in [(&a, &sa, STATE_A), (&b, &sb, STATE_B)] {
        let composed = jspkg_artifact::compose(&split.engine, &split.app).unwrap();
        validate(&composed);
        let before = jspkg_artifact::inspect(input).unwrap();
        let after = jspkg_artifact::inspect(&composed).unwrap();
        assert_eq!(after.kind, Kind::Composed);
        assert_eq!(before.kind, Kind::PreInitialized);
        assert_eq!(before.globals, after.globals);
        assert_eq!(before.memory, after.memory);
        assert_eq!(before.image_size, after.image_size);
        assert_eq!(
            before.globals[0].value.as_deref(),
            Some(format!("i32.const {}", state.len()).as_str())
        );
        // The data module holds exactly the state at 1024 and the second-page text.
        let data = jspkg_artifact::data_module(&split.engine, &split.app).unwrap();
        let dm = jspkg_artifact::data_module::parse(&data).unwrap();
        assert_eq!(&dm.image[1024..1024 + state.len()], state);
        assert_eq!(&dm.image[70_000..], b"second page");
    }
}

#[test]
fn component_split_gives_identical_engines_and_composes_back() {
    let a = preinit_component(STATE_A);
    let b = preinit_component(STATE_B);
    validate(&a);
    let sa = jspkg_artifact::split(&a, &SplitOptions::default()).unwrap();
    let sb = jspkg_artifact::split(&b, &SplitOptions::default()).unwrap();
    assert_eq!(sa.engine, sb.engine);
    validate(&sa.engine);
    validate(&sa.app);
    let composed = jspkg_artifact::compose(&sa.engine, &sa.app).unwrap();
    validate(&composed);
    let i = jspkg_artifact::inspect(&composed).unwrap();
    assert_eq!(i.kind, Kind::Composed);
    assert_eq!(
        i.image_size,
        jspkg_artifact::inspect(&a).unwrap().image_size
    );
    let e = jspkg_artifact::inspect(&sa.engine).unwrap();
    assert_eq!(e.kind, Kind::Engine);
    assert_eq!(e.globals.len(), 3);
    let app = jspkg_artifact::inspect(&sa.app).unwrap();
    assert_eq!(app.kind, Kind::App);
    assert_eq!(app.engine.unwrap().digest, Some(Digest::of(&sa.engine)));
}

#[test]
fn compact_and_full_apps_expand_to_the_same_data_module() {
    let reference = preinit_module(b"", false);
    let a = preinit_module(STATE_A, false);
    let opts = SplitOptions {
        reference: Some(&reference),
        ..Default::default()
    };
    let compact = jspkg_artifact::split(&a, &opts).unwrap();
    let full = jspkg_artifact::split(
        &a,
        &SplitOptions {
            encoding: AppEncoding::Full,
            ..opts.clone()
        },
    )
    .unwrap();
    assert_eq!(compact.engine, full.engine);
    assert_eq!(
        jspkg_artifact::data_module(&compact.engine, &compact.app).unwrap(),
        jspkg_artifact::data_module(&full.engine, &full.app).unwrap()
    );
    // Splitting against the engine keeps it byte for byte.
    let again = jspkg_artifact::split(
        &a,
        &SplitOptions {
            engine: Some(&compact.engine),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(again.engine, compact.engine);
    assert_eq!(again.app, compact.app);
}

#[test]
fn compact_apps_written_without_a_zero_prefix_still_expand() {
    use jspkg_artifact::details::{self, AppDetails, EngineDetails, IMAGE_SECTION};
    use jspkg_artifact::{data_module as dm, image, metadata};
    let reference = preinit_module(b"", false);
    let a = preinit_module(STATE_A, false);
    let new = jspkg_artifact::split(
        &a,
        &SplitOptions {
            reference: Some(&reference),
            ..Default::default()
        },
    )
    .unwrap();
    let meta = metadata::read(&new.app).unwrap().unwrap();
    let mut d: AppDetails = details::from_map(&meta.details).unwrap();
    // The state is at 1024: the image's first 1024 bytes are not stored.
    assert_eq!(d.zero_prefix, 1024);
    let expanded = jspkg_artifact::data_module(&new.engine, &new.app).unwrap();

    // The same app as jspkg < 0.4 wrote it (FORMAT.md §5): the whole image
    // in the frame, compressed against the whole reference image, no
    // `zero_prefix`.
    let parsed = dm::parse(&expanded).unwrap();
    let mut whole = parsed.image.clone();
    whole.resize(d.image.size as usize, 0);
    let engine_meta = metadata::read(&new.engine).unwrap().unwrap();
    let ed: EngineDetails = details::from_map(&engine_meta.details).unwrap();
    let reference_image = jspkg_artifact::compose::reference_image(&new.engine, &ed)
        .unwrap()
        .unwrap();
    d.zero_prefix = 0;
    let mut c = wasm_encoder::Component::new();
    let stripped = dm::encode_parts(&parsed.memory, &parsed.globals, None);
    c.section(&wasm_encoder::RawSection {
        id: wasm_encoder::ComponentSectionId::CoreModule as u8,
        data: &stripped,
    });
    c.section(&wasm_encoder::CustomSection {
        name: IMAGE_SECTION.into(),
        data: image::compress(&whole, Some(&reference_image)).into(),
    });
    let mut old = c.finish();
    metadata::append(
        &mut old,
        &metadata::Metadata {
            details: details::to_map(&d),
            ..meta
        },
    );
    assert_ne!(old, new.app);
    assert_eq!(
        jspkg_artifact::data_module(&new.engine, &old).unwrap(),
        expanded
    );
}

#[test]
fn an_app_is_refused_with_another_engine_naming_both_digests() {
    let a = preinit_module(STATE_A, false);
    let sa = jspkg_artifact::split(&a, &SplitOptions::default()).unwrap();
    let other = jspkg_artifact::split(
        &a,
        &SplitOptions {
            engine_version: Some(semver::Version::new(9, 9, 9)),
            ..Default::default()
        },
    )
    .unwrap();
    let err = jspkg_artifact::compose(&other.engine, &sa.app).unwrap_err();
    assert!(matches!(err, ComposeError::EngineMismatch { .. }), "{err}");
    let msg = err.to_string();
    assert!(msg.contains(&Digest::of(&sa.engine).to_string()), "{msg}");
    assert!(
        msg.contains(&Digest::of(&other.engine).to_string()),
        "{msg}"
    );
    // Engine and app swapped: a clear refusal too.
    assert!(jspkg_artifact::compose(&sa.app, &sa.engine).is_err());
}

#[test]
fn inputs_without_a_snapshot_are_refused() {
    // Never pre-initialized (still exports the init function).
    let err = jspkg_artifact::split(&preinit_module(STATE_A, true), &SplitOptions::default())
        .unwrap_err();
    assert!(err.to_string().contains("never pre-initialized"), "{err}");
    // No memory at all.
    let mut m = Module::new();
    m.section(&TypeSection::new());
    let err = jspkg_artifact::split(&m.finish(), &SplitOptions::default()).unwrap_err();
    assert!(err.to_string().contains("no linear memory"), "{err}");
    // Already split.
    let s =
        jspkg_artifact::split(&preinit_module(STATE_A, false), &SplitOptions::default()).unwrap();
    for art in [&s.engine, &s.app] {
        assert!(matches!(
            jspkg_artifact::split(art, &SplitOptions::default()).unwrap_err(),
            SplitError::AlreadySplit(_)
        ));
    }
}

#[test]
fn truncated_and_corrupted_inputs_are_errors_not_panics() {
    let c = preinit_component(STATE_A);
    let s = jspkg_artifact::split(&c, &SplitOptions::default()).unwrap();
    for input in [&c, &s.engine, &s.app] {
        for cut in (0..input.len()).step_by(7) {
            let t = &input[..cut];
            assert!(jspkg_artifact::split(t, &SplitOptions::default()).is_err());
            // A cut at a section boundary leaves a valid, smaller file that
            // inspect may describe; anywhere else it must refuse it.
            if jspkg_artifact::inspect(t).is_ok() {
                wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
                    .validate_all(t)
                    .expect("inspect accepted an invalid file");
            }
        }
    }
    for cut in (0..s.app.len()).step_by(5) {
        assert!(jspkg_artifact::compose(&s.engine, &s.app[..cut]).is_err());
    }
    // Flipped bytes: anything may happen except a panic, and a compose that
    // succeeds must still give a valid output.
    let mut x: u64 = 0x9e3779b97f4a7c15;
    for _ in 0..2000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let mut app = s.app.clone();
        let i = (x as usize) % app.len();
        app[i] ^= (x >> 32) as u8 | 1;
        if let Ok(out) = jspkg_artifact::compose(&s.engine, &app) {
            validate(&out);
        }
        let _ = jspkg_artifact::inspect(&app);
        let mut input = c.clone();
        let j = (x >> 16) as usize % input.len();
        input[j] ^= (x >> 40) as u8 | 1;
        let _ = jspkg_artifact::split(&input, &SplitOptions::default());
    }
}

#[test]
fn a_reference_or_engine_of_other_code_is_refused() {
    let a = preinit_module(STATE_A, false);
    // Other state, same code: a fine reference.
    let same_code = preinit_module(STATE_B, false);
    assert!(
        jspkg_artifact::split(
            &a,
            &SplitOptions {
                reference: Some(&same_code),
                ..Default::default()
            }
        )
        .is_ok()
    );
    // Other code (an export renamed, same length): refused as reference and as engine.
    let mut changed = preinit_module(STATE_B, false);
    let pos = changed.windows(3).position(|w| w == b"len").unwrap();
    changed[pos..pos + 3].copy_from_slice(b"lem");
    let err = jspkg_artifact::split(
        &a,
        &SplitOptions {
            reference: Some(&changed),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(matches!(err, SplitError::EngineMismatch { .. }), "{err}");
    let engine = jspkg_artifact::split(&changed, &SplitOptions::default())
        .unwrap()
        .engine;
    let err = jspkg_artifact::split(
        &a,
        &SplitOptions {
            engine: Some(&engine),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(matches!(err, SplitError::EngineMismatch { .. }), "{err}");
    assert!(
        err.to_string()
            .contains("was not built on the given engine"),
        "{err}"
    );
}

/// A module's data segments, each as (passive?, bytes): `None` for no data
/// section.
fn data_segments(module: &[u8]) -> Option<Vec<(bool, Vec<u8>)>> {
    wasmparser::Parser::new(0)
        .parse_all(module)
        .find_map(|p| match p.unwrap() {
            wasmparser::Payload::DataSection(r) => Some(
                r.into_iter()
                    .map(|d| {
                        let d = d.unwrap();
                        (
                            matches!(d.kind, wasmparser::DataKind::Passive),
                            d.data.to_vec(),
                        )
                    })
                    .collect(),
            ),
            _ => None,
        })
}

/// The data segments a split engine keeps, all passive: `None` for no data
/// section.
fn engine_data_segments(engine: &[u8]) -> Option<Vec<Vec<u8>>> {
    data_segments(engine).map(|segments| {
        segments
            .into_iter()
            .map(|(passive, bytes)| {
                assert!(passive, "an engine keeps no active segment");
                bytes
            })
            .collect()
    })
}

/// A Wizer-like output with `passive` empty passive segments (the original
/// segments, as Wizer leaves them: after binaryen's memory packing there are
/// thousands) and the snapshot as one active segment; when `drop_index` is
/// set, a function drops that segment.
fn preinit_with_passive(passive: u32, drop_index: Option<u32>) -> Vec<u8> {
    use wasm_encoder::*;
    let mut m = Module::new();
    let mut types = TypeSection::new();
    types.ty().function([], []);
    m.section(&types);
    let mut funcs = FunctionSection::new();
    funcs.function(0);
    m.section(&funcs);
    let mut mems = MemorySection::new();
    mems.memory(MemoryType {
        minimum: 1,
        maximum: None,
        memory64: false,
        shared: false,
        page_size_log2: None,
    });
    m.section(&mems);
    let mut exports = ExportSection::new();
    exports.export("run", ExportKind::Func, 0);
    m.section(&exports);
    m.section(&DataCountSection { count: passive + 1 });
    let mut code = CodeSection::new();
    let mut f = Function::new([]);
    if let Some(i) = drop_index {
        f.instruction(&Instruction::DataDrop(i));
    }
    f.instruction(&Instruction::End);
    code.function(&f);
    m.section(&code);
    let mut data = DataSection::new();
    for i in 0..passive {
        // One of them not empty: it goes all the same when nothing names it.
        let bytes: &[u8] = if i == 1 { b"unnamed" } else { b"" };
        data.passive(bytes.iter().copied());
    }
    data.active(0, &ConstExpr::i32_const(64), STATE_A.iter().copied());
    m.section(&data);
    m.finish()
}

/// Segments no instruction names are unobservable: the engine keeps none of
/// them (each would cost every instantiation), but keeps, up to the last one
/// its code names, every segment at its index.
#[test]
fn the_engine_keeps_only_the_data_segments_its_code_names() {
    let unnamed = preinit_with_passive(1000, None);
    validate(&unnamed);
    let s = jspkg_artifact::split(&unnamed, &SplitOptions::default()).unwrap();
    validate(&s.engine);
    assert_eq!(engine_data_segments(&s.engine), None);
    let composed = jspkg_artifact::compose(&s.engine, &s.app).unwrap();
    validate(&composed);
    let data = jspkg_artifact::data_module(&s.engine, &s.app).unwrap();
    let dm = jspkg_artifact::data_module::parse(&data).unwrap();
    assert_eq!(&dm.image[64..64 + STATE_A.len()], STATE_A);

    let named = preinit_with_passive(1000, Some(2));
    let s = jspkg_artifact::split(&named, &SplitOptions::default()).unwrap();
    validate(&s.engine);
    let kept = engine_data_segments(&s.engine).expect("segments 0 to 2 are kept");
    assert_eq!(kept, vec![b"".to_vec(), b"unnamed".to_vec(), b"".to_vec()]);
    validate(&jspkg_artifact::compose(&s.engine, &s.app).unwrap());
}

/// `jspkg build` drops Wizer's unobservable segments from the monolithic
/// module too: the same memory, the named prefix kept, the result valid.
#[test]
fn a_pre_initialized_module_loses_only_its_unobservable_segments() {
    use jspkg_artifact::snapshot::without_unobservable_data;
    for (input, kept_passive) in [
        (preinit_with_passive(1000, None), 0),
        (preinit_with_passive(1000, Some(2)), 3),
    ] {
        let lean = without_unobservable_data(&input)
            .unwrap()
            .expect("segments to drop");
        validate(&lean);
        let passive = |m: &[u8]| {
            data_segments(m)
                .unwrap_or_default()
                .iter()
                .filter(|(passive, _)| *passive)
                .count()
        };
        assert_eq!(passive(&lean), kept_passive);
        let before = jspkg_artifact::inspect(&input).unwrap();
        let after = jspkg_artifact::inspect(&lean).unwrap();
        assert_eq!(before.memory, after.memory);
        assert_eq!(before.image_size, after.image_size);
        // Split, the two give the same engine and the same snapshot image.
        let a = jspkg_artifact::split(&input, &SplitOptions::default()).unwrap();
        let b = jspkg_artifact::split(&lean, &SplitOptions::default()).unwrap();
        assert_eq!(a.engine, b.engine);
        let image = |s: &jspkg_artifact::Split| {
            let data = jspkg_artifact::data_module(&s.engine, &s.app).unwrap();
            jspkg_artifact::data_module::parse(&data)
                .unwrap()
                .image
                .to_vec()
        };
        assert_eq!(image(&a), image(&b));
        // Nothing left to drop.
        assert!(without_unobservable_data(&lean).unwrap().is_none());
    }
    assert!(
        without_unobservable_data(&preinit_module(STATE_A, false))
            .unwrap()
            .is_none(),
        "its one passive segment is named by data.drop"
    );
}
