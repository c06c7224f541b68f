// Limits: /loop never returns, /bomb allocates until memory runs out,
// anything else answers at once. Serve it with a time and memory limit:
//   jspkg serve limits.wasm --timeout 1 --max-memory 64
export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (pathname === "/loop") {
      let n = 0;
      for (;;) n += 1;
    }
    if (pathname === "/bomb") {
      const hoard = [];
      for (;;) hoard.push(new Array(1 << 16).fill(hoard.length));
    }
    return new Response("ok\n", { headers: { "content-type": "text/plain" } });
  },
};
