//! `jspkg`: build, split, compose, publish and run pre-initialized
//! JavaScript WebAssembly components. A thin front end over the libraries.

mod cmd_build;
mod cmd_run;
mod home;

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
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("JSPKG_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .without_time()
        .init();

    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build(args) => cmd_build::run(args).map(|()| ExitCode::SUCCESS),
        Command::Run(args) => cmd_run::run(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
