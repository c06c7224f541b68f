// fetch() from a command: an upstream server's answers, as node's fetch
// sees them. Run it against tests/upstream.mjs (cli/tests/fetch.rs does):
//
//   node tests/upstream.mjs &              # listening on http://127.0.0.1:PORT
//   jspkg build examples/fetch/fetch.js -o fetch.wasm
//   jspkg run --allow-host 127.0.0.1 fetch.wasm -- http://127.0.0.1:PORT
//   node -e 'import("./examples/fetch/fetch.js").then(m => m.main(["http://127.0.0.1:PORT"]))'

const show = (e) => `${e.name}: ${e.message}`;

async function echo(base, path, init) {
  const res = await fetch(base + path, init);
  const j = await res.json();
  return `${res.status} ${j.method} ${j.target} ${JSON.stringify(j.headers)} ${JSON.stringify(j.body)}`;
}

export async function main([base]) {
  // GET: status, headers, the body as text.
  const res = await fetch(`${base}/echo/get?x=1`, { headers: { "x-token": "abc", "X-Other": " spaced " } });
  console.log(res.status, res.statusText, res.ok, res.type, res.redirected, res.url === `${base}/echo/get?x=1`);
  console.log(res.headers.get("content-type"), res.headers.get("x-upstream"), res.bodyUsed);
  console.log(await res.text(), res.bodyUsed);

  // Bodies: a string, JSON, bytes, URLSearchParams, a stream.
  console.log(await echo(base, "/echo/text", { method: "POST", body: "héllo" }));
  console.log(await echo(base, "/echo/json", { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ a: [1, 2] }) }));
  console.log(await echo(base, "/echo/bytes", { method: "POST", body: new Uint8Array([104, 105]) }));
  console.log(await echo(base, "/echo/form", { method: "POST", body: new URLSearchParams({ q: "a b", n: "1" }) }));
  const parts = ["one ", "two ", "three"];
  const stream = new ReadableStream({
    pull(c) {
      if (parts.length) c.enqueue(new TextEncoder().encode(parts.shift()));
      else c.close();
    },
  });
  console.log(await echo(base, "/echo/stream", { method: "POST", body: stream, duplex: "half", headers: { "content-type": "text/plain" } }));
  console.log(await echo(base, "/echo/empty", { method: "POST" }));
  console.log(await echo(base, "/echo/auth", { headers: { authorization: "Bearer t" } }));

  // A Request as the input.
  const req = new Request(`${base}/echo/req?y=2`, { method: "DELETE", headers: { "x-from": "request" } });
  const viaRequest = await fetch(req);
  console.log((await viaRequest.json()).method, viaRequest.status);
  const withBody = await fetch(new Request(`${base}/echo/req-body`, { method: "PATCH", body: "from a Request" }));
  console.log((await withBody.json()).body);

  // Redirects: followed (the method changes as the standard says), manual, error, a loop.
  for (const [status, method] of [[301, "GET"], [302, "POST"], [303, "POST"], [307, "POST"], [308, "PUT"]]) {
    const r = await fetch(`${base}/redirect?status=${status}&to=/echo/after-${status}`, { method, body: method === "GET" ? undefined : `body ${status}`, headers: { "content-type": "text/plain" } });
    const j = await r.json();
    console.log(status, method, "->", r.status, j.method, j.target, JSON.stringify(j.body), j.headers["content-type"] ?? "-", r.redirected, r.url === `${base}/echo/after-${status}`);
  }
  const manual = await fetch(`${base}/redirect?status=302&to=/echo/x`, { redirect: "manual" });
  console.log("manual", manual.status, manual.headers.get("location"), manual.redirected);
  await fetch(`${base}/redirect?to=/echo/x`, { redirect: "error" }).catch((e) => console.log("error mode:", show(e)));
  await fetch(`${base}/loop`).catch((e) => console.log("loop:", show(e)));
  await fetch(`${base}/x`, { redirect: "sideways" }).catch((e) => console.log("bad mode:", e.name));

  // Statuses without a body, HEAD, errors as answers.
  for (const s of [201, 204, 404, 500]) {
    const r = await fetch(`${base}/status/${s}`);
    console.log(s, r.ok, r.statusText, r.body === null, JSON.stringify(await r.text()));
  }
  const head = await fetch(`${base}/echo/head`, { method: "HEAD" });
  console.log("HEAD", head.status, head.body === null, head.headers.get("content-type"));

  // The body as a stream, as bytes, as JSON; read once.
  const big = await fetch(`${base}/bytes?mb=1&chunk=16`);
  const reader = big.body.getReader();
  let total = 0;
  let sum = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (let i = 0; i < value.length; i++) if ((total + i) % 4096 === 0) sum = (sum + value[i]) % 65521;
    total += value.length;
  }
  console.log("streamed", total, sum, big.bodyUsed);
  const buf = await (await fetch(`${base}/bytes?mb=0.25`)).arrayBuffer();
  console.log("arrayBuffer", buf.byteLength, new Uint8Array(buf)[300]);
  const twice = await fetch(`${base}/echo/twice`);
  await twice.text();
  await twice.text().catch((e) => console.log("second read:", e.name));
  const cloned = await fetch(`${base}/echo/clone`);
  const copy = cloned.clone();
  console.log("clone", (await cloned.json()).target, (await copy.json()).target);
  // The middleware pattern: a fetched body passed on.
  const passed = new Response((await fetch(`${base}/echo/passed`)).body, { status: 201 });
  console.log("passed on", passed.status, (await passed.json()).target);

  // Aborts: before, while waiting, by timeout.
  const early = new AbortController();
  early.abort();
  await fetch(`${base}/echo/x`, { signal: early.signal }).catch((e) => console.log("aborted before:", e.name));
  const late = new AbortController();
  setTimeout(() => late.abort(), 50);
  await fetch(`${base}/slow?ms=2000`, { signal: late.signal }).catch((e) => console.log("aborted while waiting:", e.name));
  await fetch(`${base}/slow?ms=2000`, { signal: AbortSignal.timeout(50) }).catch((e) => console.log("timeout:", e.name));

  // Failures are TypeErrors.
  await fetch("not a url").catch((e) => console.log("bad URL:", e.name));
  await fetch("http://127.0.0.1:1/").catch((e) => console.log("refused:", show(e)));
  await fetch(`${base}/echo/x`, { method: "GET", body: "no" }).catch((e) => console.log("GET with body:", show(e)));
  await fetch(`${base}/echo/x`, { headers: { "bad header": "x" } }).catch((e) => console.log("bad header:", e.name));

  // Several at once.
  const all = await Promise.all([1, 2, 3].map((i) => fetch(`${base}/echo/all-${i}`).then((r) => r.json())));
  console.log("together", all.map((j) => j.target).join(" "));
}
