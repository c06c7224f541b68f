// An itty-router app with its usual middleware, bundled by esbuild for the
// tests (cli/tests/serve.rs): AutoRouter with itty's cors (preflight
// before, corsify after: corsify rebuilds the response as
// `new Response(res.body, ...)`), a `finally` handler that sets a header,
// params, query, JSON in and out, 404s.
import { AutoRouter, cors } from "itty-router";

const { preflight, corsify } = cors({ origin: "https://example.test", exposeHeaders: ["x-powered-by"] });

const router = AutoRouter({
  before: [preflight],
  finally: [
    corsify,
    (response) => {
      response.headers.set("x-powered-by", "itty");
      return response;
    },
  ],
});

router.get("/", () => "hello from itty");
router.get("/items/:id", ({ id, query }) => ({ id, q: query.q ?? null }));
router.post("/echo", async (request) => ({ got: await request.json() }));
router.get("/stream", () => new Response(ReadableStream.from(["a", "b", "c"]).pipeThrough(new TextEncoderStream())));

export default router;
