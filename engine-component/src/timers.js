// Timers of a jspkg app: setTimeout, setInterval, clearTimeout,
// clearInterval. Evaluated once, at build time, after web.js, with the same
// natives and hooks. The event loop (event_loop.rs) drives them: between
// turns it asks `timersNext()` for the earliest deadline, waits for it on a
// `wasi:clocks/monotonic-clock` pollable (together with pending I/O), then
// calls `timersRun(now)` until it returns false, draining the microtask
// queue after every callback, as node and the HTML standard do.
//
// Node's rules, so that apps print in node's order: a delay below 1 ms (or
// not a number, or above 2^31-1) is 1 ms; timers due at the same time run in
// the order they were set; a deadline counts from the loop's time (the time
// of the turn that set it, as libuv caches it), and a timer set by a timer
// callback never runs in the same turn. Ids are positive integers (the web's
// rule; node returns objects).
//
// Timers never run at build time: top-level code that calls setTimeout or
// setInterval throws (and so fails `jspkg build`); call them from main or
// fetch.
(function (native, hooks) {
  "use strict";

  const define = (obj, name, value) =>
    Object.defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: false });

  const TIMEOUT_MAX = 2 ** 31 - 1;

  // Set by beforeRun: false while the snapshot is being taken.
  let running = false;
  // The loop's time (ms on the monotonic clock), as of the current turn.
  let loopNow = 0;
  let nextId = 1;
  let seq = 0;
  // id -> timer, for clear*; `heap` orders the live ones by (deadline, seq).
  const live = new Map();
  let heap = [];

  function before(a, b) {
    return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
  }

  function push(t) {
    heap.push(t);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(heap[i], heap[p])) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  }

  function pop() {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l], heap[m])) m = l;
        if (r < heap.length && before(heap[r], heap[m])) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  }

  // The earliest live timer, dropping cleared ones from the top.
  function peek() {
    while (heap.length > 0 && heap[0].cleared) pop();
    return heap.length > 0 ? heap[0] : null;
  }

  function delayOf(delay) {
    const d = Number(delay);
    return d >= 1 && d <= TIMEOUT_MAX ? d : 1;
  }

  function schedule(name, callback, delay, args, repeat) {
    if (!running) {
      throw new Error(
        `${name} cannot be called at build time: top-level code runs once, when jspkg build takes the snapshot, ` +
          `and timers never run then (call ${name} from main or fetch)`,
      );
    }
    if (typeof callback !== "function") {
      throw new TypeError(`The "callback" argument must be of type function. Received ${describe(callback)}`);
    }
    const ms = delayOf(delay);
    const t = {
      id: nextId++,
      seq: seq++,
      deadline: loopNow + ms,
      repeat: repeat ? ms : 0,
      callback,
      args,
      cleared: false,
    };
    live.set(t.id, t);
    push(t);
    return t.id;
  }

  function describe(v) {
    if (v === null) return "null";
    if (typeof v === "string") return `type string (${JSON.stringify(v)})`;
    if (typeof v === "object") return "an instance of " + ((v.constructor && v.constructor.name) || "Object");
    return `type ${typeof v} (${String(v)})`;
  }

  function clear(id) {
    // Node also accepts the object it returned; ours are numbers, but an
    // object with a numeric valueOf (as a node Timeout has) is one too.
    const t = live.get(typeof id === "number" ? id : Number(id));
    if (t !== undefined) {
      t.cleared = true;
      live.delete(t.id);
    }
  }

  define(globalThis, "setTimeout", function setTimeout(callback, delay, ...args) {
    return schedule("setTimeout", callback, delay, args, false);
  });
  define(globalThis, "setInterval", function setInterval(callback, delay, ...args) {
    return schedule("setInterval", callback, delay, args, true);
  });
  define(globalThis, "clearTimeout", function clearTimeout(id) {
    clear(id);
  });
  define(globalThis, "clearInterval", function clearInterval(id) {
    clear(id);
  });

  // ---------------------------------------------------------------- hooks
  const beforeRun = hooks.beforeRun;
  hooks.beforeRun = function () {
    beforeRun();
    running = true;
    loopNow = native.monotonicMs();
  };

  // The earliest deadline (ms on the monotonic clock), or -1: none pending.
  hooks.timersNext = function timersNext() {
    const t = peek();
    return t === null ? -1 : t.deadline;
  };

  // Runs the earliest timer due at `now` (the turn's time; the loop passes
  // the same value until this returns false) and says whether it ran one.
  // An exception of the callback propagates to the loop.
  hooks.timersRun = function timersRun(now) {
    loopNow = now;
    const t = peek();
    if (t === null || t.deadline > now) return false;
    pop();
    if (t.repeat === 0) live.delete(t.id);
    try {
      Reflect.apply(t.callback, globalThis, t.args);
    } finally {
      // As node: an interval goes back in line after its callback (so a
      // timer that callback set with the same delay runs first), unless
      // the callback cleared it.
      if (t.repeat > 0 && !t.cleared) {
        t.deadline = now + t.repeat;
        t.seq = seq++;
        push(t);
      }
    }
    return true;
  };
});
