//! The world this engine module implements (`wit/engine.wit`), chosen by
//! cargo feature: exactly one of `cli` and `http`.

#[cfg(all(feature = "cli", feature = "http"))]
compile_error!("build the engine for one world: features `cli` and `http` exclude each other");
#[cfg(not(any(feature = "cli", feature = "http")))]
compile_error!("build the engine for a world: enable feature `cli` or `http`");

#[cfg(feature = "cli")]
wit_bindgen::generate!({
    path: "../wit",
    world: "jspkg:engine/cli",
    generate_all,
});

#[cfg(feature = "http")]
wit_bindgen::generate!({
    path: "../wit",
    world: "jspkg:engine/http",
    generate_all,
});

#[cfg(feature = "cli")]
struct Run;

#[cfg(feature = "cli")]
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

#[cfg(feature = "cli")]
export!(Run);

#[cfg(feature = "http")]
struct Handler;

#[cfg(feature = "http")]
impl exports::wasi::http::incoming_handler::Guest for Handler {
    fn handle(
        request: wasi::http::types::IncomingRequest,
        response_out: wasi::http::types::ResponseOutparam,
    ) {
        crate::http::handle(request, response_out);
        crate::output::flush();
    }
}

#[cfg(feature = "http")]
export!(Handler);
