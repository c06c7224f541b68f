// A Hono app with its usual middleware, bundled by esbuild for the tests
// (cli/tests/serve.rs): hono/cors, a middleware that sets a header after
// `await next()`, one that replaces the response around its body (Hono
// itself rebuilds responses as `new Response(res.body, res)`), a streamed
// text response (hono/streaming, on timers), JSON in and out, errors,
// form uploads (`parseBody`, on `formData()`: multipart with files and
// urlencoded), and hono/compress (on CompressionStream).
import { Hono } from "hono";
import { compress } from "hono/compress";
import { cors } from "hono/cors";
import { streamText } from "hono/streaming";

const app = new Hono();

app.use("*", cors({ origin: "https://example.test", exposeHeaders: ["x-after"], maxAge: 600 }));
app.use("*", async (c, next) => {
  await next();
  c.res.headers.set("x-after", "set after next");
});
app.use("/compressed/*", compress());
app.use("/wrapped/*", async (c, next) => {
  await next();
  c.res = new Response(c.res.body, { status: c.res.status, headers: c.res.headers });
  c.header("x-wrapped", "yes");
});

app.get("/", (c) => c.text("hello from hono"));
app.get("/items/:id", (c) => c.json({ id: c.req.param("id"), q: c.req.query("q") ?? null }));
app.post("/echo", async (c) => c.json({ got: await c.req.json(), type: c.req.header("content-type") }, 201));
app.get("/wrapped/page", (c) => c.html("<h1>wrapped</h1>"));
app.get("/stream", (c) =>
  streamText(c, async (stream) => {
    for (let i = 0; i < 3; i++) {
      await stream.writeln(`line ${i}`);
      await stream.sleep(5);
    }
  }),
);
app.post("/upload", async (c) => {
  const body = await c.req.parseBody({ all: true });
  const show = async (v) => (typeof v === "string" ? v : { file: v.name, type: v.type, size: v.size, text: await v.text() });
  const out = {};
  for (const [k, v] of Object.entries(body)) out[k] = Array.isArray(v) ? await Promise.all(v.map(show)) : await show(v);
  return c.json(out);
});
app.get("/compressed/text", (c) => c.text(`${c.req.query("word") ?? "compress"} me `.repeat(400)));
app.get("/compressed/small", (c) => c.text("too small to compress"));
app.get("/boom", () => {
  throw new Error("boom");
});
app.notFound((c) => c.text("no such route", 404));
app.onError((err, c) => c.text(`error: ${err.message}`, 500));

export default app;
