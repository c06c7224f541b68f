// The independent reference for jspkg HTTP apps: serves an app's
// `export default { fetch(request) }` with node's `http` module, the way
// `jspkg serve` serves it, so that the tests (cli/tests/serve.rs) and the
// load benchmark (benches/http-load.sh) compare the two.
//
//   node tests/node-serve.mjs APP.js [PORT]     (PORT 0 or none: any free port)
//
// - imports the app once (its top-level code runs here, at start, where
//   jspkg runs it at build time; module state is therefore shared by all
//   requests here, unlike jspkg, which gives every request a fresh instance);
// - turns each request into a WHATWG `Request` (node 20's global fetch
//   classes) with URL `http://HOST` + the request target, HOST from the
//   `Host` header, and the body as bytes;
// - awaits `fetch(request)`, writes the `Response`'s status, headers and
//   body; an exception or a non-Response answer is a 500;
// - prints `listening on http://127.0.0.1:PORT` on stdout once listening.
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const [appPath, portArg = "0"] = process.argv.slice(2);
if (!appPath) {
  console.error("usage: node tests/node-serve.mjs APP.js [PORT]");
  process.exit(2);
}
const app = (await import(pathToFileURL(resolve(appPath)).href)).default;
if (!app || typeof app.fetch !== "function") {
  console.error(`${appPath}: the module's default export has no \`fetch\` method`);
  process.exit(2);
}

// Hop-by-hop and framing headers belong to the connection, not the request.
const SKIP = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade"]);

async function handle(req, res) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const body = Buffer.concat(chunks);
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i];
    if (!SKIP.has(name.toLowerCase())) headers.append(name, req.rawHeaders[i + 1]);
  }
  const host = req.headers.host ?? `127.0.0.1:${server.address().port}`;
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  const request = new Request(`http://${host}${req.url}`, {
    method: req.method,
    headers,
    body: hasBody ? body : undefined,
  });
  const response = await app.fetch(request);
  if (!(response instanceof Response)) throw new TypeError("fetch did not return a Response");
  const out = Buffer.from(await response.arrayBuffer());
  const outHeaders = {};
  for (const [name, value] of response.headers) {
    outHeaders[name] = name in outHeaders ? [].concat(outHeaders[name], value) : value;
  }
  res.writeHead(response.status, outHeaders);
  res.end(out);
}

const server = createServer((req, res) => {
  handle(req, res).catch((err) => {
    console.error(err);
    if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
    res.end("Internal Server Error\n");
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(portArg), "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
