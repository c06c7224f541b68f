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
//!   in the same QuickJS built natively, and in node;
//! - `http-request`: one HTTP request in a fresh instance, in process (the
//!   load over TCP is `benches/http-load.sh`).
//!
//! These are benchmarks, not tests: they assert nothing about speed.

mod apps;
mod http_request;
mod memory;
mod native;
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
    let work = tempfile::tempdir()?;
    println!(
        "Machine: {} cores; wasmtime 48 (pooling allocator, copy-on-write images); \
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
        throughput::kernels(args.repeats)?;
    }
    if want(Bench::HttpRequest) {
        http_request::per_request(work.path(), args.runs)?;
    }
    Ok(())
}
