// An exception thrown by a timer callback is uncaught: the program prints
// it and exits with 1 at once, as node does; later timers never run.

export function main() {
  setTimeout(() => {
    console.log("before the throw");
    throw new Error("boom in a timer");
  }, 1);
  setTimeout(() => console.log("never: the program has exited"), 50);
  return 0;
}
