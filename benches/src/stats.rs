//! Order statistics of measured durations.

use std::time::Duration;

/// Median and 99th percentile of a sample.
pub struct Summary {
    /// The median.
    pub median: Duration,
    /// The 99th percentile.
    pub p99: Duration,
    /// How many samples.
    pub runs: usize,
}

/// Summarizes `samples` (not empty).
pub fn summarize(samples: &mut [Duration]) -> Summary {
    assert!(!samples.is_empty(), "no samples");
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    Summary {
        median: at(0.5),
        p99: at(0.99),
        runs: samples.len(),
    }
}

/// Measures `variants` variants side by side: `runs / 10` warm-up rounds,
/// then `runs` measured rounds, each calling `measure(i)` for every variant
/// `i` in turn, so that the machine's noise hits them alike. Summaries in
/// variant order.
///
/// The variants take turns in blocks of `runs / TURNS` consecutive calls, not
/// call by call: a server calls one app many times in a row, and a call of
/// another variant in between (the unsnapshotted engine evaluates its
/// source for 10–25 ms, touching megabytes) evicts the caches and TLB
/// entries every call would otherwise find warm. Call by call, a CLI call
/// measured 235 µs where 60 µs is its cost in a run of its own (issue 11:
/// BENCHMARKS.md, "Where a call's time goes"); 50 turns per variant still
/// spread the machine's noise over all of them.
pub fn interleaved(
    variants: usize,
    runs: usize,
    mut measure: impl FnMut(usize) -> anyhow::Result<Duration>,
) -> anyhow::Result<Vec<Summary>> {
    let block = runs.div_ceil(TURNS).max(1);
    let mut samples: Vec<Vec<Duration>> = vec![Vec::with_capacity(runs); variants];
    // Warm-up: a tenth of the runs of each variant, not counted.
    for i in 0..variants {
        for _ in 0..runs / 10 {
            measure(i)?;
        }
    }
    perf_control("enable");
    while samples.iter().any(|s| s.len() < runs) {
        for (i, sample) in samples.iter_mut().enumerate() {
            let n = block.min(runs - sample.len());
            for _ in 0..n {
                sample.push(measure(i)?);
            }
        }
    }
    perf_control("disable");
    Ok(samples.iter_mut().map(|s| summarize(s)).collect())
}

/// How many turns each variant gets in [`interleaved`].
const TURNS: usize = 50;

/// Under `benches/profile.sh`, turns perf's recording on or off around the
/// measured rounds, so that building the apps is not in the profile: perf
/// runs with `--control fifo:$JSPKG_PERF_CTL,$JSPKG_PERF_ACK -D -1` (start
/// disabled), and this writes the command and waits for perf's `ack`.
fn perf_control(command: &str) {
    use std::io::{Read, Write};
    let (Some(ctl), Some(ack)) = (
        std::env::var_os("JSPKG_PERF_CTL"),
        std::env::var_os("JSPKG_PERF_ACK"),
    ) else {
        return;
    };
    let sent = std::fs::OpenOptions::new()
        .write(true)
        .open(&ctl)
        .and_then(|mut f| f.write_all(format!("{command}\n").as_bytes()));
    if let Err(e) = sent {
        eprintln!("jspkg-bench: cannot write to perf's control fifo: {e}");
        return;
    }
    let mut reply = [0u8; 5];
    let _ = std::fs::File::open(&ack).and_then(|mut f| f.read(&mut reply));
}

/// `1.23 µs`, `4.56 ms` or `7.89 s`.
pub fn human(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 1e-3 {
        format!("{:.2} µs", s * 1e6)
    } else if s < 1.0 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{s:.2} s")
    }
}

/// `a / b` as a ratio, e.g. `1.03×`.
pub fn ratio(a: Duration, b: Duration) -> String {
    format!("{:.2}×", a.as_secs_f64() / b.as_secs_f64())
}
