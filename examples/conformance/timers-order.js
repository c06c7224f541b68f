// Timers against microtasks: synchronous code first, then the microtasks,
// then the timers in deadline order (a delay of 0 is 1 ms, as in node), the
// microtask queue drained after every timer callback; a cleared timer never
// runs; extra arguments reach the callback.

export async function main() {
  setTimeout(() => {
    console.log("timeout 0 (a)");
    Promise.resolve().then(() => console.log("  promise job inside timeout a"));
    queueMicrotask(() => console.log("  queueMicrotask inside timeout a"));
  }, 0);
  setTimeout(() => console.log("timeout 0 (b)"), 0);
  setTimeout(() => console.log("timeout 12"), 12);
  setTimeout(() => console.log("timeout 6"), 6);
  setTimeout(() => console.log("timeout -5 counts as 1"), -5);
  setTimeout(() => console.log("timeout 'x' counts as 1"), "x");
  const cleared = setTimeout(() => console.log("never: cleared"), 1);
  clearTimeout(cleared);
  clearTimeout(cleared); // twice is fine
  clearTimeout(undefined);
  clearTimeout(123456);
  setTimeout((a, b, c) => console.log("timeout 3 with args", a, b, c), 3, "x", 42, [1, 2]);
  Promise.resolve().then(() => console.log("promise job 1"));
  queueMicrotask(() => console.log("queueMicrotask 1"));
  console.log("sync");
  console.log("ids are distinct:", cleared !== setTimeout(() => {}, 1));
  try {
    setTimeout("console.log('strings are not code')", 1);
  } catch (e) {
    console.log("string callback:", e.name);
  }
  await new Promise((resolve) => setTimeout(resolve, 30));
  console.log("after a 30 ms sleep");
}
