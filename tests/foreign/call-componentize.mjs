// Calls the `hello` export of a component of the tests/foreign/wit world
// through jco (an independent component host in JavaScript):
//
//   node tests/foreign/call-componentize.mjs COMPONENT.wasm ARG
//
// transpiles the component with `jco transpile` into a temporary directory
// and prints what `hello(ARG)` returns. Needs the tools of
// scripts/setup-tools.sh: `jco` on PATH (source .jspkg-tools/env.sh) and
// JSPKG_TOOLS_NODE_MODULES for @bytecodealliance/preview2-shim.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// componentize-py's core modules use extended constant expressions, which
// node 20's V8 accepts only behind a flag (on by default from node 22): if
// this node rejects them, run this script again with the flag.
const extendedConst = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 6, 9, 1, 127, 0, 65, 1, 65, 2, 106, 11]);
if (!WebAssembly.validate(extendedConst)) {
  const flag = "--experimental-wasm-extended-const";
  if (process.execArgv.includes(flag)) {
    console.error("this node cannot validate extended-const wasm even with " + flag);
    process.exit(2);
  }
  const r = spawnSync(process.execPath, [...process.execArgv, flag, ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}

const [component, arg = "world"] = process.argv.slice(2);
if (!component) {
  console.error("usage: node call-componentize.mjs COMPONENT.wasm [ARG]");
  process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
const nodeModules =
  process.env.JSPKG_TOOLS_NODE_MODULES ?? resolve(here, "../../.jspkg-tools/node/node_modules");
const jco = join(nodeModules, "@bytecodealliance/jco/dist/jco.js");
if (!existsSync(jco)) {
  console.error(`jco not found at ${jco}: run scripts/setup-tools.sh`);
  process.exit(2);
}
// The generated code imports @bytecodealliance/preview2-shim: use the copy
// that this jco depends on.
const shim = [
  join(nodeModules, "@bytecodealliance/jco/node_modules/@bytecodealliance/preview2-shim"),
  join(nodeModules, "@bytecodealliance/preview2-shim"),
].find((p) => existsSync(p));

const out = mkdtempSync(join(tmpdir(), "jco-call-"));
try {
  mkdirSync(join(out, "node_modules/@bytecodealliance"), { recursive: true });
  symlinkSync(shim, join(out, "node_modules/@bytecodealliance/preview2-shim"), "dir");
  execFileSync(
    process.execPath,
    [jco, "transpile", resolve(component), "-o", out, "--name", "component", "--no-typescript", "--quiet"],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const mod = await import(pathToFileURL(join(out, "component.js")).href);
  if (typeof mod.hello !== "function") {
    throw new Error(`the component exports no hello function (exports: ${Object.keys(mod).join(", ")})`);
  }
  console.log(mod.hello(arg));
} finally {
  rmSync(out, { recursive: true, force: true });
}
