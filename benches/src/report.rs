//! How results are printed: Markdown for BENCHMARKS.md (the default), or
//! with `--json` one JSON object per line and variant, for scripts.

use crate::stats::Summary;
use std::sync::atomic::{AtomicBool, Ordering};

static JSON: AtomicBool = AtomicBool::new(false);

/// Switches every benchmark to JSON lines (`--json`).
pub fn set_json(on: bool) {
    JSON.store(on, Ordering::Relaxed);
}

/// Whether the output is JSON lines.
pub fn json() -> bool {
    JSON.load(Ordering::Relaxed)
}

/// A line of the Markdown report; nothing with `--json`.
#[macro_export]
macro_rules! md {
    ($($t:tt)*) => {
        if !$crate::report::json() {
            println!($($t)*);
        }
    };
}

/// With `--json`, prints `{"bench", "name", "median_us", "p99_us", "runs"}`
/// for one variant of `bench`, plus `extra` fields (a JSON object).
pub fn variant(bench: &str, name: &str, s: &Summary, extra: serde_json::Value) {
    if !json() {
        return;
    }
    let mut o = serde_json::json!({
        "bench": bench,
        "name": name,
        "median_us": us(s.median),
        "p99_us": us(s.p99),
        "runs": s.runs,
    });
    merge(&mut o, extra);
    println!("{o}");
}

/// With `--json`, prints any object (e.g. a summary line of `bench`).
pub fn object(bench: &str, fields: serde_json::Value) {
    if !json() {
        return;
    }
    let mut o = serde_json::json!({ "bench": bench });
    merge(&mut o, fields);
    println!("{o}");
}

/// Microseconds, rounded to 0.01.
pub fn us(d: std::time::Duration) -> f64 {
    (d.as_secs_f64() * 1e8).round() / 100.0
}

fn merge(into: &mut serde_json::Value, extra: serde_json::Value) {
    if let (Some(into), serde_json::Value::Object(extra)) = (into.as_object_mut(), extra) {
        into.extend(extra);
    }
}
