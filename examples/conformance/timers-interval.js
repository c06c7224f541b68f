// setInterval: repeats until cleared (here after 5 ticks, from its own
// callback); extra arguments; an interval that clears itself at its first
// tick; clearTimeout clears intervals too; main's promise resolves from a
// timer set after the last tick.

export function main() {
  return new Promise((resolve) => {
    // Made first, so that it is due first in node too however slow the
    // machine is between the two calls (a 1 ms interval made after a 4 ms
    // one can come second).
    const once = setInterval(() => {
      console.log("once");
      clearInterval(once);
    }, 1);
    let n = 0;
    const id = setInterval(
      (tag) => {
        n++;
        console.log(tag, n);
        Promise.resolve().then(() => console.log("  job after tick", n));
        if (n === 5) {
          clearInterval(id);
          console.log("cleared after", n, "ticks");
          setTimeout(() => {
            console.log("done, n =", n);
            resolve(n);
          }, 10);
        }
      },
      4,
      "tick",
    );
    const other = setInterval(() => console.log("never: cleared by clearTimeout"), 2);
    clearTimeout(other);
  });
}
