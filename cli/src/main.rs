//! `jspkg`: build, split, compose, publish and run pre-initialized
//! JavaScript WebAssembly components. A thin front end over the libraries.

mod cmd_build;
mod cmd_compose;
mod cmd_inspect;
mod cmd_publish;
mod cmd_pull;
mod cmd_rebuild;
mod cmd_run;
mod cmd_serve;
mod cmd_split;
mod deadline;
mod home;
mod input;
mod serve_workers;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// JavaScript on WebAssembly that starts in microseconds and ships in kilobytes.
#[derive(Parser)]
#[command(name = "jspkg", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build a JavaScript app into a pre-initialized WebAssembly component.
    Build(cmd_build::BuildArgs),
    /// Run an app: a built, composed or split component.
    Run(cmd_run::RunArgs),
    /// Serve HTTP apps: a fresh instance for every request.
    Serve(cmd_serve::ServeArgs),
    /// Split a pre-initialized component into an engine and an app.
    Split(cmd_split::SplitArgs),
    /// Compose an engine and an app into one self-contained component.
    Compose(cmd_compose::ComposeArgs),
    /// Show what a module or component is (kind, digests, memory, globals).
    Inspect(cmd_inspect::InspectArgs),
    /// Publish a split app (and its engine) or a component to an OCI registry.
    Publish(cmd_publish::PublishArgs),
    /// Pull an app and its engine from an OCI registry into the local store.
    Pull(cmd_pull::PullArgs),
    /// Snapshot apps again on a new engine, from the source they carry.
    Rebuild(cmd_rebuild::RebuildArgs),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("JSPKG_LOG")
                // wasmtime-wasi-http warns of every failed outgoing
                // connection; the app's `fetch` gets that error already.
                .unwrap_or_else(|_| {
                    tracing_subscriber::EnvFilter::new("warn,wasmtime_wasi_http=error")
                }),
        )
        .with_writer(std::io::stderr)
        .without_time()
        .init();

    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => cmd_build::run(args).map(|()| ExitCode::SUCCESS),
        Command::Run(args) => cmd_run::run(args),
        Command::Serve(args) => cmd_serve::run(args).map(|()| ExitCode::SUCCESS),
        Command::Split(args) => cmd_split::run(args).map(|()| ExitCode::SUCCESS),
        Command::Compose(args) => cmd_compose::run(args).map(|()| ExitCode::SUCCESS),
        Command::Inspect(args) => cmd_inspect::run(args).map(|()| ExitCode::SUCCESS),
        Command::Publish(args) => cmd_publish::run(args).map(|()| ExitCode::SUCCESS),
        Command::Pull(args) => cmd_pull::run(args).map(|()| ExitCode::SUCCESS),
        Command::Rebuild(args) => cmd_rebuild::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            report(&err);
            ExitCode::FAILURE
        }
    }
}

/// Prints the error a command ended with, as one `error: ` line (also the
/// time limit's watchdog, `deadline`, which ends the process itself).
fn report(err: &anyhow::Error) {
    match err.downcast_ref::<input::Verbatim>() {
        Some(v) => eprintln!("error: {v}"),
        None => eprintln!("error: {}", input::one_line(err)),
    }
}
