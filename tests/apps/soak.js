// The `jspkg serve` soak app (cli/tests/soak.rs, benches/soak.sh): /n?k=K
// answers 3K+1 (so a wrong or mixed-up answer shows), /loop never returns,
// /bomb allocates until memory runs out, /throw throws.
export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/loop") {
      let n = 0;
      for (;;) n += 1;
    }
    if (url.pathname === "/bomb") {
      const hoard = [];
      for (;;) hoard.push(new Array(1 << 16).fill(hoard.length));
    }
    if (url.pathname === "/throw") {
      throw new TypeError("soak: thrown on purpose");
    }
    const k = Number(url.searchParams.get("k"));
    return new Response(String(3 * k + 1), {
      headers: { "content-type": "text/plain" },
    });
  },
};
