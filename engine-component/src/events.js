// Event, CustomEvent, EventTarget, AbortController, AbortSignal and
// reportError: globals in every world, as the DOM Standard defines them,
// with node's TypeErrors for bad arguments (ERR_MISSING_ARGS,
// ERR_INVALID_ARG_TYPE, ERR_EVENT_RECURSION, ERR_ILLEGAL_CONSTRUCTOR).
// There is no tree: an event is dispatched at its target only (eventPhase
// AT_TARGET), as in node, Deno and Workers. Evaluated at build time after
// web.js, with the natives and the hooks object (neither is needed here).
//
// An exception thrown by a listener does not stop the dispatch: it is
// reported (reportError), which ends the call as an uncaught error (exit 1
// in the cli world, a 500 in the http world) once it has run, as node ends
// the process. AbortSignal.timeout needs timers: it calls
// globalThis.setTimeout when called, and throws if there is none.
(function (native, hooks) {
  "use strict";

  const define = (obj, name, value) =>
    Object.defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: false });
  const tag = (Class, name) =>
    Object.defineProperty(Class.prototype, Symbol.toStringTag, { value: name, configurable: true });

  // ------------------------------------------------------- node's errors
  function received(v) {
    if (v === null || v === undefined) return `Received ${v}`;
    if (typeof v === "function") return `Received function ${v.name || "<anonymous>"}`;
    if (typeof v === "object") {
      const name = v.constructor && v.constructor.name;
      return name ? `Received an instance of ${name}` : "Received [Object: null prototype]";
    }
    if (typeof v === "string") return `Received type string ('${v.length > 28 ? v.slice(0, 25) + "..." : v}')`;
    if (typeof v === "symbol") return `Received type symbol (${v.toString()})`;
    return `Received type ${typeof v} (${typeof v === "bigint" ? v + "n" : Object.is(v, -0) ? "-0" : String(v)})`;
  }

  function withCode(e, code) {
    e.code = code;
    return e;
  }

  const missingArgs = (...names) =>
    withCode(
      new TypeError(`The ${names.map((n) => `"${n}"`).join(" and ")} argument${names.length > 1 ? "s" : ""} must be specified`),
      "ERR_MISSING_ARGS",
    );
  const invalidArgType = (what, expected, v) =>
    withCode(new TypeError(`The ${what} must be ${expected}. ${received(v)}`), "ERR_INVALID_ARG_TYPE");
  const illegalConstructor = () => withCode(new TypeError("Illegal constructor"), "ERR_ILLEGAL_CONSTRUCTOR");

  // ERR_OUT_OF_RANGE; node writes large integers with `_` every 3 digits.
  function outOfRange(name, range, v) {
    let shown = String(v);
    if (Number.isInteger(v) && Math.abs(v) > 2 ** 32) shown = shown.replace(/\B(?=(\d{3})+$)/g, "_");
    return withCode(new RangeError(`The value of "${name}" is out of range. It must be ${range}. Received ${shown}`), "ERR_OUT_OF_RANGE");
  }
  const isObject = (v) => (typeof v === "object" && v !== null) || typeof v === "function";

  // The key that lets this file make objects apps cannot construct.
  const INTERNAL = Symbol("internal");

  // ---------------------------------------------------------- reportError
  // An error nobody can catch any more: reported as the run's uncaught
  // error (the engine's unhandled-rejection check sees it after the call).
  function report(error) {
    Promise.reject(error);
  }
  define(globalThis, "reportError", function reportError(error) {
    if (arguments.length === 0) throw missingArgs("error");
    report(error);
  });

  // ----------------------------------------------------------------- Event
  let eventState; // (event) => its internal state, for EventTarget
  let markTrusted; // (event) => void: isTrusted becomes true

  class Event {
    #type;
    #bubbles;
    #cancelable;
    #composed;
    #timeStamp = performance.now();
    #trusted = false;
    // Dispatch state: the standard's flags and targets.
    #target = null;
    #currentTarget = null;
    #canceled = false;
    #stopPropagation = false;
    #stopImmediate = false;
    #dispatching = false;
    #inPassiveListener = false;

    constructor(type, options = undefined) {
      if (arguments.length === 0) throw missingArgs("type");
      if (options !== undefined && options !== null && typeof options !== "object") {
        throw invalidArgType('"options" argument', "of type object", options);
      }
      const o = options ?? {};
      this.#type = String(type);
      this.#bubbles = Boolean(o.bubbles);
      this.#cancelable = Boolean(o.cancelable);
      this.#composed = Boolean(o.composed);
    }

    static {
      eventState = (e) => ({
        get dispatching() {
          return e.#dispatching;
        },
        set dispatching(v) {
          e.#dispatching = v;
        },
        set target(v) {
          e.#target = v;
        },
        set currentTarget(v) {
          e.#currentTarget = v;
        },
        set inPassiveListener(v) {
          e.#inPassiveListener = v;
        },
        get stopImmediate() {
          return e.#stopImmediate;
        },
        reset() {
          e.#stopPropagation = false;
          e.#stopImmediate = false;
        },
      });
      markTrusted = (e) => {
        e.#trusted = true;
      };
    }

    get type() {
      return this.#type;
    }
    get target() {
      return this.#target;
    }
    get srcElement() {
      return this.#target;
    }
    get currentTarget() {
      return this.#currentTarget;
    }
    composedPath() {
      return this.#dispatching && this.#currentTarget !== null ? [this.#currentTarget] : [];
    }
    get eventPhase() {
      return this.#dispatching ? Event.AT_TARGET : Event.NONE;
    }
    stopPropagation() {
      this.#stopPropagation = true;
    }
    get cancelBubble() {
      return this.#stopPropagation;
    }
    set cancelBubble(value) {
      if (value) this.#stopPropagation = true;
    }
    stopImmediatePropagation() {
      this.#stopPropagation = true;
      this.#stopImmediate = true;
    }
    get bubbles() {
      return this.#bubbles;
    }
    get cancelable() {
      return this.#cancelable;
    }
    get returnValue() {
      return !this.#canceled;
    }
    set returnValue(value) {
      if (!value) this.preventDefault();
    }
    preventDefault() {
      if (this.#cancelable && !this.#inPassiveListener) this.#canceled = true;
    }
    get defaultPrevented() {
      return this.#canceled;
    }
    get composed() {
      return this.#composed;
    }
    get isTrusted() {
      return this.#trusted;
    }
    get timeStamp() {
      return this.#timeStamp;
    }
  }
  const PHASES = { NONE: 0, CAPTURING_PHASE: 1, AT_TARGET: 2, BUBBLING_PHASE: 3 };
  for (const [name, value] of Object.entries(PHASES)) Object.defineProperty(Event, name, { value, enumerable: true });
  tag(Event, "Event");
  define(globalThis, "Event", Event);

  class CustomEvent extends Event {
    #detail;
    constructor(type, options = undefined) {
      if (arguments.length === 0) throw missingArgs("type");
      super(type, options);
      this.#detail = options?.detail ?? null;
    }
    get detail() {
      return this.#detail;
    }
  }
  tag(CustomEvent, "CustomEvent");
  define(globalThis, "CustomEvent", CustomEvent);

  // ----------------------------------------------------------- EventTarget
  let AbortSignalClass = null; // set below; EventTarget checks `signal` options
  let onAbort; // (signal, algorithm) => void: run when the signal aborts
  let fire; // (target, type) => dispatches a trusted Event of `type`

  // An addEventListener options argument: a boolean (capture) or a
  // dictionary, as node validates it.
  function listenerOptions(options, forRemove) {
    if (options === undefined || options === null) return { capture: false, once: false, passive: false, signal: undefined };
    if (typeof options === "boolean") return { capture: options, once: false, passive: false, signal: undefined };
    if (typeof options !== "object") throw invalidArgType('"options" argument', "of type object", options);
    const capture = Boolean(options.capture);
    if (forRemove) return { capture };
    const signal = options.signal;
    if (signal !== undefined && !(signal instanceof AbortSignalClass)) {
      throw invalidArgType('"options.signal" property', "an instance of AbortSignal", signal);
    }
    return { capture, once: Boolean(options.once), passive: Boolean(options.passive), signal };
  }

  class EventTarget {
    // type -> [{ callback, capture, once, passive, removed }] in order added.
    #listeners = new Map();

    addEventListener(type, callback, options = undefined) {
      if (arguments.length < 2) throw missingArgs("type", "listener");
      const { capture, once, passive, signal } = listenerOptions(options, false);
      if (callback === null || callback === undefined) return; // no effect, as the standard says
      if (!isObject(callback)) throw invalidArgType('"listener" argument', "an instance of EventListener", callback);
      if (signal !== undefined && signal.aborted) return;
      type = String(type);
      let list = this.#listeners.get(type);
      if (list === undefined) this.#listeners.set(type, (list = []));
      if (list.some((l) => l.callback === callback && l.capture === capture)) return;
      const listener = { callback, capture, once, passive, removed: false };
      list.push(listener);
      if (signal !== undefined) onAbort(signal, () => this.#remove(type, listener));
    }

    removeEventListener(type, callback, options = undefined) {
      if (arguments.length < 2) throw missingArgs("type", "listener");
      const { capture } = listenerOptions(options, true);
      const list = this.#listeners.get(String(type));
      const listener = list?.find((l) => l.callback === callback && l.capture === capture);
      if (listener !== undefined) this.#remove(String(type), listener);
    }

    #remove(type, listener) {
      listener.removed = true;
      const list = this.#listeners.get(type);
      if (list === undefined) return;
      const i = list.indexOf(listener);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.#listeners.delete(type);
    }

    dispatchEvent(event) {
      if (arguments.length === 0) throw missingArgs("event");
      if (!(event instanceof Event)) throw invalidArgType('"event" argument', "an instance of Event", event);
      const state = eventState(event);
      if (state.dispatching) {
        throw withCode(new Error(`The event "${event.type}" is already being dispatched`), "ERR_EVENT_RECURSION");
      }
      state.dispatching = true;
      state.target = this;
      state.currentTarget = this;
      try {
        // The listeners as they were when the dispatch began; one removed
        // meanwhile is skipped.
        const list = [...(this.#listeners.get(event.type) ?? [])];
        for (const listener of list) {
          if (listener.removed) continue;
          if (listener.once) this.#remove(event.type, listener);
          state.inPassiveListener = listener.passive;
          try {
            const { callback } = listener;
            if (typeof callback === "function") callback.call(this, event);
            else {
              const handleEvent = callback.handleEvent;
              if (typeof handleEvent !== "function") throw new TypeError("The listener's handleEvent is not a function");
              handleEvent.call(callback, event);
            }
          } catch (error) {
            report(error);
          }
          state.inPassiveListener = false;
          if (state.stopImmediate) break;
        }
      } finally {
        state.dispatching = false;
        state.currentTarget = null;
        state.reset();
      }
      return !event.defaultPrevented;
    }

    static {
      fire = (target, type) => {
        const event = new Event(type);
        markTrusted(event);
        target.dispatchEvent(event);
      };
    }
  }
  tag(EventTarget, "EventTarget");
  define(globalThis, "EventTarget", EventTarget);

  // ----------------------------------------------------------- AbortSignal
  let signalAbort; // (signal, reason) => void, for AbortController
  const abortError = () => new DOMException("This operation was aborted", "AbortError");

  class AbortSignal extends EventTarget {
    #aborted = false;
    #reason = undefined;
    // Run when the signal aborts, before its abort event: listeners' removal
    // (the `signal` option) and dependent signals (AbortSignal.any).
    #algorithms = [];
    #onabort = null;
    #onabortListener = null;

    constructor(key = undefined) {
      if (key !== INTERNAL) throw illegalConstructor();
      super();
    }

    static {
      onAbort = (signal, algorithm) => {
        if (!signal.#aborted) signal.#algorithms.push(algorithm);
      };
    }

    get aborted() {
      return this.#aborted;
    }

    get reason() {
      return this.#reason;
    }

    throwIfAborted() {
      if (this.#aborted) throw this.#reason;
    }

    get onabort() {
      return this.#onabort;
    }

    // An event handler attribute: one listener, added at the first set,
    // calling whichever handler is set when the event comes.
    set onabort(handler) {
      this.#onabort = isObject(handler) ? handler : null;
      if (this.#onabort !== null && this.#onabortListener === null) {
        this.#onabortListener = (event) => {
          if (typeof this.#onabort === "function") this.#onabort.call(this, event);
        };
        this.addEventListener("abort", this.#onabortListener);
      } else if (this.#onabort === null && this.#onabortListener !== null) {
        this.removeEventListener("abort", this.#onabortListener);
        this.#onabortListener = null;
      }
    }

    // The standard's "signal abort".
    #signalAbort(reason) {
      if (this.#aborted) return;
      this.#aborted = true;
      this.#reason = reason === undefined ? abortError() : reason;
      const algorithms = this.#algorithms;
      this.#algorithms = [];
      for (const run of algorithms) run(this.#reason);
      fire(this, "abort");
    }

    static abort(reason = undefined) {
      const signal = new AbortSignal(INTERNAL);
      signal.#aborted = true;
      signal.#reason = reason === undefined ? abortError() : reason;
      return signal;
    }

    static any(signals) {
      if (arguments.length === 0 || !Array.isArray(signals)) {
        throw invalidArgType('"signals" argument', "an instance of Array", signals);
      }
      signals.forEach((s, i) => {
        if (!(s instanceof AbortSignal)) throw invalidArgType(`"signals[${i}]" argument`, "an instance of AbortSignal", s);
      });
      const result = new AbortSignal(INTERNAL);
      const done = signals.find((s) => s.#aborted);
      if (done !== undefined) {
        result.#aborted = true;
        result.#reason = done.#reason;
        return result;
      }
      for (const s of signals) s.#algorithms.push((reason) => result.#signalAbort(reason));
      return result;
    }

    static timeout(milliseconds) {
      if (typeof milliseconds !== "number") {
        throw invalidArgType('"delay" argument', "of type number", milliseconds);
      }
      if (!Number.isInteger(milliseconds)) throw outOfRange("delay", "an integer", milliseconds);
      if (milliseconds < 0 || milliseconds > 4294967295) throw outOfRange("delay", ">= 0 && <= 4294967295", milliseconds);
      const setTimeout = globalThis.setTimeout;
      if (typeof setTimeout !== "function") {
        throw new TypeError("AbortSignal.timeout is not available: this engine has no timers (setTimeout)");
      }
      const signal = new AbortSignal(INTERNAL);
      setTimeout(() => {
        signal.#signalAbort(new DOMException("The operation was aborted due to timeout", "TimeoutError"));
      }, milliseconds);
      return signal;
    }

    static {
      signalAbort = (signal, reason) => signal.#signalAbort(reason);
    }
  }
  AbortSignalClass = AbortSignal;
  tag(AbortSignal, "AbortSignal");
  define(globalThis, "AbortSignal", AbortSignal);

  class AbortController {
    #signal = new AbortSignal(INTERNAL);

    get signal() {
      return this.#signal;
    }

    abort(reason = undefined) {
      signalAbort(this.#signal, reason);
    }
  }
  tag(AbortController, "AbortController");
  define(globalThis, "AbortController", AbortController);
});
