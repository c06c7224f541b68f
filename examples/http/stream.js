// Streamed bodies, both ways, over wasi:http's body streams:
//   GET  /stream?mb=N&chunk=K  N MiB made chunk by chunk (K KiB each) by a
//                              ReadableStream's pull: never all in memory
//   GET  /ticks?n=N            N lines, one per timer tick (5 ms apart)
//   POST /count                reads the request body as it arrives and
//                              answers its length and a checksum of
//                              every 4096th byte
//   POST /upper                pipes the request body through a
//                              TransformStream (upper-cased) into the answer
//   GET  /rebuild              middleware-style: new Response(res.body, res)
//                              with a header added
// Bytes of /stream: byte i of the body is i % 251.

const enc = new TextEncoder();

function pattern(start, length) {
  const chunk = new Uint8Array(length);
  for (let i = 0; i < length; i++) chunk[i] = (start + i) % 251;
  return chunk;
}

export default {
  async fetch(request) {
    const { pathname, searchParams } = new URL(request.url);
    if (pathname === "/stream") {
      const total = Number(searchParams.get("mb") ?? 1) * (1 << 20);
      const size = Number(searchParams.get("chunk") ?? 64) * 1024;
      // One chunk of each phase (251 values) is made once and reused.
      const phases = new Map();
      let sent = 0;
      const body = new ReadableStream({
        pull(controller) {
          if (sent >= total) {
            controller.close();
            return;
          }
          const n = Math.min(size, total - sent);
          const key = `${sent % 251}:${n}`;
          let chunk = phases.get(key);
          if (chunk === undefined) phases.set(key, (chunk = pattern(sent % 251, n)));
          controller.enqueue(chunk.slice());
          sent += n;
        },
      });
      return new Response(body, { headers: { "content-type": "application/octet-stream", "x-total": String(total) } });
    }
    if (pathname === "/ticks") {
      const n = Number(searchParams.get("n") ?? 5);
      let i = 0;
      const body = new ReadableStream({
        pull(controller) {
          return new Promise((resolve) =>
            setTimeout(() => {
              if (i < n) controller.enqueue(enc.encode(`tick ${++i}\n`));
              else controller.close();
              resolve();
            }, 5),
          );
        },
      });
      return new Response(body, { headers: { "content-type": "text/plain; charset=utf-8" } });
    }
    if (pathname === "/count" && request.method === "POST") {
      let length = 0;
      let sum = 0;
      let chunks = 0;
      // The checksum adds the bytes at offsets 0, 4096, 8192, ... of the
      // whole body, wherever the chunks happen to split it.
      for await (const chunk of request.body) {
        chunks++;
        for (let i = (4096 - (length % 4096)) % 4096; i < chunk.byteLength; i += 4096) sum = (sum + chunk[i]) % 65521;
        length += chunk.byteLength;
      }
      return Response.json({ length, sum, someChunks: chunks > 0 }, { headers: { "x-counted": "yes" } });
    }
    if (pathname === "/upper" && request.method === "POST") {
      const upper = new TransformStream({
        transform(chunk, controller) {
          controller.enqueue(chunk.toUpperCase());
        },
      });
      const body = request.body.pipeThrough(new TextDecoderStream()).pipeThrough(upper).pipeThrough(new TextEncoderStream());
      return new Response(body, { headers: { "content-type": "text/plain; charset=utf-8" } });
    }
    if (pathname === "/rebuild") {
      const inner = Response.json({ from: "the handler", list: [1, 2, 3] }, { status: 201 });
      const outer = new Response(inner.body, inner);
      outer.headers.set("x-middleware", "added after");
      return outer;
    }
    return new Response("not found\n", { status: 404 });
  },
};
