// structuredClone: deep copies of objects, arrays, Map, Set, Date, RegExp,
// typed arrays, cycles and shared references, and the errors for functions
// and symbols.

export function main() {
  const shared = { tag: "shared" };
  const original = {
    num: 1,
    str: "s",
    nested: { arr: [1, { deep: true }], shared },
    again: shared,
    date: new Date(Date.UTC(2022, 2, 3)),
    re: /ab+c/gi,
    map: new Map([["k", { v: 1 }]]),
    set: new Set([1, "two"]),
    bytes: new Uint8Array([1, 2, 3]),
    big: 10n ** 20n,
    undef: undefined,
    nan: NaN,
  };
  original.self = original;
  const copy = structuredClone(original);
  console.log("distinct:", copy !== original, copy.nested !== original.nested, copy.map !== original.map);
  console.log("cycle kept:", copy.self === copy, "shared kept:", copy.again === copy.nested.shared);
  console.log("values:", copy.num, copy.str, copy.nested.arr[1].deep, copy.map.get("k").v, [...copy.set].join(","));
  console.log("date:", copy.date instanceof Date, copy.date.toISOString(), copy.date !== original.date);
  console.log("regexp:", copy.re instanceof RegExp, copy.re.source, copy.re.flags);
  console.log("bytes:", copy.bytes instanceof Uint8Array, copy.bytes.join(","), copy.bytes.buffer !== original.bytes.buffer);
  console.log("bigint:", copy.big.toString(), "undefined kept:", "undef" in copy, "nan:", Number.isNaN(copy.nan));
  original.nested.arr[1].deep = false;
  original.map.get("k").v = 99;
  console.log("independent:", copy.nested.arr[1].deep, copy.map.get("k").v);

  class Point {
    constructor(x) {
      this.x = x;
    }
  }
  const p = structuredClone(new Point(3));
  console.log("class instance becomes plain:", p instanceof Point, Object.getPrototypeOf(p) === Object.prototype, p.x);
  const errCopy = structuredClone(new RangeError("bad range"));
  console.log("error:", errCopy instanceof RangeError, errCopy.name, errCopy.message);
  for (const bad of [() => 1, Symbol("s"), { f() {} }]) {
    try {
      structuredClone(bad);
      console.log("cloned?!");
    } catch (e) {
      console.log("uncloneable ->", e.name);
    }
  }
}
