// main returns normally, but leaves a rejected promise nobody handles. Node
// treats an unhandled rejection as an uncaught error: stderr and exit code 1.

export function main() {
  console.log("before the floating rejection");
  Promise.reject(new RangeError("nobody handles this"));
  console.log("main returns");
}
