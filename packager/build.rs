//! Embeds the engine core modules that `engine-component/build.sh` writes to
//! `target/engine/` (or to `$JSPKG_ENGINE_DIR`), so that the `jspkg` binary
//! can build apps with no other file beside it.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-env-changed=JSPKG_ENGINE_DIR");
    let dir = match std::env::var_os("JSPKG_ENGINE_DIR") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap())
            .join("..")
            .join("target")
            .join("engine"),
    };
    // One engine per world of wit/engine.wit.
    const WORLDS: &[&str] = &["cli", "http"];
    for world in WORLDS {
        let path = dir.join(format!("jspkg-engine-{world}.wasm"));
        println!("cargo:rerun-if-changed={}", path.display());
        if !path.is_file() {
            panic!(
                "the JavaScript engine is not built: {} is missing.\n\
                 Build it with `make engine` (or `engine-component/build.sh`), \
                 or point JSPKG_ENGINE_DIR at a directory holding it.",
                path.display()
            );
        }
        let canonical = path.canonicalize().unwrap();
        println!(
            "cargo:rustc-env=JSPKG_ENGINE_{}_WASM={}",
            world.to_uppercase(),
            canonical.display()
        );
    }
}
