// The `make demo` app: `jspkg build examples/hello-ts/hello.ts -o hello.wasm`,
// then `jspkg run hello.wasm -- WebAssembly` prints "Hello, WebAssembly!".
// jspkg bundles the imports and strips the types; an uncaught error points
// at this file's lines (`hello.ts:LINE:COL`), not at the bundle's.
import { greet, type Greeting } from "./greet.ts";

// Top-level code runs once, at build time; its results live in the snapshot.
const greeting: Greeting = { word: "Hello", fallback: "world" };

export function main(args: string[]): number {
  console.log(greet(greeting, args));
  return 0;
}
