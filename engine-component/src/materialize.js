// Run once, at build time, after the app's module has been evaluated
// (engine.rs, `materialize_builtins`; issue 11, perf): instantiates every
// lazily made property that can be reached from globalThis, so that the
// snapshot holds them and no call has to make them.
//
// QuickJS makes most of its built-ins on first access: the methods of
// Array.prototype, JSON, Math, String.prototype, ... (`JS_DEF_CFUNC` and
// `JS_DEF_OBJECT` entries of its function lists) and the `prototype` object
// of a plain function are "auto-init" properties, created the first time
// they are read. Left to the calls, each call that used a built-in the build
// had not used made it again, in its own copy of the heap: an allocation and
// a write to the owner's property table, pages a call writes and must have
// reset. Reading a property's descriptor makes it, and calls no getter.
//
// The walk follows own properties (strings and symbols), accessor
// functions and prototypes. It does not enter proxies (`isProxy`, a native:
// their traps are the app's code, and would run here), reads no array or
// typed-array element (none is auto-init), and skips anything that throws:
// what is not made here is made on first use, as before.
(function (isProxy) {
  "use strict";
  const { ownKeys, getOwnPropertyDescriptor, getPrototypeOf } = Reflect;
  const { isArray } = Array;
  const { isView } = ArrayBuffer;
  const isIndex = (key) => typeof key === "string" && key !== "" && String(key >>> 0) === key;
  const seen = new Set();
  const pending = [globalThis];
  const follow = (value) => {
    if ((typeof value === "object" && value !== null) || typeof value === "function") {
      if (!seen.has(value)) pending.push(value);
    }
  };
  while (pending.length > 0) {
    const object = pending.pop();
    if (seen.has(object)) continue;
    seen.add(object);
    if (isProxy(object)) continue;
    let keys;
    try {
      keys = ownKeys(object);
    } catch {
      continue;
    }
    const elements = isArray(object) || isView(object);
    for (const key of keys) {
      if (elements && isIndex(key)) continue;
      let descriptor;
      try {
        descriptor = getOwnPropertyDescriptor(object, key);
      } catch {
        continue;
      }
      if (descriptor === undefined) continue;
      follow(descriptor.value);
      follow(descriptor.get);
      follow(descriptor.set);
    }
    follow(getPrototypeOf(object));
  }
})
