// URLSearchParams: construction from a string (leading "?" dropped), pairs,
// records and another URLSearchParams; +/space and percent-encoding both
// ways; append/delete/get/getAll/has/set/sort/forEach/iterators/size.
// args: a=1&b=two+words&c=%E2%82%AC
// args: ?x&y=&=z&&w==

function attempt(label, f) {
  try {
    console.log(label, "->", f());
  } catch (e) {
    console.log(label, "throws", e.name, e.message, e.code);
  }
}

export function main(args) {
  for (const arg of args) {
    const p = new URLSearchParams(arg);
    console.log(JSON.stringify(arg), "->", JSON.stringify([...p]), "size", p.size, "->", p.toString());
  }
  for (const s of ["", "?", "??a=b", "a", "a=", "=b", "a=b=c", "&&a=1&&", "a+b=c+d", "%20=%2B", "%zz=%4", "%C3%A9=%FF", "é=ü", "a=1;b=2", "#frag=x"]) {
    const p = new URLSearchParams(s);
    console.log(JSON.stringify(s), "->", JSON.stringify([...p]), "->", JSON.stringify(p.toString()));
  }

  // Serialization: what is escaped and what is not.
  const all = new URLSearchParams();
  all.append("chars", " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~");
  all.append("unicode", "é€😀");
  all.append("lone", "\ud800x");
  all.append("newline", "a\nb\r\n");
  console.log(all.toString());

  console.log("pairs:", new URLSearchParams([["a", "1"], ["b", 2], ["a", null]]).toString());
  console.log("map:", new URLSearchParams(new Map([["k", "v"], ["k2", "v2"]])).toString());
  console.log("record:", new URLSearchParams({ x: 1, y: "two", z: undefined }).toString());
  const copy = new URLSearchParams(new URLSearchParams("q=1&q=2"));
  console.log("copy:", copy.toString());
  console.log("undefined/null:", JSON.stringify(new URLSearchParams(undefined).toString()), JSON.stringify(new URLSearchParams(null).toString()));
  console.log("number:", new URLSearchParams(42).toString());
  attempt("bad pair", () => new URLSearchParams([["a"]]));
  attempt("bad pair 3", () => new URLSearchParams([["a", "b", "c"]]));
  attempt("not a pair", () => new URLSearchParams([5]));

  const p = new URLSearchParams("b=2&a=1&c=3&a=0");
  console.log("get:", p.get("a"), p.get("missing"), JSON.stringify(p.getAll("a")), JSON.stringify(p.getAll("none")));
  console.log("has:", p.has("a"), p.has("z"), p.has("a", "0"), p.has("a", "9"));
  p.set("a", "only");
  console.log("set:", p.toString());
  p.set("d", "new");
  console.log("set new:", p.toString());
  p.append("a", "again");
  p.delete("a", "only");
  console.log("delete value:", p.toString());
  p.delete("a");
  console.log("delete:", p.toString(), p.size);
  p.append("z", "1");
  p.append("b", "0");
  p.append("B", "x");
  p.sort();
  console.log("sort (stable, by code unit):", p.toString());
  const seen = [];
  p.forEach(function (value, name, self) {
    seen.push(`${name}=${value}:${self === p}:${this.tag}`);
  }, { tag: "T" });
  console.log("forEach:", seen.join(" "));
  console.log("keys:", [...p.keys()].join(","), "values:", [...p.values()].join(","));
  console.log("entries:", JSON.stringify([...p.entries()]), JSON.stringify(Array.from(p)));
  const it = p.keys();
  console.log("iterator:", Object.prototype.toString.call(it), typeof it.next, it[Symbol.iterator]() === it);
  // Iterators are live: an append during iteration is seen.
  const live = new URLSearchParams("a=1");
  const names = [];
  for (const [n] of live) {
    names.push(n);
    if (names.length < 3) live.append(n + n, "x");
  }
  console.log("live:", names.join(","));
  console.log("tag:", Object.prototype.toString.call(p));
  attempt("append()", () => new URLSearchParams().append("a"));
  attempt("get()", () => new URLSearchParams().get());
  attempt("forEach(1)", () => new URLSearchParams("a=b").forEach(1));
  console.log("spread string:", JSON.stringify(Object.fromEntries(new URLSearchParams("x=1&y=2&x=3"))));
}
