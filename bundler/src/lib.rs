//! The bundler of `jspkg build`: turns an app written as a project (an entry
//! file in JavaScript or TypeScript that imports other files and npm
//! packages) into the one ES module that the engine pre-initializes.
//!
//! It runs [rolldown](https://rolldown.rs) in process:
//!
//! - imports are resolved as node resolves them (`node_modules`,
//!   `package.json` `exports` with the conditions `worker`, `browser`,
//!   `import`, `default`, then `browser`/`module`/`main`);
//! - TypeScript is stripped (`.ts`, `.mts`, `.cts`, `.tsx`);
//! - CommonJS packages are wrapped, so `import ms from "ms"` works;
//! - `process.env.NODE_ENV` is replaced by the mode ([`Options::mode`],
//!   `"production"` unless told otherwise), as web bundlers do;
//! - the node built-ins the engine provides ([`ENGINE_BUILTINS`]) stay
//!   imports, which the engine resolves; any other node built-in, a missing
//!   package or a syntax error is a [`BundleError`] naming
//!   `file:line:col`;
//! - the bundle's source map (no sources content, paths relative to the
//!   project) is appended as an inline `//# sourceMappingURL=data:...`
//!   comment, which the engine reads at build time to print the user's
//!   positions in uncaught errors (see `engine-component/CONTRACT.md`).
//!
//! An input that is already one self-contained ES module
//! ([`is_self_contained`]) is not bundled: `jspkg build` gives it to the
//! engine as it is, as it always did.

mod builtin_require;

use rolldown::{
    BundlerBuilder, BundlerOptions, InputItem, OutputFormat, Platform, ResolveOptions,
    SourceMapType,
};
use rolldown_common::Output;
use rolldown_error::{BuildDiagnostic, DiagnosticOptions, EventKind, Severity};
use std::path::{Path, PathBuf};

/// The node built-in modules the engine provides (its module loader resolves
/// them; `engine-component/src/node_modules.rs`). The bundle keeps imports
/// of these as they are.
pub const ENGINE_BUILTINS: &[&str] = &[
    "fs",
    "node:fs",
    "fs/promises",
    "node:fs/promises",
    "process",
    "node:process",
    "readline",
    "node:readline",
    "readline/promises",
    "node:readline/promises",
    "path",
    "node:path",
    "path/posix",
    "node:path/posix",
    "events",
    "node:events",
];

/// node's built-in modules (`require("module").builtinModules` of node 20,
/// without the internal `_` ones): an import of one of these that the engine
/// does not provide is refused by name, not reported as a missing package.
const NODE_BUILTINS: &[&str] = &[
    "assert",
    "assert/strict",
    "async_hooks",
    "buffer",
    "child_process",
    "cluster",
    "console",
    "constants",
    "crypto",
    "dgram",
    "diagnostics_channel",
    "dns",
    "dns/promises",
    "domain",
    "events",
    "fs",
    "fs/promises",
    "http",
    "http2",
    "https",
    "inspector",
    "inspector/promises",
    "module",
    "net",
    "os",
    "path",
    "path/posix",
    "path/win32",
    "perf_hooks",
    "process",
    "punycode",
    "querystring",
    "readline",
    "readline/promises",
    "repl",
    "stream",
    "stream/consumers",
    "stream/promises",
    "stream/web",
    "string_decoder",
    "sys",
    "timers",
    "timers/promises",
    "tls",
    "trace_events",
    "tty",
    "url",
    "util",
    "util/types",
    "v8",
    "vm",
    "wasi",
    "worker_threads",
    "zlib",
    // Only with the prefix: `node:test`, `node:sqlite`, `node:sea`.
    "test",
    "sqlite",
    "sea",
];

/// The extensions of the files [`bundle`] takes as an entry.
pub const ENTRY_EXTENSIONS: &[&str] = &["js", "mjs", "cjs", "ts", "mts", "cts", "tsx", "jsx"];

/// How to bundle.
#[derive(Debug, Clone)]
pub struct Options {
    /// What `process.env.NODE_ENV` is replaced with: `production` (the
    /// default) or `development`, or any other name.
    pub mode: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            mode: "production".into(),
        }
    }
}

/// A bundled app.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// The ES module: the app and everything it imports but the engine's
    /// built-ins, with its source map inline in a last line
    /// `//# sourceMappingURL=data:application/json;...`.
    pub code: String,
    /// The name the engine gives the bundle in messages and stack traces
    /// where a position maps to no source: `ENTRY-STEM.bundle.js`.
    pub file_name: String,
    /// Warnings about the app's own files (not about packages in
    /// `node_modules`), one line each, `file:line:col: message`.
    pub warnings: Vec<String>,
}

/// Why an app could not be bundled. Every variant displays as one line.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// Something wrong at a place in the app's sources: a syntax error, an
    /// import that cannot be resolved, a node built-in the engine does not
    /// provide.
    #[error("{location}: {message}")]
    At {
        /// `file:line:col`, the file relative to the current directory.
        location: String,
        /// What is wrong and what to do.
        message: String,
    },
    /// A directory given as the entry has no `package.json`.
    #[error(
        "{} is a directory with no package.json: give the app's entry file instead (a .js, .mjs, .ts or .mts file in it), or a directory whose package.json names it",
        dir.display()
    )]
    NotAPackage {
        /// The directory.
        dir: PathBuf,
    },
    /// A directory given as the entry has no usable `package.json`.
    #[error("{}: {reason}", dir.display())]
    Package {
        /// The directory.
        dir: PathBuf,
        /// What is missing.
        reason: String,
    },
    /// The bundler failed without a place to point at.
    #[error("bundling {} failed: {message}", entry.display())]
    Bundler {
        /// The entry file.
        entry: PathBuf,
        /// The bundler's message.
        message: String,
    },
}

/// Whether `source` (a file named `file_name`) is already one ES module the
/// engine can take as it is: a `.js`/`.mjs` file whose only imports (static,
/// re-exports, dynamic with a string) are [`ENGINE_BUILTINS`]. Such an input
/// is built exactly as before bundling existed. A file that does not parse
/// counts as self-contained, so that the engine reports the syntax error as
/// it always did (where node reports it).
pub fn is_self_contained(file_name: &str, source: &str) -> bool {
    let ext = Path::new(file_name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("");
    if !matches!(ext, "js" | "mjs" | "") {
        return false;
    }
    let allocator = oxc::allocator::Allocator::default();
    let parsed = oxc::parser::Parser::new(&allocator, source, oxc::span::SourceType::mjs()).parse();
    if parsed.panicked || parsed.diagnostics.has_errors() {
        return true;
    }
    let record = &parsed.module_record;
    let static_ok = record
        .requested_modules
        .keys()
        .all(|specifier| ENGINE_BUILTINS.contains(&specifier.as_str()));
    let dynamic_ok = record.dynamic_imports.iter().all(|d| {
        let text = &source[d.module_request.start as usize..d.module_request.end as usize];
        let unquoted = text
            .strip_prefix(['"', '\''])
            .and_then(|t| t.strip_suffix(['"', '\'']));
        // A computed specifier cannot be bundled either: as before.
        unquoted.is_none_or(|s| ENGINE_BUILTINS.contains(&s))
    });
    static_ok && dynamic_ok
}

/// The `name` and `version` a package directory's `package.json` gives, for
/// the app's defaults: the name without its npm scope (`@acme/shop` is
/// `shop`), each `None` when absent or not a string. A missing or invalid
/// `package.json` gives `(None, None)`: [`package_entry`] reports those.
pub fn package_name_and_version(dir: &Path) -> (Option<String>, Option<String>) {
    let Some(json) = std::fs::read_to_string(dir.join("package.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
    else {
        return (None, None);
    };
    let field = |k: &str| {
        json.get(k)
            .and_then(|v| v.as_str())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let name = field("name").map(|n| match n.rsplit_once('/') {
        Some((_, bare)) if n.starts_with('@') => bare.to_string(),
        _ => n,
    });
    (name, field("version"))
}

/// The entry file of the package in `dir`, from its `package.json`:
/// `exports` (`.`, with the conditions `worker`, `browser`, `import`,
/// `default`), else `module`, else `main`, else `index.ts`/`index.js`
/// (also under `src/`).
pub fn package_entry(dir: &Path) -> Result<PathBuf, BundleError> {
    let manifest = dir.join("package.json");
    let err = |reason: String| BundleError::Package {
        dir: dir.to_path_buf(),
        reason,
    };
    let text = std::fs::read_to_string(&manifest).map_err(|_| BundleError::NotAPackage {
        dir: dir.to_path_buf(),
    })?;
    let json: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| err(format!("package.json is not valid JSON: {e}")))?;
    let mut candidates: Vec<String> = Vec::new();
    if let Some(exports) = json.get("exports") {
        let dot = match exports {
            serde_json::Value::Object(m) if m.keys().any(|k| k.starts_with('.')) => m.get("."),
            other => Some(other),
        };
        if let Some(target) = dot.and_then(pick_condition) {
            candidates.push(target);
        }
    }
    for field in ["module", "main"] {
        if let Some(s) = json.get(field).and_then(|v| v.as_str()) {
            candidates.push(s.to_string());
        }
    }
    for f in [
        "index.ts",
        "index.mts",
        "index.js",
        "index.mjs",
        "src/index.ts",
        "src/index.js",
    ] {
        candidates.push(f.to_string());
    }
    candidates
        .iter()
        .map(|c| dir.join(c))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            err("package.json names no entry file that exists (exports, module, main) and there is no index.ts or index.js".into())
        })
}

/// The target of a package.json `exports` value under jspkg's conditions.
fn pick_condition(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Array(a) => a.iter().find_map(pick_condition),
        serde_json::Value::Object(m) => ["worker", "browser", "import", "default"]
            .iter()
            .find_map(|c| m.get(*c).and_then(pick_condition)),
        _ => None,
    }
}

/// The directory the app's paths are relative to: the nearest directory
/// holding a `package.json`, from the entry's own up; else the entry's.
fn project_root(entry: &Path) -> PathBuf {
    let dir = entry.parent().unwrap_or(Path::new("/"));
    dir.ancestors()
        .find(|d| d.join("package.json").is_file())
        .unwrap_or(dir)
        .to_path_buf()
}

/// `path` relative to the current directory when it is under it.
fn shown(path: &Path) -> String {
    let rel = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf));
    rel.unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

/// Bundles the app whose entry file is `entry`.
pub fn bundle(entry: &Path, opts: &Options) -> Result<Bundle, BundleError> {
    let bundler_failed = |message: String| BundleError::Bundler {
        entry: entry.to_path_buf(),
        message,
    };
    let entry_abs = std::path::absolute(entry).map_err(|e| bundler_failed(e.to_string()))?;
    let root = project_root(&entry_abs);
    let rel_entry = entry_abs
        .strip_prefix(&root)
        .unwrap_or(&entry_abs)
        .to_string_lossy()
        .replace('\\', "/");
    let stem = entry_abs
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "app".into());
    let file_name = format!("{stem}.bundle.js");

    let mut define = rolldown_utils::indexmap::FxIndexMap::default();
    define.insert(
        "process.env.NODE_ENV".to_string(),
        serde_json::Value::String(opts.mode.clone()).to_string(),
    );
    let options = BundlerOptions {
        input: Some(vec![InputItem {
            name: Some(stem.clone()),
            import: format!("./{rel_entry}"),
        }]),
        cwd: Some(root.clone()),
        file: Some(file_name.clone()),
        format: Some(OutputFormat::Esm),
        platform: Some(Platform::Browser),
        resolve: Some(ResolveOptions {
            condition_names: Some(
                ["worker", "browser", "import", "default"]
                    .map(String::from)
                    .to_vec(),
            ),
            main_fields: Some(["browser", "module", "main"].map(String::from).to_vec()),
            ..Default::default()
        }),
        define: Some(define),
        sourcemap: Some(SourceMapType::Hidden),
        sourcemap_exclude_sources: Some(true),
        code_splitting: Some(rolldown::CodeSplittingMode::Bool(false)),
        ..Default::default()
    };
    let diag_opts = DiagnosticOptions { cwd: root.clone() };

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| bundler_failed(e.to_string()))?;
    let result = runtime.block_on(async {
        let mut bundler = BundlerBuilder::default()
            .with_options(options)
            .with_plugins(vec![std::sync::Arc::new(builtin_require::BuiltinRequire)])
            .build()?;
        let out = bundler.generate().await;
        let _ = bundler.close().await;
        out
    });
    let output = match result {
        Ok(o) => o,
        Err(batch) => {
            let diagnostics = batch.into_vec();
            let first = diagnostics
                .iter()
                .find(|d| d.severity() == Severity::Error)
                .or(diagnostics.first());
            return Err(match first {
                Some(d) => located(d, &root, &diag_opts),
                None => bundler_failed("no diagnostic".into()),
            });
        }
    };

    // A bare import that resolves to nothing is a warning to rolldown (it
    // keeps it as an external import); the engine could not load it, so it
    // is an error here, as is a node built-in the engine lacks.
    if let Some(d) = output
        .warnings
        .iter()
        .find(|d| matches!(d.kind(), EventKind::UnresolvedImport))
    {
        return Err(located(d, &root, &diag_opts));
    }
    let warnings = output
        .warnings
        .iter()
        .filter(|d| !d.id().is_some_and(|id| id.contains("/node_modules/")))
        .map(|d| located(d, &root, &diag_opts).to_string())
        .collect();

    let chunk = output
        .assets
        .iter()
        .find_map(|a| match a {
            Output::Chunk(c) if c.is_entry => Some(c.clone()),
            _ => None,
        })
        .ok_or_else(|| bundler_failed("the bundler made no entry chunk".into()))?;
    let mut code = chunk.code.clone();
    if !code.ends_with('\n') {
        code.push('\n');
    }
    if let Some(map) = &chunk.map {
        code.push_str("//# sourceMappingURL=");
        code.push_str(&map.to_data_url());
        code.push('\n');
    }
    Ok(Bundle {
        code,
        file_name,
        warnings,
    })
}

/// The one-line error for a diagnostic: `file:line:col: message`.
fn located(d: &BuildDiagnostic, root: &Path, opts: &DiagnosticOptions) -> BundleError {
    let diagnostic = d.to_diagnostic_with(opts);
    let location = match diagnostic.get_primary_location() {
        Some((file, line, col, _)) => format!("{}:{line}:{}", shown(&root.join(file)), col + 1),
        None => d.id().map(|id| shown(Path::new(&id))).unwrap_or_default(),
    };
    let message = match d.kind() {
        EventKind::UnresolvedImport | EventKind::ResolveError => {
            let specifier = d.exporter().unwrap_or_default();
            let bare = specifier.strip_prefix("node:").unwrap_or(&specifier);
            if specifier.starts_with("node:") || NODE_BUILTINS.contains(&bare) {
                format!(
                    "`{specifier}` is a node built-in module, not one of the built-in modules jspkg provides ({})",
                    ENGINE_BUILTINS
                        .iter()
                        .filter(|m| m.starts_with("node:"))
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            } else if specifier.starts_with(['.', '/']) {
                format!("cannot find `{specifier}`: no such file (check the path)")
            } else {
                let package = package_name(&specifier);
                format!(
                    "cannot find package `{package}` (imported as `{specifier}`): it is not in node_modules; install it (npm install {package})"
                )
            }
        }
        _ => one_line(&d.to_message_with(opts)),
    };
    BundleError::At { location, message }
}

/// The npm package name of a bare specifier: `@scope/name` or `name`.
fn package_name(specifier: &str) -> String {
    let mut parts = specifier.split('/');
    match (parts.next(), parts.next()) {
        (Some(scope), Some(name)) if scope.starts_with('@') => format!("{scope}/{name}"),
        (Some(name), _) => name.to_string(),
        _ => specifier.to_string(),
    }
}

/// A message folded onto one line.
fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_contained_modules_are_left_alone() {
        assert!(is_self_contained(
            "a.js",
            "import { readFile } from 'node:fs/promises';\nexport function main() {}\n"
        ));
        assert!(is_self_contained(
            "a.js",
            "export function main() { import('fs') }"
        ));
        assert!(is_self_contained("a.js", "this is not javascript"));
        assert!(!is_self_contained("a.js", "import ms from 'ms';"));
        assert!(!is_self_contained("a.js", "export * from './b.js';"));
        assert!(!is_self_contained(
            "a.js",
            "const m = await import('./b.js');"
        ));
        assert!(!is_self_contained("a.ts", "export function main() {}"));
    }

    #[test]
    fn package_names() {
        assert_eq!(package_name("ms"), "ms");
        assert_eq!(package_name("zod/v4"), "zod");
        assert_eq!(package_name("@scope/pkg/sub"), "@scope/pkg");
    }

    #[test]
    fn exports_conditions() {
        let v: serde_json::Value = serde_json::from_str(
            r#"{"node":"./n.js","browser":{"import":"./b.mjs","require":"./b.cjs"},"default":"./d.js"}"#,
        )
        .unwrap();
        assert_eq!(pick_condition(&v).as_deref(), Some("./b.mjs"));
    }
}
