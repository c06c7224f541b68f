// `self` and `navigator.userAgent` (WinterTC): node 20 has neither, so the
// test checks them against what the engine documents.
export function main() {
  console.log("self is globalThis:", self === globalThis, typeof self.setTimeout);
  console.log("userAgent:", navigator.userAgent);
  console.log("navigator:", Object.prototype.toString.call(navigator), navigator instanceof Navigator);
  try {
    new Navigator();
  } catch (e) {
    console.log("new Navigator():", e.name, e.message);
  }
}
