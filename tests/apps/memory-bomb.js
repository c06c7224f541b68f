// main allocates without bound: the host's memory limit must stop it.
export function main() {
  const hoard = [];
  for (;;) hoard.push(new Array(1 << 16).fill(hoard.length));
}
