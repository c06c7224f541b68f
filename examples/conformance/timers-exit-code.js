// The exit code while timers are pending: main returns 4 at once, the
// program runs its timers (an interval cleared after 3 ticks, a timeout)
// and only then exits, with main's code.

export function main() {
  let n = 0;
  const id = setInterval(() => {
    console.log("interval", ++n);
    if (n === 3) clearInterval(id);
  }, 5);
  setTimeout(() => console.log("timer ran after main returned"), 100);
  console.log("main returns 4");
  return 4;
}
