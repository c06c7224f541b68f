// The independent reference for jspkg apps: runs an app under node the way
// the jspkg engine runs it (engine-component/CONTRACT.md), so that node's
// stdout and exit code are what `jspkg run` must reproduce.
//
//   node tests/node-main.mjs APP.js [ARGS...]
//
// - imports the app (an ES module; its top-level code runs here, at start,
//   where jspkg runs it at build time);
// - calls main(ARGS) and awaits the result if it is a promise;
// - a number returned (or resolved) becomes the exit code, anything else 0;
// - an uncaught exception or an unhandled rejection is left to node: it prints
//   the error and its stack on stderr and exits 1.
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const [appPath, ...args] = process.argv.slice(2);
if (!appPath) {
  console.error("usage: node tests/node-main.mjs APP.js [ARGS...]");
  process.exit(2);
}
const app = await import(pathToFileURL(resolve(appPath)).href);
if (typeof app.main !== "function") {
  console.error(`${appPath}: the module does not export a function \`main\``);
  process.exit(2);
}
const result = await app.main(args);
if (typeof result === "number") process.exitCode = result;
