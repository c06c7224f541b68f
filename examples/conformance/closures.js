// Closures: counters, captured loop bindings, currying, memoization.
// args: 5

function makeCounter(start = 0, step = 1) {
  let value = start;
  return {
    next: () => (value += step),
    reset() {
      value = start;
      return value;
    },
  };
}

// Built at build time, used at run time: the closure's state is in the snapshot.
const fibMemo = (() => {
  const cache = new Map([
    [0, 0n],
    [1, 1n],
  ]);
  const fib = (n) => {
    if (!cache.has(n)) cache.set(n, fib(n - 1) + fib(n - 2));
    return cache.get(n);
  };
  return fib;
})();
const fib90 = fibMemo(90);

export function main(args) {
  const n = Number(args[0] ?? 3);
  const c = makeCounter(10, n);
  console.log("counter:", c.next(), c.next(), c.next(), "reset:", c.reset(), c.next());

  const fns = [];
  for (let i = 0; i < 4; i++) fns.push(() => i * i);
  console.log("let-captured:", fns.map((f) => f()).join(","));

  var legacy = [];
  for (var j = 0; j < 3; j++) legacy.push(() => j);
  console.log("var-captured:", legacy.map((f) => f()).join(","));

  const curry = (f) => (a) => (b) => (c) => f(a, b, c);
  const vol = curry((a, b, c) => a * b * c);
  console.log("curried:", vol(2)(3)(n));

  const compose = (...fs) => (x) => fs.reduceRight((acc, f) => f(acc), x);
  console.log("composed:", compose((x) => x + 1, (x) => x * 2, Math.abs)(-n));

  console.log("fib(90) from snapshot:", fib90.toString(), "fib(100):", fibMemo(100).toString());

  const once = (f) => {
    let done = false;
    let result;
    return (...a) => (done ? result : ((done = true), (result = f(...a))));
  };
  const init = once((x) => `initialized with ${x}`);
  console.log(init("first"), "|", init("second"));
}
