// An upstream HTTP server for the fetch tests (cli/tests/fetch.rs and
// cli/tests/serve.rs): apps under jspkg and under node call it, and what
// they make of its answers is compared.
//
//   node tests/upstream.mjs        prints `listening on http://127.0.0.1:PORT`
//
// - `/echo…`: 200 with a JSON body: the method, the request target, the
//   request's headers the tests care about (content-type, content-length,
//   x-*, authorization) and the body as text; header `x-upstream: echo`;
// - `/bytes?mb=M&chunk=K`: M MiB of the pattern `i % 251`, written in
//   chunks of K KiB (default 64) without a content-length (chunked);
// - `/redirect?status=S&to=PATH`: status S (default 302) to PATH;
// - `/loop`: redirects to itself, forever;
// - `/status/S`: status S with body `status S` (none for 204 and 304);
// - `/slow?ms=N`: answers `slow` after N ms.
import { createServer } from "node:http";

const interesting = (name) =>
  name === "content-type" || name === "content-length" || name === "authorization" || name.startsWith("x-");

const server = createServer((req, res) => {
  const url = new URL(req.url, "http://upstream");
  const path = url.pathname;
  if (path.startsWith("/echo")) {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([n]) => interesting(n)).sort());
      const body = JSON.stringify({ method: req.method, target: req.url, headers, body: Buffer.concat(chunks).toString() });
      res.writeHead(200, { "content-type": "application/json", "x-upstream": "echo" });
      res.end(body);
    });
    return;
  }
  if (path === "/bytes") {
    const total = Number(url.searchParams.get("mb") ?? "1") * (1 << 20);
    const chunk = Number(url.searchParams.get("chunk") ?? "64") * 1024;
    res.writeHead(200, { "content-type": "application/octet-stream" });
    let at = 0;
    const write = () => {
      while (at < total) {
        const n = Math.min(chunk, total - at);
        const buf = Buffer.allocUnsafe(n);
        for (let i = 0; i < n; i++) buf[i] = (at + i) % 251;
        at += n;
        if (!res.write(buf)) return res.once("drain", write);
      }
      res.end();
    };
    write();
    return;
  }
  if (path === "/redirect") {
    const status = Number(url.searchParams.get("status") ?? "302");
    res.writeHead(status, { location: url.searchParams.get("to") ?? "/echo" });
    res.end();
    return;
  }
  if (path === "/loop") {
    res.writeHead(302, { location: "/loop" });
    res.end();
    return;
  }
  if (path.startsWith("/status/")) {
    const status = Number(path.slice("/status/".length));
    res.writeHead(status, { "content-type": "text/plain" });
    res.end(status === 204 || status === 304 ? undefined : `status ${status}`);
    return;
  }
  if (path === "/slow") {
    setTimeout(() => res.end("slow"), Number(url.searchParams.get("ms") ?? "1000"));
    return;
  }
  res.writeHead(404, { "content-type": "text/plain" });
  res.end("no such upstream path");
});
server.listen(0, "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
