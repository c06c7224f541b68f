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

/// A raw engine: an engine core module that is *not* pre-initialized yet
/// (`engine-component/build.sh` output, see `engine-component/CONTRACT.md`),
/// with the name and version its apps record. `jspkg build` uses the one
/// built into this binary; `jspkg rebuild --engine-module` another build.
#[derive(Debug, Clone)]
pub struct RawEngine {
    /// Engine name, e.g. `jspkg-quickjs-cli`.
    pub name: String,
    /// Engine version.
    pub version: semver::Version,
    module: std::borrow::Cow<'static, [u8]>,
}

/// A file that is not a raw engine core module.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct RawEngineError(String);

impl RawEngine {
    /// The engine built into this jspkg for `world`.
    pub fn built_in(world: World) -> Self {
        Self {
            name: world.engine_name().to_string(),
            version: engine_version(),
            module: std::borrow::Cow::Borrowed(world.engine_module()),
        }
    }

    /// A raw engine core module from elsewhere (e.g. a newer
    /// `engine-component/build.sh` output). Checks its shape: a core module
    /// exporting `wizer-initialize` and the export of one world.
    pub fn from_module(
        name: String,
        version: semver::Version,
        module: Vec<u8>,
    ) -> Result<Self, RawEngineError> {
        let e = Self {
            name,
            version,
            module: std::borrow::Cow::Owned(module),
        };
        e.world()?;
        Ok(e)
    }

    /// The core module.
    pub fn module(&self) -> &[u8] {
        &self.module
    }

    /// The world the module implements, from its exports.
    pub fn world(&self) -> Result<World, RawEngineError> {
        let bad = |why: &str| {
            RawEngineError(format!(
                "not a raw engine core module ({why}); give engine-component/build.sh's \
                 target/engine/jspkg-engine-WORLD.wasm, not a split engine.wasm"
            ))
        };
        if wasmparser::Parser::is_component(&self.module) {
            return Err(bad("it is a component"));
        }
        let mut init = false;
        let mut world = None;
        for payload in wasmparser::Parser::new(0).parse_all(&self.module) {
            let payload = payload.map_err(|e| bad(&format!("invalid WebAssembly: {e}")))?;
            if let wasmparser::Payload::ExportSection(r) = payload {
                for export in r {
                    let export = export.map_err(|e| bad(&format!("invalid export: {e}")))?;
                    if export.name == "wizer-initialize" {
                        init = true;
                    } else if export.name.starts_with("wasi:cli/run@") {
                        world = Some(World::Cli);
                    } else if export.name.starts_with("wasi:http/incoming-handler@") {
                        world = Some(World::Http);
                    }
                }
            }
        }
        if !init {
            return Err(bad("it does not export `wizer-initialize`"));
        }
        world.ok_or_else(|| bad("it exports neither wasi:cli/run nor wasi:http/incoming-handler"))
    }
}

/// Version of the built-in engines: this crate's version.
pub fn engine_version() -> semver::Version {
    env!("CARGO_PKG_VERSION")
        .parse()
        .expect("crate version is semver")
}
