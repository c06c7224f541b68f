// Isolation: a module-level counter and a property on globalThis, both
// incremented by every request. Under `jspkg serve` every request runs in a
// fresh instance of the snapshot, so every request answers 1 and 1.
let count = 0;
globalThis.hits = 0;

export default {
  async fetch(request) {
    count += 1;
    globalThis.hits += 1;
    const { pathname } = new URL(request.url);
    return Response.json({ count, hits: globalThis.hits, pathname });
  },
};
