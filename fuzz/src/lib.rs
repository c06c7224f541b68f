//! Bodies of the fuzz targets (shared by the libFuzzer binaries and the
//! plain `cargo test` smoke run) and the seed inputs they start from.
//!
//! Each body must never panic; when an operation succeeds its output must
//! validate. Inputs are small pre-initialized modules and components built
//! here with wasm-encoder, so the fuzzer starts from deep inside the
//! accepted input space.

use jspkg_artifact::SplitOptions;

#[cfg(feature = "loader")]
pub mod loader;
use std::sync::OnceLock;

fn validate(bytes: &[u8]) {
    if let Err(e) = wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(bytes)
    {
        panic!("jspkg-artifact produced an invalid output: {e}");
    }
}

/// Split `data` as an input; if it splits, the halves must validate and compose.
pub fn split_body(data: &[u8]) {
    if let Ok(s) = jspkg_artifact::split(data, &SplitOptions::default()) {
        validate(&s.engine);
        validate(&s.app);
        match jspkg_artifact::compose(&s.engine, &s.app) {
            Ok(out) => validate(&out),
            Err(e) => panic!("a fresh split does not compose: {e}"),
        }
    }
}

/// Inspect `data`.
pub fn inspect_body(data: &[u8]) {
    let _ = jspkg_artifact::inspect(data);
}

/// A valid engine and app (component shape, compact with a reference).
fn pair() -> &'static (Vec<u8>, Vec<u8>) {
    static PAIR: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
    PAIR.get_or_init(|| {
        let reference = seeds::component(b"");
        let input = seeds::component(b"fuzzed app state");
        let s = jspkg_artifact::split(
            &input,
            &SplitOptions {
                reference: Some(&reference),
                ..Default::default()
            },
        )
        .expect("seed splits");
        (s.engine, s.app)
    })
}

/// Compose a valid engine with an app patched by `data`: byte 0 picks
/// engine (odd) or app (even), bytes 1..5 an offset, the rest overwrite
/// bytes there. Raw `data` is also tried as the app.
pub fn compose_body(data: &[u8]) {
    let (engine, app) = pair();
    if let Ok(out) = jspkg_artifact::compose(engine, data) {
        validate(&out);
    }
    if data.len() < 5 {
        return;
    }
    let mut e = engine.clone();
    let mut a = app.clone();
    let target = if data[0] & 1 == 1 { &mut e } else { &mut a };
    let off =
        u32::from_le_bytes([data[1], data[2], data[3], data[4]]) as usize % target.len().max(1);
    for (i, b) in data[5..].iter().enumerate() {
        if let Some(t) = target.get_mut(off + i) {
            *t = *b;
        }
    }
    if data[0] & 2 == 2 {
        let cut = off.min(target.len());
        target.truncate(cut);
    }
    if let Ok(out) = jspkg_artifact::compose(&e, &a) {
        validate(&out);
    }
    let _ = jspkg_artifact::data_module(&e, &a);
}

/// Seed inputs.
pub mod seeds {
    use wasm_encoder::*;

    /// A pre-initialized core module: memory with `state` at 1024, three
    /// globals, an empty passive segment, functions reading the state.
    pub fn module(state: &[u8]) -> Vec<u8> {
        let mut m = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], [ValType::I32]);
        types.ty().function([], []);
        m.section(&types);
        let mut funcs = FunctionSection::new();
        funcs.function(0).function(1);
        m.section(&funcs);
        let mut mems = MemorySection::new();
        mems.memory(MemoryType {
            minimum: 2,
            maximum: Some(50),
            memory64: false,
            shared: false,
            page_size_log2: None,
        });
        m.section(&mems);
        let mut globals = GlobalSection::new();
        globals.global(
            GlobalType {
                val_type: ValType::I32,
                mutable: true,
                shared: false,
            },
            &ConstExpr::i32_const(state.len() as i32),
        );
        globals.global(
            GlobalType {
                val_type: ValType::I64,
                mutable: false,
                shared: false,
            },
            &ConstExpr::i64_const(3),
        );
        m.section(&globals);
        let mut exports = ExportSection::new();
        exports.export("memory", ExportKind::Memory, 0);
        exports.export("len", ExportKind::Func, 0);
        m.section(&exports);
        m.section(&DataCountSection { count: 2 });
        let mut code = CodeSection::new();
        let mut f = Function::new([]);
        f.instruction(&Instruction::GlobalGet(0))
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
        m.section(&data);
        m.finish()
    }

    /// A component instantiating [`module`] and exporting `len`.
    pub fn component(state: &[u8]) -> Vec<u8> {
        let module = module(state);
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
        c.section(&alias);
        let mut types = ComponentTypeSection::new();
        types
            .function()
            .params(Vec::<(&str, ComponentValType)>::new())
            .result(Some(ComponentValType::Primitive(PrimitiveValType::U32)));
        c.section(&types);
        let mut canon = CanonicalFunctionSection::new();
        canon.lift(0, 0, Vec::<CanonicalOption>::new());
        c.section(&canon);
        let mut exports = ComponentExportSection::new();
        exports.export("len", ComponentExportKind::Func, 0, None);
        c.section(&exports);
        c.finish()
    }

    /// Every seed: inputs, and the engine and app split from them.
    pub fn all() -> Vec<Vec<u8>> {
        let mut out = vec![
            module(b"seed state"),
            component(b"seed state"),
            module(b""),
            component(&[7; 300]),
        ];
        let s = jspkg_artifact::split(&out[1], &Default::default()).expect("seed splits");
        out.push(s.engine);
        out.push(s.app);
        let (e, a) = super::pair();
        out.push(e.clone());
        out.push(a.clone());
        out
    }
}
