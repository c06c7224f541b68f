// main never returns: the host's time limit must stop it.
export function main() {
  let n = 0;
  for (;;) n++;
}
