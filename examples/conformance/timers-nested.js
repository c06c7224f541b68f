// Nested timers: a timer set by a timer callback never runs in the same
// turn, even with a delay of 0, so its siblings of the same turn go first;
// microtasks of each callback run before the next callback.

export function main() {
  const depth = (n) => {
    console.log("depth", n);
    if (n < 5) setTimeout(depth, 0, n + 1);
  };
  setTimeout(() => {
    console.log("outer");
    setTimeout(() => {
      console.log("inner");
      setTimeout(() => console.log("innermost"), 0);
      Promise.resolve().then(() => console.log("inner's promise job"));
    }, 0);
    Promise.resolve()
      .then(() => console.log("outer's promise job"))
      .then(() => setTimeout(() => console.log("timer from a promise job"), 0));
  }, 0);
  setTimeout(() => console.log("sibling of outer"), 0);
  setTimeout(() => depth(1), 100);
}
