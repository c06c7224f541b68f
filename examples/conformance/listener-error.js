// An exception thrown by an event listener does not stop the dispatch: the
// other listeners run and dispatchEvent returns; the error then ends the
// run as an uncaught error (exit code 1), as node ends the process.

export function main() {
  const t = new EventTarget();
  t.addEventListener("e", () => {
    throw new TypeError("boom in a listener");
  });
  t.addEventListener("e", () => console.log("the second listener runs"));
  console.log("dispatchEvent returned", t.dispatchEvent(new Event("e")));
  console.log("after the dispatch");
}
