// The JavaScript environment of a jspkg app, on top of QuickJS's built-ins.
// Evaluated once, at build time, before the app: it is part of every snapshot
// and costs nothing at run time. `native` holds the few host functions
// (natives.rs); the returned object holds the hooks the engine calls.
//
// Provided: console (log/info/debug to stdout, error/warn to stderr, node's
// formatting), TextEncoder/TextDecoder (UTF-8), queueMicrotask,
// structuredClone, crypto.getRandomValues/randomUUID, performance.now,
// DOMException, self, navigator.userAgent. Math.random is reseeded by the
// host in every instance.
// The web classes (URL, URLSearchParams, Headers, Request, Response) are in
// web.js, evaluated right after this file with the same natives; it adds the
// HTTP world's hooks (httpRequest, httpResponse) to the object returned here.
(function (native) {
  "use strict";

  const define = (obj, name, value) =>
    Object.defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: false });

  // ------------------------------------------------------- Date setters
  // QuickJS-ng 0.14 (rquickjs-sys 0.14) returns NaN from setFullYear,
  // setHours and the other setters given a non-finite argument but leaves
  // the date as it was; the standard makes it an invalid date. date-fns-tz
  // relies on it (an unknown zone makes an Invalid Date).
  for (const name of Object.getOwnPropertyNames(Date.prototype)) {
    if (!/^set(UTC)?(Milliseconds|Seconds|Minutes|Hours|Date|Month|FullYear)$/.test(name)) continue;
    const set = Date.prototype[name];
    const fixed = {
      [name](...args) {
        const t = set.apply(this, args);
        if (t !== t) Date.prototype.setTime.call(this, NaN);
        return t;
      },
    }[name];
    Object.defineProperty(fixed, "length", { value: set.length });
    define(Date.prototype, name, fixed);
  }

  // ---------------------------------------------------------------- inspect
  // A subset of node's util.inspect, enough for console output to match
  // node's for primitives, arrays, plain objects, class instances, Map, Set,
  // Date, RegExp, errors, typed arrays and cycles.
  const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
  const BREAK_LENGTH = 80;
  const MAX_ARRAY = 100;

  function quote(s) {
    let q = "'";
    if (s.includes("'")) q = !s.includes('"') ? '"' : !s.includes("`") && !s.includes("${") ? "`" : "'";
    let out = "";
    for (const ch of s) {
      const c = ch.codePointAt(0);
      if (ch === q || ch === "\\") out += "\\" + ch;
      else if (ch === "\n") out += "\\n";
      else if (ch === "\t") out += "\\t";
      else if (ch === "\r") out += "\\r";
      else if (ch === "\b") out += "\\b";
      else if (ch === "\f") out += "\\f";
      else if (ch === "\v") out += "\\v";
      else if (c < 0x20 || c === 0x7f) out += "\\x" + c.toString(16).toUpperCase().padStart(2, "0");
      else out += ch;
    }
    return q + out + q;
  }

  function formatNumber(n) {
    return Object.is(n, -0) ? "-0" : String(n);
  }

  function formatKey(k) {
    if (typeof k === "symbol") return "[" + k.toString() + "]";
    return IDENT.test(k) ? k : quote(k);
  }

  function constructorName(obj) {
    let proto = Object.getPrototypeOf(obj);
    while (proto) {
      const d = Object.getOwnPropertyDescriptor(proto, "constructor");
      if (d && typeof d.value === "function" && d.value.name) return d.value.name;
      proto = Object.getPrototypeOf(proto);
    }
    return null;
  }

  function functionLabel(fn) {
    const src = Function.prototype.toString.call(fn);
    const isClass = src.startsWith("class");
    const kind = isClass
      ? "class"
      : fn.constructor && fn.constructor.name && fn.constructor.name !== "Function"
        ? fn.constructor.name
        : "Function";
    if (isClass) return fn.name ? `[class ${fn.name}]` : "[class (anonymous)]";
    return fn.name ? `[${kind}: ${fn.name}]` : `[${kind} (anonymous)]`;
  }

  function formatError(e, depth = 0) {
    const name = e && e.name !== undefined ? String(e.name) : "Error";
    const message = e && e.message !== undefined ? String(e.message) : "";
    const head = message ? `${name}: ${message}` : name;
    const stack = typeof e.stack === "string" ? e.stack.replace(/\s+$/, "") : "";
    const text = stack ? `${head}\n${stack}` : head;
    // The cause, as node shows it: `[cause]: ...` in braces after the stack.
    if (e && typeof e === "object" && "cause" in e && depth < 4) {
      const c = e.cause;
      const cause = c instanceof Error ? formatError(c, depth + 1) : inspect(c);
      return `${text} {\n  [cause]: ${cause.replace(/\n/g, "\n  ")}\n}`;
    }
    return text;
  }

  // Classes whose state is internal (blob.js's Blob, File, FormData): the
  // fields console.log shows for an instance, by prototype, as node shows
  // them (`Blob { size: 5, type: '' }`).
  const inspectFields = new Map();

  function inspect(value, opts) {
    const ctx = { seen: [], circular: new Map(), depth: opts && opts.depth !== undefined ? opts.depth : 2 };
    const out = formatValue(ctx, value, 0, true);
    return out;
  }

  function formatPrimitive(v, top) {
    switch (typeof v) {
      case "string":
        return top ? v : quote(v);
      case "number":
        return formatNumber(v);
      case "bigint":
        return `${v}n`;
      case "boolean":
        return String(v);
      case "undefined":
        return "undefined";
      case "symbol":
        return v.toString();
    }
    return v === null ? "null" : undefined;
  }

  function formatValue(ctx, v, level, nestedTop) {
    const prim = formatPrimitive(v, false);
    if (prim !== undefined) return prim;
    if (ctx.seen.includes(v)) {
      let id = ctx.circular.get(v);
      if (id === undefined) {
        id = ctx.circular.size + 1;
        ctx.circular.set(v, id);
      }
      return `[Circular *${id}]`;
    }
    const body = formatObject(ctx, v, level);
    const id = ctx.circular.get(v);
    return id !== undefined ? `<ref *${id}> ${body}` : body;
  }

  function ownEntries(ctx, v, level, skipIndices) {
    const out = [];
    for (const k of Reflect.ownKeys(v)) {
      if (skipIndices && typeof k === "string" && /^(0|[1-9][0-9]*)$/.test(k)) continue;
      const d = Object.getOwnPropertyDescriptor(v, k);
      if (!d || !d.enumerable) continue;
      let val;
      if (d.get && d.set) val = "[Getter/Setter]";
      else if (d.get) val = "[Getter]";
      else if (d.set) val = "[Setter]";
      else val = formatValue(ctx, d.value, level + 1);
      out.push(`${formatKey(k)}: ${val}`);
    }
    return out;
  }

  function wrap(ctx, prefix, open, entries, close, level) {
    if (entries.length === 0) return prefix ? `${prefix}${open}${close}` : `${open}${close}`;
    const start = prefix ? prefix + open : open;
    const total = entries.reduce((n, e) => n + e.length, 0) + entries.length + start.length;
    if (total + level * 2 <= BREAK_LENGTH - 8 && !entries.some((e) => e.includes("\n"))) {
      return `${start} ${entries.join(", ")} ${close}`;
    }
    const pad = " ".repeat((level + 1) * 2);
    return `${start}\n${pad}${entries.join(`,\n${pad}`)}\n${" ".repeat(level * 2)}${close}`;
  }

  function formatObject(ctx, v, level) {
    if (typeof v === "function") {
      const label = functionLabel(v);
      const extra = ownEntries(ctx, v, level, false).filter((e) => !/^(length|name|prototype):/.test(e));
      return extra.length ? wrap(ctx, label + " ", "{", extra, "}", level) : label;
    }
    if (v instanceof Date) return isNaN(v.getTime()) ? "Invalid Date" : v.toISOString();
    if (v instanceof RegExp) return RegExp.prototype.toString.call(v);
    if (v instanceof Error) return formatError(v);
    if (v instanceof Promise) return "Promise { <unknown> }";
    if (v instanceof WeakMap) return "WeakMap { <items unknown> }";
    if (v instanceof WeakSet) return "WeakSet { <items unknown> }";
    for (const Boxed of [Number, String, Boolean]) {
      if (v instanceof Boxed) return `[${Boxed.name}: ${formatPrimitive(v.valueOf(), false)}]`;
    }

    const name = constructorName(v);
    const tooDeep = level > ctx.depth;
    const fields = inspectFields.get(Object.getPrototypeOf(v));
    ctx.seen.push(v);
    try {
      if (fields !== undefined) {
        if (tooDeep) return `[${name}]`;
        const entries = Object.entries(fields(v)).map(([k, val]) => `${formatKey(k)}: ${formatValue(ctx, val, level + 1)}`);
        return wrap(ctx, `${name} `, "{", entries, "}", level);
      }
      if (Array.isArray(v)) {
        if (tooDeep) return "[Array]";
        const entries = [];
        let holes = 0;
        const n = Math.min(v.length, MAX_ARRAY);
        const flushHoles = () => {
          if (holes) entries.push(`<${holes} empty item${holes > 1 ? "s" : ""}>`);
          holes = 0;
        };
        for (let i = 0; i < n; i++) {
          if (!Object.prototype.hasOwnProperty.call(v, i)) {
            holes++;
            continue;
          }
          flushHoles();
          entries.push(formatValue(ctx, v[i], level + 1));
        }
        flushHoles();
        if (v.length > MAX_ARRAY) entries.push(`... ${v.length - MAX_ARRAY} more item${v.length - MAX_ARRAY > 1 ? "s" : ""}`);
        entries.push(...ownEntries(ctx, v, level, true).filter((e) => !e.startsWith("length:")));
        const prefix = name !== "Array" ? `${name}(${v.length}) ` : "";
        return wrap(ctx, prefix, "[", entries, "]", level);
      }
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
        if (tooDeep) return `[${name}]`;
        const entries = [];
        const n = Math.min(v.length, MAX_ARRAY);
        for (let i = 0; i < n; i++) entries.push(formatPrimitive(v[i], false));
        if (v.length > MAX_ARRAY) entries.push(`... ${v.length - MAX_ARRAY} more item${v.length - MAX_ARRAY > 1 ? "s" : ""}`);
        return wrap(ctx, `${name}(${v.length}) `, "[", entries, "]", level);
      }
      if (v instanceof Map) {
        if (tooDeep) return "[Map]";
        const entries = [];
        for (const [k, val] of v) entries.push(`${formatValue(ctx, k, level + 1)} => ${formatValue(ctx, val, level + 1)}`);
        return wrap(ctx, `${name}(${v.size}) `, "{", entries, "}", level);
      }
      if (v instanceof Set) {
        if (tooDeep) return "[Set]";
        const entries = [];
        for (const val of v) entries.push(formatValue(ctx, val, level + 1));
        return wrap(ctx, `${name}(${v.size}) `, "{", entries, "}", level);
      }
      if (v instanceof ArrayBuffer) {
        const bytes = Array.from(new Uint8Array(v).subarray(0, 50), (b) => b.toString(16).padStart(2, "0"));
        return `ArrayBuffer { [Uint8Contents]: <${bytes.join(" ")}${v.byteLength > 50 ? " ..." : ""}>, byteLength: ${v.byteLength} }`;
      }
      const prefix = name === null ? "[Object: null prototype] " : name !== "Object" ? `${name} ` : "";
      if (tooDeep) return `[${name === null ? "Object: null prototype" : name}]`;
      return wrap(ctx, prefix, "{", ownEntries(ctx, v, level, false), "}", level);
    } finally {
      ctx.seen.pop();
    }
  }

  // node's util.format: %s %d %i %f %j %o %O %c %% in a leading string.
  function format(args) {
    let first = 0;
    let out = "";
    if (typeof args[0] === "string" && args.length > 1 && args[0].includes("%")) {
      const fmt = args[0];
      let a = 1;
      let last = 0;
      for (let i = 0; i < fmt.length - 1; i++) {
        if (fmt[i] !== "%") continue;
        const c = fmt[i + 1];
        if (c === "%") {
          out += fmt.slice(last, i) + "%";
          last = i + 2;
          i++;
          continue;
        }
        if (a >= args.length || !"sdifjoOc".includes(c)) continue;
        const arg = args[a++];
        let rep;
        switch (c) {
          case "s":
            rep = typeof arg === "string" ? arg : typeof arg === "bigint" ? `${arg}n` : typeof arg === "object" && arg !== null ? inspect(arg, { depth: 1 }) : formatPrimitive(arg, true) ?? String(arg);
            break;
          case "d":
          case "i":
            rep = typeof arg === "bigint" ? `${arg}n` : typeof arg === "symbol" ? "NaN" : formatNumber(c === "i" ? parseInt(arg) : Number(arg));
            break;
          case "f":
            rep = typeof arg === "symbol" ? "NaN" : formatNumber(parseFloat(arg));
            break;
          case "j":
            try {
              rep = JSON.stringify(arg);
            } catch {
              rep = "[Circular]";
            }
            break;
          case "o":
          case "O":
            rep = inspect(arg, { depth: c === "o" ? 4 : 2 });
            break;
          case "c":
            rep = "";
            break;
        }
        out += fmt.slice(last, i) + rep;
        last = i + 2;
        i++;
      }
      out += fmt.slice(last);
      first = a;
    } else if (args.length > 0) {
      out = typeof args[0] === "string" ? args[0] : inspect(args[0]);
      first = 1;
    }
    for (let i = first; i < args.length; i++) {
      const v = args[i];
      out += " " + (typeof v === "string" ? v : inspect(v));
    }
    return out;
  }

  // ---------------------------------------------------------------- console
  const counts = new Map();
  const timers = new Map();
  let groupIndent = "";
  const emit = (write) => (...args) => {
    let text = format(args);
    if (groupIndent) text = groupIndent + text.split("\n").join("\n" + groupIndent);
    write(text + "\n");
  };
  const out = emit(native.writeOut);
  const err = emit(native.writeErr);
  const console = {
    log: out,
    info: out,
    debug: out,
    error: err,
    warn: err,
    trace: (...args) => err("Trace: " + format(args) + "\n" + (new Error().stack || "").replace(/\s+$/, "")),
    dir: (v, opts) => native.writeOut(inspect(v, opts) + "\n"),
    assert: (cond, ...args) => {
      if (!cond) err(args.length ? "Assertion failed: " + format(args) : "Assertion failed");
    },
    count: (label = "default") => {
      const n = (counts.get(label) || 0) + 1;
      counts.set(label, n);
      out(`${label}: ${n}`);
    },
    countReset: (label = "default") => counts.delete(label),
    time: (label = "default") => timers.set(label, performance.now()),
    timeEnd: (label = "default") => {
      const t = timers.get(label);
      if (t !== undefined) out(`${label}: ${(performance.now() - t).toFixed(3)}ms`);
      timers.delete(label);
    },
    timeLog: (label = "default", ...rest) => {
      const t = timers.get(label);
      if (t !== undefined) out(`${label}: ${(performance.now() - t).toFixed(3)}ms`, ...rest);
    },
    group: (...label) => {
      if (label.length) out(...label);
      groupIndent += "  ";
    },
    groupEnd: () => {
      groupIndent = groupIndent.slice(2);
    },
    table: (v) => out(v),
  };
  define(globalThis, "console", console);

  // ---------------------------------------------------------- DOMException
  // The legacy codes (WebIDL's table): `code` of the names that have one, 0
  // for the others; the constants on the constructor.
  const DOM_CODES = [
    ["IndexSizeError", "INDEX_SIZE_ERR", 1], [null, "DOMSTRING_SIZE_ERR", 2],
    ["HierarchyRequestError", "HIERARCHY_REQUEST_ERR", 3], ["WrongDocumentError", "WRONG_DOCUMENT_ERR", 4],
    ["InvalidCharacterError", "INVALID_CHARACTER_ERR", 5], [null, "NO_DATA_ALLOWED_ERR", 6],
    ["NoModificationAllowedError", "NO_MODIFICATION_ALLOWED_ERR", 7], ["NotFoundError", "NOT_FOUND_ERR", 8],
    ["NotSupportedError", "NOT_SUPPORTED_ERR", 9], ["InUseAttributeError", "INUSE_ATTRIBUTE_ERR", 10],
    ["InvalidStateError", "INVALID_STATE_ERR", 11], ["SyntaxError", "SYNTAX_ERR", 12],
    ["InvalidModificationError", "INVALID_MODIFICATION_ERR", 13], ["NamespaceError", "NAMESPACE_ERR", 14],
    ["InvalidAccessError", "INVALID_ACCESS_ERR", 15], [null, "VALIDATION_ERR", 16],
    ["TypeMismatchError", "TYPE_MISMATCH_ERR", 17], ["SecurityError", "SECURITY_ERR", 18],
    ["NetworkError", "NETWORK_ERR", 19], ["AbortError", "ABORT_ERR", 20], ["URLMismatchError", "URL_MISMATCH_ERR", 21],
    ["QuotaExceededError", "QUOTA_EXCEEDED_ERR", 22], ["TimeoutError", "TIMEOUT_ERR", 23],
    ["InvalidNodeTypeError", "INVALID_NODE_TYPE_ERR", 24], ["DataCloneError", "DATA_CLONE_ERR", 25],
  ];
  const CODE_OF = new Map(DOM_CODES.filter(([name]) => name !== null).map(([name, , code]) => [name, code]));
  class DOMException extends Error {
    // `options` is a name, or `{ name, cause }` as in node.
    constructor(message = "", options = "Error") {
      super(message);
      const isOptions = options !== null && typeof options === "object";
      define(this, "name", String(isOptions ? (options.name ?? "Error") : options));
      if (isOptions && "cause" in options) define(this, "cause", options.cause);
    }
    get code() {
      return CODE_OF.get(this.name) ?? 0;
    }
  }
  for (const [, constant, code] of DOM_CODES) Object.defineProperty(DOMException, constant, { value: code, enumerable: true });
  Object.defineProperty(DOMException.prototype, Symbol.toStringTag, { value: "DOMException", configurable: true });
  define(globalThis, "DOMException", DOMException);

  // ------------------------------------------------------------ encodings
  const UTF8_LABELS = ["utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8"];

  function bytesOf(input) {
    if (input === undefined) return new Uint8Array(0);
    if (input instanceof ArrayBuffer) return new Uint8Array(input);
    if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    throw new TypeError("The \"input\" argument must be an instance of ArrayBuffer or ArrayBufferView");
  }

  class TextEncoder {
    get encoding() {
      return "utf-8";
    }
    encode(input = "") {
      return native.utf8Encode(String(input));
    }
    encodeInto(input, dest) {
      return encodeInto(String(input), dest);
    }
  }

  function encodeInto(s, dest) {
    let read = 0;
    let written = 0;
    const cap = dest.length;
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      let units = 1;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          units = 2;
        }
      }
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // lone surrogate
      const need = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
      if (written + need > cap) break;
      if (need === 1) dest[written++] = c;
      else if (need === 2) {
        dest[written++] = 0xc0 | (c >> 6);
        dest[written++] = 0x80 | (c & 0x3f);
      } else if (need === 3) {
        dest[written++] = 0xe0 | (c >> 12);
        dest[written++] = 0x80 | ((c >> 6) & 0x3f);
        dest[written++] = 0x80 | (c & 0x3f);
      } else {
        dest[written++] = 0xf0 | (c >> 18);
        dest[written++] = 0x80 | ((c >> 12) & 0x3f);
        dest[written++] = 0x80 | ((c >> 6) & 0x3f);
        dest[written++] = 0x80 | (c & 0x3f);
      }
      read += units;
      i += units - 1;
    }
    return { read, written };
  }

  class TextDecoder {
    #fatal;
    #ignoreBOM;
    #pending = [];
    #bomSeen = false;
    constructor(label = "utf-8", options = {}) {
      if (!UTF8_LABELS.includes(String(label).trim().toLowerCase())) {
        throw new RangeError(`The "${label}" encoding is not supported`);
      }
      this.#fatal = Boolean(options && options.fatal);
      this.#ignoreBOM = Boolean(options && options.ignoreBOM);
    }
    get encoding() {
      return "utf-8";
    }
    get fatal() {
      return this.#fatal;
    }
    get ignoreBOM() {
      return this.#ignoreBOM;
    }
    decode(input, options = {}) {
      const stream = Boolean(options && options.stream);
      let bytes = bytesOf(input);
      if (this.#pending.length) {
        const joined = new Uint8Array(this.#pending.length + bytes.length);
        joined.set(this.#pending);
        joined.set(bytes, this.#pending.length);
        bytes = joined;
        this.#pending = [];
      }
      let start = 0;
      if (!this.#bomSeen && !this.#ignoreBOM) {
        if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
        else if (stream && bytes.length < 3 && [0xef, 0xbb].slice(0, bytes.length).every((b, i) => bytes[i] === b)) {
          this.#pending = Array.from(bytes);
          return "";
        }
      }
      if (bytes.length > 0) this.#bomSeen = true;
      const { text, rest } = decodeUtf8(bytes, start, stream, this.#fatal);
      this.#pending = rest;
      if (!stream) this.#bomSeen = false;
      return text;
    }
  }

  // The text of bytes[start..] and the bytes held back for the next chunk
  // (natives.rs: `utf8Decode`).
  function decodeUtf8(bytes, start, stream, fatal) {
    const [text, rest] = native.utf8Decode(bytes, start, stream, fatal);
    if (text === null) throw new TypeError("The encoded data was not valid for encoding utf-8");
    return { text, rest: rest === 0 ? [] : Array.from(bytes.subarray(bytes.length - rest)) };
  }

  define(globalThis, "TextEncoder", TextEncoder);
  define(globalThis, "TextDecoder", TextDecoder);

  // ------------------------------------------------------- queueMicrotask
  define(globalThis, "queueMicrotask", function queueMicrotask(callback) {
    if (typeof callback !== "function") {
      throw new TypeError('The "callback" argument must be of type function');
    }
    Promise.resolve().then(() => callback());
  });

  // ------------------------------------------------------ structuredClone
  const ERROR_TYPES = { Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError };
  // Clones of platform objects (blob.js's Blob and File): each returns the
  // copy, or undefined for a value it does not know.
  const cloners = [];

  function structuredClone(value) {
    const memo = new Map();
    const uncloneable = (v) => {
      const what = typeof v === "function" ? Function.prototype.toString.call(v) : typeof v === "symbol" ? v.toString() : String(v);
      return new DOMException(`${what} could not be cloned.`, "DataCloneError");
    };
    const clone = (v) => {
      if (typeof v === "function" || typeof v === "symbol") throw uncloneable(v);
      if (typeof v !== "object" || v === null) return v;
      if (memo.has(v)) return memo.get(v);
      let out;
      if (Array.isArray(v)) {
        out = new Array(v.length);
        memo.set(v, out);
        for (const k of Object.keys(v)) out[k] = clone(v[k]);
        return out;
      }
      if (v instanceof Date) out = new Date(v.getTime());
      else if (v instanceof RegExp) out = new RegExp(v.source, v.flags);
      else if (v instanceof Number || v instanceof String || v instanceof Boolean || (typeof BigInt === "function" && v instanceof Object && Object.prototype.toString.call(v) === "[object BigInt]")) out = Object(v.valueOf());
      else if (v instanceof ArrayBuffer) out = v.slice(0);
      else if (ArrayBuffer.isView(v)) {
        const buffer = clone(v.buffer);
        const Ctor = v.constructor;
        out = v instanceof DataView ? new DataView(buffer, v.byteOffset, v.byteLength) : new Ctor(buffer, v.byteOffset, v.length);
      } else if (v instanceof Map) {
        out = new Map();
        memo.set(v, out);
        for (const [k, val] of v) out.set(clone(k), clone(val));
        return out;
      } else if (v instanceof Set) {
        out = new Set();
        memo.set(v, out);
        for (const val of v) out.add(clone(val));
        return out;
      } else if (v instanceof Error) {
        const Ctor = ERROR_TYPES[v.name] || Error;
        out = Object.create(Ctor.prototype);
        memo.set(v, out);
        if (v.message !== undefined) define(out, "message", String(v.message));
        if (v.stack !== undefined) define(out, "stack", String(v.stack));
        if ("cause" in v) define(out, "cause", clone(v.cause));
        return out;
      } else if (v instanceof WeakMap || v instanceof WeakSet || v instanceof Promise) {
        throw uncloneable(v);
      } else if ((out = cloners.reduce((found, c) => found ?? c(v), undefined)) !== undefined) {
        // a platform object, copied by its cloner
      } else {
        out = {};
        memo.set(v, out);
        for (const k of Object.keys(v)) out[k] = clone(v[k]);
        return out;
      }
      memo.set(v, out);
      return out;
    };
    if (arguments.length === 0) throw new TypeError("The \"value\" argument must be specified");
    return clone(value);
  }
  define(globalThis, "structuredClone", structuredClone);

  // ----------------------------------------------------------- randomness
  define(Math, "random", function random() {
    return native.random();
  });
  const INTEGER_ARRAYS = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, BigInt64Array, BigUint64Array];
  const crypto = {
    getRandomValues(array) {
      if (!INTEGER_ARRAYS.some((T) => array instanceof T)) {
        throw new DOMException("The data argument must be an integer-type TypedArray", "TypeMismatchError");
      }
      if (array.byteLength > 65536) {
        throw new DOMException(`The ArrayBufferView's byte length (${array.byteLength}) exceeds the number of bytes of entropy available via this API (65536)`, "QuotaExceededError");
      }
      const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
      for (let i = 0; i < bytes.length; i += 4) {
        let r = native.randomU32();
        for (let j = i; j < i + 4 && j < bytes.length; j++, r >>>= 8) bytes[j] = r & 0xff;
      }
      return array;
    },
    randomUUID() {
      const b = crypto.getRandomValues(new Uint8Array(16));
      b[6] = (b[6] & 0x0f) | 0x40;
      b[8] = (b[8] & 0x3f) | 0x80;
      const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
  };
  define(globalThis, "crypto", crypto);

  // ---------------------------------------------------------- performance
  // The time origin is the start of the instance's call, never build time.
  let timeOrigin = native.nowMs();
  const performance = {
    now: () => native.nowMs() - timeOrigin,
    get timeOrigin() {
      return timeOrigin;
    },
  };
  define(globalThis, "performance", performance);

  // ------------------------------------------------- self and navigator
  // WinterTC's `self` (globalThis itself, as in a worker) and
  // `navigator.userAgent` ("jspkg/VERSION", the engine's, as Workers say
  // "Cloudflare-Workers" and Deno "Deno/VERSION").
  define(globalThis, "self", globalThis);
  const userAgent = native.userAgent;
  class Navigator {
    constructor() {
      throw new TypeError("Illegal constructor");
    }
    get userAgent() {
      return userAgent;
    }
  }
  Object.defineProperty(Navigator.prototype, "userAgent", { enumerable: true });
  Object.defineProperty(Navigator.prototype, Symbol.toStringTag, { value: "Navigator", configurable: true });
  define(globalThis, "Navigator", Navigator);
  const navigator = Object.create(Navigator.prototype);
  define(globalThis, "navigator", navigator);

  // ---------------------------------------------------------------- hooks
  return {
    inspect,
    inspectFields,
    cloners,
    beforeRun() {
      timeOrigin = native.nowMs();
    },
    formatUncaught(e) {
      if (e instanceof Error) return "Uncaught " + formatError(e);
      return "Uncaught " + inspect(e);
    },
  };
});
