// node:events' EventEmitter: listeners in order (prepend first), `this`,
// once, newListener/removeListener events, removal during an emit,
// removeAllListeners, listeners/rawListeners/listenerCount/eventNames
// (symbols too), max listeners and its RangeError, "error" with and
// without a listener (node's ERR_UNHANDLED_ERROR), errorMonitor, the
// pre-class way of inheriting, a subclass, and the statics once (a
// Promise; an "error" rejects it; EventTarget too) and on (an async
// iterator, ended by the `close` events).
import EventEmitter, { once, on, errorMonitor } from "node:events";
import * as events from "events";

function attempt(label, f) {
  try {
    console.log(label, "->", f());
  } catch (e) {
    console.log(label, "throws", e.name, e.code, e.message);
  }
}

export async function main() {
  console.log(typeof EventEmitter, EventEmitter === events.EventEmitter, EventEmitter.EventEmitter === EventEmitter, EventEmitter.defaultMaxListeners);
  const e = new EventEmitter();
  const log = [];
  e.on("newListener", (name) => log.push(`new:${String(name)}`));
  e.on("removeListener", (name) => log.push(`removed:${String(name)}`));
  e.on("x", function (a, b) {
    log.push(`x1 ${a} ${b} ${this === e}`);
  });
  e.prependListener("x", () => log.push("x0"));
  e.once("x", () => log.push("x-once"));
  e.prependOnceListener("x", () => log.push("x-once-first"));
  console.log(e.emit("x", 1, 2), e.emit("x", 3, 4), e.emit("nothing"));
  console.log(log.join(" | "));
  console.log(e.listenerCount("x"), e.listeners("x").length, e.rawListeners("x").length, e.eventNames().map(String));

  // Removal and addition during an emit: the emit goes on with its list.
  const r = new EventEmitter();
  const order = [];
  const b = () => order.push("b");
  r.on("e", () => {
    order.push("a");
    r.removeListener("e", b);
    r.on("e", () => order.push("late"));
  });
  r.on("e", b);
  r.emit("e");
  r.emit("e");
  console.log(order.join(","));

  // once() listeners: listeners() unwraps them, rawListeners() does not.
  const o = new EventEmitter();
  const f = () => {};
  o.once("y", f);
  console.log(o.listeners("y")[0] === f, o.rawListeners("y")[0] === f, o.rawListeners("y")[0].listener === f);
  o.removeListener("y", f);
  console.log(o.listenerCount("y"), o.eventNames().length);

  // removeAllListeners, with and without a removeListener listener.
  const q = new EventEmitter();
  const gone = [];
  q.on("a", () => {});
  q.on("a", () => {});
  q.on("b", () => {});
  const sym = Symbol("s");
  q.on(sym, () => {});
  console.log(q.eventNames().map(String));
  q.on("removeListener", (name) => gone.push(String(name)));
  q.removeAllListeners("a");
  console.log(gone.join(","), q.eventNames().map(String));
  q.removeAllListeners();
  console.log(gone.join(","), q.eventNames().length);

  // Max listeners.
  const m = new EventEmitter();
  console.log(m.getMaxListeners(), m.setMaxListeners(1) === m, m.getMaxListeners());
  attempt("setMaxListeners(-1)", () => m.setMaxListeners(-1));
  attempt("on(x, 42)", () => m.on("x", 42));

  // "error".
  const err = new EventEmitter();
  attempt("emit error, no listener", () => err.emit("error", new TypeError("boom")));
  attempt("emit error string", () => err.emit("error", "just text"));
  const seen = [];
  err.on(errorMonitor, (x) => seen.push(`monitor ${x.message}`));
  attempt("emit error, monitored", () => err.emit("error", new Error("watched")));
  err.on("error", (x) => seen.push(`handled ${x.message}`));
  console.log(err.emit("error", new Error("caught")), seen.join(" | "));

  // Inheriting the pre-class way, and a subclass.
  function Legacy(name) {
    EventEmitter.call(this);
    this.name = name;
  }
  Object.setPrototypeOf(Legacy.prototype, EventEmitter.prototype);
  const legacy = new Legacy("old");
  legacy.on("hi", function () {
    console.log("legacy", this.name, this instanceof EventEmitter);
  });
  legacy.emit("hi");
  class Modern extends EventEmitter {
    ping() {
      this.emit("ping", 7);
    }
  }
  const modern = new Modern();
  modern.on("ping", (n) => console.log("modern ping", n, modern instanceof EventEmitter));
  modern.ping();
  console.log(EventEmitter.listenerCount(modern, "ping"));

  // once() and on().
  const p = new EventEmitter();
  setTimeout(() => p.emit("ready", "a", 1), 5);
  console.log("once ->", await once(p, "ready"));
  setTimeout(() => p.emit("error", new Error("failed")), 5);
  try {
    await once(p, "never");
  } catch (x) {
    console.log("once rejects:", x.message, p.listenerCount("never"), p.listenerCount("error"));
  }
  const target = new EventTarget();
  setTimeout(() => target.dispatchEvent(new Event("go")), 5);
  const [event] = await once(target, "go");
  console.log("once EventTarget ->", event.type);
  const ticker = new EventEmitter();
  setTimeout(() => {
    ticker.emit("tick", 1);
    ticker.emit("tick", 2);
    ticker.emit("tick", 3);
  }, 5);
  const got = [];
  for await (const [n] of on(ticker, "tick")) {
    got.push(n);
    if (n === 3) break;
  }
  console.log("on ->", got, ticker.listenerCount("tick"), ticker.listenerCount("error"));
  // on() with `close`: the events before the closing one, then the end.
  const feed = new EventEmitter();
  setTimeout(() => {
    feed.emit("item", "a");
    feed.emit("item", "b");
    feed.emit("end");
    feed.emit("item", "late");
  }, 5);
  const items = [];
  for await (const [item] of on(feed, "item", { close: ["end"] })) items.push(item);
  console.log("on close ->", items, feed.listenerCount("item"), feed.listenerCount("end"));
}
