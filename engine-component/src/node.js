// What a CLI app needs to do real work, following node's API (so that the
// same app runs under node, and esbuild --platform=node bundles work):
// the global `process` (env, argv, exit, stdin, stdout, stderr, nextTick,
// platform, cwd) and a subset of `node:fs` and `node:fs/promises`
// (readFile, writeFile, appendFile, readdir, stat, mkdir, rm, existsSync
// and the *Sync forms), importable as `node:fs`, `node:fs/promises`,
// `node:process` (or without `node:`; node_modules.rs loads them from
// `hooks.nodeModules`). Files are those under the directories the host
// granted (`jspkg run --dir HOST::GUEST`), environment variables those it
// passed (`--env NAME=VALUE`): none by default.
//
// Never at build time: top-level code runs inside `jspkg build`, where
// `process.env` is empty, and reading stdin or a file throws (the host
// side refuses, node_natives.rs), so nothing of the build machine reaches
// the snapshot. Files read as Uint8Array where node gives a Buffer.
(function (native, hooks) {
  "use strict";

  const define = (obj, name, value) =>
    Object.defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: false });
  const encoder = new TextEncoder();

  // Run time starts with the first call into the app (the prelude's
  // beforeRun hook, which every call runs first).
  let running = false;
  const beforeRun = hooks.beforeRun;
  hooks.beforeRun = function () {
    running = true;
    beforeRun();
  };

  const withCode = (e, code) => {
    e.code = code;
    return e;
  };

  // ---------------------------------------------------------- node errors
  const ERRNO = {
    ENOENT: [-2, "no such file or directory"], EACCES: [-13, "permission denied"], EPERM: [-1, "operation not permitted"],
    EEXIST: [-17, "file already exists"], ENOTDIR: [-20, "not a directory"], EISDIR: [-21, "illegal operation on a directory"],
    ENOTEMPTY: [-39, "directory not empty"], EINVAL: [-22, "invalid argument"], EBADF: [-9, "bad file descriptor"],
    ELOOP: [-40, "too many symbolic links encountered"], ENAMETOOLONG: [-36, "name too long"], EIO: [-5, "i/o error"],
  };

  // Calls a native fs function; its `fs:CODE` errors become node's.
  function fsCall(syscall, path, f, ...args) {
    try {
      return f(path, ...args);
    } catch (e) {
      const m = /^fs:(\w+)$/.exec(e && e.message);
      if (m === null) throw e;
      if (m[1] === "EBUILD") {
        throw new Error(
          `node:fs cannot be used at build time (${syscall} '${path}'): top-level code runs inside \`jspkg build\`, which grants no files, stdin or environment; do this in main`,
        );
      }
      if (m[1] === "ERR_FS_EISDIR") {
        const err = withCode(new Error(`Path is a directory: rm returned EISDIR (is a directory) ${path}`), "ERR_FS_EISDIR");
        Object.assign(err, { errno: 21, syscall: "rm", path });
        throw err;
      }
      const [errno, text] = ERRNO[m[1]] ?? ERRNO.EIO;
      const err = new Error(`${m[1]}: ${text}, ${syscall} '${path}'`);
      Object.assign(err, { errno, code: m[1], syscall, path });
      throw err;
    }
  }

  function pathArg(path, name = "path") {
    if (typeof path === "string") return path;
    if (path instanceof URL && path.protocol === "file:") return decodeURIComponent(path.pathname);
    if (path instanceof Uint8Array) return new TextDecoder().decode(path);
    const e = withCode(new TypeError(`The "${name}" argument must be of type string or an instance of Buffer or URL. Received ${path === null || path === undefined ? path : `type ${typeof path}`}`), "ERR_INVALID_ARG_TYPE");
    throw e;
  }

  function encodingOf(options) {
    const encoding = typeof options === "string" ? options : options?.encoding;
    if (encoding === undefined || encoding === null) return null;
    const e = String(encoding).toLowerCase();
    if (e === "utf8" || e === "utf-8" || e === "latin1" || e === "binary" || e === "ascii") return e;
    throw withCode(new TypeError(`The argument 'encoding' is not supported by jspkg's node:fs: ${encoding} (use utf8 or latin1)`), "ERR_INVALID_ARG_VALUE");
  }

  function decode(bytes, encoding) {
    if (encoding === null) return bytes;
    if (encoding === "utf8" || encoding === "utf-8") return new TextDecoder().decode(bytes);
    let s = "";
    for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
    return encoding === "ascii" ? s.replace(/[\x80-\xff]/g, (c) => String.fromCharCode(c.charCodeAt(0) & 0x7f)) : s;
  }

  function dataBytes(data) {
    if (typeof data === "string") return encoder.encode(data);
    if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (data instanceof ArrayBuffer) return new Uint8Array(data);
    throw withCode(
      new TypeError(`The "data" argument must be of type string or an instance of Buffer, TypedArray, or DataView. Received ${data === null || data === undefined ? data : `type ${typeof data}`}`),
      "ERR_INVALID_ARG_TYPE",
    );
  }

  // ---------------------------------------------------------------- stdin
  function readAllStdin() {
    const chunks = [];
    for (;;) {
      const chunk = fsCall("read", "stdin", () => native.stdinRead(65536));
      if (chunk == null) break; // null or undefined: the end
      chunks.push(chunk);
    }
    return hooks.webHelpers.concatBytes(chunks);
  }

  // One chunk of stdin, waiting for it in the event loop with the timers
  // (cli world: natives stdinTryRead and stdinReady); null at its end. In
  // the http world, which has no stdin stream, a blocking read (that ends at
  // once).
  function stdinChunk() {
    if (typeof native.stdinTryRead !== "function") {
      return Promise.resolve(fsCall("read", "stdin", () => native.stdinRead(65536)) ?? null);
    }
    return new Promise((resolve, reject) => {
      const attempt = () => {
        let chunk;
        try {
          chunk = fsCall("read", "stdin", () => native.stdinTryRead(65536));
        } catch (e) {
          reject(e);
          return;
        }
        if (chunk == null) resolve(null);
        else if (chunk.length === 0) native.stdinReady(attempt);
        else resolve(chunk);
      };
      attempt();
    });
  }

  // process.stdin: a readable in node's two modes. Flowing: a "data"
  // listener (or resume()) starts reading, chunk by chunk as they come,
  // then "end" and "close"; pause() stops, and a paused stdin does not keep
  // the call alive. Async iteration: `for await (const chunk of
  // process.stdin)`. Chunks are Uint8Array (node: Buffer), strings after
  // setEncoding. Reading never blocks the event loop: timers run while
  // stdin waits. An EventEmitter (node_events.js).
  class Stdin extends hooks.EventEmitter {
    fd = 0;
    encoding = null;
    #decoder = null;
    #flowing = false;
    #reading = false;
    #ended = false;
    #generation = 0;
    #kept = [];
    setEncoding(encoding) {
      this.encoding = encodingOf(encoding);
      this.#decoder = null;
      return this;
    }
    #decode(chunk) {
      if (this.encoding === null) return chunk;
      if (this.encoding === "utf8" || this.encoding === "utf-8") {
        this.#decoder ??= new TextDecoder();
        return this.#decoder.decode(chunk, { stream: true });
      }
      return decode(chunk, this.encoding);
    }
    // A "data" listener starts the flow, as in node.
    on(event, listener) {
      super.on(event, listener);
      if (event === "data" && !this.#flowing) this.resume();
      return this;
    }
    addListener(event, listener) {
      return this.on(event, listener);
    }
    resume() {
      if (!this.#flowing) {
        this.#flowing = true;
        queueMicrotask(() => this.#pump());
      }
      return this;
    }
    pause() {
      this.#flowing = false;
      if (this.#reading) {
        // Give the wait up; a chunk that came already is kept for later.
        native.stdinCancel?.();
        this.#reading = false;
        this.#generation++;
      }
      return this;
    }
    isPaused() {
      return !this.#flowing;
    }
    get readableEnded() {
      return this.#ended;
    }
    async #pump() {
      while (this.#flowing && !this.#ended) {
        if (this.#kept.length > 0) {
          this.#deliver(this.#kept.shift());
          continue;
        }
        if (this.#reading) return;
        this.#reading = true;
        const generation = this.#generation;
        let chunk;
        try {
          chunk = await stdinChunk();
        } catch (e) {
          if (generation !== this.#generation) return;
          this.#reading = false;
          this.#flowing = false;
          this.emit("error", e);
          return;
        }
        if (generation !== this.#generation) {
          // Paused while the chunk was on its way.
          this.#kept.push(chunk);
          return;
        }
        this.#reading = false;
        this.#deliver(chunk);
      }
    }
    #deliver(chunk) {
      if (chunk === null) {
        this.#ended = true;
        this.#flowing = false;
        const tail = this.#decoder?.decode() ?? "";
        if (tail !== "") this.emit("data", tail);
        this.emit("end");
        this.emit("close");
        return;
      }
      const data = this.#decode(chunk);
      if (data !== "") this.emit("data", data);
    }
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const chunk = this.#kept.length > 0 ? this.#kept.shift() : await stdinChunk();
        if (chunk === null) break;
        const data = this.#decode(chunk);
        if (data !== "") yield data;
      }
      this.#ended = true;
    }
  }
  const stdin = new Stdin();

  const writer = (write, fd) => ({
    fd,
    write(chunk, encoding, callback) {
      write(typeof chunk === "string" ? chunk : new TextDecoder().decode(dataBytes(chunk)));
      const cb = typeof encoding === "function" ? encoding : callback;
      if (typeof cb === "function") queueMicrotask(() => cb(null));
      return true;
    },
    isTTY: false,
  });

  // -------------------------------------------------------------- process
  // process.env: one object (so that a reference kept at build time still
  // works), whose contents are read from the host at the first use at run
  // time; at build time it is empty.
  let envStore = null;
  const store = () => {
    if (!running) return {};
    if (envStore === null) {
      envStore = {};
      const flat = native.envVars();
      for (let i = 0; i < flat.length; i += 2) envStore[flat[i]] = flat[i + 1];
    }
    return envStore;
  };
  const envProxy = new Proxy(
    {},
    {
      get: (_, key) => (typeof key === "string" ? store()[key] : undefined),
      set: (_, key, value) => {
        store()[key] = String(value);
        return true;
      },
      has: (_, key) => Object.prototype.hasOwnProperty.call(store(), key),
      deleteProperty: (_, key) => delete store()[key],
      ownKeys: () => Object.keys(store()),
      getOwnPropertyDescriptor: (_, key) => {
        const s = store();
        if (!Object.prototype.hasOwnProperty.call(s, key)) return undefined;
        return { value: s[key], writable: true, enumerable: true, configurable: true };
      },
    },
  );
  let env = envProxy;
  let argv = null;
  const process = {
    // The variables the host passed (none by default); empty at build time.
    get env() {
      return env;
    },
    set env(value) {
      env = value;
    },
    // node's shape: [runtime, program, ...args] (args from index 2).
    get argv() {
      if (argv === null) argv = running ? ["jspkg", ...native.argv()] : ["jspkg", "app"];
      return argv;
    },
    set argv(value) {
      argv = value;
    },
    exitCode: undefined,
    exit(code = undefined) {
      if (typeof native.exit !== "function") throw new Error("process.exit is not available in the http world: return a Response");
      if (!running) throw new Error("process.exit cannot be called at build time (top-level code runs inside `jspkg build`)");
      const c = code === undefined ? process.exitCode ?? 0 : Number(code) | 0;
      native.exit(c);
    },
    nextTick(callback, ...args) {
      queueMicrotask(() => callback(...args));
    },
    cwd: () => "/",
    platform: "wasi",
    stdin,
    stdout: writer(native.writeOut, 1),
    stderr: writer(native.writeErr, 2),
  };
  Object.defineProperty(process, Symbol.toStringTag, { value: "process", configurable: true });
  define(globalThis, "process", process);

  // ------------------------------------------------------------- fs stats
  class Stats {
    #kind;
    constructor(kind, size, atimeMs, mtimeMs, ctimeMs, birthtimeMs) {
      this.#kind = kind;
      Object.assign(this, { size, atimeMs, mtimeMs, ctimeMs, birthtimeMs });
      Object.assign(this, { atime: new Date(atimeMs), mtime: new Date(mtimeMs), ctime: new Date(ctimeMs), birthtime: new Date(birthtimeMs) });
    }
    isFile() {
      return this.#kind === "file";
    }
    isDirectory() {
      return this.#kind === "dir";
    }
    isSymbolicLink() {
      return this.#kind === "symlink";
    }
  }

  class Dirent {
    #kind;
    constructor(name, kind, parentPath) {
      this.#kind = kind;
      this.name = name;
      this.parentPath = parentPath;
      this.path = parentPath;
    }
    isFile() {
      return this.#kind === "file";
    }
    isDirectory() {
      return this.#kind === "dir";
    }
    isSymbolicLink() {
      return this.#kind === "symlink";
    }
  }

  // ------------------------------------------------------------- fs (sync)
  function readFileSync(path, options = undefined) {
    const encoding = encodingOf(options);
    if (path === 0 || path === "/dev/stdin") return decode(readAllStdin(), encoding);
    path = pathArg(path);
    return decode(fsCall("open", path, native.fsReadFile), encoding);
  }

  function writeFileSync(path, data, options = undefined) {
    path = pathArg(path);
    const append = typeof options === "object" && options !== null && String(options.flag ?? "w").startsWith("a");
    fsCall("open", path, native.fsWriteFile, dataBytes(data), append);
  }

  function appendFileSync(path, data) {
    path = pathArg(path);
    fsCall("open", path, native.fsWriteFile, dataBytes(data), true);
  }

  function readdirSync(path, options = undefined) {
    path = pathArg(path);
    const flat = fsCall("scandir", path, native.fsReaddir);
    const out = [];
    for (let i = 0; i < flat.length; i += 2) {
      out.push(options?.withFileTypes ? new Dirent(flat[i], flat[i + 1], path) : flat[i]);
    }
    return out;
  }

  function statSync(path) {
    path = pathArg(path);
    const [kind, ...rest] = fsCall("stat", path, native.fsStat);
    return new Stats(["file", "dir", "symlink", "other"][kind], ...rest);
  }

  function existsSync(path) {
    try {
      return native.fsExists(pathArg(path));
    } catch {
      return false;
    }
  }

  function mkdirSync(path, options = undefined) {
    path = pathArg(path);
    const recursive = typeof options === "object" && options !== null && Boolean(options.recursive);
    if (!recursive) {
      fsCall("mkdir", path, native.fsMkdir, false);
      return undefined;
    }
    // node returns the first directory it created, or undefined.
    let first;
    let p = path.replace(/\/+$/, "");
    while (p !== "" && !existsSync(p)) {
      first = p;
      p = p.slice(0, p.lastIndexOf("/"));
    }
    fsCall("mkdir", path, native.fsMkdir, true);
    return first;
  }

  function rmSync(path, options = undefined) {
    path = pathArg(path);
    try {
      fsCall("lstat", path, native.fsRm, Boolean(options?.recursive));
    } catch (e) {
      if (!(options?.force && e.code === "ENOENT")) throw e;
    }
  }

  // ---------------------------------------------------------- fs/promises
  const promised = (f) =>
    async function (...args) {
      return f(...args);
    };
  const promises = {
    readFile: promised(readFileSync),
    writeFile: promised(writeFileSync),
    appendFile: promised(appendFileSync),
    readdir: promised(readdirSync),
    stat: promised(statSync),
    mkdir: promised(mkdirSync),
    rm: promised(rmSync),
  };
  for (const [name, f] of Object.entries(promises)) Object.defineProperty(f, "name", { value: name });

  const fs = {
    readFileSync,
    writeFileSync,
    appendFileSync,
    readdirSync,
    statSync,
    existsSync,
    mkdirSync,
    rmSync,
    promises,
    Stats,
    Dirent,
  };

  hooks.nodeModules = {
    ...hooks.nodeModules,
    "node:fs": fs,
    "node:fs/promises": promises,
    // Named exports are read once, when the app is loaded (at build time):
    // `argv` is left out (use process.argv); `env` is the live object.
    "node:process": {
      default: process,
      env: envProxy,
      exit: (code) => process.exit(code),
      nextTick: process.nextTick,
      cwd: process.cwd,
      platform: process.platform,
      stdin,
      stdout: process.stdout,
      stderr: process.stderr,
    },
  };

  // `require("node:path")` in a bundle: jspkg build turns a CommonJS
  // `require` of a built-in into a call of this (bundler/src/
  // builtin_require.rs), which gives what node's `require` gives: the
  // module's object itself (its default export), the same one every time.
  Object.defineProperty(globalThis, Symbol.for("jspkg.require"), {
    value: function require(name) {
      const canonical = `node:${String(name).replace(/^node:/, "")}`;
      const exports = hooks.nodeModules[canonical];
      if (exports === undefined) {
        throw withCode(new Error(`Cannot find module '${name}': it is not one of jspkg's built-in modules`), "MODULE_NOT_FOUND");
      }
      return Object.hasOwn(exports, "default") ? exports.default : exports;
    },
  });
});
