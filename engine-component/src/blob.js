// Blob, File and FormData, and the bodies they make: a Blob's bytes with
// its type as Content-Type, a FormData as multipart/form-data, and
// `blob()` / `formData()` on Request and Response. Evaluated at build time
// right after web.js, which leaves its helpers and an empty `bodyKinds`
// table on the hooks for this file to fill (web.js's `extract` and body
// methods call them).
//
// A Blob is immutable bytes in memory (one Uint8Array, shared by slices'
// copies only when sliced whole): an app's blobs are small and short-lived,
// so no chunk list or backing store is worth its code. Errors and messages
// follow node's (undici's), which is what the conformance apps compare with.
(function (native, hooks) {
  "use strict";

  const helpers = hooks.webHelpers;
  const bodyKinds = hooks.bodyKinds;
  delete hooks.bodyKinds;
  const { define, tag, usv, requireArgs, makeIterator, iteratorPrototype, isObject, fromBytes, concatBytes } = helpers;
  // Captured now: an app replacing the globals later does not change these.
  const { URLSearchParams, DOMException } = globalThis;

  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  // node's ERR_INVALID_ARG_TYPE wording for what was received.
  function received(v) {
    if (v === null || v === undefined) return `Received ${v}`;
    if (typeof v === "function") return `Received function ${v.name || "anonymous"}`;
    if (typeof v === "object") return "Received an instance of " + (v.constructor?.name || "Object");
    if (typeof v === "string") return `Received type string ('${v.length > 25 ? v.slice(0, 25) + "..." : v}')`;
    return `Received type ${typeof v} (${typeof v === "bigint" ? v + "n" : String(v)})`;
  }

  function invalidArg(message) {
    const e = new TypeError(message);
    e.code = "ERR_INVALID_ARG_TYPE";
    return e;
  }

  // A Blob's type: lowercased, or "" if it has a character outside
  // U+0020..U+007E (the File API's rule).
  function normalizeType(type) {
    const s = String(type);
    return /^[\x20-\x7e]*$/.test(s) ? s.toLowerCase() : "";
  }

  // The bytes of the blob parts, concatenated (the File API's "process
  // blob parts").
  function processParts(parts, endings) {
    const chunks = [];
    for (const part of parts) {
      let bytes;
      // Views of the parts' own bytes: concatBytes copies them once.
      if (part instanceof ArrayBuffer || (typeof SharedArrayBuffer === "function" && part instanceof SharedArrayBuffer)) {
        bytes = new Uint8Array(part);
      } else if (ArrayBuffer.isView(part)) {
        bytes = new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
      } else if (part instanceof Blob) {
        bytes = bytesOf(part);
      } else {
        let s = usv(part);
        if (endings === "native") s = s.replace(/\r\n?/g, "\n");
        bytes = encoder.encode(s);
      }
      chunks.push(bytes);
    }
    return concatBytes(chunks);
  }

  function blobOptions(options) {
    if (options === undefined || options === null) return { type: "", endings: "transparent" };
    if (!isObject(options)) throw invalidArg(`The "options" argument must be of type object. ${received(options)}`);
    const endings = options.endings === undefined ? "transparent" : String(options.endings);
    if (endings !== "transparent" && endings !== "native") {
      const e = new TypeError(`The property 'options.endings' is invalid. Received '${endings}'`);
      e.code = "ERR_INVALID_ARG_VALUE";
      throw e;
    }
    return { type: options.type === undefined ? "" : normalizeType(options.type), endings };
  }

  function sequence(parts, name) {
    if (parts === undefined) return [];
    if (!isObject(parts) || typeof parts[Symbol.iterator] !== "function" || typeof parts === "function") {
      throw invalidArg(`The "${name}" argument must be a sequence. ${received(parts)}`);
    }
    return parts;
  }

  // --------------------------------------------------------------- Blob
  let bytesOf; // (blob) => its bytes (not a copy: never handed out)
  let makeBlob; // (bytes, type) => a Blob owning `bytes`
  const OWN = Symbol("own");

  class Blob {
    #bytes;
    #type;

    constructor(blobParts = undefined, options = undefined) {
      if (blobParts === OWN) {
        this.#bytes = options.bytes;
        this.#type = options.type;
        return;
      }
      const parts = sequence(blobParts, "sources");
      const { type, endings } = blobOptions(options);
      this.#bytes = processParts(parts, endings);
      this.#type = type;
    }

    static {
      bytesOf = (b) => b.#bytes;
      makeBlob = (bytes, type) => new Blob(OWN, { bytes, type });
    }

    get size() {
      return this.#bytes.byteLength;
    }

    get type() {
      return this.#type;
    }

    slice(start = undefined, end = undefined, contentType = undefined) {
      const size = this.#bytes.byteLength;
      const clamp = (v, dflt) => {
        if (v === undefined) return dflt;
        const n = Math.trunc(Number(v)) || 0;
        return n < 0 ? Math.max(size + n, 0) : Math.min(n, size);
      };
      const from = clamp(start, 0);
      const to = clamp(end, size);
      const type = contentType === undefined ? "" : normalizeType(contentType);
      return makeBlob(this.#bytes.slice(from, Math.max(from, to)), type);
    }

    async text() {
      return decoder.decode(this.#bytes);
    }

    async arrayBuffer() {
      return this.#bytes.slice().buffer;
    }

    async bytes() {
      return this.#bytes.slice();
    }

    stream() {
      return fromBytes(this.#bytes.slice());
    }
  }
  for (const name of ["size", "type"]) {
    Object.defineProperty(Blob.prototype, name, { enumerable: true });
  }
  for (const name of ["slice", "text", "arrayBuffer", "bytes", "stream"]) {
    Object.defineProperty(Blob.prototype, name, { enumerable: true });
  }
  tag(Blob, "Blob");

  // --------------------------------------------------------------- File
  let makeFile; // (bytes, type, name, lastModified) => a File

  class File extends Blob {
    #name;
    #lastModified;

    constructor(fileBits, fileName, options = undefined) {
      if (arguments.length < 2) {
        const e = new TypeError(`The "fileBits" and "fileName" arguments must be specified`);
        e.code = "ERR_MISSING_ARGS";
        throw e;
      }
      if (fileBits === OWN) {
        super(OWN, options);
        this.#name = fileName;
        this.#lastModified = options.lastModified;
        return;
      }
      super(sequence(fileBits, "fileBits"), options);
      this.#name = usv(fileName);
      const lm = isObject(options) ? options.lastModified : undefined;
      this.#lastModified = lm === undefined ? Date.now() : Math.trunc(Number(lm)) || 0;
    }

    static {
      makeFile = (bytes, type, name, lastModified) =>
        new File(OWN, name, { bytes, type, lastModified: lastModified ?? Date.now() });
    }

    get name() {
      return this.#name;
    }

    get lastModified() {
      return this.#lastModified;
    }
  }
  for (const name of ["name", "lastModified"]) {
    Object.defineProperty(File.prototype, name, { enumerable: true });
  }
  tag(File, "File");

  // ----------------------------------------------------------- FormData
  const FormDataIterator = iteratorPrototype("FormData");
  let entriesOf; // (formData) => its live list of [name, value]

  // The standard's "create an entry": a Blob becomes a File, named
  // `filename`, its own name or "blob".
  function entry(name, value, filename, where, given) {
    const n = usv(name);
    if (given > 2) {
      if (!(value instanceof Blob)) {
        throw new TypeError(`Failed to execute '${where}' on 'FormData': parameter 2 is not of type 'Blob'`);
      }
    }
    if (!(value instanceof Blob)) return [n, usv(value)];
    const fileName = filename !== undefined ? usv(filename) : value instanceof File ? value.name : "blob";
    if (value instanceof File && filename === undefined) return [n, value];
    const lastModified = value instanceof File ? value.lastModified : undefined;
    return [n, makeFile(bytesOf(value), value.type, fileName, lastModified)];
  }

  class FormData {
    #list = [];

    // `form` has no default, so that FormData.length is 1, as in node.
    constructor(form) {
      if (form !== undefined) {
        throw new TypeError("FormData constructor: Argument 1 could not be converted to: undefined.");
      }
    }

    static {
      entriesOf = (f) => f.#list;
    }

    append(name, value, filename = undefined) {
      requireArgs(arguments.length, 2, "FormData.append");
      this.#list.push(entry(name, value, filename, "append", arguments.length));
    }

    delete(name) {
      requireArgs(arguments.length, 1, "FormData.delete");
      const n = usv(name);
      this.#list = this.#list.filter(([m]) => m !== n);
    }

    get(name) {
      requireArgs(arguments.length, 1, "FormData.get");
      const n = usv(name);
      const e = this.#list.find(([m]) => m === n);
      return e === undefined ? null : e[1];
    }

    getAll(name) {
      requireArgs(arguments.length, 1, "FormData.getAll");
      const n = usv(name);
      return this.#list.filter(([m]) => m === n).map(([, v]) => v);
    }

    has(name) {
      requireArgs(arguments.length, 1, "FormData.has");
      const n = usv(name);
      return this.#list.some(([m]) => m === n);
    }

    set(name, value, filename = undefined) {
      requireArgs(arguments.length, 2, "FormData.set");
      const e = entry(name, value, filename, "set", arguments.length);
      const i = this.#list.findIndex(([m]) => m === e[0]);
      if (i < 0) this.#list.push(e);
      else {
        this.#list[i] = e;
        this.#list = this.#list.filter(([m], j) => j <= i || m !== e[0]);
      }
    }

    forEach(callback, thisArg = undefined) {
      if (typeof callback !== "function") {
        throw new TypeError("Failed to execute 'forEach' on 'FormData': parameter 1 is not of type 'Function'.");
      }
      for (let i = 0; i < this.#list.length; i++) {
        const [n, v] = this.#list[i];
        callback.call(thisArg, v, n, this);
      }
    }

    keys() {
      return makeIterator(FormDataIterator, (i) => this.#list[i]?.[0]);
    }

    values() {
      return makeIterator(FormDataIterator, (i) => this.#list[i]?.[1]);
    }

    entries() {
      return makeIterator(FormDataIterator, (i) => {
        const e = this.#list[i];
        return e === undefined ? undefined : [e[0], e[1]];
      });
    }
  }
  define(FormData.prototype, Symbol.iterator, FormData.prototype.entries);
  tag(FormData, "FormData");

  // ------------------------------------------------ multipart/form-data
  // Writing: the HTML standard's multipart/form-data encoding, as undici
  // writes it (names and filenames with `"`, CR and LF percent-escaped;
  // string values with their line breaks normalized to CRLF).
  function escapeName(s) {
    return s.replace(/\n/g, "%0A").replace(/\r/g, "%0D").replace(/"/g, "%22");
  }

  function boundary() {
    let digits = "";
    for (let i = 0; i < 2; i++) digits += native.randomU32().toString().padStart(10, "0");
    return `----formdata-jspkg-${digits}`;
  }

  function serialize(fd) {
    const b = boundary();
    const chunks = [];
    const push = (bytes) => chunks.push(bytes);
    for (const [name, value] of entriesOf(fd)) {
      let head = `--${b}\r\nContent-Disposition: form-data; name="${escapeName(name)}"`;
      if (typeof value === "string") {
        push(encoder.encode(`${head}\r\n\r\n${value.replace(/\r(?!\n)|(?<!\r)\n/g, "\r\n")}\r\n`));
      } else {
        head += `; filename="${escapeName(value.name)}"\r\nContent-Type: ${value.type || "application/octet-stream"}\r\n\r\n`;
        push(encoder.encode(head));
        push(bytesOf(value));
        push(encoder.encode("\r\n"));
      }
    }
    push(encoder.encode(`--${b}--\r\n`));
    return [concatBytes(chunks), `multipart/form-data; boundary=${b}`];
  }

  // Reading: RFC 7578 as the fetch standard's `formData()` reads it: parts
  // between `--boundary` lines, each with a Content-Disposition naming it
  // (and a filename for a file) and an optional Content-Type.
  function parseFailed() {
    return new TypeError("Failed to parse body as FormData.");
  }

  function indexOf(bytes, needle, from) {
    const first = needle[0];
    const last = bytes.byteLength - needle.byteLength;
    outer: for (let i = bytes.indexOf(first, from); i !== -1 && i <= last; i = bytes.indexOf(first, i + 1)) {
      for (let j = 1; j < needle.byteLength; j++) {
        if (bytes[i + j] !== needle[j]) continue outer;
      }
      return i;
    }
    return -1;
  }

  // A header parameter: `name="value"` (quoted, with `\"`) or `name=token`.
  function parameter(header, name) {
    const re = new RegExp(`;\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, "i");
    const m = re.exec(header);
    if (!m) return null;
    return m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2];
  }

  function parseMultipart(bytes, contentType) {
    const b = parameter(contentType, "boundary");
    if (!b) throw parseFailed();
    const fd = new FormData();
    const list = entriesOf(fd);
    const delimiter = encoder.encode(`--${b}`);
    const next = encoder.encode(`\r\n--${b}`);
    const headEnd = encoder.encode("\r\n\r\n");
    // The first delimiter starts the body or a line after a preamble.
    let at = bytes.byteLength >= delimiter.byteLength && indexOf(bytes.subarray(0, delimiter.byteLength), delimiter, 0) === 0 ? 0 : indexOf(bytes, next, 0) + 2;
    if (at < 0 || at === 1) throw parseFailed();
    for (;;) {
      at += delimiter.byteLength;
      if (bytes[at] === 0x2d && bytes[at + 1] === 0x2d) return fd; // `--`: the close delimiter
      while (bytes[at] === 0x20 || bytes[at] === 0x09) at++;
      if (bytes[at] !== 0x0d || bytes[at + 1] !== 0x0a) throw parseFailed();
      at += 2;
      const end = indexOf(bytes, headEnd, at);
      if (end < 0) throw parseFailed();
      const headers = decoder.decode(bytes.subarray(at, end)).split("\r\n");
      let disposition = null;
      let type = null;
      for (const line of headers) {
        const colon = line.indexOf(":");
        if (colon < 0) throw parseFailed();
        const key = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        if (key === "content-disposition") disposition = value;
        else if (key === "content-type") type = value;
      }
      if (disposition === null || !/^form-data\s*(;|$)/i.test(disposition)) throw parseFailed();
      const name = parameter(disposition, "name");
      if (name === null) throw parseFailed();
      const filename = parameter(disposition, "filename");
      const bodyStart = end + headEnd.byteLength;
      const bodyEnd = indexOf(bytes, next, bodyStart);
      if (bodyEnd < 0) throw parseFailed();
      const content = bytes.slice(bodyStart, bodyEnd);
      if (filename === null) list.push([name, decoder.decode(content)]);
      else list.push([name, makeFile(content, normalizeType(type ?? "text/plain"), filename)]);
      at = bodyEnd + 2;
    }
  }

  // --------------------------------------------- the bodies, for web.js
  // `extract`: the bytes and content type of a Blob or FormData body, or
  // undefined for other values.
  bodyKinds.extract = function extract(init) {
    if (init instanceof Blob) return [bytesOf(init).slice(), init.type === "" ? null : init.type];
    if (init instanceof FormData) return serialize(init);
    return undefined;
  };
  // `blob()`: the bytes as a Blob typed by the body's Content-Type.
  bodyKinds.blob = (bytes, contentType) => makeBlob(bytes, contentType === null ? "" : normalizeType(contentType));
  // `formData()`: multipart or urlencoded bytes as a FormData.
  bodyKinds.formData = function formData(bytes, contentType) {
    const essence = contentType === null ? "" : contentType.split(";")[0].trim().toLowerCase();
    if (essence === "multipart/form-data") return parseMultipart(bytes, contentType);
    if (essence === "application/x-www-form-urlencoded") {
      const fd = new FormData();
      const list = entriesOf(fd);
      for (const [k, v] of new URLSearchParams(decoder.decode(bytes))) list.push([k, v]);
      return fd;
    }
    throw new TypeError('Content-Type was not one of "multipart/form-data" or "application/x-www-form-urlencoded".');
  };

  // console.log shows them as node does; structuredClone copies a Blob
  // or a File (prelude.js's hooks).
  hooks.inspectFields.set(Blob.prototype, (b) => ({ size: b.size, type: b.type }));
  hooks.inspectFields.set(File.prototype, (f) => ({ size: f.size, type: f.type, name: f.name, lastModified: f.lastModified }));
  hooks.inspectFields.set(FormData.prototype, (fd) => {
    const out = {};
    for (const [k, v] of entriesOf(fd)) out[k] = v;
    return out;
  });
  hooks.cloners.push((v) => {
    if (v instanceof File) return makeFile(bytesOf(v).slice(), v.type, v.name, v.lastModified);
    if (v instanceof Blob) return makeBlob(bytesOf(v).slice(), v.type);
    if (v instanceof FormData) {
      throw new DOMException("FormData object could not be cloned.", "DataCloneError");
    }
    return undefined;
  });

  define(globalThis, "Blob", Blob);
  define(globalThis, "File", File);
  define(globalThis, "FormData", FormData);
});
