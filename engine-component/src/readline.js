// `node:readline` and `node:readline/promises` for line-oriented CLI apps,
// following node's API for input that is not a terminal (a pipe, a file):
// createInterface({ input, output, prompt }) gives an Interface that
// emits "line" for each line of its input (split at \n, \r\n or \r, the
// line ends left out; a last line without an end comes at the end of the
// input), then "close"; reads lines with `for await (const line of rl)`;
// asks with question(query, callback) (a Promise in readline/promises),
// prompt() and setPrompt(). The cursor functions (cursorTo, moveCursor,
// clearLine, clearScreenDown) write node's ANSI sequences to their stream.
//
// The input is a node-style readable (process.stdin, or any object with
// on/pause/resume emitting "data" and "end") or an async iterable of
// strings or bytes. Line editing, history and completion (a terminal's
// keys) are not here: jspkg's process.stdin is never a TTY. Evaluated at
// build time after node.js, on node_events.js's EventEmitter.
(function (native, hooks) {
  "use strict";

  const EventEmitter = hooks.EventEmitter;
  const withCode = (e, code) => {
    e.code = code;
    return e;
  };

  class Interface extends EventEmitter {
    terminal = false;
    line = "";
    #input;
    #output;
    #prompt;
    #buffer = "";
    #closed = false;
    #paused = false;
    #question = null;
    #detach = () => {};

    constructor(input, output, completer, terminal) {
      super();
      let options = { input, output, completer, terminal };
      if (input !== null && typeof input === "object" && "input" in input) options = input;
      this.#input = options.input;
      this.#output = options.output;
      this.#prompt = options.prompt === undefined ? "> " : String(options.prompt);
      if (this.#input === undefined || this.#input === null) {
        throw withCode(new TypeError('The "input" argument must be an instance of Stream. Received ' + this.#input), "ERR_INVALID_ARG_TYPE");
      }
      if (typeof options.signal?.addEventListener === "function") {
        if (options.signal.aborted) queueMicrotask(() => this.close());
        else options.signal.addEventListener("abort", () => this.close(), { once: true });
      }
      this.#attach();
    }

    #attach() {
      const input = this.#input;
      const onText = (text) => this.#feed(text);
      if (typeof input.on === "function") {
        const decoder = new TextDecoder();
        const onData = (chunk) => onText(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
        const onEnd = () => {
          onText(decoder.decode());
          this.#finish();
        };
        const onError = (e) => this.emit("error", e);
        input.on("data", onData);
        input.on("end", onEnd);
        input.on("error", onError);
        this.#detach = () => {
          input.off?.("data", onData);
          input.off?.("end", onEnd);
          input.off?.("error", onError);
          input.pause?.();
        };
      } else if (typeof input[Symbol.asyncIterator] === "function") {
        let stop = false;
        this.#detach = () => {
          stop = true;
        };
        (async () => {
          const decoder = new TextDecoder();
          for await (const chunk of input) {
            if (stop) return;
            onText(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
          }
          if (!stop) {
            onText(decoder.decode());
            this.#finish();
          }
        })().catch((e) => this.emit("error", e));
      } else {
        throw withCode(new TypeError('The "input" argument must be an instance of Stream or an async iterable'), "ERR_INVALID_ARG_TYPE");
      }
    }

    // Splits at \n, \r\n and \r; a \r at the end of the text waits for
    // the next text (a \n may follow).
    #feed(text) {
      if (this.#closed || text === "") return;
      this.#buffer += text;
      const lineEnd = /\r\n|\n|\r(?!$)/g;
      let start = 0;
      let match;
      while (!this.#closed && (match = lineEnd.exec(this.#buffer)) !== null) {
        const line = this.#buffer.slice(start, match.index);
        start = match.index + match[0].length;
        this.#onLine(line);
      }
      this.#buffer = this.#buffer.slice(start);
    }

    #finish() {
      if (this.#closed) return;
      // The last line: one without an end, or one a \r ended.
      const rest = this.#buffer;
      this.#buffer = "";
      if (rest.endsWith("\r")) this.#onLine(rest.slice(0, -1));
      else if (rest !== "") this.#onLine(rest);
      this.close();
    }

    #onLine(line) {
      const question = this.#question;
      if (question !== null) {
        this.#question = null;
        question(line);
      } else {
        this.emit("line", line);
      }
    }

    #write(text) {
      if (this.#output !== undefined && this.#output !== null && typeof this.#output.write === "function") this.#output.write(text);
    }

    get closed() {
      return this.#closed;
    }

    getPrompt() {
      return this.#prompt;
    }

    setPrompt(prompt) {
      this.#prompt = String(prompt);
    }

    prompt() {
      if (this.#closed) throw withCode(new Error("readline was closed"), "ERR_USE_AFTER_CLOSE");
      if (this.#paused) this.resume();
      this.#write(this.#prompt);
    }

    question(query, options, callback) {
      const cb = typeof options === "function" ? options : callback;
      if (this.#closed) throw withCode(new Error("readline was closed"), "ERR_USE_AFTER_CLOSE");
      if (typeof cb !== "function") return;
      if (this.#question !== null) return; // node ignores a second question while one waits
      if (this.#paused) this.resume();
      this.#question = cb;
      this.#write(String(query));
    }

    write(data) {
      if (this.#closed) throw withCode(new Error("readline was closed"), "ERR_USE_AFTER_CLOSE");
      this.#feed(String(data));
    }

    pause() {
      if (this.#paused) return this;
      this.#input.pause?.();
      this.#paused = true;
      this.emit("pause");
      return this;
    }

    resume() {
      if (!this.#paused) return this;
      this.#input.resume?.();
      this.#paused = false;
      this.emit("resume");
      return this;
    }

    close() {
      if (this.#closed) return;
      this.#closed = true;
      this.#question = null;
      this.#detach();
      if (!this.#paused) {
        this.#paused = true;
        this.emit("pause");
      }
      this.emit("close");
    }

    [Symbol.asyncIterator]() {
      // The lines that come from now on, until the interface closes
      // (EventEmitter.on with node's `close` option); leaving the loop
      // closes the interface.
      const rl = this;
      const lines = this.#closed ? null : EventEmitter.on(this, "line", { close: ["close"] });
      return {
        async next() {
          const next = lines === null ? { done: true } : await lines.next();
          return next.done ? { value: undefined, done: true } : { value: next.value[0], done: false };
        },
        return() {
          lines?.return();
          rl.close();
          return Promise.resolve({ value: undefined, done: true });
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      };
    }
  }

  // readline/promises: question() gives a Promise of the answer.
  class PromisesInterface extends Interface {
    question(query, options) {
      return new Promise((resolve, reject) => {
        const signal = options?.signal;
        if (signal?.aborted) {
          reject(signal.reason ?? new DOMException("The operation was aborted", "AbortError"));
          return;
        }
        try {
          super.question(query, resolve);
        } catch (e) {
          reject(e);
        }
        signal?.addEventListener?.("abort", () => reject(signal.reason ?? new DOMException("The operation was aborted", "AbortError")), { once: true });
      });
    }
  }

  const ansi = (stream, text, callback) => {
    if (stream === undefined || stream === null) {
      if (typeof callback === "function") queueMicrotask(() => callback(null));
      return true;
    }
    return stream.write(text, callback);
  };
  const CSI = "\x1b[";
  function cursorTo(stream, x, y, callback) {
    if (typeof y === "function") {
      callback = y;
      y = undefined;
    }
    if (Number.isNaN(x) || Number.isNaN(y)) {
      throw withCode(new TypeError("The \"x\" and \"y\" arguments must be numbers"), "ERR_INVALID_CURSOR_POS");
    }
    const text = typeof y !== "number" ? `${CSI}${x + 1}G` : `${CSI}${y + 1};${x + 1}H`;
    return ansi(stream, text, callback);
  }
  function moveCursor(stream, dx, dy, callback) {
    let text = "";
    if (dx < 0) text += `${CSI}${-dx}D`;
    else if (dx > 0) text += `${CSI}${dx}C`;
    if (dy < 0) text += `${CSI}${-dy}A`;
    else if (dy > 0) text += `${CSI}${dy}B`;
    return ansi(stream, text, callback);
  }
  function clearLine(stream, dir, callback) {
    const text = dir < 0 ? `${CSI}1K` : dir > 0 ? `${CSI}0K` : `${CSI}2K`;
    return ansi(stream, text, callback);
  }
  function clearScreenDown(stream, callback) {
    return ansi(stream, `${CSI}0J`, callback);
  }

  const createInterface = (input, output, completer, terminal) => new Interface(input, output, completer, terminal);
  const promises = {
    Interface: PromisesInterface,
    createInterface: (input, output, completer, terminal) => new PromisesInterface(input, output, completer, terminal),
  };
  const readline = {
    Interface,
    createInterface,
    cursorTo,
    moveCursor,
    clearLine,
    clearScreenDown,
    // Keypress events need a terminal's raw mode: nothing to do here.
    emitKeypressEvents() {},
    promises,
  };
  hooks.nodeModules["node:readline"] = readline;
  hooks.nodeModules["node:readline/promises"] = promises;
});
