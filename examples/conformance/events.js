// Event, CustomEvent and EventTarget: listeners in the order added, `this`
// and currentTarget, once, capture as part of a listener's identity,
// duplicates ignored, handleEvent objects, removal (also during a
// dispatch), stopImmediatePropagation, preventDefault and cancelable,
// the `signal` option, event state before/during/after a
// dispatch, subclassing, and node's TypeErrors for bad arguments.
// args: ping pong

function attempt(label, f) {
  try {
    console.log(label, "->", f());
  } catch (e) {
    console.log(label, "throws", e.name, e.message, e.code);
  }
}

const state = (e) =>
  JSON.stringify({
    type: e.type,
    phase: e.eventPhase,
    target: e.target === null ? null : typeof e.target,
    current: e.currentTarget === null ? null : typeof e.currentTarget,
    path: e.composedPath().length,
    defaultPrevented: e.defaultPrevented,
    returnValue: e.returnValue,
    cancelBubble: e.cancelBubble,
    cancelable: e.cancelable,
    bubbles: e.bubbles,
    composed: e.composed,
    isTrusted: e.isTrusted,
  });

class Emitter extends EventTarget {
  constructor(name) {
    super();
    this.name = name;
  }
  emit(type, detail) {
    return this.dispatchEvent(new CustomEvent(type, { detail, cancelable: true }));
  }
}

export function main(args) {
  const log = [];
  const t = new EventTarget();
  // (node 20 forgets that an event is being dispatched once its first
  // listener returns, so currentTarget, eventPhase and composedPath are
  // checked in the first listener only.)
  t.addEventListener(args[0], function (e) {
    console.log("during:", state(e), this === t, e.target === t, e.currentTarget === t);
  });
  const first = function (e) {
    log.push(`first this=${this === t} target=${e.target === t}`);
  };
  t.addEventListener(args[0], first);
  t.addEventListener(args[0], first); // duplicate: ignored
  t.addEventListener(args[0], first, true); // capture: another listener
  t.addEventListener(args[0], () => log.push("once"), { once: true });
  const handler = { calls: 0, handleEvent(e) { this.calls++; log.push(`handleEvent ${e.type} ${this === handler}`); } };
  t.addEventListener(args[0], handler);
  const e1 = new Event(args[0]);
  console.log("before:", state(e1));
  console.log("dispatch 1 ->", t.dispatchEvent(e1), log.splice(0));
  console.log("after:", state(e1), e1.target === t);
  console.log("dispatch 2 ->", t.dispatchEvent(new Event(args[0])), log.splice(0), handler.calls);
  t.removeEventListener(args[0], first); // removes the non-capture one only
  console.log("dispatch 3 ->", t.dispatchEvent(new Event(args[0])), log.splice(0));
  t.removeEventListener(args[0], first, { capture: true });
  t.removeEventListener(args[0], handler);
  t.removeEventListener(args[0], () => {}); // not there: nothing
  console.log("dispatch 4 ->", t.dispatchEvent(new Event(args[0])), log.splice(0));
  console.log("redispatch of e1 ->", t.dispatchEvent(e1));

  // Order, stopImmediatePropagation, removal during a dispatch.
  const u = new EventTarget();
  const later = () => log.push("later (removed by a)");
  u.addEventListener("x", () => { log.push("a"); u.removeEventListener("x", later); });
  u.addEventListener("x", later);
  u.addEventListener("x", (e) => { log.push("b"); e.stopImmediatePropagation(); });
  u.addEventListener("x", () => log.push("c (never)"));
  u.addEventListener("x", () => log.push("d (never)"));
  const ex = new Event("x");
  console.log("stop ->", u.dispatchEvent(ex), log.splice(0));

  // preventDefault: only when cancelable, never in a passive listener.
  const v = new EventTarget();
  v.addEventListener("p", (e) => { e.preventDefault(); log.push(`prevented=${e.defaultPrevented}`); });
  console.log("not cancelable ->", v.dispatchEvent(new Event("p")), log.splice(0));
  const pc = new Event("p", { cancelable: true, bubbles: true, composed: true });
  console.log("cancelable ->", v.dispatchEvent(pc), log.splice(0), state(pc));
  const cb = new Event("s");
  cb.cancelBubble = true;
  console.log("cancelBubble=true:", cb.cancelBubble);

  // The signal option removes a listener; an aborted signal adds none.
  const ac = new AbortController();
  const z = new EventTarget();
  z.addEventListener("z", () => log.push("with signal"), { signal: ac.signal });
  z.dispatchEvent(new Event("z"));
  ac.abort();
  z.dispatchEvent(new Event("z"));
  z.addEventListener("z", () => log.push("never"), { signal: ac.signal });
  z.dispatchEvent(new Event("z"));
  console.log("signal option:", log.splice(0));

  // Recursion is refused; a nested dispatch of another event is fine.
  const r = new EventTarget();
  r.addEventListener("outer", (e) => {
    attempt("re-dispatch during dispatch", () => r.dispatchEvent(e));
    r.dispatchEvent(new Event("inner"));
    log.push("outer done");
  });
  r.addEventListener("inner", () => log.push("inner"));
  r.dispatchEvent(new Event("outer"));
  console.log("nested:", log.splice(0));

  // CustomEvent and a subclass of EventTarget.
  const em = new Emitter(args[1]);
  em.addEventListener("data", function (e) {
    log.push(`${this.name} got ${JSON.stringify(e.detail)} ${e instanceof CustomEvent} ${e instanceof Event}`);
    if (e.detail.stop) e.preventDefault();
  });
  console.log("emit ->", em.emit("data", { n: 1 }), em.emit("data", { stop: true }), log.splice(0));
  console.log("CustomEvent detail default:", new CustomEvent("c").detail, new CustomEvent("c", {}).detail, new CustomEvent("c", { detail: 0 }).detail);
  console.log("instanceof:", em instanceof EventTarget, new CustomEvent("c") instanceof Event);
  console.log("toStringTag:", [new Event("a"), new CustomEvent("b"), new EventTarget()].map((o) => Object.prototype.toString.call(o)).join(" "));
  console.log("phases:", Event.NONE, Event.CAPTURING_PHASE, Event.AT_TARGET, Event.BUBBLING_PHASE);
  console.log("type coerced:", new Event(42).type, new Event(null).type, new Event(undefined).type);
  console.log("timeStamp is a number:", typeof new Event("t").timeStamp);

  // Errors, as node reports them.
  attempt("new Event()", () => new Event());
  attempt("new Event('x', 5)", () => new Event("x", 5));
  attempt("new CustomEvent()", () => new CustomEvent());
  attempt("addEventListener()", () => t.addEventListener());
  attempt("addEventListener('x')", () => t.addEventListener("x"));
  attempt("addEventListener('x', 5)", () => t.addEventListener("x", 5));
  attempt("addEventListener('x', 'str')", () => t.addEventListener("x", "str"));
  attempt("addEventListener('x', fn, 5)", () => t.addEventListener("x", () => {}, 5));
  attempt("addEventListener('x', fn, {signal: 1})", () => t.addEventListener("x", () => {}, { signal: 1 }));
  attempt("addEventListener('x', fn, {signal: {}})", () => t.addEventListener("x", () => {}, { signal: {} }));
  attempt("addEventListener('x', fn, null)", () => t.addEventListener("x", () => {}, null));
  attempt("removeEventListener()", () => t.removeEventListener());
  attempt("dispatchEvent()", () => t.dispatchEvent());
  attempt("dispatchEvent({type})", () => t.dispatchEvent({ type: "x" }));
  attempt("dispatchEvent('x')", () => t.dispatchEvent("x"));
  attempt("dispatchEvent(new Map())", () => t.dispatchEvent(new Map()));
  return 0;
}
