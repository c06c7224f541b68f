// WHATWG streams of a jspkg app. Evaluated once, at build time, after
// prelude.js and right after web-streams-polyfill's ponyfill (pinned in
// engine-component/package.json, installed by build.sh), which left its
// exports on `globalThis.WebStreamsPolyfill`: this file makes them globals
// (ReadableStream, WritableStream, TransformStream, their readers, writers
// and controllers, the queuing strategies), adds TextEncoderStream and
// TextDecoderStream, and hands web.js what its bodies need (`hooks.streams`,
// which apps cannot reach).
(function (native, hooks) {
  "use strict";

  const define = (obj, name, value) =>
    Object.defineProperty(obj, name, { value, writable: true, configurable: true, enumerable: false });
  const tag = (Class, name) =>
    Object.defineProperty(Class.prototype, Symbol.toStringTag, { value: name, configurable: true });

  const ponyfill = globalThis.WebStreamsPolyfill;
  delete globalThis.WebStreamsPolyfill;
  const CLASSES = [
    "ReadableStream",
    "ReadableStreamDefaultReader",
    "ReadableStreamBYOBReader",
    "ReadableStreamBYOBRequest",
    "ReadableByteStreamController",
    "ReadableStreamDefaultController",
    "WritableStream",
    "WritableStreamDefaultWriter",
    "WritableStreamDefaultController",
    "TransformStream",
    "TransformStreamDefaultController",
    "ByteLengthQueuingStrategy",
    "CountQueuingStrategy",
  ];
  for (const name of CLASSES) {
    if (typeof ponyfill[name] === "function") define(globalThis, name, ponyfill[name]);
  }
  const { ReadableStream, ReadableStreamDefaultReader, TransformStream } = ponyfill;

  // The standard's "disturbed" (a read or a cancel happened), which the
  // ponyfill keeps to itself: Body's `bodyUsed` needs it. Readers are
  // mapped to their streams when made, reads and cancels mark the stream.
  const disturbed = new WeakSet();
  const streamOf = new WeakMap();
  const getReader = ReadableStream.prototype.getReader;
  define(ReadableStream.prototype, "getReader", function getReader_(options) {
    const reader = Reflect.apply(getReader, this, [options]);
    streamOf.set(reader, this);
    return reader;
  });
  const cancel = ReadableStream.prototype.cancel;
  define(ReadableStream.prototype, "cancel", function cancel_(reason) {
    disturbed.add(this);
    return Reflect.apply(cancel, this, [reason]);
  });
  for (const Reader of [ReadableStreamDefaultReader, ponyfill.ReadableStreamBYOBReader]) {
    if (typeof Reader !== "function") continue;
    for (const method of ["read", "cancel"]) {
      const original = Reader.prototype[method];
      define(Reader.prototype, method, function (...args) {
        const stream = streamOf.get(this);
        if (stream !== undefined) disturbed.add(stream);
        return Reflect.apply(original, this, args);
      });
      Object.defineProperty(Reader.prototype[method], "name", { value: method });
    }
  }
  Object.defineProperty(ReadableStream.prototype.getReader, "name", { value: "getReader" });
  Object.defineProperty(ReadableStream.prototype.cancel, "name", { value: "cancel" });
  // pipeTo, pipeThrough, tee and async iteration read without a public
  // reader: they lock the stream, and a locked body is unusable anyway.
  for (const method of ["pipeTo", "pipeThrough", "tee", "values"]) {
    const original = ReadableStream.prototype[method];
    if (typeof original !== "function") continue;
    define(ReadableStream.prototype, method, function (...args) {
      const result = Reflect.apply(original, this, args);
      disturbed.add(this);
      return result;
    });
    Object.defineProperty(ReadableStream.prototype[method], "name", { value: method });
  }
  if (typeof ReadableStream.prototype.values === "function") {
    define(ReadableStream.prototype, Symbol.asyncIterator, ReadableStream.prototype.values);
  }

  // ------------------------------------------------- TextEncoderStream
  class TextEncoderStream {
    #transform;
    constructor() {
      const encoder = new TextEncoder();
      // A high surrogate at the end of a chunk waits for its low half.
      let pending = "";
      this.#transform = new TransformStream({
        transform(chunk, controller) {
          let s = pending + String(chunk);
          pending = "";
          const last = s.charCodeAt(s.length - 1);
          if (last >= 0xd800 && last <= 0xdbff) {
            pending = s.slice(-1);
            s = s.slice(0, -1);
          }
          if (s !== "") controller.enqueue(encoder.encode(s));
        },
        flush(controller) {
          if (pending !== "") controller.enqueue(encoder.encode(pending));
        },
      });
    }
    get encoding() {
      return "utf-8";
    }
    get readable() {
      return this.#transform.readable;
    }
    get writable() {
      return this.#transform.writable;
    }
  }
  tag(TextEncoderStream, "TextEncoderStream");
  define(globalThis, "TextEncoderStream", TextEncoderStream);

  // ------------------------------------------------- TextDecoderStream
  class TextDecoderStream {
    #decoder;
    #transform;
    constructor(label = "utf-8", options = {}) {
      const decoder = new TextDecoder(label, options);
      this.#decoder = decoder;
      this.#transform = new TransformStream({
        transform(chunk, controller) {
          const s = decoder.decode(chunk, { stream: true });
          if (s !== "") controller.enqueue(s);
        },
        flush(controller) {
          const s = decoder.decode();
          if (s !== "") controller.enqueue(s);
        },
      });
    }
    get encoding() {
      return this.#decoder.encoding;
    }
    get fatal() {
      return this.#decoder.fatal;
    }
    get ignoreBOM() {
      return this.#decoder.ignoreBOM;
    }
    get readable() {
      return this.#transform.readable;
    }
    get writable() {
      return this.#transform.writable;
    }
  }
  tag(TextDecoderStream, "TextDecoderStream");
  define(globalThis, "TextDecoderStream", TextDecoderStream);

  // ------------------------------------------------- for web.js's bodies

  // Streams of bytes not read yet, with their bytes (see takeBytes).
  const unread = new WeakMap();

  // A stream of `bytes` (one chunk, made when first read).
  function fromBytes(bytes) {
    let sent = false;
    const stream = new ReadableStream(
      {
        type: "bytes",
        pull(controller) {
          unread.delete(stream);
          if (!sent && bytes.byteLength > 0) controller.enqueue(bytes);
          sent = true;
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    unread.set(stream, bytes);
    return stream;
  }

  // The bytes of a fromBytes stream nobody read or locked, taken over (the
  // stream is then disturbed): `new Response(res.body, res)` keeps a
  // buffered body buffered, with its content-length.
  function takeBytes(stream) {
    const bytes = unread.get(stream);
    if (bytes === undefined || disturbed.has(stream) || stream.locked) return undefined;
    unread.delete(stream);
    disturbed.add(stream);
    return bytes;
  }

  // The bytes of the chunks (Uint8Arrays) in one new Uint8Array; also
  // web.js's, blob.js's and node.js's (hooks.webHelpers).
  function concatBytes(chunks) {
    let length = 0;
    for (const c of chunks) length += c.byteLength;
    const out = new Uint8Array(length);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    return out;
  }

  // All the bytes of a stream of Uint8Array chunks (a TypeError for any
  // other chunk, as the standard's "fully read" has it).
  async function readAll(stream) {
    const reader = getReader.call(stream);
    disturbed.add(stream);
    const chunks = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!(value instanceof Uint8Array)) {
        const error = new TypeError("Received non-Uint8Array chunk");
        reader.cancel(error).catch(() => {});
        throw error;
      }
      chunks.push(value);
    }
    return concatBytes(chunks);
  }

  // ------------------------------------------ HTTP bodies (http world)
  // The incoming request's body as it arrives (body_streams.rs: inRead
  // gives a chunk, an empty one when nothing is there yet, null at the end).
  function incoming(handle) {
    return new ReadableStream(
      {
        pull(controller) {
          return new Promise((resolve, reject) => {
            const step = () => {
              let chunk;
              try {
                chunk = native.inRead(handle);
              } catch (e) {
                reject(e);
                return;
              }
              if (chunk === null) {
                controller.close();
                resolve();
              } else if (chunk.byteLength === 0) {
                native.inReady(handle, step);
              } else {
                controller.enqueue(chunk);
                resolve();
              }
            };
            step();
          });
        },
      },
      { highWaterMark: 0 },
    );
  }

  // Writes a response body stream to the output stream `handle` as chunks
  // come, as fast as the stream takes them (check-write, then its pollable).
  hooks.httpPump = async function httpPump(stream, handle) {
    const reader = getReader.call(stream);
    disturbed.add(stream);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        if (!(value instanceof Uint8Array)) {
          throw new TypeError(`a response body stream must give Uint8Array chunks, it gave ${typeof value === "string" ? "a string" : String(value)}`);
        }
        let at = 0;
        while (at < value.byteLength) {
          at += native.outWrite(handle, at === 0 ? value : value.subarray(at));
          if (at < value.byteLength) await new Promise((resolve) => native.outReady(handle, resolve));
        }
      }
    } catch (e) {
      reader.cancel(e).catch(() => {});
      throw e;
    }
  };

  hooks.streams = {
    incoming,
    ReadableStream,
    fromBytes,
    takeBytes,
    readAll,
    concatBytes,
    isDisturbed: (stream) => disturbed.has(stream),
    markDisturbed: (stream) => disturbed.add(stream),
    reader: (stream) => {
      disturbed.add(stream);
      return getReader.call(stream);
    },
  };
});
