// URLPattern: constructor strings and init dictionaries, base URLs, named
// and regexp groups, modifiers (? * +), wildcards, ignoreCase, test() and
// exec() with strings, dictionaries and base URLs, the component getters,
// hasRegExpGroups, and TypeErrors for invalid patterns. node 20 has no
// URLPattern: the reference is the urlpattern-polyfill package (an
// independent implementation in JavaScript), loaded into node first.
// node-import: urlpattern-polyfill
// args: https://shop.example.com/books/123?ref=home#top

const COMPONENTS = ["protocol", "username", "password", "hostname", "port", "pathname", "search", "hash"];

function show(result) {
  if (result === null) return "null";
  const parts = [];
  for (const c of COMPONENTS) {
    const { input, groups } = result[c];
    const g = Object.entries(groups).map(([k, v]) => `${k}=${v === undefined ? "undefined" : JSON.stringify(v)}`).join(",");
    if (input !== "" || g !== "") parts.push(`${c}:${JSON.stringify(input)}{${g}}`);
  }
  return parts.join(" ");
}

function attempt(label, f) {
  try {
    console.log(label, "->", f());
  } catch (e) {
    console.log(label, "throws", e.name);
  }
}

export function main([url]) {
  const patterns = [
    ["/books/:id", "https://shop.example.com"],
    ["/books/:id(\\d+)", "https://shop.example.com"],
    ["https://:sub.example.com/*"],
    ["http{s}?://*.example.com/books/:id?"],
    ["/files/*.:ext", "https://x.test"],
    ["/a/:rest+", "https://x.test"],
    ["/a/:rest*", "https://x.test"],
    ["/(blog|news)/:slug", "https://x.test"],
    ["/shop/{:category/}?:item", "https://x.test"],
    ["*://*:*/*?*#*"],
    ["https://example.com:8080/path"],
    ["data\\:foo*"],
    [{ pathname: "/books/:id" }],
    [{ hostname: "{*.}?example.com", pathname: "/*" }],
    [{ protocol: "https", search: "ref=:ref" }],
    [{ pathname: "/x/:id", baseURL: "https://base.test/dir/" }],
    [{}],
  ];
  const inputs = [
    url,
    "https://shop.example.com/books/abc",
    "http://www.example.com/books/",
    "https://x.test/files/report.final.pdf",
    "https://x.test/a/b/c/d",
    "https://x.test/a",
    "https://x.test/news/hello-world",
    "https://x.test/shop/tools/hammer",
    "https://x.test/shop/hammer",
    "https://example.com:8080/path",
    "data:foobar",
    { pathname: "/books/7" },
    { pathname: "/x/9", baseURL: "https://base.test/" },
    "not a url",
  ];
  for (const args of patterns) {
    const p = new URLPattern(...args);
    console.log("pattern", JSON.stringify(args), "hasRegExpGroups:", p.hasRegExpGroups);
    console.log("  parts:", COMPONENTS.map((c) => `${c}=${p[c]}`).join(" "));
    for (const input of inputs) {
      const ok = p.test(input);
      const m = p.exec(input);
      if (ok !== (m !== null)) console.log("  test and exec disagree on", input);
      if (ok) console.log("  match", JSON.stringify(input), show(m));
    }
  }

  // A base URL with test/exec, and the inputs exec reports.
  const rel = new URLPattern({ pathname: "/api/:version/*" });
  console.log("with base:", rel.test("/api/v2/users", "https://api.test"), show(rel.exec("/api/v2/users", "https://api.test")));
  console.log("inputs:", JSON.stringify(rel.exec("/api/v2/x", "https://api.test").inputs));
  console.log("inputs of a dictionary:", JSON.stringify(rel.exec({ pathname: "/api/v1/y" }).inputs));

  // ignoreCase, both overloads.
  const ci = new URLPattern("/Books/:id", "https://x.test", { ignoreCase: true });
  const ci2 = new URLPattern({ pathname: "/Books/:id" }, { ignoreCase: true });
  const cs = new URLPattern({ pathname: "/Books/:id" });
  console.log("ignoreCase:", ci.test("https://x.test/BOOKS/1"), ci2.test("https://x.test/books/1"), cs.test("https://x.test/books/1"));

  // Encoding and normalization of patterns and inputs.
  const enc = new URLPattern({ pathname: "/caf\u00e9/:name" });
  console.log("encoded pathname:", enc.pathname, enc.test({ pathname: "/caf%C3%A9/x" }), show(enc.exec("https://x.test/caf%C3%A9/na%20me")));
  console.log("hostname:", new URLPattern({ hostname: "EXAMPLE.com" }).hostname, new URLPattern({ port: "443", protocol: "https" }).port);
  console.log("tag:", Object.prototype.toString.call(rel), typeof URLPattern, URLPattern.name);

  attempt("unbalanced group", () => new URLPattern({ pathname: "/(foo" }));
  attempt("bad regexp group", () => new URLPattern({ pathname: "/(a[)" }));
  attempt("relative without base", () => new URLPattern("/books/:id"));
  attempt("base with a dictionary", () => new URLPattern({ pathname: "/x" }, "https://x.test"));
  attempt("duplicate group name", () => new URLPattern({ pathname: "/:id/:id" }));
  attempt("exec with base and dictionary", () => rel.exec({ pathname: "/x" }, "https://x.test"));
  attempt("getter on another object", () => Object.getOwnPropertyDescriptor(URLPattern.prototype, "pathname").get.call({}));
}
