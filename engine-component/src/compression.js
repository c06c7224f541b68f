// CompressionStream and DecompressionStream (the Compression Standard):
// TransformStreams of bytes whose codec is compression_natives.rs's
// (flate2). Formats: "gzip", "deflate", "deflate-raw". Evaluated at build
// time after web.js.
(function (native, hooks) {
  "use strict";

  const { define, tag } = hooks.webHelpers;
  const { TransformStream } = globalThis;
  const FORMATS = ["gzip", "deflate", "deflate-raw"];

  // node's error for a format it does not know.
  function invalidFormat(format) {
    let shown;
    try {
      shown = typeof format === "string" ? `'${format}'` : String(format);
    } catch {
      shown = typeof format;
    }
    const e = new TypeError(`The argument 'format' is invalid. Received ${shown}`);
    e.code = "ERR_INVALID_ARG_VALUE";
    return e;
  }

  // A chunk must be a BufferSource; it is copied by the native side.
  function chunkBytes(chunk) {
    if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (chunk instanceof ArrayBuffer || (typeof SharedArrayBuffer === "function" && chunk instanceof SharedArrayBuffer)) {
      return new Uint8Array(chunk);
    }
    const e = new TypeError(`The "chunk" argument must be of type ArrayBuffer, Buffer, TypedArray or DataView.`);
    e.code = "ERR_INVALID_ARG_TYPE";
    throw e;
  }

  // The transform stream of one codec: each chunk in, what the codec
  // gives out; the rest at the end. The codec is freed once: by finishing,
  // or by `drop` when a chunk fails or the stream is cancelled (a handle
  // freed twice could free a later stream's codec in the same slot).
  function codecStream(format, compress) {
    if (!FORMATS.includes(format)) throw invalidFormat(format);
    const handle = native.codecNew(format, compress);
    let open = true;
    const drop = () => {
      if (open) native.codecDrop(handle);
      open = false;
    };
    return new TransformStream({
      transform(chunk, controller) {
        let out;
        try {
          out = native.codecPush(handle, chunkBytes(chunk));
        } catch (e) {
          drop();
          throw e;
        }
        if (out.byteLength > 0) controller.enqueue(out);
      },
      flush(controller) {
        open = false; // finishing frees it, whatever the outcome
        const out = native.codecFinish(handle);
        if (out.byteLength > 0) controller.enqueue(out);
      },
      cancel() {
        drop();
      },
    });
  }

  // CompressionStream and DecompressionStream, alike but for the
  // direction: made by one function, each its own class (no shared base
  // class, as in node).
  function codecClass(name, compress) {
    const Class = {
      [name]: class {
        #stream;

        constructor(format) {
          if (arguments.length < 1) throw invalidFormat(undefined);
          this.#stream = codecStream(format, compress);
        }

        get readable() {
          return this.#stream.readable;
        }

        get writable() {
          return this.#stream.writable;
        }
      },
    }[name];
    for (const member of ["readable", "writable"]) {
      Object.defineProperty(Class.prototype, member, { enumerable: true });
    }
    tag(Class, name);
    define(globalThis, name, Class);
  }
  codecClass("CompressionStream", true);
  codecClass("DecompressionStream", false);
});
