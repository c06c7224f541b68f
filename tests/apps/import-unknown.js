// Imports a node built-in jspkg does not provide: a clear build error.
import { join } from "node:path";
export function main() {
  console.log(join("a", "b"));
}
