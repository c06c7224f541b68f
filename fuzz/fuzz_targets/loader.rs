//! Fuzz target: `jspkg_artifact_fuzz::loader::body` on libFuzzer's input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    jspkg_artifact_fuzz::loader::body(data);
});
