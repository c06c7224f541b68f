//! (e) One HTTP request in a fresh instance, in process: from a request
//! handed to `jspkg serve`'s handler to the whole response body, with no
//! network in between, so the figure is the per-request cost of a fresh
//! instance (instantiate from the copy-on-write snapshot, `fetch`, write
//! the response), split against monolithic, and against a runtime whose
//! slots drop the pages an instance wrote (wasmtime's default reset).
//! `benches/http-load.sh` measures the same handler over TCP under load.

use crate::apps::{self, block_on};
use crate::stats::{self, human, ratio};
use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use jspkg_runtime::{HttpServer, SlotReset};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

const HELLO: &str = "examples/http/hello.js";

/// `extra`: more apps (`--http-app`), each timed split and linked beside
/// the variants of examples/http/hello.js.
pub fn per_request(work: &Path, runs: usize, extra: &[PathBuf]) -> anyhow::Result<()> {
    let hello = apps::prepare_for(HELLO, jspkg_packager::World::Http)?;
    let cache = work.join("cache-http");
    let runtime = |slot_reset| apps::runtime(Some(&cache), slot_reset).map(Arc::new);
    let rt = runtime(SlotReset::InPlace)?;
    let engine = rt.load_engine(&hello.engine)?;
    let split = engine.link_app(&rt, &hello.app)?;
    let mono = rt.load_component(&hello.monolithic)?;
    // Each form of the app at its own prefix; the handler ignores the path.
    let mut server = HttpServer::new(rt.clone())?;
    server.add_app("/split", "hello (split)", Arc::new(split))?;
    server.add_app("/mono", "hello (monolithic)", Arc::new(mono))?;
    // The split app again, on a runtime whose slots drop written pages.
    let rt_drop = runtime(SlotReset::Drop)?;
    let split_drop = rt_drop
        .load_engine(&hello.engine)?
        .link_app(&rt_drop, &hello.app)?;
    let mut server_drop = HttpServer::new(rt_drop)?;
    server_drop.add_app("/", "hello (split, pages dropped)", Arc::new(split_drop))?;
    // Each extra app at its own prefix of the first server, split.
    let mut extra_variants = Vec::new();
    for (i, path) in extra.iter().enumerate() {
        let app = apps::prepare_for(&path.to_string_lossy(), jspkg_packager::World::Http)?;
        // Every app of one engine links onto the engine compiled once (and,
        // under --profile, named in the perf map).
        let linked = if app.engine == hello.engine {
            engine.link_app(&rt, &app.app)?
        } else {
            rt.load_engine(&app.engine)?.link_app(&rt, &app.app)?
        };
        let prefix = format!("/extra{i}");
        server.add_app(&prefix, path.display().to_string(), Arc::new(linked))?;
        extra_variants.push((format!("split, linked: {}", path.display()), prefix));
    }
    let local: SocketAddr = "127.0.0.1:8080".parse()?;

    // `expected`: the body the app answers with (an extra app's is its own).
    let call =
        |server: &HttpServer, path: &str, expected: Option<&[u8]>| -> anyhow::Result<Duration> {
            let req = hyper::Request::get(format!("http://127.0.0.1:8080{path}"))
                .header("host", "127.0.0.1:8080")
                // A body error type the handler takes: a server's is hyper's.
                .body(Empty::<Bytes>::new().map_err(
                    |never: std::convert::Infallible| -> hyper::Error { match never {} },
                ))?;
            let started = Instant::now();
            let (status, body) = block_on(async {
                let response = server.handle(req, local).await;
                let status = response.status();
                let body = response.into_body().collect().await.map(|b| b.to_bytes());
                (status, body)
            });
            let took = started.elapsed();
            let body = body.map_err(|e| anyhow::anyhow!("reading the response: {e}"))?;
            anyhow::ensure!(
                status == 200 && expected.is_none_or(|e| body.as_ref() == e),
                "unexpected response {status}: {}",
                String::from_utf8_lossy(&body)
            );
            Ok(took)
        };

    let hello_body: Option<&[u8]> = Some(br#"{"hello":"world"}"#);
    let mut variants = vec![
        ("split, linked at load time", &server, "/split", hello_body),
        (
            "monolithic pre-initialized component",
            &server,
            "/mono",
            hello_body,
        ),
        (
            "split, written pages dropped at reset (wasmtime's default)",
            &server_drop,
            "/split",
            hello_body,
        ),
    ];
    variants.extend(
        extra_variants
            .iter()
            .map(|(name, prefix)| (name.as_str(), &server, prefix.as_str(), None)),
    );
    variants.retain(|v| apps::wanted(v.0));
    let summaries = stats::interleaved(variants.len(), runs, |i| {
        let (_, server, path, expected) = variants[i];
        call(server, path, expected)
    })?;

    crate::md!("## (e) One HTTP request in a fresh instance: examples/http/hello.js, in process\n");
    crate::md!(
        "{runs} requests per variant, interleaved; request handed to `jspkg serve`'s handler \
         to the last byte of the body (no network).\n"
    );
    crate::md!("| variant | median | p99 | median vs split |");
    crate::md!("|---|---|---|---|");
    for ((name, ..), s) in variants.iter().zip(&summaries) {
        crate::md!(
            "| {name} | {} | {} | {} |",
            human(s.median),
            human(s.p99),
            ratio(s.median, summaries[0].median)
        );
        crate::report::variant("http-request", name, s, serde_json::json!({}));
    }
    crate::md!();
    Ok(())
}
