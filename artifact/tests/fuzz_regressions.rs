//! Inputs the fuzz targets (fuzz/) once failed on, kept as tests: each is
//! split, and the halves and their composition must be valid WebAssembly.

use jspkg_artifact::{SplitOptions, compose, split, validate};

fn split_and_compose_validate(input: &[u8]) {
    validate(input).expect("the regression input is valid");
    let s = split(input, &SplitOptions::default()).expect("the input splits");
    validate(&s.engine).expect("the engine is valid");
    validate(&s.app).expect("the app is valid");
    let composed = compose(&s.engine, &s.app).expect("the halves compose");
    validate(&composed).expect("the composition is valid");
}

/// A module whose code drops an *active* data segment (`data.drop 1`, valid:
/// active segments are dropped at instantiation) that comes after the last
/// passive one. The engine used to keep only the segments up to the last
/// passive one, so its `data.drop 1` named a segment it did not have.
#[test]
fn code_may_name_an_active_data_segment() {
    split_and_compose_validate(include_bytes!(
        "regressions/split-data-drop-of-an-active-segment.wasm"
    ));
}
