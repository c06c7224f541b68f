//! (d) Throughput: CPU-bound JS kernels (benches/kernels/, in the style of
//! Octane and SunSpider) in our engine (a fresh instance of the built
//! component), in the same QuickJS built natively, and in node. Each kernel
//! times its own work with `performance.now()` and prints `result=… ms=…`;
//! the three engines must agree on the result.

use crate::apps::{self, block_on};
use crate::native;
use crate::stats::{self, human, ratio};
use jspkg_runtime::{CliStdio, Runtime, RuntimeConfig};
use std::process::Command;
use std::time::Duration;

/// `(result, ms)` from a kernel's `NAME result=R ms=T` line.
fn parse(out: &str) -> anyhow::Result<(String, Duration)> {
    let line = out
        .lines()
        .find(|l| l.contains(" result=") && l.contains(" ms="))
        .ok_or_else(|| anyhow::anyhow!("no `result=… ms=…` line in {out:?}"))?;
    let field = |k: &str| {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(k))
            .map(str::to_string)
            .ok_or_else(|| anyhow::anyhow!("no {k} in {line:?}"))
    };
    let ms: f64 = field("ms=")?.parse()?;
    Ok((field("result=")?, Duration::from_secs_f64(ms / 1e3)))
}

/// Runs every kernel `repeats` times in each engine.
pub fn kernels(repeats: usize) -> anyhow::Result<()> {
    let dir = apps::repo_root().join("benches/kernels");
    let mut files: Vec<_> = std::fs::read_dir(&dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.retain(|p| p.extension().is_some_and(|e| e == "js"));
    files.sort();
    let rt = Runtime::new(RuntimeConfig {
        max_instances: 4,
        limits: jspkg_runtime::Limits {
            timeout: Duration::from_secs(600),
            ..Default::default()
        },
        ..Default::default()
    })?;

    crate::md!("## (d) Throughput: JS kernels (benches/kernels/)\n");
    crate::md!(
        "Time of each kernel's own work (`performance.now()` around it), median of {repeats} \
         runs per engine; the engines agree on every result.\n"
    );
    crate::md!(
        "| kernel | jspkg (QuickJS on wasm) | native QuickJS | node | jspkg / native | node / native |"
    );
    crate::md!("| --- | --- | --- | --- | --- | --- |");
    let mut log_ratio_sum = 0.0;
    for path in &files {
        let rel = format!(
            "benches/kernels/{}",
            path.file_name().unwrap().to_string_lossy()
        );
        let app = apps::prepare(&rel)?;
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let loaded = rt.load_component(&app.monolithic)?;
        let mut ours = Vec::new();
        let mut nat = Vec::new();
        let mut node = Vec::new();
        let mut results = Vec::new();
        for _ in 0..repeats {
            let out = block_on(rt.run_cli(
                &loaded,
                &name,
                &[],
                CliStdio::Capture {
                    stdin: vec![],
                    limit: 1 << 16,
                },
            ))?;
            anyhow::ensure!(
                out.exit_code == 0,
                "{name} failed in jspkg: {:?}",
                String::from_utf8_lossy(&out.stderr)
            );
            let (r, t) = parse(&String::from_utf8_lossy(&out.stdout))?;
            results.push(("jspkg", r));
            ours.push(t);

            let (r, t) = parse(&native::run(&format!("{name}.js"), &app.source, &[])?)?;
            results.push(("native QuickJS", r));
            nat.push(t);

            let out = Command::new("node")
                .arg(apps::repo_root().join("tests/node-main.mjs"))
                .arg(path)
                .output()?;
            anyhow::ensure!(out.status.success(), "{name} failed in node");
            let (r, t) = parse(&String::from_utf8_lossy(&out.stdout))?;
            results.push(("node", r));
            node.push(t);
        }
        if let Some((who, r)) = results.iter().find(|(_, r)| *r != results[0].1) {
            anyhow::bail!(
                "{name}: {who} computed {r}, jspkg computed {}",
                results[0].1
            );
        }
        let (o, n, d) = (
            stats::summarize(&mut ours).median,
            stats::summarize(&mut nat).median,
            stats::summarize(&mut node).median,
        );
        log_ratio_sum += (o.as_secs_f64() / n.as_secs_f64()).ln();
        crate::md!(
            "| {name} | {} | {} | {} | {} | {} |",
            human(o),
            human(n),
            human(d),
            ratio(o, n),
            ratio(d, n)
        );
        let ms = |d: Duration| (d.as_secs_f64() * 1e5).round() / 100.0;
        crate::report::object(
            "throughput",
            serde_json::json!({
                "name": name,
                "runs": repeats,
                "jspkg_ms": ms(o),
                "native_ms": ms(n),
                "node_ms": ms(d),
                "jspkg_over_native": o.as_secs_f64() / n.as_secs_f64(),
            }),
        );
    }
    let geomean = (log_ratio_sum / files.len() as f64).exp();
    crate::md!("\nGeometric mean of jspkg / native QuickJS: **{geomean:.2}×**.\n");
    crate::report::object(
        "throughput",
        serde_json::json!({ "name": "geometric mean", "jspkg_over_native": geomean }),
    );
    Ok(())
}
