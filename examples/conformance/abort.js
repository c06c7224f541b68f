// AbortController and AbortSignal: abort(reason) once, the default reason
// (a DOMException named AbortError, code 20), throwIfAborted, onabort and
// abort listeners (in the order added, a trusted Event), AbortSignal.abort,
// AbortSignal.any (the first reason wins, already-aborted inputs),
// AbortSignal.timeout's argument checks, and node's TypeErrors.
// args: my-reason

function attempt(label, f) {
  try {
    console.log(label, "->", f());
  } catch (e) {
    console.log(label, "throws", e.name, e.message, e.code);
  }
}

const show = (s) => `aborted=${s.aborted} reason=${typeof s.reason === "object" && s.reason !== null ? `${s.reason.name}/${s.reason.message}/${s.reason.code}` : String(s.reason)}`;

export function main([reason]) {
  const log = [];
  const c = new AbortController();
  const s = c.signal;
  console.log("fresh:", show(s), s.onabort, s instanceof EventTarget, c.signal === s);
  attempt("throwIfAborted (not aborted)", () => s.throwIfAborted());
  s.addEventListener("abort", (e) => log.push(`listener 1: ${e.type} ${e instanceof Event} trusted=${e.isTrusted} target=${e.target === s} aborted=${s.aborted}`));
  s.onabort = function (e) { log.push(`onabort: ${e.type} this=${this === s}`); };
  s.addEventListener("abort", function () { log.push(`listener 2 this=${this === s}`); }, { once: true });
  c.abort(reason);
  c.abort("second"); // no effect
  console.log("aborted:", show(s), log.splice(0));
  try {
    s.throwIfAborted();
  } catch (e) {
    console.log("throwIfAborted throws the reason:", e === s.reason, e);
  }

  const d = new AbortController();
  d.abort();
  console.log("default reason:", show(d.signal), d.signal.reason instanceof DOMException, d.signal.reason instanceof Error);
  try {
    d.signal.throwIfAborted();
  } catch (e) {
    console.log("thrown:", e.name, e === d.signal.reason);
  }
  const objReason = { why: "object" };
  const o = new AbortController();
  o.abort(objReason);
  console.log("object reason kept:", o.signal.reason === objReason);
  const n = new AbortController();
  n.abort(null);
  console.log("null reason:", show(n.signal));

  // onabort is one listener: replaced in place, removed by null.
  const h = new AbortController();
  h.signal.addEventListener("abort", () => log.push("first listener"));
  h.signal.onabort = () => log.push("handler A (replaced)");
  h.signal.addEventListener("abort", () => log.push("last listener"));
  h.signal.onabort = () => log.push("handler B");
  console.log("onabort is a function:", typeof h.signal.onabort);
  h.abort();
  console.log("handler order:", log.splice(0));
  const g = new AbortController();
  g.signal.onabort = () => log.push("never");
  g.signal.onabort = null;
  console.log("onabort after null:", g.signal.onabort);
  g.abort();
  console.log("removed handler:", log.splice(0));

  // AbortSignal.abort
  console.log("AbortSignal.abort():", show(AbortSignal.abort()));
  console.log("AbortSignal.abort(reason):", show(AbortSignal.abort(reason)));

  // AbortSignal.any
  const a1 = new AbortController();
  const a2 = new AbortController();
  const any = AbortSignal.any([a1.signal, a2.signal]);
  any.addEventListener("abort", () => log.push(`any aborted: ${any.reason}`));
  console.log("any before:", show(any));
  a2.abort("from a2");
  a1.abort("from a1");
  console.log("any after:", show(any), log.splice(0));
  console.log("any([]):", show(AbortSignal.any([])));
  console.log("any(pre-aborted):", show(AbortSignal.any([new AbortController().signal, AbortSignal.abort("early")])));
  const nested = new AbortController();
  const outer = AbortSignal.any([AbortSignal.any([nested.signal])]);
  nested.abort("deep");
  console.log("any of any:", show(outer));

  // An aborted signal removes event listeners registered with it.
  const target = new EventTarget();
  const rm = new AbortController();
  target.addEventListener("ping", () => log.push("ping"), { signal: rm.signal });
  target.dispatchEvent(new Event("ping"));
  rm.abort();
  target.dispatchEvent(new Event("ping"));
  console.log("listener removal:", log.splice(0));

  console.log("toStringTag:", Object.prototype.toString.call(s), Object.prototype.toString.call(c));
  console.log("DOMException codes:", DOMException.ABORT_ERR, DOMException.TIMEOUT_ERR, new DOMException("m", "TimeoutError").code, new DOMException("m", "DataError").code, new DOMException("m").name);
  attempt("new AbortSignal()", () => new AbortSignal());
  attempt("AbortSignal.any()", () => AbortSignal.any());
  attempt("AbortSignal.any([1])", () => AbortSignal.any([1]));
  attempt("AbortSignal.any([signal, {}])", () => AbortSignal.any([s, {}]));
  attempt("AbortSignal.timeout('x')", () => AbortSignal.timeout("x"));
  attempt("AbortSignal.timeout(-1)", () => AbortSignal.timeout(-1));
  attempt("AbortSignal.timeout(2 ** 32)", () => AbortSignal.timeout(2 ** 32));
  attempt("AbortSignal.timeout(NaN)", () => AbortSignal.timeout(NaN));
  attempt("AbortSignal.timeout(1.5)", () => AbortSignal.timeout(1.5));
  attempt("AbortSignal.timeout(2 ** 40)", () => AbortSignal.timeout(2 ** 40));
  return 0;
}
