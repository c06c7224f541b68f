// A handler whose top-level code awaits a timer: refused at build time.
await new Promise((resolve) => setTimeout(resolve, 10));

export default {
  fetch() {
    return new Response("never built");
  },
};
