// What the web classes' objects cost in a warm instance, per construction:
// `jspkg build benches/micro/web-objects.js -o /tmp/o.wasm && jspkg run
// /tmp/o.wasm` (and `node -e 'import("./benches/micro/web-objects.js").then((m) => m.main())'`
// for node's figures). A loop in one instance: allocation and collection
// are amortized, unlike in a fresh instance per request (BENCHMARKS.md,
// "What a request's JavaScript costs").
export function main() {
  const N = 20000;
  const time = (name, f) => {
    const t = performance.now();
    for (let i = 0; i < N; i++) f();
    console.log(name, ((performance.now() - t) * 1000 / N).toFixed(2), "us");
  };
  class P6 { #a = null; #b = null; #c = null; #d = null; #e = null; #f = null; constructor(o) { ({ a: this.#a, b: this.#b, c: this.#c, d: this.#d } = o); } }
  class O6 { constructor(o) { this.a = o.a; this.b = o.b; this.c = o.c; this.d = o.d; this.e = null; this.f = null; } }
  const o = { a: 1, b: 2, c: 3, d: 4 };
  time("empty fn", () => {});
  time("object literal 4", () => ({ a: 1, b: 2, c: 3, d: 4 }));
  time("class 6 private fields", () => new P6(o));
  time("class 6 public props", () => new O6(o));
  time("new Headers()", () => new Headers());
  time("new Headers([[host, x]])", () => new Headers([["host", "x"]]));
  time("new Request(url)", () => new Request("http://localhost/"));
  time("Response.json", () => Response.json({ hello: "world" }));
  time("new Response('hi')", () => new Response("hi"));
  time("Response with a header", () => new Response("x", { headers: { "content-type": "text/plain" } }));
  time("headers.set", () => new Headers().set("x-a", " b "));
  time("'Host'.toLowerCase()", () => "Host".toLowerCase());
  time("async fn call", async () => 1);
}
