// Map and Set: insertion order, SameValueZero keys, iteration, WeakMap, and
// node-style printing of a few values.
// args: kiwi béta

export function main(args) {
  const m = new Map();
  m.set("b", 2).set("a", 1).set(NaN, "nan").set(0, "zero");
  m.set(-0, "minus zero overwrites zero");
  const objKey = { k: 1 };
  m.set(objKey, "object");
  console.log("size:", m.size, "get NaN:", m.get(NaN), "get 0:", m.get(0));
  console.log("has objKey:", m.has(objKey), "has copy:", m.has({ k: 1 }));
  console.log("keys:", [...m.keys()].map(String).join(","));
  m.delete("b");
  console.log("entries:", JSON.stringify([...m.entries()].filter(([k]) => typeof k === "string")));

  const words = ["pear", "apple", "pear", "fig", "apple", "kiwi", ...args];
  const counts = new Map();
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  console.log("counts:", JSON.stringify(Object.fromEntries(counts)));
  const sorted = new Map([...counts].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)));
  console.log("sorted:", [...sorted].map(([k, v]) => `${k}=${v}`).join(" "));

  const s = new Set([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]);
  console.log("set:", [...s].join(" "), "size:", s.size);
  const evens = new Set([2, 4, 6, 8]);
  const inter = [...s].filter((x) => evens.has(x));
  const union = new Set([...s, ...evens]);
  console.log("intersection:", inter.join(","), "union size:", union.size);
  s.forEach((v, v2, set) => {
    if (v !== v2 || set !== s) throw new Error("forEach arguments");
  });

  const wm = new WeakMap();
  const key = {};
  wm.set(key, "weak");
  console.log("weakmap:", wm.get(key), wm.has({}));

  // node-style formatting of values printed directly
  console.log([1, 2, 3]);
  console.log(["a", "b"], [], {});
  console.log({ a: 1, b: "two", c: [true, null] });
  console.log(new Map([["x", 1], ["y", 2]]));
  console.log(new Set(["x", 5]));
  console.log("mixed", 42, true, null, undefined, 1.5);
  console.log(new Map(), new Set());
}
