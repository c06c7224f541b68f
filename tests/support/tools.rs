//! Locating the external test tools that `scripts/setup-tools.sh` installs
//! into `<repo>/.jspkg-tools/` (wasmtime CLI, wasm-tools, jco, ComponentizeJS,
//! wizer, esbuild, componentize-py) and the machine's `node`.
//!
//! Shared by the test suites of several crates; include it with
//!
//! ```ignore
//! #[path = "../../tests/support/tools.rs"]
//! mod tools;
//! ```
//!
//! The tools are found through `$JSPKG_TOOLS` (exported by
//! `.jspkg-tools/env.sh`) or else at `<repo>/.jspkg-tools`. A missing tool is a
//! test failure with a message saying how to install it, never a skip: CI runs
//! `make test`, which runs the set-up first.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The repository root: the nearest ancestor of the including crate's
/// manifest directory that holds `tools/requirements.txt`.
pub fn repo_root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let start = Path::new(env!("CARGO_MANIFEST_DIR"));
        start
            .ancestors()
            .find(|p| p.join("tools/requirements.txt").is_file())
            .unwrap_or_else(|| {
                panic!(
                    "cannot find the jspkg repository root above {} (no tools/requirements.txt)",
                    start.display()
                )
            })
            .to_path_buf()
    })
}

/// The tools installed by `scripts/setup-tools.sh`.
pub struct Tools {
    root: PathBuf,
}

impl Tools {
    /// The installed tools; panics with a clear message if they are missing.
    pub fn get() -> &'static Tools {
        static TOOLS: OnceLock<Tools> = OnceLock::new();
        TOOLS.get_or_init(|| {
            let root = std::env::var_os("JSPKG_TOOLS")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .unwrap_or_else(|| repo_root().join(".jspkg-tools"));
            if !root.join("env.sh").is_file() || !root.join("bin").is_dir() {
                panic!(
                    "the jspkg test tools are not installed at {}: run `scripts/setup-tools.sh` \
                     (or `make tools`) in {}",
                    root.display(),
                    repo_root().display()
                );
            }
            Tools { root }
        })
    }

    /// `.jspkg-tools` itself.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The path of a tool in `.jspkg-tools/bin` (`wasmtime`, `wasm-tools`,
    /// `jco`, `componentize-js`, `wizer`, `esbuild`, `componentize-py`).
    pub fn bin(&self, name: &str) -> PathBuf {
        let p = self.root.join("bin").join(name);
        if !p.exists() {
            panic!(
                "test tool `{name}` not found at {}: run `scripts/setup-tools.sh` in {}",
                p.display(),
                repo_root().display()
            );
        }
        p
    }

    /// The npm packages (`.jspkg-tools/node/node_modules`), e.g. for esbuild's
    /// `NODE_PATH` when bundling a test app that imports an npm library.
    pub fn node_modules(&self) -> PathBuf {
        let p = self.root.join("node").join("node_modules");
        if !p.is_dir() {
            panic!(
                "{} is missing: run `scripts/setup-tools.sh` in {}",
                p.display(),
                repo_root().display()
            );
        }
        p
    }

    /// The machine's `node` (the reference JavaScript engine of the tests).
    pub fn node(&self) -> PathBuf {
        which("node").unwrap_or_else(|| {
            panic!("`node` is not on PATH: scripts/setup-tools.sh installs Debian's nodejs if it is missing")
        })
    }

    /// A `PATH` value with `.jspkg-tools/bin` first, for child processes
    /// (e.g. scripts that call `jco` or `wasmtime` by name).
    pub fn path_env(&self) -> std::ffi::OsString {
        let mut paths = vec![self.root.join("bin")];
        if let Some(p) = std::env::var_os("PATH") {
            paths.extend(std::env::split_paths(&p));
        }
        std::env::join_paths(paths).expect("PATH entries contain no separator")
    }

    /// A command for a tool with `PATH` and `JSPKG_TOOLS*` set as
    /// `.jspkg-tools/env.sh` sets them.
    pub fn command(&self, name: &str) -> std::process::Command {
        let program = if name == "node" {
            self.node()
        } else {
            self.bin(name)
        };
        let mut cmd = std::process::Command::new(program);
        self.apply_env(&mut cmd);
        cmd
    }

    /// Sets `PATH`, `JSPKG_TOOLS` and `JSPKG_TOOLS_NODE_MODULES` on a command.
    pub fn apply_env(&self, cmd: &mut std::process::Command) {
        cmd.env("PATH", self.path_env())
            .env("JSPKG_TOOLS", &self.root)
            .env(
                "JSPKG_TOOLS_NODE_MODULES",
                self.root.join("node").join("node_modules"),
            );
    }
}

/// Looks a program up on `PATH`.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// The foreign pre-initialized fixtures of `tests/foreign/build-fixtures.sh`
/// (wizer core modules, ComponentizeJS and componentize-py components, and
/// their `manifest.json`), built once into the target directory and reused
/// while their inputs and the tools are unchanged. Panics with the script's
/// output if it fails.
pub fn foreign_fixtures() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let tools = Tools::get();
        let base = option_env!("CARGO_TARGET_TMPDIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| repo_root().join("target").join("tmp"));
        let out = base.join("foreign-fixtures");
        let script = repo_root().join("tests/foreign/build-fixtures.sh");
        let mut cmd = std::process::Command::new("bash");
        cmd.arg(&script).arg(&out).current_dir(repo_root());
        tools.apply_env(&mut cmd);
        let result = cmd
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
        if !result.status.success() {
            panic!(
                "{} {} failed ({}):\n{}{}",
                script.display(),
                out.display(),
                result.status,
                String::from_utf8_lossy(&result.stdout),
                String::from_utf8_lossy(&result.stderr)
            );
        }
        out
    })
}
