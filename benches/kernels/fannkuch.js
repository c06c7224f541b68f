// fannkuch-redux (Benchmarks Game): array permutations, integer work.
function fannkuch(n) {
  const perm1 = Array.from({ length: n }, (_, i) => i);
  const perm = new Array(n).fill(0), count = new Array(n).fill(0);
  let maxFlips = 0, checksum = 0, r = n, permCount = 0;
  for (;;) {
    while (r !== 1) { count[r - 1] = r; r--; }
    for (let i = 0; i < n; i++) perm[i] = perm1[i];
    let flips = 0, k;
    while ((k = perm[0]) !== 0) {
      for (let i = 0, j = k; i < j; i++, j--) { const t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
      flips++;
    }
    maxFlips = Math.max(maxFlips, flips);
    checksum += permCount % 2 === 0 ? flips : -flips;
    for (;;) {
      if (r === n) return [checksum, maxFlips];
      const p0 = perm1[0];
      for (let i = 0; i < r; i++) perm1[i] = perm1[i + 1];
      perm1[r] = p0;
      if (--count[r] > 0) break;
      r++;
    }
    permCount++;
  }
}
export function main(args) {
  const n = Number(args[0] ?? 8);
  const t0 = performance.now();
  const [checksum, flips] = fannkuch(n);
  console.log(`fannkuch result=${checksum}/${flips} ms=${(performance.now() - t0).toFixed(1)}`);
}
