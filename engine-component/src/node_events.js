// `node:events`: node's EventEmitter, for npm packages and for the
// engine's own node-style objects (process.stdin, node:readline's
// Interface: hooks.EventEmitter). A constructor function, not a class, so
// that the pre-class way of inheriting works (`EventEmitter.call(this)`
// with `util.inherits` or `Object.create(EventEmitter.prototype)`); its
// state lives where node keeps it (`_events`, `_eventsCount`,
// `_maxListeners`), made on first use for a subclass that never called
// the constructor. Listeners run in the order added (prepend* puts one
// first), with `this` the emitter, over a copy of the list taken when
// emit starts; "newListener" comes before a listener is added,
// "removeListener" after one is removed; an "error" with no listener
// throws (the error itself, or node's ERR_UNHANDLED_ERROR), after the
// `errorMonitor` listeners. More listeners of one event than
// getMaxListeners() prints node's MaxListenersExceededWarning once.
// Statics: once (a Promise; EventTarget too), on (an async iterator),
// listenerCount, getEventListeners, setMaxListeners, errorMonitor,
// defaultMaxListeners. Evaluated at build time before node.js.
(function (native, hooks) {
  "use strict";

  const withCode = (e, code) => {
    e.code = code;
    return e;
  };
  const kEvents = "_events";

  function checkListener(listener) {
    if (typeof listener !== "function") {
      const received = listener === null || listener === undefined ? `Received ${listener}` : typeof listener === "object" ? `Received an instance of ${listener.constructor?.name ?? "Object"}` : `Received type ${typeof listener} (${typeof listener === "string" ? `'${listener}'` : String(listener)})`;
      throw withCode(new TypeError(`The "listener" argument must be of type function. ${received}`), "ERR_INVALID_ARG_TYPE");
    }
  }

  function checkCount(n, name) {
    if (typeof n !== "number") {
      const received = n === null || n === undefined ? `Received ${n}` : typeof n === "object" ? `Received an instance of ${n.constructor?.name ?? "Object"}` : `Received type ${typeof n} (${typeof n === "string" ? `'${n}'` : String(n)})`;
      throw withCode(new TypeError(`The "${name}" argument must be of type number. ${received}`), "ERR_INVALID_ARG_TYPE");
    }
    if (n < 0 || Number.isNaN(n)) {
      throw withCode(new RangeError(`The value of "${name}" is out of range. It must be >= 0. Received ${String(n)}`), "ERR_OUT_OF_RANGE");
    }
  }

  function EventEmitter(options) {
    EventEmitter.init.call(this, options);
  }

  let defaultMaxListeners = 10;
  const errorMonitor = Symbol("events.errorMonitor");

  EventEmitter.init = function (_options) {
    if (this[kEvents] === undefined || this[kEvents] === Object.getPrototypeOf(this)[kEvents]) {
      this[kEvents] = Object.create(null);
      this._eventsCount = 0;
    }
    this._maxListeners = this._maxListeners || undefined;
  };

  // The emitter's table of listeners, made if it has none yet.
  function events(emitter) {
    if (emitter[kEvents] === undefined) {
      emitter[kEvents] = Object.create(null);
      emitter._eventsCount = 0;
    }
    return emitter[kEvents];
  }

  function addListener(emitter, type, listener, prepend) {
    checkListener(listener);
    const table = events(emitter);
    if (table.newListener !== undefined) {
      emitter.emit("newListener", type, listener.listener ?? listener);
    }
    const list = table[type];
    if (list === undefined) {
      table[type] = [listener];
      emitter._eventsCount++;
    } else {
      // A new array: an emit in progress keeps the list it started with.
      table[type] = prepend ? [listener, ...list] : [...list, listener];
      const max = emitter.getMaxListeners();
      if (max > 0 && table[type].length > max && !table[type].warned) {
        table[type].warned = true;
        const name = emitter.constructor?.name ?? "EventEmitter";
        globalThis.console?.error(
          `(jspkg) MaxListenersExceededWarning: Possible EventEmitter memory leak detected. ${table[type].length} ${String(type)} listeners added to [${name}]. MaxListeners is ${max}. Use emitter.setMaxListeners() to increase limit`,
        );
      }
    }
    return emitter;
  }

  function onceWrapper(emitter, type, listener) {
    const state = { fired: false };
    const wrapped = function (...args) {
      if (state.fired) return undefined;
      state.fired = true;
      emitter.removeListener(type, wrapped);
      return listener.apply(emitter, args);
    };
    wrapped.listener = listener;
    return wrapped;
  }

  const proto = EventEmitter.prototype;
  proto[kEvents] = undefined;
  proto._eventsCount = 0;
  proto._maxListeners = undefined;

  proto.setMaxListeners = function setMaxListeners(n) {
    checkCount(n, "setMaxListeners");
    this._maxListeners = n;
    return this;
  };
  proto.getMaxListeners = function getMaxListeners() {
    return this._maxListeners === undefined ? defaultMaxListeners : this._maxListeners;
  };
  proto.on = proto.addListener = function addListenerMethod(type, listener) {
    return addListener(this, type, listener, false);
  };
  proto.prependListener = function prependListener(type, listener) {
    return addListener(this, type, listener, true);
  };
  proto.once = function once(type, listener) {
    checkListener(listener);
    return this.on(type, onceWrapper(this, type, listener));
  };
  proto.prependOnceListener = function prependOnceListener(type, listener) {
    checkListener(listener);
    return this.prependListener(type, onceWrapper(this, type, listener));
  };
  proto.off = proto.removeListener = function removeListener(type, listener) {
    checkListener(listener);
    const table = events(this);
    const list = table[type];
    if (list === undefined) return this;
    const i = list.findLastIndex((l) => l === listener || l.listener === listener);
    if (i < 0) return this;
    const removed = list[i];
    if (list.length === 1) {
      delete table[type];
      this._eventsCount--;
    } else {
      table[type] = list.toSpliced(i, 1);
    }
    if (table.removeListener !== undefined) this.emit("removeListener", type, removed.listener ?? removed);
    return this;
  };
  proto.removeAllListeners = function removeAllListeners(type) {
    const table = events(this);
    const all = arguments.length === 0;
    if (table.removeListener === undefined) {
      if (all) {
        this[kEvents] = Object.create(null);
        this._eventsCount = 0;
      } else if (table[type] !== undefined) {
        delete table[type];
        this._eventsCount--;
      }
      return this;
    }
    // Someone listens for removals: each listener goes by removeListener,
    // the last added first, and the "removeListener" listeners last.
    if (all) {
      for (const key of Reflect.ownKeys(table)) if (key !== "removeListener") this.removeAllListeners(key);
      this.removeAllListeners("removeListener");
      return this;
    }
    const list = table[type] ?? [];
    for (let i = list.length - 1; i >= 0; i--) this.removeListener(type, list[i]);
    return this;
  };
  proto.emit = function emit(type, ...args) {
    const table = events(this);
    if (type === "error" && table[errorMonitor] !== undefined) this.emit(errorMonitor, ...args);
    const list = table[type];
    if (list === undefined) {
      if (type !== "error") return false;
      const err = args[0];
      if (err instanceof Error) throw err;
      const shown = typeof hooks.inspect === "function" ? hooks.inspect(err) : String(err);
      const e = withCode(new Error(`Unhandled error. (${shown})`), "ERR_UNHANDLED_ERROR");
      e.context = err;
      throw e;
    }
    for (const listener of list) listener.apply(this, args);
    return true;
  };
  proto.listeners = function listeners(type) {
    return (events(this)[type] ?? []).map((l) => l.listener ?? l);
  };
  proto.rawListeners = function rawListeners(type) {
    return [...(events(this)[type] ?? [])];
  };
  proto.listenerCount = function listenerCount(type, listener) {
    const list = events(this)[type] ?? [];
    if (listener === undefined) return list.length;
    return list.filter((l) => l === listener || l.listener === listener).length;
  };
  proto.eventNames = function eventNames() {
    return Reflect.ownKeys(events(this));
  };

  // ------------------------------------------------------------ statics
  Object.defineProperty(EventEmitter, "defaultMaxListeners", {
    enumerable: true,
    get: () => defaultMaxListeners,
    set: (n) => {
      checkCount(n, "defaultMaxListeners");
      defaultMaxListeners = n;
    },
  });
  EventEmitter.errorMonitor = errorMonitor;
  EventEmitter.captureRejections = false;
  EventEmitter.EventEmitter = EventEmitter;
  EventEmitter.usingDomains = false;

  EventEmitter.listenerCount = (emitter, type) => emitter.listenerCount(type);

  EventEmitter.getEventListeners = function getEventListeners(target, type) {
    if (typeof target.listeners === "function") return target.listeners(type);
    throw withCode(new TypeError('The "emitter" argument must be an instance of EventEmitter or EventTarget'), "ERR_INVALID_ARG_TYPE");
  };

  EventEmitter.setMaxListeners = function setMaxListeners(n = defaultMaxListeners, ...targets) {
    checkCount(n, "setMaxListeners");
    if (targets.length === 0) defaultMaxListeners = n;
    for (const t of targets) if (typeof t.setMaxListeners === "function") t.setMaxListeners(n);
  };

  const abortError = (signal) => {
    const e = new DOMException("The operation was aborted", "AbortError");
    e.cause = signal.reason;
    return e;
  };

  // A Promise of the arguments of the next `type` event (an "error"
  // rejects it); an EventTarget's event gives [event].
  EventEmitter.once = function once(emitter, type, options = {}) {
    const signal = options?.signal;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortError(signal));
        return;
      }
      if (typeof emitter.addEventListener === "function" && typeof emitter.on !== "function") {
        const listener = (event) => {
          signal?.removeEventListener("abort", onAbort);
          resolve([event]);
        };
        const onAbort = () => {
          emitter.removeEventListener(type, listener);
          reject(abortError(signal));
        };
        emitter.addEventListener(type, listener, { once: true });
        signal?.addEventListener("abort", onAbort, { once: true });
        return;
      }
      const cleanup = () => {
        emitter.removeListener(type, onEvent);
        if (type !== "error") emitter.removeListener("error", onError);
        signal?.removeEventListener("abort", onAbort);
      };
      const onEvent = (...args) => {
        cleanup();
        resolve(args);
      };
      const onError = (err) => {
        cleanup();
        reject(err);
      };
      const onAbort = () => {
        cleanup();
        reject(abortError(signal));
      };
      emitter.on(type, onEvent);
      if (type !== "error") emitter.on("error", onError);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  };

  // An async iterator of the arguments of every `type` event, until the
  // iterator returns or one of the events named in `close` comes (the
  // events before it are still given); an "error" event throws from it.
  EventEmitter.on = function on(emitter, type, options = {}) {
    const signal = options?.signal;
    if (signal?.aborted) throw abortError(signal);
    const closers = options?.close ?? [];
    const queue = [];
    const waiting = [];
    let failure = null;
    let finished = false;
    const onEvent = (...args) => {
      const w = waiting.shift();
      if (w !== undefined) w.resolve({ value: args, done: false });
      else queue.push(args);
    };
    const stop = () => {
      finished = true;
      emitter.removeListener(type, onEvent);
      if (type !== "error") emitter.removeListener("error", onError);
      for (const name of closers) emitter.removeListener(name, stop);
      signal?.removeEventListener("abort", onAbort);
      for (const w of waiting.splice(0)) w.resolve({ value: undefined, done: true });
    };
    const onError = (err) => {
      const w = waiting.shift();
      if (w !== undefined) w.reject(err);
      else failure = err;
      stop();
    };
    const onAbort = () => onError(abortError(signal));
    emitter.on(type, onEvent);
    if (type !== "error") emitter.on("error", onError);
    for (const name of closers) emitter.on(name, stop);
    signal?.addEventListener("abort", onAbort, { once: true });
    return {
      next() {
        if (queue.length > 0) return Promise.resolve({ value: queue.shift(), done: false });
        if (failure !== null) {
          const e = failure;
          failure = null;
          return Promise.reject(e);
        }
        if (finished) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
      },
      return() {
        stop();
        return Promise.resolve({ value: undefined, done: true });
      },
      throw(err) {
        stop();
        return Promise.reject(err);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  };

  hooks.EventEmitter = EventEmitter;
  hooks.nodeModules ??= {};
  hooks.nodeModules["node:events"] = {
    default: EventEmitter,
    EventEmitter,
    once: EventEmitter.once,
    on: EventEmitter.on,
    errorMonitor,
    getEventListeners: EventEmitter.getEventListeners,
    setMaxListeners: EventEmitter.setMaxListeners,
    listenerCount: EventEmitter.listenerCount,
  };
});
