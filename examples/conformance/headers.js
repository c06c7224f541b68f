// Headers: case-insensitive names, values stripped of surrounding
// whitespace, iteration sorted by name with values combined (set-cookie
// apart), getSetCookie, live iterators, construction from pairs, records and
// Headers, and node's TypeErrors for invalid names and values.
// args: X-From-Args value-from-args

function attempt(label, f) {
  try {
    console.log(label, "->", f());
  } catch (e) {
    console.log(label, "throws", e.name, e.message);
  }
}

const dump = (h) => JSON.stringify([...h]);

export function main([name, value]) {
  const h = new Headers();
  h.append("Content-Type", "text/plain");
  h.append("X-Custom", "  padded\t ");
  h.append("x-custom", "second");
  h.append("Set-Cookie", "a=1; Path=/");
  h.append("Accept", "*/*");
  h.append("set-cookie", "b=2, c=3");
  h.append("Empty", "");
  h.append(name, value);
  console.log("entries:", dump(h));
  console.log("get:", h.get("CONTENT-type"), "|", h.get("x-custom"), "|", h.get("set-cookie"), "|", JSON.stringify(h.get("empty")), "|", h.get("missing"));
  console.log("getSetCookie:", JSON.stringify(h.getSetCookie()), JSON.stringify(new Headers().getSetCookie()));
  console.log("has:", h.has("ACCEPT"), h.has("nope"));
  h.set("x-custom", "replaced");
  console.log("set:", dump(h));
  h.set("New", "n");
  h.delete("Set-Cookie");
  h.delete("not-there");
  console.log("delete:", dump(h));
  console.log("keys:", [...h.keys()].join(","));
  console.log("values:", [...h.values()].join(","));
  console.log("entries():", JSON.stringify([...h.entries()]));
  const seen = [];
  h.forEach(function (v, k, self) {
    seen.push(`${k}:${v}:${self === h}:${this.t}`);
  }, { t: 1 });
  console.log("forEach:", seen.join(" "));

  // Iterators are live, by index into the sorted list.
  const live = new Headers([["b", "1"], ["d", "2"]]);
  const it = live.keys();
  const first = it.next().value;
  live.append("a", "0");
  console.log("live:", first, it.next().value, it.next().value, it.next().done);
  console.log("iterator:", Object.prototype.toString.call(it), it[Symbol.iterator]() === it);

  console.log("from pairs:", dump(new Headers([["B", "2"], ["a", "1"], ["b", "3"]])));
  console.log("from record:", dump(new Headers({ Zeta: "z", alpha: 1, "X-N": null })));
  console.log("from Headers:", dump(new Headers(h)));
  console.log("from Map:", dump(new Headers(new Map([["m", "v"]]))));
  console.log("from undefined:", dump(new Headers(undefined)), dump(new Headers()));
  const cookies = new Headers([["set-cookie", "x=1"], ["set-cookie", "y=2"]]);
  console.log("cookies copied apart:", dump(new Headers(cookies)), new Headers(cookies).get("set-cookie"));

  console.log("whitespace:", JSON.stringify(new Headers({ a: " \t\r\n value \n\t" }).get("a")));
  console.log("inner whitespace kept:", JSON.stringify(new Headers({ a: "x \t y" }).get("a")));
  console.log("latin-1 kept:", JSON.stringify(new Headers({ a: "caf\u00e9\u00ff" }).get("a")));
  console.log("token chars:", new Headers({ "!#$%&'*+-.^_`|~09azAZ": "ok" }).has("!#$%&'*+-.^_`|~09azaz"));

  attempt("invalid name", () => new Headers({ "bad name": "x" }));
  attempt("empty name", () => new Headers([["", "x"]]));
  attempt("colon name", () => new Headers().append("a:b", "x"));
  attempt("newline value", () => new Headers().append("a", "x\ny"));
  attempt("NUL value", () => new Headers().set("a", "x\0"));
  attempt("carriage return value", () => new Headers().set("a", "x\ry"));
  attempt("non-latin-1 value", () => new Headers({ a: "€" }));
  attempt("non-latin-1 name", () => new Headers({ "é": "a" }));
  attempt("U+0100 after latin-1", () => new Headers({ a: "caf\u00e9\u00ff\u0100" }));
  attempt("astral value", () => new Headers({ a: "x\ud83d\ude00" }));
  attempt("non-latin-1 statusText", () => new Response("x", { statusText: "\u20ac" }));
  attempt("get invalid", () => new Headers().get("bad name"));
  attempt("has invalid", () => new Headers().has("(x)"));
  attempt("delete invalid", () => new Headers().delete("a b"));
  attempt("append one arg", () => new Headers().append("a"));
  attempt("get no arg", () => new Headers().get());
  attempt("pair of 1", () => new Headers([["a"]]));
  attempt("pair of 3", () => new Headers([["a", "b", "c"]]));
  try {
    new Headers([5]);
  } catch (e) {
    // (node's message has a typo: "Headers contructor")
    console.log("not iterable pair throws", e.name);
  }
  attempt("string init", () => new Headers("a: b"));
  attempt("number init", () => new Headers(5));
  attempt("null init", () => new Headers(null));
  attempt("forEach(1)", () => new Headers().forEach(1));
  console.log("tag:", Object.prototype.toString.call(h), typeof Headers.prototype[Symbol.iterator]);
}
