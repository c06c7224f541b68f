// Echoes the request back as JSON: method, URL parts, query parameters,
// selected headers, and the body (as text, as parsed JSON, or as a summary
// of its bytes). The query chooses the response:
//   ?status=N          the status (default 200)
//   ?h=NAME:VALUE      a response header (repeatable)
// and a few paths answer otherwise:
//   /json              Response.json({...}) (status from ?status too)
//   /text              a plain-text Response with no explicit headers
//   /throw             the handler throws: the server answers 500
//   /empty             204 and no body
export default {
  async fetch(request) {
    const url = new URL(request.url);
    const query = url.searchParams;
    const status = Number(query.get("status") ?? 200);

    if (url.pathname === "/throw") throw new Error("the handler failed on purpose");
    if (url.pathname === "/json") {
      return Response.json({ ok: true, n: 42, list: [1, "two", null], nested: { a: [] } }, { status });
    }
    if (url.pathname === "/text") return new Response("plain text\n");
    if (url.pathname === "/empty") return new Response(null, { status: 204 });

    const headers = {};
    for (const name of ["content-type", "accept", "x-custom", "x-missing"]) {
      headers[name] = request.headers.get(name);
    }
    const contentType = request.headers.get("content-type") ?? "";
    let text = null;
    let json = null;
    let bytes = null;
    if (request.method !== "GET" && request.method !== "HEAD") {
      if (contentType.startsWith("application/octet-stream")) {
        const data = new Uint8Array(await request.arrayBuffer());
        let sum = 0;
        for (const b of data) sum = (sum + b) % 65521;
        bytes = { length: data.length, sum, first: Array.from(data.subarray(0, 8)) };
      } else if (contentType.startsWith("application/json")) {
        json = await request.json();
      } else {
        text = await request.text();
      }
    }
    const echo = {
      method: request.method,
      url: request.url,
      protocol: url.protocol,
      host: url.host,
      pathname: url.pathname,
      search: url.search,
      params: Array.from(query.entries()),
      headers,
      text,
      json,
      bytes,
    };
    const responseHeaders = new Headers({ "content-type": "application/json", "x-echo": "yes" });
    for (const h of query.getAll("h")) {
      const colon = h.indexOf(":");
      responseHeaders.append(h.slice(0, colon), h.slice(colon + 1));
    }
    return new Response(JSON.stringify(echo), { status, headers: responseHeaders });
  },
};
