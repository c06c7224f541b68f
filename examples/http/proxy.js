// A gateway that calls an upstream service with fetch() and passes its
// answers on, the body streamed through (never buffered whole):
//
//   GET|POST /up/PATH?upstream=http://HOST:PORT   forwards to HOST:PORT/PATH (the body too)
//   GET /combined?upstream=…                      two upstream calls at once, one JSON answer
//   GET /fail?upstream=…                          a call that fails: 502 with the error
//
// The upstream's address comes in the query so that tests can point the
// same app, under jspkg serve and under node, at a server they start
// (tests/upstream.mjs). jspkg serve sends requests only to hosts given with
// --allow-host: `jspkg serve --allow-host 127.0.0.1 proxy.wasm`.

function upstreamOf(url) {
  const upstream = url.searchParams.get("upstream");
  if (!upstream) throw new Error("no ?upstream=");
  return upstream;
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    try {
      const upstream = upstreamOf(url);
      if (url.pathname.startsWith("/up/")) {
        const forwarded = new URLSearchParams(url.search);
        forwarded.delete("upstream");
        const query = forwarded.size ? `?${forwarded}` : "";
        const hasBody = request.method !== "GET" && request.method !== "HEAD";
        const res = await fetch(upstream + url.pathname.slice(3) + query, {
          method: request.method,
          headers: {
            "content-type": request.headers.get("content-type") ?? "application/octet-stream",
            "x-forwarded-by": "gateway",
          },
          body: hasBody ? request.body : undefined,
          duplex: "half",
        });
        // The middleware pattern: the upstream's body, a header added.
        const out = new Response(res.body, res);
        out.headers.set("x-upstream-status", String(res.status));
        // A proxy's rule: hop-by-hop headers stay on their hop.
        for (const name of ["date", "connection", "keep-alive", "transfer-encoding"]) out.headers.delete(name);
        return out;
      }
      if (url.pathname === "/combined") {
        const [a, b] = await Promise.all([
          fetch(`${upstream}/echo/a`).then((r) => r.json()),
          fetch(`${upstream}/echo/b`, { method: "POST", body: "two" }).then((r) => r.json()),
        ]);
        return Response.json({ a: a.target, b: [b.method, b.body] });
      }
      if (url.pathname === "/fail") {
        // Port 1 on loopback: nothing listens there.
        await fetch("http://127.0.0.1:1/");
        return new Response("unexpected success");
      }
      return new Response("not found", { status: 404 });
    } catch (e) {
      const cause = e.cause instanceof Error ? e.cause.message : "";
      return new Response(`${e.name}: ${e.message}\n`, {
        status: 502,
        headers: { "error-cause": encodeURIComponent(cause) },
      });
    }
  },
};
