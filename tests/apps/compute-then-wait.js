// Computes for a while, then waits 1.5 s on a timer: more than `--timeout 1`
// allows, and nothing to `--timeout 0` (no time limit).
export async function main() {
  let s = 0;
  for (let i = 0; i < 2_000_000; i++) s = (s + i * i) % 1_000_003;
  await new Promise((resolve) => setTimeout(resolve, 1500));
  console.log(`done ${s}`);
}
