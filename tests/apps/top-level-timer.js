// Top-level code runs at build time, when timers never run: jspkg build
// refuses setTimeout here, with the line that called it.
const cache = new Map();
setInterval(() => cache.clear(), 60_000);

export function main() {
  console.log(cache.size);
}
