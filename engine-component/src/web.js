// The web classes of a jspkg app: URL, URLSearchParams, Headers, Request and
// Response, globals in every world. Evaluated once, at build time, right
// after prelude.js and before the app, with the same natives (natives.rs,
// url_natives.rs) and the hooks object prelude.js returned, to which it adds
// the two hooks of the HTTP world: `httpRequest` (an incoming request as a
// Request) and `httpResponse` (the app's Response as status, headers, body).
// Apps never see the natives nor the hooks.
//
// URL parsing is the Rust `url` crate's (WHATWG URL Standard), not
// JavaScript's. A body is bytes (a Uint8Array inside) or a ReadableStream
// (streams.js); bytes become a stream only when the app asks for `body`.
// Blob, File and FormData are blob.js's, run right after this file: it
// fills in `bodyKinds` (hooks.bodyKinds), which `extract`, `blob()` and
// `formData()` call.
(function (native, hooks) {
  "use strict";

  const define = (obj, name, value) =>
    Object.defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: false });
  const tag = (Class, name) =>
    Object.defineProperty(Class.prototype, Symbol.toStringTag, { value: name, configurable: true });

  // Captured now: an app replacing the globals later does not change these.
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const EMPTY = new Uint8Array(0);

  // WebIDL's USVString: a string with lone surrogates replaced by U+FFFD.
  const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
  function usv(value) {
    const s = String(value);
    return /[\ud800-\udfff]/.test(s) ? s.replace(LONE_SURROGATE, "\ufffd") : s;
  }

  // WebIDL's ByteString: every code unit must be 0-255.
  function byteString(value) {
    const s = String(value);
    // The check is native (a scan of QuickJS's own bytes); the loop below
    // only finds the index for the message.
    if (native.isByteString(s)) return s;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 255) {
        throw new TypeError(
          `Cannot convert argument to a ByteString because the character at index ${i} has a value of ${c} which is greater than 255.`,
        );
      }
    }
    return s;
  }

  function requireArgs(given, needed, where) {
    if (given < needed) {
      const only = given > 0 ? " only" : "";
      throw new TypeError(`${where}: ${needed} argument${needed > 1 ? "s" : ""} required, but${only} ${given} found.`);
    }
  }

  function missingArgs(names) {
    const e = new TypeError(`The ${names.map((n) => `"${n}"`).join(" and ")} argument${names.length > 1 ? "s" : ""} must be specified`);
    e.code = "ERR_MISSING_ARGS";
    return e;
  }

  // node's ERR_INVALID_ARG_TYPE for an argument that must be a function.
  function notAFunction(name, v) {
    let received;
    if (v === null || v === undefined) received = `Received ${v}`;
    else if (typeof v === "object") received = "Received an instance of " + (v.constructor?.name || "Object");
    else if (typeof v === "string") received = `Received type string ('${v.length > 25 ? v.slice(0, 25) + "..." : v}')`;
    else received = `Received type ${typeof v} (${typeof v === "bigint" ? v + "n" : String(v)})`;
    const e = new TypeError(`The "${name}" argument must be of type function. ${received}`);
    e.code = "ERR_INVALID_ARG_TYPE";
    return e;
  }

  function isObject(v) {
    return (typeof v === "object" && v !== null) || typeof v === "function";
  }

  // An iterator object over a live list, as the WebIDL iterable declarations
  // make: `at(i)` is the i-th entry now, or undefined past the end.
  function makeIterator(proto, at) {
    let i = 0;
    const it = Object.create(proto);
    define(it, "next", function next() {
      const value = at(i);
      if (value === undefined) return { value: undefined, done: true };
      i++;
      return { value, done: false };
    });
    return it;
  }
  const ArrayIteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
  function iteratorPrototype(name) {
    const proto = Object.create(ArrayIteratorPrototype);
    Object.defineProperty(proto, Symbol.toStringTag, { value: `${name} Iterator`, configurable: true });
    return proto;
  }

  // ------------------------------------------------------ URLSearchParams
  // Parsing and serializing application/x-www-form-urlencoded is the Rust
  // `form_urlencoded` crate's (url's own): its percent-decoding and its
  // lossy UTF-8 decoding of the bytes are the standard's, and it is already
  // in the engine for the URL parser, so a JavaScript copy would only add
  // code to get right.
  function parseQuery(query) {
    if (query === "") return [];
    const flat = native.formParse(query);
    const list = [];
    for (let i = 0; i < flat.length; i += 2) list.push([flat[i], flat[i + 1]]);
    return list;
  }

  function serializeQuery(list) {
    if (list.length === 0) return "";
    return native.formSerialize(list.flat());
  }

  const ParamsIterator = iteratorPrototype("URLSearchParams");
  let paramsOf; // (params) => its list; set by URLSearchParams's static block
  let attachParams; // (params, onUpdate) => void

  class URLSearchParams {
    #list = [];
    // The URL object whose query this is: called with the new query after
    // every change of the list.
    #onUpdate = null;

    constructor(init = undefined) {
      if (init === undefined || init === null) return;
      if (init instanceof URLSearchParams) {
        this.#list = init.#list.map(([n, v]) => [n, v]);
      } else if (isObject(init)) {
        const method = init[Symbol.iterator];
        if (method !== undefined && method !== null) {
          if (typeof method !== "function") throw new TypeError("Query pairs must be iterable");
          for (const pair of init) {
            if (!isObject(pair) || typeof pair[Symbol.iterator] !== "function") throw invalidTuple();
            const p = [...pair];
            if (p.length !== 2) throw invalidTuple();
            this.#list.push([usv(p[0]), usv(p[1])]);
          }
        } else {
          for (const key of Reflect.ownKeys(init)) {
            const d = Reflect.getOwnPropertyDescriptor(init, key);
            if (d === undefined || !d.enumerable) continue;
            this.#list.push([usv(key), usv(init[key])]);
          }
        }
      } else {
        let s = usv(init);
        if (s.startsWith("?")) s = s.slice(1);
        this.#list = parseQuery(s);
      }
    }

    static {
      paramsOf = (p) => p.#list;
      attachParams = (p, onUpdate) => {
        p.#onUpdate = onUpdate;
      };
    }

    #update() {
      if (this.#onUpdate !== null) this.#onUpdate(serializeQuery(this.#list));
    }

    get size() {
      return this.#list.length;
    }

    append(name, value) {
      if (arguments.length < 2) throw missingArgs(["name", "value"]);
      this.#list.push([usv(name), usv(value)]);
      this.#update();
    }

    delete(name, value = undefined) {
      if (arguments.length < 1) throw missingArgs(["name"]);
      name = usv(name);
      if (value === undefined) this.#list = this.#list.filter(([n]) => n !== name);
      else {
        value = usv(value);
        this.#list = this.#list.filter(([n, v]) => n !== name || v !== value);
      }
      this.#update();
    }

    get(name) {
      if (arguments.length < 1) throw missingArgs(["name"]);
      name = usv(name);
      const pair = this.#list.find(([n]) => n === name);
      return pair === undefined ? null : pair[1];
    }

    getAll(name) {
      if (arguments.length < 1) throw missingArgs(["name"]);
      name = usv(name);
      return this.#list.filter(([n]) => n === name).map(([, v]) => v);
    }

    has(name, value = undefined) {
      if (arguments.length < 1) throw missingArgs(["name"]);
      name = usv(name);
      if (value === undefined) return this.#list.some(([n]) => n === name);
      value = usv(value);
      return this.#list.some(([n, v]) => n === name && v === value);
    }

    set(name, value) {
      if (arguments.length < 2) throw missingArgs(["name", "value"]);
      name = usv(name);
      value = usv(value);
      const i = this.#list.findIndex(([n]) => n === name);
      if (i < 0) this.#list.push([name, value]);
      else {
        this.#list[i][1] = value;
        this.#list = this.#list.filter(([n], j) => j <= i || n !== name);
      }
      this.#update();
    }

    sort() {
      // Array.prototype.sort is stable; `<` compares code units, as the
      // standard asks.
      this.#list.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      this.#update();
    }

    forEach(callback, thisArg = undefined) {
      if (typeof callback !== "function") throw notAFunction("callback", callback);
      for (let i = 0; i < this.#list.length; i++) {
        const [n, v] = this.#list[i];
        callback.call(thisArg, v, n, this);
      }
    }

    keys() {
      const list = () => this.#list;
      return makeIterator(ParamsIterator, (i) => (i < list().length ? list()[i][0] : undefined));
    }

    values() {
      const list = () => this.#list;
      return makeIterator(ParamsIterator, (i) => (i < list().length ? list()[i][1] : undefined));
    }

    entries() {
      const list = () => this.#list;
      return makeIterator(ParamsIterator, (i) => (i < list().length ? [list()[i][0], list()[i][1]] : undefined));
    }

    toString() {
      return serializeQuery(this.#list);
    }
  }
  define(URLSearchParams.prototype, Symbol.iterator, URLSearchParams.prototype.entries);
  tag(URLSearchParams, "URLSearchParams");

  function invalidTuple() {
    const e = new TypeError("Each query pair must be an iterable [name, value] tuple");
    e.code = "ERR_INVALID_TUPLE";
    return e;
  }

  // ------------------------------------------------------------------ URL
  // A URL is its components as the `url` crate computes them (url_natives.rs):
  const HREF = 0, ORIGIN = 1, PROTOCOL = 2, USERNAME = 3, PASSWORD = 4, HOST = 5,
    HOSTNAME = 6, PORT = 7, PATHNAME = 8, SEARCH = 9, HASH = 10;

  // The components of `url` (against `base`), or null if it is not valid.
  function parseURL(url, base) {
    return native.urlParse(usv(url), base === undefined ? undefined : usv(base));
  }

  function invalidURL(input, base) {
    const e = new TypeError("Invalid URL");
    e.code = "ERR_INVALID_URL";
    e.input = String(input);
    if (base !== undefined) e.base = String(base);
    return e;
  }

  class URL {
    #c;
    #params = null;

    constructor(url, base = undefined) {
      if (arguments.length < 1) throw missingArgs(["url"]);
      const c = parseURL(url, base);
      if (c == null) throw invalidURL(url, base);
      this.#c = c;
    }

    static canParse(url, base = undefined) {
      if (arguments.length < 1) throw missingArgs(["url"]);
      return parseURL(url, base) != null;
    }

    static parse(url, base = undefined) {
      if (arguments.length < 1) throw missingArgs(["url"]);
      return parseURL(url, base) == null ? null : new URL(url, base);
    }

    // A setter: `which` of the URL set to `value`, by the url crate.
    #set(which, value) {
      const c = native.urlSet(this.#c[HREF], which, usv(value));
      if (c == null) throw invalidURL(value);
      const searchChanged = c[SEARCH] !== this.#c[SEARCH];
      this.#c = c;
      if (this.#params !== null && (searchChanged || which === "href" || which === "search")) {
        const list = paramsOf(this.#params);
        list.length = 0;
        list.push(...parseQuery(c[SEARCH].slice(1)));
      }
    }

    get href() {
      return this.#c[HREF];
    }
    set href(v) {
      this.#set("href", v);
    }
    get origin() {
      return this.#c[ORIGIN];
    }
    get protocol() {
      return this.#c[PROTOCOL];
    }
    set protocol(v) {
      this.#set("protocol", v);
    }
    get username() {
      return this.#c[USERNAME];
    }
    set username(v) {
      this.#set("username", v);
    }
    get password() {
      return this.#c[PASSWORD];
    }
    set password(v) {
      this.#set("password", v);
    }
    get host() {
      return this.#c[HOST];
    }
    set host(v) {
      this.#set("host", v);
    }
    get hostname() {
      return this.#c[HOSTNAME];
    }
    set hostname(v) {
      this.#set("hostname", v);
    }
    get port() {
      return this.#c[PORT];
    }
    set port(v) {
      this.#set("port", v);
    }
    get pathname() {
      return this.#c[PATHNAME];
    }
    set pathname(v) {
      this.#set("pathname", v);
    }
    get search() {
      return this.#c[SEARCH];
    }
    set search(v) {
      this.#set("search", v);
    }
    get hash() {
      return this.#c[HASH];
    }
    set hash(v) {
      this.#set("hash", v);
    }

    // Made on first use, then kept in step both ways: a change of the list
    // sets the URL's query, a change of the URL's query replaces the list.
    get searchParams() {
      if (this.#params === null) {
        const params = new URLSearchParams(this.#c[SEARCH]);
        attachParams(params, (query) => {
          this.#c = native.urlSet(this.#c[HREF], "search", query);
        });
        this.#params = params;
      }
      return this.#params;
    }

    toString() {
      return this.#c[HREF];
    }

    toJSON() {
      return this.#c[HREF];
    }
  }
  tag(URL, "URL");

  define(globalThis, "URLSearchParams", URLSearchParams);
  define(globalThis, "URL", URL);

  // -------------------------------------------------------------- Headers
  const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  const HTTP_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;
  const isWhitespace = (c) => c === 32 || c === 9 || c === 10 || c === 13;
  // Without leading and trailing HTTP whitespace; the regular expression
  // runs only when there is some (hosts trim values, apps rarely pad them).
  function trimWhitespace(v) {
    const padded = v.length > 0 && (isWhitespace(v.charCodeAt(0)) || isWhitespace(v.charCodeAt(v.length - 1)));
    return padded ? v.replace(HTTP_WHITESPACE, "") : v;
  }
  const INVALID_VALUE = /[\0\n\r]/;

  // A header (name, value) as the Headers methods take them: ByteStrings,
  // the value stripped of leading and trailing whitespace, both checked.
  function headerName(name, where) {
    name = byteString(name);
    if (!TOKEN.test(name)) throw new TypeError(`${where}: "${name}" is an invalid header name.`);
    return name.toLowerCase();
  }

  function headerValue(value, where) {
    value = trimWhitespace(byteString(value));
    if (INVALID_VALUE.test(value)) throw new TypeError(`${where}: "${value}" is an invalid header value.`);
    return value;
  }

  const HeadersIterator = iteratorPrototype("Headers");
  let headersAppend; // (headers, name, value) => void: append, not the app's
  let headersAppendTrusted; // (headers, [name, value, ...]) => void, names valid
  let headersHasTrusted; // (headers, lower-case name) => whether it is there
  let headersPushTrusted; // (headers, lower-case name, valid value) => void
  let headersEntries; // (headers) => the sorted and combined [name, value] list
  let headersCopy; // (headers) => a Headers with the same list and guard
  let headersFreeze; // (headers) => void: its guard becomes "immutable"

  class Headers {
    // [lower-case name, value] in insertion order.
    #list = [];
    // The sorted and combined list, until the next change.
    #sorted = null;
    #immutable = false;

    constructor(init = undefined) {
      if (init !== undefined) fill(this, init);
    }

    static {
      headersAppend = (h, name, value) => h.#append(name, value);
      // From the host: names valid, values byte strings, alternating in
      // one flat list; an indexed loop, as it runs in the interpreter.
      headersAppendTrusted = (h, flat) => {
        const list = h.#list;
        for (let i = 0; i + 1 < flat.length; i += 2) list.push([flat[i].toLowerCase(), trimWhitespace(flat[i + 1])]);
        h.#sorted = null;
      };
      headersHasTrusted = (h, n) => {
        const list = h.#list;
        for (let i = 0; i < list.length; i++) if (list[i][0] === n) return true;
        return false;
      };
      headersPushTrusted = (h, n, v) => {
        if (h.#immutable) throw new TypeError("immutable");
        h.#list.push([n, v]);
        h.#sorted = null;
      };
      headersEntries = (h) => h.#entries();
      headersCopy = (h) => {
        const copy = new Headers();
        copy.#list = h.#list.map(([n, v]) => [n, v]);
        copy.#immutable = h.#immutable;
        return copy;
      };
      headersFreeze = (h) => {
        h.#immutable = true;
      };
    }

    #change() {
      if (this.#immutable) throw new TypeError("immutable");
      this.#sorted = null;
    }

    // The standard's "sort and combine": by name; the values of one name
    // joined by ", ", except set-cookie's, which stay separate.
    #entries() {
      if (this.#sorted !== null) return this.#sorted;
      if (this.#list.length < 2) {
        // Nothing to sort or combine (most responses have one header). The
        // pairs are shared: neither list changes a pair in place.
        this.#sorted = this.#list.slice();
        return this.#sorted;
      }
      const byName = new Map();
      for (const [n, v] of this.#list) {
        const values = byName.get(n);
        if (values === undefined) byName.set(n, [v]);
        else values.push(v);
      }
      const names = [...byName.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const out = [];
      for (const n of names) {
        if (n === "set-cookie") for (const v of byName.get(n)) out.push([n, v]);
        else out.push([n, byName.get(n).join(", ")]);
      }
      this.#sorted = out;
      return out;
    }

    append(name, value) {
      requireArgs(arguments.length, 2, "Headers.append");
      this.#append(name, value);
    }

    #append(name, value) {
      const n = headerName(name, "Headers.append");
      const v = headerValue(value, "Headers.append");
      this.#change();
      this.#list.push([n, v]);
    }

    delete(name) {
      requireArgs(arguments.length, 1, "Headers.delete");
      const n = headerName(name, "Headers.delete");
      this.#change();
      this.#list = this.#list.filter(([m]) => m !== n);
    }

    get(name) {
      requireArgs(arguments.length, 1, "Headers.get");
      const n = headerName(name, "Headers.get");
      const values = this.#list.filter(([m]) => m === n).map(([, v]) => v);
      return values.length === 0 ? null : values.join(", ");
    }

    getSetCookie() {
      return this.#list.filter(([m]) => m === "set-cookie").map(([, v]) => v);
    }

    has(name) {
      requireArgs(arguments.length, 1, "Headers.has");
      const n = headerName(name, "Headers.has");
      return this.#list.some(([m]) => m === n);
    }

    set(name, value) {
      requireArgs(arguments.length, 2, "Headers.set");
      const n = headerName(name, "Headers.set");
      const v = headerValue(value, "Headers.set");
      this.#change();
      const i = this.#list.findIndex(([m]) => m === n);
      if (i < 0) this.#list.push([n, v]);
      else {
        this.#list[i] = [n, v];
        this.#list = this.#list.filter(([m], j) => j <= i || m !== n);
      }
    }

    forEach(callback, thisArg = undefined) {
      if (typeof callback !== "function") {
        throw new TypeError("Failed to execute 'forEach' on 'Headers': parameter 1 is not of type 'Function'.");
      }
      for (let i = 0; i < this.#entries().length; i++) {
        const [n, v] = this.#entries()[i];
        callback.call(thisArg, v, n, this);
      }
    }

    keys() {
      return makeIterator(HeadersIterator, (i) => this.#entries()[i]?.[0]);
    }

    values() {
      return makeIterator(HeadersIterator, (i) => this.#entries()[i]?.[1]);
    }

    entries() {
      return makeIterator(HeadersIterator, (i) => {
        const e = this.#entries()[i];
        return e === undefined ? undefined : [e[0], e[1]];
      });
    }
  }
  define(Headers.prototype, Symbol.iterator, Headers.prototype.entries);
  tag(Headers, "Headers");

  // Fills `headers` from a HeadersInit: a Headers, an iterable of pairs, or a
  // record of names to values.
  function fill(headers, init) {
    if (!isObject(init)) {
      throw new TypeError(
        "Headers constructor: Argument 1 could not be converted to one of: sequence<sequence<ByteString>>, record<ByteString, ByteString>.",
      );
    }
    const method = init[Symbol.iterator];
    if (method !== undefined && method !== null) {
      if (typeof method !== "function") throw new TypeError("Headers constructor: init is not iterable.");
      let i = 0;
      for (const pair of init) {
        if (!isObject(pair) || typeof pair[Symbol.iterator] !== "function") {
          throw new TypeError(`Headers constructor: init[${i}] (${String(pair)}) is not iterable.`);
        }
        const p = [...pair];
        if (p.length !== 2) {
          throw new TypeError(`Headers constructor: expected name/value pair to be length 2, found ${p.length}.`);
        }
        headersAppend(headers, p[0], p[1]);
        i++;
      }
    } else {
      for (const key of Reflect.ownKeys(init)) {
        const d = Reflect.getOwnPropertyDescriptor(init, key);
        if (d === undefined || !d.enumerable) continue;
        headersAppend(headers, key, init[key]);
      }
    }
  }

  define(globalThis, "Headers", Headers);

  // ----------------------------------------------------------------- Body
  // A body: its bytes (the body's own, copied from what the app passed,
  // handed out once) or its ReadableStream (streams.js), both null for no
  // body, and whether it was read. A body of bytes becomes a stream only
  // when the app asks for `body`: buffered bodies stay as cheap as before.
  const streams = hooks.streams;
  delete hooks.streams;
  const { ReadableStream } = streams;
  // Blob and FormData bodies, filled in by blob.js.
  const bodyKinds = { extract: () => undefined, blob: null, formData: null };
  hooks.bodyKinds = bodyKinds;
  hooks.webHelpers = {
    define,
    tag,
    usv,
    requireArgs,
    makeIterator,
    iteratorPrototype,
    isObject,
    fromBytes: streams.fromBytes,
    concatBytes: streams.concatBytes,
  };
  function body(bytes) {
    return { bytes, stream: null, used: false };
  }
  function streamBody(stream) {
    return { bytes: null, stream, used: false };
  }
  function hasBody(b) {
    return b.bytes !== null || b.stream !== null;
  }
  // The standard's "disturbed": read (text(), a reader's read, cancel).
  function disturbedBody(b) {
    return b.used || (b.stream !== null && streams.isDisturbed(b.stream));
  }
  // The standard's "unusable": disturbed or locked.
  function unusable(b) {
    return disturbedBody(b) || (b.stream !== null && b.stream.locked);
  }
  // `body`: the stream, made from the bytes on first use.
  function bodyStream(b) {
    if (b.stream === null && b.bytes !== null) {
      b.stream = streams.fromBytes(b.used ? EMPTY.slice() : b.bytes);
      if (b.used) streams.markDisturbed(b.stream);
      b.bytes = null;
    }
    return b.stream;
  }
  // A copy of a body for clone(): a stream is teed, the original keeps
  // one branch.
  function cloneBody(b) {
    if (b.stream !== null) {
      const [one, two] = b.stream.tee();
      b.stream = one;
      return streamBody(two);
    }
    return body(b.bytes === null ? null : b.bytes.slice());
  }
  // Moves a body (new Request(request), new Response(response.body)): the
  // source becomes used.
  function takeBody(b) {
    const taken = b.stream !== null ? streamBody(b.stream) : body(b.bytes);
    b.used = true;
    return taken;
  }

  // The standard's "extract a body": bytes and the content type it implies.
  // What is not a buffer or URLSearchParams is a string (WebIDL's union
  // ends with USVString).
  function extract(init) {
    const kind = bodyKinds.extract(init);
    if (kind !== undefined) return kind;
    if (init instanceof ReadableStream) {
      if (streams.isDisturbed(init) || init.locked) {
        throw new TypeError("Response body object should not be disturbed or locked");
      }
      const bytes = streams.takeBytes(init);
      if (bytes !== undefined) return [bytes, null];
      return [null, null, init];
    }
    if (init instanceof ArrayBuffer || (typeof SharedArrayBuffer === "function" && init instanceof SharedArrayBuffer)) {
      return [new Uint8Array(init.slice(0)), null];
    }
    if (ArrayBuffer.isView(init)) {
      return [new Uint8Array(init.buffer, init.byteOffset, init.byteLength).slice(), null];
    }
    if (init instanceof URLSearchParams) {
      return [encoder.encode(init.toString()), "application/x-www-form-urlencoded;charset=UTF-8"];
    }
    return [encoder.encode(usv(init)), "text/plain;charset=UTF-8"];
  }

  // The bytes of a body, which becomes used; a body-less one reads as empty
  // (and stays unused), as in the standard. A stream is read to its end.
  async function consume(b) {
    if (unusable(b)) throw new TypeError("Body is unusable: Body has already been read");
    if (b.stream !== null) {
      b.used = true;
      return streams.readAll(b.stream);
    }
    if (b.bytes === null) return EMPTY.slice();
    b.used = true;
    return b.bytes;
  }

  // The body mixin's methods, for Request and Response.
  function bodyMethods(Class, bodyOf) {
    const methods = {
      async text() {
        return decoder.decode(await consume(bodyOf(this)));
      },
      async json() {
        return JSON.parse(decoder.decode(await consume(bodyOf(this))));
      },
      async arrayBuffer() {
        const bytes = await consume(bodyOf(this));
        return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
          ? bytes.buffer
          : bytes.slice().buffer;
      },
      async bytes() {
        return consume(bodyOf(this));
      },
      async blob() {
        const bytes = await consume(bodyOf(this));
        return bodyKinds.blob(bytes, this.headers.get("content-type"));
      },
      async formData() {
        const bytes = await consume(bodyOf(this));
        return bodyKinds.formData(bytes, this.headers.get("content-type"));
      },
    };
    for (const name of Object.keys(methods)) define(Class.prototype, name, methods[name]);
    Object.defineProperty(Class.prototype, "bodyUsed", {
      get() {
        const b = bodyOf(this);
        return hasBody(b) && disturbedBody(b);
      },
      configurable: true,
      enumerable: false,
    });
    Object.defineProperty(Class.prototype, "body", {
      get() {
        return bodyStream(bodyOf(this));
      },
      configurable: true,
      enumerable: true,
    });
  }

  // Objects are dictionaries; undefined and null are empty ones.
  function dictionary(init, where) {
    if (init === undefined || init === null) return {};
    if (!isObject(init)) throw new TypeError(`${where}: Expected ${String(init)} to be one of: Null, Undefined, Object.`);
    return init;
  }

  // The key that lets this file make a Request or Response from its parts.
  const INTERNAL = Symbol("internal");

  // -------------------------------------------------------------- Request
  const NORMALIZED_METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];
  const FORBIDDEN_METHODS = ["CONNECT", "TRACE", "TRACK"];

  function requestURL(input) {
    const s = usv(input);
    const c = parseURL(s, undefined);
    if (c == null) throw new TypeError(`Failed to parse URL from ${s}`, { cause: invalidURL(s) });
    if (c[USERNAME] !== "" || c[PASSWORD] !== "") {
      throw new TypeError(`Request cannot be constructed from a URL that includes credentials: ${s}`);
    }
    return c[HREF];
  }

  let requestBody; // (request) => its body
  let requestParts; // (request) => its method, url, headers and body (for fetch.js)
  class Request {
    #method;
    #url;
    #headers;
    // An incoming request's header list from the host (names and values
    // alternating), made into `#headers` when first asked for: most
    // handlers never read the headers of most requests (see #headersOf).
    #rawHeaders = null;
    #body;
    // `signal`: made when first asked for (an incoming request's is never
    // looked at by most handlers), following #follows: `init.signal`, or
    // the signal of the request this one was made from. An incoming
    // request's never aborts: its instance ends with its connection.
    #signal = null;
    #follows = null;

    constructor(input, init = undefined) {
      if (input === INTERNAL) {
        ({ method: this.#method, url: this.#url, headers: this.#headers, body: this.#body } = init);
        if (init.rawHeaders !== undefined) this.#rawHeaders = init.rawHeaders;
        if (init.follows !== undefined) this.#follows = init.follows;
        return;
      }
      requireArgs(arguments.length, 1, "Request constructor");
      init = dictionary(init, "Request constructor");
      const source = input instanceof Request ? input : null;
      this.#url = source !== null ? source.#url : requestURL(input);
      let method = source !== null ? source.#method : "GET";
      if (init.method !== undefined) {
        method = byteString(init.method);
        if (!TOKEN.test(method)) throw new TypeError(`'${method}' is not a valid HTTP method.`);
        const upper = method.toUpperCase();
        if (FORBIDDEN_METHODS.includes(upper)) throw new TypeError(`'${method}' HTTP method is unsupported.`);
        if (NORMALIZED_METHODS.includes(upper)) method = upper;
      }
      this.#method = method;
      let follows = source !== null ? source.#followed() : null;
      if (init.signal !== undefined) {
        if (init.signal !== null && !(init.signal instanceof AbortSignal)) {
          throw new TypeError("Failed to construct 'Request': member signal is not of type AbortSignal.");
        }
        follows = init.signal;
      }
      this.#follows = follows;
      this.#headers =
        init.headers !== undefined
          ? new Headers(init.headers)
          : source !== null
            ? headersCopy(source.#headersOf())
            : new Headers();

      const inputBody = source !== null ? source.#body : null;
      const hasInitBody = init.body !== undefined && init.body !== null;
      if ((hasInitBody || (inputBody !== null && hasBody(inputBody))) && (method === "GET" || method === "HEAD")) {
        throw new TypeError("Request with GET/HEAD method cannot have body.");
      }
      if (hasInitBody) {
        const extracted = extract(init.body);
        const bytes = extracted[0], type = extracted[1], stream = extracted[2];
        if (type !== null && !headersHasTrusted(this.#headers, "content-type")) {
          headersPushTrusted(this.#headers, "content-type", type);
        }
        this.#body = stream !== undefined ? streamBody(stream) : body(bytes);
      } else if (inputBody !== null && hasBody(inputBody)) {
        if (unusable(inputBody)) {
          throw new TypeError("Cannot construct a Request with a Request object that has already been used.");
        }
        // The body moves to the new request; the source's is now used.
        this.#body = takeBody(inputBody);
      } else {
        this.#body = body(null);
      }
    }

    static {
      requestBody = (r) => r.#body;
      requestParts = (r) => ({ method: r.#method, url: r.#url, headers: r.#headersOf(), body: r.#body, signal: r.#followed() });
    }

    // The signal that aborts this request (null: none can).
    #followed() {
      return this.#signal !== null ? this.#signal : this.#follows;
    }

    get signal() {
      if (this.#signal === null) {
        const follows = this.#follows;
        this.#signal = follows === null ? new AbortController().signal : AbortSignal.any([follows]);
      }
      return this.#signal;
    }

    get method() {
      return this.#method;
    }

    get url() {
      return this.#url;
    }

    // The headers, made from the host's list on first use.
    #headersOf() {
      if (this.#headers === null) {
        this.#headers = new Headers();
        headersAppendTrusted(this.#headers, this.#rawHeaders);
        this.#rawHeaders = null;
      }
      return this.#headers;
    }

    get headers() {
      return this.#headersOf();
    }

    clone() {
      if (unusable(this.#body)) throw new TypeError("unusable");
      return new Request(INTERNAL, {
        method: this.#method,
        url: this.#url,
        headers: headersCopy(this.#headersOf()),
        body: cloneBody(this.#body),
        follows: this.#followed(),
      });
    }
  }
  bodyMethods(Request, (r) => requestBody(r));
  tag(Request, "Request");
  define(globalThis, "Request", Request);

  // ------------------------------------------------------------- Response
  const NULL_BODY_STATUSES = [101, 103, 204, 205, 304];
  const REDIRECT_STATUSES = [301, 302, 303, 307, 308];
  const REASON_PHRASE = /^[\t\x20-\x7e\x80-\xff]*$/;

  // WebIDL's unsigned short.
  function unsignedShort(v) {
    const n = Math.trunc(Number(v));
    return Number.isFinite(n) ? ((n % 65536) + 65536) % 65536 : 0;
  }

  let responseParts; // (response) => its internal parts, for httpResponse
  class Response {
    #type = "default";
    #url = "";
    #redirected = false;
    #status = 200;
    #statusText = "";
    #headers;
    #body;

    constructor(bodyInit = null, init = undefined) {
      if (bodyInit === INTERNAL) {
        if (init.type !== undefined) this.#type = init.type;
        if (init.url !== undefined) this.#url = init.url;
        if (init.redirected !== undefined) this.#redirected = init.redirected;
        if (init.status !== undefined) this.#status = init.status;
        if (init.statusText !== undefined) this.#statusText = init.statusText;
        this.#headers = init.headers;
        this.#body = init.body;
        return;
      }
      init = dictionary(init, "Response constructor");
      const extracted = bodyInit === undefined || bodyInit === null ? null : extract(bodyInit);
      this.#initialize(init, extracted);
    }

    // The standard's "initialize a response" (also Response.json's).
    #initialize(init, extracted) {
      const status = init.status === undefined ? 200 : unsignedShort(init.status);
      if (status < 200 || status > 599) {
        throw new RangeError('init["status"] must be in the range of 200 to 599, inclusive.');
      }
      const statusText = init.statusText === undefined ? "" : byteString(init.statusText);
      // (The empty default needs no regex: this runs for every response.)
      if (statusText !== "" && !REASON_PHRASE.test(statusText)) throw new TypeError("Invalid statusText");
      this.#status = status;
      this.#statusText = statusText;
      this.#headers = new Headers(init.headers);
      if (extracted === null) {
        this.#body = body(null);
        return;
      }
      if (NULL_BODY_STATUSES.includes(status)) {
        throw new TypeError(`Response constructor: Invalid response status code ${status}`);
      }
      // Indexed, not destructured: array destructuring runs the iterator
      // protocol in the interpreter, and this is on every response's path.
      const bytes = extracted[0], type = extracted[1], stream = extracted[2];
      if (type !== null && !headersHasTrusted(this.#headers, "content-type")) {
        headersPushTrusted(this.#headers, "content-type", type);
      }
      this.#body = stream !== undefined ? streamBody(stream) : body(bytes);
    }

    static {
      responseParts = (r) => ({ type: r.#type, status: r.#status, headers: r.#headers, body: r.#body });
    }

    static error() {
      const headers = new Headers();
      headersFreeze(headers);
      return new Response(INTERNAL, { type: "error", status: 0, headers, body: body(null) });
    }

    static json(data, init = undefined) {
      const text = JSON.stringify(data);
      if (text === undefined) throw new TypeError("Value is not JSON serializable");
      const r = new Response(INTERNAL, { headers: null, body: null });
      r.#initialize(dictionary(init, "Response.json"), [encoder.encode(text), "application/json"]);
      return r;
    }

    static redirect(url, status = 302) {
      requireArgs(arguments.length, 1, "Response.redirect");
      const s = usv(url);
      const c = parseURL(s, undefined);
      if (c == null) throw new TypeError(`Failed to parse URL from ${s}`, { cause: invalidURL(s) });
      status = unsignedShort(status);
      if (!REDIRECT_STATUSES.includes(status)) throw new RangeError(`Invalid status code ${status}`);
      const headers = new Headers([["location", c[HREF]]]);
      headersFreeze(headers);
      return new Response(INTERNAL, { status, headers, body: body(null) });
    }

    get type() {
      return this.#type;
    }

    get url() {
      return this.#url;
    }

    get redirected() {
      return this.#redirected;
    }

    get status() {
      return this.#status;
    }

    get ok() {
      return this.#status >= 200 && this.#status <= 299;
    }

    get statusText() {
      return this.#statusText;
    }

    get headers() {
      return this.#headers;
    }

    clone() {
      if (unusable(this.#body)) throw new TypeError("Response.clone: Body has already been consumed.");
      return new Response(INTERNAL, {
        type: this.#type,
        url: this.#url,
        redirected: this.#redirected,
        status: this.#status,
        statusText: this.#statusText,
        headers: headersCopy(this.#headers),
        body: cloneBody(this.#body),
      });
    }
  }
  bodyMethods(Response, (r) => responseParts(r).body);
  tag(Response, "Response");
  define(globalThis, "Response", Response);

  // ---------------------------------------------------------------- hooks
  // The HTTP world's dispatch (Rust) calls these; apps cannot reach them.

  // An incoming request: `url` is parsed and serialized already (http.rs),
  // `headers` are names and values alternating, byte strings (valid names,
  // from the host), `body` a Uint8Array, null, or the handle of the
  // incoming body stream (body_streams.rs), read as it arrives.
  hooks.httpRequest = function httpRequest(method, url, headers, bytes) {
    return new Request(INTERNAL, {
      method,
      url,
      headers: null,
      rawHeaders: headers,
      body:
        typeof bytes === "number"
          ? streamBody(streams.incoming(bytes))
          : body(bytes === null || bytes === undefined ? null : bytes),
    });
  };

  // What the app's fetch handler returned (its promise settled), as the
  // status, the headers (sorted and combined, set-cookie separate; names
  // and values alternating, values byte strings: Headers refuses anything
  // else) and the body's bytes.
  function flatEntries(headers) {
    const entries = headersEntries(headers);
    const flat = new Array(entries.length * 2);
    for (let i = 0; i < entries.length; i++) {
      flat[2 * i] = entries[i][0];
      flat[2 * i + 1] = entries[i][1];
    }
    return flat;
  }
  hooks.httpResponse = function httpResponse(value) {
    if (!(value instanceof Response)) {
      throw new TypeError(
        `the app's fetch handler must return a Response (or a promise of one), it returned ${describe(value)}`,
      );
    }
    const { type, status, headers, body: b } = responseParts(value);
    if (type === "error") throw new TypeError("the app's fetch handler returned Response.error() (a network error)");
    if (unusable(b)) throw new TypeError("the app's fetch handler returned a Response whose body was already read");
    // A stream is written as it comes (hooks.httpPump), bytes at once.
    const stream = b.stream;
    b.used = true;
    return {
      status,
      headers: flatEntries(headers),
      body: b.bytes === null ? EMPTY.slice() : b.bytes,
      stream,
    };
  };

  // What fetch.js needs of Request and Response (it deletes this entry):
  // a request's parts, and a Response made from what the host received.
  hooks.fetchInternals = {
    requestParts(request) {
      const { method, url, headers, body: b, signal } = requestParts(request);
      return { method, url, headers: headersEntries(headers), body: b, signal };
    },
    unusable,
    // The bytes and stream of a body, which the request being sent takes.
    take(b) {
      const taken = { bytes: b.bytes, stream: b.stream };
      b.used = true;
      return taken;
    },
    // `headers`: names and values alternating, byte strings from the host; `handle`:
    // the body stream's (body_streams.rs), or -1 for none.
    response({ status, statusText, headers, handle, url, redirected }) {
      const h = new Headers();
      headersAppendTrusted(h, headers);
      headersFreeze(h);
      return new Response(INTERNAL, {
        type: "basic",
        url,
        redirected,
        status,
        statusText,
        headers: h,
        body: handle < 0 ? body(null) : streamBody(streams.incoming(handle)),
      });
    },
  };

  function describe(v) {
    if (v === null || v === undefined) return String(v);
    switch (typeof v) {
      case "string":
        return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v)}`;
      case "function":
        return "a function";
      case "object":
        break;
      case "symbol":
        return v.toString();
      default:
        return `the ${typeof v} ${String(v)}`;
    }
    if (Array.isArray(v)) return "an array";
    if (v instanceof Promise) return "a promise";
    let name;
    try {
      name = v.constructor && v.constructor.name;
    } catch {
      name = undefined;
    }
    return typeof name === "string" && name !== "" && name !== "Object" ? `an instance of ${name}` : "an object";
  }
});
