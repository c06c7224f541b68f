// Request.body and Response.body as ReadableStreams: a buffered body read
// through its stream, a Response made from a stream (and read whole), the
// middleware pattern `new Response(res.body, res)`, bodyUsed, clone (tee),
// a Request with a stream body, errors of used bodies.

const enc = new TextEncoder();
const dec = new TextDecoder();

async function readStream(stream) {
  const reader = stream.getReader();
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += dec.decode(value, { stream: true });
  }
}

export async function main() {
  const r = new Response("hello body");
  console.log("body is a ReadableStream:", r.body instanceof ReadableStream, "bodyUsed:", r.bodyUsed);
  console.log("read through body:", await readStream(r.body), "bodyUsed:", r.bodyUsed);
  console.log("no body:", new Response(null).body, new Response().body);
  console.log("'body' in response:", "body" in new Response(""));

  // A stream body, read whole.
  const streamed = new Response(
    new ReadableStream({
      start(c) {
        c.enqueue(enc.encode("one,"));
        c.enqueue(enc.encode("two,"));
        c.enqueue(enc.encode("three"));
        c.close();
      },
    }),
    { status: 201, headers: { "x-kind": "stream" } },
  );
  console.log("stream response:", streamed.status, streamed.headers.get("x-kind"), await streamed.text());

  // Middleware: rebuild a response with other headers, body kept.
  const original = new Response(JSON.stringify({ ok: true }), {
    status: 202,
    headers: { "content-type": "application/json" },
  });
  const rebuilt = new Response(original.body, original);
  rebuilt.headers.set("x-middleware", "yes");
  console.log("rebuilt:", rebuilt.status, rebuilt.headers.get("content-type"), rebuilt.headers.get("x-middleware"));
  console.log("rebuilt body:", await rebuilt.json());
  console.log("original after:", original.bodyUsed);

  // clone tees a stream body.
  const source = new Response(ReadableStream.from([enc.encode("tee "), enc.encode("me")]));
  const copy = source.clone();
  console.log("clone:", await source.text(), "|", await copy.text());

  // Bodies read once.
  const once = new Response("once");
  await once.text();
  console.log("bodyUsed after text():", once.bodyUsed);
  try {
    await once.text();
  } catch (e) {
    console.log("second read:", e.name);
  }
  const locked = new Response("locked");
  locked.body.getReader();
  try {
    await locked.text();
  } catch (e) {
    console.log("read of a locked body:", e.name);
  }
  try {
    new Response(locked.body);
  } catch (e) {
    console.log("new Response(locked stream):", e.name);
  }

  // Request bodies.
  const req = new Request("https://example.test/upload", { method: "POST", body: "request body" });
  console.log("request body stream:", req.body instanceof ReadableStream, await readStream(req.body));
  const streamReq = new Request("https://example.test/upload", {
    method: "POST",
    body: ReadableStream.from([enc.encode("from "), enc.encode("a stream")]),
    duplex: "half",
  });
  console.log("stream request:", await streamReq.text());
  const get = new Request("https://example.test/");
  console.log("GET body:", get.body);

  // A large body in many chunks, read with arrayBuffer().
  let n = 0;
  const big = new Response(
    new ReadableStream({
      pull(c) {
        if (n++ < 100) c.enqueue(new Uint8Array(1000).fill(n));
        else c.close();
      },
    }),
  );
  const buf = new Uint8Array(await big.arrayBuffer());
  console.log("big:", buf.length, buf[0], buf[99_999]);

  // A stream that gives strings is an error when read whole.
  try {
    await new Response(ReadableStream.from(["not bytes"])).text();
  } catch (e) {
    console.log("string chunk:", e.name);
  }
}
