//! The runtime's app loader (issue 14): an app given to a compiled engine
//! must never crash the host, whatever its bytes.
//!
//! The fixture is a real split app and its engine (`jspkg build` of
//! examples/hello/hello.js, then `jspkg split`) in the directory that
//! `JSPKG_FUZZ_LOADER` names (fuzz/campaign.sh makes it). The engine is
//! compiled once. Each input goes through `LoadedEngine::link_app` (pin
//! check, image expansion, contract checks, data module compilation, link)
//! and, when it links, runs once in a fresh instance under tight limits.
//! Any outcome is fine but a panic or a crash of the process.
//!
//! Under `cfg(fuzzing)` the data module's digest is not compared (see
//! `expand_app` in artifact/src/compose.rs): an app's author can record the
//! right digest for any data module, so a mutated app gets as far as such
//! an app would.

use jspkg_runtime::{CliStdio, Limits, LoadedEngine, Runtime, RuntimeConfig};
use std::time::Duration;

/// The compiled engine, the fixture's app, and what runs them.
struct Fixture {
    runtime: Runtime,
    engine: LoadedEngine,
    app: Vec<u8>,
    tokio: tokio::runtime::Runtime,
}

thread_local! {
    static FIXTURE: Fixture = Fixture::load();
}

impl Fixture {
    fn load() -> Fixture {
        let dir = std::env::var_os("JSPKG_FUZZ_LOADER").expect(
            "set JSPKG_FUZZ_LOADER to a directory holding a split app: engine.wasm and app.wasm \
             (fuzz/campaign.sh makes one)",
        );
        let dir = std::path::PathBuf::from(dir);
        let read = |name: &str| {
            std::fs::read(dir.join(name))
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.join(name).display()))
        };
        let runtime = Runtime::new(RuntimeConfig {
            limits: Limits {
                max_memory_bytes: 64 << 20,
                // The fixture's `main` takes ~1 ms; a mutated image that
                // still decodes often sends the interpreter into a loop,
                // and every such input costs the whole deadline: 20 ms
                // (two epoch ticks) rather than 200 keeps the campaign at
                // hundreds of executions per second.
                timeout: Some(Duration::from_millis(20)),
            },
            max_instances: 2,
            ..Default::default()
        })
        .expect("the runtime starts");
        let engine = runtime
            .load_engine(&read("engine.wasm"))
            .expect("the fixture's engine loads");
        let tokio = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        Fixture {
            runtime,
            engine,
            app: read("app.wasm"),
            tokio,
        }
    }

    /// Links `app` and, if it links, runs it once.
    fn load_and_run(&self, app: &[u8]) {
        let Ok(linked) = self.engine.link_app(&self.runtime, app) else {
            return;
        };
        let _ = self.tokio.block_on(self.runtime.run_cli(
            &linked,
            "hello",
            &["fuzz".to_string()],
            CliStdio::Capture {
                stdin: vec![],
                limit: 1 << 12,
            },
        ));
    }
}

/// The loader on `data` as an app, then on the fixture's app patched by
/// `data`: bytes 0..4 an offset, the rest overwrite the app's bytes there
/// (its structure stays, its contents change).
pub fn body(data: &[u8]) {
    FIXTURE.with(|f| {
        f.load_and_run(data);
        if data.len() < 5 {
            return;
        }
        let mut app = f.app.clone();
        let off = u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize % app.len();
        for (i, b) in data[4..].iter().enumerate() {
            if let Some(t) = app.get_mut(off + i) {
                *t = *b;
            }
        }
        f.load_and_run(&app);
    });
}
