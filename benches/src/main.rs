//! jspkg's benchmarks (`make bench`). Every comparison is taken side by side
//! in one run, with one host configuration, and printed as Markdown for
//! BENCHMARKS.md:
//!
//! - `startup`: a fresh instance plus a trivial `main` — split and linked at
//!   load time, the monolithic pre-initialized component, the engine with no
//!   snapshot (evaluating the source at start), and `node app.js` as a
//!   process;
//! - `new-app`: from an app's bytes to its first result on a host that has
//!   the engine compiled, against compiling the monolithic component;
//! - `memory`: resident memory of 1000 live instances of one app;
//! - `throughput`: CPU-bound JS kernels (`benches/kernels/`) in our engine,
//!   in the same QuickJS built natively, in node and in SpiderMonkey on wasm
//!   (ComponentizeJS), and in other builds of our engine (`--engine`,
//!   `--engine-serve`);
//! - `http-request`: one HTTP request in a fresh instance, in process (the
//!   load over TCP is `benches/http-load.sh`).
//!
//! These are benchmarks, not tests: they assert nothing about speed.
//!
//! `--json` prints one JSON object per line and variant instead of Markdown
//! (`bench`, `name`, `median_us`, `p99_us`, `runs`; the throughput kernels
//! their milliseconds and the geometric-mean ratio). `--profile` is for
//! `benches/profile.sh`: wasmtime writes a perf map of the guest's code, and
//! `--variant` keeps only the variants whose name contains a string.

mod apps;
mod http_request;
mod memory;
mod native;
mod report;
mod startup;
mod stats;
mod throughput;

use clap::Parser;

/// Run jspkg's benchmarks and print the figures as Markdown.
#[derive(Parser)]
struct Args {
    /// Which benchmarks to run (default: all).
    #[arg(long, value_delimiter = ',', value_enum)]
    only: Vec<Bench>,
    /// Measured calls per start-up variant.
    #[arg(long, default_value_t = 2000)]
    runs: usize,
    /// Live instances for the memory benchmark.
    #[arg(long, default_value_t = 1000)]
    instances: u32,
    /// Repetitions of each throughput kernel per engine (the median counts).
    #[arg(long, default_value_t = 3)]
    repeats: usize,
    /// Another build of the cli engine to run the throughput kernels in,
    /// beside the built-in one, as `jspkg run` runs it (no epoch checks):
    /// `LABEL=FILE` (a raw module written by `engine-component/build.sh`);
    /// repeatable.
    #[arg(long = "engine", value_name = "LABEL=FILE")]
    engines: Vec<throughput::ExtraEngine>,
    /// As `--engine`, but run as `jspkg serve` runs it (with a time limit,
    /// so the engine is compiled with epoch checks): how every call ran an
    /// engine before `jspkg run` kept its limit without them.
    #[arg(long = "engine-serve", value_name = "LABEL=FILE")]
    served_engines: Vec<throughput::ExtraEngine>,
    /// Also run the throughput kernels with one wasmtime setting changed
    /// per column, to measure what each costs: under the wasmtime CLI
    /// (epoch interruption, explicit bounds checks) and in the runtime
    /// (Cranelift inlining).
    #[arg(long)]
    wasmtime_levers: bool,
    /// Print one JSON object per line and variant instead of Markdown.
    #[arg(long)]
    json: bool,
    /// Write a perf map of the guest's code (/tmp/perf-PID.map) for `perf
    /// report` (benches/profile.sh).
    #[arg(long)]
    profile: bool,
    /// Run only the start-up and HTTP-request variants whose name contains
    /// this (e.g. `split, linked`).
    #[arg(long)]
    variant: Option<String>,
    /// Another HTTP app to time a request to, split and linked, beside
    /// examples/http/hello.js (interleaved with it; any 200 response
    /// counts); repeatable. For comparing what a handler costs.
    #[arg(long = "http-app", value_name = "FILE")]
    http_apps: Vec<std::path::PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Bench {
    Startup,
    NewApp,
    Memory,
    Throughput,
    HttpRequest,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let all = args.only.is_empty();
    let want = |b| all || args.only.contains(&b);
    report::set_json(args.json);
    apps::set_profile(args.profile, args.variant.clone());
    let work = tempfile::tempdir()?;
    md!(
        "Machine: {} cores; wasmtime 50 (pooling allocator, copy-on-write images); \
         figures from one run of `make bench`.\n",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    if want(Bench::Startup) {
        startup::cold_start(work.path(), args.runs)?;
    }
    if want(Bench::NewApp) {
        startup::new_app_on_warm_host(work.path())?;
    }
    if want(Bench::Memory) {
        memory::live_instances(work.path(), args.instances)?;
    }
    if want(Bench::Throughput) {
        throughput::kernels(
            args.repeats,
            &args.engines,
            &args.served_engines,
            args.wasmtime_levers,
        )?;
    }
    if want(Bench::HttpRequest) {
        http_request::per_request(work.path(), args.runs, &args.http_apps)?;
    }
    Ok(())
}
