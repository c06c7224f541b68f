//! Order statistics of measured durations.

use std::time::Duration;

/// Median and 99th percentile of a sample.
pub struct Summary {
    /// The median.
    pub median: Duration,
    /// The 99th percentile.
    pub p99: Duration,
}

/// Summarizes `samples` (not empty).
pub fn summarize(samples: &mut [Duration]) -> Summary {
    assert!(!samples.is_empty(), "no samples");
    samples.sort_unstable();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    Summary {
        median: at(0.5),
        p99: at(0.99),
    }
}

/// Measures `variants` variants side by side: `runs / 10` warm-up rounds,
/// then `runs` measured rounds, each calling `measure(i)` for every variant
/// `i` in turn, so that the machine's noise hits them alike. Summaries in
/// variant order.
pub fn interleaved(
    variants: usize,
    runs: usize,
    mut measure: impl FnMut(usize) -> anyhow::Result<Duration>,
) -> anyhow::Result<Vec<Summary>> {
    let warm_up = runs / 10;
    let mut samples: Vec<Vec<Duration>> = vec![Vec::with_capacity(runs); variants];
    for round in 0..warm_up + runs {
        for (i, sample) in samples.iter_mut().enumerate() {
            let d = measure(i)?;
            if round >= warm_up {
                sample.push(d);
            }
        }
    }
    Ok(samples.iter_mut().map(|s| summarize(s)).collect())
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
