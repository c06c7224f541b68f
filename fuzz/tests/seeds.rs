//! Writes the seed corpus for cargo-fuzz when JSPKG_FUZZ_WRITE_SEEDS names a
//! directory (used by smoke.sh); otherwise checks that the seeds are valid.

#[test]
fn seeds_are_valid_and_written_on_request() {
    let seeds = jspkg_artifact_fuzz::seeds::all();
    for s in &seeds {
        wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
            .validate_all(s)
            .expect("seed validates");
    }
    if let Some(dir) = std::env::var_os("JSPKG_FUZZ_WRITE_SEEDS") {
        let dir = std::path::PathBuf::from(dir);
        for t in ["split", "compose", "inspect"] {
            std::fs::create_dir_all(dir.join(t)).unwrap();
            for (i, s) in seeds.iter().enumerate() {
                std::fs::write(dir.join(t).join(format!("seed-{i}.wasm")), s).unwrap();
            }
        }
    }
}
