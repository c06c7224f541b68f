// Built-ins QuickJS makes on first use (the methods of JSON, Math,
// Array.prototype ..., a plain function's `prototype`) are made at build
// time, before the snapshot (engine-component/src/materialize.js): they must
// be the same objects and behave the same, and the build's walk over
// globalThis must not run an app's proxy traps.
// args:

let traps = 0;
const count = (name) => (...args) => {
  traps++;
  return Reflect[name](...args);
};
globalThis.watched = new Proxy(
  { a: 1, b: 2 },
  {
    ownKeys: count("ownKeys"),
    getOwnPropertyDescriptor: count("getOwnPropertyDescriptor"),
    getPrototypeOf: count("getPrototypeOf"),
    get: count("get"),
  },
);

function Plain() {}
Plain.prototype.greet = function () {
  return "hello";
};
function Untouched() {}

export function main() {
  console.log(`proxy traps run before main: ${traps}`);
  console.log(JSON.stringify([1, { b: [2, 3] }]), JSON.parse("[4]")[0]);
  console.log([3, 1, 2].toSorted().join(","), Math.max(1, 5, 3), "abc".at(-1), "7".padStart(3, "0"));
  console.log(Array.prototype.map === [].map, Object.getPrototypeOf(Math.max) === Function.prototype);
  console.log(new Plain().greet(), Object.getPrototypeOf(new Untouched()) === Untouched.prototype);
  console.log(Untouched.prototype.constructor === Untouched, Object.keys(Untouched.prototype).length);
  console.log(Object.getOwnPropertyNames(Plain.prototype).join(","));
  console.log(Object.keys(globalThis.watched).join(","), traps > 0);
}
