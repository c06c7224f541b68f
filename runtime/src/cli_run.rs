//! Running a CLI app (`wasi:cli/run`): one fresh store and instance.

use crate::engine::Runtime;
use crate::error::RuntimeError;
use crate::host::Host;
use crate::limits::Limits;
use crate::load::{Entry, LoadedApp};
use wasmtime::{Store, StoreLimitsBuilder, Trap};
use wasmtime_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
use wasmtime_wasi::{FsPerms, WasiCtxBuilder};

/// Where a CLI app's standard streams go.
#[derive(Debug, Clone)]
pub enum CliStdio {
    /// The host process's own stdin, stdout and stderr.
    Inherit,
    /// Given stdin; stdout and stderr captured (up to `limit` bytes each).
    Capture {
        /// Bytes the app reads from stdin.
        stdin: Vec<u8>,
        /// Most bytes kept of each output stream.
        limit: usize,
    },
}

/// What the host lets a CLI app see beyond its arguments and standard
/// streams: nothing by default (`jspkg run --env`, `--dir`).
#[derive(Debug, Clone, Default)]
pub struct CliGrants {
    /// Environment variables, `(name, value)`.
    pub env: Vec<(String, String)>,
    /// Host directories the app may read and write, each under a guest path.
    pub dirs: Vec<DirGrant>,
}

/// A host directory granted to an app (`--dir HOST::GUEST`).
#[derive(Debug, Clone)]
pub struct DirGrant {
    /// The directory on the host.
    pub host: std::path::PathBuf,
    /// The path the app opens it by (`/data`, `.`).
    pub guest: String,
}

/// An instance kept alive after its call (see [`Runtime::run_cli_live`]).
pub struct LiveInstance {
    _store: Store<Host>,
}

/// How a CLI app ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliOutcome {
    /// The exit code: 0 for success, the app's code otherwise.
    pub exit_code: i32,
    /// Captured stdout (empty with [`CliStdio::Inherit`]).
    pub stdout: Vec<u8>,
    /// Captured stderr (empty with [`CliStdio::Inherit`]).
    pub stderr: Vec<u8>,
}

impl Runtime {
    /// Runs `app` once in a fresh instance with `args` (the app's `main`
    /// receives them; `argv[0]` is `program`).
    pub async fn run_cli(
        &self,
        app: &LoadedApp,
        program: &str,
        args: &[String],
        stdio: CliStdio,
    ) -> Result<CliOutcome, RuntimeError> {
        self.run_cli_live(app, program, args, stdio)
            .await
            .map(|(outcome, _instance)| outcome)
    }

    /// Like [`run_cli`](Self::run_cli), but keeps the instance (its store
    /// and memory) alive until the returned [`LiveInstance`] is dropped: for
    /// measuring what live instances cost.
    pub async fn run_cli_live(
        &self,
        app: &LoadedApp,
        program: &str,
        args: &[String],
        stdio: CliStdio,
    ) -> Result<(CliOutcome, LiveInstance), RuntimeError> {
        self.run_cli_granted(app, program, args, stdio, &CliGrants::default())
            .await
    }

    /// Like [`run_cli_live`](Self::run_cli_live), and the app also sees the
    /// environment variables and directories of `grants`.
    pub async fn run_cli_granted(
        &self,
        app: &LoadedApp,
        program: &str,
        args: &[String],
        stdio: CliStdio,
        grants: &CliGrants,
    ) -> Result<(CliOutcome, LiveInstance), RuntimeError> {
        let Entry::Cli(pre) = &app.entry else {
            return Err(RuntimeError::WrongKind {
                kind: app.kind(),
                hint: "serve it with `jspkg serve`",
            });
        };
        let mut wasi = WasiCtxBuilder::new();
        wasi.arg(program).args(args);
        for (name, value) in &grants.env {
            wasi.env(name, value);
        }
        for dir in &grants.dirs {
            wasi.preopened_dir(&dir.host, &dir.guest, FsPerms::ReadWrite)
                .map_err(|e| RuntimeError::Grant {
                    host: dir.host.clone(),
                    message: format!("{e:#}"),
                })?;
        }
        let captured = match stdio {
            CliStdio::Inherit => {
                wasi.inherit_stdio();
                None
            }
            CliStdio::Capture { stdin, limit } => {
                let (out, err) = (MemoryOutputPipe::new(limit), MemoryOutputPipe::new(limit));
                wasi.stdin(MemoryInputPipe::new(stdin))
                    .stdout(out.clone())
                    .stderr(err.clone());
                Some((out, err))
            }
        };
        let mut store = self.new_store(wasi);
        // The epoch deadline stops a guest that computes; this stops one
        // that waits (a timer, I/O) inside a host call, where no epoch
        // check runs: time spent waiting counts against the limit too.
        let call = async {
            let command = pre.instantiate_async(&mut store).await?;
            command.wasi_cli_run().call_run(&mut store).await
        };
        let result = match self.limits.timeout {
            Some(timeout) => tokio::time::timeout(timeout, call)
                .await
                .map_err(|_elapsed| RuntimeError::Timeout(timeout))?,
            None => call.await,
        };
        let exit_code = match result {
            Ok(Ok(())) => 0,
            Ok(Err(())) => 1,
            Err(e) => match e.downcast_ref::<wasmtime_wasi::I32Exit>() {
                Some(exit) => exit.0,
                None => return Err(self.classify_trap(e)),
            },
        };
        let (stdout, stderr) = match captured {
            Some((out, err)) => (out.contents().to_vec(), err.contents().to_vec()),
            None => Default::default(),
        };
        let outcome = CliOutcome {
            exit_code,
            stdout,
            stderr,
        };
        Ok((outcome, LiveInstance { _store: store }))
    }

    /// A fresh store with the memory limit and the time limit armed.
    pub(crate) fn new_store(&self, mut wasi: WasiCtxBuilder) -> Store<Host> {
        let limits = StoreLimitsBuilder::new()
            .memory_size(self.limits.max_memory_bytes as usize)
            .trap_on_grow_failure(true)
            .build();
        let mut store = Store::new(
            &self.engine,
            Host::new(wasi.build(), limits, self.allowed_hosts.clone()),
        );
        store.limiter(|h| &mut h.limits);
        if let Some(timeout) = self.limits.timeout {
            store.set_epoch_deadline(Limits::epoch_ticks(timeout));
            store.epoch_deadline_trap();
        }
        store
    }

    /// Turns a wasmtime error from a call into the error a user can act on.
    pub(crate) fn classify_trap(&self, e: wasmtime::Error) -> RuntimeError {
        if let (Some(Trap::Interrupt), Some(timeout)) =
            (e.downcast_ref::<Trap>(), self.limits.timeout)
        {
            return RuntimeError::Timeout(timeout);
        }
        let text = format!("{e:?}");
        if text.contains("forcing trap when growing memory") {
            return RuntimeError::MemoryLimit(self.limits.max_memory_bytes >> 20);
        }
        RuntimeError::Trap(format!("{e:#}"))
    }
}
