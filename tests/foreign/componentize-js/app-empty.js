// ComponentizeJS "empty" app: the world's export and no top-level state.
// Its memory image is SpiderMonkey's own initialized state; `jspkg split
// --reference cjs-empty.wasm` makes it the engine's reference image, against
// which the images of real apps (cjs-a, cjs-b) are stored as small deltas.
export function hello(name) {
  return name;
}
