// WHATWG streams: ReadableStream with a pull source and a reader,
// pipeThrough a TransformStream, pipeTo a WritableStream (with
// backpressure), tee, async iteration, ReadableStream.from, cancel,
// errors, the queuing strategies, TextEncoderStream/TextDecoderStream.

const enc = new TextEncoder();

function counter(n) {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < n) controller.enqueue(i++);
      else controller.close();
    },
  });
}

async function collect(stream) {
  const out = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

export async function main() {
  // A reader, read by hand.
  const reader = counter(3).getReader();
  const reads = [];
  for (;;) {
    const r = await reader.read();
    reads.push(JSON.stringify(r));
    if (r.done) break;
  }
  console.log("reads:", reads.join(" "));

  // pipeThrough a TransformStream, then async iteration.
  const doubled = counter(5).pipeThrough(
    new TransformStream({
      transform(chunk, controller) {
        controller.enqueue(chunk * 2);
      },
      flush(controller) {
        controller.enqueue("end");
      },
    }),
  );
  console.log("doubled:", await collect(doubled));

  // pipeTo a WritableStream with a high-water mark of 2.
  const written = [];
  const sink = new WritableStream(
    {
      write(chunk) {
        written.push(chunk);
        return new Promise((resolve) => Promise.resolve().then(resolve));
      },
      close() {
        written.push("closed");
      },
    },
    new CountQueuingStrategy({ highWaterMark: 2 }),
  );
  await counter(4).pipeTo(sink);
  console.log("written:", written);

  // A writer by hand.
  const parts = [];
  const ws = new WritableStream({ write: (c) => parts.push(c) });
  const writer = ws.getWriter();
  console.log("desiredSize:", writer.desiredSize);
  await writer.write("a");
  await writer.write("b");
  await writer.close();
  console.log("writer parts:", parts);

  // tee: both branches see every chunk.
  const [left, right] = counter(3).tee();
  console.log("tee:", await collect(left), await collect(right));

  // ReadableStream.from an iterable and an async generator.
  console.log("from array:", await collect(ReadableStream.from(["x", "y"])));
  async function* gen() {
    yield 1;
    await null;
    yield 2;
  }
  console.log("from async generator:", await collect(ReadableStream.from(gen())));

  // locked, cancel, and an erroring source.
  const s = counter(10);
  const r2 = s.getReader();
  console.log("locked:", s.locked);
  await r2.cancel("enough");
  r2.releaseLock();
  console.log("locked after release:", s.locked);
  const failing = new ReadableStream({
    start(controller) {
      controller.enqueue("first");
      controller.error(new TypeError("source failed"));
    },
  });
  try {
    await collect(failing);
  } catch (e) {
    console.log("error:", e.name, e.message);
  }
  let cancelled = "";
  const cancellable = new ReadableStream({
    pull(c) {
      c.enqueue("chunk");
    },
    cancel(reason) {
      cancelled = reason;
    },
  });
  for await (const chunk of cancellable) {
    console.log("first chunk then break:", chunk);
    break;
  }
  console.log("break cancels the source:", cancelled === undefined ? "undefined" : cancelled);

  // Queuing strategies.
  console.log("ByteLength size:", new ByteLengthQueuingStrategy({ highWaterMark: 16 }).size(new Uint8Array(5)));
  console.log("Count size:", new CountQueuingStrategy({ highWaterMark: 1 }).size("anything"));

  // Text streams: a multi-byte character split across chunks.
  const bytes = enc.encode("héllo wörld ✓ 😀");
  const chunked = new ReadableStream({
    start(c) {
      for (let i = 0; i < bytes.length; i += 3) c.enqueue(bytes.slice(i, i + 3));
      c.close();
    },
  });
  const text = await collect(chunked.pipeThrough(new TextDecoderStream()));
  console.log("decoded:", text.join(""));
  const encoded = await collect(ReadableStream.from(["a", "é", "\ud83d", "\ude00"]).pipeThrough(new TextEncoderStream()));
  console.log("encoded:", encoded.map((c) => Array.from(c).join(",")));
  console.log("TextDecoderStream encoding:", new TextDecoderStream().encoding, new TextEncoderStream().encoding);
  console.log("toStringTag:", Object.prototype.toString.call(new ReadableStream()));
}
