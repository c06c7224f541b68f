//! The engine core modules built into jspkg (see `engine-component/`).

/// The WebAssembly world an engine implements (`wit/engine.wit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum World {
    /// `jspkg:engine/cli`: exports `wasi:cli/run`, calls the app's `main`.
    Cli,
    /// `jspkg:engine/http`: exports `wasi:http/incoming-handler`, calls the
    /// app's `export default { fetch(request) }` once per request.
    Http,
}

impl World {
    /// Every world, in the order `--help` lists them.
    pub const ALL: [World; 2] = [World::Cli, World::Http];

    /// The world's name as used on the command line and in metadata.
    pub fn as_str(self) -> &'static str {
        match self {
            World::Cli => "cli",
            World::Http => "http",
        }
    }

    /// The name of the built-in engine for this world.
    pub fn engine_name(self) -> &'static str {
        match self {
            World::Cli => "jspkg-quickjs-cli",
            World::Http => "jspkg-quickjs-http",
        }
    }

    /// The core module of the built-in engine for this world, not yet
    /// pre-initialized.
    pub fn engine_module(self) -> &'static [u8] {
        match self {
            World::Cli => include_bytes!(env!("JSPKG_ENGINE_CLI_WASM")),
            World::Http => include_bytes!(env!("JSPKG_ENGINE_HTTP_WASM")),
        }
    }
}

impl std::str::FromStr for World {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "cli" => Ok(World::Cli),
            "http" => Ok(World::Http),
            other => Err(format!("unknown world `{other}`: expected `cli` or `http`")),
        }
    }
}

impl std::fmt::Display for World {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Version of the built-in engines: this crate's version.
pub fn engine_version() -> semver::Version {
    env!("CARGO_PKG_VERSION")
        .parse()
        .expect("crate version is semver")
}
