// Generators and iterators: lazy pipelines, return/throw, yield*, the
// iterator protocol by hand, spreading and destructuring iterables.
// args: 12

function* naturals(start = 1) {
  for (let n = start; ; n++) yield n;
}
function* take(n, it) {
  for (const x of it) {
    if (n-- <= 0) return;
    yield x;
  }
}
function* map(f, it) {
  for (const x of it) yield f(x);
}
function* filter(p, it) {
  for (const x of it) if (p(x)) yield x;
}
function* primes() {
  const found = [];
  for (const n of naturals(2)) {
    if (found.every((p) => n % p !== 0)) {
      found.push(n);
      yield n;
    }
  }
}
function* tree(node) {
  if (!node) return;
  yield* tree(node.left);
  yield node.value;
  yield* tree(node.right);
}

class Range {
  constructor(from, to, step = 1) {
    Object.assign(this, { from, to, step });
  }
  [Symbol.iterator]() {
    let cur = this.from;
    const { to, step } = this;
    return {
      next: () => (cur <= to ? { value: (cur += step) - step, done: false } : { value: undefined, done: true }),
      [Symbol.iterator]() {
        return this;
      },
    };
  }
}

export function main(args) {
  const n = Number(args[0] ?? 10);
  console.log("squares of odds:", [...take(5, map((x) => x * x, filter((x) => x % 2, naturals())))].join(","));
  console.log("primes:", [...take(n, primes())].join(" "));

  const bst = { value: 5, left: { value: 2, left: { value: 1 }, right: { value: 3 } }, right: { value: 8, right: { value: 13 } } };
  console.log("in-order:", [...tree(bst)].join(","));

  function* conversation() {
    const name = yield "name?";
    const age = yield `hello ${name}, age?`;
    try {
      yield `${name} is ${age}`;
    } finally {
      console.log("cleanup ran");
    }
    return "unreachable";
  }
  const g = conversation();
  console.log(g.next().value, "|", g.next("Ada").value, "|", g.next(36).value);
  console.log("return():", JSON.stringify(g.return("early")), "then:", JSON.stringify(g.next()));

  function* guarded() {
    try {
      yield 1;
    } catch (e) {
      yield `caught ${e}`;
    }
  }
  const h = guarded();
  h.next();
  console.log("throw():", h.throw("oops").value, JSON.stringify(h.next()));

  console.log("range:", [...new Range(1, 10, 3)].join(","), Array.from(new Range(0, 4), (x) => x * 10).join(","));
  const [first, , third, ...rest] = new Range(1, 6);
  console.log("destructured:", first, third, rest.join(","));
  const it = ["a", "b"][Symbol.iterator]();
  console.log("manual:", JSON.stringify(it.next()), JSON.stringify(it.next()), JSON.stringify(it.next()));
  console.log("entries:", [..."hé😀"].map((c, i) => `${i}:${c}`).join(" "), JSON.stringify([...new Map([[1, "one"]]).entries()]));
  console.log("Object.entries:", Object.entries({ x: 1, y: 2 }).map(([k, v]) => k + v).join(""));
  const fibs = (function* () {
    let [a, b] = [0, 1];
    for (;;) {
      yield a;
      [a, b] = [b, a + b];
    }
  })();
  console.log("fibs:", Array.from({ length: 12 }, () => fibs.next().value).join(","));
}
