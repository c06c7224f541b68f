// CompressionStream and DecompressionStream: gzip, deflate and
// deflate-raw; data that zlib compressed (node's zlib, at level 6) is
// read back, round trips of large inputs in chunks of every size (one byte
// at a time), pipeThrough with Response bodies, chunks of other
// views (node 20 refuses ArrayBuffer chunks, so none here), and failures (an
// unknown format, data that is not compressed, truncated data). The bytes
// this engine's compressor writes differ from zlib's (another deflate
// implementation); cli/tests/conformance.rs has node's zlib read them.

const fromHex = (h) => new Uint8Array(h.match(/../g).map((b) => parseInt(b, 16)));
const ZLIB = {
  gzip: "1f8b08000000000000030bc94855282ccd4cce56482aca2fcf5348cbaf50c82acd2d2856c82f4b2d5228c94855c849acaa5448c94fd75308a199620058001e0087000000",
  deflate: "789c0bc94855282ccd4cce56482aca2fcf5348cbaf50c82acd2d2856c82f4b2d5228c94855c849acaa5448c94fd75308a1996200f93c3076",
  "deflate-raw": "0bc94855282ccd4cce56482aca2fcf5348cbaf50c82acd2d2856c82f4b2d5228c94855c849acaa5448c94fd75308a1996200",
};

// A ReadableStream of `bytes` in chunks of `size`.
function chunked(bytes, size) {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

async function collect(stream) {
  const parts = [];
  let n = 0;
  for await (const chunk of stream) {
    if (!(chunk instanceof Uint8Array)) throw new Error("a chunk is not a Uint8Array");
    parts.push(chunk);
    n += chunk.length;
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

export async function main() {
  console.log(typeof CompressionStream, typeof DecompressionStream);
  for (const [format, hex] of Object.entries(ZLIB)) {
    const text = await new Response(chunked(fromHex(hex), 7).pipeThrough(new DecompressionStream(format))).text();
    console.log(format, "from zlib:", JSON.stringify(text));
  }

  // Compressible data (300 KB) and incompressible data (100 KB).
  const words = new TextEncoder().encode("lorem ipsum dolor sit amet consectetur adipiscing elit ".repeat(5500));
  let x = 2463534242; // xorshift32
  const noise = new Uint8Array(100000).map(() => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x & 0xff;
  });
  for (const format of Object.keys(ZLIB)) {
    for (const [name, data] of [["words", words], ["noise", noise], ["empty", new Uint8Array(0)]]) {
      for (const size of [1 << 16, 4093]) {
        const packed = await collect(chunked(data, size).pipeThrough(new CompressionStream(format)));
        // The small compressed words are also read one byte at a time.
        const readSize = name === "words" && size === 4093 ? 1 : 1000;
        const back = await collect(chunked(packed, readSize).pipeThrough(new DecompressionStream(format)));
        const ratio = data.length === 0 ? "-" : packed.length < data.length / 10 ? "< 10%" : packed.length <= data.length * 1.01 + 64 ? "about 100%" : "grew";
        console.log(format, name, "chunks of", size, "round trip:", equal(back, data), back.length, "size:", ratio);
      }
    }
  }

  // As bodies: Response(stream.pipeThrough(...)) and chunks of other kinds.
  const cs = new CompressionStream("gzip");
  const writer = cs.writable.getWriter();
  writer.write(new TextEncoder().encode("typed array, "));
  writer.write(new Uint16Array(new TextEncoder().encode("sixteen, ").buffer.slice(0, 8)));
  writer.write(new DataView(new TextEncoder().encode("data view").buffer));
  writer.close();
  const gz = await new Response(cs.readable).arrayBuffer();
  console.log("chunk kinds:", await new Response(new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"))).text());
  console.log("tags:", Object.prototype.toString.call(cs), Object.prototype.toString.call(new DecompressionStream("deflate")), cs.readable instanceof ReadableStream, cs.writable instanceof WritableStream);

  for (const format of ["zip", "GZIP", "", undefined]) {
    try {
      new CompressionStream(format);
      console.log("format", JSON.stringify(format), "accepted");
    } catch (e) {
      console.log("format", JSON.stringify(format), "throws", e.name, e.code);
    }
  }
  const garbage = new TextEncoder().encode("this is not compressed at all");
  for (const format of Object.keys(ZLIB)) {
    for (const [what, data] of [["garbage", garbage], ["truncated", fromHex(ZLIB[format]).slice(0, 20)]]) {
      try {
        await collect(chunked(data, 5).pipeThrough(new DecompressionStream(format)));
        console.log(format, what, "decoded");
      } catch (e) {
        console.log(format, what, "rejects:", e instanceof Error);
      }
    }
  }
}
