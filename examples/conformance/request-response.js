// Request and Response with buffered bodies: constructors and their checks,
// body types and the content-type they imply, text/json/arrayBuffer/bytes,
// bodyUsed and the errors of a second read, clone, Response.json/redirect/
// error, status and method checks. (`body`, a ReadableStream in node, is not
// provided by jspkg, so it is not printed.)
// args: https://example.com/api?from=args

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
const dump = (h) => JSON.stringify([...h]);

async function attempt(label, f) {
  try {
    console.log(label, "->", await f());
  } catch (e) {
    console.log(label, "throws", e.name, e.message);
  }
}

async function describe(label, r) {
  console.log(`${label}: status=${r.status} ok=${r.ok} statusText=${JSON.stringify(r.statusText)} type=${r.type} url=${JSON.stringify(r.url)} redirected=${r.redirected} bodyUsed=${r.bodyUsed} headers=${dump(r.headers)}`);
  const text = await r.text();
  console.log(`  text=${JSON.stringify(text)} bodyUsed=${r.bodyUsed}`);
}

export async function main([url]) {
  // ---------------------------------------------------------------- Request
  const get = new Request(url);
  console.log("GET:", get.method, get.url, dump(get.headers), get.bodyUsed);
  for (const input of ["HTTP://Example.COM:80/a/../b?q=a b#frag", new URL("https://x.example/p"), "http://[::1]:8080"]) {
    console.log("url:", new Request(input).url);
  }
  for (const method of ["get", "Post", "put", "delete", "options", "head", "patch", "PATCH", "Custom"]) {
    console.log("method", method, "->", new Request(url, { method }).method);
  }
  const post = new Request(url, { method: "POST", body: "héllo", headers: { "X-A": "1" } });
  console.log("POST:", post.method, dump(post.headers), post.bodyUsed);
  console.log("  text:", await post.text(), post.bodyUsed);
  await attempt("  second read", () => post.text());
  await attempt("  clone after read", () => post.clone());

  const json = new Request(url, { method: "PUT", body: JSON.stringify({ a: [1, 2] }), headers: [["Content-Type", "application/json"]] });
  console.log("PUT json:", dump(json.headers), JSON.stringify(await json.json()));
  const form = new Request(url, { method: "POST", body: new URLSearchParams({ q: "a b", r: "é" }) });
  console.log("form:", dump(form.headers), await form.text());
  const binary = new Request(url, { method: "POST", body: new Uint8Array([0, 1, 255]) });
  console.log("binary:", dump(binary.headers), hex(new Uint8Array(await binary.arrayBuffer())));

  const original = new Request(url, { method: "POST", body: "abc", headers: { a: "1" } });
  const copy = original.clone();
  console.log("clone:", copy.method, copy.url, dump(copy.headers), await copy.text(), await original.text());
  const again = new Request(url, { method: "POST", body: "moved" });
  const moved = new Request(again);
  console.log("from Request:", moved.method, moved.url, again.bodyUsed, moved.bodyUsed, await moved.text());
  await attempt("from used Request", () => new Request(again));
  const overridden = new Request(new Request(url, { headers: { a: "1" } }), { method: "DELETE", headers: { b: "2" } });
  console.log("overridden:", overridden.method, dump(overridden.headers));
  const keptHeaders = new Request(new Request(url, { headers: { a: "1" } }), { method: "HEAD" });
  console.log("kept headers:", keptHeaders.method, dump(keptHeaders.headers));
  const explicit = new Request(url, { method: "POST", body: "x", headers: { "content-type": "text/csv" } });
  console.log("explicit content-type:", dump(explicit.headers));
  const empty = new Request(url);
  console.log("no body:", JSON.stringify(await empty.text()), JSON.stringify(await empty.text()), empty.bodyUsed, (await empty.arrayBuffer()).byteLength);
  console.log("null body:", new Request(url, { method: "POST", body: null }).bodyUsed);

  await attempt("GET with body", () => new Request(url, { body: "x" }));
  await attempt("HEAD with body", () => new Request(url, { method: "HEAD", body: "" }));
  await attempt("relative URL", () => new Request("/relative"));
  await attempt("credentials", () => new Request("http://u:p@example.com/"));
  await attempt("CONNECT", () => new Request(url, { method: "CONNECT" }));
  await attempt("trace", () => new Request(url, { method: "trace" }));
  await attempt("bad method", () => new Request(url, { method: "bad method" }));
  await attempt("init not object", () => new Request(url, 5));
  await attempt("no arguments", () => new Request());
  await attempt("bad json", () => new Request(url, { method: "POST", body: "{nope" }).json().catch((e) => `rejected ${e.name}`));
  console.log("tag:", Object.prototype.toString.call(get));

  // --------------------------------------------------------------- Response
  await describe("default", new Response());
  await describe("string", new Response("hi there"));
  await describe("null", new Response(null, { status: 204, statusText: "No Content" }));
  await describe("init", new Response("x", { status: 404, statusText: "Not Found", headers: { "X-Y": "z" } }));
  await describe("5xx", new Response("boom", { status: 503 }));
  await describe("status 299", new Response("", { status: 299 }));
  await describe("status 300", new Response(undefined, { status: 300 }));
  await describe("status 200.9", new Response("", { status: 200.9 }));
  await describe("URLSearchParams", new Response(new URLSearchParams("a=1&b=ü")));
  await describe("ArrayBuffer", new Response(new TextEncoder().encode("buf").buffer));
  await describe("DataView", new Response(new DataView(new TextEncoder().encode("xdviewx").buffer, 1, 5)));
  await describe("subarray", new Response(new Uint8Array([104, 105, 106, 107]).subarray(1, 3)));
  await describe("object", new Response({ toString: () => "custom" }));
  await describe("number", new Response(42));
  await describe("latin-1 statusText", new Response("", { statusText: "Caf\u00e9" }));

  const bytes = new Uint8Array([1, 2, 3]);
  const fromBytes = new Response(bytes);
  bytes[0] = 99;
  console.log("copied at construction:", hex(await fromBytes.bytes()));
  console.log("bytes():", Object.prototype.toString.call(await new Response("ab").bytes()), hex(await new Response("ab").bytes()));
  const ab = await new Response("abc").arrayBuffer();
  console.log("arrayBuffer():", ab instanceof ArrayBuffer, ab.byteLength);
  console.log("BOM dropped:", JSON.stringify(await new Response(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])).text()));
  console.log("invalid UTF-8:", JSON.stringify(await new Response(new Uint8Array([0x61, 0xff, 0x62])).text()));
  console.log("lone surrogate:", hex(await new Response("a\ud800").bytes()));

  const used = new Response("once");
  await used.text();
  console.log("used:", used.bodyUsed);
  await attempt("read twice", () => used.text());
  await attempt("json after text", () => used.json());
  await attempt("arrayBuffer after text", () => used.arrayBuffer());
  await attempt("clone used", () => used.clone());
  const r = new Response("same", { status: 201, statusText: "Created", headers: { a: "b" } });
  const c = r.clone();
  c.headers.set("a", "changed");
  console.log("clone:", c.status, c.statusText, dump(c.headers), dump(r.headers), await c.text(), await r.text());
  const pending = new Response("p");
  const readPromise = pending.text();
  console.log("used at once:", pending.bodyUsed);
  await readPromise;

  const j = Response.json({ hello: "world", n: [1, 2] }, { status: 202, headers: { "X-Extra": "1" } });
  await describe("Response.json", j);
  await describe("Response.json own type", Response.json("s", { headers: { "Content-Type": "application/vnd.api+json" } }));
  console.log("json round trip:", JSON.stringify(await Response.json([1, "two", null]).json()));
  await attempt("Response.json(undefined)", () => Response.json(undefined));
  await attempt("Response.json(fn)", () => Response.json(() => 1));
  await attempt("Response.json bad status", () => Response.json({}, { status: 100 }));

  const redirect = Response.redirect("https://example.com/a b?c#d", 301);
  await describe("redirect", redirect);
  await describe("redirect default", Response.redirect(new URL("http://x.example")));
  await attempt("redirect immutable", () => redirect.headers.set("x", "y"));
  await attempt("redirect 200", () => Response.redirect("https://example.com/", 200));
  await attempt("redirect relative", () => Response.redirect("/relative"));

  const error = Response.error();
  await describe("error", error);
  await attempt("error immutable", () => error.headers.append("x", "y"));

  await attempt("status 199", () => new Response("", { status: 199 }));
  await attempt("status 600", () => new Response("", { status: 600 }));
  await attempt("status NaN", () => new Response("", { status: "abc" }));
  await attempt("status 204 with body", () => new Response("x", { status: 204 }));
  await attempt("status 304 with empty body", () => new Response("", { status: 304 }));
  await attempt("bad statusText", () => new Response("", { statusText: "a\nb" }));
  await attempt("non-latin-1 statusText", () => new Response("", { statusText: "€" }));
  await attempt("bad header", () => new Response("", { headers: { "a b": "c" } }));
  try {
    new Response("", 5);
  } catch (e) {
    // (node 20's message starts with "undefined: ")
    console.log("init not object throws", e.name);
  }
  await attempt("bad json body", () => new Response("{x").json().catch((e) => `rejected ${e.name}`));
  console.log("tag:", Object.prototype.toString.call(error));
}
