//! The `jspkg:engine/cli` world (`wit/engine.wit`): imports
//! `wasi:cli/exit`, exports `wasi:cli/run`.

wit_bindgen::generate!({
    path: "../wit",
    world: "jspkg:engine/cli",
    generate_all,
});

struct Run;

impl exports::wasi::cli::run::Guest for Run {
    fn run() -> Result<(), ()> {
        let code = crate::engine::run_main();
        crate::output::flush();
        if code == 0 {
            return Ok(());
        }
        // `exit-with-code` (stable since WASI 0.2.12) carries any code, where
        // `run`'s result carries only success or failure; the host ends the
        // instance here.
        wasi::cli::exit::exit_with_code(code);
        unreachable!("wasi:cli/exit#exit-with-code returned")
    }
}

export!(Run);
