// Isolation: a module-level counter and a property on globalThis, both
// incremented by every request, and two module-level buffers of the
// snapshot (one of a pattern, one of zeros, 128 pages each) that every
// request checks and then overwrites. Under `jspkg serve` every request runs
// in a fresh instance of the snapshot, so every request answers 1, 1 and
// pristine — also when its instance's slot is reused with the previous
// request's pages reset in place (runtime/src/engine.rs).
let count = 0;
globalThis.hits = 0;
const SIZE = 128 * 4096;
const pattern = new Uint8Array(SIZE).map((_, i) => i % 251);
const zeros = new Uint8Array(SIZE);

// Every 512th byte: each 4 KiB page eight times.
function pristine() {
  for (let i = 0; i < SIZE; i += 512) {
    if (pattern[i] !== i % 251 || zeros[i] !== 0) return false;
  }
  return true;
}

export default {
  async fetch(request) {
    count += 1;
    globalThis.hits += 1;
    const clean = pristine();
    pattern.fill(0xaa);
    zeros.fill(0x55);
    const { pathname } = new URL(request.url);
    return Response.json({ count, hits: globalThis.hits, pristine: clean, pathname });
  },
};
