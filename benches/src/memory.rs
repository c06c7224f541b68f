//! (c) Resident memory of many live instances of one app: with
//! copy-on-write images an instance costs the pages it writes, not its
//! whole memory image.

use crate::apps::{self, block_on};
use jspkg_runtime::{CliStdio, Runtime, RuntimeConfig};
use std::path::Path;

/// The process's resident set size, in bytes (`VmRSS`).
fn rss() -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| anyhow::anyhow!("no VmRSS in /proc/self/status"))?;
    Ok(kb * 1024)
}

/// Keeps `instances` instances of examples/hello alive (each has run
/// `main`) and reports the growth of resident memory.
pub fn live_instances(work: &Path, instances: u32) -> anyhow::Result<()> {
    let hello = apps::prepare("examples/hello/hello.js")?;
    let rt = Runtime::new(RuntimeConfig {
        cache_dir: Some(work.join("mem-cache")),
        max_instances: instances + 8,
        ..Default::default()
    })?;
    let app = rt.load_engine(&hello.engine)?.link_app(&rt, &hello.app)?;
    let data = jspkg_artifact::data_module(&hello.engine, &hello.app)?;
    let image = memory_image_size(&data)?;

    let run = |keep: &mut Vec<_>| -> anyhow::Result<()> {
        let (out, live) = block_on(rt.run_cli_live(
            &app,
            "hello",
            &[],
            CliStdio::Capture {
                stdin: vec![],
                limit: 1 << 12,
            },
        ))?;
        anyhow::ensure!(out.exit_code == 0, "hello failed");
        keep.push(live);
        Ok(())
    };
    // One instance first, so that one-time costs (the engine's code, the
    // image mapped once) are not counted per instance.
    let mut warm = Vec::new();
    run(&mut warm)?;
    drop(warm);
    let before = rss()?;
    let mut live = Vec::with_capacity(instances as usize);
    for _ in 0..instances {
        run(&mut live)?;
    }
    let after = rss()?;
    let per = after.saturating_sub(before) / u64::from(instances);
    crate::md!("## (c) Memory: {instances} live instances of examples/hello (split)\n");
    crate::md!("| what | bytes |");
    crate::md!("| --- | --- |");
    crate::md!("| memory image of the app (initial linear memory) | {image} |");
    crate::md!(
        "| {instances} × the image (what copying it per instance would take) | {} |",
        image * u64::from(instances)
    );
    crate::md!(
        "| resident growth with {instances} live instances | {} |",
        after.saturating_sub(before)
    );
    crate::md!("| per instance | {per} |");
    crate::md!(
        "\nEach live instance costs {:.1}% of its memory image.\n",
        per as f64 * 100.0 / image as f64
    );
    crate::report::object(
        "memory",
        serde_json::json!({
            "instances": instances,
            "image_bytes": image,
            "resident_growth_bytes": after.saturating_sub(before),
            "per_instance_bytes": per,
        }),
    );
    drop(live);
    Ok(())
}

/// The initial size of the data module's memory, in bytes.
fn memory_image_size(data_module: &[u8]) -> anyhow::Result<u64> {
    for payload in wasmparser::Parser::new(0).parse_all(data_module) {
        if let wasmparser::Payload::MemorySection(r) = payload?
            && let Some(m) = r.into_iter().next()
        {
            return Ok(m?.initial * 65536);
        }
    }
    anyhow::bail!("the data module defines no memory")
}
