// The `make demo` app: `jspkg build examples/hello/hello.js -o hello.wasm`,
// then `jspkg run hello.wasm -- WebAssembly` prints "Hello, WebAssembly!".

// Top-level code runs once, at build time; its results live in the snapshot.
const greeting = ["Hello", "world"];

export function main(args) {
  const who = args.length > 0 ? args.join(" ") : greeting[1];
  console.log(`${greeting[0]}, ${who}!`);
  return 0;
}
