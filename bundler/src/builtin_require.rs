//! The engine's built-in modules in a bundle. An `import` of one stays an
//! import (external, as written), which the engine resolves at build time.
//! A `require()` of one from CommonJS code (`require("path")` in an npm
//! package) needs more: rolldown keeps a `require` of an external module
//! as a call of a `require` function at run time, which an ES module in
//! the engine (as in node, Deno or Workers) does not have. This plugin
//! resolves such a `require` to a one-line CommonJS module of its own,
//! `module.exports = globalThis[Symbol.for("jspkg.require")]("node:path")`,
//! the engine's accessor of its built-ins (`engine-component/src/node.js`),
//! so that `require("path")` is path's object itself, the same one at
//! every call, as in node. rolldown has the idea of rewriting such
//! requires as a JavaScript plugin (`esmExternalRequirePlugin`, which
//! turns them into imports and so gives a namespace object); its Rust
//! crates do not ship one. The plugin, not rolldown's `external` option,
//! marks the built-ins external: that option is decided before any plugin
//! sees a `require`.

use crate::ENGINE_BUILTINS;
use rolldown_common::{ImportKind, ResolvedExternal};
use rolldown_plugin::{
    HookLoadArgs, HookLoadOutput, HookLoadReturn, HookResolveIdArgs, HookResolveIdOutput,
    HookResolveIdReturn, HookUsage, Plugin, PluginContext, SharedLoadPluginContext,
};
use std::borrow::Cow;

/// The ids of the one-line modules: `\0` keeps other plugins and the
/// file system away, as rollup's convention says.
const PREFIX: &str = "\0jspkg-require:";

/// The plugin (see the module's doc).
#[derive(Debug, Default)]
pub struct BuiltinRequire;

impl Plugin for BuiltinRequire {
    fn name(&self) -> Cow<'static, str> {
        Cow::Borrowed("jspkg:builtin-require")
    }

    fn register_hook_usage(&self) -> HookUsage {
        HookUsage::ResolveId | HookUsage::Load
    }

    async fn resolve_id(
        &self,
        _ctx: &PluginContext,
        args: &HookResolveIdArgs<'_>,
    ) -> HookResolveIdReturn {
        if !ENGINE_BUILTINS.contains(&args.specifier) {
            return Ok(None);
        }
        if args.kind != ImportKind::Require {
            // An import stays one, as written: the engine resolves it.
            return Ok(Some(HookResolveIdOutput {
                id: args.specifier.into(),
                external: Some(ResolvedExternal::Bool(true)),
                ..Default::default()
            }));
        }
        let canonical = format!(
            "node:{}",
            args.specifier
                .strip_prefix("node:")
                .unwrap_or(args.specifier)
        );
        Ok(Some(HookResolveIdOutput::from_id(format!(
            "{PREFIX}{canonical}"
        ))))
    }

    async fn load(&self, _ctx: SharedLoadPluginContext, args: &HookLoadArgs<'_>) -> HookLoadReturn {
        let Some(builtin) = args.id.strip_prefix(PREFIX) else {
            return Ok(None);
        };
        // The name comes from ENGINE_BUILTINS: plain ASCII, no quote.
        Ok(Some(HookLoadOutput {
            code: format!(
                "module.exports = globalThis[Symbol.for(\"jspkg.require\")](\"{builtin}\");\n"
            )
            .into(),
            ..Default::default()
        }))
    }
}
